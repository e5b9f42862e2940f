"""``lint``: loading, the schema and every enabled rule, over files, into one report.

Each file is linted under its config (the nearest ``.icrun.yaml`` or ``[tool.icrun]``, or the
one given); the active rules for a config and a set of matching overrides are set up once.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from datetime import date
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from icrunbook.api import Report
from icrunbook.config import Config, default_config, find_config, load_config
from icrunbook.diagnostics import Diagnostic, Severity
from icrunbook.errors import IcrunError
from icrunbook.files import discover
from icrunbook.loader import DEFAULT_MAX_BYTES, Document, LoadLimits, load_file
from icrunbook.rules.engine import ActiveRule, Linter, activate
from icrunbook.suppressions import UNSUPPRESSIBLE, apply_suppressions, find_suppressions
from icrunbook.validation import check_document
from icrunbook.validation.schemas import schema_for

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence


def today() -> date:
    """Today, or ``ICRUN_TODAY`` (YYYY-MM-DD) when set, so that date rules are reproducible."""
    fixed = os.environ.get("ICRUN_TODAY")
    if not fixed:
        return date.today()
    try:
        return date.fromisoformat(fixed)
    except ValueError:
        raise IcrunError(f"ICRUN_TODAY={fixed!r} is not a date written YYYY-MM-DD") from None


@dataclass(frozen=True, slots=True)
class Selection:
    """``--select``/``--ignore`` globs from the command line, applied on top of any config."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def check(self, rule_names: Iterable[str]) -> None:
        names = list(rule_names)
        for pattern in (*self.select, *self.ignore):
            if not any(fnmatchcase(name, pattern) for name in names):
                raise IcrunError(f"no rule matches '{pattern}'; list the rules with: icrun rules")

    def keeps(self, name: str) -> bool:
        if name in UNSUPPRESSIBLE:
            return True
        chosen = not self.select or any(fnmatchcase(name, p) for p in self.select)
        return chosen and not any(fnmatchcase(name, p) for p in self.ignore)


class RuleRun:
    """The active rules for one config and one set of matching overrides, ready to run."""

    def __init__(self, config: Config, overrides: tuple[int, ...], selection: Selection) -> None:
        functions = config.functions()
        self.rules: list[ActiveRule] = []
        for name, rule in config.rules.items():
            severity, options = config.setting(name, overrides)
            if severity == "off" or not selection.keeps(name):
                continue
            self.rules.append(activate(rule, Severity.parse(severity), options, functions))
        self.known = list(config.rules)
        self.severities = {rule.name: rule.severity for rule in self.rules}
        self.linter = Linter(self.rules, today())

    def document(self, document: Document) -> list[Diagnostic]:
        """Loader findings, schema problems and rule findings, at their rules' severities,
        less what inline suppressions silence."""
        found = list(document.diagnostics)
        schema = check_document(document)
        if "schema" in self.severities:
            found += schema.diagnostics
        if schema_for(document.path, document.kind) == "runbook":
            found += self.linter.run(document, schema.rejected)
        settled = [
            dataclasses.replace(diagnostic, severity=self.severities[diagnostic.rule])
            for diagnostic in found
            if diagnostic.rule in self.severities  # a stage rule may be switched off
        ]
        kept = apply_suppressions(
            settled,
            find_suppressions(document.text, document.in_scalar),
            document.path,
            self.known,
            self.severities.get("unused-suppression"),
        )
        return sorted(kept, key=Diagnostic.sort_key)


class Lint:
    """Lints files, each under its config; everything costly is set up once per run."""

    def __init__(
        self,
        config: Config | None = None,
        selection: Selection = Selection(),
        max_file_size: int | None = None,
    ) -> None:
        self.config = config  # when given (--config), used for every file
        self.selection = selection
        self.max_file_size = max_file_size
        self._runs: dict[tuple[str, tuple[int, ...]], RuleRun] = {}

    def config_for(self, path: str) -> Config:
        if self.config is not None:
            return self.config
        found = find_config(os.path.dirname(os.path.abspath(path)))
        return load_config(found) if found else default_config()

    def run_for(self, config: Config, path: str) -> RuleRun:
        overrides = config.matching_overrides(path)
        key = (config.source, overrides)
        if key not in self._runs:
            self.selection.check(config.rules)
            self._runs[key] = RuleRun(config, overrides, self.selection)
        return self._runs[key]

    def file(self, path: str) -> list[Diagnostic]:
        config = self.config_for(path)
        limit = self.max_file_size or config.max_file_size or DEFAULT_MAX_BYTES
        document = load_file(path, LoadLimits(max_bytes=limit))
        return self.run_for(config, path).document(document)

    def paths(self, paths: Iterable[str]) -> Report:
        """Lint files and folders (searched for ``*.yaml``/``*.yml``), skipping excluded ones."""
        files = [path for path in discover(paths) if not self.config_for(path).excludes(path)]
        diagnostics = [d for path in files for d in self.file(path)]
        rules = {active.name: active.rule for run in self._runs.values() for active in run.rules}
        return Report.of(files, diagnostics, rules)

    def default_paths(self) -> list[str]:
        """What to lint when no PATH is given: the config's ``paths``, else ``runbooks/``."""
        # config_for looks up from a file's folder: a file in the working folder, not "." itself
        config = self.config or self.config_for(os.path.join(os.getcwd(), "_"))
        return list(config.paths) or ["runbooks"]


def lint_paths(
    paths: Sequence[str] = (),
    config_path: str | None = None,
    selection: Selection = Selection(),
    max_file_size: int | None = None,
) -> Report:
    """Lint files and folders; with no paths, the config's ``paths`` or ``runbooks/``."""
    config = load_config(os.path.abspath(config_path)) if config_path else None
    lint = Lint(config, selection, max_file_size)
    return lint.paths(paths or lint.default_paths())
