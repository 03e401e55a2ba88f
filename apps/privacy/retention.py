"""The retention schedule (docs/data-protection.md), applied daily by ``apply_retention``."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from apps.core import audit
from apps.core.models import AuditEvent
from apps.reviews.models import EvidenceNote, Review, Status
from apps.training.public import delete_expired


def review_closed_before(cutoff):
    """Closed reviews whose last move to "closed" was before ``cutoff``."""
    return (Review.objects.filter(status=Status.CLOSED)
            .annotate(closed_at=Max("history__at", filter=_to_closed()))
            .filter(closed_at__lt=cutoff))


def _to_closed():
    from django.db.models import Q

    return Q(history__to_status=Status.CLOSED)


@transaction.atomic
def delete_old_evidence_notes(now=None) -> int:
    """Evidence notes of reviews closed more than EVIDENCE_NOTE_RETENTION_YEARS ago."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=round(365.25 * settings.EVIDENCE_NOTE_RETENTION_YEARS))
    reviews = list(review_closed_before(cutoff).values_list("pk", flat=True))
    deleted, _ = EvidenceNote.objects.filter(review_id__in=reviews).delete()
    if deleted:
        audit.record("retention.evidence_notes_deleted", notes=deleted, reviews=len(reviews),
                     years=settings.EVIDENCE_NOTE_RETENTION_YEARS)
    return deleted


AUDIT_BATCH = 10_000  # entries deleted per statement, so no delete holds locks for long


def _years_before(now: datetime, years: int) -> datetime:
    return now - timedelta(days=round(365.25 * years))


def _delete_in_batches(entries: QuerySet[AuditEvent]) -> int:
    deleted = 0
    while ids := list(entries.order_by().values_list("pk", flat=True)[:AUDIT_BATCH]):
        with transaction.atomic():
            deleted += AuditEvent.objects.filter(pk__in=ids).delete()[0]
    return deleted


def delete_old_audit_entries(now: datetime | None = None) -> int:
    """Audit entries whose last time is more than AUDIT_RETENTION_YEARS ago; looks at review
    content (``disclosure.*``, the hosts' disclosure logs) after AUDIT_VIEW_RETENTION_YEARS.
    An entry counting looks covers one day, so its first time (``created_at``, indexed)
    decides. Deleted in batches, each its own transaction."""
    now = now or timezone.now()
    views = AuditEvent.objects.filter(action__startswith="disclosure.")
    deleted = _delete_in_batches(views.filter(
        created_at__lt=_years_before(now, settings.AUDIT_VIEW_RETENTION_YEARS)))
    deleted += _delete_in_batches(AuditEvent.objects.exclude(action__startswith="disclosure.")
                                  .filter(created_at__lt=_years_before(
                                      now, settings.AUDIT_RETENTION_YEARS)))
    if deleted:
        audit.record("retention.audit_entries_deleted", entries=deleted,
                     years=settings.AUDIT_RETENTION_YEARS,
                     view_years=settings.AUDIT_VIEW_RETENTION_YEARS)
    return deleted


def apply_schedule(now=None) -> dict:
    return {"evidence notes": delete_old_evidence_notes(now),
            "outside registrants": delete_expired(now),
            "audit entries": delete_old_audit_entries(now)}
