"""The rule engine: activating rules, running them on a document, Spectral's ``@key`` field and
default message, time-bounded patterns, and what repository rules collect and find."""

from __future__ import annotations

import pytest
from conftest import CLEAN

from icrunbook import api
from icrunbook.diagnostics import Diagnostic, Severity
from icrunbook.errors import IcrunError
from icrunbook.loader import load_text
from icrunbook.rules import patterns
from icrunbook.rules.engine import (
    Linter,
    RuleError,
    activate,
    collect,
    format_message,
    repository_diagnostics,
)
from icrunbook.rules.model import CheckSpec, Rule
from icrunbook.rules.registry import available_functions

FUNCTIONS = available_functions()
DOC = """\
apiVersion: icrunbook/v1
kind: Runbook
metadata: {name: checkout, title: Checkout, service: Checkout, owner: payments}
roles:
  ic: {title: IC, type: commander, duties: [Coordinate]}
  operations_lead: {title: Ops, type: operations, duties: [Act]}
"""


def rule(**fields: object) -> Rule:
    defaults: dict[str, object] = {
        "name": "my-rule",
        "description": "My rule",
        "severity": "warning",
    }
    return Rule(**{**defaults, **fields})  # type: ignore[arg-type]


def run(r: Rule, text: str = DOC, options: dict[str, object] | None = None) -> list[str]:
    active = activate(r, Severity.WARNING, options or {}, FUNCTIONS)
    from datetime import date

    found = Linter([active], date(2026, 11, 27)).run(load_text(text, "doc.yaml"))
    return [f"{d.line}:{d.column} {d.message}" for d in found]


def test_the_message_defaults_to_the_description_as_in_spectral() -> None:
    r = rule(given=("$.metadata",), then=(CheckSpec("truthy", ("tags",)),))
    assert run(r) == ["3:11 My rule"]
    own = rule(given=("$.metadata",), then=(CheckSpec("truthy", ("tags",)),), message="{{error}}")
    assert run(own) == ["3:11 must be set"]


def test_key_field_checks_each_key_and_points_at_it() -> None:
    check = CheckSpec("pattern", ("@key",), function_options={"match": "^.{1,5}$"})
    r = rule(given=("$.roles",), then=(check,), message="{{error}} ({{property}})")
    assert run(r) == ["6:3 'operations_lead' does not match ^.{1,5}$ (operations_lead)"]


def test_key_field_on_something_that_is_not_a_mapping_checks_nothing() -> None:
    check = CheckSpec("truthy", ("@key",))
    assert run(rule(given=("$.metadata.name",), then=(check,))) == []


def test_spectral_pattern_flags() -> None:
    check = CheckSpec("pattern", function_options={"notMatch": "/^checkout$/i"})
    r = rule(given=("$.metadata.service",), then=(check,), message="{{error}}")
    assert run(r) == ["3:54 'Checkout' must not match /^checkout$/i"]


def test_a_pattern_past_its_time_bound_is_one_error_naming_rule_and_place(monkeypatch) -> None:
    monkeypatch.setattr(patterns, "TIMEOUT_SECONDS", 0.05)
    check = CheckSpec("pattern", function_options={"match": "^(a|a)+$"})
    r = rule(given=("$.metadata.title",), then=(check,))
    slow = DOC.replace("title: Checkout", "title: " + "a" * 40 + "!")
    with pytest.raises(IcrunError) as raised:
        run(r, slow)
    message = str(raised.value)
    assert message.startswith("doc.yaml:3:")
    assert "rule 'my-rule'" in message
    assert "^(a|a)+$" in message


def test_a_function_of_the_wrong_scope_is_refused() -> None:
    repo = rule(scope="repository", given=("$.metadata.name",), then=(CheckSpec("truthy"),))
    with pytest.raises(RuleError, match="function 'truthy' is for document rules"):
        activate(repo, Severity.ERROR, {}, FUNCTIONS)
    doc = rule(given=("$.metadata.name",), then=(CheckSpec("uniqueAcrossFiles"),))
    with pytest.raises(RuleError, match="uniqueAcrossFiles' is for repository rules"):
        activate(doc, Severity.ERROR, {}, FUNCTIONS)


def test_a_repository_rule_has_exactly_one_check() -> None:
    two = (CheckSpec("uniqueAcrossFiles"), CheckSpec("uniqueAcrossFiles"))
    r = rule(scope="repository", given=("$.metadata.name",), then=two)
    with pytest.raises(RuleError, match="exactly one then entry"):
        activate(r, Severity.ERROR, {}, FUNCTIONS)


def test_collect_gathers_plain_values_with_their_places() -> None:
    r = rule(
        scope="repository",
        given=("$.roles[*].type", "$.roles"),
        then=(CheckSpec("uniqueAcrossFiles"),),
    )
    active = activate(r, Severity.ERROR, {}, FUNCTIONS)
    found = collect([active], load_text(DOC, "doc.yaml"))["my-rule"]
    assert [(o.where, o.value, o.span.line, o.line_text) for o in found] == [
        (
            ("roles", "ic", "type"),
            "commander",
            5,
            "ic: {title: IC, type: commander, duties: [Coordinate]}",
        ),
        (
            ("roles", "operations_lead", "type"),
            "operations",
            6,
            "operations_lead: {title: Ops, type: operations, duties: [Act]}",
        ),
    ]  # the roles mapping itself is not a plain value
    rejected = frozenset({("roles", "ic", "type")})
    assert len(collect([active], load_text(DOC, "doc.yaml"), rejected)["my-rule"]) == 1


def names_found_in(files: list[str], message: str) -> list[Diagnostic]:
    """A repository rule on ``metadata.name`` run over copies of DOC named ``files``."""
    r = rule(
        scope="repository",
        given=("$.metadata.name",),
        then=(CheckSpec("uniqueAcrossFiles"),),
        message=message,
    )
    active = activate(r, Severity.ERROR, {}, FUNCTIONS)
    found = [o for name in files for o in collect([active], load_text(DOC, name))["my-rule"]]
    return list(repository_diagnostics(active, found))


def test_repository_diagnostics_fill_the_message_from_each_occurrence() -> None:
    diagnostics = names_found_in(["a.yaml", "b.yaml", "c.yaml"], "'{{value}}' also in {{error}}")
    assert [(d.path, d.message) for d in diagnostics] == [
        ("a.yaml", "'checkout' also in b.yaml, c.yaml"),
        ("b.yaml", "'checkout' also in a.yaml, c.yaml"),
        ("c.yaml", "'checkout' also in a.yaml, b.yaml"),
    ]
    assert all(d.line_text.startswith("metadata: {name: checkout") for d in diagnostics)


def test_unique_across_files_names_three_others_and_counts_the_rest() -> None:
    first = names_found_in([f"{i}.yaml" for i in range(6)], "{{error}}")[0]
    assert first.message == "1.yaml, 2.yaml, 3.yaml and 2 more"


def test_messages_fill_placeholders_without_reading_them_as_templates() -> None:
    r = rule(
        given=("$",), then=(CheckSpec("truthy"),), message="{{value}} {{options.max}} {{nope}}"
    )
    active = activate(r, Severity.ERROR, {}, FUNCTIONS)
    assert format_message(active, "x", "{{ 7*7 }}", ("a",)) == "{{ 7*7 }}  {{nope}}"


def test_a_misspelt_key_is_not_reported_missing_but_a_rejected_value_still_counts() -> None:
    typo = CLEAN.replace("    timebox: 10m\n", "    timbox: 10m\n", 1)
    assert [d.rule for d in api.lint_document(load_text(typo, "a.yaml"))] == ["schema"]
