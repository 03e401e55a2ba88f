"""Support delivered shows on the action it helped and in the check-back, to the people who
may see the support (the two schools and the broker), not to everyone who reads the plan."""

from django.utils import timezone

from apps.support.tests.matrix_rows import support_world

OUTCOME = "Teachers now model blending in every phonics lesson."


def _delivered(world):
    sw = support_world(world)
    m = sw.match
    m.status = "delivered"
    m.delivered_from = m.delivered_to = timezone.localdate()
    m.hours_given, m.outcome = 6, OUTCOME
    m.save()
    return sw


def test_the_action_shows_the_support_given(world, client_for):
    sw = _delivered(world)
    page = client_for("head").get(f"/improvement/actions/{sw.action.pk}/").content.decode()
    assert "Support given" in page and OUTCOME in page and "6 hours" in page
    # The champion reads the plan but not the support between the two schools.
    page = client_for("champion").get(f"/improvement/actions/{sw.action.pk}/")
    assert page.status_code == 200 and OUTCOME not in page.content.decode()


def test_the_check_back_shows_the_support_given(world, client_for):
    _delivered(world)
    world.review.status = "acting"
    world.review.save()
    page = client_for("head").get(f"/improvement/reviews/{world.review.pk}/check-back/")
    assert OUTCOME in page.content.decode()
