"""``visible``: the one way runbook text is shown on terminals, in CI logs and in checklists."""

from __future__ import annotations

import pytest

from icrunbook.escapes import visible


@pytest.mark.parametrize(
    ("char", "shown"),
    [
        ("\x00", "\\x00"),
        ("\n", "\\x0a"),
        ("\r", "\\x0d"),
        ("\x1b", "\\x1b"),
        ("\x7f", "\\x7f"),
        ("\x85", "\\x85"),
        ("\x9f", "\\x9f"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
        ("\u202a", "\\u202a"),
        ("\u202e", "\\u202e"),
        ("\u2066", "\\u2066"),
        ("\u2069", "\\u2069"),
    ],
)
def test_what_would_act_is_shown_as_an_escape(char: str, shown: str) -> None:
    assert visible(f"a{char}b") == f"a{shown}b"


def test_tabs_stay_unless_asked_and_keep_is_per_character() -> None:
    assert visible("a\tb") == "a\tb"
    assert visible("a\tb", keep="") == "a\\x09b"
    assert visible("a\tb\nc\x1b", keep="\t\n") == "a\tb\nc\\x1b"


@pytest.mark.parametrize(
    "text",
    [
        "plain ASCII, with a \\ backslash",
        "é 日本語 🔥 \u00a0",
        "👩\u200d💻 and ZWNJ \u200c",  # joiners: emoji and scripts need them
        "עברית\u200f and \u200e marks",  # bidi marks change no order of strong text
    ],
)
def test_everything_else_is_left_as_written(text: str) -> None:
    assert visible(text) == text
