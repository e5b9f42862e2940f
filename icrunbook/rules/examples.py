"""Rule examples as runnable runbooks: each example fragment merged onto ``example-base.yaml``."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from icrunbook.loader import Document, load_text


@cache
def _base() -> dict[str, Any]:
    text = resources.files("icrunbook").joinpath("rulesets", "example-base.yaml").read_text("utf-8")
    base: dict[str, Any] = yaml.load(text, Loader=yaml.CSafeLoader)
    return base


def merge(base: Any, fragment: Any) -> Any:
    """Mappings merge key by key; anything else replaces; ``null`` removes the key."""
    if not isinstance(base, dict) or not isinstance(fragment, dict):
        return fragment
    merged = dict(base)
    for key, value in fragment.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge(base.get(key), value)
    return merged


def example_document(fragment: str, name: str) -> Document:
    """The runbook an example stands for, loaded like any file (so positions are real)."""
    data = merge(_base(), yaml.load(fragment, Loader=yaml.CSafeLoader) or {})
    text = yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)
    return load_text(text, name)
