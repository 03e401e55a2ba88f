"""Permission-matrix rows of apps/privacy (see tests/test_permission_matrix.py)."""

from conftest import PERSONAS

SIGNED_IN = {**{p: 200 for p in PERSONAS}, "anonymous": 302}
CORE_ONLY = {**{p: 403 for p in PERSONAS}, "core": 200, "anonymous": 302}


def _staff(w):
    return {"pk": w.people["staff"].pk}


MATRIX_ROWS = {
    # Everyone signed in gets their own data, never anyone else's (no id in the address).
    "privacy:my_data": ("get", lambda w: {}, SIGNED_IN),
    "privacy:my_data_json": ("get", lambda w: {}, SIGNED_IN),
    "privacy:my_data_pdf": ("get", lambda w: {}, SIGNED_IN),
    # Erasing a person: the core team only; an empty form is refused with its error (200).
    "privacy:erase": ("get", _staff, CORE_ONLY),
    "privacy:erase#post": ("post", _staff, CORE_ONLY),
}
