"""Permission-matrix rows for the review cycle (merged into tests/test_permission_matrix.py).

The review of A1 (``w.review``) is hosted by ``head``'s school; ``staff`` works there;
``leader`` (A2) is its lead reviewer; ``reviewer2`` is on another review's team;
``exec_head`` leads another school of the partnership; ``lead`` is the partnership lead.
"""

from conftest import PERSONAS

ALPHA = ["core", "associate", "lead", "head", "leader", "staff", "exec_head", "reviewer2",
         "champion"]


def review_page(allowed: dict, others_in_alpha: int = 403) -> dict:
    """Alpha's people may know the review exists (403 without the right); everyone else
    gets 404; signed out, the sign-in page."""
    table = {p: 404 for p in PERSONAS}
    table["anonymous"] = 302
    for p in ALPHA:
        table[p] = others_in_alpha
    table.update(allowed)
    return table


OVERVIEW = review_page({}, 200)
CONTENT = review_page({"head": 200, "leader": 200, "champion": 200})
MANAGERS = review_page({"core": 200, "lead": 200})


def _r(w):
    return {"pk": w.review.pk}


def _cycle(w):
    return {"pk": w.cycle.pk}


def _first_activity(w):
    return {"pk": w.review.pk, "activity_id": w.review.activities.first().pk}


def _file(w):
    return {"pk": w.review.pk, "file_id": w.review.files.first().pk}


def _note(w):
    return {"pk": w.review.pk, "note_id": w.evidence.pk}


def _member(w):
    return {"pk": w.review.pk, "member_id": w.review.team.first().pk}


MATRIX_ROWS = {
    "reviews:index": ("get", lambda w: {}, {**{p: 200 for p in PERSONAS}, "anonymous": 302}),
    "reviews:cycle_create": ("get", lambda w: {},
                             {**{p: 403 for p in PERSONAS}, "anonymous": 302, "core": 200,
                              "lead": 200}),
    "reviews:cycle": ("get", _cycle, OVERVIEW),
    "reviews:timeline": ("get", _cycle, MANAGERS),
    "reviews:cycle_settings": ("get", _cycle, MANAGERS),
    # Beta's cycle asks Alpha to share reviewers: Alpha's lead answers; the core team reads.
    "reviews:agreement": ("get", lambda w: {"pk": w.agreement.pk},
                          {**{p: 404 for p in PERSONAS}, "anonymous": 302, "core": 200,
                           "lead": 200}),
    "reviews:terms": ("get", _cycle, MANAGERS),
    "reviews:term_remove": ("post", lambda w: {"pk": w.cycle.pk, "term_id": w.term.pk},
                            review_page({"core": 302, "lead": 302})),
    "reviews:add_review": ("get", _cycle, MANAGERS),
    "reviews:invitation": ("get", lambda w: {"member_id": w.review.team.get(
        user=w.people["leader"]).pk},
                           review_page({"leader": 200})),
    "reviews:safeguarding_detail": ("get", lambda w: {"concern_id": w.concern.pk},
                                    {**{p: 404 for p in PERSONAS}, "anonymous": 302,
                                     "head": 200}),
    # The list of concerns a person may read: the roles that may read some (headteachers,
    # DSLs, the officer, the core team); it shows each only theirs.
    "reviews:safeguarding_list": ("get", lambda w: {}, {
        **{p: 403 for p in PERSONAS}, "anonymous": 302, "core": 200, "head": 200,
        "exec_head": 200, "outsider": 200, "alumnus": 200}),
    "reviews:safeguarding_outcome": ("get", lambda w: {"concern_id": w.concern.pk},
                                     {**{p: 404 for p in PERSONAS}, "anonymous": 302,
                                      "head": 200}),
    "reviews:detail": ("get", _r, OVERVIEW),
    "reviews:schedule": ("get", _r, MANAGERS),
    "reviews:settings": ("get", _r, review_page({"head": 200, "lead": 200})),
    "reviews:status": ("get", lambda w: {"pk": w.review.pk, "name": "cancel"},
                       review_page({"core": 200, "head": 200, "lead": 200})),
    "reviews:self_review": ("get", _r, CONTENT),
    "reviews:file": ("get", _file, CONTENT),
    "reviews:file_remove": ("post", _file, review_page({"head": 302})),
    "reviews:enquiry": ("get", _r, CONTENT),
    "reviews:plan": ("get", _r, CONTENT),
    # A1's review has started (report agreed): its evidence-gathering plan is the record of
    # what was planned, so even the host's leaders and the lead reviewer get 403.
    "reviews:activity_edit": ("get", _first_activity, review_page({})),
    "reviews:activity_remove": ("post", _first_activity, review_page({})),
    "reviews:team": ("get", _r, OVERVIEW),
    "reviews:team_remove": ("get", _member, MANAGERS),
    "reviews:evidence": ("get", _r, CONTENT),
    "reviews:evidence_autosave": ("post", _r, review_page({"leader": 400})),
    "reviews:evidence_edit": ("get", _note, review_page({"leader": 200})),
    "reviews:evidence_delete": ("post", _note, review_page({"leader": 302})),
    "reviews:findings": ("get", _r, CONTENT),
    "reviews:report": ("get", _r, CONTENT),
    "reviews:report_version": ("get", lambda w: {"pk": w.review.pk, "number": 1}, CONTENT),
    "reviews:report_pdf": ("get", lambda w: {"pk": w.review.pk, "number": 1}, CONTENT),
    "reviews:report_submit": ("post", _r, review_page({"leader": 302})),
    "reviews:report_comment": ("post", _r, review_page({"head": 302})),
    "reviews:report_resolve": ("post", lambda w: {"pk": w.review.pk,
                                                  "comment_id": w.comment.pk},
                               review_page({"leader": 302})),
    "reviews:report_accept": ("post", _r, review_page({"head": 302})),
    "reviews:sharing": ("get", _r, review_page({"head": 200})),
    "reviews:safeguarding": ("get", _r, review_page({"head": 200, "staff": 200,
                                                     "leader": 200, "champion": 200})),
    # The other review: reviewer2 is on its team; the host (A2) is leader's school.
    "reviews:detail#other": ("get", lambda w: {"pk": w.other_review.pk}, OVERVIEW),
    "reviews:evidence#other": ("get", lambda w: {"pk": w.other_review.pk},
                               review_page({"leader": 200, "reviewer2": 200})),
}


def _other(w):
    return {"pk": w.other_review.pk}


# Writes. Where a write is refused in the review's present state for everyone, the row uses
# a review in a state that allows it (the other review is at the self-review stage), so the
# permission itself is what the row tests.
ONLY_HOST_A2 = review_page({"leader": 200})  # the other review: leader leads its host, A2
MATRIX_ROWS.update({
    "reviews:cycle_create#post": ("post", lambda w: {},
                                  {**{p: 403 for p in PERSONAS}, "anonymous": 302, "core": 200,
                                   "lead": 200}),
    "reviews:cycle_settings#post": ("post", _cycle, MANAGERS),
    "reviews:agreement#post": ("post", lambda w: {"pk": w.agreement.pk},
                               {**{p: 404 for p in PERSONAS}, "anonymous": 302, "core": 403,
                                "lead": 200}),
    "reviews:terms#post": ("post", _cycle, MANAGERS),
    "reviews:add_review#post": ("post", _cycle, MANAGERS),
    "reviews:invitation#post": ("post", lambda w: {"member_id": w.review.team.get(
        user=w.people["leader"]).pk}, review_page({"leader": 200})),
    "reviews:safeguarding_detail#post": ("post", lambda w: {"concern_id": w.concern.pk},
                                         {**{p: 404 for p in PERSONAS}, "anonymous": 302,
                                          "head": 302}),
    "reviews:safeguarding_outcome#post": ("post", lambda w: {"concern_id": w.concern.pk},
                                          {**{p: 404 for p in PERSONAS}, "anonymous": 302,
                                           "head": 302}),
    "reviews:safeguarding_reopen": ("post", lambda w: {"concern_id": w.concern.pk},
                                    {**{p: 404 for p in PERSONAS}, "anonymous": 302,
                                     "head": 302}),
    "reviews:schedule#post": ("post", _r, MANAGERS),
    "reviews:settings#post": ("post", _r, review_page({"head": 200, "lead": 200})),
    "reviews:status#post": ("post", lambda w: {"pk": w.review.pk, "name": "cancel"},
                            review_page({"core": 200, "head": 200, "lead": 200})),
    # reviewer2 reads the other review's self-review and enquiry (its team) but may not write;
    # an empty self-review form changes nothing and goes back to the page (302).
    "reviews:self_review#post": ("post", _other, review_page({"leader": 302})),
    "reviews:enquiry#post": ("post", _other, ONLY_HOST_A2),
    "reviews:plan#post": ("post", _r, review_page({})),
    # A2's review is still in its self-review: its host's leader adds to the plan (an empty
    # form: 200 with its errors).
    "reviews:plan#open-post": ("post", _other, ONLY_HOST_A2),
    "reviews:activity_edit#post": ("post", _first_activity, review_page({})),
    "reviews:team#post": ("post", _r, MANAGERS),
    "reviews:team_remove#post": ("post", _member, MANAGERS),
    # The host's head and the champion read the evidence and findings; only the team writes.
    "reviews:evidence#post": ("post", _r, review_page({"leader": 200})),
    "reviews:evidence#other-post": ("post", _other, review_page({"reviewer2": 200})),
    "reviews:evidence_edit#post": ("post", _note, review_page({"leader": 200})),
    "reviews:findings#post": ("post", _r, review_page({"leader": 200})),
    "reviews:report#post": ("post", _r, review_page({"leader": 200})),
    # An agreed version is locked: nobody writes to it.
    "reviews:report_version#post": ("post", lambda w: {"pk": w.review.pk, "number": 1},
                                    review_page({})),
    "reviews:sharing#post": ("post", _r, review_page({"head": 200})),
    "reviews:safeguarding#post": ("post", _r, review_page({"head": 200, "staff": 200,
                                                           "leader": 200, "champion": 200})),
})

POST_DATA_ROWS: dict = {
    "reviews:safeguarding_outcome#post": lambda w: {"outcome": "Referred to the LADO.",
                                                    "lock_version": "0"},
    "reviews:findings#post": lambda w: {"section": "key", "key-working_well": "Matrix"},
}
