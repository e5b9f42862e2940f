"""The lint cache: results keyed by file content and everything that decides them.

Like ruff's: one file under ``.icrun_cache/`` (with a ``.gitignore`` inside, so it is never
committed) maps each linted path to the digest of its bytes and its run (icrunbook version,
config and rules, selection, today's date) and the diagnostics found. A hit costs one read and
one hash and parses nothing. A cache file that is truncated, garbage or from another version is
ignored and rebuilt, never trusted.
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

CACHE_DIR = ".icrun_cache"
_FORMAT = 1


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
        return isinstance(entry, dict) and entry.get("key") == key

    def get(self, path: str, key: str) -> list[Diagnostic] | None:
        if not self.has(path, key):
            return None
        entry = self._entries[path]
        try:
            return [_diagnostic(path, row) for row in entry["diagnostics"]]
        except (KeyError, TypeError, ValueError):
            return None  # a damaged entry is a miss

    def put(self, path: str, key: str, diagnostics: list[Diagnostic]) -> None:
        self._entries[path] = {"key": key, "diagnostics": [_row(d) for d in diagnostics]}
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


def _row(d: Diagnostic) -> list[Any]:
    span = d.span
    return [span.line, span.column, span.end_line, span.end_column, d.rule, d.severity, d.message]


_SEVERITIES = {severity.value: severity for severity in Severity}


def _diagnostic(path: str, row: list[Any]) -> Diagnostic:
    """A cached row back as a diagnostic; anything malformed is a ValueError (a miss)."""
    line, column, end_line, end_column, rule, severity, message = row
    if not (
        type(line) is type(column) is type(end_line) is type(end_column) is int
        and type(rule) is type(message) is str
        and severity in _SEVERITIES
    ):
        raise ValueError("malformed cache row")
    span = Span(line, column, end_line, end_column)
    return Diagnostic(path, span, rule, _SEVERITIES[severity], message)
