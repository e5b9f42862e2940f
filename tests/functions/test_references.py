from __future__ import annotations

from typing import Any

import pytest
from helpers import paths, run

from icrunbook.rules.functions.references import includes_key, reference_list, references

RUNBOOK: dict[str, Any] = {
    "severities": {"SEV1": {"page": ["ic"]}, "SEV2": {"page": ["opps"]}},
    "roles": {"ic": {}, "ops": {}},
    "steps": [
        {"id": "look", "owner": "ops", "on_failure": "escalate"},
        {"id": "roll-back", "owner": "opps", "on_failure": "look"},
        {"id": "fix", "owner": 3, "on_failure": "rol-back"},
        {"id": "wait", "owner": "zzz-nobody"},
    ],
    "postmortem": {"required_for": ["SEV1"]},
}
ENTRIES = [
    {"given": "$.steps[*].owner", "names": "$.roles", "what": "role"},
    {"given": "$.severities.*.page[*]", "names": "$.roles", "what": "role"},
    {"given": "$.steps[*].on_failure", "names": "$.steps", "allow": ["escalate"], "what": "step"},
    {"given": "$.postmortem.required_for[*]", "names": "$.severities", "what": "severity"},
]


def test_references_fire_at_each_undeclared_name_with_a_suggestion() -> None:
    findings = run(references, RUNBOOK, references=ENTRIES)
    assert [(f.message, f.path) for f in findings] == [
        ("role 'opps' is not declared — did you mean 'ops'?", ("steps", 1, "owner")),
        ("role 'zzz-nobody' is not declared", ("steps", 3, "owner")),
        ("role 'opps' is not declared — did you mean 'ops'?", ("severities", "SEV2", "page", 0)),
        ("step 'rol-back' is not declared — did you mean 'roll-back'?", ("steps", 2, "on_failure")),
    ]


def test_references_pass_when_all_declared() -> None:
    good = {"roles": {"ops": {}}, "steps": [{"id": "a", "owner": "ops", "on_failure": "a"}]}
    assert run(references, good, references=ENTRIES) == []


def test_declared_names_from_string_lists_and_strings() -> None:
    doc = {"names": ["a", {"id": "b"}, 3], "alias": "c", "use": ["a", "b", "c", "d"]}
    entries = [
        {"given": "$.use[*]", "names": "$.names"},
        {"given": "$.use[*]", "names": "$.alias"},
    ]
    assert paths(run(references, doc, references=entries)) == [
        ("use", 2),
        ("use", 3),
        ("use", 0),
        ("use", 1),
        ("use", 3),
    ]


@pytest.mark.parametrize(
    "bad",
    [
        {"given": "$.a"},
        [{"given": "$.a"}],
        [{"given": "$.a", "names": "$.b", "colour": "red"}],
        [{"given": "$[", "names": "$.b"}],
        [{"given": "$.a", "names": "$.b", "allow": [1]}],
        [],
    ],
)
def test_reference_list_rejects_bad_entries(bad: Any) -> None:
    with pytest.raises(ValueError, match=r"."):
        reference_list(bad)


def test_includes_key_fires_without_the_most_severe_level() -> None:
    findings = run(includes_key, ["SEV2"], root=RUNBOOK, of="$.severities")
    assert [(f.message, f.path) for f in findings] == [
        ("does not include 'SEV1', the most severe level", ())
    ]
    findings = run(
        includes_key, ["SEV1"], root=RUNBOOK, of="$.severities", option_values={"position": 1}
    )
    assert [f.message for f in findings] == ["does not include 'SEV2', level 2"]


def test_includes_key_passes_and_skips() -> None:
    assert run(includes_key, ["SEV2", "SEV1"], root=RUNBOOK, of="$.severities") == []
    assert run(includes_key, "SEV1", root=RUNBOOK, of="$.severities") == []
    assert (
        run(includes_key, [], root=RUNBOOK, of="$.severities", option_values={"position": 2}) == []
    )
    assert run(includes_key, [], root=RUNBOOK, of="$.steps") == []
