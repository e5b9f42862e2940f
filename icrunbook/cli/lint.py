"""``icrun lint``: syntax, schema and every enabled rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
from icrunbook.wording import plural

if TYPE_CHECKING:
    from icrunbook.cache import Cache
    from icrunbook.pipeline.runner import Runner

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
    baseline: str | None = typer.Option(
        None,
        "--baseline",
        help="Hide the findings this baseline file lists (default: the config's baseline:, "
        "else .icrun-baseline.json beside the config, when it exists).",
        metavar="FILE",
    ),
    no_baseline: bool = typer.Option(
        False, "--no-baseline", help="Show every finding, whatever a baseline lists."
    ),
    write_baseline: bool = typer.Option(
        False,
        "--write-baseline",
        help="Write every current finding to the baseline file, so that from now on only new "
        "findings fail; exit 0.",
    ),
) -> int:
    """Check runbooks against the schema and the configured rules."""
    import os

    from icrunbook.baseline import chosen_baseline
    from icrunbook.cache import Cache, cache_dir
    from icrunbook.errors import IcrunError
    from icrunbook.pipeline.plan import Selection
    from icrunbook.pipeline.runner import Runner

    level = fail_level(fail_on)
    runner = Runner.configured(config, Selection(_globs(select), _globs(ignore)), max_file_size)
    cache = None if no_cache or os.environ.get("ICRUN_NO_CACHE") else Cache(cache_dir())
    chosen = style(output, quiet, statistics, level)
    workers = jobs or os.cpu_count() or 1
    if no_baseline and (baseline or write_baseline):
        given = "--baseline" if baseline else "--write-baseline"
        raise IcrunError(f"--no-baseline and {given} cannot be used together")
    if write_baseline:
        if output_format or output or statistics:
            raise IcrunError(
                "--write-baseline writes the baseline file and no report: "
                "leave out --format, --output and --statistics"
            )
        raise typer.Exit(_write_baseline(runner, paths, baseline, workers, cache))
    known = None if no_baseline else chosen_baseline(runner.working_config(), baseline)
    raise typer.Exit(
        check_and_report(runner, paths, output_format, output, chosen, workers, cache, known)
    )


def _write_baseline(
    runner: Runner,
    paths: list[str] | None,
    given: str | None,
    jobs: int,
    cache: Cache | None,
) -> int:
    from icrunbook.baseline import baseline_path, write_baseline

    path = baseline_path(runner.working_config(), given)
    findings, entries = write_baseline(runner, paths or runner.default_paths(), path, jobs, cache)
    typer.echo(
        f"wrote {path}: {plural(findings, 'finding')} in {entries} "
        f"{'entry' if entries == 1 else 'entries'}; "
        "icrun lint now fails only on new findings"
    )
    return 0


def _globs(option: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in option.split(",") if part.strip())
