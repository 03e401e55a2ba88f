"""Training, national meetings and bookings. A course is seen (and booked) by its audience;
the core team runs the catalogue; trainers take the register and run polls for their
sessions; school leaders book for staff of their school."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.utils.translation import gettext_noop

from apps.accounts.roles import (
    is_core_team,
    is_signed_in,
    leads_a_school,
    leads_any_partnership,
    led_partnership_ids,
)
from apps.partnerships.selectors import in_alumni_programme, programme_standing

if TYPE_CHECKING:
    from apps.accounts.types import AnyUser
    from apps.training.models import Course, Session



def course_audiences(user: AnyUser) -> set[str]:
    """The audiences of courses this person may see and book."""
    audiences = {"everyone"}
    if not is_signed_in(user):
        return audiences
    if is_core_team(user):
        return {"everyone", "current", "alumni", "current_alumni", "trained_reviewers",
                "trained_champions", "partnership_leads"}
    standing = programme_standing(user)
    if standing == "current":
        audiences.update({"current", "current_alumni"})
    if standing == "alumni" or in_alumni_programme(user):
        # Alumni schools keep national meetings and events for the alumni community.
        audiences.update({"alumni", "current_alumni"})
    # Refreshers are for people trained before, lapsed or not.
    if getattr(user, "reviewer_trained_until", None):
        audiences.add("trained_reviewers")
    if getattr(user, "champion_trained_until", None):
        audiences.add("trained_champions")
    if led_partnership_ids(user):
        audiences.add("partnership_leads")
    return audiences


# National meetings ---------------------------------------------------------------------------
# From the programme's documents: meetings are termly; the first of a series is open to all
# schools (schools not in the programme register without an account), the later ones are for
# schools in the programme now and alumni schools.

MEETING_AUDIENCE_WORDS = {
    "everyone": gettext_noop("Open to all schools"),
    "current_alumni": gettext_noop("For schools in the programme and alumni"),
}


def meeting_audience(position: int) -> str:
    """The audience of the meeting at ``position`` (1 = first) in its series."""
    return "everyone" if position == 1 else "current_alumni"


@rules.predicate
def may_see_materials(user: AnyUser, session: Session | None) -> bool:
    """Someone signed in from a school in the programme or an alumni school, or who held a
    place at the meeting."""
    # The same for the first meeting (open to all) as for the later ones. People registered
    # without an account get only the recording link, by email, and only when the core team
    # chose to send it (``MeetingMaterials.recording_to_registrants``).
    if session is None or not is_signed_in(user) or user.pk is None:
        return False
    if "current_alumni" in course_audiences(user):
        return True
    return session.bookings.filter(user_id=user.pk, status="booked").exists()


@rules.predicate
def in_course_audience(user: AnyUser, course: Course | None) -> bool:
    """Someone in the course's audience."""
    return course is not None and course.audience in course_audiences(user)


@rules.predicate
def trains_session(user: AnyUser, session: Session | None) -> bool:
    """A trainer of the session."""
    return session is not None and is_signed_in(user) and session.trainers.filter(
        pk=user.pk).exists()


@rules.predicate
def session_to_come(user: AnyUser, session: Session | None) -> bool:
    """A session that has not started yet (one that has is kept as it was)."""
    return session is not None and not session.has_started()


rules.add_perm("training.view_course", in_course_audience)
rules.add_perm("training.book", is_signed_in & in_course_audience)
rules.add_perm("training.book_for_staff", leads_a_school)
rules.add_perm("training.manage", is_core_team)
# Changing or cancelling a session, and moving its waiting list: until it starts.
rules.add_perm("training.change_session", is_core_team & session_to_come)
rules.add_perm("training.take_register", is_core_team | trains_session)
# Who is booked, waiting and attended, with their schools: the session's trainers and the
# core team only (a participant sees their own booking).
rules.add_perm("training.view_people", is_core_team | trains_session)
rules.add_perm("training.run_polls", is_core_team | trains_session)
rules.add_perm("training.view_reports", is_core_team | leads_any_partnership)
rules.add_perm("training.view_aggregates", is_core_team)
rules.add_perm("training.view_materials", may_see_materials)
rules.add_perm("training.publish_materials", is_core_team)


