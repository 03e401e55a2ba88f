"""Writes to frameworks: drafting, review, publication, retirement and shortlists."""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from apps.core import audit

from .models import (
    QUESTION_INDEX,
    Framework,
    FrameworkVersion,
    Prompt,
    Question,
    ShortlistItem,
    Theme,
)

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.schools.models import School

Status = FrameworkVersion.Status

# Words that grade a school rather than ask about it. Enquiry questions never use them.
JUDGEMENT_WORDS = ("outstanding", "good", "requires improvement", "inadequate",
                   "satisfactory", "weak", "failing", "poor", "grade", "graded", "judgement",
                   "ofsted")
_JUDGEMENT = re.compile(r"\b(" + "|".join(JUDGEMENT_WORDS) + r")\b", re.IGNORECASE)


def judgement_words(text: str) -> list[str]:
    return sorted({m.group(0).lower() for m in _JUDGEMENT.finditer(text or "")})


def _refresh_search_index() -> None:
    """The SQLite search table holds the questions of every published version."""
    QUESTION_INDEX.reindex(Question.objects.filter(theme__version__status=Status.PUBLISHED))


def _prompts_text(question: Question) -> str:
    return "\n".join(question.prompts.order_by("kind", "position").values_list("text", flat=True))


# --- creating content --------------------------------------------------------------------

@transaction.atomic
def create_framework_from_content(data: dict[str, Any], *, by: User | None = None,
                                  publish: bool = True) -> Framework:
    """Create a framework and its first version from a content dictionary (the JSON files in
    ``apps/frameworks/content``)."""
    if Framework.objects.filter(slug=data["slug"]).exists():
        raise ValidationError(f"A framework called “{data['slug']}” already exists.")
    framework = Framework.objects.create(slug=data["slug"], kind=data["kind"])
    version = FrameworkVersion.objects.create(framework=framework, number=1,
                                              title=data["title"],
                                              summary=data.get("summary", ""), created_by=by,
                                              change_note="First version")
    for t_pos, t in enumerate(data["themes"], start=1):
        theme = Theme.objects.create(version=version, position=t_pos, title=t["title"],
                                     summary=t.get("summary", ""))
        for q_pos, q in enumerate(t["questions"], start=1):
            save_question(version, theme=theme, text=q["text"], phases=q.get("phases", []),
                          prompts=[(p["kind"], p["text"]) for p in q["prompts"]],
                          position=q_pos)
    audit.record("framework.created", actor=by, obj=version, slug=framework.slug)
    if publish:
        version.status = Status.REVIEW
        version.save(update_fields=["status"])
        publish_version(version, by=by)
    return framework


@transaction.atomic
def start_new_version(framework: Framework, *, by: User | None = None) -> FrameworkVersion:
    """A new draft copied from the published (or else the latest) version."""
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if framework.open_version():
        raise ValidationError("This framework already has a draft or a version in review.")
    source = framework.published_version() or framework.versions.order_by("-number").first()
    number = (framework.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = FrameworkVersion.objects.create(
        framework=framework, number=number, title=source.title if source else framework.slug,
        summary=source.summary if source else "", based_on=source, created_by=by)
    if source:
        for theme in source.themes.all():
            new_theme = Theme.objects.create(version=version, ref=theme.ref,
                                             position=theme.position, title=theme.title,
                                             summary=theme.summary)
            for q in theme.questions.all():
                save_question(version, theme=new_theme, text=q.text, phases=q.phases,
                              prompts=[(p.kind, p.text) for p in q.prompts.all()],
                              position=q.position, ref=q.ref)
    audit.record("framework.version.started", actor=by, obj=version,
                 based_on=source.number if source else None)
    return version


def _locked(version: FrameworkVersion) -> FrameworkVersion:
    """The version as stored now, its row locked until the transaction ends, so that a
    change and a status change (e.g. publishing) cannot interleave."""
    return FrameworkVersion.objects.select_for_update().get(pk=version.pk)


def _check_draft(version: FrameworkVersion) -> None:
    if not _locked(version).is_editable:
        raise ValidationError("Only a draft can be changed. Start a new version to edit.")


@transaction.atomic
def update_version_details(version: FrameworkVersion, *, title: str, summary: str, change_note: str,
                           by: User | None = None) -> None:
    _check_draft(version)
    version = _locked(version)
    version.title, version.summary, version.change_note = title.strip(), summary.strip(), \
        change_note.strip()
    version.save(update_fields=["title", "summary", "change_note"])
    audit.record("framework.version.edited", actor=by, obj=version)


@transaction.atomic
def save_theme(version: FrameworkVersion, *, theme: Theme | None = None, title: str,
               summary: str = "", position: int | None = None,
               by: User | None = None) -> Theme:
    _check_draft(version)
    if theme is None:
        last = version.themes.aggregate(n=Max("position"))["n"] or 0
        theme = Theme(version=version, position=position or last + 1)
    theme.title, theme.summary = title.strip(), summary.strip()
    if position:
        theme.position = position
    theme.save()
    audit.record("framework.theme.saved", actor=by, obj=version, theme=theme.title)
    return theme


@transaction.atomic
def delete_theme(theme: Theme, *, by: User | None = None) -> None:
    _check_draft(theme.version)
    if theme.questions.exists():
        raise ValidationError("Move or delete this theme's questions first.")
    version = theme.version
    theme.delete()
    audit.record("framework.theme.deleted", actor=by, obj=version, theme=theme.title)


@transaction.atomic
def save_question(version: FrameworkVersion, *, theme: Theme, question: Question | None = None,
                  text: str, phases: list[str], prompts: list[tuple[str, str]],
                  position: int | None = None, ref: uuid.UUID | None = None,
                  by: User | None = None) -> Question:
    """Create or replace a question and its prompts (a list of (kind, text))."""
    _check_draft(version)
    if theme.version_id != version.pk:
        raise ValidationError("That theme belongs to another version.")
    if question is None:
        last = theme.questions.aggregate(n=Max("position"))["n"] or 0
        question = Question(theme=theme, position=position or last + 1)
        if ref:
            question.ref = ref
    else:
        question.theme = theme
        if position:
            question.position = position
    question.text = " ".join(text.split())
    question.phases = sorted(set(phases))
    question.save()
    question.prompts.all().delete()
    for pos, (kind, prompt_text) in enumerate(prompts, start=1):
        Prompt.objects.create(question=question, kind=kind, position=pos,
                              text=" ".join(prompt_text.split()))
    question.prompts_text = _prompts_text(question)
    question.save(update_fields=["prompts_text"])
    if by is not None:
        audit.record("framework.question.saved", actor=by, obj=version,
                     question=str(question.ref))
    return question


@transaction.atomic
def delete_question(question: Question, *, by: User | None = None) -> None:
    version = question.theme.version
    _check_draft(version)
    ref = str(question.ref)
    question.delete()
    audit.record("framework.question.deleted", actor=by, obj=version, question=ref)


# --- review and publication ----------------------------------------------------------------

def publication_problems(version: FrameworkVersion) -> list[str]:
    """What stops a version being published, in words an editor can act on."""
    problems = []
    themes = list(version.themes.prefetch_related("questions__prompts"))
    if not themes:
        problems.append("Add at least one theme.")
    for theme in themes:
        questions = list(theme.questions.all())
        if not questions:
            problems.append(f"Theme “{theme.title}” has no questions.")
        for q in questions:
            short = q.text if len(q.text) < 70 else q.text[:67] + "…"
            prompts = list(q.prompts.all())
            if len(prompts) < 3:
                problems.append(f"“{short}” needs at least 3 prompts (it has {len(prompts)}).")
            words = judgement_words(" ".join([q.text, *[p.text for p in prompts]]))
            if words:
                problems.append(f"“{short}” uses judgement words ({', '.join(words)}): "
                                "phrase it as an enquiry.")
    return problems


@transaction.atomic
def submit_for_review(version: FrameworkVersion, *, by: User | None = None) -> None:
    _check_draft(version)
    version = _locked(version)
    problems = publication_problems(version)
    if problems:
        raise ValidationError(problems)
    version.status = Status.REVIEW
    version.save(update_fields=["status"])
    audit.record("framework.version.submitted", actor=by, obj=version)


@transaction.atomic
def return_to_draft(version: FrameworkVersion, *, by: User | None = None) -> None:
    version = _locked(version)
    if version.status != Status.REVIEW:
        raise ValidationError("Only a version in review can go back to draft.")
    version.status = Status.DRAFT
    version.save(update_fields=["status"])
    audit.record("framework.version.returned", actor=by, obj=version)


@transaction.atomic
def publish_version(version: FrameworkVersion, *, by: User | None = None) -> None:
    """Publish a version in review. The version it replaces is retired; both stay readable."""
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != Status.REVIEW:
        raise ValidationError("Only a version in review can be published.")
    problems = publication_problems(version)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    previous = version.framework.published_version()
    if previous:
        previous.status, previous.retired_at = Status.RETIRED, now
        previous.save(update_fields=["status", "retired_at"])
    version.status, version.published_at, version.published_by = Status.PUBLISHED, now, by
    version.save(update_fields=["status", "published_at", "published_by"])
    _refresh_search_index()
    audit.record("framework.version.published", actor=by, obj=version,
                 replaced=previous.number if previous else None)


@transaction.atomic
def retire_version(version: FrameworkVersion, *, by: User | None = None) -> None:
    version = _locked(version)
    if version.status != Status.PUBLISHED:
        raise ValidationError("Only the published version can be retired.")
    version.status, version.retired_at = Status.RETIRED, timezone.now()
    version.save(update_fields=["status", "retired_at"])
    _refresh_search_index()
    audit.record("framework.version.retired", actor=by, obj=version)


# --- shortlists ----------------------------------------------------------------------------

@transaction.atomic
def shortlist_question(school: School, question: Question, *, by: User) -> ShortlistItem:
    if question.theme.version.status != Status.PUBLISHED:
        raise ValidationError("Only questions from a published framework can be shortlisted.")
    item, created = ShortlistItem.objects.get_or_create(school=school, question=question,
                                                        defaults={"added_by": by})
    if created:
        audit.record("shortlist.added", actor=by, obj=school, question=str(question.ref))
    return item


@transaction.atomic
def remove_from_shortlist(item: ShortlistItem, *, by: User) -> None:
    school, ref = item.school, str(item.question.ref)
    item.delete()
    audit.record("shortlist.removed", actor=by, obj=school, question=ref)


@transaction.atomic
def choose_for_review(item: ShortlistItem, *, chosen: bool, by: User) -> None:
    """Mark (or unmark) a shortlisted question as the school's key enquiry question. A school
    has one chosen question at a time."""
    if chosen:
        item.school.question_shortlist.exclude(pk=item.pk).update(chosen_for_review=False)
    item.chosen_for_review = chosen
    item.save(update_fields=["chosen_for_review"])
    audit.record("shortlist.chosen" if chosen else "shortlist.unchosen", actor=by,
                 obj=item.school, question=str(item.question.ref))
