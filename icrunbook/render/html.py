"""HTML: one self-contained page (inline CSS, nothing fetched) that reads on screen and prints.

The built-in template and users' ``--template`` files are compiled in Jinja2's sandbox with
autoescaping, so runbook text is always data. Templates are compiled once per process.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from icrunbook import __version__
from icrunbook.sandbox import sandboxed

if TYPE_CHECKING:
    from collections.abc import Sequence

    from jinja2 import Template
    from markupsafe import Markup

    from icrunbook.render.model import Checklist

_CSS_UNSAFE = re.compile(r"[^A-Za-z0-9 .,:;_()/-]")
_BREAKS_INSIDE = re.compile(r"[-=/?&]")


def css_string(value: object) -> str:
    """Text for inside a CSS string: anything but plain characters becomes a CSS escape, so a
    runbook name can neither end the string nor the ``<style>`` element."""
    return _CSS_UNSAFE.sub(lambda m: f"\\{ord(m.group()):x} ", str(value))


def is_web_url(value: object) -> bool:
    """Whether a URL may become a link: only ``http``/``https``. The schema accepts any
    ``scheme://``, and a ``javascript://`` link would run script when clicked."""
    return str(value).lower().startswith(("https://", "http://"))


def placeholders_whole(body: str) -> Markup:
    """A message template for print: escaped, each ``{{ … }}`` in a span that never wraps
    inside (``{{ next_update }}`` split over two lines reads as two things)."""
    from markupsafe import Markup, escape

    from icrunbook.phrasing import template_pieces

    variable = Markup('<span class="var">%s</span>')
    return Markup("").join(
        variable % piece if syntax else escape(piece) for piece, syntax in template_pieces(body)
    )


def words_whole(text: str) -> Markup:
    """Text escaped, each word that holds a hyphen or ``=`` (where browsers would break a line)
    in a span that moves to the next line whole: a command never reads ``--`` / ``force``."""
    from markupsafe import Markup, escape

    word = Markup('<span class="word">%s</span>')
    return Markup("").join(
        word % piece if piece.strip() and _BREAKS_INSIDE.search(piece) else escape(piece)
        for piece in re.split(r"(\s+)", text)
    )


@cache
def _built_in() -> Template:
    environment = sandboxed(
        autoescape=True,
        package_templates="render/templates",
        strict=True,
        tidy_blocks=True,
        filters={
            "css": css_string,
            "placeholders_whole": placeholders_whole,
            "words_whole": words_whole,
        },
        tests={"web_url": is_web_url},
    )
    return environment.get_template("checklist.html.j2")


def render(checklist: Checklist) -> str:
    """One checklist, card or role card as a page."""
    return _built_in().render(runbooks=[checklist], contents=None, version=__version__)


def render_binder(checklists: Sequence[Checklist], pages: Sequence[int] | None = None) -> str:
    """Several checklists as one document behind a contents page, each from a new page;
    ``pages``: where each begins, once a first printing has told."""
    numbers = list(pages) if pages is not None else [None] * len(checklists)
    return _built_in().render(
        runbooks=list(checklists),
        contents=list(zip(checklists, numbers, strict=True)),
        version=__version__,
    )
