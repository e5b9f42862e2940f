"""``icrun validate`` as a whole: the example runbook, the fixture files and the command line.

What loading reports is tested in ``test_loader.py``, what the schema reports in
``test_explain.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from base_runbook import BASE, PATH, PHASES, diagnose, edit, show, where
from conftest import FIXTURES, RUNBOOKS, Result

from icrunbook.api import validate_file

if TYPE_CHECKING:
    from collections.abc import Callable

    Runner = Callable[..., Result]


# --- the example runbook ---------------------------------------------------------------------


def test_base_is_valid_and_numbered_as_documented() -> None:
    assert diagnose(BASE) == []
    lines = BASE.splitlines()
    assert lines[2] == "metadata:"
    assert lines[31] == "steps:"
    assert lines[47] == "postmortem:"
    assert len(lines) == 51


def test_edit_helper_moves_the_list_marker() -> None:
    text = edit("  - id: failover")
    assert text.splitlines()[32] == "  - phase: mitigate"


# --- the fixture files ----------------------------------------------------------------------

# One problem per invalid fixture: (rule, line, column, message fragment). The files start with
# a comment line saying what is wrong, so line numbers are one more than in minimal.yaml.
INVALID_FIXTURES = {
    "bad-audience": ("schema", 46, 17, "audience 'everyone' is not one of"),
    "bad-date": ("schema", 9, 18, "must be a date written YYYY-MM-DD"),
    "bad-duration": ("schema", 12, 22, "internal_update '5 min' must be a duration"),
    "bad-phase": ("schema", 32, 12, "did you mean 'mitigate'?"),
    "bad-role-type": ("schema", 22, 11, "type 'ops' is not one of"),
    "bad-step-id-slug": ("schema", 31, 9, "id 'Roll_Back_Deploy' must be a slug"),
    "boolean-title": ("schema", 6, 10, "YAML reads true as a boolean"),
    "comments-only": ("schema", 1, 1, "file is empty"),
    "duplicate-key": ("duplicate-key", 9, 3, "key 'owner' is repeated (first at line 8)"),
    "empty": ("schema", 1, 1, "file is empty"),
    "empty-steps": ("schema", 30, 8, "steps is empty"),
    "missing-communications": ("schema", 2, 1, "is missing required key 'communications'"),
    "missing-step-owner": (
        "schema",
        31,
        5,
        "step 'roll-back-deploy' is missing required key 'owner'",
    ),
    "misspelt-metadata-key": ("schema", 8, 3, "unknown key 'ownr' in metadata"),
    "non-string-key": ("schema", 4, 1, "key on is read as a boolean"),
    "non-utf8": ("syntax", 8, 13, "byte 0xe9 is not valid UTF-8"),
    "python-tag": ("syntax", 6, 10, "tag !!python/object/apply:os.getcwd is not allowed"),
    "syntax-error": ("syntax", 25, 13, "did not find expected ',' or ']'"),
    "tab-indentation": ("syntax", 24, 1, "a tab character"),
    "top-level-list": ("schema", 1, 1, "not a list"),
    "top-level-scalar": ("schema", 1, 1, "not a single value"),
    "trigger-with-alert-and-description": ("schema", 10, 5, "exactly one of 'alert' or"),
    "unknown-top-level-key": ("schema", 4, 1, "unknown key 'escalations'"),
    "utf16-bom": ("syntax", 1, 1, "file is UTF-16-encoded"),
    "wrong-api-version": ("schema", 2, 13, "apiVersion must be 'icrunbook/v1'"),
}


def test_every_invalid_fixture_has_an_expectation() -> None:
    names = {path.stem for path in (FIXTURES / "invalid").glob("*.yaml")}
    assert names == set(INVALID_FIXTURES)


@pytest.mark.parametrize(("name", "expected"), sorted(INVALID_FIXTURES.items()))
def test_invalid_fixture_reports_its_one_problem(
    name: str, expected: tuple[str, int, int, str]
) -> None:
    rule, line, column, fragment = expected
    found = validate_file(str(FIXTURES / "invalid" / f"{name}.yaml"))
    assert len(found) == 1, show(found)
    assert where(found[0]) == (rule, line, column)
    assert fragment in found[0].message


@pytest.mark.parametrize(
    "path",
    sorted((FIXTURES / "valid").glob("*.yaml")) + sorted(RUNBOOKS.glob("*.yaml")),
    ids=lambda path: f"{path.parent.name}/{path.name}",
)
def test_valid_file_has_no_diagnostics(path: Path) -> None:
    assert show(validate_file(str(path))) == ""


# --- the command line -----------------------------------------------------------------------

ISSUE_LINES = [
    (
        edit("    owner: dba_oncall"),
        "runbooks/db.yaml:33:5: error [schema] step 'failover' is missing required key 'owner'",
    ),
    (
        edit("  owner: data-platform", "  ownr: data-platform"),
        "runbooks/db.yaml:7:3: error [schema] unknown key 'ownr' in metadata — did you mean "
        "'owner'?",
    ),
    (
        edit("    phase: mitigate", "    phase: mitigation"),
        f"runbooks/db.yaml:34:12: error [schema] phase 'mitigation' is not one of: {PHASES} — "
        "did you mean 'mitigate'?",
    ),
]


@pytest.mark.parametrize(
    ("text", "line"), ISSUE_LINES, ids=["missing-owner", "misspelt-owner", "bad-phase"]
)
def test_text_output_line(
    icrun: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, line: str
) -> None:
    (tmp_path / "runbooks").mkdir()
    (tmp_path / "runbooks" / "db.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result: Result = icrun("validate", PATH)
    assert result.code == 1
    assert result.out.splitlines() == [line, "1 file checked: 1 error, 0 warnings, 0 info"]
    assert result.err == ""


def test_validate_folder_with_a_good_and_a_bad_file(
    icrun: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "runbooks"
    folder.mkdir()
    (folder / "good.yaml").write_text(BASE, encoding="utf-8")
    bad = edit("    phase: mitigate", "    phase: mitigation")
    bad = bad.replace("  owner: data-platform\n", "  ownr: data-platform\n")
    bad = bad.replace("  due: 5d\n", "  due: 5days\n")
    (folder / "bad.yaml").write_text(bad, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result: Result = icrun("validate", "runbooks")
    assert result.code == 1
    lines = result.out.splitlines()
    assert [line.split(": error ")[0] for line in lines[:-1]] == [
        "runbooks/bad.yaml:7:3",
        "runbooks/bad.yaml:34:12",
        "runbooks/bad.yaml:51:8",
    ]
    assert all(" error [schema] " in line for line in lines[:-1])
    assert lines[-1] == "2 files checked: 3 errors, 0 warnings, 0 info"
    assert result.err == ""


def test_validate_good_folder_exits_zero(icrun: Runner, tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(BASE, encoding="utf-8")
    result: Result = icrun("validate", str(tmp_path))
    assert (result.code, result.out, result.err) == (
        0,
        "1 file checked: 0 errors, 0 warnings, 0 info\n",
        "",
    )


def test_validate_missing_path_is_a_usage_error(icrun: Runner, tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    result: Result = icrun("validate", str(missing))
    assert result.code == 2
    assert result.out == ""
    assert result.err == f"icrun: error: {missing}: no such file or directory\n"


def test_validate_unknown_option_is_a_usage_error(icrun: Runner) -> None:
    result: Result = icrun("validate", "--no-such-option", str(RUNBOOKS))
    assert result.code == 2
    assert result.out == ""
    assert len(result.err.splitlines()) == 1
    assert result.err.startswith("icrun: error: ")
    assert "--no-such-option" in result.err
    assert "Traceback" not in result.err


def test_validate_max_file_size_option(icrun: Runner, tmp_path: Path) -> None:
    path = tmp_path / "db.yaml"
    path.write_text(BASE, encoding="utf-8")
    result: Result = icrun("validate", "--max-file-size", "100", str(path))
    assert result.code == 1
    assert result.out.startswith(f"{path}:1:1: error [syntax] file is ")


@pytest.mark.parametrize(
    "args", [["validate", "nope.yaml"], ["validate", "--no-such-option"]], ids=["path", "option"]
)
def test_installed_script_usage_error_is_one_line(
    icrun_process: Runner, tmp_path: Path, args: list[str]
) -> None:
    result: Result = icrun_process(*args, cwd=tmp_path)
    assert result.code == 2
    assert result.out == ""
    assert len(result.err.splitlines()) == 1
    assert result.err.startswith("icrun: error: ")
    assert "Traceback" not in result.err
