"""What the README shows is true: its example runbook validates."""

from __future__ import annotations

import re

from conftest import ROOT

from icrunbook.api import validate_document
from icrunbook.config import load_config
from icrunbook.loader import load_text


def test_readme_example_runbook_validates() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, re.DOTALL)
    example = next(block for block in blocks if "kind: Runbook" in block)
    document = load_text(example, "README.md")
    assert document.diagnostics == []
    assert validate_document(document) == []


def test_readme_example_config_loads(tmp_path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, re.DOTALL)
    example = next(block for block in blocks if block.startswith("extends: recommended"))
    (tmp_path / ".icrun.yaml").write_text(example, encoding="utf-8")
    config = load_config(str(tmp_path / ".icrun.yaml"))
    assert "service-name-style" in config.rules
    assert config.settings["action-concise"].severity == "off"
    assert config.matching_overrides(str(tmp_path / "runbooks/legacy/old.yaml")) == (0,)


def test_readme_library_example_runs(monkeypatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```python\n(.*?)```", readme, re.DOTALL) if "api" in b)
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {}
    exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 - the README's own code
    assert namespace["report"].diagnostics == []  # type: ignore[attr-defined]
