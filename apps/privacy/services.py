"""What is held about a person, and erasing it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from apps.accounts.models import ApiToken, Invitation, User
from apps.allocation.models import ReviewerProfile
from apps.core import audit
from apps.core.models import AuditEvent
from apps.notifications.models import (
    CalendarToken,
    Notification,
    NotificationPreference,
    ReminderSent,
)
from apps.resources.models import LibraryVisit
from apps.reviews.models import EvidenceNote, TeamMember
from apps.training.models import Booking, PollAnswer

FORMER = "A former reviewer"


def _when(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def personal_data(user: User) -> dict[str, Any]:
    """Everything held about ``user`` that is about them: not other people's review content
    (a review's notes, findings and reports belong to the host school's record)."""
    prefs = NotificationPreference.objects.filter(user=user).first()
    bookings = (Booking.objects.filter(user=user)
                .select_related("session__course").order_by("created_at"))
    answers = (PollAnswer.objects.filter(booking__user=user)
               .select_related("poll__session__course").order_by("answered_at"))
    return {
        "profile": {"email": user.email, "full_name": user.full_name,
                    "job_title": user.job_title, "joined": _when(user.date_joined),
                    "last_sign_in": _when(user.last_login),
                    "reviewer_trained_until": str(user.reviewer_trained_until or "") or None,
                    "champion_trained_until": str(user.champion_trained_until or "") or None},
        "roles": [{"role": r.get_role_display(),
                   "partnership": r.partnership.name if r.partnership else None,
                   "school": r.school.name if r.school else None,
                   "from": _when(r.granted_at), "until": _when(r.ended_at)}
                  for r in user.roles.select_related("partnership", "school")
                  .order_by("granted_at")],
        "review_teams": [{"review_of": t.review.host.name, "role": t.get_role_display(),
                          "status": t.get_status_display()}
                         for t in TeamMember.objects.filter(user=user)
                         .select_related("review__host")],
        "training_bookings": [{"course": b.session.course.title,
                               "session": str(b.session), "status": b.get_status_display(),
                               "attendance": b.get_attendance_display() or None,
                               "completed": _when(b.completed_at),
                               "certificate_number": b.certificate_number or None,
                               "booked": _when(b.created_at)} for b in bookings],
        "poll_answers": [{"question": a.poll.question,
                          "answer": [a.poll.options[i] for i in a.choices
                                     if isinstance(i, int) and 0 <= i < len(a.poll.options)],
                          "answered": _when(a.answered_at)} for a in answers],
        "notifications": [{"subject": n.subject, "body": n.body, "sent": _when(n.created_at),
                           "read": _when(n.read_at)}
                          for n in Notification.objects.filter(user=user)],
        # A choice of display can hint at a need (wider spacing for dyslexia): it is theirs.
        "display_settings": {"text_size": f"{user.display_text_size}%",
                             "colours": user.display_colours,
                             "spacing": user.display_spacing},
        "notification_settings": ({k: v for k, v in vars(prefs).items()
                                   if not k.startswith("_") and k not in ("id", "user_id")}
                                  if prefs else None),
        "api_tokens": [{"name": t.name, "starts": t.key_prefix, "made": _when(t.created_at),
                        "last_used": _when(t.last_used_at), "expires": _when(t.expires_at),
                        "access": t.get_access_display(), "areas": t.areas,
                        "revoked": _when(t.revoked_at)}
                       for t in ApiToken.objects.filter(user=user)],
        "your_actions_in_the_audit_log": [
            {"when": _when(e.created_at), "action": e.action, "about": e.object_label,
             "from_address": e.ip_address, "browser": e.user_agent,
             **({"times": e.count, "last": _when(e.last_at)} if e.count > 1 else {})}
            for e in AuditEvent.objects.filter(actor=user).order_by("created_at")],
    }


def erasure_effects(user: User) -> list[str]:
    """What erasing ``user`` will do, in plain English, for the confirmation page."""
    notes = EvidenceNote.objects.filter(author=user).count()
    return [
        ngettext("Their name, email address and job title are removed: they are shown as "
                 "“%(former)s” everywhere, including on %(count)s evidence note they wrote.",
                 "Their name, email address and job title are removed: they are shown as "
                 "“%(former)s” everywhere, including on %(count)s evidence notes they wrote.",
                 notes) % {"former": FORMER, "count": notes},
        gettext("They can no longer sign in: password, authenticator apps, linked Google or "
                "Microsoft sign-ins, API tokens and calendar feeds are deleted, and every role "
                "ends."),
        gettext("Their notifications, notification settings, reviewer profile and library "
                "visits are deleted, and their display settings go back to the standard ones."),
        gettext("Review records stay as they are (evidence, findings, reports, action plans), "
                "as do training attendance counts and poll results, without their name."),
        gettext("Audit log entries of their actions stay, with their email address replaced."),
        gettext("This cannot be undone."),
    ]


@transaction.atomic
def erase_person(user: User, *, by: User) -> User:
    """Anonymise ``user`` in place (review records keep pointing at the same row)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    if user.pk == by.pk:
        raise ValueError("People cannot erase themselves here")
    user = User.objects.select_for_update().get(pk=user.pk)
    old_email, pseudonym = user.email, f"erased-person-{user.pk}@erased.invalid"
    if old_email == pseudonym:
        return user  # already erased
    now = timezone.now()
    for model in (ApiToken, CalendarToken, Notification, NotificationPreference, ReminderSent,
                  LibraryVisit, ReviewerProfile, EmailAddress, SocialAccount, Authenticator):
        model.objects.filter(user=user).delete()
    user.roles.current().update(ended_at=now)
    Invitation.objects.filter(email__iexact=old_email).update(email=pseudonym)
    AuditEvent.objects.filter(actor_label__iexact=old_email).update(actor_label=pseudonym)
    for event in AuditEvent.objects.filter(details__icontains=old_email):
        event.details = _replaced(event.details, old_email, pseudonym)
        event.save(update_fields=["details"])
    AuditEvent.objects.filter(object_type="accounts.user", object_id=str(user.pk)).update(
        object_label=FORMER)
    user.email, user.full_name, user.job_title = pseudonym, FORMER, ""
    user.display_text_size, user.display_colours, user.display_spacing = (
        100, "standard", "standard")
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
    audit.record("person.erased", actor=by, obj=user, person=user.pk)
    return user


def _replaced(value: Any, old: str, new: str) -> Any:
    if isinstance(value, dict):
        return {k: _replaced(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_replaced(v, old, new) for v in value]
    if isinstance(value, str) and old.lower() in value.lower():
        return new
    return value
