"""Policies (runbook-format.md, "Policy"): the merge, diagnostics that name the policy file and
line in every format, the cache keyed on the policy's bytes, render and the incident engine on
the merged runbook, and one clear line for each way a policy reference can be wrong."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import CLEAN, distinct, one_line_error

from icrunbook.policy import lay

pytestmark = pytest.mark.usefixtures("reproducible")

SHARED = ("severities", "roles", "communications", "handoff", "postmortem")
HEADER = {"apiVersion": "icrunbook/v1", "kind": "Policy", "metadata": {"name": "acme"}}


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def split_example(folder: Path, **policy_changes: Any) -> tuple[Path, Path]:
    """The clean example split in two: ``policy.yaml`` with its shared sections, and
    ``web.yaml`` naming it with everything else (escalation stays the runbook's own)."""
    data = yaml.safe_load(CLEAN)
    policy = {**HEADER, **{key: data.pop(key) for key in SHARED}, **policy_changes}
    runbook = {"apiVersion": data.pop("apiVersion"), "kind": data.pop("kind")}
    runbook |= {"metadata": data.pop("metadata"), "policy": "policy.yaml", **data}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "policy.yaml").write_text(_dump(policy), encoding="utf-8")
    (folder / "web.yaml").write_text(_dump(runbook), encoding="utf-8")
    return folder / "policy.yaml", folder / "web.yaml"


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def write_config(folder: Path, text: str) -> None:
    """A config written after an in-process run: the run's remembered lookups are forgotten."""
    from icrunbook.config import find_config, load_config

    (folder / ".icrun.yaml").write_text(text, encoding="utf-8")
    find_config.cache_clear()
    load_config.cache_clear()


# --- the merge --------------------------------------------------------------------------------


def test_maps_merge_by_name_and_a_runbook_entry_replaces_the_policys_whole() -> None:
    policy = {
        "severities": {"SEV1": {"description": "Down", "page": ["ic"]}, "SEV2": {"x": 1}},
        "roles": {"ic": {"title": "IC"}},
        "communications": {"channel": "#incidents", "templates": {"initial": "a", "update": "b"}},
        "handoff": {"max_shift": "4h", "brief": ["state"]},
    }
    runbook = {
        "kind": "Runbook",
        "policy": "policy.yaml",
        "severities": {"SEV2": {"description": "Slow"}, "SEV4": {"description": "Minor"}},
        "communications": {"channel": "#inc-web", "templates": {"update": "mine"}},
        "handoff": {"max_shift": "2h"},
    }
    merged, inherited = lay(policy, runbook)
    assert list(merged["severities"]) == ["SEV1", "SEV2", "SEV4"]  # the policy's order first
    assert merged["severities"]["SEV2"] == {"description": "Slow"}  # whole, not key by key
    assert merged["roles"] == policy["roles"]
    assert merged["communications"] == {
        "channel": "#inc-web",
        "templates": {"initial": "a", "update": "mine"},
    }
    assert merged["handoff"] == {"max_shift": "2h"}  # other keys are replaced whole
    assert "policy" not in merged  # the merged document is checked as a runbook on its own
    assert inherited == {
        ("severities", "SEV1"),
        ("roles",),
        ("communications", "templates", "initial"),
    }


def test_a_policy_cannot_set_what_is_a_runbooks_own() -> None:
    merged, inherited = lay({"steps": [1], "metadata": {"name": "p"}}, {"metadata": {"name": "r"}})
    assert merged == {"metadata": {"name": "r"}}
    assert inherited == set()


# --- lint -------------------------------------------------------------------------------------


def test_an_example_split_into_a_policy_lints_clean(icrun_process, tmp_path: Path) -> None:
    split_example(tmp_path)
    result = icrun_process("lint", str(tmp_path), "--fail-on", "info")
    assert (result.code, result.out) == (0, "2 files checked: 0 errors, 0 warnings, 0 info\n")


def test_a_finding_on_an_inherited_node_names_the_policy_file_and_line(
    icrun_process, tmp_path: Path
) -> None:
    policy, _ = split_example(tmp_path)
    edit(policy, "stakeholder_update: 2h", "stakeholder_update: 9h")
    line = line_of(policy, "stakeholder_update: 9h")
    result = icrun_process("lint", ".", "--no-cache", cwd=tmp_path)
    assert result.code == 1
    assert (
        f"policy.yaml:{line}:25: error [cadence-stakeholder-max] stakeholder_update 9h is "
        "longer than 4h: the bound for this severity level (inherited by web.yaml)"
    ) in result.out.splitlines()

    as_json = json.loads(icrun_process("lint", ".", "-f", "json", cwd=tmp_path).out)
    assert {(d["path"], d["line"]) for d in as_json["diagnostics"]} == {("policy.yaml", line)}
    sarif = json.loads(icrun_process("lint", ".", "-f", "sarif", cwd=tmp_path).out)
    (found,) = sarif["runs"][0]["results"]
    place = found["locations"][0]["physicalLocation"]
    assert place["artifactLocation"]["uri"].endswith("policy.yaml")
    assert place["region"]["startLine"] == line
    github = icrun_process("lint", ".", "-f", "github", cwd=tmp_path).out
    assert f"::error file=policy.yaml,line={line}," in github  # no git repo: the working folder
    gitlab = json.loads(icrun_process("lint", ".", "-f", "gitlab", cwd=tmp_path).out)
    assert [issue["location"]["path"].endswith("policy.yaml") for issue in gitlab] == [True]
    assert [issue["location"]["lines"]["begin"] for issue in gitlab] == [line]
    junit = icrun_process("lint", ".", "-f", "junit", cwd=tmp_path).out
    assert 'classname="policy.yaml"' in junit
    assert f"policy.yaml:{line}:25" in junit


def test_a_runbook_may_not_slow_the_policys_cadence(icrun_process, tmp_path: Path) -> None:
    policy, runbook = split_example(tmp_path)
    edit(
        runbook,
        "policy: policy.yaml\n",
        "policy: policy.yaml\nseverities:\n  SEV1:\n    description: Down\n"
        "    internal_update: 5m\n    stakeholder_update: 25m\n",
    )
    result = icrun_process("lint", ".", cwd=tmp_path)
    floor = line_of(policy, "stakeholder_update: 15m")
    assert result.code == 1
    assert (
        f"web.yaml:{line_of(runbook, 'stakeholder_update: 25m')}:25: error "
        "[policy-cadence-floor] stakeholder_update 25m is slower than the policy's 15m "
        f"(policy.yaml:{floor}): a runbook may update more often than its policy, not less"
    ) in result.out
    edit(runbook, "stakeholder_update: 25m", "stakeholder_update: 10m")  # tighter is fine
    assert icrun_process("lint", ".", cwd=tmp_path).code == 0


def test_the_configs_policy_applies_and_a_runbooks_own_wins(icrun, tmp_path: Path) -> None:
    _, runbook = split_example(tmp_path)
    edit(runbook, "policy: policy.yaml\n", "")
    missing = icrun("lint", str(runbook))
    assert missing.code == 1
    assert "missing required key 'severities'" in missing.out
    write_config(tmp_path, "policy: policy.yaml\n")
    assert icrun("lint", str(runbook)).out.endswith(": 0 errors, 0 warnings, 0 info\n")

    other = yaml.safe_load((tmp_path / "policy.yaml").read_text(encoding="utf-8"))
    other["severities"]["SEV1"]["stakeholder_update"] = "20m"
    (tmp_path / "strict").mkdir()
    (tmp_path / "strict" / "policy.yaml").write_text(_dump(other), encoding="utf-8")
    edit(runbook, "metadata:", "policy: strict/policy.yaml\nmetadata:")
    text = runbook.read_text(encoding="utf-8")
    assert icrun("lint", str(runbook)).code == 0
    runbook.write_text(text.replace("strict/policy.yaml", "policy.yaml"), encoding="utf-8")
    assert icrun("lint", str(runbook)).code == 0


def test_the_merged_runbook_must_meet_the_schema(icrun, tmp_path: Path) -> None:
    policy, runbook = split_example(tmp_path)
    data = yaml.safe_load(policy.read_text(encoding="utf-8"))
    del data["roles"]
    policy.write_text(_dump(data), encoding="utf-8")
    result = icrun("validate", str(runbook))
    assert result.code == 1
    assert "is missing required key 'roles'" in result.out
    assert icrun("validate", str(policy)).code == 0  # the policy alone may leave roles out


def test_inline_suppressions_and_inherited_findings(icrun, tmp_path: Path) -> None:
    policy, runbook = split_example(tmp_path)
    edit(policy, "stakeholder_update: 2h", "stakeholder_update: 9h")
    edit(
        runbook,
        "policy: policy.yaml",
        "policy: policy.yaml  # icrun: disable=cadence-stakeholder-max",
    )
    line_disable = icrun("lint", str(runbook))
    assert "[cadence-stakeholder-max]" in line_disable.out  # a line comment cannot reach it
    edit(runbook, "# icrun: disable=", "# icrun: disable-file=")
    assert icrun("lint", str(runbook)).code == 0  # disable-file covers the whole runbook


def test_the_cache_knows_the_policys_content(
    icrun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ICRUN_NO_CACHE")
    monkeypatch.setenv("ICRUN_CACHE_DIR", str(tmp_path / "cache"))
    policy, runbook = split_example(tmp_path / "rb")
    assert icrun("lint", str(runbook)).code == 0
    assert icrun("lint", str(runbook)).code == 0  # from the cache
    edit(policy, "stakeholder_update: 2h", "stakeholder_update: 9h")
    assert "[cadence-stakeholder-max]" in icrun("lint", str(runbook)).out
    edit(policy, "stakeholder_update: 9h", "stakeholder_update: 2h")
    assert icrun("lint", str(runbook)).code == 0


# --- one clear line for each mistake ----------------------------------------------------------


def test_a_missing_policy_is_one_clear_line(icrun_process, tmp_path: Path) -> None:
    policy, runbook = split_example(tmp_path)
    policy.unlink()
    at = f"web.yaml:{line_of(runbook, 'policy: policy.yaml')}:9"
    one_line_error(icrun_process("lint", str(runbook)), at, "policy 'policy.yaml' not found")
    policy.mkdir()
    one_line_error(icrun_process("lint", str(runbook)), at, "is a folder, not a policy file")
    write_config(tmp_path, "policy: nowhere.yaml\n")
    one_line_error(icrun_process("lint", str(runbook)), ".icrun.yaml:1:9", "'nowhere.yaml'")


def test_a_policy_naming_a_policy_is_one_clear_line(icrun, tmp_path: Path) -> None:
    policy, runbook = split_example(tmp_path)
    edit(policy, "kind: Policy\n", "kind: Policy\npolicy: base.yaml\n")
    one_line_error(icrun("lint", str(runbook)), "policy.yaml:3:1", "may not name a policy")


def test_a_cycle_is_one_clear_line(icrun, tmp_path: Path) -> None:
    _, runbook = split_example(tmp_path)
    edit(runbook, "policy: policy.yaml", "policy: web.yaml")
    at = f"web.yaml:{line_of(runbook, 'policy: web.yaml')}:9"
    one_line_error(icrun("lint", str(runbook)), at, f"'web.yaml' is {runbook} itself (a cycle)")
    other = tmp_path / "other.yaml"
    other.write_text(CLEAN.replace("metadata:", "policy: web.yaml\nmetadata:", 1), "utf-8")
    edit(runbook, "policy: web.yaml", "policy: other.yaml")
    one_line_error(
        icrun("lint", str(runbook)), "is not a policy (kind: Runbook", "in turn (a cycle)"
    )


def test_what_breaks_the_schema_in_a_policy_is_a_finding_at_its_line(icrun, tmp_path: Path) -> None:
    policy, runbook = split_example(tmp_path)
    edit(policy, "stakeholder_update: 2h", "stakeholder_update: soon")
    edit(policy, "kind: Policy\n", "kind: Policy\nsteps: []\n")  # no runbook takes steps
    line = line_of(policy, "stakeholder_update: soon")
    result = icrun("lint", str(runbook))
    assert result.code == 1
    assert f"policy.yaml:{line}:25: error [schema]" in result.out
    assert "(inherited by" in result.out
    assert "steps" not in result.out
    alone = icrun("validate", str(policy))  # checked on its own, the policy shows both
    assert alone.code == 1
    assert "unknown key 'steps'" in alone.out


def test_the_policy_schema_is_printed_and_checks_policies(icrun) -> None:
    printed = json.loads(icrun("schema", "policy").out)
    assert printed["properties"]["kind"]["const"] == "Policy"
    assert set(printed["properties"]) >= {"metadata", *SHARED, "escalation"}


# --- render and the incident engine use the merged runbook ------------------------------------


def test_render_prints_the_merged_runbook_and_skips_the_policy(icrun, tmp_path: Path) -> None:
    policy, runbook = split_example(tmp_path)
    edit(policy, "title: Scribe", "title: Scribe (from the policy)")
    printed = icrun("render", str(runbook), "-f", "txt")
    assert printed.code == 0
    assert "Scribe (from the policy)" in printed.out
    assert "[ ] SEV1 [ ] SEV2 [ ] SEV3" in printed.out
    assert "Policy:        acme" in printed.out  # which policy the printout embodies
    out = tmp_path / "out"
    assert icrun("render", str(tmp_path), "-f", "md", "-o", f"{out}/").code == 0
    assert [path.name for path in out.iterdir()] == ["web-api-bad-deploy.md"]
    one_line_error(icrun("render", str(policy)), "cannot render a Policy")


def test_an_incident_keeps_the_policy_it_ran_under(
    icrun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy, runbook = split_example(tmp_path / "rb")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ICRUN_NOW", "2026-12-02T14:00:00Z")
    monkeypatch.setenv("ICRUN_ACTOR", "dana")
    started = icrun("incident", "start", str(runbook), "--severity", "SEV1")
    assert started.code == 0, started
    (folder,) = (tmp_path / "incidents").iterdir()
    assert (folder / "policy.yaml").read_bytes() == policy.read_bytes()
    first = json.loads((folder / "events.jsonl").read_text(encoding="utf-8").splitlines()[0])
    import hashlib

    assert first["policy_sha256"] == hashlib.sha256(policy.read_bytes()).hexdigest()
    policy.unlink()  # the original may change or go: the incident reads its copy
    monkeypatch.setenv("ICRUN_NOW", "2026-12-02T14:01:00Z")
    status = icrun("incident", "status")
    assert status.code == 0, status
    assert "Scribe" in status.out
    assert "stakeholder update (due 14:15 UTC)" in status.out
    exported = icrun("incident", "export", "-f", "md")
    assert exported.code == 0, exported
    assert f"sha256 {first['policy_sha256'][:12]}" in exported.out


# --- init --policy ----------------------------------------------------------------------------


def test_init_policy_writes_a_policy_the_starter_runbook_stands_on(
    icrun_process, tmp_path: Path
) -> None:
    result = icrun_process("init", str(tmp_path), "--policy")
    assert result.code == 0, result.err
    policy = (tmp_path / "runbooks" / "policy.yaml").read_text(encoding="utf-8")
    runbook = (tmp_path / "runbooks" / "my-service-bad-deploy.yaml").read_text(encoding="utf-8")
    assert policy.startswith("# yaml-language-server: $schema=../schemas/policy.schema.json\n")
    assert (tmp_path / "schemas" / "policy.schema.json").is_file()
    assert "\npolicy: policy.yaml\n" in runbook
    assert "my-service" not in policy  # the policy is every service's
    for key in ("severities", "roles", "communications", "handoff", "postmortem"):
        assert f"\n{key}:" in policy, key
        assert f"\n{key}:" not in runbook, key
    assert "\nsteps:" in runbook
    assert "\nsteps:" not in policy
    lint = icrun_process("lint", "--fail-on", "info", cwd=tmp_path)
    assert (lint.code, lint.out) == (0, "2 files checked: 0 errors, 0 warnings, 0 info\n")
    assert os.path.exists(tmp_path / ".icrun.yaml")


# --- corners met on the way -------------------------------------------------------------------


def test_a_runbooks_new_name_keeps_its_place_among_the_policys() -> None:
    policy = {"severities": {"SEV1": {"a": 1}, "SEV2": {"a": 2}, "SEV3": {"a": 3}}}
    runbook = {"severities": {"SEV0": {"a": 0}, "SEV1": {"a": 9}, "SEV4": {"a": 4}}}
    merged, _ = lay(policy, runbook)
    assert list(merged["severities"]) == ["SEV0", "SEV1", "SEV2", "SEV3", "SEV4"]


def test_a_policy_that_cannot_be_loaded_says_why(icrun, tmp_path: Path) -> None:
    policy, runbook = split_example(tmp_path)
    edit(policy, "kind: Policy\n", "kind: Policy\nseverities: [\n")
    one_line_error(icrun("lint", str(runbook)), "policy.yaml:", "cannot be loaded")


def test_a_policy_named_by_the_config_is_placed_in_the_config(icrun, tmp_path: Path) -> None:
    _, runbook = split_example(tmp_path)
    edit(runbook, "policy: policy.yaml\n", "")
    (tmp_path / "other.yaml").write_text(CLEAN, encoding="utf-8")
    write_config(tmp_path, "extends: recommended\npolicy: other.yaml\n")
    one_line_error(
        icrun("lint", str(runbook)), ".icrun.yaml:2:9: 'other.yaml' is not a policy (kind: Runbook"
    )


def test_the_policys_own_comments_silence_what_its_runbooks_inherit(icrun, tmp_path: Path) -> None:
    policy, _ = split_example(tmp_path)
    edit(
        policy,
        "stakeholder_update: 2h",
        "stakeholder_update: 9h  # icrun: disable=cadence-stakeholder-max",
    )
    result = icrun("lint", str(tmp_path), "--fail-on", "info")
    assert (result.code, result.out) == (0, "2 files checked: 0 errors, 0 warnings, 0 info\n")


def test_linting_a_policy_alone_lints_the_runbooks_standing_on_it(
    icrun_process, tmp_path: Path
) -> None:
    policy, _ = split_example(tmp_path / "runbooks")
    (tmp_path / "runbooks" / "alone.yaml").write_text(distinct(CLEAN, "alone"), "utf-8")
    edit(policy, "stakeholder_update: 2h", "stakeholder_update: 9h")
    result = icrun_process("lint", "runbooks/policy.yaml", cwd=tmp_path)  # what pre-commit runs
    assert result.code == 1
    assert result.out.endswith("2 files checked: 1 error, 0 warnings, 0 info\n")
    assert "(inherited by runbooks/web.yaml)" in result.out


def test_the_library_loads_a_runbook_laid_over_its_policy(tmp_path: Path) -> None:
    from icrunbook.api import load_file
    from icrunbook.loader import LoadLimits

    _, runbook = split_example(tmp_path)
    document = load_file(str(runbook))
    assert document.policy is not None
    assert "comms_lead" in document.data["roles"]
    assert document.origin(("roles", "comms_lead")) is document.policy
    tight = load_file(str(runbook), LoadLimits(max_bytes=100))
    assert [d.rule for d in tight.diagnostics] == ["syntax"]  # the limits given are kept
