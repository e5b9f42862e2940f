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
    """The checklist, its one-page card, or one role's card as plain text."""
    out: list[str] = []
    if checklist.role_card is not None:
        _role_card(out, checklist, checklist.role_card)
    elif checklist.layout == "card":
        _card(out, checklist)
    else:
        _title_block(out, checklist)
        _whos_who(out, checklist)
        _cadence(out, checklist)
        _steps(out, checklist)
        _escalation(out, checklist)
        _handoff(out, checklist)
        _severities(out, checklist)
        _roles(out, checklist.roles)
        _templates(out, checklist)
        _about(out, checklist)
    return "\n".join(out).rstrip("\n") + "\n"


def render_binder(checklists: Sequence[Checklist]) -> str:
    """Several runbooks as one text: a contents list, then each runbook from a new page (a
    form feed, which printers and ``pr`` honour)."""
    out: list[str] = []
    _heading(out, "Runbook binder", "=")
    for number, c in enumerate(checklists, start=1):
        out += _wrap(f"{c.title} ({c.service}, {c.owner})", f"{number:>3}. ", "     ")
    return "\n".join(out) + "\n" + "".join("\f" + render(c) for c in checklists)


# --- sections ---------------------------------------------------------------------------------


def _title_block(out: list[str], c: Checklist) -> None:
    """What the page starts with: the runbook, where to talk, and blanks for this incident."""
    _heading(out, c.title, "=")
    _pairs(
        out,
        [
            ("Service", f"{c.service} (owner {c.owner})"),
            ("Channel", c.channel),
            ("Status page", c.status_page),
        ],
    )
    out.append(f"Incident: {NAME_BLANK}  Started (UTC): ____________")
    out += _wrap("  ".join(f"[ ] {s.name}" for s in c.severities), "Severity: ", "          ")
    out.append("")


def _card(out: list[str], c: Checklist) -> None:
    """The first fifteen minutes on one page: every heading one line, two or three fill-ins to
    a line, the steps condensed."""
    out += _wrap(c.title, "", "")
    where = " · ".join(filter(None, (c.service, c.channel, c.status_page)))
    out += _wrap(where, "", "  ")
    out += _wrap("  ".join(f"[ ] {s.name}" for s in c.severities), "Severity: ", "  ")
    out.append(f"Incident: {NAME_BLANK}  Started (UTC): ____________")
    _line_heading(out, "Who's who")
    out += _fill_ins([f"{label}: {NAME_BLANK[:10]}" for label in c.whos_who])
    s = c.cadence.severity
    _line_heading(out, f"Cadence at {s.name}, first hour")
    out += _wrap(f"Status round every {s.internal_update}:", "", "  ")
    out += _slots(c.cadence.internal)
    slower = f" ({s.long_incident})" if s.long_incident else ""
    out += _wrap(f"Stakeholder update every {s.stakeholder_update}{slower}:", "", "  ")
    out += _slots(c.cadence.stakeholder)
    _line_heading(out, "First fifteen minutes: triage and mitigate")
    _condensed(out, c)
    _card_escalation(out, c)


def _card_escalation(out: list[str], c: Checklist) -> None:
    if not c.escalation or not c.escalates:
        return
    _line_heading(out, "Escalation")
    for e in c.escalation:
        condition = f" - if: {e.condition}" if e.condition else ""
        out += _wrap(f"After {e.after}: page {', '.join(e.page)}{condition}", "[ ] ", "    ")


def _line_heading(out: list[str], title: str) -> None:
    """A card's heading: one line, ``-- TITLE ------``."""
    out += _wrap(f"-- {title.upper()} ".ljust(WIDTH, "-"), "", "")


def _fill_ins(cells: Sequence[str]) -> list[str]:
    """Fill-in cells, as many to a line as fit."""
    if not cells:
        return []
    cell = max(len(visible(text)) for text in cells) + 2
    per_line = max(1, (WIDTH + 2) // cell)
    return [
        "".join(visible(text).ljust(cell) for text in cells[i : i + per_line]).rstrip()
        for i in range(0, len(cells), per_line)
    ]


def _about(out: list[str], c: Checklist) -> None:
    _heading(out, "About this runbook", "-")
    _pairs(
        out,
        [
            ("Runbook", c.name),
            ("Last reviewed", c.last_reviewed or "not recorded"),
            ("Version", c.version),
            ("Policy", c.policy),
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


def _whos_who(out: list[str], c: Checklist) -> None:
    _heading(out, "Who's who", "-")
    out += [*_fill_ins([f"{label}: {NAME_BLANK[:10]}" for label in c.whos_who]), ""]


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
        out += _wrap(f"{role.title} ({role.id}, {role.type})", "", "")
        _role(out, role)
        out.append("")


def _role(out: list[str], role: Role) -> None:
    _items(out, "Duties", role.duties)
    _items(out, "Must not", role.must_not)
    if role.max_shift:
        out += _wrap(role.max_shift, "  Hand over after: ", "    ")


def _role_card(out: list[str], c: Checklist, role: Role) -> None:
    out += _wrap(f"Role card: {role.title}", "", "")
    out += _wrap(" · ".join(filter(None, (c.title, c.service, c.channel))), "", "  ")
    out.append(f"Name: {NAME_BLANK}")
    _line_heading(out, "Your role")
    _role(out, role)
    for due in c.owed:
        _line_heading(out, f"Your cadence at {c.cadence.severity.name}, first hour")
        out += _wrap(f"{due.what}, every {due.every}:", "", "  ")
        out += _slots(due.slots)
    _line_heading(out, "Your steps")
    if not c.card_steps and not c.continued:
        out.append("No steps for this role.")
    _condensed(out, c)
    _card_escalation(out, c)
    for t in c.templates:
        _line_heading(out, f"Template {t.name} ({t.audience})")
        out += [visible(line) for line in t.body.rstrip("\n").split("\n")]


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
    _outcome(out, step, pad)
    for link in step.links:
        out += _wrap(f"{link.title}: {link.url}", pad + "Link: ", pad + "  ")
    out.append("")


def _condensed(out: list[str], c: Checklist) -> None:
    """A card's steps: number, checkbox, action, owner, when, first command, verify, if it
    fails; then where the rest is. A role card leaves out the owner: it is the reader."""
    for step in c.card_steps:
        head = f"[ ] {step.number}. "
        pad = " " * len(head)
        out += _wrap(step.action, head, pad)
        facts = ", ".join(c.card_facts(step))
        if step.on_failure:
            facts += (" · " if facts else "") + f"if it fails: {step.on_failure}"
        if facts:
            out += _wrap(facts, pad, pad + "  ")
        if step.when:
            out += _wrap(step.when, pad + "When: ", pad + "  ")
        if step.first_command:
            out += _command(step.first_command, pad)
            if step.more_commands:
                out += _wrap(f"({step.more_commands})", pad + "  ", pad + "  ")
        if step.verify:
            out += _wrap(step.verify, pad + "Expect: ", pad + "  ")
    if c.continued:
        out += _wrap(c.continued, ">> ", "   ")


def _outcome(out: list[str], step: Step, pad: str) -> None:
    if step.verify:
        out += _wrap(step.verify, pad + "Expect: ", pad + "  ")
    if step.on_failure:
        out += _wrap(step.on_failure, pad + "If it fails: ", pad + "  ")


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


def _wrap(text: str, first: str, rest: str, width: int = WIDTH) -> list[str]:
    """Runbook text wrapped at ``width`` after ``first`` (then ``rest``): its own line
    breaks stay, words are never cut (a longer word stands alone on its line)."""
    lines: list[str] = []
    paragraphs = [p for p in (" ".join(line.split()) for line in text.splitlines()) if p]
    for paragraph in paragraphs or [""]:
        lines += textwrap.wrap(
            visible(paragraph),
            width,
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
