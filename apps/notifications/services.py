"""Telling people what happened: notifications, emails, digests, reminders and calendar feeds.

A scheduler (cron, once a day, early morning) runs two management commands::

    python manage.py send_reminders   # reminders 10 and 2 working days before events
    python manage.py send_digests     # one summary email for people who chose a daily digest

(the same work is offered as tasks in ``tasks.py``). Both are safe to run more than once a
day: reminders are recorded in ``ReminderSent`` and digested notifications are marked
emailed.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, timedelta
from email.mime.text import MIMEText
from functools import partial
from importlib import import_module
from itertools import groupby
from types import ModuleType
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from apps.core import audit, dates

from .ics import build_calendar, method_of, split_calendars
from .models import CalendarToken, Notification, NotificationPreference, ReminderSent

if TYPE_CHECKING:
    from apps.accounts.models import User

logger = logging.getLogger("peerreview.notifications")

Delivery = NotificationPreference.Delivery
REMINDER_WORKING_DAYS = (10, 2)


# Notifications and email -----------------------------------------------------------------

def notify(recipients: Iterable[User | None], *, kind: str, subject: str, message: str,
           url: str = "", ics: bytes | list[bytes] | None = None, actor: User | None = None,
           coalesce: bool = False) -> list[Notification]:
    """Tell each distinct active recipient (never ``actor`` themself) what happened.

    People who chose immediate delivery are emailed once the current transaction commits (a
    failed email is logged and never undoes the caller's work); people who chose the daily
    digest get it in tomorrow's summary. ``url`` is a path on this site; ``ics`` an invitation
    from ``ics.build_calendar``, attached as invite.ics (or a list of them, one file each).

    With ``coalesce``, a person's unread notification of the same kind about the same page is
    brought up to date and moved to the top instead of adding another: three edits of one
    review's dates leave one unread "dates changed", not one per edit (an email still goes
    with each change to those who get them at once, so calendars stay right)."""
    actor_pk = getattr(actor, "pk", None)
    people: dict[int, User] = {}
    for person in recipients:
        if person is None or not person.is_active or (actor_pk and person.pk == actor_pk):
            continue
        people.setdefault(person.pk, person)
    if not people:
        return []
    daily = set(NotificationPreference.objects.filter(user_id__in=people, delivery=Delivery.DAILY)
                .values_list("user_id", flat=True))
    subject = " ".join(subject.split())[:200]
    ics_text = "".join(c.decode("utf-8") for c in ([ics] if isinstance(ics, bytes) else
                                                     ics or []))
    notes = _bring_up_to_date(people, daily, kind=kind, subject=subject, message=message,
                              url=url, ics=ics_text) if coalesce and url else []
    done = {n.user_id for n in notes}
    notes += Notification.objects.bulk_create([
        Notification(user=person, kind=kind, subject=subject, body=message, url=url,
                     ics=ics_text, digest=person.pk in daily)
        for person in people.values() if person.pk not in done])
    immediate = [n.pk for n in notes if not n.digest]
    if immediate:
        transaction.on_commit(partial(_email_now, immediate))
    return notes


def _bring_up_to_date(people: dict[int, User], daily: set[int], *, kind: str, subject: str,
                      message: str, url: str, ics: str) -> list[Notification]:
    """The unread notifications of ``kind`` about ``url``, one per person, rewritten."""
    latest: dict[int, Notification] = {}
    for note in Notification.objects.filter(user_id__in=people, kind=kind, url=url,
                                            read_at__isnull=True).order_by("created_at", "pk"):
        latest[note.user_id] = note
    now = timezone.now()
    for note in latest.values():
        note.subject, note.body, note.ics, note.created_at = subject, message, ics, now
        note.digest, note.emailed_at = note.user_id in daily, None
    Notification.objects.bulk_update(
        latest.values(), ["subject", "body", "ics", "created_at", "digest", "emailed_at"])
    return list(latest.values())


def notify_each(messages: Iterable[tuple[User | None, str, str, str, str]]
                ) -> list[Notification]:
    """Many people, each with their own message, in a fixed number of queries (for batch
    jobs): ``messages`` holds ``(person, kind, subject, message, url)``. Delivery as for
    ``notify``; inactive people are skipped."""
    live = [(person, kind, subject, message, url)
            for person, kind, subject, message, url in messages
            if person is not None and person.is_active]
    if not live:
        return []
    daily = set(NotificationPreference.objects.filter(
        user_id__in={m[0].pk for m in live}, delivery=Delivery.DAILY)
        .values_list("user_id", flat=True))
    notes = Notification.objects.bulk_create([
        Notification(user=person, kind=kind, subject=" ".join(subject.split())[:200],
                     body=message, url=url, digest=person.pk in daily)
        for person, kind, subject, message, url in live])
    immediate = [n.pk for n in notes if not n.digest]
    if immediate:
        transaction.on_commit(partial(_email_now, immediate))
    return notes


def _absolute(path: str) -> str:
    return settings.SITE_URL + path if path else ""


def _ics_part(filename: str, ics: str) -> MIMEText:
    part = MIMEText(ics, "calendar", "utf-8")
    method = method_of(ics)
    if method:
        part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


def _email(user: User, subject: str, template: str, context: dict[str, Any],
           invitations: list[str]) -> EmailMultiAlternatives:
    context = {"user": user, "platform_name": settings.PLATFORM_NAME, "subject": subject,
               "settings_link": _absolute(reverse("notifications:settings")), **context}
    message = EmailMultiAlternatives(
        subject, render_to_string(f"notifications/email/{template}.txt", context), to=[user.email])
    message.attach_alternative(render_to_string(f"notifications/email/{template}.html", context),
                               "text/html")
    for number, ics in enumerate(invitations, 1):
        name = "invite.ics" if len(invitations) == 1 else f"invite-{number}.ics"
        message.attach(_ics_part(name, ics))
    return message


def _email_now(ids: list[int]) -> None:
    for note in Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).select_related(
            "user"):
        try:
            _email(note.user, note.subject, "notification",
                   {"notification": note, "link": _absolute(note.url)},
                   split_calendars(note.ics)).send()
        except Exception:
            logger.exception("Could not email notification %s to user %s", note.pk,
                             note.user_id)
            continue
        note.emailed_at = timezone.now()
        note.save(update_fields=["emailed_at"])


def send_digests(now: datetime | None = None) -> int:
    """Email each person with daily delivery one summary of their waiting notifications (with
    any calendar invitations attached) and mark them emailed. Returns the emails sent; a person
    whose email fails keeps their notifications for the next run."""
    now = now or timezone.now()
    waiting = (Notification.objects.filter(digest=True, emailed_at__isnull=True,
                                           created_at__lte=now, user__is_active=True)
               .select_related("user").order_by("user_id", "created_at", "pk"))
    sent = 0
    for _, group in groupby(waiting, key=lambda n: n.user_id):
        notes = list(group)
        user = notes[0].user
        subject = (f"Your daily summary from the {settings.PLATFORM_NAME}: {len(notes)} "
                   f"update{'s' if len(notes) != 1 else ''}")
        items = [{"notification": n, "link": _absolute(n.url)} for n in notes]
        invitations = [c for n in notes for c in split_calendars(n.ics)]
        try:
            _email(user, subject, "digest", {"items": items, "has_invitations": bool(invitations)},
                   invitations).send()
        except Exception:
            logger.exception("Could not email the digest to user %s", user.pk)
            continue
        Notification.objects.filter(pk__in=[n.pk for n in notes]).update(emailed_at=now)
        sent += 1
    return sent


def delivery_for(user: User) -> str:
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference.delivery if preference else Delivery.IMMEDIATE


def set_delivery(user: User, delivery: str) -> NotificationPreference:
    if delivery not in Delivery.values:
        raise ValueError(f"Unknown delivery {delivery!r}")
    preference, _ = NotificationPreference.objects.update_or_create(
        user=user, defaults={"delivery": delivery})
    return preference


def mark_read(user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the person's notifications ``ids`` (all of them if None) read."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


def mark_dealt_with(*, kind: str, url: str, users: Iterable[User] | None = None) -> int:
    """Once the step a notification asked for is done, mark every unread notification of
    ``kind`` about the page ``url`` read (only those of ``users`` if given), so nobody keeps an
    unread "Report ready for your check" for a report already agreed. Returns how many."""
    unread = Notification.objects.filter(kind=kind, url=url, read_at__isnull=True)
    if users is not None:
        unread = unread.filter(user__in=[u.pk for u in users])
    return unread.update(read_at=timezone.now())


# Reminders --------------------------------------------------------------------------------

def calendar_providers() -> list[ModuleType]:
    """The modules in ``settings.CALENDAR_PROVIDERS`` (see ``events.py``)."""
    return [import_module(path) for path in settings.CALENDAR_PROVIDERS]


def working_days_between(start: date, end: date) -> int:
    """Working days (Monday to Friday) after ``start`` up to and including ``end``. Bank
    holidays and school holidays are not known here and count as working days."""
    return sum(1 for n in range(1, (end - start).days + 1)
               if (start + timedelta(days=n)).weekday() < 5)


def add_working_days(start: date, days: int) -> date:
    day = start
    while days > 0:
        day += timedelta(days=1)
        days -= day.weekday() < 5
    return day


def _local_date(value: date | datetime) -> date:
    return timezone.localtime(value).date() if isinstance(value, datetime) else value


def _when(value: date | datetime) -> str:
    if isinstance(value, datetime):
        return dates.datetime_text(value, "weekday")
    return dates.date_text(value, "weekday")


def send_reminders(today: date | None = None) -> int:
    """Remind every attendee of each event (not cancelled, ``remind`` set) exactly when it is
    10 and 2 working days ahead. Working days are Monday to Friday; bank holidays are ignored
    (counted as working days). An event on a Saturday or Sunday counts the Friday before as
    its last working day, and a run on a weekend sees the same count as the Friday before, so
    runs every day or on weekdays only both work. Each (event, person, days, date) is sent
    once. Returns the reminders sent."""
    today = today or timezone.localdate()
    start = today + timedelta(days=1)
    end = add_working_days(today, max(REMINDER_WORKING_DAYS) + 1) - timedelta(days=1)
    sent = 0
    for provider in calendar_providers():
        for event in provider.events_between(start, end):
            if event.cancelled or not event.remind:
                continue
            on = _local_date(event.start)
            days = working_days_between(today, on)
            if on <= today or days not in REMINDER_WORKING_DAYS:
                continue
            where = f" at {event.location}" if event.location else ""
            message = f"{event.summary} is on {_when(event.start)}{where}, in {days} working days."
            for person in event.attendees:
                if not person.is_active:
                    continue
                with transaction.atomic():
                    _, created = ReminderSent.objects.get_or_create(
                        uid=event.uid, user=person, days_before=days, event_date=on)
                    if created:
                        notify([person], kind="reminder", url=event.url, message=message,
                               subject=f"Reminder: {event.summary}, {_when(event.start)}")
                        sent += 1
    return sent


# Calendar feeds ---------------------------------------------------------------------------

def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def calendar_token_for(user: User) -> str:
    """Make a new calendar-feed secret for ``user`` (ending any earlier one) and return it.
    Only its hash is stored: this is the one time it can be shown."""
    revoke_calendar_tokens(user)
    secret = secrets.token_urlsafe(32)
    token = CalendarToken.objects.create(user=user, token_hash=_hash(secret))
    audit.record("calendar_feed.created", actor=user, obj=token)
    return secret


@transaction.atomic
def revoke_calendar_tokens(user: User) -> int:
    live = list(CalendarToken.objects.select_for_update().filter(user=user,
                                                                revoked_at__isnull=True))
    CalendarToken.objects.filter(pk__in=[t.pk for t in live]).update(revoked_at=timezone.now())
    for token in live:
        audit.record("calendar_feed.revoked", actor=user, obj=token)
    return len(live)


def user_for_calendar_token(secret: str) -> User | None:
    """The active person whose live feed secret this is, or None. Looked up by its SHA-256
    hash, so the comparison reveals nothing about stored secrets."""
    if not secret or len(secret) > 100:
        return None
    token = (CalendarToken.objects.filter(token_hash=_hash(secret), revoked_at__isnull=True,
                                          user__is_active=True)
             .select_related("user").first())
    return token.user if token else None


def calendar_feed(user: User) -> bytes:
    """The person's events from every provider, as an iCalendar feed. Only the summary, dates,
    location and a link to the site go in: the address is a bearer secret that calendar
    services store and fetch, so descriptions and attendees stay out."""
    events = [replace(e, description="", attendees=[])
              for provider in calendar_providers() for e in provider.events_for_user(user)]
    return build_calendar(events, method="PUBLISH", name=settings.PLATFORM_NAME)
