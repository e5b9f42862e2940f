"""``lint``: loading, the schema and every enabled rule, over files, into one report."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Sequence
from datetime import date
from fnmatch import fnmatchcase

from icrunbook.api import Report, check_paths
from icrunbook.diagnostics import Diagnostic, Severity
from icrunbook.errors import IcrunError
from icrunbook.loader import DEFAULT_LIMITS, Document, LoadLimits, load_file
from icrunbook.rules.engine import ActiveRule, Linter, activate
from icrunbook.rules.registry import available_functions
from icrunbook.rules.ruleset import builtin_ruleset
from icrunbook.validation import validate_document

UNSUPPRESSIBLE = frozenset({"syntax"})


def today() -> date:
    """Today, or ``ICRUN_TODAY`` (YYYY-MM-DD) when set, so that date rules are reproducible."""
    fixed = os.environ.get("ICRUN_TODAY")
    if not fixed:
        return date.today()
    try:
        return date.fromisoformat(fixed)
    except ValueError:
        raise IcrunError(f"ICRUN_TODAY={fixed!r} is not a date written YYYY-MM-DD") from None


def active_rules(select: Sequence[str] = (), ignore: Sequence[str] = ()) -> list[ActiveRule]:
    """The recommended rules at their default settings, narrowed by ``select``/``ignore`` globs."""
    rules = builtin_ruleset("recommended")
    for pattern in [*select, *ignore]:
        if not any(fnmatchcase(name, pattern) for name in rules):
            raise IcrunError(f"no rule matches '{pattern}'; list the rules with: icrun rules")
    functions = available_functions()
    active = []
    for name, rule in rules.items():
        chosen = not select or any(fnmatchcase(name, pattern) for pattern in select)
        ignored = any(fnmatchcase(name, pattern) for pattern in ignore)
        if rule.severity == "off" or not (chosen or name in UNSUPPRESSIBLE):
            continue
        if ignored and name not in UNSUPPRESSIBLE:
            continue
        severity = Severity.parse(rule.severity)
        active.append(activate(rule, severity, rule.option_defaults(), functions))
    return active


class Lint:
    """Everything lint runs on a document, set up once for a run."""

    def __init__(self, rules: Sequence[ActiveRule], limits: LoadLimits = DEFAULT_LIMITS) -> None:
        self.severities = {rule.name: rule.severity for rule in rules}
        self.linter = Linter(rules, today())
        self.limits = limits

    def document(self, document: Document) -> list[Diagnostic]:
        """Loader findings, schema problems and rule findings, at their rules' severities."""
        found = list(document.diagnostics)
        if "schema" in self.severities:
            found += validate_document(document)
        settled = [
            dataclasses.replace(diagnostic, severity=self.severities[diagnostic.rule])
            for diagnostic in found
            if diagnostic.rule in self.severities  # a stage rule that is switched off
        ]
        return sorted([*settled, *self.linter.run(document)], key=Diagnostic.sort_key)

    def file(self, path: str) -> list[Diagnostic]:
        return self.document(load_file(path, self.limits))


def lint_paths(
    paths: Iterable[str],
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    limits: LoadLimits = DEFAULT_LIMITS,
) -> Report:
    """Lint files and folders (searched for ``*.yaml``/``*.yml``)."""
    return check_paths(paths, Lint(active_rules(select, ignore), limits).file)
