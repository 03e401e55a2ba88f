"""One definition of "current": a school leaving its partnership next month is still a member
for every rule today; one that left yesterday is not; a role ended yesterday counts nowhere."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.partnerships.models import Membership, Partnership
from apps.partnerships.selectors import partnership_ids_for
from apps.people.access import people_in_scope
from apps.support.access import offer_places


def _reload(user):
    from apps.accounts.models import User

    return User.objects.get(pk=user.pk)  # fresh, without cached roles


@pytest.fixture
def dates(world):
    today = timezone.localdate()
    leaving = world.memberships["A1"]
    leaving.left_on = today + timedelta(days=30)
    leaving.save()
    left = world.memberships["A2"]
    left.joined_on = today - timedelta(days=400)
    left.left_on = today - timedelta(days=1)
    left.save()
    return world


def test_membership_current_is_one_rule(dates):
    w = dates
    current = set(Membership.objects.current().values_list("school_id", flat=True))
    assert w.schools["A1"].pk in current
    assert w.schools["A2"].pk not in current
    assert w.memberships["A1"].is_current() and not w.memberships["A2"].is_current()
    assert w.alpha.current_schools().filter(pk=w.schools["A1"].pk).exists()
    counts = {p.pk: p.school_count for p in Partnership.objects.with_current_counts()}
    assert counts[w.alpha.pk] == 3  # A1, A3, A4
    assert list(Partnership.objects.with_current_school([w.schools["A1"].pk])) == [w.alpha]
    assert not Partnership.objects.with_current_school([w.schools["A2"].pk]).exists()


def test_every_rule_reads_the_same_membership(dates):
    w = dates
    head = _reload(w.people["head"])       # A1: leaving next month
    leader = _reload(w.people["leader"])   # A2: left yesterday
    assert w.alpha.pk in partnership_ids_for(head)
    assert w.alpha.pk not in partnership_ids_for(leader)
    in_scope = people_in_scope(_reload(w.people["lead"]))
    assert in_scope.filter(pk=head.pk).exists()
    assert not in_scope.filter(pk=leader.pk).exists()
    assert [p for _, p in offer_places(head)] == [w.alpha]
    assert offer_places(leader) == []


def test_partnership_page_lists_a_leaving_school_as_current(dates, client_for):
    page = client_for("lead").get(f"/partnerships/{dates.alpha.slug}/")
    current, former = page.context["current"], page.context["former"]
    assert dates.memberships["A1"] in current
    assert dates.memberships["A2"] in former


def test_a_role_ended_yesterday_is_not_current(world):
    role = world.staff_role
    role.ended_at = timezone.now() - timedelta(days=1)
    role.save()
    staff = _reload(world.people["staff"])
    assert not staff.roles.current().exists()
    assert partnership_ids_for(staff) == set()
