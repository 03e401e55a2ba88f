"""A school has one live review in a cycle: adding it again is refused with a way forward."""

import pytest
from django.core.exceptions import ValidationError

from apps.reviews import services
from apps.reviews.models import Review, Status


def test_the_same_school_cannot_be_added_twice(world):
    with pytest.raises(ValidationError, match="A1 School already has a review in"):
        services.add_review(world.cycle, world.schools["A1"], by=world.people["lead"])
    assert Review.objects.filter(cycle=world.cycle, host=world.schools["A1"]).count() == 1


def test_a_cancelled_review_can_be_replaced(world):
    world.other_review.status = Status.CANCELLED
    world.other_review.save()
    review = services.add_review(world.cycle, world.schools["A2"], by=world.people["lead"])
    assert review.host == world.schools["A2"]


def test_the_page_offers_only_schools_without_a_review(world, client_for):
    page = client_for("lead").get(f"/reviews/cycles/{world.cycle.pk}/add/")
    hosts = list(page.context["form"].fields["host"].queryset)
    assert world.schools["A1"] not in hosts and world.schools["A2"] not in hosts
    assert world.schools["A3"] in hosts
    response = client_for("lead").post(f"/reviews/cycles/{world.cycle.pk}/add/",
                                       {"host": world.schools["A1"].pk, "mode": "in_person"})
    assert response.status_code == 200
    assert "Choose a school of the partnership that has no review in this cycle yet" in \
        response.content.decode()
    assert Review.objects.filter(cycle=world.cycle, host=world.schools["A1"]).count() == 1


def test_the_database_refuses_a_second_live_review(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(cycle=world.cycle, host=world.schools["A1"])
