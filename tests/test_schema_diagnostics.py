"""Loading and schema diagnostics: each problem at the right line and column, under the right
rule, with a message that says what is wrong and how to fix it.

Most cases start from ``BASE``, a small valid runbook written out literally so that every
position is visible, and change one line of it. Positions are 1-based: a missing key is
reported at the mapping that lacks it (its first key), an unknown key at the key, a bad value
at the value.
"""

from __future__ import annotations

import codecs
import itertools
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import FIXTURES, RUNBOOKS, Result

from icrunbook.api import validate_file
from icrunbook.diagnostics import Diagnostic, Span
from icrunbook.loader import LoadLimits, load_bytes, load_text
from icrunbook.validation import validate_document

if TYPE_CHECKING:
    from collections.abc import Callable

    Runner = Callable[..., Result]

PATH = "runbooks/db.yaml"

# Line numbers, for reading the expectations below:
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
ROLE_TYPES = "commander, deputy, scribe, communications, operations, expert, planning, observer"
AUDIENCES = "responders, stakeholders, customers, executives"


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


def test_base_is_valid_and_numbered_as_documented() -> None:
    assert diagnose(BASE) == []
    lines = BASE.splitlines()
    assert lines[2] == "metadata:"
    assert lines[31] == "steps:"
    assert lines[47] == "postmortem:"
    assert len(lines) == 51


def test_edit_helper_moves_the_list_marker() -> None:
    text = edit("  - id: failover")
    assert text.splitlines()[32] == "  - phase: mitigate"


# --- missing required keys ------------------------------------------------------------------

LONG_INCIDENT = "'long_incident' of severity 'SEV1'"
MISSING = [
    # (start of the first line to delete, lines deleted, where reported, the mapping, the key)
    ("apiVersion:", 1, "1:1", "", "apiVersion"),
    ("kind:", 1, "1:1", "", "kind"),
    ("metadata:", 8, "1:1", "", "metadata"),
    ("severities:", 8, "1:1", "", "severities"),
    ("roles:", 11, "1:1", "", "roles"),
    ("steps:", 6, "1:1", "", "steps"),
    ("communications:", 6, "1:1", "", "communications"),
    ("  name:", 1, "4:3", "metadata", "name"),
    ("  title:", 1, "4:3", "metadata", "title"),
    ("  service:", 1, "4:3", "metadata", "service"),
    ("  owner:", 1, "4:3", "metadata", "owner"),
    ("    - title:", 1, "9:7", "link 1", "title"),
    ("      url:", 1, "9:7", "link 'Orders DB dashboard'", "url"),
    ("    description:", 1, "15:5", "severity 'SEV1'", "description"),
    ("    internal_update:", 1, "15:5", "severity 'SEV1'", "internal_update"),
    ("    stakeholder_update:", 1, "15:5", "severity 'SEV1'", "stakeholder_update"),
    ("      after:", 1, "19:7", LONG_INCIDENT, "after"),
    ("      stakeholder_update:", 1, "19:7", LONG_INCIDENT, "stakeholder_update"),
    ("    title: Incident", 1, "23:5", "role 'incident_commander'", "title"),
    ("    type: commander", 1, "23:5", "role 'incident_commander'", "type"),
    (30, 2, "28:5", "role 'dba_oncall'", "duties"),  # "    duties:" starts two lines
    ("  - id:", 1, "33:5", "step 1", "id"),
    ("    phase:", 1, "33:5", "step 'failover'", "phase"),
    ("    owner:", 1, "33:5", "step 'failover'", "owner"),
    ("    action:", 1, "33:5", "step 'failover'", "action"),
    ("  templates:", 4, "39:3", "communications", "templates"),
    ("      audience:", 1, "42:7", "template 'initial'", "audience"),
    ("      body:", 1, "42:7", "template 'initial'", "body"),
    ("  - after:", 1, "45:5", "escalation 1", "after"),
    ("    page:", 2, "45:5", "escalation 1", "page"),
    ("  required_for:", 2, "49:3", "postmortem", "required_for"),
]


@pytest.mark.parametrize(
    ("line", "count", "at", "subject", "key"),
    MISSING,
    ids=[f"{(subject or 'top').split()[0].strip(chr(39))}/{key}" for *_, subject, key in MISSING],
)
def test_missing_required_key_is_reported_at_the_mapping(
    line: str | int, count: int, at: str, subject: str, key: str
) -> None:
    diagnostic = only(edit(line, count=count))
    assert f"{diagnostic.line}:{diagnostic.column}" == at
    assert diagnostic.rule == "schema"
    assert f"{subject} is missing required key '{key}'".strip() in diagnostic.message


def test_several_missing_keys_are_each_reported() -> None:
    found = diagnose("apiVersion: icrunbook/v1\nkind: Runbook\n")
    missing = ["communications", "metadata", "roles", "severities", "steps"]
    assert [where(d) for d in found] == [("schema", 1, 1)] * len(missing)
    assert [d.message.rsplit(" ", 1)[-1] for d in found] == [f"'{key}'" for key in missing]


# --- unknown keys ---------------------------------------------------------------------------

TYPOS = [
    # (the mapping, start of the line to replace, the line with a typo, where reported, the
    # suggestion)
    ("top", "metadata:", "metdata:", "3:1", "metadata"),
    ("metadata", "  owner:", "  ownr: data-platform", "7:3", "owner"),
    ("link", "      url:", "      uri: https://grafana.example.com/d/orders-db", "10:7", "url"),
    ("severity", "    internal_update:", "    internal_updates: 5m", "16:5", "internal_update"),
    ("long_incident", "      after:", "      aftr: 4h", "19:7", "after"),
    ("role", "    type: commander", "    typ: commander", "24:5", "type"),
    ("step", "    owner:", "    ownr: dba_oncall", "35:5", "owner"),
    ("communications", "  channel:", '  chanel: "#inc-orders-db"', "39:3", "channel"),
    ("template", "      audience:", "      audiance: stakeholders", "42:7", "audience"),
    ("escalation", "    page:", "    pages:", "46:5", "page"),
    ("postmortem", "  required_for:", "  required-for:", "49:3", "required_for"),
]


@pytest.mark.parametrize(
    ("line", "typo_line", "at", "suggestion"),
    [pytest.param(*case[1:], id=case[0]) for case in TYPOS],
)
def test_misspelt_key_is_reported_at_the_key_with_a_suggestion(
    line: str, typo_line: str, at: str, suggestion: str
) -> None:
    # The misspelt key is the one problem: the required key it stands for is not reported too.
    diagnostic = only(edit(line, typo_line))
    typo = typo_line.split(":")[0].strip()
    assert (diagnostic.rule, f"{diagnostic.line}:{diagnostic.column}") == ("schema", at)
    assert f"unknown key '{typo}'" in diagnostic.message
    assert f"did you mean '{suggestion}'?" in diagnostic.message


def test_misspelt_trigger_key_suggests_the_right_one() -> None:
    found = diagnose(edit("  - alert: PostgresPrimaryDown", "  - alrt: PostgresPrimaryDown"))
    unknown = [d for d in found if "unknown key 'alrt'" in d.message]
    assert [where(d) for d in unknown] == [("schema", 12, 5)]
    assert "did you mean 'alert'?" in unknown[0].message


def test_unknown_key_without_a_near_match_has_no_suggestion() -> None:
    diagnostic = only(insert_after("    on_failure: escalate", "    assignee: alice"))
    assert where(diagnostic) == ("schema", 38, 5)
    assert "unknown key 'assignee' in step 'failover'" in diagnostic.message
    assert "did you mean" not in diagnostic.message


def test_full_message_for_a_misspelt_metadata_key() -> None:
    diagnostic = only(edit("  owner: data-platform", "  ownr: data-platform"))
    assert diagnostic.message == "unknown key 'ownr' in metadata — did you mean 'owner'?"


# --- x- extension keys ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("after", "extension"),
    [
        pytest.param("kind: Runbook", "x-team-slack: '#data-platform'", id="top"),
        pytest.param("  owner: data-platform", "  x-pagerduty-service: PORDERS", id="metadata"),
        pytest.param(
            "      url: https://grafana.example.com/d/orders-db", "      x-kind: grafana", id="link"
        ),
        pytest.param("  - alert: PostgresPrimaryDown", "    x-source: prometheus", id="trigger"),
        pytest.param("    stakeholder_update: 15m", "    x-slo: 99.9", id="severity"),
        pytest.param("      after: 4h", "      x-note: {why: fatigue}", id="long_incident"),
        pytest.param("    type: commander", "    x-rotation: [alice, bob]", id="role"),
        pytest.param("    on_failure: escalate", "    x-automation: null", id="step"),
        pytest.param('  channel: "#inc-orders-db"', "  x-bridge: 1234", id="communications"),
        pytest.param("      audience: stakeholders", "      x-translations: [de]", id="template"),
        pytest.param("      - dba_oncall", "    x-pager: primary", id="escalation"),
        pytest.param("  due: 5d", "  x-template: postmortem-v2", id="postmortem"),
    ],
)
def test_extension_keys_are_accepted(after: str, extension: str) -> None:
    assert diagnose(insert_after(after, extension)) == []


# --- values outside an enum -----------------------------------------------------------------


def test_unknown_phase_lists_the_phases_and_suggests_one() -> None:
    diagnostic = only(edit("    phase: mitigate", "    phase: mitigation"))
    assert where(diagnostic) == ("schema", 34, 12)
    assert diagnostic.message == (
        f"phase 'mitigation' is not one of: {PHASES} — did you mean 'mitigate'?"
    )


def test_unknown_role_type_lists_the_types() -> None:
    diagnostic = only(edit("    type: commander", "    type: boss"))
    assert where(diagnostic) == ("schema", 24, 11)
    assert f"type 'boss' is not one of: {ROLE_TYPES}" in diagnostic.message


def test_unknown_audience_lists_the_audiences() -> None:
    diagnostic = only(edit("      audience: stakeholders", "      audience: everyone"))
    assert where(diagnostic) == ("schema", 42, 17)
    assert f"audience 'everyone' is not one of: {AUDIENCES}" in diagnostic.message


def test_near_miss_audience_gets_a_suggestion() -> None:
    diagnostic = only(edit("      audience: stakeholders", "      audience: stakeholder"))
    assert "did you mean 'stakeholders'?" in diagnostic.message


@pytest.mark.parametrize(
    ("line", "bad", "at", "expected"),
    [
        ("apiVersion:", "apiVersion: icrunbook/v2", (1, 13), "must be 'icrunbook/v1'"),
        ("kind:", "kind: runbook", (2, 7), "kind must be 'Runbook', not 'runbook'"),
    ],
    ids=["apiVersion", "kind"],
)
def test_wrong_constant(line: str, bad: str, at: tuple[int, int], expected: str) -> None:
    diagnostic = only(edit(line, bad))
    assert where(diagnostic) == ("schema", *at)
    assert expected in diagnostic.message


# --- durations, slugs, dates ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("5 min", "internal_update '5 min' must be a duration"),
        ("5", "internal_update is a number (5); it must be a duration"),
        ("1.5h", "internal_update '1.5h' must be a duration"),
        ("''", "internal_update '' must be a duration"),
        ("5M", "internal_update '5M' must be a duration"),
    ],
)
def test_bad_duration(value: str, expected: str) -> None:
    diagnostic = only(edit("    internal_update: 5m", f"    internal_update: {value}"))
    assert where(diagnostic) == ("schema", 16, 22)
    assert expected in diagnostic.message


def test_duration_message_shows_the_format() -> None:
    diagnostic = only(edit("    internal_update: 5m", "    internal_update: 5 min"))
    assert diagnostic.message == (
        "internal_update '5 min' must be a duration: number+unit pairs with units s, m, h, d, "
        "e.g. 30s, 5m, 1h30m, 2d"
    )


@pytest.mark.parametrize(
    ("line", "bad", "at_line", "at_column"),
    [
        ("      after: 4h", "      after: 4 hours", 19, 14),
        ("  - after: 15m", "  - after: quarter", 45, 12),
        ("  due: 5d", "  due: 5days", 51, 8),
    ],
    ids=["long_incident.after", "escalation.after", "postmortem.due"],
)
def test_bad_duration_elsewhere(line: str, bad: str, at_line: int, at_column: int) -> None:
    diagnostic = only(edit(line, bad))
    assert where(diagnostic) == ("schema", at_line, at_column)
    assert "must be a duration" in diagnostic.message


@pytest.mark.parametrize("value", ["30s", "15m", "1h30m", "2d", "1d12h", "90m"])
def test_good_durations(value: str) -> None:
    assert diagnose(edit("    internal_update: 5m", f"    internal_update: {value}")) == []


def test_duration_with_trailing_newline_is_reported() -> None:
    found = diagnose(edit("    internal_update: 5m", "    internal_update: |", "      5m"))
    assert [where(d) for d in found] == [("schema", 16, 22)]


@pytest.mark.parametrize(
    ("line", "bad", "at_line", "at_column", "name"),
    [
        ("  name: orders-db-failover", "  name: Orders_DB", 4, 9, "name 'Orders_DB'"),
        ("  - id: failover", "  - id: Fail Over", 33, 9, "id 'Fail Over'"),
        ("    on_failure: escalate", "    on_failure: Escalate", 37, 17, "on_failure 'Escalate'"),
    ],
    ids=["metadata.name", "step.id", "step.on_failure"],
)
def test_bad_slug(line: str, bad: str, at_line: int, at_column: int, name: str) -> None:
    diagnostic = only(edit(line, bad))
    assert where(diagnostic) == ("schema", at_line, at_column)
    assert f"{name} must be a slug" in diagnostic.message
    assert "e.g. roll-back-deploy" in diagnostic.message


def test_bad_date() -> None:
    diagnostic = only(insert_after("  owner: data-platform", "  last_reviewed: 2026-13-01"))
    assert where(diagnostic) == ("schema", 8, 18)
    assert "last_reviewed '2026-13-01' must be a date written YYYY-MM-DD" in diagnostic.message


@pytest.mark.parametrize("written", ["2026-10-01", "'2026-10-01'", '"2026-10-01"'])
def test_date_stays_the_text_the_author_wrote(written: str) -> None:
    # PyYAML would read an unquoted date as datetime.date, which the schema would reject.
    text = insert_after("  owner: data-platform", f"  last_reviewed: {written}")
    assert diagnose(text) == []
    assert load_text(text, PATH).data["metadata"]["last_reviewed"] == "2026-10-01"


# --- triggers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "trigger",
    [
        ["  - alert: PostgresPrimaryDown", "    description: The primary is down."],
        ["  - {}"],
        ["  - x-note: an extension key is not a trigger"],
    ],
    ids=["both", "neither", "only-extension"],
)
def test_trigger_needs_exactly_one_of_alert_and_description(trigger: list[str]) -> None:
    diagnostic = only(edit("  - alert: PostgresPrimaryDown", *trigger))
    assert where(diagnostic) == ("schema", 12, 5)
    assert "trigger 1 must have exactly one of 'alert' or 'description'" in diagnostic.message


# --- wrong types and empty values -----------------------------------------------------------

TITLE = '  title: "Orders DB: primary failover"'


def test_number_where_text_is_expected() -> None:
    diagnostic = only(edit(TITLE, "  title: 42"))
    assert where(diagnostic) == ("schema", 5, 10)
    assert "title must be text, not a number (42)" in diagnostic.message


@pytest.mark.parametrize(("written", "read_as"), [("yes", "true"), ("off", "false")])
def test_yaml_boolean_trap_is_explained(written: str, read_as: str) -> None:
    diagnostic = only(edit(TITLE, f"  title: {written}"))
    assert where(diagnostic) == ("schema", 5, 10)
    assert f"YAML reads {read_as} as a boolean" in diagnostic.message
    assert "put it in quotes" in diagnostic.message


def test_quoted_yes_is_text() -> None:
    assert diagnose(edit(TITLE, "  title: 'yes'")) == []


def test_empty_value() -> None:
    diagnostic = only(edit(TITLE, "  title:"))
    assert where(diagnostic) == ("schema", 5, 3)  # at the key: the value is not there
    assert "title has no value; it must be text" in diagnostic.message


def test_empty_string() -> None:
    diagnostic = only(edit(TITLE, "  title: ''"))
    assert where(diagnostic) == ("schema", 5, 10)
    assert "title must not be empty" in diagnostic.message


def test_text_where_a_list_is_expected() -> None:
    text = edit("    type: expert", "    type: expert", "    duties: Run the failover.", count=3)
    diagnostic = only(text)
    assert where(diagnostic) == ("schema", 30, 13)
    assert "duties must be a list, not text" in diagnostic.message


def test_list_where_a_mapping_is_expected() -> None:
    diagnostic = only(edit("communications:", "communications: []", count=6))
    assert where(diagnostic) == ("schema", 38, 17)
    assert "communications must be a mapping of keys, not a list" in diagnostic.message


def test_wrong_type_inside_a_list() -> None:
    diagnostic = only(edit("      - dba_oncall", "      - 42"))
    assert where(diagnostic) == ("schema", 47, 9)
    assert "item 1 of page must be text, not a number (42)" in diagnostic.message


def test_version_is_a_whole_number_or_text() -> None:
    assert diagnose(insert_after("  owner: data-platform", "  version: 7")) == []
    assert diagnose(insert_after("  owner: data-platform", "  version: '2026.10'")) == []
    diagnostic = only(insert_after("  owner: data-platform", "  version: 1.5"))
    assert where(diagnostic) == ("schema", 8, 12)
    assert "version must be a whole number or text, not a number (1.5)" in diagnostic.message


@pytest.mark.parametrize(
    ("line", "count", "empty", "at_line", "at_column", "name"),
    [
        ("severities:", 8, "severities: {}", 13, 13, "severities"),
        ("roles:", 11, "roles: {}", 21, 8, "roles"),
        ("steps:", 6, "steps: []", 32, 8, "steps"),
    ],
    ids=["severities", "roles", "steps"],
)
def test_empty_collection(
    line: str, count: int, empty: str, at_line: int, at_column: int, name: str
) -> None:
    diagnostic = only(edit(line, empty, count=count))
    assert where(diagnostic) == ("schema", at_line, at_column)
    assert f"{name} is empty; it needs at least 1 entry" in diagnostic.message


def test_collection_with_no_value() -> None:
    diagnostic = only(edit("steps:", "steps:", count=6))
    assert where(diagnostic) == ("schema", 32, 1)  # at the key: the value is not there
    assert "steps has no value; it must be a list" in diagnostic.message


def test_bad_map_key_names() -> None:
    diagnostic = only(edit("  dba_oncall:", "  DBA-oncall:"))
    assert where(diagnostic) == ("schema", 27, 3)
    assert "key 'DBA-oncall' in roles must be a snake_case role id" in diagnostic.message


# --- duplicate keys -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("after", "repeated", "at_line", "at_column", "key", "first"),
    [
        ("kind: Runbook", "kind: Runbook", 3, 1, "kind", 2),
        ("  owner: data-platform", "  owner: dba-team", 8, 3, "owner", 7),
        ("    on_failure: escalate", "    phase: recover", 38, 5, "phase", 34),
    ],
    ids=["top", "metadata", "step"],
)
def test_duplicate_key_is_reported_at_the_repeat(
    after: str, repeated: str, at_line: int, at_column: int, key: str, first: int
) -> None:
    diagnostic = only(insert_after(after, repeated))
    assert where(diagnostic) == ("duplicate-key", at_line, at_column)
    assert f"key '{key}' is repeated (first at line {first})" in diagnostic.message


# --- YAML syntax ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "broken", "at_line", "at_column", "expected"),
    [
        (
            "      - Approve the failover.",
            "      - [Approve the failover.",
            27,
            13,
            "did not find expected ',' or ']' (while parsing a flow sequence that starts at "
            "line 26)",
        ),
        (TITLE, "  title: Orders DB: primary failover", 5, 19, "mapping values are not allowed"),
        ("    type: commander", "   type: commander", 24, 4, "did not find expected key"),
        ("      - Approve the failover.", "\t- Approve the failover.", 26, 1, "tab character"),
        (
            "      - Approve the failover.",
            "      - 'Approve the failover.",
            52,
            1,
            "while scanning a quoted scalar that starts at line 26",
        ),
        ("kind: Runbook", "kind: *nowhere", 2, 7, "undefined alias"),
    ],
    ids=["unclosed-flow", "colon-in-plain-value", "indentation", "tab", "open-quote", "alias"],
)
def test_syntax_error_at_the_parser_position(
    line: str, broken: str, at_line: int, at_column: int, expected: str
) -> None:
    diagnostic = only(edit(line, broken))
    assert where(diagnostic) == ("syntax", at_line, at_column)
    assert expected in diagnostic.message


# --- what is not a runbook at all -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "at", "expected"),
    [
        ("", (1, 1), "file is empty; a runbook starts with 'apiVersion: icrunbook/v1'"),
        ("# TODO: write this runbook\n\n# owner: dba\n", (1, 1), "file is empty"),
        ("- apiVersion: icrunbook/v1\n- kind: Runbook\n", (1, 1), "not a list"),
        ("apiVersion icrunbook/v1\n", (1, 1), "not a single value"),
        ("# comment\n42\n", (2, 1), "not a single value"),
    ],
    ids=["empty", "comments-only", "top-level-list", "top-level-scalar", "number"],
)
def test_not_a_mapping(text: str, at: tuple[int, int], expected: str) -> None:
    diagnostic = only(text)
    assert where(diagnostic) == ("schema", *at)
    assert expected in diagnostic.message
    assert "mapping" in diagnostic.message or "empty" in diagnostic.message


# --- encodings ------------------------------------------------------------------------------


def test_invalid_utf8_is_reported_at_the_bad_byte() -> None:
    data = edit("  owner: data-platform", "  owner: données-\udcff").encode(
        "utf-8", "surrogateescape"
    )
    diagnostic = only(data)
    # Column 18 counts characters: "données" is 7 characters but 8 bytes.
    assert where(diagnostic) == ("syntax", 7, 18)
    assert "byte 0xff is not valid UTF-8" in diagnostic.message
    assert "save the file as UTF-8" in diagnostic.message


@pytest.mark.parametrize(
    ("bom", "encoding", "name"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    ],
    ids=["utf-16-le", "utf-16-be", "utf-32-le"],
)
def test_other_encodings_are_refused(bom: bytes, encoding: str, name: str) -> None:
    diagnostic = only(bom + BASE.encode(encoding))
    assert where(diagnostic) == ("syntax", 1, 1)
    assert f"file is {name}-encoded; icrunbook reads UTF-8 only" in diagnostic.message


def test_utf8_bom_is_fine_and_positions_are_unchanged() -> None:
    document = load_bytes(codecs.BOM_UTF8 + BASE.encode(), PATH)
    assert document.diagnostics == []
    assert validate_document(document) == []
    assert document.locate(("metadata", "owner")) == Span(7, 10, 7, 23)


# --- hostile input --------------------------------------------------------------------------


def billion_laughs(levels: int = 9) -> str:
    """Each level aliases the one before nine times: 9**9 strings once expanded."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in itertools.pairwise("abcdefghijklmnopqrstuvwxyz"[:levels]):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused() -> None:
    diagnostic = only(billion_laughs())
    assert where(diagnostic) == ("syntax", 1, 1)
    assert "'billion laughs'" in diagnostic.message
    assert "more than 100,000 nodes" in diagnostic.message


def test_honest_aliases_are_fine() -> None:
    text = edit("    internal_update: 5m", "    internal_update: &fast 5m")
    text = text.replace("      after: 4h", "      after: *fast")
    assert diagnose(text) == []


def test_nesting_deeper_than_libyaml_allows_is_a_syntax_error() -> None:
    diagnostic = only(insert_after("kind: Runbook", "x-deep: " + "[" * 1001 + "]" * 1001))
    assert where(diagnostic) == ("syntax", 3, 1008)
    assert "nesting is deeper than 1000 levels" in diagnostic.message


def test_nesting_within_the_limit_loads() -> None:
    assert diagnose(insert_after("kind: Runbook", "x-deep: " + "[" * 900 + "]" * 900)) == []


def test_python_tag_is_refused_and_not_executed(tmp_path: Path) -> None:
    target = tmp_path / "pwned"
    text = f'!!python/object/apply:os.system ["touch {target}"]\n'
    diagnostic = only(text)
    assert where(diagnostic) == ("syntax", 1, 1)
    assert "tag !!python/object/apply:os.system is not allowed" in diagnostic.message
    (tmp_path / "evil.yaml").write_text(edit(TITLE, f"  title: {text.strip()}"), encoding="utf-8")
    found = validate_file(str(tmp_path / "evil.yaml"))
    assert [where(d) for d in found] == [("syntax", 5, 10)]
    assert not target.exists()


def test_custom_tag_is_refused() -> None:
    diagnostic = only(edit(TITLE, "  title: !vault orders/title"))
    assert where(diagnostic) == ("syntax", 5, 10)
    assert "tag !vault is not allowed" in diagnostic.message


@pytest.mark.parametrize(
    ("key", "end_column"), [("1", 2), ("null", 5), ("on", 3), ("2026-01-01", 11)]
)
def test_non_string_key(key: str, end_column: int) -> None:
    diagnostic = only(insert_after("kind: Runbook", f"{key}: value"))
    assert where(diagnostic) == ("schema", 3, 1)
    assert diagnostic.span == Span(3, 1, 3, end_column)
    assert f"key {key} is read as " in diagnostic.message
    assert f'not text; put it in quotes: "{key}"' in diagnostic.message


def test_non_string_key_in_a_nested_mapping() -> None:
    diagnostic = only(insert_after("    type: commander", "    on: call"))
    assert where(diagnostic) == ("schema", 25, 5)
    assert "key on is read as a boolean" in diagnostic.message


def test_mapping_as_a_key() -> None:
    diagnostic = only(insert_after("kind: Runbook", "[a, b]: value"))
    assert where(diagnostic) == ("schema", 3, 1)
    assert "a key must be plain text" in diagnostic.message


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    diagnostic = only(BASE.encode(), LoadLimits(max_bytes=100))
    assert where(diagnostic) == ("syntax", 1, 1)
    size = f"{len(BASE.encode()):,}"
    assert f"file is {size} bytes, over the 100-byte limit" in diagnostic.message
    assert "--max-file-size" in diagnostic.message
    big = tmp_path / "big.yaml"
    big.write_text(BASE, encoding="utf-8")
    assert [where(d) for d in validate_file(str(big), LoadLimits(max_bytes=100))] == [
        ("syntax", 1, 1)
    ]


def test_file_exactly_at_the_size_limit_is_read() -> None:
    data = BASE.encode()
    assert diagnose(data, LoadLimits(max_bytes=len(data))) == []


# --- positions of a valid document ----------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "span"),
    [
        ((), Span(1, 1, 52, 1)),
        (("apiVersion",), Span(1, 13, 1, 25)),
        (("metadata",), Span(4, 3, 11, 1)),
        (("metadata", "owner"), Span(7, 10, 7, 23)),
        (("metadata", "links", 0, "url"), Span(10, 12, 10, 51)),
        (("steps", 0), Span(33, 5, 38, 1)),
        (("steps", 0, "phase"), Span(34, 12, 34, 20)),
        (("escalation", 0, "page", 0), Span(47, 9, 47, 19)),
        (("steps", 0, "timebox"), Span(33, 5, 38, 1)),  # missing: its parent
        (("steps", 7, "id"), Span(33, 3, 38, 1)),  # missing: the nearest node that exists
    ],
    ids=lambda value: "/".join(map(str, value)) if isinstance(value, tuple) else None,
)
def test_locate(path: tuple[str | int, ...], span: Span) -> None:
    assert load_text(BASE, PATH).locate(path) == span


def test_locate_key() -> None:
    document = load_text(BASE, PATH)
    assert document.locate_key(("metadata", "owner")) == Span(7, 3, 7, 8)
    assert document.locate_key(("steps", 0)) == Span(33, 5, 38, 1)  # a list item has no key


def test_positions_are_json_pointers_in_document_order() -> None:
    text = insert_after("  owner: data-platform", "  x-a/b~c: escaped")
    positions = list(load_text(text, PATH).positions())
    pointers = [pointer for pointer, _ in positions]
    assert pointers[:4] == ["", "/apiVersion", "/kind", "/metadata"]
    assert all(pointer.startswith("/") for pointer in pointers[1:])
    assert "/metadata/links/0/url" in pointers
    assert "/steps/0/on_failure" in pointers
    assert "/metadata/x-a~1b~0c" in pointers  # RFC 6901: ~ is ~0 and / is ~1
    starts = [(span.line, span.column) for _, span in positions]
    assert starts == sorted(starts)
    assert dict(positions)["/metadata/owner"] == Span(7, 10, 7, 23)


# --- the fixture files ----------------------------------------------------------------------

# One problem per invalid fixture: (rule, line, column, message fragment). The files start with
# a comment line saying what is wrong, so line numbers are one more than in minimal.yaml.
INVALID_FIXTURES = {
    "bad-audience": ("schema", 46, 17, "audience 'everyone' is not one of"),
    "bad-date": ("schema", 9, 18, "must be a date written YYYY-MM-DD"),
    "bad-duration": ("schema", 12, 22, "internal_update '5 min' must be a duration"),
    "bad-phase": ("schema", 32, 12, "did you mean 'mitigate'?"),
    "bad-role-type": ("schema", 22, 11, "type 'ops' is not one of"),
    "bad-step-id-slug": ("schema", 31, 9, "id 'Roll_Back_Deploy' must be a slug"),
    "boolean-title": ("schema", 6, 10, "YAML reads true as a boolean"),
    "comments-only": ("schema", 1, 1, "file is empty"),
    "duplicate-key": ("duplicate-key", 9, 3, "key 'owner' is repeated (first at line 8)"),
    "empty": ("schema", 1, 1, "file is empty"),
    "empty-steps": ("schema", 30, 8, "steps is empty"),
    "missing-communications": ("schema", 2, 1, "is missing required key 'communications'"),
    "missing-step-owner": (
        "schema",
        31,
        5,
        "step 'roll-back-deploy' is missing required key 'owner'",
    ),
    "misspelt-metadata-key": ("schema", 8, 3, "unknown key 'ownr' in metadata"),
    "non-string-key": ("schema", 4, 1, "key on is read as a boolean"),
    "non-utf8": ("syntax", 8, 13, "byte 0xe9 is not valid UTF-8"),
    "python-tag": ("syntax", 6, 10, "tag !!python/object/apply:os.getcwd is not allowed"),
    "syntax-error": ("syntax", 25, 13, "did not find expected ',' or ']'"),
    "tab-indentation": ("syntax", 24, 1, "a tab character"),
    "top-level-list": ("schema", 1, 1, "not a list"),
    "top-level-scalar": ("schema", 1, 1, "not a single value"),
    "trigger-with-alert-and-description": ("schema", 10, 5, "exactly one of 'alert' or"),
    "unknown-top-level-key": ("schema", 4, 1, "unknown key 'escalations'"),
    "utf16-bom": ("syntax", 1, 1, "file is UTF-16-encoded"),
    "wrong-api-version": ("schema", 2, 13, "apiVersion must be 'icrunbook/v1'"),
}


def test_every_invalid_fixture_has_an_expectation() -> None:
    names = {path.stem for path in (FIXTURES / "invalid").glob("*.yaml")}
    assert names == set(INVALID_FIXTURES)


@pytest.mark.parametrize(("name", "expected"), sorted(INVALID_FIXTURES.items()))
def test_invalid_fixture_reports_its_one_problem(
    name: str, expected: tuple[str, int, int, str]
) -> None:
    rule, line, column, fragment = expected
    found = validate_file(str(FIXTURES / "invalid" / f"{name}.yaml"))
    assert len(found) == 1, show(found)
    assert where(found[0]) == (rule, line, column)
    assert fragment in found[0].message


@pytest.mark.parametrize(
    "path",
    sorted((FIXTURES / "valid").glob("*.yaml")) + sorted(RUNBOOKS.glob("*.yaml")),
    ids=lambda path: f"{path.parent.name}/{path.name}",
)
def test_valid_file_has_no_diagnostics(path: Path) -> None:
    assert show(validate_file(str(path))) == ""


def test_merge_keys_are_resolved() -> None:
    document = load_text((FIXTURES / "valid" / "merge-keys.yaml").read_text("utf-8"), PATH)
    first, second = document.data["steps"]
    assert (first["owner"], first["timebox"]) == ("ops_lead", "10m")
    assert (second["owner"], second["timebox"]) == ("ops_lead", "5m")  # its own key wins


# --- the command line -----------------------------------------------------------------------

ISSUE_LINES = [
    (
        edit("    owner: dba_oncall"),
        "runbooks/db.yaml:33:5: error [schema] step 'failover' is missing required key 'owner'",
    ),
    (
        edit("  owner: data-platform", "  ownr: data-platform"),
        "runbooks/db.yaml:7:3: error [schema] unknown key 'ownr' in metadata — did you mean "
        "'owner'?",
    ),
    (
        edit("    phase: mitigate", "    phase: mitigation"),
        f"runbooks/db.yaml:34:12: error [schema] phase 'mitigation' is not one of: {PHASES} — "
        "did you mean 'mitigate'?",
    ),
]


@pytest.mark.parametrize(
    ("text", "line"), ISSUE_LINES, ids=["missing-owner", "misspelt-owner", "bad-phase"]
)
def test_text_output_line(
    icrun: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, line: str
) -> None:
    (tmp_path / "runbooks").mkdir()
    (tmp_path / "runbooks" / "db.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result: Result = icrun("validate", PATH)
    assert result.code == 1
    assert result.out.splitlines() == [line, "1 file checked: 1 error, 0 warnings, 0 info"]
    assert result.err == ""


def test_validate_folder_with_a_good_and_a_bad_file(
    icrun: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "runbooks"
    folder.mkdir()
    (folder / "good.yaml").write_text(BASE, encoding="utf-8")
    bad = edit("    phase: mitigate", "    phase: mitigation")
    bad = bad.replace("  owner: data-platform\n", "  ownr: data-platform\n")
    bad = bad.replace("  due: 5d\n", "  due: 5days\n")
    (folder / "bad.yaml").write_text(bad, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result: Result = icrun("validate", "runbooks")
    assert result.code == 1
    lines = result.out.splitlines()
    assert [line.split(": error ")[0] for line in lines[:-1]] == [
        "runbooks/bad.yaml:7:3",
        "runbooks/bad.yaml:34:12",
        "runbooks/bad.yaml:51:8",
    ]
    assert all(" error [schema] " in line for line in lines[:-1])
    assert lines[-1] == "2 files checked: 3 errors, 0 warnings, 0 info"
    assert result.err == ""


def test_validate_good_folder_exits_zero(icrun: Runner, tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(BASE, encoding="utf-8")
    result: Result = icrun("validate", str(tmp_path))
    assert (result.code, result.out, result.err) == (
        0,
        "1 file checked: 0 errors, 0 warnings, 0 info\n",
        "",
    )


def test_validate_missing_path_is_a_usage_error(icrun: Runner, tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    result: Result = icrun("validate", str(missing))
    assert result.code == 2
    assert result.out == ""
    assert result.err == f"icrun: error: {missing}: no such file or directory\n"


def test_validate_unknown_option_is_a_usage_error(icrun: Runner) -> None:
    result: Result = icrun("validate", "--no-such-option", str(RUNBOOKS))
    assert result.code == 2
    assert result.out == ""
    assert len(result.err.splitlines()) == 1
    assert result.err.startswith("icrun: error: ")
    assert "--no-such-option" in result.err
    assert "Traceback" not in result.err


def test_validate_max_file_size_option(icrun: Runner, tmp_path: Path) -> None:
    path = tmp_path / "db.yaml"
    path.write_text(BASE, encoding="utf-8")
    result: Result = icrun("validate", "--max-file-size", "100", str(path))
    assert result.code == 1
    assert result.out.startswith(f"{path}:1:1: error [syntax] file is ")


@pytest.mark.parametrize(
    "args", [["validate", "nope.yaml"], ["validate", "--no-such-option"]], ids=["path", "option"]
)
def test_installed_script_usage_error_is_one_line(
    icrun_process: Runner, tmp_path: Path, args: list[str]
) -> None:
    result: Result = icrun_process(*args, cwd=tmp_path)
    assert result.code == 2
    assert result.out == ""
    assert len(result.err.splitlines()) == 1
    assert result.err.startswith("icrun: error: ")
    assert "Traceback" not in result.err
