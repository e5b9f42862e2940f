"""Functions on lists of items: how many, unique, in which order, how many per group."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterator, Mapping
from typing import Any

from icrunbook.rules.functions import Context, Finding, function
from icrunbook.rules.options import integer, jsonpaths, text, texts
from icrunbook.rules.paths import select
from icrunbook.wording import item_label

_SCALARS = (str, int, float, bool)


def mappings(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """The mapping items of a list, with their indexes (anything else yields nothing)."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


@function("count", {"query": jsonpaths, "min": integer, "max": integer}, required=["query"])
def count(value: Any, options: Mapping[str, Any], context: Context) -> Iterator[Finding]:
    """How many nodes a JSONPath ``query`` (with the value as ``$``; a list of queries counts
    them all) selects: ``min``/``max``."""
    if not isinstance(value, list | dict):
        return  # a missing or wrongly typed list: the schema reports it
    found = sum(1 for query in options["query"] for _ in select(query, value))
    low, high = options.get("min"), options.get("max")
    if low is not None and low == high and found != low:
        yield Finding(f"found {found}, expected exactly {low}")
    elif low is not None and found < low:
        yield Finding(f"found {found}, expected at least {low}")
    elif high is not None and found > high:
        yield Finding(f"found {found}, expected at most {high}")


@function("unique", {"field": text}, required=["field"])
def unique(value: Any, options: Mapping[str, Any], context: Context) -> Iterator[Finding]:
    """No two items of a list share the value of ``field``."""
    name: str = options["field"]
    seen: dict[Hashable, int] = {}
    for index, item in mappings(value):
        key = item.get(name)
        if not isinstance(key, _SCALARS):
            continue
        kept = (isinstance(key, bool), key)  # ``true`` is not ``1``, though ``1`` is ``1.0``
        if kept in seen:
            yield Finding(f"'{key}' is already used by item {seen[kept] + 1}", (index, name))
        else:
            seen[kept] = index


@function(
    "order", {"field": text, "first": text, "then": text}, required=["field", "first", "then"]
)
def order(value: Any, options: Mapping[str, Any], context: Context) -> Iterator[Finding]:
    """Items whose ``field`` is ``then`` stand after every item whose ``field`` is ``first``."""
    name, first, then = options["field"], options["first"], options["then"]
    items = list(mappings(value))
    last = next((pair for pair in reversed(items) if pair[1].get(name) == first), None)
    if last is None:
        return
    last_index, last_item = last
    for index, item in items:
        if index < last_index and item.get(name) == then:
            yield Finding(
                f"{item_label(f'{then} step', item, index)} stands before "
                f"{item_label(f'{first} step', last_item, last_index)} (item {last_index + 1}); "
                f"{first} first",
                (index, name),
            )


@function("groupCount", {"by": texts, "max": integer}, required=["by", "max"])
def group_count(value: Any, options: Mapping[str, Any], context: Context) -> Iterator[Finding]:
    """At most ``max`` items share the same values of the ``by`` fields (e.g. owner and phase)."""
    fields: list[str] = options["by"]
    limit: int = options["max"]
    groups: list[tuple[int, tuple[Any, ...]]] = []
    for index, item in mappings(value):
        key = tuple(item.get(name) for name in fields)
        if all(isinstance(part, _SCALARS) for part in key):
            groups.append((index, key))
    sizes = Counter(key for _, key in groups)
    seen: Counter[tuple[Any, ...]] = Counter()
    for index, key in groups:
        seen[key] += 1
        if seen[key] == limit + 1:
            head = f"{fields[0]} '{key[0]}' has {sizes[key]} steps"
            rest = " and ".join(
                f"{name} '{part}'" for name, part in zip(fields[1:], key[1:], strict=True)
            )
            where = f" in {rest}" if rest else ""
            yield Finding(f"{head}{where}, more than {limit}", (index,))


COLLECTION_FUNCTIONS = (count, unique, order, group_count)
