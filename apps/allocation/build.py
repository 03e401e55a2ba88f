"""Build an `spp-allocation/1` instance from a cycle: its reviews, the leaders of the pool's
schools with their training, availability, strengths and history, and the lead's settings.

Ids: a person is ``u<user id>``, a review ``r<review id>``, a partnership its slug.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils import timezone

from apps.accounts.models import Role, RoleAssignment, User, current_role_lookup
from apps.partnerships.models import Membership, Partnership, current_membership_q
from apps.partnerships.selectors import delivery_partner_user_ids
from apps.reviews.models import ONLINE_MODES, OPEN_STATUSES, Mode, Review, Status, TeamMember
from apps.reviews.rulebook import DELIVERY_PARTNER_ROLES, DELIVERY_POOL

from .models import PlaceRole
from .spec import FORMAT

DEFAULTS = {"team_size": 3, "assign_champion": True, "max_travel_km": 40,
            "balance_tolerance": 1, "forbid_same_trust": True, "forbid_same_federation": True,
            "max_reviews_per_person": 2, "max_champion_per_person": 2,
            "weights": {"expertise": 3, "repeat": 5, "travel_per_10km": 1, "reciprocal": 2,
                        "mentoring": 2, "extra_load": 1}}
DONE = [Status.REPORT_AGREED, Status.ACTING, Status.CLOSED]


# A team place as the optimiser's format names it (blended reviews count as in person there).
PLACE_FOR_TEAM_ROLE = {TeamMember.Role.LEAD: PlaceRole.LEAD,
                       TeamMember.Role.REVIEWER: PlaceRole.MEMBER,
                       TeamMember.Role.CHAMPION: PlaceRole.CHAMPION}

def person_id(user_id: int) -> str:
    return f"u{user_id}"


def review_id(review_pk: int) -> str:
    return f"r{review_pk}"


def pool_partnerships(cycle) -> list:
    ids = [cycle.partnership_id]
    if cycle.cross_partnership:
        ids += list(cycle.partner_partnerships.values_list("pk", flat=True))
    return list(Partnership.objects.filter(pk__in=ids))


def rapid_pool(cycle) -> list:
    """The partnerships a Rapid Response review draws reviewers from: the cycle's own and
    every partner whose lead has agreed to lend reviewers to the cycle, from anywhere (the
    review is online, so nobody travels), whatever the cycle's cross-partnership setting."""
    return list(Partnership.objects.filter(
        pk__in={cycle.partnership_id} | cycle.agreed_partner_ids(rapid=True)))


def instance_mode(review) -> str:
    """The optimiser's mode: online reviews (virtual, Rapid Response) count no travel;
    blended reviews count as in person."""
    return "virtual" if review.mode in ONLINE_MODES else "in_person"


def authority_pool(cycle) -> tuple[str, list]:
    """The local authority most of the cycle's schools are in, and every partnership with a
    current member school there (the cycle's own first): a county-wide pool."""
    names = (Membership.objects.current().filter(partnership=cycle.partnership)
             .exclude(school__la_name="").values_list("school__la_name", flat=True))
    counts: defaultdict[str, int] = defaultdict(int)
    for name in names:
        counts[name] += 1
    if not counts:
        return "", []
    la = max(sorted(counts), key=lambda n: counts[n])
    others = (Partnership.objects.filter(current_membership_q("memberships__"),
                                         memberships__school__la_name=la)
              .exclude(pk=cycle.partnership_id).distinct().order_by("name"))
    return la, [cycle.partnership, *others]


def reviews_to_allocate(cycle):
    """Open reviews with a review day."""
    return (cycle.reviews.filter(status__in=OPEN_STATUSES, review_starts_on__isnull=False)
            .exclude(status=Status.POSTPONED).select_related("host").order_by("host__name"))


def build_instance(cycle, options: dict | None = None, pins=(), forbids=()) -> dict:
    """``pins``: (review pk, user pk, role) with role lead, member or champion; ``forbids``:
    (review pk, user pk)."""
    opts = {**DEFAULTS, **(options or {})}
    today = timezone.localdate()
    reviews = list(reviews_to_allocate(cycle))
    partnerships = pool_partnerships(cycle)
    pool = [p.slug for p in partnerships]
    rapid_partnerships = rapid_pool(cycle) if any(r.mode == Mode.RAPID for r in reviews) \
        else []
    rapid = [p.slug for p in rapid_partnerships]
    partnerships += [p for p in rapid_partnerships if p.slug not in pool]
    school_rows, partnership_of = _pool_schools(partnerships)
    urn_of = {s.pk: s.urn for s in school_rows.values()}

    leaders = (User.objects.filter(is_active=True, **current_role_lookup("roles__"),
                                   roles__role__in=[Role.HEADTEACHER, Role.SCHOOL_LEADER],
                                   roles__school_id__in=list(school_rows))
               .distinct().select_related("reviewer_profile"))
    home = _home_schools(leaders, school_rows)
    history = _history(leaders, cycle)
    people = [_person_row(user, urn_of[home[user.pk]], history[user.pk], opts, today)
              for user in leaders]
    # Delivery partners from outside the pool may lead a cross-partnership cycle's reviews.
    extra_pool = []
    if cycle.cross_partnership:
        dp_people = _delivery_partners(cycle, leaders, school_rows, partnership_of, opts,
                                       today)
        people += dp_people
        extra_pool = [DELIVERY_POOL] if dp_people else []
    schools = _school_rows(school_rows, partnership_of)
    known_people = {p["id"] for p in people}
    review_rows, fixed = [], []
    for r in reviews:
        review_rows.append({
            "id": review_id(r.pk), "host": r.host.urn,
            "dates": [d.isoformat() for d in r.review_dates()],
            "mode": instance_mode(r),
            "team_size": int(opts["team_size"]), "themes": list(r.focus_areas),
            "pool": (rapid if r.mode == Mode.RAPID else pool) + extra_pool})
        fixed += _accepted_places(r, known_people, opts)
    known_reviews = {row["id"] for row in review_rows}
    for rpk, upk, role in pins:
        key = (review_id(rpk), person_id(upk))
        if key[0] in known_reviews and key[1] in known_people and \
                not any((f["review"], f["person"]) == key for f in fixed):
            fixed.append({"review": key[0], "person": key[1], "role": role})
    forbidden = [{"review": review_id(rpk), "person": person_id(upk)} for rpk, upk in forbids
                 if review_id(rpk) in known_reviews and person_id(upk) in known_people]
    return {"format": FORMAT, "name": f"{cycle.partnership.slug}-{cycle.label}",
            "settings": {k: opts[k] for k in DEFAULTS if k != "team_size"},
            "schools": schools, "people": people, "reviews": review_rows, "fixed": fixed,
            "forbidden": forbidden}


def _delivery_partners(cycle, leaders, school_rows: dict, partnership_of: dict, opts: dict,
                       today) -> list[dict]:
    """Delivery partners in force whose schools are outside the pool (those who lead a pool
    school are among ``leaders`` already), each from their first leadership school, which
    joins ``school_rows`` under ``DELIVERY_POOL``; they may take only the roles the
    rulebook gives them (``DELIVERY_PARTNER_ROLES``: lead). One with no school is left out:
    there is nowhere to travel from."""
    dps = (User.objects.filter(is_active=True, pk__in=delivery_partner_user_ids(today))
           .exclude(pk__in=leaders.values("pk")).select_related("reviewer_profile")
           .order_by("pk"))
    homes: dict[int, Any] = {}
    for ra in (RoleAssignment.objects.current()
               .filter(user__in=dps, role__in=[Role.HEADTEACHER, Role.SCHOOL_LEADER])
               .select_related("school").order_by("user_id", "school__name", "school_id")):
        homes.setdefault(ra.user_id, ra.school)
    history = _history(dps, cycle)
    rows = []
    for user in dps:
        school = homes.get(user.pk)
        if school is None:
            continue
        school_rows.setdefault(school.pk, school)
        partnership_of.setdefault(school.pk, DELIVERY_POOL)
        row = _person_row(user, school.urn, history[user.pk], opts, today)
        row["can_lead"] = row["can_lead"] and "lead" in DELIVERY_PARTNER_ROLES
        row["can_review"] = row["can_review"] and "member" in DELIVERY_PARTNER_ROLES
        row["can_champion"] = row["can_champion"] and "champion" in DELIVERY_PARTNER_ROLES
        rows.append(row)
    return rows


def _pool_schools(partnerships) -> tuple[dict, dict]:
    """The current member schools of the pool's partnerships (pk -> school) and the slug
    of each one's partnership."""
    slugs = {p.pk: p.slug for p in partnerships}
    memberships = (Membership.objects.current().filter(partnership__in=partnerships)
                   .select_related("school"))
    school_rows, partnership_of = {}, {}
    for m in memberships:
        s = m.school
        partnership_of[s.pk] = slugs[m.partnership_id]
        school_rows[s.pk] = s
    return school_rows, partnership_of


def _school_rows(school_rows: dict, partnership_of: dict) -> list[dict]:
    located = [s for s in school_rows.values() if s.easting and s.northing]
    mid_e = sum(s.easting for s in located) / len(located) if located else 0
    mid_n = sum(s.northing for s in located) / len(located) if located else 0
    return [{"urn": s.urn, "partnership": partnership_of[s.pk],
             "trust": s.trust_code or None, "federation": s.federation_code or None,
             # A school without coordinates is placed at the pool's centre.
             "easting": s.easting or mid_e, "northing": s.northing or mid_n}
            for s in school_rows.values()]


def _home_schools(leaders, school_rows: dict) -> dict:
    """user pk -> school pk: a person comes from their first leadership school in the pool."""
    home: dict[Any, Any] = {}
    for user_id, school_id in (User.objects.filter(pk__in=leaders.values("pk"))
                               .filter(**current_role_lookup("roles__"),
                                       roles__role__in=[Role.HEADTEACHER, Role.SCHOOL_LEADER],
                                       roles__school_id__in=list(school_rows))
                               .order_by("pk", "roles__school_id")
                               .values_list("pk", "roles__school_id")):
        home.setdefault(user_id, school_id)
    return home


def _history(leaders, cycle) -> dict:
    """user pk -> {"done": reviews done, "hosts": urns reviewed in earlier cycles}."""
    history: defaultdict[Any, Any] = defaultdict(lambda: {"done": 0, "hosts": set()})
    for user_id, host_urn, status, year in TeamMember.objects.filter(
            user__in=leaders, status=TeamMember.State.ACCEPTED,
            role__in=[TeamMember.Role.REVIEWER, TeamMember.Role.LEAD]).values_list(
            "user_id", "review__host__urn", "review__status", "review__cycle__start_year"):
        if status in DONE:
            history[user_id]["done"] += 1
        if year < cycle.start_year:
            history[user_id]["hosts"].add(host_urn)
    return history


def _person_row(user, school_urn: int, history: dict, opts: dict, today) -> dict:
    profile = getattr(user, "reviewer_profile", None)
    trained = user.reviewer_trained_until
    return {
        "id": person_id(user.pk), "school": school_urn,
        "can_review": bool(trained), "can_lead": bool(trained),
        "can_champion": user.is_trained_champion(today),
        "trained_until": trained.isoformat() if trained else None,
        "max_reviews": profile.max_reviews if profile else opts["max_reviews_per_person"],
        "unavailable": profile.unavailable if profile else [],
        "strengths": profile.strengths if profile else [],
        "reviews_done": history["done"],
        "reviewed_before": sorted(history["hosts"])}


def _accepted_places(review, known_people: set, opts: dict) -> list[dict]:
    """People who have already accepted a place on ``review`` keep it."""
    fixed = []
    for m in review.team.filter(status=TeamMember.State.ACCEPTED):
        if m.role == TeamMember.Role.CHAMPION and not opts["assign_champion"]:
            continue
        if person_id(m.user_id) in known_people:
            fixed.append({"review": review_id(review.pk), "person": person_id(m.user_id),
                          "role": PLACE_FOR_TEAM_ROLE[m.role]})
    return fixed


def reviews_by_id(cycle) -> dict:
    return {review_id(r.pk): r for r in Review.objects.filter(cycle=cycle)
            .select_related("host")}


def users_by_id(instance: dict) -> dict:
    ids = [int(p["id"][1:]) for p in instance.get("people", [])]
    return {person_id(u.pk): u for u in User.objects.filter(pk__in=ids)}
