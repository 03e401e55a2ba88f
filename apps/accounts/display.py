"""Display settings: text size, colours and spacing of every page, chosen by the person.

Signed in, the choice is kept on the person (``User.display_*``); signed out, in a cookie on
the device. The base template puts classes on ``<html>`` from the choice
(``pr-text-150 pr-theme-dark pr-spacing-wide``), so the page is drawn in the chosen way
from the first byte, with no JavaScript. The styles are in frontend/scss/_display.scss.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from .models import User

COOKIE = "pr_display"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60

TEXT_SIZES = [(100, "100% (standard)"), (125, "125%"), (150, "150%"), (175, "175%"),
              (200, "200%")]
COLOURS = [("standard", "Standard"),
           ("contrast", "High contrast: white and yellow text on black"),
           ("dark", "Dark: light text on a dark grey background")]
SPACINGS = [("standard", "Standard"),
            ("wide", "Wider spacing between letters, words, lines and paragraphs "
                     "(can help with dyslexia)")]


@dataclass(frozen=True)
class Display:
    text_size: int = 100
    colours: str = "standard"
    spacing: str = "standard"

    @classmethod
    def checked(cls, text_size: object, colours: object, spacing: object) -> Display:
        """A choice from outside (a cookie, a stored row): anything unknown is standard."""
        sizes = {size for size, _ in TEXT_SIZES}
        return cls(
            text_size=text_size if isinstance(text_size, int) and text_size in sizes else 100,
            colours=colours if colours in dict(COLOURS) else "standard",
            spacing=spacing if spacing in dict(SPACINGS) else "standard")

    @property
    def classes(self) -> str:
        """Classes for ``<html>``; empty when everything is standard."""
        parts = []
        if self.text_size != 100:
            parts.append(f"pr-text-{self.text_size}")
        if self.colours != "standard":
            parts.append(f"pr-theme-{self.colours}")
        if self.spacing != "standard":
            parts.append(f"pr-spacing-{self.spacing}")
        return " ".join(parts)

    @property
    def is_standard(self) -> bool:
        return self == Display()

    def cookie_value(self) -> str:
        return f"{self.text_size}.{self.colours}.{self.spacing}"

    @classmethod
    def from_cookie(cls, value: str | None) -> Display:
        parts = (value or "").split(".")
        if len(parts) != 3:
            return cls()
        size = int(parts[0]) if parts[0].isdigit() else 0
        return cls.checked(size, parts[1], parts[2])


def display_of_user(user: User) -> Display:
    return Display.checked(user.display_text_size, user.display_colours, user.display_spacing)


def current_display(request: HttpRequest) -> Display:
    """The person's choice when signed in, otherwise the device's cookie."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return display_of_user(user)
    return Display.from_cookie(request.COOKIES.get(COOKIE))


def remember_on_device(response: HttpResponse, display: Display) -> None:
    """Signed out: the choice lives in a cookie (only the three values, nothing personal).
    Choosing everything standard removes it."""
    from django.conf import settings

    if display.is_standard:
        response.delete_cookie(COOKIE, samesite="Lax")
        return
    response.set_cookie(COOKIE, display.cookie_value(), max_age=COOKIE_MAX_AGE,
                        httponly=True, samesite="Lax",
                        secure=getattr(settings, "SESSION_COOKIE_SECURE", False))


def context(request: HttpRequest) -> dict[str, str]:
    """Context processor: ``display_classes`` for the base template's ``<html>``."""
    return {"display_classes": current_display(request).classes}
