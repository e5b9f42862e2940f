"""Options and helpers that several commands share."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import typer

from icrunbook.diagnostics import Severity
from icrunbook.errors import IcrunError
from icrunbook.reporting import OutputFormat, Style

if TYPE_CHECKING:
    from icrunbook.baseline import Baseline
    from icrunbook.cache import Cache
    from icrunbook.pipeline.runner import Runner

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
ConfigOption = typer.Option(
    None, "--config", "-c", help="Config file (default: the nearest .icrun.yaml)."
)
MaxFileSizeOption = typer.Option(
    None,
    "--max-file-size",
    min=1,
    help="Largest file to read, in bytes (default: the config's, else 1 MiB); larger files "
    "are reported, not parsed.",
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


def fail_level(fail_on: str) -> Severity:
    """``--fail-on``: the lowest severity that fails the run."""
    if fail_on not in ("error", "warning", "info"):
        raise IcrunError(f"--fail-on '{fail_on}' is not one of: error, warning, info")
    return Severity.parse(fail_on)


def check_and_report(
    runner: Runner,
    paths: list[str] | None,
    output_format: OutputFormat | None,
    output: str | None,
    style: Style,
    jobs: int = 1,
    cache: Cache | None = None,
    baseline: Baseline | None = None,
) -> int:
    """Run the pipeline and write its report: line formats as files finish, others at the end.
    Returns the exit code: 1 when anything (that the baseline does not hide) is at or above the
    fail level."""
    from icrunbook.output import open_output, write_text
    from icrunbook.reporting import STREAMING, get_reporter, get_streamer

    targets = paths or runner.default_paths()
    chosen = resolve_format(output_format)
    if chosen in STREAMING and not style.statistics:  # written as it is found
        files, per_file = runner.stream(targets, jobs, cache, baseline)
        hidden = (lambda: baseline.hidden) if baseline is not None else (lambda: 0)
        with open_output(output) as write:
            counts = get_streamer(chosen)(len(files), per_file, style, write, hidden)
        return 1 if any(n for sev, n in counts.items() if sev >= style.fail_on) else 0
    report = runner.report(targets, jobs, cache, baseline)
    write_text(get_reporter(chosen)(report, style), output)
    return 1 if report.fails(style.fail_on) else 0


def style(
    output: str | None, quiet: bool, statistics: bool = False, fail_on: Severity = Severity.ERROR
) -> Style:
    return Style(use_color(output), quiet, statistics, fail_on)
