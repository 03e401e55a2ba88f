"""Permission-matrix rows for the support API (merged into tests/test_permission_matrix.py).

Reads mirror the pages' rows in ``matrix_rows.py``, with 401 for anyone signed out; the two
lists are the support page's (everyone signed in, each seeing their own part). Withdrawing an
offer takes no body, so its row is the page's (200 where the page redirects). The other
writes read and validate their JSON body before anything else, so the matrix's body-less POST
(sent as an empty form) is 400 for everyone signed in. Who may actually write, with a valid
body, is tested in ``test_api.py``.
"""

from apps.reviews.tests.api_matrix_rows import BODY_FIRST, api

from .matrix_rows import MATRIX_ROWS as PAGES
from .matrix_rows import support_world


def _page(name: str, **changes) -> dict:
    return {**api(PAGES[name][2]), **changes}


def _offer(w):
    return {"offer_id": support_world(w).offer.pk}


def _request(w):
    return {"request_id": support_world(w).request.pk}


def _match(w):
    return {"match_id": support_world(w).match.pk}


MATRIX_ROWS = {
    "api:list_offers": ("get", lambda w: {}, _page("support:index")),
    "api:create_offer": ("post", lambda w: {}, BODY_FIRST),
    "api:withdraw_offer": ("post", _offer, _page("support:offer_withdraw", leader=200)),
    "api:list_requests": ("get", lambda w: {}, _page("support:index")),
    "api:get_request": ("get", _request, _page("support:request_detail")),
    "api:create_request": ("post", lambda w: {}, BODY_FIRST),
    "api:broker_request": ("post", _request, BODY_FIRST),
    "api:get_match": ("get", _match, _page("support:match_detail")),
    "api:confirm_match": ("post", _match, BODY_FIRST),
    "api:record_delivery": ("post", _match, BODY_FIRST),
    "api:cancel_match": ("post", _match, BODY_FIRST),
}

POST_DATA_ROWS: dict = {}
