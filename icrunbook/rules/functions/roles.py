"""Functions on who does what: steps and the roles that own them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from icrunbook.rules.functions import Context, Finding, function
from icrunbook.rules.options import texts
from icrunbook.wording import item_label


def owner_role(step: Mapping[str, Any], root: Any) -> tuple[str, dict[str, Any]] | None:
    """The owner of a step and its role under ``roles``; ``None`` when either is unknown."""
    owner = step.get("owner")
    roles = root.get("roles") if isinstance(root, dict) else None
    role = roles.get(owner) if isinstance(roles, dict) and isinstance(owner, str) else None
    return (owner, role) if isinstance(owner, str) and isinstance(role, dict) else None


@function(
    "ownerType",
    {"types": texts, "phases": texts, "fields": texts},
    required=["types"],
)
def owner_type(value: Any, options: Mapping[str, Any], context: Context) -> Iterator[Finding]:
    """A step owned by a role of one of ``types`` is in none of ``phases`` and has no ``fields``.

    The owner's type is looked up under ``roles`` in the document.
    """
    if not isinstance(value, dict):
        return
    found = owner_role(value, context.root)
    if found is None:
        return
    owner, role = found
    kind = role.get("type")
    if kind not in options["types"]:
        return
    reasons = []
    phase = value.get("phase")
    if isinstance(phase, str) and phase in options.get("phases", []):
        reasons.append(f"is in phase {phase}")
    reasons += [f"has a {name}" for name in options.get("fields", []) if name in value]
    if reasons:
        index = context.path[-1] if context.path and isinstance(context.path[-1], int) else 0
        step = item_label("step", value, index)
        yield Finding(
            f"{step} is owned by the {kind} '{owner}' but {' and '.join(reasons)}; "
            f"the {kind} coordinates, others touch the system",
            ("owner",),
        )


ROLE_FUNCTIONS = (owner_type,)
