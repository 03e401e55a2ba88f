"""Pages of the review cycle. Each view finds its object through ``access.py`` (404 for
outsiders, 403 without the right), validates with a form, and writes through ``services``."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.models import User
from apps.accounts.roles import is_core_team, led_partnership_ids, school_ids_for
from apps.core import audit
from apps.core.access import require_write
from apps.core.audit import AuditEvent
from apps.core.downloads import private_download
from apps.frameworks.models import Question
from apps.partnerships.models import Partnership

from . import language, schedule, services, teams, workflow
from .access import (
    get_child_for_user,
    get_concern_for_user,
    get_cycle_for_user,
    get_invitation_for_user,
    get_review_for_request,
    get_review_for_user,
)
from .forms import (
    ActivityForm,
    AddReviewForm,
    CommentForm,
    ConcernForm,
    CycleForm,
    CycleSettingsForm,
    EnquiryForm,
    EvidenceForm,
    FindingForm,
    ReasonForm,
    ReportForm,
    ResolveForm,
    RespondForm,
    ReviewSettingsForm,
    ScheduleForm,
    SelfReviewForm,
    ShareForm,
    TermForm,
    UploadForm,
    bind_if_posted,
    save_sections,
)
from .models import (
    STEPS,
    Activity,
    EvidenceNote,
    LineOfEnquiry,
    Report,
    ReportComment,
    ReportShare,
    ReviewFile,
    TeamMember,
    TermDate,
)
from .selectors import visible_cycles, visible_reviews


def parse_id(value) -> int | None:
    """A positive id from a query string or form, or None for anything else."""
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() and 0 < int(value) < 2**31 \
        else None


def _errors_to_form(form, error: ValidationError, field=None):
    for message in error.messages:
        form.add_error(field, message)


def _review_context(request, review, section: str, **extra) -> dict:
    user = request.user
    return {"review": review, "section": section,
            "can_view_content": user.has_perm("reviews.view_content", review),
            "can_view_report": user.has_perm("reviews.view_report", review),
            "can_view_plan": user.has_perm("improvement.view_plan", review),
            "can_view_workshop": user.has_perm("improvement.view_workshop", review),
            "judgement_map": language.as_json(), **extra}


# Cycles ---------------------------------------------------------------------------------------

@require_GET
def index(request):
    user = request.user
    mine = (visible_reviews(user).filter(team__user=user,
                                         team__status__in=["invited", "accepted"])
            .select_related("host", "cycle").distinct())
    invitations = TeamMember.objects.filter(user=user, status=TeamMember.State.INVITED) \
        .select_related("review__host", "review__cycle")
    hosting = visible_reviews(user).filter(host_id__in=school_ids_for(user)) \
        .select_related("host", "cycle")
    cycles = visible_cycles(user).select_related("partnership")
    can_create = _creatable(user).exists()
    return render(request, "reviews/index.html", {
        "cycles": cycles, "mine": mine, "invitations": invitations, "hosting": hosting,
        "can_create": can_create})


def _creatable(user):
    """Partnerships this person may start a cycle for."""
    if is_core_team(user):
        return Partnership.objects.exclude(phase="alumni")
    return Partnership.objects.filter(pk__in=led_partnership_ids(user))


def cycle_create(request):
    partnerships = _creatable(request.user)
    if not partnerships.exists():
        raise PermissionDenied
    form = CycleForm(request.POST or None, partnerships=partnerships,
                     initial={"partnership": partnerships.filter(
                         slug=request.GET.get("partnership")).first()})
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.create_cycle(form.cleaned_data["partnership"],
                                          form.cleaned_data["start_year"], by=request.user)
        except ValidationError as e:
            _errors_to_form(form, e, "start_year")
        else:
            messages.success(request, f"Cycle {cycle.label} started. Add each school's review.")
            return redirect("reviews:cycle", pk=cycle.pk)
    return render(request, "reviews/form_page.html", {
        "form": form, "heading": "Start a review cycle", "button": "Start the cycle",
        "back": reverse("reviews:index"), "back_label": "Reviews"})


@require_GET
def cycle_detail(request, pk):
    cycle = get_cycle_for_user(request.user, pk)
    can_manage = request.user.has_perm("reviews.manage_cycle", cycle)
    reviews = list(cycle.reviews.select_related("host").order_by("host__name"))
    return render(request, "reviews/cycle.html", {
        "cycle": cycle, "reviews": reviews, "can_manage": can_manage, "steps": STEPS,
        "warnings": schedule.warnings_for(cycle) if can_manage else [],
        "without": schedule.schools_without_review(cycle),
        "terms": cycle.partnership.term_dates.all()})


@require_GET
def timeline(request, pk):
    cycle = get_cycle_for_user(request.user, pk, "reviews.manage_cycle")
    return render(request, "reviews/timeline.html", {
        "cycle": cycle, "rows": schedule.timeline(cycle), "steps": STEPS,
        "warnings": schedule.warnings_for(cycle)})


def cycle_settings(request, pk):
    cycle = get_cycle_for_user(request.user, pk, "reviews.manage_cycle")
    form = CycleSettingsForm(request.POST or None, cycle=cycle, initial={
        "trust_conflicts": cycle.trust_conflicts, "cross_partnership": cycle.cross_partnership,
        "partner_partnerships": list(cycle.partner_partnerships.all())})
    if request.method == "POST" and form.is_valid():
        services.update_cycle_settings(cycle, by=request.user, **form.cleaned_data)
        messages.success(request, "Cycle settings saved.")
        return redirect("reviews:cycle", pk=cycle.pk)
    return render(request, "reviews/form_page.html", {
        "form": form, "heading": f"Settings for {cycle}", "button": "Save",
        "back": reverse("reviews:cycle", args=[cycle.pk]), "back_label": str(cycle)})


def terms(request, pk):
    cycle = get_cycle_for_user(request.user, pk, "reviews.manage_cycle")
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_term(cycle.partnership, by=request.user, **form.cleaned_data)
        messages.success(request, "Term added.")
        return redirect("reviews:terms", pk=cycle.pk)
    return render(request, "reviews/terms.html", {
        "cycle": cycle, "form": form, "terms": cycle.partnership.term_dates.all()})


@require_POST
def term_remove(request, pk, term_id):
    cycle = get_cycle_for_user(request.user, pk, "reviews.manage_cycle")
    term = TermDate.objects.filter(pk=term_id, partnership=cycle.partnership).first()
    if term is None:
        raise Http404
    services.remove_term(term, by=request.user)
    messages.success(request, "Term removed.")
    return redirect("reviews:terms", pk=cycle.pk)


def add_review(request, pk):
    cycle = get_cycle_for_user(request.user, pk, "reviews.manage_cycle")
    # Schools that already have a review in this cycle are not offered again.
    schools = cycle.partnership.current_schools().exclude(pk__in=cycle.reviews.exclude(
        status="cancelled").values("host_id")).order_by("name")
    form = AddReviewForm(request.POST or None, schools=schools,
                         initial={"host": schools.filter(
                             urn=parse_id(request.GET.get("school")) or 0).first()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            review = services.add_review(cycle, d["host"], by=request.user,
                                         framework_version=d["framework_version"],
                                         mode=d["mode"])
        except ValidationError as e:
            _errors_to_form(form, e, "host")
        else:
            messages.success(request, f"Review of {review.host.name} added. Set its dates.")
            return redirect("reviews:schedule", pk=review.pk)
    return render(request, "reviews/form_page.html", {
        "form": form, "heading": f"Add a review to {cycle}", "button": "Add the review",
        "back": reverse("reviews:cycle", args=[cycle.pk]), "back_label": str(cycle)})


# One review: overview, schedule, status ------------------------------------------------------

@require_GET
def detail(request, pk):
    review = get_review_for_user(request.user, pk)
    user = request.user
    return render(request, "reviews/detail.html", _review_context(
        request, review, "overview",
        steps=[(label, getattr(review, f), schedule.step_state(review, f))
               for f, label in STEPS],
        state_labels=schedule.STATE_LABELS, state_tags=schedule.STATE_TAGS,
        actions=workflow.available(review, user), upcoming=workflow.upcoming(review),
        history=review.history.select_related("by"),
        team=review.team.filter(status__in=["invited", "accepted"]).select_related(
            "user", "school"),
        can_edit_schedule=user.has_perm("reviews.edit_schedule", review),
        can_edit_settings=user.has_perm("reviews.edit_settings", review),
        can_raise=user.has_perm("reviews.raise_safeguarding", review),
        my_invitation=review.team.filter(user=user, status="invited").first()))


def edit_schedule(request, pk):
    review = get_review_for_user(request.user, pk, "reviews.edit_schedule")
    initial = {f: getattr(review, f) for f, _ in STEPS}
    initial.update(review_days=review.review_days, lock_version=review.lock_version)
    form = ScheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        expected = d.pop("lock_version")
        try:
            changed = services.update_schedule(review, by=request.user,
                                               expected_version=expected, **d)
        except services.EditConflict as e:
            form.add_error(None, "Someone else changed these dates while you were editing, so "
                                 "yours were not saved. Your dates are still in the form and "
                                 "the saved ones are shown above it: check them and save again")
            form.show_conflict(e.current)
        else:
            messages.success(request, "Dates saved. Calendar invitations have been updated."
                             if changed else "No dates changed.")
            return redirect("reviews:detail", pk=review.pk)
    return render(request, "reviews/form_page.html", _review_context(
        request, review, "overview", form=form, heading=f"Dates for {review}",
        button="Save dates", back=reverse("reviews:detail", args=[review.pk]),
        back_label=str(review),
        intro="Warnings about term dates, clashes and order show on the cycle page."))


def edit_settings(request, pk):
    review = get_review_for_user(request.user, pk, "reviews.edit_settings")
    form = ReviewSettingsForm(request.POST or None, initial={
        "framework_version": review.framework_version, "mode": review.mode,
        "meeting_link": review.meeting_link, "focus_areas": review.focus_areas})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_review_settings(review, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            _errors_to_form(form, e)
        else:
            messages.success(request, "Saved.")
            return redirect("reviews:detail", pk=review.pk)
    return render(request, "reviews/form_page.html", _review_context(
        request, review, "overview", form=form, heading="Framework and how the review runs",
        button="Save", back=reverse("reviews:detail", args=[review.pk]),
        back_label=str(review)))


def change_status(request, pk, name):
    review = get_review_for_user(request.user, pk)
    t = workflow.TRANSITIONS.get(name)
    if t is None:
        raise Http404
    if not t.who.test(request.user, review):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if t.needs_reason:
        form.fields["reason"].required = True
        form.fields["reason"].error_messages["required"] = "Give a reason"
    if request.method == "POST" and form.is_valid():
        try:
            workflow.transition(review, name, by=request.user,
                                reason=form.cleaned_data["reason"])
        except workflow.TransitionRefused as e:
            for reason in e.reasons:
                messages.error(request, reason)
        else:
            messages.success(request, f"Done: {t.label.lower()}.")
        return redirect("reviews:detail", pk=review.pk)
    return render(request, "reviews/confirm_status.html", _review_context(
        request, review, "overview", form=form, transition=t,
        missing=t.guard(review) if review.status in t.sources else
        [f"Not possible while the review is {review.get_status_display().lower()}"]))


# Self-review ------------------------------------------------------------------------------------

def self_review(request, pk):
    review = get_review_for_request(request, pk, "reviews.view_content",
                                    write="reviews.edit_self_review")
    editable = review.status in services.PLAN_STATUSES
    can_edit = editable and request.user.has_perm("reviews.edit_self_review", review)
    themes = {str(t.pk): t for t in review.framework_version.themes.all()} \
        if review.framework_version else {}
    keys = ["school", *themes]
    # The whole page is one form: a save keeps what was typed in every other section and in
    # the upload (see docs/review-cycle.md, "Editing together").
    forms = {key: _self_review_form(request, review, themes.get(key), key) for key in keys}
    upload = UploadForm(None)
    active = request.POST.get("theme") if request.method == "POST" else None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        saved, problems = save_sections(
            forms, lambda key, d: services.save_self_review(
                review, themes.get(key), by=request.user, strengths=d["strengths"],
                areas_to_develop=d["areas_to_develop"], expected_version=d["lock_version"],
                base=d["base"]),
            _conflict_message("this section"))
        for key in saved:
            d = forms[key].cleaned_data
            _warn_language(request, language.judgement_warnings(d["strengths"],
                                                                d["areas_to_develop"]))
        _remove_self_review_document(request, review)
        if "file" in request.FILES or request.POST.get("upload"):
            upload = UploadForm(request.POST, request.FILES)
            if upload.is_valid():
                services.add_self_review_document(review, upload.cleaned_data["file"],
                                                  by=request.user)
                messages.success(request, "Document added.")
            else:
                problems.append("upload")
        if not problems:
            if saved or not (request.POST.get("upload") or request.POST.get("remove_document")):
                messages.success(request, "Saved." if saved else "Nothing had changed.")
            return redirect(reverse("reviews:self_review", args=[review.pk])
                            + (f"#section-{active}" if active in forms else ""))
        if saved:
            messages.success(request, "Your other changes are saved.")
        active = problems[0]
        for key in set(keys) - set(problems):  # saved or untouched: show what is stored
            forms[key] = _self_review_form(request, review, themes.get(key), key, bound=False)
    services.record_disclosure(review, "self_review_viewed", by=request.user)
    entries = {e.theme_id: e for e in review.self_review.select_related("updated_by")}
    sections = [(themes.get(key), key, entries.get(themes[key].pk if key in themes else None))
                for key in keys]
    return render(request, "reviews/self_review.html", _review_context(
        request, review, "self_review", sections=sections, forms=forms, can_edit=can_edit,
        upload=upload, active=active,
        documents=review.files.filter(purpose=ReviewFile.Purpose.SELF_REVIEW).defer("content")))


def _remove_self_review_document(request, review) -> None:
    """A document's "Remove" button is a button of the self-review form, so what was typed
    in the sections is saved with it rather than lost."""
    document_id = parse_id(request.POST.get("remove_document"))
    if document_id is None:
        return
    document = get_child_for_user(request.user, ReviewFile, document_id, review)
    if document.purpose != ReviewFile.Purpose.SELF_REVIEW:
        raise Http404
    _remove_and_say(request, document)


def _remove_and_say(request, file) -> None:
    try:
        services.remove_file(file, by=request.user)
        messages.success(request, f"{file.filename} removed.")
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))


def _self_review_form(request, review, theme, key, bound=True):
    entry = review.self_review.filter(theme=theme).first()
    initial = {"strengths": entry.strengths if entry else "",
               "areas_to_develop": entry.areas_to_develop if entry else "",
               "lock_version": entry.lock_version if entry else 0}
    return bind_if_posted(request, SelfReviewForm, key, initial=initial) if bound else \
        SelfReviewForm(prefix=key, initial=initial)


def _warn_language(request, warnings):
    if warnings:
        words = "; ".join(f"“{w}”: {s}" for w, s in warnings)
        messages.warning(request, "Saved, but some words sound like inspection grades. Peer "
                                  f"review describes and asks. Consider: {words}.")


@require_GET
def download_file(request, pk, file_id):
    review = get_review_for_user(request.user, pk, "reviews.view_content")
    f = get_child_for_user(request.user, ReviewFile, file_id, review)
    services.record_disclosure(review, "file_downloaded", by=request.user, file=f.filename)
    return private_download(f.content, f.content_type, f.filename)


@require_POST
def remove_file(request, pk, file_id):
    review = get_review_for_user(request.user, pk, "reviews.view_content")
    f = get_child_for_user(request.user, ReviewFile, file_id, review, "reviews.remove_file")
    _remove_and_say(request, f)
    return redirect("reviews:self_review" if f.purpose == ReviewFile.Purpose.SELF_REVIEW
                    else "reviews:evidence", pk=review.pk)


# Pre-review meeting: enquiry and plan ---------------------------------------------------------

def enquiry(request, pk):
    review = get_review_for_request(request, pk, "reviews.view_content",
                                    write="reviews.edit_plan")
    editable = review.status in services.PLAN_STATUSES
    can_edit = editable and request.user.has_perm("reviews.edit_plan", review)
    lines = list(review.lines.all())
    initial = {"key_question": review.key_question, "key_question_ref": review.key_question_ref,
               "lock_version": review.enquiry_version}
    for line in lines:
        initial[f"line_{line.position}"] = line.text
    initial["base"] = EnquiryForm(initial=initial).initial["base"]
    # A question chosen from the library fills the form (GET ?use=<question id>&as=key|1|2|3).
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
    form = EnquiryForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if request.POST.get("use"):
            # A question chosen from the framework: the page comes back with it filled in and
            # everything typed kept; nothing is saved yet.
            form = _use_question(review, request.POST)
        elif form.is_valid():
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
                messages.success(request, "Enquiry saved.")
                return redirect("reviews:enquiry", pk=review.pk)
    questions = Question.objects.filter(theme__version=review.framework_version).select_related(
        "theme") if review.framework_version_id else Question.objects.none()
    services.record_disclosure(review, "enquiry_viewed", by=request.user)
    return render(request, "reviews/enquiry.html", _review_context(
        request, review, "enquiry", form=form, can_edit=can_edit, lines=lines,
        questions=questions, agreed_by=review.enquiry_agreed_by))


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


def plan(request, pk):
    review = get_review_for_request(request, pk, "reviews.view_content",
                                    write="reviews.edit_plan")
    can_edit = request.user.has_perm("reviews.edit_plan", review)
    form = ActivityForm(request.POST or None, review=review,
                        initial={"on": review.review_starts_on})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_activity(review, by=request.user, **form.values())
            except ValidationError as e:
                _errors_to_form(form, e)
            else:
                messages.success(request, "Activity added to the plan.")
                return redirect("reviews:plan", pk=review.pk)
    services.record_disclosure(review, "visit_plan_viewed", by=request.user)
    return render(request, "reviews/plan.html", _review_context(
        request, review, "visit_plan", form=form, can_edit=can_edit,
        activities=review.activities.all()))


def activity_edit(request, pk, activity_id):
    review = get_review_for_user(request.user, pk, "reviews.edit_plan")
    activity = get_child_for_user(request.user, Activity, activity_id, review)
    form = ActivityForm(request.POST or None, instance=activity, review=review)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_activity(review, by=request.user, activity=activity,
                                   expected_version=form.cleaned_data["lock_version"],
                                   base=form.cleaned_data["base"], **form.values())
        except services.EditConflict as e:
            form.add_error(None, _conflict_message("this activity")(e.current))
            form.show_conflict(e.current)
        except ValidationError as e:
            _errors_to_form(form, e)
        else:
            messages.success(request, "Activity saved.")
            return redirect("reviews:plan", pk=review.pk)
    return render(request, "reviews/form_page.html", _review_context(
        request, review, "visit_plan", form=form, heading="Change an activity", button="Save",
        back=reverse("reviews:plan", args=[review.pk]), back_label="Evidence-gathering plan"))


@require_POST
def activity_remove(request, pk, activity_id):
    review = get_review_for_user(request.user, pk, "reviews.edit_plan")
    activity = get_child_for_user(request.user, Activity, activity_id, review)
    try:
        services.remove_activity(activity, by=request.user)
        messages.success(request, "Activity removed.")
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("reviews:plan", pk=review.pk)


# Team --------------------------------------------------------------------------------------

def team(request, pk):
    review = get_review_for_request(request, pk, write="reviews.manage_team")
    can_manage = request.user.has_perm("reviews.manage_team", review)
    role = request.GET.get("role") or request.POST.get("role") or TeamMember.Role.REVIEWER
    if role not in TeamMember.Role.values:
        role = TeamMember.Role.REVIEWER
    if request.method == "POST":
        user_id = parse_id(request.POST.get("user"))
        person = User.objects.filter(pk=user_id).first() if user_id else None
        if person is None:
            messages.error(request, "Choose a person to invite")
        else:
            try:
                services.invite_to_team(review, person, role, by=request.user)
            except ValidationError as e:
                messages.error(request, f"{person.display_name} cannot be invited: "
                               + "; ".join(e.messages))
            else:
                messages.success(request, f"{person.display_name} invited as "
                                 f"{TeamMember.Role(role).label.lower()}.")
                return redirect(reverse("reviews:team", args=[review.pk]) + f"?role={role}")
    members = review.team.select_related("user", "school").order_by("status", "role")
    return render(request, "reviews/team.html", _review_context(
        request, review, "team", members=members, can_manage=can_manage, role=role,
        roles=TeamMember.Role.choices, problems=workflow.team_problems(review),
        candidates=teams.candidates(review, role) if can_manage else []))


def team_remove(request, pk, member_id):
    review = get_review_for_user(request.user, pk, "reviews.manage_team")
    member = get_child_for_user(request.user, TeamMember, member_id, review)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_from_team(member, by=request.user,
                                      reason=form.cleaned_data["reason"])
            messages.success(request, f"{member.user.display_name} removed from the team.")
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        return redirect("reviews:team", pk=review.pk)
    return render(request, "reviews/form_page.html", _review_context(
        request, review, "team", form=form, heading=f"Remove {member.user.display_name} from "
                                                    "the team?",
        button="Remove from the team", warning=True,
        back=reverse("reviews:team", args=[review.pk]), back_label="Review team"))


def invitation(request, member_id):
    member = get_invitation_for_user(request.user, member_id)
    form = RespondForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.respond_to_invitation(member, by=request.user,
                                           accept=form.cleaned_data["answer"] == "accept",
                                           reason=form.cleaned_data["reason"])
        except ValidationError as e:
            _errors_to_form(form, e)
        else:
            messages.success(request, "Thank you: your answer has been sent.")
            return redirect("reviews:detail", pk=member.review_id)
    return render(request, "reviews/invitation.html", {"member": member, "form": form,
                                                       "review": member.review})


# Evidence ------------------------------------------------------------------------------------

def evidence(request, pk):
    review = get_review_for_request(request, pk, "reviews.view_content",
                                    write="reviews.record_evidence")
    can_record = request.user.has_perm("reviews.record_evidence", review) and \
        review.status in services.EVIDENCE_STATUSES
    form = EvidenceForm(request.POST or None, request.FILES or None, review=review,
                        initial={"client_id": uuid.uuid4()})
    if request.method == "POST":
        result = _save_evidence_form(request, review, form)
        if result is not None:
            return result
    notes = (review.evidence.select_related("author", "line", "activity")
             .prefetch_related("attachments"))
    line_filter = request.GET.get("line", "")
    if line_filter == "key":
        notes = notes.filter(line__isnull=True)
    elif parse_id(line_filter):
        notes = notes.filter(line_id=parse_id(line_filter))
    services.record_disclosure(review, "evidence_viewed", by=request.user)
    return render(request, "reviews/evidence.html", _review_context(
        request, review, "evidence", form=form, can_record=can_record, notes=notes,
        line_filter=line_filter, lines=review.lines.all()))


def _save_evidence_form(request, review, form, note=None, as_json=False):
    """Shared by the add and edit pages and the autosave endpoint. Returns a response on
    success, None to show the form again (the autosave endpoint always answers JSON)."""
    is_async = as_json or request.headers.get("X-Autosave") == "1"
    if not form.is_valid():
        if is_async:
            return JsonResponse({"ok": False, "errors": form.errors.get_json_data()}, status=400)
        if set(form.errors) != {"file"}:
            return None
        # Only the file is refused: the note is saved as autosave would have saved it (with
        # the line and activity chosen), and the page says so beside the file's problem.
    d = form.cleaned_data
    line = get_child_for_user(request.user, LineOfEnquiry, d["line"], review) \
        if d["line"] else None
    activity = get_child_for_user(request.user, Activity, d["activity"], review) \
        if d["activity"] else None
    try:
        with transaction.atomic():
            note, created = services.save_evidence(
                review, by=request.user, text=d["text"], line=line, activity=activity,
                tags=d["tags"].split(","), client_id=d["client_id"],
                expected_version=d["lock_version"])
            if d.get("file"):
                services.add_evidence_attachment(note, d["file"], by=request.user)
    except services.EditConflict as e:
        message = ("This note was changed on another device while you were editing. Your text "
                   "is kept below; the saved text is shown above it")
        if is_async:
            return JsonResponse({"ok": False, "conflict": True, "message": message,
                                 "current": e.current.text,
                                 "version": e.current.lock_version}, status=409)
        form.add_error(None, message)
        form.conflict = e.current
        return None
    except ValidationError as e:
        if is_async:
            return JsonResponse({"ok": False, "errors": {"__all__": [
                {"message": m} for m in e.messages]}}, status=400)
        _errors_to_form(form, e)
        return None
    warnings = language.judgement_warnings(d["text"])
    if form.errors:  # the file was refused; the note is saved
        form.note_saved = note
        form.data = form.data.copy()
        form.data["lock_version"] = note.lock_version
        return None
    if is_async:
        return JsonResponse({"ok": True, "id": note.pk, "version": note.lock_version,
                             "saved_at": note.updated_at.isoformat(),
                             "edit_url": reverse("reviews:evidence_edit",
                                                 args=[review.pk, note.pk]),
                             "warnings": [{"word": w, "suggestion": s} for w, s in warnings]})
    _warn_language(request, warnings)
    messages.success(request, "Evidence saved.")
    return redirect(reverse("reviews:evidence", args=[review.pk]) + f"#note-{note.pk}")


@require_POST
def evidence_autosave(request, pk):
    review = get_review_for_user(request.user, pk, "reviews.record_evidence")
    form = EvidenceForm(request.POST, review=review)
    form.fields["file"].required = False
    return _save_evidence_form(request, review, form, as_json=True)


def evidence_edit(request, pk, note_id):
    review = get_review_for_user(request.user, pk, "reviews.record_evidence")
    note = get_child_for_user(request.user, EvidenceNote, note_id, review,
                              "reviews.edit_evidence_note")
    form = EvidenceForm(request.POST or None, request.FILES or None, review=review, initial={
        "client_id": note.client_id, "lock_version": note.lock_version, "line": note.line_id,
        "activity": note.activity_id, "text": note.text, "tags": ", ".join(note.tags)})
    if request.method == "POST":
        # An attachment's "Remove" is a button of the note's form: the note as typed is
        # saved first, then the file removed, so nothing typed is lost.
        remove = parse_id(request.POST.get("remove_attachment"))
        attachment = get_child_for_user(request.user, ReviewFile, remove, review,
                                        "reviews.remove_file") if remove else None
        result = _save_evidence_form(request, review, form, note)
        if result is not None and attachment is not None and result.status_code == 302:
            _remove_and_say(request, attachment)
            return redirect("reviews:evidence_edit", pk=review.pk, note_id=note.pk)
        if result is not None:
            return result
    return render(request, "reviews/evidence_edit.html", _review_context(
        request, review, "evidence", form=form, note=note,
        can_record=review.status in services.EVIDENCE_STATUSES))


@require_POST
def evidence_delete(request, pk, note_id):
    review = get_review_for_user(request.user, pk, "reviews.record_evidence")
    note = get_child_for_user(request.user, EvidenceNote, note_id, review,
                              "reviews.edit_evidence_note")
    try:
        services.delete_evidence(note, by=request.user)
        messages.success(request, "Note deleted.")
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("reviews:evidence", pk=review.pk)


# Findings ------------------------------------------------------------------------------------

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
            messages.success(request, "Findings saved." if saved else "Nothing had changed.")
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


def _conflict_message(what: str):
    """The message above a section someone else saved first (``forms.save_sections``)."""
    def message(current) -> str:
        by = getattr(current, "updated_by", None)
        who = by.display_name if by else "Someone else"
        return (f"{who} saved {what} while you were editing, so your changes were not saved. "
                "Your text is still in the boxes and theirs is shown beside it: combine them "
                "and save again")
    return message


# Report --------------------------------------------------------------------------------------

def _report_or_404(review, number=None):
    reports = review.reports.prefetch_related(Prefetch(
        "comments", queryset=ReportComment.objects.select_related("author")))
    report = reports.filter(number=number).first() if number else reports.first()
    if number and report is None:
        raise Http404
    return report


def report(request, pk, number=None):
    review = get_review_for_request(request, pk, "reviews.view_report",
                                    write="reviews.compile_report")
    user = request.user
    content_ok = user.has_perm("reviews.view_content", review)
    report = _report_or_404(review, number)
    if not content_ok:
        # Shared beyond the review: the agreed version only.
        agreed = review.reports.filter(status=Report.State.AGREED).first()
        if report is None or report.status != Report.State.AGREED:
            report = agreed
        if report is None:
            raise Http404
    can_compile = user.has_perm("reviews.compile_report", review)
    form = None
    compiling = review.status in ("feedback_given", "report_agreed", "acting", "closed")
    # A write reaching here has passed compile_report (the access helper); what is left to
    # check is the state: a report still being written.
    if (can_compile or request.method == "POST") and compiling and (
            report is None or not report.is_locked or number is None):
        open_report = review.reports.exclude(status__in=["agreed", "superseded"]).first()
        form = ReportForm(request.POST or None, initial={
            "summary": (open_report or report).summary if (open_report or report) else "",
            "lock_version": open_report.lock_version if open_report else 0})
        if request.method == "POST":
            if form.is_valid():
                try:
                    report = services.compile_report(
                        review, by=user, summary=form.cleaned_data["summary"],
                        expected_version=form.cleaned_data["lock_version"],
                        base=form.cleaned_data["base"])
                except services.EditConflict as e:
                    form.add_error(None, _conflict_message("the summary")(e.current))
                    form.show_conflict(e.current)
                except ValidationError as e:
                    _errors_to_form(form, e)
                else:
                    _warn_language(request, language.judgement_warnings(
                        form.cleaned_data["summary"]))
                    messages.success(request, f"Report version {report.number} saved with the "
                                              "current findings.")
                    return redirect("reviews:report", pk=review.pk)
    elif request.method == "POST":
        raise PermissionDenied
    if report is not None and not request.headers.get("HX-Request"):  # polls are not looks
        services.record_disclosure(review, "report_viewed", by=user, version=report.number,
                                   shared=not content_ok)
    comments = list(report.comments.select_related("author")) if report else []
    for c in comments:  # an answer typed but not yet saved is shown again, never dropped
        c.typed = request.POST.get(f"response-{c.pk}", "")
    return render(request, "reviews/report.html", _review_context(
        request, review, "report", report=report, form=form, can_compile=can_compile,
        comments=comments,
        can_check=user.has_perm("reviews.check_report", review),
        comment_form=CommentForm(), resolve_form=ResolveForm(), content_ok=content_ok,
        versions=review.reports.all() if content_ok else [],
        judgement=language.judgement_warnings(
            report.summary, *[s.get("working_well", "") + " " + s.get("explore_further", "")
                              for s in report.sections]) if report else []))


def _summary_changed(request, review) -> bool:
    """The lead reviewer's page is one form (the comment answers and "Send for the check"
    post it to their own addresses): True when the summary posted with them differs from
    the one the page showed, so it must be saved rather than dropped."""
    if "summary" not in request.POST:
        return False
    form = ReportForm(request.POST)
    return form.is_valid() and form.typed_a_change


def _save_summary_first(request, review):
    """Save a changed summary through the report page; a response to show instead (a
    conflict, an error) or None when it was saved or had not changed."""
    if not _summary_changed(request, review):
        return None
    response = report(request, review.pk)
    return None if response.status_code == 302 else response


@require_POST
def report_submit(request, pk):
    review = get_review_for_user(request.user, pk, "reviews.compile_report")
    shown = _save_summary_first(request, review)
    if shown is not None:
        return shown
    report = review.reports.filter(status=Report.State.DRAFT).first()
    if report is None:
        messages.error(request, "There is no draft to send")
    else:
        try:
            services.submit_report(report, by=request.user)
            messages.success(request, "Sent to the host headteacher for a factual-accuracy "
                                      "check.")
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
    return redirect("reviews:report", pk=review.pk)


@require_POST
def report_comment(request, pk):
    review = get_review_for_user(request.user, pk, "reviews.check_report")
    report = review.reports.filter(status=Report.State.CHECKING).first()
    form = CommentForm(request.POST)
    if report is None:
        messages.error(request, "There is no report waiting for your check")
    elif not form.is_valid():
        messages.error(request, "Enter your comment")
    else:
        try:
            services.comment_on_report(report, by=request.user, text=form.cleaned_data["text"])
            messages.success(request, "Comment sent to the lead reviewer.")
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
    return redirect("reviews:report", pk=review.pk)


@require_POST
def report_resolve(request, pk, comment_id):
    review = get_review_for_user(request.user, pk, "reviews.compile_report")
    comment = get_child_for_user(request.user, ReportComment, comment_id, review)
    shown = _save_summary_first(request, review)
    if shown is not None:
        return shown
    # One form for the whole page: each comment's answer has its own field.
    form = ResolveForm({"response": request.POST.get(f"response-{comment.pk}",
                                                     request.POST.get("response", ""))})
    if not form.is_valid():
        messages.error(request, "Say what you changed, or why the text stands")
    else:
        try:
            services.resolve_comment(comment, by=request.user,
                                     response=form.cleaned_data["response"])
            messages.success(request, "Answer saved.")
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
    return redirect("reviews:report", pk=review.pk)


@require_POST
def report_accept(request, pk):
    review = get_review_for_user(request.user, pk, "reviews.check_report")
    report = review.reports.filter(status=Report.State.CHECKING).first()
    typed = (request.POST.get("text") or "").strip()
    if report is not None and typed:
        # A comment typed and then "Accept" pressed: the comment is sent, not lost, and the
        # report waits for the lead reviewer's answer.
        try:
            services.comment_on_report(report, by=request.user, text=typed)
            messages.warning(request, "Your comment was sent to the lead reviewer, so the "
                                      "report is not accepted yet. Accept it once they have "
                                      "answered.")
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
    elif report is None:
        messages.error(request, "There is no report waiting for your check")
    else:
        try:
            services.accept_report(report, by=request.user,
                                   expected_version=parse_id(request.POST.get("version") or "")
                                   if request.POST.get("version") != "0" else 0)
            messages.success(request, f"Report version {report.number} agreed and locked. The "
                                      "PDF is being prepared.")
        except services.EditConflict:
            messages.error(request, "The lead reviewer changed the report after you opened it. "
                                    "Read it again before accepting.")
        except workflow.TransitionRefused as e:
            for reason in e.reasons:
                messages.error(request, reason)
    return redirect("reviews:report", pk=review.pk)


@require_GET
def report_pdf(request, pk, number):
    review = get_review_for_user(request.user, pk, "reviews.view_report")
    report = _report_or_404(review, number)
    if report.status != Report.State.AGREED and not (
            report.status == Report.State.SUPERSEDED
            and request.user.has_perm("reviews.view_content", review)):
        raise Http404
    if report.pdf_status != "done":
        if request.headers.get("HX-Request"):
            return HttpResponse(status=204)
        return render(request, "reviews/pdf_waiting.html", _review_context(
            request, review, "report", report=report), status=202)
    services.record_disclosure(review, "report_downloaded", by=request.user,
                               version=report.number)
    return private_download(report.pdf, "application/pdf",
                            f"peer-review-report-{review.host.urn}-v{report.number}.pdf")


# Sharing and disclosures -----------------------------------------------------------------------

def sharing(request, pk):
    review = get_review_for_request(request, pk, "reviews.view_disclosures",
                                    write="reviews.share_report")
    can_share = request.user.has_perm("reviews.share_report", review)
    form = ShareForm(request.POST or None)
    if request.method == "POST":
        withdraw = parse_id(request.POST.get("withdraw"))
        if withdraw:
            share = get_child_for_user(request.user, ReportShare, withdraw, review)
            services.withdraw_share(share, by=request.user)
            messages.success(request, "Sharing withdrawn.")
            return redirect("reviews:sharing", pk=review.pk)
        if form.is_valid():
            try:
                services.share_report(review, form.cleaned_data["audience"], by=request.user)
            except ValidationError as e:
                _errors_to_form(form, e)
            else:
                messages.success(request, "The agreed report is shared.")
                return redirect("reviews:sharing", pk=review.pk)
    log = (AuditEvent.objects.filter(object_type="reviews.review", object_id=str(review.pk))
           .filter(action__regex=r"^(disclosure|report\.(shared|share_withdrawn))")
           .select_related("actor").order_by("-created_at")[:200])
    return render(request, "reviews/sharing.html", _review_context(
        request, review, "sharing", form=form, can_share=can_share, log=log,
        shares=review.shares.select_related("shared_by", "withdrawn_by"),
        has_agreed=review.reports.filter(status=Report.State.AGREED).exists()))


# Safeguarding ----------------------------------------------------------------------------------

def safeguarding(request, pk):
    review = get_review_for_user(request.user, pk, "reviews.raise_safeguarding")
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.raise_concern(review, by=request.user, **form.cleaned_data)
        if form.cleaned_data["about_headteacher"] and not services.safeguarding_officers():
            messages.warning(request, "The concern is recorded, but no programme safeguarding "
                                      "officer is set up to read it yet; the programme team has "
                                      "been asked to appoint one. If a child may be at risk, "
                                      "contact the local authority designated officer (LADO) "
                                      "now.")
        else:
            messages.success(request, "The concern has been recorded and passed on. It is not "
                                      "part of the review notes or report.")
        return redirect("reviews:detail", pk=review.pk)
    return render(request, "reviews/safeguarding.html", _review_context(
        request, review, "overview", form=form))


def safeguarding_detail(request, concern_id):
    concern = get_concern_for_user(request.user, concern_id)
    require_write(request, "reviews.acknowledge_safeguarding_concern", concern)
    if request.method == "POST":
        services.acknowledge_concern(concern, by=request.user)
        messages.success(request, "Marked as seen.")
        return redirect("reviews:safeguarding_detail", concern_id=concern.pk)
    # Audited on the concern itself, so the host's disclosure log does not reveal a record
    # about the headteacher.
    audit.record("safeguarding.viewed", actor=request.user, obj=concern)
    return render(request, "reviews/safeguarding_detail.html", {"concern": concern})

