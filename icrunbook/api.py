"""The library API: what the ``icrun`` commands do, callable from tests and other tools.

Data flows one way: file → :class:`~icrunbook.loader.Document` (data with positions) →
:class:`~icrunbook.diagnostics.Diagnostic` list → a reporter.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from icrunbook import __version__
from icrunbook.diagnostics import Diagnostic, Severity
from icrunbook.files import discover
from icrunbook.loader import DEFAULT_LIMITS, Document, LoadLimits, load_file
from icrunbook.validation import validate_document

if TYPE_CHECKING:
    from icrunbook.rules.model import Rule

__all__ = ["Report", "load_file", "validate_document", "validate_file", "validate_paths"]


@dataclass(slots=True)
class Report:
    """What a run found: the files it checked and every diagnostic, in output order."""

    files: list[str]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    version: str = __version__
    rules: Mapping[str, Rule] = field(default_factory=dict)  # what could fire, for SARIF & co.

    @classmethod
    def of(
        cls,
        files: list[str],
        diagnostics: Iterable[Diagnostic],
        rules: Mapping[str, Rule] | None = None,
    ) -> Report:
        """A report with its diagnostics in output order: path, then position."""
        return cls(files, sorted(diagnostics, key=Diagnostic.sort_key), rules=rules or {})

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


def validate_file(path: str, limits: LoadLimits = DEFAULT_LIMITS) -> list[Diagnostic]:
    """Syntax and schema diagnostics for one file, in file order."""
    return _validated(load_file(path, limits))


def _validated(document: Document) -> list[Diagnostic]:
    diagnostics = document.diagnostics + validate_document(document)
    return sorted(diagnostics, key=Diagnostic.sort_key)


def validate_paths(paths: Iterable[str], limits: LoadLimits = DEFAULT_LIMITS) -> Report:
    """Validate files and folders (searched for ``*.yaml``/``*.yml``)."""
    files = discover(paths)
    return Report.of(files, [d for path in files for d in validate_file(path, limits)])
