"""Permission-matrix rows of apps/accounts kept beside the app (see
tests/test_permission_matrix.py)."""

from typing import Any

from conftest import PERSONAS

SIGNED_IN = {**{p: 200 for p in PERSONAS}, "anonymous": 401}

MATRIX_ROWS: dict[str, tuple[Any, ...]] = {
    # Time left before the idle sign-out (GET) and "Stay signed in" (POST): anyone signed in,
    # about their own session only; the page's script gets 401, not the sign-in page.
    "accounts:session": ("get", lambda w: {}, SIGNED_IN),
    "accounts:session#stay": ("post", lambda w: {}, SIGNED_IN),
    # Display settings: everyone, signed in or not (signed out, the choice is kept in a
    # cookie on the device). Saving goes back to the page with a success message.
    "accounts:display": ("get", lambda w: {}, {p: 200 for p in PERSONAS}),
    "accounts:display#post": ("post", lambda w: {}, {p: 302 for p in PERSONAS}),
    # The language of the pages: everyone, signed in or not (kept on the person, and in a
    # cookie on the device). Saving goes back to the page in the language chosen.
    "accounts:language": ("get", lambda w: {}, {p: 200 for p in PERSONAS}),
    "accounts:language#post": ("post", lambda w: {}, {p: 302 for p in PERSONAS}),
}

POST_DATA_ROWS = {
    "accounts:display#post": lambda w: {"text_size": "150", "colours": "dark",
                                        "spacing": "wide"},
    "accounts:language#post": lambda w: {"language": "en-gb"},
}
