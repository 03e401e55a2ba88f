"""The review cycle's API: token sign-in, the same answers as the pages, writes with
optimistic locking, status changes and shared reports."""

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.accounts.api_tokens import create_token, hash_secret, revoke_token
from apps.accounts.models import ApiToken
from apps.core.models import AuditEvent
from apps.reviews import services
from apps.reviews.models import EvidenceNote, Report, Review, Status

pytestmark = pytest.mark.django_db

PERSONAS = ["core", "associate", "lead", "head", "leader", "staff", "exec_head", "outsider",
            "evaluator", "reviewer2"]


def token_client(world, persona) -> Client:
    user = world.people[persona]
    _, secret = create_token(user, "Test integration", by=user)
    return Client(headers={"Authorization": f"Bearer {secret}"})


def bearer(secret) -> Client:
    return Client(headers={"Authorization": f"Bearer {secret}"})


def under_way(world) -> Review:
    Review.objects.filter(pk=world.review.pk).update(status=Status.IN_REVIEW)
    world.review.refresh_from_db()
    return world.review


# Tokens -----------------------------------------------------------------------------------------

def test_a_token_signs_in_and_a_bad_one_is_refused(world):
    head = world.people["head"]
    token, secret = create_token(head, "Timetable sync", by=head)
    assert bearer(secret).get("/api/me").json()["email"] == head.email
    assert bearer("prt_" + "x" * 43).get("/api/reviews/").status_code == 401
    assert bearer("nonsense").get("/api/reviews/").status_code == 401
    assert Client().get("/api/reviews/").status_code == 401

    revoke_token(token, by=head)
    assert bearer(secret).get("/api/reviews/").status_code == 401

    _, expiring = create_token(head, "Short-lived", by=head,
                               expires_at=timezone.now() + timedelta(days=1))
    assert bearer(expiring).get("/api/reviews/").status_code == 200
    ApiToken.objects.filter(key_hash=hash_secret(expiring)).update(
        expires_at=timezone.now() - timedelta(seconds=1))
    assert bearer(expiring).get("/api/reviews/").status_code == 401


def test_a_bad_token_is_refused_even_with_a_session(client_for, world):
    client = client_for("head")
    assert client.get("/api/reviews/").status_code == 200
    assert client.get("/api/reviews/", headers={"Authorization": "Bearer prt_wrong"}) \
        .status_code == 401


def test_tokens_are_hashed_at_rest(world):
    head = world.people["head"]
    token, secret = create_token(head, "Sync", by=head)
    assert secret.startswith("prt_") and len(secret) > 40
    token.refresh_from_db()
    assert token.key_hash == hash_secret(secret) and token.key_prefix == secret[:8]
    stored = [str(v) for v in ApiToken.objects.filter(pk=token.pk).values().first().values()]
    assert secret not in stored
    assert not any(secret in str(e.details) for e in AuditEvent.objects.all())


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_token_sees_exactly_what_the_session_sees(client_for, world, persona):
    via_token = token_client(world, persona)
    session = client_for(persona)
    for url in ["/api/reviews/", "/api/reviews/cycles", f"/api/reviews/cycles/{world.cycle.pk}",
                f"/api/reviews/{world.review.pk}", f"/api/reviews/{world.review.pk}/team",
                f"/api/reviews/{world.review.pk}/evidence",
                f"/api/reviews/{world.review.pk}/findings",
                f"/api/reviews/{world.review.pk}/reports"]:
        a, b = session.get(url), via_token.get(url)
        assert a.status_code == b.status_code, url
        assert a.json() == b.json(), url
    ids = [r["id"] for r in via_token.get("/api/reviews/").json()["items"]]
    expected = {"core": 2, "associate": 2, "lead": 2, "head": 2, "leader": 2, "staff": 2,
                "exec_head": 2, "reviewer2": 2, "outsider": 0, "evaluator": 0}[persona]
    assert len(ids) == expected


def test_a_token_writes_without_a_csrf_token(world):
    under_way(world)
    leader = world.people["leader"]
    _, secret = create_token(leader, "Notes app", by=leader)
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {secret}"})
    response = client.post(f"/api/reviews/{world.review.pk}/evidence",
                           {"text": "Pupils discussed their reading."},
                           content_type="application/json")
    assert response.status_code == 201


# Reviews ----------------------------------------------------------------------------------------

def test_outsiders_get_404_and_insiders_without_the_right_403(client_for, world):
    url = f"/api/reviews/{world.review.pk}"
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("outsider").get(url + "/evidence").status_code == 404
    assert client_for("staff").get(url).status_code == 200
    assert client_for("staff").get(url + "/evidence").status_code == 403
    assert client_for("staff").get(url + "/findings").status_code == 403
    assert client_for("head").get("/api/reviews/99999999").status_code == 404
    assert client_for("head").get("/api/reviews/cycles/99999999").status_code == 404


def test_the_enquiry_only_for_those_who_see_content(client_for, world):
    url = f"/api/reviews/{world.review.pk}"
    head = client_for("head").get(url).json()
    assert head["enquiry"]["key_question"] == world.review.key_question
    assert [line["position"] for line in head["enquiry"]["lines"]] == [1]
    assert {"name": "Leader", "role": "lead", "school": "A2 School",
            "status": "accepted"} in head["team"]
    lead = client_for("lead").get(url).json()
    assert lead["enquiry"] is None and lead["status"] == "report_agreed"
    assert world.review.key_question not in str(lead)


def test_filters_and_cycle_detail(client_for, world):
    client = client_for("lead")
    listed = client.get("/api/reviews/", {"status": "self_review"}).json()
    assert [r["id"] for r in listed["items"]] == [world.other_review.pk]
    assert client.get("/api/reviews/", {"status": "nonsense"}).status_code == 422
    assert client.get("/api/reviews/", {"cycle": 2**40}).json()["count"] == 0
    cycle = client.get(f"/api/reviews/cycles/{world.cycle.pk}").json()
    assert {r["id"] for r in cycle["reviews"]} == {world.review.pk, world.other_review.pk}


def test_team_decline_reasons_only_for_managers(client_for, world):
    member = world.other_review.team.get()
    member.status, member.decline_reason = "declined", "On a course that week"
    member.save()
    url = f"/api/reviews/{world.other_review.pk}/team"
    assert client_for("lead").get(url).json()[0]["decline_reason"] == "On a course that week"
    assert client_for("leader").get(url).json()[0]["decline_reason"] is None


# Evidence ---------------------------------------------------------------------------------------

def test_evidence_is_idempotent_by_client_id(client_for, world):
    under_way(world)
    client = client_for("leader")
    url = f"/api/reviews/{world.review.pk}/evidence"
    client_id = str(uuid.uuid4())
    body = {"text": "Two pupils used the word 'inference'.", "client_id": client_id,
            "line_id": world.review.lines.get().pk, "tags": ["Year 4", "reading"]}
    first = client.post(url, body, content_type="application/json")
    assert first.status_code == 201, first.content
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert EvidenceNote.objects.filter(client_id=client_id).count() == 1
    assert first.json()["tags"] == ["reading", "year 4"]

    stale = client.post(url, {**body, "text": "Changed", "lock_version": 0},
                        content_type="application/json")
    assert stale.status_code == 409
    assert stale.json()["current"]["text"] == body["text"]
    assert "changed elsewhere" in stale.json()["detail"]


def test_evidence_rules(client_for, world):
    url = f"/api/reviews/{world.review.pk}/evidence"
    body = {"text": "A note"}
    # report agreed: evidence is closed
    closed = client_for("leader").post(url, body, content_type="application/json")
    assert closed.status_code == 400 and "Evidence is recorded" in closed.json()["detail"]
    under_way(world)
    assert client_for("head").post(url, body, content_type="application/json") \
        .status_code == 403
    assert client_for("outsider").post(url, body, content_type="application/json") \
        .status_code == 404
    wrong_line = client_for("leader").post(
        url, {**body, "line_id": world.other_review.pk + 1000}, content_type="application/json")
    assert wrong_line.status_code == 400
    assert client_for("leader").post(url, {"text": ""}, content_type="application/json") \
        .status_code == 422


def test_reading_content_is_disclosed(client_for, world):
    client = client_for("leader")
    evidence = client.get(f"/api/reviews/{world.review.pk}/evidence").json()
    assert [n["text"] for n in evidence["items"]] == [world.evidence.text]
    client.get(f"/api/reviews/{world.review.pk}/findings")
    client.get(f"/api/reviews/{world.review.pk}/reports")
    actions = {e.action: e.details for e in AuditEvent.objects.filter(
        object_id=str(world.review.pk), actor=world.people["leader"])}
    for what in ("evidence_viewed", "findings_viewed", "report_viewed"):
        assert actions[f"disclosure.{what}"]["via"] == "api"


# Findings ---------------------------------------------------------------------------------------

def test_finding_update_and_conflict(client_for, world):
    under_way(world)
    url = f"/api/reviews/{world.review.pk}/findings"
    listed = client_for("leader").get(url).json()
    assert [f["line_id"] for f in listed] == [None, world.review.lines.get().pk]
    key = listed[0]
    assert key["working_well"] == "Pupils read aloud." and key["lock_version"] == 0
    body = {"line_id": None, "working_well": "Pupils read aloud with expression.",
            "explore_further": "", "workshop_questions": "", "lock_version": 0}
    saved = client_for("leader").put(url, body, content_type="application/json")
    assert saved.status_code == 200 and saved.json()["lock_version"] == 1
    conflict = client_for("leader").put(url, {**body, "working_well": "Other"},
                                        content_type="application/json")
    assert conflict.status_code == 409
    assert conflict.json()["current"]["working_well"] == "Pupils read aloud with expression."
    assert client_for("head").put(url, body, content_type="application/json") \
        .status_code == 403


# Status -----------------------------------------------------------------------------------------

def test_transitions(client_for, world):
    url = f"/api/reviews/{world.review.pk}/transitions"
    refused = client_for("staff").post(url, {"name": "cancel", "reason": "x"},
                                       content_type="application/json")
    assert refused.status_code == 403 and "host headteacher" in refused.json()["detail"]

    under_way(world)
    missing = client_for("leader").post(url, {"name": "give_feedback"},
                                        content_type="application/json")
    assert missing.status_code == 409
    assert missing.json()["missing"] == ["Write the feedback for line of enquiry 1"]

    Review.objects.filter(pk=world.review.pk).update(status=Status.ACTING)
    from apps.improvement.models import CheckBack

    CheckBack.objects.create(review=world.review, completed_at=timezone.now())
    done = client_for("head").post(url, {"name": "close"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "closed"
    assert client_for("outsider").post(url, {"name": "close"},
                                       content_type="application/json").status_code == 404


# Reports ----------------------------------------------------------------------------------------

def test_a_shared_report_is_seen_in_its_agreed_version_only(client_for, world):
    Report.objects.create(review=world.review, number=2, status="draft", summary="Draft two.")
    url = f"/api/reviews/{world.review.pk}/reports"
    assert client_for("lead").get(url).status_code == 403
    assert [r["number"] for r in client_for("head").get(url).json()] == [2, 1]

    services.share_report(world.review, "partnership", by=world.people["head"])
    shared = client_for("lead").get(url)
    assert shared.status_code == 200
    assert [(r["number"], r["status"]) for r in shared.json()] == [(1, "agreed")]
    event = AuditEvent.objects.filter(action="disclosure.report_viewed",
                                      actor=world.people["lead"]).get()
    assert event.details == {"version": 1, "shared": True, "via": "api"}
    assert client_for("staff").get(url).status_code == 403
