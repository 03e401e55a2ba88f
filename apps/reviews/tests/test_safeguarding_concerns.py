"""After a concern is raised (walkthrough of 7 December 2026, Top 10 item 6): the list of the
concerns a person may read, marking one as seen (and the person who raised it being told),
recording what was done (closing it; it can be changed and reopened), the flag on a concern
about a headteacher not seen after two working days, and two-factor authentication for the
people who read concerns. Trust is tested by content: a marker planted in a concern's text
and outcome is read as every persona the rules exclude."""

import re
import uuid
from datetime import datetime, time, timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from apps.accounts.models import Role, User
from apps.notifications.models import Notification
from apps.reviews import selectors, services
from apps.reviews.models import Review, SafeguardingConcern, Status
from conftest import PERSONAS, TOTP_SECRET, sign_in
from tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def _person(email, role, school=None, name=None):
    user = UserFactory(email=email, full_name=name or email.split("@")[0].title())
    RoleFactory(user=user, role=role, **({"school": school} if school else {}))
    TOTP.activate(user, TOTP_SECRET)  # both reading roles require an authenticator app
    return user


@pytest.fixture
def readers(world):
    """The host school's DSL, another school's DSL, and the programme's safeguarding
    officer."""
    return {"dsl": _person("dsl@test.example", Role.DSL, world.schools["A1"], "Dana Sill"),
            "other_dsl": _person("dsl.b1@test.example", Role.DSL, world.schools["B1"]),
            "officer": _person("officer@test.example", Role.SAFEGUARDING_OFFICER)}


def _client(client, user):
    client.logout()
    sign_in(client, user)
    return client


def _page(client, user, url) -> tuple[int, str]:
    response = _client(client, user).get(url)
    return response.status_code, response.content.decode()


def _raised(review, *, about_head=False, days_ago=0, text="A concern.", by=None):
    concern = SafeguardingConcern.objects.create(
        review=review, raised_by=by or review_raiser(review), text=text,
        about_headteacher=about_head)
    if days_ago:
        SafeguardingConcern.objects.filter(pk=concern.pk).update(
            raised_at=timezone.now() - timedelta(days=days_ago))
        concern.refresh_from_db()
    return concern


def review_raiser(review):
    return User.objects.get(email="leader@test.example")


# --- Who may read which concern: the list follows the rule exactly ---------------------------

def test_the_list_shows_each_person_exactly_the_concerns_the_rule_lets_them_read(world,
                                                                                 readers):
    beta_review = Review.objects.create(cycle=world.cycle, host=world.schools["B1"],
                                        status=Status.PLANNED)
    concerns = [world.concern, _raised(world.review, about_head=True),
                _raised(beta_review), _raised(beta_review, about_head=True)]
    people = {**{p: world.people[p] for p in PERSONAS if p != "anonymous"}, **readers}

    def check():
        for name, user in people.items():
            user = User.objects.get(pk=user.pk)  # a fresh role cache
            expected = {c.pk for c in concerns
                        if user.has_perm("reviews.view_safeguarding_concern", c)}
            assert set(selectors.readable_concerns(user).values_list("pk", flat=True)) \
                == expected, name
        return {name for name, user in people.items()
                if selectors.readable_concerns(User.objects.get(pk=user.pk)).exists()}

    assert check() == {"head", "exec_head", "dsl", "other_dsl", "officer"}
    # The only officer becomes the headteacher of A1: concerns about A1's head are stranded,
    # so the core team reads them (and that officer does not).
    RoleFactory(user=readers["officer"], role=Role.HEADTEACHER, school=world.schools["A1"])
    assert "core" in check()
    readers["officer"].roles.filter(role=Role.SAFEGUARDING_OFFICER).update(
        ended_at=timezone.now())
    assert "core" in check()


def test_the_list_page_is_for_the_roles_that_read_concerns(world, readers, client):
    url = reverse("reviews:safeguarding_list")
    for user in (readers["dsl"], readers["officer"], world.people["head"],
                 world.people["core"]):
        assert _page(client, user, url)[0] == 200
    for persona in ("leader", "staff", "lead", "associate", "evaluator", "champion"):
        assert _page(client, world.people[persona], url)[0] == 403, persona


def test_not_seen_and_seen_are_listed_apart_newest_first_a_page_at_a_time(
        world, readers, client, monkeypatch):
    from apps.reviews.views import safeguarding

    world.concern.delete()
    older = _raised(world.review, days_ago=3)
    newer = _raised(world.review, days_ago=1)
    seen = _raised(world.review, days_ago=2)
    services.acknowledge_concern(seen, by=readers["dsl"])
    url = reverse("reviews:safeguarding_list")
    status, page = _page(client, readers["dsl"], url)
    not_seen_part, seen_part = page.split("<h2 class=\"govuk-heading-m\">Seen</h2>")
    links = [int(pk) for pk in re.findall(r"/reviews/safeguarding/(\d+)/", not_seen_part)]
    assert links == [newer.pk, older.pk]
    assert f"/reviews/safeguarding/{seen.pk}/" in seen_part
    assert "A1 School" in page and "Leader" in page  # the school and who raised it
    assert date_format(timezone.localtime(newer.raised_at), "l j F Y") in page
    assert "Not seen yet" in not_seen_part and "Seen" in seen_part
    monkeypatch.setattr(safeguarding, "PAGE_SIZE", 1)
    first = client.get(url).content.decode()
    assert f"/reviews/safeguarding/{newer.pk}/" in first
    assert f"/reviews/safeguarding/{older.pk}/" not in first
    assert 'href="?new=2" rel="next"' in first
    second = client.get(url, {"new": 2}).content.decode()
    assert f"/reviews/safeguarding/{older.pk}/" in second
    assert f"/reviews/safeguarding/{seen.pk}/" in second  # the other list keeps its page


# --- Marking as seen ------------------------------------------------------------------------

def test_marking_as_seen_says_when_and_that_the_raiser_is_told_without_the_text(
        world, readers, client, django_capture_on_commit_callbacks):
    marker = f"SEEN-{uuid.uuid4().hex}"
    concern = _raised(world.review, text=marker)
    url = reverse("reviews:safeguarding_detail", args=[concern.pk])
    _client(client, readers["dsl"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    page = response.content.decode()
    today = date_format(timezone.localdate(), "l j F Y")
    assert f"You marked this concern as seen on {today}. Leader has been told." in page
    assert "Record what was done" in page
    told = Notification.objects.get(user=world.people["leader"],
                                    kind="review.safeguarding_seen")
    assert "Dana Sill has read the safeguarding concern" in told.body
    assert marker not in told.body + told.subject
    assert all(marker not in m.body + m.subject for m in mail.outbox)
    # Marking it again changes nothing and tells nobody again.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, follow=True).content.decode()
    assert "already marked as seen" in again
    assert Notification.objects.filter(kind="review.safeguarding_seen").count() == 1


def test_no_one_is_told_when_the_raiser_marks_it_themself(world, client):
    concern = _raised(world.review, by=world.people["head"])
    _client(client, world.people["head"])
    page = client.post(reverse("reviews:safeguarding_detail", args=[concern.pk]),
                       follow=True).content.decode()
    assert "You marked this concern as seen on" in page and "has been told" not in page


# --- What was done: recorded, shown, changed, reopened; concurrent edits detected -------------

def test_recording_what_was_done_closes_it_and_it_can_be_changed_and_reopened(
        world, readers, client):
    concern = world.concern
    detail = reverse("reviews:safeguarding_detail", args=[concern.pk])
    outcome = reverse("reviews:safeguarding_outcome", args=[concern.pk])
    _client(client, readers["dsl"])
    client.post(detail)
    # Sent empty: the field is named, nothing is saved.
    page = client.post(outcome, {"outcome": "  ", "lock_version": 0}).content.decode()
    assert "Enter what was done about the concern" in page
    assert 'href="#id_outcome"' in page
    assert SafeguardingConcern.objects.get(pk=concern.pk).closed_at is None
    response = client.post(outcome, {"outcome": "Referred to children's services.",
                                     "lock_version": 0}, follow=True)
    page = response.content.decode()
    assert "You recorded what was done. The concern is closed" in page
    assert "Referred to children&#x27;s services." in page
    assert "Recorded by Dana Sill" in page and "Closed" in page
    concern.refresh_from_db()
    assert concern.state == "closed" and concern.outcome_by == readers["dsl"]
    # Reopened: the outcome so far stays, the concern is open again.
    page = client.post(reverse("reviews:safeguarding_reopen", args=[concern.pk]),
                       follow=True).content.decode()
    assert "The concern is open again" in page
    concern.refresh_from_db()
    assert concern.state == "seen" and concern.outcome
    assert "Update what was done and close the concern" in page
    # Changed: the form shows what is recorded, and saving closes it again.
    assert "Referred to children&#x27;s services." in client.get(outcome).content.decode()
    client.post(outcome, {"outcome": "Referred; the LADO replied on Friday.",
                          "lock_version": concern.lock_version})
    concern.refresh_from_db()
    assert concern.state == "closed" and concern.outcome.startswith("Referred; the LADO")
    listed = client.get(reverse("reviews:safeguarding_list")).content.decode()
    assert "Closed" in listed


def test_two_readers_writing_what_was_done_at_once_keep_both_texts(world, readers, client):
    concern = world.concern
    services.acknowledge_concern(concern, by=readers["dsl"])
    outcome = reverse("reviews:safeguarding_outcome", args=[concern.pk])
    version = SafeguardingConcern.objects.get(pk=concern.pk).lock_version
    _client(client, world.people["head"])
    client.post(outcome, {"outcome": "The head's note.", "lock_version": version})
    _client(client, readers["dsl"])
    page = client.post(outcome, {"outcome": "The DSL's note.",
                                 "lock_version": version}).content.decode()
    assert "saved what was done while you were editing" in page
    assert "The head&#x27;s note." in page and "The DSL&#x27;s note." in page
    assert SafeguardingConcern.objects.get(pk=concern.pk).outcome == "The head's note."


# --- A concern about a headteacher not seen after two working days is flagged -----------------

def _working_days_ago(n):
    day = timezone.localdate()
    while n:
        day -= timedelta(days=1)
        n -= day.weekday() < 5
    return timezone.make_aware(datetime.combine(day, time(10)))


def test_a_concern_about_a_head_unseen_for_two_working_days_is_flagged(world, readers,
                                                                       client):
    flagged = _raised(world.review, about_head=True)
    fresh = _raised(world.review, about_head=True, text="Fresh.")
    old_school_concern = world.concern
    SafeguardingConcern.objects.filter(pk__in=[flagged.pk, old_school_concern.pk]).update(
        raised_at=_working_days_ago(3))
    SafeguardingConcern.objects.filter(pk=fresh.pk).update(raised_at=_working_days_ago(1))
    flagged.refresh_from_db()
    day = date_format(timezone.localtime(flagged.raised_at), "j F Y")
    expected = f"Read the concern about A1 School raised on {day} — not seen for 3 working days"
    _, home = _page(client, readers["officer"], "/")
    assert expected in home
    assert home.count("not seen for") == 1  # the one raised yesterday is not flagged
    _, listed = _page(client, readers["officer"], reverse("reviews:safeguarding_list"))
    assert listed.count("Not seen for 3 working days") == 1
    _, detail = _page(client, readers["officer"],
                      reverse("reviews:safeguarding_detail", args=[flagged.pk]))
    assert "has not been seen for 3 working days" in detail
    # A concern that is not about the headteacher is the school's DSL's: not flagged this way.
    _, dsl_home = _page(client, readers["dsl"], "/")
    assert "not seen for" not in dsl_home
    # With no officer, the core team gets the same item.
    readers["officer"].roles.update(ended_at=timezone.now())
    _, core_home = _page(client, world.people["core"], "/")
    assert expected in core_home
    # Seen: no longer flagged.
    services.acknowledge_concern(flagged, by=world.people["core"])
    _, core_home = _page(client, world.people["core"], "/")
    assert "not seen for" not in core_home


# --- Navigation and two-factor authentication -------------------------------------------------

def test_the_officer_and_the_dsl_have_safeguarding_concerns_in_their_navigation(
        world, readers, client):
    from apps.home.navigation import sections_for

    for user in (readers["officer"], readers["dsl"]):
        top, _more = sections_for(User.objects.get(pk=user.pk))
        names = [s.url_name for s in top]
        assert "reviews:safeguarding_list" in names
    officer_top, _ = sections_for(User.objects.get(pk=readers["officer"].pk))
    assert "reviews:index" not in [s.url_name for s in officer_top]
    for persona in ("leader", "staff", "lead", "evaluator"):
        top, more = sections_for(User.objects.get(pk=world.people[persona].pk))
        assert "reviews:safeguarding_list" not in [s.url_name for s in top + more], persona


@pytest.mark.parametrize("role", [Role.DSL, Role.SAFEGUARDING_OFFICER])
def test_readers_of_concerns_must_set_up_two_factor_authentication(world, client, role):
    user = UserFactory(email="new.reader@test.example")
    RoleFactory(user=user, role=role,
                **({"school": world.schools["A1"]} if role == Role.DSL else {}))
    response = _client(client, user).get(reverse("reviews:safeguarding_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


# --- Trust by content ------------------------------------------------------------------------

MARKER = re.compile(r"SAFEGUARD-[a-z]+-[0-9a-f]{12}")


def _plant(world, readers):
    """A concern about A1 (for its head and DSL) and one about A1's headteacher (for the
    officer), each with a marker in its text and its outcome; the notifications sent about
    them (raising, marking as seen) are in the database and the outbox."""
    def mark(kind):
        return f"SAFEGUARD-{kind}-{uuid.uuid4().hex[:12]}"

    school = {"text": mark("school"), "outcome": mark("school")}
    head = {"text": mark("head"), "outcome": mark("head")}
    concerns = {}
    for key, texts, about_head, reader in (("school", school, False, readers["dsl"]),
                                           ("head", head, True, readers["officer"])):
        concern = services.raise_concern(world.review, by=world.people["leader"],
                                         text=texts["text"], about_headteacher=about_head)
        services.acknowledge_concern(concern, by=reader)
        services.record_concern_outcome(concern, by=reader, outcome=texts["outcome"])
        services.reopen_concern(concern, by=reader)  # open, so it is on the outcome page too
        concerns[key] = concern
    return concerns


def _everything_read_by(client, user, concerns) -> str:
    urls = ["/", reverse("reviews:safeguarding_list"), reverse("notifications:list")]
    for concern in concerns.values():
        urls += [reverse("reviews:safeguarding_detail", args=[concern.pk]),
                 reverse("reviews:safeguarding_outcome", args=[concern.pk])]
    _client(client, user)
    seen = [client.get(url).content.decode() for url in urls]
    seen += [n.subject + n.body for n in Notification.objects.filter(user=user)]
    seen += [f"{m.subject}\n{m.body}" for m in mail.outbox if user.email in m.to]
    return "\n".join(seen)


def _kinds_seen(text) -> set[str]:
    return {m.split("-")[1] for m in MARKER.findall(text)}


def test_a_concern_and_its_outcome_reach_only_their_readers(
        world, readers, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        concerns = _plant(world, readers)
    may_read = {"head": {"school"}, "dsl": {"school"}, "officer": {"head"}}
    excluded = ["other_dsl", "leader", "reviewer2", "champion", "staff", "lead",
                "associate", "evaluator", "core", "exec_head", "outsider", "norole"]
    people = {**{p: world.people[p] for p in PERSONAS if p != "anonymous"}, **readers}
    for name in [*may_read, *excluded]:
        seen = _kinds_seen(_everything_read_by(client, people[name], concerns))
        assert seen == may_read.get(name, set()), name


def test_the_trust_check_fails_when_a_leak_is_put_back(world, readers, client,
                                                     django_capture_on_commit_callbacks):
    """The check can fail: widen the reading rule to let the other school's DSL in, and the
    markers of the school's concern reach them."""
    import rules

    from apps.reviews import rules as policy

    with django_capture_on_commit_callbacks(execute=True):
        concerns = _plant(world, readers)
    assert not _kinds_seen(_everything_read_by(client, readers["other_dsl"], concerns))
    other_dsl = rules.predicate(lambda user, concern: user.email == "dsl.b1@test.example"
                                and not concern.about_headteacher)
    rules.set_perm("reviews.view_safeguarding_concern",
                   policy.can_see_safeguarding_concern | other_dsl)
    try:
        assert _kinds_seen(_everything_read_by(client, readers["other_dsl"], concerns)) \
            == {"school"}
    finally:
        rules.set_perm("reviews.view_safeguarding_concern", policy.can_see_safeguarding_concern)


def test_an_empty_list_says_what_would_appear_there(world, readers, client):
    """Someone who may read concerns but has none is told what would appear and how they
    would hear of it, not shown two empty lists (walkthrough of 7 December 2026, night, 7)."""
    from apps.reviews.models import SafeguardingConcern

    SafeguardingConcern.objects.all().delete()
    status, body = _page(client, world.people["head"], reverse("reviews:safeguarding_list"))
    assert status == 200
    assert "There is no safeguarding concern for you to read." in body
    assert "Not seen yet" not in body and "mark it as seen" not in body
