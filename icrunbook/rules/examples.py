"""Rule examples as runnable runbooks: each example fragment merged onto ``example-base.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from icrunbook.diagnostics import Severity
from icrunbook.lint import today
from icrunbook.loader import Document, load_text
from icrunbook.rules.engine import Linter, activate

if TYPE_CHECKING:
    from collections.abc import Mapping

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
    data = merge(_base(), yaml.load(fragment, Loader=yaml.CSafeLoader) or {})
    text = yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)
    return load_text(text, name)


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
    linter = Linter([activate(rule, severity, rule.option_defaults(), functions)], today())
    fired = linter.run(example_document(rule.examples.failing, f"{rule.name}:fail"))
    if not fired:
        return ExampleResult(rule.name, "fail", "the failing example does not fire the rule")
    wrongly = linter.run(example_document(rule.examples.passing, f"{rule.name}:pass"))
    if wrongly:
        where = f"line {wrongly[0].line}: {wrongly[0].message}"
        return ExampleResult(rule.name, "fail", f"the passing example fires it ({where})")
    return ExampleResult(rule.name, "pass")
