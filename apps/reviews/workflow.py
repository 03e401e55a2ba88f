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
from typing import TYPE_CHECKING

import rules
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class TransitionRefused(Exception):
    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def _self_review_started(review: Review) -> list[str]:
    if review.framework_version_id is None:
        return [gettext("Choose the framework the review will use")]
    return []


def _enquiry_ready(review: Review) -> list[str]:
    missing = []
    if not any(e.has_text for e in review.self_review.all()):
        missing.append(gettext("Write the self-review (at least one theme)"))
    if not review.key_question.strip():
        missing.append(gettext("Agree the key enquiry question"))
    if review.lines.count() > 3:
        missing.append(gettext("Keep to three supporting lines of enquiry at most"))
    if not review.activities.exists():
        missing.append(gettext("Plan at least one evidence-gathering activity"))
    return missing


def team_problems(review: Review) -> list[str]:
    team = list(review.team.filter(status=TeamMember.State.ACCEPTED,
                                   role__in=[TeamMember.Role.REVIEWER, TeamMember.Role.LEAD]))
    missing = []
    if not 3 <= len(team) <= 4:
        missing.append(gettext("The team needs 3 or 4 reviewers who have accepted (now %(count)s)")
                       % {"count": len(team)})
    leads = sum(1 for m in team if m.role == TeamMember.Role.LEAD)
    if leads != 1:
        missing.append(gettext("Exactly one lead reviewer must have accepted"))
    return missing


def _ready_to_schedule(review: Review) -> list[str]:
    missing = []
    if not review.review_starts_on:
        missing.append(gettext("Set the review day"))
    if review.mode != Mode.IN_PERSON and not review.meeting_link:
        missing.append(gettext(
            "Add the online meeting link (the review is virtual, blended or Rapid Response)"))
    if review.is_rapid and review.activities.filter(meeting_link="").exists():
        missing.append(gettext(
            "Add a meeting link to every activity of the plan (a Rapid Response review is online)"))
    return missing + team_problems(review)


def _review_day_reached(review: Review) -> list[str]:
    if not review.review_starts_on:
        return [gettext("Set the review day")]
    if review.review_starts_on > timezone.localdate():
        day = date_format(review.review_starts_on, "j F Y")
        return [gettext("The review starts on %(day)s") % {"day": day}]
    return []


def _findings_complete(review: Review) -> list[str]:
    done = {f.line_id for f in review.findings.all() if f.is_complete}
    missing = []
    if None not in done:
        missing.append(gettext("Write the feedback for the key enquiry question"))
    for line in review.lines.all():
        if line.pk not in done:
            missing.append(gettext("Write the feedback for line of enquiry %(number)s")
                           % {"number": line.position})
    return missing


def _report_accepted(review: Review) -> list[str]:
    report = review.reports.filter(status=Report.State.CHECKING).first()
    if report is None:
        return [gettext("The lead reviewer must send the report for a factual-accuracy check")]
    if report.comments.filter(resolved_at__isnull=True).exists():
        return [gettext("Every factual-accuracy comment must be answered first")]
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
    from . import notify
    from .tasks import render_report_pdf

    notify.report_check_done(review)

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
    label: StrOrPromise
    sources: tuple[str, ...]
    target: str | None  # None: back to the status it was postponed from
    who: rules.Predicate
    who_label: StrOrPromise
    check: Guard  # this app's own guard; others add theirs with ``register_guard``
    needs_reason: bool = False

    @property
    def done(self) -> str:
        """What has happened, in words, once the transition is made."""
        step = str(self.label).lower()
        return str(DONE.get(self.name, gettext("Done: %(step)s.") % {"step": step}))

    def guard(self, review: Review) -> list[str]:
        """Everything still missing before this transition can be made."""
        missing = list(self.check(review))
        for extra in _guards.get(self.name, []):
            missing += extra(review)
        return missing


DONE = {
    "start_self_review": _("The self-review has started."),
    "agree_enquiry": _("The enquiry and visit plan are agreed."),
    "schedule": _("The review is scheduled."),
    "start_review": _("The review has started."),
    "give_feedback": _("Feedback is marked as given."),
    "agree_report": _("The report is accepted."),
    "complete_workshop": _("The Improvement Workshop is complete."),
    "close": _("The review is closed."),
    "postpone": _("The review is postponed."),
    "resume": _("The review has resumed."),
    "cancel": _("The review is cancelled."),
}

HOST_OR_LEAD = is_host_head | leads_review_partnership | is_core_team
# A review can be put off until its feedback is given; after that there is nothing left to
# put off (the report, workshop and plan have their own dates, each of which can be moved).
BEFORE_FEEDBACK = (Status.PLANNED, Status.SELF_REVIEW, Status.ENQUIRY_AGREED, Status.SCHEDULED,
                   Status.IN_REVIEW)

TRANSITIONS = {t.name: t for t in [
    Transition("start_self_review", _("Start the self-review"), (Status.PLANNED,),
               Status.SELF_REVIEW, is_host_leader | leads_review_partnership,
               _("host school leaders or the partnership lead"), _self_review_started),
    Transition("agree_enquiry", _("Agree the enquiry and plan"), (Status.SELF_REVIEW,),
               Status.ENQUIRY_AGREED, is_host_head, _("the host headteacher"), _enquiry_ready),
    Transition("schedule", _("Confirm the review is scheduled"), (Status.ENQUIRY_AGREED,),
               Status.SCHEDULED, is_host_head | leads_review_partnership,
               _("the host headteacher or the partnership lead"), _ready_to_schedule),
    Transition("start_review", _("Start the review"), (Status.SCHEDULED,), Status.IN_REVIEW,
               is_lead_reviewer | is_host_leader, _("the lead reviewer or host school leaders"),
               _review_day_reached),
    Transition("give_feedback", _("Mark feedback as given"), (Status.IN_REVIEW,),
               Status.FEEDBACK_GIVEN, is_lead_reviewer, _("the lead reviewer"),
               _findings_complete),
    Transition("agree_report", _("Accept the report"), (Status.FEEDBACK_GIVEN,),
               Status.REPORT_AGREED, is_host_head, _("the host headteacher"), _report_accepted),
    Transition("complete_workshop", _("Complete the Improvement Workshop"),
               (Status.REPORT_AGREED,), Status.ACTING, is_review_champion | is_host_head,
               _("the Improvement Champion or the host headteacher"), _nothing),
    Transition("close", _("Close the review"), (Status.ACTING,), Status.CLOSED,
               is_host_head | leads_review_partnership,
               _("the host headteacher or the partnership lead"), _nothing),
    Transition("postpone", _("Postpone"), BEFORE_FEEDBACK, Status.POSTPONED, HOST_OR_LEAD,
               _("the host headteacher, the partnership lead or the core team"), _nothing,
               needs_reason=True),
    Transition("resume", _("Resume"), (Status.POSTPONED,), None, HOST_OR_LEAD,
               _("the host headteacher, the partnership lead or the core team"), _nothing),
    Transition("cancel", _("Cancel the review"), tuple(OPEN_STATUSES), Status.CANCELLED,
               HOST_OR_LEAD, _("the host headteacher, the partnership lead or the core team"),
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
