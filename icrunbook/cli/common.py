"""Options and helpers that several commands share."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import typer

from icrunbook.reporting import OutputFormat, Style

if TYPE_CHECKING:
    from icrunbook.api import Report

PathsArgument = typer.Argument(
    None, help="Runbook files or folders (searched for *.yaml, *.yml). Default: runbooks/."
)
FormatOption = typer.Option(
    None,
    "--format",
    "-f",
    help="Output format. Default: github when GITHUB_ACTIONS=true, else text.",
    show_default=False,
)
OutputOption = typer.Option(
    None, "--output", "-o", help="Write the report to FILE (atomically) instead of stdout."
)
QuietOption = typer.Option(False, "--quiet", "-q", help="Print diagnostics only, no summary.")
MaxFileSizeOption = typer.Option(
    1024 * 1024,
    "--max-file-size",
    min=1,
    help="Largest file to read, in bytes; larger files are reported, not parsed.",
    metavar="BYTES",
)


def use_color(output: str | None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return output in (None, "-") and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def resolve_format(output_format: OutputFormat | None) -> OutputFormat:
    """The format asked for; without one, GitHub annotations inside GitHub Actions, else text."""
    if output_format is not None:
        return output_format
    if os.environ.get("GITHUB_ACTIONS") == "true":
        return OutputFormat.GITHUB
    return OutputFormat.TEXT


def emit(
    report: Report,
    output_format: OutputFormat | None,
    output: str | None,
    quiet: bool,
    statistics: bool = False,
) -> None:
    """Render the report in the chosen format and write it out."""
    from icrunbook.output import write_text
    from icrunbook.reporting import get_reporter

    render = get_reporter(resolve_format(output_format))
    write_text(render(report, style(output, quiet, statistics)), output)


def style(output: str | None, quiet: bool, statistics: bool = False) -> Style:
    return Style(use_color(output), quiet, statistics)
