"""Schema diagnostics: each schema problem at the right line and column, in plain words that
say what is wrong and how to fix it: missing and unknown keys (with a did-you-mean), values
outside an enum, durations, slugs and dates, triggers, wrong types and empty values.
"""

from __future__ import annotations

import pytest
from base_runbook import PHASES, TITLE, diagnose, edit, insert_after, only, where

ROLE_TYPES = "commander, deputy, scribe, communications, operations, expert, planning, observer"
AUDIENCES = "responders, stakeholders, customers, executives"


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
