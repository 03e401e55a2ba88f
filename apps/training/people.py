"""Who is on a session, with their schools: for its trainers and the core team
(``training.view_people``). A participant sees only their own booking.

Two queries whatever the number of people: the bookings (with their person), then the
current roles of the people with an account, for the names of their schools (or, for a
partnership role, the partnership's).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from apps.accounts.models import RoleAssignment

from .models import HOLDING, Booking, Session

ATTENDED = (Booking.Attendance.PRESENT, Booking.Attendance.PARTIAL)


@dataclass
class Person:
    booking: Booking
    name: str
    where: str
    partial: bool = False  # partly present


@dataclass
class SessionPeople:
    holding: list[Person] = field(default_factory=list)  # a place, or a place offered
    waiting: list[Person] = field(default_factory=list)  # in the order places are offered
    attended: list[Person] = field(default_factory=list)
    absent: list[Person] = field(default_factory=list)
    not_marked: list[Person] = field(default_factory=list)


def _where(user_ids: list[int]) -> dict[int, str]:
    schools: dict[int, list[str]] = defaultdict(list)
    partnerships: dict[int, list[str]] = defaultdict(list)
    for user_id, school, partnership in (
            RoleAssignment.objects.current().filter(user_id__in=user_ids)
            .values_list("user_id", "school__name", "partnership__name")
            .order_by("school__name", "partnership__name")):
        if school and school not in schools[user_id]:
            schools[user_id].append(school)
        elif partnership and partnership not in partnerships[user_id]:
            partnerships[user_id].append(partnership)
    return {uid: ", ".join(schools[uid] or partnerships[uid]) for uid in user_ids
            if schools[uid] or partnerships[uid]}


def session_people(session: Session) -> SessionPeople:
    bookings = list(session.bookings.filter(
        status__in=HOLDING + [Booking.State.WAITING]).select_related("user", "registrant")
        .order_by("position", "created_at", "pk"))
    where = _where([b.user_id for b in bookings if b.user_id])
    out = SessionPeople()
    for b in bookings:
        if b.user_id:
            place = where.get(b.user_id, "Not at a school in the programme")
        else:
            school = b.registrant.school_name if b.registrant else ""
            place = f"{school or 'School not given'} (registered without an account)"
        person = Person(b, b.person_name, place,
                        partial=b.attendance == Booking.Attendance.PARTIAL)
        if b.status == Booking.State.WAITING:
            out.waiting.append(person)
            continue
        out.holding.append(person)
        if b.attendance in ATTENDED:
            out.attended.append(person)
        elif b.attendance == Booking.Attendance.ABSENT:
            out.absent.append(person)
        else:
            out.not_marked.append(person)
    out.holding.sort(key=lambda p: p.name.lower())
    for group in (out.attended, out.absent, out.not_marked):
        group.sort(key=lambda p: p.name.lower())
    return out
