"""What an incident looks like from outside: ``status`` (now, and what is due) and ``export``
(the postmortem's timeline), as plain data first and then as text, Markdown, HTML or PDF."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from icrunbook.incident import delivery
from icrunbook.incident.events import Event, timestamp
from icrunbook.incident.state import Reminder, State, interval_of, reminders

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from icrunbook.incident.engine import Incident


def span(delta: timedelta) -> str:
    """``2m``, ``1h 05m``, ``45s``: how long, as a responder reads it."""
    seconds = int(abs(delta.total_seconds()))
    if seconds < 60:
        return f"{seconds}s"
    minutes, _ = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m"


def countdown(reminder: Reminder, now: datetime) -> str:
    """``in 3m`` or ``OVERDUE by 2m``."""
    if reminder.overdue(now):
        return f"OVERDUE by {span(now - reminder.due)}"
    return f"in {span(reminder.due - now)}"


def status_data(incident: Incident, now: datetime) -> dict[str, Any]:
    """The state as JSON-ready data: the same log and clock always give the same data."""
    state = incident.state
    due = reminders(state, now)
    return {
        "incident": incident.id,
        "runbook": state.started.get("runbook"),
        "title": state.started.get("title"),
        "severity": state.severity,
        "drill": state.drill,
        "open": incident.open,
        "status": state.status,
        "started_at": timestamp(state.started_at),
        "mitigated_at": timestamp(state.mitigated_at) if state.mitigated_at else None,
        "resolved_at": timestamp(state.resolved_at) if state.resolved_at else None,
        "roles": {role: state.holder(role) for role in incident.runbook["roles"]},
        "steps": [
            {"number": s.number, "id": s.id, "phase": s.phase, "state": s.state, "reason": s.reason}
            for s in state.steps
        ],
        "reminders": [
            {
                "name": r.name,
                "what": r.what,
                "due": timestamp(r.due),
                "overdue": r.overdue(now),
                "countdown": countdown(r, now),
            }
            for r in due
        ],
        "warnings": [message for _, message in state.warnings],
        "outbox": len(delivery.waiting(incident.folder)),
        "events": len(state.events),
        "log_warning": incident.warning,
    }


def status_text(incident: Incident, now: datetime) -> str:
    data = status_data(incident, now)
    state = incident.state
    zone = _zone(state)
    flags = " · DRILL" if state.drill else ""
    age = span(now - state.started_at) if incident.open else "resolved"
    lines = [
        f"{incident.id} · {state.severity}{flags} · {data['status']} · {age} "
        f"(started {_local(state.started_at, zone)})",
        data["title"],
        "",
        "Roles:",
    ]
    for role, raw in incident.runbook["roles"].items():
        lines.append(f"  {raw['title']}: {state.holder(role) or '-'}")
    lines += ["", "Due:"]
    for r in reminders(state, now):
        lines.append(f"  {countdown(r, now):<16} {r.what} (due {_local(r.due, zone)})")
    if not data["reminders"]:
        lines.append("  nothing")
    done = sum(1 for s in state.steps if s.state in ("done", "skipped", "failed"))
    lines += ["", f"Steps: {done} of {len(state.steps)} closed"]
    waiting = next((s for s in state.steps if s.state in ("not reached", "started")), None)
    if waiting is not None and incident.open:
        lines.append(f"  next: {waiting.number}. {waiting.action} [{waiting.state}]")
    for message in data["warnings"]:
        lines.append(f"warning: {message}")
    if data["outbox"]:
        lines.append(f"outbox: {data['outbox']} update(s) not delivered; run: icrun incident flush")
    if incident.warning:
        lines.append(f"warning: {incident.warning}")
    return "\n".join(lines) + "\n"


def _zone(state: State) -> ZoneInfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(state.started.get("timezone", "UTC"))


def _local(moment: datetime, zone: ZoneInfo, date: bool = False) -> str:
    here = moment.astimezone(zone)
    return f"{here:%Y-%m-%d %H:%M:%S} {here.tzname()}" if date else f"{here:%H:%M} {here.tzname()}"


# --- export -----------------------------------------------------------------------------------


def timeline(incident: Incident) -> dict[str, Any]:
    """The postmortem's record, as data: what happened when, the cadence kept, each step's
    outcome, every posted update, the follow-ups."""
    state = incident.state
    zone = _zone(state)
    ended = state.resolved_at
    roles = {
        incident.runbook["roles"][role]["title"]: [
            {"person": person, "from": _local(at, zone, True)} for at, person in held
        ]
        for role, held in state.holders.items()
        if role in incident.runbook["roles"]
    }
    events = sorted(state.events, key=lambda e: (e.at, e.seq))
    return {
        "incident": incident.id,
        "runbook": state.started.get("runbook"),
        "runbook_sha256": state.started.get("runbook_sha256"),
        "policy_sha256": state.started.get("policy_sha256"),
        "title": state.started.get("title"),
        "drill": state.drill,
        "timezone": state.started.get("timezone", "UTC"),
        "severities": [
            {"at": _local(at, zone, True), "severity": sev, "reason": reason}
            for at, sev, reason in state.severities
        ],
        "roles": roles,
        "started_at": _local(state.started_at, zone, True),
        "mitigated_at": _local(state.mitigated_at, zone, True) if state.mitigated_at else None,
        "resolved_at": _local(ended, zone, True) if ended else None,
        "time_to_mitigate": span(state.mitigated_at - state.started_at)
        if state.mitigated_at
        else None,
        "time_to_resolve": span(ended - state.started_at) if ended else None,
        "events": [
            {
                "seq": e.seq,
                "at": _local(e.at, zone, True),
                "type": e.type,
                "actor": e.actor,
                "what": describe(e),
                "amended": e.seq in state.amended,
            }
            for e in events
        ],
        "cadence": cadence_record(state),
        "steps": [
            {
                "number": s.number,
                "id": s.id,
                "action": s.action,
                "outcome": s.state,
                "reason": s.reason,
            }
            for s in state.steps
        ],
        "updates": [
            {"at": _local(u.at, zone, True), "template": u.get("template"), "text": u.get("text")}
            for u in state.updates
        ],
        "follow_ups": [n.get("text") for n in state.notes if n.get("tag") == "todo"],
    }


def cadence_record(state: State) -> list[dict[str, Any]]:
    """Each status round and stakeholder update: when it was due, when it came, how late."""
    zone = _zone(state)
    record = []
    for kind, events, interval in (
        ("status round", state.rounds, "internal_update"),
        ("stakeholder update", state.updates, "stakeholder_update"),
    ):
        previous = state.started_at
        for event in events:
            severity = _severity_at(state, event.at)
            every = interval_of(state.runbook["severities"][severity][interval]) or timedelta()
            due = previous + every
            late = event.at - due
            record.append(
                {
                    "kind": kind,
                    "due": _local(due, zone, True),
                    "done": _local(event.at, zone, True),
                    "late": span(late) if late > timedelta() else None,
                }
            )
            previous = event.at
    return record


def _severity_at(state: State, moment: datetime) -> str:
    current = state.severities[0][1]
    for at, severity, _ in state.severities:
        if at <= moment:
            current = severity
    return current


def describe(event: Event) -> str:
    """One event in words."""
    f = event.fields
    kind = event.type
    words: dict[str, str] = {
        "started": f"started {f.get('title')} at {f.get('severity')}"
        + (" (drill)" if f.get("drill") else ""),
        "role_assigned": f"{f.get('person')} is {f.get('role')}",
        "severity_changed": f"severity {f.get('from')} → {f.get('to')}: {f.get('reason')}",
        "step_started": f"step {f.get('step')} started",
        "step_done": f"step {f.get('step')} done" + (f": {f['note']}" if f.get("note") else ""),
        "step_skipped": f"step {f.get('step')} skipped: {f.get('reason')}",
        "step_failed": f"step {f.get('step')} failed: {f.get('reason')}; next: {f.get('next')}",
        "status_round": f"status round: {f.get('conditions')}; actions: {f.get('actions')}; "
        f"needs: {f.get('needs')}",
        "update_posted": f"posted '{f.get('template')}' update ({f.get('delivery')})",
        "note": f"{f.get('tag')}: {f.get('text')}",
        "snoozed": f"snoozed {f.get('reminder')}: {f.get('reason')}",
        "escalated": f"escalated (rule {int(f.get('rule', 0)) + 1}): paged "
        f"{', '.join(f.get('paged', ()))}",
        "handoff": f"{f.get('role')} handed over from {f.get('from') or '-'} to {f.get('to')}",
        "amended": f"amended event {f.get('target')}: {', '.join(f.get('changes', {}))}",
        "mitigated": "mitigated" + (f": {f['note']}" if f.get("note") else ""),
        "resolved": f"resolved: {f.get('summary')}",
    }
    return str(words.get(kind, kind))


def timeline_markdown(data: dict[str, Any]) -> str:
    from icrunbook.render.markdown import _cell, _fence, _line

    out = [f"# Postmortem timeline: {_line(data['title'])}", ""]
    facts = [
        ("Incident", data["incident"] + (" (drill)" if data["drill"] else "")),
        ("Runbook", f"{data['runbook']} (sha256 {data['runbook_sha256'][:12]}…)"),
        *([("Policy", f"sha256 {data['policy_sha256'][:12]}…")] if data["policy_sha256"] else []),
        ("Started", data["started_at"]),
        ("Mitigated", data["mitigated_at"] or "not mitigated"),
        ("Resolved", data["resolved_at"] or "not resolved"),
        ("Time to mitigate", data["time_to_mitigate"] or "-"),
        ("Time to resolve", data["time_to_resolve"] or "-"),
    ]
    out += [f"- **{key}:** {_line(value)}" for key, value in facts]
    out += ["", "## Severity", ""]
    out += [
        f"- {_line(s['at'])}: {_line(s['severity'])}"
        + (f" ({_line(s['reason'])})" if s["reason"] else "")
        for s in data["severities"]
    ]
    out += ["", "## Roles", ""]
    for role, held in data["roles"].items():
        people = "; ".join(f"{_line(h['person'])} from {h['from']}" for h in held)
        out.append(f"- **{_line(role)}:** {people}")
    out += ["", "## Timeline", "", "| Time | Who | What |", "|---|---|---|"]
    for e in data["events"]:
        mark = " *(amended)*" if e["amended"] else ""
        out.append(f"| {e['at']} | {_cell(e['actor'])} | {_cell(e['what'])}{mark} |")
    out += ["", "## Cadence", "", "| Kind | Due | Done | Late |", "|---|---|---|---|"]
    for c in data["cadence"]:
        out.append(f"| {c['kind']} | {c['due']} | {c['done']} | {c['late'] or 'on time'} |")
    out += ["", "## Steps", "", "| # | Step | Outcome |", "|---|---|---|"]
    for s in data["steps"]:
        reason = f": {_cell(s['reason'])}" if s["reason"] else ""
        out.append(f"| {s['number']} | {_cell(s['action'])} | {s['outcome']}{reason} |")
    out += ["", "## Updates posted", ""]
    for u in data["updates"]:
        out += [f"### {u['at']} ({_line(u['template'])})", "", _fence("text", u["text"]), ""]
    out += ["## Follow-ups", ""]
    out += [f"- [ ] {_line(text)}" for text in data["follow_ups"]] or ["None recorded."]
    return "\n".join(out) + "\n"


def timeline_html(data: dict[str, Any]) -> str:
    from icrunbook import __version__
    from icrunbook.sandbox import sandboxed

    environment = sandboxed(autoescape=True, package_templates="render/templates", strict=True)
    return environment.get_template("timeline.html.j2").render(t=data, version=__version__)
