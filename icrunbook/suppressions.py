"""Inline suppressions: ``# icrun: disable=rule-a,rule-b`` comments in a runbook.

- ``disable=...`` at the end of a line silences those rules for diagnostics on that line;
- ``disable-next-line=...`` silences them on the next line;
- ``disable-file=...`` anywhere silences them in the whole file.

Rule names may be globs (``comms-*``). A suppression that silences nothing is reported as
``unused-suppression``, so stale ones do not pile up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from icrunbook.diagnostics import Diagnostic, Span
from icrunbook.loader import LINE_BREAK

if TYPE_CHECKING:
    from collections.abc import Callable, Collection

    from icrunbook.diagnostics import Severity

_DIRECTIVE = re.compile(
    r"(?:^|\s)#\s*icrun:\s*(?P<kind>disable-next-line|disable-file|disable)\s*=\s*"
    r"(?P<rules>[\w*?\[\]-]+(?:\s*,\s*[\w*?\[\]-]+)*)"
)
UNSUPPRESSIBLE = frozenset({"syntax"})


@dataclass(slots=True)
class Suppression:
    """One rule name (or glob) of one directive, and whether it silenced anything."""

    pattern: str
    kind: str
    span: Span  # of the rule name in the comment
    target_line: int | None  # None for the whole file
    used: bool = field(default=False)
    line_text: str = ""  # the comment's line, trimmed (for fingerprints of unused ones)

    def covers(self, diagnostic: Diagnostic) -> bool:
        in_scope = self.target_line is None or diagnostic.line == self.target_line
        return in_scope and fnmatchcase(diagnostic.rule, self.pattern)


def find_suppressions(
    text: str, in_scalar: Callable[[int, int], bool] | None = None
) -> list[Suppression]:
    """Every suppression directive in the text's comments, one entry per rule name.

    ``in_scalar(line, column)`` tells a ``#`` inside a string (a template body, say) from a
    comment; without it every match counts.
    """
    found: list[Suppression] = []
    if "icrun:" not in text:  # the common case: no directives at all
        return found
    for number, line in enumerate(LINE_BREAK.split(text), start=1):
        match = _DIRECTIVE.search(line)
        if match is None:
            continue
        hash_column = line.index("#", match.start()) + 1
        if in_scalar is not None and in_scalar(number, hash_column):
            continue
        kind = match.group("kind")
        target = {"disable": number, "disable-next-line": number + 1}.get(kind)
        for name in re.finditer(r"[\w*?\[\]-]+", match.group("rules")):
            column = match.start("rules") + name.start() + 1
            span = Span(number, column, number, column + len(name.group()))
            found.append(Suppression(name.group(), kind, span, target, line_text=line.strip()))
    return found


def silence(diagnostics: list[Diagnostic], suppressions: list[Suppression]) -> list[Diagnostic]:
    """The diagnostics no suppression covers; each suppression that covers one is marked used.
    ``syntax`` is never silenced, and aiming at it does not count as use."""
    kept = []
    for diagnostic in diagnostics:
        if diagnostic.rule in UNSUPPRESSIBLE:
            kept.append(diagnostic)
            continue
        covering = [s for s in suppressions if s.covers(diagnostic)]
        if not covering:
            kept.append(diagnostic)
        for suppression in covering:
            suppression.used = True
    return kept


def unused(
    suppressions: list[Suppression], path: str, known_rules: Collection[str], severity: Severity
) -> list[Diagnostic]:
    """``unused-suppression`` findings for the suppressions that silenced nothing."""
    return [
        _unused(suppression, path, known_rules, severity)
        for suppression in suppressions
        if not suppression.used
    ]


def _unused(
    suppression: Suppression, path: str, known_rules: Collection[str], severity: Severity
) -> Diagnostic:
    pattern = suppression.pattern
    if pattern in UNSUPPRESSIBLE:
        why = f"'{pattern}' cannot be suppressed: fix the YAML"
    elif not any(fnmatchcase(rule, pattern) for rule in known_rules):
        why = f"'{pattern}' is not a rule; see: icrun rules"
    else:
        why = f"'{pattern}' silences nothing here; remove it"
    message = f"unused suppression {suppression.kind}={pattern}: {why}"
    span, text = suppression.span, suppression.line_text
    return Diagnostic(path, span, "unused-suppression", severity, message, text)
