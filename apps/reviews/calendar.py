"""The review cycle's dated events for calendars and reminders (apps/notifications/events.py).

Each review offers: the pre-review meeting, the review day(s), feedback, the Improvement
Workshop and the impact check-back, as all-day events. Attendees are the host school's
leaders and the review's team (the champion for the workshop and check-back). A change of
dates raises ``schedule_sequence`` so calendars replace their copy; a cancelled or postponed
review shows as cancelled.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse

from apps.accounts.models import Role, User, current_role_lookup
from apps.accounts.roles import school_ids_for
from apps.notifications.events import CalendarEvent

from .models import ONLINE_MODES, OPEN_STATUSES, RAPID_STEP_LABELS, Mode, Review, Status, TeamMember

# field -> (label, who attends: "all" or "host_and_champion")
EVENT_STEPS = {
    "pre_review_on": ("Pre-review meeting", "all"),
    "review_starts_on": ("Peer review", "all"),
    "feedback_on": ("Review feedback", "all"),
    "workshop_on": ("Improvement Workshop", "host_and_champion"),
    "checkback_on": ("Impact check-back", "host_and_champion"),
}


def _host_leaders(review: Review) -> list[User]:
    return list(User.objects.filter(
        is_active=True, roles__school_id=review.host_id, **current_role_lookup("roles__"),
        roles__role__in=[Role.HEADTEACHER, Role.SCHOOL_LEADER]).distinct())


def review_events(review: Review, *, include_attendees: bool = True) -> list[CalendarEvent]:
    cancelled = review.status in (Status.CANCELLED, Status.POSTPONED)
    # Only people who have accepted get the review's dates, place and link.
    team = list(review.team.filter(status=TeamMember.State.ACCEPTED)
                .select_related("user")) if include_attendees else []
    host = _host_leaders(review) if include_attendees else []
    where = review.meeting_link if review.mode in ONLINE_MODES else \
        ", ".join(x for x in (review.host.name, review.host.town, review.host.postcode) if x)
    if review.mode == Mode.BLENDED and review.meeting_link:
        where += f" (online: {review.meeting_link})"
    events = []
    for field, (label, who) in EVENT_STEPS.items():
        if review.is_rapid:  # Rapid Response: the online steps' own names
            label = "Rapid Response " + RAPID_STEP_LABELS[field][0].lower() + \
                RAPID_STEP_LABELS[field][1:]
        day = getattr(review, field)
        if not day:
            continue
        length = review.review_days if field == "review_starts_on" else 1
        if who == "all":
            attendees = host + [m.user for m in team]
        else:
            attendees = host + [m.user for m in team if m.role == TeamMember.Role.CHAMPION]
        events.append(CalendarEvent(
            uid=f"review-{review.pk}-{field}@peer-review",
            summary=f"{label}: {review.host.name}",
            start=day, end=day + timedelta(days=length), location=where,
            description=f"{label} for the peer review of {review.host.name} "
                        f"({review.cycle.label}).",
            url=reverse("reviews:detail", args=[review.pk]),
            sequence=review.schedule_sequence, cancelled=cancelled,
            attendees=list({u.pk: u for u in attendees}.values())))
    return events


def events_for_user(user) -> list[CalendarEvent]:
    led = school_ids_for(user, {Role.HEADTEACHER, Role.SCHOOL_LEADER})
    reviews = (Review.objects.filter(
        Q(host_id__in=led) | Q(team__user=user, team__status=TeamMember.State.ACCEPTED))
        .exclude(status=Status.CLOSED).distinct().select_related("host", "cycle"))
    events = []
    for review in reviews:
        events += [e for e in review_events(review) if any(a.pk == user.pk for a in e.attendees)]
    return events


def events_between(start: date, end: date) -> list[CalendarEvent]:
    q = Q()
    for field in EVENT_STEPS:
        q |= Q(**{f"{field}__gte": start, f"{field}__lte": end})
    events = []
    for review in Review.objects.filter(q, status__in=OPEN_STATUSES).exclude(
            status=Status.POSTPONED).select_related("host", "cycle"):
        events += [e for e in review_events(review)
                   if start <= (e.start if isinstance(e.start, date) else e.start.date()) <= end]
    return events
