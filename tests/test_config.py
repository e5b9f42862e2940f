"""The config end to end: discovery, rule settings, new rules, overrides, file selection and
``extends``, each from a ``.icrun.yaml`` (or ``[tool.icrun]``) alone in a temporary project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CLEAN, RUNBOOKS, distinct, runbook

from icrunbook.config import find_config, load_config

pytestmark = pytest.mark.usefixtures("reproducible")


# One break each, on the clean runbook:
SLOW_SEV3 = ("internal_update: 15m", "internal_update: 20m")  # cadence-internal-max (15m)
STALE = ('last_reviewed: "2026-11-10"', 'last_reviewed: "2020-01-01"')  # review-fresh
NO_TAGS = ("  tags:\n    - deploy\n    - rollback\n    - kubernetes\n    - argocd\n", "")
NO_TRIGGERS = (CLEAN[CLEAN.index("triggers:") : CLEAN.index("severities:")], "triggers: []\n\n")


def write(root: Path, files: dict[str, str]) -> Path:
    """The files, each runbook copy with a name and alerts of its own (see ``distinct``)."""
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(distinct(text, name), encoding="utf-8")
    return root


def where(text: str, needle: str, part: str = "") -> str:
    """``LINE:COL`` (1-based) of the first ``needle``, or of ``part`` within it."""
    before = text[: text.index(needle) + needle.index(part)]
    return f"{before.count(chr(10)) + 1}:{len(before) - before.rfind(chr(10))}"


SEV3_INTERNAL = where(CLEAN, "internal_update: 15m", "15m")  # where SLOW_SEV3 is reported


def one_line_error(err: str) -> str:
    assert "Traceback" not in err
    assert err.count("\n") == 1, err
    return err


# --- Discovery -----------------------------------------------------------------------------------


def test_config_is_found_walking_up_from_the_linted_file(icrun_process, tmp_path) -> None:
    project = write(tmp_path, {"runbooks/sub/slow.yaml": runbook(SLOW_SEV3)})
    before = icrun_process("lint", "runbooks/sub/slow.yaml", cwd=project)
    assert before.code == 1, before.out + before.err
    assert f"runbooks/sub/slow.yaml:{SEV3_INTERNAL}: error [cadence-internal-max]" in (before.out)

    write(project, {".icrun.yaml": "rules:\n  cadence-internal-max: warning\n"})
    after = icrun_process("lint", "runbooks/sub/slow.yaml", cwd=project)
    assert after.code == 0, after.out + after.err
    assert "warning [cadence-internal-max] internal_update 20m is longer than 15m" in after.out
    assert after.out.splitlines()[-1] == "1 file checked: 0 errors, 1 warning, 0 info"


def test_config_is_found_from_a_sibling_folder_too(icrun, tmp_path, monkeypatch) -> None:
    project = write(
        tmp_path,
        {
            ".icrun.yaml": "rules:\n  cadence-internal-max: off\n",
            "runbooks/sub/slow.yaml": runbook(SLOW_SEV3),
        },
    )
    monkeypatch.chdir(project / "runbooks")
    result = icrun("lint", "sub/slow.yaml")
    assert result.code == 0, result.out + result.err
    assert "cadence-internal-max" not in result.out


def test_pyproject_tool_icrun_section(icrun, tmp_path) -> None:
    project = write(
        tmp_path,
        {
            "pyproject.toml": (
                '[project]\nname = "ops"\n\n[tool.icrun.rules]\ncadence-internal-max = "info"\n'
            ),
            "runbooks/slow.yaml": runbook(SLOW_SEV3),
        },
    )
    result = icrun("lint", str(project / "runbooks"))
    assert result.code == 0, result.out + result.err
    assert "info [cadence-internal-max]" in result.out


def test_pyproject_without_tool_icrun_is_passed_over(icrun, tmp_path) -> None:
    project = write(
        tmp_path,
        {
            ".icrun.yaml": "rules:\n  cadence-internal-max: warning\n",
            "runbooks/pyproject.toml": '[project]\nname = "ops"\n',
            "runbooks/slow.yaml": runbook(SLOW_SEV3),
        },
    )
    result = icrun("lint", str(project / "runbooks"))
    assert result.code == 0, result.out + result.err
    assert "warning [cadence-internal-max]" in result.out


def test_pyproject_mistakes_name_the_section(icrun, tmp_path) -> None:
    project = write(
        tmp_path,
        {
            "pyproject.toml": '[tool.icrun.rules]\ncadence-internal-mx = "off"\n',
            "slow.yaml": runbook(SLOW_SEV3),
        },
    )
    result = icrun("lint", str(project / "slow.yaml"))
    assert result.code == 2
    err = one_line_error(result.err)
    assert "pyproject.toml [tool.icrun]" in err
    assert "did you mean 'cadence-internal-max'?" in err


def test_the_nearest_config_wins(icrun, tmp_path) -> None:
    project = write(
        tmp_path,
        {
            ".icrun.yaml": "rules:\n  cadence-internal-max: off\n",
            "runbooks/.icrun.yaml": "rules:\n  cadence-internal-max: info\n",
            "runbooks/slow.yaml": runbook(SLOW_SEV3),
        },
    )
    result = icrun("lint", str(project / "runbooks" / "slow.yaml"))
    assert "info [cadence-internal-max]" in result.out


def test_config_option_wins_over_the_found_config(icrun_process, tmp_path) -> None:
    project = write(
        tmp_path,
        {
            ".icrun.yaml": "rules:\n  cadence-internal-max: warning\n",
            "ci/strict.yaml": "rules:\n  cadence-internal-max: info\n",
            "runbooks/slow.yaml": runbook(SLOW_SEV3),
        },
    )
    result = icrun_process("lint", "--config", "ci/strict.yaml", "runbooks", cwd=project)
    assert result.code == 0, result.out + result.err
    assert "info [cadence-internal-max]" in result.out
    assert "warning [cadence-internal-max]" not in result.out


def test_missing_config_file_is_one_line(icrun, tmp_path) -> None:
    result = icrun("lint", "--config", str(tmp_path / "nope.yaml"), str(RUNBOOKS))
    assert result.code == 2
    assert "nope.yaml" in one_line_error(result.err)


def test_no_config_means_recommended_defaults(icrun_process, tmp_path) -> None:
    project = write(tmp_path, {"runbooks/slow.yaml": runbook(SLOW_SEV3)})
    result = icrun_process("lint", "-f", "json", cwd=project)  # no PATH: runbooks/
    assert result.code == 1, result.err
    report = json.loads(result.out)
    assert [(d["rule"], d["severity"]) for d in report["diagnostics"]] == [
        ("cadence-internal-max", "error")
    ]


# --- Rule settings -------------------------------------------------------------------------------


@pytest.mark.parametrize("setting", ["off", '"off"', "{severity: off}"])
def test_rule_off(icrun, tmp_path, setting: str) -> None:
    project = write(
        tmp_path,
        {
            ".icrun.yaml": f"rules:\n  cadence-internal-max: {setting}\n",
            "slow.yaml": runbook(SLOW_SEV3),
        },
    )
    result = icrun("lint", str(project / "slow.yaml"))
    assert result.code == 0, result.out + result.err
    assert result.out.strip() == "1 file checked: 0 errors, 0 warnings, 0 info"


def test_rule_option_changes_the_verdict(icrun, tmp_path) -> None:
    config = "rules:\n  cadence-internal-max: {options: {max: 30m}}\n"
    project = write(
        tmp_path,
        {
            ".icrun.yaml": config,
            "twenty.yaml": runbook(SLOW_SEV3),
            "forty.yaml": runbook(("internal_update: 15m", "internal_update: 40m")),
        },
    )
    passing = icrun("lint", str(project / "twenty.yaml"))
    assert passing.code == 0, passing.out + passing.err
    failing = icrun("lint", str(project / "forty.yaml"))
    assert failing.code == 1  # the severity stays the default error
    assert (
        "error [cadence-internal-max] internal_update 40m is longer than 30m: "
        "collect status from responders at least every 30m"
    ) in failing.out


def test_severity_and_options_together(icrun, tmp_path) -> None:
    config = "rules:\n  cadence-internal-max:\n    severity: info\n    options: {max: 10m}\n"
    project = write(tmp_path, {".icrun.yaml": config, "clean.yaml": CLEAN})
    result = icrun("lint", str(project / "clean.yaml"))
    assert result.code == 0
    assert "info [cadence-internal-max] internal_update 15m is longer than 10m" in result.out


def test_keyword_option_of_commander_duties(icrun, tmp_path) -> None:
    hands_on = runbook(
        (
            "Keep one list of open actions, each with one owner and a deadline.",
            "Restart the pods when they hang.",
        )
    )
    project = write(tmp_path, {"runbook.yaml": hands_on})
    assert icrun("lint", str(project / "runbook.yaml")).code == 0  # not a default keyword

    write(
        project,
        {
            ".icrun.yaml": (
                "rules:\n  commander-duties-coordination:\n"
                "    options: {keywords: [restart, kubectl]}\n"
            )
        },
    )
    load_config.cache_clear()
    find_config.cache_clear()
    result = icrun("lint", str(project / "runbook.yaml"))
    assert (
        f"runbook.yaml:{where(hands_on, 'Restart the pods')}: warning "
        "[commander-duties-coordination] commander duty mentions 'restart'"
    ) in result.out


def test_unknown_rule_name(icrun_process, tmp_path) -> None:
    project = write(
        tmp_path,
        {".icrun.yaml": "rules:\n  cadence-internal-mx: warning\n", "runbooks/a.yaml": CLEAN},
    )
    result = icrun_process("lint", "runbooks", cwd=project)
    assert result.code == 2
    err = one_line_error(result.err)
    assert ".icrun.yaml:2:3: unknown rule 'cadence-internal-mx'" in err
    assert "did you mean 'cadence-internal-max'?" in err


def test_unknown_rule_name_in_an_override(icrun, tmp_path) -> None:
    config = "overrides:\n  - files: ['*.yaml']\n    rules:\n      reviewfresh: off\n"
    project = write(tmp_path, {".icrun.yaml": config, "a.yaml": CLEAN})
    result = icrun("lint", str(project / "a.yaml"))
    assert result.code == 2
    err = one_line_error(result.err)
    assert ".icrun.yaml:4:7: unknown rule 'reviewfresh'" in err
    assert "did you mean 'review-fresh'?" in err


def test_unknown_option(icrun_process, tmp_path) -> None:
    config = "rules:\n  cadence-internal-max:\n    options:\n      maximum: 30m\n"
    project = write(tmp_path, {".icrun.yaml": config, "runbooks/a.yaml": CLEAN})
    result = icrun_process("lint", cwd=project)
    assert result.code == 2
    err = one_line_error(result.err)
    assert ".icrun.yaml:4:7: rule 'cadence-internal-max' has no option 'maximum'" in err
    assert "did you mean 'max'?" in err
    assert "(its options: max)" in err


def test_bad_option_value_points_at_it(icrun_process, tmp_path) -> None:
    config = "rules:\n  cadence-internal-max:\n    options:\n      max: 15 min\n"
    project = write(tmp_path, {".icrun.yaml": config, "runbooks/a.yaml": CLEAN})
    result = icrun_process("lint", cwd=project)
    assert result.code == 2
    err = one_line_error(result.err)
    assert ".icrun.yaml:4:12: rule 'cadence-internal-max': option 'max' must be a duration" in err
    assert "'15 min'" in err


def test_bad_option_value_among_good_ones(icrun, tmp_path) -> None:
    config = (
        "rules:\n  handoff-defined: {options: {max: 8h}}\n"
        "  review-fresh:\n    options: {max_age: soon}\n"
    )
    project = write(tmp_path, {".icrun.yaml": config, "a.yaml": CLEAN})
    result = icrun("lint", str(project / "a.yaml"))
    assert result.code == 2
    err = one_line_error(result.err)
    assert f".icrun.yaml:{where(config, 'soon')}: rule 'review-fresh': option 'max_age'" in err


def test_bad_severity(icrun_process, tmp_path) -> None:
    project = write(
        tmp_path,
        {".icrun.yaml": "rules:\n  cadence-internal-max: warnig\n", "runbooks/a.yaml": CLEAN},
    )
    result = icrun_process("lint", cwd=project)
    assert result.code == 2
    err = one_line_error(result.err)
    assert ".icrun.yaml:2:25:" in err
    assert "did you mean 'warning'?" in err


def test_bad_severity_in_a_mapping(icrun, tmp_path) -> None:
    config = "rules:\n  cadence-internal-max: {severity: warnig}\n"
    project = write(tmp_path, {".icrun.yaml": config, "a.yaml": CLEAN})
    result = icrun("lint", str(project / "a.yaml"))
    assert result.code == 2
    err = one_line_error(result.err)
    assert f".icrun.yaml:{where(config, 'warnig}')}:" in err
    assert "did you mean 'warning'?" in err


# Spectral's severities: warn is warning, hint is info.


def severities(result) -> list[tuple[str, str]]:
    """(rule, severity) of each diagnostic in a ``-f json`` report."""
    assert "Traceback" not in result.err, result.err
    return [(d["rule"], d["severity"]) for d in json.loads(result.out)["diagnostics"]]


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("warn", "warning"),
        ("hint", "info"),
        ('"warn"', "warning"),
        ("{severity: warn}", "warning"),
        ("{severity: hint}", "info"),
        ("{severity: hint, options: {max: 30m}}", None),  # 20m is within 30m: nothing to report
    ],
)
def test_spectral_severities_in_a_config(icrun, tmp_path, setting: str, expected) -> None:
    project = write(
        tmp_path,
        {
            ".icrun.yaml": f"rules:\n  cadence-internal-max: {setting}\n",
            "slow.yaml": runbook(SLOW_SEV3),
        },
    )
    result = icrun("lint", "-f", "json", str(project / "slow.yaml"))
    assert result.code == 0, result.out + result.err  # below the default --fail-on error
    found = [] if expected is None else [("cadence-internal-max", expected)]
    assert severities(result) == found


def test_spectral_severities_in_overrides(icrun, tmp_path, monkeypatch) -> None:
    config = """\
rules:
  cadence-internal-max: error
overrides:
  - files: ['runbooks/legacy/**']
    rules: {cadence-internal-max: warn}
  - files: ['runbooks/legacy/old-*.yaml']
    rules:
      cadence-internal-max: {severity: hint}
"""
    slow = runbook(SLOW_SEV3)
    files = {"runbooks/legacy/a.yaml": slow, "runbooks/legacy/old-b.yaml": slow, "c.yaml": slow}
    project = write(tmp_path, {".icrun.yaml": config, **files})
    monkeypatch.chdir(project)
    result = icrun("lint", "-f", "json", "runbooks/legacy", "c.yaml")
    assert result.code == 1  # c.yaml keeps error
    diagnostics = json.loads(result.out)["diagnostics"]
    by_file = {d["path"]: d["severity"] for d in diagnostics if d["rule"] == "cadence-internal-max"}
    assert by_file == {
        "runbooks/legacy/a.yaml": "warning",
        "runbooks/legacy/old-b.yaml": "info",
        "c.yaml": "error",
    }


def test_unknown_top_level_key(icrun, tmp_path) -> None:
    project = write(tmp_path, {".icrun.yaml": "rule:\n  review-fresh: off\n", "a.yaml": CLEAN})
    result = icrun("lint", str(project / "a.yaml"))
    assert result.code == 2
    err = one_line_error(result.err)
    assert ".icrun.yaml:1:1:" in err
    assert "did you mean 'rules'?" in err


# --- New rules -----------------------------------------------------------------------------------

TAGS_RULE = """\
rules:
  tags-required:
    description: Every runbook carries tags
    message: "metadata has no tags: {{error}}"
    severity: error
    given: $.metadata
    then:
      field: tags
      function: truthy
"""

SERVICE_RULE = """\
rules:
  service-name-style:
    description: Service names are one lowercase word
    message: "{{description}}: '{{value}}'"
    severity: warning
    given: $.metadata.service
    then:
      function: pattern
      functionOptions: {match: "^[a-z][a-z0-9]*$"}
"""


def test_new_rule_truthy(icrun_process, tmp_path) -> None:
    untagged = runbook(NO_TAGS)
    project = write(tmp_path, {".icrun.yaml": TAGS_RULE, "runbooks/a.yaml": untagged})
    result = icrun_process("lint", "runbooks/a.yaml", cwd=project)
    assert result.code == 1, result.out + result.err
    # a missing key is reported at the mapping that lacks it
    assert result.out.splitlines()[0] == (
        f"runbooks/a.yaml:{where(untagged, 'name: web-api')}: error [tags-required] "
        "metadata has no tags: must be set"
    )
    write(project, {"runbooks/a.yaml": CLEAN})
    assert icrun_process("lint", "runbooks/a.yaml", cwd=project).code == 0


def test_new_rule_pattern(icrun_process, tmp_path) -> None:
    project = write(tmp_path, {".icrun.yaml": SERVICE_RULE, "runbooks/a.yaml": CLEAN})
    result = icrun_process("lint", cwd=project)
    assert result.code == 0, result.out + result.err  # a warning
    assert result.out.splitlines()[0] == (
        f"runbooks/a.yaml:{where(CLEAN, 'service: web-api', 'web-api')}: warning "
        "[service-name-style] Service names are one lowercase word: 'web-api'"
    )


def test_new_rule_severity_set_in_an_override(icrun, tmp_path) -> None:
    config = (
        SERVICE_RULE + "overrides:\n  - files: ['*.yaml']\n    rules: {service-name-style: off}\n"
    )
    project = write(tmp_path, {".icrun.yaml": config, "a.yaml": CLEAN})
    result = icrun("lint", str(project / "a.yaml"))
    assert "service-name-style" not in result.out


SERVICE_RULE_WARN = SERVICE_RULE.replace("severity: warning", "severity: warn")


def test_new_rule_with_a_spectral_severity(icrun, tmp_path) -> None:
    assert "severity: warn\n" in SERVICE_RULE_WARN
    project = write(tmp_path, {".icrun.yaml": SERVICE_RULE_WARN, "a.yaml": CLEAN})
    result = icrun("lint", "-f", "json", str(project / "a.yaml"))
    assert result.code == 0, result.out + result.err
    assert severities(result) == [("service-name-style", "warning")]


def test_spectral_severities_through_the_installed_script(icrun_process, tmp_path) -> None:
    config = SERVICE_RULE_WARN + "  cadence-internal-max: hint\n"
    project = write(tmp_path, {".icrun.yaml": config, "runbooks/a.yaml": runbook(SLOW_SEV3)})
    result = icrun_process("lint", "-f", "json", cwd=project)
    assert result.code == 0, result.out + result.err
    assert sorted(severities(result)) == [
        ("cadence-internal-max", "info"),
        ("service-name-style", "warning"),
    ]
    text = icrun_process("lint", cwd=project)
    assert text.out.splitlines()[-1] == "1 file checked: 0 errors, 1 warning, 1 info"


def test_new_rule_replaces_a_builtin_one(icrun, tmp_path) -> None:
    config = """\
rules:
  review-fresh:
    description: Reviewed within a month
    severity: error
    given: $.metadata
    then:
      field: last_reviewed
      function: dateAge
      functionOptions: {maxAge: 10d}
"""
    project = write(tmp_path, {".icrun.yaml": config, "a.yaml": CLEAN})
    result = icrun("lint", str(project / "a.yaml"))
    assert result.code == 1
    assert "error [review-fresh]" in result.out


@pytest.mark.parametrize(
    ("definition", "expected", "at"),
    [
        (
            "given: $.metadata\n    then: {function: truthi, field: tags}",
            "did you mean 'truthy'?",
            ":2:3:",
        ),
        (
            "given: $.metadata[\n    then: {function: truthy, field: tags}",
            "not a valid JSONPath",
            ":2:3:",
        ),
        ("given: $.metadata", "'then'", ":3:"),
        (
            "given: $.metadata.service\n    then: {function: pattern, functionOptions: {mtch: x}}",
            "did you mean 'match'?",
            ":2:3:",
        ),
    ],
    ids=["unknown-function", "bad-jsonpath", "missing-then", "unknown-function-option"],
)
def test_broken_new_rule(icrun_process, tmp_path, definition: str, expected: str, at: str) -> None:
    config = f"rules:\n  tags-required:\n    description: Tags\n    {definition}\n"
    project = write(tmp_path, {".icrun.yaml": config, "runbooks/a.yaml": CLEAN})
    result = icrun_process("lint", cwd=project)
    assert result.code == 2, result.out
    err = one_line_error(result.err)
    # at the rule's name (a rule that cannot run) or its definition (a schema problem)
    assert f"{project / '.icrun.yaml'}{at}" in err
    assert "rule 'tags-required'" in err
    assert expected in err


# --- Overrides -----------------------------------------------------------------------------------


def test_override_applies_to_matching_files_only(icrun_process, tmp_path) -> None:
    stale = runbook(STALE)
    config = "overrides:\n  - files: ['runbooks/legacy/**']\n    rules: {review-fresh: off}\n"
    project = write(
        tmp_path,
        {
            ".icrun.yaml": config,
            "runbooks/current.yaml": stale,
            "runbooks/legacy/old.yaml": stale,
            "runbooks/legacy/older/oldest.yaml": stale,
        },
    )
    result = icrun_process("lint", cwd=project)
    assert result.code == 0, result.out + result.err
    assert [line.split(":")[0] for line in result.out.splitlines()[:-1]] == [
        "runbooks/current.yaml"
    ]
    assert "[review-fresh]" in result.out
    assert result.out.splitlines()[-1] == "3 files checked: 0 errors, 1 warning, 0 info"


def test_later_overrides_win(icrun, tmp_path, monkeypatch) -> None:
    stale = runbook(STALE)
    config = """\
rules:
  review-fresh: {options: {max_age: 365d}}
overrides:
  - files: ['runbooks/legacy/**']
    rules: {review-fresh: off}
  - files: ['runbooks/legacy/critical-*.yaml']
    rules: {review-fresh: error}
"""
    project = write(
        tmp_path,
        {
            ".icrun.yaml": config,
            "runbooks/legacy/old.yaml": stale,
            "runbooks/legacy/critical-db.yaml": stale,
        },
    )
    monkeypatch.chdir(project)
    result = icrun("lint")
    assert result.code == 1
    lines = result.out.splitlines()
    assert len(lines) == 2, result.out
    assert lines[0].startswith("runbooks/legacy/critical-db.yaml:")
    assert "error [review-fresh]" in lines[0]
    assert "more than 365 days" in lines[0]  # the top-level options still apply


# --- Which files ---------------------------------------------------------------------------------


def test_exclude_skips_files(icrun_process, tmp_path) -> None:
    stale = runbook(STALE)
    files = {"runbooks/a.yaml": CLEAN, "runbooks/generated/b.yaml": stale, "runbooks/c.yml": CLEAN}
    project = write(tmp_path, files)
    before = icrun_process("lint", "runbooks", cwd=project)
    assert before.out.splitlines()[-1] == "3 files checked: 0 errors, 1 warning, 0 info"

    write(project, {".icrun.yaml": "exclude: ['runbooks/generated/**']\n"})
    after = icrun_process("lint", "runbooks", cwd=project)
    assert after.code == 0
    assert after.out.splitlines() == ["2 files checked: 0 errors, 0 warnings, 0 info"]


@pytest.mark.parametrize(
    ("glob", "linted"),
    [
        ("runbooks/*.yaml", ["runbooks/deep/b.yaml", "runbooks/deep/c.draft.yaml"]),
        ("runbooks/**", []),
        ("runbooks/**/*.yaml", []),
        ("**/b.yaml", ["runbooks/a.yaml", "runbooks/deep/c.draft.yaml"]),
        ("*.draft.yaml", ["runbooks/a.yaml", "runbooks/deep/b.yaml"]),
        ("runbooks/deep/[bc].yaml", ["runbooks/a.yaml", "runbooks/deep/c.draft.yaml"]),
        ("runbooks/?.yaml", ["runbooks/deep/b.yaml", "runbooks/deep/c.draft.yaml"]),
    ],
)
def test_exclude_glob_semantics(icrun, tmp_path, monkeypatch, glob: str, linted: list) -> None:
    """As in ruff and Spectral: ``*`` and ``?`` stay in a folder, ``**`` crosses folders, and a
    glob without ``/`` matches the file name in any folder."""
    stale = runbook(STALE)
    files = ["runbooks/a.yaml", "runbooks/deep/b.yaml", "runbooks/deep/c.draft.yaml"]
    project = write(
        tmp_path, {".icrun.yaml": f"exclude: ['{glob}']\n"} | dict.fromkeys(files, stale)
    )
    monkeypatch.chdir(project)
    result = icrun("lint", "-f", "json")
    assert sorted({d["path"] for d in json.loads(result.out)["diagnostics"]}) == linted


def test_paths_are_linted_when_no_path_is_given(icrun_process, tmp_path) -> None:
    project = write(
        tmp_path,
        {
            ".icrun.yaml": "paths: [ops/runbooks, extra.yaml]\n",
            "ops/runbooks/a.yaml": CLEAN,
            "extra.yaml": CLEAN,
            "runbooks/stale.yaml": runbook(STALE),  # the default folder, not configured
        },
    )
    result = icrun_process("lint", cwd=project)
    assert result.code == 0, result.out + result.err
    assert result.out.splitlines() == ["2 files checked: 0 errors, 0 warnings, 0 info"]
    # a PATH on the command line wins over paths
    given = icrun_process("lint", "runbooks", cwd=project)
    assert given.out.splitlines()[-1] == "1 file checked: 0 errors, 1 warning, 0 info"


def test_paths_of_a_config_in_the_working_folder_of_a_subfolder(
    icrun, tmp_path, monkeypatch
) -> None:
    project = write(tmp_path, {".icrun.yaml": "paths: [docs]\n", "docs/a.yaml": CLEAN})
    monkeypatch.chdir(project / "docs")
    result = icrun("lint")
    assert result.out.splitlines() == ["1 file checked: 0 errors, 0 warnings, 0 info"]


def test_max_file_size(icrun, tmp_path) -> None:
    project = write(tmp_path, {".icrun.yaml": "max_file_size: 100\n", "a.yaml": CLEAN})
    result = icrun("lint", str(project / "a.yaml"))
    assert result.code == 1
    assert "error [syntax]" in result.out
    assert "over the 100-byte limit" in result.out
    # the command line wins
    assert icrun("lint", "--max-file-size", "100000", str(project / "a.yaml")).code == 0


# --- extends -------------------------------------------------------------------------------------


def test_extends_all_enables_opt_in_rules(icrun_process, tmp_path) -> None:
    untriggered = runbook(NO_TRIGGERS)
    project = write(tmp_path, {"runbooks/a.yaml": untriggered})
    assert icrun_process("lint", cwd=project).out.splitlines() == [
        "1 file checked: 0 errors, 0 warnings, 0 info"
    ]

    write(project, {".icrun.yaml": "extends: all\n"})
    result = icrun_process("lint", cwd=project)
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        f"runbooks/a.yaml:{where(untriggered, 'triggers: []', '[]')}: warning [triggers-defined] "
        "triggers are missing or empty: list the alerts or situations that open this runbook",
        f"runbooks/a.yaml:{where(untriggered, 'description: Minor')}: info [severity-pages] "
        "severity does not say which roles to page: add page",
        "1 file checked: 0 errors, 1 warning, 1 info",
    ]


TEAM_RULES = """\
apiVersion: icrunbook/v1
kind: Ruleset
description: Our team's rules
rules:
  owner-is-payments:
    description: Runbooks are owned by payments
    severity: error
    message: "owner must be payments, not '{{value}}'"
    given: $.metadata.owner
    then:
      function: pattern
      functionOptions: {match: "^payments$"}
"""


def test_extends_a_team_ruleset(icrun_process, tmp_path) -> None:
    project = write(
        tmp_path,
        {
            ".icrun.yaml": "extends: [recommended, ./team-rules.yaml]\n",
            "team-rules.yaml": TEAM_RULES,
            "runbooks/a.yaml": runbook(SLOW_SEV3),
        },
    )
    result = icrun_process("lint", "runbooks/a.yaml", cwd=project)
    assert result.code == 1
    assert result.out.splitlines() == [
        f"runbooks/a.yaml:{where(CLEAN, 'web-platform')}: error [owner-is-payments] "
        "owner must be payments, not 'web-platform'",
        f"runbooks/a.yaml:{SEV3_INTERNAL}: error [cadence-internal-max] "
        "internal_update 20m is longer than 15m: collect status from responders at least every 15m",
        "1 file checked: 2 errors, 0 warnings, 0 info",
    ]


def test_team_ruleset_rules_take_config_settings(icrun, tmp_path) -> None:
    config = "extends: [./team-rules.yaml]\nrules:\n  owner-is-payments: warning\n"
    project = write(
        tmp_path, {".icrun.yaml": config, "team-rules.yaml": TEAM_RULES, "a.yaml": CLEAN}
    )
    result = icrun("lint", str(project / "a.yaml"))
    assert result.code == 0
    assert "warning [owner-is-payments]" in result.out
    assert result.out.count("\n") == 2  # only the team's rules: recommended was not extended


def test_spectral_severity_in_a_team_ruleset(icrun, tmp_path) -> None:
    team = TEAM_RULES.replace("severity: error", "severity: hint")
    assert "severity: hint\n" in team
    project = write(
        tmp_path,
        {".icrun.yaml": "extends: [./team-rules.yaml]\n", "team-rules.yaml": team, "a.yaml": CLEAN},
    )
    result = icrun("lint", "-f", "json", str(project / "a.yaml"))
    assert result.code == 0, result.out + result.err
    assert severities(result) == [("owner-is-payments", "info")]


def test_broken_team_ruleset(icrun_process, tmp_path) -> None:
    broken = TEAM_RULES.replace("function: pattern", "function: patern")
    project = write(
        tmp_path,
        {
            ".icrun.yaml": "extends: [recommended, ./team-rules.yaml]\n",
            "team-rules.yaml": broken,
            "runbooks/a.yaml": CLEAN,
        },
    )
    result = icrun_process("lint", cwd=project)
    assert result.code == 2
    err = one_line_error(result.err)
    assert "team-rules.yaml:6: rule 'owner-is-payments': unknown function 'patern'" in err
    assert "did you mean 'pattern'?" in err


def test_team_ruleset_breaking_its_schema(icrun, tmp_path) -> None:
    broken = TEAM_RULES.replace("severity: error", "severity: fatal")
    project = write(
        tmp_path,
        {".icrun.yaml": "extends: ./team-rules.yaml\n", "team-rules.yaml": broken, "a.yaml": CLEAN},
    )
    result = icrun("lint", str(project / "a.yaml"))
    assert result.code == 2
    assert f"team-rules.yaml:{where(broken, 'fatal')}:" in one_line_error(result.err)


@pytest.mark.parametrize(
    ("extends", "expected"),
    [
        ("[recomended]", ".icrun.yaml:1:11: extends 'recomended'"),
        ("./team.yaml", ".icrun.yaml:1:10: extends './team.yaml'"),
    ],
)
def test_extends_nothing_that_exists(icrun, tmp_path, extends: str, expected: str) -> None:
    project = write(tmp_path, {".icrun.yaml": f"extends: {extends}\n", "a.yaml": CLEAN})
    result = icrun("lint", str(project / "a.yaml"))
    assert result.code == 2
    err = one_line_error(result.err)
    assert expected in err
    if "recomended" in extends:
        assert "did you mean 'recommended'?" in err
