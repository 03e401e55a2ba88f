"""Delivery partners' writes: nominating (and withdrawing a nomination), the core team's
decision with dates, changing the dates, ending a delivery partnership early and reopening a
nomination declined by mistake; attaching a delivery partner to a partnership for a scope,
changing or ending an attachment; recording what was delivered (and removing a record made
by mistake). Each is atomic and audited; the person nominated is told of each step."""

from __future__ import annotations

from datetime import date
from typing import Any

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
from apps.partnerships.models import (
    DeliveryActivity,
    DeliveryAttachment,
    DeliveryPartner,
    DeliveryScope,
    Partnership,
)
from apps.partnerships.services import check_dates

State = DeliveryPartner.State
ALREADY_WAITING = gettext_lazy("A nomination for this person is already waiting for a decision")
ALREADY_PARTNER = gettext_lazy("This person is already a delivery partner")


class StaleEdit(ValidationError):
    """Someone else changed the record since the page was read."""


def _when(day: date) -> str:
    return f"{day:%-d %B %Y}"


def _day(day: date) -> str:
    """A date in the language of the page (for messages the person reads now)."""
    return date_format(day, "j F Y")


def _page(dp: DeliveryPartner) -> str:
    return reverse("delivery:detail", args=[dp.pk])


@transaction.atomic
def nominate(person: User, *, by: User, reason: str) -> DeliveryPartner:
    """Nominate ``person``; the caller checked that ``by`` may nominate them. The person is
    told they were nominated."""
    if not reason.strip():
        raise ValidationError({"reason": _("Enter why you are nominating this person")})
    today = timezone.localdate()
    if DeliveryPartner.objects.filter(person=person, status=State.APPROVED,
                                      ends_on__gte=today).exists():
        raise ValidationError(ALREADY_PARTNER)
    try:
        with transaction.atomic():
            dp = DeliveryPartner.objects.create(person=person, reason=reason.strip(),
                                                nominated_by=by)
    except IntegrityError:
        raise ValidationError(ALREADY_WAITING) from None
    audit.record("delivery.nominated", actor=by, obj=dp)
    notifications.notify(
        [person], kind="delivery.nominated", actor=by,
        subject="You have been nominated as a delivery partner",
        message=(f"{by.display_name} nominated you to become a delivery partner of the "
                 "programme. The programme team will decide and you will be told."),
        url=_page(dp))
    return dp


def _locked(dp: DeliveryPartner) -> DeliveryPartner:
    return DeliveryPartner.objects.select_for_update().select_related("person").get(pk=dp.pk)


@transaction.atomic
def withdraw(dp: DeliveryPartner, *, by: User) -> DeliveryPartner:
    locked = _locked(dp)
    if locked.status != State.NOMINATED:
        raise ValidationError(_("This nomination has already been decided, so it cannot be "
                              "withdrawn"))
    locked.status = State.WITHDRAWN
    locked.lock_version += 1
    locked.save(update_fields=["status", "lock_version"])
    audit.record("delivery.withdrawn", actor=by, obj=locked)
    return locked


def _check_dates(starts_on: date | None, ends_on: date | None) -> None:
    check_dates(starts_on, ends_on, what="the delivery partnership")


@transaction.atomic
def decide(dp: DeliveryPartner, *, by: User, approve: bool, starts_on: date | None = None,
           ends_on: date | None = None, note: str = "") -> DeliveryPartner:
    """Approve with dates, or decline with a reason. The nominee and the associate who
    nominated them are told either way."""
    locked = _locked(dp)
    if locked.status != State.NOMINATED:
        raise ValidationError(_("This nomination has already been decided or withdrawn"))
    if approve:
        _check_dates(starts_on, ends_on)
        locked.status, locked.starts_on, locked.ends_on = State.APPROVED, starts_on, ends_on
        locked.decision_note = note.strip()
    else:
        if not note.strip():
            raise ValidationError({"note": _("Enter the reason for declining the nomination")})
        locked.status, locked.decision_note = State.DECLINED, note.strip()
    locked.decided_by, locked.decided_at = by, timezone.now()
    locked.lock_version += 1
    locked.save()
    audit.record("delivery.approved" if approve else "delivery.declined", actor=by,
                 obj=locked, starts_on=str(starts_on or ""), ends_on=str(ends_on or ""))
    if approve:
        assert starts_on is not None and ends_on is not None
        subject = "You are a delivery partner"
        message = (f"The programme team approved your nomination as a delivery partner, from "
                   f"{_when(starts_on)} to {_when(ends_on)}. Associates can now attach you to "
                   "partnerships to train and support them.")
    else:
        subject = "Your nomination as a delivery partner was declined"
        message = ("The programme team declined the nomination for now. Their reason is on "
                   "the nomination's page.")
    notifications.notify([locked.person, locked.nominated_by], kind="delivery.decided",
                         subject=subject, message=message, url=_page(locked), actor=by)
    return locked


@transaction.atomic
def reopen(dp: DeliveryPartner, *, by: User) -> DeliveryPartner:
    """Undo a decline made by mistake: the nomination waits for a decision again."""
    locked = _locked(dp)
    if locked.status != State.DECLINED:
        raise ValidationError(_("Only a declined nomination can be reopened"))
    locked.status = State.NOMINATED
    locked.decided_by, locked.decided_at, locked.decision_note = None, None, ""
    locked.lock_version += 1
    try:
        with transaction.atomic():
            locked.save()
    except IntegrityError:
        raise ValidationError(ALREADY_WAITING) from None
    audit.record("delivery.reopened", actor=by, obj=locked)
    return locked


def _fresh(locked: DeliveryPartner | DeliveryAttachment, expected_version: int) -> None:
    if locked.lock_version != expected_version:
        raise StaleEdit(_("Someone else changed this while you were editing it. The dates "
                        "below are the ones saved now: check them and save again"))


@transaction.atomic
def change_dates(dp: DeliveryPartner, *, by: User, starts_on: date | None,
                 ends_on: date | None, expected_version: int) -> DeliveryPartner:
    """Put a mistake right: new dates for an approved delivery partner."""
    locked = _locked(dp)
    if locked.status != State.APPROVED:
        raise ValidationError(_("Only an approved delivery partner has dates to change"))
    _fresh(locked, expected_version)
    _check_dates(starts_on, ends_on)
    before = [str(locked.starts_on), str(locked.ends_on)]
    locked.starts_on, locked.ends_on = starts_on, ends_on
    locked.lock_version += 1
    locked.save(update_fields=["starts_on", "ends_on", "lock_version"])
    audit.record("delivery.dates_changed", actor=by, obj=locked, before=before,
                 after=[str(starts_on), str(ends_on)])
    return locked


@transaction.atomic
def end(dp: DeliveryPartner, *, by: User, on: date | None, note: str,
        expected_version: int) -> DeliveryPartner:
    """End a delivery partnership early: its last day becomes ``on``. Every attachment stops
    with it (an attachment is in force only while its delivery partner is)."""
    locked = _locked(dp)
    if locked.status != State.APPROVED or locked.starts_on is None or locked.ends_on is None:
        raise ValidationError(_("Only an approved delivery partner can be ended"))
    _fresh(locked, expected_version)
    if locked.has_ended:
        raise ValidationError(_("This delivery partnership already ended on %(day)s. To "
                                "correct its dates, change them instead")
                              % {"day": _day(locked.ends_on)})
    if on is None:
        raise ValidationError({"on": _("Enter the delivery partnership's last day")})
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
    audit.record("delivery.ended", actor=by, obj=locked, last_day=str(on),
                 was_to_end=str(previous))
    notifications.notify(
        [locked.person], kind="delivery.ended", actor=by,
        subject="Your delivery partnership ends",
        message=f"The programme team ended your delivery partnership: its last day is "
                f"{_when(on)}.", url=_page(locked))
    return locked


def _check_attachment(dp: DeliveryPartner, scope: str, starts_on: date | None,
                      ends_on: date | None) -> None:
    errors: dict[str, Any] = {}
    if scope not in DeliveryScope.values:
        errors["scope"] = _("Choose what the delivery partner will do for the partnership")
    if starts_on is None:
        errors["starts_on"] = _("Enter the date the attachment starts")
    if ends_on is None:
        errors["ends_on"] = _("Enter the date the attachment ends")
    if starts_on and ends_on:
        if ends_on < starts_on:
            errors["ends_on"] = _("The end date must be the same as or after the start date")
        elif dp.ends_on and ends_on > dp.ends_on:
            errors["ends_on"] = (_("The end date must be on or before the day the delivery "
                                   "partnership ends, %(day)s") % {"day": _day(dp.ends_on)})
        if dp.starts_on and starts_on < dp.starts_on:
            errors["starts_on"] = (_("The start date must be on or after the day the delivery "
                                     "partnership starts, %(day)s")
                                   % {"day": _day(dp.starts_on)})
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def attach(dp: DeliveryPartner, *, by: User, partnership: Partnership, scope: str,
           starts_on: date | None, ends_on: date | None) -> DeliveryAttachment:
    """Attach an approved delivery partner to ``partnership`` for ``scope``; the caller
    checked ``by`` may attach to that partnership. The delivery partner is told."""
    locked = _locked(dp)
    if locked.status != State.APPROVED or locked.has_ended:
        raise ValidationError(_("Only an approved delivery partner who has not ended can be "
                              "attached to a partnership"))
    _check_attachment(locked, scope, starts_on, ends_on)
    assert starts_on is not None and ends_on is not None
    att = DeliveryAttachment.objects.create(
        delivery_partner=locked, partnership=partnership, scope=scope, starts_on=starts_on,
        ends_on=ends_on, attached_by=by)
    audit.record("delivery.attached", actor=by, obj=att, partnership=partnership.slug,
                 scope=scope, starts_on=str(starts_on), ends_on=str(ends_on))
    notifications.notify(
        [locked.person], kind="delivery.attached", actor=by,
        subject=f"You are a delivery partner for {partnership.name}",
        message=(f"{by.display_name} attached you to {partnership.name} as a delivery partner "
                 f"for {att.get_scope_display().lower()}, from {_when(starts_on)} to "
                 f"{_when(ends_on)}."), url=_page(locked))
    return att


@transaction.atomic
def change_attachment(att: DeliveryAttachment, *, by: User, scope: str,
                      starts_on: date | None, ends_on: date | None,
                      expected_version: int) -> DeliveryAttachment:
    """Change an attachment's scope or dates: to put a mistake right, or to end it early by
    moving its end date forward (access stops the day after)."""
    locked = DeliveryAttachment.objects.select_for_update().get(pk=att.pk)
    _fresh(locked, expected_version)
    dp = DeliveryPartner.objects.get(pk=locked.delivery_partner_id)
    _check_attachment(dp, scope, starts_on, ends_on)
    before = [locked.scope, str(locked.starts_on), str(locked.ends_on)]
    assert starts_on is not None and ends_on is not None
    locked.scope, locked.starts_on, locked.ends_on = scope, starts_on, ends_on
    locked.lock_version += 1
    locked.save(update_fields=["scope", "starts_on", "ends_on", "lock_version"])
    audit.record("delivery.attachment_changed", actor=by, obj=locked, before=before,
                 after=[scope, str(starts_on), str(ends_on)])
    return locked


@transaction.atomic
def record_activity(att: DeliveryAttachment, *, by: User, on: date | None,
                    summary: str) -> DeliveryActivity:
    """Record something delivered for the partnership under the attachment, on a day within
    its dates and not in the future."""
    errors: dict[str, Any] = {}
    if on is None:
        errors["on"] = _("Enter the date it was delivered")
    elif on > timezone.localdate():
        errors["on"] = _("The date must be today or in the past")
    elif not att.starts_on <= on <= att.ends_on:
        errors["on"] = (_("The date must be within the attachment, %(start)s to %(end)s")
                        % {"start": _day(att.starts_on), "end": _day(att.ends_on)})
    if not summary.strip():
        errors["summary"] = _("Enter what was delivered")
    if errors:
        raise ValidationError(errors)
    assert on is not None
    activity = DeliveryActivity.objects.create(attachment=att, on=on, summary=summary.strip(),
                                               recorded_by=by)
    audit.record("delivery.activity_recorded", actor=by, obj=activity, on=str(on))
    return activity


@transaction.atomic
def remove_activity(activity: DeliveryActivity, *, by: User) -> None:
    """Remove an activity recorded by mistake."""
    audit.record("delivery.activity_removed", actor=by, obj=activity, on=str(activity.on),
                 summary=activity.summary)
    activity.delete()
