"""The demo programme's schools, partnerships, people, training and reviews (called by
``load_demo``). All invented; see that command's docstring."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from apps.accounts import services as accounts
from apps.accounts.models import Role, User
from apps.frameworks.models import Framework
from apps.notifications.models import Notification
from apps.partnerships import services as partnerships
from apps.partnerships.models import Organisation, Partnership, Phase
from apps.reviews import services as reviews
from apps.reviews.models import ActivityKind, Mode, Review, TeamMember
from apps.reviews.schedule import rapid_timeline
from apps.schools.models import School
from apps.support import services as support
from apps.training import polls
from apps.training import records as training_records
from apps.training import services as training
from apps.training.models import Booking, Course, Registrant, Session, SessionPart

from . import cycles
from .clock import at, moment
from .stories import LAST_YEAR, OTHER, SAFEGUARDING, THIS_YEAR

DOMAIN = "demo.example"
LA = ("999", "Demoshire (fictional)")

# (urn, name, phase, type, low, high, pupils, fsm, town, federation)
SCHOOLS = [
    (990001, "Brambleford Church of England Primary School", "Primary",
     "Voluntary aided school", 4, 11, 212, "18.4", "Brambleford", ""),
    (990002, "Cinderwell Infant School", "Primary", "Community school", 4, 7, 168, "9.7",
     "Cinderwell", "Cinderwell Schools Federation"),
    (990003, "Cinderwell Junior School", "Primary", "Community school", 7, 11, 240, "11.2",
     "Cinderwell", "Cinderwell Schools Federation"),
    (990004, "Hollowmere Primary School", "Primary", "Foundation school", 4, 11, 395, "31.5",
     "Hollowmere", ""),
    (990005, "Larkspur Lane Primary School", "Primary", "Community school", 3, 11, 421,
     "42.0", "Ashcombe", ""),
    (990006, "St Wendreda's Catholic Primary School", "Primary", "Voluntary aided school", 4,
     11, 198, "7.9", "Brambleford", ""),
    (990007, "Foxley Meadow Primary School", "Primary", "Community school", 4, 11, 266,
     "21.3", "Foxley", ""),
    (990011, "Northvale Academy", "Secondary", "Academy converter", 11, 18, 1184, "22.6",
     "Northvale", ""),
    (990012, "Quarry Hill School", "Secondary", "Academy sponsor led", 11, 16, 842, "37.3",
     "Northvale", ""),
    (990013, "Fernbrook Primary Academy", "Primary", "Academy converter", 4, 11, 300, "26.1",
     "Fernbrook", ""),
    (990014, "Oakhurst Green Primary Academy", "Primary", "Academy converter", 4, 11, 415,
     "14.8", "Oakhurst", ""),
    (990015, "Saltmarsh Primary Academy", "Primary", "Academy sponsor led", 4, 11, 182, "48.9",
     "Saltmarsh", ""),
    (990016, "Willowbank Primary Academy", "Primary", "Academy converter", 4, 11, 356, "19.5",
     "Northvale", ""),
    (990017, "Tidewater Primary Academy", "Primary", "Academy converter", 3, 11, 233, "35.0",
     "Saltmarsh", ""),
    (990018, "The Beacon Special School", "Not applicable", "Academy special converter", 4, 19,
     96, "52.1", "Northvale", ""),
    (990021, "Kestrel Rise Primary School", "Primary", "Community school", 4, 11, 287, "16.3",
     "Kestrel Rise", ""),
    (990022, "Gorsefield Primary School", "Primary", "Community school", 4, 11, 154, "12.0",
     "Gorsefield", ""),
    (990023, "Mill Cross High School", "Secondary", "Community school", 11, 16, 905, "24.4",
     "Ashcombe", ""),
    (990024, "Old Ropewalk Primary School", "Primary", "Community school", 4, 11, 0, None,
     "Ashcombe", ""),
    (990025, "Ashcombe Vale Primary School", "Primary", "Community school", 4, 11, 318, "27.7",
     "Ashcombe", ""),
    (990031, "Seabright Primary School", "Primary", "Community school", 4, 11, 204, "29.4",
     "Seabright", ""),
    (990032, "Pebblecombe Church of England Primary School", "Primary",
     "Voluntary controlled school", 4, 11, 131, "15.3", "Pebblecombe", ""),
    (990033, "Harbour View Junior School", "Primary", "Community school", 7, 11, 276, "33.8",
     "Seabright", ""),
    (990034, "Dunstan Marsh Primary School", "Primary", "Foundation school", 4, 11, 189,
     "24.9", "Dunstan Marsh", ""),
]
CLOSED = {990024}
BRAMBLEFORD = [990001, 990002, 990003, 990004, 990005, 990006]
NEW_IN_BRAMBLEFORD = [990007]  # joined this September
NORTHVALE = [990011, 990012, 990013, 990014, 990015, 990016, 990017, 990018]
ESTUARY = [990031, 990032, 990033, 990034]
ASHCOMBE = [990022, 990023, 990024, 990025]

# Training the demo's people completed, by session key (see ``HISTORY``): what they are
# trained until follows from it, as it would from real registers.
# (email local part, full name, [(role, partnership key or None, school urn or None)],
#  training completed)
Person = tuple[str, str, list[tuple[str, str | None, int | None]], tuple[str, ...]]
PEOPLE: list[Person] = [
    ("core", "Orla Penhallow", [(Role.CORE_TEAM, None, None)], ()),
    ("associate", "Tobias Wrenfield", [(Role.ASSOCIATE, "brambleford", None),
                                       (Role.ASSOCIATE, "northvale", None),
                                       (Role.ASSOCIATE, "estuary", None)], ()),
    ("lead.brambleford", "Imogen Threlkeld",
     [(Role.PARTNERSHIP_LEAD, "brambleford", None), (Role.HEADTEACHER, None, 990004)],
     ("r1", "rr")),
    ("lead.northvale", "Desmond Achterberg", [(Role.PARTNERSHIP_LEAD, "northvale", None)], ()),
    ("head.brambleford", "Priya Castellane", [(Role.HEADTEACHER, None, 990001)],
     ("r1", "rr", "c1", "cr")),
    ("exechead.cinderwell", "Magnus Oduya-Finch",
     [(Role.HEADTEACHER, None, 990002), (Role.HEADTEACHER, None, 990003)], ("r1", "rr")),
    ("head.larkspur", "Rosalind Quaye-Barrow", [(Role.HEADTEACHER, None, 990005)],
     ("r1", "rr")),
    ("head.stwendreda", "Fintan Mabberley", [(Role.HEADTEACHER, None, 990006)],
     ("r2", "c1", "cr")),
    ("head.foxley", "Tamsin Okafor-Reid", [(Role.HEADTEACHER, None, 990007)], ("r4",)),
    ("head.northvale", "Yasmin Hartigan", [(Role.HEADTEACHER, None, 990011)], ("r3",)),
    ("head.quarryhill", "Benedict Sowande", [(Role.HEADTEACHER, None, 990012)], ("c1",)),
    ("head.fernbrook", "Catriona Elphick", [(Role.HEADTEACHER, None, 990013)], ("r3", "c2")),
    ("head.oakhurst", "Ravi Penberthy", [(Role.HEADTEACHER, None, 990014)], ("r1",)),
    ("head.saltmarsh", "Hedda Lowther", [(Role.HEADTEACHER, None, 990015)], ("r3",)),
    ("head.willowbank", "Kwame Ashburnham", [(Role.HEADTEACHER, None, 990016)], ("r4",)),
    ("head.beacon", "Siobhan Trevanion", [(Role.HEADTEACHER, None, 990018)], ("r3",)),
    ("leader.hollowmere", "Amadi Fairbrother", [(Role.SCHOOL_LEADER, None, 990004)],
     ("r1", "rr")),
    ("reviewer.larkspur", "Elowen Marchbank", [(Role.SCHOOL_LEADER, None, 990005)],
     ("r1", "rr", "c1", "cr")),
    ("deputy.brambleford", "Gideon Hallworth", [(Role.SCHOOL_LEADER, None, 990001)],
     ("r1", "rr")),
    ("deputy.cinderwell", "Harriet Mbeki-Lowe", [(Role.SCHOOL_LEADER, None, 990003)],
     ("r1", "rr")),
    ("senco.larkspur", "Ottilie Brennan-Shaw", [(Role.SCHOOL_LEADER, None, 990005)],
     ("r1", "rr")),
    ("deputy.cinderwell.infant", "Ezra Quartermaine", [(Role.SCHOOL_LEADER, None, 990002)],
     ("r1", "rr")),
    ("deputy.stwendreda", "Perpetua Lindqvist", [(Role.SCHOOL_LEADER, None, 990006)],
     ("r1",)),
    ("champion.oakhurst", "Lucan Devereux-Hale", [(Role.SCHOOL_LEADER, None, 990014)],
     ("r3", "c1", "cr")),
    ("staff.hollowmere", "Nell Ormerod", [(Role.STAFF, None, 990004)], ()),
    ("lead.estuary", "Marguerite Eversley",
     [(Role.PARTNERSHIP_LEAD, "estuary", None), (Role.HEADTEACHER, None, 990032)],
     ("r1", "rr", "c1", "cr")),
    ("head.seabright", "Idris Colquhoun", [(Role.HEADTEACHER, None, 990031)], ("r1", "rr")),
    ("head.harbourview", "Anwen Blackstock", [(Role.HEADTEACHER, None, 990033)], ("r1",)),
    ("head.dunstan", "Joaquim Ferreira-Hale", [(Role.HEADTEACHER, None, 990034)], ("r2",)),
    ("lead.ashcombe", "Bartholomew Nkemelu",
     [(Role.PARTNERSHIP_LEAD, "ashcombe", None), (Role.HEADTEACHER, None, 990022)], ("r1",)),
    ("head.millcross", "Saoirse Delacroix-Hunt", [(Role.HEADTEACHER, None, 990023)], ()),
    ("evaluator", "Dr Ines Harrowgate", [(Role.EVALUATOR, None, None)], ()),
    ("head.kestrel", "Oswin Baptiste-Laird", [(Role.HEADTEACHER, None, 990021)], ()),
    # Safeguarding: the designated safeguarding lead of the school in review today, and the
    # programme's officer, who reads concerns about a headteacher.
    ("dsl.brambleford", "Winifred Ashdown-Pryce", [(Role.DSL, None, 990001)], ()),
    ("safeguarding", "Cassius Fenwick-Oyelaran", [(Role.SAFEGUARDING_OFFICER, None, None)],
     ()),
]

# Past training sessions: key → (course key, months ago, title). Reviewer and champion
# training is valid for 24 months; a refresher extends from when the last one ran out.
HISTORY = {
    "c1": ("champion", 27, "Autumn cohort"),
    "r1": ("reviewer", 26, "Autumn cohort"),
    "r2": ("reviewer", 23, "Winter cohort"),
    "r3": ("reviewer", 14, "Northvale cohort"),
    "c2": ("champion", 10, "Spring cohort"),
    "r4": ("reviewer", 6, "Summer cohort"),
    "rr": ("reviewer_refresher", 5, ""),
    "cr": ("refresher", 4, ""),
}
FEEDBACK = ["Practical and well paced.", "The role play of a feedback meeting was the most "
            "useful part.", "More time on writing low-inference evidence, please.",
            "Good to meet heads from other partnerships.", ""]


def school(urn: int) -> School:
    return School.objects.get(urn=urn)


def person(local: str) -> User:
    return User.objects.get(email=f"{local}@{DOMAIN}")


def months_from(today: date, months: int) -> date:
    year, month = divmod(today.month - 1 + months, 12)
    return date(today.year + year, month + 1, min(today.day, 28))


def academic_year(today: date) -> int:
    return today.year if today.month >= 9 else today.year - 1


# Schools and partnerships ------------------------------------------------------------------

# Where each fictional town lies (British National Grid metres, in an invented county):
# neighbouring towns 3 to 10 km apart, the whole area about 30 km across, so the optimiser's
# distances and travel reasons read as they would for a real county.
TOWNS = {
    "Brambleford": (451200, 262400), "Cinderwell": (455800, 260100),
    "Hollowmere": (448300, 258700), "Foxley": (453900, 266900),
    "Fernbrook": (458600, 264300), "Oakhurst": (446100, 265200),
    "Ashcombe": (462400, 255300), "Kestrel Rise": (466900, 258800),
    "Gorsefield": (460100, 250600), "Northvale": (452700, 274800),
    "Pebblecombe": (470300, 249200), "Saltmarsh": (474800, 253900),
    "Seabright": (477600, 248700), "Dunstan Marsh": (472100, 244300),
}


def location(urn: int, town: str) -> tuple[int, int] | tuple[None, None]:
    """A school's place: near its town's centre, each school a little apart (up to about
    1.5 km), the same every time the demo loads."""
    if town not in TOWNS:
        return None, None
    east, north = TOWNS[town]
    return east + (urn * 379) % 1500 - 750, north + (urn * 613) % 1500 - 750


def load_schools(today: date) -> None:
    trust = {990011, 990012, 990013, 990014, 990015, 990016, 990017, 990018}
    for urn, name, phase, type_name, low, high, pupils, fsm, town, fed in SCHOOLS:
        easting, northing = location(urn, town)
        School.objects.update_or_create(urn=urn, defaults=dict(
            easting=easting, northing=northing,
            name=name, phase=phase, type_name=type_name,
            type_group="Academies" if "Academy" in type_name else (
                "Special schools" if "special" in type_name.lower()
                else "Local authority maintained schools"),
            status="Closed" if urn in CLOSED else "Open",
            close_date=date(2025, 8, 31) if urn in CLOSED else None,
            statutory_low_age=low, statutory_high_age=high, pupils=pupils or None,
            percentage_fsm=fsm, town=town, la_code=LA[0], la_name=LA[1],
            region="Demo Region (fictional)", district=f"{town} District",
            postcode=f"ZZ99 {urn % 10}{chr(65 + urn % 26)}{chr(66 + urn % 24)}",
            federation_name=fed, federation_code="FED-DEMO-1" if fed else "",
            trust_name="Northvale Schools Trust (fictional)" if urn in trust else "",
            trust_code="TR-DEMO-1" if urn in trust else "",
            gender="Mixed", country="England", urban_rural="Urban town (fictional)",
        ))


def _partnership(name, organisation, phases, urns, joined_on):
    """A partnership whose phase history is ``phases`` [(phase, started_on, note)]."""
    first, started, _ = phases[0]
    with at(started):
        p = partnerships.create_partnership(name=name, organisation=organisation, phase=first,
                                            started_on=started)
        for urn in urns:
            partnerships.add_school(p, school(urn), joined_on=joined_on)
    for phase, started, note in phases[1:]:
        with at(started):
            partnerships.change_phase(p, phase=phase, started_on=started, note=note)
    return p


def load_partnerships(today: date) -> dict[str, Partnership]:
    year = academic_year(today)
    la = Organisation.objects.get_or_create(
        name="Demoshire County Council (fictional)",
        defaults={"kind": Organisation.Kind.LOCAL_AUTHORITY})[0]
    trust = Organisation.objects.get_or_create(
        name="Northvale Schools Trust (fictional)",
        defaults={"kind": Organisation.Kind.TRUST})[0]
    sept = {n: date(year - n, 9, 1) for n in range(7)}
    keys = {
        "brambleford": _partnership(
            "Brambleford Primary Cluster", la,
            [(Phase.BUILD, sept[2], ""),
             (Phase.EMBED, sept[1], "Second year: every school hosted a review")],
            BRAMBLEFORD, sept[2]),
        "northvale": _partnership("Northvale Learning Partnership", trust,
                                  [(Phase.BUILD, sept[1], "")], NORTHVALE, sept[1]),
        "estuary": _partnership(
            "Estuary Schools Alliance", la,
            [(Phase.BUILD, sept[4], ""), (Phase.EMBED, sept[3], "Every school trained"),
             (Phase.SUSTAIN, sept[2], "Running its own cycle with light support")],
            ESTUARY, sept[4]),
        "ashcombe": _partnership(
            "Ashcombe Schools Network", la,
            [(Phase.BUILD, sept[6], ""), (Phase.EMBED, sept[5], ""),
             (Phase.SUSTAIN, sept[4], ""),
             (Phase.ALUMNI, sept[2], "Completed the programme; schools keep reviewing "
                                     "each other informally")],
            ASHCOMBE, sept[6]),
    }
    with at(sept[0]):
        for urn in NEW_IN_BRAMBLEFORD:
            partnerships.add_school(keys["brambleford"], school(urn), joined_on=sept[0])
    ropewalk = keys["ashcombe"].memberships.get(school__urn=990024)
    with at(date(2025, 8, 31)):
        partnerships.remove_school(ropewalk, left_on=date(2025, 8, 31))
    return keys


# Staff at the partnerships' schools (not listed as sign-ins; the survey asks them too).
STAFF_PER_SCHOOL = [(BRAMBLEFORD + NEW_IN_BRAMBLEFORD, 3), (NORTHVALE, 2), (ESTUARY, 1)]
FIRST = ["Aled", "Bryony", "Caius", "Delphine", "Emrys", "Fenella", "Gethin", "Honor",
         "Isaak", "Juno", "Kit", "Linnea", "Mordecai", "Nerys", "Orrin", "Petra", "Quillon",
         "Rhiannon", "Silas", "Thea", "Ulrich", "Verity", "Wystan", "Yolande", "Zephyr"]
LAST = ["Abernethy", "Bellweather", "Corrigan", "Dunmore", "Eskdale", "Fairweather",
        "Greenhalgh", "Hawksworth", "Inchbald", "Jessop", "Kilbride", "Loxley", "Mallender",
        "Northcote", "Ockendon", "Pennefather", "Quarrie"]


def _staff() -> list[tuple[str, str, int]]:
    """(email local part, name, school urn) of the generated staff."""
    out: list[tuple[str, str, int]] = []
    for urns, per_school in STAFF_PER_SCHOOL:
        for urn in urns:
            for _ in range(per_school):
                n = len(out)
                first, last = FIRST[n % len(FIRST)], LAST[(n * 7) % len(LAST)]
                out.append((f"{first}.{last}".lower(), f"{first} {last}", urn))
    return out


def load_people(keys: dict[str, Partnership], today: date, password: str) -> User:
    core = None
    hashed = make_password(password)  # hashed once: hashing is slow on purpose
    with at(date(academic_year(today) - 3, 6, 1)):
        for local, name, urn in _staff():
            user = User.objects.create_user(f"{local}@{DOMAIN}", None, full_name=name)
            user.password = hashed
            user.save(update_fields=["password"])
            accounts.grant_role(user, Role.STAFF, school=school(urn))
        for local, name, roles, _ in PEOPLE:
            user = User.objects.create_user(f"{local}@{DOMAIN}", None, full_name=name)
            user.password = hashed
            user.save(update_fields=["password"])
            for role, pkey, at_urn in roles:
                accounts.grant_role(user, role, partnership=keys[pkey] if pkey else None,
                                    school=school(at_urn) if at_urn else None, by=core)
            if local == "core":
                core = user
    assert core is not None
    return core


def read_old_notifications(today: date) -> None:
    """People have read what reached them more than a fortnight ago."""
    cutoff = timezone.make_aware(datetime.combine(today - timedelta(days=14), time()))
    Notification.objects.filter(created_at__lt=cutoff, read_at__isnull=True).update(
        read_at=cutoff)


# Training ---------------------------------------------------------------------------------

def _courses(core: User, today: date) -> dict[str, Course]:
    with at(date(academic_year(today) - 3, 7, 1)):
        return {
            "reviewer": training.create_course(
                by=core, kind="reviewer", title="Peer reviewer training", audience="current",
                grants="reviewer", validity_months=24,
                summary="Two days on enquiry-led peer review: agreeing an enquiry question, "
                        "gathering low-inference evidence and giving feedback that helps."),
            "champion": training.create_course(
                by=core, kind="champion", title="Improvement Champion training",
                audience="current", grants="champion", validity_months=24,
                summary="Facilitating the Improvement Workshop: coaching questions and plans "
                        "a school owns."),
            "reviewer_refresher": training.create_course(
                by=core, kind="reviewer_refresher", title="Peer reviewer refresher",
                audience="trained_reviewers", grants="reviewer", validity_months=24,
                summary="A morning revisiting evidence, feedback and the report, for trained "
                        "reviewers."),
            "refresher": training.create_course(
                by=core, kind="champion_refresher", title="Improvement Champion refresher",
                audience="trained_champions", grants="champion", validity_months=24,
                summary="A morning to refresh facilitation skills, for trained champions."),
            "meeting": training.create_course(
                # Named apart from the termly series (whose spring meeting is three weeks
                # later), so nobody reads two different "spring meetings" on home.
                by=core, kind="national_meeting",
                title="Open national meeting for schools new to peer review",
                audience="everyone",
                summary="Open to every school, including schools thinking of joining: what "
                        "partnerships learned this year."),
        }


def new_session(course: Course, parts, capacity: int, trainer: User, **extra) -> Session:
    s = Session.objects.create(course=course, capacity=capacity,
                               booking_deadline=parts[0][0] - timedelta(days=2), **extra)
    SessionPart.objects.bulk_create([SessionPart(session=s, starts_at=a, ends_at=b)
                                     for a, b in parts])
    s.trainers.add(trainer)
    return s


def _past_session(course: Course, day: date, title: str, trainer: User,
                  people: list[User]) -> Session:
    two_days = course.kind == "reviewer"
    parts = [(moment(day, 9, 30), moment(day, 15, 30))]
    if two_days:
        nxt = cycles.weekday(day + timedelta(days=1), 1)
        parts.append((moment(nxt, 9, 30), moment(nxt, 15, 30)))
    with at(day - timedelta(days=40)):
        session = new_session(course, parts, 16, trainer, title=title, mode="venue",
                              venue="Demoshire Education Centre (fictional)",
                              address="1 Example Road\nAshcombe ZZ99 1AA")
    for n, p in enumerate(people):
        with at(day - timedelta(days=30 - n)):
            training.book(session, user=p, by=p)
    with at(parts[-1][1] + timedelta(minutes=20)):
        marks: dict[int, tuple[str, bool]] = {b.pk: (Booking.Attendance.PRESENT, False)
                 for b in training_records.register_bookings(session)}
        training_records.take_register(session, marks, by=trainer)
    return session


def _feedback(session: Session, how_many: int, rating_base: int) -> None:
    """Some of the people who came rate the session: enough on some courses for the average
    to be shown, too few on others, where it stays hidden."""
    last = session.parts.order_by("-ends_at").first()
    assert last is not None
    bookings = list(session.bookings.filter(status=Booking.State.BOOKED).order_by("pk"))
    for n, booking in enumerate(bookings[:how_many]):
        with at(last.ends_at + timedelta(hours=2 + n)):
            polls.give_feedback(booking, rating=min(5, rating_base + n % 2),
                                comments=FEEDBACK[n % len(FEEDBACK)])


def _poll(session: Session, trainer: User, question: str, options: list[str],
          answers: list[int]) -> None:
    """A poll asked during the session; ``answers``: the option each person chose."""
    first = session.parts.order_by("starts_at").first()
    assert first is not None
    with at(first.starts_at + timedelta(hours=1)):
        poll = polls.create_poll(session, by=trainer, question=question, kind="single",
                                 options=options, is_open=True)
        bookings = session.bookings.filter(status=Booking.State.BOOKED).order_by("pk")
        for booking, choice in zip(bookings, answers, strict=False):
            polls.answer(poll, booking=booking, choices=[choice])
        polls.set_open(poll, by=trainer, is_open=False)


def load_training_history(core: User, today: date) -> dict[str, Course]:
    """Past sessions with their registers taken: certificates, and trained-until dates that
    follow from them (some running out soon, some lapsed)."""
    trainer = person("associate")
    courses = _courses(core, today)
    sessions = {}
    for key, (course, months, title) in sorted(HISTORY.items(), key=lambda i: -i[1][1]):
        people = [person(local) for local, _, _, done in PEOPLE if key in done]
        day = cycles.school_day(months_from(today, -months), 1)
        sessions[key] = _past_session(courses[course], day, title, trainer, people)
    # Feedback: the reviewer course has enough for its average to show; the champion
    # courses have too few, and stay hidden.
    _feedback(sessions["r1"], 9, 4)
    _feedback(sessions["r3"], 3, 4)
    _feedback(sessions["c1"], 3, 4)
    _feedback(sessions["cr"], 2, 5)
    _poll(sessions["r1"], trainer, "Which part of a review day do you feel least ready for?",
          ["Lesson visits", "Pupil voice", "Writing evidence", "The feedback meeting"],
          [3, 2, 3, 0, 3, 2, 3, 1, 3, 2, 3, 0])
    _poll(sessions["cr"], trainer, "How many workshops have you facilitated?",
          ["None yet", "One or two", "Three or more"], [1, 2, 1, 0])
    return courses


def at_hour(today: date, days: int, hour: int, minute: int = 0) -> datetime:
    return moment(cycles.school_day(today + timedelta(days=days), 1), hour, minute)


def load_training_calendar(courses: dict[str, Course], today: date) -> None:
    """Coming sessions: online and at a venue, one over two days, a full one with a waiting
    list, refreshers that the people whose training lapsed can book, and the national
    meeting with registrations from inside and outside the programme."""
    trainer = person("associate")
    first = cycles.school_day(today + timedelta(days=35), 1)
    second = cycles.school_day(first + timedelta(days=1), 1)
    two_day = new_session(courses["reviewer"], [(moment(first, 9, 30), moment(first, 15, 30)),
                                                (moment(second, 9, 30),
                                                 moment(second, 15, 30))], 16, trainer,
                          mode="venue", venue="Demoshire Education Centre (fictional)",
                          address="1 Example Road\nAshcombe ZZ99 1AA",
                          accessibility="Step-free access; hearing loop in the main room.")
    online = new_session(courses["champion"], [(at_hour(today, 10, 13, 30),
                                                at_hour(today, 10, 16))], 3, trainer,
                         mode="online", joining_link="https://meet.example/champions")
    new_session(courses["refresher"], [(at_hour(today, 42, 9), at_hour(today, 42, 12))], 20,
                trainer, mode="online", joining_link="https://meet.example/refresher")
    reviewer_refresher = new_session(
        courses["reviewer_refresher"], [(at_hour(today, 8, 9), at_hour(today, 8, 12))], 20,
        trainer, mode="online", joining_link="https://meet.example/reviewer-refresher")
    meeting = new_session(courses["meeting"], [(at_hour(today, 56, 10),
                                                at_hour(today, 56, 15))], 200, trainer,
                          mode="online", joining_link="https://meet.example/national")
    for local in ("head.larkspur", "head.northvale"):
        training.book(two_day, user=person(local), by=person(local))
    # The champions' session is full, with a waiting list: school leaders not yet trained
    # as champions (trained champions book the refresher instead).
    for local in ("head.saltmarsh", "deputy.brambleford", "head.beacon", "head.willowbank",
                  "leader.hollowmere"):
        training.book(online, user=person(local), by=person(local))
    # Two of the people whose reviewer training lapsed have booked a refresher.
    for local in ("deputy.stwendreda", "head.harbourview"):
        training.book(reviewer_refresher, user=person(local), by=person(local))
    for local, _, roles, _ in PEOPLE:
        if any(r in (Role.HEADTEACHER, Role.PARTNERSHIP_LEAD) for r, _, _ in roles) and \
                local not in ("head.oakhurst", "head.kestrel"):
            training.book(meeting, user=person(local), by=person(local))
    for email, name, school_name in (
            ("j.amberley@school.example", "Jonah Amberley", "Westerleigh Primary (fictional)"),
            ("office@rookwood.example", "Farah Quill", "Rookwood Infants (fictional)"),
            ("head@lindenhurst.example", "Cormac Vell", "Lindenhurst Academy (fictional)")):
        registrant = Registrant.objects.create(
            email=email, full_name=name, school_name=school_name, consent_at=timezone.now(),
            confirmed_at=timezone.now())
        training.book(meeting, registrant=registrant)


# Reviews ----------------------------------------------------------------------------------

def _terms(partnership: Partnership, start: int, lead: User) -> None:
    with at(date(start, 7, 1)):
        for name, first, last in (("Autumn term", date(start, 9, 3), date(start, 12, 19)),
                                  ("Spring term", date(start + 1, 1, 6),
                                   date(start + 1, 3, 27)),
                                  ("Summer term", date(start + 1, 4, 14),
                                   date(start + 1, 7, 22))):
            reviews.add_term(partnership, name=name, starts_on=first, ends_on=last, by=lead)


def _pool(keys: list[int]) -> list[User]:
    """The trained people of these schools, in PEOPLE's order."""
    wanted = []
    for local, _, roles, done in PEOPLE:
        if any(urn in keys for _, _, urn in roles if urn) and \
                any(k.startswith("r") for k in done):
            wanted.append(person(local))
    return wanted


def _champions(keys: list[int]) -> list[User]:
    return [person(local) for local, _, roles, done in PEOPLE
            if any(urn in keys for _, _, urn in roles if urn) and
            any(k.startswith("c") for k in done)]


def head_of(urn: int) -> User:
    head = User.objects.filter(roles__school__urn=urn, roles__role=Role.HEADTEACHER,
                               roles__ended_at__isnull=True).order_by("pk").first()
    assert head is not None, f"the demo school {urn} has a headteacher"
    return head


# (host, review day in days from today or a date last year, stage)
LAST_YEAR_DAYS = [(990001, (10, 8)), (990002, (11, 12)), (990003, (1, 21)),
                  (990004, (2, 25)), (990005, (3, 18)), (990006, (5, 6))]
THIS_YEAR_PLAN = [(990006, -75, "closed"), (990002, -40, "acting"),
                  (990003, -10, "report_agreed"), (990001, 0, "in_review"),
                  (990007, 24, "enquiry_agreed"), (990004, 48, "self_review"),
                  (990005, None, "planned")]


def load_reviews(keys: dict[str, Partnership], today: date) -> bool:
    framework = Framework.objects.filter(slug="core").first()
    version = framework.published_version() if framework else None
    if version is None:
        return False
    start = academic_year(today)
    bramble, lead = keys["brambleford"], person("lead.brambleford")
    members = BRAMBLEFORD + NEW_IN_BRAMBLEFORD
    _last_year(bramble, lead, version, start - 1)
    _terms(bramble, start, lead)
    with at(date(start, 7, 10)):
        cycle = reviews.create_cycle(bramble, start, by=lead)
    for urn, offset, stage in THIS_YEAR_PLAN:
        day = None if offset is None else cycles.school_day(today + timedelta(days=offset),
                                                             1 if offset > 0 else -1)
        plan = cycles.Plan(day, lead, head_of(urn), _pool(members), _champions(members),
                           workshop_after=13 if urn == 990003 else 14,
                           checkback_after=50)
        with at(date(start, 9, 4)):
            review = reviews.add_review(cycle, school(urn), by=lead,
                                        framework_version=version)
        if urn == 990002:
            plan.after_workshop = _support_this_year
        cycles.run(review, THIS_YEAR[urn], stage, plan)
        if stage == "report_agreed":
            cycles.schedule_workshop(review, plan)
        if stage == "enquiry_agreed":
            plan.accepted = 2
            cycles.form_team(review, THIS_YEAR[urn], plan)
    _support_offers(bramble)
    _other_cycles(keys, version, start, today)
    return True


def _last_year(bramble: Partnership, lead: User, version, year: int) -> None:
    _terms(bramble, year, lead)
    with at(date(year, 7, 10)):
        cycle = reviews.create_cycle(bramble, year, by=lead)
        added = {urn: reviews.add_review(cycle, school(urn), by=lead, framework_version=version)
                 for urn, _ in LAST_YEAR_DAYS}
    for urn, (month, day) in LAST_YEAR_DAYS:
        review_day = cycles.weekday(date(year if month >= 9 else year + 1, month, day))
        workshop = cycles.weekday(review_day + timedelta(days=14), 1)
        checkback_after = min(120, (date(year + 1, 7, 10) - workshop).days)
        plan = cycles.Plan(review_day, lead, head_of(urn), _pool(BRAMBLEFORD),
                           _champions(BRAMBLEFORD), checkback_after=checkback_after)
        if urn == 990002:
            plan.after_workshop = _support_last_year
        cycles.run(added[urn], LAST_YEAR[urn], "closed", plan)


def _other_cycles(keys: dict[str, Partnership], version, start: int, today: date) -> None:
    for key, lead_local, hosts in (("northvale", "lead.northvale", [990011, 990013]),
                                   ("estuary", "lead.estuary", [990031, 990033])):
        partnership, lead = keys[key], person(lead_local)
        _terms(partnership, start, lead)
        with at(date(start, 7, 10)):
            cycle = reviews.create_cycle(partnership, start, by=lead)
        for n, urn in enumerate(hosts):
            if key == "estuary" and n == 1:
                _rapid_response(cycle, urn, lead, start, today)
                continue
            with at(date(start, 9, 4)):
                review = reviews.add_review(cycle, school(urn), by=lead,
                                            framework_version=version)
            if n == 0:
                day = cycles.school_day(today + timedelta(days=55), 1)
                plan = cycles.Plan(day, lead, head_of(urn), [], [])
                cycles.run(review, OTHER[key],
                           "self_review", plan)


def _rapid_response(cycle, urn: int, lead: User, start: int, today: date) -> None:
    """One Rapid Response review (online, on the shorter timeline, with the Rapid Response
    lines of enquiry) a few weeks ahead, with its online activities planned. Fictional links."""
    with at(date(start, 9, 4)):
        review = reviews.add_review(cycle, school(urn), by=lead, mode=Mode.RAPID)
        reviews.update_review_settings(review, by=lead, mode=Mode.RAPID,
                                       meeting_link="https://meet.example/harbour-view-rapid",
                                       framework_version=review.framework_version,
                                       focus_areas=["wellbeing"])
    day = cycles.school_day(today + timedelta(days=30), 1)
    last = cycle.last_day
    dates: dict[str, Any] = {k: min(v, last) if k != "checkback_on" else v
                             for k, v in rapid_timeline(day).items()}
    with at(max(date(start, 9, 5), today - timedelta(days=2))):
        reviews.update_schedule(review, by=lead, **dates)
        for kind, hour, people in (
                (ActivityKind.STAFF_INTERVIEWS, 9, "Three teachers from Years 3 to 6"),
                (ActivityKind.PUPIL_VOICE, 11, "Eight pupils from Year 5, with their teacher"),
                (ActivityKind.DOCUMENT_REVIEW, 14, "The review team only")):
            reviews.save_activity(review, by=head_of(urn), kind=kind, on=dates[
                "review_starts_on"], starts_at=time(hour, 0), ends_at=time(hour, 45),
                place="Online", people=people,
                meeting_link=f"https://meet.example/harbour-view-{kind.replace('_', '-')}")


# Support between schools ------------------------------------------------------------------

def _match(action, need: str, provider: int, *, confirm: bool, delivered: str = "",
           hours: int = 4) -> None:
    """Ask, broker, confirm and (if ``delivered``) record support for ``action``, each a few
    days after the one before, starting the day after the workshop."""
    review = action.review
    lead, host = person("lead.brambleford"), head_of(review.host.urn)
    base = review.workshop.held_on
    with at(moment(cycles.weekday(base + timedelta(days=1), 1), 11)):
        request = support.request_support(action, by=host, need=need, hours_wanted=hours)
    with at(moment(cycles.weekday(base + timedelta(days=3), 1), 9, 30)):
        match = support.broker(request, school(provider), by=lead)
    if not confirm:
        return
    with at(moment(cycles.weekday(base + timedelta(days=4), 1), 12)):
        support.confirm(match, by=host, side="host")
        support.confirm(match, by=head_of(provider), side="provider")
    if delivered:
        first = cycles.weekday(base + timedelta(days=9), 1)
        with at(moment(cycles.weekday(base + timedelta(days=12), 1), 16)):
            support.record_delivery(match, by=host, delivered_from=first,
                                    delivered_to=first, hours_given=hours,
                                    people=f"Staff from {school(provider).name}",
                                    outcome=delivered)


def _support_last_year(review: Review) -> None:
    action = review.actions.order_by("pk")[1]
    _match(action, "Help planning catch-up groups from the weekly phonics check.", 990001,
           confirm=True, delivered="Brambleford's phonics lead shared their weekly planner "
                                   "and spent a morning planning groups with our team.")


def _support_this_year(review: Review) -> None:
    first, _, third = review.actions.order_by("pk")
    _match(first, "A morning in a Reception class where adults' number questions are strong.",
           990005, confirm=True, delivered="Our early years team watched number sessions at "
                                           "Larkspur Lane and came back with ten questions "
                                           "we now use.")
    _match(third, "Someone to lead a twilight session on early number for support staff.",
           990001, confirm=False, hours=2)


def _support_offers(bramble: Partnership) -> None:
    with at(date(academic_year(timezone.localdate()), 9, 20)):
        for urn, area, title, people, hours in (
                (990005, "maths", "Early maths: questions that open up talk about number",
                 "Elowen Marchbank and the Reception team", 6),
                (990004, "families", "Setting up a simple route for early attendance "
                                     "concerns", "Attendance lead", 3),
                (990001, "reading", "Planning phonics catch-up from weekly checks",
                 "Phonics lead", 4)):
            support.offer_support(school(urn), bramble, by=head_of(urn), area=area,
                                  title=title, people=people, hours=hours)


# Safeguarding ------------------------------------------------------------------------------

def load_safeguarding() -> None:
    """Two concerns waiting to be read, raised through the review's own form on the review
    day: one to Brambleford CE's headteacher and designated safeguarding lead (its review is
    today), one about a headteacher, which only the programme's safeguarding officer reads."""
    for urn, about_head, text in SAFEGUARDING:
        review = Review.objects.filter(host__urn=urn, review_starts_on__isnull=False) \
            .order_by("-review_starts_on").first()
        assert review is not None and review.review_starts_on is not None
        raised_by = review.team.filter(role=TeamMember.Role.LEAD).select_related("user").first()
        assert raised_by is not None, f"the demo review of {urn} has a lead reviewer"
        with at(moment(review.review_starts_on, 13, 40)):
            reviews.raise_concern(review, by=raised_by.user, text=text,
                                  about_headteacher=about_head)
