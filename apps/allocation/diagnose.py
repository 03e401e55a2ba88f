"""Why an instance cannot be solved, in words a partnership lead understands.

``precheck`` finds the impossibilities that can be seen without solving (too few schools in a
pool, nobody able to lead on the day, a school that cannot give what it receives, a fixed
assignment that breaks a rule). ``explain`` is used when the solver proves infeasibility
without a precheck reason: it drops one family of rules at a time and reports those whose
removal would make an allocation possible.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import replace
from typing import Any

from apps.reviews.rulebook import instance_reasons


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _host_label(inst, rid) -> str:
    review = inst.reviews[rid]
    return f"the review of school {review.host} ({rid}, {review.dates[0]:%-d %b %Y})"


def _exclusions(inst, rid, role) -> Counter:
    """Why people of the pool cannot take ``role`` on ``rid``: reason -> count."""
    review = inst.reviews[rid]
    why: Counter[Any] = Counter()
    for person in inst.people.values():
        mine = inst.schools[person.school]
        if mine.partnership not in review.pool or person.school == review.host:
            continue
        reason = _why_excluded(inst, rid, role, person)
        if reason:
            why[reason] += 1
    return why


def _why_excluded(inst, rid, role, person) -> str | None:
    """The first reason ``person`` cannot take ``role`` on ``rid``, in the words of
    ``precheck`` (after "n persons"); ``None`` if there is none."""
    reason = _conflict(inst, rid, person)
    if reason:
        return reason
    if role == "champion":
        return None if person.can_champion else "not Improvement Champions"
    if role == "lead" and not person.can_lead:
        return "not able to lead"
    if role == "member" and not person.can_review:
        return "not reviewers"
    return _not_free(inst, rid, person)


def _conflict(inst, rid, person) -> str | None:
    """Kept off by hand, or in the host's trust or federation."""
    s, review = inst.settings, inst.reviews[rid]
    mine, host = inst.schools[person.school], inst.schools[review.host]
    if (rid, person.id) in inst.forbidden:
        return "forbidden by hand"
    if s.forbid_same_trust and mine.trust is not None and mine.trust == host.trust:
        return "in the host's trust"
    if s.forbid_same_federation and mine.federation is not None and \
            mine.federation == host.federation:
        return "in the host's federation"
    return None


def _not_free(inst, rid, person) -> str | None:
    """Not trained on the day, away, needed at their own school or too far away."""
    from .solver import hosting_dates

    s, review = inst.settings, inst.reviews[rid]
    if person.trained_until is None or person.trained_until < review.dates[-1]:
        return "not trained on the day"
    if set(review.dates) & person.unavailable:
        return "unavailable on the day"
    if set(review.dates) & hosting_dates(inst).get(person.school, set()):
        return "needed at their own school's review that day"
    if review.mode == "in_person" and s.max_travel_km is not None and \
            inst.dist_km(person.school, review.host) > s.max_travel_km:
        return f"more than {s.max_travel_km:g} km away"
    return None


def precheck(inst, cands: dict | None = None) -> list[str]:
    """``cands``: the solver's candidates ((review, person) -> roles), worked out if not
    given."""
    from .solver import candidates

    cands = candidates(inst) if cands is None else cands
    return _team_reasons(inst, cands) + _balance_reasons(inst) + _pin_reasons(inst, cands)


def _team_reasons(inst, cands: dict) -> list[str]:
    """Reviews whose pool has too few schools for a team, or too few people able to take a
    role."""
    schools_in = defaultdict(set)
    for urn, school in inst.schools.items():
        schools_in[school.partnership].add(urn)
    able_count: Counter[Any] = Counter()
    for (rid, _pid), roles in cands.items():
        for role in roles:
            able_count[(rid, role)] += 1
    reasons = []
    for rid in inst.reviews:
        too_few = _too_few_schools(inst, rid, schools_in)
        if too_few:
            reasons.append(too_few)
            continue
        reasons += _too_few_able(inst, rid, able_count)
    return reasons


def _too_few_schools(inst, rid, schools_in) -> str | None:
    s, review = inst.settings, inst.reviews[rid]
    cap = max(1, s.max_from_one_school_per_team)
    pool_schools = set().union(*(schools_in[p] for p in review.pool)) - {review.host}
    needed = math.ceil(review.team_size / cap) + (1 if s.assign_champion else 0)
    if len(pool_schools) >= needed:
        return None
    names = " and ".join(f"Partnership {p}" for p in review.pool)
    total = len(pool_schools) + 1
    return (f"{names} {'has' if len(review.pool) == 1 else 'have'} "
            f"{_plural(total, 'school')}: a team of {review.team_size} with at most "
            f"{_plural(s.max_from_one_school_per_team, 'person')} per school"
            + (", plus an Improvement Champion from a school not on the team,"
               if s.assign_champion else "")
            + f" needs at least {needed + 1} schools ({_host_label(inst, rid)})")


def _too_few_able(inst, rid, able_count) -> list[str]:
    """Each role of the review fewer people can take than it needs, with why the others
    cannot."""
    s, review = inst.settings, inst.reviews[rid]
    roles_needed = [("lead", 1), ("member", review.team_size - 1)]
    if s.assign_champion:
        roles_needed.append(("champion", 1))
    reasons = []
    for role, n in roles_needed:
        if n <= 0:
            continue
        able = able_count[(rid, role)]
        if able < n:
            why = _exclusions(inst, rid, role)
            detail = "; ".join(f"{_plural(c, 'person')} {w}" for w, c in why.most_common())
            word = {"lead": "lead reviewer", "member": "team member",
                    "champion": "Improvement Champion"}[role]
            reasons.append(f"{_host_label(inst, rid)} needs {_plural(n, word)} but only "
                           f"{able} in its pool can be one"
                           + (f" ({detail})" if detail else ""))
    return reasons


def _balance_reasons(inst) -> list[str]:
    """Schools whose people cannot give what they receive, within the tolerance."""
    s = inst.settings
    if s.balance_tolerance is None:
        return []
    received: Counter[Any] = Counter()
    for review in inst.reviews.values():
        received[review.host] += review.team_size
    capacity: Counter[Any] = Counter()
    for person in inst.people.values():
        if person.can_review or person.can_lead:
            capacity[person.school] += min(person.max_reviews, s.max_reviews_per_person)
    return [f"School {urn} receives {received[urn]} reviewer places but its people can "
            f"give at most {capacity[urn]}: the balance rule (give within "
            f"{s.balance_tolerance} of what you receive) cannot be met"
            for urn in inst.schools if capacity[urn] + s.balance_tolerance < received[urn]]


def _pin_reasons(inst, cands: dict) -> list[str]:
    """Pinned assignments that break a one-person, one-review rule."""
    reasons = []
    for rid, pid, role in inst.fixed:
        if role not in cands.get((rid, pid), ()):
            broken = instance_reasons(inst, rid, pid, role) or ["a rule about their role"]
            reasons.append(f"The pinned {role} {pid} on {_host_label(inst, rid)} breaks a rule "
                           f"({'; '.join(broken)}); unpin them")
    return reasons


RELAXATIONS = [
    ("balance", lambda i: replace(i, settings=replace(i.settings, balance_tolerance=None)),
     "the balance rule (each school gives within {tol} of what it receives)"),
    ("travel", lambda i: replace(i, settings=replace(i.settings, max_travel_km=None)),
     "the travel limit of {km} km"),
    ("load", lambda i: replace(i, settings=replace(i.settings, max_reviews_per_person=99,
                                                   max_champion_per_person=99),
                               people={k: replace(p, max_reviews=99)
                                       for k, p in i.people.items()}),
     "the limit of reviews per person"),
    ("fixed", lambda i: replace(i, fixed=[], forbidden=set()),
     "the people pinned or forbidden by hand"),
    ("school", lambda i: replace(i, settings=replace(i.settings,
                                                     max_from_one_school_per_team=99)),
     "at most {cap} per school in a team"),
]


def explain(inst, reviews, people, cands, deadline: float | None = None) -> list[str]:
    """Which families of rules block ``reviews``: each is dropped in turn and the rest
    solved again, sharing the time to ``deadline`` (``time.monotonic()``; 10 s each without
    one). A relaxation not decided in its time is not named."""
    import time

    from .solver import solve

    sub = replace(inst, reviews={r: inst.reviews[r] for r in reviews},
                  fixed=[f for f in inst.fixed if f[0] in reviews])
    s = inst.settings
    blocking = []
    for i, (_name, relax, label) in enumerate(RELAXATIONS):
        relaxed = relax(sub)  # a new instance: nothing cached from the strict one
        limit = 10.0 if deadline is None else \
            (deadline - time.monotonic()) / (len(RELAXATIONS) - i)
        if limit <= 0.02:
            break
        result = solve(relaxed, time_limit=limit, explain=False)
        if result.status in ("optimal", "feasible"):
            blocking.append(label.format(tol=s.balance_tolerance, km=s.max_travel_km,
                                         cap=s.max_from_one_school_per_team))
    hosts = sorted({inst.reviews[r].host for r in reviews})
    where = f"the reviews of schools {', '.join(map(str, hosts[:8]))}" + \
        ("…" if len(hosts) > 8 else "")
    if blocking:
        return [f"No allocation of {where} keeps every rule. It becomes possible without "
                + " or without ".join(blocking) + "."]
    return [f"No allocation of {where} keeps every rule together: the dates, availability, "
            "training and one-person-per-school rules leave too few people. Add reviewers, "
            "move a review date or widen the pool."]


def why_not(inst, rid: str, pid: str, role: str, name: str | None = None) -> list[str]:
    """The rules that stop ``pid`` taking ``role`` on ``rid`` on their own (empty: nothing
    does; the whole allocation may still need them elsewhere), from the shared rulebook."""
    return instance_reasons(inst, rid, pid, role, name=name)
