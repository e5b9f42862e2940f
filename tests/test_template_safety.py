"""Comms templates are data to check, never code to run: reaching for Python internals is a
``comms-template-valid`` finding, and nothing is rendered while linting."""

from __future__ import annotations

import pytest
from conftest import ROOT

pytestmark = pytest.mark.usefixtures("reproducible")

BASE = (ROOT / "icrunbook" / "rulesets" / "example-base.yaml").read_text(encoding="utf-8")
UPDATE = '"{{ status }}: {{ impact }}. Doing: {{ actions }}. Next update {{ next_update }}."'


@pytest.mark.parametrize(
    ("body", "internal"),
    [
        ("{{ ''.__class__.__mro__ }} {{ impact }} {{ next_update }}", "__class__"),
        ("{{ cycler.__init__.__globals__ }} {{ impact }} {{ next_update }}", "__init__"),
        ("{{ impact|attr('__class__') }} {{ next_update }}", "__class__"),
        ("{{ impact['__class__'] }} {{ next_update }}", "__class__"),
    ],
)
def test_templates_reaching_for_internals_are_reported(icrun, tmp_path, body, internal) -> None:
    assert UPDATE in BASE
    target = tmp_path / "runbook.yaml"
    target.write_text(BASE.replace(UPDATE, repr(body), 1), encoding="utf-8")
    result = icrun("lint", str(target))
    assert result.code == 1, result.out
    assert f"error [comms-template-valid] reaches for Python internals ('{internal}')" in result.out
