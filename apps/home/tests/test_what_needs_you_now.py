"""The home page surfaces what is time-limited or urgent for the person (issue 15)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from apps.improvement.models import Action
from apps.reviews.models import Report
from apps.training.models import Booking


def test_a_place_offered_from_the_waiting_list_is_first_in_training(world, client_for):
    leader = world.people["leader"]
    Booking.objects.create(session=world.open_session, user=leader,
                           status=Booking.State.OFFERED, offered_at=timezone.now(),
                           offer_expires_at=timezone.now() + timedelta(hours=20))
    page = client_for("leader").get("/").content.decode()
    assert f"Take or turn down the place offered to you on {world.open_session.label}" in page
    assert " by " in page


def test_a_report_waiting_for_the_heads_check(world, client_for):
    review = world.review
    number = (review.reports.order_by("-number").values_list("number", flat=True).first()
              or 0) + 1
    review.reports.exclude(status=Report.State.AGREED).update(status=Report.State.SUPERSEDED)
    Report.objects.create(review=review, number=number, status=Report.State.CHECKING)
    page = client_for("head").get("/").content.decode()
    assert f"Check version {number} of the report on A1 School’s review for factual " \
        "accuracy" in page
    # Only the headteacher checks it: not the other staff of the school.
    assert "for factual accuracy" not in client_for("staff").get("/").content.decode()


def test_actions_due_soon_are_tagged(world, client_for):
    review = world.review
    staff = world.people["staff"]
    Action.objects.create(review=review, title="Plan talk in maths", owner=staff,
                          starts_on=timezone.localdate(),
                          due_on=timezone.localdate() + timedelta(days=5))
    page = client_for("staff").get("/").content.decode()
    # Named, with its date and a link to the action's page, where it can be updated.
    assert "Update ‘Plan talk in maths’ (due " in page
    action = Action.objects.get(title="Plan talk in maths")
    assert reverse("improvement:action", args=[action.pk]) in page


def test_owned_actions_are_counted_in_one_query(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    review = world.review
    staff = world.people["staff"]
    today = timezone.localdate()
    Action.objects.filter(owner=staff).delete()  # the world's own, so the counts are exact
    for title, due, status in [("Late", -3, Action.State.IN_PROGRESS),
                               ("Soon", 5, Action.State.NOT_STARTED),
                               ("Later", 60, Action.State.NOT_STARTED),
                               ("Finished", -10, Action.State.DONE)]:
        Action.objects.create(review=review, title=title, owner=staff, starts_on=today,
                              due_on=today + timedelta(days=due), status=status)
    client = client_for("staff")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/").content.decode()
    assert "You own 3 open actions; the next is due on" in page
    assert "Update ‘Late’ (due " in page and "Update ‘Soon’ (due " in page
    assert "Update ‘Later’" not in page and "Update ‘Finished’" not in page
    action_queries = [q["sql"] for q in queries.captured_queries
                      if 'FROM "improvement_action"' in q["sql"]]
    assert len(action_queries) == 1, action_queries


def test_lapsed_training_links_to_a_refresher_or_the_place_booked(world, client_for):
    """A lapsed Improvement Champion is asked to book a refresher, in their role's words, with
    a link; once booked on one, home names the session instead."""
    from django.urls import reverse

    from apps.training.models import Grants

    champion = world.people["champion"]
    champion.champion_trained_until = timezone.localdate() - timedelta(days=3)
    champion.save()
    page = client_for("champion").get("/").content.decode()
    assert "Book Improvement Champion refresher training: yours lapsed on" in page
    assert f'href="{reverse("training:catalogue")}"' in page
    course = world.open_session.course
    course.grants = Grants.CHAMPION
    course.save()
    Booking.objects.create(session=world.open_session, user=champion,
                           status=Booking.State.BOOKED)
    page = client_for("champion").get("/").content.decode()
    assert f"You are booked on {world.open_session.label}" in page
    assert "Book Improvement Champion refresher training" not in page


def test_the_lead_sees_reviews_without_dates_and_teams_not_formed(world, client_for):
    """The partnership lead's home lists this year's reviews with no dates, and reviews in
    the next eight weeks whose team has not yet accepted, each linked to where to act."""
    from django.urls import reverse

    from apps.reviews.models import Review, Status

    today = timezone.localdate()
    undated = Review.objects.create(cycle=world.cycle, host=world.schools["A3"],
                                    status=Status.PLANNED)
    soon = Review.objects.create(cycle=world.cycle, host=world.schools["A4"],
                                 status=Status.ENQUIRY_AGREED,
                                 review_starts_on=today + timedelta(days=20))
    page = client_for("lead").get("/").content.decode()
    assert f"Set dates for {undated.host.name}’s review" in page
    assert reverse("reviews:schedule", args=[undated.pk]) in page
    assert f"Find reviewers for {soon.host.name}’s review on " in page
    assert "0 of 3 have accepted" in page
    assert reverse("reviews:team", args=[soon.pk]) in page
