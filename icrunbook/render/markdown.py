"""The checklist as GitHub-flavoured Markdown.

Steps are task-list items written ``- [ ] **1.** …`` (GitHub hides the numbers of ``1. [ ]``
items), roles and severities are tables, and a Mermaid flowchart shows the step flow with the
``on_failure`` edges. Runbook text is data: it is escaped wherever a Markdown (or Mermaid)
character would change its meaning, commands go into code blocks or code spans, and the
communication templates are printed verbatim in fenced ``jinja`` blocks. Nothing is evaluated.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from icrunbook.escapes import visible

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from icrunbook.render.model import Checklist, Escalation, Link, Role, Severity, Step

LABEL_WIDTH = 60  # a Mermaid node shows at most this much of a step's action

# Inline characters that could start emphasis, code, links, HTML, entities or a table cell.
_INLINE = re.compile(r"[\\`*\[\]<>|~]|&(?=#?\w+;)|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
# What, at the start of a line, would make a heading, quote, list, rule or setext underline.
_BLOCK_START = re.compile(r"^(#|>|[-+=]|\d+(?=[.)]))")
_GOTO = re.compile(r"go to step (\d+)\b")


def render(checklist: Checklist) -> str:
    """The checklist, its one-page card, or one role's card as one Markdown document."""
    out: list[str] = []
    if checklist.role_card is not None:
        _role_card(out, checklist, checklist.role_card)
    elif checklist.layout == "card":
        _title_block(out, checklist)
        _whos_who(out, checklist)
        _cadence(out, checklist)
        out += ["## First fifteen minutes: triage and mitigate", ""]
        _condensed(out, checklist)
        _escalation(out, checklist.escalation)
    else:
        _title_block(out, checklist)
        _whos_who(out, checklist)
        _cadence(out, checklist)
        _steps(out, checklist)
        _flowchart(out, checklist.steps)
        _escalation(out, checklist.escalation)
        _handoff(out, checklist)
        _severities(out, checklist.severities, checklist.cadence.severity.name)
        _roles(out, checklist.roles)
        _templates(out, checklist)
        _about(out, checklist)
    return _finish(out)


def render_binder(checklists: Sequence[Checklist]) -> str:
    """Several runbooks as one document: a contents list linking each runbook's heading."""
    out = ["# Runbook binder", ""]
    for number, c in enumerate(checklists, start=1):
        link = f"[{_line(c.title)}](#{_anchor(_heading_text(c))})"
        out.append(f"{number}. {link} · {_line(c.service)} · {_line(c.owner)}")
    return "\n".join(out) + "\n\n" + "\n".join(render(c) for c in checklists)


# --- sections ---------------------------------------------------------------------------------


def _title_block(out: list[str], c: Checklist) -> None:
    out += [f"# {_item(c.title)}", ""]
    out.append(f"- **Service:** {_line(c.service)} (owner {_line(c.owner)})")
    if c.channel:
        out.append(f"- **Channel:** {_line(c.channel)}")
    if c.status_page:
        out.append(f"- **Status page:** {_url(c.status_page)}")
    out.append("- **Incident:** ____________ **Started (UTC):** ________")
    ticks = " ".join(f"`[ ] {visible(s.name)}`" for s in c.severities)
    out += [f"- **Severity:** {ticks}", ""]


def _about(out: list[str], c: Checklist) -> None:
    out += ["## About this runbook", ""]
    facts = [
        ("Runbook", c.name),
        ("Last reviewed", c.last_reviewed or "not recorded"),
        ("Version", c.version),
        ("Policy", c.policy),
    ]
    out += [f"- **{key}:** {_line(value)}" for key, value in facts if value]
    if c.tags:
        out.append(f"- **Tags:** {', '.join(_line(tag) for tag in c.tags)}")
    for link in c.links:
        out.append(f"- **Link:** {_link(link)}")
    out.append("")
    if c.triggers:
        out += ["**Open this runbook when:**", ""]
        out += [f"- {_item(trigger)}" for trigger in c.triggers]
        out.append("")


def _whos_who(out: list[str], c: Checklist) -> None:
    out += ["## Who's who", "", "| Role | Name |", "|---|---|"]
    out += [f"| {_cell(label)} |   |" for label in c.whos_who]
    out.append("")


def _severities(out: list[str], severities: Iterable[Severity], chosen: str) -> None:
    out += ["## Severities", ""]
    out += [
        "| Severity | When | Internal status every | Stakeholder update every | Page "
        "| Long incident |",
        "|---|---|---|---|---|---|",
    ]
    for s in severities:
        name = f"**{_cell(s.name)}** (this checklist)" if s.name == chosen else _cell(s.name)
        page = ", ".join(_cell(p) for p in s.page)
        out.append(
            f"| {name} | {_cell(s.description)} | {_cell(s.internal_update)} "
            f"| {_cell(s.stakeholder_update)} | {page} | {_cell(s.long_incident or '')} |"
        )
    out.append("")


def _roles(out: list[str], roles: Iterable[Role]) -> None:
    out += ["## Roles", ""]
    out += ["| Role | Duties | Must not | Hand over after |", "|---|---|---|---|"]
    for r in roles:
        role = f"**{_cell(r.title)}**<br>{_cell(r.id)} ({_cell(r.type)})"
        out.append(
            f"| {role} | {_cell_list(r.duties)} | {_cell_list(r.must_not)} "
            f"| {_cell(r.max_shift or '')} |"
        )
    out.append("")


def _role_card(out: list[str], c: Checklist, role: Role) -> None:
    out += [f"# Role card: {_line(role.title)}", ""]
    where = " · ".join(_line(text) for text in (c.title, c.service, c.channel) if text)
    out += [f"{where}  ", "**Name:** ____________________", "", "## Your role", ""]
    out += [f"- {_item(duty)}" for duty in role.duties]
    out += [f"- **Must not:** {_line(item)}" for item in role.must_not]
    if role.max_shift:
        out.append(f"- **Hand over after:** {_line(role.max_shift)}")
    out.append("")
    if c.owed:
        out += [f"## Your cadence at {_line(c.cadence.severity.name)}, first hour", ""]
        out += [f"- **{d.what}**, every {_line(d.every)}: {_slots(d.slots)}" for d in c.owed]
        out.append("")
    out += ["## Your steps", ""]
    if not c.card_steps and not c.continued:
        out += ["No steps for this role.", ""]
    _condensed(out, c)
    if c.escalates:
        _escalation(out, c.escalation)
    _templates(out, c)


def _condensed(out: list[str], c: Checklist) -> None:
    """A card's steps: number, checkbox, action, owner, when, first command, verify, if it
    fails. A role card leaves out the owner: it is the reader."""
    for step in c.card_steps:
        facts = c.card_facts(step)
        out.append(f"- [ ] **{step.number}.** {_prose(step.action, '  ')}  ")
        if facts:
            out.append(f"  {', '.join(_line(fact) for fact in facts)}")
        if step.when:
            out.append(f"  - When: {_prose(step.when, '    ')}")
        if step.first_command:
            more = f" ({_line(step.more_commands)})" if step.more_commands else ""
            out.append(f"  - {_code(step.first_command)}{more}")
        if step.verify:
            out.append(f"  - Expect: {_prose(step.verify, '    ')}")
        if step.on_failure:
            out.append(f"  - If it fails: **{_line(step.on_failure)}**")
    out.append("")
    if c.continued:
        out += [f"**{_line(c.continued)}**", ""]


def _cadence(out: list[str], c: Checklist) -> None:
    cadence = c.cadence
    s = cadence.severity
    out += [f"## Cadence: {_line(s.name)}, first hour", ""]
    out.append(
        f"- **Internal status** (the commander collects it from responders), every "
        f"{_line(s.internal_update)}: {_slots(cadence.internal)}"
    )
    out.append(
        f"- **Stakeholder update** (the communications role sends it), every "
        f"{_line(s.stakeholder_update)}: {_slots(cadence.stakeholder)}"
    )
    if s.long_incident:
        out.append(f"- **Long incident:** stakeholder updates {_line(s.long_incident)}")
    out.append("")


def _steps(out: list[str], c: Checklist) -> None:
    if c.stop_the_bleeding:
        out += ["## Stop the bleeding: triage and mitigate", ""]
        for step in c.stop_the_bleeding:
            _step(out, step)
    if c.afterwards:
        after = c.stop_the_bleeding or c.role_card is not None
        heading = "Then: investigate, recover, resolve" if after else "Steps"
        out += [f"## {heading}", ""]
        for step in c.afterwards:
            _step(out, step)


def _step(out: list[str], step: Step) -> None:
    pad = "  "
    out.append(f"- [ ] **{step.number}.** {_prose(step.action, pad)}")
    facts = f"Owner: **{_line(step.owner_title)}**"
    if step.timebox:
        facts += f" · timebox **{_line(step.timebox)}**"
    facts += f" · phase {_line(step.phase)}"
    out.append(f"{pad}- {facts}")
    if step.when:
        out.append(f"{pad}- When: {_prose(step.when, pad + '  ')}")
    if step.details:
        out.append(f"{pad}- {_prose(step.details, pad + '  ')}")
    if step.commands:
        out.append("")
        out += [_fence("sh", "\n".join(step.commands), pad), ""]
    if step.verify:
        out.append(f"{pad}- Expect: {_prose(step.verify, pad + '  ')}")
    if step.on_failure:
        out.append(f"{pad}- If it fails: **{_line(step.on_failure)}**")
    for link in step.links:
        out.append(f"{pad}- Link: {_link(link)}")
    out.append("")


def _flowchart(out: list[str], steps: tuple[Step, ...]) -> None:
    if not steps:
        return
    numbers = {s.number for s in steps}
    lines = ["flowchart TD"]
    lines += [f'  s{s.number}["{_mermaid(f"{s.number}. {_short(s.action)}")}"]' for s in steps]
    lines += [f"  s{a.number} --> s{b.number}" for a, b in itertools.pairwise(steps)]
    escalates = False
    for s in steps:
        if s.on_failure == "escalate":
            escalates = True
            lines.append(f'  s{s.number} -. "if it fails" .-> escalate')
        elif s.on_failure and (match := _GOTO.match(s.on_failure)):
            target = int(match.group(1))
            if target in numbers:
                lines.append(f'  s{s.number} -. "if it fails" .-> s{target}')
    if escalates:
        lines.append('  escalate(["Escalate"])')
    out += ["## Step flow", "", _fence("mermaid", "\n".join(lines)), ""]


def _escalation(out: list[str], rules: tuple[Escalation, ...]) -> None:
    if not rules:
        return
    out += ["## Escalation", "", "| After | Condition | Page |", "|---|---|---|"]
    for e in rules:
        page = ", ".join(_cell(p) for p in e.page)
        out.append(f"| {_cell(e.after)} | {_cell(e.condition or '')} | {page} |")
    out.append("")


def _handoff(out: list[str], c: Checklist) -> None:
    if c.handoff_max_shift or c.handoff_brief:
        out += ["## Handoff", ""]
        if c.handoff_max_shift:
            out += [f"Hand command over after at most **{_line(c.handoff_max_shift)}**.", ""]
        if c.handoff_brief:
            out += ["The handover brief covers:", ""]
            out += [f"- [ ] {_prose(item, '  ')}" for item in c.handoff_brief]
            out.append("")
    if c.postmortem:
        out += ["## Postmortem", "", f"Postmortem {_line(c.postmortem)}.", ""]


def _templates(out: list[str], c: Checklist) -> None:
    if not c.templates:
        return
    out += ["## Communication templates", "", "Printed verbatim; they are filled in later.", ""]
    for t in c.templates:
        out += [f"### {_item(t.name)} ({_line(t.audience)})", ""]
        out += [_fence("jinja", t.body.rstrip("\n")), ""]


def _finish(out: list[str]) -> str:
    """Join the blocks; a fenced block is one element, so its own blank lines stay."""
    kept = [line for i, line in enumerate(out) if line or (i > 0 and out[i - 1])]
    return "\n".join(kept).strip("\n") + "\n"


# --- escaping ---------------------------------------------------------------------------------


def _inline(text: str) -> str:
    """Runbook text that reads as itself inside a Markdown paragraph or table cell."""
    return _INLINE.sub(lambda m: "\\" + m.group(), visible(text))


def _start(line: str) -> str:
    """One escaped line that cannot start a heading, quote, list or rule."""
    found = _BLOCK_START.match(line)
    if found is None:
        return line
    mark = found.group()
    escaped = mark + "\\" if mark[0].isdigit() else "\\" + mark
    return escaped + line[len(mark) :]


def _line(text: str) -> str:
    """Runbook text on a single line (newlines become spaces), inside other text."""
    return _inline(" ".join(text.split()))


def _item(text: str) -> str:
    """Runbook text on a single line that starts a list item or heading."""
    return _start(_line(text))


def _prose(text: str, pad: str) -> str:
    """Possibly multi-line runbook text inside a list item whose content starts at ``pad``:
    its line breaks stay (as hard breaks), and no line starts a block of its own."""
    lines = [_start(_inline(" ".join(line.split()))) for line in text.splitlines()]
    lines = [line for line in lines if line] or [""]
    return ("\\\n" + pad).join(lines)


def _cell(text: str) -> str:
    """Runbook text in a table cell: pipes escaped, line breaks as ``<br>``."""
    return "<br>".join(_inline(" ".join(line.split())) for line in text.strip().splitlines())


def _cell_list(items: Iterable[str]) -> str:
    return "<br>".join(f"• {_cell(item)}" for item in items)


def _slots(slots: Iterable[str]) -> str:
    return " ".join(f"`[ ] {visible(slot)}`" for slot in slots)


def _fence(info: str, body: str, pad: str = "") -> str:
    """A fenced code block (one string), its fence longer than any run of backticks in the
    body, every line indented by ``pad``."""
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    lines = [f"{fence}{info}", *(visible(line) for line in body.split("\n")), fence]
    return "\n".join(pad + line if line else "" for line in lines)


def _url(url: str) -> str:
    """A web link, or the address as code when it is not http(s)."""
    if re.match(r"(?i)https?://", url):
        target = url.replace("<", "%3C").replace(">", "%3E").replace("\\", "%5C")
        return f"<{visible(target)}>"
    return _code(url)


def _link(link: Link) -> str:
    if re.match(r"(?i)https?://", link.url):
        target = link.url.replace("<", "%3C").replace(">", "%3E").replace("\\", "%5C")
        return f"[{_line(link.title)}](<{visible(target)}>)"
    return f"{_line(link.title)}: {_code(link.url)}"


def _code(text: str) -> str:
    """A code span with enough backticks for its content."""
    text = visible(" ".join(text.split()))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _heading_text(c: Checklist) -> str:
    return f"Role card: {c.role_card.title}" if c.role_card else c.title


def _anchor(heading: str) -> str:
    """The id GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def _short(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= LABEL_WIDTH:
        return text
    cut = text.rfind(" ", 0, LABEL_WIDTH)
    return text[: cut if cut > 0 else LABEL_WIDTH].rstrip(" ,;:.") + "…"


def _mermaid(text: str) -> str:
    """Text for a quoted Mermaid label: its special characters as Mermaid entity codes."""
    text = visible(text).replace("#", "#35;")
    for char, code in (("&", "#38;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(char, code)
    return text.replace("`", "#96;")
