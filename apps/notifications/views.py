"""A person's own notifications, their email and calendar settings, and their private feed.
Each signed-in person acts on their own data only (``request.user``); the feed is opened by
its secret address, without signing in."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from . import services
from .forms import DeliveryForm
from .models import CalendarToken, Notification

PAGE_SIZE = 25


@require_http_methods(["GET", "POST"])
def notification_list(request):
    if request.method == "POST":
        count = services.mark_read(request.user)
        messages.success(request, ngettext("%(count)s notification marked as read.",
                                           "%(count)s notifications marked as read.", count)
                         % {"count": count})
        return redirect("notifications:list")
    notes = Notification.objects.filter(user=request.user)
    page = Paginator(notes, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {
        "page": page, "unread": notes.filter(read_at__isnull=True).count()})


@require_http_methods(["GET", "POST"])
def notification_settings(request):
    user = request.user
    form = DeliveryForm(initial={"delivery": services.delivery_for(user)})
    feed_url = ""
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "delivery":
        form = DeliveryForm(request.POST)
        if form.is_valid():
            services.set_delivery(user, form.cleaned_data["delivery"])
            messages.success(request, _("Your email settings are saved."))
            return redirect("notifications:settings")
    elif action == "create_feed":
        secret = services.calendar_token_for(user)
        feed_url = settings.SITE_URL + reverse("notifications:feed", args=[secret])
    elif action == "revoke_feed":
        services.revoke_calendar_tokens(user)
        messages.success(request, _("Your calendar address is turned off. Calendars that "
                                    "use it will stop updating."))
        return redirect("notifications:settings")
    feed = CalendarToken.objects.filter(user=user, revoked_at__isnull=True).first()
    response = render(request, "notifications/settings.html", {
        "form": form, "feed": feed, "feed_url": feed_url,
        "webcal_url": "webcal://" + feed_url.split("://", 1)[-1] if feed_url else ""})
    # The new address is shown once: keep the page out of every cache.
    response["Cache-Control"] = "private, no-store"
    return response


@login_not_required
@require_GET
def feed(request, token):
    user = services.user_for_calendar_token(token)
    if user is None:
        raise Http404("No such calendar")
    response = HttpResponse(services.calendar_feed(user), content_type="text/calendar; "
                                                                      "charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
