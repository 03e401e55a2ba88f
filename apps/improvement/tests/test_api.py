"""The improvement API: the same answers as the pages, writes through the services, disclosure
auditing, the partnership's counts without the plans' text, and token sign-in for writes."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.api_tokens import create_token
from apps.core.models import AuditEvent
from apps.improvement import services
from apps.improvement.models import Action, ActionImpact, ProgressUpdate
from apps.reviews.models import Finding, Review, Status

pytestmark = pytest.mark.django_db

PERSONAS = ["core", "associate", "lead", "head", "leader", "staff", "exec_head", "outsider",
            "champion", "reviewer2", "evaluator"]
JSON = "application/json"


def _pairs(w):
    """(API address, the page with the same permission)."""
    r, a = w.review.pk, w.action.pk
    return [(f"/api/improvement/reviews/{r}/workshop", reverse("improvement:workshop", args=[r])),
            (f"/api/improvement/reviews/{r}/actions", reverse("improvement:plan", args=[r])),
            (f"/api/improvement/actions/{a}", reverse("improvement:action", args=[a])),
            (f"/api/improvement/reviews/{r}/checkback",
             reverse("improvement:checkback", args=[r])),
            (f"/api/improvement/partnerships/{w.alpha.slug}",
             reverse("improvement:partnership", args=[w.alpha.slug]))]


def action_body(w, **changes) -> dict:
    today = timezone.localdate()
    body = {"title": "Vocabulary walls in every classroom",
            "finding_ids": [w.review.findings.get().pk], "why": "Pupils lacked words.",
            "area": "reading", "owner_id": w.people["staff"].pk,
            "starts_on": str(today), "due_on": str(today + timedelta(days=60)),
            "success_criteria": "Pupils use the words in their writing"}
    return {**body, **changes}


def acting(w) -> Review:
    Review.objects.filter(pk=w.review.pk).update(status=Status.ACTING)
    w.review.refresh_from_db()
    return w.review


# The pages' permissions -------------------------------------------------------------------------

@pytest.mark.parametrize("persona", PERSONAS)
def test_every_read_answers_as_its_page_does(client_for, world, persona):
    client = client_for(persona)
    for api_url, page_url in _pairs(world):
        page, answer = client.get(page_url), client.get(api_url)
        assert answer.status_code == page.status_code, (persona, api_url)


def test_the_plan_for_the_host_and_champion_only(client_for, world):
    url = f"/api/improvement/reviews/{world.review.pk}/actions"
    for persona in ("head", "staff", "champion"):
        assert client_for(persona).get(url).status_code == 200, persona
    for persona in ("leader", "exec_head", "lead"):
        assert client_for(persona).get(url).status_code == 403, persona
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("head").get("/api/improvement/reviews/99999999/actions") \
        .status_code == 404
    assert Client().get(url).status_code == 401


def test_the_plan_lists_actions_with_their_findings_and_is_disclosed(client_for, world):
    actions = client_for("staff").get(
        f"/api/improvement/reviews/{world.review.pk}/actions").json()
    [action] = actions
    finding = world.review.findings.get()
    assert action["id"] == world.action.pk
    assert action["findings"] == [{"id": finding.pk, "line_id": None,
                                   "label": "Key enquiry question"}]
    assert action["owner"] == world.people["staff"].display_name
    assert action["success_criteria"] == "New arrivals read daily with a buddy"
    assert action["status"] == "not_started" and action["support_wanted"] == ""
    assert action["last_update_at"] and action["due_on"]
    event = AuditEvent.objects.get(action="disclosure.plan_viewed", actor=world.people["staff"])
    assert event.details == {"via": "api"}


def test_an_action_with_its_updates_names_files_but_never_sends_them(client_for, world):
    answer = client_for("staff").get(f"/api/improvement/actions/{world.action.pk}")
    assert answer.status_code == 200
    body = answer.json()
    assert body["can_update"] is True and body["impact"] is None
    assert [(u["text"], u["files"]) for u in body["updates"]] == [("Buddies trained.",
                                                                    ["rota.pdf"])]
    assert b"%PDF" not in answer.content
    event = AuditEvent.objects.get(action="disclosure.action_viewed",
                                   actor=world.people["staff"])
    assert event.details == {"action_id": world.action.pk, "via": "api"}
    assert client_for("champion").get(f"/api/improvement/actions/{world.action.pk}") \
        .json()["can_update"] is False
    assert client_for("exec_head").get(f"/api/improvement/actions/{world.action.pk}") \
        .status_code == 403
    assert client_for("outsider").get(f"/api/improvement/actions/{world.action.pk}") \
        .status_code == 404


def test_the_workshop_with_its_notes_and_findings(client_for, world):
    url = f"/api/improvement/reviews/{world.review.pk}/workshop"
    body = client_for("champion").get(url).json()
    assert body["scheduled"] is True and body["stage"] == "revisit"
    assert body["completed"] is False
    notes = {s["stage"]: s["notes"] for s in body["stages"]}
    assert notes["revisit"] == "Reading stood out." and list(notes)[-1] == "impact"
    assert [f["id"] for f in body["findings"]] == [world.review.findings.get().pk]
    assert body["champion"] == world.people["champion"].display_name
    assert client_for("leader").get(url).status_code == 200
    assert client_for("staff").get(url).status_code == 403
    assert AuditEvent.objects.filter(action="disclosure.workshop_viewed",
                                     actor=world.people["champion"]).exists()


# Writes -----------------------------------------------------------------------------------------

def test_an_action_is_added_through_the_service(client_for, world):
    url = f"/api/improvement/reviews/{world.review.pk}/actions"
    answer = client_for("champion").post(url, action_body(world), content_type=JSON)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    action = Action.objects.get(pk=body["id"])
    assert action.created_by == world.people["champion"] and action.area == "reading"
    assert [f["id"] for f in body["findings"]] == [world.review.findings.get().pk]
    assert AuditEvent.objects.filter(action="action.added",
                                     actor=world.people["champion"]).exists()
    assert client_for("staff").post(url, action_body(world), content_type=JSON) \
        .status_code == 403
    assert client_for("outsider").post(url, action_body(world), content_type=JSON) \
        .status_code == 404


def test_an_action_needs_findings_of_the_review_and_an_owner_at_the_school(client_for, world):
    url = f"/api/improvement/reviews/{world.review.pk}/actions"
    client = client_for("head")
    before = Action.objects.count()

    none = client.post(url, action_body(world, finding_ids=[],
                                        owner_id=world.people["exec_head"].pk),
                       content_type=JSON)
    assert none.status_code == 400
    assert none.json()["errors"] == ["Link the action to at least one finding it answers",
                                     "The owner must be someone at the host school"]

    elsewhere = client.post(url, action_body(world, owner_id=world.people["outsider"].pk),
                            content_type=JSON)
    assert elsewhere.status_code == 400
    assert elsewhere.json()["errors"] == ["The owner must be someone at the host school"]

    other = Finding.objects.create(review=world.other_review, line=None, working_well="x")
    foreign = client.post(url, action_body(world, finding_ids=[other.pk]), content_type=JSON)
    assert foreign.status_code == 400
    assert foreign.json()["errors"] == ["Findings must come from this review"]

    missing = client.post(url, action_body(world, finding_ids=[2**40], owner_id=2**30),
                          content_type=JSON)
    assert missing.status_code == 400
    assert missing.json()["errors"] == ["Findings must come from this review",
                                        "The owner must be someone at the host school"]

    backwards = client.post(url, action_body(
        world, due_on=str(timezone.localdate() - timedelta(days=1))), content_type=JSON)
    assert backwards.status_code == 400
    assert "on or after the start date" in backwards.json()["detail"]
    assert client.post(url, action_body(world, area="nonsense"), content_type=JSON) \
        .status_code == 422
    assert Action.objects.count() == before


def test_progress_by_the_owner_and_not_by_a_partner_head(client_for, world):
    url = f"/api/improvement/actions/{world.action.pk}/progress"
    body = {"text": "Half the class has a buddy.", "status": "in_progress"}
    answer = client_for("staff").post(url, body, content_type=JSON)
    assert answer.status_code == 201, answer.content
    assert answer.json()["update"]["text"] == "Half the class has a buddy."
    assert answer.json()["action"]["status"] == "in_progress"
    world.action.refresh_from_db()
    assert world.action.status == "in_progress"

    before = ProgressUpdate.objects.count()
    assert client_for("exec_head").post(url, body, content_type=JSON).status_code == 403
    assert client_for("champion").post(url, body, content_type=JSON).status_code == 403
    assert client_for("outsider").post(url, body, content_type=JSON).status_code == 404
    dropped = client_for("head").post(url, {"text": "Stopped.", "status": "dropped"},
                                      content_type=JSON)
    assert dropped.status_code == 400
    assert dropped.json()["errors"] == ["Say why the action is dropped"]
    assert ProgressUpdate.objects.count() == before


def test_the_check_back_and_recording_impact(client_for, world):
    url = f"/api/improvement/reviews/{world.review.pk}/checkback"
    body = client_for("head").get(url).json()
    assert body["open_for_impact"] is False and body["completed"] is False
    assert [(a["id"], a["impact"]) for a in body["actions"]] == [(world.action.pk, None)]
    assert client_for("staff").get(url).status_code == 403

    impact_url = f"/api/improvement/actions/{world.action.pk}/impact"
    impact = {"impact_seen": "New arrivals read daily.", "next_steps": "Keep going."}
    early = client_for("head").put(impact_url, impact, content_type=JSON)
    assert early.status_code == 400 and "check-back follows" in early.json()["detail"]

    acting(world)
    assert client_for("staff").put(impact_url, impact, content_type=JSON).status_code == 403
    assert client_for("outsider").put(impact_url, impact, content_type=JSON) \
        .status_code == 404
    saved = client_for("head").put(impact_url, impact, content_type=JSON)
    assert saved.status_code == 200, saved.content
    assert saved.json()["impact_seen"] == "New arrivals read daily."
    assert ActionImpact.objects.get(action=world.action).next_steps == "Keep going."
    body = client_for("head").get(url).json()
    assert body["open_for_impact"] is True
    assert body["actions"][0]["impact"]["impact_seen"] == "New arrivals read daily."


# The partnership ----------------------------------------------------------------------------------

def test_the_partnership_sees_counts_and_the_text_only_of_shared_plans(client_for, world):
    url = f"/api/improvement/partnerships/{world.alpha.slug}"
    answer = client_for("lead").get(url)
    assert answer.status_code == 200
    rows = {r["review_id"]: r for r in answer.json()["reviews"]}
    row = rows[world.review.pk]
    assert row["actions"] == {"open": 1, "done": 0, "all": 1}
    assert row["plan_shared"] is False and row["shared_actions"] is None
    assert row["workshop_held"] is False and row["checkback_completed"] is False
    assert answer.json()["open_actions_by_area"] == [
        {"area": "other", "label": "Other", "open_actions": 1, "schools": 1}]
    assert world.action.title not in answer.content.decode()
    assert not AuditEvent.objects.filter(action="disclosure.plan_viewed").exists()

    services.share_plan(world.review, by=world.people["head"])
    shared = client_for("lead").get(url).json()
    row = {r["review_id"]: r for r in shared["reviews"]}[world.review.pk]
    assert row["plan_shared"] is True
    assert [a["title"] for a in row["shared_actions"]] == [world.action.title]
    assert AuditEvent.objects.get(action="disclosure.plan_viewed",
                                  actor=world.people["lead"]).details == {"via": "api"}
    # The core team sees the counts; the plan is shared with the partnership, not with them.
    core = client_for("core").get(url)
    assert core.status_code == 200 and world.action.title not in core.content.decode()

    assert client_for("exec_head").get(url).status_code == 403
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("lead").get("/api/improvement/partnerships/nope").status_code == 404


# Tokens -------------------------------------------------------------------------------------------

def test_a_token_writes_without_a_csrf_token(world):
    staff = world.people["staff"]
    _, secret = create_token(staff, "Plan app", by=staff)
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {secret}")
    answer = client.post(f"/api/improvement/actions/{world.action.pk}/progress",
                         {"text": "All buddies in place.", "status": "done"},
                         content_type=JSON)
    assert answer.status_code == 201, answer.content
    assert ProgressUpdate.objects.filter(text="All buddies in place.", author=staff).exists()
    # A session without the CSRF token is refused the same write.
    from conftest import sign_in

    session = Client(enforce_csrf_checks=True)
    sign_in(session, staff)
    assert session.post(f"/api/improvement/actions/{world.action.pk}/progress",
                        {"text": "Again.", "status": "done"},
                        content_type=JSON).status_code == 403
