"""The support API: the same answers as the pages for every persona, the whole flow with API
tokens, and bad input refused with the services' messages and nothing saved."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.api_tokens import create_token
from apps.core.models import AuditEvent
from apps.improvement.models import PlanShare
from apps.notifications.models import Notification
from apps.support import services
from apps.support.models import SupportMatch, SupportOffer, SupportRequest
from conftest import sign_in

from .matrix_rows import _action, support_world

pytestmark = pytest.mark.django_db

JSON = "application/json"
TODAY = timezone.localdate()
PERSONAS = ["head", "leader", "lead", "associate", "exec_head", "outsider", "staff", "core",
            "reviewer2", "champion", "alumnus", "evaluator"]


def _token_client(world, name: str) -> Client:
    user = world.people[name]
    _, secret = create_token(user, "Support app", by=user)
    return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {secret}")


def _post(client, url, body=None):
    return client.post(url, body or {}, content_type=JSON)


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


# The pages' permissions -----------------------------------------------------------------------

@pytest.mark.parametrize("persona", PERSONAS)
def test_every_read_answers_as_its_page_does(client_for, world, persona):
    s = support_world(world)
    pairs = [(f"/api/support/requests/{s.request.pk}",
              reverse("support:request_detail", args=[s.request.pk])),
             (f"/api/support/matches/{s.match.pk}",
              reverse("support:match_detail", args=[s.match.pk])),
             ("/api/support/offers", reverse("support:index")),
             ("/api/support/requests", reverse("support:index"))]
    client = client_for(persona)
    for api_url, page_url in pairs:
        assert client.get(api_url).status_code == client.get(page_url).status_code, \
            (persona, api_url)


@pytest.mark.parametrize("persona, status", [
    ("head", 200), ("leader", 200), ("lead", 200),
    ("associate", 404), ("exec_head", 404), ("champion", 404), ("outsider", 404)])
def test_a_request_and_its_match_for_the_two_schools_and_the_lead(client_for, world, persona,
                                                                 status):
    s = support_world(world)
    client = client_for(persona)
    assert client.get(f"/api/support/requests/{s.request.pk}").status_code == status
    assert client.get(f"/api/support/matches/{s.match.pk}").status_code == status
    listed = [r["id"] for r in client.get("/api/support/requests").json()["items"]]
    assert listed == ([s.request.pk] if status == 200 else [])
    assert client.get("/api/support/requests/99999999").status_code == 404
    assert Client().get(f"/api/support/requests/{s.request.pk}").status_code == 401


@pytest.mark.parametrize("persona", PERSONAS)
def test_writes_are_refused_as_on_the_pages(client_for, world, persona):
    """Brokering as the broker page, withdrawing as the withdraw button, asking for support
    as the request page: the same 403 or 404, and 2xx exactly where the page acts."""
    s = support_world(world)
    client = client_for(persona)
    # The request is matched already: whoever the page lets in gets the service's answer.
    page = client.get(reverse("support:broker", args=[s.request.pk])).status_code
    answer = _post(client, f"/api/support/requests/{s.request.pk}/matches",
                   {"provider_school_urn": world.schools["A3"].urn})
    assert answer.status_code == {200: 400}.get(page, page), (persona, answer.content)
    if page == 200:
        assert answer.json()["detail"] == "This request is already matched"
    assert SupportMatch.objects.count() == 1

    ok = {302: 201}

    page = client.post(reverse("support:request_new"),
                       {"action": s.spare_action.pk, "need": "Help."}).status_code
    SupportRequest.objects.filter(action=s.spare_action).delete()
    answer = _post(client, "/api/support/requests",
                   {"action_id": s.spare_action.pk, "need": "Help."})
    assert answer.status_code == ok.get(page, page), (persona, answer.content)


@pytest.mark.parametrize("persona, status", [
    ("leader", 200), ("head", 403), ("lead", 403), ("associate", 403), ("core", 403),
    ("outsider", 404), ("evaluator", 404)])
def test_an_offer_is_withdrawn_only_by_its_school(client_for, world, persona, status):
    s = support_world(world)
    answer = _post(client_for(persona), f"/api/support/offers/{s.offer.pk}/withdraw")
    assert answer.status_code == status
    s.offer.refresh_from_db()
    assert (s.offer.withdrawn_at is not None) == (status == 200)


def test_match_buttons_for_each_school_and_the_lead(client_for, world):
    s = support_world(world)
    url = f"/api/support/matches/{s.match.pk}"
    assert _post(client_for("lead"), f"{url}/confirm", {"side": "host"}).status_code == 403
    assert _post(client_for("head"), f"{url}/confirm", {"side": "provider"}).status_code \
        == 403
    assert _post(client_for("associate"), f"{url}/confirm", {"side": "host"}).status_code \
        == 404
    assert _post(client_for("outsider"), f"{url}/cancel", {"reason": "No"}).status_code == 404
    assert _post(client_for("exec_head"), f"{url}/delivery", {}).status_code == 404
    assert _post(client_for("head"), f"{url}/confirm", {"side": "sideways"}).status_code == 422
    s.match.refresh_from_db()
    assert (s.match.status, s.match.host_confirmed_at, s.match.provider_confirmed_at) == (
        "proposed", None, None)
    body = client_for("head").get(url).json()
    assert (body["can_confirm_host"], body["can_confirm_provider"]) == (True, False)
    assert body["can_cancel"] is True and body["can_record"] is False
    body = client_for("lead").get(url).json()
    assert (body["can_confirm_host"], body["can_confirm_provider"]) == (False, False)


def test_the_action_is_named_only_where_the_page_names_it(client_for, world):
    s = support_world(world)
    title = s.action.title
    urls = [f"/api/support/requests/{s.request.pk}", f"/api/support/matches/{s.match.pk}",
            "/api/support/requests"]
    for persona in ("leader", "lead"):
        for url in urls:
            answer = client_for(persona).get(url)
            assert title not in answer.content.decode(), (persona, url)
        body = client_for(persona).get(urls[0]).json()
        assert body["action"] is None and body["need"] == s.request.need
        assert body["area"] == "reading"
    body = client_for("head").get(urls[0]).json()
    assert body["action"] == {"id": s.action.pk, "title": title}
    PlanShare.objects.create(review=world.review, shared_by=world.people["head"])
    assert client_for("leader").get(urls[1]).json()["action"]["title"] == title


def test_offers_as_the_support_page_shows_them(client_for, world):
    s = support_world(world)
    beta = SupportOffer.objects.create(school=world.schools["B2"], partnership=world.beta,
                                       area="maths", title="Maths mastery", people="Ms B",
                                       hours=5)
    [offer] = client_for("leader").get("/api/support/offers").json()["items"]
    assert (offer["id"], offer["people"], offer["can_withdraw"]) == (s.offer.pk,
                                                                      "Our English lead", True)
    assert client_for("lead").get("/api/support/offers").json()["items"][0]["people"] == \
        "Our English lead"
    [seen] = client_for("head").get("/api/support/offers").json()["items"]
    assert (seen["title"], seen["people"], seen["can_withdraw"]) == (
        "Phonics coaching", None, False)
    def listed(persona):
        return [o["id"] for o in client_for(persona).get("/api/support/offers").json()["items"]]

    assert listed("outsider") == [beta.pk]
    assert listed("exec_head") == [s.offer.pk, beta.pk]  # Alpha's, then Beta's
    assert client_for("evaluator").get("/api/support/offers").json()["items"] == []
    services.withdraw_offer(s.offer, by=world.people["leader"])
    assert client_for("head").get("/api/support/offers").json()["items"] == []


def test_a_cancelled_provider_keeps_the_match_but_loses_the_request(client_for, world):
    s = support_world(world)
    answer = _post(client_for("lead"), f"/api/support/matches/{s.match.pk}/cancel",
                   {"reason": "A2 has an inspection"})
    assert answer.status_code == 200 and answer.json()["status"] == "cancelled"
    s.request.refresh_from_db()
    assert s.request.status == "open"
    leader = client_for("leader")
    assert leader.get(f"/api/support/requests/{s.request.pk}").status_code == 404
    assert leader.get("/api/support/requests").json()["items"] == []
    body = leader.get(f"/api/support/matches/{s.match.pk}").json()
    assert body["request_id"] is None and body["can_cancel"] is False
    assert body["cancelled_reason"] == "A2 has an inspection"


# The whole flow, with API tokens ---------------------------------------------------------------

def test_offer_request_broker_confirm_and_record_with_tokens(world,
                                                             django_capture_on_commit_callbacks):
    people = world.people
    action = _action(world, "Reading fluency in Year 3")
    leader, head, lead = (_token_client(world, n) for n in ("leader", "head", "lead"))

    with django_capture_on_commit_callbacks(execute=True):
        answer = _post(leader, "/api/support/offers", {
            "area": "reading", "title": "Phonics coaching", "people": "Our English lead",
            "hours": 12, "details": "Two visits."})
    assert answer.status_code == 201, answer.content
    offer = SupportOffer.objects.get(pk=answer.json()["id"])
    assert (offer.school, offer.partnership, offer.created_by) == (
        world.schools["A2"], world.alpha, people["leader"])
    assert answer.json()["school"] == {"urn": world.schools["A2"].urn, "name": "A2 School"}
    assert Notification.objects.filter(user=people["lead"], kind="support.offered").exists()

    with django_capture_on_commit_callbacks(execute=True):
        answer = _post(head, "/api/support/requests", {
            "action_id": action.pk, "need": "Coaching for two Year 3 teachers.",
            "hours_wanted": 6})
    assert answer.status_code == 201, answer.content
    body = answer.json()
    request = SupportRequest.objects.get(pk=body["id"])
    assert (request.action, request.school, request.status, request.hours_wanted) == (
        action, world.schools["A1"], "open", 6)
    assert body["action"]["title"] == action.title and body["can_close"] is True
    assert Notification.objects.filter(user=people["lead"], kind="support.requested").exists()

    listed = lead.get("/api/support/requests?status=open").json()["items"]
    assert [r["id"] for r in listed] == [request.pk] and listed[0]["action"] is None
    assert lead.get(f"/api/support/requests/{request.pk}").json()["can_broker"] is True
    with django_capture_on_commit_callbacks(execute=True):
        answer = _post(lead, f"/api/support/requests/{request.pk}/matches", {
            "provider_school_urn": world.schools["A2"].urn, "offer_id": offer.pk})
    assert answer.status_code == 201, answer.content
    match = SupportMatch.objects.get(pk=answer.json()["id"])
    assert (match.status, match.offer, match.brokered_by) == ("proposed", offer, people["lead"])
    assert answer.json()["offer"]["title"] == "Phonics coaching"
    request.refresh_from_db()
    assert request.status == "matched"
    assert Notification.objects.filter(user=people["leader"], kind="support.brokered").exists()

    # The request was made a fortnight ago (the support began a week ago).
    request.__class__.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - timedelta(days=14))
    url = f"/api/support/matches/{match.pk}"
    answer = _post(head, f"{url}/confirm", {"side": "host"})
    assert answer.status_code == 200 and answer.json()["status"] == "proposed"
    again = _post(head, f"{url}/confirm", {"side": "host"})
    assert again.status_code == 400
    assert again.json()["detail"] == "A1 School has already confirmed"
    answer = _post(leader, f"{url}/confirm", {"side": "provider"})
    assert answer.status_code == 200 and answer.json()["status"] == "confirmed"
    assert answer.json()["can_record"] is True

    answer = _post(leader, f"{url}/delivery", {
        "delivered_from": str(TODAY - timedelta(days=7)), "delivered_to": str(TODAY),
        "hours_given": 5, "people": "Our English lead",
        "outcome": "Both teachers now lead daily phonics."})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["status"], body["hours_given"], body["recorded_by"]) == (
        "delivered", 5, people["leader"].display_name)
    match.refresh_from_db()
    assert (match.status, match.delivered_from, match.recorded_by) == (
        "delivered", TODAY - timedelta(days=7), people["leader"])
    assert head.get(url).json()["outcome"] == "Both teachers now lead daily phonics."
    assert set(AuditEvent.objects.filter(action__startswith="support.")
               .values_list("action", flat=True)) == {
        "support.offered", "support.requested", "support.brokered", "support.confirmed",
        "support.delivered"}

    withdrawn = _post(leader, f"/api/support/offers/{offer.pk}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"]
    assert _post(leader, f"/api/support/offers/{offer.pk}/withdraw").json()["detail"] == \
        "This offer has already been withdrawn"


def test_a_session_needs_the_csrf_token_to_write(world):
    s = support_world(world)
    session = Client(enforce_csrf_checks=True)
    sign_in(session, world.people["head"])
    assert session.get(f"/api/support/matches/{s.match.pk}").status_code == 200
    assert _post(session, f"/api/support/matches/{s.match.pk}/confirm",
                 {"side": "host"}).status_code == 403
    s.match.refresh_from_db()
    assert s.match.host_confirmed_at is None


# Bad input -------------------------------------------------------------------------------------

def test_delivery_waits_for_both_confirmations(client_for, world, match):
    services.confirm(match, by=world.people["head"], side="host")
    answer = _post(client_for("leader"), f"/api/support/matches/{match.pk}/delivery", {
        "delivered_from": str(TODAY), "delivered_to": str(TODAY), "hours_given": 2,
        "people": "Jo", "outcome": "Better"})
    assert answer.status_code == 400
    assert answer.json()["errors"] == ["The support given can be recorded once both schools "
                                       "have confirmed the match"]
    match.refresh_from_db()
    assert (match.status, match.hours_given, match.recorded_at) == ("proposed", None, None)
    assert not AuditEvent.objects.filter(action="support.delivered").exists()


@pytest.mark.parametrize("start, end, field, message", [
    (TODAY + timedelta(days=1), TODAY + timedelta(days=2), "delivered_from",
     "The first day cannot be in the future"),
    (TODAY, TODAY + timedelta(days=1), "delivered_to", "The last day cannot be in the future"),
    (TODAY, TODAY - timedelta(days=3), "delivered_to",
     "The last day must be the same as or after the first day"),
])
def test_delivery_dates_are_checked(client_for, world, confirmed, start, end, field, message):
    answer = _post(client_for("head"), f"/api/support/matches/{confirmed.pk}/delivery", {
        "delivered_from": str(start), "delivered_to": str(end), "hours_given": 3,
        "people": "Jo", "outcome": "Fine"})
    assert answer.status_code == 400
    assert answer.json()["fields"][field] == [message]
    assert message in answer.json()["detail"]
    confirmed.refresh_from_db()
    assert (confirmed.status, confirmed.delivered_from, confirmed.recorded_at) == (
        "confirmed", None, None)


def test_delivery_needs_hours_people_and_outcome(client_for, world, confirmed):
    answer = _post(client_for("lead"), f"/api/support/matches/{confirmed.pk}/delivery", {
        "delivered_from": str(TODAY), "delivered_to": str(TODAY), "people": " "})
    assert answer.status_code == 400
    assert answer.json()["fields"] == {"hours_given": ["Enter the hours given"],
                                       "people": ["Say who gave the support"],
                                       "outcome": ["Say what difference the support made"]}
    confirmed.refresh_from_db()
    assert confirmed.status == "confirmed"


@pytest.mark.parametrize("school, message", [
    ("A1", "Choose another school: a school cannot support itself"),
    ("B1", "B1 School is not a school of Alpha Partnership"),
    ("X", "Unpartnered School is not a school of Alpha Partnership"),
])
def test_the_provider_is_another_school_of_the_partnership(client_for, world, request_, school,
                                                           message):
    answer = _post(client_for("lead"), f"/api/support/requests/{request_.pk}/matches",
                   {"provider_school_urn": world.schools[school].urn})
    assert answer.status_code == 400
    assert answer.json()["fields"] == {"provider_school_urn": [message]}
    assert not SupportMatch.objects.exists()
    request_.refresh_from_db()
    assert request_.status == "open"


def test_brokering_needs_a_school_and_an_offer_of_it(client_for, world, request_):
    client = client_for("lead")
    url = f"/api/support/requests/{request_.pk}/matches"
    assert _post(client, url, {}).json()["fields"] == {
        "provider_school_urn": ["Choose the school that will give the support"]}
    assert _post(client, url, {"provider_school_urn": 2**40}).status_code == 400
    offer = services.offer_support(world.schools["A4"], world.alpha,
                                   by=world.people["reviewer2"], area="reading",
                                   title="Reading for pleasure", people="Librarian", hours=4)
    wrong = _post(client, url, {"provider_school_urn": world.schools["A2"].urn,
                                "offer_id": offer.pk})
    assert wrong.status_code == 400
    assert wrong.json()["errors"] == ["That offer is from A4 School, not A2 School"]
    beta = SupportOffer.objects.create(school=world.schools["B2"], partnership=world.beta,
                                       area="reading", title="Beta", people="Ms B", hours=5)
    hidden = _post(client, url, {"provider_school_urn": world.schools["A4"].urn,
                                 "offer_id": beta.pk})
    assert hidden.status_code == 400 and "B2" not in hidden.content.decode()
    assert not SupportMatch.objects.exists()


def test_an_incomplete_offer_or_request_is_refused_with_the_services_messages(client_for,
                                                                             world):
    answer = _post(client_for("exec_head"), "/api/support/offers", {"title": " "})
    assert answer.status_code == 400
    assert answer.json()["errors"] == ["Choose the school the offer is from",
                                       "Choose the area you can help with",
                                       "Say what you can offer", "Say who would help",
                                       "Enter the time available, in hours"]
    answer = _post(client_for("exec_head"), "/api/support/offers", {
        "school_urn": world.schools["B1"].urn, "area": "maths", "title": "Maths",
        "people": "Jo", "hours": 3})
    assert answer.status_code == 201 and answer.json()["partnership"] == world.beta.slug
    assert _post(client_for("staff"), "/api/support/offers", {"title": "x"}).status_code == 403
    assert SupportOffer.objects.count() == 1

    action = _action(world, "Reading fluency in Year 3")
    answer = _post(client_for("head"), "/api/support/requests",
                   {"action_id": action.pk, "need": "  ", "hours_wanted": 0})
    assert answer.status_code == 400
    assert answer.json()["fields"] == {"need": ["Say what support you would like"]}
    assert _post(client_for("head"), "/api/support/requests",
                 {"action_id": 2**40, "need": "Help"}).status_code == 404
    assert not SupportRequest.objects.exists()
