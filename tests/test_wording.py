"""How messages word counts, values and list items (``icrunbook.wording``)."""

from __future__ import annotations

from typing import Any

import pytest

from icrunbook.wording import item_label, plural, show


def test_plural() -> None:
    assert [plural(n, "file") for n in (0, 1, 2)] == ["0 files", "1 file", "2 files"]


@pytest.mark.parametrize(
    ("value", "shown"),
    [("sev1", "'sev1'"), (True, "true"), (False, "false"), (None, "null"), (3, "3"), (1.5, "1.5")],
)
def test_show_writes_values_as_yaml_does(value: Any, shown: str) -> None:
    assert show(value) == shown


def test_show_cuts_long_text_only_when_asked() -> None:
    assert show("x" * 100) == "'" + "x" * 100 + "'"
    assert show("x" * 100, limit=60) == "'" + "x" * 60 + "…'"
    assert show("x" * 60, limit=60) == "'" + "x" * 60 + "'"


@pytest.mark.parametrize(
    ("item", "position", "label"),
    [
        ({"id": "failover", "title": "Fail over"}, 0, "step 'failover'"),
        ({"title": "Fail over"}, 0, "step 'Fail over'"),
        ({"id": 7, "title": "Fail over"}, 0, "step 'Fail over'"),
        ({"id": ""}, 2, "step 3"),
        ({"action": "Roll back"}, 2, "step 3"),
        ("not a mapping", 0, "step 1"),
        ({"id": "x"}, "SEV1", "step 'SEV1'"),  # a mapping's entry: by its key
    ],
)
def test_item_label(item: Any, position: int | str, label: str) -> None:
    assert item_label("step", item, position) == label
