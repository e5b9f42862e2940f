"""Rule examples as runnable runbooks: each example fragment merged onto ``example-base.yaml``.

A ``scope: repository`` rule's example is a YAML list of fragments, one runbook file each. A
fragment's ``policy:`` mapping is the policy the runbook is laid over (for rules about what a
runbook does with its policy)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from icrunbook.diagnostics import Severity
from icrunbook.loader import Document, load_text
from icrunbook.pipeline.plan import today
from icrunbook.rules.engine import ActiveRule, Linter, activate, collect, repository_diagnostics

if TYPE_CHECKING:
    from collections.abc import Mapping

    from icrunbook.diagnostics import Diagnostic
    from icrunbook.rules.functions import FunctionSpec
    from icrunbook.rules.model import Rule


@cache
def _base() -> dict[str, Any]:
    text = resources.files("icrunbook").joinpath("rulesets", "example-base.yaml").read_text("utf-8")
    base: dict[str, Any] = yaml.load(text, Loader=yaml.CSafeLoader)
    return base


def merge(base: Any, fragment: Any) -> Any:
    """Mappings merge key by key; anything else replaces; ``null`` removes the key."""
    if not isinstance(base, dict) or not isinstance(fragment, dict):
        return fragment
    merged = dict(base)
    for key, value in fragment.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge(base.get(key), value)
    return merged


def example_document(fragment: str, name: str) -> Document:
    """The runbook an example stands for, loaded like any file (so positions are real)."""
    return _merged(yaml.load(fragment, Loader=yaml.CSafeLoader) or {}, name)


def example_documents(rule: Rule, fragment: str, name: str) -> list[Document]:
    """The files an example stands for: one, or (a repository rule's list) one per item."""
    if rule.examples is not None and rule.examples.verbatim:
        return [verbatim_document(fragment, f"{name}.yaml")]
    if rule.scope != "repository":
        return [example_document(fragment, f"{name}.yaml")]
    parts = yaml.load(fragment, Loader=yaml.CSafeLoader) or []
    return [_merged(part or {}, f"{name}-{i}.yaml") for i, part in enumerate(parts, start=1)]


def verbatim_document(fragment: str, name: str) -> Document:
    """The base without the sections the fragment sets, then the fragment's text as written:
    for rules about how a value is written, which a round trip through YAML would undo."""
    sections = yaml.load(fragment, Loader=yaml.CSafeLoader) or {}
    base = {key: value for key, value in _base().items() if key not in sections}
    return load_text(_dumped(base) + fragment, name)


def _merged(fragment: Any, name: str) -> Document:
    policy = fragment.get("policy") if isinstance(fragment, dict) else None
    if not isinstance(policy, dict):
        return load_text(_dumped(merge(_base(), fragment)), name)
    own = {key: value for key, value in fragment.items() if key != "policy"}
    document = load_text(_dumped(merge(_base(), own)), name)
    from icrunbook.policy import laid_over

    header = {"apiVersion": "icrunbook/v1", "kind": "Policy", "metadata": {"name": "example"}}
    return laid_over(document, load_text(_dumped({**header, **policy}), f"{name}-policy.yaml"))


def _dumped(data: Any) -> str:
    return yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)


@dataclass(frozen=True, slots=True)
class ExampleResult:
    """How one rule fared on its own examples."""

    rule: str
    outcome: str  # "pass", "fail" or "skip"
    detail: str = ""


def check_examples(rule: Rule, functions: Mapping[str, FunctionSpec]) -> ExampleResult:
    """Run one rule alone on its examples: the failing one must fire it, the passing one not."""
    if rule.stage is not None or rule.examples is None:
        why = "reported by a pipeline stage" if rule.stage else "no examples"
        return ExampleResult(rule.name, "skip", why)
    severity = Severity.WARNING if rule.severity == "off" else Severity.parse(rule.severity)
    active = activate(rule, severity, rule.option_defaults(), functions)
    fired = _fired(active, example_documents(rule, rule.examples.failing, f"{rule.name}:fail"))
    if not fired:
        return ExampleResult(rule.name, "fail", "the failing example does not fire the rule")
    wrongly = _fired(active, example_documents(rule, rule.examples.passing, f"{rule.name}:pass"))
    if wrongly:
        where = f"line {wrongly[0].line}: {wrongly[0].message}"
        return ExampleResult(rule.name, "fail", f"the passing example fires it ({where})")
    return ExampleResult(rule.name, "pass")


def _fired(rule: ActiveRule, documents: list[Document]) -> list[Diagnostic]:
    """What one rule alone finds in an example's files."""
    if rule.rule.scope == "repository":
        found = [o for document in documents for o in collect([rule], document)[rule.name]]
        return list(repository_diagnostics(rule, found))
    linter = Linter([rule], today())
    return [d for document in documents for d in linter.run(document)]
