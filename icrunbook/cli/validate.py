"""``icrun validate``: syntax and schema only, the fast path for editors and hooks."""

from __future__ import annotations

import typer

from icrunbook.cli.common import (
    ConfigOption,
    FormatOption,
    MaxFileSizeOption,
    OutputOption,
    PathsArgument,
    QuietOption,
    check_and_report,
    style,
)
from icrunbook.reporting import OutputFormat

EXAMPLES = "Example: icrun validate runbooks/ --format json"


def validate(
    paths: list[str] = PathsArgument,
    output_format: OutputFormat | None = FormatOption,
    output: str | None = OutputOption,
    config: str | None = ConfigOption,
    quiet: bool = QuietOption,
    max_file_size: int | None = MaxFileSizeOption,
) -> int:
    """Check runbooks for YAML syntax and schema problems (the config's exclude applies)."""
    from icrunbook.pipeline.runner import Runner

    runner = Runner.configured(config, max_file_size=max_file_size, structural_only=True)
    raise typer.Exit(check_and_report(runner, paths, output_format, output, style(output, quiet)))
