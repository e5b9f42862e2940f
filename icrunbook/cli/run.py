"""``icrun run``: the live console of an incident (Textual, imported only here)."""

from __future__ import annotations

import typer

from icrunbook.errors import IcrunError

EXAMPLES = (
    "Examples: icrun run runbooks/web-api-bad-deploy.yaml --severity SEV1 | icrun run --resume | "
    "icrun run --resume 20261202-1400-web-api-bad-deploy"
)


def run(
    runbook: str | None = typer.Argument(
        None, help="The runbook to start an incident of (with --resume: the incident id)."
    ),
    severity: str | None = typer.Option(None, "--severity", help="The severity it starts at."),
    resume: bool = typer.Option(False, "--resume", help="Reopen an incident instead."),
    incident: str | None = typer.Option(None, "--incident", help="Which one (with --resume)."),
    drill: bool = typer.Option(False, "--drill", help="A drill, not a real incident."),
    as_: str | None = typer.Option(None, "--as", help="Who records (default: you)."),
    directory: str | None = typer.Option(None, "--dir", help="Where incidents live."),
    config: str | None = typer.Option(None, "--config", "-c", help="Config file."),
) -> None:
    """Run an incident in a full-screen console: countdowns, the checklist, a command line."""
    from icrunbook.cli.incident import _call
    from icrunbook.incident import engine

    call = _call(None, as_, incident, directory, config)
    if resume:
        found = engine.find(call.directory, incident or runbook, call.config)
    elif runbook is None or severity is None:
        raise IcrunError("give RUNBOOK --severity SEV to start, or --resume [--incident ID]")
    else:
        found = engine.start(
            runbook,
            severity,
            directory=call.directory,
            now=call.now,
            who=call.who,
            drill=drill,
            config_path=config,
        )
    from icrunbook.incident.console import Console

    Console(found.folder, call.who, engine.clock, call.config).run()
    typer.echo(f"{found.id}: everything is in {found.folder}/events.jsonl")
