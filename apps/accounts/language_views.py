"""Choosing the language of the pages: open to everyone, signed in or not
(apps/accounts/language.py). Works without JavaScript: the header's switch is a one-button
form that posts here; this page also offers the choice as radios."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import language, services
from .display_views import _back_to
from .forms import LanguageForm


@login_not_required
@require_http_methods(["GET", "POST"])
def language_settings(request):
    back = _back_to(request)
    if request.method == "POST":
        form = LanguageForm(request.POST)
        if form.is_valid():
            code = form.cleaned_data["language"]
            # The confirmation is in the language just chosen.
            translation.activate(code)
            request.LANGUAGE_CODE = code
            if request.POST.get("switch") and back:
                response = redirect(back)
            else:
                url = reverse("accounts:language") + (
                    f"?{urlencode({'next': back})}" if back else "")
                response = redirect(url)
                messages.success(request, _("The pages are now in English.")
                                 if code == language.ENGLISH else
                                 _("The pages are now in Welsh."))
            if request.user.is_authenticated:
                services.save_language(request.user, code)
            language.remember_on_device(response, code)
            return response
    else:
        form = LanguageForm(initial={"language": translation.get_language()
                                     if translation.get_language() in language.CODES
                                     else language.ENGLISH})
    return render(request, "accounts/language.html", {"form": form, "back": back})
