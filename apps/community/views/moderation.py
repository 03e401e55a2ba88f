"""The core team's moderation: the queue of reported and hidden posts, and a decision on one
post (hide, restore, or keep and close its reports), always with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.forms import add_service_errors

from .. import selectors, services
from ..access import get_post, require_taking_part
from ..forms import ModerationForm
from ..models import ModerationEvent


@require_GET
def queue(request):
    require_taking_part(request.user)
    if not request.user.has_perm("community.moderate"):
        raise PermissionDenied
    reported, hidden = selectors.moderation_queue()
    return render(request, "community/moderation.html", {"reported": reported,
                                                         "hidden": hidden})


@require_http_methods(["GET", "POST"])
def moderate(request, pk):
    post = get_post(request.user, pk, "community.moderate")
    form = ModerationForm(request.POST if request.method == "POST" else None,
                          hidden=post.is_hidden)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.moderate(post, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, {
                ModerationEvent.Decision.HIDDEN: _("The post is hidden. Its author has been "
                                                   "told why."),
                ModerationEvent.Decision.RESTORED: _("The post is restored. Its author has "
                                                     "been told why."),
                ModerationEvent.Decision.KEPT: _("The post is kept as it is and its reports "
                                                 "are closed.")}[event.decision])
            return redirect("community:moderation")
    return render(request, "community/moderate.html", {
        "form": form, "post": post, "thread": post.thread,
        "reports": post.reports.select_related("reported_by"),
        "history": post.moderation.select_related("by")})
