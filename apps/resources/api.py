from datetime import date

from django.urls import reverse
from ninja import Router, Schema
from ninja.pagination import paginate

from apps.core.api import Mapped, SafePagination, clean_text

from .access import visible_resources
from .models import RESOURCE_INDEX

router = Router(tags=["resources"])


class ResourceOut(Schema):
    id: int
    title: str
    summary: str
    kind: str
    audience: str
    for_roles: list[str]
    for_phases: list[str]
    themes: list[str]
    version: str
    date: date
    url: str


@router.get("/", response=list[ResourceOut], auth=None,
            summary="Library items the caller may see (signed out: the public ones), the "
                    "latest changed first, or with q the best matches first")
@paginate(SafePagination, page_size=50)
def list_resources(request, q: str = "", kind: str = ""):
    items = visible_resources(request.user)
    if kind:
        items = items.filter(kind=clean_text(kind))
    q = clean_text(q)

    def out(r) -> dict:
        return {"id": r.pk, "title": r.title, "summary": r.summary, "kind": r.kind,
                "audience": r.audience, "for_roles": r.for_roles, "for_phases": r.for_phases,
                "themes": r.themes, "version": r.version_label, "date": r.published_on,
                "url": request.build_absolute_uri(reverse("resources:download", args=[r.pk]))}

    return Mapped(RESOURCE_INDEX.search(items, q) if q
                  else items.order_by("-changed_at", "title", "pk"), out)
