"""The language of the pages: English or Welsh (docs/welsh.md).

Signed in, the person's choice is kept on them (``User.language``) and used on every device
they sign in on; signed out, Django's language cookie (``LANGUAGE_COOKIE_NAME``) keeps it on
the device, and without either the browser's own preference (Accept-Language) decides.
Django's ``LocaleMiddleware`` handles the signed-out case; ``PersonLanguageMiddleware``,
after authentication, puts a signed-in person's choice on top.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import translation

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest, HttpResponse

    from .models import User

ENGLISH = "en-gb"
WELSH = "cy"
# Each language named in itself, as a language switch shows it.
CHOICES = [(ENGLISH, "English"), (WELSH, "Cymraeg")]
CODES = {code for code, _ in CHOICES}


def checked(code: object) -> str:
    """A language code from outside (a form, a cookie, a stored row): one we offer, or ""."""
    return code if isinstance(code, str) and code in CODES else ""


def language_of_user(user: User) -> str:
    return checked(getattr(user, "language", ""))


class PersonLanguageMiddleware:
    """A signed-in person's chosen language wins over the device's cookie and the browser."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            code = language_of_user(user)
            if code and code != translation.get_language():
                translation.activate(code)
                request.LANGUAGE_CODE = code
        return self.get_response(request)


def remember_on_device(response: HttpResponse, code: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY, samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE, path=settings.LANGUAGE_COOKIE_PATH)


def context(request: HttpRequest) -> dict[str, object]:
    """Context processor: the language the page is in, its ``lang`` attribute, and the other
    language for the switch in the header."""
    current = WELSH if translation.get_language() == WELSH else ENGLISH
    other = ENGLISH if current == WELSH else WELSH
    return {"page_language": current,
            "page_lang_attribute": "cy" if current == WELSH else "en-GB",
            "other_language": {"code": other, "name": dict(CHOICES)[other],
                               "lang": "cy" if other == WELSH else "en-GB"}}
