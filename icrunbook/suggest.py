""" "Did you mean" hints, one way everywhere: schema keys, rule names, options, references."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice ``word`` most likely misspells (case aside), or None."""
    by_lower = {choice.lower(): choice for choice in choices}
    close = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    match = word.lower() if word.lower() in by_lower else next(iter(close), None)
    return by_lower[match] if match is not None else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` — did you mean 'owner'?`` for the closest choice (case aside), or ``""``."""
    match = closest(word, choices)
    return f" — did you mean '{match}'?" if match is not None else ""
