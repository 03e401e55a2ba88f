import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Invitation, Role, User
from apps.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _invite(client, **data):
    return client.post(reverse("people:invite"), data)


def _link_from_mail() -> str:
    match = re.search(r"https?://[^\s]+/invitations/[^\s/]+/", str(mail.outbox[-1].body))
    assert match, mail.outbox[-1].body
    return match.group(0)


def test_lead_invites_a_headteacher_who_accepts(client, client_for, world):
    lead = client_for("lead")
    response = _invite(lead, full_name="New Head", email="New.Head@Test.Example",
                       role=Role.HEADTEACHER, school=world.schools["A4"].pk)
    assert response.status_code == 302, response.content.decode()[:2000]
    invitation = Invitation.objects.get(email="new.head@test.example")
    assert invitation.school == world.schools["A4"] and invitation.invited_by.email == \
        "lead@test.example"
    assert mail.outbox[-1].to == ["new.head@test.example"]
    link = _link_from_mail()
    client.logout()
    page = client.get(link)
    assert page.status_code == 200 and b"Accept your invitation" in page.content
    response = client.post(link, {"full_name": "Nia Head", "password1": "a long passphrase 42",
                                  "password2": "a long passphrase 42"})
    assert response.status_code == 302
    user = User.objects.get(email="new.head@test.example")
    assert user.full_name == "Nia Head"
    assert user.roles.current().filter(role=Role.HEADTEACHER,
                                       school=world.schools["A4"]).exists()
    assert int(client.session["_auth_user_id"]) == user.pk
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert client.get(link).status_code == 404  # used once only
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    for action in ("invitation.sent", "account.created", "role.granted", "invitation.accepted"):
        assert action in actions


def test_lead_cannot_invite_to_a_school_outside_their_partnership(client_for, world):
    response = _invite(client_for("lead"), full_name="X", email="x@test.example",
                       role=Role.HEADTEACHER, school=world.schools["B1"].pk)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Invitation.objects.filter(email="x@test.example").exists()


def test_lead_cannot_grant_programme_roles(client_for, world):
    response = _invite(client_for("lead"), full_name="X", email="x@test.example",
                       role=Role.CORE_TEAM)
    assert response.status_code == 200
    assert not Invitation.objects.filter(email="x@test.example").exists()


def test_core_team_invites_an_associate(client_for, world):
    response = _invite(client_for("core"), full_name="Asha Sociate", email="asha@test.example",
                       role=Role.ASSOCIATE, partnership=world.beta.slug)
    assert response.status_code == 302
    assert Invitation.objects.get(email="asha@test.example").partnership == world.beta


def test_missing_fields_show_error_summary(client_for, world):
    response = _invite(client_for("core"), full_name="", email="not-an-email",
                       role=Role.ASSOCIATE)
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text and "<title>Error: " in text
    assert "Choose the partnership for this role" in text
    assert not Invitation.objects.exists() or Invitation.objects.count() == 1


def test_duplicate_waiting_invitation_is_refused(client_for, world):
    data = dict(full_name="Dee Dupe", email="dee@test.example", role=Role.STAFF,
                school=world.schools["A2"].pk)
    assert _invite(client_for("lead"), **data).status_code == 302
    again = _invite(client_for("lead"), **data)
    assert again.status_code == 200 and "already has a waiting invitation" in \
        again.content.decode()


def test_mismatched_passwords(client, world):
    url = reverse("accounts:accept_invitation", args=[world.invitation.token])
    response = client.post(url, {"full_name": "A", "password1": "one long password",
                                 "password2": "another long password"})
    assert response.status_code == 200
    assert "The passwords do not match" in response.content.decode()
    assert not User.objects.filter(email=world.invitation.email).exists()


def test_expired_and_withdrawn_links_do_not_work(client, client_for, world):
    world.invitation.expires_at = timezone.now() - timedelta(minutes=1)
    world.invitation.save()
    url = reverse("accounts:accept_invitation", args=[world.invitation.token])
    assert client.get(url).status_code == 404
    assert client.get(reverse("accounts:accept_invitation", args=["nonsense"])).status_code == 404


def test_existing_person_accepts_signed_in(client_for, world):
    invitation = Invitation.objects.create(email="leader@test.example", full_name="Leader",
                                           role=Role.STAFF, school=world.schools["A3"],
                                           invited_by=world.people["lead"])
    url = reverse("accounts:accept_invitation", args=[invitation.token])
    client = client_for("anonymous")
    assert b"Sign in to accept" in client.get(url).content
    client = client_for("leader")
    assert b"Add the role" in client.get(url).content
    assert client.post(url).status_code == 302
    assert world.people["leader"].roles.current().filter(school=world.schools["A3"]).exists()


def test_withdraw_invitation(client_for, world):
    response = client_for("lead").post(
        reverse("people:revoke_invitation", args=[world.invitation.pk]))
    assert response.status_code == 302
    world.invitation.refresh_from_db()
    assert world.invitation.status == "Withdrawn"


def test_end_role_keeps_history(client_for, world):
    client_for("lead").post(reverse("people:end_role", args=[world.staff_role.pk]))
    world.staff_role.refresh_from_db()
    assert world.staff_role.ended_at is not None
    assert AuditEvent.objects.filter(action="role.ended").exists()


def test_lead_cannot_end_an_associate_role(client_for, world):
    associate_role = world.people["associate"].roles.get()
    response = client_for("lead").post(reverse("people:end_role", args=[associate_role.pk]))
    assert response.status_code == 403


def test_the_partnership_people_page_offers_removal_only_where_the_reader_may_remove(
        client_for, world):
    associate_role = world.people["associate"].roles.get()
    end = reverse("people:end_role", args=[associate_role.pk]).encode()
    page = reverse("partnerships:people", args=[world.alpha.slug])
    lead_view = client_for("lead").get(page)
    assert end not in lead_view.content  # a link to a 403 before
    assert b"The core team changes associates" in lead_view.content
    assert reverse("people:end_role", args=[world.staff_role.pk]).encode() in lead_view.content
    assert end in client_for("core").get(page).content
    # The people page too.
    people = client_for("lead").get(reverse("people:people")).content
    assert end not in people
    assert reverse("people:end_role", args=[world.staff_role.pk]).encode() in people
    assert end in client_for("core").get(reverse("people:people")).content


def test_removing_a_role_asks_first_and_returns(client_for, world):
    client = client_for("lead")
    url = reverse("people:end_role", args=[world.staff_role.pk])
    back = reverse("partnerships:people", args=[world.alpha.slug])
    page = client.get(url, {"next": back})
    assert b"Remove Staff's role?" in page.content
    world.staff_role.refresh_from_db()
    assert world.staff_role.ended_at is None
    evil = client.get(url, {"next": "https://evil.example/"})
    assert b'value="/people/"' in evil.content  # only same-site pages to go back to
    done = client.post(url, {"next": back})
    assert done["Location"] == back
