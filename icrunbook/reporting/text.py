"""``PATH:LINE:COL: SEVERITY [RULE] MESSAGE`` lines, then one summary line."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from icrunbook.diagnostics import Diagnostic, Severity
from icrunbook.escapes import visible
from icrunbook.wording import plural

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from icrunbook.api import Report
    from icrunbook.reporting import Streamer, Style

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def render(report: Report, style: Style) -> str:
    if style.statistics:
        lines = [f"{count:5}  {rule}  ({sev.label})" for rule, sev, count in report.statistics()]
        if not style.quiet:
            lines.append(
                summary(
                    len(report.files),
                    Counter(d.severity for d in report.diagnostics),
                    report.hidden,
                )
            )
        return "".join(line + "\n" for line in lines)
    return collect(stream, report, style)


def collect(streamer: Streamer, report: Report, style: Style) -> str:
    """A streaming format's whole output for a finished report, as one text."""
    out: list[str] = []
    streamer(len(report.files), [report.diagnostics], style, out.append, lambda: report.hidden)
    return "".join(out)


def stream(
    files: int,
    per_file: Iterable[list[Diagnostic]],
    style: Style,
    write: Callable[[str], object],
    hidden: Callable[[], int] = lambda: 0,
) -> Counter[Severity]:
    """Write each line as its file's findings arrive; the counts, for the exit code."""
    return stream_lines(
        files, per_file, style, write, lambda found: _line(found, style.color), hidden
    )


def stream_lines(
    files: int,
    per_file: Iterable[list[Diagnostic]],
    style: Style,
    write: Callable[[str], object],
    line: Callable[[Diagnostic], str],
    hidden: Callable[[], int],
) -> Counter[Severity]:
    """A format of one ``line`` per finding (this one, GitHub's), written as each file's
    findings arrive, then the summary line unless ``quiet``; the counts, for the exit code.
    ``hidden`` tells, once every file is in, how many findings the baseline hid."""
    counts: Counter[Severity] = Counter()
    for found in per_file:
        for diagnostic in found:
            counts[diagnostic.severity] += 1
            write(line(diagnostic) + "\n")
    if not style.quiet:
        write(summary(files, counts, hidden()) + "\n")
    return counts


def _line(diagnostic: Diagnostic, color: bool) -> str:
    severity = diagnostic.severity.label
    if color:
        severity = f"\x1b[1;{_COLORS[diagnostic.severity]}m{severity}\x1b[0m"
    # Messages quote runbook values: their line breaks and terminal escapes are shown, not
    # sent, so that each diagnostic stays one line (problem matchers read lines) and a file
    # cannot write to the terminal. Tabs stay.
    place = f"{visible(diagnostic.path)}:{diagnostic.line}:{diagnostic.column}"
    return f"{place}: {severity} [{diagnostic.rule}] {visible(diagnostic.message)}"


def summary(files: int, counts: Counter[Severity], hidden: int = 0) -> str:
    """``4 files checked: 2 errors, 1 warning, 0 info``, and ``; 3 hidden by the baseline``."""
    checked = plural(files, "file")
    errors = plural(counts[Severity.ERROR], "error")
    warnings = plural(counts[Severity.WARNING], "warning")
    line = f"{checked} checked: {errors}, {warnings}, {counts[Severity.INFO]} info"
    return f"{line}; {hidden} hidden by the baseline" if hidden else line
