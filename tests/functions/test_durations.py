from __future__ import annotations

from helpers import paths, run

from icrunbook.rules.functions.durations import (
    duration,
    duration_compare,
    duration_order,
    duration_sum,
)


def test_duration_longer_than_max() -> None:
    findings = run(duration, "45m", max="30m")
    assert [f.message for f in findings] == ["45m is longer than 30m"]
    assert paths(findings) == [()]


def test_duration_shorter_than_min() -> None:
    assert [f.message for f in run(duration, "5m", min="10m")] == ["5m is shorter than 10m"]


def test_duration_bounds_are_inclusive() -> None:
    assert run(duration, "15m", min="15m", max="15m") == []
    assert run(duration, "1h", max="60m") == []


def test_duration_skips_unparsable_and_wrong_types() -> None:
    assert run(duration, "fifteen minutes", max="1m") == []
    assert run(duration, 900, max="1m") == []
    assert run(duration, None, max="1m") == []


def test_duration_max_list_is_per_position_with_last_for_the_rest() -> None:
    bounds = ["30m", "60m", "4h"]
    assert run(duration, "45m", position=0, max=bounds) != []
    assert run(duration, "45m", position=1, max=bounds) == []
    assert run(duration, "5h", position=2, max=bounds) != []
    assert [f.message for f in run(duration, "5h", position=7, max=bounds)] == [
        "5h is longer than 4h"
    ]
    assert run(duration, "4h", position=7, max=bounds) == []


SEVERITIES = {
    "SEV1": {"internal_update": "30m", "stakeholder_update": "30m"},
    "SEV2": {"internal_update": "15m", "stakeholder_update": "1h"},
    "SEV3": {"internal_update": "1h", "stakeholder_update": "1h"},
}


def test_duration_order_fires_at_the_more_severe_item() -> None:
    findings = run(duration_order, SEVERITIES, fields=["internal_update", "stakeholder_update"])
    assert paths(findings) == [("SEV1", "internal_update")]
    assert findings[0].message == (
        "SEV1's internal_update 30m is longer than SEV2's 15m; "
        "a more severe level must not update less often"
    )


def test_duration_order_passes_on_equal_and_increasing_and_skips_bad_values() -> None:
    assert run(duration_order, SEVERITIES, fields=["stakeholder_update"]) == []
    weird = {"SEV1": {"internal_update": "soon"}, "SEV2": "oops", "SEV3": {"internal_update": "5m"}}
    assert run(duration_order, weird, fields="internal_update") == []
    assert run(duration_order, ["not", "a", "mapping"], fields="internal_update") == []


def test_duration_compare() -> None:
    options = {"shorter": "internal_update", "longer": "stakeholder_update"}
    findings = run(duration_compare, SEVERITIES["SEV1"] | {"internal_update": "31m"}, **options)
    assert [(f.message, f.path) for f in findings] == [
        ("internal_update 31m is longer than stakeholder_update 30m", ("internal_update",))
    ]
    assert run(duration_compare, SEVERITIES["SEV1"], **options) == []  # equal passes
    assert (
        run(duration_compare, {"internal_update": "x", "stakeholder_update": "1m"}, **options) == []
    )
    assert run(duration_compare, "15m", **options) == []


SUM = {"field": "timebox", "untilField": "phase", "untilValue": "mitigate"}


def test_duration_sum_reports_missing_timebox_and_total() -> None:
    steps = [
        {"id": "page", "phase": "triage", "timebox": "5m"},
        {"id": "look", "phase": "triage"},
        {"id": "graphs", "phase": "investigate", "timebox": "20m"},
        {"id": "roll-back", "phase": "mitigate"},
        {"id": "later", "phase": "triage"},
    ]
    findings = run(duration_sum, steps, max="15m", **SUM)
    assert [(f.message, f.path) for f in findings] == [
        ("step 'look' comes before the first mitigate step and has no timebox", (1,)),
        ("the 3 steps before the first mitigate step add up to 25m, more than 15m", (3,)),
    ]


def test_duration_sum_passes_at_the_limit_and_without_mitigate_step() -> None:
    steps = [
        {"id": "a", "phase": "triage", "timebox": "10m"},
        {"id": "b", "phase": "triage", "timebox": "5m"},
        {"id": "c", "phase": "mitigate"},
    ]
    assert run(duration_sum, steps, max="15m", **SUM) == []
    no_mitigate = [{"id": "a", "phase": "triage"}, {"id": "b", "phase": "investigate"}]
    assert run(duration_sum, no_mitigate, max="1m", **SUM) == []
    assert run(duration_sum, [{"id": "a", "phase": "mitigate"}], max="1m", **SUM) == []
    assert run(duration_sum, "steps", **SUM) == []


def test_duration_sum_skips_unparsable_timeboxes() -> None:
    steps = [{"id": "a", "phase": "triage", "timebox": "ages"}, {"phase": "mitigate"}]
    assert run(duration_sum, steps, max="1m", **SUM) == []
