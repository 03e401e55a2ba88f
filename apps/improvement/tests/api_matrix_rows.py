"""Permission-matrix rows for the improvement API (merged into tests/test_permission_matrix.py).

Reads mirror the pages' rows in ``matrix_rows.py``, with 401 for anyone signed out. Write
endpoints read and validate their JSON body before anything else, so the matrix's body-less
request is refused the same way for everyone signed in: a POST (sent as an empty form) is
400, the body cannot be read as JSON; a PUT with no body at all is 422, the body is missing.
Who may actually write, with a valid body, is tested in ``test_api.py``.
"""

from apps.reviews.tests.api_matrix_rows import api
from apps.reviews.tests.matrix_rows import review_page

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
    # Writes, with a valid body (below): the plan's editors add actions; the owner and the
    # host's leaders record progress; the impact is the host's to record once acting.
    "api:create_action": ("post", _r, api(review_page({"head": 201, "champion": 201}))),
    "api:add_progress": ("post", _action, api(review_page({"head": 201, "staff": 201}))),
    "api:get_checkback": ("get", _r, _page("improvement:checkback")),
    "api:record_impact": ("put", _action, api(review_page({"head": 400}))),
    "api:partnership_progress": ("get", lambda w: {"slug": w.alpha.slug},
                                 _page("improvement:partnership")),
}

# API writes carry a valid JSON body, so each reaches its permission check.
POST_DATA_ROWS: dict = {
    "api:create_action": lambda w: {"title": "Daily reading aloud",
                                    "finding_ids": [w.review.findings.first().pk],
                                    "owner_id": w.people["staff"].pk,
                                    "due_on": "2027-03-01",
                                    "success_criteria": "Every pupil reads aloud daily."},
    "api:add_progress": lambda w: {"text": "Rota agreed.", "status": "in_progress"},
    "api:record_impact": lambda w: {"impact_seen": "More pupils read daily."},
}
