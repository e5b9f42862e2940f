"""Checking one loaded document against a plan: the structural stages, then the rules.

:func:`check` gives a :class:`FileResult`: the file's findings at their plan's severities less
what inline suppressions silence, plus what the repository rules need from it. :func:`finish`
adds the file's share of the repository findings (suppressible like any other) and reports the
suppressions that silenced nothing, which can only be known once those are in.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from icrunbook.diagnostics import FILE_START, Diagnostic, Severity
from icrunbook.errors import IcrunError
from icrunbook.suppressions import Suppression, find_suppressions, silence, unused
from icrunbook.validation import SchemaCheck, check_document
from icrunbook.validation.schemas import schema_for

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from icrunbook.loader import Document
    from icrunbook.pipeline.plan import Plan
    from icrunbook.pipeline.runner import Runner
    from icrunbook.rules.functions import Occurrence

OWN_API_VERSION = "icrunbook/"
OWN_KINDS = frozenset({"Runbook", "Ruleset", "Policy"})


@dataclass(slots=True)
class FileResult:
    """What checking one file found, as plain data (it is cached and sent between processes)."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)
    occurrences: dict[str, list[Occurrence]] = field(default_factory=dict)
    policy: str | None = None  # the policy file the runbook was laid over (the cache checks it)


def check(document: Document, plan: Plan) -> FileResult:
    """The structural stages and then (for a runbook, under a lint plan) every active rule."""
    found, schema = _structure(document)
    if schema is None:  # not icrunbook's: its one finding, and nothing else runs on it
        return FileResult(document.path, [_settled(found[0], found[0].severity, document)])
    occurrences: dict[str, list[Occurrence]] = {}
    if schema_for(document.path, document.kind) == "runbook" and plan.runs_rules:
        found += plan.linter.run(document, schema.rejected)
        if plan.has_repository_rules:
            from icrunbook.rules.engine import collect

            occurrences = collect(plan.repository_rules, document, schema.rejected)
    severities = plan.severities
    settled = [_settled(d, severities[d.rule], document) for d in found if d.rule in severities]
    suppressions = find_suppressions(document.text, document.in_scalar)
    silenced = silence([d for d in settled if d.path == document.path], suppressions)
    inherited = [d for d in settled if d.path != document.path]
    if document.policy is not None and inherited:
        # the policy's comments reach its own lines; the runbook's disable-file reaches all
        policy = document.policy
        comments = find_suppressions(policy.text, policy.in_scalar)
        whole_file = [s for s in suppressions if s.target_line is None]
        silenced += silence(inherited, comments + whole_file)
    if document.kind == "Policy":  # its comments are for the runbooks standing on it
        suppressions = [s for s in suppressions if s.used]
    policy_path = document.policy.path if document.policy is not None else None
    return FileResult(document.path, silenced, suppressions, occurrences, policy_path)


def finish(
    result: FileResult, plan: Plan, repository: Iterable[Diagnostic] = ()
) -> list[Diagnostic]:
    """The file's final diagnostics, in output order: its own, its share of the repository
    findings (at this file's severities, less what its suppressions silence), and its unused
    suppressions."""
    extra = [
        dataclasses.replace(diagnostic, severity=plan.severities[diagnostic.rule])
        for diagnostic in repository
        if diagnostic.rule in plan.severities
    ]
    diagnostics = result.diagnostics + silence(extra, result.suppressions)
    severity = plan.reports_unused_suppressions
    if severity is not None:
        diagnostics += unused(result.suppressions, result.path, plan.known, severity)
    return sorted(diagnostics, key=Diagnostic.sort_key)


def repository_findings(
    occurrences: Iterable[tuple[str, dict[str, list[Occurrence]]]], plan_of: Callable[[str], Plan]
) -> dict[str, list[Diagnostic]]:
    """Each repository rule over every file's occurrences (``(path, by rule)`` pairs), by file.
    A rule runs once, with the options of the first file's plan that has it; :func:`finish`
    then gives each finding its own file's severity."""
    by_rule: defaultdict[str, list[Occurrence]] = defaultdict(list)
    first_path: dict[str, str] = {}
    for path, found_by_rule in occurrences:
        for name, found in found_by_rule.items():
            by_rule[name].extend(found)
            first_path.setdefault(name, path)
    from icrunbook.rules.engine import repository_diagnostics

    shares: defaultdict[str, list[Diagnostic]] = defaultdict(list)
    for name, found in by_rule.items():
        rule = next(r for r in plan_of(first_path[name]).repository_rules if r.name == name)
        for diagnostic in repository_diagnostics(rule, found):
            shares[diagnostic.path].append(diagnostic)
    return shares


def sound_runbook(path: str, runner: Runner | None, verb: str) -> Document:
    """A runbook file loaded under its config (``max_file_size`` included) that passes the
    structural checks, inline suppressions notwithstanding: what rendering or running it
    needs. An IcrunError naming the first problem otherwise."""
    from icrunbook.pipeline.runner import Runner

    document = (runner or Runner(structural_only=True)).load(path)
    problems = sorted(structural_findings(document), key=lambda d: d.sort_key())
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise IcrunError(
            f"{path}:{first.line}:{first.column}: cannot {verb}: {first.message}{more}; "
            f"see: icrun validate {path}"
        )
    if document.kind != "Runbook":
        what = f"a {document.kind}" if document.kind else "a config file"
        raise IcrunError(f"{path}: cannot {verb} {what}; only runbooks {verb}")
    return document


def structural_findings(document: Document) -> list[Diagnostic]:
    """What the structural stages find in a document, before any suppression: what decides
    whether it can be rendered at all."""
    return _structure(document)[0]


def _structure(document: Document) -> tuple[list[Diagnostic], SchemaCheck | None]:
    """The structural stages: the loader's findings and the schema's (with the paths it
    rejects), or, for a file that is not icrunbook's, that one finding and no schema check."""
    foreign = not_a_runbook(document)
    if foreign is not None:
        return [foreign], None
    schema = check_document(document)
    return document.diagnostics + schema.diagnostics, schema


def not_a_runbook(document: Document) -> Diagnostic | None:
    """A YAML mapping that is not icrunbook's (a Kubernetes manifest, a CI file): one finding
    saying so, instead of a schema error for every key it has."""
    data = document.data
    if not isinstance(data, dict) or schema_for(document.path, document.kind) == "config":
        return None
    version = data.get("apiVersion")
    if isinstance(version, str) and version.startswith(OWN_API_VERSION):
        return None
    if "apiVersion" not in data and document.kind in OWN_KINDS:
        return None  # ours, missing a key: the schema says which
    found = (
        f"'apiVersion: {version}'" if isinstance(version, str) else "no 'apiVersion: icrunbook/v1'"
    )
    message = (
        f"not an icrunbook runbook ({found}): list it under exclude in .icrun.yaml or narrow "
        "the pre-commit hook's files; if it is a runbook, start it with apiVersion: icrunbook/v1"
    )
    span = document.locate(("apiVersion",)) if "apiVersion" in data else FILE_START
    return Diagnostic(document.path, span, "not-a-runbook", Severity.ERROR, message)


def _settled(diagnostic: Diagnostic, severity: Severity, document: Document) -> Diagnostic:
    """A finding at its plan's severity, with its line's trimmed text (none for the file). One
    on a value the runbook inherited is at the policy's line and says which runbook it is in."""
    d = diagnostic
    source, message = document, d.message
    if document.policy is not None and d.path == document.policy.path:
        source, message = document.policy, f"{message} (inherited by {document.path})"
    text = "" if d.span == FILE_START else source.line_text(d.line)
    return Diagnostic(d.path, d.span, d.rule, severity, message, text)
