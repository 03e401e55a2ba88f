"""The review cycle in Welsh (issue 17 part 7, docs/welsh.md): the review's overview and the
cycle's schedule come out in Welsh for a person whose language is Welsh, the templates
finished so far have no English left unmarked, and the catalogue has Welsh for every string
of the review cycle.

The Welsh words themselves come from the catalogue (locale/cy), which the lead regenerates
when merging the areas translated in parallel; until then those checks are expected to fail
(``xfail``, not strict). The marking checks hold on every branch."""

from html import unescape
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from apps.core.translation import unmarked_text

pytestmark = pytest.mark.django_db

BASE = Path(settings.BASE_DIR)
CATALOGUE = BASE / "locale" / "cy" / "LC_MESSAGES" / "django.po"
AREA = ("apps/reviews/", "apps/improvement/")
AT_MERGE = pytest.mark.xfail(strict=False, reason="catalogue regenerated at merge")

R = "apps/reviews/templates/reviews/"
I = "apps/improvement/templates/improvement/"  # noqa: E741
# Templates whose every word is marked for translation (the rest of the area is listed by
# ``manage.py translation_report --details``).
FINISHED = [
    R + "review_base.html", R + "detail.html", R + "_conflict.html", R + "_status_tag.html",
    R + "cycle.html", R + "timeline.html", R + "confirm_status.html", R + "index.html",
    R + "invitation.html", R + "team.html", R + "form_page.html",
    R + "self_review.html", R + "enquiry.html", R + "plan.html", R + "evidence.html",
    R + "_evidence_form.html", R + "evidence_edit.html", R + "findings.html", R + "report.html",
    I + "workshop.html", I + "plan.html", I + "action.html", I + "action_form.html",
    I + "checkback.html", I + "_action_card.html", I + "_support_given.html",
]


def _html_lang(text: str) -> str:
    start = text.index("<html")
    tag = text[start:text.index(">", start)]
    return tag.split('lang="', 1)[1].split('"', 1)[0]


def _page(client, person, url: str) -> str:
    person.language = "cy"
    person.save(update_fields=["language"])
    client.force_login(person)
    response = client.get(url)
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_the_overview_is_a_welsh_page_for_a_welsh_speaker(client, world):
    page = _page(client, world.people["head"], reverse("reviews:detail", args=[world.review.pk]))
    assert _html_lang(page) == "cy"


def test_the_cycle_schedule_is_a_welsh_page_for_a_welsh_speaker(client, world):
    page = _page(client, world.people["lead"], reverse("reviews:cycle", args=[world.cycle.pk]))
    assert _html_lang(page) == "cy"


@AT_MERGE
def test_the_overview_is_in_welsh(client, world):
    page = _page(client, world.people["head"], reverse("reviews:detail", args=[world.review.pk]))
    # The template's own words, the section links, the steps and the status (from Python).
    for welsh in ("Beth sy'n digwydd nesaf", "Dyddiadau", "Pwy sy'n gallu gweld yr adolygiad hwn",
                  ">Trosolwg<", ">Hunanadolygiad<", "Rhannu data", "Cyfarfod cyn yr adolygiad",
                  "Adroddiad wedi'i gytuno", "Adolygiad cymheiriaid"):
        assert welsh in page, welsh
    assert "What happens next" not in page and "Who can see this review" not in page


@AT_MERGE
def test_the_cycle_schedule_is_in_welsh(client, world):
    page = _page(client, world.people["lead"], reverse("reviews:cycle", args=[world.cycle.pk]))
    for welsh in ("Cylch adolygu", "Amserlen", "Ysgol letyol", "Rhannu data", "Gweithdy Gwella",
                  "Gwiriad effaith", "Llinell amser"):
        assert welsh in page, welsh
    assert ">Schedule<" not in page and "Host school" not in page


@pytest.mark.parametrize("template", FINISHED)
def test_finished_templates_have_no_unmarked_text(template):
    assert unmarked_text((BASE / template).read_text(encoding="utf-8")) == []


@AT_MERGE
def test_the_catalogue_has_welsh_for_every_string_of_the_review_cycle():
    missing = []
    for entry in polib.pofile(str(CATALOGUE)):
        if entry.obsolete or not any(place.startswith(AREA) for place, _ in entry.occurrences):
            continue
        done = (all(entry.msgstr_plural.values()) if entry.msgid_plural else entry.msgstr)
        if not done or "fuzzy" in entry.flags:
            missing.append(entry.msgid)
    assert missing == []
