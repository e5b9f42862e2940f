"""``PATH:LINE:COL: SEVERITY [RULE] MESSAGE`` lines, then one summary line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from icrunbook.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from icrunbook.api import Report
    from icrunbook.reporting import Style

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def render(report: Report, style: Style) -> str:
    if style.statistics:
        lines = [f"{count:5}  {rule}  ({sev.label})" for rule, sev, count in report.statistics()]
    else:
        lines = [_line(diagnostic, style.color) for diagnostic in report.diagnostics]
    if not style.quiet:
        lines.append(summary(report))
    return "".join(line + "\n" for line in lines)


def _line(diagnostic: Diagnostic, color: bool) -> str:
    severity = diagnostic.severity.label
    if color:
        severity = f"\x1b[1;{_COLORS[diagnostic.severity]}m{severity}\x1b[0m"
    place = f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}"
    return f"{place}: {severity} [{diagnostic.rule}] {diagnostic.message}"


def summary(report: Report) -> str:
    """``4 files checked: 2 errors, 1 warning, 0 info``."""
    files = _plural(len(report.files), "file")
    errors = _plural(report.count(Severity.ERROR), "error")
    warnings = _plural(report.count(Severity.WARNING), "warning")
    return f"{files} checked: {errors}, {warnings}, {report.count(Severity.INFO)} info"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
