"""Permission-matrix rows for this app's URLs (merged into tests/test_permission_matrix.py).

Each person sees only their own notifications and settings; the feed is opened by its secret
address alone, so whoever asks gets the same answer."""

from conftest import PERSONAS

SIGNED_IN = {**{p: 200 for p in PERSONAS}, "anonymous": 302}


def _token(w) -> dict:
    from apps.notifications.services import calendar_token_for

    return {"token": calendar_token_for(w.people["head"])}


def _revoked_token(w) -> dict:
    from apps.notifications.services import revoke_calendar_tokens

    token = _token(w)
    revoke_calendar_tokens(w.people["head"])
    return token


MATRIX_ROWS: dict = {
    "notifications:list": ("get", lambda w: {}, SIGNED_IN),
    "notifications:settings": ("get", lambda w: {}, SIGNED_IN),
    # Writes: "mark all as read" and the settings form, each on one's own only.
    "notifications:list#post": ("post", lambda w: {}, {**{p: 302 for p in PERSONAS}}),
    "notifications:settings#post": ("post", lambda w: {}, SIGNED_IN),
    "notifications:feed": ("get", _token, {p: 200 for p in PERSONAS}),
    "notifications:feed#revoked": ("get", _revoked_token, {p: 404 for p in PERSONAS}),
    "notifications:feed#bad": ("get", lambda w: {"token": "not-a-real-token"},
                               {p: 404 for p in PERSONAS}),
}
POST_DATA_ROWS: dict = {}
