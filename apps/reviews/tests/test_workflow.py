"""The review's status machine: guards, who may act, history and audit — and a property test
that random sequences of steps by random people never reach an invalid state."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from apps.core.audit import AuditEvent
from apps.reviews import services, workflow
from apps.reviews.models import (
    OPEN_STATUSES,
    Activity,
    Finding,
    Report,
    Review,
    SelfReviewEntry,
    Status,
    StatusChange,
    TeamMember,
)
from tests.factories import RoleFactory, UserFactory

ORDER = [Status.PLANNED, Status.SELF_REVIEW, Status.ENQUIRY_AGREED, Status.SCHEDULED,
         Status.IN_REVIEW, Status.FEEDBACK_GIVEN, Status.REPORT_AGREED, Status.ACTING,
         Status.CLOSED]


def new_review(world, **extra) -> Review:
    extra.setdefault("framework_version", world.published)
    return Review.objects.create(cycle=world.cycle, host=world.schools["A3"],
                                 review_starts_on=timezone.localdate(), **extra)


def extra_reviewers(world):
    people = []
    for key in ("A1", "A4"):
        user = UserFactory(reviewer_trained_until=timezone.localdate() + timedelta(days=90))
        RoleFactory(user=user, role="school_leader", school=world.schools[key])
        people.append((user, world.schools[key]))
    return people


def form_team(review, world, extras):
    TeamMember.objects.create(review=review, user=world.people["leader"],
                              school=world.schools["A2"], role="lead", status="accepted")
    for user, school in extras:
        TeamMember.objects.create(review=review, user=user, school=school, role="reviewer",
                                  status="accepted")


def test_each_transition_names_who_and_what(world):
    review = new_review(world, framework_version=None)
    head_a3 = world.people["exec_head"]
    with pytest.raises(workflow.TransitionRefused, match="Choose the framework"):
        workflow.transition(review, "start_self_review", by=head_a3)
    with pytest.raises(PermissionDenied):
        workflow.transition(review, "start_self_review", by=world.people["staff"])
    review.framework_version = world.published
    review.save()
    workflow.transition(review, "start_self_review", by=head_a3)
    review.refresh_from_db()
    assert review.status == Status.SELF_REVIEW
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.transition(review, "agree_enquiry", by=head_a3)
    assert "Write the self-review (at least one theme)" in refused.value.reasons
    assert "Agree the key enquiry question" in refused.value.reasons
    change = StatusChange.objects.get(review=review)
    assert (change.from_status, change.to_status, change.by) == (
        "planned", "self_review", head_a3)
    assert AuditEvent.objects.filter(action="review.start_self_review",
                                     object_id=str(review.pk)).exists()


def test_postpone_needs_a_reason_and_resume_returns(world):
    review = new_review(world, status=Status.SCHEDULED)
    with pytest.raises(workflow.TransitionRefused, match="Give a reason"):
        workflow.transition(review, "postpone", by=world.people["lead"])
    workflow.transition(review, "postpone", by=world.people["lead"], reason="Snow day")
    review.refresh_from_db()
    assert (review.status, review.postponed_from, review.status_reason) == (
        "postponed", "scheduled", "Snow day")
    workflow.transition(review, "resume", by=world.people["exec_head"])
    review.refresh_from_db()
    assert review.status == "scheduled" and review.postponed_from == ""


def test_cannot_start_before_the_review_day(world):
    review = new_review(world, status=Status.SCHEDULED)
    review.review_starts_on = timezone.localdate() + timedelta(days=3)
    review.save()
    form_team(review, world, extra_reviewers(world))
    with pytest.raises(workflow.TransitionRefused, match="The review starts on"):
        workflow.transition(review, "start_review", by=world.people["leader"])


# The property test -----------------------------------------------------------------------

ACTORS = ["head", "leader", "lead", "core", "staff", "exec_head", "outsider", "associate"]
STEPS = ["write_self_review", "set_enquiry", "add_activity", "form_team", "write_findings",
         "send_report", "comment", "answer_comment", "hold_workshop", "check_back"]
RANDOM_ACTION = st.tuples(st.sampled_from(ACTORS),
                          st.sampled_from(list(workflow.TRANSITIONS) + STEPS), st.booleans())
# The way through, by the right people; random actions are mixed in between its steps so
# sequences reach the later states as well as wander.
HAPPY_PATH = [("exec_head", "start_self_review"), ("head", "write_self_review"),
              ("head", "set_enquiry"), ("head", "add_activity"),
              ("exec_head", "agree_enquiry"), ("lead", "form_team"), ("lead", "schedule"),
              ("leader", "start_review"), ("leader", "write_findings"),
              ("leader", "give_feedback"), ("leader", "send_report"), ("head", "comment"),
              ("exec_head", "agree_report"), ("leader", "answer_comment"),
              ("exec_head", "agree_report"), ("lead", "close"), ("head", "hold_workshop"),
              ("exec_head", "complete_workshop"), ("lead", "close"),
              ("exec_head", "check_back"), ("lead", "close")]


@st.composite
def actions(draw):
    if draw(st.booleans()):
        return draw(st.lists(RANDOM_ACTION, min_size=1, max_size=25))
    length = len(HAPPY_PATH) if draw(st.booleans()) else draw(
        st.integers(min_value=1, max_value=len(HAPPY_PATH)))
    out = []
    for persona, name in HAPPY_PATH[:length]:
        out += draw(st.lists(RANDOM_ACTION, max_size=1))
        out.append((persona, name, draw(st.booleans())))
    return out


def _do_step(step, review, world, extras):
    """Make some guard true, the way the pages would (through services where they exist)."""
    head = world.people["exec_head"]  # headteacher of A3, the host here
    if step == "write_self_review" and review.status in services.PLAN_STATUSES:
        SelfReviewEntry.objects.get_or_create(review=review, theme=None,
                                              defaults={"strengths": "Reading culture"})
    elif step == "set_enquiry" and review.status in services.PLAN_STATUSES:
        services.set_enquiry(review, by=head, key_question="How well do pupils reason?",
                             lines=[("How is talk planned?", None)])
    elif step == "add_activity":
        Activity.objects.get_or_create(review=review, kind="pupil_voice",
                                       on=timezone.localdate(), starts_at="09:00")
    elif step == "form_team" and not review.team.exists():
        form_team(review, world, extras)
    elif step == "write_findings":
        for line in [None, *review.lines.all()]:
            Finding.objects.update_or_create(review=review, line=line,
                                             defaults={"working_well": "Pupils explain."})
    elif step == "send_report" and review.status == Status.FEEDBACK_GIVEN:
        if not review.reports.filter(status__in=["draft", "checking"]).exists():
            services.compile_report(review, by=world.people["leader"], summary="Summary")
        report = review.reports.filter(status="draft").first()
        if report:
            services.submit_report(report, by=world.people["leader"])
    elif step == "comment":
        report = review.reports.filter(status="checking").first()
        if report:
            services.comment_on_report(report, by=head, text="A date is wrong")
    elif step == "hold_workshop" and review.status == Status.REPORT_AGREED:
        from apps.improvement.models import Action, Workshop

        Workshop.objects.get_or_create(review=review, defaults={
            "held_on": timezone.localdate(), "impact_plan": "Pupil voice in the summer"})
        if not review.actions.exists():
            action = Action.objects.create(review=review, title="Plan talk", owner=head,
                                           starts_on=timezone.localdate(),
                                           due_on=timezone.localdate(), success_criteria="x")
            action.findings.set(review.findings.all())
    elif step == "check_back" and review.status == Status.ACTING:
        from apps.improvement.models import CheckBack

        CheckBack.objects.get_or_create(review=review,
                                        defaults={"completed_at": timezone.now()})
    elif step == "answer_comment":
        for report in review.reports.filter(status="checking"):
            for c in report.comments.filter(resolved_at__isnull=True):
                services.resolve_comment(c, by=world.people["leader"], response="Fixed")


def _check_invariants(review):
    assert review.status in Status.values
    if review.status == Status.POSTPONED:
        assert review.postponed_from in OPEN_STATUSES and review.postponed_from != "postponed"
    else:
        assert review.postponed_from == ""
    reached = {c.to_status for c in review.history.all()} | {review.status}
    if reached & {Status.ENQUIRY_AGREED, Status.SCHEDULED, Status.IN_REVIEW}:
        assert review.enquiry_agreed_by_id is not None
    agreed = review.reports.filter(status=Report.State.AGREED).count()
    assert agreed <= 1
    if Status.REPORT_AGREED in reached:
        assert agreed == 1
    history = list(review.history.order_by("at", "id"))
    previous = Status.PLANNED
    for change in history:
        assert change.from_status == previous, "history is a chain"
        previous = change.to_status
    assert previous == review.status
    # Forward moves never skip a step.
    for change in history:
        if change.from_status in ORDER and change.to_status in ORDER:
            assert ORDER.index(change.to_status) == ORDER.index(change.from_status) + 1


@pytest.mark.django_db(transaction=False)
def test_random_sequences_never_reach_an_invalid_state(world):
    extras = extra_reviewers(world)
    reached = set()

    @settings(max_examples=80, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(actions())
    @example([(p, n, True) for p, n in HAPPY_PATH])
    @example([(p, n, False) for p, n in HAPPY_PATH[:8]] + [("lead", "postpone", True),
                                                         ("head", "resume", True)])
    def run(actions):
        with transaction.atomic():
            review = new_review(world)
            for persona, name, with_reason in actions:
                for person in world.people.values():  # rules cache team places per person
                    person.__dict__.pop("_pr_team", None)
                user = world.people[persona]
                if name in STEPS:
                    _do_step(name, review, world, extras)
                    continue
                t = workflow.TRANSITIONS[name]
                review.refresh_from_db()
                before = review.status
                allowed = review.status in t.sources and t.who.test(user, review)
                missing = t.guard(review) if review.status in t.sources else ["not from here"]
                if t.needs_reason and not with_reason:
                    missing = [*missing, "reason"]
                history_before = review.history.count()
                try:
                    workflow.transition(review, name, by=user,
                                        reason="Because" if with_reason else "")
                except PermissionDenied:
                    assert not allowed
                    succeeded = False
                except workflow.TransitionRefused:
                    assert not allowed or missing
                    succeeded = False
                else:
                    succeeded = True
                    assert allowed and not missing, f"{persona} made {name} past a guard"
                review.refresh_from_db()
                if succeeded:
                    assert review.history.count() == history_before + 1
                    if t.target:
                        assert review.status == t.target
                else:
                    assert review.status == before
                    assert review.history.count() == history_before
                _check_invariants(review)
                reached.add(review.status)
            transaction.set_rollback(True)

    run()
    # The test explored the whole machine, not just its first steps.
    assert {Status.REPORT_AGREED, Status.ACTING, Status.CLOSED, Status.POSTPONED} <= reached


def test_confirming_a_step_shows_what_it_commits_to(world, client_for):
    """Agreeing the enquiry shows the question, its lines and the visit plan; scheduling shows
    the day and the team, and never the enquiry's content to a lead who may not read it."""
    review = new_review(world, status=Status.SELF_REVIEW)
    head = world.people["exec_head"]
    services.set_enquiry(review, by=head, key_question="How well do pupils reason aloud?",
                         lines=[("How is talk planned across year groups?", None)])
    Activity.objects.create(review=review, kind="pupil_voice", on=timezone.localdate(),
                            starts_at="09:30", place="Library")
    SelfReviewEntry.objects.create(review=review, theme=None, strengths="Reading culture")
    page = client_for("exec_head").get(
        reverse("reviews:status", args=[review.pk, "agree_enquiry"])).content.decode()
    assert "How well do pupils reason aloud?" in page
    assert "How is talk planned across year groups?" in page
    assert "Library" in page and "9:30am" in page
    review.status = Status.ENQUIRY_AGREED
    review.save()
    form_team(review, world, extra_reviewers(world))
    page = client_for("lead").get(
        reverse("reviews:status", args=[review.pk, "schedule"])).content.decode()
    assert world.people["leader"].display_name in page and "Review day" in page
    assert "How well do pupils reason aloud?" not in page


def test_dates_outside_the_cycle_or_out_of_order_are_refused(world):
    """A step, an activity or a workshop dated outside the cycle's year, or a step before the
    one it follows, is an error naming the field, not a warning."""
    review = new_review(world)
    cycle = review.cycle
    with pytest.raises(ValidationError) as e:
        services.update_schedule(review, by=world.people["lead"],
                                 pre_review_on=cycle.last_day + timedelta(days=1))
    assert "pre_review_on" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.update_schedule(review, by=world.people["lead"],
                                 feedback_on=review.review_starts_on - timedelta(days=1))
    assert "cannot be before the review day" in str(e.value.error_dict["feedback_on"])
    # The check-back may come in the following autumn.
    services.update_schedule(review, by=world.people["lead"],
                             checkback_on=cycle.last_day + timedelta(days=60))
    with pytest.raises(ValidationError) as e:
        services.save_activity(review, by=world.people["head"], kind="pupil_voice",
                               on=cycle.first_day - timedelta(days=1), starts_at="09:00")
    assert "on" in e.value.error_dict


def test_the_host_sees_the_next_step_others_take_beside_their_own(world, client_for):
    """In review, the host head can only postpone or cancel (at the foot of the page); the
    page still says what comes next and who takes it (the lead reviewer marks feedback as
    given)."""
    from apps.reviews.models import Review, Status

    Review.objects.filter(pk=world.review.pk).update(status=Status.IN_REVIEW)
    page = client_for("head").get(reverse("reviews:detail", args=[world.review.pk])) \
        .content.decode()
    assert "Next, by others:" in page and "Mark feedback as given" in page


def test_a_review_past_its_feedback_cannot_be_postponed(world, client_for):
    """Nothing is left to put off once feedback is given: no Postpone on the page, and the
    workflow refuses it (the walkthrough found Postpone offered weeks after a review day)."""
    review = new_review(world, status=Status.FEEDBACK_GIVEN)
    with pytest.raises(workflow.TransitionRefused):
        workflow.transition(review, "postpone", by=world.people["lead"], reason="Too late")
    page = client_for("lead").get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert reverse("reviews:status", args=[review.pk, "postpone"]) not in page
