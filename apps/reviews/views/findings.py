"""Findings, one section per line of enquiry."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext

from .. import language, services
from ..access import get_review_for_request
from ..forms import FindingForm, bind_if_posted, save_sections
from ._common import _conflict_message, _review_context, _warn_language


def findings(request, pk):
    review = get_review_for_request(request, pk, "reviews.view_content",
                                    write="reviews.edit_findings")
    can_edit = request.user.has_perm("reviews.edit_findings", review) and \
        review.status in services.FINDINGS_STATUSES
    lines = list(review.lines.all())
    # Every section is one form: a save keeps what was typed in the others (see
    # docs/review-cycle.md, "Editing together").
    sections = {str(line.pk) if line else "key": _finding_section(request, review, line)
                for line in [None, *lines]}
    active = request.POST.get("section") if request.method == "POST" else None
    if request.method == "POST":
        saved, problems = save_sections(
            {k: s["form"] for k, s in sections.items()},
            lambda key, d: services.save_finding(
                review, sections[key]["line"], by=request.user, base=d["base"],
                working_well=d["working_well"], explore_further=d["explore_further"],
                workshop_questions=d["workshop_questions"], expected_version=d["lock_version"]),
            _conflict_message("these findings"))
        for key in saved:
            d = sections[key]["form"].cleaned_data
            _warn_language(request, language.judgement_warnings(
                d["working_well"], d["explore_further"], d["workshop_questions"]))
        if not problems:
            messages.success(request,
                gettext("Findings saved.") if saved else gettext("Nothing had changed."))
            return redirect(reverse("reviews:findings", args=[review.pk])
                            + f"#section-{active if active in sections else 'key'}")
        active = problems[0]
        for key in set(sections) - set(problems):  # saved or untouched: show what is stored
            sections[key] = _finding_section(request, review, sections[key]["line"],
                                             bound=False)
    services.record_disclosure(review, "findings_viewed", by=request.user)
    return render(request, "reviews/findings.html", _review_context(
        request, review, "findings", sections=list(sections.values()), can_edit=can_edit,
        active=active))


def _finding_section(request, review, line, bound=True) -> dict:
    key = str(line.pk) if line else "key"
    f = review.findings.select_related("updated_by").filter(line=line).first()
    initial = {"working_well": f.working_well if f else "",
               "explore_further": f.explore_further if f else "",
               "workshop_questions": f.workshop_questions if f else "",
               "lock_version": f.lock_version if f else 0}
    form = bind_if_posted(request, FindingForm, key, initial=initial) if bound else \
        FindingForm(prefix=key, initial=initial)
    return {"key": key, "line": line, "finding": f, "form": form,
            "question": line.text if line else review.key_question,
            "evidence_count": review.evidence.filter(line=line).count()}
