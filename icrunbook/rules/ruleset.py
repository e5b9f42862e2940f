"""Reading rulesets: the built-in ones in the package, and users' ``kind: Ruleset`` files."""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from icrunbook.errors import IcrunError
from icrunbook.loader import Document, load_file, load_text
from icrunbook.rules.model import CheckSpec, Examples, OptionSpec, Rule, severity_name
from icrunbook.validation import validate_document

BUILTIN_RULESETS = ("recommended", "all")
STRUCTURE = "structure"  # the structural checks alone: what `recommended` extends, and validate
_RULESETS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "rulesets")


@cache
def builtin_ruleset(name: str) -> dict[str, Rule]:
    """The rules of a ruleset that ships inside the package, by name."""
    if name not in (*BUILTIN_RULESETS, STRUCTURE):
        raise IcrunError(
            f"unknown built-in ruleset '{name}'; choose one of: {', '.join(BUILTIN_RULESETS)}, "
            "or give a path to a ruleset file"
        )
    with open(os.path.join(_RULESETS, f"{name}.yaml"), encoding="utf-8") as stream:
        text = stream.read()
    return _rules_of(load_text(text, f"<{name} ruleset>"), seen=frozenset({name}))


def shipped_rule(ruleset: str, name: str) -> Rule:
    """One rule of a built-in ruleset, read without positions or checks (the shipped file is
    tested): what reading an update with a rule's word lists needs, at a fifth of the cost."""
    return rule_from_data(name, _shipped_data(ruleset)["rules"][name], f"<{ruleset} ruleset>")


@cache
def _shipped_data(ruleset: str) -> dict[str, Any]:
    import yaml

    with open(os.path.join(_RULESETS, f"{ruleset}.yaml"), "rb") as stream:
        data: dict[str, Any] = yaml.load(stream, Loader=yaml.CSafeLoader)
    return data


def load_ruleset(reference: str, base_dir: str = ".") -> dict[str, Rule]:
    """A built-in ruleset by name, or a ruleset file by path (relative to ``base_dir``)."""
    if reference in (*BUILTIN_RULESETS, STRUCTURE):
        return builtin_ruleset(reference)
    return _load_ruleset_file(os.path.normpath(os.path.join(base_dir, reference)), frozenset())


def _load_ruleset_file(path: str, seen: frozenset[str]) -> dict[str, Rule]:
    if path in seen:
        raise IcrunError(f"{path}: ruleset extends itself (through {', '.join(sorted(seen))})")
    return _rules_of(load_file(path), seen | {path}, structural_rules())


def _rules_of(
    document: Document, seen: frozenset[str], fixed: dict[str, Rule] | None = None
) -> dict[str, Rule]:
    """Check the ruleset against its schema (exit 2 on the first problem) and build its rules.
    A user's ruleset starts from the ``fixed`` structural rules, which it may not redefine."""
    problems = document.diagnostics + validate_document(document, "ruleset")
    if problems:
        first = problems[0]
        raise IcrunError(f"{first.path}:{first.line}:{first.column}: {first.message}")
    data: dict[str, Any] = document.data
    rules: dict[str, Rule] = dict(fixed or {})
    extends = data.get("extends", [])
    for parent in [extends] if isinstance(extends, str) else extends:
        if parent in (*BUILTIN_RULESETS, STRUCTURE):
            rules.update(builtin_ruleset(parent))
        else:
            base = os.path.dirname(document.path)
            rules.update(_load_ruleset_file(os.path.normpath(os.path.join(base, parent)), seen))
    for name, raw in data.get("rules", {}).items():
        line = document.locate(("rules", name)).line
        if name in rules and rules[name].structural and raw.get("stage") != rules[name].stage:
            raise IcrunError(f"{document.path}:{line}: {structural_message(name, 'redefined')}")
        rules[name] = rule_from_data(name, raw, f"{document.path}:{line}")
    return rules


def structural_rules() -> dict[str, Rule]:
    """The fixed stages every config has (syntax, duplicate-key, not-a-runbook, schema)."""
    return dict(builtin_ruleset(STRUCTURE))  # a copy: callers add to it


def structural_message(name: str, done: str) -> str:
    """Why a structural stage cannot be turned off, changed or redefined, and what to do."""
    return (
        f"'{name}' is a structural check: it always runs, as an error, and cannot be "
        f"{done}; to skip a file, list it under exclude"
    )


def rule_from_data(name: str, raw: dict[str, Any], source: str) -> Rule:
    """A :class:`Rule` from its (schema-valid) YAML form."""
    given = raw.get("given", ())
    then = raw.get("then", ())
    examples = raw.get("examples")
    return Rule(
        name=name,
        description=raw["description"],
        severity=severity_name(raw.get("severity", "warning")),
        given=(given,) if isinstance(given, str) else tuple(given),
        then=tuple(_check(item) for item in ([then] if isinstance(then, dict) else then)),
        stage=raw.get("stage"),
        scope=raw.get("scope", "document"),
        message=raw.get("message"),
        rationale=raw.get("rationale", ""),
        category=raw.get("category", "custom"),
        options={
            option: OptionSpec(spec["default"], spec.get("description", ""))
            for option, spec in raw.get("options", {}).items()
        },
        examples=(
            Examples(examples["fail"], examples["pass"], examples.get("verbatim", False))
            if examples
            else None
        ),
        documentation_url=raw.get("documentationUrl"),
        source=source,
    )


def _check(raw: dict[str, Any]) -> CheckSpec:
    field = raw.get("field")
    given = raw.get("given", ())
    return CheckSpec(
        function=raw["function"],
        field=tuple(field.split(".")) if field else (),
        given=(given,) if isinstance(given, str) else tuple(given),
        function_options=raw.get("functionOptions", {}),
    )
