"""Permission-matrix rows for the register, certificates, training records and their public
verification (merged into tests/test_permission_matrix.py).

``trainer`` trains ``w.session``; ``w.booking`` is staff's place on it (booked by ``head``),
not yet completed, so its certificate page says so (200) to staff and the core team.
"""

from conftest import PERSONAS

from .matrix_rows import audience, table


def _verify(w):
    from apps.training.records import verification_code

    return {"code": verification_code(w.people["staff"])}


def _forged(w):
    code = _verify(w)["code"]
    return {"code": code[:-2] + ("AA" if not code.endswith("AA") else "BB")}


def _only(allowed: dict, others: int, anonymous: int = 302) -> dict:
    t = {p: others for p in PERSONAS}
    t["anonymous"] = anonymous
    t.update(allowed)
    return t


MATRIX_ROWS = {
    "training:register_attendance": ("get", lambda w: {"pk": w.session.pk},
                                     audience(0, 403, anonymous=302, core=200, trainer=200)),
    "training:certificate": ("get", lambda w: {"pk": w.booking.pk},
                             _only({"staff": 200, "core": 200}, 404)),
    "training:my_record": ("get", lambda w: {}, table(200, 302)),
    "training:my_record_pdf": ("get", lambda w: {}, table(200, 302)),
    "training:my_record_csv": ("get", lambda w: {}, table(200, 302)),
    "training:verify": ("get", _verify, table(200, 200)),
    "training:verify#forged": ("get", _forged, table(404, 404)),
    "training:verify#garbage": ("get", lambda w: {"code": "not-a-code"}, table(404, 404)),
}

MATRIX_ROWS.update({
    "training:register_attendance#post": ("post", lambda w: {"pk": w.session.pk},
                                          audience(0, 403, anonymous=302, core=302,
                                                   trainer=302)),
})

POST_DATA_ROWS: dict = {}
