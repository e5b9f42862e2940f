"""Rule documentation, generated from the rulesets themselves: ``icrun rules`` and
``docs/rules.md`` (regenerate with ``python -m icrunbook.rules.docs > docs/rules.md``)."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

from icrunbook.rules.ruleset import builtin_ruleset

if TYPE_CHECKING:
    from collections.abc import Mapping

    from icrunbook.rules.model import CheckSpec, Rule

CATEGORIES = ("structure", "roles", "cadence", "mitigation", "communications", "hygiene")


def catalog() -> list[tuple[Rule, str]]:
    """Every built-in rule with the ruleset that enables it, in category order."""
    recommended = builtin_ruleset("recommended")
    rules = [
        (rule, "recommended" if name in recommended else "all")
        for name, rule in builtin_ruleset("all").items()
    ]
    order = {category: i for i, category in enumerate(CATEGORIES)}
    return sorted(
        rules, key=lambda pair: (order.get(pair[0].category, len(order)), pair[1] != "recommended")
    )


def table(rules: list[tuple[Rule, str]]) -> str:
    """One line per rule: name, default severity, category, ruleset, description."""
    rows = [("RULE", "SEVERITY", "CATEGORY", "RULESET", "DESCRIPTION")]
    rows += [(r.name, r.severity, r.category, ruleset, r.description) for r, ruleset in rules]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True))
        + "  "
        + row[4]
        + "\n"
        for row in rows
    )


def rule_page(rule: Rule, ruleset: str = "") -> str:
    """What a rule does, why, its options, and a failing and a passing example (Markdown)."""
    enabled = f", in `{ruleset}`" if ruleset else ""
    parts = [
        f"## {rule.name}\n",
        f"*{rule.severity}, {rule.category}{enabled}*\n",
        f"**What it does:** {rule.description}.\n",
    ]
    if rule.rationale:
        parts.append(f"**Why:** {rule.rationale}\n")
    if rule.options:
        lines = [
            f"- `{name}` (default `{_show(option.default)}`): {option.description}"
            for name, option in rule.options.items()
        ]
        parts.append("**Options** (set in `.icrun.yaml`, see below):\n\n" + "\n".join(lines) + "\n")
    if rule.examples is not None:
        parts.append(f"**Example** (fires):\n\n```yaml\n{rule.examples.failing.rstrip()}\n```\n")
        parts.append(f"**Use instead:**\n\n```yaml\n{rule.examples.passing.rstrip()}\n```\n")
    parts.append(_how(rule))
    return "\n".join(parts)


def _how(rule: Rule) -> str:
    if rule.stage is not None:
        return f"**How it is checked:** reported by the `{rule.stage}` stage.\n"
    given = ", ".join(f"`{query}`" for query in rule.given)
    checks = "\n".join(f"- {_check(check)}" for check in rule.then)
    example = _config_example(rule)
    return f"**How it is checked:** given {given}:\n\n{checks}\n\n{example}"


def _check(check: CheckSpec) -> str:
    target = f" on `{'.'.join(check.field)}`" if check.field else ""
    own = f" of {', '.join(f'`{q}`' for q in check.given)}" if check.given else ""
    options = (
        f" with `{json.dumps(dict(check.function_options))}`" if check.function_options else ""
    )
    return f"function `{check.function}`{target}{own}{options}"


def _config_example(rule: Rule) -> str:
    settings: Mapping[str, Any] = {"severity": "warning"}
    if rule.options:
        name, option = next(iter(rule.options.items()))
        settings = {"options": {name: option.default}}
    return (
        "**Configure** in `.icrun.yaml`:\n\n"
        f"```yaml\nrules:\n  {rule.name}: {json.dumps(settings)}\n```\n"
    )


def _show(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def functions_reference() -> str:
    """The built-in functions rules can call, with their options (Markdown)."""
    from icrunbook.rules.registry import builtin_functions

    lines = ["## Functions\n", "Rules call these by name in `then.function`.\n"]
    for name, spec in sorted(builtin_functions().items()):
        options = ", ".join(
            f"`{option}`{' (required)' if option in spec.required else ''}"
            for option in spec.options
        )
        lines.append(
            f"- **`{name}`**: {spec.summary}" + (f" Options: {options}." if options else "")
        )
    return "\n".join(lines) + "\n"


def reference() -> str:
    """The whole rule reference, ``docs/rules.md``."""
    rules = catalog()
    header = (
        "# Rule reference\n\n"
        "Generated from the built-in rulesets by `python -m icrunbook.rules.docs`; "
        "do not edit by hand. `icrun rules NAME` prints the same page.\n\n"
        "```text\n" + table(rules) + "```\n"
    )
    pages = "".join("\n" + rule_page(rule, ruleset) for rule, ruleset in rules)
    return header + pages + "\n" + functions_reference()


if __name__ == "__main__":
    sys.stdout.write(reference())
