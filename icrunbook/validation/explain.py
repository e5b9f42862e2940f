"""jsonschema errors, turned into one plain-words diagnostic per real problem.

Each message names the thing an on-call engineer sees in the file ("step 'failover'", "metadata")
and says how to fix it; each diagnostic points at the offending node: a missing key at the
mapping that lacks it, an unknown key at the key, a bad value at the value.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

import jsonschema

from icrunbook.diagnostics import Diagnostic, Severity, Span
from icrunbook.validation.schemas import SchemaName, load_schema

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

    from icrunbook.loader import Document, Path

# Containers whose items an author knows by a noun: "step 'failover'", "severity 'SEV1'".
_ITEM_NOUNS = {
    "steps": "step",
    "triggers": "trigger",
    "escalation": "escalation",
    "links": "link",
    "severities": "severity",
    "roles": "role",
    "templates": "template",
    "rules": "rule",
    "overrides": "override",
}
_TYPE_WORDS = {
    "string": "text",
    "array": "a list",
    "object": "a mapping of keys",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "empty",
}


@cache
def _validator(name: SchemaName) -> jsonschema.Draft7Validator:
    """Built once per schema: building checks the schema, which is not free."""
    return jsonschema.Draft7Validator(load_schema(name))


def explain(document: Document, schema: SchemaName) -> list[Diagnostic]:
    """Every schema problem in the document, one diagnostic each, in file order."""
    errors = sorted(_validator(schema).iter_errors(document.data), key=_depth)
    typed_paths: set[Path] = set()
    diagnostics: dict[tuple[Span, str], Diagnostic] = {}
    for error in errors:
        path: Path = tuple(error.absolute_path)
        if any(path[: len(typed)] == typed for typed in typed_paths):
            continue  # a value of the wrong type: its inner problems are noise
        if error.validator == "type":
            typed_paths.add(path)
        for span, message in _describe_error(document, error, path):
            diagnostics.setdefault(
                (span, message),
                Diagnostic(document.path, span, "schema", Severity.ERROR, message),
            )
    return sorted(diagnostics.values(), key=Diagnostic.sort_key)


def _depth(error: ValidationError) -> int:
    return len(error.absolute_path)


def _describe_error(
    document: Document, error: ValidationError, path: Path
) -> Iterator[tuple[Span, str]]:
    data = document.data
    kind = error.validator
    here = _describe(data, path)
    if kind == "required":
        missing = error.message.split("'")[1]
        if not _misspelt(missing, error.instance, error.schema):  # else the typo is the problem
            yield document.locate(path), f"{here} is missing required key '{missing}'"
    elif kind == "additionalProperties":
        for key in _unknown_keys(error.instance, error.schema):
            hint = _did_you_mean(key, list(error.schema.get("properties", {})))
            yield document.locate_key((*path, key)), f"unknown key '{key}' in {here}{hint}"
    elif _names_a_key(error):
        # jsonschema reports the offending name as the instance; its path is the mapping's.
        key = error.instance
        yield document.locate_key((*path, key)), f"key '{key}' in {here} {_rule_words(error)}"
    elif kind == "oneOf" and _all_required(error.validator_value):
        keys = " or ".join(f"'{sub['required'][0]}'" for sub in error.validator_value)
        yield document.locate(path), f"{here} must have exactly one of {keys}"
    else:
        yield document.locate(path), _value_message(error, path)


def _value_message(error: ValidationError, path: Path) -> str:
    """What is wrong with one value, named by its key."""
    name = _value_name(path)
    value = error.instance
    kind = error.validator
    if kind == "type":
        return _type_message(name, value, error.validator_value)
    if kind == "enum":
        allowed = [str(option) for option in error.validator_value]
        hint = _did_you_mean(str(value), allowed)
        return f"{name} {_show(value)} is not one of: {', '.join(allowed)}{hint}"
    if kind == "const":
        return f"{name} must be '{error.validator_value}', not {_show(value)}"
    if kind in ("minItems", "minProperties"):
        return f"{name} is empty; it needs at least {error.validator_value} entry"
    if kind == "minLength":
        return f"{name} must not be empty"
    if kind == "pattern":
        return f"{name} {_show(value)} {_rule_words(error)}"
    return f"{name}: {error.message}"


def _type_message(name: str, value: Any, expected: str | list[str]) -> str:
    wanted = " or ".join(_TYPE_WORDS[t] for t in ([expected] if isinstance(expected, str) else expected))
    if value is None:
        return f"{name} has no value; it must be {wanted}"
    if isinstance(value, bool) and "text" in wanted:
        return (
            f"{name} must be {wanted}, but YAML reads {str(value).lower()} as a boolean "
            "(so do yes, no, on and off); put it in quotes"
        )
    return f"{name} must be {wanted}, not {_kind_of(value)}"


def _rule_words(error: ValidationError) -> str:
    """The schema's own words for a pattern (``patternErrorMessage``, which editors show too)."""
    words = error.schema.get("patternErrorMessage")
    return str(words) if words else f"does not match {error.validator_value}"


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of keys"
    return f"text ({_show(value)})"


def _show(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


def _unknown_keys(instance: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    known = schema.get("properties", {})
    patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
    return [
        key
        for key in instance
        if key not in known and not any(pattern.search(key) for pattern in patterns)
    ]


def _names_a_key(error: ValidationError) -> bool:
    """Whether the error is about a key's name (``propertyNames``) rather than its value."""
    schema_path = list(error.relative_schema_path)
    return len(schema_path) >= 2 and schema_path[-2] == "propertyNames"


def _misspelt(missing: str, instance: dict[str, Any], schema: dict[str, Any]) -> bool:
    """Whether an unknown key of the mapping looks like a misspelling of ``missing``."""
    return any(
        _did_you_mean(key, [missing]) for key in _unknown_keys(instance, schema)
    )


def _did_you_mean(word: str, choices: list[str]) -> str:
    lowered = {choice.lower(): choice for choice in choices}
    match = lowered.get(word.lower()) or next(
        iter(difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)), None
    )
    if match is None:
        return ""
    return f" — did you mean '{lowered.get(match, match)}'?"


def _all_required(subschemas: Any) -> bool:
    return isinstance(subschemas, list) and all(
        isinstance(sub, dict) and list(sub) == ["required"] and len(sub["required"]) == 1
        for sub in subschemas
    )


def _describe(data: Any, path: Path) -> str:
    """The thing at ``path`` as the author knows it: "step 'failover'", "metadata"."""
    if not path:
        return "the top level"
    for depth in range(len(path) - 1, 0, -1):
        container, item = path[depth - 1], path[depth]
        noun = _ITEM_NOUNS.get(container) if isinstance(container, str) else None
        if noun is None:
            continue
        label = _item_label(noun, item, _get(data, path[: depth + 1]))
        rest = ".".join(str(key) for key in path[depth + 1 :])
        return f"'{rest}' of {label}" if rest else label
    return ".".join(str(key) for key in path)


def _item_label(noun: str, item: str | int, value: Any) -> str:
    if isinstance(item, str):
        return f"{noun} '{item}'"
    name = value.get("id") or value.get("title") if isinstance(value, dict) else None
    return f"{noun} '{name}'" if isinstance(name, str) else f"{noun} {item + 1}"


def _value_name(path: Path) -> str:
    """A value is named by its key; a list item by its list and number."""
    if not path:
        return "the document"
    last = path[-1]
    if isinstance(last, int):
        parent = path[-2] if len(path) > 1 else "list"
        return f"item {last + 1} of {parent}"
    return str(last)


def _get(data: Any, path: Path) -> Any:
    for key in path:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return None
    return data
