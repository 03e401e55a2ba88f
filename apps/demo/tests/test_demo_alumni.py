"""The demo's alumni story holds together (walkthrough of 7 Dec 2026, item 4): Ashcombe, an
alumni partnership whose renewal says it ran its own cycle with three reviews, has that
cycle — three closed reviews, run by its lead with no associate, with reviewers lent by
partnerships that agreed — and its people's home pages say they are alumni members through
it, not that they "can join"."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from apps.accounts.models import Role, RoleAssignment, User
from apps.demo.programme import DOMAIN
from apps.partnerships.models import AlumniMembership, Partnership
from apps.reviews.models import PartnerAgreement, Review, Status
from conftest import sign_in


@pytest.mark.django_db
def test_ashcombe_ran_the_cycle_its_renewal_describes():
    call_command("load_frameworks", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())
    ashcombe = Partnership.objects.get(name="Ashcombe Schools Network")
    assert not RoleAssignment.objects.current().filter(role=Role.ASSOCIATE,
                                                       partnership=ashcombe).exists()
    reviews = Review.objects.filter(cycle__partnership=ashcombe)
    assert reviews.count() == 3
    assert set(reviews.values_list("status", flat=True)) == {Status.CLOSED}
    cycle = reviews.first().cycle
    renewal = AlumniMembership.objects.get(partnership=ashcombe, renewal_of__isnull=False)
    assert "three reviews" in renewal.reason
    assert renewal.renewal_of.starts_on.year == cycle.start_year
    assert set(cycle.agreements.values_list("state", flat=True)) == {
        PartnerAgreement.State.AGREED}
    for review in reviews:
        assert review.actions.exists() and review.checkback.completed_at

    client = Client()
    sign_in(client, User.objects.get(email=f"head.millcross@{DOMAIN}"))
    home = client.get("/").content.decode()
    assert "can join the alumni programme" not in home
    assert "Mill Cross High School is an alumni member through Ashcombe Schools Network" \
        in home
    page = client.get(f"/partnerships/{ashcombe.slug}/").content.decode()
    assert "No review cycle yet" not in page
