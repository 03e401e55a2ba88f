"""Personal API tokens: made and revoked on the account's "API tokens" page."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.accounts import api_tokens
from apps.accounts.models import ApiToken, Role
from apps.core import dates
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
    made = client.post("/account/api-tokens/", {"name": "Timetable sync", "expires": "30",
                                                 "access": "read",
                                                 "areas": ["reviews", "training"]})
    assert made.status_code == 200
    token = ApiToken.objects.get(user=world.people["head"])
    body = made.content.decode()
    secret = body.split('id="new-token" type="text" value="')[1].split('"')[0]
    assert secret.startswith("prt_") and api_tokens.hash_secret(secret) == token.key_hash
    assert "no-store" in made["Cache-Control"]
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    assert token.access == "read" and token.areas == ["reviews", "training"]
    again = client.get("/account/api-tokens/").content.decode()
    assert "Timetable sync" in again and secret not in again
    assert "Read only · Reviews, Training" in again and "Never" in again  # not used yet
    api_tokens.user_for_token(secret)
    token.refresh_from_db()
    used = client.get("/account/api-tokens/").content.decode()
    assert dates.datetime_text(token.last_used_at, "short") in used


def test_tokens_page_errors(client_for, world):
    page = client_for("head").post("/account/api-tokens/", {"name": "", "expires": "90"})
    text = page.content.decode()
    assert "Say what the token is for" in text
    assert "Choose at least one area the token can use" in text
    never = client_for("head").post("/account/api-tokens/", {
        "name": "Forever", "expires": "never", "access": "write", "areas": ["reviews"]})
    assert "Choose when the token expires" in never.content.decode()
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


def test_lifetime_is_90_days_by_default_and_a_year_at_most(world):
    head = world.people["head"]
    token, _ = api_tokens.create_token(head, "Default", by=head)
    assert timedelta(days=89) < token.expires_at - timezone.now() <= timedelta(days=90)
    for expires_at in (timezone.now() + timedelta(days=366), timezone.now()):
        with pytest.raises(ValidationError):
            api_tokens.create_token(head, "Too long or over", by=head, expires_at=expires_at)
    with pytest.raises(ValidationError, match="at least one area"):
        api_tokens.create_token(head, "Nowhere", by=head, areas=["no-such-area"])
    event = AuditEvent.objects.filter(action="api_token.created").latest("pk")
    assert event.details["access"] == "write" and event.details["areas"] == \
        api_tokens.AREA_KEYS


def test_every_api_area_is_a_token_area():
    """A new part of the API must be added to AREAS, or no token could reach it."""
    from config.api import api

    prefixes = {prefix.strip("/") for prefix, _router in api._routers if prefix}
    assert prefixes == set(api_tokens.AREA_KEYS)


def _operations():
    """(method, path) of every API operation that asks for sign-in (the public library list
    says ``auth=None``), with 1 for each path parameter."""
    import re

    from config.api import api

    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                if operation.auth_param is None:
                    continue
                for method in operation.methods:
                    yield method, re.sub(r"\{[^}]+\}", "1", f"/api{prefix}{path}")


def _bearer(secret):
    from django.test import Client

    return Client(headers={"Authorization": f"Bearer {secret}"})


def _call(client, method, path):
    if method in api_tokens.SAFE_METHODS:
        return getattr(client, method.lower())(path)
    return getattr(client, method.lower())(path, "{}", content_type="application/json")


def test_a_read_only_token_is_refused_every_write(world):
    head = world.people["head"]
    _, secret = api_tokens.create_token(head, "Reader", by=head, access="read")
    client = _bearer(secret)
    writes = [(m, p) for m, p in _operations() if m not in api_tokens.SAFE_METHODS]
    assert len(writes) > 10
    for method, path in writes:
        response = _call(client, method, path)
        assert response.status_code == 403, (method, path, response.status_code)
        assert "read only" in response.json()["detail"]
    assert client.get("/api/reviews/").status_code == 200
    assert client.get("/api/me").json()["email"] == head.email


def test_an_area_token_is_refused_outside_its_area(world):
    head = world.people["head"]
    _, secret = api_tokens.create_token(head, "Reviews app", by=head, areas=["reviews"])
    client = _bearer(secret)
    outside = [(m, p) for m, p in _operations() if not p.startswith(("/api/reviews", "/api/me"))]
    areas = {p.split("/")[2] for _m, p in outside}
    assert areas <= set(api_tokens.AREA_KEYS) - {"reviews"} and len(areas) >= 6
    for method, path in outside:
        response = _call(client, method, path)
        assert response.status_code == 403, (method, path, response.status_code)
        assert "cannot be used for" in response.json()["detail"]
    assert client.get("/api/reviews/").status_code == 200
    assert client.get("/api/me").status_code == 200
    # The same person's session is not limited by their token's scope.
    from django.test import Client

    session = Client()
    session.force_login(head)
    assert session.get("/api/training/sessions").status_code != 403


def test_migration_keeps_old_tokens_working_for_a_year_at_most(world):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "apps.accounts.migrations.0005_apitoken_scopes_and_lifetime")
    head = world.people["head"]
    old, _ = api_tokens.create_token(head, "Old", by=head, access="read", areas=["reviews"])
    soon, _ = api_tokens.create_token(head, "Soon", by=head,
                                      expires_at=timezone.now() + timedelta(days=5))
    ApiToken.objects.filter(pk=old.pk).update(expires_at=timezone.now() + timedelta(days=3000))
    migration.keep_existing_tokens_working(apps, None)
    old.refresh_from_db()
    soon.refresh_from_db()
    # every area the API had when the migration was written (areas added since are opt-in)
    then = importlib.import_module(
        "apps.accounts.migrations.0005_apitoken_scopes_and_lifetime").AREAS_THEN
    assert old.access == "write" and old.areas == then
    assert timedelta(days=364) < old.expires_at - timezone.now() <= timedelta(days=365)
    assert soon.expires_at - timezone.now() <= timedelta(days=5)
