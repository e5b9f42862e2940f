"""Every rule's examples run as tests: the failing one fires exactly that rule, the passing one
fires nothing; and the bundled runbooks lint clean."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from conftest import RUNBOOKS

from icrunbook.api import default_config, lint_documents, lint_paths
from icrunbook.diagnostics import Diagnostic
from icrunbook.loader import Path
from icrunbook.rules.examples import example_documents
from icrunbook.rules.ruleset import builtin_ruleset

ALL = builtin_ruleset("all")
EXAMPLED = sorted(name for name, rule in ALL.items() if rule.examples is not None)
STAGE_RULES = {
    "syntax",
    "duplicate-key",
    "schema",
    "not-a-runbook",
    "unused-suppression",
    "baseline-stale",
}
CONFIG = default_config(".", "all")


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICRUN_TODAY", "2026-11-27")


def _lint_example(name: str, failing: bool) -> list[Diagnostic]:
    examples = ALL[name].examples
    assert examples is not None
    fragment, suffix = (examples.failing, "fail") if failing else (examples.passing, "pass")
    return lint_documents(example_documents(ALL[name], fragment, f"{name}-{suffix}"), CONFIG)


def test_every_rule_but_the_stage_rules_has_examples() -> None:
    assert {n for n, r in builtin_ruleset("recommended").items() if r.stage} == STAGE_RULES
    assert set(EXAMPLED) == set(ALL) - STAGE_RULES


def test_all_extends_recommended() -> None:
    assert set(builtin_ruleset("recommended")) < set(ALL)


def _touched(fragment: Any, path: Path = ()) -> Iterator[Path]:
    """The paths an example fragment sets (or, for a removed key, the mapping it leaves)."""
    if isinstance(fragment, dict):
        for key, value in fragment.items():
            yield from (_touched(value, (*path, key)) if value is not None else [path])
    else:
        yield path


@pytest.mark.parametrize("name", EXAMPLED)
def test_failing_example_fires_exactly_its_rule(name: str) -> None:
    found = _lint_example(name, failing=True)
    assert {d.rule for d in found} == {name}, [(d.rule, d.message) for d in found]


@pytest.mark.parametrize("name", EXAMPLED)
def test_failing_example_is_reported_at_what_the_example_changed(name: str) -> None:
    rule = ALL[name]
    assert rule.examples is not None
    documents = example_documents(rule, rule.examples.failing, f"{name}-fail")
    fragment = yaml.safe_load(rule.examples.failing)
    parts = fragment if rule.scope == "repository" else [fragment]  # one fragment per file
    spans = {
        document.path: [document.locate(path) for path in _touched(part)]
        for document, part in zip(documents, parts, strict=True)
    }
    for diagnostic in _lint_example(name, failing=True):
        # the reported node overlaps what the example changed ("no role is a scribe" is
        # reported at the roles mapping, which holds the changed role)
        d = diagnostic
        assert any(s.line <= d.end_line and d.line <= s.end_line for s in spans[d.path]), d


@pytest.mark.parametrize("name", EXAMPLED)
def test_passing_example_fires_nothing(name: str) -> None:
    found = _lint_example(name, failing=False)
    assert found == [], [(d.rule, d.message) for d in found]


def test_bundled_runbooks_lint_clean() -> None:
    report = lint_paths([str(RUNBOOKS)])
    assert report.diagnostics == [], [
        (d.path, d.line, d.rule, d.message) for d in report.diagnostics
    ]


def test_default_config_is_the_recommended_ruleset() -> None:
    assert set(default_config().rules) == set(builtin_ruleset("recommended"))
