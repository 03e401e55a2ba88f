"""States of background jobs, shared by every model that tracks one: register imports,
outcome imports and analyses, optimiser runs, report and action plan PDFs.

A job is queued when asked for, running while a worker has it, then done or failed. The
stored values are the same everywhere ("queued", "running", "done", "failed"); a model may
word a label for its own page (an import is "Importing" while it runs) with ``labelled``.

The helpers write the state with a queryset ``update`` of that one row, so a worker's
progress is visible at once and never overwrites fields the job's page or another process
changed meanwhile.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")

    @classmethod
    def labelled(cls, **labels: Any) -> list[tuple[str, Any]]:
        """The choices, with the labels named by value reworded, e.g. ``running="Importing"``."""
        unknown = set(labels) - set(cls.values)
        if unknown:
            raise ValueError(f"No job state {', '.join(sorted(unknown))}")
        return [(value, labels.get(value, label)) for value, label in cls.choices]


FINISHED = frozenset({JobState.DONE, JobState.FAILED})


def is_finished(state: str) -> bool:
    """Whether a job in ``state`` will change no more."""
    return state in FINISHED


def _mark(model: type[models.Model], pk: Any, field: str, state: JobState | None,
          fields: dict[str, Any]) -> None:
    if state is not None:
        fields = {field: state, **fields}
    model._default_manager.filter(pk=pk).update(**fields)


def start(model: type[models.Model], pk: Any, *, field: str = "status", **fields: Any) -> None:
    """Mark the job running, setting ``fields`` with it (a stage, the time it started)."""
    _mark(model, pk, field, JobState.RUNNING, fields)


def progress(model: type[models.Model], pk: Any, **fields: Any) -> None:
    """Record how far the job has got (its state stays as it is)."""
    _mark(model, pk, "", None, fields)


def finish(model: type[models.Model], pk: Any, *, field: str = "status", **fields: Any) -> None:
    """Mark the job done, setting ``fields`` with it (its result, the time it finished)."""
    _mark(model, pk, field, JobState.DONE, fields)


def fail(model: type[models.Model], pk: Any, *, field: str = "status", **fields: Any) -> None:
    """Mark the job failed, setting ``fields`` with it (what went wrong)."""
    _mark(model, pk, field, JobState.FAILED, fields)
