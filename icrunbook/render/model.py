"""The checklist a runbook becomes: one view of it, shared by every render format.

Built only from a schema-valid runbook. Everything here is plain text taken from the runbook;
formats escape it for their medium, and nothing in it is ever evaluated as a template.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from icrunbook.durations import format_duration, parse_duration

FIRST_HOUR = 3600
MAX_SLOTS = 24  # a row of fill-in boxes that still fits a page
# Who's who, on page 1 and on the card: every role but observers, in the order people are named.
WHOS_WHO = ("commander", "communications", "operations", "expert", "planning", "scribe", "deputy")
# The roles whose card carries the escalation times: those who watch the clock.
WATCHES_ESCALATION = ("commander", "deputy")
# The cadence each type of role owes: which of the two cycles, and what it does in it.
OWED = {
    "commander": (("internal", "Run the status round"),),
    "deputy": (("internal", "Check timeboxes at the status round"),),
    "communications": (("stakeholder", "Send the stakeholder update"),),
    "operations": (("internal", "Report status to the commander"),),
    "expert": (("internal", "Report status to the commander"),),
    "planning": (("internal", "Report status to the commander"),),
    "scribe": (("internal", "Record the status round"), ("stakeholder", "Record the update")),
}


@dataclass(frozen=True, slots=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Step:
    number: int
    id: str
    phase: str
    owner: str
    owner_title: str
    action: str
    details: str | None = None
    commands: tuple[str, ...] = ()
    timebox: str | None = None
    verify: str | None = None
    when: str | None = None
    on_failure: str | None = None  # "go to step 7 (fail-over)" or "escalate"
    links: tuple[Link, ...] = ()

    @property
    def tall(self) -> bool:
        """Too tall to move whole to the next page without leaving 40% of a page empty
        (about 24 printed lines): a printed step of this size may break between its lines."""
        prose = (self.action, self.details or "", self.verify or "", self.when or "")
        lines = 2 + sum(-(-len(text) // 90) for text in prose) + len(self.links)
        lines += sum(command.count("\n") + 1 for command in self.commands)
        return lines > 24

    @property
    def first_command(self) -> str | None:
        """What a card prints of the commands: the first line of the first."""
        return self.commands[0].strip().split("\n")[0] if self.commands else None

    @property
    def more_commands(self) -> str | None:
        """On a card, what the first command leaves out: "+2 more commands in the full step
        5"."""
        left = sum(c.strip().count("\n") + 1 for c in self.commands) - 1
        if left <= 0:
            return None
        return f"+{left} more command{'s' if left > 1 else ''} in the full step {self.number}"


@dataclass(frozen=True, slots=True)
class Severity:
    name: str
    description: str
    internal_update: str
    stakeholder_update: str
    page: tuple[str, ...] = ()  # role titles, or team names as written
    long_incident: str | None = None  # "after 4h: stakeholder update every 2h"


@dataclass(frozen=True, slots=True)
class Role:
    id: str
    title: str
    type: str
    duties: tuple[str, ...]
    must_not: tuple[str, ...] = ()
    max_shift: str | None = None


@dataclass(frozen=True, slots=True)
class Escalation:
    after: str
    page: tuple[str, ...]
    condition: str | None = None


@dataclass(frozen=True, slots=True)
class Template:
    name: str
    audience: str
    body: str


@dataclass(frozen=True, slots=True)
class Cadence:
    """Fill-in time slots for the first hour at the chosen severity."""

    severity: Severity
    internal: tuple[str, ...]  # "T+5m", "T+10m", ...
    stakeholder: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Due:
    """One cycle a role owes: what it does, how often, and the boxes of the first hour."""

    what: str
    every: str
    slots: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Checklist:
    """Everything a printed checklist shows, in the order it shows it."""

    name: str
    title: str
    service: str
    owner: str
    version: str | None
    last_reviewed: str | None
    policy: str | None  # the policy it stands on: "name (path)"
    tags: tuple[str, ...]
    links: tuple[Link, ...]
    triggers: tuple[str, ...]
    severities: tuple[Severity, ...]
    roles: tuple[Role, ...]
    cadence: Cadence
    stop_the_bleeding: tuple[Step, ...]  # every step up to and including the last mitigation
    afterwards: tuple[Step, ...]  # investigation, recovery, resolution
    escalation: tuple[Escalation, ...]
    handoff_max_shift: str | None
    handoff_brief: tuple[str, ...]
    postmortem: str | None
    channel: str | None
    status_page: str | None
    templates: tuple[Template, ...]  # on a role card, only the communications role's
    role_card: Role | None = None  # set when rendering one role's card
    paper: str = "a4"
    layout: str = "full"  # or "card": the first fifteen minutes on one page
    # What a one-page card (``layout="card"`` or a role card) shows of the steps, and where the
    # rest is; set by :func:`icrunbook.render.fit.one_page`.
    card_steps: tuple[Step, ...] = ()
    continued: str | None = None

    @property
    def steps(self) -> tuple[Step, ...]:
        return self.stop_the_bleeding + self.afterwards

    @property
    def one_page(self) -> bool:
        """A card or a role card: what must fit one page."""
        return self.layout == "card" or self.role_card is not None

    @property
    def whos_who(self) -> tuple[str, ...]:
        """Who is named on page 1 and on the card: each role but observers, by its title
        without the part in brackets ("Operations Lead (web platform on-call)" is
        "Operations Lead")."""
        chosen = [r for kind in WHOS_WHO for r in self.roles if r.type == kind]
        return tuple(r.title.split(" (")[0].strip() or r.title for r in chosen)

    def card_facts(self, step: Step) -> tuple[str, ...]:
        """Who does a card's step, and in how long; a role card's reader is the who."""
        owner = (step.owner_title,) if self.role_card is None else ()
        return owner + ((step.timebox,) if step.timebox else ())

    @property
    def escalates(self) -> bool:
        """Whether this card shows the escalation times: every card but a role card of a
        role that does not watch the clock."""
        return self.role_card is None or self.role_card.type in WATCHES_ESCALATION

    @property
    def owed(self) -> tuple[Due, ...]:
        """On a role card, the cadence that role keeps."""
        if self.role_card is None:
            return ()
        severity = self.cadence.severity
        cycles = {
            "internal": (severity.internal_update, self.cadence.internal),
            "stakeholder": (severity.stakeholder_update, self.cadence.stakeholder),
        }
        return tuple(Due(what, *cycles[cycle]) for cycle, what in OWED.get(self.role_card.type, ()))


def build(
    data: dict[str, Any],
    severity: str | None = None,
    role: str | None = None,
    paper: str = "a4",
    layout: str = "full",
    policy: str | None = None,
) -> Checklist:
    """The checklist of a schema-valid runbook. ``severity`` picks the cadence shown (default:
    the most severe); ``role`` keeps only that role's duties and steps (a role card);
    ``layout="card"`` makes the one-page card of the first fifteen minutes; ``policy`` names
    the policy a merged runbook stands on."""
    meta = data["metadata"]
    roles = tuple(_role(role_id, raw) for role_id, raw in data["roles"].items())
    titles = {r.id: r.title for r in roles}
    steps = _steps(data["steps"], titles)
    last_mitigation = max((s.number for s in steps if s.phase == "mitigate"), default=0)
    severities = tuple(_severity(name, raw, titles) for name, raw in data["severities"].items())
    chosen = next((s for s in severities if s.name == severity), severities[0])
    card = next((r for r in roles if r.id == role), None) if role else None
    if card is not None:
        steps = tuple(s for s in steps if s.owner == card.id)
    comms = data["communications"]
    handoff = data.get("handoff", {})
    stop_the_bleeding = tuple(s for s in steps if s.number <= last_mitigation)
    return Checklist(
        name=meta["name"],
        title=meta["title"],
        service=meta["service"],
        owner=meta["owner"],
        version=None if meta.get("version") is None else str(meta["version"]),
        last_reviewed=meta.get("last_reviewed"),
        policy=policy,
        tags=tuple(meta.get("tags", ())),
        links=_links(meta.get("links", ())),
        triggers=tuple(
            f"Alert {t['alert']}" if "alert" in t else t["description"]
            for t in data.get("triggers", ())
        ),
        severities=severities,
        roles=(card,) if card is not None else roles,
        cadence=Cadence(
            chosen,
            _slots(chosen.internal_update),
            _slots(chosen.stakeholder_update),
        ),
        stop_the_bleeding=stop_the_bleeding,
        afterwards=tuple(s for s in steps if s.number > last_mitigation),
        escalation=tuple(
            Escalation(e["after"], _named(e["page"], titles), e.get("condition"))
            for e in data.get("escalation", ())
        ),
        handoff_max_shift=handoff.get("max_shift"),
        handoff_brief=tuple(handoff.get("brief", ())),
        postmortem=_postmortem(data.get("postmortem")),
        channel=comms.get("channel"),
        status_page=comms.get("status_page"),
        templates=_templates(comms["templates"], card),
        role_card=card,
        paper=paper,
        layout=layout,
        card_steps=steps if card is not None else stop_the_bleeding,
    )


def _role(role_id: str, raw: dict[str, Any]) -> Role:
    return Role(
        role_id,
        raw["title"],
        raw["type"],
        tuple(raw["duties"]),
        tuple(raw.get("must_not", ())),
        raw.get("max_shift"),
    )


def _steps(raw_steps: list[dict[str, Any]], titles: dict[str, str]) -> tuple[Step, ...]:
    numbers = {raw["id"]: number for number, raw in enumerate(raw_steps, start=1)}
    steps = []
    for number, raw in enumerate(raw_steps, start=1):
        command = raw.get("command", ())
        target = raw.get("on_failure")
        if target is None or target == "escalate":
            on_failure = target
        elif target in numbers:
            on_failure = f"go to step {numbers[target]} ({target})"
        else:
            on_failure = f"go to step {target}"
        steps.append(
            Step(
                number=number,
                id=raw["id"],
                phase=raw["phase"],
                owner=raw["owner"],
                owner_title=titles.get(raw["owner"], raw["owner"]),
                action=raw["action"],
                details=raw.get("details"),
                commands=(command,) if isinstance(command, str) else tuple(command),
                timebox=raw.get("timebox"),
                verify=raw.get("verify"),
                when=raw.get("when"),
                on_failure=on_failure,
                links=_links(raw.get("links", ())),
            )
        )
    return tuple(steps)


def _severity(name: str, raw: dict[str, Any], titles: dict[str, str]) -> Severity:
    slower = raw.get("long_incident")
    return Severity(
        name,
        raw["description"],
        raw["internal_update"],
        raw["stakeholder_update"],
        _named(raw.get("page", ()), titles),
        f"after {slower['after']}: every {slower['stakeholder_update']}" if slower else None,
    )


def _slots(interval: str) -> tuple[str, ...]:
    """``T+5m``, ``T+10m``, ... within the first hour (at least one, at most MAX_SLOTS)."""
    seconds = parse_duration(interval) or FIRST_HOUR
    count = max(1, min(MAX_SLOTS, FIRST_HOUR // seconds))
    return tuple(f"T+{format_duration(seconds * i)}" for i in range(1, count + 1))


def _templates(raw: dict[str, Any], card: Role | None) -> tuple[Template, ...]:
    """The message templates; on a role card, only for the role that sends them."""
    if card is not None and card.type != "communications":
        return ()
    return tuple(Template(name, t["audience"], t["body"]) for name, t in raw.items())


def _named(role_ids: Any, titles: dict[str, str]) -> tuple[str, ...]:
    """Who to page, as people read it: role titles (team names stay as written)."""
    return tuple(titles.get(role_id, role_id) for role_id in role_ids)


def _links(raw: Any) -> tuple[Link, ...]:
    return tuple(Link(link["title"], link["url"]) for link in raw)


def _postmortem(raw: dict[str, Any] | None) -> str | None:
    if not raw:
        return None
    due = f", due {raw['due']} after resolution" if raw.get("due") else ""
    return f"required for {', '.join(raw['required_for'])}{due}"
