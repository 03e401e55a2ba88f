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


class Mapped:
    """A queryset (or a list, such as ranked search results) seen through ``fn`` for
    ``@paginate``: the page is sliced and a queryset's total counted in the database, and
    only the page's rows are turned into dicts."""

    def __init__(self, queryset, fn):
        self.queryset, self.fn = queryset, fn

    def all(self):
        return self

    def count(self) -> int:
        if isinstance(self.queryset, list):
            return len(self.queryset)
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self.fn(o) for o in self.queryset[index]]
        return self.fn(self.queryset[index])


class ErrorOut(Schema):
    """Why a request was refused: ``detail`` in words, ``errors`` one message per problem."""

    detail: str
    errors: list[str] = []
