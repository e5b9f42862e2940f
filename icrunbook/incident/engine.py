"""Running a runbook: start an incident, record what happens, say what is due.

Every operation reads the folder, checks what it is asked against the runbook and the state,
appends one event under the folder's lock, and returns it with the state after it. The CLI and
the live console are thin layers over these functions; a clock is passed in (``now``), so tests
and drills can set the time.
"""

from __future__ import annotations

import dataclasses
import getpass
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from icrunbook.errors import IcrunError
from icrunbook.incident import log
from icrunbook.incident.events import Event, parse_time
from icrunbook.incident.state import State, next_after_failure, replay

if TYPE_CHECKING:
    from collections.abc import Callable

    from icrunbook.config import Config

DEFAULT_DIR = "incidents"
RUNBOOK_COPY = "runbook.yaml"
POLICY_COPY = "policy.yaml"  # the runbook's policy as it was, when it has one
# What each ``step`` verb records.
STEP_EVENTS = {
    "start": "step_started",
    "done": "step_done",
    "skip": "step_skipped",
    "fail": "step_failed",
}


def clock() -> datetime:
    """Now, in UTC; ``ICRUN_NOW`` (RFC 3339) sets it, for tests and drills."""
    fixed = os.environ.get("ICRUN_NOW")
    if fixed:
        try:
            return parse_time(fixed)
        except ValueError:
            raise IcrunError(f"ICRUN_NOW={fixed!r} is not an RFC 3339 time") from None
    return datetime.now(UTC)


def actor(given: str | None) -> str:
    """Who records: ``--as``, else ``$ICRUN_ACTOR``, else the login name."""
    if given:
        return given
    if os.environ.get("ICRUN_ACTOR"):
        return os.environ["ICRUN_ACTOR"]
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in a container, say
        return "unknown"


_CLOCK_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_AGO = re.compile(r"^-(\d+)([smh])$")


def when(text: str | None, now: datetime, timezone: str = "UTC") -> datetime:
    """``--at``: ``14:02`` (today, in the incident's timezone), ``-5m``, or an RFC 3339 time."""
    if not text:
        return now
    from zoneinfo import ZoneInfo

    if match := _CLOCK_TIME.match(text):
        local = now.astimezone(ZoneInfo(timezone))
        moment = local.replace(hour=int(match[1]), minute=int(match[2]), second=0, microsecond=0)
        return moment.astimezone(UTC)
    if match := _AGO.match(text):
        unit = {"s": "seconds", "m": "minutes", "h": "hours"}[match[2]]
        return now - timedelta(**{unit: int(match[1])})
    try:
        return parse_time(text)
    except ValueError:
        raise IcrunError(
            f"--at '{text}' is not a time: give HH:MM, -5m, or 2026-12-02T14:02:00Z"
        ) from None


@dataclass
class Incident:
    """One incident folder, read: its id, runbook and state."""

    id: str
    folder: str
    runbook: dict[str, Any]
    state: State
    warning: str | None = None  # a cut-off last line
    config: Config | None = field(default=None, repr=False)
    events: tuple[Event, ...] = ()  # as written, before amendments

    @property
    def open(self) -> bool:
        return self.state.resolved_at is None

    @property
    def webhook(self) -> str | None:
        return os.environ.get("ICRUN_WEBHOOK") or (self.config.webhook if self.config else None)


def incidents_dir(given: str | None, config: Config | None) -> str:
    if given:
        return given
    if config is not None and config.incidents_dir:
        return config.incidents_dir
    return DEFAULT_DIR


def read(
    folder: str, config: Config | None = None, runbook: dict[str, Any] | None = None
) -> Incident:
    """The incident in ``folder``; ``runbook``: its copy, already read (it never changes)."""
    entries = log.read_log(folder)
    if runbook is None:
        runbook = runbook_copy(folder)
    state = replay(runbook, entries.events)
    name = os.path.basename(folder)
    return Incident(name, folder, runbook, state, entries.warning, config, entries.events)


def runbook_copy(folder: str) -> Any:
    """The incident's runbook as it was run: its copy, laid over its policy's copy if it had
    one (the originals may have changed since)."""
    import yaml

    def copy(name: str) -> Any:
        with open(os.path.join(folder, name), "rb") as stream:
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            return yaml.load(stream, Loader=loader)  # noqa: S506 - a safe loader

    runbook = copy(RUNBOOK_COPY)
    if not os.path.isfile(os.path.join(folder, POLICY_COPY)):
        return runbook
    from icrunbook.policy import lay

    return lay(copy(POLICY_COPY), runbook)[0]


def find(directory: str, incident_id: str | None, config: Config | None = None) -> Incident:
    """The incident asked for, else the only open one in ``directory``, else (when none is
    open) the newest: what ``status``, ``export`` and late notes are about."""
    if incident_id:
        folder = os.path.join(directory, incident_id)
        if not os.path.isfile(log.events_path(folder)):
            raise IcrunError(f"no incident '{incident_id}' in {directory}")
        return read(folder, config)
    folders = _folders(directory)
    found = [folder for folder in folders if not _resolved(folder)]
    if not found and folders:
        return read(max(folders, key=lambda folder: (_started(folder), folder)), config)
    if not found:
        raise IcrunError(
            f"no open incident in {directory}; start one: "
            "icrun incident start RUNBOOK --severity SEV"
        )
    if len(found) > 1:
        names = ", ".join(os.path.basename(folder) for folder in found)
        raise IcrunError(
            f"{len(found)} open incidents in {directory} ({names}): give --incident ID"
        )
    return read(found[0], config)


def _folders(directory: str) -> list[str]:
    """The incident folders in ``directory``, by name."""
    try:
        names = sorted(os.listdir(directory))
    except FileNotFoundError:
        return []
    folders = [os.path.join(directory, name) for name in names]
    return [folder for folder in folders if os.path.isfile(log.events_path(folder))]


def _resolved(folder: str) -> bool:
    """Whether the log holds a ``resolved`` event: a look at the bytes icrun writes (compact
    JSON), without reading the incident, so that finding the open one stays cheap."""
    with open(log.events_path(folder), "rb") as stream:
        return b'"type":"resolved"' in stream.read()


def _started(folder: str) -> bytes:
    with open(log.events_path(folder), "rb") as stream:
        return stream.readline()


def list_all(directory: str, config: Config | None = None) -> list[Incident]:
    return [read(folder, config) for folder in _folders(directory)]


def start(
    runbook_path: str,
    severity: str,
    *,
    directory: str,
    now: datetime,
    who: str,
    commander: str | None = None,
    drill: bool = False,
    timezone: str = "UTC",
    config_path: str | None = None,
) -> Incident:
    """A new incident folder: the runbook copied byte for byte, and its ``started`` event."""
    import hashlib

    from icrunbook.output import write_bytes
    from icrunbook.pipeline.check import sound_runbook
    from icrunbook.pipeline.runner import Runner

    runner = Runner.configured(config_path, structural_only=True)
    document = sound_runbook(runbook_path, runner, "run")
    _check_choice(severity, document.data["severities"], "severity")
    with open(runbook_path, "rb") as stream:
        source = stream.read()
    name = document.data["metadata"]["name"]
    folder = _new_folder(directory, f"{now:%Y%m%d-%H%M}-{name}")
    write_bytes(source, os.path.join(folder, RUNBOOK_COPY))
    fields: dict[str, Any] = {
        "runbook": name,
        "runbook_sha256": hashlib.sha256(source).hexdigest(),
        "title": document.data["metadata"]["title"],
        "severity": severity,
        "drill": drill,
        "timezone": timezone,
    }
    if document.policy is not None:  # kept beside the copy, so the incident reads as it ran
        with open(document.policy.path, "rb") as stream:
            policy = stream.read()
        write_bytes(policy, os.path.join(folder, POLICY_COPY))
        fields["policy_sha256"] = hashlib.sha256(policy).hexdigest()
    if commander:
        fields["commander"] = commander
    with log.locked(folder, who):
        log.append(folder, 1, "started", fields, now, who, now)
    return read(folder)


def _new_folder(directory: str, stem: str) -> str:
    """``directory/stem``, or ``stem-2``, ``stem-3``, ... when taken; made atomically."""
    os.makedirs(directory, exist_ok=True)
    for number in range(1, 1000):
        folder = os.path.join(directory, stem if number == 1 else f"{stem}-{number}")
        try:
            os.mkdir(folder)
        except FileExistsError:
            continue
        return folder
    raise IcrunError(f"{directory}: too many incidents named {stem}")


def record(
    incident: Incident,
    event_type: str,
    fields: dict[str, Any],
    *,
    at: datetime,
    who: str,
    now: datetime,
) -> tuple[Event, Incident]:
    """Append one event (the state is re-read under the lock) and the incident after it."""
    with log.locked(incident.folder, who):
        current = read(incident.folder, incident.config, incident.runbook)
        _check(current, event_type, fields)
        seq = len(current.events) + 1
        event = log.append(incident.folder, seq, event_type, fields, at, who, now)
    events = (*current.events, event)
    after = replay(current.runbook, events)
    return event, dataclasses.replace(current, state=after, events=events, warning=None)


def _check(incident: Incident, event_type: str, fields: dict[str, Any]) -> None:
    """What the runbook and the state allow; one clear line when they do not."""
    state, runbook = incident.state, incident.runbook
    if not incident.open and event_type not in ("note", "amended", "update_posted"):
        raise IcrunError(f"{incident.id} is resolved; only notes, updates and amendments follow")
    if event_type == "role_assigned" or (event_type == "handoff"):
        _check_choice(fields["role"], runbook["roles"], "role")
    elif event_type == "severity_changed":
        _check_choice(fields["to"], runbook["severities"], "severity")
        if fields["to"] == state.severity:
            raise IcrunError(f"the severity is already {state.severity}")
    elif event_type.startswith("step_"):
        step = state.step(fields["step"])
        if step.state in ("done", "skipped", "failed"):
            raise IcrunError(
                f"step {step.number} ({step.id}) is already {step.state}; "
                "to correct it, amend that event"
            )
    elif event_type == "amended":
        target = fields["target"]
        if not 1 <= target <= len(state.events):
            raise IcrunError(f"no event {target} to amend (the log has 1-{len(state.events)})")
    elif event_type == "mitigated" and state.mitigated_at is not None:
        raise IcrunError(f"already mitigated at {state.mitigated_at:%H:%M} UTC")


def _check_choice(chosen: str, names: Any, what: str) -> None:
    from icrunbook.suggest import did_you_mean

    if chosen not in names:
        raise IcrunError(
            f"no {what} '{chosen}'{did_you_mean(chosen, list(names))} "
            f"(the runbook has: {', '.join(names)})"
        )


def step_fields(
    incident: Incident, verb: str, reference: str, reason: str | None, note: str | None
) -> dict[str, Any]:
    """The fields of ``step start|done|skip|fail``: a skip or a failure needs its reason, and
    a failure names where the runbook goes next."""
    step = incident.state.step(reference)
    fields: dict[str, Any] = {"step": step.id}
    if verb in ("skip", "fail") and not reason:
        raise IcrunError(f"step {verb} needs --reason: say why, for the postmortem")
    if verb == "skip":
        fields["reason"] = reason
    elif verb == "fail":
        fields["reason"] = reason
        fields["next"] = next_after_failure(incident.state, step)
    elif verb == "done" and note:
        fields["note"] = note
    return fields


@dataclass(frozen=True)
class Posted:
    """What posting an update did: the event, the incident after it, the honesty warnings
    printed before it was recorded, and how delivery went."""

    event: Event
    incident: Incident
    warnings: list[str]
    delivery: str | None  # "delivered", why not, or None without a webhook


def post_update(
    incident: Incident,
    template: str | None,
    text: str | None,
    channel: str | None,
    *,
    at: datetime,
    who: str,
    now: datetime,
    warn: Callable[[str], None] = lambda _: None,
) -> Posted:
    """Record a stakeholder update (the draft of ``template`` unless ``text`` is given) after
    its honesty checks, each given to ``warn`` before anything is recorded; then queue and send
    it when a webhook is configured."""
    from icrunbook.incident import delivery
    from icrunbook.incident.drafts import default_template, draft, honesty_warnings

    name = template or default_template(incident.state)
    templates = incident.runbook["communications"]["templates"]
    if name not in templates:
        raise IcrunError(f"no template '{name}' (the runbook has: {', '.join(templates)})")
    body = text if text is not None else draft(incident.state, name, at, incident.id)[1]
    warnings = honesty_warnings(body, name, incident.config)
    for warning in warnings:
        warn(warning)
    fields: dict[str, Any] = {
        "template": name,
        "audience": templates[name]["audience"],
        "text": body,
        "delivery": "queued" if incident.webhook else "none",
    }
    if channel:
        fields["channel"] = channel
    event, after = record(incident, "update_posted", fields, at=at, who=who, now=now)
    outcome = None
    if incident.webhook:
        path = delivery.queue(incident.folder, event.seq, body, channel)
        problem = delivery.send(path, incident.webhook)
        outcome = "delivered" if problem is None else problem
    return Posted(event, after, warnings, outcome)
