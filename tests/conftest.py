"""Shared helpers: run ``icrun`` in-process or as the installed console script."""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from icrunbook.cli import main

ROOT = Path(__file__).resolve().parent.parent
RUNBOOKS = ROOT / "runbooks"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


EXAMPLES = sorted(path for path in RUNBOOKS.glob("*.yaml") if path.name != "policy.yaml")
"""The example runbooks (``runbooks/policy.yaml`` beside them is the policy they share)."""
CLEAN = (FIXTURES / "standalone" / "web-api-bad-deploy.yaml").read_text(encoding="utf-8")
"""The web API example as it reads without a policy: every test's starting point, whole in one
file, so that copies of it stand alone wherever a test writes them."""


def distinct(text: str, tag: str) -> str:
    """A copy of the clean runbook (or a variant of it) with its own ``metadata.name`` and
    alerts, so that copies linted together do not fire the repository rules
    (``duplicate-runbook-name``, ``duplicate-trigger``). Only the ends of those lines change:
    every other position stays where it was."""
    slug = re.sub(r"[^a-z0-9]+", "-", tag.lower()).strip("-")
    text = text.replace("  name: web-api-bad-deploy\n", f"  name: web-api-bad-deploy-{slug}\n")
    return re.sub(r"(?m)^(  - alert: \w+)$", rf"\1-{slug}", text)


def runbook(*breaks: tuple[str, str]) -> str:
    """The clean example runbook with each ``(old, new)`` replacement made exactly once."""
    text = CLEAN
    for old, new in breaks:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def made_once(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """A folder filled by ``make`` once for the whole run, however many xdist workers ask:
    the first makes it under a lock, the others wait and read it (the pattern pytest-xdist
    documents for session fixtures). For what is costly to make: printed PDFs, say."""
    root = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # shared by the workers of one run
    folder = root / f"made-once-{name}"
    with open(root / f"made-once-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / ".done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            (folder / ".done").touch()
    return folder


@pytest.fixture(autouse=True)
def _no_cache_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests lint without .icrun_cache/ unless they test the cache (and unset this)."""
    monkeypatch.setenv("ICRUN_NO_CACHE", "1")


@pytest.fixture
def reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fixed today for review-fresh, plain output, and no config remembered across tests."""
    from icrunbook.config import find_config, load_config

    monkeypatch.setenv("ICRUN_TODAY", "2026-11-27")
    monkeypatch.setenv("NO_COLOR", "1")
    find_config.cache_clear()
    load_config.cache_clear()


@dataclass
class Result:
    code: int
    out: str
    err: str


def one_line_error(result: Result, *words: str) -> None:
    """Exit 2 with exactly one line on stderr, no traceback, mentioning every word."""
    assert result.code == 2, result
    assert result.err.count("\n") == 1, result.err
    assert result.err.startswith("icrun: error: "), result.err
    assert "Traceback" not in result.err
    assert "internal error" not in result.err
    for word in words:
        assert word in result.err, (word, result.err)


@pytest.fixture
def icrun(capsys: pytest.CaptureFixture[str]):
    """Run ``icrun ARGS`` in-process; returns exit code, stdout and stderr."""

    def run(*args: str) -> Result:
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def icrun_exe() -> str:
    """The installed ``icrun`` console script next to this interpreter."""
    candidate = Path(sys.executable).with_name("icrun")
    found = str(candidate) if candidate.exists() else shutil.which("icrun")
    if found is None:
        pytest.fail("the icrun console script is not installed; run: pip install '.[test]'")
    return found


@pytest.fixture
def icrun_process(icrun_exe: str):
    """Run the installed ``icrun ARGS`` as a separate process."""

    def run(*args: str, cwd: Path | None = None) -> Result:
        env = {**os.environ, "NO_COLOR": "1"}
        done = subprocess.run(
            [icrun_exe, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=60
        )
        return Result(done.returncode, done.stdout, done.stderr)

    return run


# The slowest modules start first, so that no worker is left with a long test at the end
# (with two workers, a 15-second pre-commit test collected last is 15 seconds of one idle core).
SLOW_FIRST = (
    "test_pre_commit.py",
    "test_hostile_inputs.py",
    "test_lint_robustness.py",
    "test_properties.py",
    "test_render_html_pdf.py",
    "test_pipeline.py",
    "test_verdict_agreement.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return SLOW_FIRST.index(name) if name in SLOW_FIRST else len(SLOW_FIRST)

    items.sort(key=rank)  # stable: each module keeps its own order
