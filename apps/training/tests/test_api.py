"""The training API: the same answers as the pages, bookings through the services (the
waiting list when full, offers when a place frees), the joining link only for people with a
place, the register and polls for trainers, and token sign-in for writes."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.api_tokens import create_token
from apps.training.models import Booking, PollAnswer, Session

pytestmark = pytest.mark.django_db

PERSONAS = ["core", "associate", "lead", "head", "leader", "staff", "exec_head", "outsider",
            "alumnus", "evaluator", "norole", "reviewer2", "champion", "trainer"]
JSON = "application/json"


def _token_client(user) -> Client:
    _, secret = create_token(user, "Booking app", by=user)
    return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {secret}")


# The pages' permissions -------------------------------------------------------------------------

@pytest.mark.parametrize("persona", PERSONAS)
def test_reads_answer_as_their_pages_do(client_for, world, persona):
    client = client_for(persona)
    for session in (world.session, world.open_session):
        page = client.get(reverse("training:session", args=[session.pk]))
        answer = client.get(f"/api/training/sessions/{session.pk}")
        assert answer.status_code == page.status_code, (persona, session)
    # The catalogue: the same courses and the same upcoming sessions.
    page = client.get(reverse("training:catalogue"))
    expected = {row["course"].pk: [s.pk for s in row["sessions"]] for row in page.context["rows"]}
    answer = client.get("/api/training/courses")
    assert answer.status_code == 200
    assert {c["id"]: [s["id"] for s in c["sessions"]] for c in answer.json()["items"]} == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_cancelling_and_offers_answer_as_their_pages_do(client_for, world, persona):
    client = client_for(persona)
    pairs = [(reverse("training:booking_cancel", args=[world.booking.pk]),
              f"/api/training/bookings/{world.booking.pk}/cancel", {}),
             (reverse("training:booking_offer", args=[world.waiting.pk]),
              f"/api/training/bookings/{world.waiting.pk}/offer", {"accept": False})]
    for page_url, api_url, body in pairs:
        with transaction.atomic():
            page = client.post(page_url)
            transaction.set_rollback(True)
        with transaction.atomic():
            answer = client.post(api_url, body, content_type=JSON)
            transaction.set_rollback(True)
        # A page redirects where the API answers; refusals are the same.
        expected = {302: (200, 400)}.get(page.status_code, (page.status_code,))
        assert answer.status_code in expected, (persona, api_url, page.status_code)


def test_signed_out_is_401_and_unknown_is_404(client_for, world):
    assert Client().get("/api/training/courses").status_code == 401
    assert Client().get(f"/api/training/sessions/{world.open_session.pk}").status_code == 401
    client = client_for("core")
    for url in ("/api/training/sessions/99999999", "/api/training/sessions/0",
                "/api/training/sessions/99999999999/bookings"):
        assert client.get(url).status_code == 404, url
    assert client.post("/api/training/bookings/99999999/cancel").status_code == 404


def test_the_catalogue_is_by_audience(client_for, world):
    titles = {c["title"] for c in client_for("norole").get("/api/training/courses").json()["items"]}
    assert titles == {"National meeting"}
    courses = client_for("champion").get("/api/training/courses").json()["items"]
    assert {c["title"] for c in courses} == {"National meeting", "Peer reviewer training",
                                             "Champion refresher"}
    training = next(c for c in courses if c["id"] == world.course.pk)
    [session] = training["sessions"]
    assert session["id"] == world.session.pk
    assert (session["places_left"], session["full"]) == (0, True)


# Sessions ---------------------------------------------------------------------------------------

def test_the_joining_link_only_for_people_with_a_place_trainers_and_core(client_for, world):
    url = f"/api/training/sessions/{world.session.pk}"
    for persona in ("staff", "leader", "trainer", "core"):
        assert client_for(persona).get(url).json()["joining_link"] == \
            "https://meet.example/training", persona
    for persona in ("reviewer2", "head", "champion"):
        assert client_for(persona).get(url).json()["joining_link"] is None, persona
    body = client_for("reviewer2").get(url).json()
    assert body["mine"]["status"] == "waiting" and body["mine"]["waiting_place"] == 1
    assert (body["places_left"], body["waiting_count"], body["capacity"]) == (0, 1, 2)
    assert body["can_book"] is True and len(body["parts"]) == 1


# Bookings ---------------------------------------------------------------------------------------

def test_booking_with_a_token_goes_on_the_waiting_list_when_full(world):
    head = world.people["head"]
    client = _token_client(head)
    answer = client.post(f"/api/training/sessions/{world.session.pk}/bookings", {},
                         content_type=JSON)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["status"] == "waiting" and body["waiting_place"] == 2
    assert body["user_id"] == head.pk and body["booked_by"] == head.display_name
    booking = Booking.objects.get(pk=body["id"])
    assert booking.status == "waiting" and booking.booked_by == head
    # Capacity is never exceeded.
    assert world.session.bookings.filter(status__in=["booked", "offered"]).count() == 2
    # Booking again is a conflict with the booking that exists, with the service's message,
    # and nothing is added.
    again = client.post(f"/api/training/sessions/{world.session.pk}/bookings", {},
                        content_type=JSON)
    assert again.status_code == 409
    assert again.json()["errors"] == ["Already on the waiting list for this session"]
    assert world.session.bookings.filter(user=head).count() == 1


def test_booking_staff_twice_is_a_conflict(client_for, world):
    staff = world.people["staff"]
    url = f"/api/training/sessions/{world.open_session.pk}/bookings"
    client = client_for("head")
    assert client.post(url, {"user_id": staff.pk}, content_type=JSON).status_code == 201
    again = client.post(url, {"user_id": staff.pk}, content_type=JSON)
    assert again.status_code == 409
    assert again.json()["detail"] == "Already booked for this session"
    assert world.open_session.bookings.filter(user=staff).count() == 1


def test_the_409_of_booking_is_documented(client_for):
    schema = client_for("head").get("/api/openapi.json").json()
    responses = schema["paths"]["/api/training/sessions/{session_id}/bookings"]["post"][
        "responses"]
    assert "already" in responses["409"]["description"].lower()
    assert responses["409"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ErrorOut")


def test_booking_with_a_token_takes_a_free_place(world):
    norole = world.people["norole"]
    answer = _token_client(norole).post(
        f"/api/training/sessions/{world.open_session.pk}/bookings", {}, content_type=JSON)
    assert answer.status_code == 201
    assert answer.json()["status"] == "booked" and answer.json()["waiting_place"] is None
    assert Booking.objects.get(session=world.open_session, user=norole).status == "booked"


def test_a_session_without_the_csrf_token_cannot_book(world):
    from conftest import sign_in

    session = Client(enforce_csrf_checks=True)
    sign_in(session, world.people["norole"])
    answer = session.post(f"/api/training/sessions/{world.open_session.pk}/bookings", {},
                          content_type=JSON)
    assert answer.status_code == 403
    assert not Booking.objects.filter(user=world.people["norole"]).exists()


def test_booking_is_refused_outside_the_audience_and_after_the_deadline(client_for, world):
    url = f"/api/training/sessions/{world.session.pk}/bookings"
    assert client_for("alumnus").post(url, {}, content_type=JSON).status_code == 404
    # The trainer sees the session but is not in its course's audience.
    assert client_for("trainer").post(url, {}, content_type=JSON).status_code == 403
    Session.objects.filter(pk=world.session.pk).update(
        booking_deadline=timezone.now() - timedelta(minutes=1))
    answer = client_for("head").post(url, {}, content_type=JSON)
    assert answer.status_code == 400
    assert answer.json()["detail"] == "Booking for this session has closed"


def test_a_school_leader_books_for_staff_of_their_school(client_for, world):
    head, staff = world.people["head"], world.people["staff"]
    url = f"/api/training/sessions/{world.open_session.pk}/bookings"
    client = client_for("head")
    answer = client.post(url, {"user_id": staff.pk}, content_type=JSON)
    assert answer.status_code == 201, answer.content
    booking = Booking.objects.get(pk=answer.json()["id"])
    assert (booking.user, booking.booked_by, booking.status) == (staff, head, "booked")
    # Not someone from another school.
    answer = client.post(url, {"user_id": world.people["outsider"].pk}, content_type=JSON)
    assert answer.status_code == 400
    assert answer.json()["errors"] == ["Choose someone at a school you lead"]
    # Staff lead no school: they may not book for anyone else.
    answer = client_for("staff").post(url, {"user_id": head.pk}, content_type=JSON)
    assert answer.status_code == 403
    assert not Booking.objects.filter(session=world.open_session, user=head).exists()
    # The user_id is checked before anything is looked up.
    assert client.post(url, {"user_id": 0}, content_type=JSON).status_code == 422


def test_cancelling_offers_the_place_to_the_next_person_who_accepts(world):
    staff, reviewer2 = world.people["staff"], world.people["reviewer2"]
    answer = _token_client(staff).post(f"/api/training/bookings/{world.booking.pk}/cancel")
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "cancelled"
    world.waiting.refresh_from_db()
    assert world.waiting.status == "offered" and world.waiting.offer_expires_at
    # Only the person offered the place may answer.
    offer_url = f"/api/training/bookings/{world.waiting.pk}/offer"
    assert _token_client(world.people["leader"]).post(
        offer_url, {"accept": True}, content_type=JSON).status_code == 404
    assert _token_client(world.people["core"]).post(
        offer_url, {"accept": True}, content_type=JSON).status_code == 403
    client = _token_client(reviewer2)
    answer = client.post(offer_url, {"accept": True}, content_type=JSON)
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "booked"
    again = client.post(offer_url, {"accept": True}, content_type=JSON)
    assert again.status_code == 400
    assert again.json()["detail"] == "There is no open offer on this booking"
    assert client.post(offer_url, {}, content_type=JSON).status_code == 422


def test_declining_an_offer_passes_it_on(client_for, world):
    Booking.objects.filter(pk=world.waiting.pk).update(
        status="offered", offered_at=timezone.now(),
        offer_expires_at=timezone.now() + timedelta(hours=48))
    answer = client_for("reviewer2").post(f"/api/training/bookings/{world.waiting.pk}/offer",
                                          {"accept": False}, content_type=JSON)
    assert answer.status_code == 200 and answer.json()["status"] == "declined"


def test_a_leader_cancels_a_booking_they_made_but_not_others(client_for, world):
    # head booked staff's place; leader did not.
    url = f"/api/training/bookings/{world.booking.pk}/cancel"
    assert client_for("leader").post(url).status_code == 404
    assert client_for("head").post(url).status_code == 200
    again = client_for("head").post(url)
    assert again.status_code == 400 and again.json()["detail"] == "This booking is no longer live"


# Trainers: bookings, register, polls ---------------------------------------------------------

def test_the_trainer_lists_the_bookings_in_order(client_for, world):
    url = f"/api/training/sessions/{world.session.pk}/bookings"
    body = client_for("trainer").get(url).json()
    assert [(b["person"], b["status"], b["waiting_place"]) for b in body] == [
        ("Staff", "booked", None), ("Leader", "booked", None), ("Reviewer2", "waiting", 1)]
    assert body[0]["booked_by"] == "Head"
    assert client_for("head").get(url).status_code == 403
    assert client_for("alumnus").get(url).status_code == 404
    assert client_for("core").get(url).status_code == 200


def test_the_register_for_trainers_and_core(client_for, world):
    Booking.objects.filter(pk=world.booking.pk).update(attendance="present")
    url = f"/api/training/sessions/{world.session.pk}/attendance"
    body = client_for("trainer").get(url).json()
    assert body["counts"] == {"present": 1, "partial": 0, "absent": 0, "not_taken": 1}
    assert [(p["person"], p["attendance"]) for p in body["people"]] == [
        ("Leader", ""), ("Staff", "present")]
    assert client_for("staff").get(url).status_code == 403
    assert client_for("core").get(url).status_code == 200


def test_polls_with_results_for_trainers_and_without_for_people_with_a_place(client_for, world):
    PollAnswer.objects.create(poll=world.poll, booking=world.booking, choices=[0, 2])
    url = f"/api/training/sessions/{world.session.pk}/polls"
    [poll] = client_for("trainer").get(url).json()
    assert poll["answers"] == 1
    assert [(o["option"], o["votes"]) for o in poll["options"]] == [
        ("Reading", 1), ("Inclusion", 0), ("Attendance", 1)]
    [poll] = client_for("leader").get(url).json()
    assert poll["answers"] is None and {o["votes"] for o in poll["options"]} == {None}
    # A closed poll is not shown to people with a place; trainers still see it.
    world.poll.is_open = False
    world.poll.save()
    assert client_for("leader").get(url).json() == []
    assert len(client_for("trainer").get(url).json()) == 1
    # On the waiting list is not a place.
    assert client_for("reviewer2").get(url).status_code == 403
