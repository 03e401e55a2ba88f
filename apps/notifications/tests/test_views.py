import hashlib
import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from apps.core.models import AuditEvent
from apps.notifications import services
from apps.notifications.events import CalendarEvent
from apps.notifications.models import CalendarToken, Notification
from conftest import PERSONAS, sign_in

from . import fake_provider
from .matrix_rows import MATRIX_ROWS

pytestmark = pytest.mark.django_db


def _note(user, subject, minutes_ago=0, **extra):
    return Notification.objects.create(
        user=user, kind="test", subject=subject, body=f"About {subject}.", url="/reviews/1/",
        created_at=timezone.now() - timedelta(minutes=minutes_ago), **extra)


def test_the_list_shows_my_notifications_newest_first_and_marks_them_read(client_for, world):
    head = world.people["head"]
    _note(head, "Older news", minutes_ago=10, read_at=timezone.now())
    _note(head, "Newer news")
    _note(world.people["staff"], "Someone else's news")
    client = client_for("head")
    page = client.get(reverse("notifications:list")).content.decode()
    assert page.index("Newer news") < page.index("Older news")
    assert "Someone else" not in page
    assert page.count(">Unread</strong>") == 1 and "<strong>1</strong> unread" in page
    assert 'href="/reviews/1/"' in page

    response = client.post(reverse("notifications:list"))
    assert response.status_code == 302
    assert not Notification.objects.filter(user=head, read_at=None).exists()
    assert Notification.objects.filter(user=world.people["staff"], read_at=None).exists()
    page = client.get(reverse("notifications:list")).content.decode()
    assert "no unread notifications" in page and "Mark all as read" not in page


def test_the_list_is_paginated(client_for, world):
    for n in range(30):
        _note(world.people["head"], f"News {n}", minutes_ago=n)
    client = client_for("head")
    assert "News 29" not in client.get(reverse("notifications:list")).content.decode()
    assert "News 29" in client.get(reverse("notifications:list") + "?page=2").content.decode()


def test_the_settings_page_works_with_plain_form_posts(client_for, world):
    client = client_for("head")
    url = reverse("notifications:settings")
    page = client.get(url).content.decode()
    assert 'type="radio"' in page and 'value="immediate" checked' in page
    assert "<script" not in page.split('id="main-content"')[1].split("</main>")[0]

    response = client.post(url, {"action": "delivery", "delivery": "weekly"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    response = client.post(url, {"action": "delivery", "delivery": "daily"})
    assert response.status_code == 302
    assert services.delivery_for(world.people["head"]) == "daily"
    assert 'value="daily" checked' in client.get(url).content.decode()


def _make_feed(client) -> str:
    """Make a calendar address on the settings page; returns its path."""
    response = client.post(reverse("notifications:settings"), {"action": "create_feed"})
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    page = response.content.decode()
    assert "Subscribe to a calendar by URL" in page
    assert "Outlook" in page and "Google Calendar" in page and "Apple Calendar" in page
    found = re.search(r'id="feed-url" type="text" value="([^"]+)"', page)
    assert found, page
    url = found.group(1)
    assert url.startswith(settings.SITE_URL)
    return urlsplit(url).path


def test_the_calendar_feed_lists_my_events_only_without_private_detail(client_for, world):
    head, staff = world.people["head"], world.people["staff"]
    fake_provider.EVENTS.extend([
        CalendarEvent(uid="mine@test", summary="Peer review: A1 School", start=date(2026, 10, 27),
                      location="A1 School", description="Private notes about the school",
                      url="/reviews/1/", attendees=[head, staff]),
        CalendarEvent(uid="theirs@test", summary="Someone else's review",
                      start=date(2026, 10, 28), attendees=[staff]),
    ])
    path = _make_feed(client_for("head"))
    secret = path.removeprefix("/calendar/").removesuffix(".ics")

    # Only the hash is kept, and the address is not shown again.
    token = CalendarToken.objects.get(user=head)
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in token.token_hash
    assert secret not in client_for("head").get(reverse("notifications:settings")).content.decode()

    response = client_for("anonymous").get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"] == "private, no-store"
    calendar = Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    assert event["summary"] == "Peer review: A1 School" and event["location"] == "A1 School"
    assert "description" not in event and "attendee" not in event
    assert b"Private notes" not in response.content and b"@test.example" not in response.content
    assert AuditEvent.objects.filter(action="calendar_feed.created", actor=head).exists()


def test_a_revoked_or_replaced_feed_is_not_found(client_for, world):
    client = client_for("head")
    first, second = _make_feed(client), _make_feed(client)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    assert CalendarToken.objects.filter(user=world.people["head"], revoked_at=None).count() == 1

    response = client.post(reverse("notifications:settings"), {"action": "revoke_feed"})
    assert response.status_code == 302
    assert client.get(second).status_code == 404
    assert AuditEvent.objects.filter(action="calendar_feed.revoked").count() == 2
    assert "no calendar address" in client.get(reverse("notifications:settings")).content.decode()


def test_a_feed_stops_when_its_owner_is_deactivated(client, world):
    secret = services.calendar_token_for(world.people["head"])
    assert services.user_for_calendar_token(secret) == world.people["head"]
    world.people["head"].is_active = False
    world.people["head"].save()
    assert client.get(reverse("notifications:feed", args=[secret])).status_code == 404


@pytest.mark.parametrize("url_name", list(MATRIX_ROWS))
def test_permission_matrix_rows(world, client, url_name):
    """This app's rows of tests/test_permission_matrix.py, checked here as well."""
    method, kwargs, expected, *_ = MATRIX_ROWS[url_name]
    url = reverse(url_name.split("#")[0], kwargs=kwargs(world))
    wrong = []
    for persona in PERSONAS:
        with transaction.atomic():
            client.logout()
            if persona != "anonymous":
                sign_in(client, world.people[persona])
            status = getattr(client, method)(url).status_code
            if status != expected[persona]:
                wrong.append(f"{persona}: got {status}, expected {expected[persona]}")
            transaction.set_rollback(True)
    assert not wrong, "\n".join(wrong)
