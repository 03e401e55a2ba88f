from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.resources import services
from apps.resources.models import RESOURCE_INDEX, LibraryVisit, Resource
from conftest import TINY_PDF

pytestmark = pytest.mark.django_db

SEES = {
    "anonymous": {"public"},
    "outsider": {"public", "programme"},  # Beta is a current partnership
    "head": {"public", "programme"},
    "alumnus": {"public", "programme", "alumni"},  # alumni keep access, and see their own
    "norole": {"public"},
    "evaluator": {"public"},
    "core": {"public", "programme", "alumni", "core"},
}


@pytest.mark.parametrize("persona", sorted(SEES))
def test_library_lists_each_persona_their_audiences(client_for, world, persona):
    text = client_for(persona).get(reverse("resources:library")).content.decode()
    for audience, resource in world.resources.items():
        assert (resource.title in text) == (audience in SEES[persona]), (persona, audience)
    api = client_for(persona).get("/api/resources/").json()["items"]
    assert {r["audience"] for r in api} == SEES[persona]


def test_a_school_that_leaves_the_programme_loses_current_materials(client_for, world):
    world.memberships["B2"].left_on = timezone.localdate() - timedelta(days=1)
    world.memberships["B2"].save()
    client = client_for("outsider")
    assert client.get(reverse("resources:detail",
                              args=[world.resources["programme"].pk])).status_code == 404


def _form(**extra):
    data = {"title": "Self-review template", "summary": "A template for the self-review.",
            "kind": "template", "audience": "programme", "for_roles": ["headteacher"],
            "for_phases": ["build"], "themes": "self-review, evidence",
            "published_on": "2026-09-01"}
    data.update(extra)
    return data


def test_core_team_uploads_replaces_and_keeps_versions(client_for, world):
    client = client_for("core")
    response = client.post(reverse("resources:create"), _form(
        file=SimpleUploadedFile("template.pdf", TINY_PDF)))
    assert response.status_code == 302
    resource = Resource.objects.get(title="Self-review template")
    assert resource.themes == ["self-review", "evidence"]
    replace = reverse("resources:replace", args=[resource.pk])
    v2 = TINY_PDF.replace(b"%%EOF", b"% second\n%%EOF")
    assert client.post(replace, {"file": SimpleUploadedFile("template-v2.pdf", v2),
                                 "note": "Clearer headings"}).status_code == 302
    assert list(resource.files.values_list("number", flat=True)) == [2, 1]
    head = client_for("head")
    page = head.get(reverse("resources:detail", args=[resource.pk])).content.decode()
    assert "(PDF, " in page and "Earlier versions" in page and "Clearer headings" in page
    current = head.get(reverse("resources:download", args=[resource.pk]))
    assert b"".join(current.streaming_content) == v2  # streamed from storage
    assert current["Content-Type"] == "application/pdf" and "no-store" in current["Cache-Control"]
    assert 'filename="template-v2.pdf"' in current["Content-Disposition"]
    old = head.get(reverse("resources:download_version", args=[resource.pk, 1]))
    assert b"".join(old.streaming_content) == TINY_PDF
    resource.refresh_from_db()
    assert resource.download_count == 2
    assert resource.files.get(number=1).download_count == 1


@pytest.mark.parametrize(("name", "content", "message"), [
    ("virus.exe", b"MZ\x90\x00", "must be a PDF, Word, Excel"),
    ("fake.pdf", b"<html>not a pdf</html>", "not really a .pdf file"),
    ("empty.pdf", b"", "empty"),
])
def test_uploads_are_refused_with_a_reason(client_for, world, name, content, message):
    response = client_for("core").post(reverse("resources:create"), _form(
        file=SimpleUploadedFile(name, content)))
    text = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in text and message in text
    assert not Resource.objects.filter(title="Self-review template").exists()


def test_upload_size_limit(client_for, world, settings):
    settings.RESOURCE_MAX_BYTES = 100
    response = client_for("core").post(reverse("resources:create"), _form(
        file=SimpleUploadedFile("big.pdf", TINY_PDF + b"x" * 200)))
    assert "must be smaller than" in response.content.decode()


def test_a_link_needs_an_address_and_counts_opens(client_for, world):
    client = client_for("core")
    bad = client.post(reverse("resources:create"), _form(kind="link"))
    assert "Enter the web address of the link" in bad.content.decode()
    client.post(reverse("resources:create"), _form(
        kind="link", title="Webinar: running a workshop", url="https://example.org/webinar"))
    link = Resource.objects.get(title="Webinar: running a workshop")
    opened = client_for("head").get(reverse("resources:download", args=[link.pk]))
    assert opened.status_code == 302 and opened["Location"] == "https://example.org/webinar"
    link.refresh_from_db()
    assert link.download_count == 1


def test_search_titles_and_summaries(world):
    services.create_resource(by=None, title="Running pupil voice sessions",
                             summary="How to hear from pupils during a review day.",
                             kind="link", audience="public", url="https://example.org/pv",
                             published_on=date(2026, 9, 1))
    found = RESOURCE_INDEX.search(Resource.objects.all(), "pupil voice")
    assert [r.title for r in found][:1] == ["Running pupil voice sessions"]
    assert RESOURCE_INDEX.search(Resource.objects.all(), "sessions")  # stemming: session(s)
    edited = Resource.objects.get(title="Running pupil voice sessions")
    services.update_resource(edited, by=None, title="Listening to pupils")
    assert not RESOURCE_INDEX.search(Resource.objects.all(), "voice sessions running")


def test_new_since_last_visit(client_for, world):
    client = client_for("head")
    first = client.get(reverse("resources:library")).content.decode()
    assert ">New<" not in first  # first visit: nothing is "new"
    visit = LibraryVisit.objects.get(user=world.people["head"])
    visit.last_seen_at = timezone.now() - timedelta(days=3)
    visit.save()
    Resource.objects.filter(pk=world.resources["programme"].pk).update(
        changed_at=timezone.now() - timedelta(days=1))
    Resource.objects.exclude(pk=world.resources["programme"].pk).update(
        changed_at=timezone.now() - timedelta(days=10))
    text = client.get(reverse("resources:library")).content.decode()
    assert "1</strong> new since your last visit" in text
    again = client.get(reverse("resources:library")).content.decode()
    assert "1</strong> new since your last visit" in again  # same visit: still new


def test_a_long_file_name_keeps_its_extension(client_for, world):
    name = "a" * 240 + ".pdf"
    client_for("core").post(reverse("resources:create"), _form(
        file=SimpleUploadedFile(name, TINY_PDF)))
    resource = Resource.objects.get(title="Self-review template")
    assert resource.current_file().filename.endswith(".pdf")


def test_opening_an_item_to_more_people_marks_it_new(world):
    resource = world.resources["core"]
    Resource.objects.filter(pk=resource.pk).update(
        changed_at=timezone.now() - timedelta(days=30))
    resource.refresh_from_db()
    services.update_resource(resource, by=None, audience="programme")
    resource.refresh_from_db()
    assert resource.changed_at > timezone.now() - timedelta(minutes=1)


def test_files_move_to_storage_and_back(world):
    """Migration 0003: bytes in the old column go to storage, and back when reversed."""
    import importlib

    from django.apps import apps as django_apps
    from django.core.files.storage import default_storage

    from apps.resources.models import ResourceFile

    migration = importlib.import_module(
        "apps.resources.migrations.0003_resourcefile_file_on_storage")
    row = ResourceFile.objects.filter(file__gt="").first()
    assert row.content is None and default_storage.exists(row.file.name)
    migration.to_database(django_apps, None)
    row.refresh_from_db()
    assert bytes(row.content) == TINY_PDF and row.file.name == ""
    migration.to_storage(django_apps, None)
    row.refresh_from_db()
    assert row.content is None and row.file.read() == TINY_PDF


def test_stored_files_are_deleted_with_their_rows(world, django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage

    from apps.resources.models import ResourceFile

    row = ResourceFile.objects.filter(file__gt="").select_related("resource").first()
    names = list(row.resource.files.values_list("file", flat=True))
    assert names and all(default_storage.exists(n) for n in names)
    with django_capture_on_commit_callbacks(execute=True):
        row.resource.delete()  # its versions go with it, and their files
    assert not any(default_storage.exists(n) for n in names)
