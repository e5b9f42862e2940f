"""Loading: what YAML loaders paper over or blow up on, reported at the right line and column
with a message that says how to fix it: syntax errors, encodings, duplicate and non-string keys,
tags, size, alias and nesting limits; and the positions of a valid document's nodes.
"""

from __future__ import annotations

import codecs
import itertools
from pathlib import Path

import pytest
from base_runbook import BASE, PATH, TITLE, diagnose, edit, insert_after, only, where
from conftest import FIXTURES

from icrunbook.api import validate_file
from icrunbook.diagnostics import Span
from icrunbook.loader import LoadLimits, load_bytes, load_text
from icrunbook.validation import validate_document

# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["2026-10-01", "'2026-10-01'", '"2026-10-01"'])
def test_date_stays_the_text_the_author_wrote(written: str) -> None:
    # PyYAML would read an unquoted date as datetime.date, which the schema would reject.
    text = insert_after("  owner: data-platform", f"  last_reviewed: {written}")
    assert diagnose(text) == []
    assert load_text(text, PATH).data["metadata"]["last_reviewed"] == "2026-10-01"


# --- duplicate keys -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("after", "repeated", "at_line", "at_column", "key", "first"),
    [
        ("kind: Runbook", "kind: Runbook", 3, 1, "kind", 2),
        ("  owner: data-platform", "  owner: dba-team", 8, 3, "owner", 7),
        ("    on_failure: escalate", "    phase: recover", 38, 5, "phase", 34),
    ],
    ids=["top", "metadata", "step"],
)
def test_duplicate_key_is_reported_at_the_repeat(
    after: str, repeated: str, at_line: int, at_column: int, key: str, first: int
) -> None:
    diagnostic = only(insert_after(after, repeated))
    assert where(diagnostic) == ("duplicate-key", at_line, at_column)
    assert f"key '{key}' is repeated (first at line {first})" in diagnostic.message


# --- YAML syntax ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "broken", "at_line", "at_column", "expected"),
    [
        (
            "      - Approve the failover.",
            "      - [Approve the failover.",
            27,
            13,
            "did not find expected ',' or ']' (while parsing a flow sequence that starts at "
            "line 26)",
        ),
        (TITLE, "  title: Orders DB: primary failover", 5, 19, "mapping values are not allowed"),
        ("    type: commander", "   type: commander", 24, 4, "did not find expected key"),
        ("      - Approve the failover.", "\t- Approve the failover.", 26, 1, "tab character"),
        (
            "      - Approve the failover.",
            "      - 'Approve the failover.",
            52,
            1,
            "while scanning a quoted scalar that starts at line 26",
        ),
        ("kind: Runbook", "kind: *nowhere", 2, 7, "undefined alias"),
    ],
    ids=["unclosed-flow", "colon-in-plain-value", "indentation", "tab", "open-quote", "alias"],
)
def test_syntax_error_at_the_parser_position(
    line: str, broken: str, at_line: int, at_column: int, expected: str
) -> None:
    diagnostic = only(edit(line, broken))
    assert where(diagnostic) == ("syntax", at_line, at_column)
    assert expected in diagnostic.message


# libyaml's words for the usual indentation and quoting mistakes, and the advice each gets.
MAPPING_VALUES = "mapping values are not allowed in this context"
NO_DASH = "did not find expected '-' indicator"
NO_KEY = "did not find expected key"
QUOTE_THE_VALUE = "the value contains ': ', so put the whole value in quotes"
CONTINUES_OR_LINE_UP = (
    "if this line continues the value above, put that value in quotes; "
    "otherwise line this key up with the keys above it"
)
LINE_UP_THE_DASH = "line this item's '- ' up with the '- ' of the items above it (column 3)"
NOT_AN_ITEM = (
    "this line is in a list but is not a '- ' item: line it up with the keys of the item above "
    "it, start it with '- ', or move it left to end the list"
)
TEXT_AFTER_VALUE = (
    "there is more text after the end of the value (a closing quote or bracket): "
    "put the whole value in quotes, or remove the extra text"
)
NOT_KEY_VALUE = (
    "line 16 is not 'key: value': if it is a key, add ': '; "
    "if it continues the value above, indent it further or put the value in quotes"
)
LINES_UP_WITH_NOTHING = (
    "this line lines up with none of the keys around it: "
    "indent it exactly as far as the keys (or '- ' items) it belongs with"
)


@pytest.mark.parametrize(
    ("text", "at_line", "at_column", "problem", "advice"),
    [
        pytest.param(
            edit(TITLE, "  title: Orders DB: primary failover"),
            5,
            19,
            MAPPING_VALUES,
            QUOTE_THE_VALUE,
            id="colon-in-plain-value",
        ),
        pytest.param(
            edit("  owner: data-platform", "    owner: data-platform"),
            7,
            10,
            MAPPING_VALUES,
            CONTINUES_OR_LINE_UP,
            id="key-indented-under-a-value",
        ),
        pytest.param(
            edit(
                "    description: Orders cannot be written.",
                "    description: Orders",
                "      cannot be written: at all",
            ),
            16,
            24,
            MAPPING_VALUES,
            CONTINUES_OR_LINE_UP,
            id="colon-in-a-continued-value",
        ),
        pytest.param(
            insert_after("    on_failure: escalate", "   - id: verify"),
            38,
            4,
            NO_DASH + " (while parsing a block collection that starts at line 33)",
            LINE_UP_THE_DASH,
            id="list-item-indented-differently",
        ),
        pytest.param(
            edit("    phase: mitigate", "   phase: mitigate"),
            34,
            4,
            NO_DASH + " (while parsing a block collection that starts at line 33)",
            NOT_AN_ITEM,
            id="item-key-indented-less",
        ),
        pytest.param(
            edit("      - Approve the failover.", '      - "Approve" the failover.'),
            26,
            19,
            NO_DASH + " (while parsing a block collection)",
            TEXT_AFTER_VALUE,
            id="text-after-a-quoted-item",
        ),
        pytest.param(
            edit(TITLE, '  title: "Orders DB" primary failover'),
            5,
            22,
            NO_KEY + " (while parsing a block mapping that starts at line 4)",
            TEXT_AFTER_VALUE,
            id="text-after-a-quoted-value",
        ),
        pytest.param(
            edit(
                "    description: Orders cannot be written.",
                "    description: Orders cannot",
                "    be written.",
            ),
            17,
            5,
            "could not find expected ':' (while scanning a simple key that starts at line 16)",
            NOT_KEY_VALUE,
            id="continued-value-not-indented",
        ),
        pytest.param(
            edit("    type: commander", "   type: commander"),
            24,
            4,
            NO_KEY + " (while parsing a block mapping that starts at line 22)",
            LINES_UP_WITH_NOTHING,
            id="key-indented-between-levels",
        ),
        pytest.param(
            insert_after("      - Approve the failover.", "     - Page the DBA."),
            27,
            6,
            NO_KEY + " (while parsing a block mapping that starts at line 23)",
            LINES_UP_WITH_NOTHING,
            id="list-item-indented-less",
        ),
    ],
)
def test_indentation_mistake_gets_one_line_of_advice(
    text: str, at_line: int, at_column: int, problem: str, advice: str
) -> None:
    diagnostic = only(text)
    assert where(diagnostic) == ("syntax", at_line, at_column)
    assert advice in diagnostic.message
    assert diagnostic.message == f"{problem}; {advice}"
    assert len(diagnostic.message.splitlines()) == 1


def test_other_syntax_errors_keep_libyaml_words() -> None:
    diagnostic = only(edit("      - Approve the failover.", "      - [Approve the failover."))
    assert diagnostic.message == (
        "did not find expected ',' or ']' (while parsing a flow sequence that starts at line 26)"
    )


# --- what is not a runbook at all -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "at", "expected"),
    [
        ("", (1, 1), "file is empty; a runbook starts with 'apiVersion: icrunbook/v1'"),
        ("# TODO: write this runbook\n\n# owner: dba\n", (1, 1), "file is empty"),
        ("- apiVersion: icrunbook/v1\n- kind: Runbook\n", (1, 1), "not a list"),
        ("apiVersion icrunbook/v1\n", (1, 1), "not a single value"),
        ("# comment\n42\n", (2, 1), "not a single value"),
    ],
    ids=["empty", "comments-only", "top-level-list", "top-level-scalar", "number"],
)
def test_not_a_mapping(text: str, at: tuple[int, int], expected: str) -> None:
    diagnostic = only(text)
    assert where(diagnostic) == ("schema", *at)
    assert expected in diagnostic.message
    assert "mapping" in diagnostic.message or "empty" in diagnostic.message


# --- encodings ------------------------------------------------------------------------------


def test_invalid_utf8_is_reported_at_the_bad_byte() -> None:
    data = edit("  owner: data-platform", "  owner: données-\udcff").encode(
        "utf-8", "surrogateescape"
    )
    diagnostic = only(data)
    # Column 18 counts characters: "données" is 7 characters but 8 bytes.
    assert where(diagnostic) == ("syntax", 7, 18)
    assert "byte 0xff is not valid UTF-8" in diagnostic.message
    assert "save the file as UTF-8" in diagnostic.message


@pytest.mark.parametrize(
    ("bom", "encoding", "name"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    ],
    ids=["utf-16-le", "utf-16-be", "utf-32-le"],
)
def test_other_encodings_are_refused(bom: bytes, encoding: str, name: str) -> None:
    diagnostic = only(bom + BASE.encode(encoding))
    assert where(diagnostic) == ("syntax", 1, 1)
    assert f"file is {name}-encoded; icrunbook reads UTF-8 only" in diagnostic.message


def test_utf8_bom_is_fine_and_positions_are_unchanged() -> None:
    document = load_bytes(codecs.BOM_UTF8 + BASE.encode(), PATH)
    assert document.diagnostics == []
    assert validate_document(document) == []
    assert document.locate(("metadata", "owner")) == Span(7, 10, 7, 23)


# --- hostile input --------------------------------------------------------------------------


def billion_laughs(levels: int = 9) -> str:
    """Each level aliases the one before nine times: 9**9 strings once expanded."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in itertools.pairwise("abcdefghijklmnopqrstuvwxyz"[:levels]):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused() -> None:
    diagnostic = only(billion_laughs())
    assert where(diagnostic) == ("syntax", 1, 1)
    assert "'billion laughs'" in diagnostic.message
    assert "more than 100,000 nodes" in diagnostic.message


def test_honest_aliases_are_fine() -> None:
    text = edit("    internal_update: 5m", "    internal_update: &fast 5m")
    text = text.replace("      after: 4h", "      after: *fast")
    assert diagnose(text) == []


def test_nesting_deeper_than_libyaml_allows_is_a_syntax_error() -> None:
    diagnostic = only(insert_after("kind: Runbook", "x-deep: " + "[" * 1001 + "]" * 1001))
    assert where(diagnostic) == ("syntax", 3, 1008)
    assert "nesting is deeper than 1000 levels" in diagnostic.message


def test_nesting_within_the_limit_loads() -> None:
    assert diagnose(insert_after("kind: Runbook", "x-deep: " + "[" * 900 + "]" * 900)) == []


def test_python_tag_is_refused_and_not_executed(tmp_path: Path) -> None:
    target = tmp_path / "pwned"
    text = f'!!python/object/apply:os.system ["touch {target}"]\n'
    diagnostic = only(text)
    assert where(diagnostic) == ("syntax", 1, 1)
    assert "tag !!python/object/apply:os.system is not allowed" in diagnostic.message
    (tmp_path / "evil.yaml").write_text(edit(TITLE, f"  title: {text.strip()}"), encoding="utf-8")
    found = validate_file(str(tmp_path / "evil.yaml"))
    assert [where(d) for d in found] == [("syntax", 5, 10)]
    assert not target.exists()


def test_custom_tag_is_refused() -> None:
    diagnostic = only(edit(TITLE, "  title: !vault orders/title"))
    assert where(diagnostic) == ("syntax", 5, 10)
    assert "tag !vault is not allowed" in diagnostic.message


@pytest.mark.parametrize(
    ("key", "end_column"), [("1", 2), ("null", 5), ("on", 3), ("2026-01-01", 11)]
)
def test_non_string_key(key: str, end_column: int) -> None:
    diagnostic = only(insert_after("kind: Runbook", f"{key}: value"))
    assert where(diagnostic) == ("schema", 3, 1)
    assert diagnostic.span == Span(3, 1, 3, end_column)
    assert f"key {key} is read as " in diagnostic.message
    assert f'not text; put it in quotes: "{key}"' in diagnostic.message


def test_non_string_key_in_a_nested_mapping() -> None:
    diagnostic = only(insert_after("    type: commander", "    on: call"))
    assert where(diagnostic) == ("schema", 25, 5)
    assert "key on is read as a boolean" in diagnostic.message


def test_mapping_as_a_key() -> None:
    diagnostic = only(insert_after("kind: Runbook", "[a, b]: value"))
    assert where(diagnostic) == ("schema", 3, 1)
    assert "a key must be plain text" in diagnostic.message


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    diagnostic = only(BASE.encode(), LoadLimits(max_bytes=100))
    assert where(diagnostic) == ("syntax", 1, 1)
    size = f"{len(BASE.encode()):,}"
    assert f"file is {size} bytes, over the 100-byte limit" in diagnostic.message
    assert "--max-file-size" in diagnostic.message
    big = tmp_path / "big.yaml"
    big.write_text(BASE, encoding="utf-8")
    assert [where(d) for d in validate_file(str(big), LoadLimits(max_bytes=100))] == [
        ("syntax", 1, 1)
    ]


def test_file_exactly_at_the_size_limit_is_read() -> None:
    data = BASE.encode()
    assert diagnose(data, LoadLimits(max_bytes=len(data))) == []


# --- positions of a valid document ----------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "span"),
    [
        ((), Span(1, 1, 52, 1)),
        (("apiVersion",), Span(1, 13, 1, 25)),
        (("metadata",), Span(4, 3, 11, 1)),
        (("metadata", "owner"), Span(7, 10, 7, 23)),
        (("metadata", "links", 0, "url"), Span(10, 12, 10, 51)),
        (("steps", 0), Span(33, 5, 38, 1)),
        (("steps", 0, "phase"), Span(34, 12, 34, 20)),
        (("escalation", 0, "page", 0), Span(47, 9, 47, 19)),
        (("steps", 0, "timebox"), Span(33, 5, 38, 1)),  # missing: its parent
        (("steps", 7, "id"), Span(33, 3, 38, 1)),  # missing: the nearest node that exists
    ],
    ids=lambda value: "/".join(map(str, value)) if isinstance(value, tuple) else None,
)
def test_locate(path: tuple[str | int, ...], span: Span) -> None:
    assert load_text(BASE, PATH).locate(path) == span


def test_locate_key() -> None:
    document = load_text(BASE, PATH)
    assert document.locate_key(("metadata", "owner")) == Span(7, 3, 7, 8)
    assert document.locate_key(("steps", 0)) == Span(33, 5, 38, 1)  # a list item has no key


def test_positions_are_json_pointers_in_document_order() -> None:
    text = insert_after("  owner: data-platform", "  x-a/b~c: escaped")
    positions = list(load_text(text, PATH).positions())
    pointers = [pointer for pointer, _ in positions]
    assert pointers[:4] == ["", "/apiVersion", "/kind", "/metadata"]
    assert all(pointer.startswith("/") for pointer in pointers[1:])
    assert "/metadata/links/0/url" in pointers
    assert "/steps/0/on_failure" in pointers
    assert "/metadata/x-a~1b~0c" in pointers  # RFC 6901: ~ is ~0 and / is ~1
    starts = [(span.line, span.column) for _, span in positions]
    assert starts == sorted(starts)
    assert dict(positions)["/metadata/owner"] == Span(7, 10, 7, 23)


# --- merge keys -----------------------------------------------------------------------------


def test_merge_keys_are_resolved() -> None:
    document = load_text((FIXTURES / "valid" / "merge-keys.yaml").read_text("utf-8"), PATH)
    first, second = document.data["steps"]
    assert (first["owner"], first["timebox"]) == ("ops_lead", "10m")
    assert (second["owner"], second["timebox"]) == ("ops_lead", "5m")  # its own key wins
