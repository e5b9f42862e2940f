"""Reporters: a :class:`~icrunbook.api.Report` in, the text of one output format out.

Each format is a module with ``render(report, style) -> str``, imported only when chosen.
Returning text (rather than writing) keeps output byte-identical across runs and lets the
caller write it atomically.
"""

from __future__ import annotations

import enum
import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from icrunbook.diagnostics import Severity

if TYPE_CHECKING:
    from collections import Counter
    from collections.abc import Callable, Iterable

    from icrunbook.api import Report
    from icrunbook.diagnostics import Diagnostic


class OutputFormat(enum.StrEnum):
    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    GITHUB = "github"
    GITLAB = "gitlab"
    JUNIT = "junit"


FORMATS = {
    OutputFormat.TEXT: "icrunbook.reporting.text",
    OutputFormat.JSON: "icrunbook.reporting.json",
    OutputFormat.SARIF: "icrunbook.reporting.sarif",
    OutputFormat.GITHUB: "icrunbook.reporting.github",
    OutputFormat.GITLAB: "icrunbook.reporting.gitlab",
    OutputFormat.JUNIT: "icrunbook.reporting.junit",
}


@dataclass(frozen=True, slots=True)
class Style:
    """How to present: colours on a terminal; only the diagnostics (``quiet``); counts per rule
    instead of the diagnostics (``statistics``); the level at which findings fail the run."""

    color: bool = False
    quiet: bool = False
    statistics: bool = False
    fail_on: Severity = Severity.ERROR  # findings below it do not fail (JUnit shows it)


class Reporter(Protocol):
    def __call__(self, report: Report, style: Style) -> str: ...


class Streamer(Protocol):
    """Writes a format line by line as each file's findings arrive; returns the counts.
    ``hidden`` says, after the last file, how many findings the baseline hid."""

    def __call__(
        self,
        files: int,
        per_file: Iterable[list[Diagnostic]],
        style: Style,
        write: Callable[[str], object],
        hidden: Callable[[], int] = ...,
    ) -> Counter[Severity]: ...


# Formats whose output is one line per finding can be written as files are linted, so a run
# over any number of files holds only one file's findings at a time.
STREAMING = frozenset({OutputFormat.TEXT, OutputFormat.GITHUB})


def get_streamer(output_format: OutputFormat) -> Streamer:
    streamer: Streamer = importlib.import_module(FORMATS[output_format]).stream
    return streamer


def get_reporter(output_format: OutputFormat) -> Reporter:
    """The ``render`` function of an output format."""
    render: Reporter = importlib.import_module(FORMATS[output_format]).render
    return render
