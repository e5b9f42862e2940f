"""Functions on Jinja2 message templates, parsed (never rendered) in a sandboxed environment."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from icrunbook.rules.functions import Context, Finding, function
from icrunbook.rules.functions.text import quote_list
from icrunbook.rules.options import texts
from icrunbook.sandbox import sandboxed
from icrunbook.suggest import closest, did_you_mean

if TYPE_CHECKING:
    from jinja2 import nodes
    from jinja2.sandbox import SandboxedEnvironment


@cache
def _environment() -> SandboxedEnvironment:
    """The environment templates are parsed in, made on first use."""
    return sandboxed()


@dataclass(frozen=True, slots=True)
class _Parsed:
    used: frozenset[str]  # the variables the template uses
    internals: tuple[str, ...]  # ``_``-prefixed names it reaches for


@lru_cache(maxsize=256)
def _parse(body: str) -> _Parsed | str:
    """What the template uses, or why it does not compile. Several rules look at each
    template, and runbooks share templates: each body is parsed and walked once."""
    from jinja2 import TemplateSyntaxError, meta

    try:
        ast = _environment().parse(body)
    except TemplateSyntaxError as error:
        return f"{error.message} (line {error.lineno} of the template)"
    except RecursionError:
        return "it nests too deeply to parse"
    used = frozenset(meta.find_undeclared_variables(ast))
    return _Parsed(used, tuple(dict.fromkeys(internals(ast))))


def _template_name(path: tuple[str | int, ...]) -> str | int | None:
    """A template's name: the key above ``body``, or the key of the value itself."""
    if len(path) >= 2 and path[-1] == "body":
        return path[-2]
    return path[-1] if path else None


def internals(ast: nodes.Template) -> Iterator[str]:
    """Names of attributes and items starting with ``_`` that a template reaches for."""
    from jinja2 import nodes

    for node in ast.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter)):
        name: Any = None
        if isinstance(node, nodes.Getattr):
            name = node.attr
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            name = node.arg.value
        elif isinstance(node, nodes.Filter) and node.name == "attr" and node.args:
            # the ``attr`` filter: ``x|attr("__class__")``
            first = node.args[0]
            name = first.value if isinstance(first, nodes.Const) else None
        if isinstance(name, str) and name.startswith("_"):
            yield name


def _validity(parsed: _Parsed, variables: list[str] | None) -> Iterator[Finding]:
    for name in parsed.internals:
        yield Finding(
            f"reaches for Python internals ('{name}'); "
            "templates may only use the documented variables"
        )
    if variables is not None:
        for name in sorted(parsed.used - set(variables)):
            hint = did_you_mean(name, variables)
            known = f"; the variables are: {', '.join(variables)}" if not hint else ""
            yield Finding(f"uses undeclared variable '{name}'{hint}{known}")


def _usage(used: frozenset[str], options: Mapping[str, Any]) -> Iterator[Finding]:
    for name in options.get("uses", []):
        if name not in used and not any(closest(other, [name]) for other in used):
            yield Finding(f"does not use the variable '{name}'")  # a misspelling is reported once
    wanted: list[str] = options.get("usesAny", [])
    if wanted and not used.intersection(wanted):
        verb = "does not use" if len(wanted) == 1 else "uses none of"
        yield Finding(f"{verb} {quote_list(wanted)}")


@function(
    "template",
    {
        "variables": texts,
        "uses": texts,
        "usesAny": texts,
        "except": texts,
    },
)
def template(value: Any, options: Mapping[str, Any], context: Context) -> Iterator[Finding]:
    """A Jinja2 template compiles in the sandbox and uses the variables it should.

    ``variables`` lists the allowed variables; ``uses`` must all be used; one of ``usesAny``
    must be used; templates named in ``except`` are skipped. A template that does not compile,
    or reaches for Python internals, is reported by a rule that sets ``variables`` or no option
    at all; other rules skip a template that does not compile.
    """
    if not isinstance(value, str) or not value:
        return  # the schema reports a body that is not text, or empty
    if _template_name(context.path) in options.get("except", []):
        return
    validates = "variables" in options or not options.keys() - {"except"}
    parsed = _parse(value)
    if isinstance(parsed, str):
        if validates:
            yield Finding(f"does not compile as a Jinja2 template: {parsed}")
        return
    if validates:
        yield from _validity(parsed, options.get("variables"))
    yield from _usage(parsed.used, options)


def used_variables(body: str) -> frozenset[str]:
    """The variables a template uses (none when it does not compile)."""
    parsed = _parse(body)
    return frozenset() if isinstance(parsed, str) else parsed.used


TEMPLATE_FUNCTIONS = (template,)
