"""Functions on free text: whether words and phrases are mentioned, or what a step does."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from icrunbook.phrasing import action_hit, phrases
from icrunbook.rules.functions import Context, Finding, function
from icrunbook.rules.options import boolean, jsonpath, texts
from icrunbook.rules.paths import select

if TYPE_CHECKING:
    from icrunbook.loader import Path


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


def _shown(items: list[str], most: int) -> str:
    """The first ``most`` items quoted, and how many more there are."""
    more = f" (and {len(items) - most} more)" if len(items) > most else ""
    return quote_list(items[:most]) + more


@function(
    "mentions",
    {"phrases": texts, "present": boolean, "query": jsonpath, "asAction": boolean},
    required=["phrases"],
)
def mentions(value: Any, options: Mapping[str, Any], context: Context) -> Iterator[Finding]:
    """Whether texts mention one of some words or phrases, as people write them.

    A phrase matches any inflection of its words (``roll back`` matches ``rolled back``), a
    particle after its object (``roll the release back``) and ``...`` for up to five words.
    With ``present: true`` (the default) at least one of the texts must mention one of
    ``phrases``; with ``present: false`` none may. With ``asAction: true`` a phrase counts only
    as what the text does, where its verb stands ("Verify the rollback" does not roll back).
    ``query`` (JSONPath, from the value) selects the texts; without it, the value itself or its
    string items are searched.
    """
    listed: list[str] = options["phrases"]
    compiled = phrases(tuple(listed))
    gathered = gather_strings(value, options.get("query"))
    as_action = options.get("asAction", False)
    if as_action:
        hits = [action_hit(text, compiled) for _, text in gathered]
        found = [hit.phrase if hit else None for hit in hits]
    else:
        found = [compiled.first(text) for _, text in gathered]
    if options.get("present", True):
        if gathered and not any(found):
            distinct = list(dict.fromkeys(text for _, text in gathered))
            verb = "do" if len(distinct) > 1 else "does"
            says = "none of" if as_action else "not say any of"
            yield Finding(f"{_shown(distinct, 3)} {verb} {says} {_shown(listed, 5)}")
        return
    for (path, _), phrase in zip(gathered, found, strict=True):
        if phrase is not None:
            yield Finding(f"mentions '{phrase}'", path)


TEXT_FUNCTIONS = (mentions,)
