"""Bookings: places, the waiting list with time-limited offers, no overbooking under
concurrency (PostgreSQL), and local times across the clock changes."""

import threading
from datetime import UTC, date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from apps.training import services
from apps.training.forms import SessionForm, local_datetime
from apps.training.models import Booking, Course, Session, SessionPart
from conftest import sign_in
from tests.factories import UserFactory


def new_session(capacity=2, course=None, **extra):
    course = course or Course.objects.create(kind="webinar", title="Webinar",
                                             audience="everyone")
    now = timezone.now()
    session = Session.objects.create(course=course, capacity=capacity,
                                     booking_deadline=now + timedelta(days=5),
                                     joining_link="https://meet.example/w", **extra)
    SessionPart.objects.create(session=session, starts_at=now + timedelta(days=10),
                               ends_at=now + timedelta(days=10, hours=1))
    return session


def test_full_session_puts_people_on_the_waiting_list_in_order(db):
    session = new_session(capacity=1)
    people = [UserFactory() for _ in range(3)]
    first, second, third = (services.book(session, user=u, by=u) for u in people)
    assert [b.status for b in (first, second, third)] == ["booked", "waiting", "waiting"]
    with pytest.raises(ValidationError, match="Already"):
        services.book(session, user=people[1], by=people[1])
    services.cancel(first, by=people[0])
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == "offered" and second.offer_expires_at is not None
    assert third.status == "waiting"
    # The offer expires: it passes to the next person, nobody skipped or doubled.
    assert services.expire_offers(now=timezone.now() + timedelta(hours=49)) == 1
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == ("expired", "offered")
    services.respond_to_offer(third, by=people[2], accept=True)
    third.refresh_from_db()
    assert third.status == "booked"
    assert services.places_left(session) == 0


def test_declining_an_offer_passes_it_on(db):
    session = new_session(capacity=1)
    a, b, c = (UserFactory() for _ in range(3))
    booking_a = services.book(session, user=a, by=a)
    booking_b = services.book(session, user=b, by=b)
    booking_c = services.book(session, user=c, by=c)
    services.cancel(booking_a, by=a)
    services.respond_to_offer(Booking.objects.get(pk=booking_b.pk), by=b, accept=False)
    assert Booking.objects.get(pk=booking_c.pk).status == "offered"


def test_organiser_reorders_and_gives_places(db):
    session = new_session(capacity=1)
    people = [UserFactory() for _ in range(4)]
    bookings = [services.book(session, user=u, by=u) for u in people]
    organiser = UserFactory()
    services.move_on_waiting_list(bookings[3], by=organiser, to_position=1)
    order = list(session.bookings.filter(status="waiting").order_by("position")
                 .values_list("user_id", flat=True))
    assert order == [people[3].pk, people[1].pk, people[2].pk]
    with pytest.raises(ValidationError, match="full"):
        services.give_place(bookings[1], by=organiser)
    services.update_session(session, by=organiser, capacity=2)
    # Raising capacity offers the place to the head of the list.
    assert Booking.objects.get(pk=bookings[3].pk).status == "offered"


def test_capacity_cannot_go_below_places_taken(db):
    session = new_session(capacity=2)
    for _ in range(2):
        u = UserFactory()
        services.book(session, user=u, by=u)
    with pytest.raises(ValidationError, match="below the 2 places"):
        services.update_session(session, by=UserFactory(), capacity=1)
    assert Session.objects.get(pk=session.pk).capacity == 2


def test_bookings_close_at_the_deadline_and_cancellations_too(db):
    session = new_session(capacity=2)
    u = UserFactory()
    booking = services.book(session, user=u, by=u)
    Session.objects.filter(pk=session.pk).update(
        booking_deadline=timezone.now() - timedelta(minutes=1))
    session.refresh_from_db()
    other = UserFactory()
    with pytest.raises(ValidationError, match="closed"):
        services.book(session, user=other, by=other)
    with pytest.raises(ValidationError, match="cancellation deadline"):
        services.cancel(booking, by=u)


def test_session_form_refuses_past_and_muddled_input(db):
    form = SessionForm({"mode": "online", "capacity": 0, "deadline_day": "2026-12-01",
                        "day_1": "2026-12-01", "start_1": "10:00", "end_1": "09:00"})
    assert not form.is_valid()
    assert "The end must be after the start" in str(form.errors)
    assert "Give the joining link" in str(form.errors)
    with pytest.raises(ValidationError, match="past"):
        services.create_session(Course.objects.create(kind="webinar", title="W"),
                                by=None, capacity=5, booking_deadline=timezone.now(),
                                parts=[(timezone.now() - timedelta(days=1),
                                        timezone.now() - timedelta(hours=23))])


@pytest.mark.parametrize("day, utc_hour", [
    (date(2026, 10, 23), 9),   # British Summer Time: 10:00 local is 09:00 UTC
    (date(2026, 10, 26), 10),  # after the October change: 10:00 local is 10:00 UTC
    (date(2027, 3, 26), 10),   # before the March change
    (date(2027, 3, 29), 9),    # after it
])
def test_local_times_across_the_clock_changes(day, utc_hour, db):
    aware = local_datetime(day, time(10, 0))
    assert aware.astimezone(UTC).hour == utc_hour
    assert timezone.localtime(aware).hour == 10


def test_a_session_across_the_october_change_keeps_its_local_times(world, client):
    course = world.course
    session = Session.objects.create(course=course, capacity=5, booking_deadline=local_datetime(
        date(2026, 10, 20), time(12, 0)), joining_link="https://meet.example/x")
    for day in (date(2026, 10, 24), date(2026, 10, 26)):
        SessionPart.objects.create(session=session, starts_at=local_datetime(day, time(9, 30)),
                                   ends_at=local_datetime(day, time(15, 0)))
    sign_in(client, world.people["head"])
    page = client.get(reverse("training:session", args=[session.pk])).content.decode()
    assert "Saturday 24 October 2026, 9:30am" in page and "Monday 26 October 2026, 9:30am" in page
    from apps.notifications.ics import build_calendar
    from apps.training.calendar import session_events

    ics = build_calendar(session_events(session)).decode()
    assert "DTSTART:20261024T083000Z" in ics and "DTSTART:20261026T093000Z" in ics


def test_school_leader_books_for_staff_of_their_school_only(world, client):
    sign_in(client, world.people["head"])
    url = reverse("training:book_for_staff", args=[world.open_session.pk])
    page = client.get(url).content.decode()
    assert world.people["staff"].display_name in page
    assert world.people["leader"].display_name not in page  # another school's leader
    client.post(url, {"person": world.people["staff"].pk})
    booking = Booking.objects.get(session=world.open_session, user=world.people["staff"])
    assert booking.booked_by == world.people["head"] and booking.status == "booked"


def test_joining_link_only_for_people_with_a_place(world, client):
    sign_in(client, world.people["reviewer2"])  # on the waiting list
    url = reverse("training:session", args=[world.session.pk])
    assert "https://meet.example/training" not in client.get(url).content.decode()
    client.logout()
    sign_in(client, world.people["staff"])
    assert "https://meet.example/training" in client.get(url).content.decode()


# Concurrency (PostgreSQL) ------------------------------------------------------------------

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are exercised on PostgreSQL (SQLite serialises writers anyway); CI "
           "runs this on PostgreSQL")


def _in_threads(fn, args_list):
    errors = []

    def run(*args):
        try:
            fn(*args)
        except ValidationError:
            pass
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=args) for args in args_list]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_many_concurrent_bookers_never_overbook():
    session = new_session(capacity=5)
    people = [UserFactory() for _ in range(24)]
    _in_threads(lambda u: services.book(Session.objects.get(pk=session.pk), user=u, by=u),
                [(u,) for u in people])
    statuses = list(session.bookings.values_list("status", flat=True))
    assert statuses.count("booked") == 5 and statuses.count("waiting") == 19
    positions = sorted(session.bookings.filter(status="waiting")
                       .values_list("position", flat=True))
    assert len(set(positions)) == 19  # nobody shares a place in the queue


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_cancellations_expiries_and_answers_never_skip_or_duplicate():
    session = new_session(capacity=4, offer_hours=1)
    people = [UserFactory() for _ in range(12)]
    bookings = [services.book(session, user=u, by=u) for u in people]
    booked, waiting = bookings[:4], bookings[4:]
    # Two places free at once; then offers expire while others answer.
    _in_threads(lambda b, u: services.cancel(Booking.objects.get(pk=b.pk), by=u),
                [(booked[0], people[0]), (booked[1], people[1])])
    offered = list(session.bookings.filter(status="offered"))
    assert len(offered) == 2
    later = timezone.now() + timedelta(hours=2)
    jobs = [(lambda: services.expire_offers(now=later)),
            (lambda: services.expire_offers(now=later)),
            (lambda: services.cancel(Booking.objects.get(pk=booked[2].pk), by=people[2]))]
    _in_threads(lambda job: job(), [(j,) for j in jobs])
    holding = session.bookings.filter(status__in=["booked", "offered"]).count()
    still_waiting = session.bookings.filter(status="waiting").count()
    assert holding <= session.capacity
    # No place stays free while someone waits (the list may run out: offers made in this
    # test can themselves expire at `later`).
    assert holding == session.capacity or still_waiting == 0
    offered_ids = list(session.bookings.filter(status="offered").values_list("user_id",
                                                                            flat=True))
    assert len(offered_ids) == len(set(offered_ids))
    # Offers went down the list in order: nobody after an offered person was skipped over
    # someone still waiting ahead of them.
    order = [b.user_id for b in waiting]
    first_waiting = [uid for uid in order
                     if session.bookings.get(user_id=uid).status == "waiting"]
    offered_or_done = [uid for uid in order if uid not in first_waiting]
    if first_waiting and offered_or_done:
        assert max(order.index(u) for u in offered_or_done) < min(order.index(u)
                                                                   for u in first_waiting)


def test_accepting_an_expired_offer_passes_it_on(db):
    session = new_session(capacity=1)
    a, b, c = (UserFactory() for _ in range(3))
    first = services.book(session, user=a, by=a)
    second = services.book(session, user=b, by=b)
    third = services.book(session, user=c, by=c)
    services.cancel(first, by=a)
    Booking.objects.filter(pk=second.pk).update(
        offer_expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError, match="expired"):
        services.respond_to_offer(Booking.objects.get(pk=second.pk), by=b, accept=True)
    assert Booking.objects.get(pk=second.pk).status == "expired"
    assert Booking.objects.get(pk=third.pk).status == "offered"
