"""The pre-review meeting's enquiry: the key question and the lines of enquiry."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from apps.core.converters import parse_id
from apps.frameworks.models import Question

from .. import language, services
from ..access import get_review_for_request
from ..forms import EnquiryForm
from ._common import _conflict_message, _errors_to_form, _review_context, _warn_language


def enquiry(request, pk):
    review = get_review_for_request(request, pk, "reviews.view_content",
                                    write="reviews.edit_plan")
    editable = review.status in services.PLAN_STATUSES
    can_edit = editable and request.user.has_perm("reviews.edit_plan", review)
    lines = list(review.lines.all())
    initial = _enquiry_initial(request, review, lines)
    form = EnquiryForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if request.POST.get("use"):
            # A question chosen from the framework: the page comes back with it filled in and
            # everything typed kept; nothing is saved yet.
            form = _use_question(review, request.POST)
        elif form.is_valid():
            saved = _save_enquiry(request, review, form, lines, initial)
            if saved is not None:
                return saved
    questions = Question.objects.filter(theme__version=review.framework_version).select_related(
        "theme") if review.framework_version_id else Question.objects.none()
    services.record_disclosure(review, "enquiry_viewed", by=request.user)
    return render(request, "reviews/enquiry.html", _review_context(
        request, review, "enquiry", form=form, can_edit=can_edit, lines=lines,
        questions=questions, agreed_by=review.enquiry_agreed_by))


def _enquiry_initial(request, review, lines) -> dict:
    """The form as saved, with a question chosen from the library filled in (GET
    ?use=<question id>&as=key|1|2|3)."""
    initial = {"key_question": review.key_question, "key_question_ref": review.key_question_ref,
               "lock_version": review.enquiry_version}
    for line in lines:
        initial[f"line_{line.position}"] = line.text
    initial["base"] = EnquiryForm(initial=initial).initial["base"]
    suggestion = None
    use = parse_id(request.GET.get("use"))
    if use and review.framework_version_id:
        suggestion = Question.objects.filter(pk=use,
                                             theme__version=review.framework_version).first()
        if suggestion is not None:
            slot = request.GET.get("as", "key")
            if slot == "key":
                initial.update(key_question=suggestion.text, key_question_ref=suggestion.ref)
            elif slot in ("1", "2", "3"):
                initial[f"line_{slot}"] = suggestion.text
    return initial


def _save_enquiry(request, review, form, lines, initial):
    """Save a valid enquiry form: a redirect when saved, None to show the form again with
    the problem (someone else's save, or what the service refused)."""
    d = form.cleaned_data
    refs = {line.position: line.question_ref for line in lines}
    by_text = _library_refs(review, [d["line_1"], d["line_2"], d["line_3"]])
    new_lines = [(d[f"line_{i}"], by_text.get(d[f"line_{i}"].strip()) or
                  (refs.get(i) if initial.get(f"line_{i}") == d[f"line_{i}"] else None))
                 for i in (1, 2, 3)]
    # Only a question of this review's framework counts as "from the library".
    key_ref = _library_refs(review, [d["key_question"]]).get(d["key_question"].strip())
    try:
        services.set_enquiry(review, by=request.user, key_question=d["key_question"],
                             key_question_ref=key_ref, lines=new_lines,
                             expected_version=d["lock_version"], base=d["base"])
    except services.EditConflict as e:
        form.add_error(None, _conflict_message("the enquiry")(e.current))
        form.show_conflict(e.current)
    except ValidationError as e:
        _errors_to_form(form, e)
    else:
        _warn_language(request, language.judgement_warnings(
            d["key_question"], d["line_1"], d["line_2"], d["line_3"]))
        messages.success(request, gettext("Enquiry saved."))
        return redirect("reviews:enquiry", pk=review.pk)
    return None


def _use_question(review, posted) -> EnquiryForm:
    """The enquiry form after "Use as key question" (``use=key:<id>``) or "Use as a line of
    enquiry" (``use=line:<id>``: the first empty line) was chosen, keeping the rest of what
    was posted. Nothing typed is replaced: with three lines written, the page says so."""
    values = {f: posted.get(f, "") for f in EnquiryForm.base_fields}
    slot, _, question_id = posted.get("use", "").partition(":")
    question = Question.objects.filter(
        pk=parse_id(question_id) or 0, theme__version=review.framework_version).first() \
        if review.framework_version_id else None
    empty = [f"line_{i}" for i in (1, 2, 3) if not values[f"line_{i}"].strip()]
    if question is not None and (slot == "key" or empty):
        values["key_question" if slot == "key" else empty[0]] = question.text
    form = EnquiryForm(initial=values)
    if question is not None and slot != "key" and not empty:
        form.is_bound, form.data = True, posted  # to show the message over what was typed
        form.full_clean()
        form.add_error("line_3", "All three lines of enquiry are written: clear one, then "
                                 "choose the question again")
    return form


def _library_refs(review, texts) -> dict:
    texts = [t.strip() for t in texts if t and t.strip()]
    if not texts or not review.framework_version_id:
        return {}
    return dict(Question.objects.filter(theme__version=review.framework_version,
                                        text__in=texts).values_list("text", "ref"))
