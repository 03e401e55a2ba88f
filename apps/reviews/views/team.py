"""The review team: invitations, removals and answering an invitation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext

from apps.accounts.models import User
from apps.core.converters import parse_id

from .. import services, teams, workflow
from ..access import (
    get_child_for_user,
    get_invitation_for_user,
    get_review_for_request,
    get_review_for_user,
)
from ..forms import ReasonForm, RespondForm
from ..models import TeamMember
from ._common import _errors_to_form, _review_context


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
            messages.error(request, gettext("Choose a person to invite"))
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
            messages.success(request, gettext("Thank you: your answer has been sent."))
            return redirect("reviews:detail", pk=member.review_id)
    return render(request, "reviews/invitation.html", {"member": member, "form": form,
                                                       "review": member.review})
