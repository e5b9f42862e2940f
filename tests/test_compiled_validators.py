"""The committed fast-path validators are generated from the shipped schemas, not stale copies."""

from __future__ import annotations

import importlib

import pytest

from icrunbook.validation.generate import schema_digest
from icrunbook.validation.schemas import COMPILED_SCHEMA_NAMES


@pytest.mark.parametrize("name", COMPILED_SCHEMA_NAMES)
def test_compiled_validator_matches_its_schema(name) -> None:
    module = importlib.import_module(f"icrunbook.validation.compiled.{name}")
    assert schema_digest(name) == module.SCHEMA_SHA256, (
        f"schemas/{name}.schema.json changed: run python -m icrunbook.validation.generate"
    )
