"""The checklist as plain text: ASCII checkboxes, at most 78 columns, wrapped and never cut.

Every line fits in :data:`WIDTH` columns, with exactly two exceptions, both so that nothing a
responder may copy is ever broken:

* **Commands** (and the lines of the communication templates, which are printed verbatim)
  are never wrapped: a line longer than the width stays whole on its own line, indented.
* **A single word longer than the width** (a long URL, say) stays whole on a line of its own
  after its label or indent; words are never cut or hyphenated.

Runbook text is data: it is printed as written (control characters are shown as ``\\x1b``
and the like, never sent to the terminal), and nothing is evaluated.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from icrunbook.escapes import visible

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from icrunbook.render.model import Checklist, Role, Step

WIDTH = 78
NAME_BLANK = "____________________"


def render(checklist: Checklist) -> str:
    """The whole checklist (or one role's card) as plain text."""
    out: list[str] = []
    if checklist.role_card is not None:
        _card(out, checklist, checklist.role_card)
        _cadence(out, checklist)
        _steps(out, checklist)
        _templates(out, checklist)
    else:
        _title_block(out, checklist)
        _severities(out, checklist)
        _roles(out, checklist.roles)
        _cadence(out, checklist)
        _steps(out, checklist)
        _escalation(out, checklist)
        _handoff(out, checklist)
        _templates(out, checklist)
    return "\n".join(out).rstrip("\n") + "\n"


# --- sections ---------------------------------------------------------------------------------


def _title_block(out: list[str], c: Checklist) -> None:
    _heading(out, c.title, "=")
    _pairs(
        out,
        [
            ("Service", c.service),
            ("Owner", c.owner),
            ("Last reviewed", c.last_reviewed),
            ("Version", c.version),
            ("Channel", c.channel),
            ("Status page", c.status_page),
            ("Tags", ", ".join(c.tags) or None),
        ],
    )
    for link in c.links:
        out += _wrap(f"{link.title}: {link.url}", "Link: ", "      ")
    if c.triggers:
        out += ["", "Open this runbook when:"]
        for trigger in c.triggers:
            out += _wrap(trigger, "  - ", "    ")
    out.append("")


def _severities(out: list[str], c: Checklist) -> None:
    _heading(out, "Severities", "-")
    for s in c.severities:
        chosen = " (this checklist)" if s.name == c.cadence.severity.name else ""
        out += _wrap(s.name + chosen, "", "")
        _pairs(
            out,
            [
                ("When", s.description),
                ("Internal status every", s.internal_update),
                ("Stakeholder update every", s.stakeholder_update),
                ("Page", ", ".join(s.page) or None),
                ("Long incident", s.long_incident),
            ],
            indent="  ",
        )
        out.append("")


def _roles(out: list[str], roles: Iterable[Role]) -> None:
    _heading(out, "Roles", "-")
    for role in roles:
        _role(out, role)


def _role(out: list[str], role: Role) -> None:
    out += _wrap(f"{role.title} ({role.id}, {role.type})", "", "")
    out.append(f"  Name: {NAME_BLANK}")
    _items(out, "Duties", role.duties)
    _items(out, "Must not", role.must_not)
    if role.max_shift:
        out += _wrap(role.max_shift, "  Max shift: ", "    ")
    out.append("")


def _card(out: list[str], c: Checklist, role: Role) -> None:
    _heading(out, f"{role.title}: {c.title}", "=")
    _pairs(out, [("Service", c.service), ("Channel", c.channel)])
    out.append("")
    _heading(out, "Your role", "-")
    _role(out, role)


def _cadence(out: list[str], c: Checklist) -> None:
    cadence = c.cadence
    s = cadence.severity
    _heading(out, f"Cadence: {s.name}, first hour", "-")
    out += _wrap(
        f"Internal status (the commander collects it from responders), every {s.internal_update}:",
        "",
        "  ",
    )
    out += _slots(cadence.internal)
    out += _wrap(
        f"Stakeholder update (the communications role sends it), every {s.stakeholder_update}:",
        "",
        "  ",
    )
    out += _slots(cadence.stakeholder)
    if s.long_incident:
        out += _wrap(f"Long incident: stakeholder updates {s.long_incident}", "", "  ")
    out.append("")


def _steps(out: list[str], c: Checklist) -> None:
    if c.stop_the_bleeding:
        _heading(out, "Stop the bleeding: triage and mitigate", "-")
        for step in c.stop_the_bleeding:
            _step(out, step)
    if c.afterwards:
        _heading(
            out, "Then: investigate, recover, resolve" if c.stop_the_bleeding else "Steps", "-"
        )
        for step in c.afterwards:
            _step(out, step)


def _step(out: list[str], step: Step) -> None:
    head = f"[ ] {step.number}. "
    pad = " " * len(head)
    out += _wrap(step.action, head, pad)
    facts = f"Owner: {step.owner_title}"
    if step.timebox:
        facts += f"; timebox {step.timebox}"
    facts += f"; phase {step.phase}"
    out += _wrap(facts, pad, pad + "  ")
    if step.when:
        out += _wrap(step.when, pad + "When: ", pad + "  ")
    if step.details:
        out += _wrap(step.details, pad, pad)
    for command in step.commands:
        out += _command(command, pad)
    if step.verify:
        out += _wrap(step.verify, pad + "Expect: ", pad + "  ")
    if step.on_failure:
        out += _wrap(step.on_failure, pad + "If it fails: ", pad + "  ")
    for link in step.links:
        out += _wrap(f"{link.title}: {link.url}", pad + "Link: ", pad + "  ")
    out.append("")


def _escalation(out: list[str], c: Checklist) -> None:
    if not c.escalation:
        return
    _heading(out, "Escalation", "-")
    for e in c.escalation:
        out += _wrap(f"After {e.after}: page {', '.join(e.page)}", "[ ] ", "    ")
        if e.condition:
            out += _wrap(e.condition, "    If: ", "      ")
    out.append("")


def _handoff(out: list[str], c: Checklist) -> None:
    if c.handoff_max_shift or c.handoff_brief:
        _heading(out, "Handoff", "-")
        if c.handoff_max_shift:
            out += _wrap(f"Hand command over after at most {c.handoff_max_shift}.", "", "")
        if c.handoff_brief:
            out.append("The handover brief covers:")
            for item in c.handoff_brief:
                out += _wrap(item, "  [ ] ", "      ")
        out.append("")
    if c.postmortem:
        _heading(out, "Postmortem", "-")
        out += _wrap(f"Postmortem {c.postmortem}.", "", "")
        out.append("")


def _templates(out: list[str], c: Checklist) -> None:
    if not c.templates:
        return
    _heading(out, "Communication templates", "-")
    out += _wrap("Printed verbatim; they are filled in later.", "", "")
    out.append("")
    for t in c.templates:
        out += _wrap(f"{t.name} ({t.audience}):", "--- ", "    ")
        out += [visible(line) for line in t.body.rstrip("\n").split("\n")]
        out += ["--- end of " + visible(t.name), ""]


# --- layout -----------------------------------------------------------------------------------


def _wrap(text: str, first: str, rest: str) -> list[str]:
    """Runbook text wrapped at WIDTH after ``first`` (then ``rest``): its own line breaks
    stay, words are never cut (a longer word stands alone on its line)."""
    lines: list[str] = []
    paragraphs = [p for p in (" ".join(line.split()) for line in text.splitlines()) if p]
    for paragraph in paragraphs or [""]:
        lines += textwrap.wrap(
            visible(paragraph),
            WIDTH,
            initial_indent=first if not lines else rest,
            subsequent_indent=rest,
            break_long_words=False,
            break_on_hyphens=False,
        ) or [(first if not lines else rest).rstrip()]
    return [line.rstrip() for line in lines]


def _heading(out: list[str], title: str, rule: str) -> None:
    lines = _wrap(title.upper() if rule == "-" else title, "", "")
    out += [*lines, rule * min(WIDTH, max(len(line) for line in lines)), ""]


def _pairs(out: list[str], pairs: Sequence[tuple[str, str | None]], indent: str = "") -> None:
    """``key: value`` lines with the values aligned, each value wrapped under itself."""
    present = [(key, value) for key, value in pairs if value]
    if not present:
        return
    width = max(len(key) for key, _ in present) + 2
    if len(indent) + width > WIDTH // 2:  # keys too long to align: hang the value instead
        for key, value in present:
            out += _wrap(value, f"{indent}{key}: ", indent + "  ")
        return
    for key, value in present:
        out += _wrap(value, f"{indent}{key + ':':<{width}}", " " * (len(indent) + width))


def _items(out: list[str], key: str, items: Sequence[str]) -> None:
    if not items:
        return
    out.append(f"  {key}:")
    for item in items:
        out += _wrap(item, "    - ", "      ")


def _slots(slots: Sequence[str]) -> list[str]:
    """Fill-in boxes ``[ ] T+5m`` in aligned columns, as many to a line as fit."""
    cells = [f"[ ] {visible(slot)}" for slot in slots]
    if not cells:
        return []
    cell = max(len(text) for text in cells) + 3
    per_line = max(1, (WIDTH - 2 + 3) // cell)
    return [
        "  " + "".join(text.ljust(cell) for text in cells[i : i + per_line]).rstrip()
        for i in range(0, len(cells), per_line)
    ]


def _command(command: str, pad: str) -> list[str]:
    """A command, never wrapped: ``$ `` before its first line, each line whole."""
    lines = [visible(line) for line in command.rstrip("\n").split("\n")]
    return [pad + ("$ " if i == 0 else "  ") + line for i, line in enumerate(lines)]
