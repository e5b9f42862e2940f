from __future__ import annotations

import pytest
from helpers import run

from icrunbook.rules.functions.templates import internals, template

VARIABLES = ["title", "service", "severity", "impact", "unknowns", "next_update"]
INITIAL = ("communications", "templates", "initial", "body")
RESOLVED = ("communications", "templates", "resolved", "body")


def messages(body: object, path: tuple[str | int, ...] = INITIAL, **options: object) -> list[str]:
    return [f.message for f in run(template, body, path=path, **options)]


def test_valid_template_passes() -> None:
    body = "{{ title }} on {{ service }} ({{ severity }}). Next update {{ next_update }}."
    assert messages(body, variables=VARIABLES, uses=["next_update"]) == []
    assert messages("{% for a in impact %}{{ a }}{% endfor %}", variables=VARIABLES) == []


def test_syntax_error_is_reported_with_the_template_line() -> None:
    findings = run(template, "Hello\n{{ title ", path=INITIAL, variables=VARIABLES)
    assert len(findings) == 1
    assert findings[0].path == ()
    assert findings[0].message.startswith("does not compile as a Jinja2 template: ")
    assert findings[0].message.endswith("(line 2 of the template)")


def test_usage_rules_skip_a_template_that_does_not_compile() -> None:
    assert messages("{% if %}", uses=["next_update"]) == []


def test_undeclared_variable() -> None:
    assert messages("{{ title }} {{ foo }}", variables=["title", "service"]) == [
        "uses undeclared variable 'foo'; the variables are: title, service"
    ]


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ("{{ title.__class__ }}", "__class__"),
        ("{{ title['__globals__'] }}", "__globals__"),
        ('{{ title|attr("__init__") }}', "__init__"),
        ("{{ cycler._private }}", "_private"),
    ],
)
def test_reaching_for_python_internals_is_reported(body: str, name: str) -> None:
    assert messages(body, variables=["title", "cycler"]) == [
        f"reaches for Python internals ('{name}'); templates may only use the documented variables"
    ]


def test_internals_ignores_ordinary_access() -> None:
    from jinja2.sandbox import SandboxedEnvironment

    ast = SandboxedEnvironment().parse("{{ impact.users }} {{ impact['x'] }} {{ impact[0] }}")
    assert list(internals(ast)) == []


def test_uses_and_except() -> None:
    assert messages("{{ title }}", uses=["next_update", "title"]) == [
        "does not use the variable 'next_update'"
    ]
    assert (
        messages(
            "{{ title }}",
            path=RESOLVED,
            uses=["next_update"],
            option_values={"except": ["resolved"]},
        )
        == []
    )
    assert (
        messages(
            "{{ title }}",
            path=INITIAL,
            uses=["next_update"],
            option_values={"except": ["resolved"]},
        )
        != []
    )


def test_uses_any() -> None:
    assert messages("{{ unknowns }}", usesAny=["unknowns"]) == []
    assert messages("{{ title }}", usesAny=["unknowns"]) == ["does not use 'unknowns'"]
    assert messages("{{ title }}", usesAny=["impact", "known"]) == [
        "uses none of 'impact' or 'known'"
    ]


def test_wrong_types_are_skipped() -> None:
    assert messages(None, variables=VARIABLES) == []
    assert messages(["{{ foo }}"], variables=VARIABLES) == []


def test_a_template_too_deep_to_parse_is_reported_not_raised() -> None:
    [message] = messages("{{ " * 20000, variables=VARIABLES)
    assert message == "does not compile as a Jinja2 template: it nests too deeply to parse"
