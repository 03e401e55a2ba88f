"""The alumni programme page for schools: what it offers, the person's requests and
memberships, and the way to ask (or to renew)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import selectors
from ._common import labelled


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    mine = labelled(selectors.visible_for_applicant(user)[:50])
    for m in mine:
        m.renewable = (user.has_perm("alumni.act_for_applicant", m)  # type: ignore[attr-defined]
                       and selectors.can_renew(m))
    may_ask = user.has_perm("alumni.request") and (
        selectors.requestable_schools(user).exists()
        or selectors.requestable_partnerships(user).exists())
    return render(request, "alumni/index.html", {
        "mine": mine, "may_ask": may_ask, "renewal_days": selectors.RENEWAL_WINDOW.days,
        "can_manage": user.has_perm("alumni.manage")})
