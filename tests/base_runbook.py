"""The runbook most diagnostics tests start from, and helpers to break it and diagnose it.

``BASE`` is a small valid runbook written out literally so that every position is visible; a
test changes one line of it and checks what ``icrun validate`` reports. Positions are 1-based: a
missing key is reported at the mapping that lacks it (its first key), an unknown key at the key,
a bad value at the value.
"""

from __future__ import annotations

from icrunbook.diagnostics import Diagnostic
from icrunbook.loader import LoadLimits, load_bytes, load_text
from icrunbook.validation import validate_document

PATH = "runbooks/db.yaml"

# Line numbers, for reading the tests' expectations:
#  1 apiVersion   3 metadata   8 metadata.links   11 triggers   13 severities   18 long_incident
# 21 roles       32 steps     38 communications  44 escalation  48 postmortem
BASE = """\
apiVersion: icrunbook/v1
kind: Runbook
metadata:
  name: orders-db-failover
  title: "Orders DB: primary failover"
  service: orders-db
  owner: data-platform
  links:
    - title: Orders DB dashboard
      url: https://grafana.example.com/d/orders-db
triggers:
  - alert: PostgresPrimaryDown
severities:
  SEV1:
    description: Orders cannot be written.
    internal_update: 5m
    stakeholder_update: 15m
    long_incident:
      after: 4h
      stakeholder_update: 30m
roles:
  incident_commander:
    title: Incident Commander
    type: commander
    duties:
      - Approve the failover.
  dba_oncall:
    title: DBA on-call
    type: expert
    duties:
      - Run the failover.
steps:
  - id: failover
    phase: mitigate
    owner: dba_oncall
    action: Fail over to the healthiest replica.
    on_failure: escalate
communications:
  channel: "#inc-orders-db"
  templates:
    initial:
      audience: stakeholders
      body: "{{ title }}: investigating."
escalation:
  - after: 15m
    page:
      - dba_oncall
postmortem:
  required_for:
    - SEV1
  due: 5d
"""

PHASES = "triage, mitigate, investigate, recover, communicate, coordinate, resolve"

# BASE's title line: its value contains ': ', so it is quoted
TITLE = '  title: "Orders DB: primary failover"'


# --- building broken runbooks ---------------------------------------------------------------


def _find(lines: list[str], line: str | int) -> int:
    """The index of the one line of BASE that starts with ``line`` (indentation included), or
    of line number ``line``."""
    if isinstance(line, int):
        return line - 1
    found = [i for i, text in enumerate(lines) if text.startswith(line)]
    assert len(found) == 1, f"{line!r} starts {len(found)} lines of BASE, not one"
    return found[0]


def edit(line: str | int, *new: str, count: int = 1) -> str:
    """BASE with ``count`` lines, starting at ``line`` (the start of its text, or its number
    where the text is not unique), replaced by ``new`` (none: deleted).

    Deleting a list item's first line moves its ``- `` marker onto the line that follows, so
    that deleting ``  - id: failover`` leaves ``  - phase: mitigate`` on the same line.
    """
    lines = BASE.splitlines(keepends=True)
    start = _find(lines, line)
    removed = lines[start : start + count]
    lines[start : start + count] = [text + "\n" for text in new]
    stripped = removed[0].lstrip(" ")
    if not new and stripped.startswith("- "):
        marker = removed[0][: len(removed[0]) - len(stripped) + 2]
        follower = lines[start]
        assert follower.startswith(" " * len(marker)), "the next line is not in the same item"
        lines[start] = marker + follower[len(marker) :]
    return "".join(lines)


def insert_after(line: str | int, *new: str) -> str:
    """BASE with ``new`` lines inserted after ``line``."""
    lines = BASE.splitlines(keepends=True)
    at = _find(lines, line) + 1
    lines[at:at] = [text + "\n" for text in new]
    return "".join(lines)


def diagnose(source: str | bytes, limits: LoadLimits | None = None) -> list[Diagnostic]:
    """What ``icrun validate`` reports for a file with this content, in output order."""
    limits = limits or LoadLimits()
    if isinstance(source, bytes):
        document = load_bytes(source, PATH, limits)
    else:
        document = load_text(source, PATH, limits)
    return sorted(document.diagnostics + validate_document(document), key=Diagnostic.sort_key)


def show(diagnostics: list[Diagnostic]) -> str:
    return "\n".join(f"{d.line}:{d.column} [{d.rule}] {d.message}" for d in diagnostics)


def only(source: str | bytes, limits: LoadLimits | None = None) -> Diagnostic:
    """The one diagnostic for ``source``; fails if there are none or several."""
    found = diagnose(source, limits)
    assert len(found) == 1, f"expected one diagnostic, got {len(found)}:\n{show(found)}"
    return found[0]


def where(diagnostic: Diagnostic) -> tuple[str, int, int]:
    return diagnostic.rule, diagnostic.line, diagnostic.column
