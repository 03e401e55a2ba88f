"""A session that has started is over for booking: nothing about it can be booked, cancelled,
changed or moved (the buttons are gone and a write sent anyway is refused with nothing
changed), and its page shows it as held. Its trainers and the core team see who is booked,
waiting and attended, with their schools; nobody else does (walkthrough of 7 Dec 2026, items
3 and 6)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role
from apps.training import services
from apps.training.models import Booking, Session, SessionPart
from conftest import PERSONAS
from tests.factories import RoleFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db
Attendance = Booking.Attendance


def _session(world, days: int, capacity: int = 16, **extra) -> Session:
    """A session of ``world.course`` (for schools in the programme), trained by ``trainer``,
    starting ``days`` from now (negative: in the past)."""
    start = timezone.now() + timedelta(days=days)
    session = Session.objects.create(course=world.course, capacity=capacity, mode="online",
                                     joining_link="https://meet.example/t",
                                     booking_deadline=start - timedelta(days=2), **extra)
    SessionPart.objects.create(session=session, starts_at=start,
                               ends_at=start + timedelta(hours=3))
    session.trainers.add(world.people["trainer"])
    return session


@pytest.fixture
def held(world):
    """Held a month ago: staff attended (certificate), leader was absent, reviewer2 stayed on
    the waiting list; head booked staff's place."""
    session = _session(world, -30)
    Booking.objects.create(session=session, user=world.people["staff"], status="booked",
                           booked_by=world.people["head"], attendance=Attendance.PRESENT,
                           completed_at=timezone.now(), certificate_number="PR-HELD-1")
    Booking.objects.create(session=session, user=world.people["leader"], status="booked",
                           attendance=Attendance.ABSENT)
    Booking.objects.create(session=session, user=world.people["reviewer2"], status="waiting",
                           position=1)
    return session


def _page(client, session) -> str:
    response = client.get(reverse("training:session", args=[session.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_held_session_shows_what_happened_not_places_or_a_deadline(world, client_for, held):
    page = _page(client_for("staff"), held)
    assert f"Held on {held.first_start():%-d %B %Y}, 1 attended" in page
    assert "left" not in page and "Booking closes" not in page
    assert "You attended: certificate PR-HELD-1." in page
    for offer in ("Book a place", "Join the waiting list", "Cancel my booking",
                  "Leave the waiting list"):
        assert offer not in page
    waiting = _page(client_for("reviewer2"), held)
    assert "no place came free" in waiting and "Leave the waiting list" not in waiting
    # The head who booked staff's place sees how it went, with no cancel button.
    booker = _page(client_for("head"), held)
    assert f"{world.people['staff'].display_name} – present" in booker
    assert "booking_cancel" not in booker and "/cancel/" not in booker


def test_a_booking_on_a_held_session_cannot_be_cancelled(world, client_for, held):
    waiting = held.bookings.get(user=world.people["reviewer2"])
    response = client_for("reviewer2").post(
        reverse("training:booking_cancel", args=[waiting.pk]), follow=True)
    assert "This session has started, so its bookings can no longer be cancelled" in \
        response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Booking.State.WAITING
    place = held.bookings.get(user=world.people["staff"])
    client_for("core").post(reverse("training:booking_cancel", args=[place.pk]))
    place.refresh_from_db()
    assert place.status == Booking.State.BOOKED


def test_the_core_team_cannot_change_or_cancel_a_held_session(world, client_for, held):
    core = client_for("core")
    page = _page(core, held)
    for link in ("Change the session", "Cancel the session", "Places and waiting list"):
        assert link not in page
    edit = reverse("training:session_edit", args=[held.pk])
    cancel = reverse("training:session_cancel", args=[held.pk])
    assert core.get(edit).status_code == 403
    assert core.post(edit, {"title": "Renamed", "capacity": 1}).status_code == 403
    assert core.get(cancel).status_code == 403
    assert core.post(cancel, {"reason": "Snow"}).status_code == 403
    held.refresh_from_db()
    assert (held.title, held.capacity, held.cancelled_at) == ("", 16, None)
    # The services refuse too, whoever calls them.
    with pytest.raises(services.ValidationError, match="has started"):
        services.cancel_session(held, by=world.people["core"], reason="Snow")
    with pytest.raises(services.ValidationError, match="has started"):
        services.update_session(held, by=world.people["core"], capacity=20)


def test_the_waiting_list_of_a_held_session_is_closed(world, client_for, held):
    core = client_for("core")
    url = reverse("training:waiting_list", args=[held.pk])
    page = core.get(url).content.decode()
    assert "kept as they were" in page and "Give a place" not in page
    waiting = held.bookings.get(user=world.people["reviewer2"])
    assert core.post(url, {"booking": waiting.pk, "do": "give"}).status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == Booking.State.WAITING


def test_a_trainer_is_not_offered_a_place_on_their_own_session(world, client_for):
    # head is in the course's audience, and trains this full session.
    session = _session(world, 20, capacity=1)
    session.trainers.add(world.people["head"])
    Booking.objects.create(session=session, user=world.people["leader"], status="booked")
    page = _page(client_for("head"), session)
    assert ">Join the waiting list<" not in page and ">Book a place<" not in page
    assert "You train this session." in page
    response = client_for("head").post(reverse("training:book", args=[session.pk]),
                                       follow=True)
    assert "trains this session" in response.content.decode()
    assert not session.bookings.filter(user=world.people["head"]).exists()


def test_trainers_and_the_core_team_see_who_is_booked_waiting_and_attended(
        world, client_for, held):
    for persona in ("trainer", "core"):
        page = _page(client_for(persona), held)
        assert "People on this session" in page
        assert "Attended (1)" in page and "Absent (1)" in page
        assert f"{world.people['staff'].display_name} <span class=\"pr-muted\">" \
               f"({world.schools['A1'].name})" in page
    coming = _session(world, 20, capacity=1)
    Booking.objects.create(session=coming, user=world.people["leader"], status="booked")
    Booking.objects.create(session=coming, user=world.people["reviewer2"], status="waiting",
                           position=1)
    page = _page(client_for("trainer"), coming)
    assert "With a place (1)" in page and "Waiting (1)" in page
    assert world.schools["A4"].name in page


MARKER = "Quillifer Marchmont-Zed"


def test_only_the_trainer_and_core_team_see_the_people_on_a_session(world, client_for):
    """A planted name and school, booked on a session: read as every persona, only its
    trainer and the core team see them (a booked participant sees only their own booking,
    the head of another school sees the session but not who is on it)."""
    session = _session(world, 20, capacity=3)
    school = SchoolFactory(name=f"{MARKER} School")
    person = UserFactory(full_name=MARKER)
    RoleFactory(user=person, role=Role.STAFF, school=school)
    Booking.objects.create(session=session, user=person, status="booked")
    Booking.objects.create(session=session, user=world.people["staff"], status="booked")
    Booking.objects.create(session=session, user=world.people["reviewer2"], status="waiting",
                           position=1)
    url = reverse("training:session", args=[session.pk])
    seen = set()
    for persona in PERSONAS:
        client = client_for(persona)
        response = client.get(url)
        if MARKER in response.content.decode():
            seen.add(persona)
        if persona == "staff":  # booked: sees their own place, not the others
            page = response.content.decode()
            assert "You have a place." in page and "People on this session" not in page
    assert seen == {"trainer", "core"}


def test_a_course_held_with_nothing_to_come_reads_as_held_in_the_catalogue(world, client):
    """An autumn national meeting in December shows when it was held, with a link to it,
    not "No dates yet" (walkthrough of 7 Dec 2026, evening, item 10)."""
    from apps.training.models import Course
    from conftest import sign_in

    autumn = Course.objects.create(kind="national_meeting", title="Autumn meeting",
                                   audience="everyone")
    start = timezone.now() - timedelta(days=20)
    held = Session.objects.create(course=autumn, capacity=50, mode="online",
                                  joining_link="https://meet.example/a",
                                  booking_deadline=start - timedelta(days=2))
    SessionPart.objects.create(session=held, starts_at=start,
                               ends_at=start + timedelta(hours=1))
    never = Course.objects.create(kind="webinar", title="A webinar with no dates",
                                  audience="everyone")
    sign_in(client, world.people["head"])
    page = client.get(reverse("training:catalogue")).content.decode()
    section = page.split("Autumn meeting", 1)[1].split("</section>", 1)[0]
    day = timezone.localtime(start)
    assert f"Held on {day:%-d %B %Y}</a>. No more dates yet." in section
    assert reverse("training:session", args=[held.pk]) in section
    assert "No dates yet" not in section
    assert "No dates yet." in page.split(never.title, 1)[1].split("</section>", 1)[0]
