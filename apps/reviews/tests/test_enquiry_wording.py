"""The enquiry page says the key question is agreed at the pre-review meeting only once it
has been; before, that it is to be agreed there (walkthrough of 7 December 2026, item 10)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from apps.reviews.models import Review


def test_the_pre_review_meeting_is_worded_as_planned_until_the_enquiry_is_agreed(
        world, client_for):
    meeting = timezone.localdate() + timedelta(days=35)
    Review.objects.filter(pk=world.review.pk).update(pre_review_on=meeting,
                                                     enquiry_agreed_at=None)
    url = reverse("reviews:enquiry", args=[world.review.pk])
    page = client_for("head").get(url).content.decode()
    assert ("To be agreed between the host school and the review team at the pre-review "
            f"meeting, planned for {meeting.day} {meeting:%B %Y}.") in page
    assert "Agreed between" not in page
    Review.objects.filter(pk=world.review.pk).update(enquiry_agreed_at=timezone.now())
    page = client_for("head").get(url).content.decode()
    assert ("Agreed between the host school and the review team at the pre-review meeting "
            f"on {meeting.day} {meeting:%B %Y}.") in page
    assert "To be agreed" not in page
