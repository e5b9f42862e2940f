"""Rules as data: what a ruleset file declares, before any config or document is involved."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from icrunbook.rules.functions import Scope

Stage = Literal["load", "identify", "schema", "suppressions", "baseline"]
"""Rules whose findings come from a pipeline stage rather than a function: loading the YAML,
telling whether the file is icrunbook's at all, checking the schema, matching inline
suppressions, and matching the baseline. They are declared in the ruleset like every other rule,
so that they can be listed and documented the same way."""

STRUCTURAL_STAGES: frozenset[str] = frozenset({"load", "identify", "schema"})
"""The stages every plan has, whatever the config says: without them a green run would not mean
the files parse and meet the schema."""

OPTION_REFERENCE = "$option"
"""``functionOptions: {max: {$option: max}}`` passes the rule's option ``max`` to the function."""


SPECTRAL_SEVERITIES: Mapping[str, str] = {"warn": "warning", "hint": "info"}
"""Spectral's spellings of severities, and what they mean here."""


def severity_name(value: Any) -> Any:
    """A severity as written, in icrunbook's words: ``off`` however it was written (YAML 1.1
    reads an unquoted ``off`` as ``false``), and Spectral's ``warn`` and ``hint`` as ``warning``
    and ``info``. Anything else is returned as it is, for the schema to refuse."""
    if value is False:
        return "off"
    if isinstance(value, str):
        return SPECTRAL_SEVERITIES.get(value, value)
    return value


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
    verbatim: bool = False  # the fragments' text kept as written, comments and all


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule as a ruleset declares it."""

    name: str
    description: str
    severity: str  # error, warning, info or off
    given: tuple[str, ...] = ()
    then: tuple[CheckSpec, ...] = ()
    stage: Stage | None = None
    scope: Scope = "document"  # "repository": given every linted file's selections at once
    message: str | None = None
    rationale: str = ""
    category: str = "custom"
    options: Mapping[str, OptionSpec] = dataclasses.field(default_factory=dict)
    examples: Examples | None = None
    documentation_url: str | None = None
    source: str = ""  # where it was declared, "FILE:LINE", for error messages

    def option_defaults(self) -> dict[str, Any]:
        return {name: option.default for name, option in self.options.items()}

    @property
    def structural(self) -> bool:
        """A fixed stage of the pipeline: always on, at error, whatever a config says."""
        return self.stage in STRUCTURAL_STAGES
