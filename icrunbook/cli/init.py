"""``icrun init``: start a project with a runbook and a config that lint clean."""

from __future__ import annotations

import typer

EXAMPLES = "Example: icrun init incident-runbooks && cd incident-runbooks && icrun lint"


def init(
    folder: str = typer.Argument(".", help="Where to write the files (created if missing)."),
    force: bool = typer.Option(False, "--force", help="Overwrite files that already exist."),
    policy: bool = typer.Option(
        False,
        "--policy",
        help="Also write runbooks/policy.yaml, the severities, roles and communications many "
        "runbooks share; the starter runbook names it and keeps only its own parts.",
    ),
) -> None:
    """Write a commented starter runbook, .icrun.yaml and the schemas editors use."""
    from icrunbook.scaffold import init_project

    for path in init_project(folder, force, policy):
        typer.echo(f"wrote {path}")
