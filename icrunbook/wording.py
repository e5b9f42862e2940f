"""How messages word things: counts, values as the author wrote them, items of a list."""

from __future__ import annotations

from typing import Any


def plural(count: int, noun: str) -> str:
    """``1 file``, ``0 files``, ``2 files``: nouns that take an ``s``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def show(value: Any, limit: int | None = None) -> str:
    """A value as an author wrote it in YAML: text quoted (cut after ``limit`` characters,
    with …), ``true``, ``false`` and ``null``, numbers, lists and mappings bare."""
    if isinstance(value, str):
        return f"'{value[:limit]}…'" if limit is not None and len(value) > limit else f"'{value}'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return str(value)


def item_label(noun: str, item: Any, position: int | str) -> str:
    """How a message names an entry at ``position`` of a list or mapping: ``step 3``, or by its
    ``id`` (else its ``title``) when it has one, ``step 'failover'``; a mapping's entry by its
    key, ``severity 'SEV1'``."""
    if isinstance(position, str):
        return f"{noun} '{position}'"
    for name in (item.get("id"), item.get("title")) if isinstance(item, dict) else ():
        if isinstance(name, str) and name:
            return f"{noun} '{name}'"
    return f"{noun} {position + 1}"
