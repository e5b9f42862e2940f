from __future__ import annotations

import pytest
from helpers import paths, run

from icrunbook.rules.functions.collections import count, group_count, order, unique

ROLES = {
    "ic": {"type": "commander"},
    "ops": {"type": "operations"},
    "ic2": {"type": "commander"},
}


@pytest.mark.parametrize(
    ("bounds", "message"),
    [
        ({"min": 1, "max": 1}, "found 2, expected exactly 1"),
        ({"max": 1}, "found 2, expected at most 1"),
        ({"min": 3}, "found 2, expected at least 3"),
    ],
)
def test_count_fires_outside_bounds(bounds: dict[str, int], message: str) -> None:
    findings = run(count, ROLES, query="$[?@.type == 'commander']", **bounds)
    assert [(f.message, f.path) for f in findings] == [(message, ())]


def test_count_bounds_are_inclusive() -> None:
    assert run(count, ROLES, query="$[?@.type == 'commander']", min=2, max=2) == []
    assert run(count, ROLES, query="$[?@.type == 'scribe']", max=0) == []
    assert run(count, "not a mapping", query="$[?@.type == 'scribe']", min=0) == []


STEPS = [
    {"id": "a", "phase": "triage", "owner": "ops"},
    {"id": "b", "phase": "investigate", "owner": "ops"},
    {"id": "a", "phase": "mitigate", "owner": "ops"},
    "not a step",
    {"id": "c", "phase": "mitigate", "owner": "ops"},
    {"id": "b", "phase": "recover", "owner": "dev"},
]


def test_unique_fires_at_each_repeat() -> None:
    findings = run(unique, STEPS, field="id")
    assert [(f.message, f.path) for f in findings] == [
        ("'a' is already used by item 1", (2, "id")),
        ("'b' is already used by item 2", (5, "id")),
    ]


def test_unique_passes_and_skips_wrong_types() -> None:
    assert run(unique, [{"id": "a"}, {"id": "b"}, {"id": ["a"]}, {"id": ["a"]}], field="id") == []
    assert run(unique, {"id": "a"}, field="id") == []


def test_order_fires_on_each_then_item_before_the_last_first_item() -> None:
    findings = run(order, STEPS, field="phase", first="mitigate", then="investigate")
    assert paths(findings) == [(1, "phase")]
    assert findings[0].message == (
        "investigate step 'b' stands before mitigate step 'c' (item 5); mitigate first"
    )


def test_order_passes() -> None:
    steps = [{"phase": "mitigate"}, {"phase": "investigate"}, {"phase": "investigate"}]
    assert run(order, steps, field="phase", first="mitigate", then="investigate") == []
    assert run(order, steps[1:], field="phase", first="mitigate", then="investigate") == []
    assert run(order, "steps", field="phase", first="mitigate", then="investigate") == []


def test_group_count_fires_once_per_group_at_the_first_item_over() -> None:
    steps = [{"owner": "ops", "phase": "mitigate"} for _ in range(4)]
    steps.insert(1, {"owner": "dev", "phase": "mitigate"})
    steps.append({"owner": "ops", "phase": "recover"})
    findings = run(group_count, steps, by=["owner", "phase"], max=2)
    assert [(f.message, f.path) for f in findings] == [
        ("owner 'ops' has 4 steps in phase 'mitigate', more than 2", (3,))
    ]


def test_group_count_limit_is_inclusive() -> None:
    steps = [{"owner": "ops", "phase": "mitigate"}] * 3 + [{"owner": "ops"}, "x"]
    assert run(group_count, steps, by=["owner", "phase"], max=3) == []
    assert paths(run(group_count, steps, by="owner", max=3)) == [(3,)]
