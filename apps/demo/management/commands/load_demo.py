"""Load the fictional demo: two partnerships of invented schools and a person for every role.

Every school and person here is invented. Real school data comes only through
``import_schools``. Running it again changes nothing."""

from datetime import date

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management.base import BaseCommand
from django.db import transaction

from apps.accounts import services as accounts
from apps.accounts.models import Invitation, Role, User
from apps.frameworks.models import Framework
from apps.impact.demo import load_impact_demo
from apps.improvement import services as improvement
from apps.partnerships import services as partnerships
from apps.partnerships.models import Organisation, Partnership, Phase
from apps.resources import services as resources
from apps.reviews import services as reviews
from apps.reviews import workflow
from apps.schools.models import School
from apps.training import services as training
from apps.training.models import Session, SessionPart

DEMO_PASSWORD = "demo-peer-review-2026"
# Base32 secret of the demo core-team and associate authenticators (demo only).
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
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
]
CLOSED = {990024}
BRAMBLEFORD = [990001, 990002, 990003, 990004, 990005, 990006]
NORTHVALE = [990011, 990012, 990013, 990014, 990015, 990016, 990017, 990018]

# (email local part, full name, [(role, partnership key or None, school urn or None)],
#  reviewer months, champion months)
PEOPLE = [
    ("core", "Orla Penhallow", [(Role.CORE_TEAM, None, None)], None, None),
    ("associate", "Tobias Wrenfield", [(Role.ASSOCIATE, "brambleford", None),
                                       (Role.ASSOCIATE, "northvale", None)], 18, 18),
    ("lead.brambleford", "Imogen Threlkeld",
     [(Role.PARTNERSHIP_LEAD, "brambleford", None), (Role.HEADTEACHER, None, 990004)], 12, None),
    ("lead.northvale", "Desmond Achterberg", [(Role.PARTNERSHIP_LEAD, "northvale", None)],
     None, None),
    ("head.brambleford", "Priya Castellane", [(Role.HEADTEACHER, None, 990001)], 20, None),
    ("exechead.cinderwell", "Magnus Oduya-Finch",
     [(Role.HEADTEACHER, None, 990002), (Role.HEADTEACHER, None, 990003)], 6, None),
    ("head.larkspur", "Rosalind Quaye-Barrow", [(Role.HEADTEACHER, None, 990005)], None, None),
    ("head.stwendreda", "Fintan Mabberley", [(Role.HEADTEACHER, None, 990006)], 1, 14),
    ("head.northvale", "Yasmin Hartigan", [(Role.HEADTEACHER, None, 990011)], 9, None),
    ("head.quarryhill", "Benedict Sowande", [(Role.HEADTEACHER, None, 990012)], None, None),
    ("head.fernbrook", "Catriona Elphick", [(Role.HEADTEACHER, None, 990013)], 15, 15),
    ("head.oakhurst", "Ravi Penberthy", [(Role.HEADTEACHER, None, 990014)], None, None),
    ("head.saltmarsh", "Hedda Lowther", [(Role.HEADTEACHER, None, 990015)], 22, None),
    ("head.willowbank", "Kwame Ashburnham", [(Role.HEADTEACHER, None, 990016)], None, None),
    ("head.beacon", "Siobhan Trevanion", [(Role.HEADTEACHER, None, 990018)], 10, None),
    ("leader.hollowmere", "Amadi Fairbrother", [(Role.SCHOOL_LEADER, None, 990004)], 16, None),
    ("reviewer.larkspur", "Elowen Marchbank", [(Role.SCHOOL_LEADER, None, 990005)], 20, None),
    ("champion.oakhurst", "Lucan Devereux-Hale", [(Role.SCHOOL_LEADER, None, 990014)], 12, 20),
    ("staff.hollowmere", "Nell Ormerod", [(Role.STAFF, None, 990004)], None, None),
    ("evaluator", "Dr Ines Harrowgate", [(Role.EVALUATOR, None, None)], None, None),
    ("head.kestrel", "Oswin Baptiste-Laird", [(Role.HEADTEACHER, None, 990021)], None, None),
]


def _months_from(today: date, months: int) -> date:
    year, month = divmod(today.month - 1 + months, 12)
    return date(today.year + year, month + 1, min(today.day, 28))


class Command(BaseCommand):
    help = "Load the fictional demo partnerships, schools and people (idempotent)."

    def handle(self, *args, **options):
        from django.test.utils import override_settings

        # The demo's reviews move through their steps as people would; nobody is emailed.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            self._handle()
        self._print_sign_ins()

    @transaction.atomic
    def _handle(self):
        if Partnership.objects.filter(slug="brambleford-primary-cluster").exists():
            self.stdout.write("The demo is already loaded.")
        else:
            self._load()
            self.stdout.write(self.style.SUCCESS("Demo loaded."))

    def _load(self):
        from django.utils import timezone

        today = timezone.localdate()
        for urn, name, phase, type_name, low, high, pupils, fsm, town, fed in SCHOOLS:
            School.objects.update_or_create(urn=urn, defaults=dict(
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
                trust_name="Northvale Schools Trust (fictional)" if urn in NORTHVALE else "",
                trust_code="TR-DEMO-1" if urn in NORTHVALE else "",
                gender="Mixed", country="England", urban_rural="Urban town (fictional)",
            ))
        la = Organisation.objects.get_or_create(
            name="Demoshire County Council (fictional)",
            defaults={"kind": Organisation.Kind.LOCAL_AUTHORITY})[0]
        trust = Organisation.objects.get_or_create(
            name="Northvale Schools Trust (fictional)",
            defaults={"kind": Organisation.Kind.TRUST})[0]
        bramble = partnerships.create_partnership(
            name="Brambleford Primary Cluster", organisation=la, phase=Phase.BUILD,
            started_on=date(today.year - 2, 9, 1))
        partnerships.change_phase(bramble, phase=Phase.EMBED,
                                  started_on=date(today.year - 1, 9, 1),
                                  note="Second year: every school hosted a review")
        northvale = partnerships.create_partnership(
            name="Northvale Learning Partnership", organisation=trust, phase=Phase.BUILD,
            started_on=date(today.year, 9, 1) if today.month >= 9 else date(today.year - 1, 9, 1))
        for urn in BRAMBLEFORD:
            partnerships.add_school(bramble, School.objects.get(urn=urn),
                                    joined_on=date(today.year - 2, 9, 1))
        for urn in NORTHVALE:
            partnerships.add_school(northvale, School.objects.get(urn=urn),
                                    joined_on=date(today.year - 1, 9, 1))
        keys = {"brambleford": bramble, "northvale": northvale}
        core = None
        for local, name, roles, rev, champ in PEOPLE:
            user = User.objects.create_user(f"{local}@{DOMAIN}", DEMO_PASSWORD, full_name=name)
            if rev is not None:
                user.reviewer_trained_until = _months_from(today, rev)
            if champ is not None:
                user.champion_trained_until = _months_from(today, champ)
            user.save()
            for role, pkey, urn in roles:
                accounts.grant_role(user, role, partnership=keys.get(pkey),
                                    school=School.objects.get(urn=urn) if urn else None,
                                    by=core)
            if local == "core":
                core = user
            if any(r in (Role.CORE_TEAM, Role.ASSOCIATE) for r, _, _ in roles):
                if not Authenticator.objects.filter(user=user, type="totp").exists():
                    TOTP.activate(user, DEMO_TOTP_SECRET)
        self._load_library(core)
        self._load_reviews(bramble, today)
        self._load_training(today)
        load_impact_demo(core)
        # A waiting invitation, as a partnership lead would leave it.
        Invitation.objects.create(email=f"head.tidewater@{DOMAIN}", full_name="Marisol Pengelly",
                                  role=Role.HEADTEACHER, school=School.objects.get(urn=990017),
                                  invited_by=User.objects.get(email=f"lead.northvale@{DOMAIN}"))

    def _load_library(self, core):
        """A few library items, one per audience, written for the demo."""
        pdf = _demo_pdf("Demo document: every word in this library item is written for the "
                        "demo and is fictional.")
        items = [
            ("What school-to-school peer review is", "An introduction for schools thinking "
             "about joining: how partnerships review each other, and what a review day "
             "involves.", "link", "public", ["headteacher", "staff"], [], "",
             "https://example.org/demo/introduction"),
            ("Preparing for your first review: a checklist", "What the host school gets "
             "ready before the review team arrives: the self-review, the evidence plan, "
             "timetables and rooms.", "file", "programme", ["headteacher"], ["build"],
             "1.0", ""),
            ("Self-review template", "A template for writing the self-review against the "
             "themes of the core framework, with space for strengths and areas to develop.",
             "template", "programme", ["headteacher", "staff"], [], "2.1", ""),
            ("Recording: running an Improvement Workshop", "A recorded webinar in which "
             "Improvement Champions share how they open, pace and close a workshop.",
             "link", "alumni", ["champion"], ["embed", "sustain"], "",
             "https://example.org/demo/workshop-recording"),
            ("Associate handbook", "How associates support partnerships through the year: "
             "visits, quality assurance and the calendar.", "file", "core", [], [], "3.0", ""),
        ]
        for title, summary, kind, audience, roles, phases, version, url in items:
            resources.create_resource(
                by=core, title=title, summary=summary, kind=kind, audience=audience,
                for_roles=roles, for_phases=phases, version_label=version, url=url,
                published_on=date(2026, 9, 1),
                upload=None if kind == "link" else (
                    f"{title.split(':')[0].lower().replace(' ', '-')}.pdf", "application/pdf",
                    pdf))

    def _load_reviews(self, bramble, today):
        """Brambleford's cycle this year: one review under way today, one in self-review, one
        planned, and schools still to schedule. All text is invented for the demo."""
        from datetime import time, timedelta

        framework = Framework.objects.filter(slug="core").first()
        version = framework.published_version() if framework else None
        if version is None:
            self.stdout.write("No published core framework: run load_frameworks first to see "
                              "demo reviews.")
            return

        def person(local):
            return User.objects.get(email=f"{local}@{DOMAIN}")

        lead, head = person("lead.brambleford"), person("head.brambleford")
        start = today.year if today.month >= 9 else today.year - 1
        for name, first, last in (("Autumn term", date(start, 9, 3), date(start, 12, 19)),
                                  ("Spring term", date(start + 1, 1, 6), date(start + 1, 3, 27)),
                                  ("Summer term", date(start + 1, 4, 14),
                                   date(start + 1, 7, 22))):
            reviews.add_term(bramble, name=name, starts_on=first, ends_on=last, by=lead)
        cycle = reviews.create_cycle(bramble, start, by=lead)
        # Under way today at Brambleford CE Primary.
        review = reviews.add_review(cycle, School.objects.get(urn=990001), by=lead,
                                    framework_version=version)
        reviews.update_schedule(review, by=lead, data_sharing_on=today - timedelta(days=28),
                                pre_review_on=today - timedelta(days=14), review_starts_on=today,
                                feedback_on=today + timedelta(days=1),
                                workshop_on=today + timedelta(days=15),
                                checkback_on=today + timedelta(days=120))
        workflow.transition(review, "start_self_review", by=head)
        theme = version.themes.first()
        reviews.save_self_review(
            review, theme, by=head,
            strengths="Pupils talk confidently about the books they share in class. Staff "
                      "plan reading sessions together each week.",
            areas_to_develop="Whether the youngest readers who join mid-year catch up, and how "
                             "we would know sooner.")
        question = version.themes.first().questions.first()
        reviews.set_enquiry(review, by=head, key_question=question.text,
                            key_question_ref=question.ref,
                            lines=[("How are pupils who join mid-year helped to settle into "
                                    "reading routines?", None),
                                   ("What do pupils say about reading at home?", None)])
        for kind, hour, place, people in (
                ("learning_walk", 9, "Key Stage 1 classrooms", "Headteacher and reviewers"),
                ("pupil_voice", 10, "Library", "Six pupils from Years 2 and 3"),
                ("work_scrutiny", 13, "Staff room", "Reading lead"),
                ("staff_interviews", 14, "Meeting room", "Year 1 and Year 2 teachers")):
            reviews.save_activity(review, by=head, kind=kind, on=today, starts_at=time(hour, 0),
                                  ends_at=time(hour, 45), place=place, people=people)
        workflow.transition(review, "agree_enquiry", by=head)
        for local, role in (("leader.hollowmere", "lead"), ("reviewer.larkspur", "reviewer"),
                            ("exechead.cinderwell", "reviewer"),
                            ("head.stwendreda", "champion")):
            member = reviews.invite_to_team(review, person(local), role, by=lead)
            reviews.respond_to_invitation(member, by=person(local), accept=True)
        workflow.transition(review, "schedule", by=lead)
        workflow.transition(review, "start_review", by=person("leader.hollowmere"))
        walk = review.activities.first()
        reviews.save_evidence(review, by=person("leader.hollowmere"), activity=walk,
                              line=review.lines.first(), tags=["Year 1", "phonics"],
                              text="Year 1: two pupils who joined in January read a decodable "
                                   "book with an adult; both blended unfamiliar words aloud.")
        reviews.save_evidence(review, by=person("reviewer.larkspur"),
                              activity=review.activities.all()[1], tags=["pupil voice"],
                              text="Four of six pupils named a book they had chosen at home. "
                                   "Two said they read with an older sibling.")
        # Hollowmere: writing its self-review; Larkspur: planned, no dates yet.
        second = reviews.add_review(cycle, School.objects.get(urn=990004), by=lead,
                                    framework_version=version)
        reviews.update_schedule(second, by=lead, data_sharing_on=today + timedelta(days=20),
                                pre_review_on=today + timedelta(days=34),
                                review_starts_on=today + timedelta(days=48),
                                feedback_on=today + timedelta(days=49))
        workflow.transition(second, "start_self_review", by=lead)
        reviews.add_review(cycle, School.objects.get(urn=990005), by=lead)
        self._load_improvement(cycle, version, today, person)

    def _load_improvement(self, cycle, version, today, person):
        """Cinderwell Junior's review finished ten days ago: its report is agreed, the
        Improvement Workshop is under way with the champion and one action is agreed."""
        from datetime import time, timedelta

        lead, head = person("lead.brambleford"), person("exechead.cinderwell")
        day = today - timedelta(days=10)
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        review = reviews.add_review(cycle, School.objects.get(urn=990003), by=lead,
                                    framework_version=version)
        reviews.update_schedule(review, by=lead, data_sharing_on=day - timedelta(days=30),
                                pre_review_on=day - timedelta(days=14), review_starts_on=day,
                                feedback_on=day, workshop_on=today + timedelta(days=3),
                                checkback_on=today + timedelta(days=100))
        workflow.transition(review, "start_self_review", by=head)
        reviews.save_self_review(review, None, by=head,
                                 strengths="Pupils write at length in history and science.",
                                 areas_to_develop="Whether pupils redraft their writing after "
                                                  "feedback, and how often.")
        question = version.themes.all()[1].questions.first()
        reviews.set_enquiry(review, by=head, key_question=question.text,
                            key_question_ref=question.ref,
                            lines=[("How do pupils use feedback to improve a piece of "
                                    "writing?", None)])
        reviews.save_activity(review, by=head, kind="work_scrutiny", on=day,
                              starts_at=time(9, 0), place="Library",
                              people="English lead and two reviewers")
        workflow.transition(review, "agree_enquiry", by=head)
        for local, role in (("leader.hollowmere", "lead"), ("reviewer.larkspur", "reviewer"),
                            ("head.brambleford", "reviewer"),
                            ("head.stwendreda", "champion")):
            member = reviews.invite_to_team(review, person(local), role, by=lead)
            reviews.respond_to_invitation(member, by=person(local), accept=True)
        workflow.transition(review, "schedule", by=lead)
        workflow.transition(review, "start_review", by=person("leader.hollowmere"))
        reviewer = person("leader.hollowmere")
        reviews.save_finding(review, None, by=reviewer, expected_version=None,
                             working_well="Pupils in every class we visited could say what "
                                          "their next step in writing was.",
                             explore_further="Redrafted work was seen in two of six books; "
                                             "how is time for redrafting planned?",
                             workshop_questions="What would make redrafting routine?")
        reviews.save_finding(review, review.lines.first(), by=reviewer, expected_version=None,
                             working_well="Written feedback is brief and specific.",
                             explore_further="Pupils described feedback as something "
                                             "teachers do, not something they act on.",
                             workshop_questions="How might pupils give feedback to peers?")
        workflow.transition(review, "give_feedback", by=reviewer)
        report = reviews.compile_report(
            review, by=reviewer,
            summary="The school asked how pupils use feedback to improve writing. Pupils know "
                    "their next steps; the team suggests exploring how redrafting is planned.")
        reviews.submit_report(report, by=reviewer)
        reviews.accept_report(report, by=head)
        champion = person("head.stwendreda")
        workshop = improvement.schedule_workshop(
            review, by=champion, held_on=today + timedelta(days=3), starts_at=time(15, 45),
            place="Cinderwell Junior staff room", attendees=[head])
        improvement.save_stage(workshop, "revisit", by=champion, expected_version=None,
                               notes="Redrafting stood out for everyone.")
        improvement.add_action(
            review, by=champion, findings=list(review.findings.all()),
            title="A weekly redrafting lesson in Years 5 and 6",
            why="Redrafted work was rare in books.", area="reading", owner=head,
            starts_on=today, due_on=today + timedelta(days=60),
            success_criteria="Most books show a redrafted piece each half term; pupils can "
                             "explain what they changed and why.",
            support_wanted="A school where redrafting is routine to host a visit.")

    def _load_training(self, today):
        """The training calendar: courses for each audience with sessions in the coming
        weeks (online and at a venue, one over two days) and a full session with a waiting
        list. All invented for the demo."""
        from datetime import datetime, time, timedelta

        from django.utils import timezone as tz

        def at(days, hour, minute=0):
            day = today + timedelta(days=days)
            while day.weekday() >= 5:
                day += timedelta(days=1)
            return tz.make_aware(datetime.combine(day, time(hour, minute)))

        def person(local):
            return User.objects.get(email=f"{local}@{DOMAIN}")

        core, trainer = person("core"), person("associate")
        courses = {
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
            "refresher": training.create_course(
                by=core, kind="champion_refresher", title="Improvement Champion refresher",
                audience="trained_champions", grants="champion", validity_months=24,
                summary="A morning to refresh facilitation skills, for trained champions."),
            "meeting": training.create_course(
                by=core, kind="national_meeting", title="Spring national meeting",
                audience="everyone",
                summary="Open to every school: what partnerships learned this year."),
        }

        def session(course, parts, capacity, **extra):
            s = Session.objects.create(course=course, capacity=capacity,
                                       booking_deadline=parts[0][0] - timedelta(days=2),
                                       **extra)
            SessionPart.objects.bulk_create([SessionPart(session=s, starts_at=a, ends_at=b)
                                             for a, b in parts])
            s.trainers.add(trainer)
            return s

        two_day = session(courses["reviewer"], [(at(21, 9, 30), at(21, 15, 30)),
                                                (at(22, 9, 30), at(22, 15, 30))], 16,
                          mode="venue", venue="Demoshire Education Centre (fictional)",
                          address="1 Example Road\nAshcombe ZZ99 1AA",
                          accessibility="Step-free access; hearing loop in the main room.")
        online = session(courses["champion"], [(at(14, 13, 30), at(14, 16, 0))], 3,
                         mode="online", joining_link="https://meet.example/champions")
        session(courses["refresher"], [(at(28, 9, 0), at(28, 12, 0))], 20, mode="online",
                joining_link="https://meet.example/refresher")
        session(courses["meeting"], [(at(35, 10, 0), at(35, 15, 0))], 200, mode="online",
                joining_link="https://meet.example/national")
        for local in ("reviewer.larkspur", "head.northvale"):
            training.book(two_day, user=person(local), by=person(local))
        # The champions' session is full, with a waiting list.
        for local in ("champion.oakhurst", "head.stwendreda", "head.fernbrook",
                      "head.saltmarsh", "head.beacon"):
            training.book(online, user=person(local), by=person(local))

    def _print_sign_ins(self):
        self.stdout.write("")
        self.stdout.write("Demo sign-ins (every person and school is fictional). "
                          f"Password for all: {DEMO_PASSWORD}")
        for local, name, roles, _, _ in PEOPLE:
            labels = ", ".join(sorted({Role(r).label for r, _, _ in roles}))
            self.stdout.write(f"  {local + '@' + DOMAIN:<38} {name:<26} {labels}")
        self.stdout.write(
            "Core team and associate sign-ins also ask for an authenticator code. Add the "
            f"demo secret {DEMO_TOTP_SECRET} to an authenticator app, or run "
            "`make demo-code` for the current code.")


def _demo_pdf(text: str) -> bytes:
    """A one-page PDF showing ``text`` (enough for the demo to have something to download)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Resources<</Font<</F1 4 0 R>>>>"
        b"/Contents 5 0 R>>",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
        b"<</Length " + str(len(stream)).encode() + b">>stream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer<</Size {len(objects) + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
