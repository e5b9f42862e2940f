"""Functions: the reusable checks that rules call by name, core ones and plugins'.

A function takes the selected value, its options and a :class:`Context`, and yields
:class:`Finding` objects. Built-in functions live in the modules of this package, one family
each; a plugin package adds functions through the ``icrunbook.functions`` entry-point group,
whose entry points each name a :class:`FunctionSpec`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from icrunbook.loader import Document, Path


class _Missing:
    """The value of a ``field`` that the selected mapping does not have (unlike ``null``)."""

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()

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


Check = Callable[[Any, Mapping[str, Any], Context], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    """A function and the options it accepts (name → parser), for checking rulesets early."""

    name: str
    check: Check
    options: Mapping[str, OptionParser] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    summary: str = ""

    def __call__(
        self, value: Any, options: Mapping[str, Any], context: Context
    ) -> Iterator[Finding]:
        yield from self.check(value, options, context)


def function(
    name: str, options: Mapping[str, OptionParser] | None = None, required: Iterable[str] = ()
) -> Callable[[Check], FunctionSpec]:
    """Declare a function: ``@function("duration", {"min": duration, "max": duration})``."""

    def declare(check: Check) -> FunctionSpec:
        summary = (check.__doc__ or "").strip().splitlines()[0] if check.__doc__ else ""
        return FunctionSpec(name, check, dict(options or {}), frozenset(required), summary)

    return declare
