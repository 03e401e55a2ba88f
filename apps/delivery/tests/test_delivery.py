"""Delivery partners end to end through the pages: an associate nominates with the evidence
in front of them, the core team decides (and can put each step right), the nominee is told;
an approved delivery partner is attached to a partnership with a scope and an end date, and
records what they delivered."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role
from apps.notifications.models import Notification
from apps.partnerships.models import (
    DeliveryActivity,
    DeliveryAttachment,
    DeliveryPartner,
)
from tests.factories import RoleFactory, UserFactory

from .matrix_rows import MARKER, approved, attachment

pytestmark = pytest.mark.django_db
State = DeliveryPartner.State


def _text(response) -> str:
    return response.content.decode()


def _row(key: str, value: str) -> str:
    return (f'<dt class="govuk-summary-list__key">{key}</dt>'
            f'<dd class="govuk-summary-list__value">{value}</dd>')


def test_the_nomination_page_shows_the_platforms_evidence(world, client_for):
    # conftest: leader led A1's review (report agreed); their reviewer training is in date.
    page = _text(client_for("associate").get(
        reverse("delivery:nominate_person", args=[world.people["leader"].pk])))
    assert "Evidence from the platform" in page
    assert _row("Reviews led", "1") in page
    assert "In date</strong> until" in page
    # A school's review belongs to that school: the evidence names no school.
    assert "A1 School" not in page
    champion = _text(client_for("associate").get(
        reverse("delivery:nominate_person", args=[world.people["champion"].pk])))
    assert _row("Improvement Champion roles", "1") in champion


def test_nominate_decide_and_the_nominee_is_told(world, client_for):
    reviewer2 = world.people["reviewer2"]
    url = reverse("delivery:nominate_person", args=[reviewer2.pk])
    empty = client_for("associate").post(url, {"reason": "  "})
    assert "Enter why you are nominating this person" in _text(empty)
    assert not DeliveryPartner.objects.exists()
    response = client_for("associate").post(url, {"reason": f"{MARKER} leads calmly"})
    dp = DeliveryPartner.objects.get()
    assert response.status_code == 302 and dp.status == State.NOMINATED
    told = Notification.objects.get(kind="delivery.nominated")
    assert told.user == reviewer2 and told.url == reverse("delivery:detail", args=[dp.pk])
    # A second nomination while one waits is refused in words.
    again = client_for("associate").post(url, {"reason": "Again"})
    assert "already waiting for a decision" in _text(again)

    core = client_for("core")
    decide = reverse("delivery:decide", args=[dp.pk])
    today = timezone.localdate()
    data = {"decision": "approve", "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=365)).isoformat(), "note": ""}
    check = core.post(decide, data)
    assert "Check your decision" in _text(check)
    dp.refresh_from_db()
    assert dp.status == State.NOMINATED  # nothing decided until confirmed
    core.post(decide, {**data, "confirmed": "yes"})
    dp.refresh_from_db()
    assert dp.status == State.APPROVED and dp.ends_on == today + timedelta(days=365)
    assert dp.decided_by == world.people["core"]
    decided = Notification.objects.filter(kind="delivery.decided")
    assert {n.user for n in decided} == {reviewer2, world.people["associate"]}
    page = _text(client_for("reviewer2").get(reverse("delivery:detail", args=[dp.pk])))
    assert "Delivery partner</strong>" in page and MARKER in page


def test_decline_reopen_withdraw_and_end_put_mistakes_right(world, client_for):
    reviewer2 = world.people["reviewer2"]
    from apps.delivery import services

    dp = services.nominate(reviewer2, by=world.people["associate"], reason="Skilled")
    core = client_for("core")
    no_reason = core.post(reverse("delivery:decide", args=[dp.pk]),
                          {"decision": "decline", "note": "", "confirmed": "yes"})
    assert "Enter the reason for declining the nomination" in _text(no_reason)
    core.post(reverse("delivery:decide", args=[dp.pk]),
              {"decision": "decline", "note": "Not this year", "confirmed": "yes"})
    dp.refresh_from_db()
    assert dp.status == State.DECLINED
    core.post(reverse("delivery:reopen", args=[dp.pk]))
    dp.refresh_from_db()
    assert dp.status == State.NOMINATED and dp.decision_note == ""
    client_for("associate").post(reverse("delivery:withdraw", args=[dp.pk]))
    dp.refresh_from_db()
    assert dp.status == State.WITHDRAWN

    live = approved(world)
    today = timezone.localdate()
    core = client_for("core")
    early = core.post(reverse("delivery:end", args=[live.pk]), {
        "on": (live.starts_on - timedelta(days=1)).isoformat(), "version": live.lock_version})
    assert "The last day must be on or after the day it started" in _text(early)
    core.post(reverse("delivery:end", args=[live.pk]), {
        "on": today.isoformat(), "note": "Moved abroad", "version": live.lock_version})
    live.refresh_from_db()
    assert live.ends_on == today and live.ended_note == "Moved abroad"
    assert Notification.objects.filter(kind="delivery.ended",
                                        user=world.people["leader"]).exists()
    # Ended by mistake: the dates can be changed back; a stale form is refused, not lost.
    stale = core.post(reverse("delivery:change_dates", args=[live.pk]), {
        "starts_on": live.starts_on.isoformat(),
        "ends_on": (today + timedelta(days=200)).isoformat(), "version": live.lock_version - 1})
    assert "Someone else changed this" in _text(stale)
    core.post(reverse("delivery:change_dates", args=[live.pk]), {
        "starts_on": live.starts_on.isoformat(),
        "ends_on": (today + timedelta(days=200)).isoformat(), "version": live.lock_version})
    live.refresh_from_db()
    assert live.ends_on == today + timedelta(days=200)


def test_attach_with_a_scope_and_end_date_and_record_what_was_delivered(world, client_for):
    dp = approved(world)
    today = timezone.localdate()
    associate = client_for("associate")
    form = _text(associate.get(reverse("delivery:attach", args=[dp.pk])))
    # The associate attaches only to their own partnerships.
    assert "Alpha Partnership" in form and "Beta Partnership" not in form
    too_long = associate.post(reverse("delivery:attach", args=[dp.pk]), {
        "partnership": world.alpha.pk, "scope": "training", "starts_on": today.isoformat(),
        "ends_on": (dp.ends_on + timedelta(days=1)).isoformat()})
    assert "must be on or before the day the delivery partnership ends" in _text(too_long)
    wrong = associate.post(reverse("delivery:attach", args=[dp.pk]), {
        "partnership": world.beta.pk, "scope": "training", "starts_on": today.isoformat(),
        "ends_on": today.isoformat()})
    assert "Select a valid choice" in _text(wrong) or "Choose" in _text(wrong)
    assert not DeliveryAttachment.objects.exists()
    associate.post(reverse("delivery:attach", args=[dp.pk]), {
        "partnership": world.alpha.pk, "scope": "training", "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=60)).isoformat()})
    att = DeliveryAttachment.objects.get()
    assert att.scope == "training" and att.is_current()
    assert Notification.objects.filter(kind="delivery.attached",
                                       user=world.people["leader"]).exists()
    alpha = _text(client_for("head").get(reverse("partnerships:detail", args=[world.alpha.slug])))
    assert "Delivery partners" in alpha and "Training until" in alpha

    leader = client_for("leader")
    future = leader.post(reverse("delivery:record_activity", args=[att.pk]), {
        "on": (today + timedelta(days=1)).isoformat(), "summary": "Training"})
    assert "The date must be today or in the past" in _text(future)
    leader.post(reverse("delivery:record_activity", args=[att.pk]), {
        "on": today.isoformat(), "summary": "Reviewer training for six leaders"})
    activity = DeliveryActivity.objects.get()
    assert "Reviewer training for six leaders" in _text(
        client_for("lead").get(reverse("delivery:attachment", args=[att.pk])))
    # Ending the attachment (its end date moved to yesterday) stops their recording.
    client_for("associate").post(reverse("delivery:change_attachment", args=[att.pk]), {
        "scope": "training", "starts_on": (today - timedelta(days=1)).isoformat(),
        "ends_on": (today - timedelta(days=1)).isoformat(), "version": att.lock_version})
    att.refresh_from_db()
    assert not att.is_current()
    leader = client_for("leader")
    assert leader.get(reverse("delivery:record_activity", args=[att.pk])).status_code == 403
    # A record made by mistake can be removed by whoever made it.
    leader.post(reverse("delivery:remove_activity", args=[activity.pk]))
    assert not DeliveryActivity.objects.exists()


def test_nobody_outside_sees_the_reason(world, client_for):
    dp = approved(world)
    attachment(world)
    for persona in ("lead", "head", "staff", "outsider", "evaluator", "norole", "reviewer2"):
        response = client_for(persona).get(reverse("delivery:detail", args=[dp.pk]))
        assert response.status_code == 404, persona
        assert MARKER not in _text(response), persona
    index = _text(client_for("leader").get(reverse("delivery:index")))
    assert "Leader" in index


def _outside_partner(world, **attached):
    """A headteacher of a school in no partnership, approved as a delivery partner and
    attached as given (partnership, scope, dates)."""
    person = UserFactory(email="dp@test.example", full_name="Dana Partner")
    RoleFactory(user=person, role=Role.HEADTEACHER, school=world.schools["X"])
    today = timezone.localdate()
    dp = DeliveryPartner.objects.create(
        person=person, reason="Skilled", status=State.APPROVED,
        starts_on=today - timedelta(days=100), ends_on=today + timedelta(days=300))
    DeliveryAttachment.objects.create(delivery_partner=dp, **attached)
    return person, dp


REVIEW_MARKER = "DP-SCHEDULE-MARKER-3J8Q"


@pytest.mark.parametrize("case", ["in_force", "ended", "partner_ended", "other_partnership",
                                  "training_only"])
def test_an_attached_delivery_partner_sees_the_schedule_only_while_in_force(
        world, client, case):
    from conftest import sign_in

    world.review.status_reason = REVIEW_MARKER
    world.review.save(update_fields=["status_reason"])
    today = timezone.localdate()
    attached = {"partnership": world.alpha, "scope": "reviews",
                "starts_on": today - timedelta(days=30), "ends_on": today + timedelta(days=30)}
    if case == "ended":
        attached["ends_on"] = today - timedelta(days=1)
    if case == "other_partnership":
        attached["partnership"] = world.beta
    if case == "training_only":
        attached["scope"] = "training"
    person, dp = _outside_partner(world, **attached)
    if case == "partner_ended":
        dp.ends_on = today - timedelta(days=1)
        dp.save()
    sign_in(client, person)
    review = client.get(reverse("reviews:detail", args=[world.review.pk]))
    cycle = client.get(reverse("reviews:cycle", args=[world.cycle.pk]))
    alpha = client.get(reverse("partnerships:detail", args=[world.alpha.slug]))
    if case == "in_force":
        assert review.status_code == 200 and REVIEW_MARKER in _text(review)
        assert cycle.status_code == 200 and alpha.status_code == 200
        # Like the associate: the schedule and status, never the review's content.
        assert client.get(reverse("reviews:self_review", args=[world.review.pk])) \
            .status_code == 403
        assert client.get(reverse("reviews:report", args=[world.review.pk])).status_code \
            in (403, 404)
        return
    assert review.status_code == 404 and REVIEW_MARKER not in _text(review)
    assert cycle.status_code == 404
    assert alpha.status_code == (200 if case == "training_only" else 404)
