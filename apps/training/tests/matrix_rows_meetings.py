"""Permission-matrix rows for national meeting series and their recording and slides
(merged into tests/test_permission_matrix.py). See ``meetings_world``: ``first`` is open to
all schools, ``second`` is for schools in the programme and alumni (``norole`` had a place
at it). The recording and slides are for schools in the programme and alumni schools and
people who had a place: evaluator, norole and trainer have no school, so they get 403 where
they can see the meeting and 404 where they cannot."""

from conftest import PERSONAS

from .meetings_world import meetings_world

NO_SCHOOL = ("evaluator", "norole", "trainer")


def table(default: int, anonymous: int = 302, **special) -> dict:
    t = {p: default for p in PERSONAS}
    t["anonymous"] = anonymous
    t.update(special)
    return t


def materials_audience(allowed: int, *, no_school: int, **special) -> dict:
    t = table(allowed)
    for p in NO_SCHOOL:
        t[p] = no_school
    t.update(special)
    return t


def _first(w):
    return {"pk": meetings_world(w).first.pk}


def _second(w):
    return {"pk": meetings_world(w).second.pk}


CORE_ONLY_FIRST = table(403, core=200)
# The later meeting does not exist for people without a school (norole had a place: 403).
CORE_ONLY_SECOND = table(403, core=200, evaluator=404, trainer=404)

MATRIX_ROWS: dict = {
    "training:series_list": ("get", lambda w: {}, table(200, 200)),
    "training:series": ("get", lambda w: {"pk": meetings_world(w).series.pk}, table(200, 200)),
    "training:series_new": ("get", lambda w: {}, table(403, core=200)),
    "training:series_edit": ("get", lambda w: {"pk": meetings_world(w).series.pk},
                             table(403, core=200)),
    "training:materials": ("get", _first, CORE_ONLY_FIRST),
    "training:materials#later": ("get", _second, CORE_ONLY_SECOND),
    "training:slides": ("get", _first, materials_audience(200, no_school=403)),
    "training:slides#later": ("get", _second,
                              materials_audience(200, no_school=404, norole=200)),
    "training:session#later-meeting": ("get", _second,
                                       table(200, 404, evaluator=404, trainer=404)),
}
# Writes: forms posted empty (shown again with their errors where allowed).
MATRIX_ROWS.update({
    "training:series_new#post": ("post", lambda w: {}, table(403, core=200)),
    "training:series_edit#post": ("post", lambda w: {"pk": meetings_world(w).series.pk},
                                  table(403, core=200)),
    "training:materials#post": ("post", _first, CORE_ONLY_FIRST),
    "training:materials#post-later": ("post", _second, CORE_ONLY_SECOND),
    "training:materials_withdraw": ("post", _first, table(403, core=302)),
    "training:materials_withdraw#later": ("post", _second,
                                          table(403, core=302, evaluator=404, trainer=404)),
    # Putting back on a session that is not cancelled: refused with a message (302).
    "training:session_reinstate": ("post", lambda w: {"pk": w.session.pk},
                                   table(403, core=302, evaluator=404, norole=404,
                                         alumnus=404)),
})
POST_DATA_ROWS: dict = {}
