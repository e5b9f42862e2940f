"""Rendering: a runbook as a printable checklist, in HTML, PDF, Markdown or plain text.

The runbook is checked first (only a schema-valid runbook renders), turned into one
:class:`~icrunbook.render.model.Checklist`, and handed to a format. Runbook text is data:
templates receive it as values, which are escaped for HTML and never evaluated.

This module holds only the choices (kept light for the command line's start-up); the work is in
:mod:`icrunbook.render.renderer`.
"""

from __future__ import annotations

import enum

__all__ = ["Layout", "Paper", "RenderFormat"]


class RenderFormat(enum.StrEnum):
    HTML = "html"
    PDF = "pdf"
    MD = "md"
    TXT = "txt"


class Paper(enum.StrEnum):
    A4 = "a4"
    LETTER = "letter"


class Layout(enum.StrEnum):
    FULL = "full"  # the whole checklist, what stops the bleeding on page 1
    CARD = "card"  # the first fifteen minutes on one page
