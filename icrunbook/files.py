"""Which files a command looks at: named files as they are, folders searched for YAML."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from icrunbook.errors import IcrunError

YAML_SUFFIXES = (".yaml", ".yml")


def discover(paths: Iterable[str]) -> list[str]:
    """Files named directly, plus ``*.yaml``/``*.yml`` under named folders, each file once
    however it is spelled, in order.

    Folders are walked without following symlinked folders (no loops) and skip hidden folders
    such as ``.git``, and what in them is not a regular file (a FIFO, a socket, a dangling or
    looping symlink). A path that does not exist is the user's mistake: IcrunError.
    """
    seen: dict[str, str] = {}  # the file itself → its first spelling, which output shows
    for path in paths:
        if os.path.isdir(path):
            found: Iterable[str] = _walk(path)
        elif os.path.lexists(path):
            found = [path]
        else:
            raise IcrunError(f"{path}: no such file or directory")
        for name in found:  # one file named twice (runbooks/a.yaml, ./runbooks/a.yaml) is one
            seen.setdefault(os.path.realpath(name), name)
    return list(seen.values())


def _walk(folder: str) -> Iterator[str]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = os.path.normpath(os.path.join(root, name))  # "./a.yaml" is "a.yaml"
            if name.endswith(YAML_SUFFIXES) and os.path.isfile(path):  # follows file symlinks
                yield path


def as_typed(path: str) -> str:
    """A path as a person would type it: relative to the working folder when it is below it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative
