"""Durations as runbooks write them: number+unit pairs such as ``30s``, ``5m``, ``1h30m``."""

from __future__ import annotations

import re

_PAIR = re.compile(r"([0-9]+)([smhd])")
_WHOLE = re.compile(r"(?:[0-9]+[smhd])+")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: object) -> int | None:
    """Seconds in a duration string; ``None`` for anything else (the schema reports those)."""
    if not isinstance(text, str) or not _WHOLE.fullmatch(text):
        return None
    return sum(int(number) * _SECONDS[unit] for number, unit in _PAIR.findall(text))


def format_duration(seconds: int) -> str:
    """The shortest spelling: 5400 → ``1h30m``; 0 → ``0s``."""
    parts = []
    for unit in "dhms":
        count, seconds = divmod(seconds, _SECONDS[unit])
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"
