"""Pages of a long list, for ``core/includes/pagination.html`` (the GOV.UK pagination
component, plain links: it works without JavaScript)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def page_of(request: HttpRequest, items: Any, per_page: int, *,
            param: str = "page") -> dict[str, Any]:
    """The page of ``items`` the request asks for in ``param`` (the first for a missing or
    wrong number, the last for one past the end), with what the include needs: ``page``,
    ``query`` (the request's other parameters, so the links keep its filters and any other
    list's page) and ``param``. A queryset is counted and sliced in the database."""
    page: Page = Paginator(items, per_page).get_page(request.GET.get(param))
    query = request.GET.copy()
    query.pop(param, None)
    return {"page": page, "query": query.urlencode(), "param": param}
