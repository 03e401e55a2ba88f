from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from apps.accounts.models import Invitation, Role, RoleAssignment
from apps.accounts.roles import is_core_team
from apps.core import dates
from apps.core.paging import page_of

from . import services
from .access import get_partnership_for_user
from .forms import AddSchoolForm, LeaveForm, PartnershipForm, PhaseForm
from .selectors import visible_partnerships

PAGE_SIZE = 50  # partnerships a page of the list shows
INVITATIONS_PAGE_SIZE = 50  # invitations a page of a partnership's people shows


def _form_error(form, exc: ValidationError, field=None):
    for message in exc.messages:
        form.add_error(field, message)


@require_safe
def partnership_list(request):
    if not request.user.has_perm("partnerships.list_partnerships"):
        raise PermissionDenied
    partnerships = visible_partnerships(request.user).with_current_counts() \
        .select_related("organisation").order_by("name", "pk")
    return render(request, "partnerships/list.html", {
        **page_of(request, partnerships, PAGE_SIZE),
        "can_add": request.user.has_perm("partnerships.add_partnership"),
    })


def partnership_create(request):
    if not request.user.has_perm("partnerships.add_partnership"):
        raise PermissionDenied
    form = PartnershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            p = services.create_partnership(by=request.user, request=request,
                                            **form.cleaned_data)
        except ValidationError as exc:
            _form_error(form, exc, "name")
        else:
            messages.success(request, _("%(partnership)s set up. Now add its schools.")
                             % {"partnership": p.name})
            return redirect("partnerships:detail", slug=p.slug)
    return render(request, "partnerships/create.html", {"form": form})


@require_safe
def partnership_detail(request, slug):
    p = get_partnership_for_user(request.user, slug)
    memberships = p.memberships.select_related("school").order_by("left_on", "school__name")
    people = (RoleAssignment.objects.current().filter(partnership=p)
              .select_related("user").order_by("role", "user__full_name"))
    school_ids = [m.school_id for m in memberships if m.is_current()]
    heads = {}
    for ra in RoleAssignment.objects.current().filter(
            school_id__in=school_ids, role=Role.HEADTEACHER).select_related("user"):
        heads.setdefault(ra.school_id, []).append(ra.user)
    # Delivery partners attached today (their pages are in apps.delivery).
    delivery = list(p.delivery_attachments.current().select_related("delivery_partner__person")
                    .order_by("delivery_partner__person__full_name", "scope"))
    for att in delivery:
        att.can_open = request.user.has_perm("delivery.view_attachment", att)
    return render(request, "partnerships/detail.html", {
        "delivery": delivery,
        "partnership": p,
        "current": [m for m in memberships if m.is_current()],
        "former": [m for m in memberships if not m.is_current()],
        "people": people,
        "heads": heads,
        "phases": p.phase_history.all(),
        "cycles": p.cycles.all(),
        "can_start_cycle": request.user.has_perm("partnerships.manage_schools", p),
        "can_manage_schools": request.user.has_perm("partnerships.manage_schools", p),
        "can_manage_people": request.user.has_perm("partnerships.manage_people", p),
        "can_change_phase": request.user.has_perm("partnerships.change_phase", p),
        "add_form": AddSchoolForm(),
    })


def add_school(request, slug):
    p = get_partnership_for_user(request.user, slug, "partnerships.manage_schools")
    form = AddSchoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        schools = form.cleaned_data["schools"]
        try:
            services.add_schools(p, schools, joined_on=form.cleaned_data["joined_on"],
                                 by=request.user, request=request)
        except ValidationError as exc:
            _form_error(form, exc, "schools")
        else:
            names = [s.name for s in schools]
            added = names[0] if len(names) == 1 else \
                _("%(count)s schools (%(names)s and %(last)s)") % {
                    "count": len(names), "names": ", ".join(names[:-1]), "last": names[-1]}
            messages.success(request, _("%(added)s added to %(partnership)s.")
                             % {"added": added, "partnership": p.name})
            return redirect("partnerships:detail", slug=p.slug)
    return render(request, "partnerships/add_school.html", {"partnership": p, "form": form})


def remove_school(request, slug, membership_id):
    p = get_partnership_for_user(request.user, slug, "partnerships.manage_schools")
    membership = p.memberships.filter(pk=membership_id, left_on__isnull=True) \
        .select_related("school").first()
    if membership is None:
        raise Http404("No such membership")
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_school(membership, left_on=form.cleaned_data["left_on"],
                                   by=request.user, request=request)
        except ValidationError as exc:
            _form_error(form, exc, "left_on")
        else:
            messages.success(request, _("%(school)s has left %(partnership)s.")
                             % {"school": membership.school.name, "partnership": p.name})
            return redirect("partnerships:detail", slug=p.slug)
    return render(request, "partnerships/remove_school.html",
                  {"partnership": p, "membership": membership, "form": form})


def change_phase(request, slug):
    p = get_partnership_for_user(request.user, slug, "partnerships.change_phase")
    form = PhaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.change_phase(p, by=request.user, request=request,
                                           **form.cleaned_data)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            p.refresh_from_db()
            messages.success(request, _phase_message(p, change))
            return redirect("partnerships:change_phase", slug=p.slug)
    latest = services.latest_phase_change(p)
    return render(request, "partnerships/change_phase.html", {
        "partnership": p, "form": form, "latest": latest, "today": timezone.localdate(),
        "history": p.phase_history.order_by("-started_on", "-id")})


def _phase_message(p, change) -> str:
    if change.started_on > timezone.localdate():
        return _("%(partnership)s moves to the %(phase)s phase on %(day)s. Until then it "
                 "stays in the %(current)s phase.") % {
            "partnership": p.name, "phase": change.get_phase_display(),
            "day": dates.date_text(change.started_on), "current": p.get_phase_display()}
    return _("%(partnership)s is now in the %(phase)s phase.") % {
        "partnership": p.name, "phase": p.get_phase_display()}


def _latest_change(p, change_id):
    change = p.phase_history.filter(pk=change_id).first()
    if change is None:
        raise Http404("No such phase change")
    return change


def correct_phase(request, slug, change_id):
    p = get_partnership_for_user(request.user, slug, "partnerships.change_phase")
    change = _latest_change(p, change_id)
    form = PhaseForm(request.POST or None, initial={
        "phase": change.phase, "started_on": change.started_on, "note": change.note})
    form.fields["phase"].label = _("Phase")
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_phase_change(change, by=request.user, request=request,
                                          **form.cleaned_data)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            p.refresh_from_db()
            messages.success(request, _("Phase corrected.") + " " + _phase_message(p, change))
            return redirect("partnerships:change_phase", slug=p.slug)
    return render(request, "partnerships/correct_phase.html", {
        "partnership": p, "form": form, "change": change})


def undo_phase(request, slug, change_id):
    p = get_partnership_for_user(request.user, slug, "partnerships.change_phase")
    change = _latest_change(p, change_id)
    before = p.phase_history.exclude(pk=change.pk).order_by("-started_on", "-id").first()
    error = None
    if request.method == "POST":
        try:
            services.undo_phase_change(change, by=request.user, request=request)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            p.refresh_from_db()
            messages.success(request, _("Undone: %(partnership)s is in the %(phase)s phase.")
                             % {"partnership": p.name, "phase": p.get_phase_display()})
            return redirect("partnerships:change_phase", slug=p.slug)
    return render(request, "partnerships/undo_phase.html", {
        "partnership": p, "change": change, "before": before, "error": error})


@require_safe
def people(request, slug):
    p = get_partnership_for_user(request.user, slug, "partnerships.manage_people")
    school_ids = list(p.current_memberships().values_list("school_id", flat=True))
    assignments = (RoleAssignment.objects.current()
                   .filter(partnership=p) | RoleAssignment.objects.current()
                   .filter(school_id__in=school_ids)).select_related("user", "school") \
        .order_by("user__full_name", "role")
    invitations = (p.invitations.all() | Invitation.objects.filter(school_id__in=school_ids)) \
        .select_related("school", "invited_by").order_by("-created_at")
    invited = page_of(request, invitations, INVITATIONS_PAGE_SIZE)
    # Only the core team ends associate roles (people.access.get_assignment_for_user): the
    # Remove link only where it can be used.
    core = is_core_team(request.user)
    assignments = list(assignments)
    for ra in assignments:
        ra.can_end = core or ra.role != Role.ASSOCIATE
    return render(request, "partnerships/people.html", {
        "partnership": p, "assignments": assignments,
        "invitations": invited["page"].object_list, "invited": invited})
