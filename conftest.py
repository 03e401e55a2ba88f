"""Named personas shared by every test.

One small world: partnership Alpha (schools A1–A4) and partnership Beta (B1–B3), and a
school in no partnership. The personas:

=============  ==============================================================
core           programme core team (has an authenticator, as MFA requires)
associate      associate of Alpha (has an authenticator)
lead           partnership lead of Alpha
head           headteacher of A1
leader         school leader at A2, trained peer reviewer
staff          staff at A1
exec_head      headteacher of A3 (Alpha) and B1 (Beta): an executive head
outsider       headteacher of B2 (Beta only)
alumnus        headteacher of G1, in Gamma, a partnership that has reached the Alumni phase
reviewer2      school leader at A4, a trained reviewer on the team of A2's review (not A1's)
champion       school leader at A3, the Improvement Champion of A1's review
trainer        signed in with no roles; trains ``world.session`` (peer reviewer training)
evaluator      programme evaluator (anonymised data only)
norole         signed in, no roles
anonymous      not signed in
=============  ==============================================================

The review cycle: Alpha's 2026 cycle has the review of A1 (``world.review``: report agreed,
leader is its lead reviewer, with a safeguarding record) and the review of A2
(``world.other_review``, reviewer2 on its team).
"""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.files.base import ContentFile
from django.utils import timezone

from apps.accounts.models import Role
from tests.factories import (
    InvitationFactory,
    MembershipFactory,
    PartnershipFactory,
    RoleFactory,
    SchoolFactory,
    UserFactory,
)

PERSONAS = ["anonymous", "core", "associate", "lead", "head", "leader", "staff", "exec_head",
            "outsider", "alumnus", "evaluator", "norole", "reviewer2", "champion", "trainer"]
TINY_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "correct-horse-battery"


@dataclass
class World:
    people: dict = field(default_factory=dict)
    schools: dict = field(default_factory=dict)
    alpha: Any = None
    beta: Any = None
    memberships: dict = field(default_factory=dict)
    invitation: Any = None
    staff_role: Any = None
    framework: Any = None
    published: Any = None
    draft: Any = None
    shortlist_item: Any = None
    gamma: Any = None
    resources: dict = field(default_factory=dict)
    cycle: Any = None
    review: Any = None
    other_review: Any = None
    agreement: Any = None
    report: Any = None
    concern: Any = None
    evidence: Any = None
    comment: Any = None
    workshop: Any = None
    action: Any = None
    action_file: Any = None
    export: Any = None
    course: Any = None
    open_course: Any = None
    refresher: Any = None
    session: Any = None
    open_session: Any = None
    booking: Any = None
    waiting: Any = None
    registrant: Any = None
    poll: Any = None
    term: Any = None


SMALL_FRAMEWORK = {
    "slug": "test-framework", "title": "Test framework", "kind": "thematic",
    "summary": "A small framework for tests.",
    "themes": [{"title": "Reading", "summary": "", "questions": [
        {"text": "To what extent does early reading teaching build fluent readers?",
         "phases": ["primary"],
         "prompts": [{"kind": "evidence", "text": "Reading records and book bands"},
                     {"kind": "people", "text": "The reading lead and Year 2 pupils"},
                     {"kind": "look_for", "text": "Pupils applying sounds to unfamiliar words"}]},
        {"text": "How well do pupils talk about the books they read for pleasure?",
         "phases": [],
         "prompts": [{"kind": "evidence", "text": "Library loans"},
                     {"kind": "people", "text": "Pupil voice groups"},
                     {"kind": "look_for", "text": "Pupils recommending books to each other"}]},
    ]}],
}


def build_world() -> World:
    w = World()
    w.alpha = PartnershipFactory(name="Alpha Partnership")
    w.beta = PartnershipFactory(name="Beta Partnership")
    for key, p in (("A1", w.alpha), ("A2", w.alpha), ("A3", w.alpha), ("A4", w.alpha),
                   ("B1", w.beta), ("B2", w.beta), ("B3", w.beta)):
        w.schools[key] = SchoolFactory(name=f"{key} School")
        w.memberships[key] = MembershipFactory(partnership=p, school=w.schools[key])
    w.schools["X"] = SchoolFactory(name="Unpartnered School")
    w.gamma = PartnershipFactory(name="Gamma Partnership", phase="alumni")
    w.schools["G1"] = SchoolFactory(name="G1 School")
    w.memberships["G1"] = MembershipFactory(partnership=w.gamma, school=w.schools["G1"])

    def person(name, *roles, **extra):
        user = UserFactory(email=f"{name}@test.example", full_name=name.title(), **extra)
        for role, scope in roles:
            kw = {"partnership": scope} if role in (Role.ASSOCIATE, Role.PARTNERSHIP_LEAD) \
                else ({"school": scope} if scope is not None else {})
            RoleFactory(user=user, role=role, **kw)
        w.people[name] = user
        return user

    core = person("core", (Role.CORE_TEAM, None), is_staff=True)
    TOTP.activate(core, TOTP_SECRET)
    TOTP.activate(person("associate", (Role.ASSOCIATE, w.alpha)), TOTP_SECRET)
    person("lead", (Role.PARTNERSHIP_LEAD, w.alpha))
    person("head", (Role.HEADTEACHER, w.schools["A1"]))
    person("leader", (Role.SCHOOL_LEADER, w.schools["A2"]),
           reviewer_trained_until=timezone.localdate() + timedelta(days=300))
    staff = person("staff", (Role.STAFF, w.schools["A1"]))
    w.staff_role = staff.roles.get()
    person("exec_head", (Role.HEADTEACHER, w.schools["A3"]),
           (Role.HEADTEACHER, w.schools["B1"]))
    person("outsider", (Role.HEADTEACHER, w.schools["B2"]))
    person("alumnus", (Role.HEADTEACHER, w.schools["G1"]))
    person("evaluator", (Role.EVALUATOR, None))
    person("norole")
    person("reviewer2", (Role.SCHOOL_LEADER, w.schools["A4"]),
           reviewer_trained_until=timezone.localdate() + timedelta(days=300))
    person("champion", (Role.SCHOOL_LEADER, w.schools["A3"]),
           champion_trained_until=timezone.localdate() + timedelta(days=300))
    person("trainer")
    w.invitation = InvitationFactory(school=w.schools["A4"], role=Role.HEADTEACHER,
                                     invited_by=w.people["lead"])
    from apps.frameworks import services as frameworks
    from apps.frameworks.models import Question

    w.framework = frameworks.create_framework_from_content(SMALL_FRAMEWORK)
    w.published = w.framework.published_version()
    w.draft = frameworks.start_new_version(w.framework)
    question = Question.objects.filter(theme__version=w.published).first()
    assert question is not None
    w.shortlist_item = frameworks.shortlist_question(w.schools["A1"], question,
                                                     by=w.people["head"])
    from datetime import date

    from apps.resources import services as resources

    for audience in ("public", "programme", "alumni", "core"):
        w.resources[audience] = resources.create_resource(
            by=w.people["core"], title=f"Guide for {audience}",
            summary=f"A guide whose audience is {audience}.", kind="file",
            audience=audience, published_on=date(2026, 9, 1),
            upload=(f"{audience}.pdf", "application/pdf", TINY_PDF))
    build_review_world(w)
    build_training_world(w)
    return w


def build_training_world(w: World) -> None:
    """Peer reviewer training for current schools (a full session of 2: staff and leader
    booked, reviewer2 waiting; trained by ``trainer``), an open national meeting with a
    confirmed registrant from outside the programme, and a champions' refresher."""
    from apps.training import models as t

    now = timezone.now()
    w.course = t.Course.objects.create(kind="reviewer", title="Peer reviewer training",
                                       audience="current", grants="reviewer",
                                       validity_months=24)
    w.open_course = t.Course.objects.create(kind="national_meeting",
                                            title="National meeting", audience="everyone")
    w.refresher = t.Course.objects.create(kind="champion_refresher",
                                          title="Champion refresher",
                                          audience="trained_champions", grants="champion")
    w.session = t.Session.objects.create(course=w.course, capacity=2, mode="online",
                                         joining_link="https://meet.example/training",
                                         booking_deadline=now + timedelta(days=20))
    t.SessionPart.objects.create(session=w.session, starts_at=now + timedelta(days=30),
                                 ends_at=now + timedelta(days=30, hours=3))
    w.session.trainers.add(w.people["trainer"])
    w.booking = t.Booking.objects.create(session=w.session, user=w.people["staff"],
                                         status="booked", booked_by=w.people["head"])
    t.Booking.objects.create(session=w.session, user=w.people["leader"], status="booked")
    w.waiting = t.Booking.objects.create(session=w.session, user=w.people["reviewer2"],
                                         status="waiting", position=1)
    w.open_session = t.Session.objects.create(course=w.open_course, capacity=100,
                                              mode="venue", venue="Town Hall",
                                              booking_deadline=now + timedelta(days=20))
    t.SessionPart.objects.create(session=w.open_session, starts_at=now + timedelta(days=40),
                                 ends_at=now + timedelta(days=40, hours=2))
    w.registrant = t.Registrant.objects.create(email="visitor@school.example",
                                               full_name="Visiting Head", consent_at=now,
                                               confirmed_at=now)
    t.Booking.objects.create(session=w.open_session, registrant=w.registrant,
                             status="booked")
    w.poll = t.Poll.objects.create(session=w.session, question="Which areas next?",
                                   options=["Reading", "Inclusion", "Attendance"],
                                   is_open=True, created_by=w.people["trainer"])


def build_review_world(w: World) -> None:
    """Reviews in Alpha's cycle, set up directly (the services are tested on their own)."""
    from apps.reviews import models as r

    today = timezone.localdate()
    w.cycle = r.Cycle.objects.create(partnership=w.alpha, start_year=r.Cycle.year_of(today))
    # Last year, Beta asked Alpha to share reviewers (Alpha's lead has not answered).
    beta_cycle = r.Cycle.objects.create(partnership=w.beta, start_year=w.cycle.start_year - 1,
                                        cross_partnership=True)
    beta_cycle.partner_partnerships.add(w.alpha)
    w.agreement = r.PartnerAgreement.objects.create(cycle=beta_cycle, partner=w.alpha)
    w.review = r.Review.objects.create(
        cycle=w.cycle, host=w.schools["A1"], framework_version=w.published,
        status=r.Status.REPORT_AGREED, key_question="How well do pupils explain their reading?",
        review_starts_on=today, pre_review_on=today - timedelta(days=20))
    line = r.LineOfEnquiry.objects.create(review=w.review, position=1,
                                          text="How is vocabulary taught?")
    activity = r.Activity.objects.create(review=w.review, kind="pupil_voice", on=today,
                                         starts_at="09:00", place="Library")
    r.TeamMember.objects.create(review=w.review, user=w.people["leader"],
                                school=w.schools["A2"], role="lead", status="accepted")
    w.evidence = r.EvidenceNote.objects.create(review=w.review, author=w.people["leader"],
                                               line=line, activity=activity,
                                               text="Pupils named three strategies.")
    r.ReviewFile.objects.create(review=w.review, purpose="self_review", filename="sef.pdf",
                                content_type="application/pdf", size_bytes=len(TINY_PDF),
                                file=ContentFile(TINY_PDF, name="sef.pdf"),
                                uploaded_by=w.people["head"])
    r.TeamMember.objects.create(review=w.review, user=w.people["champion"],
                                school=w.schools["A3"], role="champion", status="accepted")
    finding = r.Finding.objects.create(review=w.review, line=None,
                                       working_well="Pupils read aloud.",
                                       explore_further="How new arrivals catch up.")
    w.report = r.Report.objects.create(review=w.review, number=1, status="agreed",
                                       summary="Summary.", agreed_at=timezone.now(),
                                       agreed_by=w.people["head"],
                                       pdf=ContentFile(TINY_PDF, name="report.pdf"),
                                       pdf_status="done")
    w.comment = r.ReportComment.objects.create(report=w.report, author=w.people["head"],
                                               text="The date is wrong.")
    w.concern = r.SafeguardingConcern.objects.create(review=w.review, raised_by=w.people["leader"],
                                                     text="A concern.")
    w.other_review = r.Review.objects.create(cycle=w.cycle, host=w.schools["A2"],
                                             status=r.Status.SELF_REVIEW)
    r.TeamMember.objects.create(review=w.other_review, user=w.people["reviewer2"],
                                school=w.schools["A4"], role="reviewer", status="accepted")
    from apps.improvement import models as i

    w.workshop = i.Workshop.objects.create(review=w.review, held_on=today,
                                           revisit_notes="Reading stood out.")
    w.action = i.Action.objects.create(review=w.review, title="Reading buddies for new arrivals",
                                       owner=w.people["staff"], starts_on=today,
                                       due_on=today + timedelta(days=30),
                                       success_criteria="New arrivals read daily with a buddy")
    w.action.findings.set([finding])
    update = i.ProgressUpdate.objects.create(action=w.action, author=w.people["staff"],
                                             text="Buddies trained.", status="in_progress")
    w.action_file = i.ActionFile.objects.create(update=update, filename="rota.pdf",
                                                content_type="application/pdf",
                                                size_bytes=len(TINY_PDF),
                                                file=ContentFile(TINY_PDF, name="rota.pdf"))
    w.export = i.PlanExport.objects.create(review=w.review, status="done",
                                           pdf=ContentFile(TINY_PDF, name="plan.pdf"))
    w.term = r.TermDate.objects.create(partnership=w.alpha, name="Autumn",
                                       starts_on=today - timedelta(days=60),
                                       ends_on=today + timedelta(days=60))


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: answers cached by one test (whether a person has
    an authenticator, rate-limit counts, cached lists) are keyed by ids the next test's rows
    may reuse."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """A request in Welsh leaves Welsh active on its thread (Django's LocaleMiddleware
    activates a language per request and does not undo it): each test starts and ends in
    the default language, so code run outside a request is not translated by accident."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def world(db) -> World:
    return build_world()


def sign_in(client, user) -> None:
    """Sign ``client`` in as ``user`` as the sign-in page would, including the
    authenticator-code step for people who have an authenticator."""
    import time

    from allauth.mfa.models import Authenticator

    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    records = [{"method": "password", "at": time.time(), "email": user.email}]
    for authenticator in Authenticator.objects.filter(user=user, type="totp"):
        records.append({"method": "mfa", "at": time.time(), "id": authenticator.pk,
                        "type": "totp"})
    session = client.session
    session["account_authentication_methods"] = records
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


@pytest.fixture
def client_for(client, world):
    """``client_for("lead")`` is a test client signed in as that persona."""

    def _client(name: str):
        client.logout()
        if name != "anonymous":
            sign_in(client, world.people[name])
        return client

    return _client
