"""Pages for everyone, signed in or not: the start page a signed-out visitor sees at ``/``,
the privacy notice, the accessibility statement and the cookies page (linked from the footer
of every page).

The cookies page lists the cookies the service sets, from the settings that name them, so a
renamed cookie is renamed on the page too (tests/… reads the cookies a browser is given and
looks for each on the page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.messages.storage.cookie import CookieStorage
from django.db.models import Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from apps.accounts.display import COOKIE as DISPLAY_COOKIE
from apps.accounts.display import COOKIE_MAX_AGE as DISPLAY_COOKIE_MAX_AGE
from apps.training.models import Session
from apps.training.rules import course_audiences

UPCOMING_EVENTS = 3  # open events the start page lists
# The accessibility statement's dates (change them when the service is checked again).
STATEMENT_PREPARED = date(2026, 12, 7)
STATEMENT_REVIEWED = date(2026, 12, 7)


@dataclass(frozen=True)
class Cookie:
    name: str
    purpose: str
    expires: str
    when: str  # when it is set


def _duration(seconds: int) -> str:
    days = seconds // 86400
    if days >= 365 and days % 365 < 7:
        years = days // 365
        return ngettext("%(count)s year", "%(count)s years", years) % {"count": years}
    if days % 7 == 0 and days >= 7:
        weeks = days // 7
        return ngettext("%(count)s week", "%(count)s weeks", weeks) % {"count": weeks}
    return ngettext("%(count)s day", "%(count)s days", days) % {"count": days}


def cookies() -> list[Cookie]:
    """The cookies this service sets, in the order a visitor meets them."""
    session_length = _duration(settings.SESSION_COOKIE_AGE)
    idle = int(settings.SESSION_IDLE_MINUTES)
    idle_words = (ngettext("%(count)s hour", "%(count)s hours", idle // 60) % {"count": idle // 60}
                  if idle % 60 == 0 and idle >= 120
                  else ngettext("%(count)s minute", "%(count)s minutes", idle) % {"count": idle})
    return [
        Cookie(settings.CSRF_COOKIE_NAME,
               _("Protects the forms you send from being sent by another website pretending "
                 "to be you."),
               _duration(settings.CSRF_COOKIE_AGE),
               _("When you open a page with a form, such as the sign-in page")),
        Cookie(settings.SESSION_COOKIE_NAME,
               _("Keeps you signed in as you move from page to page. It holds a random "
                 "reference, not your name or email address."),
               _("When you sign out or close your browser, or after %(idle)s without "
                 "using the service (less for programme roles). If you tick \"Keep me signed "
                 "in on this device\", at most %(longest)s")
               % {"idle": idle_words, "longest": session_length},
               _("When you sign in")),
        Cookie(CookieStorage.cookie_name,
               _("Carries a short message to the next page you see, such as \"Your message "
                 "has been sent\"."),
               _("When you close your browser; it is removed as soon as the message is shown"),
               _("After you send a form that shows a confirmation")),
        Cookie(settings.LANGUAGE_COOKIE_NAME,
               _("Remembers whether you chose to see the service in Welsh or English, so "
                 "pages are in that language on this device when you are not signed in. It "
                 "holds only the language."),
               _duration(settings.LANGUAGE_COOKIE_AGE),
               _("Only when you change the language while signed out")),
        Cookie(DISPLAY_COOKIE,
               _("Remembers the text size, colours and spacing you chose on the Display "
                 "page, so pages look that way on this device when you are not signed in. It "
                 "holds only those three choices."),
               _duration(DISPLAY_COOKIE_MAX_AGE),
               _("Only when you save display settings while signed out")),
    ]


def _open_events(request: HttpRequest) -> list[Session]:
    """The next few sessions anyone may come to (a national meeting, an open event)."""
    return list(Session.objects.filter(
        cancelled_at__isnull=True, course__audience__in=course_audiences(request.user))
        .annotate(starts=Min("parts__starts_at")).filter(starts__gte=timezone.now())
        .select_related("course").order_by("starts", "pk")[:UPCOMING_EVENTS])


def start(request: HttpRequest) -> HttpResponse:
    """What the service is, for someone who is not signed in (``/`` when signed out)."""
    return render(request, "home/public/start.html", {"events": _open_events(request)})


@login_not_required
@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "home/public/privacy.html", {
        "evidence_years": settings.EVIDENCE_NOTE_RETENTION_YEARS,
        "audit_years": settings.AUDIT_RETENTION_YEARS})


@login_not_required
@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    idle = settings.SESSION_IDLE_MINUTES
    short = settings.SESSION_IDLE_MINUTES_PRIVILEGED
    return render(request, "home/public/accessibility.html", {
        "prepared": STATEMENT_PREPARED, "reviewed": STATEMENT_REVIEWED,
        "idle_hours": int(idle // 60) if idle >= 120 else None, "idle_minutes": int(idle),
        "short_minutes": int(short),
        "warning_minutes": max(1, settings.SESSION_IDLE_WARNING_SECONDS // 60)})


@login_not_required
@require_safe
def cookies_page(request: HttpRequest) -> HttpResponse:
    return render(request, "home/public/cookies.html", {"cookies": cookies()})
