"""A concern about a headteacher is never stranded: with no officer who may read it, the core
team reads it; an officer appointed later sees it waiting on their home page."""

from allauth.mfa.totp.internal.auth import TOTP

from apps.accounts.models import Role, User
from apps.reviews import services
from conftest import TOTP_SECRET
from tests.factories import RoleFactory, UserFactory


def _fresh(user):
    return User.objects.get(pk=user.pk)


def test_the_core_team_reads_it_until_an_officer_is_appointed(world, client_for):
    concern = services.raise_concern(world.review, by=world.people["leader"],
                                     text="About the head.", about_headteacher=True)
    core = _fresh(world.people["core"])
    assert core.has_perm("reviews.view_safeguarding_concern", concern)
    assert not _fresh(world.people["head"]).has_perm("reviews.view_safeguarding_concern",
                                                      concern)
    home = client_for("core").get("/").content.decode()
    assert "Safeguarding concerns waiting for you" in home

    officer = UserFactory(email="officer@test.example", full_name="Officer")
    RoleFactory(user=officer, role=Role.SAFEGUARDING_OFFICER)
    TOTP.activate(officer, TOTP_SECRET)  # the officer's role requires an authenticator app
    assert not _fresh(core).has_perm("reviews.view_safeguarding_concern", concern)
    assert _fresh(officer).has_perm("reviews.view_safeguarding_concern", concern)
    from conftest import sign_in

    client = client_for("anonymous")
    sign_in(client, officer)
    home = client.get("/").content.decode()
    assert "Safeguarding concerns waiting for you" in home
    assert f"/reviews/safeguarding/{concern.pk}/" in home


def test_an_officer_who_is_the_head_it_is_about_does_not_count(world):
    RoleFactory(user=world.people["head"], role=Role.SAFEGUARDING_OFFICER)
    concern = services.raise_concern(world.review, by=world.people["leader"],
                                     text="About the head.", about_headteacher=True)
    assert not _fresh(world.people["head"]).has_perm("reviews.view_safeguarding_concern",
                                                      concern)
    assert _fresh(world.people["core"]).has_perm("reviews.view_safeguarding_concern", concern)
