"""Presenters: what the home page shows each person, computed here so templates only lay out.

The page has two parts. "What needs you now" holds only steps this person has to take, each
worded as the step with its subject and its date ("Say whether you can review at … on …").
Below it, panels to read ("… at a glance"): statuses, counts and where to find things. Every
string is marked for translation, with named placeholders, so the Welsh can order the words
its own way."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Max, Min, Q, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

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
from apps.core.dates import date_text, time_text
from apps.frameworks.models import FrameworkVersion, ShortlistItem
from apps.home.models import Enquiry
from apps.impact.models import Analysis, Wave, WaveInvite
from apps.improvement.access import owned_actions
from apps.improvement.models import Action
from apps.improvement.selectors import DUE_SOON_DAYS, actions_to_act_on
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
    tag: str = ""  # the timing, e.g. "Today", "Due soon"
    tag_colour: str = ""


@dataclass
class Panel:
    title: str
    intro: str = ""
    items: list[Item] = field(default_factory=list)
    empty: str = ""


@dataclass
class HomePage:
    """``needs``: the panels of "What needs you now" (steps only); ``glance``: panels to read
    below it."""

    needs: list[Panel] = field(default_factory=list)
    glance: list[Panel] = field(default_factory=list)


# Dates and times in the reader's language: "Thursday 10 December" (with the year when it is
# not this year's), "10 December 2026", "9am" / "3:45pm".

def _this_year(d: date) -> bool:
    return d.year == timezone.localdate().year


def _day(d: date) -> str:
    return date_text(d, "weekday,noyear" if _this_year(d) else "weekday")


def _date(d: date | None) -> str:
    """(An alumni membership's end, typed as optional, is always set where home shows it.)"""
    return date_text(d)


def _short(d: date) -> str:
    return date_text(d, "noyear" if _this_year(d) else "")


def _time(t: time | datetime) -> str:
    return time_text(t)


def _tag(name: str) -> str:
    """The short label on an item, in the reader's language."""
    return {
        "Today": pgettext("home tag", "Today"),
        "Coming up": pgettext("home tag", "Coming up"),
        "Due soon": pgettext("home tag", "Due soon"),
        "Overdue": pgettext("home tag", "Overdue"),
        "Lapsed": pgettext("home tag", "Lapsed"),
        "Book": _("Book"),  # the training pages' own words
        "Booked": _("Booked"),
        "Member": pgettext("home tag", "Member"),
    }[name]


def _role(role: str) -> str:
    """A role's name in the reader's language (the model's own translated label)."""
    return str(Role(role).label) if role in Role.values else role


def _need(text: str, url: str, tag: str = "", colour: str = "") -> Item:
    """A step to take, worded verb first; tagged only for its timing (a tag repeating the
    verb, "Answer Answer the survey", says nothing)."""
    return Item(text, url=url, tag=_tag(tag) if tag else "", tag_colour=colour)


def _wave_kind(wave: Wave) -> str:
    kinds: dict[str, str] = {
        Wave.Kind.BASELINE: pgettext("survey wave", "the baseline"),
        Wave.Kind.YEAR1: pgettext("survey wave", "the end of year 1"),
        Wave.Kind.YEAR2: pgettext("survey wave", "the end of year 2"),
        Wave.Kind.YEAR3: pgettext("survey wave", "the end of year 3"),
    }
    return kinds.get(wave.kind, wave.get_kind_display().lower())


def _phase(phase: str) -> str:
    """A phase's name in the reader's language (the model's own translated label)."""
    return str(Phase(phase).label) if phase in Phase.values else phase


def _offer_item(booking: Booking) -> Item:
    starts = booking.session.first_start()
    until = timezone.localtime(booking.offer_expires_at) if booking.offer_expires_at else None
    values = {"session": booking.session.label,
              "day": _day(timezone.localtime(starts).date()) if starts else "",
              "until": f"{_day(until.date())}, {_time(until)}" if until else ""}
    if starts and until:
        text = _("Take or turn down the place offered to you on %(session)s (%(day)s) by "
                 "%(until)s") % values
    elif until:
        text = _("Take or turn down the place offered to you on %(session)s by %(until)s") \
            % values
    else:
        text = _("Take or turn down the place offered to you on %(session)s") % values
    return _need(text, reverse("training:session", args=[booking.session_id]))


def _training_panels(user: User) -> tuple[Panel | None, Panel | None]:
    """Places offered from a waiting list and training to renew (needs); training the person
    holds and refreshers they are booked on (to read)."""
    today = timezone.localdate()
    soon = today + timedelta(days=60)
    needs, glance = [], []
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
    for label, grants, until in (
            (_("Peer reviewer"), Grants.REVIEWER, user.reviewer_trained_until),
            (_("Improvement Champion"), Grants.CHAMPION, user.champion_trained_until)):
        if not until:
            continue
        values = {"role": label, "day": _date(until)}
        if until <= soon:
            lapsed = until < today
            place = booked.get(grants)
            if place is not None:
                glance.append(Item(
                    (_("%(role)s training lapsed on %(day)s. You are booked on %(session)s.")
                     if lapsed else
                     _("%(role)s training runs out on %(day)s. You are booked on "
                       "%(session)s.")) % {**values, "session": place.session.label},
                    url=reverse("training:session", args=[place.session_id])))
            else:
                needs.append(_need(
                    (_("Book %(role)s refresher training: yours lapsed on %(day)s, and you "
                       "need it before you are asked to take part again")
                     if lapsed else
                     _("Book %(role)s refresher training before yours runs out on %(day)s"))
                    % values, reverse("training:catalogue"),
                    "Lapsed" if lapsed else "Due soon", "red" if lapsed else "yellow"))
        else:
            glance.append(Item(_("%(role)s: trained until %(day)s.") % values))
    # A place offered from a waiting list lapses if not taken in time: first.
    needs[:0] = [_offer_item(b) for b in sorted(offers.values(),
                                                key=lambda b: (b.offer_expires_at, b.pk))]
    return (Panel(_("Your training"), items=needs) if needs else None,
            Panel(_("Your training at a glance"), items=glance) if glance else None)


def _reports_to_check(user: User) -> list[Item]:
    """Reports sent to the host headteacher for a factual-accuracy check."""
    heads_of = school_ids_for(user, {Role.HEADTEACHER})
    if not heads_of:
        return []
    items = []
    for r in (Report.objects.filter(review__host_id__in=heads_of, status=Report.State.CHECKING)
              .select_related("review__host")):
        values = {"number": r.number, "school": r.review.host.name}
        if r.submitted_at:
            values["day"] = _day(timezone.localtime(r.submitted_at).date())
            text = _("Check version %(number)s of the report on %(school)s’s review for "
                     "factual accuracy: it was sent to you on %(day)s") % values
        else:
            text = _("Check version %(number)s of the report on %(school)s’s review for "
                     "factual accuracy") % values
        items.append(_need(text, reverse("reviews:report", args=[r.review_id])))
    return items


SOON_DAYS = 14  # a workshop or review day this close is shown as the next thing to do
# A check-back is arranged with the school well ahead, often across a holiday.
CHECKBACK_DAYS = 35
BEFORE_FEEDBACK = (Status.ENQUIRY_AGREED, Status.SCHEDULED, Status.IN_REVIEW)
MOST_URGENT = 3  # actions (and invitations) named one by one; the rest as "and N more"


def _next_step(r: Review, today: date) -> tuple[str, bool]:
    """What the host school does next in its review, with the date it is for, and whether it
    is a step for the school now (``False``: the review team's turn, to read)."""
    values = {"school": r.host.name}
    if r.status == Status.PLANNED:
        if r.review_starts_on:
            return _("Start %(school)s’s self-review: the review day is %(day)s") % {
                **values, "day": _day(r.review_starts_on)}, True
        return _("Start %(school)s’s self-review; no dates are set for the review "
                 "yet") % values, True
    if r.status == Status.SELF_REVIEW:
        if r.pre_review_on and r.pre_review_on >= today:
            return _("Finish %(school)s’s self-review before the pre-review meeting on "
                     "%(day)s") % {**values, "day": _day(r.pre_review_on)}, True
        return _("Finish %(school)s’s self-review") % values, True
    if r.status in (Status.ENQUIRY_AGREED, Status.SCHEDULED):
        if r.review_starts_on:
            return _("Get the visit plan and the evidence ready for %(school)s’s review day "
                     "on %(day)s") % {**values, "day": _day(r.review_starts_on)}, True
        return _("Get the visit plan and the evidence ready for %(school)s’s review "
                 "day") % values, True
    if r.status in (Status.IN_REVIEW, Status.FEEDBACK_GIVEN):
        return _("%(school)s’s review team is writing its report; you check it before it is "
                 "agreed.") % values, False
    return _step_after_report(r, today)


def _step_after_report(r: Review, today: date) -> tuple[str, bool]:
    """``_next_step`` once the report is agreed: the workshop, then acting on the plan."""
    values = {"school": r.host.name}
    if r.status == Status.REPORT_AGREED:
        workshop = getattr(r, "workshop", None)
        if workshop is not None and workshop.completed_at is None:
            return _("Hold %(school)s’s Improvement Workshop with your Improvement Champion "
                     "on %(day)s") % {**values, "day": _day(workshop.held_on)}, True
        if r.workshop_on:
            return _("Hold %(school)s’s Improvement Workshop with your Improvement Champion "
                     "by %(day)s") % {**values, "day": _day(r.workshop_on)}, True
        return _("Agree a date for %(school)s’s Improvement Workshop with your Improvement "
                 "Champion") % values, True
    if r.status == Status.ACTING:
        if r.checkback_on and r.checkback_on >= today:
            return _("Record progress on each action in %(school)s’s plan before the impact "
                     "check-back on %(day)s") % {**values, "day": _day(r.checkback_on)}, True
        return _("Record progress on each action in %(school)s’s plan") % values, True
    return _("%(school)s’s review: %(status)s.") % {
        **values, "status": r.get_status_display().lower()}, False


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
    values = {"school": r.host.name}
    if workshop is not None and workshop.completed_at is None and \
            today <= workshop.held_on <= today + timedelta(days=SOON_DAYS):
        values["day"] = _day(workshop.held_on)
        if workshop.starts_at:
            values["time"] = _time(workshop.starts_at)
            text = (_("Agree your first actions with your Improvement Champion at "
                      "%(school)s’s Improvement Workshop on %(day)s at %(time)s")
                    if hosting else
                    _("Run the Improvement Workshop at %(school)s on %(day)s at %(time)s"))
        else:
            text = (_("Agree your first actions with your Improvement Champion at "
                      "%(school)s’s Improvement Workshop on %(day)s")
                    if hosting else
                    _("Run the Improvement Workshop at %(school)s on %(day)s"))
        today_ = workshop.held_on == today
        return _need(text % values, reverse("improvement:workshop", args=[r.pk]),
                     "Today" if today_ else "Coming up", "red" if today_ else "yellow")
    if workshop is None and r.workshop_on and \
            today <= r.workshop_on <= today + timedelta(days=SOON_DAYS):
        values["day"] = _day(r.workshop_on)
        text = (_("Agree the time and place of %(school)s’s Improvement Workshop, planned "
                  "for %(day)s, with your Improvement Champion")
                if hosting else
                _("Agree the time and place of the Improvement Workshop at %(school)s, "
                  "planned for %(day)s, with the school"))
        return _need(text % values, reverse("improvement:workshop_when", args=[r.pk]))
    return None


def _checkback_item(r: Review, today: date, *, hosting: bool = True) -> Item | None:
    """The impact check-back due in the next five weeks, or late, while not completed. The
    host's leaders record it; the champion, who may not, is sent to the action plan."""
    if r.status != Status.ACTING or not r.checkback_on or \
            r.checkback_on > today + timedelta(days=CHECKBACK_DAYS):
        return None
    checkback = getattr(r, "checkback", None)
    if checkback is not None and checkback.completed_at is not None:
        return None
    late = r.checkback_on < today
    values = {"school": r.host.name, "day": _day(r.checkback_on)}
    if hosting:
        text = (_("Hold the impact check-back at %(school)s, due on %(day)s: look at what "
                  "each action has changed") if late else
                _("Hold the impact check-back at %(school)s on %(day)s: look at what each "
                  "action has changed"))
        url = reverse("improvement:checkback", args=[r.pk])
    else:
        text = (_("Go through the action plan with %(school)s’s leaders for the impact "
                  "check-back, due on %(day)s; they record it") if late else
                _("Go through the action plan with %(school)s’s leaders before the impact "
                  "check-back on %(day)s; they record it"))
        url = reverse("improvement:plan", args=[r.pk])
    return _need(text % values, url, "Overdue" if late else "Due soon",
                 "red" if late else "yellow")


def _team_invitation(m: TeamMember) -> Item:
    """A review-team invitation to answer: the school and the review day."""
    r = m.review
    values = {"school": r.host.name, "role": m.get_role_display().lower()}
    if r.review_starts_on:
        values["day"] = _day(r.review_starts_on)
        text = (_("Say whether you can be Improvement Champion for %(school)s’s review on "
                  "%(day)s") if m.role == TeamMember.Role.CHAMPION else
                _("Say whether you can review at %(school)s on %(day)s (as %(role)s)"))
    else:
        text = (_("Say whether you can be Improvement Champion for %(school)s’s review (its "
                  "dates are not set yet)") if m.role == TeamMember.Role.CHAMPION else
                _("Say whether you can review at %(school)s as %(role)s (its dates are not "
                  "set yet)"))
    return _need(text % values, reverse("reviews:invitation", args=[m.pk]))


def _action_items(user: User, today: date) -> tuple[list[Item], list[Item]]:
    """The person's actions that are overdue or due soon, most urgent first, each named with
    a link, then "and N more" (needs); how many open actions they own (to read). Only
    actions in plans that can still change (improvement.selectors.actions_to_act_on): a
    closed or cancelled review's plan is a record. One query."""
    soon = today + timedelta(days=DUE_SOON_DAYS)
    rows = list(actions_to_act_on(owned_actions(user)).order_by("due_on", "pk")
                .values("pk", "title", "due_on"))
    urgent = [a for a in rows if a["due_on"] <= soon]
    needs = []
    for a in urgent[:MOST_URGENT]:
        late = a["due_on"] < today
        needs.append(_need(_("Update ‘%(action)s’ (due %(day)s)") % {
            "action": a["title"], "day": _date(a["due_on"])},
            reverse("improvement:action", args=[a["pk"]]),
            "Overdue" if late else "Due soon", "red" if late else "yellow"))
    more = len(urgent) - MOST_URGENT
    if more > 0:
        needs.append(Item(ngettext("and %(n)s more action overdue or due soon",
                                   "and %(n)s more actions overdue or due soon", more)
                          % {"n": more}, url=reverse("improvement:my_actions")))
    glance = []
    if rows:
        glance.append(Item(ngettext("You own %(n)s open action; the next is due on %(day)s.",
                                    "You own %(n)s open actions; the next is due on %(day)s.",
                                    len(rows)) % {"n": len(rows), "day": _date(rows[0]["due_on"])},
                           url=reverse("improvement:my_actions")))
    return needs, glance


def _champion_workshop(r: Review) -> Item:
    values = {"school": r.host.name}
    if r.workshop_on:
        return _need(_("Run the Improvement Workshop at %(school)s by %(day)s") % {
            **values, "day": _day(r.workshop_on)},
            reverse("improvement:workshop", args=[r.pk]))
    return _need(_("Agree a date for the Improvement Workshop at %(school)s with the "
                   "school") % values, reverse("improvement:workshop", args=[r.pk]))


def _team_step(m: TeamMember, today: date) -> Item | None:
    """A step for a member of the review team before or after the review day: preparing in
    the fortnight before it, and the lead reviewer writing the report after feedback."""
    r = m.review
    values = {"school": r.host.name}
    if m.role in (TeamMember.Role.LEAD, TeamMember.Role.REVIEWER) and \
            r.status in (Status.ENQUIRY_AGREED, Status.SCHEDULED) and r.review_starts_on and \
            today < r.review_starts_on <= today + timedelta(days=SOON_DAYS):
        return _need(_("Read the self-review and the lines of enquiry before the review day "
                       "at %(school)s on %(day)s") % {**values, "day": _day(r.review_starts_on)},
                     reverse("reviews:detail", args=[r.pk]), "Coming up", "yellow")
    if m.role == TeamMember.Role.LEAD and r.status == Status.FEEDBACK_GIVEN:
        return _need(_("Write the report on %(school)s’s review and send it to the "
                       "headteacher to check") % values,
                     reverse("reviews:report", args=[r.pk]))
    return None


@dataclass
class _ReviewItems:
    needs: list[Item] = field(default_factory=list)
    urgent: list[Item] = field(default_factory=list)  # first among the needs
    workshops: list[Item] = field(default_factory=list)  # last among the needs
    glance: list[Item] = field(default_factory=list)


def _team_items(user: User, today: date, found: _ReviewItems) -> None:
    """Into ``found``: review-team invitations to answer, and for each review the person is
    on, their step (review day, workshop, check-back, preparing, the report) or its status
    (two queries)."""
    for m in TeamMember.objects.filter(user=user, status=TeamMember.State.INVITED,
                                       review__status__in=OPEN_STATUSES) \
            .select_related("review__host"):
        found.needs.append(_team_invitation(m))
    # One query for the reviews the person is on, with their workshop and check-back.
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
            found.urgent.append(_need(
                (_("Review day at %(school)s: record your evidence, then write the feedback "
                   "and mark it given.") if lead else
                 _("Review day at %(school)s: record your evidence.")) % {"school": r.host.name},
                reverse("reviews:evidence", args=[r.pk]), "Today", "red"))
            continue
        if m.role == TeamMember.Role.CHAMPION:
            due = _workshop_item(r, today, hosting=False) or \
                _checkback_item(r, today, hosting=False)
            if due:
                found.urgent.append(due)
                continue
            if r.status == Status.REPORT_AGREED:
                found.workshops.append(_champion_workshop(r))
                continue
        step = _team_step(m, today)
        if step:
            found.needs.append(step)
            continue
        values = {"school": r.host.name, "status": r.get_status_display().lower()}
        if r.review_starts_on:
            values["day"] = _short(r.review_starts_on)
            text = _("Review of %(school)s, %(day)s: %(status)s.") % values
        else:
            text = _("Review of %(school)s: %(status)s.") % values
        found.glance.append(Item(text, url=reverse("reviews:detail", args=[r.pk])))


def _reviews_panels(user: User) -> tuple[Panel | None, Panel | None]:
    """Review-team invitations to answer, reviews the person is on, and reviews of their
    school: the next step with its date (needs), and where each review stands (to read)."""
    today = timezone.localdate()
    found = _ReviewItems()
    _team_items(user, today, found)
    needs, urgent, glance = found.needs, found.urgent, found.glance
    hosting = Review.objects.filter(host_id__in=school_ids_for(
        user, {Role.HEADTEACHER, Role.SCHOOL_LEADER}), status__in=OPEN_STATUSES) \
        .select_related("host", "workshop", "checkback")
    for r in hosting:
        if _is_review_day(r, today):
            urgent.append(_need(_("Review day at %(school)s: the review team is with you, and "
                                  "gives its feedback at the end of the day.")
                                % {"school": r.host.name},
                                reverse("reviews:detail", args=[r.pk]), "Today", "red"))
            continue
        due = _workshop_item(r, today, hosting=True) or _checkback_item(r, today)
        if due:
            urgent.append(due)
            continue
        text, is_step = _next_step(r, today)
        if r.status == Status.POSTPONED:
            is_step = False
        item = Item(text, url=reverse("reviews:detail", args=[r.pk]))
        (needs if is_step else glance).append(item)
    needs[:0] = _reports_to_check(user) + urgent
    actions_needed, actions_glance = _action_items(user, today)
    needs += actions_needed + found.workshops
    glance += actions_glance
    return (Panel(_("Peer reviews"), items=needs) if needs else None,
            Panel(_("Your reviews at a glance"), items=glance) if glance else None)


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
        url = reverse("support:match_detail", args=[m.pk])
        host, provider = m.request.school, m.provider_school
        values = {"host": host.name, "provider": provider.name,
                  "day": _short(timezone.localtime(m.brokered_at).date())}
        if host.pk in leads and m.host_confirmed_at is None:
            mine.append(_need(_("Confirm the support %(provider)s offers %(host)s (proposed "
                                "%(day)s)") % values, url))
        if provider.pk in leads and m.provider_confirmed_at is None:
            mine.append(_need(_("Confirm that %(provider)s will support %(host)s (proposed "
                                "%(day)s)") % values, url))
        if m.request.partnership_id in led:
            if m.host_confirmed_at is None and m.provider_confirmed_at is None:
                text = _("Remind both schools to confirm the support %(provider)s offers "
                         "%(host)s (proposed %(day)s)")
            elif m.host_confirmed_at is None:
                text = _("Remind %(host)s to confirm the support %(provider)s offers it "
                         "(proposed %(day)s)")
            else:
                text = _("Remind %(provider)s to confirm its support for %(host)s (proposed "
                         "%(day)s)")
            brokered.setdefault(m.request.partnership_id, []).append(
                _need(text % values, url))
    return mine, brokered


def _surveys_panel(user: User, roles: list[Any]) -> Panel | None:
    """Survey waves still open that the person is asked to answer and has not (one query,
    none for people without a role). A wave has no closing date: it says so."""
    if not roles:
        return None
    items = [_need(_("Answer the survey “%(survey)s” for %(wave)s: it opened on %(day)s and "
                     "has no closing date yet. Your answers are anonymous.") % {
                         "survey": invite.wave.survey.title, "wave": _wave_kind(invite.wave),
                         "day": _short(timezone.localtime(invite.wave.opened_at).date())},
                   reverse("impact:my_surveys"))
             for invite in WaveInvite.objects.filter(user=user, answered=False,
                                                     wave__closed_at__isnull=True)
             .select_related("wave__survey").order_by("wave__opened_at")[:5]]
    return Panel(_("Surveys for you to answer"), items=items) if items else None


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
        places = ngettext("%(booked)s of %(capacity)s place taken",
                          "%(booked)s of %(capacity)s places taken", s.capacity) % {
            "booked": s.booked, "capacity": s.capacity}
        if s.waiting:
            places += ngettext(", %(n)s on the waiting list", ", %(n)s on the waiting list",
                               s.waiting) % {"n": s.waiting}
        values = {"session": s.label, "places": places}
        if starts.date() <= today:
            items.append(_need(_("Take the register at %(session)s today (%(places)s)")
                               % values,
                               reverse("training:register_attendance", args=[s.pk]), "Today",
                               "red"))
        else:
            items.append(_need(_("Run %(session)s on %(day)s at %(time)s: %(places)s")
                               % {**values, "day": _day(starts.date()), "time": _time(starts)},
                               reverse("training:session", args=[s.pk]), "Coming up",
                               "yellow"))
    return Panel(_("Sessions you train"), items=items) if items else None


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
    return Panel(_("Invitations for you"), items=[
        _need(_("Accept the invitation to be %(role)s – %(scope)s – by %(day)s") % {
            "role": _role(inv.role).lower(), "scope": inv.scope_label,
            "day": _day(timezone.localtime(inv.expires_at).date())},
            reverse("accounts:accept_invitation", args=[inv.token]))
        for inv in waiting_for_me])


def _no_roles_panel(roles: list[Any]) -> Panel | None:
    if roles:
        return None
    return Panel(
        _("You have no roles yet"),
        intro=_("Your account is set up, but nobody has given you a role at a school or "
                "partnership. Ask your partnership lead or the programme team to invite you."),
    )


def _invitation_items(invitations: Any, url: str) -> list[Item]:
    """Invitations not yet accepted, the oldest first, each named with its date, then "and N
    more" (one query: the total comes with the rows)."""
    rows = list(invitations.annotate(total=Window(Count("pk")))
                .order_by("created_at", "pk")[:MOST_URGENT])
    items = [_need(_("Follow up the invitation to %(name)s (%(role)s), sent on %(sent)s: it "
                     "runs out on %(day)s") % {
                         "name": inv.full_name or inv.email,
                         "role": _role(inv.role).lower(),
                         "sent": _short(timezone.localtime(inv.created_at).date()),
                         "day": _short(timezone.localtime(inv.expires_at).date())},
                   url) for inv in rows]
    more = rows[0].total - len(rows) if rows else 0
    if more > 0:
        items.append(Item(ngettext("and %(n)s more invitation not yet accepted",
                                   "and %(n)s more invitations not yet accepted", more)
                          % {"n": more}, url=url))
    return items


def _open_invitations() -> Any:
    return Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True,
                                     expires_at__gt=timezone.now())


def _programme_panels(user: User) -> tuple[Panel | None, Panel | None]:
    """For the core team: what waits for a decision or a reply (needs), and the register
    (to read)."""
    if not is_core_team(user):
        return None, None
    items = []
    facts = register_facts()  # cached until the register changes
    school_total, open_total = facts["total"], facts["open_total"]
    last = ImportJob.objects.filter(status=ImportJob.Status.DONE).first()
    glance = []
    if school_total:
        values = {"total": f"{school_total:,}", "open": f"{open_total:,}"}
        if last:
            values["day"] = _date((last.finished_at or last.created_at).date())
            text = _("The register holds %(total)s schools (%(open)s open); last import on "
                     "%(day)s.") % values
        else:
            text = _("The register holds %(total)s schools (%(open)s open).") % values
        glance.append(Item(text, url=reverse("schools:import")))
    else:
        items.append(_need(_("Import the register of schools"), reverse("schools:import")))
    small = (Partnership.objects.with_current_counts().filter(school_count__lt=3)
             .exclude(phase=Phase.ALUMNI))
    for p in small[:10]:
        items.append(_need(ngettext(
            "Add schools to %(partnership)s: it has %(n)s school, and a partnership needs at "
            "least 3 for reciprocal reviews",
            "Add schools to %(partnership)s: it has %(n)s schools, and a partnership needs "
            "at least 3 for reciprocal reviews", p.school_count) % {
                "partnership": p.name, "n": p.school_count},
            reverse("partnerships:detail", args=[p.slug])))
    leadless = Partnership.objects.exclude(
        role_assignments__role=Role.PARTNERSHIP_LEAD,
        **current_role_lookup("role_assignments__")).exclude(phase=Phase.ALUMNI)
    for p in leadless[:10]:
        items.append(_need(_("Invite a partnership lead for %(partnership)s") % {
            "partnership": p.name}, reverse("partnerships:people", args=[p.slug])))
    items += _invitation_items(_open_invitations(), reverse("people:people"))
    items += _alumni_core_items()
    nominated = DeliveryPartner.objects.filter(status=DeliveryPartner.State.NOMINATED).count()
    if nominated:
        items.append(_need(ngettext("Decide on %(n)s delivery partner nomination",
                                    "Decide on %(n)s delivery partner nominations", nominated)
                           % {"n": nominated}, reverse("delivery:index") + "?show=waiting"))
    new = Enquiry.objects.filter(status=Enquiry.State.NEW).count()
    if new:
        items.insert(0, _need(ngettext(
            "Reply to %(n)s new enquiry from schools interested in the programme",
            "Reply to %(n)s new enquiries from schools interested in the programme", new)
            % {"n": new}, reverse("enquiries:inbox") + "?status=new"))
    items[1:1] = _approvals_items()
    reported = PostReport.objects.filter(closed_at__isnull=True).values("post").distinct() \
        .count()
    if reported:
        items.insert(0, _need(ngettext(
            "Moderate %(n)s community post reported by its readers",
            "Moderate %(n)s community posts reported by their readers", reported)
            % {"n": reported}, reverse("community:moderation")))
    return (Panel(_("Programme"), items=items) if items else None,
            Panel(_("Programme at a glance"), items=glance) if glance else None)


def _alumni_core_items() -> list[Item]:
    """For the core team: alumni requests waiting, and memberships due for renewal."""
    items = []
    waiting = alumni.waiting_count()
    if waiting:
        items.append(_need(ngettext("Decide on %(n)s request to join the alumni programme",
                                    "Decide on %(n)s requests to join the alumni programme",
                                    waiting) % {"n": waiting},
                           reverse("alumni:memberships") + "?show=waiting"))
    due = alumni.due_count()
    if due:
        items.append(_need(ngettext(
            "Check %(n)s alumni membership that ends within 60 days with no renewal asked for",
            "Check %(n)s alumni memberships that end within 60 days with no renewal asked for",
            due) % {"n": due}, reverse("alumni:memberships") + "?show=due"))
    return items


def _alumni_panels(user: User) -> tuple[Panel | None, Panel | None]:
    """For headteachers, school leaders and partnership leads: alumni memberships due for
    renewal (needs); the schools and partnerships in the programme or that may ask to join
    (to read)."""
    if not user.has_perm("alumni.request"):
        return None, None
    needs = [_need(_("Ask to renew %(name)s’s alumni membership before it ends on %(day)s")
                   % {"name": m.applicant_name, "day": _date(m.ends_on)},
                   reverse("alumni:renew", args=[m.pk]))
             for m in alumni.renewals_due_for(user)]
    glance = []
    # Schools in the alumni programme through their partnership's membership (item 4 of the
    # 7 Dec walkthrough: they were told they "can join").
    for m, names in alumni.memberships_through_partnership(user):
        values = {"schools": _(" and ").join(names), "partnership": m.applicant_name,
                  "day": _date(m.ends_on)}
        glance.append(Item(ngettext(
            "%(schools)s is an alumni member through %(partnership)s until %(day)s.",
            "%(schools)s are alumni members through %(partnership)s until %(day)s.",
            len(names)) % values, url=reverse("alumni:detail", args=[m.pk]),
            tag=_tag("Member"), tag_colour="green"))
    may_ask = [p.name for p in alumni.requestable_partnerships(user)] + \
        [s.name for s in alumni.requestable_schools(user)]
    if may_ask:
        glance.append(Item(_("%(names)s can join the alumni programme: keep the library, "
                             "national meetings and your own peer reviews.") % {
                                 "names": _(" and ").join(may_ask)},
                           url=reverse("alumni:request")))
    return (Panel(_("Alumni programme"), items=needs) if needs else None,
            Panel(_("Alumni programme"), items=glance) if glance else None)


TEAM_SIZE = 3  # lead reviewer and two reviewers, the usual team
TEAM_WEEKS = 8  # a review this close with its team not yet formed needs the lead


def _cycle_items(p: Partnership) -> list[Item]:
    """What the lead of ``p`` should act on in this year's cycle: reviews without dates, and
    reviews coming soon whose team has not yet accepted (one query)."""
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
            items.append(_need(_("Set dates for %(school)s’s review") % {"school": r.host.name},
                               reverse("reviews:schedule", args=[r.pk])))
        elif today <= r.review_starts_on <= today + timedelta(weeks=TEAM_WEEKS) and \
                r.accepted < TEAM_SIZE:
            items.append(_need(ngettext(
                "Find reviewers for %(school)s’s review on %(day)s: %(n)s of %(size)s has "
                "accepted",
                "Find reviewers for %(school)s’s review on %(day)s: %(n)s of %(size)s have "
                "accepted", r.accepted) % {
                    "school": r.host.name, "day": _day(r.review_starts_on), "n": r.accepted,
                    "size": TEAM_SIZE},
                reverse("reviews:team", args=[r.pk])))
    return items


def _led_partnership_panels(user: User, brokered: dict[int, list[Item]]
                            ) -> tuple[list[Panel], Panel | None]:
    """For a partnership lead: each partnership's requests to answer, schools without a
    headteacher, reviews to date or staff, support matches not yet confirmed (``brokered``,
    by partnership) and invitations waiting (needs); its phase and size (to read)."""
    panels = []
    led = led_partnership_ids(user)
    if not led:
        return [], None
    asked: dict[int, list[PartnerAgreement]] = {}
    for request in PartnerAgreement.objects.filter(
            partner_id__in=led, state=PartnerAgreement.State.ASKED,
            cycle__cross_partnership=True).select_related("cycle__partnership"):
        asked.setdefault(request.partner_id, []).append(request)
    glance = []
    for p in Partnership.objects.filter(pk__in=led).with_current_counts():
        items = []
        for request in asked.get(p.pk, []):
            items.append(_need(_("Answer %(other)s’s request to include %(partnership)s’s "
                                 "trained reviewers in its %(cycle)s review cycle") % {
                                     "other": request.cycle.partnership.name,
                                     "partnership": p.name, "cycle": request.cycle.label},
                               reverse("reviews:agreement", args=[request.pk])))
        schools = p.current_schools()
        with_head = set(schools.filter(
            role_assignments__role=Role.HEADTEACHER,
            **current_role_lookup("role_assignments__")).values_list("pk", flat=True))
        for school in schools:
            if school.pk not in with_head:
                items.append(_need(_("Invite %(school)s’s headteacher to the platform")
                                   % {"school": school.name},
                                   reverse("people:invite") + f"?partnership={p.slug}"))
        items += _cycle_items(p)
        items += brokered.get(p.pk, [])
        items += _invitation_items(_open_invitations().filter(partnership=p),
                                   reverse("partnerships:people", args=[p.slug]))
        if items:
            panels.append(Panel(_("%(partnership)s (you lead)") % {"partnership": p.name},
                                items=items))
        glance.append(Item(ngettext("%(partnership)s: %(phase)s phase, %(n)s school.",
                                    "%(partnership)s: %(phase)s phase, %(n)s schools.",
                                    p.school_count) % {
                               "partnership": p.name, "phase": _phase(p.phase),
                               "n": p.school_count},
                           url=reverse("partnerships:detail", args=[p.slug])))
    return panels, Panel(_("Your partnership at a glance"), items=glance)


def _associate_panels(roles: list[Any]) -> tuple[Panel | None, Panel | None]:
    """For an associate: overdue actions in each partnership's plans that can still change,
    by school (needs); how its reviews this year stand (to read). Three queries however
    many."""
    associate_of = [pid for r, pid, _ in roles if r == Role.ASSOCIATE and pid]
    if not associate_of:
        return None, None
    today = timezone.localdate()
    year = Cycle.year_of(today)
    open_now = Q(status__in=OPEN_STATUSES) & ~Q(status=Status.POSTPONED)
    reviews = {row["cycle__partnership"]: row for row in (
        Review.objects.filter(cycle__partnership_id__in=associate_of, cycle__start_year=year)
        .exclude(status=Status.CANCELLED).order_by().values("cycle__partnership")
        .annotate(total=Count("id"), closed=Count("id", filter=Q(status=Status.CLOSED)),
                  undated=Count("id", filter=open_now & Q(review_starts_on__isnull=True))))}
    overdue: dict[int, list[tuple[str, int]]] = {}
    for late in (actions_to_act_on(Action.objects.filter(
            review__cycle__partnership_id__in=associate_of, due_on__lt=today))
            .order_by().values("review__cycle__partnership", "review__host__name")
            .annotate(n=Count("id")).order_by("review__host__name")):
        overdue.setdefault(late["review__cycle__partnership"], []).append(
            (late["review__host__name"], late["n"]))
    label = f"{year}/{(year + 1) % 100:02d}"
    needs, glance = [], []
    for p in Partnership.objects.filter(pk__in=associate_of).order_by("name"):
        row = reviews.get(p.pk)
        values = {"partnership": p.name, "phase": _phase(p.phase), "cycle": label}
        if row:
            values.update(n=row["total"], closed=row["closed"], undated=row["undated"])
            text = ngettext("%(partnership)s (%(phase)s phase): %(n)s review in the %(cycle)s "
                            "cycle, %(closed)s closed",
                            "%(partnership)s (%(phase)s phase): %(n)s reviews in the "
                            "%(cycle)s cycle, %(closed)s closed", row["total"]) % values
            if row["undated"]:
                text += _(", %(undated)s without dates yet") % values
            text += "."
        else:
            text = _("%(partnership)s (%(phase)s phase): no reviews in the %(cycle)s cycle "
                     "yet.") % values
        glance.append(Item(text, url=reverse("partnerships:detail", args=[p.slug])))
        for school, n in overdue.get(p.pk, []):
            needs.append(_need(ngettext(
                "Follow up %(n)s overdue action in %(school)s’s plan (%(partnership)s)",
                "Follow up %(n)s overdue actions in %(school)s’s plan (%(partnership)s)", n)
                % {"n": n, "school": school, "partnership": p.name},
                reverse("improvement:partnership", args=[p.slug]), "Overdue", "red"))
    return (Panel(_("Partnerships you support"), items=needs) if needs else None,
            Panel(_("Partnerships you support at a glance"), items=glance))


def _approvals_items() -> list[Item]:
    """For the core team: framework versions sent for approval (one query)."""
    return [_need(_("Approve version %(number)s of %(framework)s, or send it back") % {
                "number": v.number, "framework": v.title},
                  reverse("frameworks:versions", args=[v.framework.slug]))
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
        items.append(Item(_("Analysis: %(name)s") % {"name": a.name},
                          url=reverse("impact:analysis", args=[a.pk])))
    if not done:
        items.append(Item(_("No analysis has finished yet. Define one from the outcomes "
                            "imported."), url=reverse("impact:analyses")))
    for wave in (Wave.objects.filter(closed_at__isnull=False).select_related("survey")
                 .order_by("-closed_at")[:3]):
        items.append(Item(_("Survey results: %(wave)s") % {"wave": wave},
                          url=reverse("impact:wave_results", args=[wave.pk])))
    items.append(Item(_("Fidelity figures by partnership, to read or export"),
                      url=reverse("impact:fidelity")))
    return Panel(_("Your evaluation"),
                 intro=_("Analyses and exports show schools by pseudonym."), items=items)


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
        items.append(Item(_("%(meeting)s, %(day)s") % {
            "meeting": s.label, "day": _date(timezone.localtime(s.starts).date())},
            url=reverse("training:session", args=[s.pk]),
            tag=_tag("Booked") if s.pk in booked else _tag("Book"),
            tag_colour="green" if s.pk in booked else "blue"))
    newest = list(visible_resources(user).filter(audience=ResourceAudience.ALUMNI)
                  .order_by("-published_on", "-pk")[:3])
    for r in newest:
        items.append(Item(_("For alumni schools: %(title)s") % {"title": r.title},
                          url=reverse("resources:detail", args=[r.pk])))
    items.append(Item(_("The resources library"), url=reverse("resources:library")))
    published = FrameworkVersion.objects.filter(
        status=FrameworkVersion.Status.PUBLISHED).count()
    items.append(Item(_("Review frameworks (%(n)s published) to use in your own school’s "
                        "self-review") % {"n": published}, url=reverse("frameworks:list")))
    return Panel(_("Staying connected as an alumni school"), items=items)


def _schools_panel(roles: list[Any]) -> Panel | None:
    """The person's schools, their chosen key enquiry questions and their partnerships."""
    school_roles = [(r, sid) for r, _, sid in roles if sid]
    if not school_roles:
        return None
    by_pk = {s.pk: s for s in School.objects.filter(pk__in=[s for _, s in school_roles])}
    items = []
    for role, sid in school_roles:
        school = by_pk[sid]
        items.append(Item(_("%(role)s at %(school)s") % {"role": _role(role),
                                                          "school": school.name},
                          url=reverse("directory:school", args=[school.urn])))
    for item in ShortlistItem.objects.filter(school_id__in=by_pk, chosen_for_review=True) \
            .select_related("school", "question"):
        items.append(Item(_("%(school)s’s key enquiry question: “%(question)s”") % {
            "school": item.school.name, "question": item.question.text},
            url=reverse("frameworks:shortlist")))
    for p in Partnership.objects.with_current_school(by_pk):
        items.append(Item(_("Your partnership: %(partnership)s (%(phase)s phase)") % {
            "partnership": p.name, "phase": _phase(p.phase)},
            url=reverse("partnerships:detail", args=[p.slug])))
    return Panel(_("Your schools"), items=items)


def _figures_panel(user: User) -> Panel | None:
    """For evaluators: anonymised programme figures."""
    if not is_evaluator(user):
        return None
    phases = (Partnership.objects.values("phase").annotate(n=Count("id"))
              .order_by("phase"))
    items = [Item(ngettext("%(phase)s: %(n)s partnership", "%(phase)s: %(n)s partnerships",
                           row["n"]) % {"phase": _phase(row["phase"]),
                                        "n": row["n"]})
             for row in phases]
    members = Membership.objects.current().values("school_id").distinct().count()
    items.append(Item(_("%(n)s schools in partnerships") % {"n": f"{members:,}"}))
    return Panel(_("Programme figures (anonymised)"), items=items)


def home_page(user: User) -> HomePage:
    """What needs the person now, panel by panel in this order, then what there is to read."""
    roles = current_roles(user)
    to_confirm, brokered = _support_items(user)
    support = Panel(_("Support between schools"), items=to_confirm) if to_confirm else None
    reviews, reviews_glance = _reviews_panels(user)
    programme, programme_glance = _programme_panels(user)
    led, led_glance = _led_partnership_panels(user, brokered)
    alumni_needs, alumni_glance = _alumni_panels(user)
    associate, associate_glance = _associate_panels(roles)
    training, training_glance = _training_panels(user)
    needs = [_invitations_panel(user), _safeguarding_panel(user), reviews, support,
             _surveys_panel(user, roles), _trainer_panel(user), training, programme, *led,
             alumni_needs, associate]
    glance = [_no_roles_panel(roles), programme_glance, led_glance, associate_glance,
              reviews_glance, alumni_glance, _schools_panel(roles),
              _staying_connected_panel(user), training_glance, _evaluation_panel(user),
              _figures_panel(user)]
    return HomePage(needs=[p for p in needs if p is not None],
                    glance=[p for p in glance if p is not None])
