"""Run a function spec the way the engine does: options through its parsers, a real Context."""

from __future__ import annotations

from datetime import date
from typing import Any

from icrunbook.loader import Document
from icrunbook.rules.functions import Context, Finding, FunctionSpec

TODAY = date(2026, 11, 27)


def run(
    spec: FunctionSpec,
    value: Any,
    root: Any = None,
    position: int = 0,
    path: tuple[str | int, ...] = (),
    option_values: dict[str, Any] | None = None,
    **raw_options: Any,
) -> list[Finding]:
    """The findings of ``spec`` on ``value``; ``raw_options`` as a ruleset would write them.

    Options whose names clash with the parameters here (``position``, ``except``) go in
    ``option_values``.
    """
    raw_options = {**raw_options, **(option_values or {})}
    unknown = set(raw_options) - set(spec.options)
    assert not unknown, f"{spec.name} has no option {unknown}"
    missing = spec.required - set(raw_options)
    assert not missing, f"{spec.name} needs {missing}"
    options = {name: spec.options[name](raw) for name, raw in raw_options.items()}
    document = Document(path="t.yaml", text="", data=value if root is None else root)
    context = Context(document=document, path=path, position=position, today=TODAY)
    return list(spec(value, options, context))


def paths(findings: list[Finding]) -> list[tuple[str | int, ...]]:
    return [finding.path for finding in findings]
