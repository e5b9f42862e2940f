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
    from jinja2 import Template
    from markupsafe import Markup

    from icrunbook.render.model import Checklist

_CSS_UNSAFE = re.compile(r"[^A-Za-z0-9 .,:;_()/-]")


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


@cache
def _built_in() -> Template:
    environment = sandboxed(
        autoescape=True,
        package_templates="render/templates",
        strict=True,
        tidy_blocks=True,
        filters={"css": css_string, "placeholders_whole": placeholders_whole},
        tests={"web_url": is_web_url},
    )
    return environment.get_template("checklist.html.j2")


def render(checklist: Checklist) -> str:
    return _built_in().render(c=checklist, version=__version__)
