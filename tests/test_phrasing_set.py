"""The text rules on the labelled phrasing set: precision at least 0.95, recall at least 0.90.

The tables themselves: ``python benchmarks/phrasing.py``. One test, so the set is judged once
(the engine lints each of its 597 entries as a runbook)."""

from __future__ import annotations

from phrasing_set import evaluate

PRECISION, RECALL = 0.95, 0.90


def test_each_text_rule_meets_the_thresholds() -> None:
    verdicts = evaluate()
    assert list(verdicts) == ["rollback-option", "comms-no-premature-cause", "comms-admit-unknowns"]
    for rule, confusion in verdicts.items():
        assert confusion.precision >= PRECISION, (rule, confusion.misjudged)
        assert confusion.recall >= RECALL, (rule, confusion.misjudged)
