"""The baseline: the findings a repository had when it adopted icrun, hidden until they are
fixed, so that a run fails on new problems only (rules.md, "Adopting in an existing
repository"; PHPStan's and Psalm's baselines, ESLint's bulk suppressions).

An entry is a path, a rule, a fingerprint and a count. The fingerprint is the SARIF one without
its occurrence counter (the rule, the path and the line's trimmed text), so a finding that moves
up or down the file stays matched; the count says how many findings share it. Entries that match
fewer findings than they count are reported as ``baseline-stale``, so the file only shrinks. The
file is JSON, sorted, one entry a line: it reviews well in git and is byte-identical when nothing
changed.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from icrunbook.diagnostics import Diagnostic, Severity, Span
from icrunbook.errors import IcrunError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from icrunbook.cache import Cache
    from icrunbook.config import Config
    from icrunbook.pipeline.runner import Runner

BASELINE_FILE = ".icrun-baseline.json"
STALE_RULE = "baseline-stale"
_VERSION = 1


@dataclass(frozen=True, slots=True, order=True)
class Entry:
    """What a baseline entry matches: a file (relative to the baseline's folder), a rule, and
    the fingerprint of the finding's line."""

    path: str
    rule: str
    fingerprint: str


class Baseline:
    """A baseline file's entries, and what a run hid by them."""

    def __init__(
        self, path: str, counts: Counter[Entry], lines: dict[Entry, int], texts: dict[Entry, str]
    ) -> None:
        self.path = path
        self.root = os.path.dirname(os.path.abspath(path))
        self.counts = counts
        self.lines = lines  # where each entry is in the file, for baseline-stale
        self.texts = texts  # each entry's line text, for people reading the file
        self.hidden = 0

    @classmethod
    def read(cls, path: str) -> Baseline:
        """The baseline in ``path``; one clear error when it is not one."""
        try:
            with open(path, encoding="utf-8") as stream:
                text = stream.read()
            data = json.loads(text)
        except OSError as error:
            raise IcrunError(f"{path}: cannot read the baseline: {error.strerror}") from None
        except ValueError as error:
            raise IcrunError(
                f"{path}: not a baseline file ({error}); write it again with: "
                "icrun lint --write-baseline"
            ) from None
        rows = data.get("findings") if isinstance(data, dict) else None
        if not isinstance(rows, list) or data.get("version") != _VERSION:
            raise IcrunError(
                f"{path}: not a baseline file of version {_VERSION}; write it again with: "
                "icrun lint --write-baseline"
            )
        counts: Counter[Entry] = Counter()
        lines: dict[Entry, int] = {}
        texts: dict[Entry, str] = {}
        numbered = text.splitlines()
        for row in rows:
            entry, count = _entry(row, path)
            counts[entry] += count
            lines.setdefault(entry, _line_of(entry, numbered))
            if isinstance(row.get("text"), str):
                texts.setdefault(entry, row["text"])
        return cls(path, counts, lines, texts)

    def entry(self, diagnostic: Diagnostic) -> Entry:
        return entry_of(diagnostic, self.root)

    def hide(
        self, files: list[str], per_file: Iterable[list[Diagnostic]], stale: Severity | None
    ) -> Iterator[list[Diagnostic]]:
        """Each file's findings less those the baseline lists (up to each entry's count); then,
        unless ``stale`` is None, one ``baseline-stale`` finding at that severity for each
        entry of a checked (or deleted) file that matched fewer findings than it counts."""
        left = Counter(self.counts)
        for found in per_file:
            shown = []
            for diagnostic in found:
                entry = self.entry(diagnostic)
                if left[entry] > 0:
                    left[entry] -= 1
                    self.hidden += 1
                else:
                    shown.append(diagnostic)
            yield shown
        if stale is not None:
            checked = {_relative(path, self.root) for path in files}
            yield [
                self._stale(entry, unmatched, stale)
                for entry, unmatched in sorted(left.items())
                if unmatched > 0 and (entry.path in checked or not self.exists(entry.path))
            ]

    def exists(self, path: str) -> bool:
        return os.path.exists(os.path.join(self.root, path))

    def _stale(self, entry: Entry, unmatched: int, severity: Severity) -> Diagnostic:
        count = self.counts[entry]
        if unmatched == count:
            what = "matches no finding any more"
        else:
            what = f"counts {count} findings and {count - unmatched} remain"
        message = (
            f"baseline entry for {entry.path} [{entry.rule}] {what}: "
            "shrink the baseline with: icrun lint --write-baseline"
        )
        line = self.lines.get(entry, 1)
        return Diagnostic(self.path, Span(line, 1, line, 1), STALE_RULE, severity, message)


def entry_of(diagnostic: Diagnostic, root: str) -> Entry:
    """A finding's baseline entry, with its path relative to ``root`` (the baseline's folder)."""
    from icrunbook.reporting.fingerprints import line_fingerprint

    path = _relative(diagnostic.path, root)
    return Entry(
        path, diagnostic.rule, line_fingerprint(diagnostic.rule, path, diagnostic.line_text)
    )


def baseline_text(
    diagnostics: Iterable[Diagnostic], path: str, files: list[str], earlier: Baseline | None
) -> str:
    """The baseline file for these findings: entries sorted, one a line. Entries of an
    ``earlier`` baseline for files this run did not check are kept, if the files still exist."""
    root = os.path.dirname(os.path.abspath(path))
    counts: Counter[Entry] = Counter()
    texts: dict[Entry, str] = {}
    for diagnostic in diagnostics:
        if diagnostic.rule == STALE_RULE:
            continue
        entry = entry_of(diagnostic, root)
        counts[entry] += 1
        texts.setdefault(entry, diagnostic.line_text)
    if earlier is not None:
        checked = {_relative(file, root) for file in files}
        for entry, count in earlier.counts.items():
            if entry.path not in checked and earlier.exists(entry.path):
                counts[entry] += count
                texts.setdefault(entry, earlier.texts.get(entry, ""))
    rows = [
        json.dumps(
            {
                "path": entry.path,
                "rule": entry.rule,
                "fingerprint": entry.fingerprint,
                "count": counts[entry],
                **({"text": texts[entry]} if texts.get(entry) else {}),
            },
            ensure_ascii=False,
        )
        for entry in sorted(counts)
    ]
    body = ",\n".join(f"    {row}" for row in rows)
    findings = f"[\n{body}\n  ]" if rows else "[]"
    return f'{{\n  "version": {_VERSION},\n  "findings": {findings}\n}}\n'


def _entry(row: Any, path: str) -> tuple[Entry, int]:
    fields = ("path", "rule", "fingerprint")
    valid = isinstance(row, dict) and all(isinstance(row.get(key), str) for key in fields)
    count = row.get("count") if isinstance(row, dict) else None
    if not valid or type(count) is not int or count < 1:
        raise IcrunError(
            f"{path}: baseline entry {json.dumps(row)[:80]} needs path, rule, fingerprint and a "
            "count of 1 or more; write it again with: icrun lint --write-baseline"
        )
    return Entry(row["path"], row["rule"], row["fingerprint"]), count


def _line_of(entry: Entry, lines: list[str]) -> int:
    return next((n for n, line in enumerate(lines, 1) if entry.fingerprint in line), 1)


def _relative(path: str, root: str) -> str:
    return os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")


def baseline_path(config: Config, given: str | None) -> str:
    """``--baseline FILE``, else the config's ``baseline:``, else ``.icrun-baseline.json`` in
    the config's folder (the working folder without a config)."""
    if given:
        return given
    path = config.baseline or os.path.join(config.root, BASELINE_FILE)
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def chosen_baseline(config: Config, given: str | None) -> Baseline | None:
    """The baseline a lint run uses: the one asked for (which must exist), else the config's
    or the default file when it exists."""
    path = baseline_path(config, given)
    if given is None and not os.path.isfile(path):
        return None
    if not os.path.isfile(path):
        raise IcrunError(
            f"baseline file '{path}' not found; write it with: icrun lint --write-baseline "
            f"--baseline {path}"
        )
    return Baseline.read(path)


def write_baseline(
    runner: Runner, paths: list[str], path: str, jobs: int = 1, cache: Cache | None = None
) -> tuple[int, int]:
    """Lint ``paths`` with no baseline and write every finding to the baseline file at
    ``path`` (atomically); entries of files not linted now are kept. (findings, entries)."""
    from icrunbook.output import write_text

    report = runner.report(paths, jobs, cache)
    try:
        earlier = Baseline.read(path) if os.path.isfile(path) else None
    except IcrunError:
        earlier = None  # a damaged baseline is replaced, not merged
    text = baseline_text(report.diagnostics, path, report.files, earlier)
    write_text(text, path)
    written = Baseline.read(path)
    return sum(written.counts.values()), len(written.counts)
