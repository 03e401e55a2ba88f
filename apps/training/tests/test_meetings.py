"""National meetings as a series: the audience each meeting gets from its place, creating a
series with its termly dates, registration from outside the programme for the first meeting
only, publishing the recording and slides (and who is told), the content of the materials
read as every persona, and undoing a cancellation."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.notifications.models import Notification
from apps.training import meetings, services
from apps.training.models import Audience, Booking, Course, MeetingMaterials, Session
from apps.training.rules import course_audiences, meeting_audience
from conftest import PERSONAS, sign_in

from .meetings_world import (
    FIRST_LINK,
    FIRST_MARK,
    SECOND_LINK,
    SECOND_MARK,
    TINY_PDF,
    meeting,
    meetings_world,
)

# Who may see a meeting's recording and slides: schools in the programme now and alumni
# schools, and (for "second") norole, who had a place there.
MATERIALS_AUDIENCE = {"core", "associate", "lead", "head", "leader", "staff", "exec_head",
                      "outsider", "alumnus", "reviewer2", "champion"}


def test_the_first_meeting_is_open_to_all_and_later_ones_to_current_and_alumni():
    assert meeting_audience(1) == Audience.EVERYONE
    assert meeting_audience(2) == meeting_audience(3) == Audience.PROGRAMME_AND_ALUMNI


def test_current_and_alumni_audience(world):
    with_it = {p for p in PERSONAS if p != "anonymous"
               and "current_alumni" in course_audiences(world.people[p])}
    assert with_it == MATERIALS_AUDIENCE


def _plans(days=(20, 110, 200)):
    # At 10am local time, whatever the time the tests run: a meeting from "now" to two hours
    # later crossed midnight when the tests ran after 10pm, and the form then refused it.
    now = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    return [meetings.MeetingPlan(term, now + timedelta(days=d),
                                 now + timedelta(days=d, hours=2))
            for term, d in zip(("Autumn", "Spring", "Summer")[:len(days)], days, strict=True)]


@pytest.mark.django_db
def test_a_series_is_created_with_its_meetings_and_audiences(world):
    plans = _plans()
    series = meetings.create_series(
        by=world.people["core"], title="National meetings 2026 to 2027", start_year=2026,
        summary="", meetings=list(reversed(plans)), mode="online",
        joining_link="https://meet.example/n", capacity=200)
    courses = list(series.meetings.order_by("series_position"))
    assert [c.series_position for c in courses] == [1, 2, 3]
    assert [c.audience for c in courses] == ["everyone", "current_alumni", "current_alumni"]
    first = courses[0].sessions.get()
    assert first.first_start() == plans[0].starts_at  # in date order, whatever was typed
    deadline = timezone.localtime(first.booking_deadline)
    assert (deadline.date(), deadline.hour, deadline.minute) == (
        timezone.localtime(plans[0].starts_at).date() - timedelta(days=1), 23, 59)


def test_series_form_errors_name_the_field(world, client):
    sign_in(client, world.people["core"])
    response = client.post(reverse("training:series_new"), {
        "title": "", "start_year": "2026", "mode": "online", "capacity": "100",
        "spring_day": "2030-01-15", "spring_start": "", "spring_end": "12:00"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Enter the name of the series" in text
    assert "Enter the time the spring term meeting starts" in text
    assert "Enter the joining link for online meetings" in text
    assert not Course.objects.filter(series__isnull=False).exists()  # nothing half-saved


def test_a_meeting_of_a_series_can_be_changed_with_the_session_form(world, client):
    series = meetings.create_series(
        by=world.people["core"], title="Editable", start_year=2026, summary="",
        meetings=_plans((20,)), mode="online", joining_link="https://meet.example/n",
        capacity=5)
    session = Session.objects.get(course__series=series)
    sign_in(client, world.people["core"])
    url = reverse("training:session_edit", args=[session.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"mode": "online", "capacity": "40"})
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
    data = {k: (v[:5] if k.startswith(("start_", "end_")) else v) for k, v in data.items()}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    session.refresh_from_db()
    assert session.capacity == 40


def test_series_form_creates_and_shows_the_series(world, client):
    sign_in(client, world.people["core"])
    day = timezone.localdate() + timedelta(days=30)
    response = client.post(reverse("training:series_new"), {
        "title": "National meetings test year", "start_year": str(day.year), "mode": "online",
        "joining_link": "https://meet.example/n", "capacity": "100",
        "autumn_day": day.isoformat(), "autumn_start": "15:30", "autumn_end": "17:00",
        "summer_day": (day + timedelta(days=200)).isoformat(), "summer_start": "15:30",
        "summer_end": "17:00"}, follow=True)
    text = response.content.decode()
    assert "National meetings test year” added with 2 meetings" in text
    assert "Open to all schools" in text
    assert "For schools in the programme and alumni" in text


def test_only_the_first_meeting_takes_registrations_without_an_account(world, client):
    series = meetings.create_series(
        by=world.people["core"], title="Open and closed", start_year=2026, summary="",
        meetings=_plans(), mode="online", joining_link="https://meet.example/n", capacity=9)
    first, second = (c.sessions.get() for c in series.meetings.order_by("series_position")[:2])
    assert client.get(reverse("training:register", args=[first.pk])).status_code == 200
    assert client.get(reverse("training:register", args=[second.pk])).status_code == 404
    # Signed out, the series page lists the first meeting only, and says why.
    text = client.get(reverse("training:series", args=[series.pk])).content.decode()
    assert reverse("training:session", args=[first.pk]) in text
    assert reverse("training:session", args=[second.pk]) not in text
    assert "for schools in the programme and alumni schools" in text
    # An alumni school's head sees and books the later meeting.
    sign_in(client, world.people["alumnus"])
    text = client.get(reverse("training:series", args=[series.pk])).content.decode()
    assert reverse("training:session", args=[second.pk]) in text
    client.post(reverse("training:book", args=[second.pk]))
    assert second.bookings.get(user=world.people["alumnus"]).status == Booking.State.BOOKED


def test_publishing_tells_people_with_a_place_and_registrants_only_when_chosen(
        world, django_capture_on_commit_callbacks):
    session = meeting(world, 1, days_ago=3)
    Booking.objects.create(session=session, user=world.people["staff"], status="booked")
    Booking.objects.create(session=session, user=world.people["head"], status="cancelled")
    registrant = world.registrant
    Booking.objects.create(session=session, registrant=registrant, status="booked")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meetings.publish_materials(session, by=world.people["core"],
                                   recording_url="https://video.example/r1", slides_title="",
                                   upload=None)
    notes = Notification.objects.filter(kind="training.materials")
    assert {n.user for n in notes} == {world.people["staff"]}
    assert not [m for m in mail.outbox if registrant.email in m.to]
    # Correcting it tells nobody again; choosing to send the recording emails it once.
    with django_capture_on_commit_callbacks(execute=True):
        meetings.publish_materials(session, by=world.people["core"],
                                   recording_url="https://video.example/r2", slides_title="",
                                   upload=None, recording_to_registrants=True)
    with django_capture_on_commit_callbacks(execute=True):
        meetings.publish_materials(session, by=world.people["core"],
                                   recording_url="https://video.example/r2", slides_title="",
                                   upload=None, recording_to_registrants=True)
    assert notes.count() == 1
    sent = [m for m in mail.outbox if registrant.email in m.to]
    assert len(sent) == 1 and "https://video.example/r2" in sent[0].body
    assert "List-Unsubscribe" in sent[0].extra_headers


def test_materials_wait_for_the_meeting(world):
    session = meeting(world, 1, days_ago=-5)
    with pytest.raises(Exception, match="once the meeting has taken place"):
        meetings.publish_materials(session, by=world.people["core"],
                                   recording_url="https://video.example/r", slides_title="",
                                   upload=None)
    assert not MeetingMaterials.objects.exists()


def test_publishing_slides_through_the_page_and_withdrawing(world, client):
    session = meeting(world, 2, days_ago=3)
    sign_in(client, world.people["core"])
    url = reverse("training:materials", args=[session.pk])
    bad = client.post(url, {"slides": SimpleUploadedFile("notes.txt", b"hello")})
    assert "The selected file must be a PDF, PowerPoint or OpenDocument presentation" in \
        bad.content.decode()
    empty = client.post(url, {})
    assert "Enter the recording link or choose the slides, or both" in empty.content.decode()
    done = client.post(url, {"slides_title": "Spring slides",
                             "slides": SimpleUploadedFile("spring.pdf", TINY_PDF)})
    assert "Recording and slides published" in done.content.decode()
    assert "spring.pdf" in done.content.decode()
    download = client.get(reverse("training:slides", args=[session.pk]))
    assert b"".join(download.streaming_content) == TINY_PDF
    assert download["Cache-Control"] == "private, no-store"
    client.post(reverse("training:materials_withdraw", args=[session.pk]))
    assert not MeetingMaterials.objects.filter(session=session).exists()
    assert client.get(reverse("training:slides", args=[session.pk])).status_code == 404


def _read(client, url):
    response = client.get(url)
    if hasattr(response, "streaming_content"):
        return response.status_code, b"".join(response.streaming_content).decode("latin-1")
    return response.status_code, response.content.decode()


def test_materials_content_is_read_only_by_their_audience(world, client):
    """The markers (slides titles, recording links, the slides' bytes) on every page that
    shows them, read as every persona: outsiders of the meeting 404 or sign in, people who
    see the meeting but not its materials 403 and no marker."""
    m = meetings_world(world)
    readers = {"first": MATERIALS_AUDIENCE, "second": MATERIALS_AUDIENCE | {"norole"}}
    marks = {"first": (FIRST_MARK, FIRST_LINK), "second": (SECOND_MARK, SECOND_LINK)}
    for name, session in (("first", m.first), ("second", m.second)):
        urls = [reverse("training:session", args=[session.pk]),
                reverse("training:slides", args=[session.pk]),
                reverse("training:series", args=[m.series.pk]),
                reverse("training:course", args=[session.course_id]),
                reverse("training:catalogue")]
        for persona in PERSONAS:
            client.logout()
            if persona != "anonymous":
                sign_in(client, world.people[persona])
            for url in urls:
                status, text = _read(client, url)
                seen = any(mark in text for mark in marks[name])
                if persona in readers[name] and url == urls[1]:
                    assert status == 200 and marks[name][0] in text, (persona, url)
                elif persona in readers[name] and url == urls[0]:
                    assert seen and status == 200, (persona, url)
                else:
                    assert not seen, (persona, url, status)
                    if url == urls[1]:
                        assert status in (302, 403, 404), (persona, url, status)


def test_cancelling_a_meeting_can_be_undone(world, client, django_capture_on_commit_callbacks):
    series = meetings.create_series(
        by=world.people["core"], title="Undo", start_year=2026, summary="",
        meetings=_plans((20,)), mode="online", joining_link="https://meet.example/n",
        capacity=1)
    session = Session.objects.get(course__series=series)
    booked = services.book(session, user=world.people["staff"])
    waiting = services.book(session, user=world.people["leader"])
    services.cancel(services.book(session, user=world.people["head"]), by=None)
    services.cancel_session(session, by=world.people["core"], reason="Snow")
    sign_in(client, world.people["core"])
    page = client.get(reverse("training:session", args=[session.pk])).content.decode()
    assert "Put the session back on" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("training:session_reinstate", args=[session.pk]),
                               follow=True)
    assert "2 bookings restored" in response.content.decode()
    session.refresh_from_db()
    assert session.cancelled_at is None
    statuses = dict(session.bookings.values_list("user__email", "status"))
    assert statuses == {booked.user.email: "booked", waiting.user.email: "waiting",
                        world.people["head"].email: "cancelled"}
    assert Notification.objects.filter(user=world.people["staff"],
                                       subject__startswith="Back on").exists()


def test_a_meetings_audience_is_not_typed_in(world, client):
    series = meetings.create_series(
        by=world.people["core"], title="Fixed", start_year=2026, summary="",
        meetings=_plans((20, 100)), mode="online", joining_link="https://meet.example/n",
        capacity=5)
    course = series.meetings.get(series_position=2)
    sign_in(client, world.people["core"])
    client.post(reverse("training:course_edit", args=[course.pk]), {
        "kind": "national_meeting", "title": "Renamed", "summary": "", "audience": "everyone",
        "grants": "", "validity_months": "24"})
    course.refresh_from_db()
    assert (course.title, course.audience) == ("Renamed", "current_alumni")


def test_series_and_meeting_pages_do_not_grow_with_meetings(world, client):
    """The series page (as the core team, with registrations) and a meeting's page read a
    fixed number of queries however many meetings, bookings and materials there are."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    m = meetings_world(world)
    sign_in(client, world.people["core"])
    urls = [reverse("training:series", args=[m.series.pk]),
            reverse("training:session", args=[m.first.pk])]

    def count(url):
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = [count(url) for url in urls]
    for position in (3, 4, 5):
        extra = meeting(world, position, days_ago=position, mark=f"M{position}",
                        link=f"https://video.example/{position}", series=m.series)
        for name in ("staff", "head", "leader"):
            Booking.objects.create(session=extra, user=world.people[name], status="booked")
        Booking.objects.create(session=m.first, user=world.people["staff"], status="booked")
        Booking.objects.filter(session=m.first, user=world.people["staff"]).update(
            status="cancelled")
    assert [count(url) for url in urls] == before


def test_renaming_a_series_renames_its_meetings(world, client):
    series = meetings.create_series(
        by=world.people["core"], title="Nationl meetings", start_year=2026, summary="",
        meetings=_plans((20, 100)), mode="online", joining_link="https://meet.example/n",
        capacity=5)
    sign_in(client, world.people["core"])
    url = reverse("training:series_edit", args=[series.pk])
    assert "Enter the name of the series" in client.post(url, {"title": ""}).content.decode()
    client.post(url, {"title": "National meetings", "summary": "Termly."})
    series.refresh_from_db()
    assert (series.title, series.summary) == ("National meetings", "Termly.")
    assert sorted(series.meetings.values_list("title", flat=True)) == [
        "National meetings: autumn meeting", "National meetings: spring meeting"]
