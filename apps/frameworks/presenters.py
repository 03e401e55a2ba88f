"""What framework pages show: usage counts that identify no school, and version diffs."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .models import FrameworkVersion, Question, ShortlistItem

USAGE_THRESHOLD = 5  # never show a count drawn from fewer schools than this


# Where else a question is used, beyond schools' shortlists. Apps above frameworks register a
# source (``register_usage_source``) when they load: reviews counts key enquiry questions of
# agreed reviews. A source takes question refs and returns (ref, school id) pairs.
UsageSource = Callable[[list[str]], Iterable[tuple[str, int]]]
_usage_sources: list[UsageSource] = []


def register_usage_source(source: UsageSource) -> UsageSource:
    """Count ``source``'s (ref, school id) pairs in question usage (see ``usage_by_ref``)."""
    if source not in _usage_sources:
        _usage_sources.append(source)
    return source


def usage_by_ref(refs) -> dict:
    """ref -> number of schools that used the question (any version) as the key enquiry
    question of an agreed review, or have marked it as their choice for the coming one — only
    where at least ``USAGE_THRESHOLD`` schools did, so no school can be picked out."""
    refs = list(refs)
    pairs: set[tuple[Any, int]] = set(
        ShortlistItem.objects.filter(chosen_for_review=True, question__ref__in=refs)
        .values_list("question__ref", "school_id"))
    for source in _usage_sources:
        pairs |= set(source(refs))
    counts: dict = {}
    for ref, _school in pairs:
        counts[ref] = counts.get(ref, 0) + 1
    return {ref: n for ref, n in counts.items() if n >= USAGE_THRESHOLD}


def inline_diff(old: str, new: str) -> str:
    """Word-level diff as HTML with <del> and <ins>."""
    a, b = old.split(), new.split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b).get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(a[i1:i2])))
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(' '.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(' '.join(b[j1:j2]))}</ins>")
    return mark_safe(" ".join(out))  # noqa: S308 - every piece is escaped above


class Change(models.TextChoices):
    """How a theme, question or prompt differs between two versions."""

    ADDED = "added", "Added"
    REMOVED = "removed", "Removed"
    CHANGED = "changed", "Changed"
    UNCHANGED = "unchanged", "Unchanged"


@dataclass
class QuestionChange:
    status: str  # added, removed, changed, unchanged
    text_html: str
    prompt_changes: list[tuple[str, str]] = field(default_factory=list)  # (status, html)


@dataclass
class ThemeChange:
    status: str
    title_html: str
    questions: list[QuestionChange] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.status != Change.UNCHANGED or any(q.status != Change.UNCHANGED
                                                      for q in self.questions)


def _prompts(q: Question) -> list[str]:
    return [f"{p.get_kind_display()}: {p.text}" for p in q.prompts.all()]


def version_diff(old: FrameworkVersion, new: FrameworkVersion) -> list[ThemeChange]:
    """Themes and questions matched by their stable refs."""
    def load(v):
        return {t.ref: t for t in v.themes.prefetch_related("questions__prompts")}

    old_themes, new_themes = load(old), load(new)
    old_all = {q.ref: q for t in old_themes.values() for q in t.questions.all()}
    changes = []
    for ref in [*new_themes, *[r for r in old_themes if r not in new_themes]]:
        ot, nt = old_themes.get(ref), new_themes.get(ref)
        if ot and nt:
            status = "unchanged" if ot.title == nt.title else "changed"
            change = ThemeChange(status, inline_diff(ot.title, nt.title))
        elif nt:
            change = ThemeChange("added", escape(nt.title))
        else:
            change = ThemeChange("removed", escape(ot.title))
        change.questions += _question_changes(ot, nt, old_all, new_themes)
        changes.append(change)
    return changes


def _question_changes(ot, nt, old_all: dict, new_themes: dict) -> list[QuestionChange]:
    """The questions of one theme (old ``ot``, new ``nt``, either may be ``None``). A
    question moved between themes appears under its new theme only."""
    oq = {q.ref: q for q in ot.questions.all()} if ot else {}
    nq = {q.ref: q for q in nt.questions.all()} if nt else {}
    moved_in = {r for r in nq if r not in oq}
    out = []
    for qref in [*nq, *[r for r in oq if r not in nq]]:
        a = oq.get(qref) or (old_all.get(qref) if qref in moved_in else None)
        b = nq.get(qref)
        if b is None and any(qref in {q.ref for q in t.questions.all()}
                             for t in new_themes.values()):
            continue  # moved to another theme: shown there
        if a and b:
            out.append(_question_change(a, b))
        elif b:
            out.append(QuestionChange("added", escape(b.text)))
        else:
            assert a is not None  # listed from the old theme's questions
            out.append(QuestionChange("removed", escape(a.text)))
    return out


def _question_change(a: Question, b: Question) -> QuestionChange:
    """A question in both versions: its text diffed, its phases and prompts as removed and
    added lines."""
    pa, pb = _prompts(a), _prompts(b)
    prompt_changes: list[tuple[str, str]] = []
    if a.phases != b.phases:
        for status, question in (("removed", a), ("added", b)):
            phases = ", ".join(question.phase_labels())
            prompt_changes.append((status, escape(_("Phases: %(phases)s") % {"phases": phases})))
    for line in difflib.ndiff(pa, pb):
        if line.startswith("- "):
            prompt_changes.append(("removed", escape(line[2:])))
        elif line.startswith("+ "):
            prompt_changes.append(("added", escape(line[2:])))
    same = a.text == b.text and pa == pb and a.phases == b.phases
    return QuestionChange("unchanged" if same else "changed", inline_diff(a.text, b.text),
                          list(prompt_changes))
