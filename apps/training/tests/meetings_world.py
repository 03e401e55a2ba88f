"""A national meeting series for tests: a first meeting (open to all schools) and a second
(schools in the programme and alumni), both held, both with a recording and slides carrying
unique markers. ``norole`` (no school) had a place at the second; a confirmed registrant
from outside the programme had a place at the first."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.utils import timezone

from apps.training import models as t
from apps.training.rules import meeting_audience

TINY_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
FIRST_MARK = "SLIDES-MARK-FIRST-7f3a"
SECOND_MARK = "SLIDES-MARK-SECOND-91c2"
FIRST_LINK = "https://video.example/rec-first-5d1e"
SECOND_LINK = "https://video.example/rec-second-c08b"


def meeting(w, position: int, *, days_ago: int, mark: str = "", link: str = "",
            series=None):
    now = timezone.now()
    course = t.Course.objects.create(kind="national_meeting", series=series,
                                     series_position=position,
                                     title=f"Test series: meeting {position}",
                                     audience=meeting_audience(position))
    session = t.Session.objects.create(course=course, capacity=50, mode="online",
                                       title=f"Term {position}",
                                       joining_link="https://meet.example/national",
                                       booking_deadline=now - timedelta(days=days_ago + 1))
    t.SessionPart.objects.create(session=session, starts_at=now - timedelta(days=days_ago),
                                 ends_at=now - timedelta(days=days_ago, hours=-2))
    if mark:
        t.MeetingMaterials.objects.create(
            session=session, recording_url=link, slides_title=mark,
            slides=ContentFile(TINY_PDF + mark.encode(), name="slides.pdf"),
            slides_filename="slides.pdf", slides_content_type="application/pdf",
            slides_size=len(TINY_PDF), published_at=now, changed_at=now)
    return session


def meetings_world(w) -> SimpleNamespace:
    """Built once per world (the matrix rows call it for their URLs)."""
    existing = getattr(w, "meetings", None)
    if existing is not None:
        return existing
    series = t.MeetingSeries.objects.create(title="Test national meetings", start_year=2026)
    first = meeting(w, 1, days_ago=60, mark=FIRST_MARK, link=FIRST_LINK, series=series)
    second = meeting(w, 2, days_ago=10, mark=SECOND_MARK, link=SECOND_LINK, series=series)
    t.Booking.objects.create(session=second, user=w.people["norole"], status="booked")
    registrant = t.Registrant.objects.create(email="visitor2@school.example",
                                             full_name="Visiting Deputy",
                                             consent_at=timezone.now(),
                                             confirmed_at=timezone.now())
    t.Booking.objects.create(session=first, registrant=registrant, status="booked")
    w.meetings = SimpleNamespace(series=series, first=first, second=second,
                                 registrant=registrant)
    return w.meetings
