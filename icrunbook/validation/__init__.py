"""Schema validation: a compiled fast path for valid documents, jsonschema to explain the rest.

The verdict comes from the fastjsonschema code generated from the same schema (a fraction of a
millisecond); only a document it rejects pays for jsonschema, which finds every problem and
their locations. A test holds the two verdicts equal on every fixture.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from icrunbook.validation.schemas import SchemaName, schema_for

if TYPE_CHECKING:
    from icrunbook.diagnostics import Diagnostic
    from icrunbook.loader import Document

__all__ = ["is_valid", "validate_document"]


@cache
def _compiled(name: SchemaName) -> Callable[[Any], Any]:
    module = importlib.import_module(f"icrunbook.validation.compiled.{name}")
    validate: Callable[[Any], Any] = module.validate
    return validate


def is_valid(data: Any, schema: SchemaName) -> bool:
    """The fast verdict: does ``data`` satisfy the schema?"""
    return _first_problem(data, schema) is None


def _first_problem(data: Any, schema: SchemaName) -> str | None:
    from fastjsonschema import JsonSchemaValueException

    try:
        _compiled(schema)(data)
    except JsonSchemaValueException as error:
        return str(error.message)
    return None


def validate_document(document: Document, schema: SchemaName | None = None) -> list[Diagnostic]:
    """Schema diagnostics for a loaded document (nothing when it did not load as a mapping)."""
    if not isinstance(document.data, dict):
        return []
    name = schema or schema_for(document.path, document.kind)
    problem = _first_problem(document.data, name)
    if problem is None:
        return []
    from icrunbook.validation.explain import explain, unexplained

    # The two validators must agree (a test holds them to it); if they ever do not, the
    # document is still reported, never silently passed.
    return explain(document, name) or [unexplained(document, problem)]
