"""The diagnostic model every stage produces and every reporter consumes."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(enum.IntEnum):
    """How bad a finding is; ordered so that ``>=`` compares against a fail level."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, name: str) -> Severity:
        return cls[name.upper()]


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A region of a file: 1-based lines and columns, the end column exclusive (as in SARIF)."""

    line: int
    column: int
    end_line: int
    end_column: int


FILE_START = Span(1, 1, 1, 1)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: where it is, which rule found it, how bad it is, and what to do.

    ``line_text`` is the offending line, trimmed, as the file had it when it was checked: CI
    formats fingerprint findings by it, and reporters never read the file again."""

    path: str
    span: Span
    rule: str
    severity: Severity
    message: str
    line_text: str = field(default="", compare=False)

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def column(self) -> int:
        return self.span.column

    @property
    def end_line(self) -> int:
        return self.span.end_line

    @property
    def end_column(self) -> int:
        return self.span.end_column

    def sort_key(self) -> tuple[str, Span, str, str]:
        """Path, then position, then rule: the order every output format uses."""
        return (self.path, self.span, self.rule, self.message)
