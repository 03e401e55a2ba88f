"""One rulebook: the manual team page (apps.reviews.teams) and the optimiser's scorer give
the same plain-English reason for the same broken rule."""

import html
import json
from datetime import timedelta
from pathlib import Path

from django.urls import reverse
from django.utils import timezone

from apps.allocation.models import ReviewerProfile
from apps.allocation.scorer import score
from apps.allocation.spec import load_instance
from apps.reviews import rulebook, teams
from apps.reviews.models import Review
from conftest import sign_in

from .test_allocation import example


def _review(world, days=7, host="A3"):
    return Review.objects.create(cycle=world.cycle, host=world.schools[host],
                                 framework_version=world.published,
                                 review_starts_on=timezone.localdate() + timedelta(days=days))


def test_a_day_the_person_cannot_review(world):
    leader = world.people["leader"]
    review = _review(world)
    day = review.review_starts_on
    assert teams.candidate_problems(review, leader, "reviewer") == []
    ReviewerProfile.objects.create(user=leader, unavailable=[day.isoformat()])
    expected = rulebook.unavailable(leader.display_name, [day], [day])
    assert expected == f"{leader.display_name} is unavailable on {day:%-d %B %Y}"
    assert expected in teams.candidate_problems(review, leader, "reviewer")
    # Champions are not bound by the review day (their workshop is another day).
    assert expected not in teams.candidate_problems(review, leader, "champion")


def test_the_yearly_most(world):
    leader = world.people["leader"]  # already the lead of A1's review this year
    review = _review(world)
    assert teams.candidate_problems(review, leader, "reviewer") == []
    ReviewerProfile.objects.create(user=leader, max_reviews=1)
    assert rulebook.yearly_maximum(leader.display_name, 2, 1) in \
        teams.candidate_problems(review, leader, "reviewer")


def test_two_reviews_on_one_day(world):
    leader = world.people["leader"]
    review = _review(world, days=0)  # the day of A1's review, which they lead
    assert rulebook.same_day(leader.display_name, review.review_starts_on,
                             "the review of A1 School") in \
        teams.candidate_problems(review, leader, "reviewer")


def test_their_own_school_hosts_that_day(world):
    leader = world.people["leader"]  # at A2
    review = _review(world, days=14)
    # A2 (one school, one review a cycle) hosts its own review that day
    Review.objects.filter(pk=world.other_review.pk).update(
        review_starts_on=review.review_starts_on)
    assert rulebook.own_school_hosts(leader.display_name, [review.review_starts_on],
                                     [review.review_starts_on]) in \
        teams.candidate_problems(review, leader, "reviewer")


def test_travel_uses_the_optimisers_limit(world):
    leader = world.people["leader"]
    a2, a3 = world.schools["A2"], world.schools["A3"]
    a2.easting, a2.northing, a3.easting, a3.northing = 400000, 100000, 460000, 100000
    a2.save()
    a3.save()
    review = _review(world)
    reason = rulebook.too_far(leader.display_name, 60.0, 40)
    assert reason in teams.candidate_problems(review, leader, "reviewer")
    review.mode = "virtual"
    review.save()
    assert reason not in teams.candidate_problems(review, leader, "reviewer")


def test_the_scorer_gives_the_same_reasons():
    data = example()
    solution = [(a["review"], a["person"], a["role"]) for a in json.loads(
        (Path(__file__).parent / "data" / "example-solution.json").read_text())["assignments"]]
    assert score(load_instance(data), solution).valid
    # Someone on the proved optimum becomes unavailable on its day: the scorer says why, in
    # the rulebook's words.
    r, p, _ = next(a for a in solution if a[2] == "member")
    day = next(row for row in data["reviews"] if row["id"] == r)["dates"][0]
    next(row for row in data["people"] if row["id"] == p)["unavailable"] = [day]
    inst = load_instance(data)
    reason = rulebook.unavailable(p, inst.reviews[r].dates, inst.people[p].unavailable)
    assert f"rule 9: {reason} ({r})" in score(inst, solution).violations


def test_the_team_page_shows_the_rulebooks_reasons(world, client):
    leader = world.people["leader"]
    review = _review(world)
    ReviewerProfile.objects.create(user=leader,
                                   unavailable=[review.review_starts_on.isoformat()])
    sign_in(client, world.people["lead"])
    page = client.get(reverse("reviews:team", args=[review.pk])).content.decode()
    assert html.escape(rulebook.unavailable(leader.display_name, [review.review_starts_on],
                                            [review.review_starts_on])) in page
    # Inviting them anyway is refused with the same reason, and nothing is saved.
    client.post(reverse("reviews:team", args=[review.pk]),
                {"user": leader.pk, "role": "reviewer"})
    assert not review.team.filter(user=leader).exists()
