"""Permission-matrix rows for the catalogue, sessions and bookings.

``w.course`` (peer reviewer training) is for schools in the programme now; ``w.open_course``
(national meeting) for everyone. ``trainer`` trains ``w.session``; ``staff`` is booked on it
(by ``head``, a school leader booking for staff); ``reviewer2`` is on its waiting list.
"""

from conftest import PERSONAS

CURRENT = ["core", "associate", "lead", "head", "leader", "staff", "exec_head", "outsider",
           "reviewer2", "champion"]


def table(default: int, anonymous: int, **special) -> dict:
    t = {p: default for p in PERSONAS}
    t["anonymous"] = anonymous
    t.update(special)
    return t


def audience(allowed: int, others_in: int | None = None, anonymous: int = 404,
             **special) -> dict:
    """The course's audience (and the session's trainer) get ``allowed`` or ``others_in``;
    everyone else 404."""
    t = {p: 404 for p in PERSONAS}
    t["anonymous"] = anonymous
    for p in CURRENT + ["trainer"]:
        t[p] = allowed if others_in is None else others_in
    t.update(special)
    return t


def _session(w):
    return {"pk": w.session.pk}


MATRIX_ROWS = {
    "training:catalogue": ("get", lambda w: {}, table(200, 200)),
    "training:my_bookings": ("get", lambda w: {}, table(200, 302)),
    "training:course_new": ("get", lambda w: {}, table(403, 302, core=200)),
    "training:course": ("get", lambda w: {"pk": w.course.pk}, audience(200, trainer=404)),
    "training:course#open": ("get", lambda w: {"pk": w.open_course.pk}, table(200, 200)),
    "training:session": ("get", _session, audience(200)),
    "training:session#open": ("get", lambda w: {"pk": w.open_session.pk}, table(200, 200)),
    "training:session_new": ("get", lambda w: {"pk": w.course.pk},
                             audience(0, 403, anonymous=302, core=200, trainer=404)),
    "training:session_edit": ("get", _session, audience(0, 403, anonymous=302, core=200)),
    "training:session_cancel": ("get", _session, audience(0, 403, anonymous=302, core=200)),
    "training:waiting_list": ("get", _session, audience(0, 403, anonymous=302, core=200)),
    "training:book": ("post", _session, audience(302, anonymous=302, trainer=403)),
    "training:book_for_staff": ("get", _session, audience(0, 403, anonymous=302, head=200,
                                                          leader=200, exec_head=200,
                                                          outsider=200, reviewer2=200,
                                                          champion=200)),
    "training:booking_cancel": ("post", lambda w: {"pk": w.booking.pk},
                                table(404, 302, staff=302, head=302, core=302)),
    "training:booking_offer": ("post", lambda w: {"pk": w.waiting.pk},
                               table(404, 302, reviewer2=302, core=403)),
}

# Writes: the forms of the pages above, posted back empty (200 with errors where allowed).
MATRIX_ROWS.update({
    "training:course_new#post": ("post", lambda w: {}, table(403, 302, core=200)),
    "training:course_edit": ("get", lambda w: {"pk": w.course.pk},
                             audience(403, anonymous=302, core=200, trainer=404)),
    "training:course_edit#post": ("post", lambda w: {"pk": w.course.pk},
                                  audience(403, anonymous=302, core=200, trainer=404)),
    "training:session_new#post": ("post", lambda w: {"pk": w.course.pk},
                                  audience(0, 403, anonymous=302, core=200, trainer=404)),
    "training:session_edit#post": ("post", _session,
                                   audience(0, 403, anonymous=302, core=200)),
    "training:session_cancel#post": ("post", _session,
                                     audience(0, 403, anonymous=302, core=200)),
    # Moving someone on the waiting list: the booking is sent; the page is shown again.
    "training:waiting_list#post": ("post", _session,
                                   audience(0, 403, anonymous=302, core=302)),
    "training:book_for_staff#post": ("post", _session,
                                     audience(0, 403, anonymous=302, head=200, leader=200,
                                              exec_head=200, outsider=200, reviewer2=200,
                                              champion=200)),
})


def _held(w):
    """A session of ``w.course`` held a month ago, trained by ``trainer`` (made once)."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.training.models import Session, SessionPart

    if getattr(w, "held_session", None) is None:
        start = timezone.now() - timedelta(days=30)
        w.held_session = Session.objects.create(course=w.course, capacity=4, mode="online",
                                                booking_deadline=start - timedelta(days=2))
        SessionPart.objects.create(session=w.held_session, starts_at=start,
                                   ends_at=start + timedelta(hours=3))
        w.held_session.trainers.add(w.people["trainer"])
    return {"pk": w.held_session.pk}


# A held session is kept as it was: seen as before, but nobody (not even the core team) may
# change or cancel it or move its waiting list; the core team still reads the list.
HELD_REFUSED = audience(0, 403, anonymous=302)
MATRIX_ROWS.update({
    "training:session#held": ("get", _held, audience(200)),
    "training:session_edit#held": ("get", _held, HELD_REFUSED),
    "training:session_edit#held-post": ("post", _held, HELD_REFUSED),
    "training:session_cancel#held": ("get", _held, HELD_REFUSED),
    "training:session_cancel#held-post": ("post", _held, HELD_REFUSED),
    "training:waiting_list#held": ("get", _held, audience(0, 403, anonymous=302, core=200)),
    "training:waiting_list#held-post": ("post", _held, HELD_REFUSED),
})

POST_DATA_ROWS: dict = {
    "training:waiting_list#post": lambda w: {"booking": w.waiting.pk, "position": 1},
}
