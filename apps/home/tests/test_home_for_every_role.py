"""Home ("What needs you now") for the people whose home was thin: an associate, the core
team, an evaluator and an alumni school's head each see their useful next things, and the
page's queries do not grow with the data behind them."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import Role
from apps.frameworks.models import FrameworkVersion
from apps.impact.models import Analysis
from apps.improvement.models import Action
from apps.resources import services as resources
from apps.training.models import Course, Session, SessionPart
from conftest import TINY_PDF
from tests.factories import MembershipFactory, PartnershipFactory, RoleFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def overdue_action(review, title="Run the phonics catch-up", days=3):
    today = timezone.localdate()
    return Action.objects.create(review=review, title=title, owner=review.host.role_assignments
                                 .first().user, starts_on=today - timedelta(30),
                                 due_on=today - timedelta(days=days),
                                 status=Action.State.IN_PROGRESS)


def national_meeting(title="Spring national meeting", days=50):
    course = Course.objects.create(kind="national_meeting", title=title, audience="alumni")
    start = timezone.now() + timedelta(days=days)
    session = Session.objects.create(course=course, capacity=80, mode="venue",
                                     venue="Guildhall", booking_deadline=start)
    SessionPart.objects.create(session=session, starts_at=start,
                               ends_at=start + timedelta(hours=3))
    return session


def needs(page: str) -> str:
    """The "What needs you now" part of a home page."""
    start = page.index('id="what-needs-you-now"')
    return page[start:page.index("<!-- end of what needs you now -->", start)]


def queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        home(client)
    return len(captured)


def test_an_associate_sees_each_partnership_and_what_is_overdue(world, client_for):
    overdue_action(world.review)
    page = home(client_for("associate"))
    assert "Partnerships you support at a glance" in page
    assert re.search(r"Alpha Partnership \(Build phase\): \d+ reviews? in the \d{4}/\d\d cycle",
                     page)
    # Overdue actions are a step (follow them up), named by school, under "What needs you now".
    assert "Follow up 1 overdue action in A1 School’s plan (Alpha Partnership)" in needs(page)
    # the link leads to a page the associate may open
    assert client_for("associate").get("/improvement/partnerships/alpha-partnership/") \
        .status_code == 200


def test_the_core_team_sees_approvals_enquiries_and_safeguarding(world, client_for):
    from apps.home.models import Enquiry

    FrameworkVersion.objects.filter(pk=world.draft.pk).update(
        status=FrameworkVersion.Status.REVIEW)
    Enquiry.objects.create(full_name="A head", email="head@enquiry.example",
                           school_name="Hill School", message="How do we join?")
    page = home(client_for("core"))
    assert f"Approve version {world.draft.number} of {world.draft.title}, or send it back" \
        in needs(page)
    assert "Reply to 1 new enquiry from schools interested in the programme" in needs(page)
    # The register's size is a figure to read, not a step.
    assert "The register holds" in page and "The register holds" not in needs(page)
    assert "delivery partner nomination" not in page


def test_the_core_team_is_asked_to_decide_delivery_partner_nominations(world, client_for):
    from apps.delivery import services as delivery

    delivery.nominate(world.people["lead"], by=world.people["associate"],
                      reason="Led three reviews with care")
    page = home(client_for("core"))
    assert "Decide on 1 delivery partner nomination" in needs(page)
    assert "/delivery/?show=waiting" in page
    assert "delivery partner nomination" not in home(client_for("associate"))


def test_an_evaluator_sees_analyses_surveys_and_fidelity(world, client_for):
    Analysis.objects.create(name="Reading in the first partnerships",
                            status=Analysis.Status.DONE, spec={"outcome": "READ_AVERAGE"})
    page = home(client_for("evaluator"))
    # Their analyses and figures are to read, not needs (walkthrough, evening, item 3).
    assert "Your evaluation" in page and "Analysis:" not in needs(page)
    assert "Nothing needs you now." in needs(page)
    assert "Analysis: Reading in the first partnerships" in page
    assert "Fidelity figures by partnership, to read or export" in page


def test_an_alumni_head_sees_meetings_the_library_and_frameworks(world, client_for):
    national_meeting()
    page = home(client_for("alumnus"))
    assert "Staying connected as an alumni school" in page
    assert "Spring national meeting, " in page
    assert "For alumni schools: Guide for alumni" in page
    assert "Review frameworks (1 published)" in page
    # only alumni see this panel
    assert "Staying connected" not in home(client_for("head"))


def test_the_home_pages_queries_do_not_grow_with_the_data(world, client_for,
                                                          django_assert_max_num_queries):
    overdue_action(world.review)
    national_meeting()
    Analysis.objects.create(name="First", status=Analysis.Status.DONE, spec={})
    FrameworkVersion.objects.filter(pk=world.draft.pk).update(
        status=FrameworkVersion.Status.REVIEW)
    small = {who: queries(client_for(who))
             for who in ("associate", "core", "evaluator", "alumnus")}
    # More of everything: partnerships the associate supports, with reviews and overdue
    # actions; analyses; meetings; alumni resources; framework versions waiting.
    associate = world.people["associate"]
    for i in range(4):
        p = PartnershipFactory(name=f"Extra Partnership {i}")
        MembershipFactory(partnership=p, school=SchoolFactory(name=f"Extra School {i}"))
        RoleFactory(user=associate, role=Role.ASSOCIATE, partnership=p)
    for i in range(5):
        overdue_action(world.review, title=f"Overdue {i}", days=i + 1)
        national_meeting(title=f"Meeting {i}", days=60 + i)
        Analysis.objects.create(name=f"Analysis {i}", status=Analysis.Status.DONE, spec={})
        resources.create_resource(
            by=world.people["core"], title=f"Alumni guide {i}", summary="For alumni.",
            kind="file", audience="alumni", published_on=timezone.localdate(),
            upload=(f"a{i}.pdf", "application/pdf", TINY_PDF))
    for who, n in small.items():
        client = client_for(who)
        with django_assert_max_num_queries(n):
            page = home(client)
        if who == "associate":  # the larger data is on the page, not just queried
            assert "Follow up 6 overdue actions in A1 School’s plan" in page
            assert "Extra Partnership 3 (Build phase): no reviews" in page
