"""Live polls (ask, answer, results), feedback after a session, feedback requests and the
core team's aggregates with small numbers suppressed."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from apps.core.models import AuditEvent
from apps.notifications.models import Notification
from apps.training import polls
from apps.training.models import Booking, Feedback, Poll, PollAnswer, Session, SessionPart
from conftest import sign_in
from tests.factories import UserFactory


def booked(world, person="staff", session=None):
    return (session or world.session).bookings.get(user=world.people[person], status="booked")


def start_session(session, *, hours_ago=1, length=3):
    now = timezone.now()
    session.parts.update(starts_at=now - timedelta(hours=hours_ago),
                         ends_at=now - timedelta(hours=hours_ago) + timedelta(hours=length))


def another_session(world, course=None, *, people=0, started=True):
    """A session of ``course`` (default: the world's) with ``people`` new people booked."""
    now = timezone.now()
    session = Session.objects.create(course=course or world.course, capacity=50,
                                     booking_deadline=now + timedelta(days=1))
    start = now - timedelta(hours=5) if started else now + timedelta(days=5)
    SessionPart.objects.create(session=session, starts_at=start,
                               ends_at=start + timedelta(hours=2))
    bookings = [Booking.objects.create(session=session, user=UserFactory(), status="booked")
                for _ in range(people)]
    return session, bookings


# Answering ---------------------------------------------------------------------------------------

def test_one_answer_per_booking_and_changing_replaces_it(world):
    booking = booked(world)
    polls.answer(world.poll, booking=booking, choices=[0])
    polls.answer(world.poll, booking=booking, choices=[2])
    answers = PollAnswer.objects.filter(poll=world.poll, booking=booking)
    assert answers.count() == 1 and answers.get().choices == [2]
    assert polls.results(world.poll).rows[2]["count"] == 1
    assert polls.results(world.poll).rows[0]["count"] == 0


def test_answering_on_the_phone_page(world, client):
    sign_in(client, world.people["staff"])
    url = reverse("training:poll_answer", args=[world.poll.pk])
    page = client.get(url).content.decode()
    assert 'type="radio"' in page and "Reading" in page and "Send my answer" in page
    assert client.post(url, {"choices": "1"}).status_code == 302
    assert client.post(url, {"choices": "0"}).status_code == 302
    answer = PollAnswer.objects.get(poll=world.poll)
    assert answer.choices == [0]
    page = client.get(url).content.decode()
    assert "Change my answer" in page and "You answered: Reading" in page
    assert 'value="0" checked' in page
    # Nothing chosen: an error, and the earlier answer stays.
    response = client.post(url, {})
    assert response.status_code == 200 and "Choose an answer" in response.content.decode()
    assert PollAnswer.objects.get(poll=world.poll).choices == [0]


def test_several_choices_with_checkboxes(world, client):
    poll = polls.create_poll(world.session, by=world.people["trainer"], question="Which?",
                             kind="multiple", options=["A", "B", "C"], is_open=True)
    sign_in(client, world.people["leader"])
    url = reverse("training:poll_answer", args=[poll.pk])
    assert 'type="checkbox"' in client.get(url).content.decode()
    client.post(url, {"choices": ["0", "2"]})
    assert PollAnswer.objects.get(poll=poll).choices == [0, 2]
    with pytest.raises(ValidationError, match="Choose one answer"):
        polls.answer(world.poll, booking=booked(world, "leader"), choices=[0, 1])
    with pytest.raises(ValidationError):
        polls.answer(poll, booking=booked(world, "leader"), choices=[7])


def test_a_closed_poll_refuses_answers(world, client):
    booking = booked(world)
    polls.answer(world.poll, booking=booking, choices=[1])
    polls.set_open(world.poll, by=world.people["trainer"], is_open=False)
    with pytest.raises(ValidationError, match="closed"):
        polls.answer(world.poll, booking=booking, choices=[0])
    sign_in(client, world.people["staff"])
    url = reverse("training:poll_answer", args=[world.poll.pk])
    response = client.post(url, {"choices": "0"}, follow=True)
    page = response.content.decode()
    assert "This poll is closed" in page and "your answer was not saved" in page
    assert 'type="radio"' not in page and "Your answer: Inclusion" in page
    assert PollAnswer.objects.get(poll=world.poll).choices == [1]


def test_only_people_with_a_place_answer(world, client):
    waiting = world.waiting  # reviewer2, on the waiting list
    with pytest.raises(ValidationError, match="place"):
        polls.answer(world.poll, booking=waiting, choices=[0])
    other, [stranger] = another_session(world, people=1)
    with pytest.raises(ValidationError, match="place"):
        polls.answer(world.poll, booking=stranger, choices=[0])
    url = reverse("training:poll_answer", args=[world.poll.pk])
    for persona, status in (("reviewer2", 403), ("trainer", 403), ("head", 403),
                            ("norole", 404), ("alumnus", 404)):
        client.logout()
        sign_in(client, world.people[persona])
        assert client.post(url, {"choices": "0"}).status_code == status, persona
    assert not PollAnswer.objects.exists()


# Running polls and results -----------------------------------------------------------------------

def test_trainer_creates_opens_and_closes_polls(world, client):
    sign_in(client, world.people["trainer"])
    url = reverse("training:polls", args=[world.session.pk])
    page = client.get(url).content.decode()
    assert "Which areas next?" in page and "Ask a new poll" in page
    response = client.post(url, {"do": "create", "question": "Ready?", "kind": "single",
                                 "options": "Yes"})
    assert response.status_code == 200 and "at least 2" in response.content.decode()
    eleven = "\n".join(f"Option {i}" for i in range(11))
    response = client.post(url, {"do": "create", "question": "Ready?", "kind": "single",
                                 "options": eleven})
    assert "at most 10" in response.content.decode()
    response = client.post(url, {"do": "create", "question": "  Ready  to go? ",
                                 "kind": "multiple", "options": "Yes\n\n  Nearly \nNo\n"})
    assert response.status_code == 302
    poll = Poll.objects.get(question="Ready to go?")
    assert poll.options == ["Yes", "Nearly", "No"] and poll.kind == "multiple"
    assert not poll.is_open and poll.created_by == world.people["trainer"]
    client.post(url, {"do": "open", "poll": poll.pk})
    poll.refresh_from_db()
    assert poll.is_open
    client.post(url, {"do": "close", "poll": poll.pk})
    poll.refresh_from_db()
    assert not poll.is_open
    assert AuditEvent.objects.filter(action="training.poll_closed").exists()
    # A poll of another session cannot be switched from this page.
    other, _ = another_session(world)
    foreign = Poll.objects.create(session=other, question="X", options=["a", "b"])
    assert client.post(url, {"do": "open", "poll": foreign.pk}).status_code == 404


def test_results_counts_and_percentages(world, client):
    for person, choice in (("staff", 0), ("leader", 0)):
        polls.answer(world.poll, booking=booked(world, person), choices=[choice])
    extra = Booking.objects.create(session=world.session, user=UserFactory(), status="booked")
    polls.answer(world.poll, booking=extra, choices=[1])
    r = polls.results(world.poll)
    assert r.respondents == 3 and r.places == 3
    assert [(row["count"], row["percent"]) for row in r.rows] == [(2, 67), (1, 33), (0, 0)]
    sign_in(client, world.people["trainer"])
    url = reverse("training:poll_results", args=[world.poll.pk])
    page = client.get(url).content.decode()
    assert "<svg" in page and 'width="67%"' in page  # the chart's bar
    assert "<table" in page and "67%" in page and "33%" in page  # and the same as a table
    assert 'hx-trigger="every 2s"' in page and "Refresh the results" in page
    # htmx asks for the fragment; unchanged since last time: 204, nothing to swap.
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode() and 'id="poll-results"' in \
        fragment.content.decode()
    assert client.get(url, {"since": r.stamp}, HTTP_HX_REQUEST="true").status_code == 204
    polls.answer(world.poll, booking=extra, choices=[2])
    assert client.get(url, {"since": r.stamp}, HTTP_HX_REQUEST="true").status_code == 200
    # Closed: final results, no more polling.
    polls.set_open(world.poll, by=world.people["trainer"], is_open=False)
    page = client.get(url).content.decode()
    assert "final results" in page and "hx-trigger" not in page


def test_several_choices_percentages_are_of_people(world):
    poll = polls.create_poll(world.session, by=world.people["core"], question="Which?",
                             kind="multiple", options=["A", "B"], is_open=True)
    polls.answer(poll, booking=booked(world, "staff"), choices=[0, 1])
    polls.answer(poll, booking=booked(world, "leader"), choices=[0])
    assert [row["percent"] for row in polls.results(poll).rows] == [100, 50]


def test_trainer_of_another_session_is_refused(world, client):
    # trainer trains world.session, not the open national meeting (which everyone sees).
    poll = Poll.objects.create(session=world.open_session, question="Q", options=["a", "b"],
                               is_open=True)
    sign_in(client, world.people["trainer"])
    assert client.get(reverse("training:polls", args=[world.open_session.pk])) \
        .status_code == 403
    assert client.get(reverse("training:poll_results", args=[poll.pk])).status_code == 403
    assert client.post(reverse("training:polls", args=[world.open_session.pk]),
                       {"do": "close", "poll": poll.pk}).status_code == 403
    poll.refresh_from_db()
    assert poll.is_open
    # A school leader who trains a different session of the same course.
    other, _ = another_session(world)
    other.trainers.add(world.people["leader"])
    client.logout()
    sign_in(client, world.people["leader"])
    assert client.get(reverse("training:polls", args=[other.pk])).status_code == 200
    assert client.get(reverse("training:polls", args=[world.session.pk])).status_code == 403
    assert client.get(reverse("training:poll_results", args=[world.poll.pk])) \
        .status_code == 403


# The session page's current-poll panel -----------------------------------------------------------

def test_current_poll_panel(world, client):
    staff = world.people["staff"]
    request = RequestFactory().get("/")
    request.user = staff
    html = render_to_string("training/polls_current.html",
                            {"session": world.session, "mine": booked(world)}, request)
    assert "Which areas next?" in html and reverse("training:poll_answer",
                                                   args=[world.poll.pk]) in html
    assert 'hx-trigger="every 5s"' in html
    assert "Give feedback" not in html  # the session has not started
    waiting = render_to_string("training/polls_current.html",
                               {"session": world.session, "mine": world.waiting}, request)
    assert "Which areas next?" not in waiting
    sign_in(client, staff)
    url = reverse("training:current_poll", args=[world.session.pk])
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert "Answer the poll" in response.content.decode()
    stamp = response.context["current_stamp"]
    assert client.get(url, {"since": stamp}, HTTP_HX_REQUEST="true").status_code == 204
    polls.answer(world.poll, booking=booked(world), choices=[0])
    response = client.get(url, {"since": stamp}, HTTP_HX_REQUEST="true")
    assert "You have answered" in response.content.decode()
    start_session(world.session)
    assert "Give feedback on this session" in client.get(url).content.decode()
    polls.set_open(world.poll, by=world.people["trainer"], is_open=False)
    assert "Which areas next?" not in client.get(url).content.decode()


# Feedback ----------------------------------------------------------------------------------------

def test_feedback_only_after_the_start(world, client):
    sign_in(client, world.people["staff"])
    url = reverse("training:feedback", args=[world.session.pk])
    page = client.get(url).content.decode()
    assert "once the session has started" in page and 'name="rating"' not in page
    assert client.post(url, {"rating": "5"}).status_code == 403
    with pytest.raises(ValidationError, match="starts"):
        polls.give_feedback(booked(world), rating=5)
    assert not Feedback.objects.exists()
    start_session(world.session)
    assert 'name="rating"' in client.get(url).content.decode()
    assert client.post(url, {"rating": "4", "comments": "Useful"}).status_code == 302
    assert client.post(url, {"rating": "2", "comments": "On reflection"}).status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.booking, feedback.rating, feedback.comments) == \
        (booked(world), 2, "On reflection")
    page = client.get(url).content.decode()
    assert "You can change it" in page and 'value="2" checked' in page
    response = client.post(url, {"rating": "9"})
    assert response.status_code == 200 and Feedback.objects.get().rating == 2


def test_feedback_only_from_booked_people(world, client):
    start_session(world.session)
    url = reverse("training:feedback", args=[world.session.pk])
    Booking.objects.filter(pk=booked(world, "leader").pk).update(attendance="absent")
    for persona, status in (("reviewer2", 403), ("leader", 403), ("trainer", 403),
                            ("core", 403), ("norole", 404), ("staff", 302)):
        client.logout()
        sign_in(client, world.people[persona])
        assert client.post(url, {"rating": "3"}).status_code == status, persona
    assert Feedback.objects.count() == 1
    Booking.objects.filter(pk=world.booking.pk).update(status="cancelled")
    client.logout()
    sign_in(client, world.people["staff"])
    assert client.get(url).status_code == 403


def test_feedback_requests_go_once_per_booking(world):
    now = timezone.now()
    assert polls.send_feedback_requests(now) == 0  # world.session is in the future
    start_session(world.session, hours_ago=4, length=3)  # ended an hour ago
    Booking.objects.filter(pk=booked(world, "leader").pk).update(attendance="absent")
    assert polls.send_feedback_requests() == 1  # staff only (leader was absent)
    note = Notification.objects.get(kind="training.feedback")
    assert note.user == world.people["staff"]
    assert note.url == reverse("training:feedback", args=[world.session.pk])
    assert polls.send_feedback_requests() == 0  # already asked: the audit log says so
    assert AuditEvent.objects.filter(action=polls.FEEDBACK_REQUESTED,
                                     object_id=str(world.booking.pk)).count() == 1
    # Someone who already gave feedback is not asked.
    other, [done, todo] = another_session(world, people=2)
    Feedback.objects.create(booking=done, rating=5)
    out = StringIO()
    call_command(polls.FeedbackRequestsCommand(), stdout=out)
    assert "1 feedback request(s) sent." in out.getvalue()
    assert Notification.objects.filter(kind="training.feedback", user=todo.user).exists()
    assert not Notification.objects.filter(kind="training.feedback", user=done.user).exists()
    # Long-past sessions are left alone.
    old, _ = another_session(world, people=1)
    old.parts.update(starts_at=now - timedelta(days=60), ends_at=now - timedelta(days=60)
                     + timedelta(hours=1))
    assert polls.send_feedback_requests() == 0


# Aggregates --------------------------------------------------------------------------------------

def test_poll_answers_are_combined_across_sessions_and_small_numbers_suppressed(world):
    # Same question (different case and spacing) in two sessions: 3 + 2 = 5 people.
    one, first = another_session(world, people=3)
    two, second = another_session(world, people=2)
    p1 = Poll.objects.create(session=one, question="Your priorities?", is_open=True,
                             options=["Reading", "Attendance"])
    p2 = Poll.objects.create(session=two, question="your  PRIORITIES?", is_open=True,
                             options=["Reading", "Maths"], kind="multiple")
    for b in first:
        polls.answer(p1, booking=b, choices=[0])
    polls.answer(p2, booking=second[0], choices=[0, 1])
    polls.answer(p2, booking=second[1], choices=[1])
    # world.poll: only 4 people (suppressed).
    for person in ("staff", "leader"):
        polls.answer(world.poll, booking=booked(world, person), choices=[0])
    rows = {r["question"]: r for r in polls.poll_aggregates()}
    combined = rows["Your priorities?"]
    assert combined["sessions"] == 2 and combined["respondents"] == 5
    assert not combined["suppressed"]
    options = {o["option"]: o for o in combined["options"]}
    assert (options["Reading"]["count"], options["Reading"]["percent"]) == (4, 80)
    # Offered to only 3 and to only 2 people: suppressed.
    assert options["Attendance"]["suppressed"] and options["Attendance"]["count"] is None
    assert options["Maths"]["suppressed"] and options["Maths"]["percent"] is None
    small = rows["Which areas next?"]
    assert small["suppressed"] and small["options"] == []


def test_ratings_per_course_suppressed_under_five(world, client):
    _, four = another_session(world, people=4)
    for b, rating in zip(four, (5, 4, 4, 3), strict=True):
        Feedback.objects.create(booking=b, rating=rating)
    _, five = another_session(world, world.open_course, people=5)
    for b, rating in zip(five, (5, 5, 4, 4, 3), strict=True):
        Feedback.objects.create(booking=b, rating=rating)
    ratings = polls.rating_aggregates()
    by_course = {r["course"]: r for r in ratings["courses"]}
    assert by_course["Peer reviewer training"]["suppressed"]
    assert by_course["Peer reviewer training"]["average"] is None
    assert by_course["National meeting"]["average"] == 4.2
    assert ratings["overall"]["responses"] == 9 and ratings["overall"]["average"] == 4.1
    sign_in(client, world.people["core"])
    page = client.get(reverse("training:aggregates")).content.decode()
    assert "Fewer than 5 responses: not shown" in page
    assert "4.2" in page and "Which areas next?" in page
    client.logout()
    sign_in(client, world.people["trainer"])
    assert client.get(reverse("training:aggregates")).status_code == 403
