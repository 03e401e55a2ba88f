"""The alumni programme's writes: asking to join (or to renew), withdrawing, the core team's
decision with dates, changing dates and ending a membership early, and reopening a declined
request. Each is atomic and audited; the requester is told of the decision."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.core import audit
from apps.notifications import services as notifications
from apps.partnerships.models import AlumniMembership, Partnership
from apps.partnerships.services import check_dates
from apps.schools.models import School

from . import selectors

State = AlumniMembership.State
ALREADY_WAITING = gettext_lazy("A request to join the alumni programme is already waiting for "
                               "a decision")


def _when(day: date) -> str:
    return f"{day:%-d %B %Y}"


def _day(day: date) -> str:
    """A date in the language of the page (for messages the person reads now)."""
    return date_format(day, "j F Y")


@transaction.atomic
def request_membership(*, by: User, reason: str, school: School | None = None,
                       partnership: Partnership | None = None,
                       renewal_of: AlumniMembership | None = None) -> AlumniMembership:
    """Ask to join (or, with ``renewal_of``, to renew). The caller checked who may ask."""
    if (school is None) == (partnership is None):
        raise ValidationError(_("Choose a school or a partnership"))
    if not reason.strip():
        raise ValidationError({"reason": _("Enter why you want to join the alumni programme")})
    try:
        with transaction.atomic():
            membership = AlumniMembership.objects.create(
                school=school, partnership=partnership, reason=reason.strip(),
                renewal_of=renewal_of, requested_by=by)
    except IntegrityError:
        raise ValidationError(ALREADY_WAITING) from None
    audit.record("alumni.renewal_requested" if renewal_of else "alumni.requested", actor=by,
                 obj=membership)
    return membership


@transaction.atomic
def withdraw(membership: AlumniMembership, *, by: User) -> AlumniMembership:
    locked = AlumniMembership.objects.select_for_update().get(pk=membership.pk)
    if locked.status != State.REQUESTED:
        raise ValidationError(_("This request has already been decided, so it cannot be "
                                "withdrawn"))
    locked.status = State.WITHDRAWN
    locked.lock_version += 1
    locked.save(update_fields=["status", "lock_version"])
    audit.record("alumni.withdrawn", actor=by, obj=locked)
    return locked


def _check_dates(starts_on: date | None, ends_on: date | None) -> None:
    check_dates(starts_on, ends_on, what="the membership")


@transaction.atomic
def decide(membership: AlumniMembership, *, by: User, approve: bool,
           starts_on: date | None = None, ends_on: date | None = None,
           note: str = "") -> AlumniMembership:
    """Approve with dates, or decline with a reason the requester reads. The requester is
    told either way."""
    locked = AlumniMembership.objects.select_for_update().get(pk=membership.pk)
    if locked.status != State.REQUESTED:
        raise ValidationError(_("This request has already been decided or withdrawn"))
    if approve:
        _check_dates(starts_on, ends_on)
        locked.status, locked.starts_on, locked.ends_on = State.APPROVED, starts_on, ends_on
        locked.decision_note = note.strip()
    else:
        if not note.strip():
            raise ValidationError({"note": _("Enter the reason for declining the request")})
        locked.status, locked.decision_note = State.DECLINED, note.strip()
    locked.decided_by, locked.decided_at = by, timezone.now()
    locked.lock_version += 1
    locked.save()
    audit.record("alumni.approved" if approve else "alumni.declined", actor=by, obj=locked,
                 starts_on=str(starts_on or ""), ends_on=str(ends_on or ""))
    _tell_requester(locked, by)
    return locked


def _tell_requester(m: AlumniMembership, by: User) -> None:
    what = "renew" if m.renewal_of_id else "join"
    if m.status == State.APPROVED:
        assert m.starts_on is not None and m.ends_on is not None
        subject = f"Alumni programme: {m.applicant_name} is a member"
        message = (f"The programme team approved the request to {what} the alumni programme "
                   f"for {m.applicant_name}: membership runs from {_when(m.starts_on)} to "
                   f"{_when(m.ends_on)}.")
    else:
        subject = f"Alumni programme: request for {m.applicant_name} declined"
        message = (f"The programme team declined the request to {what} the alumni programme "
                   f"for {m.applicant_name}. Their reason is on the request's page.")
    notifications.notify([m.requested_by], kind="alumni.decided", subject=subject,
                         message=message, url=reverse("alumni:detail", args=[m.pk]), actor=by)


class StaleEdit(ValidationError):
    """Someone else changed the membership since the page was read."""


@transaction.atomic
def change_dates(membership: AlumniMembership, *, by: User, starts_on: date | None,
                 ends_on: date | None, expected_version: int) -> AlumniMembership:
    """Put a mistake right: new dates for an approved membership. Refused when someone else
    changed it since ``expected_version`` was read."""
    locked = AlumniMembership.objects.select_for_update().get(pk=membership.pk)
    if locked.status != State.APPROVED:
        raise ValidationError(_("Only an approved membership has dates to change"))
    if locked.lock_version != expected_version:
        raise StaleEdit(_("Someone else changed this membership while you were editing it. "
                          "The dates below are the ones saved now: check them and save again"))
    _check_dates(starts_on, ends_on)
    before = (str(locked.starts_on), str(locked.ends_on))
    locked.starts_on, locked.ends_on = starts_on, ends_on
    locked.lock_version += 1
    locked.save(update_fields=["starts_on", "ends_on", "lock_version"])
    audit.record("alumni.dates_changed", actor=by, obj=locked, before=list(before),
                 after=[str(starts_on), str(ends_on)])
    return locked


@transaction.atomic
def end_membership(membership: AlumniMembership, *, by: User, on: date | None,
                   note: str, expected_version: int) -> AlumniMembership:
    """End an approved membership early: its last day becomes ``on``."""
    locked = AlumniMembership.objects.select_for_update().get(pk=membership.pk)
    if locked.status != State.APPROVED or locked.starts_on is None or locked.ends_on is None:
        raise ValidationError(_("Only an approved membership can be ended"))
    if locked.lock_version != expected_version:
        raise StaleEdit(_("Someone else changed this membership while you were looking at it. "
                          "Check its dates below and try again"))
    if locked.has_ended:
        raise ValidationError(_("This membership already ended on %(day)s. To correct its "
                                "dates, change them instead") % {"day": _day(locked.ends_on)})
    if on is None:
        raise ValidationError({"on": _("Enter the membership's last day")})
    if on < locked.starts_on:
        raise ValidationError({"on": _("The last day must be on or after the day it started, "
                                       "%(day)s") % {"day": _day(locked.starts_on)}})
    if on > locked.ends_on:
        raise ValidationError({"on": _("The last day must be on or before the day it ends now, "
                                       "%(day)s") % {"day": _day(locked.ends_on)}})
    previous = locked.ends_on
    locked.ends_on, locked.ended_note = on, note.strip()
    locked.lock_version += 1
    locked.save(update_fields=["ends_on", "ended_note", "lock_version"])
    audit.record("alumni.ended", actor=by, obj=locked, last_day=str(on),
                 was_to_end=str(previous))
    return locked


@transaction.atomic
def reopen(membership: AlumniMembership, *, by: User) -> AlumniMembership:
    """Undo a decline made by mistake: the request waits for a decision again."""
    locked = AlumniMembership.objects.select_for_update().get(pk=membership.pk)
    if locked.status != State.DECLINED:
        raise ValidationError(_("Only a declined request can be reopened"))
    locked.status = State.REQUESTED
    locked.decided_by, locked.decided_at, locked.decision_note = None, None, ""
    locked.lock_version += 1
    try:
        with transaction.atomic():
            locked.save()
    except IntegrityError:
        raise ValidationError(ALREADY_WAITING) from None
    audit.record("alumni.reopened", actor=by, obj=locked)
    return locked


def request_renewal(membership: AlumniMembership, *, by: User,
                    reason: str) -> AlumniMembership:
    if not selectors.can_renew(membership):
        raise ValidationError(_("This membership cannot be renewed now: renewals open "
                                "%(days)s days before it ends")
                              % {"days": selectors.RENEWAL_WINDOW.days})
    return request_membership(by=by, reason=reason, school=membership.school,
                              partnership=membership.partnership, renewal_of=membership)
