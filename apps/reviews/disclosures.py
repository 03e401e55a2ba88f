"""The host's history of who has looked at its review, in plain words.

Each line is a sentence ("Sam Jones downloaded the report PDF on 3 Dec 2026 at 14:05"); the
list can be narrowed to the host school's own people or everyone else, and to one kind of
look, and is paged. It reads the audit log's disclosure entries (one row per person, thing
and day, with a count) and the report and plan sharing changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import RoleAssignment
from apps.core import dates
from apps.core.audit import AuditEvent

from .models import Review, ShareAudience

PER_PAGE = 25

LOOKS = {
    "self_review_viewed": "looked at the self-review",
    "enquiry_viewed": "looked at the enquiry question and lines of enquiry",
    "visit_plan_viewed": "looked at the evidence-gathering plan",
    "evidence_viewed": "looked at the evidence",
    "findings_viewed": "looked at the findings",
    "report_viewed": "read the report",
    "report_downloaded": "downloaded the report PDF",
    "file_downloaded": "downloaded a supporting document",
    "workshop_viewed": "looked at the Improvement Workshop",
    "plan_viewed": "looked at the action plan",
    "plan_downloaded": "downloaded the action plan PDF",
    "plan_exported": "downloaded the action plan as a spreadsheet",
    "action_viewed": "looked at an action",
}
SHARING = {
    "report.shared": "shared the agreed report with {audience}",
    "report.share_withdrawn": "stopped sharing the report with {audience}",
    "plan.shared": "shared the action plan with the partnership",
    "plan.share_withdrawn": "stopped sharing the action plan",
}
# The "what" filter: the kinds of look, grouped as people think of them.
WHAT = {
    "report": (_("The report"), ["report_viewed", "report_downloaded"]),
    "review": (_("Self-review, enquiry, plan, evidence and findings"),
               ["self_review_viewed", "enquiry_viewed", "visit_plan_viewed", "evidence_viewed",
                "findings_viewed", "file_downloaded"]),
    "improvement": (_("Workshop and action plan"),
                    ["workshop_viewed", "plan_viewed", "plan_downloaded", "plan_exported",
                     "action_viewed"]),
    "sharing": (_("Sharing changes"), []),
}
WHO = {"host": _("People at the school"), "others": _("Everyone else")}


@dataclass(frozen=True)
class Line:
    when: datetime
    who: str
    at_host: bool
    sentence: str


def _moment(value: datetime) -> str:
    return dates.datetime_text(value, "short")


def sentence(event: AuditEvent, who: str) -> str:
    """What happened, as one sentence."""
    details: dict[str, Any] = event.details or {}
    if event.action in SHARING:
        audience = dict(ShareAudience.choices).get(details.get("audience", ""), "others")
        what = SHARING[event.action].format(audience=audience[:1].lower() + audience[1:])
    else:
        what = LOOKS.get(event.action.removeprefix("disclosure."), "looked at the review")
        if details.get("version"):
            what += f" (version {details['version']})"
        if details.get("shared"):
            what += ", shared with them"
        if details.get("via") == "api":
            what += " through the API"
    text = f"{who} {what} on {_moment(event.created_at)}"
    if event.count > 1:
        text += f", {event.count} times in all, the last at {dates.time_text(event.last_at)}"
    return text


def host_people(review: Review) -> QuerySet[Any]:
    """Everyone who has held a role at the host school (their looks are the school's own)."""
    return RoleAssignment.objects.filter(school_id=review.host_id).values("user_id")


def history(review: Review, *, who: str = "", what: str = "", page: Any = 1) -> Page:
    events = AuditEvent.objects.filter(object_type="reviews.review", object_id=str(review.pk))
    looks = Q(action__in=[f"disclosure.{k}" for k in LOOKS])
    sharing = Q(action__in=list(SHARING))
    if what in WHAT:
        kinds = WHAT[what][1]
        events = events.filter(Q(action__in=[f"disclosure.{k}" for k in kinds]) if kinds
                               else sharing)
    else:
        events = events.filter(looks | sharing)
    if who == "host":
        events = events.filter(actor_id__in=host_people(review))
    elif who == "others":
        events = events.exclude(actor_id__in=host_people(review))
    events = events.select_related("actor").order_by("-last_at", "-id")
    result = Paginator(events, PER_PAGE).get_page(page)
    at_host = set(host_people(review).filter(
        user_id__in=[e.actor_id for e in result if e.actor_id]).values_list("user_id",
                                                                            flat=True))
    lines: list[Any] = [
        Line(when=e.last_at, who=_name(e), at_host=e.actor_id in at_host,
             sentence=sentence(e, _name(e)))
        for e in result]
    result.object_list = lines
    return result


def _name(event: AuditEvent) -> str:
    if event.actor is not None:
        return event.actor.display_name
    return event.actor_label or "Someone whose account has gone"
