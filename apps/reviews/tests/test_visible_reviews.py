"""``visible_reviews``: the same reviews as the plain definition (partnership, host school or
live team place), computed as a union of indexed id look-ups."""

import pytest
from django.db.models import Q

from apps.reviews.models import Review, TeamMember
from apps.reviews.selectors import visible_reviews
from conftest import PERSONAS

pytestmark = pytest.mark.django_db


def _plain(user):
    from apps.accounts.roles import is_core_team, school_ids_for
    from apps.partnerships.selectors import partnership_ids_for

    if is_core_team(user):
        return set(Review.objects.values_list("pk", flat=True))
    return set(Review.objects.filter(
        Q(cycle__partnership_id__in=partnership_ids_for(user))
        | Q(host_id__in=school_ids_for(user))
        | Q(team__user=user, team__status__in=["invited", "accepted"]))
        .values_list("pk", flat=True))


def test_same_reviews_as_the_plain_definition(world):
    from apps.reviews.models import Cycle

    # A review elsewhere that reviewer2 is invited to, and one they declined.
    beta_cycle = Cycle.objects.create(partnership=world.beta,
                                       start_year=world.cycle.start_year)
    invited = Review.objects.create(cycle=beta_cycle, host=world.schools["B2"])
    declined = Review.objects.create(cycle=beta_cycle, host=world.schools["B3"])
    TeamMember.objects.create(review=invited, user=world.people["reviewer2"],
                              school=world.schools["A4"], role="reviewer")
    TeamMember.objects.create(review=declined, user=world.people["reviewer2"],
                              school=world.schools["A4"], role="reviewer", status="declined")
    for name in PERSONAS:
        if name == "anonymous":
            continue
        user = world.people[name]
        got = list(visible_reviews(user).values_list("pk", flat=True))
        assert len(got) == len(set(got)), name  # no duplicates without DISTINCT
        assert set(got) == _plain(user), name
    seen = set(visible_reviews(world.people["reviewer2"]).values_list("pk", flat=True))
    assert invited.pk in seen and declined.pk not in seen


def test_query_is_a_union_of_id_lookups(world):
    sql = str(visible_reviews(world.people["head"]).order_by().query).upper()
    assert "UNION" in sql
    assert "DISTINCT" not in sql
    assert "JOIN" not in sql.split("WHERE", 1)[0]  # the outer query joins nothing
