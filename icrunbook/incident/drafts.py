"""Stakeholder updates: a communications template filled with what the incident knows, and the
honesty checks every draft and posted text goes through before it is recorded."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from icrunbook.errors import IcrunError
from icrunbook.incident.state import State, interval_of

if TYPE_CHECKING:
    from icrunbook.config import Config

_UNFILLED = re.compile(r"\[([a-z_]+)\?\]")


def default_template(state: State) -> str:
    """``initial`` before any update, ``update`` after, ``resolved`` after ``resolved``."""
    if state.resolved_at is not None:
        return "resolved"
    return "update" if state.updates else "initial"


def draft(state: State, template: str | None, now: datetime, incident_id: str) -> tuple[str, str]:
    """The template's name and its text, filled in. A value not known yet prints as a visible
    ``[impact?]``, never as nothing."""
    from icrunbook.sandbox import TemplateLimit, render_bounded

    templates = state.runbook["communications"]["templates"]
    name = template or default_template(state)
    if name not in templates:
        raise IcrunError(f"no template '{name}' (the runbook has: {', '.join(templates)})")
    try:
        text = render_bounded(templates[name]["body"], template_values(state, now, incident_id))
    except TemplateLimit as error:
        raise IcrunError(f"template '{name}' was stopped: {error}") from None
    except Exception as error:  # the sandbox refusing, a filter given the wrong value, ...
        raise IcrunError(f"template '{name}' failed: {type(error).__name__}: {error}") from None
    return name, text


def template_values(state: State, now: datetime, incident_id: str) -> dict[str, Any]:
    """The variables of the runbook format, from the runbook and the latest status round."""
    zone = ZoneInfo(state.started.get("timezone", "UTC"))
    latest = state.rounds[-1] if state.rounds else None
    severity = state.runbook["severities"][state.severity]
    every = interval_of(severity["stakeholder_update"]) or timedelta(minutes=30)
    commander = state.commander_role
    end = state.resolved_at or now
    values = {
        "title": state.runbook["metadata"]["title"],
        "service": state.runbook["metadata"]["service"],
        "severity": state.severity,
        "status": state.status,
        "started_at": local_time(state.started_at, now, zone),
        "next_update": local_time(now + every, now, zone),
        "commander": state.holder(commander) or state.runbook["roles"][commander]["title"],
        "duration": _duration(end - state.started_at),
        "incident_id": incident_id,
        "resolved_at": local_time(state.resolved_at, now, zone) if state.resolved_at else None,
    }
    for name in ("impact", "known", "unknowns", "actions"):
        values[name] = latest.get(name) if latest else None
    return {key: f"[{key}?]" if value in (None, "") else value for key, value in values.items()}


def local_time(moment: datetime, now: datetime, zone: ZoneInfo) -> str:
    """``14:30 UTC``, with the date when it is not today."""
    here = moment.astimezone(zone)
    label = here.tzname() or str(zone)
    if here.date() == now.astimezone(zone).date():
        return f"{here:%H:%M} {label}"
    return f"{here:%Y-%m-%d %H:%M} {label}"


def _duration(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m"


def honesty_warnings(text: str, template: str, config: Config | None) -> list[str]:
    """What a reader of this update should hear about before it goes out: a cause named too
    early, nothing admitted unknown, a value left unfilled, no next update promised."""
    from icrunbook.api import check_update

    warnings = [f"'{m}' is not filled in" for m in dict.fromkeys(_UNFILLED.findall(text))]
    for finding in check_update(text, config):
        if finding.kind == "no-unknowns" and template == "resolved":
            continue
        warnings.append(finding.message)
    if template != "resolved" and "next update" not in text.lower():
        warnings.append("it does not say when the next update comes")
    return warnings
