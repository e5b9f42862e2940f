"""Regular expressions that come from a config or ruleset, run with a time bound.

A pattern an author writes, such as ``^(a|a)+$``, can backtrack for longer than anyone will
wait. Each search here stops after :data:`TIMEOUT_SECONDS` and raises :class:`PatternTimeout`,
which the rule engine reports as one error naming the rule and the file.

Patterns are compiled by the ``regex`` package in its ``re``-compatible mode (VERSION0), and
may be spelled as Spectral spells them: ``/pattern/flags`` with JavaScript's flags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

TIMEOUT_SECONDS = 1.0
"""How long one search may run before it is stopped (read at each search)."""

__all__ = [
    "TIMEOUT_SECONDS",
    "PatternTimeout",
    "UserPattern",
    "compile_user_pattern",
]

# JavaScript's flags as Spectral passes them to ``new RegExp``: the ones that change matching,
# and the ones accepted because they change nothing for a single test of a string.
# (``regex`` uses ``re``'s flag values; it is imported only when a pattern is compiled.)
_FLAGS: dict[str, int] = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL}
_IGNORED_FLAGS = frozenset("guy")

# Spectral's own test for the spelling: /^\/(.+)\/([a-z]*)$/ ('.' stops at JavaScript's
# line terminators).
_SLASHED = re.compile(r"/([^\n\r\u2028\u2029]+)/([a-z]*)")


class PatternTimeout(Exception):
    """A user pattern took longer than the time bound on one search."""

    def __init__(self, pattern: str, seconds: float = TIMEOUT_SECONDS) -> None:
        self.pattern = pattern
        self.seconds = seconds
        unit = "second" if seconds == 1 else "seconds"
        super().__init__(
            f"the regular expression {pattern} ran for more than {seconds:g} {unit} and was "
            "stopped: it probably repeats a group that can match the same text in more than "
            "one way, such as (a+)+ or (a|a)+; simplify it"
        )

    def __reduce__(self) -> tuple[type[PatternTimeout], tuple[str, float]]:
        return (type(self), (self.pattern, self.seconds))


@dataclass(frozen=True)
class UserPattern:
    """A compiled user pattern: ``source`` as written, searched with a time bound."""

    source: str
    """The pattern as the author wrote it, ``/.../flags`` included."""
    compiled: Any = field(repr=False, compare=False)
    """The ``regex`` pattern object (VERSION0, with the flags applied)."""

    def search(self, text: str) -> Any:
        """The first match in ``text``, or None; raises :class:`PatternTimeout` when the
        search runs for more than :data:`TIMEOUT_SECONDS`."""
        seconds = TIMEOUT_SECONDS
        try:
            return self.compiled.search(text, timeout=seconds)
        except TimeoutError:
            raise PatternTimeout(self.source, seconds) from None

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        """A match starting at ``pos`` (and ending by ``endpos``), or None; time-bounded too."""
        seconds = TIMEOUT_SECONDS
        end = len(text) if endpos is None else endpos
        try:
            return self.compiled.match(text, pos, end, timeout=seconds)
        except TimeoutError:
            raise PatternTimeout(self.source, seconds) from None


def _split(text: str) -> tuple[str, int]:
    """The pattern and ``regex`` flags of ``/pattern/flags``, or ``text`` itself unflagged."""
    slashed = _SLASHED.fullmatch(text)
    if slashed is None:
        return text, 0
    body, letters = slashed.groups()
    flags = 0
    for index, letter in enumerate(letters):
        if letter in letters[:index]:
            raise ValueError(f"repeats the flag '{letter}' after its closing '/'")
        if letter in _FLAGS:
            flags |= _FLAGS[letter]
        elif letter not in _IGNORED_FLAGS:
            raise ValueError(
                f"has the unknown flag '{letter}' after its closing '/' (a pattern written "
                "/like this/ may end in the flags i, m, s, g, u or y); to match a '/' at the "
                "start literally, write it as '\\/'"
            )
    return body, flags


@lru_cache(maxsize=512)
def compile_user_pattern(text: str) -> UserPattern:
    """Compile a pattern from a config or ruleset (each text once).

    ``/pattern/flags`` is the pattern between the slashes with JavaScript's flags (``i``
    ignores case, ``m`` makes ``^`` and ``$`` match at each line, ``s`` lets ``.`` match a
    newline; ``g``, ``u`` and ``y`` change nothing); any other text is the pattern as is.
    Raises ValueError, in words for the author, when the pattern or its flags are wrong.
    """
    import regex  # loaded only when a pattern is compiled

    body, flags = _split(text)
    try:
        compiled = regex.compile(body, flags | regex.VERSION0)
    except regex.error as error:
        raise ValueError(f"is not a valid regular expression: {error}") from None
    except RecursionError:
        raise ValueError("is not a usable regular expression: it is nested too deeply") from None
    return UserPattern(text, compiled)
