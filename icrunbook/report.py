"""What a run found: the files it checked, every diagnostic, and the rules that could fire.

Reporters read nothing else: a report carries the rule metadata SARIF and friends list, and each
diagnostic carries its line's text for fingerprints.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from icrunbook import __version__
from icrunbook.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from icrunbook.rules.model import Rule


@dataclass(slots=True)
class Report:
    """What a run found: the files it checked and every diagnostic, in output order."""

    files: list[str]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    version: str = __version__
    rules: Mapping[str, Rule] = field(default_factory=dict)  # what could fire, for SARIF & co.
    hidden: int = 0  # findings the baseline hid

    @classmethod
    def of(
        cls,
        files: list[str],
        diagnostics: Iterable[Diagnostic],
        rules: Mapping[str, Rule] | None = None,
        hidden: int = 0,
    ) -> Report:
        """A report with its diagnostics in output order: path, then position."""
        ordered = sorted(diagnostics, key=Diagnostic.sort_key)
        return cls(files, ordered, rules=rules or {}, hidden=hidden)

    def count(self, severity: Severity) -> int:
        return sum(1 for diagnostic in self.diagnostics if diagnostic.severity == severity)

    def statistics(self) -> list[tuple[str, Severity, int]]:
        """(rule, severity, count) for each rule that fired, most frequent first."""
        counts = Counter((d.rule, d.severity) for d in self.diagnostics)
        return [(rule, sev, n) for (rule, sev), n in sorted(counts.items(), key=_by_count)]

    def fails(self, level: Severity) -> bool:
        """Whether anything is at or above ``level`` (exit code 1)."""
        return any(diagnostic.severity >= level for diagnostic in self.diagnostics)


def _by_count(item: tuple[tuple[str, Severity], int]) -> tuple[int, str]:
    (rule, _), count = item
    return (-count, rule)
