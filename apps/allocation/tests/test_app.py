"""The optimiser inside the app: building the instance from a cycle, the background run,
pins with a live rule check, publishing invitations, people's preferences."""

import json
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.allocation import services
from apps.allocation.build import build_instance, person_id, review_id
from apps.allocation.models import AllocationRun, ReviewerProfile
from apps.allocation.spec import load_instance
from apps.reviews.models import Cycle, Review, TeamMember
from conftest import sign_in
from tests.factories import RoleFactory, UserFactory

OPTIONS = {"team_size": 3, "assign_champion": False, "balance_tolerance": None,
           "max_travel_km": None}


@pytest.fixture
def setup(world):
    third = UserFactory(full_name="Third Reviewer",
                        reviewer_trained_until=timezone.localdate() + timedelta(days=400))
    RoleFactory(user=third, role="school_leader", school=world.schools["A3"])
    cycle = Cycle.objects.create(partnership=world.alpha,
                                 start_year=world.cycle.start_year + 1)
    review = Review.objects.create(cycle=cycle, host=world.schools["A1"],
                                   review_starts_on=timezone.localdate() + timedelta(days=30),
                                   focus_areas=["reading"])
    ReviewerProfile.objects.create(user=world.people["leader"], strengths=["reading"])
    return cycle, review, third


def test_instance_comes_from_the_cycle(world, setup):
    cycle, review, third = setup
    data = build_instance(cycle, OPTIONS)
    inst = load_instance(data)  # a valid spp-allocation/1 instance
    assert list(inst.reviews) == [review_id(review.pk)]
    assert inst.reviews[review_id(review.pk)].themes == {"reading"}
    people = inst.people
    assert people[person_id(world.people["leader"].pk)].strengths == {"reading"}
    assert people[person_id(world.people["head"].pk)].trained_until is None  # not trained
    assert people[person_id(third.pk)].can_lead


def test_run_propose_and_publish(world, setup, client, django_capture_on_commit_callbacks):
    cycle, review, third = setup
    sign_in(client, world.people["lead"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("allocation:cycle", args=[cycle.pk]),
                               {"team_size": 3, "time_limit": 10, "max_travel_km": "",
                                "balance_tolerance": ""})
    run = AllocationRun.objects.get(cycle=cycle)
    assert response.status_code == 302 and run.state == "done", run.progress
    assert run.status == "optimal"
    page = client.get(reverse("allocation:run", args=[run.pk])).content.decode()
    assert "Third Reviewer" in page
    assert "strengths match the focus: Reading, writing and communication" in page
    # The score in sentences, schools by name, no codes.
    assert "How the score is made" in page and "km of travel in all" in page
    assert review.host.name in page and world.schools["A3"].name in page
    assert str(world.schools["A3"].urn) not in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("allocation:publish", args=[run.pk]))
    invited = set(TeamMember.objects.filter(review=review, status="invited")
                  .values_list("user_id", flat=True))
    assert invited == {world.people["leader"].pk, world.people["reviewer2"].pk, third.pk}
    assert client.post(reverse("allocation:publish", args=[run.pk]), follow=True) \
        .content.decode().count("already been published") == 1


def test_infeasible_cycle_says_why(world, setup, client, django_capture_on_commit_callbacks):
    cycle, review, third = setup
    sign_in(client, world.people["lead"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("allocation:cycle", args=[cycle.pk]),
                    {"team_size": 4, "time_limit": 10, "assign_champion": "on",
                     "balance_tolerance": "1", "max_travel_km": "40"})
    run = AllocationRun.objects.get(cycle=cycle)
    assert run.status == "infeasible" and run.solution["reasons"]
    page = client.get(reverse("allocation:run", args=[run.pk])).content.decode()
    assert "No allocation can keep every rule" in page
    assert "Partnership alpha-partnership has 4 schools" in page
    assert "Publish and send invitations" not in page


def test_pins_are_checked_and_rerun(world, setup, client, django_capture_on_commit_callbacks):
    cycle, review, third = setup
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(cycle, by=world.people["lead"], options=OPTIONS,
                                 time_limit=10)
    sign_in(client, world.people["lead"])
    url = reverse("allocation:run", args=[run.pk])
    rid, head = review_id(review.pk), person_id(world.people["head"].pk)
    page = client.get(url, {"review": rid, "person": head, "role": "lead"}).content.decode()
    assert "works at the host school" in page
    response = client.post(reverse("allocation:adjust", args=[run.pk]),
                           {"do": "pin", "review": rid, "person": head, "role": "lead"},
                           follow=True)
    assert "That pin breaks a rule" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("allocation:adjust", args=[run.pk]),
                               {"do": "pin", "review": rid, "role": "lead",
                                "person": person_id(third.pk)})
    new = AllocationRun.objects.exclude(pk=run.pk).get(cycle=cycle)
    assert response.status_code == 302 and new.options["pins"] == [[review.pk, third.pk,
                                                                    "lead"]]
    lead = [a for a in new.solution["assignments"] if a["role"] == "lead"]
    assert lead == [{"review": rid, "person": person_id(third.pk), "role": "lead"}]


def test_preferences_are_kept_and_checked(world, client):
    sign_in(client, world.people["leader"])
    url = reverse("allocation:profile")
    response = client.post(url, {"max_reviews": 3, "strengths": ["maths"],
                                 "unavailable": "2026-11-03\nnot a date"})
    assert "is not a date" in response.content.decode()
    client.post(url, {"max_reviews": 3, "strengths": ["maths"], "unavailable": "2026-11-03",
                      "add_date": "2026-12-01"})
    profile = ReviewerProfile.objects.get(user=world.people["leader"])
    assert profile.unavailable == ["2026-11-03", "2026-12-01"] and profile.max_reviews == 3
    assert date(2026, 11, 3).isoformat() in profile.unavailable


def test_a_county_wide_pool_widens_the_cycle(world, setup, client,
                                              django_capture_on_commit_callbacks):
    cycle, review, third = setup
    School = world.schools["A1"].__class__
    School.objects.filter(pk__in=[s.pk for s in world.schools.values()]) \
        .update(la_name="Hampshire")
    sign_in(client, world.people["lead"])
    page = client.get(reverse("allocation:cycle", args=[cycle.pk])).content.decode()
    assert "every partnership in Hampshire" in page
    assert "takes longer" in page
    assert not cycle.cross_partnership
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("allocation:cycle", args=[cycle.pk]),
                               {"pool": "authority", "team_size": 3, "time_limit": 10,
                                "max_travel_km": "", "balance_tolerance": ""})
    run = AllocationRun.objects.get(cycle=cycle)
    assert response.status_code == 302 and run.state == "done", run.progress
    cycle.refresh_from_db()
    assert cycle.cross_partnership and world.beta in cycle.partner_partnerships.all()
    # Beta's leaders are in the pool now, on the team page as in the optimiser.
    assert person_id(world.people["outsider"].pk) in {p["id"] for p in run.instance["people"]}
    assert set(run.instance["reviews"][0]["pool"]) >= {world.alpha.slug, world.beta.slug}
    assert run.status in ("optimal", "feasible")
    assert "Best allocation so far scores" in run.progress or run.progress.startswith(
        run.status_label)  # in words ("Best possible in 0.4 s"), not the solver's code
    assert run.status not in run.progress
    # Beta's lead was asked; until they agree, a proposal using Beta's people is not sent.
    from django.core.exceptions import ValidationError

    from apps.reviews.models import PartnerAgreement
    from apps.reviews.services import answer_partner_request

    agreement = PartnerAgreement.objects.get(cycle=cycle, partner=world.beta)
    assert agreement.state == PartnerAgreement.State.ASKED
    run.solution = {**run.solution, "assignments": [
        {"review": review_id(review.pk), "person": person_id(world.people["outsider"].pk),
         "role": "member"}]}
    AllocationRun.objects.filter(pk=run.pk).update(solution=run.solution)
    with pytest.raises(ValidationError) as refused:
        services.publish(run, by=world.people["lead"])
    assert "Beta Partnership has not agreed to share reviewers" in str(refused.value)
    answer_partner_request(agreement, by=world.people["core"], agree=True)
    services._check_partners_agreed(run)  # agreed: nothing to refuse


def test_reasons_and_score_in_peoples_words():
    """A distance is given only when both schools are on the map; each part of the score is
    a sentence with its points."""
    from pathlib import Path

    from apps.allocation.scorer import score
    from apps.allocation.spec import load_instance
    from apps.allocation.views import _reasons, score_sentences

    data = json.loads((Path(__file__).parent / "data" / "example-instance.json").read_text())
    inst = load_instance(data)
    solution = json.loads((Path(__file__).parent / "data" / "example-solution.json")
                          .read_text())
    rows = [(a["review"], a["person"], a["role"]) for a in solution["assignments"]]
    rid, pid, role = next(r for r in rows if r[2] == "member")
    everywhere = set(inst.schools)
    assert any(r.endswith("km away") for r in _reasons(inst, rid, pid, role, set(), everywhere))
    unknown = _reasons(inst, rid, pid, role, set(), set())
    assert "distance not known (a school has no location in the register)" in unknown
    assert not any(r.endswith("km away") for r in unknown)
    lines = score_sentences(inst, score(inst, rows))
    assert len(lines) == 6 and all(x.endswith(("points", "point")) for x in lines)
    assert not any("-0 " in x or "+0 " in x for x in lines)
    assert any("km of travel in all" in x for x in lines)
