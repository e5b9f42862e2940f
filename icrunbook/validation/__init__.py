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
    from fastjsonschema import JsonSchemaValueException

    try:
        _compiled(schema)(data)
    except JsonSchemaValueException:
        return False
    return True


def validate_document(document: Document, schema: SchemaName | None = None) -> list[Diagnostic]:
    """Schema diagnostics for a loaded document (nothing when it did not load as a mapping)."""
    if not isinstance(document.data, dict):
        return []
    name = schema or schema_for(document.path, document.kind)
    if is_valid(document.data, name):
        return []
    from icrunbook.validation.explain import explain

    return explain(document, name)
