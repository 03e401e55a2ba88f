"""Fixes from a security review of the review cycle: races, leaks and bad input."""

from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.core.logging import redact
from apps.reviews import calendar, services
from apps.reviews.models import Report, Review, Status, TeamMember
from conftest import TOTP_SECRET, sign_in
from tests.factories import RoleFactory, UserFactory


def test_a_withdrawn_invitation_cannot_be_accepted(world):
    # A week after A1's review, which the leader leads: free that day.
    review = Review.objects.create(cycle=world.cycle, host=world.schools["A3"],
                                   review_starts_on=timezone.localdate() + timedelta(days=7))
    member = services.invite_to_team(review, world.people["leader"], "reviewer",
                                     by=world.people["lead"])
    stale = TeamMember.objects.get(pk=member.pk)  # loaded by the accept page
    services.remove_from_team(member, by=world.people["lead"])
    with pytest.raises(ValidationError, match="already been answered or withdrawn"):
        services.respond_to_invitation(stale, by=world.people["leader"], accept=True)
    assert TeamMember.objects.get(pk=member.pk).status == "removed"


def test_accepting_rechecks_eligibility(world):
    # A week after A1's review, which the leader leads: free that day.
    review = Review.objects.create(cycle=world.cycle, host=world.schools["A3"],
                                   review_starts_on=timezone.localdate() + timedelta(days=7))
    member = services.invite_to_team(review, world.people["leader"], "reviewer",
                                     by=world.people["lead"])
    world.people["leader"].reviewer_trained_until = timezone.localdate() - timedelta(days=1)
    world.people["leader"].save()
    with pytest.raises(ValidationError, match="training"):
        services.respond_to_invitation(member, by=world.people["leader"], accept=True)


def test_host_keeps_its_review_after_leaving_the_partnership(world, client):
    world.memberships["A1"].left_on = timezone.localdate() - timedelta(days=1)
    world.memberships["A1"].save()
    sign_in(client, world.people["head"])
    assert client.get(reverse("reviews:report", args=[world.review.pk])).status_code == 200
    assert client.get(reverse("reviews:index")).status_code == 200


def test_concern_about_a_head_with_no_officer_alerts_the_core_team(
        world, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        services.raise_concern(world.review, by=world.people["leader"], text="About the head",
                               about_headteacher=True)
    assert [m.to[0] for m in mailoutbox] == [world.people["core"].email]
    assert "About the head" not in mailoutbox[0].body


def test_an_officer_who_is_the_host_head_never_sees_a_concern_about_them(world, client):
    RoleFactory(user=world.people["head"], role="safeguarding_officer")
    TOTP.activate(world.people["head"], TOTP_SECRET)  # the officer's role requires one
    concern = services.raise_concern(world.review, by=world.people["leader"],
                                     text="About the head", about_headteacher=True)
    sign_in(client, world.people["head"])
    url = reverse("reviews:safeguarding_detail", args=[concern.pk])
    assert client.get(url).status_code == 404
    officer = UserFactory()
    RoleFactory(user=officer, role="safeguarding_officer")
    TOTP.activate(officer, TOTP_SECRET)
    client.logout()
    sign_in(client, officer)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("path, data", [
    ("evidence", {"line": "²"}), ("evidence", {"line": "99999999999999999999999"}),
    ("enquiry", {"use": "²"}), ("enquiry", {"use": "99999999999999999999999"}),
])
def test_odd_ids_in_query_strings_are_ignored(world, client, path, data):
    sign_in(client, world.people["head"])
    assert client.get(reverse(f"reviews:{path}", args=[world.review.pk]), data).status_code \
        == 200


def test_odd_ids_in_forms_get_a_message(world, client):
    sign_in(client, world.people["lead"])
    response = client.post(reverse("reviews:team", args=[world.review.pk]), {"user": "²"},
                           follow=True)
    assert response.status_code == 200 and "Choose a person to invite" in \
        response.content.decode()
    client.logout()
    sign_in(client, world.people["head"])
    assert client.post(reverse("reviews:sharing", args=[world.review.pk]),
                       {"withdraw": "²"}).status_code == 200
    assert client.get(reverse("reviews:add_review", args=[world.cycle.pk]),
                      {"school": "abc"}).status_code == 403  # a head does not manage cycles


def test_draft_framework_questions_are_not_offered(world, client):
    draft_question = world.draft.themes.first().questions.first()
    draft_question_text = "A draft-only question"
    type(draft_question).objects.filter(pk=draft_question.pk).update(text=draft_question_text)
    Review.objects.filter(pk=world.other_review.pk).update(framework_version=world.published)
    sign_in(client, world.people["leader"])  # leader leads A2, the other review's host
    page = client.get(reverse("reviews:enquiry", args=[world.other_review.pk]),
                      {"use": draft_question.pk}).content.decode()
    assert draft_question_text not in page


def test_only_accepted_members_get_the_calendar(world):
    review = Review.objects.create(cycle=world.cycle, host=world.schools["A3"],
                                   review_starts_on=timezone.localdate() + timedelta(days=7),
                                   meeting_link="https://meet.example/abc", mode="virtual")
    member = services.invite_to_team(review, world.people["leader"], "reviewer",
                                     by=world.people["lead"])
    url = reverse("reviews:detail", args=[review.pk])
    assert url not in {e.url for e in calendar.events_for_user(world.people["leader"])}
    services.respond_to_invitation(member, by=world.people["leader"], accept=True)
    events = [e for e in calendar.events_for_user(world.people["leader"]) if e.url == url]
    assert events and events[0].location == "https://meet.example/abc"


def test_the_head_accepts_only_the_version_they_read(world):
    review = Review.objects.create(cycle=world.cycle, host=world.schools["A3"],
                                   status=Status.FEEDBACK_GIVEN, key_question="Q")
    TeamMember.objects.create(review=review, user=world.people["leader"],
                              school=world.schools["A2"], role="lead", status="accepted")
    report = services.compile_report(review, by=world.people["leader"], summary="One")
    services.submit_report(report, by=world.people["leader"])
    read = Report.objects.get(pk=report.pk).lock_version
    services.compile_report(review, by=world.people["leader"], summary="Changed after")
    with pytest.raises(services.EditConflict):
        services.accept_report(Report.objects.get(pk=report.pk), by=world.people["exec_head"],
                               expected_version=read)


def test_calendar_feed_secrets_are_redacted_in_logs():
    assert redact("GET /calendar/abcDEF123.ics") == "GET /calendar/[redacted]"


def test_a_new_password_revokes_api_tokens_and_the_calendar_feed(world):
    from allauth.account import signals

    from apps.accounts.api_tokens import create_token, user_for_token
    from apps.notifications.services import calendar_token_for, user_for_calendar_token

    head = world.people["head"]
    _, secret = create_token(head, "Integration", by=head)
    feed = calendar_token_for(head)
    signals.password_changed.send(sender=type(head), request=None, user=head)
    assert user_for_token(secret) is None
    assert user_for_calendar_token(feed) is None


@pytest.mark.parametrize("accept", [True, False])
def test_an_answered_invitation_no_longer_waits_unread(world, accept,
                                                       django_capture_on_commit_callbacks):
    """"Please accept or decline" is dealt with once the person answers (or is taken off the
    team): it does not stay unread in their notifications."""
    from apps.notifications.models import Notification

    review = Review.objects.create(cycle=world.cycle, host=world.schools["A3"],
                                   review_starts_on=timezone.localdate() + timedelta(days=7))
    leader, other = world.people["leader"], world.people["reviewer2"]
    with django_capture_on_commit_callbacks(execute=True):
        member = services.invite_to_team(review, leader, "reviewer", by=world.people["lead"])
        second = services.invite_to_team(review, other, "reviewer", by=world.people["lead"])

    def waiting(person) -> int:
        return Notification.objects.filter(user=person, kind="review.team_invitation",
                                           read_at__isnull=True).count()

    assert waiting(leader) == 1 and waiting(other) == 1
    services.respond_to_invitation(member, by=leader, accept=accept,
                                   reason="" if accept else "Ofsted that week")
    assert waiting(leader) == 0 and waiting(other) == 1  # only the answered one
    services.remove_from_team(second, by=world.people["lead"], reason="Plans changed")
    assert waiting(other) == 0
