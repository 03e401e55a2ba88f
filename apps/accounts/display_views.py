"""The Display settings page: open to everyone, signed in or not (apps/accounts/display.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods

from . import display, services
from .forms import DisplayForm


def _back_to(request) -> str:
    """The page the person came from (``?next=`` or the form's hidden field), if it is one
    of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()},
            require_https=request.is_secure()) and target.startswith("/"):
        return target
    return ""


@login_not_required
@require_http_methods(["GET", "POST"])
def display_settings(request):
    current = display.current_display(request)
    back = _back_to(request)
    if request.method == "POST":
        form = DisplayForm(request.POST)
        if form.is_valid():
            choice = form.display()
            url = reverse("accounts:display") + (f"?{urlencode({'next': back})}" if back else "")
            response = redirect(url)
            if request.user.is_authenticated:
                services.save_display(request.user, choice)
                messages.success(request, "Your display settings are saved. They are used "
                                          "on every device you sign in on.")
            else:
                display.remember_on_device(response, choice)
                messages.success(request, "Your display settings are saved on this device.")
            return response
    else:
        form = DisplayForm(initial={"text_size": current.text_size,
                                    "colours": current.colours, "spacing": current.spacing})
    return render(request, "accounts/display.html", {"form": form, "back": back})
