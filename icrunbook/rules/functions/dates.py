"""Functions on dates written as ``YYYY-MM-DD``."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from icrunbook.durations import format_duration
from icrunbook.rules.functions import MISSING, Context, Finding, function
from icrunbook.rules.options import boolean, duration
from icrunbook.wording import plural

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DAY = 86400


def parse_date(value: Any) -> date | None:
    """The date a ``YYYY-MM-DD`` string (or a date) stands for; ``None`` for anything else."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _days(seconds: int) -> str:
    if seconds % _DAY:
        return format_duration(seconds)
    days = seconds // _DAY
    return plural(days, "day")


@function("dateAge", {"maxAge": duration, "required": boolean}, required=["maxAge"])
def date_age(value: Any, options: Mapping[str, Any], context: Context) -> Iterator[Finding]:
    """A ``YYYY-MM-DD`` date is no older than ``maxAge`` (e.g. ``180d``).

    With ``required`` (the default), a missing date is reported too.
    """
    if value is MISSING:
        if options.get("required", True):
            yield Finding("is not set")
        return
    written = parse_date(value)
    if written is None:
        return
    age = (context.today - written).days * _DAY
    if age > options["maxAge"]:
        yield Finding(f"was {_days(age)} ago, more than {_days(options['maxAge'])}")


DATE_FUNCTIONS = (date_age,)
