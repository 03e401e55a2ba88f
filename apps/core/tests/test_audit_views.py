"""Looks at content in the audit log: one row per person, object, action (with its details)
and day, counting the looks, and the host's disclosure log still complete."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from apps.core import audit
from apps.core.models import AuditEvent
from apps.reviews.services import record_disclosure

pytestmark = pytest.mark.django_db


def _views():
    return AuditEvent.objects.filter(action__startswith="disclosure.")


def test_looks_on_one_day_are_one_row_counting_them(world):
    leader, review = world.people["leader"], world.review
    for _ in range(3):
        record_disclosure(review, "evidence_viewed", by=leader)
    row = _views().get()
    assert (row.count, row.actor, row.object_id) == (3, leader, str(review.pk))
    assert row.created_at <= row.last_at
    assert row.view_key


def test_another_person_object_action_or_detail_is_another_row(world):
    leader, head = world.people["leader"], world.people["head"]
    review, other = world.review, world.other_review
    record_disclosure(review, "report_viewed", by=leader, version=1)
    record_disclosure(review, "report_viewed", by=leader, version=1)
    record_disclosure(review, "report_viewed", by=leader, version=2)  # another version
    record_disclosure(review, "report_viewed", by=head, version=1)  # another person
    record_disclosure(other, "report_viewed", by=leader, version=1)  # another review
    record_disclosure(review, "plan_viewed", by=leader)  # another action
    record_disclosure(review, "file_downloaded", by=leader, file="a.pdf")
    record_disclosure(review, "file_downloaded", by=leader, file="b.pdf")  # another file
    counts = sorted(_views().values_list("count", flat=True))
    assert counts == [1, 1, 1, 1, 1, 1, 2]


def test_a_new_day_starts_a_new_row(world, monkeypatch):
    leader, review = world.people["leader"], world.review
    record_disclosure(review, "plan_viewed", by=leader)
    tomorrow = timezone.now() + timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    record_disclosure(review, "plan_viewed", by=leader)
    record_disclosure(review, "plan_viewed", by=leader)
    rows = list(_views().order_by("created_at"))
    assert [r.count for r in rows] == [1, 2]
    assert rows[1].created_at == rows[1].last_at == tomorrow


def test_other_actions_are_still_one_row_each(world):
    head = world.people["head"]
    audit.record("example.done", actor=head, obj=world.review)
    audit.record("example.done", actor=head, obj=world.review)
    rows = AuditEvent.objects.filter(action="example.done")
    assert rows.count() == 2
    assert all(r.count == 1 and r.view_key is None and r.last_at == r.created_at for r in rows)


def test_a_look_costs_one_query(world, django_assert_num_queries):
    leader, review = world.people["leader"], world.review
    with django_assert_num_queries(1):
        record_disclosure(review, "findings_viewed", by=leader)
    with django_assert_num_queries(1):
        record_disclosure(review, "findings_viewed", by=leader)


def test_the_first_looks_address_is_kept(world, rf):
    leader, review = world.people["leader"], world.review
    first = rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_USER_AGENT="First browser")
    first.user = leader
    later = rf.get("/", REMOTE_ADDR="192.0.2.2", HTTP_USER_AGENT="Second browser")
    later.user = leader
    audit.record_counted("disclosure.plan_viewed", actor=leader, obj=review, request=first)
    audit.record_counted("disclosure.plan_viewed", actor=leader, obj=review, request=later)
    row = _views().get()
    assert (row.count, row.ip_address, row.user_agent) == (2, "192.0.2.1", "First browser")


def test_the_hosts_disclosure_log_shows_each_look_counted(world, client_for):
    leader, review = world.people["leader"], world.review
    for _ in range(4):
        record_disclosure(review, "findings_viewed", by=leader)
    record_disclosure(review, "report_viewed", by=leader, version=2)
    page = client_for("head").get(reverse("reviews:sharing", args=[review.pk]))
    text = page.content.decode()
    assert "looked at the findings on " in text and "4 times in all" in text
    assert "read the report (version 2)" in text
    assert text.count(leader.display_name) >= 2


def test_the_audit_page_says_how_many_times(world, client_for):
    for _ in range(3):
        record_disclosure(world.review, "plan_viewed", by=world.people["head"])
    page = client_for("core").get(reverse("core:audit"), {"action": "disclosure.plan_viewed"})
    assert "3 times, the last at" in page.content.decode()


def test_your_data_copy_gives_the_count(world):
    from apps.privacy.services import personal_data

    head = world.people["head"]
    record_disclosure(world.review, "plan_viewed", by=head)
    record_disclosure(world.review, "plan_viewed", by=head)
    looks = [e for e in personal_data(head)["your_actions_in_the_audit_log"]
             if e["action"] == "disclosure.plan_viewed"]
    assert len(looks) == 1 and looks[0]["times"] == 2


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="concurrent writers are exercised on PostgreSQL; CI runs this there")
@pytest.mark.django_db(transaction=True)
def test_concurrent_looks_are_all_counted(world):
    leader, review = world.people["leader"], world.review
    errors = []

    def look():
        try:
            for _ in range(5):
                record_disclosure(review, "evidence_viewed", by=leader)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=look) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert _views().get().count == 40


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_entry_as_it_was():
    """core 0002 adds the count, the last time and the view key: entries written before it
    keep everything, one action each, with their last time their own time."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("core", "0001_initial")])
    executor.loader.build_graph()
    old = executor.loader.project_state([("core", "0001_initial")]).apps.get_model(
        "core", "AuditEvent")
    when = timezone.now() - timedelta(days=400)
    rows = [old.objects.create(action="disclosure.plan_viewed", actor_label="a@x.example",
                               object_type="reviews.review", object_id="7",
                               object_label="Review", details={"version": n},
                               ip_address="192.0.2.9", user_agent="Browser")
            for n in range(3)]
    old.objects.filter(pk=rows[0].pk).update(created_at=when)
    before = list(old.objects.order_by("pk").values())
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    after = list(AuditEvent.objects.order_by("pk").values())
    assert [{k: r[k] for k in before[0]} for r in after] == before  # every column kept
    assert all(r["count"] == 1 and r["last_at"] == r["created_at"] and r["view_key"] is None
               for r in after)
    assert after[0]["last_at"] == when


def test_autosaves_of_a_note_are_counted_per_day(world):
    from apps.reviews import services

    leader, review = world.people["leader"], world.review
    review.status = "in_review"
    review.save(update_fields=["status"])
    note, _ = services.save_evidence(review, by=leader, text="Pupils read.")
    for n in range(3):
        note, _ = services.save_evidence(review, by=leader, text=f"Pupils read {n}.",
                                         client_id=note.client_id,
                                         expected_version=note.lock_version)
    changed = AuditEvent.objects.get(action="evidence.changed")
    assert changed.count == 3 and changed.details == {"note": note.pk}
    assert AuditEvent.objects.filter(action="evidence.added").count() == 1
