"""Parsers for function options: each checks one value and says, in words, what it must be."""

from __future__ import annotations

from typing import Any

from icrunbook.durations import parse_duration
from icrunbook.rules.patterns import UserPattern, compile_user_pattern


def duration(value: Any) -> int:
    """A duration such as ``15m``, as seconds."""
    seconds = parse_duration(value)
    if seconds is None:
        raise ValueError(f"must be a duration such as 30s, 15m, 1h30m or 2d, not {value!r}")
    return seconds


def duration_or_list(value: Any) -> int | list[int]:
    """A duration, or a list of them (one per position, the last for the rest)."""
    if isinstance(value, list):
        if not value:
            raise ValueError("must list at least one duration")
        return [duration(item) for item in value]
    return duration(value)


def text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be text, not {value!r}")
    return value


def texts(value: Any) -> list[str]:
    """A list of strings (a single string is a list of one)."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise ValueError(f"must be a list of text, not {value!r}")
    return list(items)


def integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"must be a whole number, not {value!r}")
    return value


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, not {value!r}")
    return value


def regex(value: Any) -> UserPattern:
    """A regular expression, searched with a time bound; ``/pattern/flags`` as in Spectral."""
    return compile_user_pattern(text(value))


def jsonpath(value: Any) -> Any:
    """A compiled RFC 9535 JSONPath query."""
    from icrunbook.rules.paths import compile_path

    return compile_path(text(value))


def jsonpaths(value: Any) -> tuple[Any, ...]:
    """One or more compiled JSONPath queries (a list selects the union)."""
    return tuple(jsonpath(item) for item in ([value] if isinstance(value, str) else texts(value)))


def anything(value: Any) -> Any:
    return value


def mapping(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"must be a mapping, not {value!r}")
    return value
