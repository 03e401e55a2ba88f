"""The training area in Welsh (issue 17 part 7, docs/welsh.md): a person whose language is
Welsh sees the catalogue and a session page in Welsh, with Welsh dates; the training
templates translated so far have no English left unmarked; and every string of the area has
Welsh in the catalogue (once the lead regenerates it at merge)."""

from datetime import timedelta
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from apps.core.translation import unmarked_text
from apps.training.models import Session, SessionPart

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "training"
# Templates whose every word is marked for translation. Add each one as it is finished.
FINISHED = [
    "catalogue.html", "_course_session.html", "_when.html", "session.html",
    "_session_people.html", "course.html", "my_bookings.html", "waiting_list.html",
    "records_mine.html", "records_verify.html", "records_certificate.html",
    "public_register.html", "public_register_done.html", "public_register_link.html",
    "public_confirm.html", "public_unsubscribe.html", "form_page.html", "polls_current.html",
    "polls_current_page.html", "polls_answer.html", "polls_feedback.html", "series.html",
    "series_list.html", "series_form.html", "materials_form.html", "materials_done.html",
    "records_register.html", "polls_list.html", "polls_results.html", "polls_results_live.html",
]


def _html_lang(body: str) -> str:
    start = body.index("<html")
    tag = body[start:body.index(">", start)]
    return tag.split('lang="', 1)[1].split('"', 1)[0]


@pytest.fixture
def welsh_session(world):
    """A session of the world's course on Monday 7 June 2027 at 10am UK time, with a place
    for staff, whose language is Welsh."""
    start = timezone.make_aware(timezone.datetime(2027, 6, 7, 10, 0))
    session = Session.objects.create(course=world.course, capacity=12, mode="online",
                                     joining_link="https://meet.example/cy",
                                     booking_deadline=start - timedelta(days=2))
    SessionPart.objects.create(session=session, starts_at=start,
                               ends_at=start + timedelta(hours=2))
    staff = world.people["staff"]
    staff.language = "cy"
    staff.save(update_fields=["language"])
    return session


def test_a_welsh_speaker_gets_welsh_pages_and_dates(client_for, welsh_session):
    """The language and the dates come from the person's choice and Django's own Welsh."""
    client = client_for("staff")
    catalogue = client.get(reverse("training:catalogue")).content.decode()
    assert _html_lang(catalogue) == "cy"
    assert "7 Mehefin 2027 am 10yb" in catalogue
    body = client.get(reverse("training:session", args=[welsh_session.pk])).content.decode()
    assert _html_lang(body) == "cy"
    assert "Dydd Llun 7 Mehefin 2027, 10yb i " in body
    assert "Monday" not in body and "June" not in body


def test_the_catalogue_is_in_welsh_for_a_welsh_speaker(client_for, welsh_session):
    body = client_for("staff").get(reverse("training:catalogue")).content.decode()
    assert "<h1 class=\"govuk-heading-l\">Hyfforddiant a digwyddiadau</h1>" in body
    assert "Gweld eich archebion" in body
    assert "(ar-lein)" in body  # the choice label, translated then lowered
    assert "Training and events" not in body


def test_a_session_page_is_in_welsh(client_for, welsh_session):
    client = client_for("staff")
    body = client.get(reverse("training:session", args=[welsh_session.pk])).content.decode()
    for words in ("Pryd (amser y DU)", "Ble", "Lleoedd", "12 o 12 ar ôl", "Archebu lle yn cau",
                  "Archebu lle"):
        assert words in body, words
    for english in ("When (UK time)", "Booking closes", "Book a place"):
        assert english not in body, english


def test_the_same_pages_stay_english_for_everyone_else(client_for, welsh_session):
    body = client_for("head").get(
        reverse("training:session", args=[welsh_session.pk])).content.decode()
    assert "When (UK time)" in body and "Pryd (amser y DU)" not in body


@pytest.mark.parametrize("name", FINISHED)
def test_the_finished_templates_have_no_unmarked_text(name):
    assert unmarked_text((TEMPLATES / name).read_text(encoding="utf-8")) == []


def test_every_training_string_has_welsh_in_the_catalogue():
    catalogue = Path(settings.BASE_DIR) / "locale" / "cy" / "LC_MESSAGES" / "django.po"
    missing = [e.msgid for e in polib.pofile(str(catalogue))
               if any(place.startswith("apps/training/") for place, _ in e.occurrences)
               and (not (e.msgstr or all(e.msgstr_plural.values())) or "fuzzy" in e.flags)]
    assert missing == []
