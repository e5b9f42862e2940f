"""Policies: one file of severities, roles, communications, escalation, handoff and postmortem,
laid under many runbooks (runbook-format.md, "Policy").

A runbook takes its policy from its own ``policy:`` key (relative to the runbook), else from its
config's ``policy:``. The merged runbook is the policy with the runbook laid over it:
``severities``, ``roles`` and ``communications.templates`` merge by name, a runbook's entry
replacing the policy's of that name whole; any other key the runbook sets replaces the policy's.
The merged :class:`~icrunbook.loader.Document` keeps the runbook's text and node tree and knows
which paths came from the policy, so that a finding there names the policy file and its line.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from icrunbook.diagnostics import Diagnostic
from icrunbook.errors import IcrunError
from icrunbook.files import as_typed

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from icrunbook.config import Config
    from icrunbook.loader import Document, Path

# How a policy's keys meet a runbook's: a mapping merges key by key, each key as its entry says
# (None: the runbook's value, when it has one, replaces the policy's whole).
LAYOUT: Mapping[str, Any] = {
    "severities": {},
    "roles": {},
    "communications": {"templates": {}},
    "escalation": None,
    "handoff": None,
    "postmortem": None,
}


def lay(policy: Mapping[str, Any], runbook: Mapping[str, Any]) -> tuple[dict[str, Any], set[Path]]:
    """The runbook laid over the policy, without its ``policy`` key, and the paths whose value
    came from the policy. Maps keep the policy's order, and a name only the runbook has goes
    where the runbook puts it among the policy's (a ``SEV0`` before ``SEV1`` stays first)."""
    inherited: set[Path] = set()
    shared = {key: value for key, value in policy.items() if key in LAYOUT}
    merged = _lay(shared, runbook, LAYOUT, (), inherited)
    merged.pop("policy", None)
    return merged, inherited


def _lay(
    policy: Mapping[str, Any],
    runbook: Mapping[str, Any],
    layout: Mapping[str, Any],
    at: Path,
    inherited: set[Path],
) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for key in _order(list(policy), list(runbook)):
        if key not in runbook:
            merged[key] = policy[key]
            inherited.add((*at, key))
            continue
        inner, own, theirs = layout.get(key), runbook[key], policy.get(key)
        if inner is not None and isinstance(theirs, dict) and isinstance(own, dict):
            merged[key] = _lay(theirs, own, inner, (*at, key), inherited)
        else:
            merged[key] = own
    return merged


def _order(theirs: list[str], mine: list[str]) -> list[str]:
    """The policy's names in its order, each of the runbook's new names placed before the
    next name (in the runbook's order) that the policy also has, else at the end."""
    order = list(theirs)
    waiting: list[str] = []
    for name in mine:
        if name not in theirs:
            waiting.append(name)
        elif waiting:
            place = order.index(name)
            order[place:place] = waiting
            waiting = []
    return order + waiting


def laid_over(runbook: Document, policy: Document) -> Document:
    """The merged runbook: the runbook's text and nodes, the merged data, the policy beneath."""
    data, inherited = lay(policy.data, runbook.data)
    return replace(runbook, data=data, policy=policy, inherited=frozenset(inherited))


@dataclass(frozen=True, slots=True)
class Reference:
    """Which policy a runbook names, and who named it (for error messages)."""

    path: str  # as a person would type it: relative when below the working folder
    named_by: str  # where it is named: "runbooks/a.yaml:3:9" or ".icrun.yaml:4:9"
    given: str  # as the runbook or config wrote it


def reference(runbook: Document, config: Config) -> Reference | None:
    """The policy this runbook is laid over: its own ``policy:``, else the config's, else none.
    Only for a runbook whose ``policy:`` is a string (the schema reports anything else)."""
    data = runbook.data
    if not isinstance(data, dict) or runbook.kind != "Runbook":
        return None
    own = data.get("policy")
    if isinstance(own, str) and own:
        span = runbook.locate(("policy",))
        path = os.path.normpath(os.path.join(os.path.dirname(runbook.path), own))
        return Reference(path, f"{runbook.path}:{span.line}:{span.column}", own)
    if "policy" in data or config.policy is None:
        return None
    return Reference(as_typed(config.policy), config.policy_named_at, config.policy_given)


class Policies:
    """Policy files, each loaded and checked once per run, however many runbooks name it."""

    def __init__(self, load: Callable[[str], Document]) -> None:
        self._load = load
        self._loaded: dict[str, Document] = {}

    def under(self, runbook: Document, config: Config) -> Document:
        """The runbook laid over its policy, or the runbook as it is when it names none."""
        found = reference(runbook, config)
        if found is None:
            return runbook
        return laid_over(runbook, self.policy(found, runbook))

    def policy(self, found: Reference, runbook: Document) -> Document:
        key = os.path.abspath(found.path)
        if key not in self._loaded:
            self._loaded[key] = self._checked(found, runbook)
        return self._loaded[key]

    def _checked(self, found: Reference, runbook: Document) -> Document:
        """The policy file, loaded; one clear error when it is missing, cannot be loaded, is not
        a policy or names a policy itself. Anything else wrong in what the runbook inherits is
        a finding of the merged runbook, at the policy's line (its schema check included)."""
        path = found.path
        if os.path.abspath(path) == os.path.abspath(runbook.path):
            raise IcrunError(
                f"{found.named_by}: policy '{found.given}' is {runbook.path} itself (a cycle); "
                "name a file of kind: Policy"
            )
        if not os.path.isfile(path):
            what = "is a folder, not a policy file" if os.path.isdir(path) else "not found"
            raise IcrunError(
                f"{found.named_by}: policy '{found.given}' {what} (looked for {path}); "
                "fix the path: a runbook's policy: is relative to the runbook, the config's "
                "to the config"
            )
        policy = self._load(path)
        unloadable = [d for d in policy.diagnostics if d.rule == "syntax"]  # or too large
        if unloadable:
            first = min(unloadable, key=Diagnostic.sort_key)
            raise IcrunError(
                f"{path}:{first.line}:{first.column}: the policy of {runbook.path} cannot be "
                f"loaded: {first.message}"
            )
        if policy.kind != "Policy":
            raise IcrunError(_not_a_policy(found, policy, runbook))
        if isinstance(policy.data, dict) and "policy" in policy.data:
            span = policy.locate_key(("policy",))
            raise IcrunError(
                f"{path}:{span.line}:{span.column}: a policy may not name a policy "
                f"(named by {found.named_by}); move what it should share into this file"
            )
        return policy


def _not_a_policy(found: Reference, target: Document, runbook: Document) -> str:
    what = f"kind: {target.kind}" if target.kind else "no kind"
    message = (
        f"{found.named_by}: '{found.given}' is not a policy ({what}; a policy has kind: Policy)"
    )
    data = target.data
    back = data.get("policy") if isinstance(data, dict) else None
    if target.kind == "Runbook" and isinstance(back, str):
        back_path = os.path.join(os.path.dirname(target.path), back)
        if os.path.abspath(back_path) == os.path.abspath(runbook.path):
            message += f"; it names {runbook.path} as its policy in turn (a cycle)"
    return message


def digest(path: str) -> str | None:
    """The SHA-256 of a policy file's bytes (what a cached result was made under); None when it
    cannot be read, which no cached result matches."""
    try:
        with open(path, "rb") as stream:
            return hashlib.sha256(stream.read()).hexdigest()
    except OSError:
        return None
