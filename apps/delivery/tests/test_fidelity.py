"""Fidelity counts what delivery partners delivered for a partnership in the school year."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.impact.fidelity import current_start_year, fidelity, year_bounds
from apps.partnerships.models import DeliveryActivity

from .matrix_rows import attachment

pytestmark = pytest.mark.django_db


def _count(partnership, year):
    return {i.key: i.value for i in fidelity(partnership, year)["indicators"]}[
        "delivery_partner_activity"]


def test_fidelity_counts_delivery_partners_activity(world, client_for):
    att = attachment(world)
    year = current_start_year()
    first, _last = year_bounds(year)
    assert _count(world.alpha, year) == 0
    today = timezone.localdate()
    DeliveryActivity.objects.create(attachment=att, on=today, summary="Reviewer training")
    DeliveryActivity.objects.create(attachment=att, on=today, summary="Coaching visit")
    # Delivered in the school year before: counted in that year, not this one.
    DeliveryActivity.objects.create(attachment=att, on=first - timedelta(days=1),
                                    summary="Last year's visit")
    assert _count(world.alpha, year) == 2
    assert _count(world.alpha, year - 1) == 1
    assert _count(world.beta, year) == 0
    page = client_for("lead").get(
        reverse("impact:fidelity_partnership", args=[world.alpha.slug])).content.decode()
    assert "Training and support given by delivery partners" in page
