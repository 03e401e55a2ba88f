"""Presenters: what the home page shows each person, computed here so templates only lay out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Invitation, Role, User, current_role_lookup
from apps.accounts.roles import (
    current_roles,
    is_core_team,
    is_evaluator,
    leader_school_ids,
    led_partnership_ids,
    school_ids_for,
)
from apps.alumni import selectors as alumni
from apps.community.models import PostReport
from apps.frameworks.models import FrameworkVersion, ShortlistItem
from apps.home.models import Enquiry
from apps.impact.models import Analysis, Wave, WaveInvite
from apps.improvement.access import owned_actions
from apps.improvement.models import Action
from apps.improvement.selectors import DUE_SOON_DAYS, OPEN_ACTION_STATES
from apps.partnerships.models import DeliveryPartner, Membership, Partnership, Phase
from apps.partnerships.selectors import programme_standing
from apps.resources.access import visible_resources
from apps.resources.models import Audience as ResourceAudience
from apps.reviews.models import (
    OPEN_STATUSES,
    Cycle,
    PartnerAgreement,
    Report,
    Review,
    SafeguardingConcern,
    Status,
    TeamMember,
)
from apps.schools.models import ImportJob, School
from apps.schools.selectors import register_facts
from apps.support.models import SupportMatch
from apps.training.models import Booking, CourseKind, Grants, Session
from apps.training.rules import course_audiences


@dataclass
class Item:
    text: str
    url: str = ""
    tag: str = ""  # e.g. "To do", "Due soon"
    tag_colour: str = ""


@dataclass
class Panel:
    title: str
    intro: str = ""
    items: list[Item] = field(default_factory=list)
    empty: str = ""


def _offer_item(booking: Booking) -> Item:
    starts = booking.session.first_start()
    when = f" ({timezone.localtime(starts):%-d %B})" if starts else ""
    until = timezone.localtime(booking.offer_expires_at) if booking.offer_expires_at else None
    by = f" until {until:%-d %B, %H:%M}" if until else ""
    return Item(f"A place on {booking.session.label}{when} is offered to you{by}.",
                url=reverse("training:session", args=[booking.session_id]),
                tag="Answer", tag_colour="red")


def _training_panel(user: User) -> Panel | None:
    today = timezone.localdate()
    soon = today + timedelta(days=60)
    items = []
    now = timezone.now()
    # In one query: sessions to come the person is booked on (by what they renew), and
    # places offered to them from a waiting list that they may still take.
    booked: dict[str, Booking] = {}
    offers: dict[int, Booking] = {}
    for b in (Booking.objects.filter(
                Q(status=Booking.State.BOOKED, session__parts__starts_at__gte=now,
                  session__cancelled_at__isnull=True)
                & ~Q(session__course__grants=Grants.NOTHING)
                | Q(status=Booking.State.OFFERED, offer_expires_at__gt=now), user=user)
              .select_related("session__course").order_by("session__parts__starts_at")):
        if b.status == Booking.State.OFFERED:
            offers.setdefault(b.pk, b)
        else:
            booked.setdefault(b.session.course.grants, b)
    for label, grants, until, task in (
            ("Peer reviewer", Grants.REVIEWER, user.reviewer_trained_until, "review"),
            ("Improvement Champion", Grants.CHAMPION, user.champion_trained_until,
             "be an Improvement Champion")):
        if not until:
            continue
        if until < today or until <= soon:
            when = (f"lapsed on {until:%-d %B %Y}" if until < today
                    else f"runs out on {until:%-d %B %Y}")
            tag = ("Lapsed", "red") if until < today else ("Due soon", "yellow")
            place = booked.get(grants)
            if place is not None:
                items.append(Item(f"{label} training {when}. You are booked on "
                                  f"{place.session.label}.",
                                  url=reverse("training:session", args=[place.session_id]),
                                  tag=tag[0], tag_colour=tag[1]))
            else:
                items.append(Item(f"{label} training {when}. Book a refresher before you "
                                  f"are asked to {task}.", url=reverse("training:catalogue"),
                                  tag=tag[0], tag_colour=tag[1]))
        else:
            items.append(Item(f"{label}: trained until {until:%-d %B %Y}."))
    # A place offered from a waiting list lapses if not taken in time: first in the panel.
    items[:0] = [_offer_item(b) for b in sorted(offers.values(),
                                                key=lambda b: (b.offer_expires_at, b.pk))]
    return Panel("Your training", items=items) if items else None


def _reports_to_check(user: User) -> list[Item]:
    """Reports sent to the host headteacher for a factual-accuracy check."""
    heads_of = school_ids_for(user, {Role.HEADTEACHER})
    if not heads_of:
        return []
    return [Item(f"Version {r.number} of the report on {r.review.host.name}'s review is "
                 "waiting for your factual-accuracy check.",
                 url=reverse("reviews:report", args=[r.review_id]), tag="To check",
                 tag_colour="yellow")
            for r in Report.objects.filter(review__host_id__in=heads_of,
                                           status=Report.State.CHECKING)
            .select_related("review__host")]


SOON_DAYS = 14  # a workshop this close is shown as the next thing to do
# A check-back is arranged with the school well ahead, often across a holiday.
CHECKBACK_DAYS = 35
BEFORE_FEEDBACK = (Status.ENQUIRY_AGREED, Status.SCHEDULED, Status.IN_REVIEW)


def _day(d: date) -> str:
    """"Thursday 10 December" (with the year when it is not this year's)."""
    return f"{d:%A %-d %B}" + (f" {d.year}" if d.year != timezone.localdate().year else "")


def _next_step(r: Review, today: date) -> str:
    """What the host school does next in its review, with the date it is for."""
    host = r.host.name
    if r.status == Status.PLANNED:
        return (f"Start {host}'s self-review" + (f": the review day is {_day(r.review_starts_on)}."
                if r.review_starts_on else "; no dates are set for the review yet."))
    if r.status == Status.SELF_REVIEW:
        return (f"Finish {host}'s self-review" + (
            f" before the pre-review meeting on {_day(r.pre_review_on)}."
            if r.pre_review_on and r.pre_review_on >= today else "."))
    if r.status in (Status.ENQUIRY_AGREED, Status.SCHEDULED):
        return (f"Get ready for {host}'s review day"
                + (f" on {_day(r.review_starts_on)}" if r.review_starts_on else "")
                + ": the visit plan and the evidence the team will need.")
    if r.status in (Status.IN_REVIEW, Status.FEEDBACK_GIVEN):
        return f"{host}'s review team is writing its report; you check it before it is agreed."
    if r.status == Status.REPORT_AGREED:
        return (f"Hold {host}'s Improvement Workshop with your Improvement Champion"
                + (f" by {_day(r.workshop_on)}." if r.workshop_on else "."))
    if r.status == Status.ACTING:
        return (f"Act on {host}'s plan and record progress on each action"
                + (f"; the impact check-back is on {_day(r.checkback_on)}."
                   if r.checkback_on and r.checkback_on >= today else "."))
    return f"{host}'s review: {r.get_status_display().lower()}."


def _is_review_day(r: Review, today: date) -> bool:
    """Today is one of the review's days and feedback has not been given yet."""
    return bool(r.review_starts_on and r.status in BEFORE_FEEDBACK
                and r.review_starts_on <= today
                < r.review_starts_on + timedelta(days=r.review_days))


def _workshop_item(r: Review, today: date, *, hosting: bool) -> Item | None:
    """The review's Improvement Workshop in the next fortnight (held or planned), for the
    host's leaders and the champion who runs it."""
    if r.status not in (Status.FEEDBACK_GIVEN, Status.REPORT_AGREED):
        return None
    workshop = getattr(r, "workshop", None)
    url = reverse("improvement:workshop", args=[r.pk])
    if workshop is not None and workshop.completed_at is None and \
            today <= workshop.held_on <= today + timedelta(days=SOON_DAYS):
        time = f" at {workshop.starts_at:%H:%M}" if workshop.starts_at else ""
        text = (f"Improvement Workshop at {r.host.name} on {_day(workshop.held_on)}{time}: "
                + ("agree your first actions there with your Improvement Champion."
                   if hosting else "you run it as Improvement Champion."))
        return Item(text, url=url, tag="Today" if workshop.held_on == today else "Coming up",
                    tag_colour="red" if workshop.held_on == today else "yellow")
    if workshop is None and r.workshop_on and \
            today <= r.workshop_on <= today + timedelta(days=SOON_DAYS):
        who = "your Improvement Champion" if hosting else r.host.name
        return Item(f"The Improvement Workshop at {r.host.name} is planned for "
                    f"{_day(r.workshop_on)}: agree the time and place with {who}.",
                    url=reverse("improvement:workshop_when", args=[r.pk]), tag="To do",
                    tag_colour="yellow")
    return None


def _checkback_item(r: Review, today: date, *, hosting: bool = True) -> Item | None:
    """The impact check-back due in the next fortnight, or late, while not completed. The
    host's leaders record it; the champion, who may not, is sent to the action plan."""
    if r.status != Status.ACTING or not r.checkback_on or \
            r.checkback_on > today + timedelta(days=CHECKBACK_DAYS):
        return None
    checkback = getattr(r, "checkback", None)
    if checkback is not None and checkback.completed_at is not None:
        return None
    late = r.checkback_on < today
    if hosting:
        step, url = ("look at what each action has changed.",
                     reverse("improvement:checkback", args=[r.pk]))
    else:
        step, url = ("go through the action plan with the school's leaders, who record it.",
                     reverse("improvement:plan", args=[r.pk]))
    return Item(f"Impact check-back at {r.host.name} "
                f"{'was due on' if late else 'on'} {_day(r.checkback_on)}: {step}", url=url,
                tag="Overdue" if late else "Due soon", tag_colour="red" if late else "yellow")


def _reviews_panel(user: User) -> Panel | None:
    """Review-team invitations to answer, reviews the person is on, and reviews of their
    school: what needs doing next, with its date (review day, workshop, check-back)."""
    today = timezone.localdate()
    items = []
    urgent: list[Item] = []
    for m in TeamMember.objects.filter(user=user, status=TeamMember.State.INVITED,
                                       review__status__in=OPEN_STATUSES) \
            .select_related("review__host"):
        items.append(Item(f"Asked to join the review of {m.review.host.name} as "
                          f"{m.get_role_display().lower()}.",
                          url=reverse("reviews:invitation", args=[m.pk]), tag="Answer",
                          tag_colour="blue"))
    # One query for the reviews the person is on, with their workshop and check-back.
    champion_workshops = False
    seen: set[int] = set()
    for m in TeamMember.objects.filter(user=user, status=TeamMember.State.ACCEPTED,
                                       review__status__in=OPEN_STATUSES) \
            .select_related("review__host", "review__workshop", "review__checkback") \
            .order_by("review__review_starts_on", "review__pk"):
        r = m.review
        if r.pk in seen:
            continue
        seen.add(r.pk)
        if _is_review_day(r, today):
            lead = m.role == TeamMember.Role.LEAD
            urgent.append(Item(
                f"Review day at {r.host.name}: record your evidence"
                + (", then write the feedback and mark it given." if lead else "."),
                url=reverse("reviews:evidence", args=[r.pk]), tag="Today",
                tag_colour="red"))
            continue
        if m.role == TeamMember.Role.CHAMPION:
            found = _workshop_item(r, today, hosting=False) or \
                _checkback_item(r, today, hosting=False)
            if found:
                urgent.append(found)
                continue
            champion_workshops |= r.status == Status.REPORT_AGREED
        when = f", {r.review_starts_on:%-d %B}" if r.review_starts_on else ""
        items.append(Item(f"Review of {r.host.name}{when}: {r.get_status_display().lower()}.",
                          url=reverse("reviews:detail", args=[r.pk])))
    hosting = Review.objects.filter(host_id__in=school_ids_for(
        user, {Role.HEADTEACHER, Role.SCHOOL_LEADER}), status__in=OPEN_STATUSES) \
        .select_related("host", "workshop", "checkback")
    for r in hosting:
        if _is_review_day(r, today):
            urgent.append(Item(f"Review day at {r.host.name}: the review team is with you, "
                               "and gives its feedback at the end of the day.",
                               url=reverse("reviews:detail", args=[r.pk]), tag="Today",
                               tag_colour="red"))
            continue
        found = _workshop_item(r, today, hosting=True) or _checkback_item(r, today)
        if found:
            urgent.append(found)
            continue
        items.append(Item(_next_step(r, today), url=reverse("reviews:detail", args=[r.pk])))
    items[:0] = _reports_to_check(user) + urgent
    # One query for the three counts (was an exists and four counts).
    mine = owned_actions(user).filter(status__in=OPEN_ACTION_STATES).aggregate(
        total=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)),
        due_soon=Count("pk", filter=Q(due_on__gte=today,
                                      due_on__lte=today + timedelta(days=DUE_SOON_DAYS))))
    if mine["total"]:
        overdue, due_soon = mine["overdue"], mine["due_soon"]
        tag, colour = (f"{overdue} overdue", "red") if overdue else \
            ((f"{due_soon} due soon", "yellow") if due_soon else ("", ""))
        items.append(Item(f"You own {mine['total']} open action"
                          f"{'s' if mine['total'] != 1 else ''} in an action plan.",
                          url=reverse("improvement:my_actions"), tag=tag, tag_colour=colour))
    if champion_workshops:
        items.append(Item("Improvement Workshops to run as champion.",
                          url=reverse("improvement:my_workshops"), tag="To do",
                          tag_colour="blue"))
    return Panel("Peer reviews", items=items) if items else None


def _support_items(user: User) -> tuple[list[Item], dict[int, list[Item]]]:
    """Support matches waiting for this person's school to confirm, and (by partnership)
    matches not yet confirmed in the partnerships they lead (one query, none without a
    school they lead or a partnership)."""
    leads, led = leader_school_ids(user), led_partnership_ids(user)
    if not leads and not led:
        return [], {}
    mine: list[Item] = []
    brokered: dict[int, list[Item]] = {}
    for m in (SupportMatch.objects.filter(status=SupportMatch.State.PROPOSED)
              .filter(Q(request__school_id__in=leads, host_confirmed_at__isnull=True)
                      | Q(provider_school_id__in=leads, provider_confirmed_at__isnull=True)
                      | Q(request__partnership_id__in=led))
              .select_related("request__school", "provider_school").order_by("brokered_at")):
        asked = f"{timezone.localtime(m.brokered_at):%-d %B}"
        url = reverse("support:match_detail", args=[m.pk])
        host, provider = m.request.school, m.provider_school
        if host.pk in leads and m.host_confirmed_at is None:
            mine.append(Item(f"Confirm the support {provider.name} offers {host.name} "
                             f"(proposed {asked}).", url=url, tag="Confirm",
                             tag_colour="red"))
        if provider.pk in leads and m.provider_confirmed_at is None:
            mine.append(Item(f"Confirm that {provider.name} will support {host.name} "
                             f"(proposed {asked}).", url=url, tag="Confirm",
                             tag_colour="red"))
        if m.request.partnership_id in led:
            waiting = [s.name for s, done in ((host, m.host_confirmed_at),
                                              (provider, m.provider_confirmed_at)) if not done]
            brokered.setdefault(m.request.partnership_id, []).append(Item(
                f"Support from {provider.name} for {host.name}, proposed {asked}, is waiting "
                f"for {' and '.join(waiting)} to confirm.", url=url, tag="Waiting",
                tag_colour="yellow"))
    return mine, brokered


def _surveys_panel(user: User, roles: list[Any]) -> Panel | None:
    """Survey waves still open that the person is asked to answer and has not (one query,
    none for people without a role)."""
    if not roles:
        return None
    items = [Item(f"Answer the survey “{invite.wave.survey.title}”, "
                  f"{invite.wave.get_kind_display().lower()}: open since "
                  f"{timezone.localtime(invite.wave.opened_at):%-d %B}. Your answers are "
                  "anonymous.", url=reverse("impact:my_surveys"), tag="Answer",
                  tag_colour="blue")
             for invite in WaveInvite.objects.filter(user=user, answered=False,
                                                     wave__closed_at__isnull=True)
             .select_related("wave__survey").order_by("wave__opened_at")[:5]]
    return Panel("Surveys for you to answer", items=items) if items else None


TRAINER_DAYS = 30  # sessions a trainer runs in this many days are on their home page


def _trainer_panel(user: User) -> Panel | None:
    """Sessions the person trains in the next month, with the places taken and the waiting
    list; on the day, the register (one query)."""
    now = timezone.now()
    today = timezone.localdate()
    sessions = (Session.objects.filter(trainers=user, cancelled_at__isnull=True)
                .annotate(starts=Min("parts__starts_at"), ends=Max("parts__ends_at"),
                          booked=Count("bookings", distinct=True,
                                       filter=Q(bookings__status=Booking.State.BOOKED)),
                          waiting=Count("bookings", distinct=True,
                                        filter=Q(bookings__status=Booking.State.WAITING)))
                .filter(ends__gte=now, starts__lte=now + timedelta(days=TRAINER_DAYS))
                .select_related("course").order_by("starts")[:10])
    items = []
    for s in sessions:
        starts = timezone.localtime(s.starts)
        on_now = starts.date() <= today
        waiting = f", {s.waiting} on the waiting list" if s.waiting else ""
        places = f"{s.booked} of {s.capacity} place{'' if s.capacity == 1 else 's'} taken"
        if on_now:
            items.append(Item(f"You train {s.label}: take the register ({places}).",
                              url=reverse("training:register_attendance", args=[s.pk]),
                              tag="Today", tag_colour="red"))
        else:
            items.append(Item(f"You train {s.label} on {starts:%A %-d %B} at "
                              f"{starts:%H:%M}: {places}{waiting}.",
                              url=reverse("training:session", args=[s.pk])))
    return Panel("Sessions you train", items=items) if items else None


def _safeguarding_panel(user: User) -> Panel | None:
    """Safeguarding concerns not yet marked as seen that this person may read: for the host's
    headteacher and DSL, the programme's safeguarding officer (including concerns raised
    before they were appointed), and the core team while no officer may read one. A concern
    about a headteacher still not seen after two working days says how long it has waited."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext, ngettext

    # Imported here: the safeguarding reads and wording are this panel's alone, kept inside it
    # so the module's shared imports stay as they are.
    from apps.reviews import selectors as review_selectors

    waiting: list[SafeguardingConcern] = list(review_selectors.readable_concerns(user)
                   .filter(acknowledged_at__isnull=True)
                   .select_related("review__host").order_by("raised_at")[:50])
    if not waiting:
        return None
    today = timezone.localdate()
    items = []
    for c in waiting:
        day = date_format(timezone.localtime(c.raised_at), "j F Y")
        school = c.review.host.name
        if review_selectors.concern_is_overdue(c, today):
            days = review_selectors.working_days_unseen(c, today)
            text = ngettext(
                "Read the concern about %(school)s raised on %(day)s — not seen for %(days)d "
                "working day", "Read the concern about %(school)s raised on %(day)s — not seen "
                "for %(days)d working days", days) % {"school": school, "day": day,
                                                       "days": days}
            tag = gettext("Overdue")
        else:
            text = gettext("Read the concern raised on %(day)s during the review of "
                           "%(school)s, then mark it as seen.") % {"day": day,
                                                                    "school": school}
            tag = gettext("Read now")
        items.append(Item(text, url=reverse("reviews:safeguarding_detail", args=[c.pk]),
                          tag=tag, tag_colour="red"))
    # Overdue ones first, oldest first; then the rest, as raised.
    items.sort(key=lambda i: i.tag != gettext("Overdue"))
    return Panel(gettext("Safeguarding concerns waiting for you"), items=items)


def _invitations_panel(user: User) -> Panel | None:
    """Invitations waiting for this person's email address."""
    waiting_for_me = Invitation.objects.filter(
        email__iexact=user.email, accepted_at__isnull=True, revoked_at__isnull=True,
        expires_at__gt=timezone.now()).select_related("school", "partnership")
    if not waiting_for_me:
        return None
    return Panel("Invitations for you", items=[
        Item(f"You are invited as {inv.get_role_display().lower()} – {inv.scope_label}.",
             url=reverse("accounts:accept_invitation", args=[inv.token]),
             tag="Accept", tag_colour="blue") for inv in waiting_for_me])


def _no_roles_panel(roles: list[Any]) -> Panel | None:
    if roles:
        return None
    return Panel(
        "You have no roles yet",
        intro="Your account is set up, but nobody has given you a role at a school or "
              "partnership. Ask your partnership lead or the programme team to invite you.",
    )


def _programme_panel(user: User) -> Panel | None:
    """For the core team: the register, partnerships that need attention, invitations."""
    if not is_core_team(user):
        return None
    items = []
    facts = register_facts()  # cached until the register changes
    school_total, open_total = facts["total"], facts["open_total"]
    last = ImportJob.objects.filter(status=ImportJob.Status.DONE).first()
    when = f"; last import {(last.finished_at or last.created_at):%-d %B %Y}." if last else "."
    items.append(Item(
        f"The register holds {school_total:,} schools ({open_total:,} open){when}",
        url=reverse("schools:import"), tag="" if school_total else "To do",
        tag_colour="blue"))
    small = (Partnership.objects.with_current_counts().filter(school_count__lt=3)
             .exclude(phase=Phase.ALUMNI))
    for p in small[:10]:
        items.append(Item(f"{p.name} has {p.school_count} school"
                          f"{'' if p.school_count == 1 else 's'}: a partnership needs at "
                          "least 3 for reciprocal reviews.",
                          url=reverse("partnerships:detail", args=[p.slug]),
                          tag="Check", tag_colour="yellow"))
    leadless = Partnership.objects.exclude(
        role_assignments__role=Role.PARTNERSHIP_LEAD,
        **current_role_lookup("role_assignments__")).exclude(phase=Phase.ALUMNI)
    for p in leadless[:10]:
        items.append(Item(f"{p.name} has no partnership lead on the platform.",
                          url=reverse("partnerships:people", args=[p.slug]),
                          tag="To do", tag_colour="blue"))
    waiting = Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True,
                                        expires_at__gt=timezone.now()).count()
    if waiting:
        items.append(Item(f"{waiting} invitation{'' if waiting == 1 else 's'} not yet "
                          "accepted.", url=reverse("people:people")))
    items += _alumni_core_items()
    nominated = DeliveryPartner.objects.filter(status=DeliveryPartner.State.NOMINATED).count()
    if nominated:
        items.append(Item(f"{nominated} delivery partner nomination"
                          f"{'' if nominated == 1 else 's'} "
                          f"{'waits' if nominated == 1 else 'wait'} for a decision.",
                          url=reverse("delivery:index") + "?show=waiting", tag="Decide",
                          tag_colour="red"))
    new = Enquiry.objects.filter(status=Enquiry.State.NEW).count()
    if new:
        items.insert(0, Item(f"{new} new enquir{'y' if new == 1 else 'ies'} from schools "
                             "interested in the programme.",
                             url=reverse("enquiries:inbox") + "?status=new", tag="Reply",
                             tag_colour="red"))
    items[1:1] = _approvals_items()
    reported = PostReport.objects.filter(closed_at__isnull=True).values("post").distinct() \
        .count()
    if reported:
        items.insert(0, Item(f"{reported} community post{'' if reported == 1 else 's'} "
                             f"reported and waiting for moderation.",
                             url=reverse("community:moderation"), tag="Moderate",
                             tag_colour="red"))
    return Panel("Programme", items=items)


def _alumni_core_items() -> list[Item]:
    """For the core team: alumni requests waiting, and memberships due for renewal."""
    items = []
    waiting = alumni.waiting_count()
    if waiting:
        items.append(Item(f"{waiting} request{'' if waiting == 1 else 's'} to join the alumni "
                          f"programme {'waits' if waiting == 1 else 'wait'} for a decision.",
                          url=reverse("alumni:memberships") + "?show=waiting", tag="Decide",
                          tag_colour="red"))
    due = alumni.due_count()
    if due:
        items.append(Item(f"{due} alumni membership{'' if due == 1 else 's'} "
                          f"{'ends' if due == 1 else 'end'} within 60 days without a renewal.",
                          url=reverse("alumni:memberships") + "?show=due", tag="Renewals",
                          tag_colour="yellow"))
    return items


def _alumni_panel(user: User) -> Panel | None:
    """For headteachers, school leaders and partnership leads: alumni memberships due for
    renewal, and the schools and partnerships that may now ask to join."""
    if not user.has_perm("alumni.request"):
        return None
    items = [Item(f"{m.applicant_name}'s alumni membership ends on {m.ends_on:%-d %B %Y}. "
                  "Ask to renew it.", url=reverse("alumni:renew", args=[m.pk]), tag="Renew",
                  tag_colour="yellow") for m in alumni.renewals_due_for(user)]
    # Schools in the alumni programme through their partnership's membership (item 4 of the
    # 7 Dec walkthrough: they were told they "can join").
    for m, names in alumni.memberships_through_partnership(user):
        verb = "is an alumni member" if len(names) == 1 else "are alumni members"
        items.append(Item(f"{' and '.join(names)} {verb} through {m.applicant_name} "
                          f"until {m.ends_on:%-d %B %Y}.",
                          url=reverse("alumni:detail", args=[m.pk]), tag="Member",
                          tag_colour="green"))
    may_ask = [p.name for p in alumni.requestable_partnerships(user)] + \
        [s.name for s in alumni.requestable_schools(user)]
    if may_ask:
        items.append(Item(f"{' and '.join(may_ask)} can join the alumni programme: keep the "
                          "library, national meetings and your own peer reviews.",
                          url=reverse("alumni:request")))
    return Panel("Alumni programme", items=items) if items else None


TEAM_SIZE = 3  # lead reviewer and two reviewers, the usual team
TEAM_WEEKS = 8  # a review this close with its team not yet formed needs the lead


def _cycle_items(p: Partnership) -> list[Item]:
    """What the lead of ``p`` should act on in this year's cycle: reviews without dates, and
    reviews coming soon whose team has not yet accepted (two queries)."""
    today = timezone.localdate()
    reviews = (Review.objects.filter(cycle__partnership=p,
                                     cycle__start_year=Cycle.year_of(today),
                                     status__in=OPEN_STATUSES)
               .exclude(status=Status.POSTPONED).select_related("host")
               .annotate(accepted=Count("team", filter=Q(
                   team__status=TeamMember.State.ACCEPTED,
                   team__role__in=[TeamMember.Role.LEAD, TeamMember.Role.REVIEWER])))
               .order_by("review_starts_on", "host__name"))
    items = []
    for r in reviews:
        if r.review_starts_on is None:
            items.append(Item(f"The review of {r.host.name} has no dates yet.",
                              url=reverse("reviews:schedule", args=[r.pk]), tag="To do",
                              tag_colour="blue"))
        elif today <= r.review_starts_on <= today + timedelta(weeks=TEAM_WEEKS) and \
                r.accepted < TEAM_SIZE:
            items.append(Item(
                f"The review of {r.host.name} on {r.review_starts_on:%-d %B %Y} has "
                f"{r.accepted} of {TEAM_SIZE} reviewers accepted.",
                url=reverse("reviews:team", args=[r.pk]), tag="Team", tag_colour="yellow"))
    return items


def _led_partnership_panels(user: User, brokered: dict[int, list[Item]]) -> list[Panel]:
    """For a partnership lead: each partnership's schools without a headteacher, support
    matches not yet confirmed (``brokered``, by partnership), and invitations waiting."""
    panels = []
    led = led_partnership_ids(user)
    asked: dict[int, list[PartnerAgreement]] = {}
    for request in PartnerAgreement.objects.filter(
            partner_id__in=led, state=PartnerAgreement.State.ASKED,
            cycle__cross_partnership=True).select_related("cycle__partnership"):
        asked.setdefault(request.partner_id, []).append(request)
    for p in Partnership.objects.filter(pk__in=led).with_current_counts():
        items = []
        schools = p.current_schools()
        with_head = set(schools.filter(
            role_assignments__role=Role.HEADTEACHER,
            **current_role_lookup("role_assignments__")).values_list("pk", flat=True))
        for school in schools:
            if school.pk not in with_head:
                items.append(Item(f"{school.name} has no headteacher on the platform yet.",
                                  url=reverse("people:invite") + f"?partnership={p.slug}",
                                  tag="Invite", tag_colour="blue"))
        items += _cycle_items(p)
        items += brokered.get(p.pk, [])
        for request in asked.get(p.pk, []):
            items.insert(0, Item(
                f"{request.cycle.partnership.name} asks to include {p.name}'s trained "
                f"reviewers in its {request.cycle.label} review cycle.",
                url=reverse("reviews:agreement", args=[request.pk]), tag="Answer",
                tag_colour="red"))
        waiting = p.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True,
                                       expires_at__gt=timezone.now()).count()
        if waiting:
            items.append(Item(f"{waiting} invitation{'' if waiting == 1 else 's'} waiting "
                              "to be accepted.",
                              url=reverse("partnerships:people", args=[p.slug])))
        panels.append(Panel(
            f"{p.name} (you lead)",
            intro=f"{p.get_phase_display()} phase · {p.school_count} schools",
            items=items, empty="Every school has its headteacher on the platform."))
    return panels


def _associate_panel(roles: list[Any]) -> Panel | None:
    """For an associate: each partnership they support, how its reviews this year stand and
    how many actions in its schools' plans are overdue (three queries however many)."""
    associate_of = [pid for r, pid, _ in roles if r == Role.ASSOCIATE and pid]
    if not associate_of:
        return None
    today = timezone.localdate()
    year = Cycle.year_of(today)
    open_now = Q(status__in=OPEN_STATUSES) & ~Q(status=Status.POSTPONED)
    reviews = {row["cycle__partnership"]: row for row in (
        Review.objects.filter(cycle__partnership_id__in=associate_of, cycle__start_year=year)
        .exclude(status=Status.CANCELLED).order_by().values("cycle__partnership")
        .annotate(total=Count("id"), closed=Count("id", filter=Q(status=Status.CLOSED)),
                  undated=Count("id", filter=open_now & Q(review_starts_on__isnull=True))))}
    overdue = dict(Action.objects.filter(
        review__cycle__partnership_id__in=associate_of, status__in=OPEN_ACTION_STATES,
        due_on__lt=today).order_by().values("review__cycle__partnership")
        .annotate(n=Count("id")).values_list("review__cycle__partnership", "n"))
    label = f"{year}/{(year + 1) % 100:02d}"
    items = []
    for p in Partnership.objects.filter(pk__in=associate_of).order_by("name"):
        row = reviews.get(p.pk)
        if row:
            undated = (f", {row['undated']} without dates yet" if row["undated"] else "")
            summary = (f"{row['total']} review{'' if row['total'] == 1 else 's'} in the "
                       f"{label} cycle, {row['closed']} closed{undated}")
        else:
            summary = f"no reviews in the {label} cycle yet"
        items.append(Item(f"{p.name} ({p.get_phase_display()} phase): {summary}.",
                          url=reverse("partnerships:detail", args=[p.slug])))
        late = overdue.get(p.pk, 0)
        if late:
            items.append(Item(f"{p.name}: {late} action{'' if late == 1 else 's'} in its "
                              f"schools' plans {'is' if late == 1 else 'are'} overdue.",
                              url=reverse("improvement:partnership", args=[p.slug]),
                              tag="Overdue", tag_colour="red"))
    return Panel("Partnerships you support as associate", items=items)


def _approvals_items() -> list[Item]:
    """For the core team: framework versions sent for approval (one query)."""
    return [Item(f"Version {v.number} of {v.title} is waiting for approval.",
                 url=reverse("frameworks:versions", args=[v.framework.slug]),
                 tag="Approve", tag_colour="red")
            for v in FrameworkVersion.objects.filter(status=FrameworkVersion.Status.REVIEW)
            .select_related("framework").order_by("pk")[:10]]


def _evaluation_panel(user: User) -> Panel | None:
    """For evaluators: the analyses, survey results and fidelity figures they can read and
    export (three queries)."""
    if not is_evaluator(user):
        return None
    items = []
    done = list(Analysis.objects.filter(status=Analysis.Status.DONE)
                .order_by("-created_at", "-pk")[:3])
    for a in done:
        items.append(Item(f"Analysis: {a.name}", url=reverse("impact:analysis", args=[a.pk])))
    if not done:
        items.append(Item("No analysis has finished yet. Define one from the outcomes "
                          "imported.", url=reverse("impact:analyses")))
    for wave in (Wave.objects.filter(closed_at__isnull=False).select_related("survey")
                 .order_by("-closed_at")[:3]):
        items.append(Item(f"Survey results: {wave}",
                          url=reverse("impact:wave_results", args=[wave.pk])))
    items.append(Item("Fidelity figures by partnership, to read or export",
                      url=reverse("impact:fidelity")))
    return Panel("Evaluation", intro="Analyses and exports show schools by pseudonym.",
                 items=items)


def _staying_connected_panel(user: User) -> Panel | None:
    """For people whose partnerships have all reached the Alumni phase: the library,
    national meetings to come and the review frameworks (three queries)."""
    if programme_standing(user) != "alumni":
        return None
    items = []
    meetings = list(Session.objects.filter(course__kind=CourseKind.NATIONAL_MEETING,
                                           course__audience__in=course_audiences(user),
                                           cancelled_at__isnull=True)
                    .annotate(starts=Min("parts__starts_at"))
                    .filter(starts__gte=timezone.now()).select_related("course")
                    .order_by("starts")[:3])
    # A meeting the person already has a place at says so (and its page offers to cancel).
    booked = set(Booking.objects.filter(user=user, session__in=meetings,
                                        status=Booking.State.BOOKED)
                 .values_list("session_id", flat=True)) if meetings else set()
    for s in meetings:
        items.append(Item(f"{s.label}, {timezone.localtime(s.starts):%-d %B %Y}",
                          url=reverse("training:session", args=[s.pk]),
                          tag="Booked" if s.pk in booked else "Book",
                          tag_colour="green" if s.pk in booked else "blue"))
    newest = list(visible_resources(user).filter(audience=ResourceAudience.ALUMNI)
                  .order_by("-published_on", "-pk")[:3])
    for r in newest:
        items.append(Item(f"For alumni schools: {r.title}",
                          url=reverse("resources:detail", args=[r.pk])))
    items.append(Item("The resources library", url=reverse("resources:library")))
    published = FrameworkVersion.objects.filter(
        status=FrameworkVersion.Status.PUBLISHED).count()
    items.append(Item(f"Review frameworks ({published} published) to use in your own "
                      "school's self-review", url=reverse("frameworks:list")))
    return Panel("Staying connected as an alumni school", items=items)


def _schools_panel(roles: list[Any]) -> Panel | None:
    """The person's schools, their chosen key enquiry questions and their partnerships."""
    school_roles = [(r, sid) for r, _, sid in roles if sid]
    if not school_roles:
        return None
    by_pk = {s.pk: s for s in School.objects.filter(pk__in=[s for _, s in school_roles])}
    items = []
    for role, sid in school_roles:
        school = by_pk[sid]
        items.append(Item(f"{Role(role).label} at {school.name}",
                          url=reverse("directory:school", args=[school.urn])))
    for item in ShortlistItem.objects.filter(school_id__in=by_pk, chosen_for_review=True) \
            .select_related("school", "question"):
        items.append(Item(f"{item.school.name}'s key enquiry question: “{item.question.text}”",
                          url=reverse("frameworks:shortlist")))
    for p in Partnership.objects.with_current_school(by_pk):
        items.append(Item(f"Your partnership: {p.name} ({p.get_phase_display()} phase)",
                          url=reverse("partnerships:detail", args=[p.slug])))
    return Panel("Your schools", items=items)


def _figures_panel(user: User) -> Panel | None:
    """For evaluators: anonymised programme figures."""
    if not is_evaluator(user):
        return None
    phases = (Partnership.objects.values("phase").annotate(n=Count("id"))
              .order_by("phase"))
    items = [Item(f"{dict(Phase.choices)[row['phase']]}: "
                  f"{row['n']} partnership{'' if row['n'] == 1 else 's'}")
             for row in phases]
    members = Membership.objects.current().values("school_id").distinct().count()
    items.append(Item(f"{members:,} schools in partnerships"))
    return Panel("Programme figures (anonymised)", items=items)


def home_panels(user: User) -> list[Panel]:
    """What needs the person now, panel by panel in this order."""
    roles = current_roles(user)
    to_confirm, brokered = _support_items(user)
    support = Panel("Support between schools", items=to_confirm) if to_confirm else None
    panels = [_invitations_panel(user), _safeguarding_panel(user), _reviews_panel(user),
              support, _surveys_panel(user, roles), _trainer_panel(user),
              _no_roles_panel(roles), _programme_panel(user),
              *_led_partnership_panels(user, brokered), _alumni_panel(user),
              _associate_panel(roles), _schools_panel(roles), _staying_connected_panel(user),
              _training_panel(user), _evaluation_panel(user), _figures_panel(user)]
    return [panel for panel in panels if panel is not None]
