"""The text rules on the labelled phrasing set: precision at least 0.95, recall at least 0.90.

The tables themselves: ``python benchmarks/phrasing.py``."""

from __future__ import annotations

import pytest
from phrasing_set import POSITIVES, Confusion, evaluate

PRECISION, RECALL = 0.95, 0.90


@pytest.fixture(scope="module")
def verdicts() -> dict[str, Confusion]:
    return evaluate()


@pytest.mark.parametrize("rule", list(POSITIVES))
def test_rule_meets_the_thresholds(rule: str, verdicts: dict[str, Confusion]) -> None:
    confusion = verdicts[rule]
    assert confusion.precision >= PRECISION, confusion.misjudged
    assert confusion.recall >= RECALL, confusion.misjudged
