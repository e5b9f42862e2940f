"""Functions on references: names that must be declared elsewhere in the document."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from icrunbook.rules.functions import Context, Finding, OptionParser, function
from icrunbook.rules.options import integer, jsonpath, text, texts
from icrunbook.rules.paths import select
from icrunbook.suggest import did_you_mean

_PARSERS: dict[str, OptionParser] = {
    "given": jsonpath,
    "names": jsonpath,
    "allow": texts,
    "what": text,
}


@dataclass(frozen=True, slots=True)
class Reference:
    """One kind of reference: where names are used, where they are declared, what they are."""

    given: Any  # compiled JSONPath: the strings that refer
    names: Any  # compiled JSONPath: the declarations
    allow: tuple[str, ...] = ()
    what: str = "name"


def _reference(entry: Any) -> Reference:
    if not isinstance(entry, dict):
        raise ValueError(f"must list mappings of given, names, allow and what, not {entry!r}")
    unknown = sorted(set(entry) - set(_PARSERS))
    if unknown:
        raise ValueError(f"has unknown key {unknown[0]!r}; the keys are: given, names, allow, what")
    for key in ("given", "names"):
        if key not in entry:
            raise ValueError(f"needs {key!r} in every entry")
    parsed: dict[str, Any] = {}
    for key, parse in _PARSERS.items():
        if key in entry:
            try:
                parsed[key] = parse(entry[key])
            except ValueError as error:
                raise ValueError(f"has a {key!r} that {error}") from None
    return Reference(
        given=parsed["given"],
        names=parsed["names"],
        allow=tuple(parsed.get("allow", ())),
        what=parsed.get("what", "name"),
    )


def reference_list(value: Any) -> list[Reference]:
    """A list of ``{given, names, allow, what}`` entries (``allow`` and ``what`` optional)."""
    if not isinstance(value, list) or not value:
        raise ValueError(f"must be a non-empty list of mappings, not {value!r}")
    return [_reference(entry) for entry in value]


def declared_names(query: Any, value: Any) -> set[str]:
    """Names a query declares: keys of mappings, string items or ``id``s of lists, strings."""
    names: set[str] = set()
    for _, node in select(query, value):
        if isinstance(node, dict):
            names.update(key for key in node if isinstance(key, str))
        elif isinstance(node, list):
            for item in node:
                name = item.get("id") if isinstance(item, dict) else item
                if isinstance(name, str):
                    names.add(name)
        elif isinstance(node, str):
            names.add(node)
    return names


@function("references", {"references": reference_list}, required=["references"])
def references(value: Any, options: Mapping[str, Any], context: Context) -> Iterator[Finding]:
    """Every name used is declared: each ``given`` string is one of the ``names``.

    ``references`` lists ``{given, names, allow, what}``: JSONPaths (from the value) of the
    uses and of the declarations, names always allowed, and a noun for messages.
    """
    for reference in options["references"]:
        known = declared_names(reference.names, value) | set(reference.allow)
        for path, used in select(reference.given, value):
            if isinstance(used, str) and used and used not in known:
                hint = did_you_mean(used, sorted(known))
                yield Finding(f"{reference.what} '{used}' is not declared{hint}", path)


@function("includesKey", {"of": jsonpath, "position": integer}, required=["of"])
def includes_key(value: Any, options: Mapping[str, Any], context: Context) -> Iterator[Finding]:
    """A list includes the key at ``position`` (default 0) of the mapping ``of`` selects.

    ``of`` is a JSONPath from the document root, e.g. ``$.severities``; position 0 is the first
    (most severe) key.
    """
    if not isinstance(value, list):
        return
    position: int = options.get("position", 0)
    selected = next((node for _, node in select(options["of"], context.root)), None)
    if not isinstance(selected, dict) or not 0 <= position < len(selected):
        return
    key = list(selected)[position]
    if key not in value:
        which = "the most severe level" if position == 0 else f"level {position + 1}"
        yield Finding(f"does not include '{key}', {which}")


REFERENCE_FUNCTIONS = (references, includes_key)
