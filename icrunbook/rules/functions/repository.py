"""Functions for ``scope: repository`` rules: judged across every file of one lint run."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from icrunbook.rules.functions import Occurrence, repository_function

_NAMED = 3  # other files named in a finding; the rest are counted


def _key(value: str | int | float | bool) -> tuple[str, str]:
    """Values compared as YAML values: ``true`` is not ``1``; text by itself."""
    return (type(value).__name__ if isinstance(value, bool | str) else "number", str(value))


@repository_function("uniqueAcrossFiles")
def unique_across_files(
    occurrences: Sequence[Occurrence], options: Mapping[str, Any]
) -> Iterator[tuple[int, str]]:
    """No value is selected in two different files (each occurrence names up to three others).

    Repeats within one file are left to document rules such as ``unique``.
    """
    files: defaultdict[tuple[str, str], dict[str, None]] = defaultdict(dict)
    for occurrence in occurrences:
        files[_key(occurrence.value)][occurrence.file] = None
    for index, occurrence in enumerate(occurrences):
        others = [file for file in files[_key(occurrence.value)] if file != occurrence.file]
        if others:
            more = f" and {len(others) - _NAMED} more" if len(others) > _NAMED else ""
            yield index, ", ".join(others[:_NAMED]) + more


REPOSITORY_FUNCTIONS = (unique_across_files,)
