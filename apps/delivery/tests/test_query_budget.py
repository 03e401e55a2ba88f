"""Delivery partners' pages make a fixed number of queries whatever the number of
nominations, delivery partners, attachments, activities and people to nominate."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role
from apps.partnerships.models import DeliveryActivity, DeliveryAttachment, DeliveryPartner
from apps.reviews.models import Review, TeamMember
from tests.factories import MembershipFactory, RoleFactory, SchoolFactory, UserFactory

from .matrix_rows import approved, attachment

pytestmark = pytest.mark.django_db
N = 5


def _grow(world, dp):
    today = timezone.localdate()
    att = DeliveryAttachment.objects.filter(delivery_partner=dp).first()
    for k in range(N):
        school = SchoolFactory(name=f"Grown {k}")
        MembershipFactory(partnership=world.alpha, school=school)
        person = UserFactory(full_name=f"Grown Person {k}",
                             reviewer_trained_until=today + timedelta(days=100))
        RoleFactory(user=person, role=Role.HEADTEACHER, school=school)
        DeliveryPartner.objects.create(person=person, reason="Grown", nominated_by=world.people[
            "associate"])
        DeliveryAttachment.objects.create(delivery_partner=dp, partnership=world.alpha,
                                          scope="support", starts_on=today, ends_on=today)
        DeliveryActivity.objects.create(attachment=att, on=today, summary=f"Visit {k}",
                                        recorded_by=world.people["leader"])
        review = Review.objects.create(cycle=world.cycle, host=school, status="closed")
        TeamMember.objects.create(review=review, user=dp.person, school=world.schools["A2"],
                                  role="reviewer", status="accepted")


def _count(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona,page", [
    ("core", "index"), ("associate", "index"), ("associate", "nominate"), ("core", "detail"),
    ("associate", "nominate_person"), ("lead", "attachment")])
def test_delivery_pages_query_count_is_fixed(world, client_for, persona, page):
    dp = approved(world)
    att = attachment(world)
    url = {"index": reverse("delivery:index"), "nominate": reverse("delivery:nominate"),
           "detail": reverse("delivery:detail", args=[dp.pk]),
           "nominate_person": reverse("delivery:nominate_person", args=[dp.person.pk]),
           "attachment": reverse("delivery:attachment", args=[att.pk])}[page]
    client = client_for(persona)
    small = _count(client, url)
    _grow(world, dp)
    large = _count(client, url)
    assert small <= 20, small
    assert large <= small, (small, large)
