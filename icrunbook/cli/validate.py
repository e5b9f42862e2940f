"""``icrun validate``: syntax and schema only, the fast path for editors and hooks."""

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

EXAMPLES = "Example: icrun validate runbooks/ --format json"


def validate(
    paths: list[str] = PathsArgument,
    output_format: OutputFormat | None = FormatOption,
    output: str | None = OutputOption,
    quiet: bool = QuietOption,
    max_file_size: int = MaxFileSizeOption,
) -> int:
    """Check runbooks for YAML syntax and schema problems."""
    from icrunbook.api import validate_paths
    from icrunbook.diagnostics import Severity
    from icrunbook.loader import LoadLimits

    report = validate_paths(paths or ["runbooks"], LoadLimits(max_bytes=max_file_size))
    emit(report, output_format, output, quiet)
    raise typer.Exit(1 if report.fails(Severity.ERROR) else 0)
