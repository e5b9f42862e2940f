"""An incident's state: a pure function of its runbook and its events.

Replaying the same log always gives the same state, so resuming after a crash, a reboot or on
another machine is only reading the folder. What is due (the reminders) is computed from the
state and a clock, never stored.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from icrunbook.durations import parse_duration
from icrunbook.errors import IcrunError
from icrunbook.incident.events import Event, parse_time

CLOSED = ("done", "skipped", "failed")


@dataclass(slots=True)
class StepState:
    number: int
    id: str
    phase: str
    action: str
    owner: str
    timebox: str | None
    on_failure: str | None
    state: str = "not reached"  # started, done, skipped, failed
    started_at: datetime | None = None
    ended_at: datetime | None = None
    reason: str | None = None


@dataclass(slots=True)
class State:
    """Everything the events say, in the runbook's terms."""

    runbook: Mapping[str, Any]
    started: Event
    severity: str
    severities: list[tuple[datetime, str, str | None]] = field(default_factory=list)
    holders: dict[str, list[tuple[datetime, str]]] = field(default_factory=dict)
    steps: list[StepState] = field(default_factory=list)
    rounds: list[Event] = field(default_factory=list)
    updates: list[Event] = field(default_factory=list)
    notes: list[Event] = field(default_factory=list)
    snoozed: dict[str, datetime] = field(default_factory=dict)
    escalated: set[int] = field(default_factory=set)
    handoffs: list[Event] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (seq, message)
    mitigated_at: datetime | None = None
    resolved_at: datetime | None = None
    summary: str | None = None
    events: tuple[Event, ...] = ()
    amended: set[int] = field(default_factory=set)

    @property
    def started_at(self) -> datetime:
        return self.started.at

    @property
    def drill(self) -> bool:
        return bool(self.started.get("drill"))

    def holder(self, role: str) -> str | None:
        held = self.holders.get(role)
        return held[-1][1] if held else None

    def step(self, reference: str) -> StepState:
        """A step by its checklist number or its id."""
        for step in self.steps:
            if reference in (str(step.number), step.id):
                return step
        from icrunbook.suggest import did_you_mean

        ids = [s.id for s in self.steps]
        raise IcrunError(
            f"no step '{reference}'{did_you_mean(reference, ids)} "
            f"(give its number, 1-{len(self.steps)}, or its id)"
        )

    @property
    def commander_role(self) -> str:
        roles: Mapping[str, Any] = self.runbook["roles"]
        return next(str(r) for r, raw in roles.items() if raw["type"] == "commander")

    @property
    def status(self) -> str:
        """For the templates: investigating, identified, mitigated, resolved."""
        if self.resolved_at:
            return "resolved"
        if self.mitigated_at:
            return "mitigated"
        if any(s.state != "not reached" and s.phase == "mitigate" for s in self.steps):
            return "identified"
        return "investigating"


@dataclass(frozen=True, slots=True)
class Reminder:
    name: str  # round, update, handoff, escalation-1, timebox-<step id>
    what: str
    due: datetime

    def overdue(self, now: datetime) -> bool:
        return now > self.due


def replay(runbook: Mapping[str, Any], events: Sequence[Event]) -> State:
    """The state after ``events``, amendments applied."""
    effective = list(_amended(events))
    first = effective[0]
    state = State(
        runbook=runbook,
        started=first,
        severity=first.get("severity"),
        events=tuple(effective),
        amended={e.get("target") for e in events if e.type == "amended"},
    )
    state.severities.append((first.at, first.get("severity"), None))
    state.steps = [
        StepState(
            number,
            raw["id"],
            raw["phase"],
            raw["action"],
            raw["owner"],
            raw.get("timebox"),
            raw.get("on_failure"),
        )
        for number, raw in enumerate(runbook["steps"], start=1)
    ]
    if first.get("commander"):
        state.holders[state.commander_role] = [(first.at, first.get("commander"))]
    for event in effective[1:]:
        _apply(state, event)
    return state


def _amended(events: Sequence[Event]) -> Iterable[Event]:
    """The events with every ``amended`` event's changes applied to its target."""
    changes: dict[int, dict[str, Any]] = {}
    for event in events:
        if event.type == "amended":
            changes.setdefault(event.get("target"), {}).update(event.get("changes"))
    for event in events:
        change = changes.get(event.seq)
        if not change:
            yield event
            continue
        fields = {k: v for k, v in change.items() if k not in ("at", "actor")}
        at = change.get("at")
        yield dataclasses.replace(
            event,
            at=parse_time(at) if isinstance(at, str) else event.at,
            actor=change.get("actor", event.actor),
            fields={**event.fields, **fields},
        )


def _apply(state: State, event: Event) -> None:
    kind = event.type
    if kind == "role_assigned":
        state.holders.setdefault(event.get("role"), []).append((event.at, event.get("person")))
    elif kind == "severity_changed":
        state.severity = event.get("to")
        state.severities.append((event.at, event.get("to"), event.get("reason")))
    elif kind.startswith("step_"):
        _step_event(state, event)
    elif kind == "status_round":
        state.rounds.append(event)
    elif kind == "update_posted":
        state.updates.append(event)
    elif kind == "note":
        state.notes.append(event)
    elif kind == "snoozed":
        state.snoozed[event.get("reminder")] = parse_time(event.get("until"))
    elif kind == "escalated":
        state.escalated.add(event.get("rule"))
    elif kind == "handoff":
        state.handoffs.append(event)
        state.holders.setdefault(event.get("role"), []).append((event.at, event.get("to")))
    elif kind == "mitigated":
        state.mitigated_at = state.mitigated_at or event.at
    elif kind == "resolved":
        state.resolved_at = state.resolved_at or event.at
        state.summary = event.get("summary")


def _step_event(state: State, event: Event) -> None:
    step = state.step(event.get("step"))
    verb = event.type.removeprefix("step_")
    if verb == "started":
        step.state, step.started_at = "started", event.at
    else:
        step.state, step.ended_at = verb, event.at
        step.reason = event.get("reason") or event.get("note")
    if step.phase == "investigate" and verb in ("started", "done"):
        waiting = mitigation_waiting(state, step)
        if waiting is not None:
            state.warnings.append((event.seq, mitigate_first(step, waiting)))


def mitigation_waiting(state: State, step: StepState) -> StepState | None:
    """A mitigation step before ``step`` that is neither done, skipped nor failed."""
    return next(
        (
            s
            for s in state.steps
            if s.number < step.number and s.phase == "mitigate" and s.state not in CLOSED
        ),
        None,
    )


def mitigate_first(step: StepState, waiting: StepState) -> str:
    return (
        f"step {step.number} ({step.id}) investigates while mitigation step {waiting.number} "
        f"({waiting.id}) is not done, skipped or failed: mitigate first"
    )


def next_after_failure(state: State, step: StepState) -> str:
    """Where a failed step sends you: its ``on_failure`` step, or escalate."""
    target = step.on_failure or "escalate"
    if target == "escalate":
        return "escalate"
    return f"step {state.step(target).number} ({target})"


# --- what is due ------------------------------------------------------------------------------


def interval_of(text: str | None) -> timedelta | None:
    seconds = parse_duration(text) if text else None
    return timedelta(seconds=seconds) if seconds else None


def reminders(state: State, now: datetime) -> list[Reminder]:
    """Every reminder that is due (or will be), earliest first; snoozes applied."""
    found = [*_cadence(state, now), *_handoff(state), *_escalations(state), *_timeboxes(state)]
    snoozed = [
        dataclasses.replace(r, due=max(r.due, state.snoozed[r.name]))
        if r.name in state.snoozed
        else r
        for r in found
    ]
    return sorted(snoozed, key=lambda r: r.due)


def _cadence(state: State, now: datetime) -> list[Reminder]:
    severity = state.runbook["severities"][state.severity]
    if state.resolved_at is not None:
        after = [u for u in state.updates if u.at >= state.resolved_at]
        return [] if after else [Reminder("update", "the resolved update", state.resolved_at)]
    due = []
    internal = interval_of(severity["internal_update"])
    last_round = state.rounds[-1].at if state.rounds else state.started_at
    if internal:
        due.append(Reminder("round", "status round", last_round + internal))
    stakeholder = interval_of(severity["stakeholder_update"])
    slower = severity.get("long_incident")
    if slower and now - state.started_at >= (interval_of(slower["after"]) or timedelta.max):
        stakeholder = interval_of(slower["stakeholder_update"]) or stakeholder
    last_update = state.updates[-1].at if state.updates else state.started_at
    if stakeholder:
        due.append(Reminder("update", "stakeholder update", last_update + stakeholder))
    return due


def _handoff(state: State) -> list[Reminder]:
    if state.resolved_at is not None:
        return []
    role = state.commander_role
    shift = interval_of(state.runbook["roles"][role].get("max_shift")) or interval_of(
        state.runbook.get("handoff", {}).get("max_shift")
    )
    held = state.holders.get(role)
    if not shift or not held:
        return []
    since, person = held[-1]
    return [Reminder("handoff", f"hand over command ({person} since {since:%H:%M})", since + shift)]


def _escalations(state: State) -> list[Reminder]:
    if state.resolved_at is not None:
        return []
    due = []
    for index, rule in enumerate(state.runbook.get("escalation", ())):
        after = interval_of(rule["after"])
        if after is None or index in state.escalated:
            continue
        roles = state.runbook["roles"]
        page = ", ".join(roles[p]["title"] if p in roles else p for p in rule["page"])
        due.append(
            Reminder(f"escalation-{index + 1}", f"escalate: page {page}", state.started_at + after)
        )
    return due


def _timeboxes(state: State) -> list[Reminder]:
    due = []
    for step in state.steps:
        box = interval_of(step.timebox)
        if step.state == "started" and box and step.started_at is not None:
            then = step.on_failure or "escalate"
            what = f"step {step.number} timebox ({step.id}); if it fails: {then}"
            due.append(Reminder(f"timebox-{step.id}", what, step.started_at + box))
    return due
