"""Registration for open events without an account: double opt-in, the spam trap, rate
limits, unsubscribing, and the waiting list for people who confirm after the session fills."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from apps.core.models import AuditEvent
from apps.training import notify, public, services
from apps.training.models import Booking, Registrant, Session, SessionPart

DETAILS = {"full_name": "Ada Outside", "email": "ada@elsewhere.example",
           "school_name": "Elsewhere Primary", "consent": "on", "website": ""}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST as a signed-out visitor, running on-commit work (the emails) as a commit would."""

    def _post(url, data=None, ip="192.0.2.1"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {}, REMOTE_ADDR=ip)

    return _post


def register_url(session):
    return reverse("training:register", args=[session.pk])


def open_session(course, capacity=10, **extra):
    now = timezone.now()
    session = Session.objects.create(course=course, capacity=capacity,
                                     joining_link="https://meet.example/open",
                                     booking_deadline=now + timedelta(days=5), **extra)
    SessionPart.objects.create(session=session, starts_at=now + timedelta(days=10),
                               ends_at=now + timedelta(days=10, hours=1))
    return session


# Double opt-in ------------------------------------------------------------------------------

def test_nothing_is_booked_until_the_address_is_confirmed(world, client, post, mailoutbox):
    session = world.open_session
    left = services.places_left(session)
    response = post(register_url(session), DETAILS)
    assert response.status_code == 200
    assert b"Check your email" in response.content

    registrant = Registrant.objects.get(email="ada@elsewhere.example")
    assert registrant.confirmed_at is None and registrant.consent_at is not None
    assert (registrant.full_name, registrant.school_name) == ("Ada Outside",
                                                              "Elsewhere Primary")
    booking = registrant.bookings.get()
    assert booking.status == Booking.State.PENDING
    assert services.places_left(session) == left  # a pending booking holds no place

    [mail] = mailoutbox
    confirm_url = settings.SITE_URL + reverse("training:confirm", args=[registrant.token])
    unsubscribe_url = settings.SITE_URL + reverse("training:unsubscribe",
                                                  args=[registrant.token])
    assert mail.to == ["ada@elsewhere.example"]
    assert mail.from_email == settings.DEFAULT_FROM_EMAIL
    assert mail.subject.startswith("Confirm your email address")
    assert confirm_url in mail.body and unsubscribe_url in mail.body
    assert mail.extra_headers["List-Unsubscribe"] == f"<{unsubscribe_url}>"
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    [(html, kind)] = mail.alternatives
    assert kind == "text/html" and confirm_url in html and unsubscribe_url in html

    # A mail scanner following the link changes nothing.
    page = client.get(reverse("training:confirm", args=[registrant.token]))
    assert page.status_code == 200 and b"Confirm my email address" in page.content
    registrant.refresh_from_db()
    booking.refresh_from_db()
    assert registrant.confirmed_at is None and booking.status == Booking.State.PENDING

    # The person presses the button.
    mailoutbox.clear()
    response = post(reverse("training:confirm", args=[registrant.token]))
    assert response.status_code == 302
    registrant.refresh_from_db()
    booking.refresh_from_db()
    assert registrant.confirmed_at is not None
    assert booking.status == Booking.State.BOOKED
    assert services.places_left(session) == left - 1
    [mail] = mailoutbox
    assert mail.subject == f"Booked: {session.label}"
    assert "Town Hall" in mail.body
    assert mail.attachments and mail.attachments[0][0] == "invite.ics"
    assert "List-Unsubscribe" in mail.extra_headers and mail.alternatives

    page = client.get(reverse("training:confirm", args=[registrant.token]))
    assert b"Your email address is confirmed" in page.content

    # Pressing it again does nothing more.
    mailoutbox.clear()
    post(reverse("training:confirm", args=[registrant.token]))
    booking.refresh_from_db()
    assert booking.status == Booking.State.BOOKED and mailoutbox == []


def test_registrations_are_audited_without_personal_details(world, post):
    post(register_url(world.open_session), DETAILS)
    registrant = Registrant.objects.get(email="ada@elsewhere.example")
    post(reverse("training:confirm", args=[registrant.token]))
    post(reverse("training:unsubscribe", args=[registrant.token]))
    events = {e.action: e for e in AuditEvent.objects.filter(action__startswith="training.")}
    assert set(events) >= {"training.registered", "training.registrant_confirmed",
                           "training.registrant_unsubscribed"}
    assert events["training.registered"].details["registrant"] == registrant.pk
    assert events["training.registered"].object_id == str(world.open_session.pk)
    for event in events.values():
        text = f"{event.details} {event.object_label} {event.actor_label}"
        assert "ada@" not in text and "Ada" not in text and "Elsewhere" not in text


def test_a_confirmed_registrant_is_not_asked_again(world, post, mailoutbox):
    other = open_session(world.open_course)
    post(register_url(other), {**DETAILS, "email": "Visitor@SCHOOL.example",
                               "full_name": "Someone Else"})
    assert Registrant.objects.count() == 1  # reused, by address, whatever its case
    booking = world.registrant.bookings.get(session=other)
    assert booking.status == Booking.State.BOOKED
    world.registrant.refresh_from_db()
    assert world.registrant.full_name == "Visiting Head"  # not overwritten by a stranger
    assert [m.subject for m in mailoutbox] == [f"Booked: {other.label}"]


def test_registering_twice_resends_the_confirmation(world, post, mailoutbox):
    post(register_url(world.open_session), DETAILS)
    post(register_url(world.open_session), {**DETAILS, "full_name": "Ada Lovelace"},
         ip="192.0.2.2")
    registrant = Registrant.objects.get(email="ada@elsewhere.example")
    assert registrant.bookings.count() == 1 and registrant.full_name == "Ada Lovelace"
    assert [m.subject.split(":")[0] for m in mailoutbox] == ["Confirm your email address"] * 2


def test_registering_again_when_booked_says_where_they_stand(world, post, mailoutbox):
    response = post(register_url(world.open_session), {**DETAILS,
                                                       "email": "visitor@school.example"})
    # The page does not say whether the address is known.
    assert b"Check your email" in response.content
    assert world.registrant.bookings.count() == 1
    [mail] = mailoutbox
    assert "already registered" in mail.body


def test_a_full_session_puts_people_who_confirm_on_the_waiting_list(world, post, mailoutbox):
    session = open_session(world.open_course, capacity=1)
    services.book(session, registrant=world.registrant)
    post(register_url(session), DETAILS)
    registrant = Registrant.objects.get(email="ada@elsewhere.example")
    assert registrant.bookings.get().status == Booking.State.PENDING
    mailoutbox.clear()
    post(reverse("training:confirm", args=[registrant.token]))
    booking = registrant.bookings.get()
    assert booking.status == Booking.State.WAITING and booking.position >= 1
    assert services.places_left(session) == 0
    [mail] = mailoutbox
    assert mail.subject == f"Waiting list: {session.label}"
    assert "number 1 on the waiting list" in mail.body


def test_confirming_after_the_session_is_cancelled_books_nothing(world, post):
    session = open_session(world.open_course)
    post(register_url(session), DETAILS)
    registrant = Registrant.objects.get(email="ada@elsewhere.example")
    services.cancel_session(session, by=world.people["core"], reason="Snow")
    post(reverse("training:confirm", args=[registrant.token]))
    assert registrant.bookings.get().status == Booking.State.CANCELLED


# Who may register ---------------------------------------------------------------------------

def test_only_open_events_still_taking_bookings(world, client):
    assert client.get(register_url(world.open_session)).status_code == 200
    assert client.get(register_url(world.session)).status_code == 404  # programme schools only
    assert client.post(register_url(world.session), DETAILS).status_code == 404
    closed = open_session(world.open_course)
    Session.objects.filter(pk=closed.pk).update(
        booking_deadline=timezone.now() - timedelta(minutes=1))
    assert client.get(register_url(closed)).status_code == 404
    cancelled = open_session(world.open_course, cancelled_at=timezone.now())
    assert client.get(register_url(cancelled)).status_code == 404
    assert client.get("/training/sessions/99999999999/register/").status_code == 404
    assert Registrant.objects.count() == 1


def test_the_form_says_what_is_kept_why_and_for_how_long(world, client):
    page = client.get(register_url(world.open_session)).content.decode()
    for words in ("name, email address and school name", "joining details and reminders",
                  "12 months after the event", "unsubscribe at any time"):
        assert words in page


def test_consent_is_required(world, post):
    response = post(register_url(world.open_session), {**DETAILS, "consent": ""})
    assert response.status_code == 200
    assert "Agree to us keeping your details" in response.content.decode()
    assert not Registrant.objects.filter(email="ada@elsewhere.example").exists()


@pytest.mark.parametrize("email", ["not-an-email", "ada@", "ada@@elsewhere.example",
                                   "ada elsewhere@example.com"])
def test_a_malformed_email_gets_a_clear_error(world, post, mailoutbox, email):
    response = post(register_url(world.open_session), {**DETAILS, "email": email})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "govuk-error-summary" in page
    assert "Enter an email address in the correct format, like name@example.com" in page
    assert 'href="#id_email"' in page  # the summary links to the field
    assert Registrant.objects.count() == 1 and mailoutbox == []


# Spam ---------------------------------------------------------------------------------------

def test_the_spam_trap_pretends_success_and_keeps_nothing(world, post, mailoutbox):
    response = post(register_url(world.open_session), {**DETAILS, "website": "http://spam"})
    assert response.status_code == 200
    assert b"Check your email" in response.content
    assert Registrant.objects.count() == 1  # only the world's
    assert world.open_session.bookings.count() == 1
    assert mailoutbox == []
    assert not AuditEvent.objects.filter(action="training.registered").exists()


def test_the_spam_trap_is_hidden_from_people(world, client):
    page = client.get(register_url(world.open_session)).content.decode()
    trap = page[page.index('name="website"') - 300:page.index('name="website"')]
    assert 'aria-hidden="true"' in trap and "govuk-visually-hidden" in trap
    assert 'tabindex="-1"' in page[page.index('name="website"'):][:200]


def test_registrations_per_connection_are_limited(world, post):
    session = world.open_session
    for i in range(public.PER_CONNECTION_PER_HOUR):
        response = post(register_url(session), {**DETAILS, "email": f"p{i}@x.example"})
        assert b"Check your email" in response.content
    response = post(register_url(session), {**DETAILS, "email": "late@x.example"})
    assert response.status_code == 429
    assert "too many registrations from your connection" in response.content.decode()
    assert not Registrant.objects.filter(email="late@x.example").exists()
    # Another connection is not held up.
    response = post(register_url(session), {**DETAILS, "email": "late@x.example"},
                    ip="198.51.100.7")
    assert response.status_code == 200
    assert Registrant.objects.filter(email="late@x.example").exists()


def test_registrations_per_address_are_limited(world, post, mailoutbox):
    sessions = [open_session(world.open_course) for _ in range(4)]
    for i, session in enumerate(sessions[:public.PER_ADDRESS_PER_DAY]):
        assert post(register_url(session), DETAILS, ip=f"10.0.0.{i}").status_code == 200
    response = post(register_url(sessions[3]), {**DETAILS, "email": "ADA@elsewhere.example"},
                    ip="10.0.1.1")
    assert response.status_code == 429
    assert "registered too many times today" in response.content.decode()
    assert not sessions[3].bookings.exists()
    assert len(mailoutbox) == public.PER_ADDRESS_PER_DAY


def test_rate_limit_keys_do_not_hold_the_address(world, post):
    post(register_url(world.open_session), DETAILS)
    keys = list(cache._cache.keys())  # locmem
    assert keys and not any("ada" in k or "192.0.2.1" in k for k in keys)
    # Counted by allauth's rate limiter, as sign-in is.
    assert {k.split(":")[5] for k in keys if ":allauth:rl:training:" in k} == {
        "register_connection", "register_address"}


def test_one_ipv6_network_counts_as_one_connection(world, post):
    """As for sign-in, allauth counts an IPv6 client by its /64 network, so moving to another
    address of the same network does not start a new count."""
    session = world.open_session
    for i in range(public.PER_CONNECTION_PER_HOUR):
        response = post(register_url(session), {**DETAILS, "email": f"v{i}@x.example"},
                        ip=f"2001:db8:1:2::{i + 1}")
        assert response.status_code == 200
    response = post(register_url(session), {**DETAILS, "email": "v9@x.example"},
                    ip="2001:db8:1:2::99")
    assert response.status_code == 429


# Unsubscribing ------------------------------------------------------------------------------

def test_unsubscribing_stops_emails_and_cancels_pending_and_waiting(world, client, post,
                                                                    mailoutbox):
    full = open_session(world.open_course, capacity=1)
    services.book(full, user=world.people["staff"])
    pending_session = open_session(world.open_course)
    registrant = world.registrant
    waiting = services.book(full, registrant=registrant)
    assert waiting.status == Booking.State.WAITING
    registrant.confirmed_at = None
    registrant.save()
    pending = services.book(pending_session, registrant=registrant)
    registrant.confirmed_at = timezone.now()
    registrant.save()
    booked = registrant.bookings.get(session=world.open_session)
    url = reverse("training:unsubscribe", args=[registrant.token])

    page = client.get(url)  # a GET changes nothing
    assert page.status_code == 200 and b"Also cancel my places" in page.content
    registrant.refresh_from_db()
    assert registrant.unsubscribed_at is None

    response = post(url, {"unsubscribe": "1"})
    assert response.status_code == 302
    registrant.refresh_from_db()
    assert registrant.unsubscribed_at is not None
    statuses = {b.pk: b.status for b in registrant.bookings.all()}
    assert statuses == {waiting.pk: "cancelled", pending.pk: "cancelled", booked.pk: "booked"}
    page = client.get(url).content.decode()
    assert "You have unsubscribed" in page and "We will not tell you" in page

    mailoutbox.clear()
    notify.booking_message(booked, "Changed", "The room has moved.")
    assert mailoutbox == []

    # Cancelling the place they kept, from the page they land on.
    post(url, {"cancel_places": "on"})
    booked.refresh_from_db()
    assert booked.status == Booking.State.CANCELLED


def test_unsubscribing_can_cancel_places_too(world, post):
    booked = world.registrant.bookings.get()
    post(reverse("training:unsubscribe", args=[world.registrant.token]),
         {"cancel_places": "on"})
    booked.refresh_from_db()
    assert booked.status == Booking.State.CANCELLED


def test_one_click_unsubscribe_from_a_mail_client(world, post):
    """RFC 8058: the mail client POSTs, with no CSRF token."""
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(reverse("training:unsubscribe", args=[world.registrant.token]),
                                {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 302
    world.registrant.refresh_from_db()
    assert world.registrant.unsubscribed_at is not None
    assert world.registrant.bookings.get().status == Booking.State.BOOKED


def test_someone_who_unsubscribed_must_confirm_again(world, post, mailoutbox):
    post(reverse("training:unsubscribe", args=[world.registrant.token]))
    other = open_session(world.open_course)
    mailoutbox.clear()
    post(register_url(other), {**DETAILS, "email": "visitor@school.example"})
    booking = world.registrant.bookings.get(session=other)
    assert booking.status == Booking.State.PENDING
    [mail] = mailoutbox
    assert mail.subject.startswith("Confirm your email address")
    post(reverse("training:confirm", args=[world.registrant.token]))
    world.registrant.refresh_from_db()
    booking.refresh_from_db()
    assert world.registrant.unsubscribed_at is None and booking.status == Booking.State.BOOKED


def test_unknown_tokens_are_not_found(world, client):
    for name in ("training:confirm", "training:unsubscribe"):
        assert client.get(reverse(name, args=["nope"])).status_code == 404
        assert client.post(reverse(name, args=["nope"])).status_code == 404
        assert client.get(reverse(name, args=["x" * 200])).status_code == 404


# Keeping data no longer than promised -------------------------------------------------------

def test_registrants_are_deleted_12_months_after_their_last_event(world, post):
    post(register_url(world.open_session), DETAILS)  # unconfirmed
    later = timezone.now() + timedelta(days=40)
    assert public.delete_expired(now=later) == 1  # the unconfirmed one, after 30 days
    assert Registrant.objects.filter(pk=world.registrant.pk).exists()
    assert public.delete_expired(now=later + timedelta(days=366)) == 1
    assert not Registrant.objects.exists()


# The link on the session page ----------------------------------------------------------------

def test_the_session_page_snippet_links_to_registration_while_open(world, rf):
    # Rendered as the session page renders it: with the request (and its context processors).
    request = rf.get("/")
    html = render_to_string("training/public_register_link.html",
                            {"session": world.open_session}, request=request)
    assert reverse("training:register", args=[world.open_session.pk]) in html
    Session.objects.filter(pk=world.open_session.pk).update(
        booking_deadline=timezone.now() - timedelta(minutes=1))
    world.open_session.refresh_from_db()
    html = render_to_string("training/public_register_link.html",
                            {"session": world.open_session}, request=request)
    assert "register" not in html and "Sign in" in html
