"""Writing results: atomically to files, so a crash never leaves half a report behind."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from icrunbook.errors import IcrunError


@contextmanager
def open_output(destination: str | None) -> Iterator[Callable[[str], object]]:
    """A ``write`` for text that arrives piece by piece: stdout (``None`` or ``-``), or a
    temporary file beside ``destination`` that replaces it only when all went well."""
    if destination is None or destination == "-":
        yield sys.stdout.write
        sys.stdout.flush()
        return
    import tempfile  # only when writing a file: not on the path of a plain run

    folder = os.path.dirname(os.path.abspath(destination))
    try:
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".icrun-", suffix=".tmp")
    except OSError as error:
        raise IcrunError(f"{destination}: cannot write: {error.strerror or error}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            yield stream.write
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, destination)
    except BaseException:
        os.unlink(temporary)
        raise


def write_text(text: str, destination: str | None) -> None:
    """Write to stdout (``None`` or ``-``), or atomically replace ``destination``."""
    if destination is None or destination == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_bytes(text.encode("utf-8"), destination)


def write_bytes(data: bytes, destination: str) -> None:
    """Atomically replace ``destination``: a temporary file beside it, then a rename."""
    import tempfile  # only when writing a file: not on the path of a plain run

    folder = os.path.dirname(os.path.abspath(destination))
    try:
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".icrun-", suffix=".tmp")
    except OSError as error:
        raise IcrunError(f"{destination}: cannot write: {error.strerror or error}") from None
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o666 & ~_umask())  # as open() would create it, not mkstemp's 0600
        os.replace(temporary, destination)
    except OSError as error:
        os.unlink(temporary)
        raise IcrunError(f"{destination}: cannot write: {error.strerror or error}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
