"""The baseline (rules.md, "Adopting in an existing repository"): write it, hide what it lists
however lines move, fail on what is new, count what is hidden, report what is stale, and keep
the file byte-identical when nothing changed. All through the installed ``icrun``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CLEAN, Result, distinct

pytestmark = pytest.mark.usefixtures("reproducible")

SLOW = ("stakeholder_update: 2h", "stakeholder_update: 9h")  # one cadence-stakeholder-max
SECOND = (  # SEV2's stakeholder cadence, slowed to the same line text as SLOW's
    "    internal_update: 10m\n    stakeholder_update: 30m\n",
    "    internal_update: 10m\n    stakeholder_update: 9h\n",
)
CLEAN_SUMMARY = "0 errors, 0 warnings, 0 info"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository that is not clean yet: one runbook with one error, one clean runbook."""
    (tmp_path / "runbooks").mkdir()
    (tmp_path / "runbooks" / "old.yaml").write_text(distinct(CLEAN, "old").replace(*SLOW), "utf-8")
    (tmp_path / "runbooks" / "new.yaml").write_text(distinct(CLEAN, "new"), "utf-8")
    (tmp_path / ".icrun.yaml").write_text("paths: [runbooks]\n", encoding="utf-8")
    return tmp_path


@pytest.fixture
def lint(icrun_process, repo: Path):
    def run(*args: str) -> Result:
        result: Result = icrun_process("lint", *args, cwd=repo)
        assert "Traceback" not in result.err
        return result

    return run


def test_a_baseline_hides_what_it_lists_and_counts_it(lint, repo: Path) -> None:
    assert lint().code == 1
    written = lint("--write-baseline")
    assert written.code == 0
    assert written.out == (
        "wrote .icrun-baseline.json: 1 finding in 1 entry; icrun lint now fails only on new "
        "findings\n"
    )
    data = json.loads((repo / ".icrun-baseline.json").read_text(encoding="utf-8"))
    (entry,) = data["findings"]
    assert (entry["path"], entry["rule"], entry["count"]) == (
        "runbooks/old.yaml",
        "cadence-stakeholder-max",
        1,
    )
    assert len(entry["fingerprint"]) == 64
    hidden = lint()
    assert (hidden.code, hidden.out) == (
        0,
        f"2 files checked: {CLEAN_SUMMARY}; 1 hidden by the baseline\n",
    )
    summary = json.loads(lint("-f", "json").out)["summary"]
    assert (summary["errors"], summary["hidden"]) == (0, 1)
    shown = lint("--no-baseline")
    assert shown.code == 1
    assert "[cadence-stakeholder-max]" in shown.out


def test_the_match_does_not_depend_on_line_numbers(lint, repo: Path) -> None:
    lint("--write-baseline")
    old = repo / "runbooks" / "old.yaml"
    old.write_text("# a comment\n# and another\n" + old.read_text("utf-8"), encoding="utf-8")
    assert lint().out.endswith("; 1 hidden by the baseline\n")


def test_new_findings_fail_as_usual(lint, repo: Path) -> None:
    lint("--write-baseline")
    new = repo / "runbooks" / "new.yaml"
    new.write_text(new.read_text("utf-8").replace(*SLOW), encoding="utf-8")
    result = lint()
    assert result.code == 1
    assert "runbooks/new.yaml:" in result.out
    assert "runbooks/old.yaml:" not in result.out
    assert result.out.endswith("1 error, 0 warnings, 0 info; 1 hidden by the baseline\n")


def test_an_entry_hides_as_many_findings_as_it_counts(lint, repo: Path) -> None:
    lint("--write-baseline")
    old = repo / "runbooks" / "old.yaml"
    text = old.read_text("utf-8")
    # the same line text again (another severity's cadence): one more finding of the same print
    old.write_text(text.replace(*SECOND), "utf-8")
    result = lint()
    assert result.code == 1
    assert result.out.count("[cadence-stakeholder-max]") == 1  # one hidden, one shown


def test_a_stale_entry_is_reported_where_it_is(lint, repo: Path) -> None:
    lint("--write-baseline")
    old = repo / "runbooks" / "old.yaml"
    old.write_text(old.read_text("utf-8").replace(SLOW[1], SLOW[0]), encoding="utf-8")
    result = lint()
    assert result.code == 0  # a warning
    assert result.out.splitlines() == [
        ".icrun-baseline.json:4:1: warning [baseline-stale] baseline entry for "
        "runbooks/old.yaml [cadence-stakeholder-max] matches no finding any more: shrink the "
        "baseline with: icrun lint --write-baseline",
        "2 files checked: 0 errors, 1 warning, 0 info",
    ]
    assert lint("--fail-on", "warning").code == 1
    lint("--write-baseline")
    assert lint("--fail-on", "warning").out == f"2 files checked: {CLEAN_SUMMARY}\n"


def test_a_count_that_shrank_is_stale_too(lint, repo: Path) -> None:
    old = repo / "runbooks" / "old.yaml"
    twice = old.read_text("utf-8").replace(*SECOND)
    old.write_text(twice, encoding="utf-8")
    lint("--write-baseline")
    assert '"count": 2' in (repo / ".icrun-baseline.json").read_text(encoding="utf-8")
    old.write_text(twice.replace(*reversed(SECOND)), "utf-8")
    assert "counts 2 findings and 1 remain" in lint().out


def test_linting_some_files_neither_reports_nor_drops_the_others(lint, repo: Path) -> None:
    lint("--write-baseline")
    before = (repo / ".icrun-baseline.json").read_bytes()
    only_new = lint("runbooks/new.yaml", "--fail-on", "warning")
    assert (only_new.code, only_new.out) == (0, f"1 file checked: {CLEAN_SUMMARY}\n")
    assert lint("--write-baseline", "runbooks/new.yaml").code == 0
    assert (repo / ".icrun-baseline.json").read_bytes() == before  # old.yaml's entry is kept


def test_the_file_is_sorted_and_byte_identical_when_nothing_changed(lint, repo: Path) -> None:
    for name in ("b", "a"):
        (repo / "runbooks" / f"{name}.yaml").write_text(
            distinct(CLEAN, name).replace(*SLOW), encoding="utf-8"
        )
    lint("--write-baseline")
    first = (repo / ".icrun-baseline.json").read_bytes()
    lint("--write-baseline")
    assert (repo / ".icrun-baseline.json").read_bytes() == first
    lines = first.decode().splitlines()
    rows = [json.loads(line.strip().rstrip(",")) for line in lines[3:-2]]
    assert [row["path"] for row in rows] == [
        "runbooks/a.yaml",
        "runbooks/b.yaml",
        "runbooks/old.yaml",
    ]
    assert (lines[:3], lines[-2:]) == (["{", '  "version": 1,', '  "findings": ['], ["  ]", "}"])


def test_the_config_and_the_command_line_choose_the_file(lint, repo: Path) -> None:
    (repo / ".icrun.yaml").write_text(
        "paths: [runbooks]\nbaseline: ci/known.json\n", encoding="utf-8"
    )
    (repo / "ci").mkdir()
    assert lint("--write-baseline").out.startswith("wrote ci/known.json: 1 finding")
    assert lint().code == 0
    assert lint("--write-baseline", "--baseline", "other.json").code == 0
    assert lint("--baseline", "other.json").code == 0
    missing = lint("--baseline", "nowhere.json")
    assert (missing.code, missing.err) == (
        2,
        "icrun: error: baseline file 'nowhere.json' not found; write it with: icrun lint "
        "--write-baseline --baseline nowhere.json\n",
    )
    (repo / "broken.json").write_text('{"version": 1, "findings": [{"path": 3}]}', "utf-8")
    broken = lint("--baseline", "broken.json")
    assert broken.code == 2
    assert broken.err.startswith("icrun: error: broken.json: baseline entry")
    for clash in (["--write-baseline"], ["--baseline", "other.json"]):
        both = lint(*clash, "--no-baseline")
        assert both.code == 2
        assert "cannot be used together" in both.err
    report = lint("--write-baseline", "-f", "json")
    assert report.code == 2
    assert "leave out --format" in report.err


def test_stale_entries_can_be_turned_off(lint, repo: Path) -> None:
    lint("--write-baseline")
    (repo / "runbooks" / "old.yaml").write_text(distinct(CLEAN, "old"), encoding="utf-8")
    (repo / ".icrun.yaml").write_text(
        "paths: [runbooks]\nrules: {baseline-stale: off}\n", encoding="utf-8"
    )
    assert lint("--fail-on", "info").out == f"2 files checked: {CLEAN_SUMMARY}\n"


def test_inherited_findings_are_entries_of_each_runbook(icrun_process, tmp_path: Path) -> None:
    """A policy's finding counts once per runbook that inherits it, so baselines written or
    checked over some files only stay right (pre-commit passes the changed files)."""
    assert icrun_process("init", str(tmp_path), "--policy").code == 0
    runbooks = tmp_path / "runbooks"
    starter = runbooks / "my-service-bad-deploy.yaml"
    for name in ("s1", "s2", "s3"):
        text = starter.read_text("utf-8").replace("my-service-bad-deploy", name)
        (runbooks / f"{name}.yaml").write_text(text.replace("MyService", name), "utf-8")
    starter.unlink()
    policy = runbooks / "policy.yaml"
    policy.write_text(
        policy.read_text("utf-8").replace("\n  max_shift: 8h", "\n  max_shift: 20h"), "utf-8"
    )

    def lint(*args: str) -> Result:
        result: Result = icrun_process("lint", *args, cwd=tmp_path)
        return result

    assert lint("--write-baseline").out.startswith("wrote .icrun-baseline.json: 3 findings in 3 ")
    before = (tmp_path / ".icrun-baseline.json").read_bytes()
    assert lint("--write-baseline", "runbooks/s1.yaml").code == 0
    assert (tmp_path / ".icrun-baseline.json").read_bytes() == before
    some = lint("runbooks/policy.yaml", "runbooks/s1.yaml", "--fail-on", "warning")
    assert (some.code, some.out) == (
        0,
        f"4 files checked: {CLEAN_SUMMARY}; 3 hidden by the baseline\n",
    )  # the policy named alone brings its runbooks
    assert lint("--fail-on", "warning").out.endswith("; 3 hidden by the baseline\n")


def test_rules_not_in_force_are_neither_stale_nor_dropped(lint, repo: Path) -> None:
    lint("--write-baseline")
    before = (repo / ".icrun-baseline.json").read_bytes()
    ignored = lint("--ignore", "cadence-stakeholder-max", "--fail-on", "warning")
    assert (ignored.code, ignored.out) == (0, f"2 files checked: {CLEAN_SUMMARY}\n")
    assert lint("--write-baseline", "--select", "links-https").code == 0
    assert (repo / ".icrun-baseline.json").read_bytes() == before


def test_a_file_that_does_not_parse_is_never_baselined(lint, repo: Path) -> None:
    (repo / "runbooks" / "broken.yaml").write_text("steps: [\n", encoding="utf-8")
    assert lint("--write-baseline").out.startswith("wrote .icrun-baseline.json: 1 finding")
    result = lint()
    assert result.code == 1
    assert "[syntax]" in result.out


def test_the_library_counts_what_a_baseline_hid(repo: Path, lint, monkeypatch) -> None:
    from icrunbook.api import lint_paths
    from icrunbook.baseline import Baseline

    lint("--write-baseline")
    monkeypatch.chdir(repo)
    baseline = Baseline.read(".icrun-baseline.json")
    first = lint_paths(["runbooks"], baseline=baseline)
    again = lint_paths(["runbooks"], baseline=baseline)
    assert (first.hidden, again.hidden) == (1, 1)
    assert first.diagnostics == again.diagnostics == []
