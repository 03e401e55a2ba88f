from datetime import date
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from apps.core.api import SafePagination, clean_text

from .models import School
from .selectors import find_schools

router = Router(tags=["schools"])


class SchoolOut(Schema):
    urn: int
    name: str
    la_code: str
    la_name: str
    type_name: str
    type_group: str
    status: str
    phase: str
    statutory_low_age: int | None
    statutory_high_age: int | None
    region: str
    district: str
    town: str
    postcode: str
    pupils: int | None
    percentage_fsm: Decimal | None
    trust_name: str
    federation_name: str
    ofsted_rating: str
    open_date: date | None
    close_date: date | None
    is_open: bool = Field(...)


@router.get("/", response=list[SchoolOut], summary="List schools in the register")
@paginate(SafePagination, page_size=50)
def list_schools(request, q: str = "", la_code: str = "", phase: str = "",
                 open_only: bool = True):
    if not request.user.has_perm("schools.view_directory"):
        raise HttpError(403, "Forbidden")
    q, la_code, phase = clean_text(q), clean_text(la_code), clean_text(phase)
    return find_schools(q=q, la_code=la_code, phase=phase,
                        status="open" if open_only else "any")

@router.get("/{urn}", response=SchoolOut, summary="One school by URN")
def get_school(request, urn: int):
    if not 0 < urn <= 2_000_000_000:
        raise HttpError(404, "Not found")
    school = get_object_or_404(School, urn=urn)
    if not request.user.has_perm("schools.view_school", school):
        raise HttpError(404, "Not found")
    return school
