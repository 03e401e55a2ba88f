from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from apps.accounts import services
from apps.accounts.models import Role
from apps.accounts.roles import is_core_team

from .access import (
    get_assignment_for_user,
    get_invitation_for_user,
    get_person_for_user,
    invitations_in_scope,
    people_in_scope,
    role_ender,
    roles_in_scope,
)
from .forms import ChangeEmailForm, InviteForm, TrainingDatesForm


@require_safe
def people(request):
    if not request.user.has_perm("accounts.manage_people"):
        raise PermissionDenied
    q = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    users = people_in_scope(request.user)
    if q:
        users = users.filter(Q(full_name__icontains=q) | Q(email__icontains=q))
    users = users.prefetch_related(Prefetch(
        "roles", queryset=roles_in_scope(request.user).select_related("school", "partnership"),
        to_attr="current_roles")).order_by("full_name", "email")
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    may_end = role_ender(request.user)
    for person in page.object_list:
        for ra in person.current_roles:
            ra.can_end = may_end(ra)  # the Remove link only where it can be used
    invitations = invitations_in_scope(request.user).filter(
        accepted_at__isnull=True).select_related("school", "partnership", "invited_by")[:100]
    return render(request, "people/people.html", {
        "page": page, "q": q, "invitations": invitations, "query": f"q={q}" if q else ""})


def invite(request):
    if not request.user.has_perm("accounts.manage_people"):
        raise PermissionDenied
    initial = {}
    if request.GET.get("partnership"):
        initial["partnership"] = request.GET["partnership"]
    form = InviteForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            invitation = services.invite(by=request.user, email=d["email"],
                                         full_name=d["full_name"], role=d["role"],
                                         partnership=d.get("partnership"), school=d.get("school"),
                                         request=request)
        except PermissionDenied:
            form.add_error("role", _("You cannot invite people to this role for that school "
                                     "or partnership"))
        except ValidationError as exc:
            for m in exc.messages:
                form.add_error(None, m)
        else:
            messages.success(request, _("Invitation sent to %(email)s.")
                             % {"email": invitation.email})
            if invitation.partnership and not is_core_team(request.user):
                return redirect("partnerships:people", slug=invitation.partnership.slug)
            return redirect("people:people")
    return render(request, "people/invite.html", {"form": form})


def training_dates(request, pk: int):
    person = get_person_for_user(request.user, pk, "accounts.set_training_dates")
    form = TrainingDatesForm(request.POST or None, initial={
        "reviewer_trained_until": person.reviewer_trained_until,
        "champion_trained_until": person.champion_trained_until})
    if request.method == "POST" and form.is_valid():
        services.set_training_dates(person, by=request.user, request=request,
                                    **form.cleaned_data)
        messages.success(request, _("Training dates saved for %(name)s.")
                         % {"name": person.display_name})
        return redirect("people:people")
    return render(request, "people/training_dates.html", {"form": form, "person": person})


def change_email(request, pk: int):
    person = get_person_for_user(request.user, pk, "accounts.change_sign_in_email")
    form = ChangeEmailForm(request.POST or None, initial={"email": person.email})
    if request.method == "POST" and form.is_valid():
        try:
            services.change_email(person, form.cleaned_data["email"], by=request.user,
                                  request=request)
        except ValidationError as exc:
            form.add_error("email", exc.messages[0])
        else:
            messages.success(request, _("%(name)s now signs in with %(email)s.")
                             % {"name": person.display_name, "email": person.email})
            return redirect("people:people")
    return render(request, "people/change_email.html", {"form": form, "person": person})


@require_POST
def revoke_invitation(request, pk: int):
    invitation = get_invitation_for_user(request.user, pk)
    services.revoke_invitation(invitation, by=request.user, request=request)
    messages.success(request, _("The invitation to %(email)s was withdrawn.")
                     % {"email": invitation.email})
    return redirect(_back(request, "people:people"))


def _back(request, default: str) -> str:
    """A same-site page to return to, from ``next``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) \
            and target.startswith("/"):
        return target
    return reverse(default)


def end_role(request, pk: int):
    """Removing a role asks first; the role's history is kept."""
    assignment = get_assignment_for_user(request.user, pk)
    back = _back(request, "people:people")
    if assignment.user_id == request.user.pk and assignment.role == Role.CORE_TEAM:
        messages.error(request, _("You cannot remove your own core team role."))
        return redirect(back)
    if request.method == "POST":
        services.end_role(assignment, by=request.user, request=request)
        messages.success(request, _("%(name)s no longer holds the role %(role)s (%(scope)s).")
                         % {"name": assignment.user.display_name,
                            "role": assignment.get_role_display(),
                            "scope": assignment.scope_label})
        return redirect(back)
    return render(request, "people/confirm_end_role.html",
                  {"assignment": assignment, "back": back})
