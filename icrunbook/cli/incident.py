"""``icrun incident VERB``: run a runbook during an incident, from a terminal, as files.

Each verb is a few lines over :mod:`icrunbook.incident.engine`: it finds the incident, turns its
options into one event, and prints what the responder needs next (where a failed step goes, a
warning, what is due). Every verb takes ``--at``, ``--as``, ``--incident``, ``--dir`` and
``--config``.
"""

from __future__ import annotations

import inspect
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import typer

from icrunbook.errors import IcrunError

if TYPE_CHECKING:
    from icrunbook.config import Config
    from icrunbook.incident.engine import Incident

app = typer.Typer(  # registered lazily by icrunbook.cli: built only for icrun incident
    name="incident",
    help="Run a runbook during an incident: start, record, see what is due, export.",
    no_args_is_help=True,
)
step_app = typer.Typer(name="step", help="A step: start, done, skip or fail.", no_args_is_help=True)
app.add_typer(step_app)

AtOption = typer.Option(None, "--at", help="When it happened: HH:MM, -5m, or RFC 3339.")
AsOption = typer.Option(None, "--as", help="Who records it (default: $ICRUN_ACTOR, else you).")
IncidentOption = typer.Option(
    None, "--incident", help="The incident id (default: the only open one)."
)
DirOption = typer.Option(
    None, "--dir", help="Where incidents live (default: the config's, else incidents/)."
)
ConfigOption = typer.Option(None, "--config", "-c", help="Config file (default: the nearest).")


@dataclass
class Call:
    """What every verb is given: when, who, which incident, and the config."""

    now: datetime
    at_text: str | None
    who: str
    directory: str
    incident_id: str | None
    config: Config | None
    config_path: str | None  # --config as given

    def incident(self) -> Incident:
        from icrunbook.incident.engine import find

        return find(self.directory, self.incident_id, self.config)

    def at(self, incident: Incident) -> datetime:
        from icrunbook.incident.engine import when

        return when(self.at_text, self.now, incident.state.started.get("timezone", "UTC"))

    def record(self, event_type: str, fields: dict[str, Any]) -> tuple[Any, Incident]:
        from icrunbook.incident.engine import record

        incident = self.incident()
        return record(
            incident, event_type, fields, at=self.at(incident), who=self.who, now=self.now
        )


def _call(
    at: str | None, as_: str | None, incident: str | None, directory: str | None, config: str | None
) -> Call:
    from icrunbook.config import find_config, load_config
    from icrunbook.incident.engine import actor, clock, incidents_dir

    found = config or find_config(os.getcwd())
    loaded = load_config(os.path.abspath(found)) if found else None
    directory = incidents_dir(directory, loaded)
    return Call(clock(), at, actor(as_), directory, incident, loaded, config)


_COMMON = (
    inspect.Parameter("at", inspect.Parameter.KEYWORD_ONLY, default=AtOption),
    inspect.Parameter("as_", inspect.Parameter.KEYWORD_ONLY, default=AsOption),
    inspect.Parameter("incident", inspect.Parameter.KEYWORD_ONLY, default=IncidentOption),
    inspect.Parameter("directory", inspect.Parameter.KEYWORD_ONLY, default=DirOption),
    inspect.Parameter("config", inspect.Parameter.KEYWORD_ONLY, default=ConfigOption),
)
Handler = Callable[..., None]


def verb(
    group: typer.Typer | None = None,
    name: str | None = None,
    of_an_incident: bool = True,
    **settings: Any,
) -> Callable[[Handler], Handler]:
    """Register ``handler(call, ...)`` as a verb: its own arguments and options, then the ones
    every verb takes (``--at``, ``--as``, ``--incident`` unless it is not ``of_an_incident``,
    ``--dir``, ``--config``), which reach it as one :class:`Call`."""

    def register(handler: Handler) -> Handler:
        own = list(inspect.signature(handler).parameters.values())[1:]  # after the Call
        common = [p for p in _COMMON if of_an_incident or p.name != "incident"]

        def command(**given: Any) -> None:
            options = {p.name: given.pop(p.name) for p in common}
            options.setdefault("incident", None)
            handler(_call(**options), **given)

        command.__signature__ = inspect.Signature([*own, *common])  # type: ignore[attr-defined]
        command.__annotations__ = {
            **{p.name: handler.__annotations__[p.name] for p in own},
            **{p.name: "str | None" for p in common},
        }
        command.__doc__ = handler.__doc__
        command.__name__ = handler.__name__
        (group or app).command(name=name, **settings)(command)
        return handler

    return register


def _say(event: Any, incident: Incident) -> None:
    """What was recorded, and any warning it raised."""
    from icrunbook.incident.report import describe

    typer.echo(f"recorded #{event.seq}: {describe(event)}")
    for seq, message in incident.state.warnings:
        if seq == event.seq:
            typer.echo(f"warning: {message}", err=True)


@verb(of_an_incident=False)
def start(
    call: Call,
    runbook: str = typer.Argument(..., help="The runbook file."),
    severity: str = typer.Option(..., "--severity", help="The severity it starts at."),
    commander: str | None = typer.Option(None, "--commander", help="Who holds command."),
    drill: bool = typer.Option(False, "--drill", help="A drill, not a real incident."),
    timezone: str = typer.Option(
        "UTC", "--timezone", help="Times in drafts and the export (an IANA name)."
    ),
) -> None:
    """Start an incident from a runbook; prints its id."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from icrunbook.incident.engine import start as start_incident
    from icrunbook.incident.engine import when

    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise IcrunError(f"--timezone '{timezone}' is not a known timezone") from None
    started = start_incident(
        runbook,
        severity,
        directory=call.directory,
        now=when(call.at_text, call.now, timezone),
        who=call.who,
        commander=commander,
        drill=drill,
        timezone=timezone,
        config_path=call.config_path,
    )
    typer.echo(started.id)


@verb()
def status(
    call: Call,
    as_json: bool = typer.Option(False, "--json", help="The state as JSON."),
    check: bool = typer.Option(False, "--check", help="Exit 1 when a reminder is overdue."),
) -> None:
    """What is going on and what is due: every reminder with 'in 3m' or 'OVERDUE by 2m'."""
    from icrunbook.incident.report import status_data, status_text

    found = call.incident()
    now = call.at(found)
    data = status_data(found, now)
    if as_json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        typer.echo(status_text(found, now), nl=False)
    if check and any(r["overdue"] for r in data["reminders"]):
        raise typer.Exit(1)


@verb()
def assign(
    call: Call,
    role: str = typer.Argument(..., help="A role id of the runbook."),
    person: str = typer.Argument(..., help="Who holds it."),
) -> None:
    """Name who holds a role."""
    _say(*call.record("role_assigned", {"role": role, "person": person}))


@verb()
def severity(
    call: Call,
    to: str = typer.Argument(..., help="The new severity."),
    reason: str = typer.Option(..., "--reason", help="Why."),
) -> None:
    """Change the severity: every cadence follows it."""
    current = call.incident().state.severity
    _say(*call.record("severity_changed", {"from": current, "to": to, "reason": reason}))


def _step_command(step_verb: str, summary: str) -> None:
    def step(
        call: Call,
        step: str = typer.Argument(..., help="The step's number in the checklist, or its id."),
        reason: str | None = typer.Option(None, "--reason", help="Why (skip and fail)."),
        note: str | None = typer.Option(None, "--note", help="A note (done)."),
    ) -> None:
        from icrunbook.incident.engine import STEP_EVENTS, step_fields

        fields = step_fields(call.incident(), step_verb, step, reason, note)
        event, after = call.record(STEP_EVENTS[step_verb], fields)
        _say(event, after)
        if step_verb == "fail":
            typer.echo(f"next: {event.get('next')}")

    step.__doc__ = summary
    verb(step_app, name=step_verb)(step)


_step_command("start", "Start a step (its timebox starts).")
_step_command("done", "A step is done.")
_step_command("skip", "Skip a step, with --reason.")
_step_command("fail", "A step failed, with --reason; prints where the runbook goes next.")


@verb(name="round")
def status_round(
    call: Call,
    conditions: str = typer.Option(..., "--conditions", help="What is going on."),
    actions: str = typer.Option(..., "--actions", help="What is being done."),
    needs: str = typer.Option(..., "--needs", help="What is needed."),
    impact: str | None = typer.Option(None, "--impact", help="Who is affected, how."),
    known: str | None = typer.Option(None, "--known", help="What is known."),
    unknowns: str | None = typer.Option(None, "--unknowns", help="What is not known yet."),
) -> None:
    """Record a status round (conditions, actions, needs): the commander's cadence."""
    fields = {"conditions": conditions, "actions": actions, "needs": needs}
    optional = {"impact": impact, "known": known, "unknowns": unknowns}
    fields.update({key: value for key, value in optional.items() if value})
    _say(*call.record("status_round", fields))


@verb()
def draft(
    call: Call,
    template: str | None = typer.Argument(None, help="initial, update, resolved, ..."),
) -> None:
    """Fill a communications template from the incident; warnings go to stderr."""
    from icrunbook.incident.drafts import draft as make_draft
    from icrunbook.incident.drafts import honesty_warnings

    found = call.incident()
    name, text = make_draft(found.state, template, call.at(found), found.id)
    for warning in honesty_warnings(text, name, call.config):
        typer.echo(f"warning: {warning}", err=True)
    typer.echo(text)


@verb()
def post(
    call: Call,
    template: str | None = typer.Argument(
        None, help="The template it follows (default: as draft)."
    ),
    text: str | None = typer.Option(None, "--text", help="The text as sent."),
    text_file: str | None = typer.Option(None, "--text-file", help="The text, from a file."),
    channel: str | None = typer.Option(None, "--channel", help="Where it went."),
) -> None:
    """Record a stakeholder update (the draft, unless --text); sends it when a webhook is set."""
    from icrunbook.incident.engine import post_update

    found = call.incident()
    posted = post_update(
        found,
        template,
        _text(text, text_file),
        channel,
        at=call.at(found),
        who=call.who,
        now=call.now,
        warn=lambda warning: typer.echo(f"warning: {warning}", err=True),
    )
    _say(posted.event, posted.incident)
    if posted.delivery == "delivered":
        typer.echo("delivered")
    elif posted.delivery is not None:
        typer.echo(
            f"not delivered ({posted.delivery}): kept in the outbox; run: icrun incident flush"
        )


def _text(text: str | None, text_file: str | None) -> str | None:
    if text is not None and text_file is not None:
        raise IcrunError("give --text or --text-file, not both")
    if text_file is None:
        return text
    try:
        with open(text_file, encoding="utf-8") as stream:
            return stream.read()
    except OSError as error:
        raise IcrunError(f"{text_file}: {error.strerror or error}") from None


@verb()
def note(
    call: Call,
    text: str = typer.Argument(..., help="The note."),
    tag: str = typer.Option("note", "--tag", help="note, decision or todo (a follow-up)."),
) -> None:
    """Add a note, a decision, or a follow-up (todo) to the record."""
    if tag not in ("note", "decision", "todo"):
        raise IcrunError(f"--tag '{tag}' is not one of: note, decision, todo")
    _say(*call.record("note", {"text": text, "tag": tag}))


@verb()
def snooze(
    call: Call,
    reminder: str = typer.Argument(..., help="round, update, handoff, escalation-N, timebox-ID"),
    duration: str = typer.Option(..., "--for", help="How long, e.g. 10m."),
    reason: str = typer.Option(..., "--reason", help="Why: a snooze is never silent."),
) -> None:
    """Move one reminder later, with a reason."""
    from datetime import timedelta

    from icrunbook.durations import parse_duration
    from icrunbook.incident.events import timestamp
    from icrunbook.incident.state import reminders

    found = call.incident()
    names = [r.name for r in reminders(found.state, call.now)]
    if reminder not in names:
        raise IcrunError(f"no reminder '{reminder}' (due now: {', '.join(names) or 'none'})")
    seconds = parse_duration(duration)
    if not seconds:
        raise IcrunError(f"--for '{duration}' is not a duration (e.g. 10m, 1h)")
    until = call.at(found) + timedelta(seconds=seconds)
    fields = {"reminder": reminder, "until": timestamp(until), "reason": reason}
    _say(*call.record("snoozed", fields))


@verb()
def escalate(
    call: Call,
    rule: int = typer.Argument(..., help="The escalation rule's number (1 is the first)."),
) -> None:
    """Record that an escalation rule's people were paged."""
    rules = call.incident().runbook.get("escalation", [])
    if not 1 <= rule <= len(rules):
        raise IcrunError(f"no escalation rule {rule} (the runbook has {len(rules)})")
    _say(*call.record("escalated", {"rule": rule - 1, "paged": list(rules[rule - 1]["page"])}))


@verb()
def handoff(
    call: Call,
    person: str = typer.Argument(..., help="Who takes over."),
    role: str | None = typer.Option(None, "--role", help="Which role (default: the commander)."),
    brief: list[str] = typer.Option([], "--brief", help="An answer to the handoff brief."),
) -> None:
    """Hand a role (command, by default) over to someone, with the brief."""
    state = call.incident().state
    chosen = role or state.commander_role
    fields = {"role": chosen, "from": state.holder(chosen) or "", "to": person, "brief": brief}
    _say(*call.record("handoff", fields))


@verb(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def amend(
    call: Call,
    context: typer.Context,
    seq: int = typer.Argument(..., help="The event to correct (its seq)."),
) -> None:
    """Correct an event: amend 7 --reason 'the right reason' (nothing is rewritten)."""
    pairs = list(context.args)
    if not pairs or len(pairs) % 2 or not all(p.startswith("--") for p in pairs[::2]):
        raise IcrunError("amend SEQ --FIELD VALUE [--FIELD VALUE ...], e.g. amend 7 --reason '...'")
    changes = {
        name[2:].replace("-", "_"): value
        for name, value in zip(pairs[::2], pairs[1::2], strict=True)
    }
    _say(*call.record("amended", {"target": seq, "changes": changes}))


@verb()
def mitigated(
    call: Call,
    note_text: str | None = typer.Option(None, "--note", help="What mitigated it."),
) -> None:
    """The bleeding has stopped: the time to mitigate ends here."""
    _say(*call.record("mitigated", {"note": note_text} if note_text else {}))


@verb()
def resolve(
    call: Call,
    summary: str = typer.Option(..., "--summary", help="What happened, in a sentence."),
) -> None:
    """Resolve the incident; the resolved update is then due."""
    _say(*call.record("resolved", {"summary": summary}))


@verb()
def flush(call: Call) -> None:
    """Send the updates waiting in the outbox."""
    from icrunbook.incident import delivery

    found = call.incident()
    if not found.webhook:
        raise IcrunError("no webhook: set incidents.webhook in the config, or ICRUN_WEBHOOK")
    sent, failed = delivery.flush(found.folder, found.webhook)
    typer.echo(f"sent {sent}, {len(delivery.waiting(found.folder))} waiting")
    for problem in failed:
        typer.echo(f"not delivered: {problem}", err=True)
    if failed:
        raise typer.Exit(1)


@verb(name="list", of_an_incident=False)
def list_incidents(call: Call) -> None:
    """Every incident in the folder, open ones marked."""
    from icrunbook.incident.engine import list_all

    for found in list_all(call.directory, call.config):
        state = found.state
        mark = "open" if found.open else "resolved"
        drill = " (drill)" if state.drill else ""
        typer.echo(f"{found.id}  {state.severity}  {mark}{drill}  {state.started.get('title')}")


@verb()
def export(
    call: Call,
    output_format: str = typer.Option("md", "--format", "-f", help="md, html, pdf or json."),
    output: str | None = typer.Option(None, "--output", "-o", help="A file (default: stdout)."),
) -> None:
    """The postmortem's timeline: every event, the cadence kept, each step's outcome."""
    from icrunbook.incident.report import timeline, timeline_html, timeline_markdown
    from icrunbook.output import write_bytes, write_text

    data = timeline(call.incident())
    if output_format == "json":
        write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", output)
    elif output_format == "md":
        write_text(timeline_markdown(data), output)
    elif output_format == "html":
        write_text(timeline_html(data), output)
    elif output_format == "pdf":
        if output is None or output == "-":
            raise IcrunError("a PDF is written to a file: give -o FILE.pdf")
        from icrunbook.render.pdf import pdf_printer

        with pdf_printer() as print_pages:
            write_bytes(print_pages([timeline_html(data)])[0], output)
    else:
        raise IcrunError(f"--format '{output_format}' is not one of: md, html, pdf, json")
    if output not in (None, "-"):
        typer.echo(f"wrote {output}", err=True)
