"""Fidelity: how fully a partnership ran the programme in a school year, counted from what
the platform already records. Counts only: no review content is read.

A school year runs from 1 September (``start_year``) to 31 August. Each indicator is shown
against the programme's expectation for the year, in plain words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from apps.accounts.models import Role, RoleAssignment, current_role_lookup
from apps.accounts.roles import led_partnership_ids
from apps.improvement.models import Action, ActionImpact, Workshop
from apps.partnerships.models import DeliveryActivity, Membership, Partnership
from apps.reviews.models import Report, Review
from apps.support.models import SupportMatch
from apps.training.models import Booking, CourseKind

# What the programme expects of a partnership in a year, per member school. Version the
# wording with the programme's handbook; these follow the programme as evaluated by the EEF
# (leaders trained; every school hosts a review; a workshop and a check-back after each).
# The words stay English data here (exports and the API); pages translate them when shown
# (impact/_fidelity_table.html), so they are only marked (gettext_noop).
EXPECTATIONS_VERSION = "2026-1"
INDICATORS = [
    # key, label, expectation per member school, what the expectation says
    ("leaders_trained", gettext_noop("Leaders trained as peer reviewers"), 1,
     gettext_noop("at least one trained leader per school")),
    ("leaders_in_date", gettext_noop("Of whom training still in date"), 1,
     gettext_noop("at least one leader per school with training in date")),
    ("reviews_agreed", gettext_noop("Reviews completed with an agreed report"), 1,
     gettext_noop("one review per school each year")),
    ("workshops_held", gettext_noop("Improvement Workshops held"), 1,
     gettext_noop("one after each review")),
    ("actions_set", gettext_noop("Actions set"), 1,
     gettext_noop("at least one action after each review")),
    ("actions_checked", gettext_noop("Actions checked back (impact recorded)"), 1,
     gettext_noop("each action checked back")),
    ("support_delivered", gettext_noop("School-to-school support given"), None,
     gettext_noop("no fixed expectation")),
    ("meetings_attended", gettext_noop("National meeting places attended"), 1,
     gettext_noop("someone from each school at a national meeting")),
    ("delivery_partner_activity",
     gettext_noop("Training and support given by delivery partners"), None,
     gettext_noop("no fixed expectation")),
]
LEADER_ROLES = [Role.HEADTEACHER, Role.SCHOOL_LEADER]


@dataclass
class Indicator:
    key: str
    label: str
    value: int
    expected: int | None
    expectation: str

    @property
    def tag_colour(self) -> str:
        """The GOV.UK tag colour for its status."""
        if self.expected is None or self.expected == 0:
            return "blue"
        if self.value >= self.expected:
            return "green"
        return "yellow" if self.value > 0 else "grey"

    @property
    def status(self) -> str:
        if self.expected is None:
            return gettext_noop("No expectation")
        if self.expected == 0:  # e.g. no reviews this year: nothing was due, nothing 'met'
            return gettext_noop("Nothing due")
        if self.value >= self.expected:
            return gettext_noop("Met")
        if self.value > 0:
            return gettext_noop("Partly met")
        return gettext_noop("Not yet")

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "value": self.value,
                "expected": self.expected, "expectation": self.expectation,
                "status": self.status}


def year_bounds(start_year: int) -> tuple[date, date]:
    return date(start_year, 9, 1), date(start_year + 1, 8, 31)


def current_start_year(today: date | None = None) -> int:
    today = today or timezone.localdate()
    return today.year if today.month >= 9 else today.year - 1


def member_school_ids(partnership: Partnership, start_year: int) -> set[int]:
    first, last = year_bounds(start_year)
    return set(Membership.objects.filter(partnership=partnership, joined_on__lte=last)
               .filter(Q(left_on__isnull=True) | Q(left_on__gte=first))
               .values_list("school_id", flat=True))


def fidelity(partnership: Partnership, start_year: int, today: date | None = None) -> dict:
    return fidelity_many([(partnership, start_year)], today)[0]


def _school_year(day: date) -> int:
    return day.year if day.month >= 9 else day.year - 1


def fidelity_many(pairs: list[tuple[Partnership, int]], today: date | None = None
                  ) -> list[dict]:
    """``fidelity`` for each (partnership, school year) pair, in order, in a fixed number of
    grouped queries whatever the number of pairs: each indicator is counted per partnership
    and school year in one query over every pair's partnerships and years."""
    if not pairs:
        return []
    today = today or timezone.localdate()
    ids = sorted({p.pk for p, _ in pairs})
    years = sorted({y for _, y in pairs})
    first_all, last_all = year_bounds(years[0])[0], year_bounds(years[-1])[1]

    # Member schools of each pair (a membership overlapping the school year).
    memberships = (Membership.objects.filter(partnership_id__in=ids, joined_on__lte=last_all)
                   .filter(Q(left_on__isnull=True) | Q(left_on__gte=first_all)))
    joined = list(memberships.values_list("partnership_id", "school_id", "joined_on",
                                          "left_on"))
    schools: dict[tuple[int, int], set[int]] = {}
    for pid, year in {(p.pk, y) for p, y in pairs}:
        first, last = year_bounds(year)
        schools[pid, year] = {s for p, s, on, left in joined if p == pid and on <= last
                              and (left is None or left >= first)}
    member_schools = memberships.values("school_id")

    # Leaders (current headteacher or school leader roles) at the member schools.
    leaders: dict[int, set[tuple[date | None, int]]] = {}
    for school_id, until, user_id in (
            RoleAssignment.objects.current().filter(school_id__in=member_schools,
                                                    role__in=LEADER_ROLES)
            .values_list("school_id", "user__reviewer_trained_until", "user_id").distinct()):
        leaders.setdefault(school_id, set()).add((until, user_id))

    # Review counts per partnership and school year.
    by_cycle = ("cycle__partnership_id", "cycle__start_year")
    in_pairs = {"cycle__partnership_id__in": ids, "cycle__start_year__in": years}

    def per_cycle(queryset: QuerySet, prefix: str = "") -> dict[tuple[int, int], int]:
        fields = [prefix + f for f in by_cycle]
        rows = (queryset.filter(**{prefix + k: v for k, v in in_pairs.items()})
                .values(*fields).annotate(n=Count("pk", distinct=True)).order_by())
        return {(row[fields[0]], row[fields[1]]): row["n"] for row in rows}

    agreed = per_cycle(Review.objects.filter(
        reports__status__in=[Report.State.AGREED, Report.State.SUPERSEDED]))
    workshops = per_cycle(Workshop.objects.filter(held_on__lte=today), "review__")
    actions = per_cycle(Action.objects.all(), "review__")
    checked = per_cycle(ActionImpact.objects.all(), "action__review__")

    # Counts by day, summed into school years.
    def per_day(rows: Iterable[tuple[int, date | None, int]]) -> dict[tuple[int, int], int]:
        counts: dict[tuple[int, int], int] = {}
        for pid, day, n in rows:
            if day is None:  # not reached: the day is filtered within the years
                continue
            key = (pid, _school_year(day))
            counts[key] = counts.get(key, 0) + n
        return counts

    support = per_day(
        SupportMatch.objects.filter(status=SupportMatch.State.DELIVERED,
                                    request__partnership_id__in=ids,
                                    delivered_to__gte=first_all, delivered_to__lte=last_all)
        .values("request__partnership_id", "delivered_to").annotate(n=Count("pk"))
        .order_by().values_list("request__partnership_id", "delivered_to", "n"))
    # What delivery partners attached to the partnership recorded delivering for it.
    delivery = per_day(
        DeliveryActivity.objects.filter(attachment__partnership_id__in=ids,
                                        on__gte=first_all, on__lte=last_all)
        .values("attachment__partnership_id", "on").annotate(n=Count("pk"))
        .order_by().values_list("attachment__partnership_id", "on", "n"))

    # National meetings attended by someone holding a current role at a member school:
    # each booking with the schools of its attendee and the school years of its parts.
    tz = timezone.get_current_timezone()
    attended: dict[int, set[tuple[int, int]]] = {}
    for booking_id, school_id, starts_at in Booking.objects.filter(
            session__course__kind=CourseKind.NATIONAL_MEETING,
            attendance__in=[Booking.Attendance.PRESENT, Booking.Attendance.PARTIAL],
            session__parts__starts_at__gte=datetime.combine(first_all, time.min, tz),
            session__parts__starts_at__lte=datetime.combine(last_all, time.max, tz),
            user__roles__school_id__in=member_schools, **current_role_lookup("user__roles__"),
    ).values_list("pk", "user__roles__school_id", "session__parts__starts_at").distinct():
        year = _school_year(timezone.localtime(starts_at, tz).date())
        attended.setdefault(school_id, set()).add((booking_id, year))

    results = []
    for partnership, start_year in pairs:
        key = (partnership.pk, start_year)
        members = schools[key]
        last = year_bounds(start_year)[1]
        people = {pair for s in members for pair in leaders.get(s, ())}
        trained = {u for until, u in people if until is not None}
        in_date = {u for until, u in people if until is not None and until >= min(today, last)}
        meetings = {b for s in members for b, y in attended.get(s, ()) if y == start_year}
        n = len(members)
        n_agreed, n_actions = agreed.get(key, 0), actions.get(key, 0)
        values = {
            "leaders_trained": (len(trained), n), "leaders_in_date": (len(in_date), n),
            "reviews_agreed": (n_agreed, n), "workshops_held": (workshops.get(key, 0), n_agreed),
            "actions_set": (n_actions, n_agreed),
            "actions_checked": (checked.get(key, 0), n_actions),
            "support_delivered": (support.get(key, 0), None),
            "meetings_attended": (len(meetings), n),
            "delivery_partner_activity": (delivery.get(key, 0), None),
        }
        indicators = [Indicator(k, label, values[k][0],
                                None if per is None or (base := values[k][1]) is None
                                else per * base, text)
                      for k, label, per, text in INDICATORS]
        results.append({"partnership": partnership, "start_year": start_year,
                        "year_label": f"{start_year}/{(start_year + 1) % 100:02d}",
                        "schools": n, "indicators": indicators,
                        "expectations_version": EXPECTATIONS_VERSION})
    return results


def fidelity_partnerships(user) -> QuerySet[Partnership]:
    """The partnerships whose fidelity ``user`` may see (``impact.view_fidelity``), by name,
    as a query: all with ``impact.view_all_fidelity``, else the partnerships they lead."""
    partnerships = Partnership.objects.order_by("name", "pk")
    if user.has_perm("impact.view_all_fidelity"):
        return partnerships
    return partnerships.filter(pk__in=led_partnership_ids(user))


def years_for(partnership: Partnership) -> list[int]:
    """School years from the partnership's first member joining to this year, newest first."""
    first = Membership.objects.filter(partnership=partnership).order_by("joined_on").first()
    now = current_start_year()
    start = current_start_year(first.joined_on) if first else now
    return list(range(now, start - 1, -1))
