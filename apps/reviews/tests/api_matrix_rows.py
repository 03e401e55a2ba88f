"""Permission-matrix rows for the review cycle's API endpoints and the API-tokens pages.

The API answers 401 to anyone signed out. Write endpoints (POST/PUT) read and validate their
JSON body before anything else, so the matrix's body-less request is refused the same way for
everyone signed in: a POST (sent as an empty form) is 400, the body cannot be read as JSON; a
PUT with no body at all is 422, the body is missing. Who may actually write, with a valid
body, is tested in ``test_api.py``.
"""

from conftest import PERSONAS

from .matrix_rows import CONTENT, OVERVIEW


def api(table: dict) -> dict:
    """A page's table for the API: signed out is 401, not the sign-in page."""
    return {**table, "anonymous": 401}


def _r(w):
    return {"review_id": w.review.pk}


def _head_token(w):
    from apps.accounts.api_tokens import create_token

    token, _ = create_token(w.people["head"], "Matrix", by=w.people["head"])
    return {"pk": token.pk}


EVERYONE = {**{p: 200 for p in PERSONAS}, "anonymous": 401}
BODY_FIRST = {**{p: 400 for p in PERSONAS}, "anonymous": 401}
NO_BODY = {**{p: 422 for p in PERSONAS}, "anonymous": 401}

MATRIX_ROWS = {
    "api:list_cycles": ("get", lambda w: {}, EVERYONE),
    "api:get_cycle": ("get", lambda w: {"cycle_id": w.cycle.pk}, api(OVERVIEW)),
    "api:list_reviews": ("get", lambda w: {}, EVERYONE),
    "api:get_review": ("get", _r, api(OVERVIEW)),
    "api:list_team": ("get", _r, api(OVERVIEW)),
    "api:list_evidence": ("get", _r, api(CONTENT)),
    "api:create_evidence": ("post", _r, BODY_FIRST),
    "api:list_findings": ("get", _r, api(CONTENT)),
    "api:update_finding": ("put", _r, NO_BODY),
    # Nothing is shared in the world: the report is the review's content.
    "api:list_reports": ("get", _r, api(CONTENT)),
    "api:transition_review": ("post", _r, BODY_FIRST),
    # The other review: reviewer2 is on its team; the host (A2) is leader's school.
    "api:list_evidence#other": ("get", lambda w: {"review_id": w.other_review.pk},
                                api({**CONTENT, "head": 403, "champion": 403, "leader": 200,
                                     "reviewer2": 200})),
    # API tokens: everyone signed in has the page; a token can be revoked only by its owner.
    "accounts:tokens": ("get", lambda w: {}, {**{p: 200 for p in PERSONAS}, "anonymous": 302}),
    "accounts:revoke_token": ("post", _head_token,
                              {**{p: 404 for p in PERSONAS}, "anonymous": 302, "head": 302}),
}

POST_DATA_ROWS: dict = {}
