from __future__ import annotations

from helpers import run

from icrunbook.rules.functions import MISSING
from icrunbook.rules.functions.dates import date_age


def test_old_date_fires() -> None:
    findings = run(date_age, "2026-05-11", maxAge="180d")
    assert [(f.message, f.path) for f in findings] == [("was 200 days ago, more than 180 days", ())]


def test_age_equal_to_max_passes() -> None:
    assert run(date_age, "2026-05-31", maxAge="180d") == []  # exactly 180 days
    assert run(date_age, "2026-05-30", maxAge="180d") != []
    assert run(date_age, "2026-11-27", maxAge="1d") == []


def test_missing_date() -> None:
    assert [f.message for f in run(date_age, MISSING, maxAge="180d")] == ["is not set"]
    assert run(date_age, MISSING, maxAge="180d", required=False) == []


def test_unparsable_dates_are_skipped() -> None:
    for value in ["last spring", "2026-13-01", "2026-5-1", 20260101, None]:
        assert run(date_age, value, maxAge="1d") == []


def test_max_age_not_in_whole_days() -> None:
    assert [f.message for f in run(date_age, "2026-11-25", maxAge="36h")] == [
        "was 2 days ago, more than 1d12h"
    ]
