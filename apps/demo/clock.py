"""The demo's clock: run the product's own services as if on an earlier day.

The demo's programme has a past (last year's reviews, training a year and more ago). Its
history should read as it happened: a review closed in October says October in its status
history, audit log and notifications, and the guards that compare with today (the review day
has come, the workshop is not in the future) see the day the step was taken.

``at(moment)`` moves Django's ``timezone.now`` (and so ``timezone.localdate``) and every
model field whose default is ``timezone.now`` to ``moment``, runs the block, then runs the
callbacks the block left for the end of the transaction (notifications, queued PDFs) while
the clock still reads ``moment``. Only the demo loader uses it, inside its own transaction.

The demo never acts in the future: a step its story dates on a day still to come (a review
whose self-review is due next month, but has begun) has in fact been taken already, so it is
stamped earlier today, each such step a minute after the one before, never with the
instant the loader happened to run. Blocks may nest: the inner one's clock wins inside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from unittest import mock

from django.apps import apps
from django.db import connection
from django.utils import timezone

_REAL_NOW = timezone.now


_fields: list = []
# The last moment given to a step dated in the future (see ``_earlier_today``).
_recent: list[datetime] = []
EARLIER_BY = timedelta(hours=2)


def _now_fields() -> list:
    """Fields whose default is ``timezone.now`` (found once, before any block changes them)."""
    if not _fields:
        _fields.extend(f for model in apps.get_models() for f in model._meta.concrete_fields
                       if getattr(f, "default", None) is _REAL_NOW)
    return _fields


def _earlier_today(real: datetime) -> datetime:
    """For a step dated after now: a moment earlier today, after the last one given."""
    midnight = timezone.make_aware(datetime.combine(timezone.localdate(real), time.min))
    when = max(real - EARLIER_BY, midnight)
    if _recent and _recent[-1] >= when:
        when = _recent[-1] + timedelta(minutes=1)
    when = min(when, real - timedelta(seconds=1))
    _recent[:] = [when]
    return when


def moment(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _run_pending_callbacks() -> None:
    """Run what ``transaction.on_commit`` queued so far (as ``TestCase`` does when it
    captures them), so it happens on the demo's day rather than when the load commits."""
    while connection.run_on_commit:
        pending, connection.run_on_commit = connection.run_on_commit, []
        for entry in pending:  # (savepoint ids, callback, robust)
            entry[1]()


@contextmanager
def at(when: datetime | date) -> Iterator[datetime]:
    """Run the block as if it were ``when`` (a date means 10:00 that day)."""
    if not isinstance(when, datetime):
        when = moment(when)
    real = _REAL_NOW()
    if when >= real:
        when = _earlier_today(real)
    fields = _now_fields()
    outer = timezone.now  # the real clock, or an enclosing block's

    def fake() -> datetime:
        return when

    with mock.patch.object(timezone, "now", fake):
        _set_default(fields, fake)
        try:
            yield when
            _run_pending_callbacks()
        finally:
            _set_default(fields, outer)


def _set_default(fields: list, func) -> None:
    for f in fields:
        f.default = func
        f.__dict__.pop("_get_default", None)  # Django caches the default's callable
