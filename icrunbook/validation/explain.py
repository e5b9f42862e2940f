"""jsonschema errors, turned into one plain-words diagnostic per real problem.

Each message names the thing an on-call engineer sees in the file ("step 'failover'", "metadata")
and says how to fix it; each diagnostic points at the offending node: a missing key at the
mapping that lacks it, an unknown key at the key, a bad value at the value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import jsonschema

from icrunbook.diagnostics import FILE_START, Diagnostic, Severity, Span
from icrunbook.suggest import closest, did_you_mean
from icrunbook.validation.schemas import SchemaName, load_schema, schema_for
from icrunbook.wording import item_label, show

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
_SHOWN = 60  # a value quoted in a message is cut after this many characters
_TYPE_WORDS = {
    "string": "text",
    "array": "a list",
    "object": "a mapping of keys",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "empty",
}


def _ecma_pattern(
    validator: jsonschema.protocols.Validator, pattern: str, instance: Any, schema: Any
) -> Iterator[jsonschema.ValidationError]:
    """``pattern`` with JSON Schema's (ECMA 262) ``$``: the very end, not before a final newline.

    Python's ``$`` also matches before a trailing newline, so ``"5m\\n"`` would pass jsonschema's
    own check while fastjsonschema (and check-jsonschema) rightly reject it.
    """
    if isinstance(instance, str) and not _search(pattern, instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _ecma(pattern: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"(?<!\\)\$$", r"\\Z", pattern))


def _search(pattern: str, text: str) -> bool:
    return _ecma(pattern).search(text) is not None


_EcmaDraft7Validator = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
    jsonschema.Draft7Validator, validators={"pattern": _ecma_pattern}
)


@cache
def _validator(name: SchemaName) -> jsonschema.protocols.Validator:
    """Built once per schema: building checks the schema, which is not free."""
    validator: jsonschema.protocols.Validator = _EcmaDraft7Validator(load_schema(name))
    return validator


@dataclass(frozen=True, slots=True)
class _Problem:
    """The parts of a jsonschema error that explaining needs, with plain types."""

    keyword: str  # the failing schema keyword: "required", "enum", ...
    path: Path  # where in the data
    instance: Any  # the failing value
    expected: Any  # the keyword's value in the schema
    schema: dict[str, Any]  # the (sub)schema holding the keyword
    schema_path: tuple[str | int, ...]
    message: str  # jsonschema's own words, the last resort

    @classmethod
    def of(cls, error: ValidationError) -> _Problem:
        return cls(
            keyword=str(error.validator),
            path=tuple(error.absolute_path),
            instance=error.instance,
            expected=error.validator_value,
            schema=dict(error.schema) if isinstance(error.schema, Mapping) else {},
            schema_path=tuple(error.relative_schema_path),
            message=error.message,
        )


# Problems with a value itself (not with what a mapping lacks or holds besides): rules leave
# such values alone, so that one mistake is reported once.
_VALUE_KEYWORDS = frozenset({"type", "enum", "const", "pattern", "minLength", "oneOf", "anyOf"})


def explain(document: Document, schema: SchemaName) -> tuple[list[Diagnostic], frozenset[Path]]:
    """Every schema problem in the document, one diagnostic each, in file order; and the paths
    of the values the schema rejects for their type or form."""
    errors = _validator(schema).iter_errors(document.data)
    relevant = (useful for error in errors for useful in _most_relevant(error))
    problems = sorted((_Problem.of(error) for error in relevant), key=lambda p: len(p.path))
    typed_paths: set[Path] = set()
    diagnostics: dict[tuple[str, Span, str], Diagnostic] = {}
    for problem in problems:
        if any(problem.path[: len(typed)] == typed for typed in typed_paths):
            continue  # a value of the wrong type: its inner problems are noise
        if problem.keyword == "type":
            typed_paths.add(problem.path)
        for where, span, message in _describe_problem(document, problem, f"the {schema}"):
            source = document.origin(where).path
            diagnostics.setdefault(
                (source, span, message),
                Diagnostic(source, span, "schema", Severity.ERROR, message),
            )
    rejected = {p.path for p in problems if p.keyword in _VALUE_KEYWORDS}
    rejected.update(_misspelt_keys(problems))
    return sorted(diagnostics.values(), key=Diagnostic.sort_key), frozenset(rejected)


def _misspelt_keys(problems: list[_Problem]) -> Iterator[Path]:
    """Where a misspelt key's intended key would be (``timebox`` for ``timbox``): the schema
    reports the typo with its "did you mean", so no rule reports the intended key missing."""
    for problem in problems:
        if problem.keyword == "additionalProperties":
            known = list(problem.schema.get("properties", {}))
            for key in _unknown_keys(problem.instance, problem.schema):
                intended = closest(key, known)
                if intended is not None:
                    yield (*problem.path, intended)


def unexplained(document: Document, problem: str) -> Diagnostic:
    """A document the fast path rejects but jsonschema cannot place: reported, never passed."""
    message = (
        f"the document breaks the {schema_for(document.path, document.kind)} schema: {problem}"
    )
    return Diagnostic(document.path, FILE_START, "schema", Severity.ERROR, message)


def _most_relevant(error: ValidationError) -> list[ValidationError]:
    """For "none of these alternatives" errors, every problem of the alternative that came
    closest: ``warn`` for a severity is explained by the severity enum, a mapping with a typo by
    the mapping branch (its unknown key and its missing key together), not by every branch."""
    alternatives = error.validator in ("anyOf", "oneOf") and not _all_required(
        error.validator_value
    )
    if not (alternatives and error.context):
        return [error]
    context = error.context
    if isinstance(error.instance, dict | list):  # a mapping is explained by the mapping branch
        context = [
            e for e in context if e.path or e.validator not in ("type", "enum", "const")
        ] or context
    best = jsonschema.exceptions.best_match(context)
    if best is None:
        return [error]
    branch = best.relative_schema_path[0]
    return [e for e in context if e.relative_schema_path[0] == branch]


def _describe_problem(
    document: Document, problem: _Problem, top: str
) -> Iterator[tuple[Path, Span, str]]:
    """Where each part of a problem is (the node's path and span) and its words."""
    path, keyword = problem.path, problem.keyword
    here = _describe(document.data, path) if path else top
    if keyword == "required":
        missing = problem.message.split("'")[1]
        if not _misspelt(missing, problem.instance, problem.schema):  # else the typo is it
            words = f"{here} is missing required key '{missing}'"
            if document.policy is not None and not path:
                words += f" (neither it nor its policy {document.policy.path} sets it)"
            yield path, document.locate(path), words
    elif keyword == "additionalProperties":
        for key in _unknown_keys(problem.instance, problem.schema):
            hint = did_you_mean(key, list(problem.schema.get("properties", {})))
            yield (
                (*path, key),
                document.locate_key((*path, key)),
                f"unknown key '{key}' in {here}{hint}",
            )
    elif _names_a_key(problem):
        # jsonschema reports the offending name as the instance; its path is the mapping's.
        key = problem.instance
        yield (
            (*path, key),
            document.locate_key((*path, key)),
            f"key '{key}' in {here} {_rule_words(problem)}",
        )
    elif keyword in ("oneOf", "anyOf") and _all_required(problem.expected):
        choices = [sub["required"] for sub in problem.expected]
        typos = [
            key
            for keys in choices
            for key in keys
            if _misspelt(key, problem.instance, problem.schema)
        ]
        if not typos:  # else the misspelt key is the problem, reported as unknown
            options = " or ".join(" and ".join(f"'{key}'" for key in keys) for keys in choices)
            exactly = "exactly " if keyword == "oneOf" else ""
            yield path, document.locate(path), f"{here} must have {exactly}one of {options}"
    elif problem.instance is None:  # `key:` with nothing after it: point at the key
        yield path, document.locate_key(path), _value_message(problem)
    else:
        yield path, document.locate(path), _value_message(problem)


def _value_message(problem: _Problem) -> str:
    """What is wrong with one value, named by its key."""
    name = _value_name(problem.path)
    value, expected, keyword = problem.instance, problem.expected, problem.keyword
    if keyword == "type":
        return _type_message(name, value, expected, problem.schema.get("patternErrorMessage"))
    if keyword == "enum":
        # `false` stands in some enums only because YAML 1.1 reads `off` as false: not shown
        allowed = [str(option) for option in expected if not isinstance(option, bool)]
        hint = did_you_mean(str(value), allowed)
        return f"{name} {show(value, _SHOWN)} is not one of: {', '.join(allowed)}{hint}"
    if keyword == "const":
        return f"{name} must be '{expected}', not {show(value, _SHOWN)}"
    if keyword in ("minItems", "minProperties"):
        return f"{name} is empty; it needs at least {expected} entry"
    if keyword == "minLength":
        return f"{name} must not be empty"
    if keyword == "pattern":
        return f"{name} {show(value, _SHOWN)} {_rule_words(problem)}"
    return f"{name}: {problem.message}"


def _type_message(name: str, value: Any, expected: str | list[str], shape: str | None) -> str:
    """``shape`` is the schema's own words for the text it wants (a duration, a slug...)."""
    wanted = " or ".join(
        _TYPE_WORDS[t] for t in ([expected] if isinstance(expected, str) else expected)
    )
    if shape and value is not None and not isinstance(value, bool):
        return f"{name} is {_kind_of(value)}; it {shape}"
    if value is None:
        return f"{name} has no value; it must be {wanted}"
    if isinstance(value, bool) and "text" in wanted:
        return (
            f"{name} must be {wanted}, but YAML reads {str(value).lower()} as a boolean "
            "(so do yes, no, on and off); put it in quotes"
        )
    return f"{name} must be {wanted}, not {_kind_of(value)}"


def _rule_words(problem: _Problem) -> str:
    """The schema's own words for a pattern (``patternErrorMessage``, which editors show too)."""
    words = problem.schema.get("patternErrorMessage")
    return str(words) if words else f"does not match {problem.expected}"


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of keys"
    return f"text ({show(value, _SHOWN)})"


def _unknown_keys(instance: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    known = schema.get("properties", {})
    patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
    return [
        key
        for key in instance
        if key not in known and not any(pattern.search(key) for pattern in patterns)
    ]


def _names_a_key(problem: _Problem) -> bool:
    """Whether the problem is about a key's name (``propertyNames``) rather than its value."""
    return problem.schema_path[-2:-1] == ("propertyNames",)


def _misspelt(missing: str, instance: dict[str, Any], schema: dict[str, Any]) -> bool:
    """Whether an unknown key of the mapping looks like a misspelling of ``missing``."""
    return any(did_you_mean(key, [missing]) for key in _unknown_keys(instance, schema))


def _all_required(subschemas: Any) -> bool:
    """Whether each alternative only requires keys (``oneOf: [{required: [a]}, ...]``)."""
    return isinstance(subschemas, list) and all(
        isinstance(sub, dict) and list(sub) == ["required"] for sub in subschemas
    )


def _describe(data: Any, path: Path) -> str:
    """The thing at ``path`` as the author knows it: "step 'failover'", "metadata"."""
    for depth in range(len(path) - 1, 0, -1):
        container, item = path[depth - 1], path[depth]
        noun = _ITEM_NOUNS.get(container) if isinstance(container, str) else None
        if noun is None:
            continue
        label = item_label(noun, _get(data, path[: depth + 1]), item)
        rest = ".".join(str(key) for key in path[depth + 1 :])
        return f"'{rest}' of {label}" if rest else label
    return ".".join(str(key) for key in path)


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
