"""Which functions rules may call: the built-in ones, plus those of enabled plugins."""

from __future__ import annotations

import importlib
from functools import cache
from typing import TYPE_CHECKING

from icrunbook.errors import IcrunError
from icrunbook.rules.functions import FunctionSpec

if TYPE_CHECKING:
    from collections.abc import Iterable

ENTRY_POINT_GROUP = "icrunbook.functions"

# Each module ends with a ``<FAMILY>_FUNCTIONS`` tuple of its FunctionSpecs.
_BUILTIN_MODULES = {
    "core": "CORE_FUNCTIONS",
    "durations": "DURATION_FUNCTIONS",
    "collections": "COLLECTION_FUNCTIONS",
    "references": "REFERENCE_FUNCTIONS",
    "text": "TEXT_FUNCTIONS",
    "templates": "TEMPLATE_FUNCTIONS",
    "updates": "UPDATE_FUNCTIONS",
    "dates": "DATE_FUNCTIONS",
    "roles": "ROLE_FUNCTIONS",
    "comments": "COMMENT_FUNCTIONS",
    "repository": "REPOSITORY_FUNCTIONS",
}


@cache
def builtin_functions() -> dict[str, FunctionSpec]:
    functions: dict[str, FunctionSpec] = {}
    for module_name, attribute in _BUILTIN_MODULES.items():
        module = importlib.import_module(f"icrunbook.rules.functions.{module_name}")
        functions.update((spec.name, spec) for spec in getattr(module, attribute))
    return functions


def available_functions(plugins: Iterable[str] = ()) -> dict[str, FunctionSpec]:
    """Built-in functions plus the functions of the named, installed plugin packages."""
    functions = dict(builtin_functions())
    for plugin in plugins:
        functions.update(_plugin_functions(plugin))
    return functions


def _plugin_functions(plugin: str) -> dict[str, FunctionSpec]:
    """Functions a package registers under the ``icrunbook.functions`` entry-point group."""
    from importlib.metadata import entry_points

    found: dict[str, FunctionSpec] = {}
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        distribution = entry.dist.name if entry.dist is not None else ""
        if _normalise(distribution) != _normalise(plugin):
            continue
        try:
            spec = entry.load()
        except Exception as error:  # the plugin's own import failed: say so, not "internal"
            raise IcrunError(
                f"plugin '{plugin}': entry point '{entry.name}' failed to load: "
                f"{type(error).__name__}: {error}"
            ) from None
        if not isinstance(spec, FunctionSpec):
            raise IcrunError(
                f"plugin '{plugin}': entry point '{entry.name}' is not an icrunbook function "
                "(decorate it with icrunbook.rules.functions.function)"
            )
        found[spec.name] = spec
    if not found:
        raise IcrunError(
            f"plugin '{plugin}' is not installed or registers no '{ENTRY_POINT_GROUP}' "
            f"entry points; install it with: pip install {plugin}"
        )
    return found


def _normalise(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")
