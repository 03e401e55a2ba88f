"""Phases: a future phase is scheduled, not current; the latest change can be put right."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from apps.core.audit import AuditEvent
from apps.partnerships import services
from apps.partnerships.models import PhaseChange


def test_a_future_phase_is_scheduled_and_applied_on_its_day(world, client_for):
    today = timezone.localdate()
    response = client_for("core").post(f"/partnerships/{world.alpha.slug}/phase/", {
        "phase": "embed", "started_on": (today + timedelta(days=10)).isoformat(), "note": ""})
    assert response.status_code == 302
    world.alpha.refresh_from_db()
    assert world.alpha.phase == "build"  # scheduled, not yet current
    page = client_for("core").get(f"/partnerships/{world.alpha.slug}/phase/").content.decode()
    assert "Scheduled" in page and "Undo" in page
    PhaseChange.objects.filter(phase="embed").update(started_on=today)
    call_command("apply_phase_changes")
    world.alpha.refresh_from_db()
    assert world.alpha.phase == "embed"


def test_the_latest_change_can_be_corrected_to_an_earlier_date(world):
    today = timezone.localdate()
    change = services.change_phase(world.alpha, phase="embed",
                                   started_on=today + timedelta(days=60), by=world.people["core"])
    services.correct_phase_change(change, phase="embed", started_on=today,
                                  by=world.people["core"])
    world.alpha.refresh_from_db()
    assert world.alpha.phase == "embed"
    assert AuditEvent.objects.filter(action="partnership.phase_corrected").exists()


def test_undo_goes_back_to_the_phase_before(world, client_for):
    today = timezone.localdate()
    change = services.change_phase(world.alpha, phase="embed", started_on=today,
                                   by=world.people["core"])
    world.alpha.refresh_from_db()
    assert world.alpha.phase == "embed"
    url = f"/partnerships/{world.alpha.slug}/phase/{change.pk}/undo/"
    confirm = client_for("core").get(url).content.decode()
    assert "Undo the Embed phase?" in confirm and "goes back to" in confirm
    assert client_for("core").post(url).status_code == 302
    world.alpha.refresh_from_db()
    assert world.alpha.phase == "build"
    assert not PhaseChange.objects.filter(pk=change.pk).exists()


def test_only_the_latest_change_is_corrected_and_the_first_is_not_undone(world):
    first = world.alpha.phase_history.get()
    with pytest.raises(ValidationError, match="first phase cannot be undone"):
        services.undo_phase_change(first, by=world.people["core"])
    services.change_phase(world.alpha, phase="embed", started_on=timezone.localdate(),
                          by=world.people["core"])
    with pytest.raises(ValidationError, match="Only the latest"):
        services.correct_phase_change(first, phase="build", started_on=first.started_on,
                                      by=world.people["core"])


def test_a_new_phase_before_the_latest_says_how_to_fix_it(world):
    today = timezone.localdate()
    services.change_phase(world.alpha, phase="embed", started_on=today + timedelta(days=30),
                          by=world.people["core"])
    with pytest.raises(ValidationError, match="change or undo it first"):
        services.change_phase(world.alpha, phase="sustain", started_on=today,
                              by=world.people["core"])
