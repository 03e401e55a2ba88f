"""Permission-matrix rows for the alumni programme. A school's request (G1's, asked by the
alumnus, its headteacher) is seen by the core team and the school's people; everyone else
gets 404; the school's people get 403 for the core team's actions and the core team 403 for
the school's."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from conftest import PERSONAS

MARKER = "ALUMNI-REASON-7Q2X"  # planted in each request's reason (see test_confidentiality)


def _make(w, **fields):
    from apps.partnerships.models import AlumniMembership

    fields.setdefault("school", w.schools["G1"])
    fields.setdefault("requested_by", w.people["alumnus"])
    m, _ = AlumniMembership.objects.get_or_create(
        reason=f"{MARKER} {fields.get('status', 'requested')}", defaults=fields)
    return m


def _waiting(w):
    return {"pk": _make(w).pk}


def _member(w):
    today = timezone.localdate()
    return {"pk": _make(w, status="approved", starts_on=today - timedelta(days=330),
                        ends_on=today + timedelta(days=30)).pk}


def _declined(w):
    return {"pk": _make(w, status="declined", decision_note="Not this year").pk}


def _partnership_request(w):
    return {"pk": _make(w, school=None, partnership=w.alpha,
                        requested_by=w.people["lead"], status="withdrawn").pk}


def _table(allowed: dict, others: int = 404) -> dict:
    table = {p: others for p in PERSONAS}
    table["anonymous"] = 302
    table.update(allowed)
    return table


SIGNED_IN = _table({p: 200 for p in PERSONAS if p != "anonymous"})
ASKERS = ["lead", "head", "leader", "exec_head", "outsider", "alumnus", "reviewer2", "champion"]
MAY_ASK = _table({p: 200 for p in ASKERS}, 403)
CORE_LIST = _table({"core": 200}, 403)
SEEN = _table({"core": 200, "alumnus": 200})
CORE_ACT = _table({"core": 200, "alumnus": 403})
SCHOOL_ACT = _table({"core": 403, "alumnus": 200})
# A partnership's request: its lead and its member schools' leaders (not staff, nor the
# associate).
PARTNERSHIP_SEEN = _table({"core": 200, "lead": 200, "head": 200, "leader": 200,
                           "exec_head": 200, "reviewer2": 200, "champion": 200})

MATRIX_ROWS: dict[str, tuple[Any, ...]] = {
    "alumni:index": ("get", lambda w: {}, SIGNED_IN),
    "alumni:request": ("get", lambda w: {}, MAY_ASK),
    # An empty form: shown again with its errors (or, for those who cannot ask, the reason).
    "alumni:request#post": ("post", lambda w: {}, MAY_ASK),
    "alumni:memberships": ("get", lambda w: {}, CORE_LIST),
    "alumni:memberships#filtered": ("get", lambda w: {}, CORE_LIST,
                                    {"show": "due", "kind": "school", "q": "G1"}),
    "alumni:detail": ("get", _waiting, SEEN),
    "alumni:detail#partnership": ("get", _partnership_request, PARTNERSHIP_SEEN),
    "alumni:withdraw": ("post", _waiting, _table({"core": 403, "alumnus": 302})),
    "alumni:renew": ("get", _member, SCHOOL_ACT),
    "alumni:renew#post": ("post", _member, SCHOOL_ACT),
    "alumni:decide": ("get", _waiting, CORE_ACT),
    "alumni:decide#post": ("post", _waiting, CORE_ACT),
    "alumni:reopen": ("post", _declined, _table({"core": 302, "alumnus": 403})),
    "alumni:change_dates": ("get", _member, CORE_ACT),
    "alumni:change_dates#post": ("post", _member, CORE_ACT),
    "alumni:end": ("get", _member, CORE_ACT),
    "alumni:end#post": ("post", _member, CORE_ACT),
}
