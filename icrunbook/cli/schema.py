"""``icrun schema``: print a JSON Schema for editors and other tools."""

from __future__ import annotations

import typer

EXAMPLES = "Example: icrun schema runbook > runbook.schema.json"


def schema(
    name: str = typer.Argument(
        "runbook",
        help="Which schema: runbook, config, ruleset, report (the json output), or event (a "
        "line of an incident's events.jsonl).",
    ),
) -> None:
    """Print a JSON Schema (draft-07): runbooks, the config, rulesets, the json report, or an
    incident event."""
    from icrunbook.errors import IcrunError
    from icrunbook.validation.schemas import PRINTABLE_SCHEMA_NAMES, schema_text

    if name not in PRINTABLE_SCHEMA_NAMES:
        raise IcrunError(
            f"unknown schema '{name}'; choose one of: {', '.join(PRINTABLE_SCHEMA_NAMES)}"
        )
    typer.echo(schema_text(name), nl=False)
