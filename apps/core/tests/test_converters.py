"""``<id:...>`` in URL patterns: a number too large for the database is "not found" (404),
never a database error (500)."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from apps.core.converters import ID_LIMIT, MAX_ID, DatabaseIdConverter, is_id, parse_id


@pytest.mark.parametrize("value", ["1", "42", str(MAX_ID), "007"])
def test_an_id_the_database_can_hold_is_taken(value):
    assert DatabaseIdConverter().to_python(value) == int(value)


@pytest.mark.parametrize("value", ["0", str(ID_LIMIT), str(2**63), "9" * 40])
def test_zero_and_numbers_too_large_are_refused(value):
    with pytest.raises(ValueError):
        DatabaseIdConverter().to_python(value)


def test_to_url_writes_the_number():
    assert DatabaseIdConverter().to_url(12) == "12"


def test_is_id_and_parse_id():
    assert is_id(1) and is_id(MAX_ID)
    assert not any(is_id(v) for v in (0, -1, ID_LIMIT, True, "1", 1.0, None))
    assert parse_id("12") == 12 and parse_id(12) == 12
    assert all(parse_id(v) is None for v in ("", None, "0", "-1", "1.5", "²", " 1",
                                              str(ID_LIMIT), "9" * 40))


def test_the_converter_is_registered():
    assert resolve("/reviews/12/").kwargs == {"pk": 12}
    with pytest.raises(Resolver404):
        resolve(f"/reviews/{ID_LIMIT}/")


def _routes(patterns=None, prefix=""):
    """Every URL pattern, as a route string."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield route


def _example(route: str, id_value: int) -> str:
    route = re.sub(r"<id:\w+>", str(id_value), route)
    route = re.sub(r"<int:\w+>", "1", route)
    return "/" + re.sub(r"<(slug|str):\w+>", "x", route).lstrip("^").rstrip("$")


ID_ROUTES = sorted({route for route in _routes() if "<id:" in route})


def test_pages_take_ids_through_the_converter():
    """Only version numbers (``<int:number>``) are plain integers in addresses."""
    assert len(ID_ROUTES) > 40
    assert {m for route in _routes() for m in re.findall(r"<int:\w+>", route)} == {"<int:number>"}


@pytest.mark.django_db
@pytest.mark.parametrize("route", ID_ROUTES)
def test_a_huge_id_in_any_address_is_not_found(route):
    for value in (ID_LIMIT, 2**63, int("9" * 30)):
        response = Client().get(_example(route, value))
        assert response.status_code == 404, (route, value, response.status_code)
