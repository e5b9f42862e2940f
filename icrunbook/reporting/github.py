"""GitHub Actions workflow commands: annotations on the pull request and the run summary.

One ``::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=RULE::MESSAGE`` line per
diagnostic (warnings as ``::warning``, info as ``::notice``), then the summary line as plain text
(unless ``--quiet``). PATH is relative to the repository root, as GitHub expects. Escaping
follows the runner: ``%``, CR and LF are percent-encoded in the message, and also ``:`` and
``,`` in property values. Columns are given only for a one-line region: GitHub accepts columns
only when the annotation starts and ends on the same line.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from icrunbook.diagnostics import Severity
from icrunbook.reporting.fingerprints import Locator
from icrunbook.reporting.text import collect, stream_lines

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from icrunbook.api import Report
    from icrunbook.diagnostics import Diagnostic
    from icrunbook.reporting import Style

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(report: Report, style: Style) -> str:
    return collect(stream, report, style)


def stream(
    files: int,
    per_file: Iterable[list[Diagnostic]],
    style: Style,
    write: Callable[[str], object],
    hidden: Callable[[], int] = lambda: 0,
) -> Counter[Severity]:
    """Write each annotation as its file's findings arrive; the counts, for the exit code."""
    locator = Locator()

    def line(found: Diagnostic) -> str:
        return annotation(found, locator.relative(found.path))

    return stream_lines(files, per_file, style, write, line, hidden)


def annotation(diagnostic: Diagnostic, path: str) -> str:
    """The workflow command for one diagnostic, ``path`` as GitHub should show it."""
    properties = [("file", path), ("line", str(diagnostic.line))]
    if diagnostic.line == diagnostic.end_line:
        properties.append(("col", str(diagnostic.column)))
    properties.append(("endLine", str(diagnostic.end_line)))
    if diagnostic.line == diagnostic.end_line:
        properties.append(("endColumn", str(diagnostic.end_column)))
    properties.append(("title", diagnostic.rule))
    rendered = ",".join(f"{name}={escape_property(value)}" for name, value in properties)
    return f"::{COMMANDS[diagnostic.severity]} {rendered}::{escape_data(diagnostic.message)}"


def escape_data(text: str) -> str:
    """A command's message: ``%``, CR and LF percent-encoded."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A command's property value: as a message, and ``:`` and ``,`` too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
