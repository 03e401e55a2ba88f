from datetime import date

from django.http import Http404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from apps.core.api import Mapped, SafePagination, clean_text

from .access import get_partnership_for_user
from .selectors import visible_partnerships

router = Router(tags=["partnerships"])


class PartnershipOut(Schema):
    slug: str
    name: str
    phase: str
    organisation: str | None


class MemberOut(Schema):
    urn: int
    name: str
    joined_on: date
    left_on: date | None


class PhaseOut(Schema):
    phase: str
    started_on: date


class PartnershipDetailOut(PartnershipOut):
    schools: list[MemberOut]
    phase_history: list[PhaseOut]


def _out(p) -> dict:
    return {"slug": p.slug, "name": p.name, "phase": p.phase,
            "organisation": p.organisation.name if p.organisation else None}


@router.get("/", response=list[PartnershipOut], summary="Partnerships the caller belongs to")
@paginate(SafePagination, page_size=50)
def list_partnerships(request):
    if not request.user.has_perm("partnerships.list_partnerships"):
        raise HttpError(403, "Forbidden")
    return Mapped(visible_partnerships(request.user).select_related("organisation")
                  .order_by("name", "pk"), _out)


@router.get("/{slug}", response=PartnershipDetailOut, summary="One partnership")
def get_partnership(request, slug: str):
    try:
        p = get_partnership_for_user(request.user, clean_text(slug))
    except Http404 as exc:
        raise HttpError(404, "Not found") from exc
    return {
        **_out(p),
        "schools": [{"urn": m.school.urn, "name": m.school.name, "joined_on": m.joined_on,
                     "left_on": m.left_on}
                    for m in p.memberships.select_related("school").order_by("school__name")],
        "phase_history": [{"phase": ph.phase, "started_on": ph.started_on}
                          for ph in p.phase_history.all()],
    }
