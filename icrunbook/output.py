"""Writing results: atomically to files, so a crash never leaves half a report behind."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

from icrunbook.errors import IcrunError


@contextmanager
def _replacing(destination: str) -> Iterator[int]:
    """A temporary file beside ``destination`` (its descriptor) that replaces it only when
    the block finishes; on any failure it is removed and ``destination`` is left as it was."""
    import tempfile  # only when writing a file: not on the path of a plain run

    folder = os.path.dirname(os.path.abspath(destination))
    try:
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".icrun-", suffix=".tmp")
    except OSError as error:
        raise IcrunError(f"{destination}: cannot write: {error.strerror or error}") from None
    try:
        yield fd
        os.chmod(temporary, 0o666 & ~_umask())  # as open() would create it, not mkstemp's 0600
        os.replace(temporary, destination)
    except OSError as error:
        _remove(temporary)
        raise IcrunError(f"{destination}: cannot write: {error.strerror or error}") from None
    except BaseException:
        _remove(temporary)
        raise


@contextmanager
def open_output(destination: str | None) -> Iterator[Callable[[str], object]]:
    """A ``write`` for text that arrives piece by piece: stdout (``None`` or ``-``), or a
    temporary file beside ``destination`` that replaces it only when all went well."""
    if destination is None or destination == "-":
        yield sys.stdout.write
        sys.stdout.flush()
        return
    with _replacing(destination) as fd, os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
        yield out.write


def write_text(text: str, destination: str | None) -> None:
    """Write to stdout (``None`` or ``-``), or atomically replace ``destination``."""
    if destination is None or destination == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_bytes(text.encode("utf-8"), destination)


def write_bytes(data: bytes, destination: str) -> None:
    """Atomically replace ``destination``: a temporary file beside it, then a rename."""
    with _replacing(destination) as fd, os.fdopen(fd, "wb") as out:
        out.write(data)


def _remove(path: str) -> None:
    with suppress(FileNotFoundError):
        os.unlink(path)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
