"""A national-scale dataset for measuring the site: schools, partnerships, people, review
cycles with teams, reports, improvement plans and training sessions.

Every name is invented (word lists below, ``.example`` e-mail addresses); nothing comes from
the real register. Rows are written with ``bulk_create`` in batches because the services
(one audited write at a time) would take hours at this size, so the product's rules are
built in by construction instead, and ``tests/test_scale_generator.py`` checks them on a
small run:

- **Teams.** In a partnership of *n* schools (n >= 4) the review of the school at position
  *i* has the school leader of school *i+1* as lead reviewer, the headteacher of school
  *i+2* as reviewer and the school leader of school *i+3* as Improvement Champion (positions
  modulo *n*). So nobody reviews their own school, one person per school, one lead, at most
  4 reviewers, and the champion's school is not on the team. Leaders and heads are trained.
- **No clashes, no overbooking.** The reviews of one partnership fall on different days, so
  nobody is on two reviews on one day, and each person is on at most 2 reviews a cycle
  (a school leader: lead once, champion once; a head: reviewer once).
- **Trusts.** Schools in the same position of different partnerships share a trust, never
  two schools of one partnership, so no reviewer comes from the host's trust.
- **Workflow.** Each review gets a status along the workflow with the history of the
  transitions that lead to it; reports exist (agreed) from ``report_agreed`` on, workshops
  and actions from ``acting`` on; teams are accepted once the review is scheduled.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

FIRST = ["Oak", "Ash", "Birch", "Elm", "Hazel", "Willow", "Rowan", "Alder", "Beech", "Holly",
         "Maple", "Cedar", "Larch", "Poplar", "Juniper", "Thorn", "Heather", "Fern", "Bramble",
         "Clover"]
SECOND = ["field", "brook", "wood", "mead", "hill", "dale", "bank", "croft", "gate", "ridge",
          "vale", "stead", "ford", "well", "moor", "lea", "combe", "hurst", "holt", "wick"]
KIND = ["Primary School", "Infant School", "Junior School", "Academy", "C of E Primary School",
        "Community Primary School", "Church School", "Nursery and Primary School"]
TOWNS = ["Lowmarsh", "Kettlebury", "Amberford", "Brackenhurst", "Dunmere", "Fallowby",
         "Greystow", "Hollinsby", "Inglemoor", "Juniper Cross", "Kingsmere", "Larkhaven",
         "Millbeck", "Northwold", "Orrinton", "Pennyfold", "Quarrington", "Ravensholm",
         "Saltridge", "Thistlewick", "Upperfold", "Westerleigh", "Yarrowby", "Zennor Vale"]
GIVEN = ["Alex", "Sam", "Jo", "Robin", "Charlie", "Morgan", "Jamie", "Ali", "Priya", "Tomasz",
         "Aisha", "Niamh", "Dev", "Grace", "Kwame", "Lena", "Owen", "Ruth", "Yusuf", "Zara"]
FAMILY = ["Ashworth", "Brennan", "Chowdhury", "Davies", "Eastwood", "Fairley", "Gill",
          "Hartley", "Iqbal", "Jones", "Kowalski", "Lomax", "Mensah", "Nolan", "Okafor",
          "Pearce", "Quinn", "Rahman", "Sutton", "Turner"]
PHASES = ["Primary", "Primary", "Primary", "Secondary", "All-through"]

# The workflow in order, and the transition that reaches each status.
PATH = [("planned", None), ("self_review", "start_self_review"),
        ("enquiry_agreed", "agree_enquiry"), ("scheduled", "schedule"),
        ("in_review", "start_review"), ("feedback_given", "give_feedback"),
        ("report_agreed", "agree_report"), ("acting", "complete_workshop"),
        ("closed", "close")]
STATUS_ORDER = [s for s, _ in PATH]


@dataclass(frozen=True)
class ScaleSpec:
    schools: int = 24_000
    partnerships: int = 538
    per_partnership: int = 8       # member schools of each partnership (at least 4)
    staff_per_school: int = 1      # staff accounts per member school, besides head and leader
    actions_per_review: int = 3    # for reviews acting on their plan or closed
    notes_per_review: int = 2      # evidence notes for reviews from in_review on
    past_sessions: int = 600       # training sessions already held
    future_sessions: int = 60
    bookings_per_session: int = 4
    start_year: int = 2026
    seed: int = 20261207
    batch: int = 2000

    def __post_init__(self):
        if self.per_partnership < 4:
            raise ValueError("per_partnership must be at least 4 (host, lead, reviewer, "
                             "champion from four different schools)")
        if self.partnerships * self.per_partnership > self.schools:
            raise ValueError(f"{self.partnerships} partnerships of {self.per_partnership} "
                             f"need {self.partnerships * self.per_partnership} schools, "
                             f"but only {self.schools} are asked for")


PRESETS = {
    "national": ScaleSpec(),
    "small": ScaleSpec(schools=60, partnerships=5, per_partnership=6, past_sessions=12,
                       future_sessions=3, batch=500),
}


def scaled(spec: ScaleSpec, factor: float) -> ScaleSpec:
    """``spec`` with every count multiplied by ``factor`` (used for "twice the small run")."""
    return replace(spec, schools=round(spec.schools * factor),
                   partnerships=round(spec.partnerships * factor),
                   past_sessions=round(spec.past_sessions * factor),
                   future_sessions=round(spec.future_sessions * factor))


def _name(rng: random.Random) -> str:
    return f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"


def _weekdays(start: date, count: int) -> list[date]:
    days: list[date] = []
    d = start
    while len(days) < count:
        if d.weekday() < 5:
            days.append(d)
        d += timedelta(days=1)
    return days


def generate(spec: ScaleSpec, *, progress=None) -> dict:
    """Add ``spec``'s data to the database (in one transaction) and return counts and
    timings. Runs beside existing data: URNs, names and e-mails continue after what is
    there."""
    say = progress or (lambda msg: None)
    timings: dict[str, float] = {}
    counts: dict[str, int] = {}
    with transaction.atomic():
        _generate(spec, say, timings, counts)
    return {"counts": counts, "seconds": timings}


def _generate(spec: ScaleSpec, say, timings, counts) -> None:  # noqa: C901 - one recipe
    from apps.accounts.models import Role, RoleAssignment, User
    from apps.improvement.models import Action, Area, Workshop
    from apps.partnerships.models import Membership, Partnership, PhaseChange
    from apps.reviews import models as r
    from apps.schools.models import School
    from apps.training import models as t

    rng = random.Random(spec.seed)
    now = timezone.now()

    batch = spec.batch
    t0 = time.perf_counter()

    def lap(name):
        nonlocal t0
        timings[name] = round(time.perf_counter() - t0, 2)
        say(f"{name}: {timings[name]} s")
        t0 = time.perf_counter()

    # A tag keeps names unique when the generator runs more than once on a database.
    run = f"{Partnership.objects.filter(slug__regex=r'^scale-[0-9]+-1$').count():02d}"
    urn0 = max(School.objects.order_by("-urn").values_list("urn", flat=True).first() or 0,
               700_000) + 1

    # Schools: members first (partnership p, position k), then the unpartnered rest.
    n_members = spec.partnerships * spec.per_partnership
    schools = []
    for i in range(spec.schools):
        member = i < n_members
        p, k = divmod(i, spec.per_partnership) if member else (0, 0)  # used for members only
        town = rng.choice(TOWNS)
        trust = (f"SC{run}{k:02d}{p % 40:02d}" if member and p % 3 == 0 else
                 (f"SC{run}U{i % 500:03d}" if not member and i % 4 == 0 else ""))
        pupils = rng.randint(40, 900)
        schools.append(School(
            urn=urn0 + i, name=f"{rng.choice(FIRST)}{rng.choice(SECOND)} {rng.choice(KIND)}",
            la_code=f"9{i % 150:02d}", la_name=f"{town} Council", status="Open",
            type_name="Community school", type_group="Local authority maintained schools",
            phase=rng.choice(PHASES), town=town,
            postcode=f"ZZ{i % 99} {i % 9}ZZ", easting=400_000 + (i * 37) % 200_000,
            northing=100_000 + (i * 53) % 400_000, pupils=pupils,
            capacity=pupils + rng.randint(0, 120),
            percentage_fsm=f"{rng.uniform(2, 55):.1f}", trust_code=trust,
            trust_name=f"{trust} Learning Trust" if trust else "", country="England",
            imported_at=now))
    School.objects.bulk_create(schools, batch_size=batch)
    schools = list(School.objects.filter(urn__gte=urn0).order_by("urn"))
    counts["schools"] = len(schools)
    lap("schools")

    partnerships = [Partnership(name=f"Scale {run} {rng.choice(TOWNS)} Partnership {p + 1}",
                                slug=f"scale-{run}-{p + 1}", phase="embed")
                    for p in range(spec.partnerships)]
    Partnership.objects.bulk_create(partnerships, batch_size=batch)
    partnerships = list(Partnership.objects.filter(slug__startswith=f"scale-{run}-")
                        .order_by("pk"))
    joined = date(spec.start_year - 1, 9, 1)
    PhaseChange.objects.bulk_create(
        [PhaseChange(partnership=p, phase="embed", started_on=joined) for p in partnerships],
        batch_size=batch)
    members = {p.pk: schools[i * spec.per_partnership:(i + 1) * spec.per_partnership]
               for i, p in enumerate(partnerships)}
    Membership.objects.bulk_create(
        [Membership(partnership=p, school=s, joined_on=joined)
         for p in partnerships for s in members[p.pk]], batch_size=batch)
    counts["partnerships"] = len(partnerships)
    counts["memberships"] = n_members
    lap("partnerships")

    # People: head, school leader and staff per member school; a head at every other
    # school; a lead per partnership; an associate per 10 partnerships.
    trained = date(spec.start_year + 2, 8, 31)
    password = make_password(None)
    users, roles = [], []   # roles: (user index, role, school, partnership)

    def person(email, role, school=None, partnership=None, **extra):
        users.append(User(email=email, full_name=_name(rng), password=password,
                          date_joined=now, **extra))
        roles.append((len(users) - 1, role, school, partnership))
        return len(users) - 1

    head, leader, staff = {}, {}, {}
    member_ids = {s.pk for s in schools[:n_members]}
    for s in schools:
        head[s.pk] = person(f"head.{s.urn}.{run}@scale.example", Role.HEADTEACHER, school=s,
                            reviewer_trained_until=trained)
        if s.pk in member_ids:
            leader[s.pk] = person(f"leader.{s.urn}.{run}@scale.example", Role.SCHOOL_LEADER,
                                  school=s, reviewer_trained_until=trained,
                                  champion_trained_until=trained)
            staff[s.pk] = [person(f"staff{j}.{s.urn}.{run}@scale.example", Role.STAFF,
                                  school=s) for j in range(spec.staff_per_school)]
    for i, pship in enumerate(partnerships):
        person(f"lead.{pship.slug}@scale.example", Role.PARTNERSHIP_LEAD, partnership=pship)
        if i % 10 == 0:
            person(f"associate.{pship.slug}@scale.example", Role.ASSOCIATE, partnership=pship)
    User.objects.bulk_create(users, batch_size=batch)
    if users[0].pk is None:  # backends that do not return ids
        by_email = dict(User.objects.filter(email__endswith=f".{run}@scale.example")
                        .values_list("email", "pk"))
        for u in users:
            u.pk = by_email[u.email]
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user_id=users[u].pk, role=role, school=school, partnership=partnership,
                        granted_at=now) for u, role, school, partnership in roles],
        batch_size=batch)
    counts["people"] = len(users)
    lap("people")

    # Cycles and reviews: one per member school, on distinct weekdays per partnership.
    cycles = [r.Cycle(partnership=p, start_year=spec.start_year) for p in partnerships]
    r.Cycle.objects.bulk_create(cycles, batch_size=batch)
    cycles = list(r.Cycle.objects.filter(partnership__in=partnerships).order_by("partnership"))
    term_start = date(spec.start_year, 9, 14)
    reviews = []
    for c in cycles:
        days = _weekdays(term_start + timedelta(days=rng.randint(0, 20)),
                         spec.per_partnership)
        for k, s in enumerate(members[c.partnership_id]):
            status = STATUS_ORDER[(k + c.partnership_id) % len(STATUS_ORDER)]
            day = days[k]
            reviews.append(r.Review(
                cycle=c, host=s, status=status, review_starts_on=day,
                data_sharing_on=day - timedelta(days=28), pre_review_on=day - timedelta(days=14),
                feedback_on=day + timedelta(days=1), workshop_on=day + timedelta(days=21),
                checkback_on=day + timedelta(days=120),
                key_question=("How well do pupils use what they know when they read "
                              "unfamiliar texts?") if status != "planned" else ""))
    r.Review.objects.bulk_create(reviews, batch_size=batch)
    reviews = list(r.Review.objects.filter(cycle__in=cycles).select_related("host"))
    by_host = {rv.host_id: rv for rv in reviews}
    counts["reviews"] = len(reviews)
    lap("reviews")

    history, team, lines, findings, reports = [], [], [], [], []
    workshops, actions, notes = [], [], []
    for c in cycles:
        group = members[c.partnership_id]
        n = len(group)
        for k, s in enumerate(group):
            rv = by_host[s.pk]
            assert rv.review_starts_on is not None  # every generated review has its dates
            level = STATUS_ORDER.index(rv.status)
            at = datetime.combine(rv.review_starts_on, datetime.min.time(),
                                  tzinfo=UTC) - timedelta(days=60)
            for step in range(1, level + 1):
                history.append(r.StatusChange(
                    review=rv, transition=cast(str, PATH[step][1]), from_status=PATH[step - 1][0],
                    to_status=PATH[step][0], by_id=users[head[s.pk]].pk,
                    at=at + timedelta(days=step * 7)))
            accepted = level >= STATUS_ORDER.index("scheduled")
            state = "accepted" if accepted else "invited"
            for role, school, who in (("lead", group[(k + 1) % n], leader),
                                      ("reviewer", group[(k + 2) % n], head),
                                      ("champion", group[(k + 3) % n], leader)):
                team.append(r.TeamMember(review=rv, user_id=users[who[school.pk]].pk,
                                         school=school, role=role, status=state,
                                         invited_at=at,
                                         responded_at=at + timedelta(days=2) if accepted
                                         else None))
            if level >= STATUS_ORDER.index("enquiry_agreed"):
                lines.append(r.LineOfEnquiry(review=rv, position=1,
                                             text="How is new vocabulary taught and revisited?"))
            if level >= STATUS_ORDER.index("in_review"):
                for j in range(spec.notes_per_review):
                    notes.append(r.EvidenceNote(review=rv,
                                                author_id=users[leader[group[(k + 1) % n].pk]].pk,
                                                text=f"Pupils in group {j + 1} explained two "
                                                     "ways to work out a new word."))
            if level >= STATUS_ORDER.index("feedback_given"):
                findings.append(r.Finding(review=rv, working_well="Pupils read aloud daily.",
                                          explore_further="How new arrivals catch up."))
            if level >= STATUS_ORDER.index("report_agreed"):
                reports.append(r.Report(review=rv, number=1, status="agreed",
                                        summary="The review found confident readers.",
                                        agreed_at=at + timedelta(days=49),
                                        agreed_by_id=users[head[s.pk]].pk))
            if level >= STATUS_ORDER.index("acting"):
                assert rv.workshop_on is not None
                workshops.append(Workshop(review=rv, held_on=rv.workshop_on, stage="impact",
                                          completed_at=at + timedelta(days=56)))
                owners = staff[s.pk] or [head[s.pk]]
                for j in range(spec.actions_per_review):
                    st = (["not_started", "in_progress", "done", "dropped"][j % 4]
                          if rv.status == "acting" else "done")
                    actions.append(Action(
                        review=rv, title=f"Action {j + 1}: daily reading with a buddy",
                        area=rng.choice(list(Area.values)),
                        owner_id=users[owners[j % len(owners)]].pk,
                        starts_on=rv.workshop_on, due_on=rv.workshop_on + timedelta(days=60),
                        success_criteria="New arrivals read every day", status=st,
                        dropped_reason="Replaced by a whole-school plan" if st == "dropped"
                        else "",
                        last_update_at=now - timedelta(days=rng.randint(0, 90))))
    model: Any
    rows: list[Any]
    for model, rows in ((r.StatusChange, history), (r.TeamMember, team),
                        (r.LineOfEnquiry, lines), (r.EvidenceNote, notes),
                        (r.Finding, findings), (r.Report, reports), (Workshop, workshops),
                        (Action, actions)):
        model.objects.bulk_create(rows, batch_size=batch)
        counts[model._meta.model_name] = len(rows)
    lap("review work")

    # Training: past sessions (held), future sessions open for booking.
    course, _ = t.Course.objects.get_or_create(
        kind="reviewer", title="Peer reviewer training (scale data)",
        defaults={"audience": "current", "grants": "reviewer", "validity_months": 24})
    sessions = []
    for j in range(spec.past_sessions + spec.future_sessions):
        past = j < spec.past_sessions
        start = now + (timedelta(days=-(j + 1) * 3) if past
                       else timedelta(days=14 + (j - spec.past_sessions) * 7))
        sessions.append(t.Session(course=course, title=f"Cohort {run}-{j + 1}",
                                  mode="online", capacity=20,
                                  booking_deadline=start - timedelta(days=7)))
    t.Session.objects.bulk_create(sessions, batch_size=batch)
    sessions = list(t.Session.objects.filter(course=course, title__startswith=f"Cohort {run}-")
                    .order_by("pk"))
    parts, bookings = [], []
    staff_ids = [users[i].pk for ids in staff.values() for i in ids]
    for j, sess in enumerate(sessions):
        start = sess.booking_deadline + timedelta(days=7)
        parts.append(t.SessionPart(session=sess, starts_at=start,
                                   ends_at=start + timedelta(hours=3)))
        for b in range(min(spec.bookings_per_session, len(staff_ids))):
            bookings.append(t.Booking(session=sess, status="booked",
                                      user_id=staff_ids[(j * spec.bookings_per_session + b)
                                                        % len(staff_ids)]))
    t.SessionPart.objects.bulk_create(parts, batch_size=batch)
    t.Booking.objects.bulk_create(bookings, batch_size=batch)
    counts["sessions"] = len(sessions)
    counts["bookings"] = len(bookings)
    lap("training")
