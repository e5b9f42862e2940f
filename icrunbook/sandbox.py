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


class TemplateLimit(Exception):
    """A template that ran too long or wrote too much, stopped."""


def render_bounded(
    source: str, values: Mapping[str, Any], *, seconds: float = 1.0, max_chars: int = 20_000
) -> str:
    """A template from a runbook, filled in the sandbox and stopped when it runs longer than
    ``seconds`` (a timer, on the main thread) or writes more than ``max_chars``: a template
    that loops or grows without bound fails with :class:`TemplateLimit`, it never hangs."""
    import signal
    import threading

    template = sandboxed().from_string(source)
    timed = threading.current_thread() is threading.main_thread()

    def stop(*_: object) -> None:
        raise TemplateLimit(f"it ran longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, stop) if timed else None
    if timed:
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        written: list[str] = []
        size = 0
        for chunk in template.generate(**values):
            size += len(chunk)
            if size > max_chars:
                raise TemplateLimit(f"it wrote more than {max_chars} characters")
            written.append(chunk)
        return "".join(written)
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
