"""Where findings are, in the terms CI services want: repo-relative paths, rule metadata for every
rule that could fire, and fingerprints that survive unrelated edits. Everything comes from the
report itself: no source file is read again and no rule catalog is loaded here.

Shared by the ``sarif``, ``github`` and ``gitlab`` reporters.

* Paths are relative to the root of the git repository that holds the file (found by walking up
  to a ``.git`` folder or file), else to the current directory, with POSIX separators.
* A fingerprint is the SHA-256 of the rule, the relative path, the offending line's text with
  surrounding whitespace trimmed, and an occurrence counter that tells apart identical
  (rule, path, line text) triples in report order. It leaves out the line number, so inserting
  or removing unrelated lines does not change it, and the message, which often quotes values.
  The line text travels with each diagnostic (``Diagnostic.line_text``); file-level findings
  have none.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from icrunbook.api import Report
    from icrunbook.diagnostics import Diagnostic
    from icrunbook.rules.model import Rule

SOURCE_URL = "https://github.com/icrunbook/icrunbook"
RULES_URL = f"{SOURCE_URL}/blob/main/docs/rules.md"


@dataclass(frozen=True, slots=True)
class Place:
    """A file as CI services name it: a root folder (absolute) and a POSIX path below it."""

    root: str
    relative: str


class Locator:
    """Repo-relative paths for the files of one report, each looked up once."""

    def __init__(self, cwd: str | None = None) -> None:
        self.cwd = os.path.abspath(cwd or os.getcwd())
        self._places: dict[str, Place] = {}

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


def git_root(folder: str) -> str | None:
    """The nearest folder at or above ``folder`` that holds ``.git``, or None."""
    current = Path(folder)
    for candidate in (current, *current.parents):
        if (candidate / ".git").exists():
            return str(candidate)
    return None


def fingerprints(diagnostics: Iterable[Diagnostic], locator: Locator) -> list[str]:
    """One stable fingerprint (64 hex digits) per diagnostic, in the order given."""
    seen: Counter[tuple[str, str, str]] = Counter()
    result = []
    for diagnostic in diagnostics:
        key = (diagnostic.rule, locator.relative(diagnostic.path), diagnostic.line_text)
        seen[key] += 1
        result.append(line_fingerprint(*key, seen[key]))
    return result


def line_fingerprint(rule: str, path: str, line_text: str, occurrence: int | None = None) -> str:
    """The SHA-256 of a finding's rule, relative path, line text and (for SARIF, which needs
    each result's own) its occurrence counter; the baseline counts instead."""
    key = [rule, path, line_text] if occurrence is None else [rule, path, line_text, occurrence]
    return hashlib.sha256(json.dumps(key, ensure_ascii=False).encode("utf-8")).hexdigest()


def rules_that_could_fire(report: Report) -> list[Rule]:
    """The report's rules, plus a bare entry for any rule that fired unlisted, sorted by name."""
    from icrunbook.rules.model import Rule

    rules: dict[str, Rule] = dict(report.rules)
    for diagnostic in report.diagnostics:
        if diagnostic.rule not in rules:
            rules[diagnostic.rule] = Rule(
                diagnostic.rule, diagnostic.rule, diagnostic.severity.label
            )
    return [rules[name] for name in sorted(rules)]


def help_uri(rule: Rule) -> str:
    """The rule's own documentation link, else its section of the rule reference."""
    return rule.documentation_url or f"{RULES_URL}#{rule.name}"
