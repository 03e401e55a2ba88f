"""Writes to partnerships, their schools and phases, with the audit log."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from apps.core import audit, dates

from .models import Membership, Organisation, Partnership, PhaseChange

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.schools.models import School


@transaction.atomic
def create_partnership(*, name: str, organisation: Organisation | None, phase: str,
                       started_on: date | None = None, by: User | None = None,
                       request: HttpRequest | None = None) -> Partnership:
    name = name.strip()
    slug = slugify(name)[:200]
    if not slug:
        raise ValidationError(_("Enter a name with letters or numbers."))
    if Partnership.objects.filter(slug=slug).exists() or \
            Partnership.objects.filter(name__iexact=name).exists():
        raise ValidationError(_("A partnership with this name already exists."))
    partnership = Partnership.objects.create(name=name, slug=slug, organisation=organisation,
                                             phase=phase)
    PhaseChange.objects.create(partnership=partnership, phase=phase,
                               started_on=started_on or timezone.localdate(),
                               note="Partnership set up")
    audit.record("partnership.created", actor=by, obj=partnership, request=request,
                 phase=phase)
    return partnership


@transaction.atomic
def add_school(partnership: Partnership, school: School, *, joined_on: date | None = None,
               by: User | None = None, request: HttpRequest | None = None) -> Membership:
    if partnership.memberships.filter(school=school, left_on__isnull=True).exists():
        raise ValidationError(_("%(school)s is already a member of this partnership.")
                              % {"school": school.name})
    membership = Membership.objects.create(partnership=partnership, school=school,
                                           joined_on=joined_on or timezone.localdate())
    audit.record("partnership.school_added", actor=by, obj=partnership, request=request,
                 school=school.urn)
    return membership


@transaction.atomic
def add_schools(partnership: Partnership, schools: list[School], *,
                joined_on: date | None = None, by: User | None = None,
                request: HttpRequest | None = None) -> list[Membership]:
    """Several schools at once, all or none: a school already in the partnership is named
    and nothing is added."""
    already = [s.name for s in schools if partnership.memberships.filter(
        school=s, left_on__isnull=True).exists()]
    if already:
        raise ValidationError([_("%(school)s is already a member of this partnership")
                               % {"school": name} for name in already])
    return [add_school(partnership, s, joined_on=joined_on, by=by, request=request)
            for s in schools]


@transaction.atomic
def remove_school(membership: Membership, *, left_on: date | None = None,
                  by: User | None = None, request: HttpRequest | None = None) -> None:
    left_on = left_on or timezone.localdate()
    if left_on < membership.joined_on:
        raise ValidationError("The leaving date must be on or after the joining date.")
    membership.left_on = left_on
    membership.save(update_fields=["left_on"])
    audit.record("partnership.school_left", actor=by, obj=membership.partnership,
                 request=request, school=membership.school.urn, left_on=left_on.isoformat())


@transaction.atomic
def phase_on(partnership: Partnership, day: date | None = None) -> str | None:
    """The phase in force on ``day`` (today): the latest change that has started by then.
    A change dated in the future is scheduled, not current."""
    day = day or timezone.localdate()
    change = partnership.phase_history.filter(started_on__lte=day).order_by(
        "-started_on", "-id").first()
    return change.phase if change else None


def sync_phase(partnership: Partnership) -> bool:
    """Make ``partnership.phase`` the phase in force today; True if it changed."""
    current = phase_on(partnership)
    if current and current != partnership.phase:
        partnership.phase = current
        partnership.save(update_fields=["phase"])
        return True
    return False


def latest_phase_change(partnership: Partnership) -> PhaseChange | None:
    return partnership.phase_history.order_by("-started_on", "-id").first()


@transaction.atomic
def change_phase(partnership: Partnership, *, phase: str, started_on: date, note: str = "",
                 by: User | None = None, request: HttpRequest | None = None) -> PhaseChange:
    """Record a new phase. Dated today or earlier, it is the current phase now; dated later,
    it is scheduled and becomes current on that day (``apply_phase_changes``, daily)."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    last = latest_phase_change(partnership)
    if last and started_on < last.started_on:
        raise ValidationError(
            _("The new phase must start on or after %(day)s, when the latest phase "
              "(%(phase)s) starts. To correct that one, change or undo it first.")
            % {"day": dates.date_text(last.started_on), "phase": last.get_phase_display()})
    if last and last.phase == phase:
        raise ValidationError(_("The latest phase is already %(phase)s. To change its date, "
                                "change that phase instead.")
                              % {"phase": last.get_phase_display()})
    change = PhaseChange.objects.create(partnership=partnership, phase=phase,
                                        started_on=started_on, note=note.strip())
    sync_phase(partnership)
    audit.record("partnership.phase_changed", actor=by, obj=partnership, request=request,
                 phase=phase, started_on=started_on.isoformat())
    return change


@transaction.atomic
def correct_phase_change(change: PhaseChange, *, phase: str, started_on: date, note: str = "",
                         by: User | None = None, request: HttpRequest | None = None) -> PhaseChange:
    """Put right the latest phase change (its phase, date or note)."""
    partnership = Partnership.objects.select_for_update().get(pk=change.partnership_id)
    if change != latest_phase_change(partnership):
        raise ValidationError(_("Only the latest phase change can be corrected"))
    before = partnership.phase_history.exclude(pk=change.pk).order_by(
        "-started_on", "-id").first()
    if before and started_on < before.started_on:
        raise ValidationError(_("The phase must start on or after %(day)s, when the "
                                "%(phase)s phase began")
                              % {"day": dates.date_text(before.started_on),
                                 "phase": before.get_phase_display()})
    if before and before.phase == phase:
        raise ValidationError(_("The phase before it is already %(phase)s: undo this change "
                                "instead") % {"phase": before.get_phase_display()})
    old = (change.phase, change.started_on.isoformat())
    change.phase, change.started_on, change.note = phase, started_on, note.strip()
    change.save()
    sync_phase(partnership)
    audit.record("partnership.phase_corrected", actor=by, obj=partnership, request=request,
                 was=list(old), phase=phase, started_on=started_on.isoformat())
    return change


@transaction.atomic
def undo_phase_change(change: PhaseChange, *, by: User | None = None,
                      request: HttpRequest | None = None) -> str:
    """Remove the latest phase change; the partnership goes back to the phase before it.
    Returns the phase now in force."""
    partnership = Partnership.objects.select_for_update().get(pk=change.partnership_id)
    if change != latest_phase_change(partnership):
        raise ValidationError(_("Only the latest phase change can be undone"))
    if partnership.phase_history.count() == 1:
        raise ValidationError(_("The partnership's first phase cannot be undone; correct it "
                                "instead"))
    change.delete()
    sync_phase(partnership)
    audit.record("partnership.phase_undone", actor=by, obj=partnership, request=request,
                 phase=change.phase, started_on=change.started_on.isoformat())
    return partnership.phase


def apply_phase_changes() -> int:
    """Daily: scheduled phases whose day has come become current. Returns how many moved."""
    moved = 0
    today = timezone.localdate()
    for partnership in Partnership.objects.filter(phase_history__started_on__lte=today).distinct():
        with transaction.atomic():
            if sync_phase(partnership):
                moved += 1
    return moved


def check_dates(starts_on: date | None, ends_on: date | None, *, what: str) -> None:
    """The dates of something the core team approves for a period (an alumni membership, a
    delivery partnership): both given, the end not before the start. ``what`` names it in
    the messages ("the membership")."""
    errors = {}
    if starts_on is None:
        errors["starts_on"] = f"Enter the date {what} starts"
    if ends_on is None:
        errors["ends_on"] = f"Enter the date {what} ends"
    elif starts_on is not None and ends_on < starts_on:
        errors["ends_on"] = "The end date must be the same as or after the start date"
    if errors:
        raise ValidationError(errors)
