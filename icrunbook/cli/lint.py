"""``icrun lint``: syntax, schema and every enabled rule."""

from __future__ import annotations

import typer

from icrunbook.cli.common import (
    FormatOption,
    OutputOption,
    PathsArgument,
    QuietOption,
    emit,
    resolve_format,
    style,
)
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
    from icrunbook.lint import Lint, Selection
    from icrunbook.output import open_output
    from icrunbook.reporting import STREAMING, get_streamer

    if fail_on not in ("error", "warning", "info"):
        raise IcrunError(f"--fail-on '{fail_on}' is not one of: error, warning, info")
    level = Severity.parse(fail_on)
    lint = Lint.configured(config, Selection(_globs(select), _globs(ignore)), max_file_size)
    cache = None if no_cache or os.environ.get("ICRUN_NO_CACHE") else Cache(cache_dir())
    workers = jobs or os.cpu_count() or 1
    targets = paths or lint.default_paths()
    chosen = resolve_format(output_format)
    if chosen in STREAMING and not statistics:  # written as it is found: bounded memory
        files, per_file = lint.stream(targets, workers, cache)
        with open_output(output) as write:
            counts = get_streamer(chosen)(len(files), per_file, style(output, quiet), write)
        raise typer.Exit(1 if any(n for sev, n in counts.items() if sev >= level) else 0)
    report = lint.paths(targets, workers, cache)
    emit(report, chosen, output, quiet, statistics)
    raise typer.Exit(1 if report.fails(level) else 0)


def _globs(option: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in option.split(",") if part.strip())
