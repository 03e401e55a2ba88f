"""A review's status: the transitions, who may make each, and what must be complete first.

    planned → self_review → enquiry_agreed → scheduled → in_review → feedback_given
            → report_agreed → acting (workshop held, plan under way) → closed (check-back done)
    postponed (and back to where it was) and cancelled, with a reason, from any open state.

``transition()`` is the only way a status changes. It refuses with ``PermissionDenied``
when the person may not make the transition and with ``TransitionRefused`` (listing what
is missing) when its guard fails; on success it writes the history and the audit log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import rules
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from apps.accounts.roles import is_core_team
from apps.core import audit
from apps.reviews.rules import (
    is_host_head,
    is_host_leader,
    is_lead_reviewer,
    is_review_champion,
    leads_review_partnership,
)

from .models import OPEN_STATUSES, Mode, Report, Review, Status, StatusChange, TeamMember


class TransitionRefused(Exception):
    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def _self_review_started(review: Review) -> list[str]:
    if review.framework_version_id is None:
        return ["Choose the framework the review will use"]
    return []


def _enquiry_ready(review: Review) -> list[str]:
    missing = []
    if not any(e.has_text for e in review.self_review.all()):
        missing.append("Write the self-review (at least one theme)")
    if not review.key_question.strip():
        missing.append("Agree the key enquiry question")
    if review.lines.count() > 3:
        missing.append("Keep to three supporting lines of enquiry at most")
    if not review.activities.exists():
        missing.append("Plan at least one evidence-gathering activity")
    return missing


def team_problems(review: Review) -> list[str]:
    team = list(review.team.filter(status=TeamMember.State.ACCEPTED,
                                   role__in=[TeamMember.Role.REVIEWER, TeamMember.Role.LEAD]))
    missing = []
    if not 3 <= len(team) <= 4:
        missing.append(f"The team needs 3 or 4 reviewers who have accepted (now {len(team)})")
    leads = sum(1 for m in team if m.role == TeamMember.Role.LEAD)
    if leads != 1:
        missing.append("Exactly one lead reviewer must have accepted")
    return missing


def _ready_to_schedule(review: Review) -> list[str]:
    missing = []
    if not review.review_starts_on:
        missing.append("Set the review day")
    if review.mode != Mode.IN_PERSON and not review.meeting_link:
        missing.append("Add the online meeting link (the review is virtual, blended or Rapid "
                       "Response)")
    if review.is_rapid and review.activities.filter(meeting_link="").exists():
        missing.append("Add a meeting link to every activity of the plan (a Rapid Response "
                       "review is online)")
    return missing + team_problems(review)


def _review_day_reached(review: Review) -> list[str]:
    if not review.review_starts_on:
        return ["Set the review day"]
    if review.review_starts_on > timezone.localdate():
        return [f"The review starts on {review.review_starts_on:%-d %B %Y}"]
    return []


def _findings_complete(review: Review) -> list[str]:
    done = {f.line_id for f in review.findings.all() if f.is_complete}
    missing = []
    if None not in done:
        missing.append("Write the feedback for the key enquiry question")
    for line in review.lines.all():
        if line.pk not in done:
            missing.append(f"Write the feedback for line of enquiry {line.position}")
    return missing


def _report_accepted(review: Review) -> list[str]:
    report = review.reports.filter(status=Report.State.CHECKING).first()
    if report is None:
        return ["The lead reviewer must send the report for a factual-accuracy check"]
    if report.comments.filter(resolved_at__isnull=True).exists():
        return ["Every factual-accuracy comment must be answered first"]
    return []


def _lock_report(review: Review, by) -> None:
    """The version under check becomes the agreed one; an earlier agreed version is kept,
    marked superseded. Its PDF is made in the background."""
    report = review.reports.select_for_update().get(status=Report.State.CHECKING)
    review.reports.filter(status=Report.State.AGREED).update(status=Report.State.SUPERSEDED)
    report.status = Report.State.AGREED
    report.agreed_at = timezone.now()
    report.agreed_by = by
    report.pdf_status = "queued"
    report.lock_version += 1
    report.save()
    audit.record("report.agreed", actor=by, obj=report, version=report.number)
    from .tasks import render_report_pdf

    transaction.on_commit(lambda: render_report_pdf.enqueue(report.pk))


def _nothing(review: Review) -> list[str]:
    return []


Guard = Callable[[Review], list[str]]
Hook = Callable[..., object]

# Review lifecycle events. Apps built on reviews add to a transition without reviews knowing
# them: ``register_guard`` adds what must be complete first (improvement: the workshop before
# "complete_workshop", the check-back before "close"); ``on_transition`` runs a hook inside the
# transition's transaction, after the status is set and before it is saved (improvement:
# carrying last cycle's review over when the self-review starts). Apps register in their
# ``AppConfig.ready()``.
_guards: dict[str, list[Guard]] = {}
_hooks: dict[str, list[Hook]] = {}


def register_guard(name: str, guard: Guard) -> Guard:
    """Also refuse transition ``name`` while ``guard(review)`` lists anything missing."""
    if name not in TRANSITIONS:
        raise KeyError(f"No transition called {name!r}")
    if guard not in _guards.setdefault(name, []):
        _guards[name].append(guard)
    return guard


def on_transition(name: str, hook: Hook) -> Hook:
    """Call ``hook(review, by=person)`` whenever transition ``name`` is made."""
    if name not in TRANSITIONS:
        raise KeyError(f"No transition called {name!r}")
    if hook not in _hooks.setdefault(name, []):
        _hooks[name].append(hook)
    return hook


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str | None  # None: back to the status it was postponed from
    who: rules.Predicate
    who_label: str
    check: Guard  # this app's own guard; others add theirs with ``register_guard``
    needs_reason: bool = False

    @property
    def done(self) -> str:
        """What has happened, in words, once the transition is made."""
        return DONE.get(self.name, f"Done: {self.label.lower()}.")

    def guard(self, review: Review) -> list[str]:
        """Everything still missing before this transition can be made."""
        missing = list(self.check(review))
        for extra in _guards.get(self.name, []):
            missing += extra(review)
        return missing


DONE = {
    "start_self_review": "The self-review has started.",
    "agree_enquiry": "The enquiry and visit plan are agreed.",
    "schedule": "The review is scheduled.",
    "start_review": "The review has started.",
    "give_feedback": "Feedback is marked as given.",
    "agree_report": "The report is accepted.",
    "complete_workshop": "The Improvement Workshop is complete.",
    "close": "The review is closed.",
    "postpone": "The review is postponed.",
    "resume": "The review has resumed.",
    "cancel": "The review is cancelled.",
}

HOST_OR_LEAD = is_host_head | leads_review_partnership | is_core_team
# A review can be put off until its feedback is given; after that there is nothing left to
# put off (the report, workshop and plan have their own dates, each of which can be moved).
BEFORE_FEEDBACK = (Status.PLANNED, Status.SELF_REVIEW, Status.ENQUIRY_AGREED, Status.SCHEDULED,
                   Status.IN_REVIEW)

TRANSITIONS = {t.name: t for t in [
    Transition("start_self_review", "Start the self-review", (Status.PLANNED,),
               Status.SELF_REVIEW, is_host_leader | leads_review_partnership,
               "host school leaders or the partnership lead", _self_review_started),
    Transition("agree_enquiry", "Agree the enquiry and plan", (Status.SELF_REVIEW,),
               Status.ENQUIRY_AGREED, is_host_head, "the host headteacher", _enquiry_ready),
    Transition("schedule", "Confirm the review is scheduled", (Status.ENQUIRY_AGREED,),
               Status.SCHEDULED, is_host_head | leads_review_partnership,
               "the host headteacher or the partnership lead", _ready_to_schedule),
    Transition("start_review", "Start the review", (Status.SCHEDULED,), Status.IN_REVIEW,
               is_lead_reviewer | is_host_leader, "the lead reviewer or host school leaders",
               _review_day_reached),
    Transition("give_feedback", "Mark feedback as given", (Status.IN_REVIEW,),
               Status.FEEDBACK_GIVEN, is_lead_reviewer, "the lead reviewer", _findings_complete),
    Transition("agree_report", "Accept the report", (Status.FEEDBACK_GIVEN,),
               Status.REPORT_AGREED, is_host_head, "the host headteacher", _report_accepted),
    Transition("complete_workshop", "Complete the Improvement Workshop",
               (Status.REPORT_AGREED,), Status.ACTING, is_review_champion | is_host_head,
               "the Improvement Champion or the host headteacher", _nothing),
    Transition("close", "Close the review", (Status.ACTING,), Status.CLOSED,
               is_host_head | leads_review_partnership,
               "the host headteacher or the partnership lead", _nothing),
    Transition("postpone", "Postpone", BEFORE_FEEDBACK, Status.POSTPONED, HOST_OR_LEAD,
               "the host headteacher, the partnership lead or the core team", _nothing,
               needs_reason=True),
    Transition("resume", "Resume", (Status.POSTPONED,), None, HOST_OR_LEAD,
               "the host headteacher, the partnership lead or the core team", _nothing),
    Transition("cancel", "Cancel the review", tuple(OPEN_STATUSES), Status.CANCELLED,
               HOST_OR_LEAD, "the host headteacher, the partnership lead or the core team",
               _nothing, needs_reason=True),
]}


def available(review: Review, user) -> list[tuple[Transition, list[str]]]:
    """Transitions from the current status this person may make, each with what is still
    missing (an empty list: it can be made now)."""
    return [(t, t.guard(review)) for t in TRANSITIONS.values()
            if review.status in t.sources and t.who.test(user, review)]


def upcoming(review: Review) -> list[Transition]:
    """Every transition out of the current status, for the "what happens next" panel."""
    return [t for t in TRANSITIONS.values() if review.status in t.sources]


@transaction.atomic
def transition(review: Review, name: str, *, by, reason: str = "") -> Review:
    t = TRANSITIONS.get(name)
    if t is None:
        raise TransitionRefused([f"There is no step called “{name}”"])
    # Lock the row so two people cannot move the same review at once.
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if locked.status not in t.sources:
        raise TransitionRefused([f"The review is {locked.get_status_display().lower()}: "
                                 f"“{t.label}” is not possible now"])
    if not t.who.test(by, locked):
        raise PermissionDenied(f"Only {t.who_label} can do this")
    reason = (reason or "").strip()
    if t.needs_reason and not reason:
        raise TransitionRefused(["Give a reason"])
    missing = t.guard(locked)
    if missing:
        raise TransitionRefused(missing)
    source = locked.status
    target = t.target or locked.postponed_from or Status.PLANNED
    locked.postponed_from = source if target == Status.POSTPONED else ""
    locked.status = target
    locked.status_reason = reason if t.needs_reason else ""
    if name == "agree_enquiry":
        locked.enquiry_agreed_by = by
        locked.enquiry_agreed_at = timezone.now()
    if name == "agree_report":
        _lock_report(locked, by)
    for hook in _hooks.get(name, []):
        hook(locked, by=by)
    locked.lock_version += 1
    locked.save()
    StatusChange.objects.create(review=locked, transition=name, from_status=source,
                                to_status=target, by=by, reason=reason)
    audit.record(f"review.{name}", actor=by, obj=locked, from_status=source, to_status=target,
                 reason=reason)
    review.refresh_from_db()
    from . import notify

    transaction.on_commit(lambda: notify.status_changed(locked, name, by))
    return locked
