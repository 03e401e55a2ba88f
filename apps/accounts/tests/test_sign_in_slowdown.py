"""Wrong passwords slow the guesser down but never lock the owner out (issue 11)."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from conftest import PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.7"
OWNER = "198.51.100.20"
ADDRESS = "head@test.example"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.ACCOUNT_RATE_LIMITS = settings.SIGN_IN_RATE_LIMITS
    cache.clear()
    yield settings
    cache.clear()


def _try(client, password, ip, address=ADDRESS):
    client.logout()
    return client.post(reverse("account_login"), {"login": address, "password": password},
                       REMOTE_ADDR=ip)


def _signed_in(client):
    return "_auth_user_id" in client.session


def test_a_stranger_guessing_does_not_stop_the_owner_signing_in(client, world):
    for _ in range(10):
        _try(client, "wrong guess", ATTACKER)
    assert _try(client, PASSWORD, OWNER).status_code == 302
    assert _signed_in(client)


def test_the_guesser_is_refused_with_a_plain_message_even_with_the_right_password(client, world):
    for attempt in range(5):
        response = _try(client, "wrong guess", ATTACKER)
        assert "too many wrong passwords" not in response.content.decode(), attempt
    response = _try(client, PASSWORD, ATTACKER)
    assert not _signed_in(client)
    text = response.content.decode()
    assert "too many wrong passwords for this email address from your connection" in text
    assert "reset your password" in text
    # other addresses from the same connection are not held up by this one
    assert _try(client, PASSWORD, ATTACKER, address="staff@test.example").status_code == 302


def test_the_pause_grows_with_each_run_of_failures(client, world, limits):
    import time
    from unittest import mock

    start = time.time()

    def failures_at(offset, count):
        with mock.patch("allauth.core.internal.ratelimit.time.time",
                        return_value=start + offset):
            return [_try(client, "wrong guess", ATTACKER).content.decode()
                    for _ in range(count)]

    failures_at(0, 5)
    assert "is paused" in failures_at(60, 1)[0]  # one minute later: still paused
    assert "is paused" not in failures_at(6 * 60, 1)[0]  # after 5 minutes: may try again
    failures_at(12 * 60, 4)  # 10 failures within the hour
    assert "is paused" in failures_at(20 * 60, 1)[0]  # now 5 minutes are not enough
    assert "is paused" in failures_at(50 * 60, 1)[0]
    assert "is paused" not in failures_at(61 * 60, 1)[0]


def test_guessing_from_many_connections_pauses_the_address_until_a_password_reset(
        client, world, limits):
    limits.ACCOUNT_RATE_LIMITS = {**limits.SIGN_IN_RATE_LIMITS,
                                  "login_failed_address": "12/1h/key"}
    for n in range(12):
        _try(client, "wrong guess", f"203.0.113.{n}")
    response = _try(client, PASSWORD, OWNER)
    assert not _signed_in(client)
    assert "Reset your password to sign in now" in response.content.decode()

    # The owner resets their password from their own connection ...
    client.post(reverse("account_reset_password"), {"email": ADDRESS}, REMOTE_ADDR=OWNER)
    link = re.search(r"https?://\S+/password/reset/key/\S+/", mail.outbox[-1].body).group(0)
    form_page = client.get(link, REMOTE_ADDR=OWNER)
    assert form_page.status_code == 302
    new = "a brand new passphrase 17"
    done = client.post(form_page["Location"], {"password1": new, "password2": new},
                       REMOTE_ADDR=OWNER)
    assert done.status_code == 302
    # ... and can sign in with the new one at once.
    assert _try(client, new, OWNER).status_code == 302
    assert _signed_in(client)
