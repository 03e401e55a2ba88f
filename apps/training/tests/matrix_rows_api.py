"""Permission-matrix rows for the training reports and the training API (merged into
tests/test_permission_matrix.py).

Reports are for the core team and partnership leads (``lead`` leads Alpha). The API mirrors
the pages' rows in ``matrix_rows.py``, with 401 for anyone signed out: ``w.session`` is seen
by its course's audience and its trainer (everyone else 404); its bookings, register and
poll results are for the trainer and the core team (403 for the rest of the audience), its
open polls also for the people with a place (``staff`` and ``leader``). Write endpoints with
a body read it first, so their rows send a valid body (``POST_DATA_ROWS``) and reach the
permission check; cancelling takes no body, so its row is the page's. Booking oneself: the
audience may (201), except those already booked or waiting (409 Conflict); the trainer may not
(403).
Only ``reviewer2`` is on the waiting list, with no place offered yet (400).
"""

from apps.reviews.tests.api_matrix_rows import EVERYONE, api

from .matrix_rows import MATRIX_ROWS as PAGES
from .matrix_rows import audience, table


def _session(w):
    return {"session_id": w.session.pk}


def _page(name: str, **special) -> dict:
    return {**api(PAGES[name][2]), **special}


TRAINER_AND_CORE = audience(403, anonymous=401, core=200, trainer=200)
REPORTS = table(403, 302, core=200, lead=200)

MATRIX_ROWS = {
    # Reports (pages)
    "training:reports": ("get", lambda w: {}, REPORTS),
    "training:reports_csv": ("get", lambda w: {}, REPORTS),
    # A partnership the lead does not lead is not a filter they may use.
    "training:reports_csv#beta": ("get", lambda w: {}, {**REPORTS, "lead": 400},
                                  {"partnership": "beta-partnership"}),
    "training:reports#alpha": ("get", lambda w: {}, REPORTS,
                               {"partnership": "alpha-partnership"}),
    # API
    "api:list_courses": ("get", lambda w: {}, EVERYONE),
    "api:get_session": ("get", _session, _page("training:session")),
    "api:get_session#open": ("get", lambda w: {"session_id": w.open_session.pk}, EVERYONE),
    "api:list_bookings": ("get", _session, TRAINER_AND_CORE),
    "api:create_booking": ("post", _session, audience(201, anonymous=401, leader=409,
                                                      staff=409, reviewer2=409,
                                                      trainer=403)),
    "api:cancel_booking": ("post", lambda w: {"booking_id": w.booking.pk},
                           _page("training:booking_cancel", staff=200, head=200, core=200)),
    "api:respond_to_offer": ("post", lambda w: {"booking_id": w.waiting.pk},
                             table(404, 401, reviewer2=400, core=403)),
    "api:attendance": ("get", _session, TRAINER_AND_CORE),
    "api:list_polls": ("get", _session, {**TRAINER_AND_CORE, "staff": 200, "leader": 200}),
    # Nobody signed in has a place on the open session (only a registrant): results for the
    # core team (who run every session's polls), 403 for everyone else.
    "api:list_polls#open": ("get", lambda w: {"session_id": w.open_session.pk},
                            {**api(table(403, 401)), "core": 200}),
}

# API writes carry a valid JSON body, so each reaches its permission check.
POST_DATA_ROWS: dict = {
    "api:create_booking": lambda w: {"user_id": None},
    "api:respond_to_offer": lambda w: {"accept": False},
}
