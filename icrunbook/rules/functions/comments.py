"""Functions on the YAML text itself: where YAML reads what the author wrote otherwise.

These look at :attr:`Context.document` (its text and composed node tree), not at the value:
a comment is gone from the data by the time a rule sees it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import yaml

from icrunbook.rules.functions import Context, Finding, FunctionSpec, function
from icrunbook.rules.options import regex
from icrunbook.rules.patterns import UserPattern, compile_user_pattern

if TYPE_CHECKING:
    from icrunbook.loader import Path

_BLANKS_THEN_HASH = re.compile(r"[ \t]+#")  # after something on the line: a comment starts
_LINE_BREAKS = "\r\n\x85\u2028\u2029"  # what libyaml counts as the end of a line
_LINE_END = re.compile(f"[{_LINE_BREAKS}]")
_DIRECTIVE = re.compile(r"\s*icrun:")  # right after the ``#``: an inline suppression
CONTINUES = r"[^\s#]"
"""What, right after the ``#``, reads as more of the value (``#channel``, ``#42``) by default;
``# a comment`` (a space first) does not."""
_SHOWN = 40  # characters of runbook text shown in a message, per quoted part


def _cuts(source: str, continues: UserPattern) -> dict[int, tuple[int, int]]:
    """Where a comment that reads as part of a value starts after something on its line: the
    index just past that something (where a value cut there ends) → where the comment's ``#``
    is and where its line ends. ``continues`` is matched right after the ``#``, within the
    line; the scan is linear in the text however many ``#`` a line has."""
    cuts: dict[int, tuple[int, int]] = {}
    line_end = -1
    for match in _BLANKS_THEN_HASH.finditer(source):
        end, after = match.start(), match.end()
        if end == 0 or source[end - 1] in _LINE_BREAKS:  # a comment on a line of its own
            continue
        if after > line_end:
            found = _LINE_END.search(source, after)
            line_end = found.start() if found else len(source)
        if continues.match(source, after, line_end) and not _DIRECTIVE.match(
            source, after, line_end
        ):
            cuts[end] = (after - 1, line_end)
    return cuts


def _descend(node: yaml.Node | None, path: Path) -> yaml.Node | None:
    """The node at ``path`` under ``node``, or None."""
    for key in path:
        if isinstance(node, yaml.MappingNode):
            node = next(
                (v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key),
                None,
            )
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            node = node.value[key] if 0 <= key < len(node.value) else None
        else:
            return None
    return node


def _cut_values(
    top: yaml.Node, cuts: Mapping[int, object], shift: int
) -> Iterator[tuple[Path, yaml.ScalarNode, bool]]:
    """Each plain scalar value under ``top`` that ends where one of ``cuts`` is (text indexes),
    with its path from ``top`` and whether it is a mapping's value. Iterative and in document
    order; collections holding no cut are skipped, and a node reached again through an alias
    is not looked at twice (its first place is its anchor's)."""
    ends = sorted(cuts)

    def cut(node: yaml.Node) -> bool:
        if isinstance(node, yaml.ScalarNode):  # plain: style None, or "" from the C loader
            return not node.style and node.end_mark.index + shift in cuts
        first = bisect_left(ends, node.start_mark.index + shift)
        return first < len(ends) and ends[first] <= node.end_mark.index + shift

    seen: set[int] = set()
    stack: list[tuple[Path, yaml.Node, bool]] = [((), top, False)] if cut(top) else []
    while stack:
        path, node, keyed = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            yield path, node, keyed
        elif isinstance(node, yaml.MappingNode):
            stack.extend(
                ((*path, key.value), value, True)
                for key, value in reversed(node.value)
                if isinstance(key, yaml.ScalarNode) and cut(value)
            )
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(
                ((*path, index), node.value[index], False)
                for index in range(len(node.value) - 1, -1, -1)
                if cut(node.value[index])
            )


def _quoted(text: str, tail: bool = False) -> str:
    """Runbook text for a one-line message: quoted, shortened with … (keeping its end with
    ``tail``), control and invisible characters written as escapes."""
    if len(text) > _SHOWN:
        text = "…" + text[-(_SHOWN - 1) :] if tail else text[: _SHOWN - 1] + "…"
    return "'" + "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text) + "'"


def _message(node: yaml.ScalarNode, comment: str) -> str:
    if node.value:
        kept = f"the value ends at {_quoted(node.value, tail=True)}"
    else:
        kept = "the value is null" if node.tag.endswith(":null") else "the value is empty"
    return f"{kept}: YAML reads {_quoted(comment)} as a comment; put the whole value in quotes"


@function("commentCut", {"continues": regex})
def comment_cut(value: Any, options: Mapping[str, Any], context: Context) -> Iterator[Finding]:
    """A plain (unquoted) value is cut short where YAML reads a blank and ``#`` as a comment.

    ``key: Scale out before #partitions=24`` is the value ``Scale out before``, and
    ``channel: #inc-checkout`` is null. A finding is made where a plain (unquoted) value is
    followed on its line by blanks, ``#`` and what ``continues`` (a regex, matched right after
    the ``#``; default ``[^\\s#]``) accepts, so ``# a comment`` passes. Quoted and block
    scalars, keys, and inline suppressions (``#icrun: disable=...``) never fire. Findings point
    at the value, or at the key of an empty one. Reads the document's text and node tree, not
    the value; a file with no candidate in its text costs one regex scan.
    """
    document = context.document
    if document.root is None:
        return
    source = document.text
    cuts = _cuts(source, options.get("continues") or compile_user_pattern(CONTINUES))
    if not cuts:
        return
    top = _descend(document.root, context.path)
    if top is None:
        return
    shift = 1 if source.startswith("\ufeff") else 0  # libyaml's marks do not count a BOM
    for path, node, keyed in _cut_values(top, cuts, shift):
        hash_at, line_end = cuts[node.end_mark.index + shift]
        message = _message(node, source[hash_at:line_end].rstrip(" \t"))
        yield Finding(message, path, at_key=keyed and not node.value)


COMMENT_FUNCTIONS: tuple[FunctionSpec, ...] = (comment_cut,)
