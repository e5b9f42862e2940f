"""``icrun schema``: print a JSON Schema for editors and other tools."""

from __future__ import annotations

import typer

EXAMPLES = "Example: icrun schema runbook > runbook.schema.json"


def schema(
    name: str = typer.Argument("runbook", help="Which schema: runbook, config or ruleset."),
) -> None:
    """Print the JSON Schema (draft-07) of runbooks, the config or rulesets."""
    from icrunbook.errors import IcrunError
    from icrunbook.validation.schemas import SCHEMA_NAMES, schema_text

    if name not in SCHEMA_NAMES:
        raise IcrunError(f"unknown schema '{name}'; choose one of: {', '.join(SCHEMA_NAMES)}")
    typer.echo(schema_text(name), nl=False)
