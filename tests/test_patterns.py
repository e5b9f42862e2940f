"""User patterns: Spectral's /pattern/flags spelling, compile errors in words, a time bound on
each search, and a timeout that survives a trip between processes."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

from icrunbook.rules import patterns
from icrunbook.rules.patterns import (
    TIMEOUT_SECONDS,
    PatternTimeout,
    UserPattern,
    compile_user_pattern,
)

# Backtracks exponentially in the regex package too (unlike ^(a+)+$, which it handles): each
# 'a' matches either branch, and the '!' at the end makes every way fail.
CATASTROPHIC = "^(a|a)+$"
HOSTILE_TEXT = "a" * 30 + "!"


def roundtrip(thing: Any) -> Any:
    """``thing`` after a trip through pickle, as between the processes of a pool."""
    return pickle.loads(pickle.dumps(thing))  # noqa: S301 - our own bytes


def test_the_time_bound_is_one_second() -> None:
    assert TIMEOUT_SECONDS == 1.0


# Compiling.


def test_a_plain_pattern_is_used_as_written() -> None:
    compiled = compile_user_pattern("^[a-z]+$")
    assert isinstance(compiled, UserPattern)
    assert compiled.source == "^[a-z]+$"
    assert compiled.search("abc")
    assert not compiled.search("Abc")


def test_search_semantics_and_the_match() -> None:
    found = compile_user_pattern("b+")
    match = found.search("abbbc")
    assert match is not None
    assert match.group(0) == "bbb"
    assert found.search("ac") is None


def test_each_text_is_compiled_once() -> None:
    assert compile_user_pattern("^once$") is compile_user_pattern("^once$")


def test_re_compatible_mode() -> None:
    # VERSION0: a set inside a set is not the regex package's V1 set operation
    assert compile_user_pattern("[[a]b]").search("[b]")
    assert compile_user_pattern(r"(?P<word>\w+) (?P=word)").search("the the")


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ("([a-z]", "is not a valid regular expression: missing )"),
        ("*x", "is not a valid regular expression: nothing to repeat"),
        ("a{2,1}", "is not a valid regular expression"),
        ("\\", "is not a valid regular expression"),
        ("/([a-z]/i", "is not a valid regular expression: missing )"),
        ("(" * 5000 + ")" * 5000, "nested too deeply"),
    ],
)
def test_a_pattern_that_does_not_compile_is_a_value_error(bad: str, words: str) -> None:
    with pytest.raises(ValueError, match="regular expression") as raised:
        compile_user_pattern(bad)
    assert words in str(raised.value)


# Spectral's /pattern/flags.


@pytest.mark.parametrize(
    ("written", "matching", "not_matching"),
    [
        ("/^x$/i", "X", "/^x$/i"),
        ("/^x$/", "x", "X"),
        ("/^b$/m", "a\nb\nc", "abc"),
        ("/a.c/s", "a\nc", "ac"),
        ("/^x$/gimsuy", "X", "y"),
        ("/^x$/g", "x", "X"),
        ("/^x$/u", "x", "X"),
        ("/^x$/y", "x", "X"),
        ("/^a/b$/", "a/b", "/^a/b$/"),  # the pattern is everything between the first and last /
        ("/^X$/mi", "x", "xx"),
    ],
)
def test_slashes_and_flags(written: str, matching: str, not_matching: str) -> None:
    compiled = compile_user_pattern(written)
    assert compiled.source == written  # as the author wrote it, for messages
    assert compiled.search(matching)
    assert not compiled.search(not_matching)


@pytest.mark.parametrize(
    ("written", "matching"),
    [
        ("//", "a//b"),  # nothing between the slashes: the text as is
        ("/", "/"),
        ("/api/V1", "/api/V1"),  # not lowercase letters after the last /: the text as is
        ("/x/\n", "/x/\n"),
        ("a/b/i", "a/b/i"),  # no leading /
    ],
)
def test_text_that_is_not_the_slashed_spelling_is_the_pattern_as_is(
    written: str, matching: str
) -> None:
    compiled = compile_user_pattern(written)
    assert compiled.search(matching)


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("/x/q", "unknown flag 'q'"),
        ("/x/I", None),  # not [a-z]: not flags, the pattern as is (as in Spectral)
        ("/x/ix", "unknown flag 'x'"),
        ("/usr/bin", "unknown flag 'b'"),
        ("/x/ii", "repeats the flag 'i'"),
    ],
)
def test_unknown_or_repeated_flags_are_refused(written: str, words: str | None) -> None:
    if words is None:
        assert compile_user_pattern(written).search(written)
        return
    with pytest.raises(ValueError, match="flag") as raised:
        compile_user_pattern(written)
    assert words in str(raised.value)


def test_the_unknown_flag_message_says_how_to_write_a_literal_slash() -> None:
    with pytest.raises(ValueError, match=r"'\\/'"):
        compile_user_pattern("/usr/bin")
    assert compile_user_pattern(r"\/usr/bin").search("/usr/bin")


# The time bound.


def test_a_catastrophic_pattern_is_stopped() -> None:
    compiled = compile_user_pattern(CATASTROPHIC)
    with pytest.raises(PatternTimeout) as raised:
        compiled.search(HOSTILE_TEXT)
    assert raised.value.pattern == CATASTROPHIC
    assert "^(a|a)+$" in str(raised.value)
    assert "1 second" in str(raised.value)
    assert "simplify it" in str(raised.value)


def test_the_timeout_names_the_pattern_as_written() -> None:
    compiled = compile_user_pattern("/^(a|a)+$/i")
    with pytest.raises(PatternTimeout) as raised:
        compiled.search(HOSTILE_TEXT)
    assert raised.value.pattern == "/^(a|a)+$/i"


def test_the_bound_is_read_at_each_search(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patterns, "TIMEOUT_SECONDS", 0.2)
    with pytest.raises(PatternTimeout) as raised:
        compile_user_pattern(CATASTROPHIC).search(HOSTILE_TEXT)
    assert raised.value.seconds == 0.2
    assert "0.2 seconds" in str(raised.value)


def test_the_nested_plus_of_the_report_returns() -> None:
    # ^(a+)+$ hangs Python's re on this text; it must simply return here
    assert compile_user_pattern("^(a+)+$").search(HOSTILE_TEXT) is None


def test_a_timeout_is_not_a_compile_error() -> None:
    assert not issubclass(PatternTimeout, ValueError)


def test_a_timeout_survives_pickling() -> None:
    with pytest.raises(PatternTimeout) as raised:
        compile_user_pattern(CATASTROPHIC).search(HOSTILE_TEXT)
    error = raised.value
    copy = roundtrip(error)
    assert type(copy) is PatternTimeout
    assert copy.pattern == error.pattern == CATASTROPHIC
    assert copy.seconds == error.seconds
    assert str(copy) == str(error)
    assert copy.args == error.args


def test_a_timeout_made_directly_survives_pickling() -> None:
    error = PatternTimeout("^(x+)+y$")
    copy = roundtrip(error)
    assert copy.pattern == "^(x+)+y$"
    assert str(copy) == str(error)


def test_a_compiled_pattern_survives_pickling() -> None:
    compiled = compile_user_pattern("/^x$/i")
    copy = roundtrip(compiled)
    assert copy == compiled
    assert copy.source == "/^x$/i"
    assert copy.search("X")


def test_a_user_pattern_is_frozen() -> None:
    compiled = compile_user_pattern("x")
    with pytest.raises(AttributeError):
        compiled.source = "y"  # type: ignore[misc]
