"""Registration for open events by people from schools outside the programme, without an
account.

Double opt-in: a registration makes a PENDING booking, which holds no place, and emails a
link to confirm the address. Confirming (a POST, never the GET that mail scanners follow)
turns pending bookings into places or waiting places. Someone whose address is already
confirmed is booked at once. Every email carries an unsubscribe link (``List-Unsubscribe``,
one-click); unsubscribing stops all emails and cancels pending and waiting bookings.

Spam: a honeypot field (checked in the view) and rate limits per address and per
connection, counted by allauth's rate limiter in Django's cache (keys are keyed hashes,
never the address or the connection itself).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from apps.core import audit, dates
from apps.notifications.ics import build_calendar

from . import services
from .calendar import session_events
from .models import LIVE, Audience, Booking, Registrant, Session

logger = logging.getLogger(__name__)

PENDING = Booking.State.PENDING
PER_CONNECTION_PER_HOUR = 5
PER_ADDRESS_PER_DAY = 3
KEEP_AFTER_EVENT = timedelta(days=365)
KEEP_UNCONFIRMED = timedelta(days=30)



# Who may register ---------------------------------------------------------------------------

def registration_open(session: Session, now=None) -> bool:
    now = now or timezone.now()
    return (session.course.audience == Audience.EVERYONE and not session.cancelled_at
            and now <= session.booking_deadline)


def open_session(pk: int) -> Session | None:
    """The session if people outside the programme may register for it now, else None."""
    session = Session.objects.select_related("course").filter(pk=pk).first()
    return session if session is not None and registration_open(session) else None


# Rate limits --------------------------------------------------------------------------------
# allauth's own limiter, as for sign-in (sliding windows kept in Django's cache, Redis in
# production): "key" rates, keyed by a keyed hash of the connection (allauth's view of the
# client's address, as for sign-in) or of the email address, so neither is kept in the cache.
RATES = {"register_connection": f"{PER_CONNECTION_PER_HOUR}/1h/key",
         "register_address": f"{PER_ADDRESS_PER_DAY}/1d/key"}


def _keyed(value: str) -> str:
    return salted_hmac("training.public.rate", value).hexdigest()


def _allowed(request, action: str, value: str) -> bool:
    return ratelimit.consume(request, app="training", action=action, config=RATES,
                             key=_keyed(value)) is not None


def rate_limit(request, email: str) -> str | None:
    """Count one registration; the message to show if it is one too many, else None."""
    if not _allowed(request, "register_connection", ratelimit.get_ip(request) or "unknown"):
        return ("There have been too many registrations from your connection in the last "
                "hour. Try again in an hour.")
    if not _allowed(request, "register_address", email.strip().lower()):
        return ("This email address has been registered too many times today. Try again "
                "tomorrow.")
    return None


# Registering, confirming, unsubscribing ---------------------------------------------------

def normalise_email(email: str) -> str:
    return BaseUserManager.normalize_email(email.strip())


def find_registrant(email: str) -> Registrant | None:
    """The registrant with this address: a confirmed one first, then the newest."""
    return (Registrant.objects.filter(email__iexact=normalise_email(email))
            .order_by(F("confirmed_at").desc(nulls_last=True), "-created_at", "-id").first())


@dataclass
class Registration:
    registrant: Registrant
    booking: Booking
    new_booking: bool


@transaction.atomic
def register(session: Session, *, full_name: str, email: str, school_name: str) -> Registration:
    """Register for ``session``, reusing the registrant with this address. Someone unconfirmed
    (or who unsubscribed) gets a pending booking and an email to confirm; someone confirmed is
    booked (or put on the waiting list) at once. Registering again for the same session sends
    the confirmation again, or a reminder of where they stand; it never says on the page
    whether the address was known."""
    now = timezone.now()
    registrant = find_registrant(email)
    if registrant is None:
        registrant = Registrant.objects.create(email=normalise_email(email),
                                               full_name=full_name, school_name=school_name,
                                               consent_at=now)
    else:
        registrant = Registrant.objects.select_for_update().get(pk=registrant.pk)
        registrant.consent_at = now
        if registrant.unsubscribed_at:
            # They stopped our emails: only the address's owner may start them again.
            registrant.confirmed_at = None
        if registrant.confirmed_at is None:
            # Unverified details: the latest registration's are as good as any.
            registrant.full_name, registrant.school_name = full_name, school_name
        registrant.save()
    existing = session.bookings.filter(registrant=registrant,
                                       status__in=LIVE + [PENDING]).first()
    booking = existing or services.book(session, registrant=registrant)
    audit.record("training.registered", obj=session, registrant=registrant.pk,
                 booking=booking.pk, status=booking.status, again=existing is not None)
    if registrant.confirmed_at is None:
        transaction.on_commit(lambda: send_confirmation(registrant, session))
    elif existing:
        transaction.on_commit(lambda: send_outcome(existing, again=True))
    # A new booking for a confirmed registrant: services.book has told them.
    return Registration(registrant, booking, existing is None)


def registrant_for_token(token: str) -> Registrant | None:
    if not token or len(token) > 64:
        return None
    return Registrant.objects.filter(token=token).first()


def upcoming(registrant: Registrant, statuses=None):
    """Their bookings for sessions that have not started (or have no dates yet)."""
    now = timezone.now()
    bookings = (registrant.bookings.filter(status__in=statuses or LIVE + [PENDING])
                .select_related("session__course").prefetch_related("session__parts")
                .order_by("session__booking_deadline", "id"))
    return [b for b in bookings if (b.session.first_start() or now) >= now
            and not b.session.cancelled_at]


@transaction.atomic
def confirm(registrant: Registrant) -> list[Booking]:
    """The address's owner confirmed: they hear from us again, and each pending booking
    becomes a place or a waiting place (or is cancelled if its session is cancelled or has
    started). Returns the pending bookings as they now are."""
    registrant = Registrant.objects.select_for_update().get(pk=registrant.pk)
    now = timezone.now()
    registrant.confirmed_at = registrant.confirmed_at or now
    registrant.unsubscribed_at = None
    registrant.save(update_fields=["confirmed_at", "unsubscribed_at"])
    results = []
    for booking in registrant.bookings.filter(status=PENDING).select_related("session"):
        session = booking.session
        start = session.first_start()
        if session.cancelled_at or (start is not None and start <= now):
            results.append(services.cancel(booking, by=None))
            continue
        booking = services.confirm_pending(booking)
        results.append(booking)
        transaction.on_commit(partial(send_outcome, booking))
    audit.record("training.registrant_confirmed", registrant=registrant.pk,
                 bookings=[b.pk for b in results])
    return results


@transaction.atomic
def unsubscribe(registrant: Registrant, *, cancel_places: bool = False) -> list[Booking]:
    """No more emails; pending, waiting and offered bookings for sessions still to come are
    cancelled (an offer they will not hear about passes to the next person), and booked
    places too if ``cancel_places``. Returns the bookings cancelled; places past their
    cancellation deadline are kept."""
    registrant = Registrant.objects.select_for_update().get(pk=registrant.pk)
    if not registrant.unsubscribed_at:
        registrant.unsubscribed_at = timezone.now()
        registrant.save(update_fields=["unsubscribed_at"])
    statuses = [PENDING, Booking.State.WAITING, Booking.State.OFFERED]
    if cancel_places:
        statuses.append(Booking.State.BOOKED)
    cancelled = []
    for booking in upcoming(registrant, statuses):
        try:
            cancelled.append(services.cancel(booking, by=None))
        except ValidationError:
            pass  # a place past the cancellation deadline: shown on the page as kept
    audit.record("training.registrant_unsubscribed", registrant=registrant.pk,
                 cancelled=[b.pk for b in cancelled])
    return cancelled


def delete_expired(now=None) -> int:
    """Keep what the consent says: delete registrants (and their bookings) 12 months after
    their last event, and unconfirmed ones with nothing booked after 30 days. Run daily."""
    now = now or timezone.now()
    old = Registrant.objects.annotate(last=Max("bookings__session__parts__ends_at"))
    ids = set(old.filter(last__lt=now - KEEP_AFTER_EVENT).values_list("pk", flat=True))
    ids |= set(Registrant.objects.filter(confirmed_at__isnull=True,
                                         created_at__lt=now - KEEP_UNCONFIRMED)
               .exclude(bookings__status__in=LIVE).values_list("pk", flat=True))
    ids |= set(old.filter(last__isnull=True, created_at__lt=now - KEEP_AFTER_EVENT)
               .values_list("pk", flat=True))
    if ids:
        Registrant.objects.filter(pk__in=ids).delete()
        audit.record("training.registrants_deleted", count=len(ids))
    return len(ids)


# Emails -------------------------------------------------------------------------------------

def _absolute(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _when(session: Session) -> str:
    parts = list(session.parts.all())
    return "; ".join(f"{dates.date_text(p.starts_at, 'weekday')}, "
                     f"{dates.time_range_text(p.starts_at, p.ends_at)}"
                     for p in parts) or "To be confirmed"


def _where(session: Session, *, booked: bool) -> str:
    if session.mode == Session.Mode.ONLINE:
        return f"Online: {session.joining_link}" if booked and session.joining_link else \
            "Online (the joining link comes with your place)"
    return ", ".join(x for x in (session.venue, " ".join(session.address.split())) if x)


def _send(registrant: Registrant, subject: str, paragraphs: list[str], *, details=(),
          button: tuple[str, str] | None = None, ics: bytes | None = None) -> None:
    """One email, plain and HTML, with the unsubscribe link in the footer and headers."""
    subject = " ".join(subject.split())[:200]
    unsubscribe = _absolute("training:unsubscribe", registrant.token)
    context = {"subject": subject, "name": registrant.full_name, "paragraphs": paragraphs,
               "details": list(details), "button": button, "unsubscribe": unsubscribe,
               "platform_name": settings.PLATFORM_NAME}
    text = [f"Hello {registrant.full_name},", *paragraphs]
    text += [f"{label}: {value}" for label, value in details]
    if button:
        text.append(f"{button[0]}:\n{button[1]}")
    text.append(f"You are getting this because you registered for an event on the "
                f"{settings.PLATFORM_NAME}. Stop these emails: {unsubscribe}")
    mail = EmailMultiAlternatives(
        subject, "\n\n".join(text) + "\n", settings.DEFAULT_FROM_EMAIL, [registrant.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>",
                 "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
    mail.attach_alternative(render_to_string("training/public_email.html", context),
                            "text/html")
    if ics:
        mail.attach("invite.ics", ics, "text/calendar")
    try:
        mail.send()
    except Exception:
        logger.exception("Could not email registrant %s", registrant.pk)


def send_confirmation(registrant: Registrant, session: Session) -> None:
    registrant.refresh_from_db()
    _send(registrant, f"Confirm your email address: {session.label}", [
        f"You (or someone using this email address) registered for {session.label}.",
        "Confirm your email address to take your place. Until you do, we do not hold a "
        "place for you. If you did not register, ignore this email: nothing is booked.",
    ], details=[("When (UK time)", _when(session)), ("Where", _where(session, booked=False))],
        button=("Confirm your email address", _absolute("training:confirm", registrant.token)))


def send_outcome(booking: Booking, *, again: bool = False) -> None:
    """Where a confirmed booking stands: a place (with the joining details and a calendar
    invitation) or a place on the waiting list."""
    booking = Booking.objects.select_related("session__course", "registrant").get(pk=booking.pk)
    registrant, session = booking.registrant, booking.session
    if registrant is None or registrant.unsubscribed_at:
        return
    first = "You are already registered for this event. " if again else ""
    details = [("When (UK time)", _when(session))]
    ics = None
    if booking.status == Booking.State.BOOKED:
        subject = f"Booked: {session.label}"
        lines = [first + "You have a place."]
        details.append(("Where", _where(session, booked=True)))
        events = session_events(session)
        ics = build_calendar(events, method="REQUEST") if events else None
    elif booking.status == Booking.State.OFFERED:
        subject = f"A place is free: {session.label}"
        lines = [first + "A place has come free for you. Contact the programme team to take "
                 "it."]
    elif booking.status == Booking.State.WAITING:
        ahead = session.bookings.filter(status=Booking.State.WAITING,
                                        position__lt=booking.position).count()
        subject = f"Waiting list: {session.label}"
        lines = [first + f"The session is full. You are number {ahead + 1} on the waiting "
                 "list; if a place comes free we will email you."]
    else:
        return
    _send(registrant, subject, lines, details=details, ics=ics,
          button=("See the event", _absolute("training:session", session.pk)))
