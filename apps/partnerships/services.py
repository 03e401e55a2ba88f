"""Writes to partnerships, their schools and phases, with the audit log."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from apps.core import audit

from .models import Membership, Organisation, Partnership, PhaseChange


@transaction.atomic
def create_partnership(*, name: str, organisation: Organisation | None, phase: str,
                       started_on: date | None = None, by=None, request=None) -> Partnership:
    name = name.strip()
    slug = slugify(name)[:200]
    if not slug:
        raise ValidationError("Enter a name with letters or numbers.")
    if Partnership.objects.filter(slug=slug).exists() or \
            Partnership.objects.filter(name__iexact=name).exists():
        raise ValidationError("A partnership with this name already exists.")
    partnership = Partnership.objects.create(name=name, slug=slug, organisation=organisation,
                                             phase=phase)
    PhaseChange.objects.create(partnership=partnership, phase=phase,
                               started_on=started_on or timezone.localdate(),
                               note="Partnership set up")
    audit.record("partnership.created", actor=by, obj=partnership, request=request,
                 phase=phase)
    return partnership


@transaction.atomic
def add_school(partnership: Partnership, school, *, joined_on: date | None = None, by=None,
               request=None) -> Membership:
    if partnership.memberships.filter(school=school, left_on__isnull=True).exists():
        raise ValidationError(f"{school.name} is already a member of this partnership.")
    membership = Membership.objects.create(partnership=partnership, school=school,
                                           joined_on=joined_on or timezone.localdate())
    audit.record("partnership.school_added", actor=by, obj=partnership, request=request,
                 school=school.urn)
    return membership


@transaction.atomic
def remove_school(membership: Membership, *, left_on: date | None = None, by=None,
                  request=None) -> None:
    left_on = left_on or timezone.localdate()
    if left_on < membership.joined_on:
        raise ValidationError("The leaving date must be on or after the joining date.")
    membership.left_on = left_on
    membership.save(update_fields=["left_on"])
    audit.record("partnership.school_left", actor=by, obj=membership.partnership,
                 request=request, school=membership.school.urn, left_on=left_on.isoformat())


@transaction.atomic
def change_phase(partnership: Partnership, *, phase: str, started_on: date, note: str = "",
                 by=None, request=None) -> PhaseChange:
    last = partnership.phase_history.order_by("-started_on", "-id").first()
    if last and started_on < last.started_on:
        raise ValidationError(
            f"The new phase must start on or after {last.started_on:%-d %B %Y}, when the "
            "current phase began.")
    if last and last.phase == phase:
        raise ValidationError("The partnership is already in this phase.")
    change = PhaseChange.objects.create(partnership=partnership, phase=phase,
                                        started_on=started_on, note=note.strip())
    partnership.phase = phase
    partnership.save(update_fields=["phase"])
    audit.record("partnership.phase_changed", actor=by, obj=partnership, request=request,
                 phase=phase, started_on=started_on.isoformat())
    return change
