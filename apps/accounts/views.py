from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from . import services
from .forms import AcceptInvitationForm
from .middleware import needs_mfa_setup
from .models import MFA_REQUIRED_ROLES, Invitation, User
from .roles import leader_school_ids, school_ids_for


@require_safe
def me(request):
    user = request.user
    roles = user.roles.current().select_related("school", "partnership")
    has_totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    mfa_required = user.roles.current().filter(role__in=MFA_REQUIRED_ROLES).exists()
    # Reviewing preferences are for people who can be placed on review teams (school
    # leaders); training rows for school people and anyone with training on record.
    return render(request, "accounts/me.html", {
        "roles": roles, "has_totp": has_totp, "mfa_required": mfa_required,
        "today": timezone.localdate(), "leads_school": bool(leader_school_ids(user)),
        "shows_training": bool(school_ids_for(user)) or bool(
            user.reviewer_trained_until or user.champion_trained_until)})


@login_not_required
def accept_invitation(request, token: str):
    invitation = Invitation.objects.filter(token=token).select_related(
        "school", "partnership", "invited_by").first()
    if invitation is None or not invitation.is_open:
        return _invitation_closed(request, invitation)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    user = request.user if request.user.is_authenticated else None
    if existing is not None:
        # The invitee already has an account: they accept signed in as themselves.
        return _accept_with_account(request, invitation, existing, user)
    if user is not None:
        return render(request, "accounts/invitation_other_account.html",
                      {"invitation": invitation}, status=403)
    return _accept_with_new_account(request, invitation)


def _invitation_closed(request, invitation):
    return render(request, "accounts/invitation_closed.html",
                  {"invitation": invitation}, status=404)


def _accept_with_account(request, invitation, existing, user):
    """The invitee's account exists: sign in first, as that account, then confirm."""
    if user is None:
        return render(request, "accounts/invitation_sign_in.html",
                      {"invitation": invitation})
    if user.pk != existing.pk:
        return render(request, "accounts/invitation_other_account.html",
                      {"invitation": invitation}, status=403)
    if request.method == "POST":
        try:
            services.accept_invitation(invitation, user=user, request=request)
        except ValidationError:
            return _invitation_closed(request, invitation)
        messages.success(request, f"You are now {invitation.get_role_display().lower()} – "
                                  f"{invitation.scope_label}.")
        return redirect("home")
    return render(request, "accounts/invitation_confirm.html", {"invitation": invitation})


def _accept_with_new_account(request, invitation):
    """No account yet: the invitee gives their name and a password, and is signed in."""
    form = AcceptInvitationForm(request.POST or None, email=invitation.email,
                                initial={"full_name": invitation.full_name})
    if request.method == "POST" and form.is_valid():
        try:
            new_user = services.accept_invitation(
                invitation, full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"], request=request)
        except ValidationError as exc:
            for m in exc.messages:
                form.add_error(None, m)
        else:
            login(request, new_user, backend="django.contrib.auth.backends.ModelBackend")
            if needs_mfa_setup(new_user):
                messages.info(request, "Your role needs two-factor authentication. Set it up "
                                       "now with an authenticator app.")
            else:
                messages.success(request, "Welcome. Your account is ready.")
            return redirect("home")
    return render(request, "accounts/accept_invitation.html",
                  {"invitation": invitation, "form": form})
