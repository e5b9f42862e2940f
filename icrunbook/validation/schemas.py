"""The JSON Schemas shipped inside the package, and which one a document is checked against."""

from __future__ import annotations

import json
import os
from functools import cache
from importlib import resources
from typing import Any, Literal

SchemaName = Literal["runbook", "config", "ruleset", "policy"]
SCHEMA_NAMES: tuple[SchemaName, ...] = ("runbook", "config", "ruleset", "policy")
"""Schemas of documents icrun checks (each has a compiled validator)."""
CompiledSchemaName = Literal[SchemaName, "event"]
COMPILED_SCHEMA_NAMES: tuple[CompiledSchemaName, ...] = (*SCHEMA_NAMES, "event")
"""Schemas with a generated fast validator: the documents', and an incident event's."""
PrintableSchemaName = Literal[SchemaName, "report", "event"]
PRINTABLE_SCHEMA_NAMES: tuple[PrintableSchemaName, ...] = (*SCHEMA_NAMES, "report", "event")
"""What ``icrun schema`` prints: the document schemas, that of ``--format json`` output, and
that of a line of an incident's ``events.jsonl``."""
CONFIG_FILENAMES = frozenset({".icrun.yaml", ".icrun.yml"})


def schema_text(name: PrintableSchemaName) -> str:
    """The schema exactly as shipped (what ``icrun schema NAME`` prints)."""
    return (
        resources.files("icrunbook").joinpath("schemas", f"{name}.schema.json").read_text("utf-8")
    )


@cache
def load_schema(name: CompiledSchemaName) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(schema_text(name))
    return schema


def schema_for(path: str, kind: str | None) -> SchemaName:
    """Config files are known by name; other files by their ``kind`` (a runbook by default)."""
    if os.path.basename(path) in CONFIG_FILENAMES:
        return "config"
    return _SCHEMA_OF_KIND.get(kind or "", "runbook")


_SCHEMA_OF_KIND: dict[str, SchemaName] = {"Ruleset": "ruleset", "Policy": "policy"}
