"""The scale generator (bench/scale/) builds data the product's rules allow: checked here
on a small run, rule by rule, against the models rather than against the generator."""

from collections import Counter, defaultdict

import pytest
from django.core.management import call_command

from apps.reviews import models as r
from apps.reviews.teams import MAX_REVIEWERS
from bench.scale.generate import PATH, PRESETS, STATUS_ORDER, ScaleSpec, generate, scaled

pytestmark = pytest.mark.django_db


@pytest.fixture
def small():
    return generate(PRESETS["small"])


def test_counts_follow_the_spec(small):
    spec = PRESETS["small"]
    assert small["counts"]["schools"] == spec.schools
    assert small["counts"]["reviews"] == spec.partnerships * spec.per_partnership
    assert r.Review.objects.count() == spec.partnerships * spec.per_partnership


def test_teams_keep_the_rules(small):
    reviews = r.Review.objects.select_related("host", "cycle").prefetch_related(
        "team__user", "team__school")
    for review in reviews:
        team = list(review.team.all())
        reviewers = [m for m in team if m.is_reviewer]
        champions = [m for m in team if m.role == "champion"]
        assert len(reviewers) <= MAX_REVIEWERS
        assert [m.role for m in reviewers].count("lead") == 1
        assert len(champions) == 1
        assert len({m.school_id for m in reviewers}) == len(reviewers)
        assert champions[0].school_id not in {m.school_id for m in reviewers}
        members = set(review.cycle.partnership.memberships.values_list("school_id", flat=True))
        for m in team:
            assert m.school_id != review.host_id
            assert m.school_id in members
            assert m.user.roles.filter(school=m.school).exists()
            if review.host.trust_code:
                assert m.school.trust_code != review.host.trust_code
            on = review.review_starts_on
            assert (m.user.is_trained_champion(on) if m.role == "champion"
                    else m.user.is_trained_reviewer(on))
            accepted = STATUS_ORDER.index(review.status) >= STATUS_ORDER.index("scheduled")
            assert m.status == ("accepted" if accepted else "invited")


def test_no_clashes_and_no_overbooking(small):
    days = defaultdict(list)
    per_cycle = Counter()
    for m in r.TeamMember.objects.select_related("review"):
        for d in m.review.review_dates():
            days[(m.user_id, d)].append(m.review_id)
        per_cycle[(m.user_id, m.review.cycle_id)] += 1
    assert all(len(ids) == 1 for ids in days.values())
    assert max(per_cycle.values()) <= 2
    # Reviews of one partnership are on different days.
    for cycle in r.Cycle.objects.all():
        dates = list(cycle.reviews.values_list("review_starts_on", flat=True))
        assert len(dates) == len(set(dates))


def test_workflow_states_are_consistent(small):
    transitions = {step: name for step, name in PATH}
    for review in r.Review.objects.prefetch_related("history", "reports", "actions"):
        history = list(review.history.all())
        level = STATUS_ORDER.index(review.status)
        assert len(history) == level
        if history:
            assert history[-1].to_status == review.status
            assert all(h.transition == transitions[h.to_status] for h in history)
            pairs = zip(history, history[1:], strict=False)
            assert all(a.to_status == b.from_status for a, b in pairs)
        agreed = [rep for rep in review.reports.all() if rep.status == "agreed"]
        assert bool(agreed) == (level >= STATUS_ORDER.index("report_agreed"))
        actions = list(review.actions.all())
        assert bool(actions) == (level >= STATUS_ORDER.index("acting"))
        if review.status == "closed":
            assert all(a.status == "done" for a in actions)
        assert hasattr(review, "workshop") == (level >= STATUS_ORDER.index("acting"))


def test_runs_twice_beside_existing_data():
    generate(PRESETS["small"])
    generate(PRESETS["small"])
    assert r.Review.objects.count() == 2 * 30


def test_names_are_fictional_and_addresses_reserved(small):
    from apps.accounts.models import User

    assert not User.objects.exclude(email__endswith="@scale.example").exists()


def test_spec_checks_sizes():
    with pytest.raises(ValueError, match="at least 4"):
        ScaleSpec(per_partnership=3)
    with pytest.raises(ValueError, match="need 40 schools"):
        ScaleSpec(schools=30, partnerships=5, per_partnership=8)
    assert scaled(PRESETS["small"], 2).schools == 120


def test_command(capsys):
    call_command("seed_scale", preset="small", schools=40, partnerships=4)
    out = capsys.readouterr().out
    assert "reviews: 24" in out
    assert r.Review.objects.count() == 24
