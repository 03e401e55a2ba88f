"""An action's owner updates it while they work at the host school, and not after."""

from django.utils import timezone

from apps.accounts.models import User


def test_an_owner_whose_role_ended_may_no_longer_update_the_action(world):
    staff = User.objects.get(pk=world.people["staff"].pk)
    assert staff.has_perm("improvement.update_action", world.action)
    world.staff_role.ended_at = timezone.now()
    world.staff_role.save()
    former = User.objects.get(pk=world.people["staff"].pk)  # no cached roles
    assert not former.has_perm("improvement.update_action", world.action)
