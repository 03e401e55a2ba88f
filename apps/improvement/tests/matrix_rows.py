"""Permission-matrix rows for the workshop, the action plan and the check-back.

On A1's review: ``head`` (host headteacher), ``staff`` (host staff, owner of ``w.action``),
``champion`` (the Improvement Champion), ``leader`` (lead reviewer), ``exec_head`` (partner
school head), ``lead`` (partnership lead), ``associate``, ``outsider``.
"""

from apps.reviews.tests.matrix_rows import review_page
from conftest import PERSONAS

SIGNED_IN = {**{p: 200 for p in PERSONAS}, "anonymous": 302}
PLAN = review_page({"head": 200, "staff": 200, "champion": 200})


def _r(w):
    return {"pk": w.review.pk}


def _action(w):
    return {"action_id": w.action.pk}


MATRIX_ROWS = {
    "improvement:my_actions": ("get", lambda w: {}, SIGNED_IN),
    "improvement:my_workshops": ("get", lambda w: {}, SIGNED_IN),
    "improvement:partnership": ("get", lambda w: {"slug": w.alpha.slug},
                                review_page({"core": 200, "lead": 200, "associate": 200})),
    "improvement:workshop": ("get", _r, review_page({"head": 200, "champion": 200,
                                                     "leader": 200})),
    "improvement:workshop_when": ("get", _r, review_page({"head": 200, "champion": 200})),
    # No stage named: a clear 400 in JSON for those who may run the workshop.
    "improvement:workshop_autosave": ("post", _r, review_page({"head": 400,
                                                               "champion": 400})),
    "improvement:plan": ("get", _r, PLAN),
    "improvement:plan_csv": ("get", _r, PLAN),
    "improvement:plan_pdf": ("post", _r, review_page({"head": 302, "staff": 302,
                                                      "champion": 302})),
    "improvement:plan_export": ("get", lambda w: {"pk": w.review.pk,
                                                  "export_id": w.export.pk}, PLAN),
    "improvement:share": ("post", _r, review_page({"head": 302})),
    "improvement:action_new": ("get", _r, review_page({"head": 200, "champion": 200})),
    "improvement:checkback": ("get", _r, review_page({"head": 200})),
    "improvement:action": ("get", _action, PLAN),
    "improvement:action_edit": ("get", _action, review_page({"head": 200, "champion": 200})),
    "improvement:action_file": ("get", lambda w: {"file_id": w.action_file.pk}, PLAN),
}


# Writes. The lead reviewer reads the workshop but does not run it; the champion reads an
# action but only its owner and the host's leaders record progress.
MATRIX_ROWS.update({
    "improvement:workshop#post": ("post", _r, review_page({"head": 200, "champion": 200})),
    "improvement:workshop_when#post": ("post", _r, review_page({"head": 200,
                                                                "champion": 200})),
    "improvement:action_new#post": ("post", _r, review_page({"head": 200, "champion": 200})),
    "improvement:checkback#post": ("post", _r, review_page({"head": 302})),
    "improvement:action#post": ("post", _action, {**PLAN, "champion": 403}),
    "improvement:action_edit#post": ("post", _action, review_page({"head": 200,
                                                                   "champion": 200})),
})

POST_DATA_ROWS: dict = {}
