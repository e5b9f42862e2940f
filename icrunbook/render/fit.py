"""One page: how much of a card (``--layout card``, or a role card) fits, and where the rest is.

A card is the same content in every format, so it is cut once, by the strictest of them: the
plain-text card, 78 columns by :data:`PAGE_LINES` lines. The HTML and PDF card is laid out to
hold at least that much on one A4 or letter page (the PDF checks print every example and a
48-step runbook to confirm it). Steps are kept in order and whole; the card then says at which
step the full checklist continues, so nothing ever spills onto a second page.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from icrunbook.render.model import Checklist

PAGE_LINES = 62  # of the 66 lines a letter page holds at 6 lines per inch


def one_page(checklist: Checklist) -> Checklist:
    """The card with the most steps (then, on the communications card, message templates)
    that fit one page, and the line that says where the rest is. A full checklist gets the
    card it opens with."""
    if not checklist.one_page:
        card = one_page(dataclasses.replace(checklist, layout="card"))
        return dataclasses.replace(checklist, card_steps=card.card_steps, continued=card.continued)
    from icrunbook.render import text

    def fits(candidate: Checklist) -> bool:
        # A command or template line is never wrapped in text, but it is on paper.
        lines = text.render(candidate).rstrip("\n").split("\n")
        return sum(-(-len(line) // text.WIDTH) or 1 for line in lines) <= PAGE_LINES

    steps, templates = checklist.card_steps, checklist.templates
    kept = _most(len(steps), lambda k: fits(_cut(checklist, k, 0)))
    shown = _most(len(templates), lambda k: fits(_cut(checklist, kept, k)))
    return _cut(checklist, kept, shown)


def _cut(checklist: Checklist, steps: int, templates: int) -> Checklist:
    """The card with its first ``steps`` steps and ``templates`` templates."""
    kept = checklist.card_steps[:steps]
    shown = checklist.card_steps[steps:] or (
        () if checklist.role_card is not None else checklist.afterwards
    )
    notes = []
    if shown:
        notes.append(f"Continued in the full checklist at step {shown[0].number}.")
    left_out = checklist.templates[templates:]
    if left_out:
        names = ", ".join(t.name for t in left_out)
        notes.append(f"Message templates in the full checklist: {names}.")
    return dataclasses.replace(
        checklist,
        card_steps=kept,
        templates=checklist.templates[:templates],
        continued=" ".join(notes) or None,
    )


def _most(count: int, fits: Callable[[int], bool]) -> int:
    """The largest ``k`` in ``0..count`` with ``fits(k)``, fitting being monotone (0 when
    nothing fits: the fixed part of the card is all it shows)."""
    low, high = 0, count
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    return low
