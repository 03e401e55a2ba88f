import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from apps.accounts.models import Role
from apps.accounts.services import grant_role
from apps.core.models import AuditEvent
from conftest import PASSWORD, TOTP_SECRET

pytestmark = pytest.mark.django_db


def test_sign_in_with_email_and_password(client, world):
    response = client.post(reverse("account_login"),
                           {"login": "head@test.example", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.signed_in", actor_label="head@test.example") \
        .exists()


def test_wrong_password_is_refused_and_audited(client, world):
    response = client.post(reverse("account_login"),
                           {"login": "head@test.example", "password": "wrong"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.sign_in_failed").exists()


def test_core_team_sign_in_asks_for_authenticator_code(client, world):
    import time

    response = client.post(reverse("account_login"),
                           {"login": "core@test.example", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    code = format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("core:audit")).status_code == 200


def test_role_needing_mfa_is_sent_to_set_it_up(client_for, world):
    head = world.people["head"]
    grant_role(head, Role.ASSOCIATE, partnership=world.beta)
    response = client_for("head").get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_no_open_sign_up(client):
    from apps.accounts.models import User

    assert b"You need an invitation to join" in client.get(reverse("account_signup")).content
    client.post(reverse("account_signup"), {"email": "walk-in@test.example",
                                            "password1": "a long passphrase 42"})
    assert not User.objects.filter(email="walk-in@test.example").exists()


def test_password_reset_sends_mail(client, world):
    from django.core import mail

    response = client.post(reverse("account_reset_password"), {"email": "head@test.example"})
    assert response.status_code == 302
    assert mail.outbox and mail.outbox[-1].to == ["head@test.example"]


def test_google_and_microsoft_sign_in_appear_when_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "google": {"APPS": [{"client_id": "id", "secret": "s", "key": ""}]},
        "microsoft": {"APPS": [{"client_id": "id", "secret": "s",
                                "settings": {"tenant": "organizations"}}]},
    }
    text = client.get(reverse("account_login")).content.decode()
    assert "Sign in with Google" in text and "Sign in with Microsoft" in text


def test_no_third_party_sign_in_by_default(client):
    text = client.get(reverse("account_login")).content.decode()
    assert "Sign in with Google" not in text
