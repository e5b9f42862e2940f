"""``icrun lint``: syntax, schema and every enabled rule."""

from __future__ import annotations

import typer

from icrunbook.cli.common import FormatOption, OutputOption, PathsArgument, QuietOption, emit
from icrunbook.reporting import OutputFormat

EXAMPLES = "Example: icrun lint runbooks/ --ignore 'comms-*' --fail-on warning"


def lint(
    paths: list[str] = PathsArgument,
    output_format: OutputFormat | None = FormatOption,
    output: str | None = OutputOption,
    config: str | None = typer.Option(
        None, "--config", "-c", help="Config file (default: the nearest .icrun.yaml)."
    ),
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
    max_file_size: int | None = typer.Option(
        None,
        "--max-file-size",
        min=1,
        help="Largest file to read, in bytes (default: the config's, else 1 MiB).",
        metavar="BYTES",
    ),
) -> int:
    """Check runbooks against the schema and the configured rules."""
    import os

    from icrunbook.cache import Cache, cache_dir
    from icrunbook.diagnostics import Severity
    from icrunbook.errors import IcrunError
    from icrunbook.lint import Selection, lint_paths

    if fail_on not in ("error", "warning", "info"):
        raise IcrunError(f"--fail-on '{fail_on}' is not one of: error, warning, info")
    selection = Selection(_globs(select), _globs(ignore))
    cache = None if no_cache or os.environ.get("ICRUN_NO_CACHE") else Cache(cache_dir())
    workers = jobs or os.cpu_count() or 1
    report = lint_paths(paths or (), config, selection, max_file_size, workers, cache)
    emit(report, output_format, output, quiet, statistics)
    raise typer.Exit(1 if report.fails(Severity.parse(fail_on)) else 0)


def _globs(option: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in option.split(",") if part.strip())
