from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from apps.core import search

from . import services
from .access import (
    get_framework_for_user,
    get_shortlist_item_for_user,
    get_version_for_user,
    shortlist_schools,
)
from .forms import QuestionForm, SearchForm, ThemeForm, VersionForm
from .models import QUESTION_INDEX, Framework, FrameworkVersion, Question, ShortlistItem
from .presenters import USAGE_THRESHOLD, usage_by_ref, version_diff

Status = FrameworkVersion.Status


def _need(user, perm, obj=None):
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _int(value) -> int | None:
    """A database id from user input, or None."""
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def _shortlist_context(user):
    """The schools this person may shortlist for, and which questions each has saved."""
    schools = [s for s in shortlist_schools(user)
               if user.has_perm("frameworks.change_shortlist", s)]
    saved = {f"{school_id}:{ref}" for school_id, ref in ShortlistItem.objects.filter(
        school__in=schools).values_list("school_id", "question__ref")}
    return {"shortlist_schools": schools, "shortlisted": saved}


@require_safe
def framework_list(request):
    _need(request.user, "frameworks.view_frameworks")
    can_edit = request.user.has_perm("frameworks.edit_frameworks")
    rows = []
    for framework in Framework.objects.all():
        published = framework.published_version()
        if published or can_edit:
            rows.append({"framework": framework, "published": published,
                         "open": framework.open_version() if can_edit else None})
    return render(request, "frameworks/list.html", {"rows": rows, "can_edit": can_edit})


@require_safe
def framework_detail(request, slug):
    framework = get_framework_for_user(request.user, slug)
    version = framework.published_version() or framework.versions.filter(
        status=Status.RETIRED).order_by("-number").first()
    if version is None:  # only the core team gets here: show the versions instead
        return redirect("frameworks:versions", slug=slug)
    return _render_version(request, version)


@require_safe
def version_detail(request, slug, number):
    version = get_version_for_user(request.user, slug, number)
    return _render_version(request, version)


def _render_version(request, version):
    themes = list(version.themes.prefetch_related("questions__prompts"))
    refs = [q.ref for t in themes for q in t.questions.all()]
    can_edit = request.user.has_perm("frameworks.edit_frameworks")
    context = {
        "version": version, "framework": version.framework, "themes": themes,
        "usage": usage_by_ref(refs), "usage_threshold": USAGE_THRESHOLD,
        "can_edit": can_edit,
        "problems": services.publication_problems(version) if can_edit
        and version.status in FrameworkVersion.OPEN_STATUSES else [],
        "previous": version.framework.versions.filter(number__lt=version.number).first(),
        **_shortlist_context(request.user),
    }
    return render(request, "frameworks/version.html", context)


@require_safe
def versions(request, slug):
    framework = get_framework_for_user(request.user, slug)
    _need(request.user, "frameworks.edit_frameworks")
    return render(request, "frameworks/versions.html", {
        "framework": framework, "versions": framework.versions.all(),
        "open": framework.open_version()})


@require_POST
def new_version(request, slug):
    framework = get_framework_for_user(request.user, slug)
    _need(request.user, "frameworks.edit_frameworks")
    try:
        version = services.start_new_version(framework, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("frameworks:versions", slug=slug)
    messages.success(request, _("Version %(n)s started as a draft.") % {"n": version.number})
    return redirect("frameworks:version", slug=slug, number=version.number)


def edit_version(request, slug, number):
    version = get_version_for_user(request.user, slug, number, edit=True)
    if not version.is_editable:
        raise Http404("Only drafts can be edited")
    form = VersionForm(request.POST or None, initial={
        "title": version.title, "summary": version.summary, "change_note": version.change_note})
    if request.method == "POST" and form.is_valid():
        services.update_version_details(version, by=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("frameworks:version", slug=slug, number=number)
    return render(request, "frameworks/edit_form.html", {
        "form": form, "version": version, "heading": _("Edit title and summary"),
        "button": _("Save")})


def edit_theme(request, slug, number, theme_id=None):
    version = get_version_for_user(request.user, slug, number, edit=True)
    if not version.is_editable:
        raise Http404("Only drafts can be edited")
    theme = None
    if theme_id is not None:
        theme = version.themes.filter(pk=theme_id).first()
        if theme is None:
            raise Http404("No such theme")
    form = ThemeForm(request.POST or None, initial={
        "title": theme.title, "summary": theme.summary, "position": theme.position}
        if theme else None)
    if request.method == "POST" and form.is_valid():
        services.save_theme(version, theme=theme, by=request.user, **form.cleaned_data)
        messages.success(request, _("Theme saved."))
        return redirect("frameworks:version", slug=slug, number=number)
    return render(request, "frameworks/edit_form.html", {
        "form": form, "version": version, "button": _("Save theme"), "theme": theme,
        "heading": _("Edit theme") if theme else _("Add a theme")})


@require_POST
def delete_theme(request, slug, number, theme_id):
    version = get_version_for_user(request.user, slug, number, edit=True)
    theme = version.themes.filter(pk=theme_id).first()
    if theme is None or not version.is_editable:
        raise Http404("No such theme")
    try:
        services.delete_theme(theme, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Theme “%(title)s” deleted.") % {"title": theme.title})
    return redirect("frameworks:version", slug=slug, number=number)


def edit_question(request, slug, number, question_id=None):
    version = get_version_for_user(request.user, slug, number, edit=True)
    if not version.is_editable:
        raise Http404("Only drafts can be edited")
    question = None
    initial = {"theme": request.GET.get("theme")}
    if question_id is not None:
        question = Question.objects.filter(pk=question_id, theme__version=version).first()
        if question is None:
            raise Http404("No such question")
        prompts = {k: "\n".join(p.text for p in question.prompts.all() if p.kind == k)
                   for k in ("evidence", "people", "look_for")}
        initial = {"theme": question.theme_id, "text": question.text,
                   "phases": question.phases, **prompts}
    form = QuestionForm(request.POST or None, version=version, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        services.save_question(version, theme=d["theme"], question=question, text=d["text"],
                               phases=d["phases"], prompts=form.prompts(), by=request.user)
        messages.success(request, _("Question saved."))
        return redirect(reverse("frameworks:version", args=[slug, number])
                        + f"#theme-{d['theme'].pk}")
    return render(request, "frameworks/edit_form.html", {
        "form": form, "version": version, "button": _("Save question"),
        "heading": _("Edit question") if question else _("Add a question")})


@require_POST
def delete_question(request, slug, number, question_id):
    version = get_version_for_user(request.user, slug, number, edit=True)
    question = Question.objects.filter(pk=question_id, theme__version=version).first()
    if question is None or not version.is_editable:
        raise Http404("No such question")
    services.delete_question(question, by=request.user)
    messages.success(request, _("Question deleted."))
    return redirect("frameworks:version", slug=slug, number=number)


ACTIONS = {
    "submit": (services.submit_for_review, gettext_lazy("Sent for review.")),
    "return": (services.return_to_draft, gettext_lazy("Returned to draft.")),
    "publish": (services.publish_version,
                gettext_lazy("Published. The previous version is retired.")),
    "retire": (services.retire_version, gettext_lazy("Retired.")),
}


def change_status(request, slug, number):
    version = get_version_for_user(request.user, slug, number, edit=True)
    if request.method == "GET":  # retiring asks first
        if request.GET.get("action") != "retire" or version.status != Status.PUBLISHED:
            return redirect("frameworks:version", slug=slug, number=number)
        return render(request, "frameworks/confirm_retire.html", {"version": version})
    action = ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Choose what to do with this version."))
        return redirect("frameworks:version", slug=slug, number=number)
    function, done = action
    try:
        function(version, by=request.user)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(request, done)
    return redirect("frameworks:version", slug=slug, number=number)


@require_safe
def diff(request, slug, number):
    version = get_version_for_user(request.user, slug, number)
    against_number = _int(request.GET.get("against"))
    other = None
    if against_number is not None:
        other = version.framework.versions.filter(number=against_number).first()
    if other is None:
        other = version.based_on or version.framework.versions.filter(
            number__lt=version.number).first()
    if other is None or (other.status in FrameworkVersion.OPEN_STATUSES
                         and not request.user.has_perm("frameworks.edit_frameworks")):
        raise Http404("Nothing to compare with")
    old, new = (other, version) if other.number < version.number else (version, other)
    changes = version_diff(old, new)
    return render(request, "frameworks/diff.html", {
        "framework": version.framework, "old": old, "new": new,
        "changes": [c for c in changes if c.changed] if request.GET.get("all") != "1"
        else changes, "showing_all": request.GET.get("all") == "1"})


@require_safe
def question_search(request):
    _need(request.user, "frameworks.view_frameworks")
    published = Question.objects.filter(theme__version__status=Status.PUBLISHED)
    # One query for every framework's published version (not one per framework).
    frameworks = (FrameworkVersion.objects.filter(status=Status.PUBLISHED)
                  .select_related("framework").order_by("framework__kind", "framework__slug"))
    themes = sorted(set(published.values_list("theme__title", flat=True)))
    form = SearchForm(request.GET or None, frameworks=frameworks, themes=themes)
    results = []
    searched = False
    if form.is_valid():
        d = form.cleaned_data
        qs = published.select_related("theme__version__framework").prefetch_related("prompts")
        if d["framework"]:
            qs = qs.filter(theme__version__framework__slug=d["framework"])
        if d["theme"]:
            qs = qs.filter(theme__title=d["theme"])
        if d["q"].strip():
            searched = True
            results = QUESTION_INDEX.search(qs, d["q"])
        elif d["framework"] or d["theme"] or d["phase"]:
            searched = True
            results = list(qs)
        if d["phase"]:
            results = [q for q in results if not q.phases or d["phase"] in q.phases]
    context = {"form": form, "results": results[:100], "total": len(results),
               "searched": searched, "degraded": search.is_degraded(),
               "usage": usage_by_ref([q.ref for q in results[:100]]),
               **_shortlist_context(request.user)}
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        return render(request, "frameworks/_search_results.html", context)
    return render(request, "frameworks/search.html", context)


@require_safe
def shortlist(request):
    _need(request.user, "frameworks.use_shortlist")
    schools = list(shortlist_schools(request.user))
    items = (ShortlistItem.objects.filter(school__in=schools)
             .select_related("school", "question__theme__version__framework", "added_by"))
    by_school = [{"school": s, "items": [i for i in items if i.school_id == s.pk],
                  "can_change": request.user.has_perm("frameworks.change_shortlist", s)}
                 for s in schools]
    return render(request, "frameworks/shortlist.html", {"by_school": by_school})


@require_POST
def shortlist_add(request):
    question_id = _int(request.POST.get("question"))
    question = Question.objects.filter(pk=question_id, theme__version__status=Status.PUBLISHED) \
        .first() if question_id else None
    school = next((s for s in shortlist_schools(request.user)
                   if str(s.pk) == request.POST.get("school")), None)
    if question is None or school is None:
        raise Http404("No such question or school")
    _need(request.user, "frameworks.change_shortlist", school)
    services.shortlist_question(school, question, by=request.user)
    messages.success(request, _("Saved to %(name)s's shortlist.") % {"name": school.name})
    back = request.POST.get("next", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect("frameworks:shortlist")


@require_POST
def shortlist_remove(request, pk):
    item = get_shortlist_item_for_user(request.user, pk)
    services.remove_from_shortlist(item, by=request.user)
    messages.success(request, "Removed from the shortlist.")
    return redirect("frameworks:shortlist")


@require_POST
def shortlist_choose(request, pk):
    item = get_shortlist_item_for_user(request.user, pk)
    chosen = request.POST.get("chosen") == "1"
    services.choose_for_review(item, chosen=chosen, by=request.user)
    messages.success(request, "Marked as your key enquiry question." if chosen
                     else "No longer marked as your key enquiry question.")
    return redirect("frameworks:shortlist")
