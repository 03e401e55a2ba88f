"""Permission-matrix rows of apps/core kept beside the app (see
tests/test_permission_matrix.py)."""

from typing import Any

from conftest import PERSONAS

EVERYONE = {p: 204 for p in PERSONAS}

MATRIX_ROWS: dict[str, tuple[Any, ...]] = {
    # Browsers report Content Security Policy violations here, signed in or not; it only
    # writes a log line, so anyone may post (an empty report is accepted and ignored).
    "csp_report": ("get", lambda w: {}, {p: 405 for p in PERSONAS}),
    "csp_report#post": ("post", lambda w: {}, EVERYONE),
}
