"""Review files on Django's storage (ADR 0005): uploads go to storage under a random name,
downloads stream with the private headers, stored files go with their rows, and migration
reviews.0006 moves bytes out of the database and back."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse
from django.urls import reverse

from apps.reviews import services
from apps.reviews.models import EvidenceNote, Report, ReviewFile, Status
from conftest import TINY_PDF, sign_in

pytestmark = pytest.mark.django_db

SECOND_PDF = TINY_PDF.replace(b"%%EOF", b"% the school's own plan\n%%EOF")


def test_an_uploaded_document_is_stored_and_downloads_streamed(world, client):
    review = world.review
    review.status = Status.SELF_REVIEW
    review.save()
    sign_in(client, world.people["head"])
    client.post(reverse("reviews:self_review", args=[review.pk]), {
        "upload": "1", "file": SimpleUploadedFile("Our plan.pdf", SECOND_PDF)})
    document = ReviewFile.objects.get(review=review, filename="Our plan.pdf")
    assert document.content is None and document.size_bytes == len(SECOND_PDF)
    assert document.file.name.startswith("reviews/") and "plan" not in document.file.name
    assert default_storage.exists(document.file.name)

    response = client.get(reverse("reviews:file", args=[review.pk, document.pk]))
    assert isinstance(response, FileResponse) and response.streaming
    assert b"".join(response.streaming_content) == SECOND_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="Our plan.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_the_access_check_still_applies(world, client):
    document = ReviewFile.objects.get(review=world.review, purpose="self_review")
    sign_in(client, world.people["outsider"])
    url = reverse("reviews:file", args=[world.review.pk, document.pk])
    assert client.get(url).status_code == 404  # Beta's head may not know the review exists


def test_stored_files_are_deleted_with_their_rows(world, django_capture_on_commit_callbacks):
    review = world.review
    review.status = Status.IN_REVIEW
    review.save()
    note = EvidenceNote.objects.get(pk=world.evidence.pk)
    attachment = services.add_evidence_attachment(
        note, ("photo.pdf", "application/pdf", TINY_PDF), by=world.people["leader"])
    name = attachment.file.name
    assert default_storage.exists(name)
    # Deleting the note (as the retention schedule does) takes its attachments' files too.
    with django_capture_on_commit_callbacks(execute=True):
        EvidenceNote.objects.filter(pk=note.pk).delete()
    assert not ReviewFile.objects.filter(pk=attachment.pk).exists()
    assert not default_storage.exists(name)


def test_review_files_move_to_storage_and_back(world):
    """Migration 0006: bytes in the old column go to storage, and back when reversed."""
    migration = importlib.import_module("apps.reviews.migrations.0006_reviewfile_file_on_storage")
    row = ReviewFile.objects.get(review=world.review, purpose="self_review")
    stored = row.file.name
    migration.to_database(django_apps, None)
    row.refresh_from_db()
    assert bytes(row.content) == TINY_PDF and row.file.name == ""
    assert not default_storage.exists(stored)
    migration.to_storage(django_apps, None)
    row.refresh_from_db()
    assert row.content is None and row.file.name.startswith("reviews/")
    assert row.file.read() == TINY_PDF


def _agreed_report_pdf(client, world):
    report = world.report
    return client.get(reverse("reviews:report_pdf", args=[world.review.pk, report.number]))


def test_a_report_pdf_downloads_streamed(world, client):
    sign_in(client, world.people["head"])
    response = _agreed_report_pdf(client, world)
    assert isinstance(response, FileResponse) and response.streaming
    assert b"".join(response.streaming_content) == TINY_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert (f'filename="peer-review-report-{world.review.host.urn}-v{world.report.number}.pdf"'
            in response["Content-Disposition"])
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    sign_in(client, world.people["outsider"])
    assert _agreed_report_pdf(client, world).status_code == 404


def test_a_report_pdf_made_again_replaces_the_old_file(world,
                                                       django_capture_on_commit_callbacks):
    from apps.reviews.tasks import render_report_pdf

    old = world.report.pdf.name
    Report.objects.filter(pk=world.report.pk).update(pdf_status="failed")  # to be made again
    with django_capture_on_commit_callbacks(execute=True):
        render_report_pdf.enqueue(world.report.pk)
    world.report.refresh_from_db()
    assert world.report.pdf_status == "done" and world.report.pdf.name.startswith("reports/")
    assert world.report.pdf.name != old and world.report.pdf.read().startswith(b"%PDF")
    assert not default_storage.exists(old)


def test_a_failed_pdf_keeps_the_old_file_and_leaves_no_new_one(world, monkeypatch):
    from apps.core import jobs
    from apps.reviews.tasks import render_report_pdf

    old = world.report.pdf.name
    Report.objects.filter(pk=world.report.pk).update(pdf_status="failed")
    before = set(default_storage.listdir("reports")[1])

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(jobs, "finish", broken)
    with pytest.raises(RuntimeError):
        render_report_pdf.call(world.report.pk)
    world.report.refresh_from_db()
    assert world.report.pdf.name == old and default_storage.exists(old)
    assert set(default_storage.listdir("reports")[1]) == before


def test_a_report_pdf_is_deleted_with_its_row(world, django_capture_on_commit_callbacks):
    name = world.report.pdf.name
    with django_capture_on_commit_callbacks(execute=True):
        Report.objects.filter(pk=world.report.pk).delete()
    assert not default_storage.exists(name)


def test_report_pdfs_move_to_storage_and_back(world):
    """Migration 0007: bytes in the old column go to storage, and back when reversed."""
    migration = importlib.import_module("apps.reviews.migrations.0007_report_pdf_on_storage")
    stored = world.report.pdf.name
    migration.to_database(django_apps, None)
    row = Report.objects.get(pk=world.report.pk)
    assert bytes(row.pdf_bytes) == TINY_PDF and row.pdf.name == ""
    assert not default_storage.exists(stored)
    migration.to_storage(django_apps, None)
    row.refresh_from_db()
    assert row.pdf_bytes is None and row.pdf.name.startswith("reports/")
    assert row.pdf.read() == TINY_PDF
