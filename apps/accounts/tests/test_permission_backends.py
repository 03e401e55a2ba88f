"""Permissions come from the rules and the core team's admin backend, never from Django's
permission tables, and the per-request questions asked of every signed-in page (may this
person do X, has this person an authenticator app) read no table they need not read."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.middleware import has_authenticator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["head", "lead", "core", "evaluator"])
def test_pages_never_read_the_permission_tables(client_for, persona):
    client = client_for(persona)
    for name in ("home", "directory:schools", "training:catalogue"):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name)).status_code == 200
        tables = [q["sql"] for q in ctx.captured_queries if "auth_permission" in q["sql"]]
        assert tables == [], (name, tables)


def test_a_permission_in_the_tables_grants_nothing(world):
    """The admin does not offer the tables; a row put there by hand is not obeyed."""
    head = world.people["head"]
    head.user_permissions.add(Permission.objects.get(codename="change_school"))
    head = type(head).objects.get(pk=head.pk)
    assert not head.has_perm("schools.change_school")
    assert not head.has_module_perms("schools")


def test_the_rules_and_the_core_teams_admin_permissions_still_answer(world):
    core, head = world.people["core"], world.people["head"]
    assert core.has_perm("schools.change_school")  # CoreTeamAdminBackend
    assert core.has_module_perms("schools")
    assert "schools.change_school" not in head.get_all_permissions()
    assert head.has_perm("reviews.view_review", world.review)  # the rules
    assert not world.people["outsider"].has_perm("reviews.view_review", world.review)


def test_whether_a_person_has_an_authenticator_is_cached_until_it_changes(world):
    head = world.people["head"]
    assert has_authenticator(head) is False
    with CaptureQueriesContext(connection) as ctx:
        assert has_authenticator(head) is False
    assert ctx.captured_queries == []
    TOTP.activate(head, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")  # forgets the cached answer
    assert has_authenticator(head) is True
    Authenticator.objects.filter(user=head).delete()
    assert has_authenticator(head) is False


def test_a_new_authenticator_still_ends_the_persons_other_sessions(client_for, world):
    """Cached or not: a session that did not use the new authenticator is ended at its next
    request."""
    client = client_for("head")
    assert client.get(reverse("home")).status_code == 200  # the answer 'none' is cached
    TOTP.activate(world.people["head"], "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("account_login")
