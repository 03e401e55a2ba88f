"""Permission-matrix rows for live polls, feedback and aggregates (merged into
tests/test_permission_matrix.py).

``trainer`` trains ``w.session`` and, with the core team, runs its polls; ``staff`` and
``leader`` have places on it and answer ``w.poll`` and give feedback; the rest of the
course's audience (including ``reviewer2``, only on the waiting list) gets 403; people outside
the audience 404; signed-out people the sign-in page.
"""

from datetime import timedelta

from django.utils import timezone

from conftest import PERSONAS

AUDIENCE = ["core", "associate", "lead", "head", "leader", "staff", "exec_head", "outsider",
            "reviewer2", "champion", "trainer"]


def audience(allowed: dict, others_in: int = 403) -> dict:
    t = {p: 404 for p in PERSONAS}
    t["anonymous"] = 302
    for p in AUDIENCE:
        t[p] = others_in
    t.update(allowed)
    return t


def _session(w):
    return {"pk": w.session.pk}


def _poll(w):
    return {"pk": w.poll.pk}


def _started(w):
    """The session started an hour ago (feedback is open)."""
    w.session.parts.update(starts_at=timezone.now() - timedelta(hours=1),
                           ends_at=timezone.now() + timedelta(hours=2))
    return {"pk": w.session.pk}


RUNNERS = {"core": 200, "trainer": 200}
BOOKED = {"staff": 200, "leader": 200}

MATRIX_ROWS = {
    "training:polls": ("get", _session, audience(RUNNERS)),
    "training:polls#create": ("post", _session, audience({"core": 302, "trainer": 302})),
    "training:poll_results": ("get", _poll, audience(RUNNERS)),
    "training:poll_answer": ("get", _poll, audience(BOOKED)),
    "training:poll_answer#post": ("post", _poll, audience({"staff": 302, "leader": 302})),
    "training:current_poll": ("get", _session, audience(BOOKED)),
    # Before the session starts the booked see when feedback opens; others are refused.
    "training:feedback": ("get", _session, audience(BOOKED)),
    "training:feedback#started": ("get", _started, audience(BOOKED)),
    "training:feedback#post": ("post", _started, audience({"staff": 302, "leader": 302})),
    "training:aggregates": ("get", lambda w: {},
                            {**{p: 403 for p in PERSONAS}, "anonymous": 302, "core": 200}),
}

POST_DATA_ROWS = {
    "training:polls#create": lambda w: {"do": "create", "question": "Ready to start?",
                                        "kind": "single", "options": "Yes\nNo"},
    "training:poll_answer#post": lambda w: {"choices": "1"},
    "training:feedback#post": lambda w: {"rating": "4", "comments": "Useful."},
}
