"""The ``icrun`` command line: a thin Typer layer over :mod:`icrunbook.api`.

One module per command. Each imports what it needs inside the command, so ``icrun --help``
stays fast. Every failure ends here as one line on stderr and exit code 2, never a traceback
(unless ``--debug``).
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import typer
from typer.core import TyperGroup

from icrunbook import __version__
from icrunbook.cli import init, lint, render, rules, run, schema, validate
from icrunbook.errors import IcrunError
from icrunbook.escapes import visible

EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 2

app = typer.Typer(
    name="icrun",
    help="Incident-command runbooks as code: validate, lint and render printable checklists.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.command(epilog=lint.EXAMPLES)(lint.lint)
app.command(epilog=validate.EXAMPLES)(validate.validate)
app.command(epilog=render.EXAMPLES)(render.render)
app.command(epilog=rules.EXAMPLES)(rules.rules)
app.command(epilog=init.EXAMPLES)(init.init)
app.command(epilog=schema.EXAMPLES)(schema.schema)
app.command(epilog=run.EXAMPLES)(run.run)


class LazyGroup(TyperGroup):
    """A command group built from its Typer app only when it is used (``icrun incident ...``):
    its twenty verbs cost every other command ~20 ms to build, and ``lint`` and ``validate``
    must start no slower because it exists."""

    def __init__(self, name: str, target: str, help_text: str) -> None:
        super().__init__(name=name, help=help_text, no_args_is_help=True)
        self._target = target

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not self.commands:  # the first use: build the real group and take its commands
            module, attribute = self._target.split(":")
            built: Any = typer.main.get_command(getattr(importlib.import_module(module), attribute))
            self.commands.update(built.commands)
        parsed: list[str] = super().parse_args(ctx, args)
        return parsed


INCIDENT_HELP = "Run a runbook during an incident: start, record, see what is due, export."


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"icrun {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _options(
    version: bool = typer.Option(
        False,
        "--version",
        callback=_print_version,
        is_eager=True,
        help="Show the version and exit.",
    ),
    debug: bool = typer.Option(False, "--debug", help="Show a traceback on internal errors."),
) -> None:
    """Incident-command runbooks as code: validate, lint and render printable checklists."""


def main(argv: list[str] | None = None) -> int:
    """Run ``icrun``; the return value is the exit code.

    Bare ``icrun`` is ``icrun --help``: the help on stdout and exit 0. So is a command made
    with ``no_args_is_help`` when it gets no arguments.
    """
    args = sys.argv[1:] if argv is None else argv
    if not args:
        args = ["--help"]
    command: Any = typer.main.get_command(app)
    command.add_command(LazyGroup("incident", "icrunbook.cli.incident:app", INCIDENT_HELP))
    try:
        result = command.main(args, prog_name="icrun", standalone_mode=False)
    except IcrunError as error:
        return _fail(str(error))
    except typer.TyperException as error:  # usage errors: bad option, missing argument
        if type(error).__name__ == "NoArgsIsHelpError":  # as Typer tells it (no public class)
            return _help(error)
        return _fail(f"{error.format_message()} (see '{_command_path(error)} --help')")
    except typer.Abort:
        return _fail("aborted")
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except Exception as error:
        if "--debug" in args:
            raise
        return _fail(
            f"internal error: {type(error).__name__}: {error} "
            "(rerun as 'icrun --debug COMMAND ...' for a traceback, and please report it)"
        )
    return result if isinstance(result, int) else EXIT_OK


def _help(error: typer.TyperException) -> int:
    """The help that ``no_args_is_help`` asked for: Rich has printed it already, plain Click
    leaves it in the message."""
    text = error.format_message()
    if text:
        typer.echo(text)
    return EXIT_OK


def _command_path(error: typer.TyperException) -> str:
    context = getattr(error, "ctx", None)
    return str(getattr(context, "command_path", "icrun"))


def _fail(message: str, code: int = EXIT_ERROR) -> int:
    """The one error line: whatever could break it or drive the terminal (tabs too) escaped."""
    sys.stderr.write(f"icrun: error: {visible(message, keep='')}\n")
    return code
