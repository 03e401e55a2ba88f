"""Messages about bookings: to account holders through notifications (digest-aware), to
registrants without an account by email with an unsubscribe link."""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from apps.notifications import services as notifications
from apps.notifications.ics import build_calendar

from .calendar import session_events
from .models import Booking, Session


def _ics(booking: Booking) -> bytes | None:
    person = booking.user
    events = session_events(booking.session, [person] if person else [])
    if not events:
        return None
    cancelled = booking.session.cancelled_at or booking.status == Booking.State.CANCELLED
    if cancelled:
        events = [replace(e, cancelled=True) for e in events]
    return build_calendar(events, method="CANCEL" if cancelled else "REQUEST")


def booking_message(booking: Booking, subject: str, message: str, *, ics: bool = False):
    booking = Booking.objects.select_related("session__course", "user", "registrant").get(
        pk=booking.pk)
    url = reverse("training:session", args=[booking.session_id])
    attachment = _ics(booking) if ics else None
    if booking.user_id:
        notifications.notify([booking.user], kind="training.booking", subject=subject,
                             message=message, url=url, ics=attachment)
        return
    registrant = booking.registrant
    assert registrant is not None  # a booking is for a user or a registrant
    if registrant.unsubscribed_at:
        return
    unsubscribe = settings.SITE_URL + reverse("training:unsubscribe", args=[registrant.token])
    session = booking.session
    if booking.status == Booking.State.BOOKED and not session.cancelled_at:
        where = (f"Join online: {session.joining_link}" if session.mode == Session.Mode.ONLINE
                 else f"Venue: {session.venue}\n{session.address}")
        message = f"{message}\n\n{where}"
    body = (f"{message}\n\n{settings.SITE_URL}{url}\n\nYou are receiving this because you "
            f"registered for this event. Cancel your place or stop these emails: "
            f"{unsubscribe}\n")
    mail = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL,
                                  [registrant.email],
                                  headers={"List-Unsubscribe": f"<{unsubscribe}>",
                                           "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
    if attachment:
        mail.attach("invite.ics", attachment, "text/calendar")
    mail.send(fail_silently=True)
