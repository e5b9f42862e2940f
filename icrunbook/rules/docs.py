"""Rule documentation, generated from the rulesets themselves: ``icrun rules`` and
``docs/rules.md`` (regenerate with ``python -m icrunbook.rules.docs > docs/rules.md``)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

from icrunbook.rules.ruleset import builtin_ruleset

if TYPE_CHECKING:
    from icrunbook.config import Config
    from icrunbook.rules.model import CheckSpec, Rule

ALWAYS = "always"  # the ruleset column of the structural checks: every config has them
CATEGORIES = ("structure", "roles", "cadence", "mitigation", "communications", "hygiene")


@dataclass(frozen=True, slots=True)
class Entry:
    """A rule as a config has it: where it comes from, its severity and option values."""

    rule: Rule
    ruleset: str
    severity: str
    options: Mapping[str, Any]


def catalog(config: Config | None = None) -> list[Entry]:
    """Every rule in category order: the built-in ones at their defaults, or (with ``config``)
    the rules in force under that config, with the severities and options it sets."""
    if config is None:
        recommended = builtin_ruleset("recommended")
        entries = [
            Entry(rule, "recommended" if name in recommended else "all", rule.severity, {})
            for name, rule in builtin_ruleset("all").items()
        ]
    else:
        entries = []
        for name, rule in config.rules.items():
            severity, options = config.setting(name, ())
            shown = "error" if rule.structural else severity
            entries.append(Entry(rule, _origin(rule, config), shown, options))
        # the built-in rules this config does not enable, listed as off so they can be found
        for name, rule in builtin_ruleset("all").items():
            if name not in config.rules:
                entries.append(Entry(rule, "all", "off", {}))
    entries = [
        Entry(e.rule, ALWAYS, e.severity, e.options) if e.rule.structural else e for e in entries
    ]
    order = {category: i for i, category in enumerate(CATEGORIES)}
    return sorted(
        entries,
        key=lambda e: (
            order.get(e.rule.category, len(order)),
            not e.rule.structural,
            e.ruleset != "recommended",
        ),
    )


def _origin(rule: Rule, config: Config) -> str:
    """``recommended`` or ``all`` for built-in rules, else the file that defines the rule."""
    source = rule.source.rsplit(":", 1)[0]
    if source.startswith("<") and source.endswith(" ruleset>"):
        return source[1 : -len(" ruleset>")]
    return os.path.relpath(source, config.root) if os.path.isabs(source) else source


def table(entries: list[Entry]) -> str:
    """One line per rule: name, severity, category, ruleset, description."""
    rows = [("RULE", "SEVERITY", "CATEGORY", "RULESET", "DESCRIPTION")]
    rows += [
        (e.rule.name, e.severity, e.rule.category, e.ruleset, e.rule.description) for e in entries
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True))
        + "  "
        + row[4]
        + "\n"
        for row in rows
    )


def rule_page(rule: Rule, ruleset: str = "", entry: Entry | None = None) -> str:
    """What a rule does, why, its options, and a failing and a passing example (Markdown).
    With ``entry`` (a config's view of the rule), the severity and option values in force."""
    enabled = f", in `{ruleset}`" if ruleset else ""
    severity = entry.severity if entry is not None else rule.severity
    parts = [
        f"## {rule.name}\n",
        f"*{severity}, {rule.category}{enabled}*\n",
        f"**What it does:** {rule.description}.\n",
    ]
    if rule.rationale:
        parts.append(f"**Why:** {rule.rationale}\n")
    if rule.options:
        lines = []
        for name, option in rule.options.items():
            value = entry.options.get(name, option.default) if entry is not None else None
            now = f", now `{_show(value)}`" if entry and value != option.default else ""
            default = f"default `{_show(option.default)}`{now}"
            lines.append(f"- `{name}` ({default}): {option.description}")
        parts.append("**Options** (set in `.icrun.yaml`, see below):\n\n" + "\n".join(lines) + "\n")
    if rule.examples is not None:
        parts.append(f"**Example** (fires):\n\n```yaml\n{rule.examples.failing.rstrip()}\n```\n")
        parts.append(f"**Use instead:**\n\n```yaml\n{rule.examples.passing.rstrip()}\n```\n")
        if "\npolicy:" in "\n" + rule.examples.failing:
            parts.append(
                "(`policy:` in these examples stands for the policy file the runbook names, "
                "written out; in a runbook, `policy:` is that file's path.)\n"
            )
    parts.append(_how(rule))
    return "\n".join(parts)


def _how(rule: Rule) -> str:
    if rule.structural:
        return (
            f"**How it is checked:** reported by the `{rule.stage}` stage of the pipeline; "
            "structural, so always on, as an error.\n"
        )
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


def _note(name: str) -> str:
    """A hand-written section of the reference (``icrunbook/rulesets/docs/NAME.md``)."""
    text = resources.files("icrunbook").joinpath("rulesets", "docs", f"{name}.md")
    return "\n" + text.read_text("utf-8")


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
    entries = catalog()
    header = (
        "# Rule reference\n\n"
        "Generated from the built-in rulesets by `python -m icrunbook.rules.docs`; "
        "do not edit by hand. `icrun rules NAME` prints the same page.\n\n"
        "```text\n" + table(entries) + "```\n"
    )
    pages = "".join("\n" + rule_page(e.rule, e.ruleset) for e in entries)
    before = _note("structure") + _note("text-rules")
    return header + before + pages + "\n" + functions_reference() + _note("from-spectral")


if __name__ == "__main__":
    sys.stdout.write(reference())
