"""Permission-matrix rows for the review cycle's API endpoints and the API-tokens pages.

The API answers 401 to anyone signed out. Write endpoints (POST/PUT) read and validate their
JSON body before anything else, so each write row sends a valid body (``POST_DATA_ROWS``) and
reaches the endpoint's permission check: 403/404 for those refused, the endpoint's own answer
(201, 200, or 400 for a rule of the review's stage) for those allowed.
"""

from conftest import PERSONAS

from .matrix_rows import CONTENT, OVERVIEW, review_page


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
    # Writes, with a valid body (below). The review's report is agreed, so the team's
    # evidence and findings are refused by the rules of the stage (400) after the permission.
    "api:create_evidence": ("post", _r, api(review_page({"leader": 400}))),
    "api:list_findings": ("get", _r, api(CONTENT)),
    "api:update_finding": ("put", _r, api(review_page({"leader": 400}))),
    # Nothing is shared in the world: the report is the review's content.
    "api:list_reports": ("get", _r, api(CONTENT)),
    "api:transition_review": ("post", _r, api(review_page({"core": 200, "head": 200,
                                                            "lead": 200}))),
    # The other review: reviewer2 is on its team; the host (A2) is leader's school.
    "api:list_evidence#other": ("get", lambda w: {"review_id": w.other_review.pk},
                                api({**CONTENT, "head": 403, "champion": 403, "leader": 200,
                                     "reviewer2": 200})),
    # API tokens: everyone signed in has the page; a token can be revoked only by its owner.
    "accounts:tokens": ("get", lambda w: {}, {**{p: 200 for p in PERSONAS}, "anonymous": 302}),
    "accounts:tokens#post": ("post", lambda w: {}, {**{p: 200 for p in PERSONAS},
                                                    "anonymous": 302}),
    "accounts:revoke_token": ("post", _head_token,
                              {**{p: 404 for p in PERSONAS}, "anonymous": 302, "head": 302}),
}

# API writes carry a valid JSON body, so each reaches its permission check.
POST_DATA_ROWS: dict = {
    "api:create_evidence": lambda w: {"text": "Pupils compared two poems."},
    "api:update_finding": lambda w: {"working_well": "Pupils talk about books."},
    "api:transition_review": lambda w: {"name": "cancel", "reason": "The school closed."},
}
