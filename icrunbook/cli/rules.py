"""``icrun rules``: the rules in force, one rule's page, or a test of a ruleset's examples."""

from __future__ import annotations

import typer

from icrunbook.cli.common import ConfigOption

EXAMPLES = (
    "Examples: icrun rules | icrun rules cadence-internal-max | icrun rules --test team-rules.yaml"
)


def rules(
    name: str | None = typer.Argument(None, help="A rule to explain (default: list them all)."),
    test: str | None = typer.Option(
        None, "--test", metavar="RULESET", help="Run each rule's examples in a ruleset file."
    ),
    config: str | None = ConfigOption,
) -> int:
    """List the rules in force (under the nearest .icrun.yaml), explain one, or test a ruleset."""
    if test is not None:
        raise typer.Exit(_test(test))
    from icrunbook.pipeline.runner import Runner
    from icrunbook.rules.docs import catalog, rule_page, table

    entries = catalog(Runner.configured(config).working_config())
    if name is None:
        typer.echo(table(entries), nl=False)
        return 0
    for entry in entries:
        if entry.rule.name == name:
            typer.echo(rule_page(entry.rule, entry.ruleset, entry), nl=False)
            return 0
    from icrunbook.errors import IcrunError
    from icrunbook.suggest import did_you_mean

    hint = did_you_mean(name, [entry.rule.name for entry in entries])
    raise IcrunError(f"unknown rule '{name}'{hint or '; list the rules with: icrun rules'}")


def _test(path: str) -> int:
    """Like semgrep --test: each rule alone fires on its failing example, not on its passing one."""
    from icrunbook.rules.examples import check_examples
    from icrunbook.rules.registry import available_functions
    from icrunbook.rules.ruleset import load_ruleset

    functions = available_functions()
    own = [  # every ruleset starts from the structural stages, which have no examples to run
        rule
        for rule in load_ruleset(path).values()
        if not (rule.structural and rule.source.startswith("<"))
    ]
    results = [check_examples(rule, functions) for rule in own]
    for result in results:
        detail = f": {result.detail}" if result.detail else ""
        typer.echo(f"{result.outcome.upper():4} {result.rule}{detail}")
    passed = sum(result.outcome == "pass" for result in results)
    failed = sum(result.outcome == "fail" for result in results)
    skipped = len(results) - passed - failed
    typer.echo(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0
