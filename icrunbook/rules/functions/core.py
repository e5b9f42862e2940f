"""Core functions, with Spectral's names and options: presence, patterns, sizes, order, schema.

Each skips what it cannot judge (a wrong type, a ``MISSING`` field where presence is not the
question), since the ``schema`` rule reports those once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from icrunbook.rules.functions import MISSING, Context, Finding, FunctionSpec, function
from icrunbook.rules.functions.text import quote_list
from icrunbook.rules.options import integer, mapping, regex, text, texts
from icrunbook.rules.patterns import UserPattern
from icrunbook.wording import plural, show

if TYPE_CHECKING:
    from jsonschema import Draft7Validator


# Option parsers that only these functions need.


def _count(value: Any) -> int:
    """A whole number, zero or more."""
    number = integer(value)
    if number < 0:
        raise ValueError(f"must be zero or more, not {number}")
    return number


def _allowed_values(value: Any) -> list[Any]:
    """A non-empty list of plain values (text, numbers, true/false, null)."""
    if not isinstance(value, list) or not value:
        raise ValueError(f"must be a non-empty list of allowed values, not {value!r}")
    for item in value:
        if isinstance(item, list | dict):
            raise ValueError(f"must list plain values (text, numbers, true/false), not {item!r}")
    return list(value)


def _property_names(value: Any) -> list[str]:
    """A list of two or more property names."""
    names = texts(value)
    if len(names) < 2:
        raise ValueError(f"must list at least two property names, not {value!r}")
    return names


def _json_schema(value: Any) -> dict[str, Any]:
    """A valid JSON Schema (draft 7), as a mapping."""
    schema = mapping(value)
    try:
        key = json.dumps(schema, sort_keys=True)
    except (TypeError, ValueError) as error:
        raise ValueError(f"must be plain JSON data: {error}") from None
    from jsonschema.exceptions import SchemaError

    try:
        _validator(key)
    except SchemaError as error:
        raise ValueError(f"is not a valid JSON Schema: {error.message}") from None
    return schema


@lru_cache(maxsize=256)
def _validator(key: str) -> Draft7Validator:
    """The validator for a schema given as sorted JSON text; checks the schema first."""
    from jsonschema import Draft7Validator

    schema = json.loads(key)
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


# Presence.


@function("truthy")
def truthy(value: Any, options: Mapping[str, Any], context: Context) -> Iterator[Finding]:
    """The value is set and not empty, false or zero."""
    if value is MISSING or value is None:
        yield Finding("must be set")
    elif value is False:
        yield Finding("must not be false")
    elif not value:
        yield Finding("must not be 0" if isinstance(value, int | float) else "must not be empty")


@function("falsy")
def falsy(value: Any, options: Mapping[str, Any], context: Context) -> Iterator[Finding]:
    """The value is absent, empty, false or zero."""
    if value is True:
        yield Finding("must not be true")
    elif value:
        yield Finding("must not be set")


@function("defined")
def defined(value: Any, options: Mapping[str, Any], context: Context) -> Iterator[Finding]:
    """The field is present (``null`` counts as present)."""
    if value is MISSING:
        yield Finding("must be defined")


@function("undefined")
def undefined(value: Any, options: Mapping[str, Any], context: Context) -> Iterator[Finding]:
    """The field is absent."""
    if value is not MISSING:
        yield Finding("must not be defined")


# Text, values and sizes.


@function("pattern", {"match": regex, "notMatch": regex})
def pattern(value: Any, options: Mapping[str, Any], context: Context) -> Iterator[Finding]:
    """Text matches the ``match`` regex and not the ``notMatch`` one (give at least one)."""
    if not isinstance(value, str):
        return
    # A search that runs too long raises PatternTimeout, which the engine reports.
    match: UserPattern | None = options.get("match")
    if match is not None and not match.search(value):
        yield Finding(f"{show(value)} does not match {match.source}")
    not_match: UserPattern | None = options.get("notMatch")
    if not_match is not None and not_match.search(value):
        yield Finding(f"{show(value)} must not match {not_match.source}")


def _same(a: Any, b: Any) -> bool:
    """Equal as YAML values: ``true`` is not ``1``, though ``1`` is ``1.0``."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return bool(a == b)


@function("enumeration", {"values": _allowed_values}, required=["values"])
def enumeration(value: Any, options: Mapping[str, Any], context: Context) -> Iterator[Finding]:
    """The value is one of ``values``."""
    if value is MISSING or isinstance(value, list | dict):
        return
    allowed: list[Any] = options["values"]
    if not any(_same(value, item) for item in allowed):
        shown = ", ".join(show(item) for item in allowed)
        yield Finding(f"{show(value)} is not one of the allowed values: {shown}")


@function("length", {"min": _count, "max": _count})
def length(value: Any, options: Mapping[str, Any], context: Context) -> Iterator[Finding]:
    """Text has ``min`` to ``max`` characters, a list that many items, a mapping keys."""
    if isinstance(value, str):
        unit = "character"
    elif isinstance(value, list):
        unit = "item"
    elif isinstance(value, dict):
        unit = "key"
    else:
        return
    size = len(value)
    low, high = options.get("min"), options.get("max")
    if low is not None and size < low:
        yield Finding(f"must have at least {plural(low, unit)}, not {size}")
    if high is not None and size > high:
        yield Finding(f"must have at most {plural(high, unit)}, not {size}")


@function("schema", {"schema": _json_schema}, required=["schema"])
def schema(value: Any, options: Mapping[str, Any], context: Context) -> Iterator[Finding]:
    """The value is valid against the JSON Schema (draft 7) in ``schema``."""
    if value is MISSING:
        return
    validator = _validator(json.dumps(options["schema"], sort_keys=True))
    for error in validator.iter_errors(value):
        yield Finding(error.message, tuple(error.absolute_path))


# Order and combinations.


def _sort_key(item: Any) -> str | float | None:
    """What ``alphabetical`` compares: text case-insensitively, numbers by value."""
    if isinstance(item, str):
        return item.casefold()
    if isinstance(item, int | float) and not isinstance(item, bool):
        return item
    return None


@function("alphabetical", {"keyedBy": text})
def alphabetical(value: Any, options: Mapping[str, Any], context: Context) -> Iterator[Finding]:
    """Mapping keys or list items (by their ``keyedBy`` field) are in alphabetical order."""
    keyed_by: str | None = options.get("keyedBy")
    entries: list[tuple[Any, Any, tuple[str | int, ...]]] = []  # (shown, compared, path)
    if isinstance(value, dict):
        entries = [(key, _sort_key(key), (key,)) for key in value]
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if keyed_by is not None and isinstance(item, dict):
                if keyed_by in item:
                    entries.append((item[keyed_by], _sort_key(item[keyed_by]), (index, keyed_by)))
            else:
                entries.append((item, _sort_key(item), (index,)))
    else:
        return
    compared = [entry[1] for entry in entries]
    if any(key is None for key in compared) or len({type(key) is str for key in compared}) > 1:
        return  # lists, mappings or a mix of text and numbers have no alphabetical order
    for previous, current in pairwise(entries):
        if current[1] < previous[1]:
            message = f"{show(current[0])} should be placed before {show(previous[0])}"
            yield Finding(message, current[2], at_key=isinstance(value, dict))
            return


@function("xor", {"properties": _property_names}, required=["properties"])
def xor(value: Any, options: Mapping[str, Any], context: Context) -> Iterator[Finding]:
    """Exactly one of ``properties`` is set on the mapping (``null`` counts as set)."""
    if not isinstance(value, dict):
        return
    names: list[str] = options["properties"]
    present = [name for name in names if name in value]
    if not present:
        yield Finding(f"exactly one of {quote_list(names)} must be set")
    elif len(present) > 1:
        found = (
            "both are" if len(present) == 2 == len(names) else f"{quote_list(present, 'and')} are"
        )
        message = f"exactly one of {quote_list(names)} must be set, but {found}"
        yield Finding(message, (present[1],), at_key=True)


@function("requiredKeys", {"keys": texts}, required=["keys"])
def required_keys(value: Any, options: Mapping[str, Any], context: Context) -> Iterator[Finding]:
    """Every key named in ``keys`` is present in the mapping (one finding per missing key)."""
    if isinstance(value, dict):
        for key in options["keys"]:
            if key not in value:
                yield Finding(f"'{key}' is missing", (key,))


CORE_FUNCTIONS: tuple[FunctionSpec, ...] = (
    required_keys,
    truthy,
    falsy,
    defined,
    undefined,
    pattern,
    enumeration,
    length,
    schema,
    alphabetical,
    xor,
)
