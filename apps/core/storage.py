"""Files on Django's storage API (docs/adr/0005-files-on-django-storage.md): random names in
the storage (the name people see is kept on the row), and stored files deleted with their rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

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
