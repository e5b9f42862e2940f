"""``icrun run``: the live console of one incident, full screen, in the terminal.

Textual draws it; every command typed is turned into an event by the same engine the CLI uses
and appended to the log before the screen changes, so quitting, a killed terminal or a second
responder on the CLI loses nothing. The screen is re-read from the folder every second: the
countdowns tick, and what others record shows up.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from icrunbook.errors import IcrunError
from icrunbook.incident import engine
from icrunbook.incident.report import countdown, describe, span
from icrunbook.incident.state import reminders

if TYPE_CHECKING:
    from icrunbook.config import Config

HELP = (
    "done 3 · fail 3 REASON · start 3 · skip 3 REASON · round COND; ACTIONS; NEEDS · draft · "
    "post · note TEXT · todo TEXT · sev SEV2 REASON · assign ROLE PERSON · handoff NAME · "
    "escalate 1 · mitigated · resolve SUMMARY · quit"
)
STATE_MARKS = {
    "not reached": "[ ]",
    "started": "[>]",
    "done": "[x]",
    "skipped": "[-]",
    "failed": "[!]",
}


class CommandLine(Input):
    """The command line: Tab takes the completion offered (as the right arrow does)."""

    BINDINGS: ClassVar[list[Any]] = [Binding("tab", "cursor_right", "complete", show=False)]


class Console(App[None]):
    """One incident: header, what is due, the checklist, the latest events, a command line."""

    CSS = """
    #head { height: 3; background: $primary-darken-2; padding: 0 1; }
    #panes { height: 1fr; }
    #steps { width: 3fr; padding: 0 1; }
    #side { width: 2fr; }
    #due { height: auto; padding: 0 1; border: round $secondary; }
    #events { height: 1fr; padding: 0 1; border: round $secondary; }
    #message { height: auto; max-height: 12; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[Any]] = [("ctrl+q", "quit", "Quit")]

    def __init__(
        self, folder: str, who: str, clock: Callable[[], datetime], config: Config | None
    ) -> None:
        super().__init__()
        self.folder, self.who, self.clock, self.config = folder, who, clock, config
        self.incident = engine.read(folder, config)

    def compose(self) -> ComposeResult:
        yield Static(id="head")
        with Horizontal(id="panes"):
            yield Static(id="steps")
            with Vertical(id="side"):
                yield Static(id="due")
                yield Static(id="events")
        yield Static(HELP, id="message")
        completions = SuggestFromList(self._completions(), case_sensitive=False)
        yield CommandLine(
            placeholder="command (Tab completes, quit leaves)", id="command", suggester=completions
        )

    def on_mount(self) -> None:
        self.title = f"icrun run {self.incident.id}"
        self._draw()
        self.set_interval(1.0, self._tick)
        self.query_one("#command", Input).focus()

    def _tick(self) -> None:
        try:
            self.incident = engine.read(self.folder, self.config, self.incident.runbook)
        except IcrunError as error:  # a damaged log: say so, keep the last good screen
            self._say(str(error), error=True)
        self._draw()

    # --- drawing ------------------------------------------------------------------------------

    def _draw(self) -> None:
        now = self.clock()
        state = self.incident.state
        roles = self.incident.runbook["roles"]
        held = " · ".join(
            f"{raw['title'].split(' (')[0]}: {state.holder(role) or '-'}"
            for role, raw in roles.items()
        )
        drill = "  DRILL" if state.drill else ""
        elapsed = span(now - state.started_at)
        summary = f"{self.incident.id}  {state.severity}{drill}  {state.status}  T+{elapsed}"
        head = Text(summary + "\n", style="bold")
        head.append(held)
        self.query_one("#head", Static).update(head)
        due = Text("What is due\n", style="bold")
        for reminder in reminders(state, now):
            late = reminder.overdue(now)
            style = "bold white on red" if late else ""
            due.append(f"{countdown(reminder, now):<16} {reminder.what}\n", style=style)
        self.query_one("#due", Static).update(due)
        steps = Text("Checklist (mitigation first)\n", style="bold")
        for step in state.steps:
            mark = STATE_MARKS[step.state]
            style = "red" if step.phase == "mitigate" else ""
            line = f"{mark} {step.number:>2}. {step.action}"
            steps.append(line[:200] + "\n", style="dim" if step.state == "done" else style)
        self.query_one("#steps", Static).update(steps)
        events = Text("Latest events\n", style="bold")
        zone = ZoneInfo(state.started.get("timezone", "UTC"))
        for event in state.events[-8:]:
            when = event.at.astimezone(zone).strftime("%H:%M")
            events.append(f"{when} {event.actor}: {describe(event)}\n")
        self.query_one("#events", Static).update(events)

    def _say(self, message: str, error: bool = False) -> None:
        self.query_one("#message", Static).update(Text(message, style="bold red" if error else ""))

    def _completions(self) -> list[str]:
        runbook = self.incident.runbook
        numbers = [str(n) for n in range(1, len(runbook["steps"]) + 1)]
        found = [f"{verb} {n}" for verb in ("done", "start", "skip", "fail") for n in numbers]
        found += [f"assign {role} " for role in runbook["roles"]]
        found += [f"sev {name} " for name in runbook["severities"]]
        found += [
            f"{verb} {name}"
            for verb in ("draft", "post")
            for name in runbook["communications"]["templates"]
        ]
        found += [
            "round ",
            "note ",
            "todo ",
            "decision ",
            "handoff ",
            "escalate ",
            "mitigated",
            "resolve ",
            "quit",
            "help",
        ]
        return found

    # --- commands -----------------------------------------------------------------------------

    def on_input_submitted(self, submitted: Input.Submitted) -> None:
        line = submitted.value.strip()
        submitted.input.value = ""
        if not line:
            return
        if line in ("quit", "exit", "q"):
            self.exit()
            return
        try:
            self._say(self.run_command(line))
        except IcrunError as error:
            self._say(str(error), error=True)
        self._draw()

    def run_command(self, line: str) -> str:
        """Carry out one command line; returns what to tell the responder."""
        verb, _, rest = line.partition(" ")
        rest = rest.strip()
        now = self.clock()
        record = self._recorder(now)
        if verb in ("done", "start", "skip", "fail"):
            step, _, reason = rest.partition(" ")
            kind = engine.STEP_EVENTS[verb]
            note = reason if verb == "done" else None
            fields = engine.step_fields(self.incident, verb, step, reason or None, note)
            said = record(kind, fields)
            return said + (f"  next: {fields['next']}" if verb == "fail" else "")
        if verb == "round":
            parts = [part.strip() for part in rest.split(";")]
            if len(parts) < 3 or not all(parts[:3]):
                raise IcrunError("round CONDITIONS; ACTIONS; NEEDS (three parts, split by ;)")
            names = ("conditions", "actions", "needs")
            return record("status_round", dict(zip(names, parts[:3], strict=True)))
        if verb in ("note", "todo", "decision"):
            if not rest:
                raise IcrunError(f"{verb} TEXT")
            return record("note", {"text": rest, "tag": verb})
        if verb == "sev":
            severity, _, reason = rest.partition(" ")
            fields = {
                "from": self.incident.state.severity,
                "to": severity,
                "reason": reason or "changed in the console",
            }
            return record("severity_changed", fields)
        if verb == "assign":
            words = shlex.split(rest)
            if len(words) < 2:
                raise IcrunError("assign ROLE PERSON")
            return record("role_assigned", {"role": words[0], "person": " ".join(words[1:])})
        if verb == "handoff":
            state = self.incident.state
            role = state.commander_role
            fields = {"role": role, "from": state.holder(role) or "", "to": rest, "brief": []}
            return record("handoff", fields)
        if verb == "escalate":
            rules = self.incident.runbook.get("escalation", [])
            if not rest.isdigit() or not 1 <= int(rest) <= len(rules):
                raise IcrunError(f"escalate N: a rule from 1 to {len(rules)}")
            index = int(rest) - 1
            return record("escalated", {"rule": index, "paged": list(rules[index]["page"])})
        if verb == "mitigated":
            return record("mitigated", {})
        if verb == "resolve":
            return record("resolved", {"summary": rest or "resolved in the console"})
        if verb == "draft":
            from icrunbook.incident.drafts import draft, honesty_warnings

            name, text = draft(self.incident.state, rest or None, now, self.incident.id)
            warnings = honesty_warnings(text, name, self.config)
            return "\n".join([text, *(f"warning: {w}" for w in warnings)])
        if verb == "post":
            posted = engine.post_update(
                self.incident, rest or None, None, None, at=now, who=self.who, now=now
            )
            self.incident = posted.incident
            warnings = [f"warning: {w}" for w in posted.warnings]
            return "\n".join([f"recorded #{posted.event.seq}: {describe(posted.event)}", *warnings])
        if verb == "help":
            return HELP
        raise IcrunError(f"unknown command '{verb}': {HELP}")

    def _recorder(self, now: datetime) -> Callable[[str, dict[str, Any]], str]:
        def record(kind: str, fields: dict[str, Any]) -> str:
            event, self.incident = engine.record(
                self.incident, kind, fields, at=now, who=self.who, now=now
            )
            warnings = [m for seq, m in self.incident.state.warnings if seq == event.seq]
            return "  ".join([f"recorded #{event.seq}: {describe(event)}", *warnings])

        return record
