"""Every rule's examples run as tests: the failing one fires exactly that rule, the passing one
fires nothing; and the bundled runbooks lint clean."""

from __future__ import annotations

import pytest
from conftest import RUNBOOKS

from icrunbook.diagnostics import Diagnostic
from icrunbook.lint import Lint, active_rules, lint_paths
from icrunbook.rules.examples import example_document
from icrunbook.rules.ruleset import builtin_ruleset

RULES = {rule.name: rule for rule in active_rules()}
EXAMPLED = sorted(name for name, rule in RULES.items() if rule.rule.examples is not None)


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICRUN_TODAY", "2026-11-27")


def test_every_rule_but_the_stage_rules_has_examples() -> None:
    stage_rules = {n for n, r in builtin_ruleset("recommended").items() if r.stage is not None}
    assert stage_rules == {"syntax", "duplicate-key", "schema", "unused-suppression"}
    assert set(EXAMPLED) == set(RULES) - stage_rules


def _lint_example(name: str, failing: bool) -> list[Diagnostic]:
    examples = RULES[name].rule.examples
    assert examples is not None
    fragment, suffix = (examples.failing, "fail") if failing else (examples.passing, "pass")
    return Lint(list(RULES.values())).document(example_document(fragment, f"{name}-{suffix}.yaml"))


@pytest.mark.parametrize("name", EXAMPLED)
def test_failing_example_fires_exactly_its_rule(name: str) -> None:
    found = _lint_example(name, failing=True)
    assert {d.rule for d in found} == {name}, [(d.rule, d.message) for d in found]


@pytest.mark.parametrize("name", EXAMPLED)
def test_passing_example_fires_nothing(name: str) -> None:
    found = _lint_example(name, failing=False)
    assert found == [], [(d.rule, d.message) for d in found]


def test_bundled_runbooks_lint_clean() -> None:
    report = lint_paths([str(RUNBOOKS)])
    assert report.diagnostics == [], [
        (d.path, d.line, d.rule, d.message) for d in report.diagnostics
    ]
