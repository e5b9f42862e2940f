"""The record of an incident: one event per line of ``events.jsonl``.

What an event of each type holds is declared once, in ``schemas/event.schema.json`` (``icrun
schema event``); this module reads and writes lines, and checks each against that schema.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any

from icrunbook.errors import IcrunError

COMMON = ("seq", "type", "at", "recorded_at", "actor")


@dataclass(frozen=True, slots=True)
class Event:
    seq: int
    type: str
    at: datetime
    recorded_at: datetime
    actor: str
    fields: Mapping[str, Any] = field(default_factory=dict)

    def get(self, name: str, default: Any = None) -> Any:
        return self.fields.get(name, default)

    def as_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "type": self.type,
            "at": timestamp(self.at),
            "recorded_at": timestamp(self.recorded_at),
            "actor": self.actor,
            **self.fields,
        }

    def line(self) -> bytes:
        """The event as one line of the log, newline included."""
        text = json.dumps(self.as_dict(), ensure_ascii=False, separators=(",", ":"))
        return (text + "\n").encode("utf-8")


def timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC, to the second: ``2026-12-02T14:02:00Z``."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_time(text: str) -> datetime:
    """An RFC 3339 time as a timezone-aware datetime (Python 3.11 reads the ``Z``)."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def event_types() -> tuple[str, ...]:
    """Every event type, as the schema lists them."""
    return tuple(_schema()["properties"]["type"]["enum"])


def required_fields(event_type: str) -> tuple[str, ...]:
    """The fields an event of this type must have besides the common ones."""
    for rule in _schema()["allOf"]:
        if rule["if"]["properties"]["type"]["const"] == event_type:
            return tuple(rule["then"]["required"])
    raise KeyError(event_type)


def parse_line(line: bytes, number: int, path: str, *, strict: bool = False) -> Event:
    """One line of the log; an IcrunError naming ``path:LINE`` when it is not an event.
    Reading checks the shape (fields of each type present); ``strict``, used on every line
    written, checks the whole schema (a log of 10,000 lines reads in a blink either way)."""
    try:
        data = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise IcrunError(f"{path}:{number}: not a JSON event: {error}") from None
    problem = _problem(data) if not strict else _strict_problem(data)
    if problem is None and data["seq"] != number:
        problem = f"seq {data['seq']} on line {number}"
    if problem is None:
        try:
            return Event(
                seq=data["seq"],
                type=data["type"],
                at=parse_time(data["at"]),
                recorded_at=parse_time(data["recorded_at"]),
                actor=data["actor"],
                fields={key: value for key, value in data.items() if key not in COMMON},
            )
        except (TypeError, ValueError, AttributeError):
            problem = "'at' and 'recorded_at' must be RFC 3339 times"
    raise IcrunError(f"{path}:{number}: not a valid event: {problem}")


def _problem(data: Any) -> str | None:
    if not isinstance(data, dict):
        return "not an object"
    required = _required()
    if data.keys() >= required.get(str(data.get("type")), _EVERYTHING):  # the common case
        return None
    missing = [name for name in COMMON if name not in data]
    if missing:
        return f"no {', '.join(missing)}"
    if data["type"] not in required:
        return f"unknown type {data['type']!r}"
    missing = [name for name in required[data["type"]] if name not in data]
    return f"a {data['type']} event without {', '.join(missing)}"


def _strict_problem(data: Any) -> str | None:
    from icrunbook.validation import first_problem

    return first_problem(data, "event") or _problem(data)


_EVERYTHING = frozenset({"no event has every field"})


@cache
def _required() -> dict[str, frozenset[str]]:
    """Per type, every field its events must have, the common ones included."""
    return {name: frozenset((*COMMON, *required_fields(name))) for name in event_types()}


@cache
def _schema() -> dict[str, Any]:
    import os

    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(os.path.join(package, "schemas", "event.schema.json"), encoding="utf-8") as stream:
        schema: dict[str, Any] = json.load(stream)
    return schema
