"""One rulebook for putting a person on a review team, in plain English.

The optimiser (its candidate filter, ``diagnose.why_not``), the independent scorer and the
manual team page (``apps.reviews.teams``) all check a person with these functions, so each
rule is written once and gives the same reason wherever it is broken.

This module is plain Python: it imports nothing from Django or from any app, so every app can
use it without an import cycle. Each check returns the reason as a sentence naming the person
(``name``), or ``None`` when the rule is kept.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Literal, overload

from django.utils import timezone

DEFAULT_MAX_REVIEWS = 2  # a year, as lead or team member
DEFAULT_MAX_CHAMPION = 2  # a year, as Improvement Champion
DEFAULT_MAX_TRAVEL_KM = 40


def day(d: date) -> str:
    return f"{d:%-d %B %Y}"


def _days(days) -> str:
    days = [day(d) for d in sorted(days)]
    return days[0] if len(days) == 1 else ", ".join(days[:-1]) + " and " + days[-1]


def distance_km(a, b) -> float:
    """Straight-line distance between two schools (anything with ``easting`` and
    ``northing`` in metres), to a tenth of a kilometre."""
    return round(math.hypot(a.easting - b.easting, a.northing - b.northing) / 1000, 1)


# Rules about one person and one review ---------------------------------------------------------

@overload
def own_school(name: str, is_host: Literal[True]) -> str: ...
@overload
def own_school(name: str, is_host: bool) -> str | None: ...
def own_school(name: str, is_host: bool) -> str | None:
    return f"{name} works at the host school: nobody reviews their own school" if is_host \
        else None


def same_trust(name: str, school_name, trust_name) -> str:
    return f"{name}'s school {school_name} is in the host's trust ({trust_name})"


def same_federation(name: str, school_name, federation_name) -> str:
    return f"{name}'s school {school_name} is in the host's federation ({federation_name})"


def reviewer_training(name: str, trained_until: date | None, on: date) -> str | None:
    if trained_until is not None and trained_until >= on:
        return None
    if trained_until is None:
        return f"{name}'s peer-reviewer training is not recorded"
    # Said in the right tense: training can still be in date today and run out before the
    # review.
    if trained_until < timezone.localdate():
        return (f"{name}'s peer-reviewer training ran out on {day(trained_until)} (the review "
                f"is on {day(on)})")
    return (f"{name}'s peer-reviewer training runs out on {day(trained_until)}, before the "
            f"review on {day(on)}")


def unavailable(name: str, review_dates, unavailable_dates) -> str | None:
    """Rule 9: a day the person said they cannot review."""
    days = set(review_dates) & set(unavailable_dates)
    return f"{name} is unavailable on {_days(days)}" if days else None


def own_school_hosts(name: str, review_dates, hosting_dates) -> str | None:
    """Rule 9: a leader is needed at their own school's review that day."""
    days = set(review_dates) & set(hosting_dates)
    return f"{name}'s own school hosts a review on {_days(days)}" if days else None


def same_day(name: str, on: date, other: str) -> str:
    """Rule 9: two reviews on one day. ``other`` names the other review."""
    return f"{name} is on another review on {day(on)} ({other})"


def yearly_maximum(name: str, places: int, limit: int, champion: bool = False) -> str | None:
    """Rule 8: ``places`` is how many review places the person would have this year."""
    if places <= limit:
        return None
    what = "Improvement Champion" if champion else "review team"
    if limit == 0:
        return f"{name} takes on no {what} places this year"
    return f"{name} would have {places} {what} places this year: their most is {limit}"


def yearly_limit(person_max: int | None, setting: int = DEFAULT_MAX_REVIEWS) -> int:
    """The person's own yearly most, never above the run's setting."""
    return setting if person_max is None else min(person_max, setting)


def too_far(name: str, km: float, limit: float | None, in_person: bool = True) -> str | None:
    """Rule 10: travel to an in-person review."""
    if not in_person or limit is None or km <= limit:
        return None
    return f"{name}'s school is {km:g} km from the host school, more than the {limit:g} km limit"


# Delivery partners ---------------------------------------------------------------------------

# A delivery partner whose school is outside a cross-partnership review's partnerships may
# still lead it (they are "particularly skilled in peer review"), and only lead it: in an
# allocation instance they come from this pool, with ``can_lead`` alone.
DELIVERY_POOL = "Delivery partners"  # never a partnership slug (it has a space)
DELIVERY_PARTNER_ROLES = ("lead",)


def delivery_partner_place(name: str, role: str) -> str | None:
    """For a delivery partner coming from outside the review's partnerships."""
    if role in DELIVERY_PARTNER_ROLES:
        return None
    return (f"{name} is a delivery partner from outside this review's partnerships: they may "
            "lead the review, not join it as a reviewer or Improvement Champion")


# The same rules on an allocation instance (spec.Instance) -----------------------------------

def hosting_dates(inst) -> dict:
    """School urn -> the dates it hosts a review (worked out once per instance)."""
    cached = getattr(inst, "_hosting_dates", None)
    if cached is None:
        cached = {}
        for review in inst.reviews.values():
            cached.setdefault(review.host, set()).update(review.dates)
        inst._hosting_dates = cached
    return cached


def instance_reasons(inst, rid: str, pid: str, role: str, *, name: str | None = None,
                     first_only: bool = False) -> list[str]:
    """Every one-person, one-review rule ``pid`` would break taking ``role`` on ``rid``
    (empty: none; the whole allocation may still need them elsewhere)."""
    reasons = (r for r in _instance_checks(inst, rid, pid, role, name or pid) if r)
    if first_only:  # the checks after the first reason are not made
        first = next(reasons, None)
        return [first] if first else []
    return list(reasons)


def _instance_checks(inst, rid: str, pid: str, role: str, name: str):
    """Each rule's reason (or ``None``) in turn: where the person comes from, then the
    champion's rules or the team's."""
    s, review, person = inst.settings, inst.reviews[rid], inst.people[pid]
    mine, host = inst.schools[person.school], inst.schools[review.host]
    yield own_school(name, person.school == review.host)
    if mine.partnership not in review.pool:
        yield f"{name}'s school is not in a partnership of this review's pool"
    if (rid, pid) in inst.forbidden:
        yield f"{name} is kept off this review by hand"
    if s.forbid_same_trust and mine.trust is not None and mine.trust == host.trust:
        yield same_trust(name, mine.urn, mine.trust)
    if s.forbid_same_federation and mine.federation is not None and \
            mine.federation == host.federation:
        yield same_federation(name, mine.urn, mine.federation)
    if role == "champion":
        yield from _champion_checks(s, person, name)
    else:
        yield from _team_checks(inst, review, person, role, name)


def _champion_checks(s, person, name: str):
    if not s.assign_champion:
        yield "this run assigns no Improvement Champions"
    if not person.can_champion:
        yield f"{name} has no current Improvement Champion training"
    yield yearly_maximum(name, 1, s.max_champion_per_person, champion=True)


def _team_checks(inst, review, person, role: str, name: str):
    s = inst.settings
    if role == "lead" and not person.can_lead:
        yield f"{name} cannot lead a review"
    if role == "member" and not person.can_review:
        yield f"{name} cannot review"
    yield reviewer_training(name, person.trained_until, review.dates[-1])
    yield yearly_maximum(name, 1, yearly_limit(person.max_reviews, s.max_reviews_per_person))
    yield unavailable(name, review.dates, person.unavailable)
    yield own_school_hosts(name, review.dates, hosting_dates(inst).get(person.school, ()))
    yield too_far(name, distance_km(inst.schools[person.school], inst.schools[review.host]),
                  s.max_travel_km, review.mode == "in_person")
