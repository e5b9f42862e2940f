"""Inline suppressions: ``# icrun: disable=...`` comments, their scopes and unused-suppression."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CLEAN, runbook

from icrunbook.diagnostics import Diagnostic, Severity, Span
from icrunbook.loader import load_text
from icrunbook.suppressions import find_suppressions, silence, unused

# links-https, broken on the last metadata link (the line before x-pagerduty-service)
HTTPS = "url: https://handbook.example.com/engineering/deploys/rollback-policy"
HTTP = "url: http://handbook.example.com/engineering/deploys/rollback-policy"
PAGER = "  x-pagerduty-service: PWEBAPI"  # a line no rule reports on
POLICY_TITLE = "    - title: Deploy and rollback policy\n"

pytestmark = pytest.mark.usefixtures("reproducible")


def lint_text(icrun, tmp_path: Path, text: str, config: str | None = None, *args: str):
    target = tmp_path / "runbook.yaml"
    target.write_text(text, encoding="utf-8")
    if config is not None:
        (tmp_path / ".icrun.yaml").write_text(config, encoding="utf-8")
    return icrun("lint", *args, str(target))


def rules_of(out: str) -> list[str]:
    return [line.split("[")[1].split("]")[0] for line in out.splitlines() if "[" in line]


def on_url_line(text: str, comment: str) -> str:
    assert text.count(HTTP) == 1
    return text.replace(HTTP, f"{HTTP}  {comment}")


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# --- find_suppressions ---------------------------------------------------------------------------


def test_find_suppressions_positions() -> None:
    text = (
        "a: 1  # icrun: disable=links-https\n"
        "# icrun: disable-next-line=comms-*, review-fresh\n"
        "b: 2\n"
        "#icrun:disable-file=syntax\n"
    )
    found = find_suppressions(text)
    assert [(s.pattern, s.kind, s.target_line) for s in found] == [
        ("links-https", "disable", 1),
        ("comms-*", "disable-next-line", 3),
        ("review-fresh", "disable-next-line", 3),
        ("syntax", "disable-file", None),
    ]
    # the span of each rule name in its comment, 1-based, end exclusive
    assert [s.span for s in found] == [
        Span(1, 24, 1, 35),
        Span(2, 28, 2, 35),
        Span(2, 37, 2, 49),
        Span(4, 21, 4, 27),
    ]
    assert text.splitlines()[1][27:34] == "comms-*"


def test_find_suppressions_ignores_other_text() -> None:
    assert find_suppressions("a: 1\n") == []
    assert find_suppressions("a: 1  # noqa: disable=links-https\n") == []
    assert find_suppressions("url: https://x.example/#icrun:disable=links-https\n") == []
    assert find_suppressions("a: 1  # icrun: enable=links-https\n") == []


def test_find_suppressions_stops_at_the_rule_list() -> None:
    (found,) = find_suppressions("a: 1  # icrun: disable=review-fresh  -- reviewed in Q3\n")
    assert found.pattern == "review-fresh"


def _diagnostic(rule: str, line: int) -> Diagnostic:
    return Diagnostic("r.yaml", Span(line, 1, line, 2), rule, Severity.ERROR, "found")


def test_silence_scopes() -> None:
    text = "a: 1  # icrun: disable=links-*\n# icrun: disable-next-line=schema\nb: 2\nc: 3\n"
    diagnostics = [
        _diagnostic("links-https", 1),
        _diagnostic("links-https", 3),
        _diagnostic("schema", 3),
        _diagnostic("schema", 4),
    ]
    suppressions = find_suppressions(text)
    kept = silence(diagnostics, suppressions)
    assert [(d.rule, d.line) for d in kept] == [("links-https", 3), ("schema", 4)]
    assert unused(suppressions, "r.yaml", ["links-https", "schema"], Severity.WARNING) == []


def test_syntax_is_never_silenced_and_aiming_at_it_is_unused() -> None:
    suppressions = find_suppressions("# icrun: disable-file=syntax,schema\n")
    kept = silence([_diagnostic("syntax", 3)], suppressions)
    assert [d.rule for d in kept] == ["syntax"]
    reports = unused(suppressions, "r.yaml", ["syntax", "schema"], Severity.WARNING)
    assert [d.rule for d in reports] == ["unused-suppression", "unused-suppression"]
    assert "'syntax' cannot be suppressed" in reports[0].message
    assert "'schema' silences nothing here" in reports[1].message


def test_a_suppression_used_by_a_later_finding_is_not_unused() -> None:
    """Repository findings arrive after a file's own: silencing one of them is a use."""
    suppressions = find_suppressions("a: 1  # icrun: disable=duplicate-runbook-name\n")
    assert silence([], suppressions) == []
    assert silence([_diagnostic("duplicate-runbook-name", 1)], suppressions) == []
    assert unused(suppressions, "r.yaml", ["duplicate-runbook-name"], Severity.WARNING) == []


# --- End to end ----------------------------------------------------------------------------------


def test_disable_at_the_end_of_the_line(icrun, tmp_path) -> None:
    broken = runbook((HTTPS, HTTP))
    before = lint_text(icrun, tmp_path, broken)
    assert rules_of(before.out) == ["links-https"]
    assert f"runbook.yaml:{line_of(broken, 'url: http:')}:" in before.out

    silenced = on_url_line(broken, "# icrun: disable=links-https")
    after = lint_text(icrun, tmp_path, silenced)
    assert after.code == 0
    assert after.out.splitlines() == ["1 file checked: 0 errors, 0 warnings, 0 info"]


def test_disable_on_another_line_does_not_silence(icrun, tmp_path) -> None:
    broken = runbook((HTTPS, HTTP), (PAGER, f"{PAGER}  # icrun: disable=links-https"))
    result = lint_text(icrun, tmp_path, broken)
    assert rules_of(result.out) == ["links-https", "unused-suppression"]


def test_disable_next_line(icrun_process, tmp_path) -> None:
    broken = runbook(
        (HTTPS, HTTP),
        (
            POLICY_TITLE + "      url: http:",
            POLICY_TITLE + "      # icrun: disable-next-line=links-https\n      url: http:",
        ),
    )
    (tmp_path / "runbook.yaml").write_text(broken, encoding="utf-8")
    result = icrun_process("lint", "runbook.yaml", cwd=tmp_path)
    assert result.code == 0, result.out + result.err
    assert result.out.splitlines() == ["1 file checked: 0 errors, 0 warnings, 0 info"]


def test_disable_file_with_a_glob(icrun_process, tmp_path) -> None:
    broken = runbook(
        ("What we do not know yet: {{ unknowns }}", "Open questions: none."),
        ("Impact: {{ impact }}\n        What we know: {{ known }}\n        Still", "Still"),
    )
    (tmp_path / "runbook.yaml").write_text(broken, encoding="utf-8")
    before = icrun_process("lint", "runbook.yaml", cwd=tmp_path)
    assert sorted(rules_of(before.out)) == ["comms-admit-unknowns", "comms-impact-stated"]

    silenced = "# icrun: disable-file=comms-*\n" + broken
    (tmp_path / "runbook.yaml").write_text(silenced, encoding="utf-8")
    after = icrun_process("lint", "runbook.yaml", cwd=tmp_path)
    assert after.code == 0
    assert after.out.splitlines() == ["1 file checked: 0 errors, 0 warnings, 0 info"]


def test_unused_suppression_is_reported_at_the_rule_name(icrun_process, tmp_path) -> None:
    text = runbook((PAGER, f"{PAGER}  # icrun: disable=links-https"))
    (tmp_path / "runbook.yaml").write_text(text, encoding="utf-8")
    result = icrun_process("lint", "runbook.yaml", cwd=tmp_path)
    assert result.code == 0  # a warning
    line = line_of(text, "x-pagerduty-service")
    column = text.splitlines()[line - 1].index("links-https") + 1
    assert result.out.splitlines() == [
        f"runbook.yaml:{line}:{column}: warning [unused-suppression] unused suppression "
        "disable=links-https: 'links-https' silences nothing here; remove it",
        "1 file checked: 0 errors, 1 warning, 0 info",
    ]
    assert icrun_process("lint", "--fail-on", "warning", "runbook.yaml", cwd=tmp_path).code == 1


def test_syntax_cannot_be_suppressed(icrun_process, tmp_path) -> None:
    broken = "# icrun: disable-file=syntax\nsteps: [\n"
    (tmp_path / "broken.yaml").write_text(broken, encoding="utf-8")
    result = icrun_process("lint", "broken.yaml", cwd=tmp_path)
    assert result.code == 1
    assert rules_of(result.out) == ["unused-suppression", "syntax"]
    assert (
        "broken.yaml:1:23: warning [unused-suppression] unused suppression disable-file=syntax: "
        "'syntax' cannot be suppressed: fix the YAML"
    ) in result.out


def test_unknown_rule_in_a_suppression(icrun, tmp_path) -> None:
    text = "# icrun: disable-file=review-stale, comms-*\n" + CLEAN
    result = lint_text(icrun, tmp_path, text)
    assert result.out.splitlines()[:2] == [
        f"{tmp_path / 'runbook.yaml'}:1:23: warning [unused-suppression] unused suppression "
        "disable-file=review-stale: 'review-stale' is not a rule; see: icrun rules",
        f"{tmp_path / 'runbook.yaml'}:1:37: warning [unused-suppression] unused suppression "
        "disable-file=comms-*: 'comms-*' silences nothing here; remove it",
    ]


def test_unused_suppression_off_in_config(icrun, tmp_path) -> None:
    text = "# icrun: disable-file=review-stale,syntax,links-https\n" + CLEAN
    result = lint_text(icrun, tmp_path, text, "rules:\n  unused-suppression: off\n")
    assert result.code == 0
    assert result.out.splitlines() == ["1 file checked: 0 errors, 0 warnings, 0 info"]


def test_unused_suppression_ignored_on_the_command_line(icrun, tmp_path) -> None:
    text = "# icrun: disable-file=links-https\n" + CLEAN
    result = lint_text(icrun, tmp_path, text, None, "--ignore", "unused-suppression")
    assert result.out.splitlines() == ["1 file checked: 0 errors, 0 warnings, 0 info"]


def test_suppression_of_a_rule_switched_off_is_unused(icrun, tmp_path) -> None:
    broken = on_url_line(runbook((HTTPS, HTTP)), "# icrun: disable=links-https")
    result = lint_text(icrun, tmp_path, broken, "rules:\n  links-https: off\n")
    assert rules_of(result.out) == ["unused-suppression"]


def test_directive_text_inside_a_string_is_not_a_suppression() -> None:
    text = (
        'a: "text # icrun: disable=links-https"\n'
        "b: |\n"
        "  body\n"
        "  # icrun: disable=review-fresh\n"
        "c: 1  # icrun: disable=schema\n"
    )
    document = load_text(text, "t.yaml")
    found = find_suppressions(document.text, document.in_scalar)
    assert [(s.pattern, s.span.line) for s in found] == [("schema", 5)]
