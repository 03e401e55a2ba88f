"""Reads about delivery partners: the evidence from the platform for a person, who an
associate may nominate, and which partnerships they may attach a delivery partner to.

The evidence reuses the training record's own selectors (``apps.training.records``, the
ones behind the public verification page): reviews led and served on and Improvement
Champion roles are counts by school year, never a school's name, because a school's review
belongs to that school."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Role, RoleAssignment, User
from apps.accounts.roles import associate_partnership_ids, is_core_team, led_partnership_ids
from apps.partnerships.models import (
    DeliveryAttachment,
    DeliveryPartner,
    Membership,
    Partnership,
)
from apps.training import records

LEADER_ROLES = [Role.HEADTEACHER, Role.SCHOOL_LEADER]


@dataclass
class Evidence:
    """What the platform records about a person's peer review: counts and training dates."""

    person: User
    today: date
    years: list[records.ServiceYear] = field(default_factory=list)
    trainings: list[records.CertifiedTraining] = field(default_factory=list)

    @property
    def led(self) -> int:
        return sum(y.led for y in self.years)

    @property
    def reviewed(self) -> int:
        return sum(y.reviewed for y in self.years)

    @property
    def champion(self) -> int:
        return sum(y.champion for y in self.years)

    @property
    def reviewer_until(self) -> date | None:
        return self.person.reviewer_trained_until

    @property
    def champion_until(self) -> date | None:
        return self.person.champion_trained_until

    @property
    def reviewer_in_date(self) -> bool:
        return self.person.is_trained_reviewer(self.today)

    @property
    def champion_in_date(self) -> bool:
        return self.person.is_trained_champion(self.today)


def evidence_for(person: User) -> Evidence:
    return Evidence(person=person, today=timezone.localdate(),
                    years=records.review_service(person),
                    trainings=records.certified_trainings(person))


def nominable_roles(user: Any) -> QuerySet[RoleAssignment]:
    """Headteachers' and school leaders' current roles the person may nominate from: for the
    core team, any school's; for an associate, those at the current member schools of their
    partnerships. Each row names the person and the school."""
    qs = RoleAssignment.objects.current().filter(role__in=LEADER_ROLES, user__is_active=True)
    if not is_core_team(user):
        schools = Membership.objects.current().filter(
            partnership_id__in=associate_partnership_ids(user)).values("school_id")
        qs = qs.filter(school_id__in=schools)
    return qs


def nominable_person(user: Any, pk: int) -> User | None:
    """The person, if ``user`` may nominate them (else None)."""
    person_id = nominable_roles(user).filter(user_id=pk).values("user_id")
    return User.objects.filter(pk__in=person_id).first()


def attachable_partnerships(user: Any) -> QuerySet[Partnership]:
    """Partnerships the person may attach a delivery partner to: all for the core team, else
    those they are the associate of."""
    qs = Partnership.objects.order_by("name", "pk")
    return qs if is_core_team(user) else qs.filter(pk__in=associate_partnership_ids(user))


def visible_attachments(user: Any, dp: DeliveryPartner) -> QuerySet[DeliveryAttachment]:
    """The delivery partner's attachments the person may see: all for the core team and the
    delivery partner; an associate's or lead's for their partnerships."""
    qs = dp.attachments.select_related("partnership")
    if is_core_team(user) or dp.person_id == getattr(user, "pk", None):
        return qs
    return qs.filter(partnership_id__in=associate_partnership_ids(user)
                     | led_partnership_ids(user))


def visible_delivery_partners(user: Any) -> QuerySet[DeliveryPartner]:
    """Records on the person's list: all for the core team; for others their own record, the
    nominations they made and, for associates, approved delivery partners."""
    qs = DeliveryPartner.objects.select_related("person")
    if is_core_team(user):
        return qs
    mine = Q(person_id=user.pk) | Q(nominated_by_id=user.pk)
    if associate_partnership_ids(user):
        mine |= Q(status=DeliveryPartner.State.APPROVED)
    return qs.filter(mine)


def state_label(dp: DeliveryPartner, today: date) -> tuple[Any, str]:
    """What to call a nomination or delivery partner on screen, with its tag colour."""
    if dp.status == DeliveryPartner.State.APPROVED:
        assert dp.starts_on is not None and dp.ends_on is not None
        if dp.ends_on < today:
            return _("Ended"), "grey"
        if dp.starts_on > today:
            return _("Starts later"), "blue"
        return _("Delivery partner"), "green"
    colours: dict[str, str] = {DeliveryPartner.State.NOMINATED: "yellow",
                               DeliveryPartner.State.DECLINED: "red"}
    return dp.get_status_display(), colours.get(dp.status, "grey")


def attachment_label(att: DeliveryAttachment, today: date) -> tuple[Any, str]:
    if att.is_current(today):
        return _("In force"), "green"
    if att.starts_on > today and att.delivery_partner.status == DeliveryPartner.State.APPROVED:
        return _("Starts later"), "blue"
    return _("Ended"), "grey"


def labelled(items: Any) -> list[Any]:
    today = timezone.localdate()
    rows = list(items)
    for dp in rows:
        dp.label, dp.colour = state_label(dp, today)
    return rows


def labelled_attachments(items: Any) -> list[Any]:
    today = timezone.localdate()
    rows = list(items)
    for att in rows:
        att.label, att.colour = attachment_label(att, today)
    return rows
