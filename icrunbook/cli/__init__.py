"""The ``icrun`` command line: a thin Typer layer over :mod:`icrunbook.api`.

One module per command. Each imports what it needs inside the command, so ``icrun --help``
stays fast. Every failure ends here as one line on stderr and exit code 2, never a traceback
(unless ``--debug``).
"""

from __future__ import annotations

import sys

import typer

from icrunbook import __version__
from icrunbook.cli import incident, init, lint, render, rules, run, schema, validate
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
app.add_typer(incident.app)
app.command(epilog=run.EXAMPLES)(run.run)


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
    command = typer.main.get_command(app)
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
