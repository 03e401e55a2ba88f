"""allauth's own pages in our words: GOV.UK layout, sentence case, plain English, and an error
summary that links to each field. Each page is read as a person meets it."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from conftest import PASSWORD, TOTP_SECRET

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forget_used_codes():
    """allauth remembers used authenticator codes in the cache: other tests use the same."""
    yield
    from django.core.cache import cache

    cache.clear()

# allauth's headings, buttons and labels in title case: none may reach a page.
ALLAUTH_WORDS = (
    "Password Reset", "Reset My Password", "Change Password", "Set Password", "Bad Token",
    "Sign Out", "Sign Up Closed", "Confirm Access", "Two-Factor Authentication",
    "Authenticator App", "Activate Authenticator App", "Recovery Codes", "Generate",
    "New Password", "Current Password", "Authenticator code", "Sign In", "Remember Me",
    "Please reauthenticate", "Enter your password:", "Email Address", "Make Primary",
    "Deactivate", "Alternative options", "This field is required.",
)


def read(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def h1(page: str) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert found
    return " ".join(found.group(1).split())


def in_our_words(page: str, heading: str) -> None:
    assert h1(page) == heading
    assert f"<title>{heading} –" in page or f"<title>Error: {heading} –" in page
    for words in ALLAUTH_WORDS:
        assert words not in page, words


def errors_link_to_fields(page: str, *fields: str) -> None:
    """The summary lists a message for each field, linked to the field's input."""
    assert "There is a problem" in page
    assert "<title>Error: " in page
    for field in fields:
        assert f'href="#id_{field}"' in page, field
        assert f'id="id_{field}"' in page, field
        assert f'id="id_{field}-error"' in page or "govuk-error-message" in page


def test_password_reset_request_and_its_errors(client, world):
    in_our_words(read(client.get(reverse("account_reset_password"))), "Reset your password")
    page = read(client.post(reverse("account_reset_password"), {"email": ""}))
    in_our_words(page, "Reset your password")
    errors_link_to_fields(page, "email")
    assert "Enter the email address" in page or "Enter your email address" in page


def test_password_reset_done_says_check_your_email(client, world):
    response = client.post(reverse("account_reset_password"), {"email": "head@test.example"},
                           follow=True)
    page = read(response)
    in_our_words(page, "Check your email")


def test_password_reset_from_key_and_done(client, world):
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    head = world.people["head"]
    key = default_token_generator.make_token(head)
    url = reverse("account_reset_password_from_key",
                  kwargs={"uidb36": user_pk_to_url_str(head), "key": key})
    response = client.get(url, follow=True)  # allauth moves the key into the session
    page = read(response)
    in_our_words(page, "Choose a new password")
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else url
    page = read(client.post(form_url, {"password1": "", "password2": ""}))
    in_our_words(page, "Choose a new password")
    errors_link_to_fields(page, "password1", "password2")
    assert "Enter the new password" in page
    response = client.post(form_url, {"password1": "a fresh long passphrase 7",
                                      "password2": "a fresh long passphrase 7"}, follow=True)
    in_our_words(read(response), "Your password has been changed")


def test_password_reset_link_that_does_not_work(client, world):
    page = read(client.get(reverse("account_reset_password_from_key",
                                   kwargs={"uidb36": "1", "key": "set-password"})))
    in_our_words(page, "This link has expired")
    assert reverse("account_reset_password") in page


def test_change_password_and_its_errors(client_for):
    client = client_for("head")
    in_our_words(read(client.get(reverse("account_change_password"))), "Change your password")
    page = read(client.post(reverse("account_change_password"),
                            {"oldpassword": "", "password1": "", "password2": ""}))
    in_our_words(page, "Change your password")
    errors_link_to_fields(page, "oldpassword", "password1", "password2")
    assert "Enter the current password" in page
    response = client.post(reverse("account_change_password"), {
        "oldpassword": PASSWORD, "password1": "a fresh long passphrase 7",
        "password2": "a fresh long passphrase 7"}, follow=True)
    assert "Your password has been changed" in read(response)


def test_set_password_for_someone_without_one(client_for, world):
    head = world.people["head"]
    head.set_unusable_password()
    head.save()
    client = client_for("head")
    in_our_words(read(client.get(reverse("account_set_password"))), "Choose a password")
    page = read(client.post(reverse("account_set_password"), {"password1": "", "password2": ""}))
    errors_link_to_fields(page, "password1", "password2")


def test_sign_up_is_closed_in_plain_words(client):
    page = read(client.get(reverse("account_signup")))
    in_our_words(page, "You need an invitation to join")
    assert reverse("account_login") in page


def test_sign_out_confirmation(client_for):
    page = read(client_for("head").get(reverse("account_logout")))
    in_our_words(page, "Sign out")
    assert "Are you sure you want to sign out as head@test.example?" in page


def test_reauthenticate_with_password_and_its_errors(client_for):
    client = client_for("head")
    url = reverse("account_reauthenticate") + "?next=" + reverse("mfa_activate_totp")
    in_our_words(read(client.get(url)), "Confirm it is you")
    page = read(client.post(url, {"password": ""}))
    in_our_words(page, "Confirm it is you")
    errors_link_to_fields(page, "password")
    assert "Enter the password" in page or "Enter your password" in page


@pytest.mark.django_db(transaction=True)  # allauth records the new factor on commit
def test_setting_up_an_authenticator_app_and_recovery_codes(client_for):
    client = client_for("head")
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = read(client.get(reverse("mfa_index")))
    in_our_words(page, "Two-factor authentication")
    page = read(client.get(reverse("mfa_activate_totp")))
    in_our_words(page, "Set up an authenticator app")
    assert 'alt="QR code to scan with your authenticator app"' in page
    page = read(client.post(reverse("mfa_activate_totp"), {"code": ""}))
    in_our_words(page, "Set up an authenticator app")
    errors_link_to_fields(page, "code")
    assert "Enter the code from your authenticator app" in page
    secret = re.search(r'class="app-setup-key">(\w+)<', page)
    assert secret
    code = format_hotp_value(hotp_value(secret.group(1), int(time.time()) // 30))
    response = client.post(reverse("mfa_activate_totp"), {"code": code}, follow=True)
    page = read(response)
    in_our_words(page, "Your recovery codes")
    assert "Two-factor authentication is on" in page
    in_our_words(read(client.get(reverse("mfa_generate_recovery_codes"))),
                 "Make new recovery codes")
    in_our_words(read(client.get(reverse("mfa_deactivate_totp"))),
                 "Turn off the authenticator app")


def test_authenticator_code_at_sign_in_and_its_errors(client, world):
    client.post(reverse("account_login"), {"login": "core@test.example", "password": PASSWORD})
    page = read(client.get(reverse("mfa_authenticate")))
    in_our_words(page, "Enter the code from your authenticator app")
    page = read(client.post(reverse("mfa_authenticate"), {"code": ""}))
    in_our_words(page, "Enter the code from your authenticator app")
    errors_link_to_fields(page, "code")


def test_reauthenticate_with_an_authenticator_code(client_for):
    client = client_for("core")
    page = read(client.get(reverse("mfa_reauthenticate")))
    in_our_words(page, "Confirm it is you")
    page = read(client.post(reverse("mfa_reauthenticate"), {"code": ""}))
    errors_link_to_fields(page, "code")
    code = format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))
    assert client.post(reverse("mfa_reauthenticate"), {"code": code}).status_code == 302


def test_an_email_confirmation_link_that_does_not_work(client, world):
    page = read(client.get(reverse("account_confirm_email", args=["not-a-real-key"])))
    in_our_words(page, "Confirm your email address")
    assert "This link has expired or is not complete" in page


def test_changing_email_addresses_is_left_to_the_programme_team(client_for):
    assert client_for("head").get(reverse("account_email")).status_code == 404
