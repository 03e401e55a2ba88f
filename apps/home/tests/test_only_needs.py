""""What needs you now" holds only steps the person has to take, each named with its subject
and its date; statuses and figures are lower on the page (walkthrough of 7 December 2026,
evening, items 3, 4 and 5). Items that show another object's content plant a unique marker
and read home as every persona who must not see it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.improvement.models import Action
from apps.improvement.selectors import actions_to_act_on
from apps.reviews.models import Review, Status, TeamMember
from conftest import PERSONAS
from tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db

SIGNED_IN = [p for p in PERSONAS if p != "anonymous"]


def _page(client_for, persona: str) -> str:
    response = client_for(persona).get("/")
    assert response.status_code == 200
    return response.content.decode()


def needs(page: str) -> str:
    """The "What needs you now" part of a home page."""
    start = page.index('id="what-needs-you-now"')
    return page[start:page.index("<!-- end of what needs you now -->", start)]


def _closed_review_with_overdue_action(world, title: str, status: str = Status.CLOSED,
                                       years_ago: int = 1):
    """An overdue action owned by A1's staff member, in an earlier cycle's review of A1."""
    from apps.reviews.models import Cycle

    today = timezone.localdate()
    cycle = Cycle.objects.create(partnership=world.alpha,
                                 start_year=world.cycle.start_year - years_ago)
    review = Review.objects.create(cycle=cycle, host=world.schools["A1"], status=status,
                                   review_starts_on=today - timedelta(days=300))
    return Action.objects.create(review=review, title=title, owner=world.people["staff"],
                                 starts_on=today - timedelta(days=200),
                                 due_on=today - timedelta(days=40),
                                 status=Action.State.IN_PROGRESS)


def test_the_heading_has_no_full_stop_and_an_empty_list_says_so(world, client_for):
    for persona in ("evaluator", "norole"):
        page = _page(client_for, persona)
        assert ">What needs you now</h2>" in page
        assert "What needs you now." not in page
        assert "Nothing needs you now." in needs(page), persona
    # The evaluator's analyses and figures are below, to read.
    page = _page(client_for, "evaluator")
    assert "Your evaluation" in page and "Your evaluation" not in needs(page)
    # Someone with a step to take is not told that nothing needs them.
    assert "Nothing needs you now." not in _page(client_for, "head")


def test_statuses_and_counts_are_not_needs(world, client_for):
    # The lead reviewer's part in A1's review ended with the report: its status is to read.
    page = _page(client_for, "leader")
    assert "report agreed" in page and "report agreed" not in needs(page)
    # The core team's register count and the lead's partnership size are figures, not steps.
    page = _page(client_for, "core")
    assert "The register holds" in page and "The register holds" not in needs(page)
    page = _page(client_for, "lead")
    assert "Your partnership at a glance" in page
    assert "Alpha Partnership: Build phase, " in page
    assert "Every school has its headteacher" not in page
    assert "Build phase" not in needs(page)


def test_actions_of_closed_or_cancelled_reviews_are_not_to_act_on(world, client_for):
    """The selector that feeds home drops them; home neither names nor counts them, for the
    owner or the partnership's associate."""
    closed = _closed_review_with_overdue_action(world, "Zephyrine phonics catch-up")
    cancelled = _closed_review_with_overdue_action(world, "Quoravel maths recovery",
                                                   Status.CANCELLED, years_ago=2)
    live = Action.objects.create(review=world.review, title="Brindlewick reading plan",
                                 owner=world.people["staff"],
                                 starts_on=timezone.localdate() - timedelta(days=20),
                                 due_on=timezone.localdate() - timedelta(days=2))
    to_act_on = set(actions_to_act_on(Action.objects.all()).values_list("pk", flat=True))
    assert live.pk in to_act_on and world.action.pk in to_act_on
    assert closed.pk not in to_act_on and cancelled.pk not in to_act_on
    page = _page(client_for, "staff")
    assert "Zephyrine" not in page and "Quoravel" not in page
    assert "Update ‘Brindlewick reading plan’ (due " in needs(page)
    assert reverse("improvement:action", args=[live.pk]) in needs(page)
    assert "You own 2 open actions" in page  # the live one and the world's own
    # The associate is asked to follow up the live overdue action only.
    assert "Follow up 1 overdue action in A1 School’s plan" in _page(client_for, "associate")
    # Once the review closes, the one that was overdue goes too.
    Review.objects.filter(pk=world.review.pk).update(status=Status.CLOSED)
    assert "Brindlewick" not in _page(client_for, "staff")
    assert "overdue action" not in _page(client_for, "associate")


def test_the_most_urgent_actions_are_named_then_and_n_more(world, client_for):
    today = timezone.localdate()
    for i in range(5):
        Action.objects.create(review=world.review, title=f"Larkhollow step {i}",
                              owner=world.people["staff"], starts_on=today - timedelta(days=30),
                              due_on=today - timedelta(days=10 - i))
    page = needs(_page(client_for, "staff"))
    assert "Update ‘Larkhollow step 0’" in page and "Update ‘Larkhollow step 2’" in page
    assert "Larkhollow step 3" not in page
    assert "and 2 more actions overdue or due soon" in page
    assert reverse("improvement:my_actions") in page
    for persona in SIGNED_IN:
        if persona != "staff":
            assert "Larkhollow" not in _page(client_for, persona), persona


def test_a_review_team_invitation_names_the_school_and_the_review_day(world, client_for):
    day = timezone.localdate() + timedelta(days=30)
    review = Review.objects.create(cycle=world.cycle, host=world.schools["A3"],
                                   status=Status.ENQUIRY_AGREED, review_starts_on=day)
    invite = TeamMember.objects.create(review=review, user=world.people["reviewer2"],
                                       school=world.schools["A4"],
                                       role=TeamMember.Role.REVIEWER)
    page = needs(_page(client_for, "reviewer2"))
    assert f"Say whether you can review at A3 School on {day:%A %-d %B}" in page
    assert reverse("reviews:invitation", args=[invite.pk]) in page
    Review.objects.filter(pk=review.pk).update(review_starts_on=None)
    assert "Say whether you can review at A3 School as reviewer (its dates are not set yet)" \
        in needs(_page(client_for, "reviewer2"))
    for persona in SIGNED_IN:
        if persona != "reviewer2":
            assert "Say whether you can review at A3" not in _page(client_for, persona), persona


def test_invitations_waiting_are_named_for_the_core_team_and_the_lead(world, client_for):
    from tests.factories import PartnershipFactory

    InvitationFactory(partnership=world.alpha, full_name="Ottoline Vasquez-Brae",
                      role="partnership_lead", invited_by=world.people["lead"])
    other = PartnershipFactory(name="Delta Partnership")
    InvitationFactory(partnership=other, full_name="Peregrine Osei-Lund",
                      role="partnership_lead", invited_by=world.people["core"])
    core = needs(_page(client_for, "core"))
    assert "Follow up the invitation to " in core
    lead = needs(_page(client_for, "lead"))
    assert "Follow up the invitation to Ottoline Vasquez-Brae (partnership lead), sent on " \
        in lead
    assert "Peregrine" not in lead  # another partnership's invitation
    for persona in SIGNED_IN:
        if persona not in ("core", "lead"):
            page = _page(client_for, persona)
            assert "Ottoline" not in page and "Peregrine" not in page, persona


def test_every_link_in_what_needs_you_now_opens(world, client_for):
    """For each persona of the shared world, every link in the list leads to a page they may
    open (the champion's check-back link once led to a refusal)."""
    import re

    for persona in SIGNED_IN:
        client = client_for(persona)
        page = client.get("/").content.decode()
        for url in re.findall(r'href="([^"]+)"', needs(page)):
            status = client.get(url.replace("&amp;", "&")).status_code
            assert status == 200, (persona, url, status)


def test_a_welsh_session_has_no_english_in_what_needs_you_now(world, client_for):
    from apps.impact.models import Survey, Wave, WaveInvite

    head = world.people["head"]
    survey = Survey.objects.create(title="Arolwg prawf")
    WaveInvite.objects.create(wave=Wave.objects.create(survey=survey, kind=Wave.Kind.YEAR1),
                              user=head, partnership=world.alpha, role_group="leadership",
                              token="welsh-token")
    TeamMember.objects.create(review=world.other_review, user=head, school=world.schools["A1"],
                              role=TeamMember.Role.REVIEWER)
    Action.objects.create(review=world.review, title="Cynllun darllen", owner=head,
                          starts_on=timezone.localdate(),
                          due_on=timezone.localdate() + timedelta(days=5))
    english = _page(client_for, "head")
    for words in ("What needs you now", "Due soon", "Answer the", "Say whether"):
        assert words in english, words
    head.language = "cy"
    head.save()
    page = _page(client_for, "head")
    for words in ("What needs you now", "Due soon", "Answer the", "Say whether", "Update ‘",
                  "Nothing needs you now"):
        assert words not in page, words
    assert "Beth sydd angen i chi ei wneud nawr" in page


def test_the_associate_follows_up_overdue_actions_by_school(world, client_for):
    """The associate's step names the school whose plan has overdue actions (the counts their
    partnership progress page shows); no one else's home names it."""
    from tests.factories import MembershipFactory, SchoolFactory

    school = SchoolFactory(name="Quillanby Primary School")
    MembershipFactory(partnership=world.alpha, school=school)
    review = Review.objects.create(cycle=world.cycle, host=school, status=Status.ACTING)
    today = timezone.localdate()
    for i in range(2):
        Action.objects.create(review=review, title=f"Step {i}", owner=world.people["staff"],
                              starts_on=today - timedelta(days=30),
                              due_on=today - timedelta(days=3))
    page = _page(client_for, "associate")
    assert "Follow up 2 overdue actions in Quillanby Primary School’s plan (Alpha " \
        "Partnership)" in needs(page)
    assert reverse("improvement:partnership", args=[world.alpha.slug]) in needs(page)
    for persona in SIGNED_IN:
        if persona != "associate":
            assert "overdue actions in Quillanby" not in _page(client_for, persona), persona
