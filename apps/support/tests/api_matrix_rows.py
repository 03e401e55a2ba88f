"""Permission-matrix rows for the support API (merged into tests/test_permission_matrix.py).

Reads mirror the pages' rows in ``matrix_rows.py``, with 401 for anyone signed out; the two
lists are the support page's (everyone signed in, each seeing their own part). Withdrawing an
offer takes no body, so its row is the page's (200 where the page redirects). The other
writes read and validate their JSON body before anything else, so each sends a valid body
(``POST_DATA_ROWS``) and reaches its permission check. The match is only proposed, so its
delivery is refused by the match's state (400) after the permission; the request is
already matched, so brokering it again is 400 for the lead alone.
"""

from apps.reviews.tests.api_matrix_rows import api

from .matrix_rows import MATRIX_ROWS as PAGES
from .matrix_rows import support_world, table


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
    # exec_head leads two schools, so must say which the offer is from (400).
    "api:create_offer": ("post", lambda w: {}, _page("support:offer_new#post", exec_head=400, **{
        p: 201 for p in ("head", "leader", "outsider", "alumnus", "reviewer2", "champion")})),
    "api:withdraw_offer": ("post", _offer, _page("support:offer_withdraw", leader=200)),
    "api:list_requests": ("get", lambda w: {}, _page("support:index")),
    "api:get_request": ("get", _request, _page("support:request_detail")),
    "api:create_request": ("post", lambda w: {}, api(table({"head": 201}, 403, 404))),
    "api:broker_request": ("post", _request, _page("support:broker#post", lead=400)),
    "api:get_match": ("get", _match, _page("support:match_detail")),
    "api:confirm_match": ("post", _match, _page("support:match_detail#post", leader=200)),
    "api:record_delivery": ("post", _match, api(table({"head": 400, "leader": 400,
                                                       "lead": 400}))),
    "api:cancel_match": ("post", _match, api(table({"head": 200, "leader": 200,
                                                    "lead": 200}))),
}

# API writes carry a valid JSON body, so each reaches its permission check.
POST_DATA_ROWS: dict = {
    "api:create_offer": lambda w: {"area": "reading", "title": "Phonics coaching",
                                   "details": "Our English lead coaches two teachers.",
                                   "people": "Our English lead", "hours": 6},
    "api:create_request": lambda w: {"action_id": support_world(w).spare_action.pk,
                                     "need": "Help with reasoning lessons."},
    "api:broker_request": lambda w: {"provider_school_urn": w.schools["A3"].urn},
    "api:confirm_match": lambda w: {"side": "provider"},
    "api:record_delivery": lambda w: {"hours_given": 2},
    "api:cancel_match": lambda w: {"reason": "The coach is away."},
}
