"""``icrun render`` as HTML and PDF: what an on-call engineer prints must be complete, in the
right order, self-contained, safe with hostile runbook text, and fit on paper.

The HTML checks need nothing but icrunbook. The PDF checks print through headless Chromium and
read the result back with poppler's ``pdftotext -bbox``; they skip, saying why, where Chromium
or poppler-utils is missing (``.ci/run`` installs both on Debian). Each example runbook is
printed once per paper size per session: Chromium takes about a second a page set.
"""

from __future__ import annotations

import copy
import dataclasses
import html as html_module
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import CLEAN, EXAMPLES, RUNBOOKS, Result, made_once, one_line_error
from markupsafe import escape

from icrunbook.errors import IcrunError
from icrunbook.pipeline.runner import Runner
from icrunbook.render import RenderFormat
from icrunbook.render.html import css_string
from icrunbook.render.model import Checklist
from icrunbook.render.renderer import checklist_of, output_name, render, rendered

EXAMPLE_IDS = [path.stem for path in EXAMPLES]
WEB = RUNBOOKS / "web-api-bad-deploy.yaml"
MM = 72 / 25.4  # points per millimetre
PAPERS = ("a4", "letter")
MARGIN_TOP, MARGIN_SIDE, MARGIN_BOTTOM = 16 * MM, 14 * MM, 18 * MM  # the template's @page
SLACK = 2.0  # points: glyph boxes may poke out of the content box by a hair
PAGE_BOUNDS = (3, 15)  # the examples print on 8 A4 pages today
SECTIONS = (  # page 1 is the card; every step in full and the reference part follow
    "<h1>",
    "<h2>Who's who",
    "<h2>Cadence",
    "<h2>First fifteen minutes",
    "<h2>Stop the bleeding",
    "<h2>Then: ",
    "<h2>Handing over command",
    "<h2>Severities",
    "<h2>Roles",
    "<h2>Message templates",
    "<h2>About this runbook",
)

HEADINGS = (  # as printed; none may end a page without its content
    "Who's who",
    "Cadence, first hour at",
    "First fifteen minutes: triage and mitigate",
    "Stop the bleeding: every step in full",
    "Then: investigate, recover, resolve",
    "Escalation",
    "Handing over command",
    "Severities",
    "Roles",
    "Message templates",
    "Postmortem",
    "About this runbook",
)

Run = Callable[..., Result]


# --- helpers ----------------------------------------------------------------------------------


def html_of(icrun: Run, *args: str) -> str:
    """``icrun render ARGS`` to stdout, which must succeed."""
    result = icrun("render", *args)
    assert result.code == 0, result.err
    assert result.err == ""
    return result.out


def esc(text: str) -> str:
    """Text as the autoescaping template writes it."""
    return str(escape(text))


def squash(text: str) -> str:
    """Text without any whitespace: PDF text extraction breaks lines anywhere."""
    return "".join(text.split())


def section(html: str, heading: str) -> str:
    """The HTML from ``<h2>heading`` to the next ``<h2>``."""
    start = html.index(f"<h2>{heading}")
    end = html.find("<h2>", start + 4)
    return html[start : end if end != -1 else len(html)]


def unwrapped(html: str) -> str:
    """HTML without the spans that keep a hyphenated word or a placeholder whole on a line."""
    return re.sub(r'<span class="(?:word|var)">(.*?)</span>', r"\1", html)


def style_of(html: str) -> str:
    assert html.count("<style>") == 1
    return html[html.index("<style>") + len("<style>") : html.index("</style>")]


def example_data(path: Path = WEB) -> dict[str, Any]:
    """An example as merged over its policy: whole, so that a copy of it stands alone."""
    data: dict[str, Any] = copy.deepcopy(Runner().load(str(path)).data)
    return data


def write_runbook(folder: Path, data: dict[str, Any], name: str = "runbook.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


PHASE_RANK = {"triage": 0, "mitigate": 1, "communicate": 1, "coordinate": 1, "investigate": 2}


def with_steps(data: dict[str, Any], count: int) -> dict[str, Any]:
    """The runbook with its steps repeated (new ids) up to ``count``, mitigation still first."""
    steps = []
    for index in range(count):
        original = data["steps"][index % len(data["steps"])]
        copy = index // len(data["steps"])
        steps.append({**original, "id": original["id"] + (f"-{copy + 1}" if copy else "")})
    steps.sort(key=lambda step: PHASE_RANK.get(step["phase"], 3))
    return {**data, "steps": steps}


class Tags(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def own_urls(checklist: Checklist) -> set[str]:
    urls = {link.url for link in checklist.links}
    urls |= {link.url for step in checklist.steps for link in step.links}
    if checklist.status_page:
        urls.add(checklist.status_page)
    return urls


# --- HTML: every example ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["html", "md", "txt"])
@pytest.mark.parametrize("path", EXAMPLES, ids=EXAMPLE_IDS)
def test_every_example_renders(icrun: Run, path: Path, fmt: str) -> None:
    module = {"html": "html", "md": "markdown", "txt": "text"}[fmt]
    pytest.importorskip(f"icrunbook.render.{module}", reason=f"no {fmt} renderer yet")
    out = html_of(icrun, str(path), "-f", fmt)
    checklist = checklist_of(str(path))
    assert checklist.service in out
    assert checklist.owner in out


@pytest.mark.parametrize("path", EXAMPLES, ids=EXAMPLE_IDS)
def test_html_is_self_contained(icrun: Run, path: Path) -> None:
    html = html_of(icrun, str(path))
    parser = Tags()
    parser.feed(html)
    names = {tag for tag, _ in parser.tags}
    assert not names & {"script", "link", "iframe", "object", "embed", "img", "base", "frame"}
    allowed = own_urls(checklist_of(str(path)))
    for tag, attrs in parser.tags:
        for attribute in ("src", "href", "srcset", "data", "action", "poster"):
            value = attrs.get(attribute)
            if value is None:
                continue
            if tag == "a" and attribute == "href":
                assert value in allowed, value
            else:
                assert "//" not in value, (tag, attribute, value)
        assert attrs.get("http-equiv") is None, (tag, attrs)
    style = style_of(html)
    assert "@import" not in style
    assert "url(" not in style
    assert 'style="' not in html.replace('style="width:', "").replace('style="min-width:', "")


@pytest.mark.parametrize("path", EXAMPLES, ids=EXAMPLE_IDS)
def test_html_sections_in_order(icrun: Run, path: Path) -> None:
    html = html_of(icrun, str(path))
    positions = [html.find(heading) for heading in SECTIONS]
    assert -1 not in positions, dict(zip(SECTIONS, positions, strict=True))
    assert positions == sorted(positions)
    checklist = checklist_of(str(path))
    assert f"<h1>{esc(checklist.title)}</h1>" in html
    assert html.find("<h2>Cadence") < html.find("T+") < html.find("<h2>Stop the bleeding")


@pytest.mark.parametrize("path", EXAMPLES, ids=EXAMPLE_IDS)
def test_html_steps_in_order_with_mitigation_first(icrun: Run, path: Path) -> None:
    html = html_of(icrun, str(path))
    checklist = checklist_of(str(path))
    positions = [html.find(f'<div class="action">{esc(step.action)}<') for step in checklist.steps]
    assert -1 not in positions
    assert positions == sorted(positions)
    mitigations = [
        p for p, s in zip(positions, checklist.steps, strict=True) if s.phase == "mitigate"
    ]
    investigations = [
        p for p, s in zip(positions, checklist.steps, strict=True) if s.phase == "investigate"
    ]
    assert mitigations
    assert investigations
    assert max(mitigations) < min(investigations)
    assert max(mitigations) < html.index("<h2>Then: ") < min(investigations)
    html = unwrapped(html)
    for step in checklist.steps:  # numbered, with owner, timebox, commands, expect, if it fails
        card = html[html.index(f'id="step-{step.number}"') :]
        card = card[: card.index("</li>")]
        assert f'<span class="num">{step.number}.</span>' in card
        assert esc(step.owner_title) in card
        if step.timebox:
            assert f"timebox {step.timebox}" in card
        for command in step.commands:
            assert f'<code class="cmd">{esc(command)}</code>' in card
        if step.verify:
            assert f"Expect:</span> {esc(step.verify)}" in card
        if step.on_failure:
            assert f"If it fails:</span> {esc(step.on_failure)}" in card


def test_on_failure_names_the_step_to_go_to(icrun: Run) -> None:
    html = html_of(icrun, str(WEB))
    assert "If it fails:</span> go to step 6 (helm-rollback-fallback)" in html
    assert "If it fails:</span> escalate" in html


@pytest.mark.parametrize("path", EXAMPLES, ids=EXAMPLE_IDS)
def test_checkboxes_are_drawn_not_glyphs(icrun: Run, path: Path) -> None:
    html = html_of(icrun, str(path))
    checklist = checklist_of(str(path))
    boxes = html.count('class="box"')
    assert boxes >= len(checklist.steps) + len(checklist.handoff_brief) + len(
        checklist.cadence.internal
    )
    for glyph in "☐☑☒□▢◻⬜":
        assert glyph not in html
    box_rule = re.search(r"\.box \{([^}]*)\}", style_of(html))
    assert box_rule is not None
    assert "border:" in box_rule.group(1)
    assert "width:" in box_rule.group(1)


@pytest.mark.parametrize(("paper", "size"), [("a4", "A4"), ("letter", "letter")])
def test_paper_sets_the_page_size(icrun: Run, paper: str, size: str) -> None:
    style = style_of(html_of(icrun, str(WEB), "--paper", paper))
    page = style[style.index("@page") :]
    assert re.search(rf"^\s*size: {size};", page, re.MULTILINE)
    assert "margin: 16mm 14mm 18mm 14mm;" in page
    assert 'content: "Page " counter(page) " of " counter(pages);' in page


def test_body_is_sans_serif_at_least_11pt(icrun: Run) -> None:
    style = style_of(html_of(icrun, str(WEB)))
    rule = re.search(r"^html \{([^}]*)\}", style, re.MULTILINE)
    assert rule is not None
    size = re.search(r"font-size: ([\d.]+)pt", rule.group(1))
    assert size is not None
    assert float(size.group(1)) >= 11
    assert "sans-serif" in rule.group(1)
    for other in re.finditer(r"font-size: ([\d.]+)pt", style):  # small print stays readable
        assert float(other.group(1)) >= 8.5, other.group(0)


def test_role_card_shows_only_that_role(icrun: Run) -> None:
    full = checklist_of(str(WEB))
    html = html_of(icrun, str(WEB), "--role", "ops_lead")
    role = next(r for r in full.roles if r.id == "ops_lead")
    assert f"Role card: {esc(role.title)}" in html
    assert "<h2>Your role" in html
    mine = [s for s in full.steps if s.owner == "ops_lead"]
    others = [s for s in full.steps if s.owner != "ops_lead"]
    assert mine
    assert others
    for step in mine:
        assert esc(step.action) in html
    for step in others:
        assert esc(step.action) not in html
    for text in role.duties + role.must_not:
        assert esc(text) in html
    for other in full.roles:
        if other.id != "ops_lead":
            for text in other.duties + other.must_not:
                assert esc(text) not in html
    assert "<h2>Message templates" not in html
    # the steps keep their numbers from the full runbook, so the card matches the wall copy
    assert all(f'id="card-step-{step.number}"' in html for step in mine)


def test_role_card_of_a_role_without_steps_says_so(icrun: Run) -> None:
    html = html_of(icrun, str(WEB), "--role", "engineering_manager")
    assert "No steps for this role." in html


def test_severity_changes_the_cadence(icrun: Run) -> None:
    default = section(html_of(icrun, str(WEB)), "Cadence")
    assert "first hour at SEV1" in default
    assert ">T+5m<" in default
    sev2 = section(html_of(icrun, str(WEB), "--severity", "SEV2"), "Cadence")
    assert "first hour at SEV2" in sev2
    assert "every <strong>10m</strong>" in sev2
    assert "every <strong>30m</strong>" in sev2
    assert ">T+5m<" not in sev2
    slots = re.findall(r'<span class="box"></span>(T\+[^<]+)<', sev2)
    assert slots == ["T+10m", "T+20m", "T+30m", "T+40m", "T+50m", "T+1h", "T+30m", "T+1h"]


@pytest.mark.parametrize("path", EXAMPLES, ids=EXAMPLE_IDS)
def test_message_templates_are_printed_verbatim(icrun: Run, path: Path) -> None:
    html = html_of(icrun, str(path))
    checklist = checklist_of(str(path))
    for template in checklist.templates:
        printed = re.sub(r'</?span(?: class="var")?>', "", html)
        assert f"<pre>{esc(template.body)}</pre>" in printed
    assert '<span class="var">{{ next_update }}</span>' in html_module.unescape(html)


# --- HTML: runbook text is data ---------------------------------------------------------------


HOSTILE_CSS = '"; } body { display:none } /*'
HOSTILE_TAG = "</style><script>alert(2)</script>"


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A schema-valid runbook whose texts try to run as template, script and CSS."""
    data = example_data()
    data["metadata"] |= {
        "name": "x",
        "title": f"Title {HOSTILE_TAG}",
        "service": HOSTILE_CSS,
        "owner": HOSTILE_TAG,
        "version": f'4"{HOSTILE_CSS}',
    }
    data["steps"][0]["action"] = "Run {{ 7*7 }} <script>alert(1)</script>"
    data["steps"][0]["links"] = [{"title": "Sneaky", "url": "javascript://%0Aalert(3)"}]
    return write_runbook(tmp_path, data)


def test_runbook_text_is_never_evaluated_or_markup(icrun: Run, hostile: Path) -> None:
    html = html_of(icrun, str(hostile))
    assert "Run {{ 7*7 }} &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Run 49" not in html
    assert "<script" not in html.lower()
    assert "&lt;/style&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in html


def test_runbook_text_cannot_break_out_of_css_strings(icrun: Run, hostile: Path) -> None:
    html = html_of(icrun, str(hostile))
    style = style_of(html)  # exactly one <style>, and its first </style> is the real end
    assert "@media screen" in style  # the last rule of the stylesheet is inside it
    assert "</" not in style
    page = style[style.index("@page") : style.index(":root")]
    outside_strings = re.sub(r'"[^"\\]*(?:\\.[^"\\]*)*"', '""', page)
    assert "display" not in outside_strings
    assert "alert" not in outside_strings
    assert f'content: "{css_string(HOSTILE_CSS)} · {css_string(HOSTILE_TAG)}";' in page
    assert f'content: "{css_string("version 4" + chr(34) + HOSTILE_CSS)}";' in page


def test_only_web_urls_become_links(icrun: Run, hostile: Path) -> None:
    html = html_of(icrun, str(hostile))
    assert 'href="javascript' not in html
    assert "Sneaky: javascript://%0Aalert(3)" in html
    assert '<a href="https://grafana.example.com/' in html


# --- output files -----------------------------------------------------------------------------


def test_output_folder_gets_one_file_per_runbook(icrun: Run, tmp_path: Path) -> None:
    out = tmp_path / "printouts"
    result = icrun("render", *map(str, EXAMPLES), "-o", f"{out}/")
    assert result.code == 0, result.err
    expected = sorted(f"{checklist_of(str(p)).name}.html" for p in EXAMPLES)
    assert sorted(p.name for p in out.iterdir()) == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["printouts"]
    assert result.err.count("wrote ") == len(EXAMPLES)


def test_an_existing_folder_gets_one_file_per_runbook(icrun: Run, tmp_path: Path) -> None:
    result = icrun("render", *map(str, EXAMPLES), "-f", "md", "-o", str(tmp_path))
    assert result.code == 0, result.err
    assert len(list(tmp_path.glob("*.md"))) == len(EXAMPLES)


def test_output_ending_in_a_slash_is_a_folder(icrun: Run, tmp_path: Path) -> None:
    result = icrun("render", str(WEB), "-o", f"{tmp_path / 'new'}/")
    assert result.code == 0, result.err
    assert [p.name for p in (tmp_path / "new").iterdir()] == ["web-api-bad-deploy.html"]


def test_output_file_for_one_runbook(icrun: Run, tmp_path: Path) -> None:
    target = tmp_path / "card.html"
    result = icrun("render", str(WEB), "--role", "scribe", "-o", str(target))
    assert result.code == 0, result.err
    assert "Role card: Scribe" in target.read_text(encoding="utf-8")
    assert result.out == ""


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../x", "x.html"),
        ("../../etc/passwd", "etc-passwd.html"),
        (".hidden", "hidden.html"),
        ("", "runbook.html"),
        ("..", "runbook.html"),
        ("/", "runbook.html"),
        ("a/b\\c", "a-b-c.html"),
        ("nul\x00byte", "nul-byte.html"),
        ("web-api", "web-api.html"),
    ],
)
def test_output_names_are_sanitised(name: str, expected: str) -> None:
    checklist = dataclasses.replace(checklist_of(str(WEB)), name=name)
    safe = output_name(checklist, RenderFormat.HTML)
    assert safe == expected
    assert os.sep not in safe
    assert not safe.startswith(".")


def test_output_name_of_a_role_card() -> None:
    checklist = checklist_of(str(WEB), role="comms_lead")
    assert output_name(checklist, RenderFormat.PDF) == "web-api-bad-deploy-comms_lead.pdf"


def test_writing_outside_the_folder_is_refused(tmp_path: Path) -> None:
    from icrunbook.render.renderer import _inside

    assert _inside(str(tmp_path), "ok.html") == os.path.join(os.path.realpath(tmp_path), "ok.html")
    with pytest.raises(IcrunError, match="refusing to write outside"):
        _inside(str(tmp_path), "../escape.html")


# --- user templates ---------------------------------------------------------------------------


def test_user_template_renders(icrun: Run, tmp_path: Path) -> None:
    template = tmp_path / "mine.html.j2"
    template.write_text("<p>{{ c.title }}: {{ c.steps | length }} steps</p>\n", encoding="utf-8")
    out = html_of(icrun, str(WEB), "--template", str(template))
    checklist = checklist_of(str(WEB))
    assert out == f"<p>{esc(checklist.title)}: {len(checklist.steps)} steps</p>"


def test_user_template_is_autoescaped(icrun: Run, tmp_path: Path, hostile: Path) -> None:
    template = tmp_path / "mine.html.j2"
    template.write_text("{{ c.steps[0].action }}", encoding="utf-8")
    out = html_of(icrun, str(hostile), "--template", str(template))
    assert out == "Run {{ 7*7 }} &lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.mark.parametrize(
    "source",
    [
        "{{ c.__class__.__mro__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ c.title.__class__.__subclasses__() }}",
        "{{ ''.__class__.__base__.__subclasses__() }}",
    ],
)
def test_user_template_cannot_reach_internals(icrun: Run, tmp_path: Path, source: str) -> None:
    template = tmp_path / "evil.html.j2"
    template.write_text(f"ok\n{source}\n", encoding="utf-8")
    result = icrun("render", str(WEB), "--template", str(template))
    one_line_error(result, f"{template}:2:", "not allowed", "unsafe")
    assert result.out == ""


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("{{ c.nosuch.deeper }}", ("template failed", "nosuch")),
        ('{{ c.title | truncate("x") }}', ("template failed", "TypeError")),
        ("{% for x in c.steps %}", ("does not compile",)),
    ],
)
def test_broken_user_template_is_one_line(
    icrun: Run, tmp_path: Path, source: str, words: tuple[str, ...]
) -> None:
    template = tmp_path / "broken.html.j2"
    template.write_text(source, encoding="utf-8")
    one_line_error(icrun("render", str(WEB), "--template", str(template)), str(template), *words)


def test_missing_user_template(icrun: Run, tmp_path: Path) -> None:
    missing = tmp_path / "nope.html.j2"
    one_line_error(icrun("render", str(WEB), "--template", str(missing)), "cannot read")


# --- refusals ---------------------------------------------------------------------------------


def test_schema_invalid_runbook_cannot_render(icrun: Run, tmp_path: Path) -> None:
    data = example_data()
    data["steps"][0]["phase"] = "panic"
    path = write_runbook(tmp_path, data)
    one_line_error(icrun("render", str(path)), str(path), "cannot render", "icrun validate")


@pytest.mark.parametrize(
    ("option", "value", "suggestion"),
    [("--role", "ops-lead", "ops_lead"), ("--severity", "sev2", "SEV2")],
)
def test_unknown_role_or_severity(icrun: Run, option: str, value: str, suggestion: str) -> None:
    result = icrun("render", str(WEB), option, value)
    one_line_error(result, f"'{value}'", f"did you mean '{suggestion}'", "choose one of")


def test_pdf_needs_an_output(icrun: Run) -> None:
    one_line_error(icrun("render", str(WEB), "-f", "pdf"), "give -o")


def test_pdf_without_chromium_or_weasyprint(
    icrun: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("icrunbook.render.pdf.find_chromium", lambda: None)
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint fails
    target = tmp_path / "out.pdf"
    result = icrun("render", str(WEB), "-f", "pdf", "-o", str(target))
    one_line_error(result, "Chromium", "apt-get install chromium", "pip install 'icrunbook[pdf]'")
    assert not target.exists()


def test_chromium_that_writes_no_pdf(
    icrun: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ICRUN_CHROMIUM", "/bin/true")
    target = tmp_path / "out.pdf"
    result = icrun("render", str(WEB), "-f", "pdf", "-o", str(target))
    one_line_error(result, "/bin/true", "wrote no PDF")
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_chromium_that_does_not_exist(
    icrun: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ICRUN_CHROMIUM", str(tmp_path / "no-such-chromium"))
    result = icrun("render", str(WEB), "-f", "pdf", "-o", str(tmp_path / "out.pdf"))
    one_line_error(result, "no-such-chromium", "could not print the PDF")


# --- a long runbook ---------------------------------------------------------------------------


def test_sixty_step_runbook_renders(icrun: Run, tmp_path: Path) -> None:
    path = write_runbook(tmp_path, with_steps(example_data(), 60))
    checklist = checklist_of(str(path))
    assert len(checklist.steps) == 60
    html = render(checklist, RenderFormat.HTML).decode("utf-8")
    assert html.count('<li class="step ') == 60
    assert 'id="step-60"' in html
    assert html == html_of(icrun, str(path))


# --- PDF --------------------------------------------------------------------------------------


def _pdf_tools_missing() -> str | None:
    from icrunbook.render.pdf import find_chromium

    if find_chromium() is None:
        return (
            "Chromium not found: install chromium (apt-get install chromium) to run the PDF checks"
        )
    if shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        return (
            "pdftotext/pdfinfo not found: install poppler-utils "
            "(apt-get install poppler-utils) to run the PDF checks"
        )
    return None


needs_pdf = pytest.mark.skipif(
    _pdf_tools_missing() is not None, reason=_pdf_tools_missing() or "PDF tools present"
)


@dataclass(frozen=True)
class Word:
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: tuple[Word, ...]

    def header(self) -> list[Word]:
        """Words wholly in the top margin: the running header."""
        return [w for w in self.words if w.y_max < MARGIN_TOP]

    def footer(self) -> list[Word]:
        """Words wholly in the bottom margin: the running footer."""
        return [w for w in self.words if w.y_min > self.height - MARGIN_BOTTOM]

    def body(self) -> list[Word]:
        margins = set(self.header()) | set(self.footer())
        return [w for w in self.words if w not in margins]


@dataclass(frozen=True)
class Printed:
    checklist: Checklist
    path: Path
    pages: tuple[Page, ...]

    def body_text(self) -> list[str]:
        """Each page's body text (no running header or footer), whitespace removed."""
        return [squash(" ".join(w.text for w in page.body())) for page in self.pages]


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.DOTALL)
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)


def read_pdf(path: Path, checklist: Checklist) -> Printed:
    """The PDF's words with their boxes in points, per page, by ``pdftotext -bbox``."""
    done = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    )
    pages = tuple(
        Page(
            float(width),
            float(height),
            tuple(
                Word(html_module.unescape(text), float(a), float(b), float(c), float(d))
                for a, b, c, d, text in _WORD.findall(body)
            ),
        )
        for width, height, body in _PAGE.findall(done.stdout)
    )
    return Printed(checklist, path, pages)


PDF_CASES = [(path, paper) for path in EXAMPLES for paper in ("a4", "letter")]
PDF_IDS = [f"{path.stem}-{paper}" for path, paper in PDF_CASES]
CARD_IDS = [f"card-{key}" for key in PDF_IDS] + ["card-48-steps-a4", "card-48-steps-letter"]
ROLE_IDS = [  # every role card, on letter: the shorter page
    f"role-{path.stem}-{role}" for path in EXAMPLES for role in example_data(path)["roles"]
]
ROLE_CARD = (WEB, "comms_lead")


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Printed]:
    """Every example on A4 and letter, full and as a card; a 48-step runbook's card; every
    role card: printed once, by one browser."""
    if (reason := _pdf_tools_missing()) is not None:
        pytest.skip(reason)
    source = tmp_path_factory.mktemp("source")
    long_one = write_runbook(source, with_steps(example_data(), 48), "long.yaml")
    cases: list[tuple[str, Path, str, str | None, str]] = []
    for key, (path, paper) in zip(PDF_IDS, PDF_CASES, strict=True):
        cases += [(key, path, paper, None, "full"), (f"card-{key}", path, paper, None, "card")]
    cases += [(f"card-48-steps-{paper}", long_one, paper, None, "card") for paper in PAPERS]
    cases += [
        (f"role-{path.stem}-{role}", path, "letter", role, "full")
        for path in EXAMPLES
        for role in example_data(path)["roles"]
    ]
    cases.append(("role-card", ROLE_CARD[0], "a4", ROLE_CARD[1], "full"))
    checklists = [
        checklist_of(str(path), role=role, paper=paper, layout=layout)
        for _, path, paper, role, layout in cases
    ]

    def print_all(folder: Path) -> None:
        pdfs = rendered(checklists, RenderFormat.PDF, None)
        for (key, *_), data in zip(cases, pdfs, strict=True):
            (folder / f"{key}.pdf").write_bytes(data)

    folder = made_once(tmp_path_factory, "pdf", print_all)

    def read(index: int) -> tuple[str, Printed]:
        key = cases[index][0]
        return key, read_pdf(folder / f"{key}.pdf", checklists[index])

    with ThreadPoolExecutor(max_workers=max(2, min(4, os.cpu_count() or 2))) as pool:
        return dict(pool.map(read, range(len(cases))))


@needs_pdf
@pytest.mark.parametrize("key", PDF_IDS)
def test_pdf_page_size_and_count(printed: dict[str, Printed], key: str) -> None:
    pdf = printed[key]
    info = subprocess.run(
        ["pdfinfo", str(pdf.path)], capture_output=True, text=True, check=True
    ).stdout
    count = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    assert count is not None, info
    pages = int(count.group(1))
    assert pages == len(pdf.pages)
    assert PAGE_BOUNDS[0] <= pages <= PAGE_BOUNDS[1], pages
    width, height = (210 * MM, 297 * MM) if key.endswith("-a4") else (8.5 * 72, 11 * 72)
    for page in pdf.pages:
        assert page.width == pytest.approx(width, abs=1.5)
        assert page.height == pytest.approx(height, abs=1.5)


@needs_pdf
@pytest.mark.parametrize("key", PDF_IDS)
def test_pdf_has_every_step_in_order(printed: dict[str, Printed], key: str) -> None:
    pdf = printed[key]
    stream = "".join(pdf.body_text())
    positions = []
    cursor = 0
    for step in pdf.checklist.steps:
        needle = squash(step.action)[:40]
        found = stream.find(needle, cursor)
        assert found != -1, f"step {step.number} ({step.id}) missing or out of order: {needle}"
        positions.append(found)
        cursor = found + len(needle)
    phases = [step.phase for step in pdf.checklist.steps]
    last_mitigation = max(
        p for p, phase in zip(positions, phases, strict=True) if phase == "mitigate"
    )
    first_investigation = min(
        p for p, phase in zip(positions, phases, strict=True) if phase == "investigate"
    )
    assert last_mitigation < first_investigation


@needs_pdf
@pytest.mark.parametrize("key", PDF_IDS)
def test_pdf_steps_are_not_split_and_headings_stay_with_their_content(
    printed: dict[str, Printed], key: str
) -> None:
    pdf = printed[key]
    pages = pdf.body_text()
    for step in pdf.checklist.steps:  # every step in full, from page 2 (page 1 is the card)
        if step.tall:
            continue  # may break between its lines, as a whole page would be left empty
        needle = squash(step.action)[:40]
        start = next(i for i, text in enumerate(pages) if i > 0 and needle in text)
        rest = pages[start][pages[start].index(needle) :]
        last = squash(step.verify or step.id)[-30:]  # the step's final line
        assert last in rest, f"step {step.number} ({step.id}) is split across pages"
    headings = [squash(h) for h in HEADINGS] + [
        squash(f"{t.name}{t.audience.upper()}") for t in pdf.checklist.templates
    ]
    for heading in headings:
        for number, text in enumerate(pages, start=1):
            at = text.find(heading)
            if at != -1:
                tail = text[at + len(heading) :]
                assert len(tail) > 40, f"'{heading}' is the last thing on page {number}"


@needs_pdf
@pytest.mark.parametrize("key", PDF_IDS)
def test_pdf_running_header_and_footer_on_every_page(printed: dict[str, Printed], key: str) -> None:
    pdf = printed[key]
    checklist = pdf.checklist
    total = len(pdf.pages)
    header = squash(checklist.name + (f"version {checklist.version}" if checklist.version else ""))
    for number, page in enumerate(pdf.pages, start=1):
        top = squash(" ".join(w.text for w in sorted(page.header(), key=lambda w: w.x_min)))
        bottom = " ".join(w.text for w in sorted(page.footer(), key=lambda w: w.x_min))
        assert top == header, f"page {number}: header {top!r}"
        assert f"Page {number} of {total}" in bottom, f"page {number}: footer {bottom!r}"
        assert squash(bottom) == squash(
            f"{checklist.service} · {checklist.owner} Page {number} of {total}"
        )


@needs_pdf
@pytest.mark.parametrize("key", PDF_IDS)
def test_pdf_text_stays_inside_the_margins(printed: dict[str, Printed], key: str) -> None:
    for number, page in enumerate(printed[key].pages, start=1):
        assert page.words, f"page {number} is blank"
        for word in page.words:  # everything, header and footer too, within the side margins
            where = f"page {number}: {word}"
            assert word.x_min >= MARGIN_SIDE - SLACK, where
            assert word.x_max <= page.width - MARGIN_SIDE + SLACK, where
            assert word.y_min >= 0, where
            assert word.y_max <= page.height, where
        for word in page.body():  # body text neither runs into nor straddles a margin
            where = f"page {number}: {word}"
            assert word.y_min >= MARGIN_TOP - SLACK, where
            assert word.y_max <= page.height - MARGIN_BOTTOM + SLACK, where


def gray_crop(
    path: Path, page: int, box: tuple[float, float, float, float], dpi: int
) -> list[bytes]:
    """Rows of 8-bit gray pixels of ``box`` (x0, y0, x1, y1 in points) on one page."""
    scale = dpi / 72
    x0, y0, x1, y1 = (round(v * scale) for v in box)
    crop = ["-x", str(x0), "-y", str(y0), "-W", str(x1 - x0), "-H", str(y1 - y0)]
    done = subprocess.run(
        ["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), *crop, str(path)],
        capture_output=True,
        check=True,
    )
    magic, size, depth, pixels = done.stdout.split(b"\n", 3)
    assert magic == b"P5", magic
    assert depth == b"255", depth
    width, height = map(int, size.split())
    return [pixels[row * width : (row + 1) * width] for row in range(height)]


@needs_pdf
@pytest.mark.parametrize("key", PDF_IDS)
def test_pdf_right_hand_borders_are_not_clipped(printed: dict[str, Printed], key: str) -> None:
    """The severity table's right border is drawn just inside the right margin. (Chromium lays
    Letter out slightly wider than it prints and clips the overhang, which once cut it off.)"""
    pdf = printed[key]
    number, page, level = next(  # the table's header row
        (number, page, word)
        for number, page in enumerate(pdf.pages, start=1)
        for word in page.words
        if word.text == "Level"
    )
    right = page.width - MARGIN_SIDE
    rows = gray_crop(
        pdf.path, number, (right - 3 * MM, level.y_min, right + 1 * MM, level.y_min + 30), dpi=150
    )
    columns = range(len(rows[0]))
    inked = [sum(row[x] < 160 for row in rows) / len(rows) for x in columns]
    assert max(inked) > 0.9, f"no right-hand table border near x={right:.1f}pt: {inked}"


@needs_pdf
def test_pdf_role_card_is_shorter(printed: dict[str, Printed]) -> None:
    card = printed["role-card"]
    full = printed["web-api-bad-deploy-a4"]
    assert len(card.pages) < len(full.pages)
    text = "".join(card.body_text())
    assert squash("Role card: Communications Lead") in text
    for step in full.checklist.steps:
        assert (squash(step.action)[:40] in text) == (step.owner == "comms_lead"), step.id


def lowest_body_line(page: Page) -> float:
    """How far down the page its body text reaches, as a share of the page height."""
    return max(w.y_max for w in page.body()) / page.height


@needs_pdf
@pytest.mark.parametrize("key", CARD_IDS + ROLE_IDS)
def test_pdf_card_and_role_card_are_one_page(printed: dict[str, Printed], key: str) -> None:
    pdf = printed[key]
    assert len(pdf.pages) == 1, f"{key}: {len(pdf.pages)} pages"
    text = pdf.body_text()[0]
    checklist = pdf.checklist
    for step in checklist.card_steps:
        assert squash(step.action)[:40] in text, f"step {step.number} missing from the card"
    if checklist.continued:
        assert squash(checklist.continued) in text


@needs_pdf
def test_pdf_card_of_a_long_runbook_says_where_it_continues(printed: dict[str, Printed]) -> None:
    for paper in PAPERS:
        card = printed[f"card-48-steps-{paper}"]
        shown = card.checklist.card_steps
        assert 0 < len(shown) < len(card.checklist.stop_the_bleeding)
        nxt = card.checklist.stop_the_bleeding[len(shown)].number
        assert squash(f"Continued in the full checklist at step {nxt}.") in card.body_text()[0]


@needs_pdf
@pytest.mark.parametrize("key", [key for key in CARD_IDS if "48" not in key])
def test_pdf_card_holds_the_first_mitigation(printed: dict[str, Printed], key: str) -> None:
    card = printed[key]
    first = next(s for s in card.checklist.steps if s.phase == "mitigate")
    assert first in card.checklist.card_steps
    assert squash(first.action)[:40] in card.body_text()[0]


@needs_pdf
@pytest.mark.parametrize("key", PDF_IDS)
def test_pdf_first_mitigation_step_is_on_page_1(printed: dict[str, Printed], key: str) -> None:
    pdf = printed[key]
    first = next(s for s in pdf.checklist.steps if s.phase == "mitigate")
    assert squash(first.action)[:40] in pdf.body_text()[0]
    assert "Severities" not in pdf.body_text()[0]  # reference material comes later


@needs_pdf
@pytest.mark.parametrize("key", PDF_IDS)
def test_pdf_no_page_but_the_last_is_more_than_40_percent_empty(
    printed: dict[str, Printed], key: str
) -> None:
    pages = printed[key].pages
    for number, page in enumerate(pages[:-1], start=1):
        assert lowest_body_line(page) > 0.6, f"page {number} of {len(pages)} ends early"


@pytest.fixture(scope="module")
def binders(
    printed: dict[str, Printed], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """The examples as one binder (A4); the stack of cards is made through the command."""
    from icrunbook.render.renderer import binder

    def print_binder(folder: Path) -> None:
        checklists = [checklist_of(str(p)) for p in EXAMPLES]
        (folder / "binder.pdf").write_bytes(binder(checklists, RenderFormat.PDF))

    return {"binder": made_once(tmp_path_factory, "binder", print_binder) / "binder.pdf"}


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    found = re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)
    assert found is not None, info.stdout
    return int(found.group(1))


def outline(path: Path) -> list[tuple[str, int, int]]:
    """Every bookmark: title, depth (0 for top level) and the page it opens (1-based)."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    found: list[tuple[str, int, int]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((item.title, depth, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return found


@needs_pdf
def test_pdf_binder_has_contents_bookmarks_and_every_part(
    printed: dict[str, Printed], binders: dict[str, Path]
) -> None:
    path = binders["binder"]
    parts = [printed[f"{p.stem}-a4"] for p in EXAMPLES]
    assert page_count(path) == 1 + sum(len(part.pages) for part in parts)  # contents + parts
    marks = outline(path)
    tops = [(title, page) for title, depth, page in marks if depth == 0]
    assert len(tops) == len(parts)
    starts = [2]
    for part in parts[:-1]:
        starts.append(starts[-1] + len(part.pages))
    assert [page for _, page in tops] == starts  # each runbook from a new page
    assert [squash(t) for t, _ in tops] == [squash(part.checklist.title) for part in parts]
    sections = [title for title, depth, _ in marks if depth == 1]
    assert sections.count("Stop the bleeding: every step in full") == len(parts)
    book = read_pdf(path, parts[0].checklist)
    contents = squash(" ".join(w.text for w in book.pages[0].words))
    for part, start in zip(parts, starts, strict=True):  # title, service, owner, page
        c = part.checklist
        assert squash(f"{c.title}{c.service}{c.owner}{start}") in contents, c.name
    total = len(book.pages)
    for part, start in zip(parts, starts, strict=True):  # the running header names it
        c = part.checklist
        for number in range(start, start + len(part.pages)):
            page = book.pages[number - 1]
            top = squash(" ".join(w.text for w in sorted(page.header(), key=lambda w: w.x_min)))
            assert top == squash(c.name + (f"version {c.version}" if c.version else ""))
            bottom = squash(" ".join(w.text for w in page.footer()))
            assert bottom.endswith(squash(f"Page {number} of {total}")), (number, bottom)
        for number in range(start, start + len(part.pages) - 1):
            assert lowest_body_line(book.pages[number - 1]) > 0.6, f"binder page {number}"


@needs_pdf
def test_pdf_through_the_installed_command(
    icrun_process: Callable[..., Result], tmp_path: Path
) -> None:
    target = tmp_path / "out" / "web.pdf"
    target.parent.mkdir()
    args = ["-f", "pdf", "--paper", "letter", "--severity", "SEV2", "-o", str(target)]
    result = icrun_process("render", str(WEB), *args)
    assert result.code == 0, result.err
    assert result.err.strip() == f"wrote {target}"
    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(data) > 10_000
    assert sorted(p.name for p in target.parent.iterdir()) == ["web.pdf"]  # no temporary left
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(target), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Page 1 of" in text


def test_runbooks_sharing_a_name_are_refused_not_overwritten(icrun, tmp_path) -> None:
    source = CLEAN
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(source, encoding="utf-8")
    result = icrun(
        "render", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml"), "-o", str(tmp_path / "out")
    )
    assert result.code == 2
    assert "metadata.name 'web-api-bad-deploy' is also the name of" in result.err
    assert not (tmp_path / "out").exists()


def test_rendered_files_are_readable_by_others(icrun, tmp_path) -> None:
    target = tmp_path / "checklist.html"
    assert icrun("render", str(RUNBOOKS / "web-api-bad-deploy.yaml"), "-o", str(target)).code == 0
    assert target.stat().st_mode & 0o044 == 0o044  # umask 022: -rw-r--r--


def test_only_the_communications_role_card_carries_the_message_templates() -> None:
    path = str(RUNBOOKS / "web-api-bad-deploy.yaml")
    comms = render(checklist_of(path, role="comms_lead"), RenderFormat.HTML).decode()
    scribe = render(checklist_of(path, role="scribe"), RenderFormat.HTML).decode()
    assert "Message templates" in comms
    assert "{{ next_update }}" in comms
    assert "Message templates" not in scribe


@needs_pdf
def test_every_pdf_of_one_render_comes_from_one_browser(
    icrun: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from icrunbook.render import pdf

    started: list[str] = []
    real = pdf.ChromiumSession.__init__

    def counting(self: pdf.ChromiumSession, chromium: str) -> None:
        started.append(chromium)
        real(self, chromium)

    monkeypatch.setattr(pdf.ChromiumSession, "__init__", counting)
    result = icrun("render", str(RUNBOOKS), "-f", "pdf", "-o", f"{tmp_path}/")
    assert result.code == 0, result.err
    printed = sorted(tmp_path.glob("*.pdf"))
    assert len(printed) == len(EXAMPLES) > 1
    assert len(started) == 1
    for path in printed:
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
        assert re.search(r"Pages:\s+[1-9]", info.stdout), path


@needs_pdf
def test_a_browser_that_quits_midway_is_one_clear_error(tmp_path: Path) -> None:
    from icrunbook.render.pdf import ChromiumSession, find_chromium

    chromium = find_chromium()
    assert chromium is not None
    with ChromiumSession(chromium) as session:
        [one, two] = session.print_all(["<p>one</p>", "<p>two</p>"])
        assert one.startswith(b"%PDF-")
        assert two.startswith(b"%PDF-")
        session._process.kill()
        session._process.wait()
        with pytest.raises(IcrunError, match=r"wrote no PDF \(it stopped\)"):
            session.print_all(["<p>three</p>"])


# --- the card, the binder ---------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=EXAMPLE_IDS)
def test_card_layout_is_the_first_fifteen_minutes(icrun: Run, path: Path) -> None:
    html = unwrapped(html_of(icrun, str(path), "--layout", "card"))
    card = checklist_of(str(path), layout="card")
    assert card.card_steps == card.stop_the_bleeding[: len(card.card_steps)]
    for label in card.whos_who:
        assert f'<span class="label">{esc(label)}</span><span class="fill">' in html
    for step in card.card_steps:
        assert f'id="card-step-{step.number}"' in html
        assert esc(step.action) in html
        if step.first_command:
            assert f'<code class="cmd">{esc(step.first_command)}</code>' in html
    assert card.continued is not None
    assert f'<p class="continued">{esc(card.continued)}</p>' in html
    for rule in card.escalation:
        assert f"<strong>After {esc(rule.after)}</strong>" in html
    for s in card.severities:
        assert f'<span class="tick"><span class="box"></span>{esc(s.name)}</span>' in html
    assert "<h2>Stop the bleeding" not in html
    assert "<h2>Severities" not in html
    assert 'class="runbook runbook-1 one-page"' in html


def test_full_checklist_opens_with_the_card(icrun: Run) -> None:
    full = html_of(icrun, str(WEB))
    card = html_of(icrun, str(WEB), "--layout", "card")
    body = card[card.index("<header") : card.rindex("</section>")]
    page_one = full[full.index('<div class="one-page first-page">') : full.index("<h2>Stop the")]
    assert squash(body) in squash(page_one)


def test_role_card_lists_the_cadence_that_role_keeps(icrun: Run) -> None:
    comms = html_of(icrun, str(WEB), "--role", "comms_lead")
    assert "Send the stakeholder update, every <strong>15m</strong>" in comms
    assert "Run the status round" not in comms
    commander = html_of(icrun, str(WEB), "--role", "incident_commander")
    assert "Run the status round, every <strong>5m</strong>" in commander
    observer = html_of(icrun, str(WEB), "--role", "engineering_manager")
    assert "Your cadence" not in observer
    for html in (comms, commander, observer):
        assert "Last reviewed" not in html  # no metadata block on a role card
        assert "<h2>Severities" not in html


def test_html_binder_has_contents_and_every_runbook(icrun: Run, tmp_path: Path) -> None:
    target = tmp_path / "binder.html"
    result = icrun("render", str(RUNBOOKS), "-o", str(target))
    assert result.code == 0, result.err
    assert result.err.strip() == f"wrote {target}"
    html = target.read_text(encoding="utf-8")
    checklists = [checklist_of(str(p)) for p in EXAMPLES]
    assert html.count("<article ") == len(checklists)
    for number, c in enumerate(checklists, start=1):
        assert f'<a href="#runbook-{number}">{esc(c.title)}</a>' in html
        assert f'id="runbook-{number}"' in html
        assert f'@page runbook-{number} {{\n  @top-left {{ content: "{css_string(c.name)}";' in html
    assert html.index('class="contents"') < html.index("<article ")


def test_text_binders(icrun: Run, tmp_path: Path) -> None:
    checklists = [checklist_of(str(p)) for p in EXAMPLES]
    for fmt in ("md", "txt"):
        target = tmp_path / f"binder.{fmt}"
        assert icrun("render", str(RUNBOOKS), "-f", fmt, "-o", str(target)).code == 0
        text = target.read_text(encoding="utf-8")
        for c in checklists:
            assert c.title in text.replace("\\", "")
        if fmt == "txt":
            assert text.count("\f") == len(checklists)  # each runbook from a new page
        else:
            assert "](#web-api-bad-deploy-roll-back-first)" in text


def test_a_user_template_makes_no_binder(icrun: Run, tmp_path: Path) -> None:
    template = tmp_path / "mine.html.j2"
    template.write_text("{{ c.title }}", encoding="utf-8")
    result = icrun("render", str(RUNBOOKS), "--template", str(template), "-o", str(tmp_path / "b"))
    one_line_error(result, "--template", "-o DIR/")


def test_several_html_runbooks_to_stdout_name_both_ways(icrun: Run) -> None:
    one_line_error(icrun("render", str(RUNBOOKS)), "-o DIR/", "-o FILE.html")


@needs_pdf
def test_pdf_binder_through_the_installed_command(
    icrun_process: Callable[..., Result], tmp_path: Path
) -> None:
    target = tmp_path / "binder.pdf"
    result = icrun_process(
        "render", str(RUNBOOKS), "-f", "pdf", "--layout", "card", "-o", str(target)
    )
    assert result.code == 0, result.err
    assert target.is_file()  # one file, not a folder named binder.pdf
    assert page_count(target) == 1 + len(EXAMPLES)  # the contents, then one card a page
    tops = [page for _, depth, page in outline(target) if depth == 0]
    assert tops == list(range(2, 2 + len(EXAMPLES)))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["binder.pdf"]
