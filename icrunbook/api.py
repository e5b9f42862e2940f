"""The library API: what the ``icrun`` commands do, callable from tests and other tools.

Data flows one way: file → :class:`~icrunbook.loader.Document` (data with positions) → a plan
(the checks its config asks for) → diagnostics → a reporter. Heavy modules load on first use.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from icrunbook.config import Config, default_config
from icrunbook.diagnostics import Diagnostic, Severity
from icrunbook.loader import DEFAULT_LIMITS, Document, LoadLimits, load_text
from icrunbook.pipeline.check import check, finish, repository_findings
from icrunbook.pipeline.plan import Plan, Selection
from icrunbook.pipeline.runner import Runner, lint_paths, validate_paths
from icrunbook.report import Report
from icrunbook.rules.ruleset import STRUCTURE
from icrunbook.validation import validate_document

if TYPE_CHECKING:
    from collections.abc import Sequence

    from icrunbook.phrasing import UpdateCues, UpdateFinding
    from icrunbook.render import RenderFormat

__all__ = [
    "Config",
    "Diagnostic",
    "Document",
    "Report",
    "Selection",
    "Severity",
    "check_update",
    "default_config",
    "lint_document",
    "lint_documents",
    "lint_paths",
    "load_file",
    "load_text",
    "render",
    "render_binder",
    "update_cues",
    "validate_document",
    "validate_file",
    "validate_paths",
]


def lint_document(
    document: Document, config: Config | None = None, selection: Selection = Selection()
) -> list[Diagnostic]:
    """Every finding for one loaded document under ``config`` (default: the recommended rules),
    as ``icrun lint`` reports it for that file alone. The plan for a config is made once (on
    the first call, which is when ``ICRUN_TODAY`` is read) and reused."""
    plan = _plan(config or _default(), selection)
    return finish(check(document, plan), plan)


def lint_documents(
    documents: Sequence[Document], config: Config | None = None, selection: Selection = Selection()
) -> list[Diagnostic]:
    """Every finding for several loaded documents linted together, as one ``icrun lint`` run
    over those files: the repository rules (``duplicate-runbook-name``, ...) compare them."""
    plan = _plan(config or _default(), selection)
    results = [check(document, plan) for document in documents]
    shares = repository_findings(((r.path, r.occurrences) for r in results), lambda _: plan)
    found = [d for r in results for d in finish(r, plan, shares.get(r.path, ()))]
    return sorted(found, key=Diagnostic.sort_key)


_PLANS: dict[tuple[int, Selection], tuple[Config, Plan]] = {}  # the config kept: ids stay unique


def _plan(config: Config, selection: Selection) -> Plan:
    key = (id(config), selection)
    if key not in _PLANS:
        _PLANS[key] = (config, Plan(config, (), selection))
    return _PLANS[key][1]


@cache
def _default() -> Config:
    return default_config()


def load_file(path: str, limits: LoadLimits = DEFAULT_LIMITS) -> Document:
    """A file as every command sees it: a runbook laid over its policy (its own ``policy:``,
    else its config's), anything else as it is."""
    return Runner().load(path, limits)


def validate_file(path: str, limits: LoadLimits = DEFAULT_LIMITS) -> list[Diagnostic]:
    """Syntax and schema diagnostics for one file (a runbook laid over its policy), in file
    order; no rules, whatever its config says."""
    plan = Plan(default_config(ruleset=STRUCTURE), structural_only=True)
    return finish(check(load_file(path, limits), plan), plan)


def render(
    path: str,
    fmt: RenderFormat | str = "html",
    *,
    severity: str | None = None,
    role: str | None = None,
    paper: str = "a4",
    layout: str = "full",
) -> bytes:
    """One runbook file as a printable checklist (UTF-8 text, or PDF bytes); ``layout="card"``
    for the one-page card of the first fifteen minutes."""
    from icrunbook.render import RenderFormat
    from icrunbook.render.renderer import checklist_of
    from icrunbook.render.renderer import render as render_checklist

    checklist = checklist_of(path, severity, role, paper, layout=layout)
    return render_checklist(checklist, RenderFormat(fmt))


def render_binder(
    paths: list[str],
    fmt: RenderFormat | str = "pdf",
    *,
    severity: str | None = None,
    role: str | None = None,
    paper: str = "a4",
    layout: str = "full",
) -> bytes:
    """Several runbook files as one binder: a contents page, then each runbook from a new page
    (with a PDF bookmark per runbook and per section)."""
    from icrunbook.render import RenderFormat
    from icrunbook.render.renderer import binder, checklist_of

    checklists = [checklist_of(p, severity, role, paper, layout=layout) for p in paths]
    return binder(checklists, RenderFormat(fmt))


# The rules whose cue lists read an update, and the function of each that holds them.
UPDATE_RULES = {"comms-no-premature-cause": "causeClaims", "comms-admit-unknowns": "admitsUnknowns"}


def update_cues(rule_name: str, config: Config | None = None) -> UpdateCues | None:
    """The word lists one of :data:`UPDATE_RULES` reads an update with under ``config``, a
    team's tuning included: the recommended rule's when the config has no such rule, and
    ``None`` when the config turns it off or redefines it without its function."""
    from icrunbook.rules.engine import check_options
    from icrunbook.rules.functions.updates import cues_of
    from icrunbook.rules.registry import available_functions
    from icrunbook.rules.ruleset import shipped_rule

    if config is not None and rule_name in config.rules:
        rule = config.rules[rule_name]
        severity, options = config.setting(rule_name, ())
        if severity == "off":
            return None
    else:  # the recommended rule as shipped (no need to build the whole default config)
        rule = shipped_rule("recommended", rule_name)
        options = rule.option_defaults()
    functions = config.functions() if config is not None else available_functions()
    for spec, parsed in check_options(rule, options, functions):
        if spec.name == UPDATE_RULES[rule_name]:
            return cues_of(parsed)
    return None


def check_update(text: str, config: Config | None = None) -> list[UpdateFinding]:
    """An update posted during an incident, read as ``comms-no-premature-cause`` and
    ``comms-admit-unknowns`` read templates under ``config``: each sentence that names or
    suggests a cause, and a finding when nothing in it admits what is not known yet. No
    runbook is needed to call it."""
    from icrunbook.phrasing import check_update as judge_update

    causes, unknowns = (update_cues(name, config) for name in UPDATE_RULES)
    return judge_update(text, causes, unknowns)
