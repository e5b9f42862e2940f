"""Running rules on a document: rules become active with a severity and option values, once,
and then run on every document: ``given`` selects nodes, each ``then`` function checks them."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from icrunbook.diagnostics import Diagnostic, Severity
from icrunbook.errors import IcrunError
from icrunbook.rules.functions import MISSING, Context, Finding, FunctionSpec
from icrunbook.rules.model import OPTION_REFERENCE, CheckSpec, Rule
from icrunbook.rules.paths import compile_path, select

if TYPE_CHECKING:
    from icrunbook.loader import Document, Path

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][\w.]*)\s*\}\}")


@dataclass(frozen=True, slots=True)
class ActiveCheck:
    spec: FunctionSpec
    field: tuple[str, ...]
    options: Mapping[str, Any]  # parsed by the function's option parsers
    queries: tuple[Any, ...]  # the check's own ``given``, or the rule's


@dataclass(frozen=True, slots=True)
class ActiveRule:
    """A rule with its severity and option values settled, queries compiled, options parsed."""

    rule: Rule
    severity: Severity
    options: Mapping[str, Any]
    queries: tuple[Any, ...]
    checks: tuple[ActiveCheck, ...]

    @property
    def name(self) -> str:
        return self.rule.name


def activate(
    rule: Rule,
    severity: Severity,
    options: Mapping[str, Any],
    functions: Mapping[str, FunctionSpec],
) -> ActiveRule:
    """Compile a rule for running; any mistake in it is an IcrunError naming where it is."""
    queries = _compile(rule, rule.given)
    checks = tuple(_activate_check(rule, check, options, functions) for check in rule.then)
    return ActiveRule(rule, severity, dict(options), queries, checks)


def _compile(rule: Rule, expressions: tuple[str, ...]) -> tuple[Any, ...]:
    try:
        return tuple(compile_path(expression) for expression in expressions)
    except ValueError as error:
        raise IcrunError(f"{rule.source}: rule '{rule.name}': given {error}") from None


def _activate_check(
    rule: Rule,
    check: CheckSpec,
    rule_options: Mapping[str, Any],
    functions: Mapping[str, FunctionSpec],
) -> ActiveCheck:
    spec = functions.get(check.function)
    where = f"{rule.source}: rule '{rule.name}'"
    if spec is None:
        hint = _did_you_mean(check.function, functions)
        raise IcrunError(f"{where}: unknown function '{check.function}'{hint}")
    raw = {
        name: _bind(value, rule_options, where) for name, value in check.function_options.items()
    }
    parsed: dict[str, Any] = {}
    for name, value in raw.items():
        parser = spec.options.get(name)
        if parser is None:
            raise IcrunError(
                f"{where}: function '{spec.name}' has no option '{name}'"
                f"{_did_you_mean(name, spec.options)}"
            )
        try:
            parsed[name] = parser(value)
        except ValueError as error:
            raise IcrunError(f"{where}: option '{name}' {error}") from None
    missing = sorted(spec.required - parsed.keys())
    if missing:
        raise IcrunError(f"{where}: function '{spec.name}' needs option '{missing[0]}'")
    return ActiveCheck(spec, check.field, parsed, _compile(rule, check.given or rule.given))


def _bind(value: Any, rule_options: Mapping[str, Any], where: str) -> Any:
    """Replace ``{$option: NAME}`` with the value of the rule's option NAME."""
    if isinstance(value, dict) and list(value) == [OPTION_REFERENCE]:
        name = value[OPTION_REFERENCE]
        if name not in rule_options:
            raise IcrunError(f"{where}: refers to option '{name}', which the rule does not declare")
        return rule_options[name]
    return value


def _did_you_mean(word: str, choices: Mapping[str, Any]) -> str:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" — did you mean '{match[0]}'?" if match else ""


class Linter:
    """Runs a fixed set of active rules over documents."""

    def __init__(self, rules: Sequence[ActiveRule], today: date) -> None:
        self.rules = [rule for rule in rules if rule.rule.stage is None]
        self.today = today

    def run(self, document: Document) -> list[Diagnostic]:
        """Diagnostics of every rule on a loaded, mapping-shaped document."""
        if not isinstance(document.data, dict):
            return []
        return [diagnostic for rule in self.rules for diagnostic in self._run_rule(rule, document)]

    def _run_rule(self, rule: ActiveRule, document: Document) -> Iterator[Diagnostic]:
        for check in rule.checks:
            for query in check.queries:
                for path, node in select(query, document.data):
                    position = _position(document.data, path)
                    value = _field(node, check.field)
                    where = (*path, *check.field)
                    context = Context(document, where, position, self.today)
                    for finding in check.spec(value, check.options, context):
                        yield _diagnostic(rule, document, where, value, finding)


def _diagnostic(
    rule: ActiveRule, document: Document, where: Path, value: Any, finding: Finding
) -> Diagnostic:
    path = (*where, *finding.path)
    span = document.locate_key(path) if finding.at_key else document.locate(path)
    message = format_message(rule, finding.message, value, path)
    return Diagnostic(document.path, span, rule.name, rule.severity, message)


def format_message(rule: ActiveRule, error: str, value: Any, path: Path) -> str:
    """Fill the rule's message placeholders; what is filled in is never read as a template."""
    fields = {
        "error": error,
        "description": rule.rule.description,
        "value": "" if value is MISSING else str(value),
        "path": ".".join(str(key) for key in path),
        "property": str(path[-1]) if path else "",
    }
    template = rule.rule.message or "{{error}}"

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("options."):
            option = rule.options.get(name.removeprefix("options."), "")
            return ", ".join(map(str, option)) if isinstance(option, list) else str(option)
        return fields.get(name, match.group(0))

    return _PLACEHOLDER.sub(fill, template)


def _field(node: Any, field: tuple[str, ...]) -> Any:
    for key in field:
        if not isinstance(node, dict) or key not in node:
            return MISSING
        node = node[key]
    return node


def _position(data: Any, path: Path) -> int:
    """Index of the node among its siblings: list index, or key order within a mapping."""
    if not path:
        return 0
    last = path[-1]
    if isinstance(last, int):
        return last
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    return list(parent).index(last)
