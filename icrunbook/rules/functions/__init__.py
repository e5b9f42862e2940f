"""Functions: the reusable checks that rules call by name, core ones and plugins'.

A function takes the selected value, its options and a :class:`Context`, and yields
:class:`Finding` objects. A *repository* function (for ``scope: repository`` rules) is given the
values its rule selected in every linted file, as :class:`Occurrence` objects, and yields
``(index, words)`` for the occurrences it finds wrong. Built-in functions live in the modules of
this package, one family each; a plugin package adds functions through the
``icrunbook.functions`` entry-point group, whose entry points each name a :class:`FunctionSpec`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

if TYPE_CHECKING:
    from icrunbook.diagnostics import Span
    from icrunbook.loader import Document, Path

Scope = Literal["document", "repository"]


class _Missing:
    """The value of a ``field`` that the selected mapping does not have (unlike ``null``)."""

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()


def value_at(data: Any, path: Path) -> Any:
    """The value at ``path`` (keys and indexes) below ``data``, or MISSING."""
    for key in path:
        in_mapping = isinstance(data, dict) and key in data
        in_list = isinstance(data, list) and isinstance(key, int) and 0 <= key < len(data)
        if not (in_mapping or in_list):
            return MISSING
        data = data[key]
    return data


OptionParser = Callable[[Any], Any]
"""Checks and normalises one option value; raises ValueError with words for the author."""


class Finding(NamedTuple):
    """What a function found: its words, and where, relative to the value it was given."""

    message: str
    path: Path = ()
    at_key: bool = False  # point at the key of ``path`` rather than its value


@dataclass(frozen=True, slots=True)
class Context:
    """What a function may know beyond its value: the whole document, where the value is."""

    document: Document
    path: Path  # where the checked value is
    position: int  # index of the selected node among its siblings (key order for mappings)
    today: date

    @property
    def root(self) -> Any:
        return self.document.data


@dataclass(frozen=True, slots=True)
class Occurrence:
    """A value a repository rule selected in one file: which file, where, and the line's text.
    Plain data, so that it can be cached and sent between processes."""

    file: str
    where: Path
    value: str | int | float | bool
    span: Span
    line_text: str = ""


Check = Callable[[Any, Mapping[str, Any], Context], Iterable[Finding]]
RepositoryCheck = Callable[[Sequence[Occurrence], Mapping[str, Any]], Iterable[tuple[int, str]]]


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    """A function and the options it accepts (name → parser), for checking rulesets early.
    ``scope`` says what it is given: one document's value, or every file's occurrences."""

    name: str
    check: Callable[..., Iterable[Any]]
    options: Mapping[str, OptionParser] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    summary: str = ""
    scope: Scope = "document"

    def __call__(
        self, value: Any, options: Mapping[str, Any], context: Context
    ) -> Iterator[Finding]:
        yield from self.check(value, options, context)

    def compare(
        self, occurrences: Sequence[Occurrence], options: Mapping[str, Any]
    ) -> Iterator[tuple[int, str]]:
        """A repository function's findings: (index into ``occurrences``, words)."""
        yield from self.check(occurrences, options)


def _summary(check: Callable[..., Any]) -> str:
    return (check.__doc__ or "").strip().splitlines()[0] if check.__doc__ else ""


def function(
    name: str, options: Mapping[str, OptionParser] | None = None, required: Iterable[str] = ()
) -> Callable[[Check], FunctionSpec]:
    """Declare a function: ``@function("duration", {"min": duration, "max": duration})``."""

    def declare(check: Check) -> FunctionSpec:
        return FunctionSpec(name, check, dict(options or {}), frozenset(required), _summary(check))

    return declare


def repository_function(
    name: str, options: Mapping[str, OptionParser] | None = None, required: Iterable[str] = ()
) -> Callable[[RepositoryCheck], FunctionSpec]:
    """Declare a function for ``scope: repository`` rules, given every file's occurrences."""

    def declare(check: RepositoryCheck) -> FunctionSpec:
        spec_options = dict(options or {})
        summary = _summary(check)
        return FunctionSpec(name, check, spec_options, frozenset(required), summary, "repository")

    return declare
