"""A school that joined after a cycle ended is asked about this year's cycle only: last
year's cycle page does not list it as 'not yet scheduled', nor offer to add its review."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.reviews import schedule, services
from apps.reviews.models import Cycle
from tests.factories import MembershipFactory, SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(world):
    """Alpha's last cycle, and a school that joined Alpha after that cycle ended."""
    world.last_cycle = Cycle.objects.create(partnership=world.alpha,
                                            start_year=world.cycle.start_year - 1)
    school = SchoolFactory(name="Newcomer Primary")
    MembershipFactory(partnership=world.alpha, school=school,
                      joined_on=world.last_cycle.last_day + timedelta(days=1))
    return school


def test_last_years_cycle_does_not_ask_about_a_school_that_joined_later(client_for, world,
                                                                       newcomer):
    client = client_for("lead")
    last = client.get(reverse("reviews:cycle", args=[world.last_cycle.pk])).content.decode()
    assert "Newcomer Primary" not in last
    assert "This cycle has ended" in last and "Not yet scheduled" not in last
    assert "A1 School" in last  # a member then, with no review in that cycle
    current = client.get(reverse("reviews:cycle", args=[world.cycle.pk])).content.decode()
    assert "Newcomer Primary" in current and "Not yet scheduled" in current


def test_a_review_for_a_school_that_joined_later_cannot_go_in_last_years_cycle(world,
                                                                              newcomer):
    assert newcomer not in schedule.schools_without_review(world.last_cycle)
    with pytest.raises(ValidationError, match="was not a school of Alpha Partnership"):
        services.add_review(world.last_cycle, newcomer, by=world.people["lead"])
    assert newcomer in schedule.schools_without_review(world.cycle)


def test_a_school_that_left_before_a_cycle_began_is_not_listed(world):
    last = Cycle.objects.create(partnership=world.alpha, start_year=world.cycle.start_year - 1)
    gone = SchoolFactory(name="Gone Primary")
    MembershipFactory(partnership=world.alpha, school=gone,
                      joined_on=last.first_day - timedelta(days=400),
                      left_on=last.first_day - timedelta(days=1))
    assert gone not in schedule.schools_without_review(last, timezone.localdate())


def test_the_add_review_page_of_last_years_cycle_leaves_out_the_newcomer(client_for, world,
                                                                         newcomer):
    page = client_for("lead").get(reverse("reviews:add_review", args=[world.last_cycle.pk]))
    assert page.status_code == 200
    assert "Newcomer Primary" not in page.content.decode()
