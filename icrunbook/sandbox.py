"""The one way icrunbook makes a Jinja2 environment: always Jinja2's sandbox.

Message templates (parsed by the rules, never rendered), the built-in HTML checklist and users'
``--template`` files all compile here, so none can reach Python internals (``__class__`` and
friends) whatever the runbook or the template says. Jinja2 is imported only when an environment
is made, so that ``icrun --help`` and ``icrun validate`` never load it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment


def sandboxed(
    *,
    autoescape: bool = False,
    package_templates: str | None = None,
    strict: bool = False,
    tidy_blocks: bool = False,
    filters: Mapping[str, Callable[..., Any]] | None = None,
    tests: Mapping[str, Callable[..., bool]] | None = None,
) -> SandboxedEnvironment:
    """A new sandboxed environment.

    ``autoescape``: HTML-escape every value a template prints. ``package_templates``: a folder
    of icrunbook's own templates (``render/templates``), loaded by name with ``get_template``;
    without it, templates come from strings only. ``strict``: an undefined name is an error,
    not empty text. ``tidy_blocks``: a block tag's own line leaves nothing behind (Jinja2's
    ``trim_blocks`` and ``lstrip_blocks``). ``filters`` and ``tests``: added to Jinja2's own.
    """
    from jinja2 import BaseLoader, PackageLoader, StrictUndefined, Undefined
    from jinja2.sandbox import SandboxedEnvironment

    loader: BaseLoader | None = None
    if package_templates is not None:
        loader = PackageLoader("icrunbook", package_templates)
    environment = SandboxedEnvironment(
        loader=loader,
        autoescape=autoescape,
        undefined=StrictUndefined if strict else Undefined,
        trim_blocks=tidy_blocks,
        lstrip_blocks=tidy_blocks,
    )
    environment.filters.update(filters or {})
    environment.tests.update(tests or {})
    return environment
