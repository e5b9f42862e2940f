"""Writing results: atomically to files, so a crash never leaves half a report behind."""

from __future__ import annotations

import os
import sys
import tempfile

from icrunbook.errors import IcrunError


def write_text(text: str, destination: str | None) -> None:
    """Write to stdout (``None`` or ``-``), or atomically replace ``destination``."""
    if destination is None or destination == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    folder = os.path.dirname(os.path.abspath(destination))
    try:
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".icrun-", suffix=".tmp")
    except OSError as error:
        raise IcrunError(f"{destination}: cannot write: {error.strerror or error}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.replace(temporary, destination)
    except OSError as error:
        os.unlink(temporary)
        raise IcrunError(f"{destination}: cannot write: {error.strerror or error}") from None
