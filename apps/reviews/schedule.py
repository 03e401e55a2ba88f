"""A cycle's schedule: warnings about dates and the lead's timeline of schools × steps."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.schools.models import School

from .models import OPEN_STATUSES, Cycle, Review, Status, TeamMember

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Which status shows each step is done.
DONE_AFTER = {
    "data_sharing_on": [Status.SELF_REVIEW, Status.ENQUIRY_AGREED, Status.SCHEDULED,
                        Status.IN_REVIEW, Status.FEEDBACK_GIVEN, Status.REPORT_AGREED,
                        Status.ACTING, Status.CLOSED],
    "pre_review_on": [Status.ENQUIRY_AGREED, Status.SCHEDULED, Status.IN_REVIEW,
                      Status.FEEDBACK_GIVEN, Status.REPORT_AGREED, Status.ACTING, Status.CLOSED],
    "review_starts_on": [Status.FEEDBACK_GIVEN, Status.REPORT_AGREED, Status.ACTING,
                         Status.CLOSED],
    "feedback_on": [Status.FEEDBACK_GIVEN, Status.REPORT_AGREED, Status.ACTING, Status.CLOSED],
    "workshop_on": [Status.ACTING, Status.CLOSED],
    "checkback_on": [Status.CLOSED],
}
DUE_SOON_DAYS = 14

# The Rapid Response timeline, in school (working) days from the one review day: documents
# are shared online a week ahead, the pre-review call agrees the enquiry three days ahead,
# the focused virtual activities and the feedback call fall on the review day itself, the
# online Improvement Workshop follows within a week and the impact check-back six school
# weeks after that. A full review has no default: its dates are the lead's to set.
RAPID_TIMELINE = {
    "data_sharing_on": -5,
    "pre_review_on": -3,
    "review_starts_on": 0,
    "feedback_on": 0,
    "workshop_on": 5,
    "checkback_on": 35,
}


def add_school_days(day: date, days: int) -> date:
    """``day`` moved by ``days`` weekdays (Monday to Friday; a weekend day counts from the
    Friday before when going back and from the Monday after when going forward)."""
    step = 1 if days >= 0 else -1
    while day.weekday() >= 5:
        day += timedelta(days=step)
    left = abs(days)
    while left:
        day += timedelta(days=step)
        if day.weekday() < 5:
            left -= 1
    return day


def rapid_timeline(review_day: date) -> dict[str, date]:
    """The default dates of a Rapid Response review whose virtual activities are on
    ``review_day``."""
    return {field: add_school_days(review_day, offset) if offset else review_day
            for field, offset in RAPID_TIMELINE.items()}


def fill_rapid_dates(values: dict, review_day: date | None) -> list[str]:
    """Fill the steps left blank in ``values`` from the Rapid Response timeline around
    ``review_day``; returns the fields filled. Dates already chosen are kept."""
    if review_day is None:
        return []
    filled = []
    for field, day in rapid_timeline(review_day).items():
        if values.get(field) is None:
            values[field] = day
            filled.append(field)
    return filled


@dataclass
class Warning:
    review: Review | None
    text: str


def step_dates(review: Review) -> list[tuple[str, StrOrPromise, date | None]]:
    return [(f, label, getattr(review, f)) for f, label in review.steps]


def warnings_for(cycle: Cycle, reviews: list[Review] | None = None) -> list[Warning]:
    reviews = reviews if reviews is not None else list(
        cycle.reviews.filter(status__in=OPEN_STATUSES).select_related("host"))
    warnings: list[Warning] = []
    terms = list(cycle.partnership.term_dates.all())
    for r in reviews:
        warnings += _date_warnings(r, terms)
    warnings += _people_warnings(reviews)
    return warnings


def _date_warnings(r: Review, terms: list) -> list[Warning]:
    """A review's steps out of order or outside term, and review days at a weekend."""
    warnings = []
    dated = [(label, d) for _, label, d in step_dates(r) if d]
    for (label_a, a), (label_b, b) in zip(dated, dated[1:], strict=False):
        if b < a:
            warnings.append(Warning(r, f"{r.host.name}: {label_b} ({b:%-d %b %Y}) is "
                                       f"before {label_a} ({a:%-d %b %Y})"))
    if terms:
        for label, d in dated:
            if not any(t.starts_on <= d <= t.ends_on for t in terms):
                warnings.append(Warning(r, f"{r.host.name}: {label} on {d:%-d %b %Y} is "
                                           "outside term"))
    for d in r.review_dates():
        if d.weekday() >= 5:
            warnings.append(Warning(r, f"{r.host.name}: review day {d:%-d %b %Y} is a "
                                       f"{d:%A}"))
    return warnings


def _people_warnings(reviews: list[Review]) -> list[Warning]:
    """People on two reviews on the same day; schools hosting while their people review
    away."""
    by_day: dict[date, list[tuple[TeamMember, Review]]] = defaultdict(list)
    members = (TeamMember.objects.filter(review__in=reviews,
                                         status__in=[TeamMember.State.INVITED,
                                                     TeamMember.State.ACCEPTED],
                                         role__in=[TeamMember.Role.REVIEWER,
                                                   TeamMember.Role.LEAD])
               .select_related("user", "school", "review__host"))
    for m in members:
        for d in m.review.review_dates():
            by_day[d].append((m, m.review))
    hosting = defaultdict(set)
    for r in reviews:
        for d in r.review_dates():
            hosting[d].add(r.host_id)
    warnings = []
    for d, rows in sorted(by_day.items()):
        warnings += _booked_twice(d, rows)
        warnings += _hosting_while_away(d, rows, hosting[d])
    return warnings


def _hosting_while_away(d: date, rows, hosts: set) -> list[Warning]:
    return [Warning(r, f"{m.school.name} hosts its own review on {d:%-d %b %Y} while "
                       f"{m.user.display_name} reviews at {r.host.name}")
            for m, r in rows if m.school_id in hosts]


def _booked_twice(d: date, rows) -> list[Warning]:
    per_person = defaultdict(list)
    for m, r in rows:
        per_person[m.user].append(r)
    warnings = []
    for person, rs in per_person.items():
        if len(rs) > 1:
            names = " and ".join(x.host.name for x in rs)
            warnings.append(Warning(rs[0], f"{person.display_name} is booked on two reviews "
                                           f"on {d:%-d %b %Y}: {names}"))
    return warnings


def is_past(cycle: Cycle, today: date | None = None) -> bool:
    return cycle.last_day < (today or timezone.localdate())


def cycle_schools(cycle: Cycle, today: date | None = None):
    """The schools a cycle is about: for this year's cycle (or a coming one) the
    partnership's schools now; for a cycle that has ended, the schools that were members
    during its year. A school that joined after a cycle ended belongs to later cycles only."""
    if not is_past(cycle, today):
        return cycle.partnership.current_schools()
    during = cycle.partnership.memberships.filter(
        Q(joined_on__lte=cycle.last_day),
        Q(left_on__isnull=True) | Q(left_on__gt=cycle.first_day))
    return School.objects.filter(pk__in=during.values("school_id"))


def schools_without_review(cycle: Cycle, today: date | None = None):
    hosting = cycle.reviews.exclude(status=Status.CANCELLED).values("host_id")
    return cycle_schools(cycle, today).exclude(pk__in=hosting).order_by("name")


def step_state(review: Review, field: str, today: date | None = None) -> str:
    """"done", "late", "due" (within two weeks), "on_track", or "" when no date is set. A step
    the review's status has passed is done, but never on a day still to come (a meeting set
    for next week shows as due, not done)."""
    today = today or timezone.localdate()
    d = getattr(review, field)
    if review.status in DONE_AFTER[field] and (d is None or d <= today):
        return "done"
    if d is None:
        return ""
    if review.status in (Status.CANCELLED,):
        return ""
    if d < today:
        return "late"
    if d <= today + timedelta(days=DUE_SOON_DAYS):
        return "due"
    return "on_track"


STATE_LABELS = {"done": _("Done"), "late": _("Late"), "due": _("Due"), "on_track": _("On track"),
                "": _("Not set")}
STATE_TAGS = {"done": "govuk-tag--green", "late": "govuk-tag--red", "due": "govuk-tag--yellow",
              "on_track": "govuk-tag--blue", "": "govuk-tag--grey"}


def timeline(cycle: Cycle, today: date | None = None) -> list[dict]:
    rows = []
    for r in cycle.reviews.select_related("host").order_by("host__name"):
        cells = []
        for field, label, d in step_dates(r):
            state = step_state(r, field, today)
            cells.append({"label": label, "date": d, "state": state,
                          "state_label": STATE_LABELS[state], "tag": STATE_TAGS[state]})
        rows.append({"review": r, "cells": cells})
    return rows
