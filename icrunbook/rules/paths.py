"""RFC 9535 JSONPath, compiled once per expression."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

    from icrunbook.loader import Path


@cache
def compile_path(expression: str) -> Any:
    """The compiled query; raises ValueError with the library's words when it does not parse."""
    import jsonpath_rfc9535

    try:
        return jsonpath_rfc9535.compile(expression)
    except jsonpath_rfc9535.JSONPathError as error:
        raise ValueError(f"is not a valid JSONPath (RFC 9535): {error}") from None


def select(query: Any, data: Any) -> Iterator[tuple[Path, Any]]:
    """Every node the query selects, as (path, value), in document order."""
    for node in query.find(data):
        yield tuple(node.location), node.value
