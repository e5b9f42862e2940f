"""The baseline: the findings a repository had when it adopted icrun, hidden until they are
fixed, so that a run fails on new problems only (rules.md, "Adopting in an existing
repository"; PHPStan's and Psalm's baselines, ESLint's bulk suppressions).

An entry is a path, a rule, a fingerprint and a count. The path is the file that was checked
(the runbook, also for a finding it inherits from its policy), relative to the baseline's
folder. The fingerprint is made like SARIF's, without its occurrence counter: the SHA-256 of the
rule, the finding's file and its line's trimmed text, so a finding that moves up or down stays
matched; the count says how many findings share it. Entries that match fewer findings than
they count are reported as ``baseline-stale``, so the file only shrinks. The file is JSON,
sorted, one entry a line: it reviews well in git and is byte-identical when nothing changed.

``syntax`` findings are never baselined: a file that does not parse is checked for nothing else.
An entry is matched only while its rule runs, so ``--select`` and ``--ignore`` neither make the
other rules' entries stale nor drop them from a baseline written under them.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from icrunbook.diagnostics import Diagnostic, Severity, Span
from icrunbook.errors import IcrunError
from icrunbook.files import as_typed

if TYPE_CHECKING:
    from collections.abc import Collection, Iterator

    from icrunbook.cache import Cache
    from icrunbook.config import Config
    from icrunbook.pipeline.runner import Runner

BASELINE_FILE = ".icrun-baseline.json"
STALE_RULE = "baseline-stale"
NEVER_BASELINED = frozenset({"syntax", STALE_RULE})
_VERSION = 1
_REWRITE = "write it again with: icrun lint --write-baseline"

Checked = Iterable[tuple[str, list[Diagnostic]]]
"""Each checked file with its findings, in order."""


@dataclass(frozen=True, slots=True, order=True)
class Entry:
    """What a baseline entry matches: the checked file (relative to the baseline's folder), a
    rule, and the fingerprint of the finding's line."""

    path: str
    rule: str
    fingerprint: str


class Baseline:
    """A baseline file's entries, and what a run hid by them."""

    def __init__(self, path: str, text: str = "", rows: Iterable[Any] = ()) -> None:
        self.path = path
        self.root = os.path.dirname(os.path.abspath(path))
        self.counts: Counter[Entry] = Counter()
        self.texts: dict[Entry, str] = {}  # each entry's line text, for people reading it
        self._lines = text.splitlines()
        line_of = _fingerprint_lines(self._lines)
        self.lines: dict[Entry, int] = {}  # where each entry is, for baseline-stale
        for row in rows:
            entry, count = _entry(row, path, line_of)
            self.counts[entry] += count
            self.lines.setdefault(entry, line_of.get(entry.fingerprint, 1))
            if isinstance(row.get("text"), str):
                self.texts.setdefault(entry, row["text"])
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
                f"{path}:{error.lineno}:{error.colno}: not JSON ({error.msg}); {_REWRITE}"
                if isinstance(error, json.JSONDecodeError)
                else f"{path}: not a baseline file ({error}); {_REWRITE}"
            ) from None
        rows = data.get("findings") if isinstance(data, dict) else None
        version = data.get("version") if isinstance(data, dict) else None
        if not isinstance(rows, list) or type(version) is not int or version != _VERSION:
            raise IcrunError(f"{path}: not a baseline file of version {_VERSION}; {_REWRITE}")
        return cls(path, text, rows)

    def hide(
        self, checked: Checked, in_force: Collection[str], stale: Severity | None
    ) -> Iterator[list[Diagnostic]]:
        """Each file's findings less those the baseline lists (up to each entry's count); then,
        unless ``stale`` is None, one ``baseline-stale`` finding at that severity for each entry
        of a rule ``in_force`` and of a checked (or deleted) file that matched fewer findings
        than it counts."""
        self.hidden = 0
        left = Counter(self.counts)
        files = set()
        for path, found in checked:
            files.add(_relative(path, self.root))
            shown = []
            for diagnostic in found:
                entry = entry_of(diagnostic, path, self.root)
                if left[entry] > 0 and diagnostic.rule not in NEVER_BASELINED:
                    left[entry] -= 1
                    self.hidden += 1
                else:
                    shown.append(diagnostic)
            yield shown
        if stale is not None:
            yield [
                self._stale(entry, unmatched, stale)
                for entry, unmatched in sorted(left.items())
                if unmatched > 0
                and entry.rule in in_force
                and (entry.path in files or not self.exists(entry.path))
            ]

    def exists(self, path: str) -> bool:
        return os.path.exists(os.path.join(self.root, path))

    def _stale(self, entry: Entry, unmatched: int, severity: Severity) -> Diagnostic:
        count = self.counts[entry]
        remain = count - unmatched
        if not remain:
            what = "matches no finding any more"
        else:
            what = f"counts {count} findings and {remain} {'remains' if remain == 1 else 'remain'}"
        message = (
            f"baseline entry for {entry.path} [{entry.rule}] {what}: "
            "shrink the baseline with: icrun lint --write-baseline"
        )
        line = self.lines.get(entry, 1)
        text = self._lines[line - 1].strip() if line <= len(self._lines) else ""
        return Diagnostic(self.path, Span(line, 1, line, 1), STALE_RULE, severity, message, text)


def entry_of(diagnostic: Diagnostic, checked: str, root: str) -> Entry:
    """A finding's baseline entry: the ``checked`` file it was found in, relative to ``root``
    (the baseline's folder), its rule, and its fingerprint."""
    from icrunbook.reporting.fingerprints import line_fingerprint

    found_in = _relative(diagnostic.path, root)
    fingerprint = line_fingerprint(diagnostic.rule, found_in, diagnostic.line_text)
    return Entry(_relative(checked, root), diagnostic.rule, fingerprint)


def baseline_text(
    checked: Checked, path: str, in_force: Collection[str], earlier: Baseline | None
) -> str:
    """The baseline file for these findings: entries sorted, one a line. Of an ``earlier``
    baseline, the entries of files not checked now and of rules not in force are kept, while
    their files exist."""
    root = os.path.dirname(os.path.abspath(path))
    counts: Counter[Entry] = Counter()
    texts: dict[Entry, str] = {}
    files = set()
    for checked_path, found in checked:
        files.add(_relative(checked_path, root))
        for diagnostic in found:
            if diagnostic.rule not in NEVER_BASELINED:
                entry = entry_of(diagnostic, checked_path, root)
                counts[entry] += 1
                texts.setdefault(entry, diagnostic.line_text)
    if earlier is not None:
        for entry, count in earlier.counts.items():
            still = entry.path not in files or entry.rule not in in_force
            if still and earlier.exists(entry.path):
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


def baseline_path(config: Config, given: str | None) -> str:
    """``--baseline FILE``, else the config's ``baseline:``, else ``.icrun-baseline.json`` in
    the config's folder (the working folder without a config)."""
    return given or as_typed(config.baseline or os.path.join(config.root, BASELINE_FILE))


def chosen_baseline(config: Config, given: str | None) -> Baseline | None:
    """The baseline a lint run uses: the one asked for (which must exist), else the config's
    or the default file when it exists."""
    path = baseline_path(config, given)
    if given is None and not os.path.isfile(path):
        return None
    if not os.path.isfile(path):
        what = "is a folder, not a file" if os.path.isdir(path) else "not found"
        raise IcrunError(
            f"baseline file '{path}' {what}; write it with: icrun lint --write-baseline "
            f"--baseline {path}"
        )
    return Baseline.read(path)


def write_baseline(
    runner: Runner, paths: list[str], path: str, jobs: int = 1, cache: Cache | None = None
) -> tuple[int, int]:
    """Lint ``paths`` with no baseline and write every finding to the baseline file at
    ``path`` (atomically; an earlier baseline's entries for other files and rules are kept).
    Returns (findings, entries) of the file written."""
    from icrunbook.output import write_text

    files, per_file = runner.stream(paths, jobs, cache)
    checked = list(zip(files, per_file, strict=True))
    try:
        earlier = Baseline.read(path) if os.path.isfile(path) else None
    except IcrunError:
        earlier = None  # a damaged baseline is replaced, not merged
    write_text(baseline_text(checked, path, set(runner.rules()), earlier), path)
    written = Baseline.read(path)
    return sum(written.counts.values()), len(written.counts)


def _entry(row: Any, path: str, line_of: dict[str, int]) -> tuple[Entry, int]:
    fields = ("path", "rule", "fingerprint")
    valid = isinstance(row, dict) and all(isinstance(row.get(key), str) for key in fields)
    count = row.get("count") if isinstance(row, dict) else None
    if not valid or type(count) is not int or count < 1:
        fingerprint = row.get("fingerprint") if isinstance(row, dict) else None
        line = line_of.get(fingerprint, 0) if isinstance(fingerprint, str) else 0
        place = f"{path}:{line}" if line else path
        raise IcrunError(
            f"{place}: baseline entry {json.dumps(row)[:80]} needs path, rule, fingerprint and "
            f"a count of 1 or more; {_REWRITE}"
        )
    return Entry(row["path"], row["rule"], row["fingerprint"]), count


_FINGERPRINT = re.compile(r'"fingerprint":\s*"([0-9a-f]+)"')


def _fingerprint_lines(lines: list[str]) -> dict[str, int]:
    """The line each fingerprint is written on (its first), found in one pass."""
    found: dict[str, int] = {}
    for number, line in enumerate(lines, 1):
        for match in _FINGERPRINT.finditer(line):
            found.setdefault(match.group(1), number)
    return found


def _relative(path: str, root: str) -> str:
    """``path`` relative to ``root``, with POSIX separators."""
    return _relative_absolute(os.path.abspath(path), root)


@lru_cache(maxsize=4096)  # a file's findings share its path
def _relative_absolute(path: str, root: str) -> str:
    return os.path.relpath(path, root).replace(os.sep, "/")
