"""The language of the pages (Welsh or English): the header's switch, kept on the person when
signed in and in a cookie when signed out, the browser's preference otherwise; dates in
Welsh; the catalogue compiled and complete for the areas translated so far."""

from datetime import date
from io import StringIO
from pathlib import Path
from unittest import mock

import polib
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from apps.core import pdf
from apps.core.translation import report, unmarked_text
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/language/"
COOKIE = settings.LANGUAGE_COOKIE_NAME
CATALOGUE = Path(settings.BASE_DIR) / "locale" / "cy" / "LC_MESSAGES"


def _html_lang(response) -> str:
    text = response.content.decode()
    start = text.index("<html")
    tag = text[start:text.index(">", start)]
    return tag.split('lang="', 1)[1].split('"', 1)[0]


def test_the_address():
    assert reverse("accounts:language") == URL


def test_signed_out_the_header_switch_turns_the_page_welsh_and_remembers_the_device(client):
    login = reverse("account_login")
    page = client.get(login).content.decode()
    # The switch: a one-button form naming the other language in itself.
    assert f'action="{URL}"' in page and 'name="language" value="cy"' in page
    assert 'lang="cy">Cymraeg' in page
    response = client.post(URL, {"language": "cy", "switch": "1", "next": login})
    assert response.status_code == 302 and response["Location"] == login
    cookie = response.cookies[COOKIE]
    assert cookie.value == "cy" and cookie["httponly"]
    welsh = client.get(login)
    body = welsh.content.decode()
    assert _html_lang(welsh) == "cy"
    assert ">Mewngofnodi</h1>" in body and "Wedi anghofio eich cyfrinair?" in body
    assert "Cyfeiriad e-bost" in body  # the form's labels too
    assert 'lang="en-GB">English' in body  # and the way back
    back = client.post(URL, {"language": "en-gb", "switch": "1", "next": login})
    assert back.cookies[COOKIE].value == "en-gb"
    assert ">Sign in</h1>" in client.get(login).content.decode()


def test_the_browser_preference_is_used_when_nothing_is_chosen(client):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="cy")
    assert _html_lang(response) == "cy"
    assert ">Mewngofnodi</h1>" in response.content.decode()
    english = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")
    assert _html_lang(english) == "en-GB"


def test_signed_in_the_choice_is_kept_on_the_person_and_follows_them(client):
    person = UserFactory()
    client.force_login(person)
    response = client.post(URL, {"language": "cy"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.language == "cy"
    # The confirmation is in the language chosen.
    assert "tudalennau yn Gymraeg nawr." in client.get(response["Location"]).content.decode()
    # Another device: no cookie, an English browser; the person's choice wins.
    other = client.__class__()
    other.force_login(person)
    page = other.get(reverse("accounts:me"), HTTP_ACCEPT_LANGUAGE="en-GB")
    assert _html_lang(page) == "cy"
    body = page.content.decode()
    assert ">Eich cyfrif</h1>" in body and '<span lang="cy">Cymraeg</span>' in body


def test_signing_in_keeps_the_language_chosen_on_the_device(client):
    person = UserFactory(email="cymraeg@example.org")
    person.set_password("a long enough passphrase 42")
    person.save()
    client.cookies[COOKIE] = "cy"
    response = client.post(reverse("account_login"), {
        "login": "cymraeg@example.org", "password": "a long enough passphrase 42"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.language == "cy"


def test_a_person_who_chose_keeps_their_choice_when_signing_in_elsewhere(client):
    person = UserFactory(email="saesneg@example.org", language="en-gb")
    person.set_password("a long enough passphrase 42")
    person.save()
    client.cookies[COOKIE] = "cy"
    client.post(reverse("account_login"), {
        "login": "saesneg@example.org", "password": "a long enough passphrase 42"})
    person.refresh_from_db()
    assert person.language == "en-gb"


def test_an_unknown_language_is_refused_with_a_message_and_nothing_kept(client):
    person = UserFactory()
    client.force_login(person)
    response = client.post(URL, {"language": "fr"})
    assert response.status_code == 200
    assert "Choose English or Cymraeg" in response.content.decode()
    assert COOKIE not in response.cookies
    person.refresh_from_db()
    assert person.language == ""


def test_going_back_only_to_our_own_pages(client):
    response = client.post(URL, {"language": "cy", "switch": "1",
                                 "next": "https://elsewhere.example/"})
    assert response.status_code == 302
    assert response["Location"].startswith(URL)


def test_dates_are_in_welsh():
    template = Template('{{ day|date:"l j F Y" }}')
    with translation.override("cy"):
        assert template.render(Context({"day": date(2026, 12, 7)})) == "Dydd Llun 7 Rhagfyr 2026"
    with translation.override("en-gb"):
        assert template.render(Context({"day": date(2026, 12, 7)})) == "Monday 7 December 2026"


def test_a_pdf_is_made_in_the_readers_language():
    seen = []
    with mock.patch.object(pdf, "html_to_pdf", lambda html, base_url=None: seen.append(html)):
        pdf.render_pdf("account/messages/password_changed.txt", {}, language="cy")
        pdf.render_pdf("account/messages/password_changed.txt", {}, language="en-gb")
    assert "Mae eich cyfrinair wedi'i newid" in seen[0]
    assert "Your password has been changed" in seen[1]
    with translation.override("cy"):
        assert pdf.document_lang() == "cy"
    assert pdf.document_lang() == "en-GB"


def test_the_compiled_catalogue_matches_its_source():
    """locale/cy/LC_MESSAGES/django.mo is committed (gettext is not needed to run the
    platform): it must hold exactly what django.po says. After editing the .po, run
    ``manage.py compilemessages -l cy``."""
    source = polib.pofile(str(CATALOGUE / "django.po"))
    compiled = polib.mofile(str(CATALOGUE / "django.mo"))

    def table(catalogue):
        # Keyed with the context too: "Yes" and pgettext's ("…", "Yes") are two entries.
        return {(e.msgctxt, e.msgid, e.msgid_plural):
                (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
                for e in catalogue if e.msgid and (e.msgstr or e.msgstr_plural)
                and "fuzzy" not in e.flags}
    assert table(compiled) == table(source)


def test_the_areas_translated_so_far_are_complete():
    """Sign-in and account pages and the page frame: every string marked, and in Welsh."""
    areas = {a.name: a for a in report()}
    for name in ("Sign-in and account", "Page frame and forms"):
        area = areas[name]
        assert area.untranslated == [] and area.unmarked == {}, name
        assert area.translated > 10
    call_command("translation_report", require=["Sign-in and account"])


def test_the_report_names_what_is_not_in_welsh_yet(monkeypatch):
    assert unmarked_text(
        '<h1>{% translate "Done" %}</h1><p>Not marked {{ x }}</p><code>code</code>'
        '<span lang="cy">Cymraeg</span>{% blocktranslate %}Marked {{ y }}{% endblocktranslate %}'
    ) == ["Not marked"]
    from apps.core.management.commands import translation_report
    from apps.core.translation import Area

    monkeypatch.setattr(translation_report, "report", lambda: [
        Area("Finished", translated=3),
        Area("Half done", translated=2, untranslated=["Save"],
             unmarked={"apps/x/templates/x.html": ["Not marked"]})])
    out = StringIO()
    call_command("translation_report", require=["Finished"], details=True, stdout=out)
    assert "not translated: Save" in out.getvalue()
    assert "not marked: apps/x/templates/x.html: Not marked" in out.getvalue()
    with pytest.raises(CommandError, match="Half done is not completely in Welsh"):
        call_command("translation_report", require=["Half done"], stdout=StringIO())


def test_error_messages_name_the_field_in_the_pages_language(client):
    """A field left empty: in English the GOV.UK sentence; in Welsh the Welsh label in a Welsh
    sentence, never English and Welsh mixed ("Enter the cyfrinair")."""
    person = UserFactory()
    client.force_login(person)
    english = client.post(reverse("account_change_password"), {}).content.decode()
    assert "Enter your new password again" in english and "Enter the type" not in english
    client.post(URL, {"language": "cy"})
    welsh = client.post(reverse("account_change_password"), {}).content.decode()
    assert "Mae angen ateb ar gyfer ‘Cyfrinair presennol’" in welsh
    assert "Enter" not in welsh.split("<main", 1)[1]
