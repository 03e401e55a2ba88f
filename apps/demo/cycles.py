"""Take a demo review through its steps with the product's own services, each step on the
day it would have happened (``apps.demo.clock``), so its status history, audit log,
notifications and reports read as a year of real work.

``run(review, story, stage, plan)`` stops once the review has reached ``stage``. The team is
chosen as a partnership lead would: the first people in ``plan.pool`` whom the team rules
(``apps.reviews.teams.candidate_problems``) allow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

from django.utils import timezone

from apps.accounts.models import User
from apps.improvement import services as improvement
from apps.reviews import services as reviews
from apps.reviews import teams, workflow
from apps.reviews.models import Review, TeamMember

from .clock import at, moment

ORDER = ["planned", "self_review", "enquiry_agreed", "scheduled", "in_review",
         "feedback_given", "report_agreed", "acting", "closed"]


def weekday(day: date, step: int = -1) -> date:
    """``day``, or the nearest weekday before it (``step`` -1) or after it (1)."""
    while day.weekday() >= 5:
        day += timedelta(days=step)
    return day


# The demo's school holidays (the terms ``programme`` records for each partnership).
HOLIDAYS = [((12, 20), (12, 31)), ((1, 1), (1, 5)), ((3, 28), (4, 13)), ((7, 23), (9, 2))]


def school_day(day: date, step: int = -1) -> date:
    """``day``, or the nearest weekday in term before it (``step`` -1) or after it (1)."""
    day = weekday(day, step)
    while any(first <= (day.month, day.day) <= last for first, last in HOLIDAYS):
        day = weekday(day + timedelta(days=step), step)
    return day


@dataclass
class Plan:
    """When a review's steps happen and who takes them."""

    review_day: date | None
    lead: User  # the partnership lead
    head: User  # the host headteacher
    pool: list[User]  # people to ask onto the team, in order
    champions: list[User]
    reviewers: int = 3  # including the lead reviewer
    workshop_after: int = 14
    checkback_after: int = 60
    accepted: int | None = None  # how many of the team have accepted (None: all)
    team: list[User] = field(default_factory=list)
    # Called once the workshop is complete, before the progress updates (support asked
    # for while the actions are open).
    after_workshop: Callable[[Review], None] | None = None

    def day(self, offset: int, step: int = -1) -> date:
        assert self.review_day is not None
        return school_day(self.review_day + timedelta(days=offset), step)

    @property
    def on(self) -> date:
        """The review day (the steps that use it come after it is set)."""
        assert self.review_day is not None
        return self.review_day

    def schedule(self) -> dict[str, Any]:
        if self.review_day is None:
            return {}
        return {"data_sharing_on": self.day(-35), "pre_review_on": self.day(-14),
                "review_starts_on": self.review_day, "feedback_on": self.review_day,
                "workshop_on": self.day(self.workshop_after, 1),
                "checkback_on": self.day(self.workshop_after + self.checkback_after, 1)}


def reached(stage: str, target: str) -> bool:
    return ORDER.index(target) >= ORDER.index(stage)


def run(review: Review, story: dict[str, Any], target: str, plan: Plan) -> Review:
    steps = [("self_review", _self_review), ("enquiry_agreed", _enquiry),
             ("scheduled", form_team), ("in_review", _review_day),
             ("feedback_given", _feedback), ("report_agreed", _report),
             ("acting", _workshop), ("closed", _checkback)]
    added = timezone.localdate(review.created_at)
    with at(max(plan.day(-60), added) if plan.review_day else max(_before_today(3), added)):
        # Every step inside the cycle's school year (the platform refuses others): a review
        # early in the autumn shares its data on the first day of the year.
        first, last = review.cycle.first_day, review.cycle.last_day
        schedule = {k: min(max(v, first), last) if k != "checkback_on" else max(v, first)
                    for k, v in plan.schedule().items()}
        if schedule:
            reviews.update_schedule(review, by=plan.lead, **schedule)
    for stage, step in steps:
        if not reached(stage, target):
            break
        step(review, story, plan)
        review.refresh_from_db()
    return review


def _before_today(days: int) -> date:
    return weekday(timezone.localdate() - timedelta(days=days))


def _self_review(review: Review, story: dict, plan: Plan) -> None:
    with at(moment(plan.day(-35) if plan.review_day else _before_today(2), 9)):
        workflow.transition(review, "start_self_review", by=plan.head)
    themes = list(review.framework_version.themes.all()) if review.framework_version else []
    with at(moment(plan.day(-30) if plan.review_day else _before_today(1), 16)):
        for position, strengths, areas in story.get("self", []):
            theme = themes[position - 1] if position and themes else None
            reviews.save_self_review(review, theme, by=plan.head, strengths=strengths,
                                     areas_to_develop=areas)


def _enquiry(review: Review, story: dict, plan: Plan) -> None:
    with at(moment(plan.day(-16), 15, 30)):
        reviews.set_enquiry(review, by=plan.head, key_question=story["question"],
                            lines=[(text, None) for text in story.get("lines", [])])
        for kind, hour, place, people in story["activities"]:
            reviews.save_activity(review, by=plan.head, kind=kind, on=plan.review_day,
                                  starts_at=time(hour, 0), ends_at=time(hour, 50),
                                  place=place, people=people)
    with at(moment(plan.day(-14), 16)):
        workflow.transition(review, "agree_enquiry", by=plan.head)


def _places(person: User, review: Review) -> int:
    return TeamMember.objects.filter(user=person, status__in=["invited", "accepted"],
                                     review__cycle__start_year=review.cycle.start_year).count()


def _invite(review: Review, plan: Plan, role: str, people: list[User]) -> User:
    """Ask the first person the team rules allow, those with fewest places this year
    first (as a lead spreads the load)."""
    why = []
    for person in sorted(people, key=lambda p: _places(p, review)):
        problems = [] if person not in plan.team else ["already asked"]
        problems = problems or teams.candidate_problems(review, person, role)
        if problems:
            why.append(f"{person}: {'; '.join(problems)}")
            continue
        reviews.invite_to_team(review, person, role, by=plan.lead)
        plan.team.append(person)
        return person
    raise RuntimeError(f"Nobody to ask as {role} for {review.host} on {review.review_starts_on}:"
                       "\n" + "\n".join(why))


def form_team(review: Review, story: dict, plan: Plan) -> None:
    with at(moment(plan.day(-13), 9)):
        # The champion first: their school then stays off the team.
        _invite(review, plan, TeamMember.Role.CHAMPION, plan.champions)
        _invite(review, plan, TeamMember.Role.LEAD, plan.pool)
        for _ in range(plan.reviewers - 1):
            _invite(review, plan, TeamMember.Role.REVIEWER, plan.pool)
    answering = plan.team if plan.accepted is None else plan.team[:plan.accepted]
    for hour, person in enumerate(answering):
        with at(moment(plan.day(-12), 9 + hour)):
            member = review.team.get(user=person)
            reviews.respond_to_invitation(member, by=person, accept=True)
    if plan.accepted is None:
        with at(moment(plan.day(-11), 12)):
            workflow.transition(review, "schedule", by=plan.lead)


def lead_reviewer(review: Review) -> User:
    return review.team.get(role=TeamMember.Role.LEAD).user


def _review_day(review: Review, story: dict, plan: Plan) -> None:
    lead = lead_reviewer(review)
    with at(moment(plan.on, 8, 30)):
        workflow.transition(review, "start_review", by=lead)
    writers = [m.user for m in review.team.filter(role__in=["lead", "reviewer"])]
    activities = list(review.activities.all())
    lines = {line.position: line for line in review.lines.all()}
    for n, (activity, line, tags, text) in enumerate(story.get("evidence", [])):
        with at(moment(plan.on, 9 + n, 40)):
            reviews.save_evidence(review, by=writers[n % len(writers)], text=text, tags=tags,
                                  activity=activities[activity] if activity < len(activities)
                                  else None, line=lines.get(line))


def _feedback(review: Review, story: dict, plan: Plan) -> None:
    lead = lead_reviewer(review)
    lines = {line.position: line for line in review.lines.all()}
    with at(moment(plan.on, 15, 15)):
        for position, (well, further, questions) in story["findings"].items():
            reviews.save_finding(review, lines.get(position) if position else None, by=lead,
                                 working_well=well, explore_further=further,
                                 workshop_questions=questions, expected_version=None)
    with at(moment(plan.on, 16, 30)):
        workflow.transition(review, "give_feedback", by=lead)


def _report(review: Review, story: dict, plan: Plan) -> None:
    lead = lead_reviewer(review)
    with at(moment(plan.day(3, 1), 14)):
        report = reviews.compile_report(review, by=lead, summary=story["summary"])
        reviews.submit_report(report, by=lead)
    with at(moment(plan.day(6, 1), 11)):
        reviews.accept_report(report, by=plan.head)


def schedule_workshop(review: Review, plan: Plan):
    """The champion books the Improvement Workshop a day after the report is agreed."""
    champion = improvement.champion_of(review)
    assert champion is not None, "the demo's reviews have a champion"
    with at(moment(plan.day(7, 1), 10)):
        return improvement.schedule_workshop(
            review, by=champion, held_on=plan.day(plan.workshop_after, 1),
            starts_at=time(15, 45), place=f"{review.host.name}, staff room",
            attendees=[plan.head])


def _workshop(review: Review, story: dict, plan: Plan) -> None:
    champion = improvement.champion_of(review)
    assert champion is not None
    workshop = schedule_workshop(review, plan)
    held_on = workshop.held_on
    with at(moment(held_on, 16)):
        for stage, notes in zip(("revisit", "focus", "causes", "impact"), story["workshop"],
                                strict=True):
            workshop = improvement.save_stage(workshop, stage, by=champion, notes=notes,
                                              expected_version=None)
    findings = list(review.findings.all())
    for n, spec in enumerate(story["actions"]):
        with at(moment(held_on, 16, 30 + n)):
            improvement.add_action(
                review, by=champion, findings=findings[n % len(findings):][:1] or findings,
                title=spec["title"], why=spec["why"], area=spec["area"], owner=plan.head,
                starts_on=held_on + timedelta(days=1),
                due_on=held_on + timedelta(days=spec.get("due", 120)),
                success_criteria=spec["criteria"], support_wanted=spec["support"])
    with at(moment(held_on, 17, 15)):
        improvement.complete_workshop(workshop, by=champion)
    if plan.after_workshop:
        plan.after_workshop(review)
    last = plan.workshop_after + plan.checkback_after - 3  # updates come before the check-back
    for action, spec in zip(review.actions.order_by("pk"), story["actions"], strict=True):
        for days, status, text in spec["updates"]:
            with at(moment(weekday(held_on + timedelta(days=min(days, last)), -1), 12)):
                improvement.add_progress(action, by=plan.head, status=status, text=text)


def _checkback(review: Review, story: dict, plan: Plan) -> None:
    champion = improvement.champion_of(review)
    assert champion is not None
    day = plan.day(plan.workshop_after + plan.checkback_after, 1)
    with at(moment(day, 15, 30)):
        for action, spec in zip(review.actions.order_by("pk"), story["actions"], strict=True):
            seen, evidence, next_steps = spec["impact"]
            improvement.record_impact(action, by=champion, impact_seen=seen,
                                      evidence=evidence, next_steps=next_steps)
        improvement.complete_checkback(review, by=champion, summary=story["checkback"])
    with at(moment(day, 17)):
        workflow.transition(review, "close", by=plan.head)
