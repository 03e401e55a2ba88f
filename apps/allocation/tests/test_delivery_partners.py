"""Delivery partners as lead reviewers of cross-partnership reviews: the optimiser lists those
whose schools are outside the pool, for the lead's place only, and the team page (the same
rulebook) lets them lead and refuses them any other place."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.accounts.models import Role
from apps.allocation.build import build_instance, person_id, review_id
from apps.allocation.scorer import score
from apps.allocation.spec import load_instance
from apps.partnerships.models import DeliveryPartner
from apps.reviews import rulebook, teams
from apps.reviews.models import Cycle, Review, TeamMember
from apps.reviews.services import invite_to_team
from tests.factories import RoleFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db
OPTIONS = {"team_size": 2, "assign_champion": False, "balance_tolerance": None,
           "max_travel_km": None}


def _partner(name, school, *, ends_in_days=300):
    today = timezone.localdate()
    person = UserFactory(full_name=name, reviewer_trained_until=today + timedelta(days=400),
                         champion_trained_until=today + timedelta(days=400))
    RoleFactory(user=person, role=Role.HEADTEACHER, school=school)
    DeliveryPartner.objects.create(person=person, reason="Skilled", status="approved",
                                   starts_on=today - timedelta(days=30),
                                   ends_on=today + timedelta(days=ends_in_days))
    return person


@pytest.fixture
def cycles(world):
    today = timezone.localdate()
    made = {}
    for cross in (True, False):
        cycle = Cycle.objects.create(partnership=world.alpha if cross else world.beta,
                                     start_year=world.cycle.start_year + 1,
                                     cross_partnership=cross)
        host = world.schools["A1" if cross else "B1"]
        made[cross] = (cycle, Review.objects.create(
            cycle=cycle, host=host, review_starts_on=today + timedelta(days=30)))
    return made


def test_the_optimiser_lists_delivery_partners_as_leads_of_cross_partnership_reviews(
        world, cycles):
    partner = _partner("Dana Partner", world.schools["X"])
    _partner("Ended Partner", SchoolFactory(name="Far School"), ends_in_days=-1)
    cycle, review = cycles[True]
    data = build_instance(cycle, OPTIONS)
    inst = load_instance(data)
    pid, rid = person_id(partner.pk), review_id(review.pk)
    row = inst.people[pid]
    assert row.can_lead and not row.can_review and not row.can_champion
    assert inst.schools[row.school].partnership == rulebook.DELIVERY_POOL
    assert rulebook.DELIVERY_POOL in inst.reviews[rid].pool
    ended = DeliveryPartner.objects.get(person__full_name="Ended Partner").person
    assert person_id(ended.pk) not in inst.people
    # One rulebook: the lead's place is open to them, a reviewer's is not.
    assert rulebook.instance_reasons(inst, rid, pid, "lead") == []
    assert rulebook.instance_reasons(inst, rid, pid, "member") == \
        [f"{pid} cannot review"]
    leader = person_id(world.people["leader"].pk)
    checked = score(inst, [(rid, pid, "lead"), (rid, leader, "member")])
    assert checked.valid, checked.violations
    assert not score(inst, [(rid, pid, "member"), (rid, leader, "lead")]).valid

    # A cycle that is not cross-partnership draws only on its own partnership.
    own_cycle, own_review = cycles[False]
    own = load_instance(build_instance(own_cycle, OPTIONS))
    assert pid not in own.people
    assert rulebook.DELIVERY_POOL not in own.reviews[review_id(own_review.pk)].pool


def test_the_team_page_uses_the_same_rule(world, cycles):
    partner = _partner("Dana Partner", world.schools["X"])
    _, review = cycles[True]
    leads = {u.pk: problems for u, _school, problems in teams.candidates(review, "lead")}
    assert leads[partner.pk] == []
    reviewers = {u.pk for u, _s, _p in teams.candidates(review, "reviewer")}
    assert partner.pk not in reviewers
    assert teams.candidate_problems(review, partner, TeamMember.Role.REVIEWER) == [
        rulebook.delivery_partner_place(partner.display_name, "reviewer")]
    member = invite_to_team(review, partner, TeamMember.Role.LEAD, by=world.people["lead"])
    assert member.school == world.schools["X"]
    # Not in a cycle that is not cross-partnership.
    _, own_review = cycles[False]
    assert partner.pk not in {u.pk for u, _s, _p in teams.candidates(own_review, "lead")}
    assert teams.candidate_problems(own_review, partner, TeamMember.Role.LEAD)
