"""Permission-matrix rows for the national community (merged into
tests/test_permission_matrix.py); the world is ``world.community_world``.

Everyone at a programme school or partnership (current or alumni) and the core team takes
part; signed-in people outside the programme (evaluator, no role, trainer) get 403, signed-out
people the sign-in page. A hidden thread or post does not exist (404) for anyone but the core
team and its author.
"""

from conftest import PERSONAS

from .world import community_world

PART = ["core", "associate", "lead", "head", "leader", "staff", "exec_head", "outsider",
        "alumnus", "reviewer2", "champion"]


def table(allowed: dict, part: int = 200, others: int = 403) -> dict:
    rows = {p: others for p in PERSONAS}
    rows.update({p: part for p in PART})
    rows["anonymous"] = 302
    rows.update(allowed)
    return rows


def _c(w):
    return community_world(w)


def _space(w):
    return {"slug": _c(w).space.slug}


def _post(name):
    return lambda w: {"pk": getattr(_c(w), name).pk}


ALPHA_MEMBERS = ["core", "associate", "head", "leader", "staff", "exec_head", "reviewer2",
                 "champion"]

MATRIX_ROWS = {
    "community:index": ("get", lambda w: {}, table({})),
    "community:space_new": ("get", lambda w: {}, table({"core": 200}, 403)),
    "community:space_new#post": ("post", lambda w: {}, table({"core": 200}, 403)),
    "community:space": ("get", _space, table({})),
    "community:space_follow": ("post", _space, table({}, 302)),
    "community:thread_new": ("get", _space, table({})),
    # An empty post: the form's errors (200) for everyone who may start a thread.
    "community:thread_new#post": ("post", _space, table({})),
    "community:thread": ("get", lambda w: {"pk": _c(w).thread.pk}, table({})),
    "community:thread#post": ("post", lambda w: {"pk": _c(w).thread.pk}, table({})),
    "community:thread#hidden": ("get", lambda w: {"pk": _c(w).hidden_thread.pk},
                                table({"core": 200, "staff": 200}, 404)),
    "community:post_edit": ("get", _post("reply"), table({"outsider": 200}, 403)),
    "community:post_edit#post": ("post", _post("reply"), table({"outsider": 200}, 403)),
    # A hidden post cannot be changed, even by its author; others may not read it.
    "community:post_edit#hidden": ("get", _post("hidden"),
                                   table({"leader": 403, "core": 403}, 404)),
    "community:post_report": ("get", _post("reply"), table({"outsider": 403})),
    "community:post_report#post": ("post", _post("reply"), table({"outsider": 403})),
    "community:moderate": ("get", _post("reply"), table({"core": 200}, 403)),
    "community:moderate#post": ("post", _post("reply"), table({"core": 200}, 403)),
    "community:moderate#hidden": ("get", _post("hidden"),
                                  table({"core": 200, "leader": 403}, 404)),
    "community:moderation": ("get", lambda w: {}, table({"core": 200}, 403)),
    "community:directory": ("get", lambda w: {}, table({})),
    "community:entry": ("get", lambda w: {"pk": _c(w).a1.pk}, table({})),
    "community:entry#unlisted": ("get", lambda w: {"pk": _c(w).b1.pk}, table({}, 404)),
    "community:school_profile": ("get", lambda w: {"pk": w.schools["A1"].pk},
                                 table({"head": 200}, 403)),
    "community:school_profile#post": ("post", lambda w: {"pk": w.schools["A1"].pk},
                                      table({"head": 302}, 403)),
    "community:partnership_profile": (
        "get", lambda w: {"slug": w.alpha.slug},
        table({"lead": 200, **{p: 403 for p in ALPHA_MEMBERS}}, 404)),
    "community:partnership_profile#post": (
        "post", lambda w: {"slug": w.alpha.slug},
        table({"lead": 302, **{p: 403 for p in ALPHA_MEMBERS}}, 404)),
}

POST_DATA_ROWS = {
    "community:space_follow": lambda w: {"follow": "yes"},
    "community:school_profile#post": lambda w: {"listed": "on",
                                                "lock_version": _c(w).a1.lock_version},
    "community:partnership_profile#post": lambda w: {"listed": "on",
                                                     "lock_version": _c(w).alpha.lock_version},
}
