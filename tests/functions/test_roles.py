from __future__ import annotations

from typing import Any

from helpers import run

from icrunbook.rules.functions.roles import owner_type

ROOT: dict[str, Any] = {
    "roles": {"ic": {"type": "commander"}, "ops": {"type": "operations"}, "odd": "x"},
}
OPTIONS: dict[str, Any] = {
    "types": ["commander"],
    "phases": ["mitigate", "investigate", "recover"],
    "fields": ["command"],
}


def findings(step: Any) -> list[tuple[str, tuple[str | int, ...]]]:
    return [
        (f.message, f.path) for f in run(owner_type, step, root=ROOT, path=("steps", 2), **OPTIONS)
    ]


def test_commander_in_hands_on_phase_fires_at_owner() -> None:
    assert findings({"id": "roll-back", "phase": "mitigate", "owner": "ic"}) == [
        (
            "step 'roll-back' is owned by the commander 'ic' but is in phase mitigate; "
            "the commander coordinates, others touch the system",
            ("owner",),
        )
    ]


def test_commander_with_command_fires_once_with_all_reasons() -> None:
    step = {"id": "x", "phase": "recover", "owner": "ic", "command": "kubectl get pods"}
    assert findings(step) == [
        (
            "step 'x' is owned by the commander 'ic' but is in phase recover and has a command; "
            "the commander coordinates, others touch the system",
            ("owner",),
        )
    ]
    assert findings({"phase": "triage", "owner": "ic", "command": "ls"})[0][0].startswith(
        "step 3 is owned"
    )


def test_passes_for_coordination_and_other_owners() -> None:
    assert findings({"id": "a", "phase": "coordinate", "owner": "ic"}) == []
    assert findings({"id": "b", "phase": "mitigate", "owner": "ops", "command": "x"}) == []


def test_skips_unknown_owners_and_wrong_types() -> None:
    assert findings({"id": "a", "phase": "mitigate", "owner": "nobody"}) == []
    assert findings({"id": "a", "phase": "mitigate", "owner": "odd"}) == []
    assert findings({"id": "a", "phase": "mitigate"}) == []
    assert findings("step") == []
    assert run(owner_type, {"owner": "ic", "phase": "mitigate"}, root=[], types="commander") == []
