"""Permission-matrix rows (merged into tests/test_permission_matrix.py).

Registration without an account for open events: ``w.open_session`` (audience everyone) is
open to all, signed in or not; ``w.session`` (schools in the programme) does not exist here.
The confirm and unsubscribe links work for whoever holds the token (``w.registrant``'s).
"""

from conftest import PERSONAS


def everyone(status: int) -> dict:
    return {p: status for p in PERSONAS}


MATRIX_ROWS: dict = {
    "training:register": ("get", lambda w: {"pk": w.open_session.pk}, everyone(200)),
    "training:register#closed": ("get", lambda w: {"pk": w.session.pk}, everyone(404)),
    "training:confirm": ("get", lambda w: {"token": w.registrant.token}, everyone(200)),
    "training:confirm#bad": ("get", lambda w: {"token": "not-a-real-token"}, everyone(404)),
    "training:unsubscribe": ("get", lambda w: {"token": w.registrant.token}, everyone(200)),
    "training:unsubscribe#bad": ("get", lambda w: {"token": "not-a-real-token"},
                                 everyone(404)),
}
# Writes: the registration form (posted empty, shown again with its errors), and the
# confirm and unsubscribe buttons, which work for whoever holds the token.
MATRIX_ROWS.update({
    "training:register#post": ("post", lambda w: {"pk": w.open_session.pk}, everyone(200)),
    "training:confirm#post": ("post", lambda w: {"token": w.registrant.token},
                              everyone(302)),
    "training:unsubscribe#post": ("post", lambda w: {"token": w.registrant.token},
                                  everyone(302)),
})
POST_DATA_ROWS: dict = {}
