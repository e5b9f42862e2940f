"""Schema validation: a compiled fast path for valid documents, jsonschema to explain the rest.

The verdict comes from the fastjsonschema code generated from the same schema (a fraction of a
millisecond); only a document it rejects pays for jsonschema, which finds every problem and
their locations. A test holds the two verdicts equal on every fixture.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from icrunbook.validation.schemas import CompiledSchemaName, SchemaName, schema_for

if TYPE_CHECKING:
    from icrunbook.diagnostics import Diagnostic
    from icrunbook.loader import Document, Path

__all__ = ["SchemaCheck", "check_document", "is_valid", "validate_document"]


@cache
def _compiled(name: CompiledSchemaName) -> Callable[[Any], Any]:
    module = importlib.import_module(f"icrunbook.validation.compiled.{name}")
    validate: Callable[[Any], Any] = module.validate
    return validate


def is_valid(data: Any, schema: SchemaName) -> bool:
    """The fast verdict: does ``data`` satisfy the schema?"""
    return first_problem(data, schema) is None


def first_problem(data: Any, schema: CompiledSchemaName) -> str | None:
    """The fast verdict's reason: None when ``data`` satisfies the schema."""
    from fastjsonschema import JsonSchemaValueException

    try:
        _compiled(schema)(data)
    except JsonSchemaValueException as error:
        return str(error.message)
    return None


@dataclass(frozen=True, slots=True)
class SchemaCheck:
    """What the schema says of a document: its diagnostics, and the paths of the values it
    rejects for their type or form, which rules then leave alone (no double reports)."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    rejected: frozenset[Path] = frozenset()


def check_document(document: Document, schema: SchemaName | None = None) -> SchemaCheck:
    """Check a loaded document against its schema (nothing when it is not a mapping)."""
    if not isinstance(document.data, dict):
        return SchemaCheck()
    name = schema or schema_for(document.path, document.kind)
    problem = first_problem(document.data, name)
    if problem is None:
        return SchemaCheck()
    from icrunbook.validation.explain import explain, unexplained

    try:
        diagnostics, rejected = explain(document, name)
    except RecursionError:  # jsonschema's messages repr values: ~1000 levels deep is too deep
        diagnostics, rejected = [], frozenset({()})  # not placed: rules leave the whole file be
    # The two validators must agree (a test holds them to it); if they ever do not, the
    # document is still reported, never silently passed.
    return SchemaCheck(diagnostics or [unexplained(document, problem)], rejected)


def validate_document(document: Document, schema: SchemaName | None = None) -> list[Diagnostic]:
    """Schema diagnostics for a loaded document, in file order."""
    return check_document(document, schema).diagnostics
