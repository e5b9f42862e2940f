"""What the README shows is true: its example runbook validates."""

from __future__ import annotations

import re

from conftest import ROOT

from icrunbook.api import validate_document
from icrunbook.loader import load_text


def test_readme_example_runbook_validates() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, re.DOTALL)
    example = next(block for block in blocks if "kind: Runbook" in block)
    document = load_text(example, "README.md")
    assert document.diagnostics == []
    assert validate_document(document) == []
