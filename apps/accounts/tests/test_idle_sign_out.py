"""Sessions end after a period without activity: shorter for roles that see many schools."""

from unittest import mock

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

START = 1_800_000_000.0
MINUTE = 60


class Clock:
    def __init__(self):
        self.now = START

    def advance(self, minutes):
        self.now += minutes * MINUTE


@pytest.fixture
def clock():
    c = Clock()
    with mock.patch("apps.accounts.sessions.time.time", side_effect=lambda: c.now):
        yield c


def _signed_in(client):
    return "_auth_user_id" in client.session


def _visit(client, url=None):
    return client.get(url or reverse("accounts:me"))


@pytest.mark.parametrize("persona,minutes", [
    ("head", 8 * 60), ("staff", 8 * 60), ("lead", 8 * 60),
    ("core", 30), ("associate", 30), ("evaluator", 30),
])
def test_each_role_gets_its_idle_limit(client_for, clock, persona, minutes):
    client = client_for(persona)
    assert _visit(client).status_code == 200
    clock.advance(minutes - 1)
    assert _visit(client).status_code == 200  # activity: the clock starts again
    clock.advance(minutes - 1)
    assert _visit(client).status_code == 200 and _signed_in(client)
    clock.advance(minutes + 1)
    response = _visit(client, reverse("accounts:me") + "?tab=1")
    assert not _signed_in(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=/me/%3Ftab%3D1"


def test_the_sign_in_page_says_why_in_plain_words(client_for, clock):
    client = client_for("evaluator")
    _visit(client)
    clock.advance(31)
    page = client.get(_visit(client)["Location"])
    assert ("You were signed out after 30 minutes without activity. Anything you were typing "
            "is kept on this device.") in page.content.decode()


def test_the_limits_are_settings(client_for, clock, settings):
    settings.SESSION_IDLE_MINUTES = 5
    settings.SESSION_IDLE_MINUTES_PRIVILEGED = 2
    client = client_for("head")
    _visit(client)
    clock.advance(4)
    assert _visit(client).status_code == 200
    clock.advance(6)
    assert _visit(client).status_code == 302 and not _signed_in(client)

    client = client_for("core")
    _visit(client)
    clock.advance(3)
    assert _visit(client).status_code == 302 and not _signed_in(client)


def test_checking_the_time_left_is_not_activity_but_stay_signed_in_is(client_for, clock):
    client = client_for("associate")
    status = reverse("accounts:session")
    _visit(client)
    clock.advance(20)
    assert client.get(status).json() == {"signed_in": True, "remaining": 10 * MINUTE}
    clock.advance(9)
    assert client.get(status).json()["remaining"] == 1 * MINUTE
    assert client.post(status).json()["remaining"] == 30 * MINUTE  # "Stay signed in"
    clock.advance(29)
    assert _visit(client).status_code == 200
    clock.advance(31)
    response = client.get(status)
    assert response.status_code == 401 and response.json() == {"signed_in": False}
    assert not _signed_in(client)


def test_a_form_sent_after_the_limit_goes_to_sign_in_and_saves_nothing(client_for, clock,
                                                                       world):
    client = client_for("head")
    url = reverse("accounts:me")
    _visit(client)
    clock.advance(8 * 60 + 1)
    response = client.post(url, {"full_name": "Changed while away"})
    assert response["Location"] == reverse("account_login") + "?next=/me/"
    world.people["head"].refresh_from_db()
    assert world.people["head"].full_name != "Changed while away"


def test_htmx_requests_are_sent_to_sign_in_as_a_whole_page(client_for, clock):
    client = client_for("head")
    _visit(client)
    clock.advance(8 * 60 + 1)
    response = client.get(reverse("accounts:me"), headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Redirect"] == reverse("account_login")


def _recorded(client):
    from apps.accounts.sessions import LAST_ACTIVITY

    return client.session.get(LAST_ACTIVITY)


def test_requests_within_a_minute_do_not_write_the_session(client_for, clock):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("head")
    _visit(client)
    first = _recorded(client)
    clock.advance(0.5)
    with CaptureQueriesContext(connection) as queries:
        assert _visit(client).status_code == 200
    assert _recorded(client) == first
    writes = [q["sql"] for q in queries.captured_queries
              if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]
    assert writes == []
    clock.advance(0.6)  # more than a minute since the recorded time: recorded again
    assert _visit(client).status_code == 200
    assert _recorded(client) == first + 1.1 * MINUTE


def test_stay_signed_in_always_records_the_time(client_for, clock):
    client = client_for("associate")
    _visit(client)
    first = _recorded(client)
    clock.advance(0.25)
    response = client.post(reverse("accounts:session"))
    assert response.json()["remaining"] == 30 * MINUTE
    assert _recorded(client) == first + 0.25 * MINUTE


def test_a_signed_in_request_reads_the_persons_roles_once(client_for):
    """The idle limit and the two-factor check read the per-request role cache that the
    rules use too, instead of asking the database each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for persona in ("head", "core"):
        client = client_for(persona)
        _visit(client)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("accounts:session")).status_code == 200
        role_reads = [q["sql"] for q in queries.captured_queries
                      if 'FROM "accounts_roleassignment"' in q["sql"]]
        assert len(role_reads) == 1, (persona, role_reads)
