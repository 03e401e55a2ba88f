"""Personal API tokens: made and revoked on the account's "API tokens" page."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.accounts import api_tokens
from apps.accounts.models import ApiToken, Role
from apps.core.models import AuditEvent
from tests.factories import RoleFactory

pytestmark = pytest.mark.django_db


def test_create_and_look_up(world):
    head = world.people["head"]
    token, secret = api_tokens.create_token(head, "  Sync  ", by=head)
    assert token.name == "Sync" and token.last_used_at is None
    assert api_tokens.user_for_token(secret) == head
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None
    api_tokens.user_for_token(secret)
    token.refresh_from_db()
    assert token.last_used_at == first_use  # at most once a minute
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first_use - timedelta(minutes=2))
    api_tokens.user_for_token(secret)
    token.refresh_from_db()
    assert token.last_used_at > first_use - timedelta(minutes=1)
    assert AuditEvent.objects.filter(action="api_token.created", actor=head).exists()


def test_refusals(world):
    head, staff = world.people["head"], world.people["staff"]
    with pytest.raises(PermissionDenied):
        api_tokens.create_token(head, "For someone else", by=staff)
    with pytest.raises(ValidationError):
        api_tokens.create_token(head, "   ", by=head)
    token, secret = api_tokens.create_token(head, "Sync", by=head)
    with pytest.raises(PermissionDenied):
        api_tokens.revoke_token(token, by=staff)
    for nonsense in ["", "prt_", "x" * 500, secret + "x", secret[:-1]]:
        assert api_tokens.user_for_token(nonsense) is None
    head.is_active = False
    head.save()
    assert api_tokens.user_for_token(secret) is None


def test_revoke_is_audited_and_harmless_twice(world):
    head = world.people["head"]
    token, secret = api_tokens.create_token(head, "Sync", by=head)
    api_tokens.revoke_token(token, by=head)
    api_tokens.revoke_token(token, by=head)
    assert api_tokens.user_for_token(secret) is None
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1


def test_a_role_that_needs_mfa_stops_the_token_until_it_is_set_up(world):
    person = world.people["norole"]
    _, secret = api_tokens.create_token(person, "Sync", by=person)
    assert api_tokens.user_for_token(secret) == person
    RoleFactory(user=person, role=Role.CORE_TEAM)
    assert api_tokens.user_for_token(secret) is None


def test_limit_on_active_tokens(world):
    head = world.people["head"]
    for i in range(api_tokens.MAX_ACTIVE_TOKENS):
        api_tokens.create_token(head, f"Token {i}", by=head)
    with pytest.raises(ValidationError):
        api_tokens.create_token(head, "One too many", by=head)


def test_tokens_page_shows_the_secret_once(client_for, world):
    client = client_for("head")
    page = client.get("/account/api-tokens/")
    assert page.status_code == 200 and "You have no API tokens" in page.content.decode()
    made = client.post("/account/api-tokens/", {"name": "Timetable sync", "expires": "30"})
    assert made.status_code == 200
    token = ApiToken.objects.get(user=world.people["head"])
    body = made.content.decode()
    secret = body.split('id="new-token" type="text" value="')[1].split('"')[0]
    assert secret.startswith("prt_") and api_tokens.hash_secret(secret) == token.key_hash
    assert "no-store" in made["Cache-Control"]
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    again = client.get("/account/api-tokens/").content.decode()
    assert "Timetable sync" in again and secret not in again


def test_tokens_page_errors(client_for, world):
    page = client_for("head").post("/account/api-tokens/", {"name": "", "expires": "90"})
    assert "Say what the token is for" in page.content.decode()
    assert not ApiToken.objects.exists()


def test_revoke_page(client_for, world):
    head = world.people["head"]
    token, _ = api_tokens.create_token(head, "Sync", by=head)
    assert client_for("staff").post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 404
    response = client_for("head").post(f"/account/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client_for("head").get(f"/account/api-tokens/{token.pk}/revoke/").status_code == 405
