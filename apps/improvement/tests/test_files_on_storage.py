"""Action files and plan PDFs on Django's storage (ADR 0005): uploads and generated PDFs go to
storage under random names, downloads stream with the private headers and the access checks,
stored files go with their rows (and a PDF made again replaces the old file), and migration
improvement.0003 moves bytes out of the database and back."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse
from django.urls import reverse

from apps.improvement.models import ActionFile, PlanExport
from apps.improvement.tasks import render_plan_pdf
from conftest import TINY_PDF, sign_in

pytestmark = pytest.mark.django_db

SECOND_PDF = TINY_PDF.replace(b"%%EOF", b"% the rota for reading buddies\n%%EOF")


def _private_stream(response, content_type, filename):
    assert isinstance(response, FileResponse) and response.streaming
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert f'filename="{filename}"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    return b"".join(response.streaming_content)


def test_evidence_of_progress_is_stored_and_downloads_streamed(world, client):
    sign_in(client, world.people["staff"])
    client.post(reverse("improvement:action", args=[world.action.pk]), {
        "text": "Rota agreed", "status": "in_progress",
        "file": SimpleUploadedFile("Buddy rota.pdf", SECOND_PDF)})
    evidence = ActionFile.objects.get(filename="Buddy rota.pdf")
    assert evidence.content is None and evidence.size_bytes == len(SECOND_PDF)
    assert evidence.file.name.startswith("actions/") and "rota" not in evidence.file.name
    assert default_storage.exists(evidence.file.name)
    response = client.get(reverse("improvement:action_file", args=[evidence.pk]))
    assert _private_stream(response, "application/pdf", "Buddy rota.pdf") == SECOND_PDF


def test_the_access_checks_still_apply(world, client):
    sign_in(client, world.people["outsider"])
    assert client.get(reverse("improvement:action_file", args=[world.action_file.pk])) \
        .status_code == 404
    assert client.get(reverse("improvement:plan_export",
                              args=[world.review.pk, world.export.pk])).status_code == 404


def test_a_plan_pdf_is_stored_and_downloads_streamed(world, client,
                                                     django_capture_on_commit_callbacks):
    sign_in(client, world.people["head"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("improvement:plan_pdf", args=[world.review.pk]))
    export = PlanExport.objects.exclude(pk=world.export.pk).get()
    assert export.status == "done" and export.pdf_bytes is None
    assert export.pdf.name.startswith("plans/") and default_storage.exists(export.pdf.name)
    response = client.get(reverse("improvement:plan_export", args=[world.review.pk, export.pk]))
    body = _private_stream(response, "application/pdf",
                           f"action-plan-{world.review.host.urn}.pdf")
    assert body.startswith(b"%PDF") and body == export.pdf.read()


def test_a_plan_pdf_made_again_replaces_the_old_file(world, django_capture_on_commit_callbacks):
    old = world.export.pdf.name
    with django_capture_on_commit_callbacks(execute=True):
        render_plan_pdf.enqueue(world.export.pk)
    world.export.refresh_from_db()
    assert world.export.pdf.name != old and world.export.pdf.read().startswith(b"%PDF")
    assert not default_storage.exists(old)


def test_stored_files_are_deleted_with_their_rows(world, django_capture_on_commit_callbacks):
    evidence, pdf = world.action_file.file.name, world.export.pdf.name
    assert default_storage.exists(evidence) and default_storage.exists(pdf)
    with django_capture_on_commit_callbacks(execute=True):
        world.action.delete()  # its updates and their files go with it
        world.export.delete()
    assert not ActionFile.objects.filter(pk=world.action_file.pk).exists()
    assert not default_storage.exists(evidence) and not default_storage.exists(pdf)


def test_action_files_and_plan_pdfs_move_to_storage_and_back(world):
    """Migration 0003: bytes in the old columns go to storage, and back when reversed."""
    migration = importlib.import_module("apps.improvement.migrations.0003_files_on_storage")
    stored = [world.action_file.file.name, world.export.pdf.name]
    migration.to_database(django_apps, None)
    evidence = ActionFile.objects.get(pk=world.action_file.pk)
    export = PlanExport.objects.get(pk=world.export.pk)
    assert bytes(evidence.content) == TINY_PDF and evidence.file.name == ""
    assert bytes(export.pdf_bytes) == TINY_PDF and export.pdf.name == ""
    assert not any(default_storage.exists(name) for name in stored)
    migration.to_storage(django_apps, None)
    evidence.refresh_from_db()
    export.refresh_from_db()
    assert evidence.content is None and evidence.file.name.startswith("actions/")
    assert export.pdf_bytes is None and export.pdf.name.startswith("plans/")
    assert evidence.file.read() == TINY_PDF and export.pdf.read() == TINY_PDF
