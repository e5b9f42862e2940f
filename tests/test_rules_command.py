"""``icrun rules``: the catalog, one rule's page, ``--test``, and the generated docs/rules.md."""

from __future__ import annotations

from conftest import ROOT

from icrunbook.rules.docs import reference
from icrunbook.rules.ruleset import builtin_ruleset

TEAM_RULESET = """\
apiVersion: icrunbook/v1
kind: Ruleset
rules:
  service-name-style:
    description: Service names are kebab-case
    severity: warning
    given: $.metadata.service
    then:
      function: pattern
      functionOptions: {match: "^[a-z][a-z0-9-]*$"}
    examples:
      fail: |
        metadata: {service: Checkout_API}
      pass: |
        metadata: {service: checkout-api}
  tags-required:
    description: Every runbook carries tags
    severity: error
    given: $.metadata
    then: {field: tags, function: truthy}
    examples:
      fail: |
        metadata: {tags: [payments]}
      pass: |
        metadata: {tags: [payments]}
"""


def test_rules_lists_every_rule_with_severity_and_category(icrun) -> None:
    result = icrun("rules")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].split() == ["RULE", "SEVERITY", "CATEGORY", "RULESET", "DESCRIPTION"]
    listed = {line.split()[0]: line.split()[1:4] for line in lines[1:]}
    assert set(listed) == set(builtin_ruleset("all"))
    assert listed["cadence-internal-max"] == ["error", "cadence", "recommended"]
    assert listed["triggers-defined"] == ["off", "hygiene", "all"]  # opt-in: listed, not on


def test_rule_page_says_what_why_options_and_examples(icrun) -> None:
    result = icrun("rules", "cadence-stakeholder-max")
    assert result.code == 0
    page = result.out
    assert "## cadence-stakeholder-max" in page
    assert "**What it does:** Stakeholders hear from us often enough." in page
    assert "**Why:**" in page
    assert "PagerDuty" in page
    assert "`max` (default `30m, 60m, 4h`)" in page
    assert "**Example** (fires):" in page
    assert "stakeholder_update: 45m" in page
    assert "**Use instead:**" in page


def test_unknown_rule_name_suggests_the_closest(icrun) -> None:
    result = icrun("rules", "cadense-internal-max")
    assert result.code == 2
    assert result.err == (
        "icrun: error: unknown rule 'cadense-internal-max' — did you mean 'cadence-internal-max'?\n"
    )


def test_docs_rules_md_is_generated_from_the_rulesets() -> None:
    docs = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert docs == reference(), "regenerate: python -m icrunbook.rules.docs > docs/rules.md"


def test_rules_test_runs_a_users_ruleset_examples(icrun_process, tmp_path) -> None:
    ruleset = tmp_path / "team-rules.yaml"
    ruleset.write_text(TEAM_RULESET, encoding="utf-8")
    result = icrun_process("rules", "--test", str(ruleset))
    assert result.code == 1, result.out + result.err
    assert "PASS service-name-style" in result.out
    assert "FAIL tags-required: the failing example does not fire the rule" in result.out
    assert result.out.endswith("1 passed, 1 failed, 0 skipped\n")


def test_rules_test_of_the_built_in_rulesets_passes(icrun, monkeypatch) -> None:
    monkeypatch.setenv("ICRUN_TODAY", "2026-11-27")
    result = icrun("rules", "--test", str(ROOT / "icrunbook" / "rulesets" / "all.yaml"))
    assert result.code == 0, result.out
    assert "FAIL" not in result.out


def test_rules_test_of_a_broken_ruleset_is_exit_2_with_its_line(icrun, tmp_path) -> None:
    ruleset = tmp_path / "broken.yaml"
    ruleset.write_text(TEAM_RULESET.replace("given: $.metadata\n", "givn: $.metadata\n"), "utf-8")
    result = icrun("rules", "--test", str(ruleset))
    assert result.code == 2
    assert result.err == (
        f"icrun: error: {ruleset}:19:5: unknown key 'givn' in rule 'tags-required'"
        " — did you mean 'given'?\n"
    )
