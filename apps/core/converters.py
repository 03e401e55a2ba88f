"""Ids in addresses and forms. The database holds ids below 2**31; a larger number in an address
or a form is no object's id, so it is "not found" (404), never a database error (500).

``<id:pk>`` in a URL pattern takes only such ids: anything else does not match the pattern, so
Django answers 404 before a view runs. Ids from elsewhere (a query string, a form, an API
path) go through ``parse_id`` or ``is_id``.
"""

from __future__ import annotations

from django.urls import register_converter

ID_LIMIT = 2**31  # ids are below this (a 32-bit signed integer)
MAX_ID = ID_LIMIT - 1


def is_id(value: object) -> bool:
    """True for an int that can be an object's id: 1 to ``MAX_ID``."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < ID_LIMIT


def parse_id(value: object) -> int | None:
    """An id from a query string or form, or None for anything else (empty, not digits,
    zero, too large)."""
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() and is_id(int(value)) else None


class DatabaseIdConverter:
    """``<id:name>``: digits naming an id the database can hold."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not is_id(number):
            raise ValueError("not an id")  # the pattern does not match: 404
        return number

    def to_url(self, value: object) -> str:
        return str(value)


register_converter(DatabaseIdConverter, "id")
