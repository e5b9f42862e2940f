"""The committed fast-path validators are generated from the shipped schemas, not stale copies."""

from __future__ import annotations

import importlib

import pytest

from icrunbook.validation.generate import POLICY_SCHEMA, policy_schema_text, schema_digest
from icrunbook.validation.schemas import COMPILED_SCHEMA_NAMES


@pytest.mark.parametrize("name", COMPILED_SCHEMA_NAMES)
def test_compiled_validator_matches_its_schema(name) -> None:
    module = importlib.import_module(f"icrunbook.validation.compiled.{name}")
    assert schema_digest(name) == module.SCHEMA_SHA256, (
        f"schemas/{name}.schema.json changed: run python -m icrunbook.validation.generate"
    )


def test_policy_schema_is_made_from_the_runbook_schema() -> None:
    assert POLICY_SCHEMA.read_text(encoding="utf-8") == policy_schema_text(), (
        "schemas/runbook.schema.json changed: run python -m icrunbook.validation.generate"
    )
