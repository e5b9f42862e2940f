"""Every rule is robust to any schema-invalid document: no crash, no double report.

The shipped runbooks are mutated node by node (each node replaced by ``null``, ``0``, ``7.5``,
``true``, ``""``, ``"text"``, ``[]``, ``["x"]``, ``{}``, ``{"x": 1}``, and each mapping entry
deleted), and every mutant is linted in-process with every rule (the ``all`` ruleset). Each
lint must not raise, must put every diagnostic inside the file, under a known rule name, and
must not say twice what ``schema`` already said (the convention in the rules spec: a rule skips
values that fail the schema; ``schema`` reports those, once).

A lint costs some 10 ms, so the paths are sampled: every top-level key, the first step, severity,
role and template with each of their keys, and a deterministic sample of the other nodes, up to
``ICRUN_ROBUSTNESS_PATHS`` paths per runbook (default 30, which the anchors alone exceed: about
370 lints per runbook); ``ICRUN_ROBUSTNESS_PATHS=all`` mutates every node (about 13,500 lints,
a few minutes). Mutants are written with the C ``SafeDumper`` (the same YAML as
``yaml.safe_dump``, six times faster).
"""

from __future__ import annotations

import copy
import json
import os
import random
import re
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import EXAMPLES, FIXTURES

from icrunbook.api import Config, default_config, lint_document
from icrunbook.cli import main
from icrunbook.diagnostics import Diagnostic
from icrunbook.loader import load_text
from icrunbook.pipeline.runner import Runner

ROOT = Path(__file__).resolve().parent.parent
RUNBOOKS = EXAMPLES
STANDALONE = FIXTURES / "standalone" / "web-api-bad-deploy.yaml"
TODAY = "2026-11-27"

REPLACEMENTS: tuple[Any, ...] = (None, 0, 7.5, True, "", "text", [], ["x"], {}, {"x": 1})
DELETE = object()  # a mutation that deletes the mapping entry

NodePath = tuple[str | int, ...]


def _budget() -> int | None:
    raw = os.environ.get("ICRUN_ROBUSTNESS_PATHS", "30")
    return None if raw == "all" else int(raw)


@pytest.fixture(scope="module")
def rule_run() -> Iterator[Config]:
    """Every rule (``all``: the recommended ones and the opt-in ones), dates fixed while the
    plan is made."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ICRUN_TODAY", TODAY)
        config = default_config(str(ROOT), "all")
        lint_document(load_text("a: 1\n", "warm-up.yaml"), config)
        yield config


def _load(path: Path) -> dict[str, Any]:
    data = yaml.load(path.read_text("utf-8"), Loader=yaml.CSafeLoader)
    assert isinstance(data, dict)
    return data


def _all_paths(node: Any, at: NodePath = ()) -> Iterator[NodePath]:
    """Every node below ``node`` (not ``node`` itself), parents before children."""
    if isinstance(node, dict):
        children: list[tuple[str | int, Any]] = list(node.items())
    elif isinstance(node, list):
        children = list(enumerate(node))
    else:
        return
    for key, child in children:
        yield (*at, key)
        yield from _all_paths(child, (*at, key))


def _first_key(node: Any) -> str | None:
    return next(iter(node), None) if isinstance(node, dict) else None


def chosen_paths(data: dict[str, Any]) -> list[NodePath]:
    """Top-level keys, the first step, severity, role and template and their keys, then a
    deterministic sample of the rest, up to the budget."""
    anchors: list[NodePath] = []
    if isinstance(data.get("steps"), list) and data["steps"]:
        anchors.append(("steps", 0))
    for name in ("severities", "roles"):
        first = _first_key(data.get(name))
        if first is not None:
            anchors.append((name, first))
    templates = (data.get("communications") or {}).get("templates")
    first = _first_key(templates)
    if first is not None:
        anchors.append(("communications", "templates", first))
    must: list[NodePath] = [(key,) for key in data]
    for anchor in anchors:
        node: Any = data
        for key in anchor:
            node = node[key]
        must += [anchor, *((*anchor, key) for key in node)]
    rest = [path for path in _all_paths(data) if path not in must]
    budget = _budget()
    if budget is None:
        return must + rest
    extra = max(budget - len(must), 0)
    sample = random.Random(0).sample(rest, min(extra, len(rest)))  # noqa: S311 (not crypto)
    return must + sample


def mutate(data: dict[str, Any], path: NodePath, new: Any) -> dict[str, Any]:
    mutant = copy.deepcopy(data)
    parent: Any = mutant
    for key in path[:-1]:
        parent = parent[key]
    if new is DELETE:
        del parent[path[-1]]
    else:
        parent[path[-1]] = copy.deepcopy(new)
    return mutant


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False)


def mutants(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(label, YAML text) of every mutation of every chosen path."""
    for path in chosen_paths(data):
        changes = (*REPLACEMENTS, DELETE) if isinstance(path[-1], str) else REPLACEMENTS
        for new in changes:
            label = f"{'/'.join(map(str, path))} -> {'<deleted>' if new is DELETE else repr(new)}"
            yield label, dump(mutate(data, path, new))


# What a double report is.

_MISSING_KEY = re.compile(r"missing required key '([^']+)'")
_TOO_FEW = re.compile(r" is empty; it needs at least ")
_RELATION = re.compile(r" is already used by item ")


def same_problem(found: Diagnostic, schema: Diagnostic) -> bool:
    """Whether a rule's diagnostic says again what a ``schema`` one at the same line and column
    says: the rule judged a value that the schema rejects for its type, form or emptiness.

    Comparing line and column alone over-reports; these are different problems at one spot:

    - different nodes that merely start at the same place: a mapping and its first key
      (``commander-required`` on ``roles``, the schema on a first role that is ``null``);
    - a missing key the rule does not talk about: the schema's "step 1 is missing required key
      'phase'" and ``time-to-mitigation``'s "step 1 ... has no timebox" both point at the step
      (the same missing key would be a double report);
    - too few entries, where the rule asks for a kind of entry: "roles is empty; it needs at
      least 1 entry" and "no role has type commander" (adding any role satisfies the schema,
      not the rule), likewise an empty ``steps`` and ``mitigation-required``;
    - a relation between two nodes: ``duplicate-step-id``'s "'7' is already used by item 1"
      and the schema's "id is a number (7)": writing both ids as the same slug fixes the type
      and keeps the duplicate.
    """
    if found.span != schema.span or _RELATION.search(found.message):
        return False
    if _TOO_FEW.search(schema.message):
        return False
    missing = _MISSING_KEY.search(schema.message)
    if missing is not None:
        return re.search(rf"\b{re.escape(missing.group(1))}\b", found.message) is not None
    return True


def double_reports(diagnostics: list[Diagnostic]) -> list[tuple[Diagnostic, Diagnostic]]:
    schema = [d for d in diagnostics if d.rule == "schema"]
    return [
        (found, said)
        for found in diagnostics
        if found.rule != "schema"
        for said in schema
        if (found.line, found.column) == (said.line, said.column) and same_problem(found, said)
    ]


def problems(rule_run: Config, text: str, path: str = "mutant.yaml") -> list[str]:
    """What is wrong with linting ``text``: a crash, a misplaced diagnostic, an unknown rule or
    a double report."""
    try:
        diagnostics = lint_document(load_text(text, path), rule_run)
    except Exception:
        return [f"crashed:\n{traceback.format_exc(limit=-3)}"]
    lines = text.count("\n") + 1
    found = []
    for d in diagnostics:
        if not (1 <= d.line <= lines + 1 and d.column >= 1):
            found.append(f"{d.rule} at {d.line}:{d.column} is outside the file ({lines} lines)")
        if d.rule not in rule_run.rules:
            found.append(f"unknown rule {d.rule!r}")
    for d, said in double_reports(diagnostics):
        found.append(
            f"double report at {d.line}:{d.column}: {d.rule} says {d.message!r}, "
            f"schema said {said.message!r}"
        )
    return found


# The mutation test.


@pytest.mark.parametrize("runbook", RUNBOOKS, ids=lambda path: path.stem)
def test_every_mutation_lints_without_crash_or_double_report(
    rule_run: Config, runbook: Path
) -> None:
    data = _load(runbook)
    failures: list[str] = []
    linted = 0
    for label, text in mutants(data):
        linted += 1
        failures += [f"{runbook.name}: {label}: {problem}" for problem in problems(rule_run, text)]
    assert linted >= 150
    assert not failures, f"{len(failures)} problems in {linted} mutants:\n" + "\n".join(
        failures[:20]
    )


def test_paths_include_the_anchors() -> None:
    data = _load(STANDALONE)
    chosen = chosen_paths(data)
    assert len(chosen) == len(set(chosen))
    for key in data:
        assert (key,) in chosen
    for key in data["steps"][0]:
        assert ("steps", 0, key) in chosen
    for key in data["severities"]["SEV1"]:
        assert ("severities", "SEV1", key) in chosen
    assert ("communications", "templates", "initial", "body") in chosen


# The same through ``icrun lint -f json``.

CLI_MUTATIONS: tuple[tuple[NodePath, Any], ...] = (
    (("steps",), {"x": 1}),
    (("roles",), ["x"]),
    (("severities",), None),
    (("steps", 0), "text"),
    (("metadata",), DELETE),
)


@pytest.mark.parametrize("runbook", RUNBOOKS, ids=lambda path: path.stem)
def test_cli_json_output_on_mutants(
    runbook: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ICRUN_TODAY", TODAY)
    data = Runner().load(str(runbook)).data  # merged over its policy: the mutant stands alone
    for number, (path, new) in enumerate(CLI_MUTATIONS):
        target = tmp_path / f"mutant-{number}.yaml"
        target.write_text(dump(mutate(data, path, new)), "utf-8")
        code = main(["lint", "-f", "json", str(target)])
        captured = capsys.readouterr()
        assert code in (0, 1), f"{path} -> {new!r}: exit {code}: {captured.err}"
        report = json.loads(captured.out)
        assert report, f"{path} -> {new!r}: empty JSON report"


# Hand-written nasty documents.


def _base() -> dict[str, Any]:
    return _load(STANDALONE)


def _nasty() -> Iterator[tuple[str, dict[str, Any]]]:
    data = _base()
    data["steps"] = {step["id"]: step for step in data["steps"]}
    yield "steps is a mapping", data
    data = _base()
    data["roles"] = [{"name": key, **role} for key, role in data["roles"].items()]
    yield "roles is a list of role mappings", data
    data = _base()
    data["severities"] = {name: "fast" for name in data["severities"]}
    yield "severity values are strings", data
    data = _base()
    data["steps"].insert(1, "just do it")
    yield "a step is a string", data
    data = _base()
    for template in data["communications"]["templates"].values():
        template["body"] = 42
    yield "template bodies are numbers", data
    data = _base()
    data["steps"][0]["on_failure"] = ["escalate", "roll-back"]
    yield "on_failure is a list", data
    data = _base()
    for step in data["steps"]:
        step["id"] = 7
    yield "step ids are equal numbers", data
    data = _base()
    for step in data["steps"]:
        step["phase"] = None
    yield "every phase is null", data
    data = _base()
    data["severities"]["SEV1"] = {"description": "Down"}
    yield "a severity without cadence", data
    data = _base()
    data["postmortem"] = None
    data["handoff"] = ["max_shift"]
    yield "postmortem null, handoff a list", data
    data = _base()
    data["metadata"]["last_reviewed"] = 20261127
    data["metadata"]["links"] = [None, "https://x", {"url": None}]
    yield "odd metadata", data


@pytest.mark.parametrize(("label", "data"), list(_nasty()), ids=[n for n, _ in _nasty()])
def test_nasty_documents(rule_run: Config, label: str, data: dict[str, Any]) -> None:
    text = dump(data)
    assert problems(rule_run, text) == []
    diagnostics = lint_document(load_text(text, "nasty.yaml"), rule_run)
    assert any(d.rule == "schema" for d in diagnostics), "the schema rejects every one of these"


def test_duplicate_numeric_step_ids_are_reported(rule_run: Config) -> None:
    data = _base()
    for step in data["steps"][:2]:
        step["id"] = 7
    diagnostics = lint_document(load_text(dump(data), "x.yaml"), rule_run)
    assert [d.message for d in diagnostics if d.rule == "duplicate-step-id"] == [
        "'7' is already used by item 1"
    ]


def test_step_ids_true_and_1_are_not_duplicates(rule_run: Config) -> None:
    data = _base()
    data["steps"][0]["id"], data["steps"][1]["id"], data["steps"][2]["id"] = True, 1, 1.0
    diagnostics = lint_document(load_text(dump(data), "x.yaml"), rule_run)
    assert [d.message for d in diagnostics if d.rule == "duplicate-step-id"] == [
        "'1.0' is already used by item 2"
    ]


def test_a_given_that_selects_nothing_reports_nothing(rule_run: Config) -> None:
    """With no ``communications.templates`` and no steps of phase mitigate, the rules whose
    ``given`` selects those nodes are silent (the schema reports the missing key)."""
    data = _base()
    del data["communications"]["templates"]
    for step in data["steps"]:
        if step["phase"] == "mitigate":
            step["phase"] = "recover"
    diagnostics = lint_document(load_text(dump(data), "x.yaml"), rule_run)
    rules = {d.rule for d in diagnostics}
    assert not rules & {"mitigation-verified", "mitigation-timeboxed", "comms-template-valid"}
    assert not rules & {"comms-templates-required", "comms-next-update"}
    assert {"schema", "mitigation-required"} <= rules


# Values the schema rejects for their type or form are left alone by the rules: one example per
# rule whose function cannot tell a wrong type on its own (truthy, count, pattern).

SCHEMA_FIRST_EXAMPLES: tuple[tuple[NodePath, Any, str], ...] = (
    (("steps", "MITIGATE", "verify"), 0, "mitigation-verified"),
    (("steps", "MITIGATE", "timebox"), "", "mitigation-timeboxed"),
    (("escalation",), {}, "escalation-defined"),
    (("triggers",), "", "triggers-defined"),
    (("severities", "SEV1", "page"), 0, "severity-pages"),
    (("roles",), [], "commander-required"),
    (("steps",), {}, "mitigation-required"),
    (("metadata", "links", 0, "url"), "text", "links-https"),
)


@pytest.mark.parametrize(
    ("path", "new", "rule"),
    SCHEMA_FIRST_EXAMPLES,
    ids=[rule for _, _, rule in SCHEMA_FIRST_EXAMPLES],
)
def test_rules_leave_values_the_schema_rejects(
    rule_run: Config, path: NodePath, new: Any, rule: str
) -> None:
    data = _base()
    first_mitigate = next(i for i, s in enumerate(data["steps"]) if s["phase"] == "mitigate")
    path = tuple(first_mitigate if key == "MITIGATE" else key for key in path)
    diagnostics = lint_document(load_text(dump(mutate(data, path, new)), "x.yaml"), rule_run)
    assert rule not in [found.rule for found, _ in double_reports(diagnostics)]
