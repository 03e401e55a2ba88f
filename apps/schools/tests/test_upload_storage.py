"""Register uploads on Django's storage (ADR 0005): the upload goes to storage under a random
name, the import reads it from there in blocks, the stored file goes when the import ends, and
migration schools.0004 moves waiting uploads out of the database and back."""

import importlib
import io

import pytest
from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.schools import importer, services
from apps.schools.models import ImportJob, School
from bench.gias_bulk import SAMPLE, write_bulk

pytestmark = pytest.mark.django_db


def test_an_upload_waits_in_storage_and_goes_once_imported(client_for,
                                                           django_capture_on_commit_callbacks):
    client = client_for("core")
    upload = SimpleUploadedFile("edubase extract.csv", SAMPLE.read_bytes())
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(reverse("schools:import"), {"file": upload})
    job = ImportJob.objects.get()
    name = job.file.name
    assert name.startswith("imports/") and "edubase" not in name and name.endswith(".csv")
    assert job.filename == "edubase extract.csv" and job.size_bytes == len(SAMPLE.read_bytes())
    assert job.content == b"" and default_storage.exists(name)
    with default_storage.open(name, "rb") as stored:
        assert stored.read() == SAMPLE.read_bytes()

    for callback in queued:
        callback()  # the import task
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.summary["created"] == 1096
    assert job.file.name == "" and not default_storage.exists(name)


def test_a_refused_upload_is_deleted_too(world):
    job = ImportJob.objects.create(filename="tea.csv", created_by=world.people["core"],
                                   file=ContentFile(b"id,title\n1,Tea\n", name="tea.csv"))
    name = job.file.name
    job = services.run_import_job(job.pk)
    assert job.status == ImportJob.Status.FAILED and "not a register export" in job.error
    assert job.file.name == "" and not default_storage.exists(name)
    assert not School.objects.filter(name="Tea").exists()


def test_deleting_a_job_deletes_its_waiting_upload(django_capture_on_commit_callbacks):
    job = ImportJob.objects.create(filename="x.csv", file=ContentFile(b"URN\n", name="x.csv"))
    name = job.file.name
    with django_capture_on_commit_callbacks(execute=True):
        job.delete()
    assert not default_storage.exists(name)


@pytest.mark.parametrize("block", [1, 2, 3, 7, 64])
def test_reading_in_small_blocks_reads_the_same(monkeypatch, block):
    """Block edges fall inside "\\r\\n", inside a quoted field and inside a character of more
    than one byte: the file reads as it does in one piece."""
    body = ('\ufeffURN,EstablishmentName,EstablishmentStatus (name),LA (name)\r\n'
            '100001,"Oak, Ash Primary",Open,Leeds\r\n'
            '100002,"Ysgol Gymraeg Bro Ddyfi — Ŵ",Open,"Powys"\r\n').encode()
    whole = importer.parse_register(body)
    monkeypatch.setattr(importer, "CHUNK", block)
    for known in ({}, {1: "x"}):  # the csv reader and the fast reader
        small = importer.parse_register(io.BytesIO(body), known_hashes=known)
        assert (small.records, small.encoding, small.rows) == (
            whole.records, "utf-8-sig", 2)
    windows = write_bulk(40, first_urn=500000)
    expected = importer.parse_register(windows)
    assert importer.parse_register(io.BytesIO(windows)).records == expected.records
    assert expected.encoding == "windows-1252"


def test_a_utf8_file_broken_after_the_first_block_is_read_as_windows_1252(monkeypatch):
    monkeypatch.setattr(importer, "CHUNK", 16)
    data = ("URN,EstablishmentName,EstablishmentStatus (name),LA (name)\n" + "".join(
        f"{100000 + i},School {i},Open,Leeds\n" for i in range(3000))).encode()
    data += b"200000,Caf\xe9 School,Open,Leeds\n"  # one Windows-1252 byte, past 64 KB
    parsed = importer.parse_register(io.BytesIO(data))
    assert parsed.encoding == "windows-1252" and parsed.records[200000][0] == "Café School"


def test_waiting_uploads_move_to_storage_and_back():
    """Migration 0004: a waiting upload's bytes go back to the column and out again; a
    finished job (no file, no bytes) is left alone."""
    migration = importlib.import_module("apps.schools.migrations.0004_importjob_file_on_storage")
    waiting = ImportJob.objects.create(filename="next.csv", size_bytes=len(SAMPLE.read_bytes()),
                                       file=ContentFile(SAMPLE.read_bytes(), name="next.csv"))
    done = ImportJob.objects.create(filename="old.csv", status=ImportJob.Status.DONE)
    stored = waiting.file.name
    migration.to_database(django_apps, None)
    waiting.refresh_from_db()
    assert bytes(waiting.content) == SAMPLE.read_bytes() and waiting.file.name == ""
    assert not default_storage.exists(stored)
    migration.to_storage(django_apps, None)
    waiting.refresh_from_db()
    done.refresh_from_db()
    assert bytes(waiting.content) == b"" and waiting.file.name.startswith("imports/")
    assert waiting.file.read() == SAMPLE.read_bytes()
    assert done.file.name == "" and bytes(done.content) == b""


def test_the_admin_neither_links_to_nor_replaces_a_waiting_upload(client_for):
    job = ImportJob.objects.create(filename="x.csv", file=ContentFile(b"URN\n", name="x.csv"))
    page = client_for("core").get(reverse("admin:schools_importjob_change", args=[job.pk]))
    assert page.status_code == 200 and "x.csv" in page.content.decode()
    assert job.file.name not in page.content.decode() and 'name="file"' not in \
        page.content.decode()
