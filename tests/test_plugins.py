"""Plugins: functions from installed packages, through the ``icrunbook.functions`` entry points.

The plugin distribution is built by hand in a temporary folder (a module and its
``.dist-info``), which is all ``importlib.metadata`` needs to find it on the path.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest
from conftest import CLEAN

from icrunbook.config import find_config, load_config

ROLLBACK = "action: Roll back web-api to the last known-good revision with Argo CD."
UNDECIDED = "action: Roll back web-api to TBD."

PLUGIN_MODULE = '''\
"""An icrunbook plugin: no placeholders left in runbooks."""

from icrunbook.rules.functions import Finding, function
from icrunbook.rules.options import text


@function("noTbd", {"word": text})
def no_tbd(value, options, context):
    """Text does not say TBD (or another placeholder word)."""
    word = options.get("word", "TBD")
    if isinstance(value, str) and word in value:
        yield Finding(f"says {word}")


not_a_function = object()
'''

RULE = """\
rules:
  no-placeholders:
    description: Steps say what to do
    message: "step action {{error}}: decide before the incident"
    severity: error
    given: $.steps[*].action
    then:
      function: noTbd
"""


def make_distribution(
    folder: Path, name: str, module: str, entry_points: str, source: str = PLUGIN_MODULE
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{module}.py").write_text(source, encoding="utf-8")
    info = folder / f"{module}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        f"[icrunbook.functions]\n{entry_points}\n", encoding="utf-8"
    )


@pytest.fixture(scope="session")
def plugin_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding two hand-made distributions: a good plugin and a broken one."""
    folder = tmp_path_factory.mktemp("site")
    make_distribution(
        folder, "acme-icrun-rules", "acme_icrun_rules", "noTbd = acme_icrun_rules:no_tbd"
    )
    make_distribution(
        folder,
        "broken-icrun-rules",
        "broken_icrun_rules",
        "oops = broken_icrun_rules:not_a_function",
    )
    return folder


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch, plugin_path: Path) -> None:
    """The plugins importable in-process and in the console script; a fixed today."""
    monkeypatch.setenv("ICRUN_TODAY", "2026-11-27")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("PYTHONPATH", str(plugin_path))
    monkeypatch.syspath_prepend(str(plugin_path))
    importlib.invalidate_caches()
    find_config.cache_clear()
    load_config.cache_clear()


def project(tmp_path: Path, config: str, text: str = CLEAN) -> Path:
    (tmp_path / ".icrun.yaml").write_text(config, encoding="utf-8")
    (tmp_path / "runbooks").mkdir()
    (tmp_path / "runbooks" / "a.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def where(text: str, needle: str) -> str:
    before = text[: text.index(needle)]
    return f"{before.count(chr(10)) + 1}:{len(before) - before.rfind(chr(10))}"


def test_plugin_function_through_the_console_script(icrun_process, tmp_path) -> None:
    undecided = CLEAN.replace(ROLLBACK, UNDECIDED)
    root = project(tmp_path, "plugins: [acme-icrun-rules]\n" + RULE, undecided)
    result = icrun_process("lint", cwd=root)
    assert result.code == 1, result.out + result.err
    assert result.out.splitlines() == [
        f"runbooks/a.yaml:{where(undecided, 'Roll back web-api to TBD')}: error "
        "[no-placeholders] step action says TBD: decide before the incident",
        "1 file checked: 1 error, 0 warnings, 0 info",
    ]


def test_plugin_function_in_process(icrun, tmp_path, monkeypatch) -> None:
    root = project(tmp_path, "plugins: [acme-icrun-rules]\n" + RULE)
    monkeypatch.chdir(root)
    assert icrun("lint").code == 0  # nothing to find in the clean runbook

    undecided = CLEAN.replace(ROLLBACK, UNDECIDED)
    (root / "runbooks" / "a.yaml").write_text(undecided, encoding="utf-8")
    result = icrun("lint")
    assert result.code == 1
    assert "[no-placeholders] step action says TBD" in result.out
    assert "acme_icrun_rules" in sys.modules


def test_plugin_function_options(icrun, tmp_path) -> None:
    rule = RULE.replace("function: noTbd", "function: noTbd\n      functionOptions: {word: XXX}")
    undecided = CLEAN.replace(ROLLBACK, "action: Roll back web-api to XXX.")
    root = project(tmp_path, "plugins: [acme-icrun-rules]\n" + rule, undecided)
    result = icrun("lint", str(root / "runbooks"))
    assert result.code == 1
    assert "step action says XXX" in result.out


@pytest.mark.parametrize(
    ("written", "error"),
    [
        (
            "function: noTbd\n      functionOptions: {wrd: XXX}",
            "function 'noTbd' has no option 'wrd' — did you mean 'word'?",
        ),
        ("function: noTBD", "unknown function 'noTBD' — did you mean 'noTbd'?"),
    ],
    ids=["unknown-option", "misspelt-function"],
)
def test_plugin_function_misspellings_are_usage_errors(icrun, tmp_path, written, error) -> None:
    rule = RULE.replace("function: noTbd", written)
    root = project(tmp_path, "plugins: [acme-icrun-rules]\n" + rule)
    result = icrun("lint", str(root / "runbooks"))
    assert result.code == 2
    assert error in result.err


def test_plugin_name_is_normalised(icrun, tmp_path) -> None:
    undecided = CLEAN.replace(ROLLBACK, UNDECIDED)
    root = project(tmp_path, "plugins: [Acme_Icrun_Rules]\n" + RULE, undecided)
    result = icrun("lint", str(root / "runbooks"))
    assert result.code == 1, result.err
    assert "[no-placeholders]" in result.out


def test_plugin_function_needs_the_plugin_enabled(icrun_process, tmp_path) -> None:
    root = project(tmp_path, RULE)  # installed, but not in plugins
    result = icrun_process("lint", cwd=root)
    assert result.code == 2
    assert "Traceback" not in result.err
    assert result.err.count("\n") == 1
    assert f"{root / '.icrun.yaml'}:2:3: rule 'no-placeholders': unknown function 'noTbd'" in (
        result.err
    )


def test_plugin_not_installed(icrun_process, tmp_path) -> None:
    root = project(tmp_path, "plugins: [acme-icrun-rulez]\n" + RULE)
    result = icrun_process("lint", cwd=root)
    assert result.code == 2
    assert "Traceback" not in result.err
    assert result.err.count("\n") == 1
    assert f"{root / '.icrun.yaml'}:1:11: plugin 'acme-icrun-rulez' is not installed" in result.err
    assert "pip install acme-icrun-rulez" in result.err


def test_plugin_entry_point_that_is_not_a_function(icrun, tmp_path) -> None:
    root = project(tmp_path, "plugins: [broken-icrun-rules]\n")
    result = icrun("lint", str(root / "runbooks"))
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "entry point 'oops' is not an icrunbook function" in result.err
