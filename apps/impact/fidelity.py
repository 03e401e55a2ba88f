"""Fidelity: how fully a partnership ran the programme in a school year, counted from what
the platform already records. Counts only: no review content is read.

A school year runs from 1 September (``start_year``) to 31 August. Each indicator is shown
against the programme's expectation for the year, in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone

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
EXPECTATIONS_VERSION = "2026-1"
INDICATORS = [
    # key, label, expectation per member school, what the expectation says
    ("leaders_trained", "Leaders trained as peer reviewers", 1,
     "at least one trained leader per school"),
    ("leaders_in_date", "Of whom training still in date", 1,
     "at least one leader per school with training in date"),
    ("reviews_agreed", "Reviews completed with an agreed report", 1,
     "one review per school each year"),
    ("workshops_held", "Improvement Workshops held", 1, "one after each review"),
    ("actions_set", "Actions set", 1, "at least one action after each review"),
    ("actions_checked", "Actions checked back (impact recorded)", 1,
     "each action checked back"),
    ("support_delivered", "School-to-school support given", None, "no fixed expectation"),
    ("meetings_attended", "National meeting places attended", 1,
     "someone from each school at a national meeting"),
    ("delivery_partner_activity", "Training and support given by delivery partners", None,
     "no fixed expectation"),
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
            return "No expectation"
        if self.expected == 0:  # e.g. no reviews this year: nothing was due, nothing 'met'
            return "Nothing due"
        if self.value >= self.expected:
            return "Met"
        if self.value > 0:
            return "Partly met"
        return "Not yet"

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
    today = today or timezone.localdate()
    first, last = year_bounds(start_year)
    schools = member_school_ids(partnership, start_year)
    n = len(schools)
    leaders = (RoleAssignment.objects.current().filter(school_id__in=schools,
                                                       role__in=LEADER_ROLES)
               .values_list("user__reviewer_trained_until", "user_id").distinct())
    trained = {u for until, u in leaders if until is not None}
    in_date = {u for until, u in leaders if until is not None and until >= min(today, last)}
    reviews = Review.objects.filter(cycle__partnership=partnership, cycle__start_year=start_year)
    agreed = reviews.filter(reports__status__in=[Report.State.AGREED,
                                                 Report.State.SUPERSEDED]).distinct()
    workshops = Workshop.objects.filter(review__in=reviews, held_on__lte=today).count()
    actions = Action.objects.filter(review__in=reviews)
    checked = ActionImpact.objects.filter(action__in=actions).count()
    support = SupportMatch.objects.filter(
        status=SupportMatch.State.DELIVERED, request__partnership=partnership,
        delivered_to__gte=first, delivered_to__lte=last).count()
    tz = timezone.get_current_timezone()
    meetings = Booking.objects.filter(
        session__course__kind=CourseKind.NATIONAL_MEETING,
        attendance__in=[Booking.Attendance.PRESENT, Booking.Attendance.PARTIAL],
        session__parts__starts_at__gte=datetime.combine(first, time.min, tz),
        session__parts__starts_at__lte=datetime.combine(last, time.max, tz),
        user__roles__school_id__in=schools, **current_role_lookup("user__roles__"),
    ).values("pk").distinct().count()
    # What delivery partners attached to the partnership recorded delivering for it.
    delivery = DeliveryActivity.objects.filter(attachment__partnership=partnership,
                                               on__gte=first, on__lte=last).count()
    n_agreed = agreed.count()
    n_actions = actions.count()
    values = {
        "leaders_trained": (len(trained), n), "leaders_in_date": (len(in_date), n),
        "reviews_agreed": (n_agreed, n), "workshops_held": (workshops, n_agreed),
        "actions_set": (n_actions, n_agreed), "actions_checked": (checked, n_actions),
        "support_delivered": (support, None), "meetings_attended": (meetings, n),
        "delivery_partner_activity": (delivery, None),
    }
    indicators = [Indicator(key, label, values[key][0],
                            None if per is None or (base := values[key][1]) is None
                            else per * base, text)
                  for key, label, per, text in INDICATORS]
    return {"partnership": partnership, "start_year": start_year,
            "year_label": f"{start_year}/{(start_year + 1) % 100:02d}", "schools": n,
            "indicators": indicators, "expectations_version": EXPECTATIONS_VERSION}


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
