"""``icrun init``: a starter runbook and config that lint clean, with editor schemas."""

from __future__ import annotations

import os
import re
from importlib import resources

from icrunbook.errors import IcrunError
from icrunbook.output import write_text
from icrunbook.pipeline.plan import today
from icrunbook.validation.schemas import SchemaName, schema_text

# file written (relative to the project folder) → where its text comes from
_STARTER = {
    ".icrun.yaml": "icrun.yaml",
    "runbooks/my-service-bad-deploy.yaml": "runbook.yaml",
}
_SCHEMAS: tuple[SchemaName, ...] = ("runbook", "config")


def starter_files() -> dict[str, str]:
    """What ``init`` writes: relative path → text. The runbook is reviewed today."""
    starter = resources.files("icrunbook").joinpath("starter")
    files = {
        target: starter.joinpath(source).read_text("utf-8") for target, source in _STARTER.items()
    }
    runbook = "runbooks/my-service-bad-deploy.yaml"
    files[runbook] = files[runbook].replace("__TODAY__", today().isoformat())
    files.update({f"schemas/{name}.schema.json": schema_text(name) for name in _SCHEMAS})
    return files


POLICY_HEADER = """\
# yaml-language-server: $schema=../schemas/policy.schema.json
# A starter policy: the severities, roles and communications every runbook of your
# organisation shares. Runbooks name it with `policy: policy.yaml` and keep only what is
# their own; a runbook's entry of a severity, role or template replaces the policy's.
apiVersion: icrunbook/v1
kind: Policy
metadata:
  name: my-organisation
  owner: sre

"""
POLICY_REFERENCE = """\
# Severities, roles, communications, escalation, handoff and postmortem come from the policy.
policy: policy.yaml

"""
# the starter runbook's words for its own service, as a policy for every service says them
_GENERIC = {
    "cannot use my-service.": "cannot use the service.",
    '"#inc-my-service"': '"#incidents"  # a runbook may name its own channel',
}
_TOP_LEVEL_KEY = re.compile(r"([a-z_]+):")


def starter_files_with_policy() -> dict[str, str]:
    """``init --policy``: the starter runbook's shared sections moved into a policy it names."""
    from icrunbook.policy import LAYOUT

    files = starter_files()
    runbook = "runbooks/my-service-bad-deploy.yaml"
    own: list[str] = []
    shared: list[str] = []
    for key, text in _sections(files[runbook]):
        (shared if key in LAYOUT else own).append(text)
        if key == "metadata":
            own.append(POLICY_REFERENCE)
    files[runbook] = "".join(own)
    generic = "".join(shared)
    for service_words, organisation_words in _GENERIC.items():
        generic = generic.replace(service_words, organisation_words)
    files["runbooks/policy.yaml"] = POLICY_HEADER + generic
    files["schemas/policy.schema.json"] = schema_text("policy")
    return files


def _sections(text: str) -> list[tuple[str | None, str]]:
    """A YAML file's top-level sections in order: each key with its lines and the comment lines
    just above it (the file's opening comments go with its first key)."""
    sections: list[tuple[str | None, list[str]]] = [(None, [])]
    for line in text.splitlines(keepends=True):
        key = _TOP_LEVEL_KEY.match(line)
        if key is None:
            sections[-1][1].append(line)
            continue
        above = sections[-1][1]
        comments = len(above)
        while comments and above[comments - 1].startswith("#"):
            comments -= 1
        sections.append((key.group(1), [*above[comments:], line]))
        del above[comments:]
    return [(key, "".join(lines)) for key, lines in sections if lines]


def init_project(folder: str, force: bool = False, policy: bool = False) -> list[str]:
    """Write the starter files into ``folder``; refuse to overwrite any unless ``force``.
    With ``policy``, the runbook's shared sections go into ``runbooks/policy.yaml``."""
    files = starter_files_with_policy() if policy else starter_files()
    targets = {name: os.path.join(folder, name) for name in files}
    existing = [path for path in targets.values() if os.path.lexists(path)]
    if existing and not force:
        raise IcrunError(
            f"{existing[0]} already exists"
            + (f" (and {len(existing) - 1} more)" if len(existing) > 1 else "")
            + "; use --force to overwrite"
        )
    for name, path in targets.items():
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        write_text(files[name], path)
    return list(targets.values())
