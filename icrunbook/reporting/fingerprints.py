"""Where findings are, in the terms CI services want: repo-relative paths, rule metadata for every
rule that could fire, and fingerprints that survive unrelated edits.

Shared by the ``sarif``, ``github`` and ``gitlab`` reporters.

* Paths are relative to the root of the git repository that holds the file (found by walking up
  to a ``.git`` folder or file), else to the current directory, with POSIX separators.
* A fingerprint is the SHA-256 of the rule, the relative path, the offending line's text with
  surrounding whitespace trimmed, and an occurrence counter that tells apart identical
  (rule, path, line text) triples in report order. It leaves out the line number, so inserting
  or removing unrelated lines does not change it, and the message, which often quotes values.
  File-level findings (at :data:`~icrunbook.diagnostics.FILE_START`) use an empty line text.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from icrunbook.diagnostics import FILE_START
from icrunbook.loader import LINE_BREAK

if TYPE_CHECKING:
    from collections.abc import Iterable

    from icrunbook.api import Report
    from icrunbook.diagnostics import Diagnostic
    from icrunbook.rules.model import Rule

SOURCE_URL = "https://github.com/icrunbook/icrunbook"
RULES_URL = f"{SOURCE_URL}/blob/main/docs/rules.md"
STRUCTURAL_STAGES = ("load", "schema")  # what ``icrun validate`` reports
MAX_READ_BYTES = 8 * 1024 * 1024  # line texts beyond this are treated as empty


@dataclass(frozen=True, slots=True)
class Place:
    """A file as CI services name it: a root folder (absolute) and a POSIX path below it."""

    root: str
    relative: str


class Locator:
    """Repo-relative paths and line texts for the files of one report, each looked up once."""

    def __init__(self, cwd: str | None = None) -> None:
        self.cwd = os.path.abspath(cwd or os.getcwd())
        self._places: dict[str, Place] = {}
        self._lines: dict[str, list[str]] = {}

    def place(self, path: str) -> Place:
        if path not in self._places:
            self._places[path] = self._find(path)
        return self._places[path]

    def relative(self, path: str) -> str:
        return self.place(path).relative

    def _find(self, path: str) -> Place:
        absolute = os.path.abspath(os.path.join(self.cwd, path))
        root = git_root(os.path.dirname(absolute)) or self.cwd
        try:
            relative = os.path.relpath(absolute, root)
        except ValueError:  # another drive on Windows: relative to that drive's root
            root = PurePath(absolute).anchor
            relative = os.path.relpath(absolute, root)
        return Place(root, PurePath(relative).as_posix())

    def line_text(self, path: str, line: int) -> str:
        """Line ``line`` (1-based) of ``path``, trimmed; empty when the file cannot be read."""
        if path not in self._lines:
            self._lines[path] = _read_lines(os.path.join(self.cwd, path))
        lines = self._lines[path]
        return lines[line - 1].strip() if 0 < line <= len(lines) else ""


def git_root(folder: str) -> str | None:
    """The nearest folder at or above ``folder`` that holds ``.git``, or None."""
    current = Path(folder)
    for candidate in (current, *current.parents):
        if (candidate / ".git").exists():
            return str(candidate)
    return None


def _read_lines(path: str) -> list[str]:
    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_READ_BYTES)
    except OSError:
        return []
    return LINE_BREAK.split(data.decode("utf-8", errors="replace"))


def fingerprints(diagnostics: Iterable[Diagnostic], locator: Locator) -> list[str]:
    """One stable fingerprint (64 hex digits) per diagnostic, in the order given."""
    seen: Counter[tuple[str, str, str]] = Counter()
    result = []
    for diagnostic in diagnostics:
        text = (
            ""
            if diagnostic.span == FILE_START
            else locator.line_text(diagnostic.path, diagnostic.line)
        )
        key = (diagnostic.rule, locator.relative(diagnostic.path), text)
        seen[key] += 1
        payload = json.dumps([*key, seen[key]], ensure_ascii=False)
        result.append(hashlib.sha256(payload.encode("utf-8")).hexdigest())
    return result


def rules_that_could_fire(report: Report) -> list[Rule]:
    """The report's rules, plus any rule that fired without being listed, sorted by name.

    ``icrun validate`` lists no rules; it reports the structural ones (syntax, duplicate keys,
    schema), taken from the built-in catalog like any other rule missing from the report.
    """
    from icrunbook.rules.model import Rule
    from icrunbook.rules.ruleset import builtin_ruleset

    catalog = builtin_ruleset("all")
    rules: dict[str, Rule] = dict(report.rules)
    if not rules:
        rules.update({n: r for n, r in catalog.items() if r.stage in STRUCTURAL_STAGES})
    for diagnostic in report.diagnostics:
        name = diagnostic.rule
        if name not in rules:
            fallback = Rule(name, name, diagnostic.severity.label)
            rules[name] = catalog.get(name, fallback)
    return [rules[name] for name in sorted(rules)]


def help_uri(rule: Rule) -> str:
    """The rule's own documentation link, else its section of the rule reference."""
    return rule.documentation_url or f"{RULES_URL}#{rule.name}"
