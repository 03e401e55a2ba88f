"""Shared pieces of the JSON API."""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination


def clean_text(value: str, limit: int = 200) -> str:
    """Query text as the database can take it: no NUL characters, bounded length."""
    return (value or "").replace("\x00", "").strip()[:limit]


class SafePagination(PageNumberPagination):
    """Page numbers within what a database can count to (a huge one is a 422, not a 500)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=200)
