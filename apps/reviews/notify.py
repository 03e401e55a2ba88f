"""Who is told what when a review moves on. Messages say what happened and link to the
review; they never carry review content (self-review, evidence, findings, report text)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from apps.accounts.models import Role, User, current_role_lookup
from apps.notifications import services as notifications
from apps.notifications.ics import build_calendar

from .models import PartnerAgreement, Review, SafeguardingConcern, TeamMember

MESSAGES = {
    "start_self_review": "The self-review for {school} has started.",
    "agree_enquiry": "The headteacher of {school} has agreed the key enquiry question and the "
                     "evidence-gathering plan.",
    "schedule": "The review of {school} is scheduled.",
    "start_review": "The review of {school} has started.",
    "give_feedback": "The review team has given its feedback to {school}.",
    "agree_report": "The report of the review of {school} is agreed.",
    "complete_workshop": "The Improvement Workshop for {school} is complete: the school is "
                         "acting on its plan.",
    "close": "The review of {school} is closed.",
    "postpone": "The review of {school} is postponed.",
    "resume": "The review of {school} is back on.",
    "cancel": "The review of {school} is cancelled.",
}


def host_leaders(review: Review, roles=(Role.HEADTEACHER, Role.SCHOOL_LEADER)) -> list[User]:
    return list(User.objects.filter(is_active=True, roles__school_id=review.host_id,
                                    **current_role_lookup("roles__"), roles__role__in=roles)
                .distinct())


def partnership_leads(review: Review) -> list[User]:
    return list(User.objects.filter(is_active=True, roles__role=Role.PARTNERSHIP_LEAD,
                                    roles__partnership_id=review.cycle.partnership_id,
                                    **current_role_lookup("roles__")).distinct())


def _leads_of(partnership_id: int) -> list[User]:
    return list(User.objects.filter(is_active=True, roles__role=Role.PARTNERSHIP_LEAD,
                                    roles__partnership_id=partnership_id,
                                    **current_role_lookup("roles__")).distinct())


def partner_asked(agreement: PartnerAgreement, by) -> None:
    """The partner partnership's leads are asked to lend reviewers to another's cycle."""
    cycle = agreement.cycle
    text = (f"{cycle.partnership.name} asks to include your partnership's trained reviewers "
            f"in its {cycle.label} review cycle. Agree or decline.")
    notifications.notify(_leads_of(agreement.partner_id), kind="cycle.partner_asked",
                         subject=f"{cycle.partnership.name} asks to share reviewers",
                         message=text, url=reverse("reviews:agreement", args=[agreement.pk]),
                         actor=by)


def partner_answered(agreement: PartnerAgreement, by) -> None:
    cycle = agreement.cycle
    agreed = agreement.state == PartnerAgreement.State.AGREED
    text = (f"{agreement.partner.name} has agreed: its trained reviewers can now be invited "
            f"to reviews in the {cycle.label} cycle." if agreed else
            f"{agreement.partner.name} has declined to share reviewers for the {cycle.label} "
            f"cycle: {agreement.reason}")
    notifications.notify(_leads_of(cycle.partnership_id), kind="cycle.partner_answered",
                         subject=f"{agreement.partner.name} has "
                                 f"{'agreed' if agreed else 'declined'}",
                         message=text, url=reverse("reviews:cycle", args=[cycle.pk]), actor=by)


def team(review: Review) -> list[User]:
    return [m.user for m in review.team.filter(status__in=[TeamMember.State.INVITED,
                                                           TeamMember.State.ACCEPTED])
            .select_related("user")]


def _url(review: Review) -> str:
    return reverse("reviews:detail", args=[review.pk])


def status_changed(review: Review, transition: str, by) -> None:
    text = MESSAGES[transition].format(
        school=review.host.name)
    notifications.notify(host_leaders(review) + team(review) + partnership_leads(review),
                         kind=f"review.{transition}", subject=text, message=text,
                         url=_url(review), actor=by)
    if transition in ("postpone", "cancel", "resume", "schedule"):
        schedule_changed(review, by)


def schedule_changed(review: Review, by, only=None) -> None:
    """Send each attendee (or only the people in ``only``) one message with an updated
    calendar invitation for each of the review's events they attend (cancellations in a
    second message). Each invitation names its own recipient only, so nobody's address is
    passed to others. An unread earlier "dates changed" for the same review is brought up to
    date, not repeated."""
    from dataclasses import replace

    from .calendar import review_events

    wanted = {u.pk for u in only} if only is not None else None
    mine: dict[int, tuple[User, list, list]] = {}
    for event in review_events(review):
        for person in event.attendees:
            if wanted is not None and person.pk not in wanted:
                continue
            _, requests, cancels = mine.setdefault(person.pk, (person, [], []))
            (cancels if event.cancelled else requests).append(replace(event, attendees=[person]))
    school = review.host.name
    for person, requests, cancels in mine.values():
        if requests:
            lines = "; ".join(f"{e.summary.split(':')[0]} on {e.start:%A %-d %B %Y}"
                              for e in requests)
            notifications.notify(
                [person], kind="review.calendar", subject=f"Dates for the review of {school}",
                message=f"{lines}. The attached invitations update your calendar.",
                url=_url(review), actor=by,
                ics=[build_calendar([e], method="REQUEST") for e in requests],
                coalesce=True)
        if cancels:
            notifications.notify(
                [person], kind="review.calendar_cancelled",
                subject=f"Cancelled: the review of {school}",
                message="The review's dates are off your calendar: the attached message "
                        "removes them.",
                url=_url(review), actor=by,
                ics=[build_calendar([e], method="CANCEL") for e in cancels],
                coalesce=True)


def calendar_withdrawn(review: Review, person, by) -> None:
    """Someone left the team: their calendar entries for this review are cancelled."""
    from dataclasses import replace

    from .calendar import review_events

    for event in review_events(review, include_attendees=False):
        mine = replace(event, attendees=[person], cancelled=True)
        notifications.notify([person], kind="review.calendar",
                             subject=f"Cancelled for you: {event.summary}",
                             message=f"You are no longer on the team for {event.summary}.",
                             url=reverse("reviews:index"),
                             ics=build_calendar([mine], method="CANCEL"), actor=by)


def safeguarding_unassigned(concern: SafeguardingConcern, core_team: list[User],
                            by: User) -> None:
    text = ("A safeguarding concern about a headteacher was recorded during a peer review, "
            "but no programme safeguarding officer is set up to read it. Give someone the "
            "Programme safeguarding officer role now. The concern is not in this email.")
    notifications.notify(core_team, kind="review.safeguarding_unassigned",
                         subject="A safeguarding concern needs an officer", message=text,
                         url=reverse("people:people"), actor=by)


def team_invitation(member: TeamMember, by) -> None:
    review = member.review
    text = (f"You are invited to join the review of {review.host.name} as "
            f"{member.get_role_display().lower()}. Please accept or decline.")
    notifications.notify([member.user], kind="review.team_invitation",
                         subject=f"Invitation: review of {review.host.name}", message=text,
                         url=reverse("reviews:invitation", args=[member.pk]), actor=by)


def invitation_settled(member: TeamMember) -> None:
    """The invitation was answered or withdrawn: its "Please accept or decline" is dealt
    with, so it does not wait unread (walkthrough of 7 December 2026, night, item 4)."""
    notifications.mark_dealt_with(kind="review.team_invitation",
                                  url=reverse("reviews:invitation", args=[member.pk]),
                                  users=[member.user])


def team_response(member: TeamMember, by) -> None:
    review = member.review
    verb = "accepted" if member.status == TeamMember.State.ACCEPTED else "declined"
    text = (f"{member.user.display_name} has {verb} a place on the review of "
            f"{review.host.name} as {member.get_role_display().lower()}.")
    if member.decline_reason:
        text += f" Reason: {member.decline_reason}"
    notifications.notify(partnership_leads(review) + ([member.invited_by]
                                                       if member.invited_by else []),
                         kind="review.team_response", subject=text, message=text,
                         url=reverse("reviews:team", args=[review.pk]), actor=by)


def report_for_check(review: Review, by) -> None:
    text = (f"The lead reviewer has sent the report of the review of {review.host.name} for "
            "your factual-accuracy check.")
    notifications.notify(host_leaders(review, roles=(Role.HEADTEACHER,)),
                         kind="review.report_check", subject="Report ready for your check",
                         message=text, url=reverse("reviews:report", args=[review.pk]),
                         actor=by)


def report_check_done(review: Review) -> None:
    """The report is agreed: "Report ready for your check" is dealt with for everyone told."""
    notifications.mark_dealt_with(kind="review.report_check",
                                  url=reverse("reviews:report", args=[review.pk]))


def report_comment(review: Review, by) -> None:
    leads = [m.user for m in review.team.filter(role=TeamMember.Role.LEAD,
                                                status=TeamMember.State.ACCEPTED)]
    text = f"The host headteacher of {review.host.name} has commented on the report."
    notifications.notify(leads, kind="review.report_comment", subject=text, message=text,
                         url=reverse("reviews:report", args=[review.pk]), actor=by)


def safeguarding_seen(concern: SafeguardingConcern, by: User) -> None:
    """Tell the person who raised a concern that it has been read (never its text)."""
    review = concern.review
    day = date_format(timezone.localtime(concern.raised_at), "l j F Y")
    text = (f"{by.display_name} has read the safeguarding concern you recorded on {day} "
            f"during the review of {review.host.name} and marked it as seen. If you learn "
            "anything new, record it as a new concern. The concern is not in this email.")
    notifications.notify([concern.raised_by], kind="review.safeguarding_seen",
                         subject="The safeguarding concern you recorded has been read",
                         message=text, url=reverse("reviews:detail", args=[review.pk]),
                         actor=by)


def safeguarding_concern(concern: SafeguardingConcern, recipients: list[User],
                         by: User) -> None:
    text = ("A safeguarding concern has been recorded during a peer review. Sign in to read "
            "it; it is not included in this email.")
    notifications.notify(recipients, kind="review.safeguarding",
                         subject="A safeguarding concern needs your attention", message=text,
                         url=reverse("reviews:safeguarding_detail", args=[concern.pk]),
                         actor=by)
