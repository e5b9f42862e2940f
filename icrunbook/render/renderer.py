"""Rendering runbook files: check them, build their checklists, write each format."""

from __future__ import annotations

import os
import re
import sys
from typing import TYPE_CHECKING

from icrunbook.errors import IcrunError
from icrunbook.output import write_bytes
from icrunbook.render import RenderFormat
from icrunbook.render.model import Checklist, build

if TYPE_CHECKING:
    from jinja2 import Template

    from icrunbook.loader import Document
    from icrunbook.pipeline.runner import Runner


def checklist_of(
    path: str,
    severity: str | None = None,
    role: str | None = None,
    paper: str = "a4",
    runner: Runner | None = None,
    layout: str = "full",
) -> Checklist:
    """Load, check and build the checklist of one runbook file; IcrunError if it cannot.
    The file is loaded under its config (``max_file_size`` included) and must pass the
    structural checks, inline suppressions notwithstanding."""
    from icrunbook.pipeline.check import sound_runbook

    document = sound_runbook(path, runner, "render")
    _check_choice(document, "severities", severity, "severity")
    _check_choice(document, "roles", role, "role")
    from icrunbook.render.fit import one_page

    return one_page(build(document.data, severity, role, paper, layout, _policy_of(document)))


def _policy_of(document: Document) -> str | None:
    """The policy a runbook stands on, as the printout names it: ``name (path)``."""
    policy = document.policy
    if policy is None:
        return None
    metadata = policy.data.get("metadata") if isinstance(policy.data, dict) else None
    name = metadata.get("name") if isinstance(metadata, dict) else None
    return f"{name} ({policy.path})" if isinstance(name, str) else policy.path


def _check_choice(document: Document, section: str, chosen: str | None, what: str) -> None:
    from icrunbook.suggest import did_you_mean

    names = list(document.data[section])
    if chosen is not None and chosen not in names:
        raise IcrunError(
            f"{document.path}: no {what} '{chosen}'{did_you_mean(chosen, names)} "
            f"(choose one of: {', '.join(names)})"
        )


_SUFFIXES = {
    RenderFormat.HTML: "html",
    RenderFormat.PDF: "pdf",
    RenderFormat.MD: "md",
    RenderFormat.TXT: "txt",
}
_PLAIN_TEMPLATE_SUFFIXES = (".md", ".md.j2", ".txt", ".txt.j2")


def binder(checklists: list[Checklist], fmt: RenderFormat) -> bytes:
    """Several runbooks as one document: contents, then each from a new page. A PDF binder is
    printed twice, the second time with the page numbers the first printing's bookmarks gave."""
    if fmt is RenderFormat.MD:
        from icrunbook.render import markdown

        return markdown.render_binder(checklists).encode("utf-8")
    if fmt is RenderFormat.TXT:
        from icrunbook.render import text as plain

        return plain.render_binder(checklists).encode("utf-8")
    from icrunbook.render import html

    if fmt is RenderFormat.HTML:
        return html.render_binder(checklists).encode("utf-8")
    from icrunbook.render.pdf import bookmark_pages, pdf_printer

    with pdf_printer() as print_pages:
        [draft] = print_pages([html.render_binder(checklists)])
        pages = bookmark_pages(draft)
        if len(pages) != len(checklists):  # pragma: no cover - each runbook is one bookmark
            raise IcrunError(f"the binder has {len(pages)} bookmarks for {len(checklists)}")
        return print_pages([html.render_binder(checklists, pages)])[0]


def render(checklist: Checklist, fmt: RenderFormat, template: str | None = None) -> bytes:
    """The checklist in one format, as bytes (UTF-8 text, or a PDF)."""
    return rendered([checklist], fmt, template)[0]


def rendered(checklists: list[Checklist], fmt: RenderFormat, template: str | None) -> list[bytes]:
    """Checklists in one format, as bytes; every PDF printed by one browser session."""
    texts = [_text(checklist, fmt, template) for checklist in checklists]
    if fmt is RenderFormat.PDF:
        from icrunbook.render.pdf import pdf_printer

        with pdf_printer() as print_pages:
            return print_pages(texts)
    return [text.encode("utf-8") for text in texts]


def _text(checklist: Checklist, fmt: RenderFormat, template: str | None) -> str:
    """The checklist as text: its format's, or the HTML a PDF is printed from."""
    if template is not None:
        return _render_user_template(template, checklist)
    if fmt in (RenderFormat.HTML, RenderFormat.PDF):
        from icrunbook.render import html

        return html.render(checklist)
    if fmt is RenderFormat.MD:
        from icrunbook.render import markdown

        return markdown.render(checklist)
    from icrunbook.render import text as plain

    return plain.render(checklist)


def _render_user_template(path: str, checklist: Checklist) -> str:
    """A user's ``--template`` applied to a checklist. What the sandbox refuses (``__class__``
    and friends) and a template's own mistakes (an undefined name, a bad filter argument) are
    the user's to fix: one line naming the template, not an internal error."""
    from jinja2 import TemplateError
    from jinja2.exceptions import SecurityError

    compiled = _user_template(path)
    try:
        return compiled.render(c=checklist)
    except SecurityError as error:
        where = _template_line(path, error)
        raise IcrunError(f"{where}: the template is not allowed to do this: {error}") from None
    except TemplateError as error:
        raise IcrunError(f"{_template_line(path, error)}: the template failed: {error}") from None
    except Exception as error:  # a filter given the wrong kind of value, and the like
        where = _template_line(path, error)
        raise IcrunError(f"{where}: the template failed: {type(error).__name__}: {error}") from None


def _template_line(path: str, error: BaseException) -> str:
    """``path:LINE`` for the template line an error came from (Jinja2 puts the template's
    frames into the traceback), else ``path``."""
    import traceback

    lines = [
        frame.lineno
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename == "<template>"
    ]
    return f"{path}:{lines[-1]}" if lines and lines[-1] else path


def _user_template(path: str) -> Template:
    """A user's ``--template``, compiled in the sandbox; autoescaped unless it makes Markdown
    or plain text."""
    from jinja2 import TemplateError

    from icrunbook.render.html import css_string
    from icrunbook.sandbox import sandboxed

    try:
        with open(path, encoding="utf-8") as stream:
            source = stream.read()
    except OSError as error:
        raise IcrunError(f"{path}: cannot read the template: {error.strerror or error}") from None
    environment = sandboxed(
        autoescape=not path.endswith(_PLAIN_TEMPLATE_SUFFIXES), filters={"css": css_string}
    )
    try:
        return environment.from_string(source)
    except TemplateError as error:
        line = getattr(error, "lineno", None)
        raise IcrunError(f"{path}:{line or 1}: the template does not compile: {error}") from None


def output_name(checklist: Checklist, fmt: RenderFormat) -> str:
    """A safe file name for a checklist: never a path, never hidden, never empty."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", checklist.name).strip(".-") or "runbook"
    if checklist.role_card is not None:
        stem += "-" + re.sub(r"[^A-Za-z0-9._-]+", "-", checklist.role_card.id).strip(".-")
    return f"{stem}.{_SUFFIXES[fmt]}"


def render_files(
    paths: list[str],
    fmt: RenderFormat,
    output: str | None,
    *,
    severity: str | None = None,
    role: str | None = None,
    paper: str = "a4",
    layout: str = "full",
    template: str | None = None,
    config: str | None = None,
) -> list[str]:
    """Render runbooks (files, or folders searched like ``lint`` does, ``exclude`` applied):
    to ``output`` (a file: one runbook, or a binder of several; a folder when it exists as one
    or ends with ``/``: one file per runbook), or to standard output (no ``-o``, or ``-o -``)
    for text formats, one runbook after another. Returns the files written."""
    from icrunbook.pipeline.runner import Runner

    runner = Runner.configured(config, structural_only=True)
    # a policy found in a folder is what its runbooks stand on, not a checklist to print
    named = {os.path.abspath(path) for path in paths if os.path.isfile(path)}
    files = [
        path
        for path in runner.files(paths)
        if os.path.abspath(path) in named or not runner.is_policy(path)
    ]
    if not files:
        raise IcrunError(f"no runbooks to render in {', '.join(paths)} (all excluded or none)")
    to_stdout = output is None or output == "-"
    _check_destination(fmt, output, len(files), to_stdout)
    checklists = [checklist_of(path, severity, role, paper, runner, layout) for path in files]
    _check_unique_names(files, checklists)
    to_folder = not to_stdout and (
        os.path.isdir(str(output)) or str(output).endswith(("/", os.sep))
    )
    if not to_stdout and not to_folder and len(files) > 1:
        if template is not None:
            raise IcrunError(
                "--template renders one runbook per file: give -o DIR/ for several runbooks"
            )
        write_bytes(binder(checklists, fmt), str(output))
        return [str(output)]
    written = []
    for index, (checklist, data) in enumerate(
        zip(checklists, rendered(checklists, fmt, template), strict=True)
    ):
        if to_stdout:
            sys.stdout.buffer.write(data if index == 0 else b"\n" + data)
            sys.stdout.flush()
            continue
        target = _inside(str(output), output_name(checklist, fmt)) if to_folder else str(output)
        write_bytes(data, target)
        written.append(target)
    return written


def _check_destination(fmt: RenderFormat, output: str | None, count: int, to_stdout: bool) -> None:
    """Where a format can go: text formats to standard output, one after another; HTML one page
    at a time; PDF to a file, or to standard output only when that is not a terminal."""
    if not to_stdout:
        return
    if fmt is RenderFormat.PDF and (output is None or sys.stdout.isatty()):
        raise IcrunError(
            "a PDF is written to a file: give -o FILE.pdf (or -o DIR/ for several runbooks), "
            "or -o - to send it to a pipe"
        )
    if count > 1 and fmt in (RenderFormat.HTML, RenderFormat.PDF):
        raise IcrunError(
            f"{count} runbooks make {count} {fmt.value.upper()} files: give -o DIR/, or "
            f"-o FILE.{_SUFFIXES[fmt]} for one binder (md and txt can go to standard output "
            "one after another)"
        )


def _check_unique_names(paths: list[str], checklists: list[Checklist]) -> None:
    """Two runbooks with one ``metadata.name`` would overwrite each other's output file."""
    first: dict[str, str] = {}
    for path, checklist in zip(paths, checklists, strict=True):
        other = first.get(checklist.name)
        if other is not None:
            raise IcrunError(
                f"{path}: metadata.name '{checklist.name}' is also the name of {other}; "
                "names must be unique within a repository"
            )
        first[checklist.name] = path


def _inside(folder: str, name: str) -> str:
    """``folder/name``, refusing anything that would land outside ``folder``."""
    os.makedirs(folder, exist_ok=True)
    root = os.path.realpath(folder)
    target = os.path.realpath(os.path.join(root, name))
    if os.path.dirname(target) != root:
        raise IcrunError(f"{name}: refusing to write outside {folder}")
    return target
