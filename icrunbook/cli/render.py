"""``icrun render``: runbooks as printable checklists."""

from __future__ import annotations

import typer

from icrunbook.cli.common import ConfigOption
from icrunbook.render import Layout, Paper, RenderFormat

EXAMPLES = (
    "Examples: icrun render runbooks/db.yaml -o db.html | "
    "icrun render runbooks/ -f pdf --paper letter -o printouts/ | "
    "icrun render runbooks/ -f pdf -o binder.pdf | "
    "icrun render runbooks/db.yaml -f pdf --layout card -o card.pdf | "
    "icrun render runbooks/db.yaml -f txt --role scribe"
)


def render(
    paths: list[str] = typer.Argument(..., help="Runbook files, or folders of runbooks."),
    output_format: RenderFormat = typer.Option(RenderFormat.HTML, "--format", "-f"),
    output: str | None = typer.Option(
        None,
        "--output",
        "-o",
        help="A file (several runbooks make one binder), a folder (DIR/: one file per "
        "runbook), or - for standard output (the default for html, md and txt).",
    ),
    layout: Layout = typer.Option(
        Layout.FULL, "--layout", help="full, or card: the first fifteen minutes on one page."
    ),
    role: str | None = typer.Option(None, "--role", help="Only this role's card (a role id)."),
    severity: str | None = typer.Option(
        None, "--severity", help="Show the cadence of this severity (default: the most severe)."
    ),
    paper: Paper = typer.Option(Paper.A4, "--paper", help="Page size for printing."),
    template: str | None = typer.Option(
        None, "--template", help="Your own Jinja2 template (rendered in a sandbox)."
    ),
    config: str | None = ConfigOption,
) -> None:
    """Render runbooks as printable checklists: html, pdf, md or txt."""
    from icrunbook.render.renderer import render_files

    written = render_files(
        paths,
        output_format,
        output,
        severity=severity,
        role=role,
        paper=paper.value,
        layout=layout.value,
        template=template,
        config=config,
    )
    for path in written:
        typer.echo(f"wrote {path}", err=True)
