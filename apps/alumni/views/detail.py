"""One request or membership: what was asked and why, the decision, and what may be done."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from apps.partnerships.models import AlumniMembership

from .. import selectors
from ..access import get_membership_for_user
from ._common import labelled


@require_safe
def detail(request: HttpRequest, pk: Any) -> HttpResponse:
    membership = labelled([get_membership_for_user(request, pk)])[0]
    user = request.user
    acts = user.has_perm("alumni.act_for_applicant", membership)
    manages = user.has_perm("alumni.manage")
    waiting = membership.status == AlumniMembership.State.REQUESTED
    return render(request, "alumni/detail.html", {
        "m": membership, "manages": manages,
        "can_withdraw": acts and waiting,
        "can_renew": acts and selectors.can_renew(membership),
        "renewals": labelled(membership.renewals.all()),
    })
