"""commentCut: a plain value that YAML cuts short at a `` #`` which reads as part of it."""

from __future__ import annotations

import time
from typing import Any

import pytest
from helpers import TODAY

from icrunbook.loader import Document, load_text
from icrunbook.rules.functions import Context, Finding
from icrunbook.rules.functions.comments import COMMENT_FUNCTIONS, comment_cut
from icrunbook.rules.registry import builtin_functions


def lint(text: str, path: tuple[str | int, ...] = (), **raw: Any) -> list[Finding]:
    """The findings on the document ``text``, as for ``given: $`` (or the node at ``path``)."""
    document = load_text(text, "t.yaml")
    assert not document.diagnostics, document.diagnostics
    options = {name: comment_cut.options[name](value) for name, value in raw.items()}
    value = document.data
    for key in path:
        value = value[key]
    return list(comment_cut(value, options, Context(document, path, 0, TODAY)))


def cut(text: str, **raw: Any) -> list[tuple[tuple[str | int, ...], bool]]:
    return [(finding.path, finding.at_key) for finding in lint(text, **raw)]


def test_is_registered_with_a_summary() -> None:
    assert builtin_functions()["commentCut"] is comment_cut
    assert list(COMMENT_FUNCTIONS) == [comment_cut]
    assert comment_cut.summary.startswith("A plain (unquoted) value is cut short")
    assert set(comment_cut.options) == {"continues"}


def test_fires_on_text_that_reads_as_part_of_the_value() -> None:
    text = (
        "action: Scale out before #partitions=24 goes up\nretries: 3 #42\nwhere: Post in #channel\n"
    )
    findings = lint(text)
    assert [f.path for f in findings] == [("action",), ("retries",), ("where",)]
    assert findings[0].message == (
        "the value ends at 'Scale out before': YAML reads '#partitions=24 goes up' as a "
        "comment; put the whole value in quotes"
    )
    assert "ends at '3': YAML reads '#42'" in findings[1].message
    assert "ends at 'Post in': YAML reads '#channel'" in findings[2].message


def test_a_null_value_fires_at_its_key() -> None:
    findings = lint("communications:\n  channel: #inc-checkout\n  other: x\n")
    assert [(f.path, f.at_key) for f in findings] == [(("communications", "channel"), True)]
    assert findings[0].message == (
        "the value is null: YAML reads '#inc-checkout' as a comment; put the whole value in quotes"
    )
    assert cut("a: !!str #x\nb: &anchor #y\n") == [(("a",), True), (("b",), True)]
    assert "the value is empty:" in lint("a: !!str #x\n")[0].message


def test_fires_on_list_items_at_their_index() -> None:
    text = "page:\n  - ic\n  - #42\n  - ops #lead\n"
    assert cut(text) == [(("page", 1), False), (("page", 2), False)]
    steps = "steps:\n  - id: a\n    action: Roll back\n  - id: b\n    action: Drain #3 now\n"
    assert cut(steps) == [(("steps", 1, "action"), False)]


def test_fires_in_flow_style_that_spans_lines() -> None:
    assert cut("page: [ic,\n  ops #lead\n  ]\n") == [(("page", 1), False)]
    assert cut("step: {id: a,\n  action: Drain #3\n  }\n") == [(("step", "action"), False)]
    assert cut("page: [ic, ops] #lead\nstep: {id: a} #b\n") == []  # after the collection
    assert cut('page: ["ic #1", ops #lead\n  , scribe]\n') == [(("page", 1), False)]


def test_fires_at_the_end_of_a_value_over_several_lines() -> None:
    findings = lint("action: Scale out\n  before #partitions=24\nnext: x\n")
    assert [f.path for f in findings] == [("action",)]
    assert "ends at 'Scale out before'" in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "action: 'Post in #inc-checkout'\n",
        'action: "Post in #inc-checkout"\n',
        "action: 'Post in' #inc-checkout\n",  # quoted: the author said where the value ends
        "action: Roll back # a real comment\n",
        "action: Roll back\t# a real comment\n",
        "action: Roll back ## heading\n",
        "action: Roll back #\n",
        "action: Roll back\n  # a comment on its own line\n#top\n",
        "action: Post in#channel\n",  # no blank before: part of the value, YAML agrees
        "url: https://example.com/#section\n",
        "body: |\n  run foo #bar\n  then #baz\nnext: >\n  fold #x\n",
        "body: | #keep\n  text\n",
        "? key #not-a-value\n: value\n",
        "action: Roll back # icrun: disable=action-concise\n",
        "action: Roll back #icrun: disable=action-concise\n",
        "page: [ic, ops]\n",
    ],
)
def test_silent(text: str) -> None:
    assert lint(text) == []


def test_silent_on_a_document_with_no_root() -> None:
    document = Document(path="t.yaml", text="a: b #c\n", data={"a": "b"})
    assert list(comment_cut(document.data, {}, Context(document, (), 0, TODAY))) == []
    broken = load_text("a: [b #c\n", "t.yaml")
    assert broken.root is None
    assert list(comment_cut(None, {}, Context(broken, (), 0, TODAY))) == []


def test_crlf_cr_and_non_ascii_text_land_on_the_right_value() -> None:
    text = "a: Roll back\r\nb: Überprüfen 😀 #nächste\r\nc: d # fine\r\ne: f #g\r\n"
    document = load_text(text, "t.yaml")
    findings = list(comment_cut(document.data, {}, Context(document, (), 0, TODAY)))
    assert [f.path for f in findings] == [("b",), ("e",)]
    assert "ends at 'Überprüfen 😀': YAML reads '#nächste'" in findings[0].message
    assert (document.locate(("b",)).line, document.locate(("e",)).line) == (2, 4)
    assert cut("a: x\rb: y #z\rc: w\r") == [(("b",), False)]
    assert cut("\ufeffa: b #c\n") == [(("a",), False)]  # libyaml's marks skip the BOM


def test_an_aliased_value_is_reported_once_at_its_anchor() -> None:
    text = "a: &shared Roll back #now\nb: *shared\nc: [*shared]\n"
    assert cut(text) == [(("a",), False)]


def test_path_is_relative_to_the_checked_value() -> None:
    text = "steps:\n  - action: Roll back #1\n  - action: Drain #2\n"
    assert [f.path for f in lint(text, path=("steps", 1))] == [("action",)]
    assert [f.path for f in lint(text, path=("steps",))] == [(0, "action"), (1, "action")]
    assert lint(text, path=("steps", 1, "action")) == [Finding(lint(text)[1].message)]


def test_continues_option_tunes_what_reads_as_part_of_the_value() -> None:
    text = "a: x #TODO check\nb: y #42\nc: z # note\n"
    assert cut(text, continues=r"\d") == [(("b",), False)]
    assert cut(text, continues=r"\s") == [(("c",), False)]
    assert cut("a: x #42\nb: y #42 more\n", continues=r"\d+$") == [(("a",), False)]  # one line
    with pytest.raises(ValueError, match="regular expression"):
        comment_cut.options["continues"]("[")


def test_messages_are_one_line_short_and_safe() -> None:
    text = "a: " + "x" * 60 + "\u202e #" + "y" * 60 + "\u2028b: 1\n"
    findings = lint(text)
    message = findings[0].message
    assert message.isprintable()  # the bidi override is written as an escape
    assert "'…" + "x" * 38 + "\\u202e'" in message  # the end of the value is kept
    assert "'#" + "y" * 38 + "…'" in message  # the comment stops at the line break, shortened
    assert "{{" in lint("a: b #{{error}}\n")[0].message  # filled in, never read as a template


def test_many_hashes_on_one_line_cost_linear_time() -> None:
    text = 'a: "' + " #x" * 200_000 + '"\nb: c #d\n'
    started = time.perf_counter()
    assert cut(text) == [(("b",), False)]
    assert time.perf_counter() - started < 2


def test_deep_nesting_does_not_recurse() -> None:
    depth = 900
    text = "a:" + "".join(f"\n{' ' * i}- " for i in range(depth)) + "v #x\n"
    findings = lint(text)
    assert len(findings) == 1
    assert findings[0].path == ("a", *([0] * depth))


def test_clean_files_never_build_the_position_index() -> None:
    document = load_text("a: 'Post in #x'\nb: c # comment\n", "t.yaml")
    assert list(comment_cut(document.data, {}, Context(document, (), 0, TODAY))) == []
    assert document._index is None
