"""Training reports: bookings, waiting lists and attendance per course, per partnership and per
school, for the core team (everything) and partnership leads (their partnerships only).

A booking is placed by its person's *current* roles: a school role puts it at that school and
at the partnerships the school is a member of now; a partnership role (lead, associate) puts
it at that partnership with no school. A person at several schools counts once at each of
them, and once at each of their partnerships, but once only in a course's figures.

Registrants from schools outside the programme, and people who belong to no partnership, are
"outside the programme": the core team sees their names, a partnership lead only how many.
A lead never sees the schools or people of partnerships they do not lead, not even as counts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_noop

from apps.accounts.models import RoleAssignment
from apps.accounts.roles import is_core_team, led_partnership_ids
from apps.core import dates
from apps.partnerships.models import Membership, Partnership
from apps.schools.models import School

from .models import Booking, Course

OUTSIDE = "Outside the programme"
NO_SCHOOL = "No school (partnership role only)"

# (field, heading) in the order the page and the CSV show them.
# (The headings are marked for the catalogue here and translated on the page; the CSV keeps
# them in English, as its column names.)
COLUMNS = [("booked", gettext_noop("Booked")), ("offered", gettext_noop("Offered a place")),
           ("waiting", gettext_noop("Waiting")),
           ("cancelled", gettext_noop("Cancelled or declined")),
           ("present", gettext_noop("Present")),
           ("partial", gettext_noop("Partly present")), ("absent", gettext_noop("Absent"))]
_BY_STATUS: dict[str, str] = {Booking.State.BOOKED: "booked", Booking.State.OFFERED: "offered",
              Booking.State.WAITING: "waiting", Booking.State.CANCELLED: "cancelled",
              Booking.State.DECLINED: "cancelled", Booking.State.EXPIRED: "cancelled"}
_BY_ATTENDANCE: dict[str, str] = {Booking.Attendance.PRESENT: "present",
                                  Booking.Attendance.PARTIAL: "partial",
                                  Booking.Attendance.ABSENT: "absent"}


@dataclass
class Counts:
    booked: int = 0
    offered: int = 0
    waiting: int = 0
    cancelled: int = 0
    present: int = 0
    partial: int = 0
    absent: int = 0

    def add(self, booking: Booking) -> None:
        for name in (_BY_STATUS.get(booking.status), _BY_ATTENDANCE.get(booking.attendance)):
            if name:
                setattr(self, name, getattr(self, name) + 1)

    @property
    def cells(self) -> list[int]:
        return [getattr(self, name) for name, _ in COLUMNS]


@dataclass
class Line:
    """One booking as the report shows it (``name`` is empty when it is not to be named)."""

    booking: Booking
    name: str
    schools: list[str]
    partnerships: list[str]
    outside: bool
    waiting_place: int | None
    starts_at: datetime | None


@dataclass
class Row:
    label: str
    counts: Counts = field(default_factory=Counts)
    detail: str = ""
    obj: Any = None


@dataclass
class CourseRow(Row):
    sessions: list[Row] = field(default_factory=list)


@dataclass
class Report:
    courses: list[CourseRow]
    partnerships: list[Row]
    schools: list[Row]
    lines: list[Line]
    total: Counts
    names_outsiders: bool


class ReportFilterForm(forms.Form):
    course = forms.ModelChoiceField(label="Course", queryset=Course.objects.none(),
                                    required=False, empty_label="All courses")
    partnership = forms.ModelChoiceField(label="Partnership", queryset=Partnership.objects.none(),
                                         required=False, empty_label="All partnerships",
                                         to_field_name="slug")

    def __init__(self, *args, partnerships=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.order_by("title", "pk")
        self.fields["partnership"].queryset = partnerships
        if partnerships is not None and len(partnerships) == 1:
            self.fields["partnership"].empty_label = "Your partnership"


def visible_partnerships(user):
    """The partnerships the person may report on (403 for anyone who may not see reports)."""
    if not user.has_perm("training.view_reports"):
        raise PermissionDenied
    if is_core_team(user):
        return Partnership.objects.order_by("name")
    return Partnership.objects.filter(pk__in=led_partnership_ids(user)).order_by("name")


def filters_for(user, query) -> ReportFilterForm:
    """The filter form, bound to ``query`` (the request's GET)."""
    partnerships = visible_partnerships(user)
    return ReportFilterForm(query or None, partnerships=partnerships)


def _people(user_ids) -> tuple[dict[int, set[int]], dict[int, set[int]], dict[int, set[int]]]:
    """{user: school ids}, {user: partnership ids}, {school: partnership ids} from current
    roles and current memberships."""
    schools: dict[int, set[int]] = defaultdict(set)
    partnerships: dict[int, set[int]] = defaultdict(set)
    for user_id, partnership_id, school_id in RoleAssignment.objects.current().filter(
            user_id__in=user_ids).values_list("user_id", "partnership_id", "school_id"):
        if school_id:
            schools[user_id].add(school_id)
        if partnership_id:
            partnerships[user_id].add(partnership_id)
    members: dict[int, set[int]] = defaultdict(set)
    all_schools = set().union(*schools.values()) if schools else set()
    for school_id, partnership_id in (
            Membership.objects.current().filter(school_id__in=all_schools)
            .values_list("school_id", "partnership_id")):
        members[school_id].add(partnership_id)
    for user_id, ids in schools.items():
        for school_id in ids:
            partnerships[user_id] |= members[school_id]
    return schools, partnerships, members


def _waiting_places(bookings) -> dict[int, int]:
    """{booking: its place on its session's waiting list (1 = next)}, over everyone waiting."""
    by_session = defaultdict(list)
    for b in bookings:
        if b.status == Booking.State.WAITING:
            by_session[b.session_id].append(b)
    places = {}
    for waiting in by_session.values():
        waiting.sort(key=lambda b: (b.position, b.created_at, b.pk))
        places.update({b.pk: i for i, b in enumerate(waiting, 1)})
    return places


def build(user, *, course: Course | None = None,
          partnership: Partnership | None = None) -> Report:
    """The report as ``user`` may see it. ``partnership`` must be one of
    ``visible_partnerships(user)`` (the form sees to that)."""
    core = is_core_team(user)
    shown: set[int] | None
    if partnership is not None:
        shown = {partnership.pk}
    else:
        shown = None if core else set(led_partnership_ids(user))
    # Registrants waiting to confirm their email have not booked anything yet.
    bookings = list(Booking.objects.exclude(status=Booking.State.PENDING)
                    .filter(**({"session__course": course} if course else {}))
                    .select_related("session__course", "user", "registrant")
                    .prefetch_related("session__parts"))
    tables = _Tables(core, shown, partnership, bookings)
    for b in bookings:
        tables.add(b)
    return tables.report()


@dataclass
class _Place:
    """Where a booking counts: outside the programme, or at the partnerships and schools
    the viewer may see."""
    outside: bool
    partnerships: set = field(default_factory=set)  # ids, those the viewer may see
    school_ids: list = field(default_factory=list)  # in the order of their names
    schools: list = field(default_factory=list)  # their names
    partnership_names: list = field(default_factory=list)


class _Tables:
    """The report's tables, filled one booking at a time."""

    def __init__(self, core: bool, shown: set | None, partnership, bookings: list):
        self.core, self.shown, self.partnership = core, shown, partnership
        self.waiting_places = _waiting_places(bookings)
        self.starts = {b.session_id: min((p.starts_at for p in b.session.parts.all()),
                                         default=None)
                       for b in bookings}
        self.schools_of, self.partnerships_of, self.members = _people(
            {b.user_id for b in bookings if b.user_id})
        self.school_names = dict(School.objects.filter(
            pk__in=set().union(*self.schools_of.values()) if self.schools_of else set())
            .values_list("pk", "name"))
        self.partnership_names = dict(Partnership.objects.values_list("pk", "name"))
        self.total = Counts()
        self.by_course: dict[int, CourseRow] = {}
        self.by_session: dict[int, Row] = {}
        self.by_partnership: dict[int | None, Row] = {}
        self.by_school: dict[int | str, Row] = {}
        self.lines: list[Line] = []

    def add(self, b: Booking) -> None:
        place = self._place(b)
        if place is None:
            return  # not for this viewer
        self.total.add(b)
        self._count_course_and_session(b)
        self._count_partnerships_and_schools(b, place)
        self.lines.append(self._line(b, place))

    def _place(self, b: Booking) -> _Place | None:
        """Where ``b`` counts; ``None`` when the viewer is not to see it at all."""
        theirs = self.partnerships_of.get(b.user_id, set()) if b.user_id else set()
        if not theirs:
            # Outside the programme: not in the partnership asked about.
            return None if self.partnership is not None else _Place(outside=True)
        shown = self.shown
        in_view = theirs if shown is None else theirs & shown
        if not in_view:
            return None  # another partnership's person: not for this viewer
        school_ids = [s for s in self.schools_of.get(cast(int, b.user_id), set())
                      if shown is None or self.members[s] & shown]
        school_ids.sort(key=lambda s: self.school_names.get(s, ""))
        return _Place(outside=False, partnerships=in_view, school_ids=school_ids,
                      schools=[self.school_names.get(s, "") for s in school_ids],
                      partnership_names=sorted(self.partnership_names.get(p, "")
                                               for p in in_view))

    def _count_course_and_session(self, b: Booking) -> None:
        session = b.session
        course_row = self.by_course.get(session.course_id)
        if course_row is None:
            course_row = self.by_course[session.course_id] = CourseRow(
                label=session.course.title, detail=session.course.get_kind_display(),
                obj=session.course)
        course_row.counts.add(b)
        if session.pk not in self.by_session:
            start = self.starts[session.pk]
            self.by_session[session.pk] = Row(
                label=session.title or (dates.datetime_text(start, "short")
                                        if start else "No dates"),
                detail=f"{session.capacity} place{'' if session.capacity == 1 else 's'}"
                       + (", cancelled" if session.cancelled_at else ""),
                obj=session)
            course_row.sessions.append(self.by_session[session.pk])
        self.by_session[session.pk].counts.add(b)

    def _count_partnerships_and_schools(self, b: Booking, place: _Place) -> None:
        if place.outside:
            _count(self.by_partnership, None, OUTSIDE, b)
            _count(self.by_school, OUTSIDE, OUTSIDE, b)
            return
        members, names = self.members, self.partnership_names
        for p in place.partnerships:
            _count(self.by_partnership, p, names.get(p, ""), b)
        for s, name in zip(place.school_ids, place.schools, strict=True):
            school_partnerships = members[s] if self.shown is None else members[s] & self.shown
            _count(self.by_school, s, name, b, detail=", ".join(sorted(
                names.get(p, "") for p in school_partnerships)))
        if not place.school_ids:
            _count(self.by_school, NO_SCHOOL, NO_SCHOOL, b)

    def _line(self, b: Booking, place: _Place) -> Line:
        """The booking's line: named, unless outside the programme for a partnership lead."""
        schools = place.schools
        if place.outside and not self.core:
            name = ""
        elif b.registrant is not None:
            name = b.registrant.full_name
            schools = [b.registrant.school_name] if b.registrant.school_name else []
        else:
            assert b.user is not None  # a booking is for a user or a registrant
            name = b.user.display_name
            if place.outside:  # a school outside every partnership, for the core team
                schools = sorted(self.school_names.get(s, "")
                                 for s in self.schools_of.get(cast(int, b.user_id), ()))
        return Line(booking=b, name=name, schools=schools,
                    partnerships=[OUTSIDE] if place.outside else place.partnership_names,
                    outside=place.outside, waiting_place=self.waiting_places.get(b.pk),
                    starts_at=self.starts[b.session.pk])

    def report(self) -> Report:
        starts = self.starts

        def last_outside(rows):
            return sorted(rows, key=lambda r: (r.label in (OUTSIDE, NO_SCHOOL), r.label.lower()))

        def when(session):
            return (starts[session.pk] is None, starts[session.pk] or session.booking_deadline)

        courses = sorted(self.by_course.values(), key=lambda r: (r.label.lower(), r.obj.pk))
        for c in courses:
            c.sessions.sort(key=lambda r: (when(r.obj), r.obj.pk))
        lines = self.lines
        lines.sort(key=lambda ln: (ln.booking.session.course.title.lower(),
                                   ln.booking.session.course_id, when(ln.booking.session),
                                   ln.booking.session_id, ln.outside, ln.name.lower(),
                                   ln.booking.pk))
        return Report(courses=courses, partnerships=last_outside(self.by_partnership.values()),
                      schools=last_outside(self.by_school.values()), lines=lines,
                      total=self.total, names_outsiders=self.core)


def _count(table: dict, key, label: str, booking: Booking, detail: str = "") -> None:
    row = table.get(key)
    if row is None:
        row = table[key] = Row(label=label, detail=detail)
    row.counts.add(booking)
