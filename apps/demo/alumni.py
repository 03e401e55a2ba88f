"""The demo's alumni programme: the Ashcombe Schools Network (Alumni phase) joined when it
finished Sustain, ran its own cycle of three reviews in its first alumni year (led by its
partnership lead, with no associate, borrowing reviewers from two partnerships that agreed)
and renewed for two years; the Estuary Schools Alliance, finishing Sustain, has asked to join
and waits for the core team. Built through the product's services on the days they would
have happened; the schools, people and words are invented."""

from __future__ import annotations

from datetime import date, timedelta

from apps.accounts import services as accounts
from apps.accounts.models import Role, User
from apps.alumni import services as alumni
from apps.frameworks.models import Framework
from apps.partnerships.models import Partnership
from apps.reviews import services as reviews

from . import cycles
from .clock import at
from .programme import DOMAIN, _terms, academic_year, person, school


def load_alumni(keys: dict[str, Partnership], today: date) -> None:
    core, ashcombe_lead = person("core"), person("lead.ashcombe")
    year = academic_year(today)
    joined = date(year - 2, 9, 1)
    with at(joined - timedelta(days=20)):
        first = alumni.request_membership(
            by=ashcombe_lead, partnership=keys["ashcombe"],
            reason="Our four schools finish Sustain this summer and want to keep reviewing "
                   "each other each spring, using the library and the national meetings.")
    with at(joined - timedelta(days=10)):
        first = alumni.decide(first, by=core, approve=True, starts_on=joined,
                              ends_on=date(year - 1, 8, 31),
                              note="Welcome to the alumni community.")
    load_alumni_cycle(keys, year - 2)
    with at(date(year - 1, 7, 10)):
        renewal = alumni.request_renewal(
            first, by=ashcombe_lead,
            reason="We ran our own cycle this year with three reviews and would like to "
                   "continue; Ashcombe Vale would host the first review next spring.")
    with at(date(year - 1, 7, 15)):
        alumni.decide(renewal, by=core, approve=True, starts_on=date(year - 1, 9, 1),
                      ends_on=date(year + 1, 8, 31), note="Renewed for two years.")
    with at(today - timedelta(days=6)):
        alumni.request_membership(
            by=person("lead.estuary"), partnership=keys["estuary"],
            reason="The alliance completes Sustain in July. Our heads want to stay part of "
                   "the national community and keep the reviewer training we have built up.")


# Ashcombe's own cycle in its first alumni year --------------------------------------------

# (host, month, day of the review): Mill Cross first, Gorsefield (the lead's school) last.
ALUMNI_REVIEWS = [(990023, 2, 5), (990025, 3, 12), (990022, 5, 7)]

ALUMNI_STORIES: dict[int, dict] = {
    990023: {
        "self": [(None, "Form tutors know their groups well and Year 7 settle quickly.",
                  "Attendance in Year 9 dips in the spring term, and we are not sure why.")],
        "question": "What helps Year 9 pupils keep coming to school through the spring term?",
        "lines": ["How do pupils describe the reasons they miss days?"],
        "activities": [("pupil_voice", 10, "Library", "Ten pupils from Year 9"),
                       ("staff_interviews", 13, "Meeting room", "Year 9 tutors")],
        "evidence": [
            (0, 1, ["year 9", "attendance"],
             "Asked what makes a day hard to come in, six of ten pupils named a single "
             "lesson or a test that day rather than anything outside school."),
            (1, None, ["tutors", "attendance"],
             "Tutors phone home on the first day of absence. They said they rarely hear "
             "back about what happens in school on the day before."),
        ],
        "findings": {
            None: ("Tutors act on the first day of absence and families value the call.",
                   "Pupils link missed days to particular lessons; the team wondered how "
                   "tutors and subject staff share what they notice.",
                   "What would it take for a tutor to know about a hard day in advance?"),
            1: ("Pupils spoke openly about their reasons.",
                "Reasons are gathered informally and not yet looked at together.",
                "Where could pupils' reasons be collected and read each half term?"),
        },
        "summary": "The school asked what keeps Year 9 pupils coming to school in spring. "
                   "Tutors follow up absence promptly. Pupils often connect missed days to "
                   "specific lessons, and the team suggests exploring how tutors and subject "
                   "staff could share that picture.",
        "workshop": ("The link between particular lessons and missed days surprised us.",
                     "Year 9 attendance in the spring term.",
                     "Tutors and subject staff see different parts of the picture.",
                     "Attendance by half term and a short pupil survey in June."),
        "actions": [
            {"title": "Tutors and heads of subject meet each half term about Year 9",
             "why": "Pupils link missed days to particular lessons.", "area": "behaviour",
             "criteria": "Year 9 spring attendance is closer to the autumn figure.",
             "support": "",
             "updates": [(25, "in_progress", "First meeting held; two lessons changed how "
                                             "tests are announced."),
                         (90, "done", "Meetings held each half term since March.")],
             "impact": ("Fewer single-day absences on test days.",
                        "Attendance by half term; June pupil survey.",
                        "Extend the meetings to Year 8 next year.")},
        ],
        "checkback": "The meetings are part of the calendar now and the survey shows pupils "
                     "feel warned about tests in good time.",
    },
    990025: {
        "self": [(None, "Reading aloud to classes happens every day and pupils enjoy it.",
                  "Pupils in Year 3 who are new to English are slow to join in class "
                  "discussion.")],
        "question": "How do pupils who are new to English take part in class discussion in "
                    "Year 3?",
        "lines": ["What do adults do to bring new arrivals into talk?"],
        "activities": [("lesson_visits", 9, "Year 3 classes", "Class teachers"),
                       ("staff_interviews", 14, "Staff room", "Teaching assistants")],
        "evidence": [
            (0, 1, ["year 3", "talk"],
             "In one class, the teacher gave pairs a picture before the question; both new "
             "arrivals pointed and named parts of it to their partner."),
            (1, None, ["teaching assistants", "new arrivals"],
             "Teaching assistants keep a list of words each new arrival knows; it stays "
             "with them and is not shared with the class teacher."),
        ],
        "findings": {
            None: ("Adults are warm and patient with new arrivals.",
                   "What adults know about each pupil's words is not yet shared.",
                   "How might the word lists travel with the pupil?"),
            1: ("Pictures before questions helped new arrivals join in.",
                "This was seen in one class of three.",
                "What would help the approach spread?"),
        },
        "summary": "The school asked how pupils new to English join class discussion. The "
                   "team saw warm, patient adults and one approach that worked well, and "
                   "suggests sharing what adults know about each pupil's words.",
        "workshop": ("Everyone noticed the picture-first approach.",
                     "Talk for pupils new to English in Year 3.",
                     "Knowledge of each pupil's words sits with one adult.",
                     "Lesson visits in the summer term."),
        "actions": [
            {"title": "Share each new arrival's word list with every adult who teaches them",
             "why": "What adults know sits with one person.", "area": "inclusion",
             "criteria": "Every Year 3 adult can say which words a new arrival knows.",
             "support": "",
             "updates": [(20, "in_progress", "Lists moved to the class planning folder."),
                         (80, "done", "All three classes use the lists when planning.")],
             "impact": ("New arrivals answer more often in whole-class talk.",
                        "Summer lesson visits.", "Try pictures first in Year 4.")},
        ],
        "checkback": "The lists are used in every class and the new arrivals are heard "
                     "more in discussion.",
    },
    990022: {
        "self": [(None, "A small school where every adult knows every pupil.",
                  "Mixed-age classes: how well tasks stretch the older pupils in each "
                  "class.")],
        "question": "How well do tasks in mixed-age classes stretch the older pupils?",
        "lines": ["How do pupils choose or get given the level of a task?"],
        "activities": [("lesson_visits", 9, "Classes 2 and 3", "Class teachers"),
                       ("work_scrutiny", 13, "Staff room", "Deputy headteacher")],
        "evidence": [
            (0, 1, ["mixed age", "challenge"],
             "Class 3: pupils chose from three tasks. Most older pupils chose the middle "
             "one and finished early."),
            (1, None, ["books", "challenge"],
             "Books of older pupils show the same task as younger pupils in about half of "
             "the lessons sampled."),
        ],
        "findings": {
            None: ("Teachers know each pupil's starting point.",
                   "Older pupils often work at the same level as younger ones.",
                   "What would make the harder task the natural choice?"),
            1: ("Pupils like choosing their task.",
                "Older pupils tend to choose safely.",
                "How could choice come with a nudge?"),
        },
        "summary": "The school asked how well tasks stretch older pupils in mixed-age "
                   "classes. Teachers know their pupils well; older pupils often choose a "
                   "safe task, and the team suggests looking at how choice is framed.",
        "workshop": ("The safe choices of older pupils stood out.",
                     "Challenge for older pupils in mixed-age classes.",
                     "Choice without guidance lets pupils play safe.",
                     "A book look by the deputy each half term."),
        "actions": [
            {"title": "Older pupils start with the harder task and may step down",
             "why": "Older pupils choose safely.", "area": "teaching",
             "criteria": "Books of older pupils show the harder task in most lessons.",
             "support": "",
             "updates": [(15, "in_progress", "Tried in Class 3 maths first."),
                         (40, "done", "Used in Classes 2 and 3 in maths and writing.")],
             "impact": ("Older pupils attempt more demanding work.",
                        "Book look in July.", "Share with the other Ashcombe schools.")},
        ],
        "checkback": "Older pupils now start with the harder task; the book look shows it "
                     "in most lessons.",
    },
}


def _ashcombe_vale_head() -> User:
    """The headteacher of Ashcombe Vale (not a demo sign-in of their own)."""
    email = f"head.ashcombevale@{DOMAIN}"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, None, full_name="Thaddeus Orrell-Vance")
        user.password = person("lead.ashcombe").password
        user.save(update_fields=["password"])
        accounts.grant_role(user, Role.HEADTEACHER, school=school(990025))
    return user


def load_alumni_cycle(keys: dict[str, Partnership], start: int) -> None:
    """Ashcombe's cycle for ``start`` (its first alumni year): three closed reviews, run by
    its partnership lead with no associate. A network of four schools cannot staff a team
    of three reviewers and a champion from its own schools, so the lead asked the Estuary
    Schools Alliance and the Brambleford Primary Cluster to lend reviewers; both leads
    agreed."""
    framework = Framework.objects.filter(slug="core").first()
    version = framework.published_version() if framework else None
    if version is None:
        return
    ashcombe, lead = keys["ashcombe"], person("lead.ashcombe")
    with at(date(start, 9, 1)):
        vale_head = _ashcombe_vale_head()
    _terms(ashcombe, start, lead)
    with at(date(start, 9, 10)):
        cycle = reviews.create_cycle(ashcombe, start, by=lead, cross_partnership=True,
                                     partner_partnerships=[keys["estuary"],
                                                           keys["brambleford"]])
    for agreement, partner_lead in ((cycle.agreements.get(partner=keys["estuary"]),
                                     "lead.estuary"),
                                    (cycle.agreements.get(partner=keys["brambleford"]),
                                     "lead.brambleford")):
        with at(date(start, 9, 12)):
            reviews.answer_partner_request(agreement, by=person(partner_lead), agree=True)
    pool = [person(local) for local in ("lead.ashcombe", "head.seabright", "head.harbourview",
                                        "head.dunstan", "head.brambleford", "lead.estuary")]
    champions = [person("lead.estuary"), person("head.brambleford")]
    heads = {990022: lead, 990023: person("head.millcross"), 990025: vale_head}
    with at(date(start, 9, 15)):
        added = {urn: reviews.add_review(cycle, school(urn), by=lead,
                                         framework_version=version)
                 for urn, _, _ in ALUMNI_REVIEWS}
    for urn, month, day in ALUMNI_REVIEWS:
        review_day = cycles.school_day(date(start + 1, month, day))
        workshop = cycles.weekday(review_day + timedelta(days=14), 1)
        plan = cycles.Plan(review_day, lead, heads[urn], list(pool), list(champions),
                           checkback_after=min(90, (date(start + 1, 7, 10) - workshop).days))
        cycles.run(added[urn], ALUMNI_STORIES[urn], "closed", plan)
