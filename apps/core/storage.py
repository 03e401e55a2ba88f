"""Files on Django's storage API (docs/adr/0005-files-on-django-storage.md): random names in
the storage (the name people see is kept on the row), and stored files deleted with their rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from django.core.files.base import ContentFile
from django.db import models, transaction


def random_name(folder: str, filename: str) -> str:
    """``<folder>/<random>.<extension>``: nothing of the person's file name reaches storage."""
    extension = filename.rsplit(".", 1)[-1].lower()[:10] if "." in filename else "bin"
    return f"{folder}/{uuid.uuid4().hex}.{extension}"


def delete_stored_file(field: str) -> Callable[..., None]:
    """A ``post_delete`` receiver that deletes the row's stored file once the deletion has
    committed (a rolled-back deletion keeps the file), so that erasure and retention remove
    the bytes as well as the row."""

    def receiver(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
        stored = getattr(instance, field)
        if stored and stored.name:
            storage, name = stored.storage, stored.name
            transaction.on_commit(lambda: storage.delete(name))

    return receiver


@contextmanager
def replacing_stored_file(model: type[models.Model], pk: Any, field: str, filename: str,
                          content: bytes) -> Iterator[str]:
    """Save generated ``content`` (a PDF made again, say) to the storage of ``model.field``
    and yield its name for the caller to write on row ``pk`` inside the block. Once that
    commits, the file the row named before is deleted, and so is the new one if the row has
    gone meanwhile. If the block fails, the new file is deleted and the row keeps its old
    one."""
    file_field = model._meta.get_field(field)
    assert isinstance(file_field, models.FileField)
    storage = file_field.storage
    name = storage.save(file_field.generate_filename(model(), filename), ContentFile(content))
    try:
        with transaction.atomic():
            before = list(model._default_manager.select_for_update().filter(pk=pk)
                          .values_list(field, flat=True))
            yield name
            stale = [old for old in before if old and old != name] if before else [name]
            for old in stale:
                transaction.on_commit(partial(storage.delete, old))
    except BaseException:
        storage.delete(name)
        raise


def bytes_to_storage(model: type[models.Model], column: str, field: str,
                     filename: Callable[[Any], str]) -> int:
    """For data migrations (ADR 0005): each row's bytes in ``column`` are saved to the
    storage of the file field ``field`` (under a name from its ``upload_to``) and ``column``
    is emptied. One row's bytes in memory at a time. Returns how many moved."""
    file_field = model._meta.get_field(field)
    assert isinstance(file_field, models.FileField)
    moved = 0
    manager = model._default_manager
    for pk in manager.filter(**{field: ""}).exclude(**{f"{column}__isnull": True}).order_by(
            "pk").values_list("pk", flat=True):
        row = manager.get(pk=pk)
        content = getattr(row, column)
        if not content:
            continue
        name = file_field.generate_filename(row, filename(row))
        stored = file_field.storage.save(name, ContentFile(bytes(content)))
        empty = None if model._meta.get_field(column).null else b""
        manager.filter(pk=pk).update(**{field: stored, column: empty})
        moved += 1
    return moved


def storage_to_bytes(model: type[models.Model], column: str, field: str) -> int:
    """The reverse of ``bytes_to_storage``: each stored file is read back into ``column``,
    ``field`` emptied and the stored file deleted. Returns how many moved."""
    file_field = model._meta.get_field(field)
    assert isinstance(file_field, models.FileField)
    storage = file_field.storage
    manager = model._default_manager
    moved = 0
    for pk, name in manager.exclude(**{field: ""}).exclude(**{f"{field}__isnull": True}) \
            .order_by("pk").values_list("pk", field):
        with storage.open(name, "rb") as stored:
            manager.filter(pk=pk).update(**{column: stored.read(), field: ""})
        storage.delete(name)
        moved += 1
    return moved
