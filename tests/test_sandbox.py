"""``icrunbook.sandbox``: every Jinja2 environment icrunbook makes is Jinja2's sandbox."""

from __future__ import annotations

import pytest
from jinja2 import UndefinedError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from icrunbook.sandbox import sandboxed


def test_defaults_are_jinja2s_own_in_the_sandbox() -> None:
    environment = sandboxed()
    assert isinstance(environment, SandboxedEnvironment)
    assert environment.loader is None
    assert not environment.trim_blocks
    assert not environment.lstrip_blocks
    assert environment.from_string("{{ x }}<{{ missing }}>").render(x="<b>") == "<b><>"
    with pytest.raises(SecurityError):
        environment.from_string("{{ x.__class__.__mro__ }}").render(x="")


def test_options() -> None:
    environment = sandboxed(
        autoescape=True,
        strict=True,
        tidy_blocks=True,
        filters={"twice": lambda value: value * 2},
        tests={"short": lambda value: len(value) < 3},
    )
    template = environment.from_string("  {% if x is short %}\n{{ x | twice }}{% endif %}\n")
    assert template.render(x="<") == "&lt;&lt;"
    with pytest.raises(UndefinedError):
        environment.from_string("{{ missing }}").render()
    assert "upper" in environment.filters  # Jinja2's own stay


def test_package_templates_load_by_name() -> None:
    environment = sandboxed(package_templates="render/templates")
    assert "checklist.html.j2" in environment.list_templates()


def test_a_runbook_template_that_runs_or_grows_without_bound_is_stopped() -> None:
    from icrunbook.sandbox import TemplateLimit, render_bounded

    assert render_bounded("Impact: {{ impact }}", {"impact": "checkout"}) == "Impact: checkout"
    grows = "{% for i in range(100000) %}0123456789{% endfor %}"
    with pytest.raises(TemplateLimit, match="more than 20000 characters"):
        render_bounded(grows, {})
    loops = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
    with pytest.raises(TemplateLimit, match=r"longer than 0\.2 s"):
        render_bounded(loops, {}, seconds=0.2)
