"""Rules as data: what a ruleset file declares, before any config or document is involved."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

Stage = Literal["load", "schema", "suppressions"]
"""Rules whose findings come from a pipeline stage rather than a function: loading the YAML,
checking the schema, and matching inline suppressions. They are declared in the ruleset like
every other rule, so that they can be listed, documented and configured the same way."""

OPTION_REFERENCE = "$option"
"""``functionOptions: {max: {$option: max}}`` passes the rule's option ``max`` to the function."""


def severity_name(value: Any) -> Any:
    """``off``, however it was written: YAML 1.1 reads an unquoted ``off`` as ``false``."""
    return "off" if value is False else value


@dataclass(frozen=True, slots=True)
class CheckSpec:
    """One ``then`` entry: a function, on the selected node or on one of its fields.

    ``given`` here (an icrunbook extension of Spectral's syntax) selects other nodes than the
    rule's ``given`` for this check alone, so one rule can check two related places.
    """

    function: str
    field: tuple[str, ...] = ()
    given: tuple[str, ...] = ()
    function_options: Mapping[str, Any] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class OptionSpec:
    default: Any
    description: str = ""


@dataclass(frozen=True, slots=True)
class Examples:
    failing: str
    passing: str


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule as a ruleset declares it."""

    name: str
    description: str
    severity: str  # error, warning, info or off
    given: tuple[str, ...] = ()
    then: tuple[CheckSpec, ...] = ()
    stage: Stage | None = None
    message: str | None = None
    rationale: str = ""
    category: str = "custom"
    options: Mapping[str, OptionSpec] = dataclasses.field(default_factory=dict)
    examples: Examples | None = None
    documentation_url: str | None = None
    source: str = ""  # where it was declared, "FILE:LINE", for error messages

    def option_defaults(self) -> dict[str, Any]:
        return {name: option.default for name, option in self.options.items()}
