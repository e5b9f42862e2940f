"""RFC 9535 JSONPath, compiled once per expression.

The standard ``match()`` and ``search()`` filter functions run a rule author's regular
expression: here they run it with the same time bound as the ``pattern`` function
(:mod:`icrunbook.rules.patterns`), so a ``given`` cannot hang a run either."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

    from icrunbook.loader import Path


@cache
def _environment() -> Any:
    """A JSONPath environment whose ``match()``/``search()`` stop after the time bound."""
    import jsonpath_rfc9535
    import regex
    from iregexp_check import check
    from jsonpath_rfc9535.function_extensions import Match, Search
    from jsonpath_rfc9535.function_extensions._pattern import map_re

    from icrunbook.rules import patterns

    def bounded(find: Any, flags: int) -> Any:
        def call(self: Any, string: str, pattern: object) -> bool:
            if not isinstance(pattern, str) or not isinstance(string, str) or not check(pattern):
                return False
            try:
                return bool(find(map_re(pattern), string, flags, timeout=patterns.TIMEOUT_SECONDS))
            except TimeoutError:
                raise patterns.PatternTimeout(pattern, patterns.TIMEOUT_SECONDS) from None
            except regex.error:
                return False

        return call

    environment = jsonpath_rfc9535.JSONPathEnvironment()
    match = type("BoundedMatch", (Match,), {"__call__": bounded(regex.fullmatch, 0)})
    search = type("BoundedSearch", (Search,), {"__call__": bounded(regex.search, regex.VERSION1)})
    environment.function_extensions["match"] = match()
    environment.function_extensions["search"] = search()
    return environment


@cache
def compile_path(expression: str) -> Any:
    """The compiled query; raises ValueError with the library's words when it does not parse."""
    import jsonpath_rfc9535

    try:
        return _environment().compile(expression)
    except jsonpath_rfc9535.JSONPathError as error:
        raise ValueError(f"is not a valid JSONPath (RFC 9535): {error}") from None


def select(query: Any, data: Any) -> Iterator[tuple[Path, Any]]:
    """Every node the query selects, as (path, value), in document order."""
    for node in query.find(data):
        yield tuple(node.location), node.value
