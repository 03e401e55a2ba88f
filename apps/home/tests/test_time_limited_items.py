"""Home shows what is time-limited for the person it concerns, worded as the next step with
its date (issue 15; walkthrough of 7 December 2026, items 1 and 2): a support match waiting
for their school's confirmation, the Improvement Workshop coming up, a survey to answer,
review day, the impact check-back, the sessions a trainer runs and a safeguarding concern
for the school's designated safeguarding lead.

Each item's test plants a unique marker (a school's, survey's or session's name) and reads
home as the people who must not see it."""

from datetime import timedelta

from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role
from apps.reviews.models import Review, Status, TeamMember
from conftest import TOTP_SECRET
from tests.factories import MembershipFactory, RoleFactory, SchoolFactory, UserFactory

# People of the shared world with nothing to do with the planted item.
NOT_CONCERNED = ["outsider", "exec_head", "staff", "evaluator", "core", "associate",
                 "alumnus", "norole"]


def _home(client_for, persona: str) -> str:
    return client_for(persona).get("/").content.decode()


def _as(client_for, user) -> str:
    from conftest import sign_in

    client = client_for("anonymous")
    sign_in(client, user)
    return client.get("/").content.decode()


def _hidden_from(client_for, marker: str, personas) -> None:
    for persona in personas:
        assert marker not in _home(client_for, persona), persona


def _school_with_head(world, marker: str):
    school = SchoolFactory(name=f"{marker} Primary School")
    MembershipFactory(partnership=world.alpha, school=school)
    head = UserFactory(email=f"head.{marker.lower()}@test.example", full_name="Marked Head")
    RoleFactory(user=head, role=Role.HEADTEACHER, school=school)
    return school, head


def _review(world, marker: str, status: str, **dates):
    """A review of a new school named ``marker`` in Alpha's cycle, with reviewer2 as its lead
    reviewer and the world's champion as its Improvement Champion."""
    school, head = _school_with_head(world, marker)
    review = Review.objects.create(cycle=world.cycle, host=school, status=status, **dates)
    TeamMember.objects.create(review=review, user=world.people["reviewer2"],
                              school=world.schools["A4"], role=TeamMember.Role.LEAD,
                              status=TeamMember.State.ACCEPTED)
    TeamMember.objects.create(review=review, user=world.people["champion"],
                              school=world.schools["A3"], role=TeamMember.Role.CHAMPION,
                              status=TeamMember.State.ACCEPTED)
    return review, head


def test_a_support_match_waits_for_each_school_until_it_confirms(world, client_for):
    from apps.support.models import SupportMatch, SupportRequest

    provider, provider_head = _school_with_head(world, "Quillfeather")
    request = SupportRequest.objects.create(action=world.action, school=world.schools["A1"],
                                            partnership=world.alpha,
                                            need="Help with reading buddies",
                                            status=SupportRequest.State.MATCHED)
    match = SupportMatch.objects.create(request=request, provider_school=provider,
                                        brokered_by=world.people["lead"])
    url = reverse("support:match_detail", args=[match.pk])
    head = _home(client_for, "head")
    assert "Confirm the support Quillfeather Primary School offers A1 School" in head
    assert url in head
    provider_page = _as(client_for, provider_head)
    assert "Confirm that Quillfeather Primary School will support A1 School" in provider_page
    # Each school is asked only for its own side; the lead who brokered it sees it waiting.
    assert "Confirm the support" not in provider_page and "Confirm that" not in head
    lead = _home(client_for, "lead")
    assert "Remind both schools to confirm the support Quillfeather Primary School offers " \
        "A1 School" in lead
    assert "Confirm the support" not in lead and "Confirm that" not in lead
    _hidden_from(client_for, "Quillfeather", [*NOT_CONCERNED, "leader", "champion",
                                               "reviewer2"])
    # Once the host has confirmed, only the provider (and the lead) are still asked.
    match.host_confirmed_at = timezone.now()
    match.save()
    assert "Confirm the support" not in _home(client_for, "head")
    assert "Confirm that Quillfeather" in _as(client_for, provider_head)
    assert "Remind Quillfeather Primary School to confirm its support for A1 School" in _home(
        client_for, "lead")
    match.status = SupportMatch.State.CONFIRMED
    match.provider_confirmed_at = timezone.now()
    match.save()
    assert "Quillfeather" not in _home(client_for, "lead")


def test_the_workshop_in_the_next_fortnight_for_the_host_and_its_champion(world, client_for):
    from apps.improvement.models import Workshop

    today = timezone.localdate()
    review, head = _review(world, "Larchwater", Status.REPORT_AGREED,
                           review_starts_on=today - timedelta(days=10),
                           workshop_on=today + timedelta(days=4))
    # Planned in the cycle, not yet arranged: both are asked to agree the time and place.
    page = _as(client_for, head)
    assert "Agree the time and place of Larchwater Primary School’s Improvement Workshop, " \
        "planned for" in page and "with your Improvement Champion" in page
    assert reverse("improvement:workshop_when", args=[review.pk]) in page
    assert "Agree the time and place of the Improvement Workshop at Larchwater Primary " \
        "School" in _home(client_for, "champion")
    # Arranged: the day and time, for the host's head and the champion who runs it.
    day = today + timedelta(days=3)
    Workshop.objects.create(review=review, held_on=day, starts_at="15:30")
    page = _as(client_for, head)
    assert ("Agree your first actions with your Improvement Champion at Larchwater Primary "
            f"School’s Improvement Workshop on {day:%A %-d %B} at 3:30pm" in page)
    assert f"Run the Improvement Workshop at Larchwater Primary School on {day:%A %-d %B} " \
        "at 3:30pm" in _home(client_for, "champion")
    _hidden_from(client_for, "Larchwater", [*NOT_CONCERNED, "head", "leader"])
    # Further off than a fortnight, it is not yet the next thing to do.
    Workshop.objects.filter(review=review).update(held_on=today + timedelta(days=30))
    page = _as(client_for, head)
    assert "Agree your first actions" not in page
    assert ("Hold Larchwater Primary School’s Improvement Workshop with your Improvement "
            f"Champion on {today + timedelta(days=30):%A %-d %B}") in page


def test_review_day_for_the_host_and_the_team(world, client_for):
    today = timezone.localdate()
    review, head = _review(world, "Mossgrove", Status.IN_REVIEW, review_starts_on=today)
    page = _as(client_for, head)
    assert "Review day at Mossgrove Primary School: the review team is with you" in page
    lead = _home(client_for, "reviewer2")
    assert "Review day at Mossgrove Primary School: record your evidence, then write the " \
           "feedback and mark it given." in lead
    assert reverse("reviews:evidence", args=[review.pk]) in lead
    assert "Review day at Mossgrove" in _home(client_for, "champion")
    _hidden_from(client_for, "Mossgrove", [*NOT_CONCERNED, "head", "leader"])
    # The second of two review days is still review day; the day after is not.
    Review.objects.filter(pk=review.pk).update(review_starts_on=today - timedelta(days=1),
                                               review_days=2)
    assert "Review day at Mossgrove" in _as(client_for, head)
    Review.objects.filter(pk=review.pk).update(review_days=1)
    assert "Review day at" not in _as(client_for, head)


def test_the_impact_check_back_due_for_the_champion_and_the_host(world, client_for):
    from apps.improvement.models import CheckBack

    today = timezone.localdate()
    due = today + timedelta(days=6)
    review, head = _review(world, "Thistledown", Status.ACTING,
                           review_starts_on=today - timedelta(days=60), checkback_on=due)
    champion_home = _home(client_for, "champion")
    assert ("Go through the action plan with Thistledown Primary School’s leaders before the "
            f"impact check-back on {due:%A %-d %B}") in champion_home
    # The champion may not record the check-back: their link is to the plan, which they may
    # open (the link on their home never leads to a refusal).
    assert reverse("improvement:checkback", args=[review.pk]) not in champion_home
    plan = reverse("improvement:plan", args=[review.pk])
    assert plan in champion_home
    assert client_for("champion").get(plan).status_code == 200
    page = _as(client_for, head)
    assert f"Hold the impact check-back at Thistledown Primary School on {due:%A %-d %B}" \
        in page and reverse("improvement:checkback", args=[review.pk]) in page
    _hidden_from(client_for, "Thistledown", [*NOT_CONCERNED, "head", "leader"])
    # Late: still shown, as overdue; completed: gone.
    Review.objects.filter(pk=review.pk).update(checkback_on=today - timedelta(days=2))
    assert "for the impact check-back, due on" in _home(client_for, "champion")
    CheckBack.objects.create(review=review, completed_at=timezone.now())
    assert "impact check-back" not in _home(client_for, "champion")


def test_a_survey_to_answer_until_it_is_answered_or_closed(world, client_for):
    from apps.impact.models import Survey, Wave, WaveInvite

    survey = Survey.objects.create(title="Wrenfold survey")
    wave = Wave.objects.create(survey=survey, kind=Wave.Kind.YEAR1)
    invite = WaveInvite.objects.create(wave=wave, user=world.people["staff"],
                                       partnership=world.alpha, role_group="staff",
                                       token="wrenfold-token")
    page = _home(client_for, "staff")
    # A wave has no closing date: the item says so in words (no "None").
    assert "Answer the survey “Wrenfold survey” for the end of year 1: it opened on " in page
    assert "has no closing date yet" in page
    assert reverse("impact:my_surveys") in page
    _hidden_from(client_for, "Wrenfold", [p for p in NOT_CONCERNED if p != "staff"]
                 + ["head", "leader", "lead"])
    WaveInvite.objects.filter(pk=invite.pk).update(answered=True)
    assert "Wrenfold" not in _home(client_for, "staff")
    WaveInvite.objects.filter(pk=invite.pk).update(answered=False)
    Wave.objects.filter(pk=wave.pk).update(closed_at=timezone.now())
    assert "Wrenfold" not in _home(client_for, "staff")


def test_a_trainer_sees_the_sessions_they_run_with_places_and_the_waiting_list(world,
                                                                              client_for):
    from apps.training import models as t

    now = timezone.now()
    starts = now + timedelta(days=5)
    session = t.Session.objects.create(course=world.course, title="Bracken cohort",
                                       capacity=1, booking_deadline=starts - timedelta(days=1))
    t.SessionPart.objects.create(session=session, starts_at=starts,
                                 ends_at=starts + timedelta(hours=3))
    session.trainers.add(world.people["trainer"])
    t.Booking.objects.create(session=session, user=world.people["leader"], status="booked")
    t.Booking.objects.create(session=session, user=world.people["reviewer2"],
                             status="waiting", position=1)
    page = _home(client_for, "trainer")
    local = timezone.localtime(starts)
    hour = f"{local.hour % 12 or 12}" + (f":{local.minute:02d}" if local.minute else "")
    assert (f"Run Peer reviewer training – Bracken cohort on {local:%A %-d %B} at "
            f"{hour}{'am' if local.hour < 12 else 'pm'}: 1 of 1 place taken, 1 on the "
            "waiting list" in page)
    assert reverse("training:session", args=[session.pk]) in page
    # People booked on it are delegates, not trainers.
    _hidden_from(client_for, "Bracken", [*NOT_CONCERNED, "leader", "reviewer2", "head"])
    # On the day, the register.
    # Half an hour ago, but never before midnight: the register is "today" whenever the
    # tests run.
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    t.SessionPart.objects.filter(session=session).update(
        starts_at=max(now - timedelta(minutes=30), midnight), ends_at=now + timedelta(hours=2))
    page = _home(client_for, "trainer")
    assert "Take the register at Peer reviewer training – Bracken cohort today" in page
    assert reverse("training:register_attendance", args=[session.pk]) in page
    # A cancelled session is not shown.
    t.Session.objects.filter(pk=session.pk).update(cancelled_at=now)
    assert "Bracken" not in _home(client_for, "trainer")


def test_a_concern_waits_for_the_schools_designated_safeguarding_lead(world, client_for):
    """A concern that is not about the headteacher waits on the home page of the host
    school's DSL (and headteacher), and of no one else."""
    dsl = UserFactory(email="dsl@test.example", full_name="Dsl Person")
    RoleFactory(user=dsl, role=Role.DSL, school=world.schools["A1"])
    other_dsl = UserFactory(email="dsl.b1@test.example", full_name="Other Dsl")
    RoleFactory(user=other_dsl, role=Role.DSL, school=world.schools["B1"])
    for person in (dsl, other_dsl):  # a DSL's role requires an authenticator app
        TOTP.activate(person, TOTP_SECRET)
    url = reverse("reviews:safeguarding_detail", args=[world.concern.pk])
    page = _as(client_for, dsl)
    assert "Safeguarding concerns waiting for you" in page and url in page
    assert url in _home(client_for, "head")
    assert url not in _as(client_for, other_dsl)
    for persona in ["staff", "leader", "champion", "lead", "outsider", "exec_head", "core",
                    "associate", "evaluator"]:
        assert url not in _home(client_for, persona), persona
    # Read: no longer waiting.
    world.concern.acknowledged_at = timezone.now()
    world.concern.save()
    assert url not in _as(client_for, dsl)


def test_the_host_schools_review_is_worded_as_its_next_step_with_its_date(world,
                                                                         client_for):
    today = timezone.localdate()
    meeting = today + timedelta(days=20)
    review, head = _review(world, "Saltcote", Status.SELF_REVIEW, pre_review_on=meeting)
    page = _as(client_for, head)
    day = f"{meeting:%A} {meeting.day} {meeting:%B}"
    assert f"Finish Saltcote Primary School’s self-review before the pre-review meeting on {day}" \
        in page
    assert reverse("reviews:detail", args=[review.pk]) in page
    Review.objects.filter(pk=review.pk).update(status=Status.PLANNED, pre_review_on=None)
    page = _as(client_for, head)
    assert "Start Saltcote Primary School’s self-review; no dates are set for the review yet" \
        in page
    _hidden_from(client_for, "Saltcote", [*NOT_CONCERNED, "head", "leader"])
