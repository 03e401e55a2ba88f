"""The retention schedule (docs/data-protection.md), applied daily by ``apply_retention``."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from apps.core import audit
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


def apply_schedule(now=None) -> dict:
    return {"evidence notes": delete_old_evidence_notes(now),
            "outside registrants": delete_expired(now)}
