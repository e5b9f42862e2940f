"""``icrun lint``: syntax, schema and every enabled rule."""

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
    fail_level,
    style,
)
from icrunbook.reporting import OutputFormat

EXAMPLES = "Example: icrun lint runbooks/ --ignore 'comms-*' --fail-on warning"


def lint(
    paths: list[str] = PathsArgument,
    output_format: OutputFormat | None = FormatOption,
    output: str | None = OutputOption,
    config: str | None = ConfigOption,
    select: str = typer.Option("", "--select", help="Only these rules (comma-separated globs)."),
    ignore: str = typer.Option("", "--ignore", help="Skip these rules (comma-separated globs)."),
    fail_on: str = typer.Option(
        "error", "--fail-on", help="Exit 1 at this severity or above: error, warning or info."
    ),
    quiet: bool = QuietOption,
    jobs: int | None = typer.Option(
        None, "--jobs", "-j", min=1, help="Processes to use (default: the number of CPUs)."
    ),
    no_cache: bool = typer.Option(
        False,
        "--no-cache",
        help="Neither read nor write .icrun_cache/ (also: ICRUN_NO_CACHE=1).",
    ),
    statistics: bool = typer.Option(
        False, "--statistics", help="Print how often each rule fired instead of the findings."
    ),
    max_file_size: int | None = MaxFileSizeOption,
) -> int:
    """Check runbooks against the schema and the configured rules."""
    import os

    from icrunbook.cache import Cache, cache_dir
    from icrunbook.pipeline.plan import Selection
    from icrunbook.pipeline.runner import Runner

    level = fail_level(fail_on)
    runner = Runner.configured(config, Selection(_globs(select), _globs(ignore)), max_file_size)
    cache = None if no_cache or os.environ.get("ICRUN_NO_CACHE") else Cache(cache_dir())
    chosen = style(output, quiet, statistics, level)
    workers = jobs or os.cpu_count() or 1
    raise typer.Exit(check_and_report(runner, paths, output_format, output, chosen, workers, cache))


def _globs(option: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in option.split(",") if part.strip())
