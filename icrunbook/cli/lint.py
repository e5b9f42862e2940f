"""``icrun lint``: syntax, schema and every enabled rule."""

from __future__ import annotations

import typer

from icrunbook.cli.common import (
    FormatOption,
    MaxFileSizeOption,
    OutputOption,
    PathsArgument,
    QuietOption,
    emit,
)
from icrunbook.reporting import OutputFormat

EXAMPLES = "Example: icrun lint runbooks/ --ignore 'comms-*' --fail-on warning"


def lint(
    paths: list[str] = PathsArgument,
    output_format: OutputFormat = FormatOption,
    output: str | None = OutputOption,
    select: str = typer.Option("", "--select", help="Only these rules (comma-separated globs)."),
    ignore: str = typer.Option("", "--ignore", help="Skip these rules (comma-separated globs)."),
    fail_on: str = typer.Option(
        "error", "--fail-on", help="Exit 1 at this severity or above: error, warning or info."
    ),
    quiet: bool = QuietOption,
    max_file_size: int = MaxFileSizeOption,
) -> int:
    """Check runbooks against the schema and the recommended rules."""
    from icrunbook.diagnostics import Severity
    from icrunbook.errors import IcrunError
    from icrunbook.lint import lint_paths
    from icrunbook.loader import LoadLimits

    if fail_on not in ("error", "warning", "info"):
        raise IcrunError(f"--fail-on '{fail_on}' is not one of: error, warning, info")
    report = lint_paths(
        paths or ["runbooks"], _globs(select), _globs(ignore), LoadLimits(max_bytes=max_file_size)
    )
    emit(report, output_format, output, quiet)
    raise typer.Exit(1 if report.fails(Severity.parse(fail_on)) else 0)


def _globs(option: str) -> list[str]:
    return [part.strip() for part in option.split(",") if part.strip()]
