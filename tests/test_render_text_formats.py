"""The Markdown and plain-text checklists: structure, width, order and runbook text as data."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES

from icrunbook.pipeline.runner import Runner
from icrunbook.render import markdown as md_format
from icrunbook.render import text as text_format
from icrunbook.render.fit import PAGE_LINES
from icrunbook.render.model import Checklist, Step, build
from icrunbook.render.renderer import checklist_of
from icrunbook.validation import is_valid

ROOT = Path(__file__).resolve().parent.parent

WIDTH = 78
HOSTILE = "Run {{ 7*7 }} <script>alert(1)</script> | x"
LONG_URL = "https://grafana.example.com/d/" + "very-long-dashboard-path-segment-" * 3 + "end"
TASK = re.compile(r"^- \[ \] \*\*(\d+)\.\*\* ", re.MULTILINE)


def _example(name: str = "web-api-bad-deploy") -> dict[str, Any]:
    data: dict[str, Any] = Runner().load(str(ROOT / "runbooks" / f"{name}.yaml")).data
    return data


def _checklist(data: dict[str, Any], **choice: str) -> Checklist:
    assert is_valid(data, "runbook")
    return build(data, **choice)


def _variants() -> list[tuple[str, str | None, str | None]]:
    """Every example, whole and as a card of each role, at the default and last severity."""
    cases: list[tuple[str, str | None, str | None]] = []
    for path in EXAMPLES:
        data = Runner().load(str(path)).data
        cases += [(path.name, None, None), (path.name, list(data["severities"])[-1], None)]
        cases += [(path.name, None, role) for role in data["roles"]]
    return cases


VARIANTS = _variants()
IDS = [f"{name}-{severity or 'default'}-{role or 'all'}" for name, severity, role in VARIANTS]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _unescape(markdown: str) -> str:
    """Markdown with its backslash escapes undone (what a reader sees of plain text)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def _command_lines(checklist: Checklist) -> set[str]:
    return {
        line.strip() for step in checklist.steps for c in step.commands for line in c.split("\n")
    }


def _template_lines(checklist: Checklist) -> set[str]:
    return {line for t in checklist.templates for line in t.body.split("\n")}


def _assert_width(text: str, checklist: Checklist) -> None:
    commands = _command_lines(checklist)
    templates = _template_lines(checklist)
    for line in text.split("\n"):
        if len(line) <= WIDTH:
            continue
        bare = line.strip().removeprefix("$ ").strip()
        if bare in commands or line in templates:
            continue
        # a single word longer than the width, alone after its indent or short label
        word = line.split()[-1]
        assert len(line) - len(word) <= 30, f"too wide and not a command: {line!r}"
        assert len(word) > WIDTH - 30, f"too wide and not a command: {line!r}"


def _assert_in_order(haystack: str, needles: list[str]) -> list[int]:
    at, positions = 0, []
    for needle in needles:
        found = haystack.find(needle, at)
        assert found >= 0, f"missing or out of order: {needle!r}"
        positions.append(found)
        at = found + len(needle)
    return positions


def _assert_mitigation_first(haystack: str, checklist: Checklist, flat: bool) -> None:
    def key(step: Step) -> str:
        return _flat(step.action) if flat else step.action

    investigate = [s for s in checklist.steps if s.phase == "investigate"]
    mitigate = [s for s in checklist.steps if s.phase == "mitigate"]
    if investigate and mitigate:
        then = haystack.index("Then: investigate, recover, resolve".upper() if flat else "## Then")
        assert haystack.index(key(mitigate[-1])) < then < haystack.index(key(investigate[0]))


# --- plain text -------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "severity", "role"), VARIANTS, ids=IDS)
def test_text_examples(name: str, severity: str | None, role: str | None) -> None:
    checklist = checklist_of(str(ROOT / "runbooks" / name), severity, role)
    text = text_format.render(checklist)
    _assert_width(text, checklist)
    assert "\t" not in text
    flat = _flat(text)
    if role is not None:  # a role card: one page, its steps condensed, only its cadence
        assert text.count("\n") <= PAGE_LINES
        shown = checklist.card_steps
        _assert_in_order(flat, [_flat(f"[ ] {s.number}. {s.action}") for s in shown])
        for step in shown:
            if step.first_command:
                assert f"$ {step.first_command}\n" in text
        for due in checklist.owed:
            assert all(f"[ ] {slot}" in text for slot in due.slots)
        assert text.count("Name: ____________________") == 1
        assert "SEVERITIES" not in text
        assert all(s.owner == role for s in checklist.steps)
        return
    _assert_in_order(flat, [_flat(f"[ ] {s.number}. {s.action}") for s in checklist.steps])
    _assert_mitigation_first(flat, checklist, flat=True)
    for step in checklist.steps:  # commands whole, on their own line, never wrapped
        for command in step.commands:
            for i, line in enumerate(command.split("\n")):
                assert re.search(rf"^ +{'[$]' if i == 0 else ' '} {re.escape(line)}$", text, re.M)
    assert f"CADENCE: {checklist.cadence.severity.name}" in text
    for slot in checklist.cadence.internal + checklist.cadence.stakeholder:
        assert f"[ ] {slot}" in text
    for label in checklist.whos_who:
        assert f"{label}: __________" in text
    for template in checklist.templates:
        assert template.body.rstrip("\n") in text
    for must_not in (m for r in checklist.roles for m in r.must_not):
        assert _flat(must_not) in flat


def test_text_wraps_long_words_whole_and_keeps_long_commands() -> None:
    data = _example()
    step = data["steps"][4]
    step["verify"] = f"The dashboard at {LONG_URL} shows 5xx below 1% for 5 minutes."
    step["command"] = ["kubectl -n web-api get pods " + "--selector=app=web-api " * 6]
    step["details"] = "First line of details.\nSecond line - kept as its own line."
    checklist = _checklist(data)
    text = text_format.render(checklist)
    _assert_width(text, checklist)
    assert any(line.strip() == LONG_URL for line in text.split("\n"))
    assert "$ " + step["command"][0] in text
    assert "First line of details.\n" in text


# --- Markdown ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "severity", "role"), VARIANTS, ids=IDS)
def test_markdown_examples(name: str, severity: str | None, role: str | None) -> None:
    checklist = checklist_of(str(ROOT / "runbooks" / name), severity, role)
    markdown = md_format.render(checklist)
    shown = checklist.card_steps if role is not None else checklist.steps
    assert [int(n) for n in TASK.findall(markdown)] == [s.number for s in shown]
    seen = _unescape(markdown)
    _assert_in_order(seen, [f"**{s.number}.** {_flat(s.action)}" for s in shown])
    if role is not None:  # a role card: condensed steps, each with its first command
        for step in shown:
            if step.first_command:
                assert f"`{step.first_command}`" in seen
        assert "## Severities" not in markdown
        assert "```mermaid" not in markdown
        return
    _assert_mitigation_first(seen, checklist, flat=False)
    for step in checklist.steps:
        for command in step.commands:
            assert f"  {command}\n" in markdown  # inside the step's ```sh block, verbatim
    assert "| Severity | When |" in markdown
    assert "| Role | Name |" in markdown  # who's who, with room for the names
    assert "| Role | Duties |" in markdown
    assert len(re.findall(r"^\| \*\*", markdown, re.M)) >= len(checklist.roles)
    for template in checklist.templates:
        assert f"```jinja\n{template.body.rstrip()}\n```" in markdown
    mermaid = re.search(r"^```mermaid\n(.*?)^```$", markdown, re.M | re.S)
    assert mermaid is not None
    chart = mermaid.group(1)
    assert chart.startswith("flowchart TD\n")
    for step in checklist.steps:
        assert re.search(rf'^  s{step.number}\["{step.number}\. ', chart, re.M)
    for a, b in zip(checklist.steps, checklist.steps[1:], strict=False):
        assert f"  s{a.number} --> s{b.number}\n" in chart
    for step in checklist.steps:
        if step.on_failure == "escalate":
            assert f'  s{step.number} -. "if it fails" .-> escalate\n' in chart
        elif step.on_failure:
            target = re.match(r"go to step (\d+)", step.on_failure)
            assert target is not None
            assert f'  s{step.number} -. "if it fails" .-> s{target.group(1)}\n' in chart
    if any(s.on_failure == "escalate" for s in checklist.steps):
        assert '  escalate(["Escalate"])' in chart


def test_markdown_parses_as_intended() -> None:
    """With a CommonMark + GFM-table parser: the tables have their rows, every step is a
    top-level list item, and commands are code blocks."""
    markdown_it = pytest.importorskip("markdown_it")
    checklist = checklist_of(str(ROOT / "runbooks" / "web-api-bad-deploy.yaml"))
    tokens = markdown_it.MarkdownIt("commonmark").enable("table").parse(md_format.render(checklist))
    rows = [t for t in tokens if t.type == "tr_open"]
    tables = (checklist.whos_who, checklist.severities, checklist.roles, checklist.escalation)
    assert len(rows) == len(tables) + sum(len(table) for table in tables)
    fences = [t for t in tokens if t.type == "fence"]
    assert [t.info for t in fences].count("sh") == sum(1 for s in checklist.steps if s.commands)
    assert [t.info for t in fences].count("mermaid") == 1
    assert [t.info for t in fences].count("jinja") == len(checklist.templates)
    steps = [
        t.content
        for i, t in enumerate(tokens)
        if t.type == "inline" and t.level == 3 and tokens[i - 2].level == 1
    ]
    assert len([s for s in steps if re.match(r"\[ \] \*\*\d+\.\*\*", s)]) == len(checklist.steps)


# --- runbook text is data ---------------------------------------------------------------------


def _hostile() -> dict[str, Any]:
    data = _example()
    data["steps"][0]["action"] = HOSTILE
    data["steps"][4]["action"] = HOSTILE.replace("Run", "Roll back:")
    data["steps"][4]["verify"] = "# not a heading\n- not a list | nor a cell"
    data["roles"]["incident_commander"]["duties"][0] = HOSTILE
    data["roles"]["incident_commander"]["must_not"][0] = "Line one\nline | two"
    data["severities"]["SEV1"]["description"] = HOSTILE
    data["steps"][1]["command"] = ["echo `date` ``` done", "printf '| %s |' {{ 7*7 }}"]
    data["communications"]["templates"]["initial"]["body"] = "```\n{{ 7*7 }} | x\n```\n"
    data["metadata"]["title"] = '# "Quoted" title {{ 7*7 }}'
    return data


def test_hostile_text_prints_literally() -> None:
    checklist = _checklist(_hostile())
    text = text_format.render(checklist)
    assert "{{ 7*7 }}" in text
    assert "49" not in text
    assert HOSTILE in _flat(text)
    assert "$ printf '| %s |' {{ 7*7 }}" in text
    _assert_width(text, checklist)


def test_hostile_markdown_prints_literally_and_keeps_structure() -> None:
    checklist = _checklist(_hostile())
    markdown = md_format.render(checklist)
    assert "49" not in markdown
    assert "<script>" not in markdown.replace("#lt;script#gt;", "")  # never raw HTML
    seen = _unescape(markdown)
    assert f"**1.** {HOSTILE}" in seen
    assert "{{ 7*7 }}" in seen
    # table rows stay whole: pipes escaped, line breaks as <br>, every row its own line
    cells = {"| Severity |": 6, "| Role | Duties |": 4}
    for header, count in cells.items():
        table = markdown.split(header, 1)[1].split("\n\n", 1)[0]
        for row in table.split("\n")[2:]:
            assert len(re.split(r"(?<!\\)\|", row)) == count + 2, row
    assert (
        sum(
            "7\\*7 }} \\<script\\>alert(1)\\</script\\> \\| x" in row
            for row in markdown.split("\n")
            if row.startswith("| ")
        )
        == 2
    )
    assert "Line one<br>line \\| two" in markdown
    # prose that looks like Markdown stays text
    assert "\\# not a heading" in markdown
    assert "\\- not a list \\| nor a cell" in markdown
    assert TASK.findall(markdown) == [str(s.number) for s in checklist.steps]
    # code: fences outgrow the backticks inside; templates verbatim
    assert "````sh\n  echo `date` ``` done\n  printf '| %s |' {{ 7*7 }}\n  ````" in markdown
    assert "````jinja\n```\n{{ 7*7 }} | x\n```\n````" in markdown
    # Mermaid labels: quotes and specials as entity codes
    assert 's1["1. Run {{ 7*7 }} #lt;script#gt;alert(1)#lt;/script#gt; | x"]' in markdown
    assert "# \\# #quot;" not in markdown
    assert markdown.startswith('# \\# "Quoted" title {{ 7\\*7 }}\n')


def test_hostile_markdown_renders_literally() -> None:
    markdown_it = pytest.importorskip("markdown_it")
    html = (
        markdown_it.MarkdownIt("commonmark")
        .enable("table")
        .render(md_format.render(_checklist(_hostile())))
    )
    assert "<script>" not in html
    assert "{{ 7*7 }} &lt;script&gt;alert(1)&lt;/script&gt; | x" in html
    assert html.count("<h1>") == 1
    assert "<td>• Line one<br>line | two<br>• Let a discussion" in html


def test_mermaid_label_quotes() -> None:
    data = _example()
    data["steps"][0]["action"] = 'Say "hello" & #wave'
    chart = md_format.render(_checklist(data))
    assert 's1["1. Say #quot;hello#quot; #38; #35;wave"]' in chart


def test_control_characters_are_shown_not_sent() -> None:
    data = _example()
    data["steps"][0]["action"] = "Clear \x1b[2J the screen"
    checklist = _checklist(data)
    for rendered in (text_format.render(checklist), md_format.render(checklist)):
        assert "\x1b" not in rendered
        assert "\\x1b" in rendered


def test_commands_show_line_separators_and_bidi_controls() -> None:
    """A copied command is what it looks like: no U+2028 line break a viewer would show, no
    bidi override reordering it (Trojan Source); its own lines stay lines."""
    data = _example()
    data["steps"][0]["command"] = ["rm -rf /tmp/\u202ecod.txt\u2028--force", "echo\tdone"]
    checklist = _checklist(data)
    for rendered in (text_format.render(checklist), md_format.render(checklist)):
        assert "\u202e" not in rendered
        assert "\u2028" not in rendered
        assert "rm -rf /tmp/\\u202ecod.txt\\u2028--force" in rendered
        assert "echo\tdone" in rendered


# --- size -------------------------------------------------------------------------------------


def test_sixty_steps() -> None:
    data = _example()
    base = data["steps"]
    steps = []
    for i in range(60):
        step = copy.deepcopy(base[i % len(base)])
        step["id"] = f"{step['id']}-{i}"
        step.pop("on_failure", None)
        steps.append(step)
    steps[5]["on_failure"] = steps[58]["id"]
    steps[6]["on_failure"] = "escalate"
    data["steps"] = steps
    checklist = _checklist(data)
    assert len(checklist.steps) == 60
    text = text_format.render(checklist)
    _assert_width(text, checklist)
    assert "[ ] 60. " in text
    markdown = md_format.render(checklist)
    assert [int(n) for n in TASK.findall(markdown)] == list(range(1, 61))
    assert '  s6 -. "if it fails" .-> s59\n' in markdown
    assert '  s7 -. "if it fails" .-> escalate\n' in markdown
    assert "  s59 --> s60\n" in markdown


# --- the one-page card ------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_text_and_markdown_cards_are_the_same_content(path: Path) -> None:
    card = checklist_of(str(path), layout="card")
    text = text_format.render(card)
    assert text.count("\n") <= PAGE_LINES
    _assert_width(text, card)
    markdown = md_format.render(card)
    numbers = [s.number for s in card.card_steps]
    assert [int(n) for n in TASK.findall(markdown)] == numbers
    assert re.findall(r"^\[ \] (\d+)\. ", text, re.M) == [str(n) for n in numbers]
    first = next(s for s in card.steps if s.phase == "mitigate")
    assert first.number in numbers
    assert card.continued is not None
    for rendered in (text, _unescape(markdown)):
        assert card.continued in _flat(rendered)
        for label in card.whos_who:
            assert label in rendered
        for slot in card.cadence.internal:
            assert f"[ ] {slot}" in rendered
        for rule in card.escalation:
            assert rule.after in rendered
        assert "SEVERITIES" not in rendered
        assert "## Severities" not in rendered
