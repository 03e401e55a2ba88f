"""The Rapid Response review: a mode of its own with a shorter timeline, online activities
with a meeting link each, its own lines of enquiry, reports marked as such, an online
workshop by default, and an optimiser pool without travel that reaches every agreed
partner."""

from __future__ import annotations

import json
import uuid
from datetime import date, time, timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from apps.allocation.build import build_instance
from apps.frameworks.services import create_framework_from_content
from apps.reviews import services, teams
from apps.reviews.models import Activity, Mode, PartnerAgreement, Report, Review, Status
from apps.reviews.schedule import add_school_days, fill_rapid_dates, rapid_timeline

pytestmark = pytest.mark.django_db

CONTENT = Path(__file__).resolve().parents[2] / "frameworks" / "content"
WEDNESDAY = date(2026, 11, 18)


@pytest.fixture
def rapid_framework(db):
    data = json.loads((CONTENT / "rapid-response.json").read_text(encoding="utf-8"))
    return create_framework_from_content(data).published_version()


def _rapid(world, **extra) -> Review:
    review = world.other_review
    for k, v in {"mode": Mode.RAPID, "meeting_link": "https://meet.example/rapid",
                 **extra}.items():
        setattr(review, k, v)
    review.save()
    return review


# The timeline -------------------------------------------------------------------------------

def test_the_rapid_timeline_counts_school_days_around_the_review_day():
    dates = rapid_timeline(WEDNESDAY)
    assert dates == {
        "data_sharing_on": date(2026, 11, 11),   # a school week before
        "pre_review_on": date(2026, 11, 13),     # three school days before (the Friday)
        "review_starts_on": WEDNESDAY,
        "feedback_on": WEDNESDAY,                # the feedback call ends the day
        "workshop_on": date(2026, 11, 25),       # within a week
        "checkback_on": date(2027, 1, 6),        # six school weeks after the workshop
    }
    assert all(d.weekday() < 5 for d in dates.values())


def test_school_days_skip_weekends_both_ways():
    saturday = date(2026, 11, 21)
    assert add_school_days(saturday, 1) == date(2026, 11, 24)  # from the Monday: Tuesday
    assert add_school_days(saturday, -1) == date(2026, 11, 19)  # from the Friday: Thursday
    assert add_school_days(date(2026, 11, 20), 1) == date(2026, 11, 23)


def test_filling_keeps_the_dates_already_chosen():
    values = {"review_starts_on": WEDNESDAY, "workshop_on": date(2026, 12, 2),
              "data_sharing_on": None}
    filled = fill_rapid_dates(values, WEDNESDAY)
    assert values["workshop_on"] == date(2026, 12, 2)
    assert "workshop_on" not in filled and "data_sharing_on" in filled
    assert fill_rapid_dates({}, None) == []


# Adding and changing a review ---------------------------------------------------------------

def test_the_review_form_offers_rapid_response_with_a_hint(client_for, world):
    page = client_for("lead").get(reverse("reviews:add_review", args=[world.cycle.pk]))
    text = page.content.decode()
    assert "Rapid Response (online, shorter)" in text
    assert "pre-review call, focused online review activities and an online Improvement " \
           "Workshop" in text


def test_adding_a_rapid_review_gives_one_day_and_its_lines_of_enquiry(client_for, world,
                                                                      rapid_framework):
    school = world.schools["A3"]
    school.pupils = 900  # big enough for two days in person
    school.save()
    response = client_for("lead").post(reverse("reviews:add_review", args=[world.cycle.pk]),
                                       {"host": school.pk, "mode": Mode.RAPID})
    review = Review.objects.get(host=school)
    assert response.status_code == 302
    assert review.mode == Mode.RAPID and review.review_days == 1
    assert review.framework_version == rapid_framework
    page = client_for("head").get(reverse("reviews:detail", args=[review.pk]))
    assert "Rapid Response review" in page.content.decode()


def test_the_enquiry_offers_the_rapid_response_lines(client_for, world, rapid_framework):
    review = _rapid(world)
    services.update_review_settings(review, by=world.people["lead"], mode=Mode.RAPID,
                                    meeting_link=review.meeting_link, framework_version=None)
    review.refresh_from_db()
    assert review.framework_version == rapid_framework
    text = client_for("leader").get(reverse("reviews:enquiry", args=[review.pk])).content.decode()
    assert "How well does the school&#x27;s recent assessment show which pupils" in text


def test_a_rapid_review_needs_its_meeting_link(client_for, world):
    review = world.other_review
    response = client_for("lead").post(reverse("reviews:settings", args=[review.pk]),
                                       {"mode": Mode.RAPID, "meeting_link": ""})
    assert "Enter the online meeting link for a virtual, blended or Rapid Response review" in \
        response.content.decode()
    review.refresh_from_db()
    assert review.mode == Mode.IN_PERSON


def test_blank_dates_follow_the_rapid_timeline(client_for, world):
    review = _rapid(world)
    client = client_for("lead")
    page = client.get(reverse("reviews:schedule", args=[review.pk])).content.decode()
    assert "Pre-review call" in page and "Online Improvement Workshop" in page
    day = add_school_days(world.cycle.first_day + timedelta(days=60), 0)
    workshop = add_school_days(day, 7)
    response = client.post(reverse("reviews:schedule", args=[review.pk]), {
        "lock_version": review.lock_version, "review_days": 1,
        "review_starts_on": day.isoformat(), "workshop_on": workshop.isoformat()},
        follow=True)
    review.refresh_from_db()
    expected = rapid_timeline(day)
    assert review.pre_review_on == expected["pre_review_on"]
    assert review.feedback_on == day
    assert review.workshop_on == workshop  # the date typed is kept
    assert "filled from the Rapid Response timeline" in response.content.decode()
    timeline = client.get(reverse("reviews:timeline", args=[world.cycle.pk])).content.decode()
    assert "Rapid Response" in timeline and f"{expected['pre_review_on']:%-d %b %Y}" in timeline


def test_an_in_person_review_gets_no_dates_it_did_not_ask_for(client_for, world):
    review = world.other_review
    day = add_school_days(world.cycle.first_day + timedelta(days=60), 0)
    client_for("lead").post(reverse("reviews:schedule", args=[review.pk]), {
        "lock_version": review.lock_version, "review_days": 1,
        "review_starts_on": day.isoformat()})
    review.refresh_from_db()
    assert review.review_starts_on == day and review.pre_review_on is None


# Meeting links on activities ----------------------------------------------------------------

def _activity_post(review, **extra):
    return {"kind": "staff_interviews", "on": review.review_starts_on.isoformat(),
            "starts_at": "09:00", "ends_at": "09:45", "place": "Online", "people": "Teachers",
            "lock_version": 0, "base": "", **extra}


@pytest.mark.parametrize(("link", "message"), [
    ("", "Enter the meeting link for this activity: every activity of a Rapid Response "
         "review is online"),
    ("http://meet.example/plain", "Enter the meeting link as a secure web address starting "
                                  "https://, like https://meet.example.org/abc"),
    ("not a link at all", "Enter the meeting link as a secure web address starting "
                          "https://, like https://meet.example.org/abc"),
])
def test_a_rapid_activity_needs_a_secure_meeting_link(client_for, world, link, message):
    review = _rapid(world, review_starts_on=world.review.review_starts_on)
    response = client_for("leader").post(reverse("reviews:plan", args=[review.pk]),
                                         _activity_post(review, meeting_link=link))
    text = response.content.decode()
    assert response.status_code == 200
    assert message.replace("'", "&#x27;") in text
    assert "Error:" in text  # the title says the page has a problem
    assert not review.activities.exists()


def test_a_rapid_activity_is_saved_with_its_link_and_shown(client_for, world):
    review = _rapid(world, review_starts_on=world.review.review_starts_on)
    client = client_for("leader")
    response = client.post(reverse("reviews:plan", args=[review.pk]),
                           _activity_post(review, meeting_link="https://meet.example/abc"))
    assert response.status_code == 302
    assert review.activities.get().meeting_link == "https://meet.example/abc"
    page = client.get(reverse("reviews:plan", args=[review.pk])).content.decode()
    assert 'href="https://meet.example/abc"' in page


def test_an_in_person_activity_may_have_no_link_but_never_an_insecure_one(world):
    review = world.review  # in person
    fields = {"kind": "pupil_voice", "on": review.review_starts_on, "starts_at": time(10, 0)}
    review.status = Status.SELF_REVIEW
    review.save()
    services.save_activity(review, by=world.people["head"], **fields)
    with pytest.raises(ValidationError) as e:
        services.save_activity(review, by=world.people["head"], meeting_link="http://x.example",
                               **fields)
    assert "meeting_link" in e.value.message_dict


def test_the_service_refuses_a_rapid_activity_without_a_link(world):
    review = _rapid(world, review_starts_on=world.review.review_starts_on)
    with pytest.raises(ValidationError):
        services.save_activity(review, by=world.people["leader"], kind="pupil_voice",
                               on=review.review_starts_on, starts_at=time(10, 0))
    assert not Activity.objects.filter(review=review).exists()


def test_scheduling_waits_for_every_activity_link(world):
    from apps.reviews import workflow

    review = _rapid(world, review_starts_on=world.review.review_starts_on)
    Activity.objects.create(review=review, kind="pupil_voice", on=review.review_starts_on,
                            starts_at="10:00")
    assert any("meeting link to every activity" in m for m in workflow._ready_to_schedule(review))


def test_meeting_links_are_not_shown_to_people_outside_the_review(client_for, world):
    """A unique marker in an activity's link: the host, the review team and the champion read
    it; the partnership lead, the associate, other schools and the core team do not, on any
    page that shows the review or its cycle."""
    review = world.review
    marker = f"LINK-{uuid.uuid4().hex}"
    review.mode, review.meeting_link = Mode.RAPID, "https://meet.example/review-call"
    review.save()
    activity = review.activities.get()
    activity.meeting_link = f"https://meet.example/{marker}"
    activity.save()
    urls = [reverse("reviews:detail", args=[review.pk]), reverse("reviews:plan", args=[review.pk]),
            reverse("reviews:cycle", args=[world.cycle.pk]),
            reverse("reviews:timeline", args=[world.cycle.pk]),
            reverse("reviews:report", args=[review.pk]),
            reverse("api:get_review", args=[review.pk]), reverse("home")]
    for persona in ("lead", "associate", "outsider", "exec_head", "staff", "alumnus", "norole",
                    "evaluator", "core", "reviewer2", "anonymous"):
        client = client_for(persona)
        for url in urls:
            assert marker not in client.get(url).content.decode(), (persona, url)
    for persona in ("head", "leader", "champion"):
        text = client_for(persona).get(reverse("reviews:plan", args=[review.pk])).content.decode()
        assert marker in text, persona
    api = client_for("head").get(reverse("api:get_review", args=[review.pk])).json()
    assert api["mode"] == Mode.RAPID
    assert api["enquiry"]["activities"][0]["meeting_link"].endswith(marker)


# Reports ------------------------------------------------------------------------------------

def test_a_rapid_report_is_marked_on_screen_and_in_the_pdf(client_for, world):
    from apps.core.tests.test_pdf import RecordingHTML
    from apps.reviews.pdf import render_report

    review = world.review
    review.mode, review.meeting_link = Mode.RAPID, "https://meet.example/call"
    review.status = Status.FEEDBACK_GIVEN
    review.save()
    report = services.compile_report(review, by=world.people["leader"], summary="Summary.")
    assert report.rapid_response
    text = client_for("head").get(reverse("reviews:report_version",
                                          args=[review.pk, report.number])).content.decode()
    assert "This report is of a Rapid Response review" in text
    RecordingHTML.calls = []
    with mock.patch("weasyprint.HTML", RecordingHTML):
        render_report(report)
        render_report(world.report)  # an in-person report
    rapid_html, other_html = (c["init"]["string"] for c in RecordingHTML.calls)
    assert "<strong>Rapid Response review</strong>" in rapid_html
    assert "Rapid Response" not in other_html


def test_an_agreed_report_keeps_its_marking_when_the_mode_changes_later(world):
    assert Report.objects.get(pk=world.report.pk).rapid_response is False
    world.review.mode = Mode.RAPID
    world.review.save()
    assert Report.objects.get(pk=world.report.pk).rapid_response is False


# The Improvement Workshop -------------------------------------------------------------------

def test_the_workshop_of_a_rapid_review_defaults_to_online(world):
    from apps.improvement.models import Workshop
    from apps.improvement.views.workshop import _schedule_form

    request = RequestFactory().get("/")
    request.user = world.people["champion"]
    review = _rapid(world)
    form = _schedule_form(request, review, None)
    assert form.initial["mode"] == Workshop.Mode.ONLINE
    assert form.initial["place"] == "https://meet.example/rapid"
    assert _schedule_form(request, world.review, None).initial["mode"] is None


# The optimiser and the candidates -----------------------------------------------------------

def _agreements(world):
    """Beta has agreed to lend reviewers to Alpha's cycle; Gamma was asked and has not
    answered. The cycle's in-person reviews stay within Alpha."""
    cycle = world.cycle
    cycle.partner_partnerships.add(world.beta, world.gamma)
    PartnerAgreement.objects.create(cycle=cycle, partner=world.beta,
                                    state=PartnerAgreement.State.AGREED)
    PartnerAgreement.objects.create(cycle=cycle, partner=world.gamma)
    assert not cycle.cross_partnership


def test_the_optimiser_sees_no_travel_and_every_agreed_partner(world):
    _agreements(world)
    _rapid(world, review_starts_on=world.review.review_starts_on)
    inst = build_instance(world.cycle)
    by_id = {r["id"]: r for r in inst["reviews"]}
    rapid, in_person = by_id[f"r{world.other_review.pk}"], by_id[f"r{world.review.pk}"]
    assert rapid["mode"] == "virtual"
    assert sorted(rapid["pool"]) == sorted([world.alpha.slug, world.beta.slug])
    assert in_person["mode"] == "in_person" and in_person["pool"] == [world.alpha.slug]
    # Beta's leaders are in the instance, Gamma's (not agreed) are not.
    urns = {s["urn"] for s in inst["schools"]}
    assert world.schools["B2"].urn in urns and world.schools["G1"].urn not in urns


def test_without_a_rapid_review_the_pool_is_unchanged(world):
    _agreements(world)
    _rapid(world, review_starts_on=world.review.review_starts_on)
    world.other_review.mode = Mode.BLENDED
    world.other_review.save()
    inst = build_instance(world.cycle)
    assert {s["partnership"] for s in inst["schools"]} == {world.alpha.slug}
    assert {r["mode"] for r in inst["reviews"]} == {"in_person"}


def test_candidates_for_a_rapid_review_come_from_agreed_partners_only(world):
    _agreements(world)
    review = _rapid(world)
    assert teams.pool_partnership_ids(review) == {world.alpha.pk, world.beta.pk}
    assert teams.pool_partnership_ids(world.review) == {world.alpha.pk}


def test_publishing_accepts_agreed_partners_and_refuses_the_others(world):
    from types import SimpleNamespace

    from apps.allocation.services import _check_partners_agreed

    _agreements(world)
    schools = [{"urn": world.schools[k].urn, "partnership": p.slug}
               for k, p in (("B2", world.beta), ("G1", world.gamma))]
    people = [{"id": "u1", "school": world.schools["B2"].urn},
              {"id": "u2", "school": world.schools["G1"].urn}]

    def run(*persons):
        return SimpleNamespace(cycle=world.cycle, instance={"schools": schools, "people": people},
                               solution={"assignments": [{"person": p} for p in persons]})

    _check_partners_agreed(run("u1"))  # Beta agreed: a Rapid Response review may use it
    with pytest.raises(ValidationError, match="Gamma Partnership has not agreed"):
        _check_partners_agreed(run("u1", "u2"))


def test_calendar_invitations_name_the_online_steps_and_carry_the_link(world):
    from apps.reviews.calendar import review_events

    review = _rapid(world, review_starts_on=WEDNESDAY, pre_review_on=date(2026, 11, 13))
    events = {e.summary: e for e in review_events(review)}
    call = events[f"Rapid Response pre-review call: {review.host.name}"]
    assert call.location == "https://meet.example/rapid"
    assert f"Rapid Response virtual review activities: {review.host.name}" in events
