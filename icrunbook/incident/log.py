"""The incident folder on disk: ``events.jsonl`` appended under a lock, read back whole.

Each event is one ``write`` of one line on a file opened for appending, ``fsync``ed before the
command returns. Writers take an exclusive lock on ``.lock`` in the folder; a second writer
waits briefly, then fails naming the holder. A last line cut off by a crash is not an event:
reading keeps every complete event and reports the cut line, and the next writer sets the cut
bytes aside in ``events.jsonl.cut`` before appending. Nothing complete is ever rewritten.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from icrunbook.errors import IcrunError
from icrunbook.incident.events import Event, parse_line

LOCK_WAIT_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class Log:
    """What reading a folder's log gave: the events, and a cut-off last line if there was one."""

    events: tuple[Event, ...]
    cut_line: int | None = None

    @property
    def warning(self) -> str | None:
        if self.cut_line is None:
            return None
        return (
            f"events.jsonl:{self.cut_line}: the last line was cut off (a crash while writing); "
            f"kept the {len(self.events)} complete events before it"
        )


def events_path(folder: str) -> str:
    return os.path.join(folder, "events.jsonl")


def read_log(folder: str) -> Log:
    """Every complete event of the folder, checked line by line."""
    path = events_path(folder)
    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except FileNotFoundError:
        raise IcrunError(f"{folder}: not an incident folder (no events.jsonl)") from None
    lines = data.split(b"\n")
    complete, tail = lines[:-1], lines[-1]
    events = [parse_line(line, number, path) for number, line in enumerate(complete, start=1)]
    if not events or events[0].type != "started":
        raise IcrunError(f"{path}:1: an incident's log starts with its 'started' event")
    return Log(tuple(events), len(complete) + 1 if tail else None)


@contextmanager
def locked(folder: str, actor: str) -> Iterator[None]:
    """Hold the folder's write lock; after LOCK_WAIT_SECONDS, fail naming who holds it."""
    path = os.path.join(folder, ".lock")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
                    raise IcrunError(
                        f"{folder}: another icrun is writing to this incident "
                        f"({holder or 'unknown'}); try again"
                    ) from None
                time.sleep(0.01)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{actor}, pid {os.getpid()}".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def append(
    folder: str,
    seq: int,
    event_type: str,
    fields: dict[str, Any],
    at: datetime,
    actor: str,
    now: datetime,
) -> Event:
    """Write event ``seq`` (one more than the complete events the caller read) as the next
    line of the log and return it. The caller holds the lock."""
    path = events_path(folder)
    _set_aside_cut_line(path)
    event = Event(seq, event_type, at, now, actor, fields)
    line = event.line()
    parse_line(line.rstrip(b"\n"), seq, path, strict=True)  # only valid events are written
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)
    return event


def _set_aside_cut_line(path: str) -> None:
    """A crash mid-write leaves a last line without its newline: keep its bytes in
    ``events.jsonl.cut`` and take them off the log, so the next event starts a line."""
    try:
        with open(path, "rb") as stream:
            if stream.seek(0, os.SEEK_END) == 0:
                return
            stream.seek(-1, os.SEEK_END)
            if stream.read(1) == b"\n":  # the usual case: one byte read, not the log
                return
            stream.seek(0)
            data = stream.read()
    except FileNotFoundError:
        return
    keep = data.rfind(b"\n") + 1
    with open(path + ".cut", "ab") as cut:
        cut.write(data[keep:] + b"\n")
        cut.flush()
        os.fsync(cut.fileno())
    with open(path, "r+b") as stream:
        stream.truncate(keep)
        stream.flush()
        os.fsync(stream.fileno())
