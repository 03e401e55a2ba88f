"""School-to-school support: the flow from offer to recorded support, who sees what, and the
rules the services keep whatever the input."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.core.audit import AuditEvent
from apps.improvement.models import Action, PlanShare
from apps.notifications.models import Notification
from apps.support import services
from apps.support.models import SupportMatch, SupportOffer, SupportRequest
from conftest import sign_in

from .matrix_rows import _action, support_world

TODAY = timezone.localdate()


def _as(client, world, name):
    client.logout()
    sign_in(client, world.people[name])
    return client


def _errors(excinfo) -> str:
    return " ".join(excinfo.value.messages)


@pytest.fixture
def request_(world):
    """An open request of A1 (``head``) for help with reading."""
    return services.request_support(_action(world, "Reading fluency in Year 3"),
                                    by=world.people["head"], need="Coaching in phonics.")


@pytest.fixture
def match(world, request_):
    return services.broker(request_, world.schools["A2"], by=world.people["lead"])


@pytest.fixture
def confirmed(world, match):
    services.confirm(match, by=world.people["head"], side="host")
    return services.confirm(match, by=world.people["leader"], side="provider")


# The whole flow, through the pages ----------------------------------------------------------

def test_offer_request_broker_confirm_and_record(world, client,
                                                 django_capture_on_commit_callbacks):
    people = world.people
    action = _action(world, "Reading fluency in Year 3")
    with django_capture_on_commit_callbacks(execute=True):
        response = _as(client, world, "leader").post(reverse("support:offer_new"), {
            "area": "reading", "title": "Phonics coaching", "people": "Our English lead",
            "hours": "12"})
    assert response.status_code == 302
    offer = SupportOffer.objects.get(school=world.schools["A2"], partnership=world.alpha)
    assert Notification.objects.filter(user=people["lead"], kind="support.offered").exists()

    url = reverse("support:request_new") + f"?action={action.pk}"
    page = _as(client, world, "head").get(url).content.decode()
    assert "A school strong in phonics to coach two teachers." in page  # from support_wanted
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"need": "Coaching for two Year 3 teachers.",
                                     "hours_wanted": "6"})
    request = SupportRequest.objects.get(action=action)
    assert response.url == reverse("support:request_detail", args=[request.pk])
    assert (request.school, request.partnership, request.status) == (
        world.schools["A1"], world.alpha, "open")
    assert Notification.objects.filter(user=people["lead"], kind="support.requested").exists()

    board = _as(client, world, "lead").get(reverse("support:index")).content.decode()
    assert "Coaching for two Year 3 teachers." in board and "Phonics coaching" in board
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("support:broker", args=[request.pk]), {
            f"r{request.pk}-provider": world.schools["A2"].pk,
            f"r{request.pk}-offer": offer.pk})
    match = SupportMatch.objects.get(request=request)
    assert response.url == reverse("support:match_detail", args=[match.pk])
    assert (match.status, match.offer, match.brokered_by) == ("proposed", offer, people["lead"])
    request.refresh_from_db()
    assert request.status == "matched"
    assert Notification.objects.filter(user=people["leader"], kind="support.brokered").exists()

    # The request was made a fortnight ago (the support began a week ago).
    request.__class__.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - timedelta(days=14))
    url = reverse("support:match_detail", args=[match.pk])
    _as(client, world, "head").post(url, {"do": "confirm_host"})
    match.refresh_from_db()
    assert (match.status, match.host_confirmed_by) == ("proposed", people["head"])
    _as(client, world, "leader").post(url, {"do": "confirm_provider"})
    match.refresh_from_db()
    assert match.status == "confirmed" and match.provider_confirmed_at is not None

    response = client.post(url, {"do": "deliver",
                                 "delivered_from": str(TODAY - timedelta(days=7)),
                                 "delivered_to": str(TODAY), "hours_given": "5",
                                 "people": "Our English lead",
                                 "outcome": "Both teachers now lead daily phonics."})
    assert response.status_code == 302
    match.refresh_from_db()
    assert (match.status, match.hours_given, match.recorded_by) == ("delivered", 5,
                                                                     people["leader"])
    assert "Both teachers now lead daily phonics." in client.get(url).content.decode()
    assert set(AuditEvent.objects.filter(action__startswith="support.")
               .values_list("action", flat=True)) == {
        "support.offered", "support.requested", "support.brokered", "support.confirmed",
        "support.delivered"}


# Who sees what ----------------------------------------------------------------------------

@pytest.mark.parametrize("persona, status", [
    ("head", 200), ("leader", 200), ("lead", 200),
    ("associate", 404), ("exec_head", 404), ("staff", 404), ("reviewer2", 404),
    ("champion", 404), ("core", 404), ("outsider", 404)])
def test_request_and_match_are_seen_by_the_two_schools_and_the_lead(world, client, persona,
                                                                    status):
    s = support_world(world)
    _as(client, world, persona)
    assert client.get(reverse("support:request_detail", args=[s.request.pk])).status_code \
        == status
    assert client.get(reverse("support:match_detail", args=[s.match.pk])).status_code == status


def test_insiders_without_the_right_are_refused(world, client):
    s = support_world(world)
    url = reverse("support:match_detail", args=[s.match.pk])
    assert _as(client, world, "lead").post(url, {"do": "confirm_host"}).status_code == 403
    assert _as(client, world, "head").post(url, {"do": "confirm_provider"}).status_code == 403
    assert _as(client, world, "leader").get(
        reverse("support:broker", args=[s.request.pk])).status_code == 403
    assert client.post(reverse("support:request_detail", args=[s.request.pk]),
                       {"reason": "Not needed"}).status_code == 403
    s.match.refresh_from_db()
    assert s.match.host_confirmed_at is None and s.match.provider_confirmed_at is None


def test_a_cancelled_provider_loses_sight_of_the_request(world, client):
    s = support_world(world)
    services.cancel_match(s.match, by=world.people["lead"], reason="A2 has an inspection")
    s.request.refresh_from_db()
    assert s.request.status == "open"
    _as(client, world, "leader")
    assert client.get(reverse("support:request_detail", args=[s.request.pk])).status_code \
        == 404


def test_the_action_is_shown_beyond_the_host_only_when_the_plan_is_shared(world, client):
    s = support_world(world)
    title = s.action.title
    pages = [reverse("support:request_detail", args=[s.request.pk]),
             reverse("support:match_detail", args=[s.match.pk]), reverse("support:index")]
    for persona in ("leader", "lead"):
        _as(client, world, persona)
        for url in pages:
            page = client.get(url).content.decode()
            assert title not in page, (persona, url)
        assert s.request.need in client.get(pages[0]).content.decode()
    assert title in _as(client, world, "head").get(pages[0]).content.decode()
    PlanShare.objects.create(review=world.review, shared_by=world.people["head"])
    assert title in _as(client, world, "leader").get(pages[1]).content.decode()


# Bad input --------------------------------------------------------------------------------

def test_delivery_waits_for_both_confirmations(world, client, match):
    services.confirm(match, by=world.people["head"], side="host")
    with pytest.raises(ValidationError) as e:
        services.record_delivery(match, by=world.people["leader"], delivered_from=TODAY,
                                 delivered_to=TODAY, hours_given=2, people="Jo",
                                 outcome="Better")
    assert "once both schools have confirmed" in _errors(e)
    response = _as(client, world, "leader").post(
        reverse("support:match_detail", args=[match.pk]),
        {"do": "deliver", "delivered_from": str(TODAY), "delivered_to": str(TODAY),
         "hours_given": "2", "people": "Jo", "outcome": "Better"})
    assert response.status_code == 200
    assert "once both schools have confirmed" in response.content.decode()
    match.refresh_from_db()
    assert (match.status, match.hours_given, match.recorded_at) == ("proposed", None, None)


@pytest.mark.parametrize("start, end, field, message", [
    (TODAY + timedelta(days=1), TODAY + timedelta(days=2), "delivered_from",
     "The first day cannot be in the future"),
    (TODAY, TODAY + timedelta(days=1), "delivered_to", "The last day cannot be in the future"),
    (TODAY, TODAY - timedelta(days=3), "delivered_to",
     "The last day must be the same as or after the first day"),
])
def test_delivery_dates_are_checked(world, client, confirmed, start, end, field, message):
    with pytest.raises(ValidationError) as e:
        services.record_delivery(confirmed, by=world.people["head"], delivered_from=start,
                                 delivered_to=end, hours_given=3, people="Jo", outcome="Fine")
    assert e.value.message_dict[field] == [message]
    response = _as(client, world, "head").post(
        reverse("support:match_detail", args=[confirmed.pk]),
        {"do": "deliver", "delivered_from": str(start), "delivered_to": str(end),
         "hours_given": "3", "people": "Jo", "outcome": "Fine"})
    assert response.status_code == 200
    assert f'href="#id_{field}">{message}' in response.content.decode()
    confirmed.refresh_from_db()
    assert (confirmed.status, confirmed.delivered_from) == ("confirmed", None)


def test_delivery_needs_hours_people_and_outcome(world, confirmed):
    with pytest.raises(ValidationError) as e:
        services.record_delivery(confirmed, by=world.people["lead"], delivered_from=TODAY,
                                 delivered_to=TODAY, hours_given=None, people=" ",
                                 outcome="")
    assert set(e.value.message_dict) == {"hours_given", "people", "outcome"}


@pytest.mark.parametrize("school, message", [
    ("A1", "a school cannot support itself"),
    ("B1", "B1 School is not a school of Alpha Partnership"),
    ("X", "Unpartnered School is not a school of Alpha Partnership"),
])
def test_the_provider_is_another_school_of_the_partnership(world, client, request_, school,
                                                           message):
    with pytest.raises(ValidationError) as e:
        services.broker(request_, world.schools[school], by=world.people["lead"])
    assert message in _errors(e)
    response = _as(client, world, "lead").post(
        reverse("support:broker", args=[request_.pk]),
        {f"r{request_.pk}-provider": world.schools[school].pk})
    assert "Choose another school of the partnership than the one asking" in \
        response.content.decode()  # the page offers only the partnership's other schools
    assert not SupportMatch.objects.exists()
    request_.refresh_from_db()
    assert request_.status == "open"


def test_an_offer_must_be_the_providers_and_live(world, request_):
    offer = services.offer_support(world.schools["A4"], world.alpha,
                                   by=world.people["reviewer2"], area="reading",
                                   title="Reading for pleasure", people="Librarian", hours=4)
    with pytest.raises(ValidationError) as e:
        services.broker(request_, world.schools["A2"], by=world.people["lead"], offer=offer)
    assert "That offer is from A4 School, not A2 School" in _errors(e)
    services.withdraw_offer(offer, by=world.people["reviewer2"])
    with pytest.raises(ValidationError):
        services.broker(request_, world.schools["A4"], by=world.people["lead"], offer=offer)
    assert not SupportMatch.objects.exists()


def test_only_the_partnership_lead_brokers_and_only_once(world, request_, match):
    with pytest.raises(ValidationError, match="already matched"):
        services.broker(request_, world.schools["A3"], by=world.people["lead"])
    request_.status = "open"
    with pytest.raises(PermissionDenied):
        services.broker(request_, world.schools["A3"], by=world.people["head"])
    assert SupportMatch.objects.count() == 1


def test_requests_are_for_the_hosts_open_actions(world):
    action = _action(world, "Reading fluency in Year 3")
    with pytest.raises(PermissionDenied):
        services.request_support(action, by=world.people["staff"], need="Help")
    with pytest.raises(ValidationError) as e:
        services.request_support(action, by=world.people["head"], need="  ")
    assert e.value.message_dict == {"need": ["Say what support you would like"]}
    services.request_support(action, by=world.people["head"], need="Help")
    with pytest.raises(ValidationError, match="already has a request"):
        services.request_support(action, by=world.people["head"], need="Help again")
    Action.objects.filter(pk=action.pk).update(status="done")
    action.refresh_from_db()
    with pytest.raises(ValidationError, match="not started or in progress"):
        services.request_support(action, by=world.people["head"], need="More")
    assert SupportRequest.objects.count() == 1


def test_cancelling_needs_a_reason_and_reopens_the_request(world, client, request_, match):
    url = reverse("support:match_detail", args=[match.pk])
    response = _as(client, world, "leader").post(url, {"do": "cancel", "reason": ""})
    assert "Give a reason for cancelling" in response.content.decode()
    match.refresh_from_db()
    assert match.status == "proposed"
    client.post(url, {"do": "cancel", "reason": "We cannot release the English lead."})
    match.refresh_from_db()
    request_.refresh_from_db()
    assert (match.status, request_.status) == ("cancelled", "open")
    with pytest.raises(ValidationError):
        services.cancel_match(match, by=world.people["lead"], reason="Again")


def test_offers_are_withdrawn_by_their_school_and_requests_closed_by_the_host(world, client,
                                                                             request_):
    s = support_world(world)
    _as(client, world, "leader").post(reverse("support:offer_withdraw", args=[s.offer.pk]))
    s.offer.refresh_from_db()
    assert s.offer.withdrawn_at is not None
    assert "Phonics coaching" not in _as(client, world, "lead").get(
        reverse("support:index")).content.decode()
    url = reverse("support:request_detail", args=[request_.pk])
    response = _as(client, world, "head").post(url, {"reason": ""})
    assert "Say why the support is no longer needed" in response.content.decode()
    client.post(url, {"reason": "A new member of staff leads phonics now."})
    request_.refresh_from_db()
    assert (request_.status, request_.closed_reason) == (
        "closed", "A new member of staff leads phonics now.")


def test_an_incomplete_offer_is_refused_with_clear_messages(world, client):
    response = _as(client, world, "exec_head").post(reverse("support:offer_new"), {
        "title": " ", "hours": ""})
    page = response.content.decode()
    for message in ("Choose the school the offer is from", "Choose the area you can help with",
                    "Say what you can offer", "Say who would help",
                    "Enter the time available, in hours"):
        assert message in page
    assert not SupportOffer.objects.exists()


def test_support_cannot_start_before_it_was_asked_for(world, client, confirmed):
    """The first day of the support given is refused if it comes before the school asked
    for the support, with the message on the field."""
    from datetime import timedelta

    SupportRequest = confirmed.request.__class__
    SupportRequest.objects.filter(pk=confirmed.request_id).update(
        created_at=timezone.now() - timedelta(days=3))
    early = TODAY - timedelta(days=10)
    response = _as(client, world, "leader").post(
        reverse("support:match_detail", args=[confirmed.pk]),
        {"do": "deliver", "delivered_from": str(early), "delivered_to": str(TODAY),
         "hours_given": "2", "people": "Jo", "outcome": "Better"})
    page = response.content.decode()
    assert "The first day cannot be before the school asked for the support" in page
    assert 'href="#id_delivered_from"' in page
    confirmed.refresh_from_db()
    assert confirmed.recorded_at is None


def test_a_request_reads_matched_only_once_both_schools_have_confirmed(world, client, match):
    """The walkthrough of 7 December 2026 found "Matched" on a request whose only match was
    still waiting for both schools: the request page, the board and the match page itself say
    "Match proposed" until they have."""
    head = _as(client, world, "head")
    pages = [reverse("support:request_detail", args=[match.request_id]),
             reverse("support:index"), reverse("support:match_detail", args=[match.pk])]
    for url in pages:
        page = head.get(url).content.decode()
        assert ">Match proposed<" in page, url
        assert ">Matched<" not in page, url
    services.confirm(match, by=world.people["head"], side="host")
    for url in pages:
        assert ">Match proposed<" in head.get(url).content.decode(), url
    services.confirm(match, by=world.people["leader"], side="provider")
    for url in pages:
        page = _as(client, world, "head").get(url).content.decode()
        assert "Matched: both schools have confirmed" in page, url
        assert "Match proposed" not in page, url


def _tag(page: str) -> str:
    """The status tag beside the match page's heading."""
    heading = page.split('<h1 class="govuk-heading-l">', 1)[1].split("</h1>", 1)[0]
    return heading.split('class="govuk-tag', 1)[1].split(">", 1)[1].split("<", 1)[0].strip()


def test_the_match_page_says_who_still_has_to_confirm(world, client, match):
    """The walkthrough found "Waiting for both schools" above "Status | Matched", and the head
    of one of the two schools was not told that it was their school that had to confirm."""
    url = reverse("support:match_detail", args=[match.pk])
    page = _as(client, world, "head").get(url).content.decode()
    assert _tag(page) == "Waiting for you to confirm"
    assert "Waiting for both schools" not in page
    assert _tag(_as(client, world, "leader").get(url).content.decode()) == \
        "Waiting for you to confirm"
    assert _tag(_as(client, world, "lead").get(url).content.decode()) == \
        "Waiting for both schools to confirm"
    services.confirm(match, by=world.people["head"], side="host")
    assert _tag(_as(client, world, "head").get(url).content.decode()) == \
        "Waiting for A2 School to confirm"
    assert _tag(_as(client, world, "lead").get(url).content.decode()) == \
        "Waiting for A2 School to confirm"
    assert _tag(_as(client, world, "leader").get(url).content.decode()) == \
        "Waiting for you to confirm"
    services.confirm(match, by=world.people["leader"], side="provider")
    assert _tag(_as(client, world, "head").get(url).content.decode()) == "Confirmed"


def test_the_boards_match_tables_say_who_still_has_to_confirm(world, client, match):
    services.confirm(match, by=world.people["leader"], side="provider")
    board = _as(client, world, "head").get(reverse("support:index")).content.decode()
    assert "Waiting for you to confirm" in board
    board = _as(client, world, "lead").get(reverse("support:index")).content.decode()
    assert "Waiting for A1 School to confirm" in board


def test_a_welsh_session_sees_the_match_page_in_welsh(world, client, match):
    head = world.people["head"]
    head.language = "cy"
    head.save(update_fields=["language"])
    page = _as(client, world, "head").get(
        reverse("support:match_detail", args=[match.pk])).content.decode()
    assert '<html lang="cy"' in page
    assert "Aros i chi gadarnhau" in page
    for english in ("Waiting for", "Confirm", "Status"):
        assert english not in page, english
