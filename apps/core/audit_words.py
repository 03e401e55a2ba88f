"""The audit log in plain words: each action's code (``invitation.sent``), the kind of object
(``reviews.review``) and the details' names and values as people read them.

Codes stay in the database (they are what the log is searched and filtered by); only the
page shows words. A code without an entry here still reads as words (``plan.shared`` →
"Plan shared"), so a new action never shows a raw code.
"""

from __future__ import annotations

import re
from typing import Any

ACTIONS = {
    "account.created": "Account created",
    "auth.mfa_added": "Two-factor authentication added",
    "auth.mfa_removed": "Two-factor authentication removed",
    "auth.mfa_reset": "Two-factor authentication reset",
    "auth.password_changed": "Password changed",
    "auth.password_reset": "Password reset",
    "auth.sign_in_failed": "Sign-in failed",
    "auth.signed_in": "Signed in",
    "auth.signed_out": "Signed out",
    "api_token.created": "API key created",
    "api_token.revoked": "API key revoked",
    "api_token.revoked_all": "All API keys revoked",
    "calendar_feed.created": "Calendar address created",
    "calendar_feed.revoked": "Calendar address revoked",
    "checkback.completed": "Check-back completed",
    "checkback.impact_recorded": "Impact recorded at a check-back",
    "cycle.created": "Review cycle created",
    "cycle.partner_agreed": "Cross-partnership reviews agreed",
    "cycle.partner_asked": "Cross-partnership reviews asked for",
    "cycle.settings_changed": "Review cycle settings changed",
    "booking.given_place": "Training place given",
    "booking.offer_accepted": "Training place offer accepted",
    "booking.offer_expired": "Training place offer expired",
    "booking.offered": "Training place offered",
    "booking.promoted": "Moved up from the waiting list",
    "booking.attendance_taken": "Training attendance taken",
    "enquiry.received": "Enquiry received",
    "enquiry.updated": "Enquiry updated",
    "finding.saved": "Finding saved",
    "framework.question.deleted": "Framework question deleted",
    "framework.question.saved": "Framework question saved",
    "framework.theme.deleted": "Framework theme deleted",
    "framework.theme.saved": "Framework theme saved",
    "framework.version.edited": "Framework draft edited",
    "framework.version.published": "Framework version published",
    "framework.version.retired": "Framework version retired",
    "framework.version.returned": "Framework draft returned for changes",
    "framework.version.started": "New framework version started",
    "framework.version.submitted": "Framework draft sent for approval",
    "impact.analysis.created": "Impact analysis defined",
    "impact.analysis.exported": "Impact analysis exported",
    "impact.analysis.finished": "Impact analysis finished",
    "impact.commissioner_report.downloaded": "Commissioner report downloaded",
    "impact.fidelity.exported": "Fidelity figures exported",
    "impact.outcomes.imported": "School results imported",
    "impact.outcomes.uploaded": "School results uploaded",
    "impact.survey.created": "Survey created",
    "impact.wave.closed": "Survey round closed",
    "impact.wave.exported": "Survey round exported",
    "impact.wave.opened": "Survey round opened",
    "impact.wave.threshold_changed": "Survey round reporting threshold changed",
    "improvement.partnership_progress_viewed": "Partnership progress on actions viewed",
    "partnership.phase_corrected": "Partnership phase corrected",
    "partnership.phase_undone": "Partnership phase change undone",
    "partnership.school_added": "School joined a partnership",
    "partnership.school_left": "School left a partnership",
    "person.email_changed": "Email address changed",
    "person.erased": "Person's details erased",
    "person.training_dates_set": "Training dates set",
    "plan.activity_added": "Visit plan activity added",
    "plan.activity_changed": "Visit plan activity changed",
    "plan.activity_removed": "Visit plan activity removed",
    "plan.exported": "Action plan exported",
    "plan.share_withdrawn": "Action plan sharing withdrawn",
    "plan.shared": "Action plan shared",
    "report.comment_answered": "Report comment answered",
    "report.commented": "Report commented on",
    "report.sent_for_check": "Report sent to the host for checking",
    "report.share_withdrawn": "Report sharing withdrawn",
    "report.version_started": "New report version started",
    "retention.audit_entries_deleted": "Old audit entries deleted",
    "retention.evidence_notes_deleted": "Old evidence notes deleted",
    "review.enquiry_set": "Enquiry question set",
    "review.file_removed": "Review file removed",
    "review.schedule_changed": "Review dates changed",
    "review.settings_changed": "Review settings changed",
    "reviewer_profile.saved": "Reviewer profile saved",
    "role.ended": "Role ended",
    "role.granted": "Role given",
    "safeguarding.acknowledged": "Safeguarding concern acknowledged",
    "safeguarding.outcome_recorded": "What was done about a safeguarding concern recorded",
    "safeguarding.raised": "Safeguarding concern raised",
    "safeguarding.reopened": "Safeguarding concern reopened",
    "safeguarding.viewed": "Safeguarding concern read",
    "schools.import.completed": "Schools import completed",
    "schools.import.refused": "Schools import refused",
    "schools.import.uploaded": "Schools file uploaded",
    "self_review.carried_over": "Self-review carried over from last year",
    "self_review.document_added": "Self-review document added",
    "self_review.saved": "Self-review saved",
    "session.cancelled": "Training session cancelled",
    "session.changed": "Training session changed",
    "session.created": "Training session created",
    "shortlist.added": "Question shortlisted",
    "shortlist.chosen": "Shortlisted question chosen",
    "shortlist.removed": "Question removed from the shortlist",
    "support.brokered": "Support matched",
    "support.offer_withdrawn": "Support offer withdrawn",
    "support.request_closed": "Support request closed",
    "team.accepted": "Review team place accepted",
    "team.invited": "Invited to a review team",
    "team.removed": "Removed from a review team",
    "term.added": "Term dates added",
    "term.removed": "Term dates removed",
    "training.expiry_reminder_sent": "Training expiry reminder sent",
    "training.feedback_requested": "Training feedback asked for",
    "training.pdf_requested": "Training record PDF made",
    "training.poll_created": "Training date poll created",
    "training.poll_opened": "Training date poll opened",
    "training.registered": "Registered for training",
    "training.registrant_confirmed": "Training registration confirmed",
    "training.registrant_unsubscribed": "Training registration withdrawn",
    "training.registrants_deleted": "Training registrations deleted",
    "training.report_exported": "Training report exported",
    "training.report_viewed": "Training report viewed",
    "workshop.notes_saved": "Improvement Workshop notes saved",
    "workshop.completed": "Improvement Workshop completed",
    "workshop.scheduled": "Improvement Workshop scheduled",
    # A review's steps (apps/reviews/workflow.py TRANSITIONS)
    "review.start_self_review": "Self-review started",
    "review.agree_enquiry": "Enquiry and plan agreed",
    "review.schedule": "Review confirmed as scheduled",
    "review.start_review": "Review started",
    "review.give_feedback": "Feedback marked as given",
    "review.agree_report": "Report accepted",
    "review.complete_workshop": "Improvement Workshop marked as held on the review",
    "review.close": "Review closed",
    "review.postpone": "Review postponed",
    "review.resume": "Review resumed",
    "review.cancel": "Review cancelled",
}

# The first part of a code, for codes not listed above ("booking.cancelled").
NOUNS = {
    "auth": "Account", "api_token": "API key", "booking": "Training booking",
    "checkback": "Check-back", "course": "Training course", "cycle": "Review cycle",
    "disclosure": "Looked at a review's", "evidence": "Evidence", "impact": "Impact",
    "plan": "Action plan", "action": "Action", "support": "Support", "person": "Person",
    "partnership": "Partnership", "review": "Review", "report": "Report",
    "resource": "Resource", "invitation": "Invitation", "allocation": "Team allocation",
    "training": "Training", "workshop": "Improvement Workshop",
}
# What a looked-at review's ``disclosure.*`` names.
LOOKED_AT = {
    "action_viewed": "action", "file_downloaded": "file (downloaded)",
    "report_viewed": "report", "report_downloaded": "report (downloaded)",
    "plan_viewed": "action plan", "plan_downloaded": "action plan (downloaded)",
    "plan_exported": "action plan (exported)", "enquiry_viewed": "enquiry",
    "evidence_viewed": "evidence", "findings_viewed": "findings",
    "self_review_viewed": "self-review", "visit_plan_viewed": "visit plan",
    "workshop_viewed": "Improvement Workshop notes",
}
# Names of details, where a plain reading of the code is not enough.
DETAIL_NAMES = {
    "from_status": "from", "to_status": "to", "type": "kind", "urn": "URN", "pk": "number",
    "attempted_email": "email address tried",
}
# Values that are codes of the platform's own (statuses, roles, kinds, phases).
VALUES = {
    "totp": "authenticator app", "recovery_codes": "recovery codes", "webauthn": "security key",
    "self_review": "self-review", "enquiry_agreed": "enquiry agreed", "in_review": "in review",
    "feedback_given": "feedback given", "report_agreed": "report agreed",
    "acting": "acting on the plan", "core_team": "core team",
    "partnership_lead": "partnership lead", "school_leader": "school leader",
    "safeguarding_officer": "safeguarding officer", "in_person": "in person",
}
CODE = re.compile(r"^[a-z][a-z0-9]*(?:[_.][a-z0-9]+)+$")


def words(code: str) -> str:
    """A code's words: ``action_viewed`` → "action viewed"."""
    return re.sub(r"[_.]+", " ", code).strip()


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def action_words(code: str) -> str:
    if code in ACTIONS:
        return ACTIONS[code]
    noun, _, rest = code.partition(".")
    if noun == "disclosure" and rest in LOOKED_AT:
        return f"Looked at a review's {LOOKED_AT[rest]}"
    if noun in NOUNS and rest:
        return f"{NOUNS[noun]} {words(rest)}"
    return _sentence(words(code))


def object_type_words(object_type: str) -> str:
    """``reviews.review`` → "Review": the model's own name for itself."""
    if not object_type:
        return ""
    from django.apps import apps

    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return _sentence(words(object_type.rpartition(".")[2]))
    return _sentence(str(model._meta.verbose_name))


def value_words(value: Any) -> Any:
    if value is None or value == "":
        return "nothing"
    if value is True or value is False:
        return "yes" if value else "no"
    if isinstance(value, str) and value in VALUES:
        return VALUES[value]
    if isinstance(value, str) and CODE.match(value):
        return words(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(value_words(v)) for v in value)
    return value


def detail_name(name: str) -> str:
    return _sentence(DETAIL_NAMES.get(name, words(name)))
