"""Running rules on a document: rules become active with a severity and option values, once,
and then run on every document: ``given`` selects nodes, each ``then`` function checks them.

A ``scope: repository`` rule is not run here: :func:`collect` gathers what its ``given`` selects
in each document, and the runner hands every file's occurrences to its function at the end."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from icrunbook.diagnostics import Diagnostic, Severity
from icrunbook.errors import IcrunError
from icrunbook.rules.functions import MISSING, Context, Finding, FunctionSpec, Occurrence, value_at
from icrunbook.rules.model import OPTION_REFERENCE, CheckSpec, Rule
from icrunbook.rules.paths import compile_path, select
from icrunbook.rules.patterns import PatternTimeout
from icrunbook.suggest import did_you_mean

if TYPE_CHECKING:
    from icrunbook.loader import Document, Path

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][\w.]*)\s*\}\}")
_NOT_A_MAPPING: Any = object()  # what ``_field`` finds under a node that is not a mapping
KEY_FIELD = ("@key",)  # Spectral's ``field: "@key"``: check each key of the selected mapping


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


class RuleError(IcrunError):
    """A rule that cannot run as written; ``detail`` says why without saying where, so that a
    config that set the offending option can point at itself instead of at the ruleset."""

    def __init__(self, rule: Rule, detail: str) -> None:
        super().__init__(f"{rule.source}: rule '{rule.name}': {detail}")
        self.detail = detail

    def __reduce__(self) -> tuple[type[IcrunError], tuple[str]]:
        return (IcrunError, (str(self),))  # from a worker process, as the one line it says


def activate(
    rule: Rule,
    severity: Severity,
    options: Mapping[str, Any],
    functions: Mapping[str, FunctionSpec],
) -> ActiveRule:
    """Compile a rule for running; any mistake in it is a RuleError."""
    queries = _compile(rule, rule.given)
    if rule.scope == "repository" and len(rule.then) != 1:
        raise RuleError(rule, "a scope: repository rule has exactly one then entry")
    checks = tuple(_activate_check(rule, check, options, functions) for check in rule.then)
    return ActiveRule(rule, severity, dict(options), queries, checks)


def check_options(
    rule: Rule, options: Mapping[str, Any], functions: Mapping[str, FunctionSpec]
) -> tuple[tuple[FunctionSpec, dict[str, Any]], ...]:
    """Each check's function and its options resolved, without compiling where the rule looks
    (what reading an update with a rule's word lists needs: JSONPath costs ~100 ms to load)."""
    return tuple(_bound(rule, check, options, functions) for check in rule.then)


def _compile(rule: Rule, expressions: tuple[str, ...]) -> tuple[Any, ...]:
    try:
        return tuple(compile_path(expression) for expression in expressions)
    except ValueError as error:
        raise RuleError(rule, f"given {error}") from None


def _activate_check(
    rule: Rule,
    check: CheckSpec,
    rule_options: Mapping[str, Any],
    functions: Mapping[str, FunctionSpec],
) -> ActiveCheck:
    spec, parsed = _bound(rule, check, rule_options, functions)
    return ActiveCheck(spec, check.field, parsed, _compile(rule, check.given or rule.given))


def _bound(
    rule: Rule,
    check: CheckSpec,
    rule_options: Mapping[str, Any],
    functions: Mapping[str, FunctionSpec],
) -> tuple[FunctionSpec, dict[str, Any]]:
    """A check's function, and its options parsed (``{$option: NAME}`` bound); a RuleError
    naming the first mistake."""
    spec = functions.get(check.function)
    if spec is None:
        hint = did_you_mean(check.function, functions)
        raise RuleError(rule, f"unknown function '{check.function}'{hint}")
    if spec.scope != rule.scope:
        fitting = sorted(name for name, other in functions.items() if other.scope == rule.scope)
        raise RuleError(
            rule,
            f"function '{spec.name}' is for {spec.scope} rules and this is a {rule.scope} rule "
            f"(scope: {rule.scope}); use one of: {', '.join(fitting)}",
        )
    parsed: dict[str, Any] = {}
    for name, raw in check.function_options.items():
        parser = spec.options.get(name)
        if parser is None:
            hint = did_you_mean(name, spec.options)
            raise RuleError(rule, f"function '{spec.name}' has no option '{name}'{hint}")
        value, option_name = _bind(rule, raw, rule_options, name)
        try:
            parsed[name] = parser(value)
        except ValueError as error:
            raise RuleError(rule, f"option '{option_name}' {error}") from None
    missing = sorted(spec.required - parsed.keys())
    if missing:
        raise RuleError(rule, f"function '{spec.name}' needs option '{missing[0]}'")
    return spec, parsed


def _bind(rule: Rule, value: Any, rule_options: Mapping[str, Any], name: str) -> tuple[Any, str]:
    """Resolve ``{$option: NAME}`` to the rule option's value; also say which option it was."""
    if isinstance(value, dict) and list(value) == [OPTION_REFERENCE]:
        option = value[OPTION_REFERENCE]
        if option not in rule_options:
            raise RuleError(rule, f"refers to option '{option}', which the rule does not declare")
        return rule_options[option], option
    return value, name


class Linter:
    """Runs a fixed set of active rules over documents."""

    def __init__(self, rules: Sequence[ActiveRule], today: date) -> None:
        self.rules = [
            rule for rule in rules if rule.rule.stage is None and rule.rule.scope == "document"
        ]
        self.today = today

    def run(self, document: Document, rejected: frozenset[Path] = frozenset()) -> list[Diagnostic]:
        """Diagnostics of every rule on a loaded, mapping-shaped document. Values at (or under)
        ``rejected`` paths, which the schema already reports, are not checked again."""
        if not isinstance(document.data, dict):
            return []
        selections = _Selections(document.data)
        return [
            diagnostic
            for rule in self.rules
            for diagnostic in self._run_rule(rule, document, rejected, selections)
        ]

    def _run_rule(
        self,
        rule: ActiveRule,
        document: Document,
        rejected: frozenset[Path],
        selections: _Selections,
    ) -> Iterator[Diagnostic]:
        for check, path, where, value, at_key in _visits(rule, document, selections, rejected):
            context = Context(document, where, _position(document.data, path), self.today)
            for finding in _findings(rule, check, value, context):
                if at_key:
                    finding = finding._replace(at_key=True)
                if not _misspelt(document.data, (*where, *finding.path), rejected):
                    yield _diagnostic(rule, document, where, value, finding)


def _visits(
    rule: ActiveRule, document: Document, selections: _Selections, rejected: frozenset[Path]
) -> Iterator[tuple[ActiveCheck, Path, Path, Any, bool]]:
    """Every value a rule's checks look at: (check, selected node's path, value's path, value,
    whether findings point at a key), leaving out values the schema already reports."""
    for check in rule.checks:
        for query in check.queries:
            for path, node in _selected(selections, query, rule, document):
                for where, value, at_key in _targets(path, node, check.field):
                    if not _under(where, rejected):
                        yield check, path, where, value, at_key


def _selected(
    selections: _Selections, query: Any, rule: ActiveRule, document: Document
) -> list[tuple[Path, Any]]:
    """What a query selects; a ``match()``/``search()`` in it that runs past its time bound
    stops the run with one line naming the rule and the file."""
    try:
        return selections.of(query)
    except PatternTimeout as error:
        raise IcrunError(f"{document.path}: rule '{rule.name}': given: {error}") from None


def _targets(path: Path, node: Any, field: tuple[str, ...]) -> list[tuple[Path, Any, bool]]:
    """What one check looks at in a selected node: the node, one field of it, or (``@key``) each
    of its keys; with the path of each and whether findings point at a key."""
    if not field:
        return [(path, node, False)]
    if field == KEY_FIELD:
        return [((*path, key), key, True) for key in node] if isinstance(node, dict) else []
    value = _field(node, field)
    if value is _NOT_A_MAPPING:  # a field of a wrongly typed node: the schema reports it
        return []
    return [((*path, *field), value, False)]


def _misspelt(data: Any, path: Path, rejected: frozenset[Path]) -> bool:
    """Whether a finding is about a key the document lacks because it misspelt it (``timbox``
    for ``timebox``): the schema names the typo, with its "did you mean", once."""
    return _under(path, rejected) and value_at(data, path) is MISSING


def _under(where: Path, rejected: frozenset[Path]) -> bool:
    return bool(rejected) and any(where[:i] in rejected for i in range(len(where) + 1))


def _findings(rule: ActiveRule, check: ActiveCheck, value: Any, context: Context) -> list[Finding]:
    """A function's findings; a user's pattern that runs past its time bound stops the run with
    one line naming the rule and the place, never a hang."""
    try:
        return list(check.spec(value, check.options, context))
    except PatternTimeout as error:
        span = context.document.locate(context.path)
        raise IcrunError(
            f"{context.document.path}:{span.line}:{span.column}: rule '{rule.name}': {error}"
        ) from None


def collect(
    rules: Sequence[ActiveRule], document: Document, rejected: frozenset[Path] = frozenset()
) -> dict[str, list[Occurrence]]:
    """What each repository rule's ``given`` selects in one document: the plain values (text,
    numbers, true/false) with their places, for comparing across files at the end of a run."""
    found: dict[str, list[Occurrence]] = {}
    if not isinstance(document.data, dict):
        return found
    selections = _Selections(document.data)
    for rule in rules:
        occurrences = found.setdefault(rule.name, [])
        for _, _, where, value, _ in _visits(rule, document, selections, rejected):
            # a value inherited from the policy is shared by design, not a clash across files
            if isinstance(value, str | int | float) and document.origin(where) is document:
                span = document.locate(where)
                text = document.line_text(span.line)
                occurrences.append(Occurrence(document.path, where, value, span, text))
    return found


class _Selections:
    """What each ``given`` selects in one document, worked out once: many rules share a
    ``given`` (compiled queries are shared too, so the query object is the key)."""

    def __init__(self, data: Any) -> None:
        self.data = data
        self._found: dict[int, list[tuple[Path, Any]]] = {}

    def of(self, query: Any) -> list[tuple[Path, Any]]:
        key = id(query)
        if key not in self._found:
            self._found[key] = list(select(query, self.data))
        return self._found[key]


def _diagnostic(
    rule: ActiveRule, document: Document, where: Path, value: Any, finding: Finding
) -> Diagnostic:
    path = (*where, *finding.path)
    span = document.locate_key(path) if finding.at_key else document.locate(path)
    message = format_message(rule, finding.message, value, path)
    return Diagnostic(document.origin(path).path, span, rule.name, rule.severity, message)


def repository_diagnostics(
    rule: ActiveRule, occurrences: Sequence[Occurrence]
) -> Iterator[Diagnostic]:
    """A repository rule's findings over every file's occurrences, each at its own place."""
    for check in rule.checks:
        for index, words in check.spec.compare(occurrences, check.options):
            found = occurrences[index]
            message = format_message(rule, words, found.value, found.where)
            yield Diagnostic(
                found.file, found.span, rule.name, rule.severity, message, found.line_text
            )


def format_message(rule: ActiveRule, error: str, value: Any, path: Path) -> str:
    """Fill the rule's message placeholders; what is filled in is never read as a template."""
    fields = {
        "error": error,
        "description": rule.rule.description,
        "value": "" if value is MISSING else _text(value),
        "path": ".".join(str(key) for key in path),
        "property": str(path[-1]) if path else "",
    }
    template = rule.rule.message or rule.rule.description or "{{error}}"  # as in Spectral

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("options."):
            option = rule.options.get(name.removeprefix("options."), "")
            return ", ".join(map(str, option)) if isinstance(option, list) else str(option)
        return fields.get(name, match.group(0))

    return _PLACEHOLDER.sub(fill, template)


def _text(value: Any) -> str:
    try:
        return str(value)
    except RecursionError:  # nested near libyaml's limit (1000 levels): too deep to print
        return f"(a {type(value).__name__} nested too deep to show)"


def _field(node: Any, field: tuple[str, ...]) -> Any:
    """The value of ``field`` under ``node``: ``MISSING`` when a mapping lacks a key on the way,
    ``_NOT_A_MAPPING`` when a node on the way is not a mapping and so cannot have fields."""
    for key in field:
        if not isinstance(node, dict):
            return _NOT_A_MAPPING
        if key not in node:
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
