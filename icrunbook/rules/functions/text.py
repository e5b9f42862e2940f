"""Functions on free text: whether words and phrases are mentioned."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from icrunbook.rules.functions import Context, Finding, function
from icrunbook.rules.options import boolean, jsonpath, texts
from icrunbook.rules.paths import select

if TYPE_CHECKING:
    from icrunbook.loader import Path


def _phrase_pattern(phrase: str) -> str:
    """A phrase as a regex: any run of whitespace between words, either kind of apostrophe."""
    words = (re.escape(word).replace("'", "['\u2019]") for word in phrase.split())
    return r"\s+".join(words)


@lru_cache(maxsize=256)
def _compile(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """One alternation for all phrases, longest first; group ``p<i>`` is the i-th phrase."""
    order = sorted(
        (i for i, phrase in enumerate(phrases) if phrase.strip()),
        key=lambda i: -len(phrases[i]),
    )
    if not order:
        return None
    alternation = "|".join(f"(?P<p{i}>{_phrase_pattern(phrases[i])})" for i in order)
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)


def phrase_matcher(phrases: Iterable[str]) -> Callable[[str], str | None]:
    """A test that returns the first of ``phrases`` found in a text (whole words, any case)."""
    listed = tuple(phrases)
    pattern = _compile(listed)

    def find(text: str) -> str | None:
        match = pattern.search(text) if pattern is not None else None
        if match is None or match.lastgroup is None:
            return None
        return listed[int(match.lastgroup[1:])]

    return find


def quote_list(items: Iterable[str], conjunction: str = "or") -> str:
    """``'a', 'b' or 'c'``: a list of names as a sentence reads them."""
    quoted = [f"'{item}'" for item in items]
    if len(quoted) <= 1:
        return "".join(quoted)
    return f"{', '.join(quoted[:-1])} {conjunction} {quoted[-1]}"


def gather_strings(value: Any, query: Any = None) -> list[tuple[Path, str]]:
    """The strings a query selects from ``value``; without one, the value or its string items."""
    if query is not None:
        nodes: Iterable[tuple[Path, Any]] = select(query, value)
    elif isinstance(value, list):
        nodes = (((index,), item) for index, item in enumerate(value))
    else:
        nodes = [((), value)]
    return [(path, item) for path, item in nodes if isinstance(item, str)]


@function(
    "mentions",
    {"phrases": texts, "present": boolean, "query": jsonpath},
    required=["phrases"],
)
def mentions(value: Any, options: Mapping[str, Any], context: Context) -> Iterator[Finding]:
    """Whether texts mention one of some words or phrases (whole words, any case).

    With ``present: true`` (the default) at least one of the texts must mention one of
    ``phrases``; with ``present: false`` none may. ``query`` (JSONPath, from the value) selects
    the texts; without it, the value itself or its string items are searched.
    """
    phrases: list[str] = options["phrases"]
    gathered = gather_strings(value, options.get("query"))
    find = phrase_matcher(phrases)
    if options.get("present", True):
        if gathered and not any(find(text) for _, text in gathered):
            subject = "does not" if len(gathered) == 1 else f"none of the {len(gathered)} texts"
            verb = "mention" if len(gathered) == 1 else "mentions"
            yield Finding(f"{subject} {verb} any of {quote_list(phrases)}")
        return
    for path, text in gathered:
        found = find(text)
        if found is not None:
            yield Finding(f"mentions '{found}'", path)


TEXT_FUNCTIONS = (mentions,)
