"""``PATH:LINE:COL: SEVERITY [RULE] MESSAGE`` lines, then one summary line."""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from icrunbook.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from icrunbook.api import Report
    from icrunbook.reporting import Style

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}
# Messages quote runbook values: their line breaks and terminal escapes are shown, not sent, so
# that each diagnostic stays one line (problem matchers read lines) and a file cannot write to
# the terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def render(report: Report, style: Style) -> str:
    if style.statistics:
        lines = [f"{count:5}  {rule}  ({sev.label})" for rule, sev, count in report.statistics()]
        if not style.quiet:
            lines.append(
                summary(len(report.files), Counter(d.severity for d in report.diagnostics))
            )
        return "".join(line + "\n" for line in lines)
    out: list[str] = []
    stream(len(report.files), [report.diagnostics], style, out.append)
    return "".join(out)


def stream(
    files: int, per_file: Iterable[list[Diagnostic]], style: Style, write: Callable[[str], object]
) -> Counter[Severity]:
    """Write each line as its file's findings arrive; the counts, for the exit code."""
    counts: Counter[Severity] = Counter()
    for found in per_file:
        for diagnostic in found:
            counts[diagnostic.severity] += 1
            write(_line(diagnostic, style.color) + "\n")
    if not style.quiet:
        write(summary(files, counts) + "\n")
    return counts


def _line(diagnostic: Diagnostic, color: bool) -> str:
    severity = diagnostic.severity.label
    if color:
        severity = f"\x1b[1;{_COLORS[diagnostic.severity]}m{severity}\x1b[0m"
    place = f"{_visible(diagnostic.path)}:{diagnostic.line}:{diagnostic.column}"
    return f"{place}: {severity} [{diagnostic.rule}] {_visible(diagnostic.message)}"


def _visible(text: str) -> str:
    """Control characters shown as ``\\x1b`` and the like (tabs stay)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def summary(files: int, counts: Counter[Severity]) -> str:
    """``4 files checked: 2 errors, 1 warning, 0 info``."""
    checked = _plural(files, "file")
    errors = _plural(counts[Severity.ERROR], "error")
    warnings = _plural(counts[Severity.WARNING], "warning")
    return f"{checked} checked: {errors}, {warnings}, {counts[Severity.INFO]} info"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
