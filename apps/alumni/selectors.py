"""Reads about the alumni programme: who may ask to join, what waits, what is due."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from apps.accounts.roles import leader_school_ids, led_partnership_ids, school_ids_for
from apps.partnerships.models import (
    AlumniMembership,
    Membership,
    Partnership,
    Phase,
    PhaseChange,
)
from apps.schools.models import School

RENEWAL_WINDOW = timedelta(days=60)  # a membership ending this soon is due for renewal
TERM = 365  # days a membership runs by default (a year, both ends included)

State = AlumniMembership.State


def _reached_sustain() -> Q:
    """Partnerships that completed or reached Sustain (now in Sustain, Alumni or Hub, or with
    Sustain in their phase history)."""
    return Q(phase__in=[Phase.SUSTAIN, Phase.ALUMNI, Phase.HUB]) | Q(
        pk__in=PhaseChange.objects.filter(phase=Phase.SUSTAIN).values("partnership_id"))


def _open(qs: QuerySet[Any], field: str) -> QuerySet[Any]:
    """Leave out applicants with a request waiting or a membership in force now."""
    today = timezone.localdate()
    busy = AlumniMembership.objects.filter(
        Q(status=State.REQUESTED) | Q(status=State.APPROVED, ends_on__gte=today),
        **{field: OuterRef("pk")})
    return qs.exclude(Exists(busy))


def requestable_partnerships(user: Any) -> QuerySet[Partnership]:
    """Partnerships the person leads that may ask to join: they reached Sustain, and have no
    request waiting or membership in force."""
    qs = Partnership.objects.filter(pk__in=led_partnership_ids(user)).filter(_reached_sustain())
    return _open(qs, "partnership")


def requestable_schools(user: Any) -> QuerySet[School]:
    """Schools the person leads that may ask to join: a school of a partnership that reached
    Sustain, or one that has left every partnership (it left the programme); and no request
    waiting or membership in force."""
    memberships = Membership.objects.filter(school_id=OuterRef("pk"))
    sustained = memberships.filter(partnership__in=Partnership.objects.filter(_reached_sustain()))
    current = Membership.objects.current().filter(school_id=OuterRef("pk"))
    # A school whose partnership is an alumni member (or has asked to be) is already in
    # the alumni programme through it: it is not told it "can join".
    through_partnership = current.filter(
        partnership__alumni_memberships__in=_busy_memberships())
    qs = School.objects.filter(pk__in=leader_school_ids(user)).filter(
        Exists(sustained) | (Exists(memberships) & ~Exists(current))).exclude(
        Exists(through_partnership))
    return _open(qs, "school")


def _busy_memberships() -> QuerySet[AlumniMembership]:
    """Requests waiting, and memberships in force or to come (as ``_open``)."""
    today = timezone.localdate()
    return AlumniMembership.objects.filter(
        Q(status=State.REQUESTED) | Q(status=State.APPROVED, ends_on__gte=today))


def memberships_through_partnership(user: Any) -> list[tuple[AlumniMembership, list[str]]]:
    """The alumni memberships in force of the partnerships the person's schools belong to
    now, each with the names of those of the person's schools it covers (two queries)."""
    schools = school_ids_for(user)
    if not schools:
        return []
    today = timezone.localdate()
    members = Membership.objects.current().filter(school_id__in=schools)
    found = list(AlumniMembership.objects.current(today).filter(
        partnership_id__in=members.values("partnership_id"))
        .select_related("partnership").order_by("ends_on", "pk"))
    covered: dict[int, list[str]] = {}
    for partnership_id, name in members.filter(
            partnership_id__in=[m.partnership_id for m in found]).values_list(
            "partnership_id", "school__name").order_by("school__name"):
        covered.setdefault(partnership_id, []).append(name)
    return [(m, covered.get(m.partnership_id or 0, [])) for m in found]


def visible_for_applicant(user: Any) -> QuerySet[AlumniMembership]:
    """Requests and memberships of the person's schools and of the partnerships they lead or
    whose member school they lead (``rules.is_applicant_person``), newest first."""
    schools = school_ids_for(user)
    partnerships = led_partnership_ids(user) | set(
        Membership.objects.current().filter(school_id__in=leader_school_ids(user))
        .values_list("partnership_id", flat=True))
    return AlumniMembership.objects.filter(
        Q(school_id__in=schools) | Q(partnership_id__in=partnerships)) \
        .select_related("school", "partnership", "renewal_of")


def renewal_due_q(on: date | None = None) -> Q:
    """Approved memberships in force that end within ``RENEWAL_WINDOW`` and have no renewal
    waiting or approved."""
    day = on or timezone.localdate()
    renewed = AlumniMembership.objects.filter(
        renewal_of=OuterRef("pk"), status__in=[State.REQUESTED, State.APPROVED])
    return (Q(status=State.APPROVED, starts_on__lte=day, ends_on__gte=day,
              ends_on__lte=day + RENEWAL_WINDOW) & ~Q(Exists(renewed)))


def can_renew(membership: AlumniMembership, on: date | None = None) -> bool:
    """A membership that is due (``renewal_due_q``), or ended in the last 60 days with no
    later one, may be renewed."""
    day = on or timezone.localdate()
    if membership.status != State.APPROVED or membership.ends_on is None:
        return False
    if membership.ends_on > day + RENEWAL_WINDOW or membership.ends_on < day - RENEWAL_WINDOW:
        return False
    return not membership.renewals.filter(status__in=[State.REQUESTED, State.APPROVED]).exists()


def default_dates(membership: AlumniMembership, today: date | None = None) -> tuple[date, date]:
    """A year from today, or for a renewal from the day after the renewed one ends."""
    start = today or timezone.localdate()
    previous = membership.renewal_of
    if previous is not None and previous.ends_on is not None and previous.ends_on >= start:
        start = previous.ends_on + timedelta(days=1)
    return start, start + timedelta(days=TERM - 1)


def renewals_due_for(user: Any) -> QuerySet[AlumniMembership]:
    """Memberships due for renewal that this person acts for (``rules.acts_for_applicant``:
    their school as headteacher or school leader, or the partnership they lead)."""
    schools, partnerships = leader_school_ids(user), led_partnership_ids(user)
    if not (schools or partnerships):
        return AlumniMembership.objects.none()
    return AlumniMembership.objects.filter(
        Q(school_id__in=schools) | Q(partnership_id__in=partnerships)).filter(renewal_due_q()) \
        .select_related("school", "partnership")


def waiting_count() -> int:
    return AlumniMembership.objects.filter(status=State.REQUESTED).count()


def due_count() -> int:
    return AlumniMembership.objects.filter(renewal_due_q()).count()
