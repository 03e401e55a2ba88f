"""Get in touch: a school new to the programme sends a message; the core team's inbox shows
it with its status until it is answered."""

import pytest
from django.urls import reverse

from apps.home.models import Enquiry
from apps.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The rate limiter counts in the cache: each test starts from none sent."""
    from django.core.cache import cache

    cache.clear()

MESSAGE = {"full_name": "Robin Ash", "email": "robin.ash@curious.example",
           "school_name": "Curious Primary", "job_title": "Headteacher",
           "message": "How do schools in our area form a partnership?"}


def test_a_school_gets_in_touch_and_the_core_team_answers(world, client, client_for):
    url = reverse("enquiries:get_in_touch")
    page = client.post(url, MESSAGE, follow=True).content.decode()
    assert "The programme team will reply to robin.ash@curious.example" in page
    enquiry = Enquiry.objects.get()
    assert (enquiry.school_name, enquiry.status) == ("Curious Primary", Enquiry.State.NEW)
    assert Notification.objects.filter(user=world.people["core"], kind="enquiry.new").exists()
    core = client_for("core")
    assert "1 new enquiry from schools" in core.get("/").content.decode()
    inbox = core.get(reverse("enquiries:inbox"), {"status": "new"}).content.decode()
    assert "Curious Primary" in inbox and "New (1)" in inbox
    detail = reverse("enquiries:detail", args=[enquiry.pk])
    assert "How do schools in our area form a partnership?" in core.get(detail).content.decode()
    assert core.post(detail, {"status": "contacted", "note": "Phoned on Tuesday"}
                     ).status_code == 302
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.handled_by) == ("contacted", world.people["core"])
    assert "Curious Primary" not in core.get(reverse("enquiries:inbox"),
                                             {"status": "new"}).content.decode()
    # Nobody else reads it.
    assert client_for("lead").get(detail).status_code == 404
    assert client_for("lead").get(reverse("enquiries:inbox")).status_code == 403


def test_a_message_missing_something_says_what(client):
    page = client.post(reverse("enquiries:get_in_touch"),
                       {**MESSAGE, "full_name": "", "message": ""}).content.decode()
    assert "Enter your full name" in page and "Enter your message" in page
    assert 'href="#id_full_name"' in page and "Error: Error:" not in page
    assert not Enquiry.objects.exists()


def test_robots_and_floods_are_turned_away(client):
    url = reverse("enquiries:get_in_touch")
    client.post(url, {**MESSAGE, "website": "http://spam.example"})
    assert not Enquiry.objects.exists()
    pages = [client.post(url, MESSAGE).content.decode() for _ in range(6)]
    assert Enquiry.objects.exists() and Enquiry.objects.count() <= 5
    assert "too many messages from your connection" in pages[-1]


def test_nobody_but_the_core_team_reads_an_enquiry(world, client, client_for):
    """A unique marker in the message, read on every page that could show it, as every
    persona: only the core team sees it (and on their home page only the count)."""
    from conftest import PERSONAS

    marker = "MARKER-enquiry-7f3a"
    client.post(reverse("enquiries:get_in_touch"), {**MESSAGE, "message": marker})
    enquiry = Enquiry.objects.get()
    urls = ["/", reverse("enquiries:inbox"), reverse("enquiries:detail", args=[enquiry.pk]),
            "/notifications/"]
    for persona in PERSONAS:
        reader = client if persona == "anonymous" else client_for(persona)
        seen = [u for u in urls if marker in reader.get(u, follow=True).content.decode()]
        assert seen == ([reverse("enquiries:detail", args=[enquiry.pk])]
                        if persona == "core" else []), (persona, seen)
