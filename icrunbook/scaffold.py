"""``icrun init``: a starter runbook and config that lint clean, with editor schemas."""

from __future__ import annotations

import os
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


def init_project(folder: str, force: bool = False) -> list[str]:
    """Write the starter files into ``folder``; refuse to overwrite any unless ``force``."""
    files = starter_files()
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
