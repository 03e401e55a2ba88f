"""What home says about the alumni programme follows the partnership's actual membership: a
school whose partnership is an alumni member is told so (and never that it "can join"), and
a national meeting the person already has a place at shows "Booked" (walkthrough of 7 Dec
2026, item 4)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.alumni import selectors
from apps.partnerships.models import AlumniMembership
from apps.training.models import Booking, Course, Session, SessionPart

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _member(world, **dates):
    return AlumniMembership.objects.create(
        partnership=world.gamma, status=AlumniMembership.State.APPROVED,
        starts_on=dates.get("starts_on", TODAY - timedelta(days=30)),
        ends_on=dates.get("ends_on", date(TODAY.year + 1, 8, 31)), reason="Keep reviewing")


def test_a_school_whose_partnership_is_a_member_is_told_so_not_that_it_can_join(
        world, client_for):
    head = client_for("alumnus")
    assert "G1 School can join the alumni programme" in head.get("/").content.decode()
    m = _member(world)
    assert not selectors.requestable_schools(world.people["alumnus"]).exists()
    page = head.get("/").content.decode()
    assert "can join the alumni programme" not in page
    assert (f"G1 School is an alumni member through Gamma Partnership until "
            f"{m.ends_on:%-d %B %Y}.") in page
    assert reverse("alumni:detail", args=[m.pk]) in page


def test_an_ended_partnership_membership_lets_the_school_ask_again(world, client_for):
    _member(world, starts_on=TODAY - timedelta(days=400), ends_on=TODAY - timedelta(days=5))
    assert selectors.memberships_through_partnership(world.people["alumnus"]) == []
    assert "G1 School can join the alumni programme" in \
        client_for("alumnus").get("/").content.decode()


def test_a_booked_national_meeting_shows_booked_not_book(world, client_for):
    course = Course.objects.create(kind="national_meeting", title="Spring national meeting",
                                   audience="alumni")
    start = timezone.now() + timedelta(days=50)
    session = Session.objects.create(course=course, capacity=80, mode="online",
                                     joining_link="https://meet.example/n",
                                     booking_deadline=start - timedelta(days=1))
    SessionPart.objects.create(session=session, starts_at=start,
                               ends_at=start + timedelta(hours=3))
    head = client_for("alumnus")
    link = (f'<a class="govuk-link" href="{reverse("training:session", args=[session.pk])}">'
            f"Spring national meeting, {timezone.localtime(start):%-d %B %Y}</a>")
    page = head.get("/").content.decode()
    assert f">Book</strong> {link}" in page
    Booking.objects.create(session=session, user=world.people["alumnus"], status="booked")
    page = head.get("/").content.decode()
    assert f">Booked</strong> {link}" in page and f">Book</strong> {link}" not in page
    # Its page offers to cancel the place.
    assert "Cancel my booking" in head.get(
        reverse("training:session", args=[session.pk])).content.decode()


def test_the_alumni_page_does_not_promise_a_usual_length(world, client_for):
    """Memberships run between the dates the core team sets (the demo's renewal runs two
    years), so the page does not say "usually a year" (walkthrough of 7 Dec 2026, evening,
    fixed claim 4); it gives the renewal window from the rule itself."""
    page = client_for("alumnus").get(reverse("alumni:index")).content.decode()
    assert "usually" not in page
    assert f"in the {selectors.RENEWAL_WINDOW.days} days before it ends" in page
