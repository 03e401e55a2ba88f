"""The workshop, the action plan and the check-back: traceability from finding to impact, and
into the next cycle's self-review."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.improvement import reminders, services
from apps.improvement.models import Action, CheckBack, PlanExport
from apps.reviews import workflow
from apps.reviews.models import Cycle, Finding, Review, SelfReviewEntry, Status
from apps.reviews.services import EditConflict
from conftest import TINY_PDF, sign_in


def action_fields(world, **extra):
    today = timezone.localdate()
    fields = {"title": "Daily reading for new arrivals", "owner": world.people["staff"],
              "starts_on": today, "due_on": today + timedelta(days=20),
              "success_criteria": "New arrivals read aloud daily", "area": "reading"}
    fields.update(extra)
    return fields


def test_every_action_answers_a_finding_of_its_review(world):
    with pytest.raises(ValidationError, match="at least one finding"):
        services.add_action(world.review, by=world.people["champion"], findings=[],
                            **action_fields(world))
    other = Finding.objects.create(review=world.other_review, working_well="x")
    with pytest.raises(ValidationError, match="from this review"):
        services.add_action(world.review, by=world.people["champion"], findings=[other],
                            **action_fields(world))
    with pytest.raises(ValidationError, match="someone at the host school"):
        services.add_action(world.review, by=world.people["champion"],
                            findings=world.review.findings.all(),
                            **action_fields(world, owner=world.people["leader"]))
    assert world.review.actions.count() == 1  # only the world's own action


def test_a_finding_shows_the_actions_it_led_to(world, client):
    finding = world.review.findings.get()
    assert list(finding.actions.all()) == [world.action]
    Review.objects.filter(pk=world.review.pk).update(status=Status.IN_REVIEW)
    sign_in(client, world.people["head"])
    page = client.get(reverse("reviews:findings", args=[world.review.pk])).content.decode()
    assert world.action.title in page


def test_workshop_runs_from_findings_to_plan(world, client):
    champion = world.people["champion"]
    sign_in(client, champion)
    url = reverse("improvement:workshop", args=[world.review.pk])
    response = client.post(url + "?stage=focus", {"do": "notes", "stage": "focus",
                                                  "notes": "Reading for new arrivals",
                                                  "lock_version": world.workshop.lock_version})
    assert response.status_code == 302
    world.workshop.refresh_from_db()
    assert world.workshop.focus == "Reading for new arrivals"
    # The guard names what is missing.
    response = client.post(url, {"do": "complete"}, follow=True)
    assert "Agree how impact will be checked" in response.content.decode()
    services.save_stage(world.workshop, "impact", by=champion, notes="Pupil voice in March",
                        expected_version=None)
    client.post(url, {"do": "complete"})
    world.review.refresh_from_db()
    assert world.review.status == Status.ACTING


def test_workshop_notes_autosave_and_conflict(world, client):
    sign_in(client, world.people["champion"])
    url = reverse("improvement:workshop_autosave", args=[world.review.pk])
    version = world.workshop.lock_version
    ok = client.post(url, {"stage": "causes", "notes": "Timetable clashes",
                           "lock_version": version})
    assert ok.status_code == 200 and ok.json()["ok"]
    stale = client.post(url, {"stage": "causes", "notes": "Mine", "lock_version": version})
    assert stale.status_code == 409 and stale.json()["conflict"]
    world.workshop.refresh_from_db()
    assert world.workshop.causes == "Timetable clashes"


def test_owner_updates_progress_with_evidence(world, client):
    sign_in(client, world.people["staff"])
    url = reverse("improvement:action", args=[world.action.pk])
    response = client.post(url, {"text": "Dropped?", "status": "dropped"})
    assert "Say why the action is dropped" in response.content.decode()
    client.post(url, {"text": "Twelve pupils read daily", "status": "done",
                      "file": SimpleUploadedFile("log.pdf", TINY_PDF)})
    world.action.refresh_from_db()
    assert world.action.status == "done"
    assert world.action.updates.first().attachments.get().filename == "log.pdf"
    response = client.post(url, {"text": "x", "status": "in_progress",
                                 "file": SimpleUploadedFile("log.pdf", b"nope")})
    assert "not really a .pdf file" in response.content.decode()
    assert world.action.updates.count() == 2  # the refused one saved nothing


def test_stale_edit_of_an_action_is_refused(world):
    version = world.action.lock_version
    services.update_action(world.action, by=world.people["head"], expected_version=version,
                           title="Reading buddies")
    with pytest.raises(EditConflict):
        services.update_action(world.action, by=world.people["champion"],
                               expected_version=version, title="Something else")


def test_check_back_completes_only_with_every_impact(world, client):
    Review.objects.filter(pk=world.review.pk).update(status=Status.ACTING)
    world.review.refresh_from_db()
    with pytest.raises(ValidationError, match="Record the impact"):
        services.complete_checkback(world.review, by=world.people["head"])
    sign_in(client, world.people["head"])
    url = reverse("improvement:checkback", args=[world.review.pk])
    client.post(url, {"action": world.action.pk, f"a{world.action.pk}-impact_seen":
                      "Eleven of twelve new arrivals read fluently",
                      f"a{world.action.pk}-next_steps": "Extend to Year 3"})
    client.post(url, {"do": "complete", "summary": "A good year"})
    assert CheckBack.objects.get(review=world.review).completed_at is not None
    workflow.transition(world.review, "close", by=world.people["lead"])
    world.review.refresh_from_db()
    assert world.review.status == Status.CLOSED


def test_next_cycle_self_review_starts_from_the_last(world):
    Review.objects.filter(pk=world.review.pk).update(status=Status.ACTING)
    services.record_impact(world.action, by=world.people["head"],
                           impact_seen="Eleven of twelve read fluently",
                           next_steps="Extend to Year 3")
    next_cycle = Cycle.objects.create(partnership=world.alpha,
                                      start_year=world.cycle.start_year + 1)
    review = Review.objects.create(cycle=next_cycle, host=world.schools["A1"],
                                   framework_version=world.published)
    workflow.transition(review, "start_self_review", by=world.people["head"])
    entry = SelfReviewEntry.objects.get(review=review, theme=None)
    text = entry.areas_to_develop
    assert world.review.key_question in text
    assert "How new arrivals catch up." in text  # the finding
    assert world.action.title in text and "Eleven of twelve read fluently" in text


def test_plan_exports_csv_and_tagged_pdf(world, client, django_capture_on_commit_callbacks):
    sign_in(client, world.people["head"])
    csv = client.get(reverse("improvement:plan_csv", args=[world.review.pk]))
    assert csv["Content-Type"].startswith("text/csv")
    assert world.action.title in csv.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("improvement:plan_pdf", args=[world.review.pk]))
    export = PlanExport.objects.exclude(pk=world.export.pk).get()
    assert response.status_code == 302 and export.status == "done"
    pdf = client.get(reverse("improvement:plan_export", args=[world.review.pk, export.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_csv_cells_cannot_run_formulas(world, client):
    Action.objects.filter(pk=world.action.pk).update(title="=HYPERLINK(\"http://x\")")
    sign_in(client, world.people["head"])
    body = client.get(reverse("improvement:plan_csv", args=[world.review.pk])).content.decode()
    assert "'=HYPERLINK" in body


def test_sharing_the_plan_opens_it_to_the_partnership(world, client):
    url = reverse("improvement:plan", args=[world.review.pk])
    sign_in(client, world.people["exec_head"])
    assert client.get(url).status_code == 403
    services.share_plan(world.review, by=world.people["head"])
    assert client.get(url).status_code == 200
    services.withdraw_plan_share(world.review, by=world.people["head"])
    assert client.get(url).status_code == 403


def test_partnership_view_shows_counts_not_content(world, client):
    sign_in(client, world.people["lead"])
    page = client.get(reverse("improvement:partnership", args=[world.alpha.slug])) \
        .content.decode()
    assert "Reading, writing and communication" not in page  # the world's action is "other"
    assert "Other" in page and world.action.title not in page


def test_stale_actions_get_one_reminder(world, django_capture_on_commit_callbacks, mailoutbox):
    Action.objects.filter(pk=world.action.pk).update(
        last_update_at=timezone.now() - timedelta(weeks=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.send_stale_action_reminders() == 1
        assert reminders.send_stale_action_reminders() == 0
    assert [m.to[0] for m in mailoutbox] == [world.people["staff"].email]


def test_action_due_dates_are_calendar_events_for_owners(world):
    from apps.improvement import calendar

    events = calendar.events_for_user(world.people["staff"])
    assert [e.start for e in events] == [world.action.due_on]
    assert calendar.events_for_user(world.people["head"]) == []


def test_partnership_view_links_only_shared_plans(world, client):
    sign_in(client, world.people["lead"])
    url = reverse("improvement:partnership", args=[world.alpha.slug])
    assert "Shared plan" not in client.get(url).content.decode()
    services.share_plan(world.review, by=world.people["head"])
    assert "Shared plan" in client.get(url).content.decode()


def test_home_page_points_owners_and_champions_to_their_work(world, client):
    sign_in(client, world.people["staff"])
    assert reverse("improvement:my_actions") in client.get(reverse("home")).content.decode()
    client.logout()
    sign_in(client, world.people["champion"])
    page = client.get(reverse("home")).content.decode()
    # The champion's workshop itself (home names it with its date), or the list of them.
    assert reverse("improvement:workshop", args=[world.review.pk]) in page or \
        reverse("improvement:workshop_when", args=[world.review.pk]) in page or \
        reverse("improvement:my_workshops") in page


def test_my_workshops_read_as_sentences(world, client):
    """Each workshop says where it stands in words, not status values joined with dots."""
    sign_in(client, world.people["champion"])
    page = client.get(reverse("improvement:my_workshops")).content.decode()
    assert world.review.host.name in page
    assert " · " not in page.split("<main", 1)[1]
    assert "Review stage: " in page
