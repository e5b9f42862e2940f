"""The one pipeline, end to end through the installed ``icrun``: structural checks no config can
drop, one config read the same way by every command, repository-wide rules, and the cases that
used to mislead (a file that is not a runbook, a value cut by a comment, a hanging pattern)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from conftest import CLEAN, distinct, runbook

from icrunbook import api
from icrunbook.loader import load_text

pytestmark = pytest.mark.usefixtures("reproducible")

BROKEN_YAML = "apiVersion: icrunbook/v1\nkind: Runbook\nmetadata: {name: x, title: X\n"
MISSING_KEYS = (
    "apiVersion: icrunbook/v1\nkind: Runbook\nmetadata: {name: x, title: X, service: s, owner: o}\n"
)
TEAM_RULES = """\
apiVersion: icrunbook/v1
kind: Ruleset
rules:
  service-name-style:
    description: Service names are kebab-case
    severity: warn
    given: $.metadata.service
    then: {function: pattern, functionOptions: {match: "^[a-z][a-z0-9-]*$"}}
"""
K8S = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 2}\n"
PRE_COMMIT = "repos:\n  - repo: https://github.com/x/y\n    rev: v1\n    hooks: [{id: z}]\n"


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def rules_of(out: str) -> list[str]:
    return [line.split("[", 1)[1].split("]", 1)[0] for line in out.splitlines() if "[" in line]


# --- structural stages cannot vanish ------------------------------------------------------------


def test_a_config_extending_only_a_team_ruleset_keeps_syntax_and_schema(icrun_process, tmp_path):
    project = write(
        tmp_path,
        {
            ".icrun.yaml": "extends: ./team-rules.yaml\n",
            "team-rules.yaml": TEAM_RULES,
            "runbooks/broken.yaml": BROKEN_YAML,
            "runbooks/missing.yaml": MISSING_KEYS,
        },
    )
    linted = icrun_process("lint", "-q", cwd=project)
    validated = icrun_process("validate", "-q", cwd=project)
    assert linted.code == validated.code == 1
    assert rules_of(linted.out) == rules_of(validated.out) == ["syntax"] + ["schema"] * 4


@pytest.mark.parametrize(
    ("config", "line_col"),
    [
        ("rules: {schema: off}\n", "1:9"),
        ("rules:\n  duplicate-key: warning\n", "2:3"),
        ("overrides:\n  - files: ['**']\n    rules: {not-a-runbook: off}\n", "3:13"),
        ("rules:\n  syntax: {given: $, then: {function: truthy}, description: mine}\n", "2:3"),
    ],
)
def test_a_config_that_drops_a_structural_stage_is_exit_2_at_its_line(
    icrun_process, tmp_path, config, line_col
):
    project = write(tmp_path, {".icrun.yaml": config, "runbooks/a.yaml": CLEAN})
    result = icrun_process("lint", cwd=project)
    assert result.code == 2
    assert result.err.startswith(f"icrun: error: {project / '.icrun.yaml'}:{line_col}: '")
    assert "is a structural check" in result.err
    assert "exclude" in result.err
    assert result.err.count("\n") == 1


def test_ignoring_a_structural_stage_is_refused_but_globs_leave_it_on(icrun_process, tmp_path):
    project = write(tmp_path, {"runbooks/broken.yaml": BROKEN_YAML})
    refused = icrun_process("lint", "--ignore", "schema", cwd=project)
    assert refused.code == 2
    assert "'schema' is a structural check" in refused.err
    for option in (["--ignore", "*"], ["--select", "comms-*"]):
        result = icrun_process("lint", "-q", *option, cwd=project)
        assert result.code == 1, option
        assert rules_of(result.out) == ["syntax"], option


def test_syntax_cannot_be_suppressed_inline(icrun_process, tmp_path):
    project = write(tmp_path, {"runbooks/b.yaml": "# icrun: disable-file=syntax\n" + BROKEN_YAML})
    result = icrun_process("lint", "-q", cwd=project)
    assert rules_of(result.out) == ["unused-suppression", "syntax"]  # line 1, then line 5


# --- one config, every command -------------------------------------------------------------------


def test_validate_honours_exclude_paths_and_max_file_size(icrun_process, tmp_path):
    config = "exclude: ['books/drafts/**']\npaths: [books]\nmax_file_size: 200\n"
    project = write(
        tmp_path,
        {
            ".icrun.yaml": config,
            "books/drafts/broken.yaml": BROKEN_YAML,
            "books/big.yaml": CLEAN,
        },
    )
    for command in ("validate", "lint"):
        result = icrun_process(command, "-q", cwd=project)
        assert result.out.startswith("books/big.yaml:1:1: error [syntax] file is"), command
        assert "over the 200-byte limit" in result.out
        assert "drafts" not in result.out


def test_lint_with_no_path_prints_paths_relative_to_the_working_folder(icrun_process, tmp_path):
    project = write(
        tmp_path,
        {
            ".icrun.yaml": "paths: [books]\n",
            "books/slow.yaml": runbook(("internal_update: 15m", "internal_update: 40m")),
        },
    )
    result = icrun_process("lint", cwd=project)
    assert result.out.startswith("books/slow.yaml:"), result.out
    nested = icrun_process("lint", cwd=project / "books")
    assert nested.out.startswith("slow.yaml:"), nested.out  # the config's folder is "." here


def test_rules_shows_the_catalog_in_force(icrun_process, tmp_path):
    config = (
        "extends: [recommended, ./team-rules.yaml]\n"
        "rules:\n  scribe-recommended: error\n"
        "  cadence-internal-max: {options: {max: 10m}}\n"
    )
    project = write(tmp_path, {".icrun.yaml": config, "team-rules.yaml": TEAM_RULES})
    table = icrun_process("rules", cwd=project)
    assert table.code == 0
    listed = {line.split()[0]: line.split()[1:4] for line in table.out.splitlines()[1:]}
    assert listed["service-name-style"] == ["warning", "custom", "team-rules.yaml"]
    assert listed["scribe-recommended"][0] == "error"
    assert listed["schema"][0] == "error"
    page = icrun_process("rules", "cadence-internal-max", cwd=project)
    assert "default `15m`, now `10m`" in page.out
    custom = icrun_process("rules", "service-name-style", cwd=project)
    assert custom.code == 0
    assert custom.out.startswith("## service-name-style\n")
    elsewhere = icrun_process(
        "rules", "service-name-style", "--config", str(project / ".icrun.yaml")
    )
    assert elsewhere.code == 0, elsewhere.err
    assert icrun_process("rules", "service-name-style").code == 2  # not in the default config


# --- repository-wide rules -----------------------------------------------------------------------


def test_two_runbooks_sharing_a_name_fail_lint_as_render_refuses_them(icrun_process, tmp_path):
    project = write(tmp_path, {"runbooks/a.yaml": CLEAN, "runbooks/b.yaml": CLEAN})
    result = icrun_process("lint", "-q", "--select", "duplicate-*", cwd=project)
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0].startswith("runbooks/a.yaml:5:9: error [duplicate-runbook-name]")
    assert "also the name of runbooks/b.yaml" in lines[0]
    assert [line.split(":")[0] for line in lines].count("runbooks/b.yaml") == 4
    assert sum("[duplicate-trigger]" in line and "also opens" in line for line in lines) == 6
    rendered = icrun_process("render", "runbooks", "-f", "md", "-o", "out/", cwd=project)
    assert rendered.code == 2
    assert "also the name of" in rendered.err


def test_repository_rules_see_cached_files_and_workers(icrun_process, tmp_path, monkeypatch):
    monkeypatch.delenv("ICRUN_NO_CACHE")
    files = {f"runbooks/r{i:02}.yaml": distinct(CLEAN, f"r{i:02}") for i in range(20)}
    files["runbooks/twin.yaml"] = distinct(CLEAN, "r07")
    project = write(tmp_path, files)
    runs = [
        icrun_process("lint", "-q", "-j1", cwd=project),
        icrun_process("lint", "-q", "-j2", cwd=project),  # from the cache, in full
        icrun_process("lint", "-q", "-j2", "--no-cache", cwd=project),  # workers
    ]
    assert (project / ".icrun_cache").is_dir()
    assert runs[0].out == runs[1].out == runs[2].out
    assert "runbooks/r07.yaml:5:9: error [duplicate-runbook-name]" in runs[0].out
    assert "also the name of runbooks/twin.yaml" in runs[0].out
    (project / "runbooks/twin.yaml").unlink()  # the cached r07 no longer has a twin
    assert icrun_process("lint", "-q", cwd=project).out == ""


def test_a_repository_finding_can_be_suppressed_and_uses_the_suppression(icrun_process, tmp_path):
    twin = CLEAN.replace(
        "  name: web-api-bad-deploy\n",
        "  name: web-api-bad-deploy  # icrun: disable=duplicate-runbook-name\n",
    )
    project = write(tmp_path, {"runbooks/a.yaml": distinct(CLEAN, "a").replace("-a\n", "\n", 1)})
    write(project, {"runbooks/b.yaml": distinct(twin, "b").replace("deploy-b ", "deploy ")})
    result = icrun_process("lint", "-q", cwd=project)
    assert rules_of(result.out) == ["duplicate-runbook-name"]
    assert result.out.startswith("runbooks/a.yaml:")


# --- files that are not runbooks, values cut short -----------------------------------------------


@pytest.mark.parametrize(
    "text", [K8S, PRE_COMMIT, "apiVersion: v1\nkind: Service\n---\napiVersion: v1\nkind: Pod\n"]
)
def test_a_file_that_is_not_a_runbook_gets_one_line(icrun_process, tmp_path, text):
    project = write(tmp_path, {"runbooks/other.yaml": text + "x: {a: 1, a: 2}\n"})
    for command in ("lint", "validate"):
        result = icrun_process(command, "-q", cwd=project)
        assert result.code == 1
        assert rules_of(result.out) == ["not-a-runbook"], result.out
        assert "exclude" in result.out


def test_a_plain_value_cut_by_a_comment_is_reported(icrun_process, tmp_path):
    cut = runbook(
        (
            "action: Confirm a web-api deploy finished within 30 minutes before",
            "action: Scale out before #partitions=24 goes up; confirm a web-api deploy finished"
            " within 30 minutes before",
        )
    )
    project = write(tmp_path, {"runbooks/cut.yaml": cut})
    result = icrun_process("lint", "-q", cwd=project)
    assert rules_of(result.out) == ["value-cut-by-comment"], result.out
    assert "the value ends at 'Scale out before'" in result.out
    assert "YAML reads '#partitions=24 goes up" in result.out


# --- one mistake, one report ---------------------------------------------------------------------


def test_a_misspelt_key_is_reported_once_with_a_did_you_mean(icrun_process, tmp_path):
    project = write(
        tmp_path, {"runbooks/a.yaml": CLEAN.replace("    timebox: 10m\n", "    timbox: 10m\n", 1)}
    )
    result = icrun_process("lint", "-q", cwd=project)
    assert rules_of(result.out) == ["schema"]
    assert "unknown key 'timbox'" in result.out
    assert "did you mean 'timebox'?" in result.out


def test_a_template_variable_typo_gets_a_did_you_mean_and_one_report(icrun_process, tmp_path):
    typo = CLEAN.replace("{{ impact }}", "{{ impcat }}", 1)
    project = write(tmp_path, {"runbooks/a.yaml": typo})
    result = icrun_process("lint", "-q", cwd=project)
    assert rules_of(result.out) == ["comms-template-valid"], result.out
    assert "uses undeclared variable 'impcat' — did you mean 'impact'?" in result.out


# --- bounded user patterns -----------------------------------------------------------------------


def test_a_catastrophic_user_pattern_is_one_error_not_a_hang(icrun_process, tmp_path):
    rule = TEAM_RULES.replace("^[a-z][a-z0-9-]*$", "^(a|a)+$")
    slow = CLEAN.replace("service: web-api", "service: " + "a" * 40 + "!", 1)
    project = write(
        tmp_path,
        {".icrun.yaml": "extends: ./team-rules.yaml\n", "team-rules.yaml": rule, "r/a.yaml": slow},
    )
    started = time.monotonic()
    result = icrun_process("lint", "r", cwd=project)
    assert time.monotonic() - started < 30  # a bound for the test itself, not a benchmark
    assert result.code == 2
    assert result.err.startswith("icrun: error: r/a.yaml:")
    assert "rule 'service-name-style'" in result.err
    assert "^(a|a)+$" in result.err
    assert result.err.count("\n") == 1


# --- Spectral's spellings ------------------------------------------------------------------------


def test_spectral_key_field_flags_and_default_message(icrun_process, tmp_path):
    rules = """\
rules:
  role-ids-short:
    description: Role ids are short
    given: $.roles
    then: {field: "@key", function: pattern, functionOptions: {match: "^.{1,5}$"}}
  service-lowercase:
    description: Service is lowercase
    severity: hint
    given: $.metadata.service
    then: {function: pattern, functionOptions: {notMatch: "/WEB/i"}}
"""
    project = write(tmp_path, {".icrun.yaml": rules, "runbooks/a.yaml": CLEAN})
    result = icrun_process("lint", "-q", "--select", "role-*,service-*", "-f", "json", cwd=project)
    found = json.loads(result.out)["diagnostics"]
    keys = [(d["rule"], d["severity"], d["message"]) for d in found]
    assert ("service-lowercase", "info", "Service is lowercase") in keys
    long_ids = [d for d in found if d["rule"] == "role-ids-short"]
    assert long_ids
    assert all(d["message"] == "Role ids are short" for d in long_ids)
    comms_line = next(i for i, line in enumerate(CLEAN.splitlines(), 1) if "  deputy_ic:" in line)
    assert any(d["line"] == comms_line and d["column"] == 3 for d in long_ids)  # at the key


# --- render's outputs and the library ------------------------------------------------------------


def test_render_to_standard_output(icrun_process, tmp_path):
    second = distinct(CLEAN, "two")
    project = write(tmp_path, {"runbooks/a.yaml": CLEAN, "runbooks/b.yaml": second})
    one = icrun_process("render", "runbooks/a.yaml", "-f", "md", "-o", "-", cwd=project)
    assert one.code == 0
    assert one.out.startswith("# ")
    assert not (project / "-").exists()
    both = icrun_process("render", "runbooks", "-f", "txt", cwd=project)
    assert both.code == 0, both.err
    assert both.out.count("Service:     web-api (owner ") == 2
    html = icrun_process("render", "runbooks", cwd=project)
    assert html.code == 2
    assert "give -o DIR/" in html.err
    assert "PDF" not in html.err


def test_the_library_lints_validates_and_renders(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"runbooks/a.yaml": CLEAN, "runbooks/b.yaml": CLEAN})
    assert {d.rule for d in api.lint_paths(["runbooks"]).diagnostics} == {
        "duplicate-runbook-name",
        "duplicate-trigger",
    }
    assert api.validate_paths(["runbooks"]).diagnostics == []
    assert api.lint_document(load_text(CLEAN, "a.yaml")) == []
    twins = [load_text(CLEAN, "a.yaml"), load_text(CLEAN, "b.yaml")]
    assert {d.path for d in api.lint_documents(twins)} == {"a.yaml", "b.yaml"}
    assert api.render("runbooks/a.yaml", "md").startswith(b"# ")


def test_junit_counts_test_cases_and_fails_only_at_the_fail_level(icrun_process, tmp_path):
    import xml.etree.ElementTree as ET

    project = write(tmp_path, {"runbooks/a.yaml": CLEAN, "runbooks/b.yaml": CLEAN})
    for fail_on, failures in (("error", 2), ("warning", 4)):
        result = icrun_process("lint", "-f", "junit", "--fail-on", fail_on, cwd=project)
        suite = ET.fromstring(result.out)[0]  # noqa: S314 - our own output
        assert (suite.get("tests"), suite.get("failures")) == ("4", str(failures)), fail_on
        for case in suite.iter("testcase"):
            assert len(case.findall("failure")) <= 1


@pytest.mark.parametrize(
    ("text", "advice"),
    [
        ("metadata:\n  title: Checkout: down\n", "put the whole value in quotes"),
        ("steps:\n  - id: a\n   - id: b\n", "line this item's '- ' up"),
        ("metadata:\n  name: a\n   title: b\n", None),
    ],
)
def test_indentation_mistakes_get_a_line_of_advice(icrun_process, tmp_path, text, advice):
    project = write(tmp_path, {"runbooks/a.yaml": "apiVersion: icrunbook/v1\n" + text})
    result = icrun_process("validate", "-q", cwd=project)
    lines = result.out.splitlines()
    assert len(lines) == 1
    assert "[syntax]" in lines[0]
    assert "; " in lines[0].split("[syntax] ", 1)[1]  # libyaml's words; then the advice
    if advice:
        assert advice in lines[0]


def test_results_held_for_the_repository_rules_spill_to_disk_unchanged(tmp_path, monkeypatch):
    from icrunbook.pipeline import runner

    files = {f"runbooks/r{i}.yaml": distinct(CLEAN, f"r{i}") for i in range(6)}
    files["runbooks/twin.yaml"] = distinct(CLEAN, "r3")
    write(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    in_memory = api.lint_paths(["runbooks"]).diagnostics
    monkeypatch.setattr(runner._Held, "IN_MEMORY", 2)
    spilled = api.lint_paths(["runbooks"]).diagnostics
    assert spilled == in_memory
    assert [d.line_text for d in spilled] == [d.line_text for d in in_memory]
    assert {d.rule for d in spilled} >= {"duplicate-runbook-name", "duplicate-trigger"}


def test_render_refuses_a_runbook_whose_schema_findings_are_suppressed(icrun_process, tmp_path):
    hidden = "# icrun: disable-file=schema\n" + CLEAN.replace("severities:", "severities_x:", 1)
    project = write(tmp_path, {"runbooks/a.yaml": hidden})
    result = icrun_process("render", "runbooks/a.yaml", "-f", "txt", cwd=project)
    assert result.code == 2
    assert "cannot render" in result.err
    assert result.err.count("\n") == 1


def test_a_pattern_in_a_jsonpath_filter_is_time_bounded_too(icrun_process, tmp_path):
    rules = (
        "rules:\n  slow-given:\n    description: x\n"
        "    given: \"$.metadata[?match(@, '(a|a)+')]\"\n    then: {function: truthy}\n"
    )
    slow = CLEAN.replace("service: web-api", "service: " + "a" * 40 + "!", 1)
    project = write(tmp_path, {".icrun.yaml": rules, "r/a.yaml": slow})
    result = icrun_process("lint", "r", cwd=project)
    assert result.code == 2
    assert result.err.startswith("icrun: error: r/a.yaml: rule 'slow-given': given: ")
    assert result.err.count("\n") == 1


def test_one_file_named_two_ways_is_linted_once(icrun_process, tmp_path):
    project = write(tmp_path, {"runbooks/a.yaml": CLEAN})
    result = icrun_process(
        "lint", "runbooks", "./runbooks/a.yaml", str(project / "runbooks/a.yaml"), cwd=project
    )
    assert result.code == 0, result.out
    assert result.out == "1 file checked: 0 errors, 0 warnings, 0 info\n"


def test_a_broken_rule_with_workers_is_one_line(icrun_process, tmp_path):
    team = TEAM_RULES.replace("function: pattern", "function: nosuchfn")
    files = {f"runbooks/r{i:02}.yaml": distinct(CLEAN, f"r{i:02}") for i in range(20)}
    project = write(tmp_path, {".icrun.yaml": "extends: ./team.yaml\n", "team.yaml": team, **files})
    result = icrun_process("lint", "-j2", cwd=project)
    assert result.code == 2
    assert "unknown function 'nosuchfn'" in result.err
    assert "internal error" not in result.err


def test_a_cached_too_large_file_is_not_taken_for_an_empty_one(
    icrun_process, tmp_path, monkeypatch
):
    monkeypatch.delenv("ICRUN_NO_CACHE")
    project = write(tmp_path, {"runbooks/a.yaml": ""})
    assert "file is empty" in icrun_process("lint", "--max-file-size", "100", cwd=project).out
    write(project, {"runbooks/a.yaml": CLEAN})
    result = icrun_process("lint", "-q", "--max-file-size", "100", cwd=project)
    assert "over the 100-byte limit" in result.out


def test_unused_suppressions_keep_their_fingerprint_when_lines_move(icrun, tmp_path, monkeypatch):
    unused = "  # icrun: disable=links-https\n"
    first = CLEAN.replace("metadata:\n", "metadata:\n" + unused * 2, 1)
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"a.yaml": first})
    before = json.loads(icrun("lint", "a.yaml", "-f", "gitlab").out)
    write(tmp_path, {"a.yaml": CLEAN.replace("metadata:\n", "metadata:\n" + unused, 1)})
    after = json.loads(icrun("lint", "a.yaml", "-f", "gitlab").out)
    assert len(before) == 2
    assert len(after) == 1
    assert after[0]["fingerprint"] == before[0]["fingerprint"]
