"""The lint cache: results keyed by file content and everything that decides them.

Like ruff's: one file under ``.icrun_cache/`` (with a ``.gitignore`` inside, so it is never
committed) maps each linted path to the digest of its bytes and its plan (icrunbook version,
config and rules, selection, today's date) and the file's result: its diagnostics, its inline
suppressions and what repository rules compare across files, so that a cached file still takes
part in them. A hit costs one read and one hash and parses nothing. A cache file that is
truncated, garbage or from another version is ignored and rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

from icrunbook import __version__
from icrunbook.diagnostics import Diagnostic, Severity, Span
from icrunbook.errors import IcrunError
from icrunbook.output import write_bytes
from icrunbook.pipeline.check import FileResult
from icrunbook.rules.functions import Occurrence
from icrunbook.suppressions import Suppression

CACHE_DIR = ".icrun_cache"
_FORMAT = 4


def cache_dir() -> str:
    """``ICRUN_CACHE_DIR``, else ``.icrun_cache`` in the working folder."""
    return os.environ.get("ICRUN_CACHE_DIR") or CACHE_DIR


def digest(data: bytes, run_fingerprint: str) -> str:
    """What a cached result stands for: these bytes, linted by this run."""
    return hashlib.sha256(run_fingerprint.encode() + b"\0" + data).hexdigest()


class Cache:
    """Cached diagnostics by path; load once, :meth:`save` once at the end of a run."""

    def __init__(self, folder: str = CACHE_DIR) -> None:
        self.folder = folder
        self.path = os.path.join(folder, f"lint-{__version__}.json")
        self._entries = self._load()
        self._changed = False
        self._policy_digests: dict[str, str | None] = {}

    def _load(self) -> dict[str, Any]:
        try:
            with open(self.path, encoding="utf-8") as stream:
                data = json.load(stream)
        except (OSError, ValueError):
            return {}  # missing, unreadable, truncated or garbage: start again
        valid = isinstance(data, dict) and data.get("format") == _FORMAT
        entries = data.get("files") if valid else None
        return entries if isinstance(entries, dict) else {}

    def has(self, path: str, key: str) -> bool:
        """Whether there is a result for this path and key (it may still prove damaged)."""
        entry = self._entries.get(path)
        if not isinstance(entry, dict) or entry.get("key") != key:
            return False
        policy = entry.get("policy_file")  # the result also stands for its policy's bytes
        return policy is None or self._digest(policy) == entry.get("policy_sha256")

    def _digest(self, policy: object) -> str | None:
        if not isinstance(policy, str):
            return None
        if policy not in self._policy_digests:
            from icrunbook.policy import digest

            self._policy_digests[policy] = digest(policy)
        return self._policy_digests[policy]

    def get(self, path: str, key: str) -> FileResult | None:
        if not self.has(path, key):
            return None
        try:
            return result_from_data(path, self._entries[path])
        except (KeyError, TypeError, ValueError, AttributeError):
            return None  # a damaged entry is a miss

    def put(self, key: str, result: FileResult) -> None:
        entry = {"key": key, **result_data(result)}
        if result.policy is not None:
            entry["policy_sha256"] = self._digest(result.policy)
        self._entries[result.path] = entry
        self._changed = True

    def save(self) -> None:
        """Write the cache atomically (a failure to write it is not worth failing a lint)."""
        if not self._changed:
            return
        try:
            os.makedirs(self.folder, exist_ok=True)
            ignore = os.path.join(self.folder, ".gitignore")
            if not os.path.exists(ignore):
                write_bytes(b"# created by icrun\n*\n", ignore)
            document = {"format": _FORMAT, "files": self._entries}
            write_bytes(json.dumps(document, separators=(",", ":")).encode(), self.path)
        except (OSError, IcrunError):
            pass


def result_data(result: FileResult) -> dict[str, Any]:
    """A file's result as JSON-ready data (for the cache, and for results held on disk)."""
    return {
        "policy_file": result.policy,
        "diagnostics": [_row(d, result.path) for d in result.diagnostics],
        "suppressions": [_suppression_row(s) for s in result.suppressions],
        "occurrences": {
            rule: [_occurrence_row(o) for o in found] for rule, found in result.occurrences.items()
        },
    }


def result_from_data(path: str, data: dict[str, Any]) -> FileResult:
    """:func:`result_data` back; anything malformed raises (KeyError, TypeError, ValueError)."""
    return FileResult(
        path,
        [_diagnostic(path, row) for row in data["diagnostics"]],
        [_suppression(row) for row in data["suppressions"]],
        {
            rule: [_occurrence(path, row) for row in rows]
            for rule, rows in data["occurrences"].items()
        },
        _policy_file(data.get("policy_file")),
    )


def _policy_file(value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValueError("malformed cache policy")
    return value


def _row(d: Diagnostic, path: str) -> list[Any]:
    """A diagnostic as a row; one in another file (the policy's) ends with that file."""
    row = [*_span_row(d.span), d.rule, d.severity, d.message, d.line_text]
    return row if d.path == path else [*row, d.path]


def _span_row(span: Span) -> list[int]:
    return [span.line, span.column, span.end_line, span.end_column]


def _span(row: list[Any]) -> Span:
    if not all(type(n) is int for n in row) or len(row) != 4:
        raise ValueError("malformed cache span")
    return Span(*row)


_SEVERITIES = {severity.value: severity for severity in Severity}
_ROW_IN_ANOTHER_FILE = 9  # span (4), rule, severity, message, line text, then the file


def _diagnostic(path: str, row: list[Any]) -> Diagnostic:
    """A cached row back as a diagnostic; anything malformed is a ValueError (a miss)."""
    if len(row) == _ROW_IN_ANOTHER_FILE:
        *row, path = row
    *span, rule, severity, message, line_text = row
    if not (type(rule) is type(message) is type(line_text) is type(path) is str):
        raise ValueError("malformed cache row")
    if severity not in _SEVERITIES:
        raise ValueError("malformed cache row")
    return Diagnostic(path, _span(span), rule, _SEVERITIES[severity], message, line_text)


def _suppression_row(s: Suppression) -> list[Any]:
    return [s.pattern, s.kind, *_span_row(s.span), s.target_line, s.used, s.line_text]


def _suppression(row: list[Any]) -> Suppression:
    pattern, kind, *span, target, used, line_text = row
    if not (type(pattern) is type(kind) is type(line_text) is str and type(used) is bool):
        raise ValueError("malformed cache suppression")
    if target is not None and type(target) is not int:
        raise ValueError("malformed cache suppression")
    return Suppression(pattern, kind, _span(span), target, used, line_text)


def _occurrence_row(o: Occurrence) -> list[Any]:
    return [list(o.where), o.value, *_span_row(o.span), o.line_text]


def _occurrence(path: str, row: list[Any]) -> Occurrence:
    where, value, *span, line_text = row
    if not (isinstance(value, str | int | float) and type(line_text) is str):
        raise ValueError("malformed cache occurrence")
    if not all(type(key) in (str, int) for key in where):
        raise ValueError("malformed cache occurrence")
    return Occurrence(path, tuple(where), value, _span(span), line_text)
