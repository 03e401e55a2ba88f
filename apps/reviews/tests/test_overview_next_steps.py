"""The review overview offers only the steps that make sense now (the evening walkthrough of
7 December 2026, Top-10 items 7 and 9): Postpone only with dates to put off; Cancel at the foot
of the page behind a confirmation that shows what is cancelled; no "Close the review" while the
impact check-back is not done; "Report ready for your check" dealt with once the report is
agreed; and the dates form never calls saving nothing a success."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.improvement.models import CheckBack
from apps.notifications.models import Notification
from apps.reviews import services
from apps.reviews.models import Finding, Review, Status, TeamMember

from .test_services import fresh_review

pytestmark = pytest.mark.django_db


def _next_steps(page: str) -> str:
    """The "What happens next" part of the overview."""
    return page.split("What happens next", 1)[1].split(">Dates</h2>", 1)[0]


def _foot(page: str) -> str:
    return page.split("If the review cannot go ahead", 1)[1].split("govuk-grid-column-one-third",
                                                                   1)[0]


def test_postpone_is_offered_only_when_the_review_has_dates(world, client_for):
    review = Review.objects.create(cycle=world.cycle, host=world.schools["A3"],
                                   framework_version=world.published)
    url = reverse("reviews:detail", args=[review.pk])
    postpone = reverse("reviews:status", args=[review.pk, "postpone"])
    page = client_for("lead").get(url).content.decode()
    assert postpone not in page
    Review.objects.filter(pk=review.pk).update(
        review_starts_on=timezone.localdate() + timedelta(days=30))
    page = client_for("lead").get(url).content.decode()
    assert postpone in _foot(page) and postpone not in _next_steps(page)


def test_cancel_sits_at_the_foot_and_confirms_what_is_cancelled(world, client_for):
    """The report is agreed and the workflow still allows cancelling, so it is offered, but
    only at the foot of the page, as a link to a page saying what is cancelled."""
    review = world.review
    assert review.status == Status.REPORT_AGREED
    cancel = reverse("reviews:status", args=[review.pk, "cancel"])
    client = client_for("head")
    page = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert cancel in _foot(page) and cancel not in _next_steps(page)
    assert "Cancel this review" in _foot(page)
    assert "govuk-button--warning" not in page  # a link, not a red button among the steps
    confirm = client.get(cancel).content.decode()
    for shown in (review.host.name, review.cycle.label, "Report agreed", "Review day",
                  world.people["leader"].display_name, "Who is told",
                  "The review cannot be reopened", "No, keep the review"):
        assert shown in confirm, shown
    client.post(cancel, {"reason": "The school is closing."})
    review.refresh_from_db()
    assert review.status == Status.CANCELLED


def test_people_who_may_not_cancel_are_not_offered_it(world, client_for):
    page = client_for("champion").get(reverse("reviews:detail", args=[world.review.pk]))
    assert reverse("reviews:status", args=[world.review.pk, "cancel"]) not in \
        page.content.decode()


@pytest.mark.parametrize("persona", ["head", "lead", "champion"])
def test_close_is_not_suggested_before_the_impact_check_back(world, client_for, persona):
    review = world.review
    Review.objects.filter(pk=review.pk).update(
        status=Status.ACTING, checkback_on=timezone.localdate() + timedelta(days=30))
    url = reverse("reviews:detail", args=[review.pk])
    page = client_for(persona).get(url).content.decode()
    steps = _next_steps(page)
    assert "Close the review" not in page
    assert "Impact check-back on" in steps
    checkback = reverse("improvement:checkback", args=[review.pk])
    assert (checkback in steps) == (persona == "head")  # the host leaders record it
    CheckBack.objects.create(review=review, completed_at=timezone.now(),
                             completed_by=world.people["head"])
    page = client_for(persona).get(url).content.decode()
    assert "Close the review" in _next_steps(page)
    assert "Impact check-back on" not in page


def test_agreeing_the_report_marks_report_ready_for_your_check_read(
        world, django_capture_on_commit_callbacks):
    review = fresh_review(world, host="A3", status=Status.FEEDBACK_GIVEN,
                          key_question="How do pupils use feedback?")
    TeamMember.objects.create(review=review, user=world.people["leader"],
                              school=world.schools["A2"], role="lead", status="accepted")
    Finding.objects.create(review=review, working_well="Pupils respond to marking.")
    head = world.people["exec_head"]
    report = services.compile_report(review, by=world.people["leader"], summary="Summary")
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_report(report, by=world.people["leader"])
    note = Notification.objects.get(user=head, kind="review.report_check")
    assert note.read_at is None
    other = Notification.objects.create(user=head, kind="review.report_check",
                                        subject="Report ready for your check",
                                        url=reverse("reviews:report", args=[world.review.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_report(report, by=head)
    note.refresh_from_db()
    other.refresh_from_db()
    assert note.read_at is not None
    assert other.read_at is None  # another review's report is still to check


# The dates form ------------------------------------------------------------------------------

def _dates(review, **dates):
    return {"lock_version": review.lock_version, "review_days": review.review_days, **dates}


def test_saving_no_dates_stays_on_the_form_with_an_error(world, client_for):
    review = Review.objects.create(cycle=world.cycle, host=world.schools["A3"],
                                   framework_version=world.published)
    url = reverse("reviews:schedule", args=[review.pk])
    client = client_for("lead")
    response = client.post(url, _dates(review))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter at least the first review day" in page
    assert 'href="#id_review_starts_on"' in page
    assert "No dates changed" not in page and "govuk-notification-banner--success" not in page


def test_saving_the_same_dates_again_is_not_a_success(world, client_for):
    review = world.review
    response = client_for("lead").post(
        reverse("reviews:schedule", args=[review.pk]),
        _dates(review, review_starts_on=review.review_starts_on.isoformat(),
               pre_review_on=review.pre_review_on.isoformat()))
    assert response.status_code == 200
    assert "You have not changed any dates" in response.content.decode()


def test_the_dates_form_names_its_dates_without_a_typed_format_hint(world, client_for):
    review = world.other_review
    url = reverse("reviews:schedule", args=[review.pk])
    client = client_for("lead")
    page = client.get(url).content.decode()
    assert "Date data is shared" in page and ">Data sharing<" not in page
    assert "Dates for the review of A2 School" in page and "Dates for Review" not in page
    page = client.post(url, _dates(review, data_sharing_on="2027-02-30")).content.decode()
    assert "Date data is shared must be a real date" in page
    assert "for example 27 3 2027" not in page



def test_add_a_review_is_offered_only_while_a_school_has_none(world, client_for):
    """The cycle page offers "Add a review" while some school of the partnership has no
    review in the cycle; once every school has one it says so instead of leading to an empty
    list of schools."""
    from apps.reviews import schedule
    from apps.reviews.models import Review

    url = reverse("reviews:cycle", args=[world.cycle.pk])
    add = reverse("reviews:add_review", args=[world.cycle.pk])
    assert schedule.schools_without_review(world.cycle).exists()
    assert f'href="{add}"' in client_for("lead").get(url).content.decode()
    for school in schedule.schools_without_review(world.cycle):
        Review.objects.create(cycle=world.cycle, host=school)
    page = client_for("lead").get(url).content.decode()
    assert f'href="{add}"' not in page
    assert "Every school in the partnership has a review in this cycle" in page


def test_training_that_runs_out_before_the_review_is_said_in_the_future_tense():
    """"ran out" only for a date already past; training still in date today that ends before
    the review "runs out" (walkthrough of 7 December 2026, night, item 8)."""
    from apps.reviews import rulebook

    today = timezone.localdate()
    review_day = today + timedelta(days=60)
    future = rulebook.reviewer_training("Ann", today + timedelta(days=30), review_day)
    past = rulebook.reviewer_training("Ann", today - timedelta(days=3), review_day)
    assert future is not None and "runs out on" in future and "ran out" not in future
    assert past is not None and "ran out on" in past
    assert rulebook.reviewer_training("Ann", review_day, review_day) is None


def test_date_order_and_range_errors_are_whole_sentences_in_welsh(world):
    """A Welsh reader's date errors are Welsh sentences with Welsh months, not English frames
    around Welsh labels (walkthrough of 7 December 2026, night, item 1)."""
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from apps.reviews import services

    review = world.review
    first = review.cycle.first_day
    with translation.override("cy"):
        with pytest.raises(ValidationError) as order:
            services._check_step_dates(review, {"pre_review_on": first + timedelta(days=40),
                                                "review_starts_on": first + timedelta(days=30)})
        with pytest.raises(ValidationError) as outside:
            services._check_step_dates(review, {"workshop_on": first.replace(
                year=first.year + 3)})
    text = " ".join(m for e in (order, outside) for m in e.value.messages)
    assert "Ni all ‘diwrnod yr adolygiad’" in text and "Rhaid i ‘" in text
    for english in ("The ", "cannot be", "must be", "September", "October"):
        assert english not in text, english
    with pytest.raises(ValidationError) as english_order:
        services._check_step_dates(review, {"pre_review_on": first + timedelta(days=40),
                                            "review_starts_on": first + timedelta(days=30)})
    assert "cannot be before the pre-review meeting" in " ".join(english_order.value.messages)
