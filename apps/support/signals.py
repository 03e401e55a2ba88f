"""Keep partner matching's stored texts current (apps/support/matching.py): when anything a
school may publish for matching changes, its texts are rebuilt in the background once the
change is committed. Changes written with a queryset update send no ``post_save`` (an action
marked done, an impact recorded, a report agreed): the daily ``refresh_partner_matching``
catches those. Suggestions check consent again when read, so a refresh that is late never
shows what was withdrawn."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from apps.community.models import Profile
from apps.community.signals import profile_saved
from apps.improvement.models import Action, ActionImpact
from apps.reviews.models import Report

from .models import MatchText, SupportOffer


def _refresh_later(school_id: int | None) -> None:
    if school_id is None:
        return
    from .tasks import refresh_match_texts

    transaction.on_commit(lambda: refresh_match_texts.enqueue(school_id))


@receiver([post_save, post_delete], sender=Profile)
def profile_changed(sender: Any, instance: Profile, **kwargs: Any) -> None:
    _refresh_later(instance.school_id)


@receiver(profile_saved)
def profile_saved_by_service(sender: Any, profile: Profile, **kwargs: Any) -> None:
    _refresh_later(profile.school_id)


@receiver([post_save, post_delete], sender=SupportOffer)
def offer_changed(sender: Any, instance: SupportOffer, **kwargs: Any) -> None:
    _refresh_later(instance.school_id)


@receiver(post_save, sender=Report)
def report_changed(sender: Any, instance: Report, **kwargs: Any) -> None:
    if instance.status in (Report.State.AGREED, Report.State.SUPERSEDED):
        _refresh_later(instance.review.host_id)


@receiver(post_save, sender=Action)
def action_changed(sender: Any, instance: Action, **kwargs: Any) -> None:
    if instance.status == Action.State.DONE or MatchText.objects.filter(
            action=instance).exists():
        _refresh_later(instance.review.host_id)


@receiver([post_save, post_delete], sender=ActionImpact)
def impact_changed(sender: Any, instance: ActionImpact, **kwargs: Any) -> None:
    # Read by id: on delete the action itself may be going too.
    _refresh_later(Action.objects.filter(pk=instance.action_id)
                   .values_list("review__host_id", flat=True).first())
