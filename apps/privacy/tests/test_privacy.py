"""People's rights: a copy of your data, erasure by the core team, the retention schedule."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apps.accounts.api_tokens import create_token
from apps.core import audit
from apps.core.models import AuditEvent
from apps.notifications.models import Notification
from apps.privacy.services import FORMER
from apps.reviews.models import EvidenceNote, Status, StatusChange
from apps.training.models import Poll, PollAnswer

pytestmark = pytest.mark.django_db


def test_your_data_holds_what_is_yours_and_nothing_of_others(client_for, world):
    leader, staff = world.people["leader"], world.people["staff"]
    Notification.objects.create(user=leader, kind="x", subject="Your review is scheduled")
    Notification.objects.create(user=staff, kind="x", subject="Someone else's reminder")
    poll = Poll.objects.create(session=world.session, question="Which day suits?",
                               options=["Monday", "Friday"])
    PollAnswer.objects.create(poll=poll, booking=world.waiting, choices=[1])  # reviewer2's
    create_token(leader, "Timetable sync", by=leader)
    audit.record("example.done", actor=leader, obj=world.review)
    leader.display_spacing = "wide"
    leader.save(update_fields=["display_spacing"])
    data = json.loads(client_for("leader").get(reverse("privacy:my_data_json")).content)
    assert data["profile"]["email"] == leader.email
    assert data["display_settings"] == {"text_size": "100%", "colours": "standard",
                                        "spacing": "wide"}
    assert {r["role"] for r in data["roles"]} and data["review_teams"][0]["role"] == "Lead reviewer"
    assert [n["subject"] for n in data["notifications"]] == ["Your review is scheduled"]
    assert data["api_tokens"][0]["name"] == "Timetable sync"
    assert "example.done" in [e["action"] for e in data["your_actions_in_the_audit_log"]]
    text = json.dumps(data)
    # Review content (even their own note, part of the school's record) and other people's
    # data are not in it.
    for other in ("Pupils named three strategies", "A concern.", staff.email,
                  "Someone else's reminder", "Which day suits", "key_hash"):
        assert other not in text
    mine = json.loads(client_for("reviewer2").get(reverse("privacy:my_data_json")).content)
    assert mine["poll_answers"] == [{"question": "Which day suits?", "answer": ["Friday"],
                                     "answered": mine["poll_answers"][0]["answered"]}]


def test_your_data_as_a_readable_pdf(client_for, world):
    response = client_for("staff").get(reverse("privacy:my_data_pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and "no-store" in response["Cache-Control"]
    page = client_for("staff").get(reverse("privacy:my_data")).content.decode()
    assert "Download your data as a PDF" in page and "6 years after the review closes" in page


def test_erasure_shows_what_will_happen_then_anonymises(client_for, world):
    leader = world.people["leader"]
    email = leader.email
    create_token(leader, "Sync", by=leader)
    leader.display_text_size, leader.display_spacing = 200, "wide"
    leader.save(update_fields=["display_text_size", "display_spacing"])
    audit.record("invitation.sent", actor=world.people["core"], obj=world.review, email=email)
    url = reverse("privacy:erase", args=[leader.pk])
    assert url not in client_for("lead").get(reverse("people:people")).content.decode()
    client = client_for("core")
    assert f'href="{url}"' in client.get(reverse("people:people")).content.decode()
    page = client.get(url).content.decode()
    assert "What will happen" in page and "1 evidence note" in page and email in page
    refused = client.post(url, {})
    assert "Tick the box to confirm" in refused.content.decode()
    leader.refresh_from_db()
    assert leader.email == email  # nothing done without the confirmation
    assert client.post(url, {"confirm": "on"}).status_code == 302
    leader.refresh_from_db()
    assert leader.full_name == FORMER and email not in leader.email and not leader.is_active
    assert not leader.has_usable_password() and not leader.api_tokens.exists()
    assert not leader.roles.filter(ended_at__isnull=True).exists()
    assert (leader.display_text_size, leader.display_spacing) == (100, "standard")
    note = EvidenceNote.objects.get(pk=world.evidence.pk)  # the review record is intact
    assert note.text == "Pupils named three strategies." and str(note.author) == FORMER
    event = AuditEvent.objects.get(action="person.erased")
    assert event.actor == world.people["core"] and event.object_label == FORMER
    assert not AuditEvent.objects.filter(details__icontains=email).exists()
    assert not AuditEvent.objects.filter(actor_label=email).exists()
    # They cannot sign in any more.
    from django.test import Client
    assert not Client().login(email=email, password="x")


def test_only_the_core_team_erases_and_not_themselves(client_for, world):
    core = world.people["core"]
    assert client_for("lead").get(reverse("privacy:erase", args=[core.pk])).status_code == 403
    assert client_for("core").post(reverse("privacy:erase", args=[core.pk]),
                                   {"confirm": "on"}).status_code == 403
    core.refresh_from_db()
    assert core.is_active


def _close(review, years_ago):
    Status_ = Status
    review.status = Status_.CLOSED
    review.save(update_fields=["status"])
    StatusChange.objects.create(review=review, transition="close", from_status="acting",
                                to_status=Status_.CLOSED,
                                at=timezone.now() - timedelta(days=round(365.25 * years_ago)))


def test_retention_deletes_evidence_notes_years_after_the_review_closed(world, settings,
                                                                       capsys):
    settings.EVIDENCE_NOTE_RETENTION_YEARS = 6
    EvidenceNote.objects.create(review=world.other_review, author=world.people["reviewer2"],
                                text="Recent note.")
    _close(world.review, years_ago=6.1)
    _close(world.other_review, years_ago=5.9)
    call_command("apply_retention")
    assert "Deleted: 1 evidence notes, 0 outside registrants" in capsys.readouterr().out
    assert not EvidenceNote.objects.filter(review=world.review).exists()
    assert EvidenceNote.objects.filter(review=world.other_review).exists()
    assert AuditEvent.objects.filter(action="retention.evidence_notes_deleted").exists()
    call_command("apply_retention")
    assert "Deleted: 0 evidence notes" in capsys.readouterr().out


def _entry_at(action, when, **extra):
    event = audit.record(action, **extra)
    AuditEvent.objects.filter(pk=event.pk).update(created_at=when, last_at=when)
    return event.pk


def test_retention_deletes_audit_entries_after_their_years(world, settings, capsys,
                                                           monkeypatch):
    from apps.privacy import retention

    settings.AUDIT_RETENTION_YEARS = 6
    settings.AUDIT_VIEW_RETENTION_YEARS = 2
    monkeypatch.setattr(retention, "AUDIT_BATCH", 2)  # several batches
    now, year = timezone.now(), timedelta(days=366)
    head = world.people["head"]
    old = [_entry_at("example.done", now - 7 * year, actor=head) for _ in range(3)]
    kept = [_entry_at("example.done", now - 5 * year, actor=head),
            _entry_at("disclosure.plan_viewed", now - year, actor=head, obj=world.review)]
    old_views = [_entry_at("disclosure.plan_viewed", now - 3 * year, actor=head,
                           obj=world.review) for _ in range(2)]
    call_command("apply_retention")
    assert "5 audit entries" in capsys.readouterr().out
    assert not AuditEvent.objects.filter(pk__in=old + old_views).exists()
    assert AuditEvent.objects.filter(pk__in=kept).count() == 2
    done = AuditEvent.objects.get(action="retention.audit_entries_deleted")
    assert done.details == {"entries": 5, "years": 6, "view_years": 2}
    call_command("apply_retention")
    assert "0 audit entries" in capsys.readouterr().out
