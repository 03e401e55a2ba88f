"""Findings of the security review, kept as tests."""

import pytest
from django.urls import reverse

from apps.accounts.models import Invitation, Role
from apps.core.models import AuditEvent
from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_admin_sign_in_goes_through_the_platform_sign_in(client, world):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    client.post("/admin/login/", {"username": "core@test.example", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_a_session_that_skipped_the_authenticator_is_ended(client, world):
    client.force_login(world.people["core"],
                       backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("core:audit"))
    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    assert "_auth_user_id" not in client.session


def test_core_team_admin_covers_our_models_only(client_for, world):
    client = client_for("core")
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/schools/school/").status_code == 200
    assert client.get("/admin/mfa/authenticator/").status_code == 404
    assert client.get("/admin/socialaccount/socialapp/").status_code == 404
    # people and roles are read-only there: changes go through audited pages
    user_change = client.get(f"/admin/accounts/user/{world.people['staff'].pk}/change/")
    assert user_change.status_code == 200 and b'name="_save"' not in user_change.content
    core = world.people["core"]
    assert not core.has_perm("partnerships.change_phase_x")
    assert core.has_perm("schools.change_school")


def test_lead_cannot_withdraw_an_associate_invitation(client_for, world):
    invitation = Invitation.objects.create(email="assoc@test.example", full_name="A",
                                           role=Role.ASSOCIATE, partnership=world.alpha,
                                           invited_by=world.people["core"])
    response = client_for("lead").post(
        reverse("people:revoke_invitation", args=[invitation.pk]))
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == "Waiting"


def test_lead_sees_only_roles_in_their_partnership(client_for, world):
    text = client_for("lead").get(reverse("people:people")).content.decode()
    assert "A3 School" in text  # exec head's Alpha school
    assert "B1 School" not in text  # ... but not the Beta one
    beta_role = world.people["exec_head"].roles.get(school=world.schools["B1"])
    assert client_for("lead").post(
        reverse("people:end_role", args=[beta_role.pk])).status_code == 404


def test_core_team_sets_training_dates(client_for, world):
    client = client_for("core")
    url = reverse("people:training_dates", args=[world.people["staff"].pk])
    bad = client.post(url, {"reviewer_trained_until": "31/02/2027"})
    assert "There is a problem" in bad.content.decode()
    assert client.post(url, {"reviewer_trained_until": "2027-08-31",
                             "champion_trained_until": ""}).status_code == 302
    world.people["staff"].refresh_from_db()
    assert str(world.people["staff"].reviewer_trained_until) == "2027-08-31"
    assert AuditEvent.objects.filter(action="person.training_dates_set").exists()


def test_core_team_invites_to_a_school_outside_partnerships(client_for, world):
    response = client_for("core").post(reverse("people:invite"), {
        "full_name": "Una Partnered", "email": "una@test.example", "role": Role.HEADTEACHER,
        "school_urn": world.schools["X"].urn})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Invitation.objects.get(email="una@test.example").school == world.schools["X"]


@pytest.mark.parametrize("params", [
    {"page": "999999999999999999999"}, {"q": "²"}, {"q": "1" * 5000}, {"q": "a\x00b"},
    {"la_code": "\x00"}, {"page_size": "100000"},
])
def test_api_bad_parameters_are_not_errors(client_for, world, params):
    response = client_for("head").get("/api/schools/", params)
    assert response.status_code in (200, 422)


def test_api_partnership_slug_with_nul(client_for, world):
    assert client_for("head").get("/api/partnerships/a%00b").status_code == 404


def test_core_team_changes_a_sign_in_email(client_for, world):
    client = client_for("core")
    url = reverse("people:change_email", args=[world.people["staff"].pk])
    taken = client.post(url, {"email": "head@test.example"})
    assert "Another person already signs in" in taken.content.decode()
    assert client.post(url, {"email": "New.Staff@Test.Example"}).status_code == 302
    world.people["staff"].refresh_from_db()
    assert world.people["staff"].email == "new.staff@test.example"
    assert AuditEvent.objects.filter(action="person.email_changed").exists()
