"""Permission-matrix rows for the improvement API (merged into tests/test_permission_matrix.py).

Reads mirror the pages' rows in ``matrix_rows.py``, with 401 for anyone signed out. Write
endpoints read and validate their JSON body before anything else, so the matrix's body-less
request is refused the same way for everyone signed in: a POST (sent as an empty form) is
400, the body cannot be read as JSON; a PUT with no body at all is 422, the body is missing.
Who may actually write, with a valid body, is tested in ``test_api.py``.
"""

from apps.reviews.tests.api_matrix_rows import BODY_FIRST, NO_BODY, api

from .matrix_rows import MATRIX_ROWS as PAGES


def _r(w):
    return {"review_id": w.review.pk}


def _action(w):
    return {"action_id": w.action.pk}


def _page(name: str) -> dict:
    return api(PAGES[name][2])


MATRIX_ROWS = {
    "api:get_workshop": ("get", _r, _page("improvement:workshop")),
    "api:list_actions": ("get", _r, _page("improvement:plan")),
    "api:get_action": ("get", _action, _page("improvement:action")),
    "api:create_action": ("post", _r, BODY_FIRST),
    "api:add_progress": ("post", _action, BODY_FIRST),
    "api:get_checkback": ("get", _r, _page("improvement:checkback")),
    "api:record_impact": ("put", _action, NO_BODY),
    "api:partnership_progress": ("get", lambda w: {"slug": w.alpha.slug},
                                 _page("improvement:partnership")),
}

POST_DATA_ROWS: dict = {}
