"""A plan: every check one file gets, resolved once per config, matching overrides and selection.

A plan always holds the structural stages (``syntax``, ``duplicate-key``, ``not-a-runbook``,
``schema``) at error: no config, ``extends``, ``off`` or ``--ignore`` removes them, so a green
run means the files parse and meet the schema. ``icrun validate`` runs a plan of those stages
alone; ``lint`` adds the config's active rules.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from fnmatch import fnmatchcase
from functools import cached_property
from typing import TYPE_CHECKING, Any

from icrunbook import __version__
from icrunbook.diagnostics import Severity
from icrunbook.errors import IcrunError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from icrunbook.config import Config
    from icrunbook.rules.engine import ActiveRule, Linter
    from icrunbook.rules.model import Rule


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
    """``--select``/``--ignore`` globs from the command line, applied on top of any config.
    They choose among the rules; the structural stages always run."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def check(self, rules: Iterable[Rule]) -> None:
        listed = list(rules)
        for pattern in (*self.select, *self.ignore):
            if not any(fnmatchcase(rule.name, pattern) for rule in listed):
                raise IcrunError(f"no rule matches '{pattern}'; list the rules with: icrun rules")
        for pattern in self.ignore:
            if any(rule.structural and rule.name == pattern for rule in listed):
                raise IcrunError(
                    f"--ignore {pattern}: '{pattern}' is a structural check and always runs; "
                    "to skip a file, list it under exclude in .icrun.yaml"
                )

    def keeps(self, rule: Rule) -> bool:
        if rule.structural:
            return True
        name = rule.name
        chosen = not self.select or any(fnmatchcase(name, p) for p in self.select)
        return chosen and not any(fnmatchcase(name, p) for p in self.ignore)


class Plan:
    """The checks for one config and one set of matching overrides. Queries and functions are
    set up on first use, so a run the cache answers entirely never loads them."""

    def __init__(
        self,
        config: Config,
        overrides: tuple[int, ...] = (),
        selection: Selection = Selection(),
        structural_only: bool = False,
    ) -> None:
        self.config = config
        self.chosen: list[tuple[Rule, Severity, dict[str, Any]]] = []
        for name, rule in config.rules.items():
            if structural_only and not rule.structural:
                continue
            severity, options = config.setting(name, overrides)
            if rule.structural:
                self.chosen.append((rule, Severity.ERROR, options))
            elif severity != "off" and selection.keeps(rule):
                self.chosen.append((rule, Severity.parse(severity), options))
        self.known = list(config.rules)
        self.severities = {rule.name: severity for rule, severity, _ in self.chosen}
        self.today = today()
        self._decided = (overrides, selection, structural_only)

    @cached_property
    def fingerprint(self) -> str:
        """Everything besides a file's bytes that decides its diagnostics (for the cache)."""
        return _fingerprint(self.config, *self._decided, self.today)

    @property
    def rules(self) -> dict[str, Rule]:
        """The rules that can fire under this plan (for SARIF and friends)."""
        return {rule.name: rule for rule, _, _ in self.chosen}

    @cached_property
    def active(self) -> list[ActiveRule]:
        from icrunbook.rules.engine import activate  # the engine loads when rules first run

        functions = self.config.functions()
        return [
            activate(rule, severity, options, functions)
            for rule, severity, options in self.chosen
            if rule.stage is None
        ]

    @cached_property
    def linter(self) -> Linter:
        from icrunbook.rules.engine import Linter

        return Linter(self.active, self.today)

    @cached_property
    def repository_rules(self) -> list[ActiveRule]:
        return [rule for rule in self.active if rule.rule.scope == "repository"]

    @property
    def runs_rules(self) -> bool:
        """Whether there is more than the stages to run (``validate``'s plan has not)."""
        return any(rule.stage is None for rule, _, _ in self.chosen)

    @property
    def has_repository_rules(self) -> bool:
        """Without loading anything: whether results must wait for every file."""
        return any(rule.scope == "repository" for rule, _, _ in self.chosen)

    @property
    def reports_unused_suppressions(self) -> Severity | None:
        return self.severities.get("unused-suppression")


def _fingerprint(
    config: Config,
    overrides: tuple[int, ...],
    selection: Selection,
    structural_only: bool,
    day: date,
) -> str:
    """Everything besides a file's bytes that decides its diagnostics, as one digest."""
    import hashlib

    plugins = [(name, _installed_version(name)) for name in config.plugins]
    decided = (__version__, config, overrides, selection, structural_only, day.isoformat())
    return hashlib.sha256(repr((*decided, plugins)).encode()).hexdigest()


def _installed_version(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "?"
