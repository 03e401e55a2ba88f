"""The file-storage contract (ADR 0005) on each backend we run on: the file system
(MEDIA_ROOT), S3-compatible object storage (django-storages, as production configures it from
S3_BUCKET, against moto's implementation of the S3 API) and memory (the tests). Every file
model's life: stored under a random name in its folder, streamed back in blocks, replaced,
deleted with its row, and moved out of the database and back by the migrations' helpers."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.urls import reverse

from apps.core.storage import bytes_to_storage, replacing_stored_file, storage_to_bytes
from apps.improvement.models import ActionFile, PlanExport
from apps.resources.models import ResourceFile
from apps.reviews.models import Report, ReviewFile
from apps.schools.models import ImportJob
from conftest import TINY_PDF, sign_in

pytestmark = pytest.mark.django_db

BIG = bytes(range(256)) * 4096 * 3  # 3 MB: more than one block of a FileResponse


def _object_storage(request, monkeypatch):
    """django-storages on a bucket of moto's in-process S3 (no network), configured by the
    same function and environment variables as production."""
    import environ

    from config.settings.storage import object_storage

    moto = pytest.importorskip("moto")
    boto3 = pytest.importorskip("boto3")
    for name, value in {"S3_BUCKET": "peerreview-files", "S3_REGION": "eu-west-2",
                        "S3_ACCESS_KEY_ID": "testing", "S3_SECRET_ACCESS_KEY": "testing",
                        "S3_PREFIX": "media", "S3_MAX_MEMORY_BYTES": "1048576"}.items():
        monkeypatch.setenv(name, value)
    mock = moto.mock_aws()
    mock.start()
    request.addfinalizer(mock.stop)
    boto3.client("s3", region_name="eu-west-2", aws_access_key_id="testing",
                 aws_secret_access_key="testing").create_bucket(
        Bucket="peerreview-files", CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    return object_storage(environ.Env())


@pytest.fixture(params=["file system", "object storage", "memory"])
def storage(request, settings, tmp_path, monkeypatch):
    backend = {"file system": lambda: {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                       "OPTIONS": {"location": str(tmp_path)}},
               "object storage": lambda: _object_storage(request, monkeypatch),
               "memory": lambda: {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    settings.STORAGES = {**settings.STORAGES, "default": backend[request.param]()}
    return request.param


FILES = [(ReviewFile, "file", "content", "reviews"), (ActionFile, "file", "content", "actions"),
         (Report, "pdf", "pdf_bytes", "reports"), (PlanExport, "pdf", "pdf_bytes", "plans"),
         (ImportJob, "file", "content", "imports"), (ResourceFile, "file", "content", "resources")]


def _row(world, model):
    return {ReviewFile: lambda: ReviewFile.objects.filter(review=world.review).first(),
            ActionFile: lambda: world.action_file, Report: lambda: world.report,
            PlanExport: lambda: world.export,
            ImportJob: lambda: ImportJob.objects.create(filename="register.csv"),
            ResourceFile: lambda: ResourceFile.objects.first()}[model]()


@pytest.mark.parametrize(("model", "field", "column", "folder"), FILES,
                         ids=[m.__name__ for m, *_ in FILES])
def test_each_file_model_keeps_the_contract(storage, world, model, field, column, folder,
                                            django_capture_on_commit_callbacks, tmp_path):
    row = _row(world, model)
    setattr(row, field, ContentFile(BIG, name="Private name.pdf"))
    row.save()
    name = getattr(row, field).name
    assert name.startswith(f"{folder}/") and "Private" not in name and name.endswith(".pdf")
    assert default_storage.exists(name) and default_storage.size(name) == len(BIG)
    assert (tmp_path / name).is_file() == (storage == "file system")
    if storage == "object storage":  # a private object under the prefix
        assert default_storage.bucket.Object(f"media/{name}").content_length == len(BIG)
        grants = default_storage.bucket.Object(f"media/{name}").Acl().grants
        assert not [g for g in grants if "AllUsers" in str(g.get("Grantee", {}).get("URI"))]

    # Out of the database and back (the data migrations), one row at a time.
    assert storage_to_bytes(model, column, field) >= 1
    assert bytes(getattr(model.objects.get(pk=row.pk), column)) == BIG
    assert not default_storage.exists(name)
    assert bytes_to_storage(model, column, field, lambda r: "again.pdf") >= 1
    row = model.objects.get(pk=row.pk)
    assert not getattr(row, column) and getattr(row, field).read() == BIG

    # Made again: the new file replaces the old one once the row names it.
    old = getattr(row, field).name
    with django_capture_on_commit_callbacks(execute=True), \
            replacing_stored_file(model, row.pk, field, "made.pdf", TINY_PDF) as new:
        model.objects.filter(pk=row.pk).update(**{field: new})
    assert not default_storage.exists(old) and default_storage.exists(new)

    # Deleted with its row.
    with django_capture_on_commit_callbacks(execute=True):
        model.objects.filter(pk=row.pk).delete()
    assert not default_storage.exists(new)


def test_a_download_streams_in_blocks_and_closes_the_file(storage, world, client):
    ActionFile.objects.filter(pk=world.action_file.pk).update(
        file=default_storage.save("actions/big.pdf", ContentFile(BIG)))
    sign_in(client, world.people["staff"])
    response = client.get(reverse("improvement:action_file", args=[world.action_file.pk]))
    assert isinstance(response, FileResponse)
    blocks = list(response.streaming_content)
    assert len(blocks) > 1 and max(map(len, blocks)) <= FileResponse.block_size
    assert b"".join(blocks) == BIG
    response.close()
    assert response.file_to_stream is None or response.file_to_stream.closed
