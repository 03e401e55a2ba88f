"""The demo's national meetings (called by ``load_demo``): this school year's series, with
the autumn meeting held (people booked from inside the programme, a registrant from a school
outside it, and its recording and slides published) and the spring and summer meetings to
come. Every name, link and word is invented."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from apps.accounts.models import User
from apps.demo import cycles
from apps.demo.clock import at, moment
from apps.demo.programme import person
from apps.training import meetings
from apps.training import services as training
from apps.training.models import Booking, MeetingSeries, Registrant, Session


def load_meetings_demo(core: User, today: date, *, slides: bytes) -> MeetingSeries:
    start_year = today.year if today.month >= 9 else today.year - 1
    autumn = cycles.school_day(today - timedelta(days=24))
    spring = cycles.school_day(today + timedelta(days=75), 1)
    summer = cycles.school_day(today + timedelta(days=170), 1)
    plans = [meetings.MeetingPlan(term, moment(day, 15, 45), moment(day, 17, 0))
             for term, day in (("Autumn", autumn), ("Spring", spring), ("Summer", summer))]
    with at(autumn - timedelta(days=30)):
        series = meetings.create_series(
            by=core, title=f"National meetings {start_year} to {start_year + 1}",
            start_year=start_year,
            summary="An hour each term with schools practising peer review across the "
                    "country: what partnerships are learning, and time to talk in small "
                    "groups. (Fictional demo series.)",
            meetings=plans, mode="online", joining_link="https://meet.example/national-termly",
            capacity=300)
        held = Session.objects.get(course__series=series, course__series_position=1)
        for local in ("head.brambleford", "head.larkspur", "head.fernbrook",
                      "lead.brambleford"):
            training.book(held, user=person(local), by=person(local))
        visitor = Registrant.objects.create(
            email="head@copperbeech.example", full_name="Ingrid Talbot-Nash",
            school_name="Copper Beech Primary (fictional)", consent_at=timezone.now(),
            confirmed_at=timezone.now())
        Booking.objects.create(session=held, registrant=visitor, status=Booking.State.BOOKED)
    with at(autumn + timedelta(days=2)):
        meetings.publish_materials(
            held, by=core, recording_url="https://video.example/national-autumn-demo",
            slides_title="Autumn meeting: what partnerships learned this term",
            upload=("autumn-national-meeting.pdf", "application/pdf", slides),
            recording_to_registrants=True)
    # Two heads have booked the spring meeting already.
    coming = Session.objects.get(course__series=series, course__series_position=2)
    with at(today - timedelta(days=3)):
        for local in ("head.seabright", "head.northvale"):
            training.book(coming, user=person(local), by=person(local))
    return series
