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
}
