"""Helpers shared by the training pages."""

from __future__ import annotations


def _pk(value) -> int | None:
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() and 0 < int(value) < 2**31 \
        else None
