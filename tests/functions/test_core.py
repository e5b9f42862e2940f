"""The core functions, called directly with options parsed by their own parsers."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from icrunbook.loader import load_text
from icrunbook.rules.functions import MISSING, Context, Finding, FunctionSpec
from icrunbook.rules.functions.core import (
    CORE_FUNCTIONS,
    alphabetical,
    defined,
    enumeration,
    falsy,
    length,
    pattern,
    required_keys,
    schema,
    truthy,
    undefined,
    xor,
)
from icrunbook.rules.patterns import PatternTimeout, UserPattern

CONTEXT = Context(load_text("a: 1\n", "t.yaml"), (), 0, date(2026, 11, 27))


def parse(spec: FunctionSpec, raw: dict[str, Any]) -> dict[str, Any]:
    return {key: spec.options[key](value) for key, value in raw.items()}


def run(spec: FunctionSpec, value: Any, **raw: Any) -> list[Finding]:
    return list(spec(value, parse(spec, raw), CONTEXT))


def messages(spec: FunctionSpec, value: Any, **raw: Any) -> list[str]:
    return [finding.message for finding in run(spec, value, **raw)]


# The catalogue.


def test_core_functions_are_listed_with_names_and_summaries() -> None:
    names = [spec.name for spec in CORE_FUNCTIONS]
    assert names == [
        "requiredKeys",
        "truthy",
        "falsy",
        "defined",
        "undefined",
        "pattern",
        "enumeration",
        "length",
        "schema",
        "alphabetical",
        "xor",
    ]
    for spec in CORE_FUNCTIONS:
        assert spec.summary, spec.name


def test_required_options_are_declared() -> None:
    assert enumeration.required == {"values"}
    assert schema.required == {"schema"}
    assert xor.required == {"properties"}
    assert pattern.required == frozenset()
    assert set(pattern.options) == {"match", "notMatch"}
    assert set(length.options) == {"min", "max"}
    assert set(alphabetical.options) == {"keyedBy"}


# Presence.


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (MISSING, "must be set"),
        (None, "must be set"),
        (False, "must not be false"),
        ("", "must not be empty"),
        ([], "must not be empty"),
        ({}, "must not be empty"),
        (0, "must not be 0"),
    ],
)
def test_truthy_fires_on_falsy_values(value: Any, message: str) -> None:
    assert run(truthy, value) == [Finding(message)]


@pytest.mark.parametrize("value", [True, "x", [0], {"a": None}, 1, 0.5])
def test_truthy_passes_truthy_values(value: Any) -> None:
    assert run(truthy, value) == []


@pytest.mark.parametrize(
    ("value", "message"),
    [(True, "must not be true"), ("kubectl", "must not be set"), ([1], "must not be set")],
)
def test_falsy_fires_on_truthy_values(value: Any, message: str) -> None:
    assert messages(falsy, value) == [message]


@pytest.mark.parametrize("value", [MISSING, None, False, "", [], {}, 0])
def test_falsy_passes_falsy_values(value: Any) -> None:
    assert run(falsy, value) == []


def test_defined() -> None:
    assert messages(defined, MISSING) == ["must be defined"]
    assert run(defined, None) == []  # null is defined
    assert run(defined, "") == []


def test_undefined() -> None:
    assert run(undefined, MISSING) == []
    assert messages(undefined, None) == ["must not be defined"]
    assert messages(undefined, "x") == ["must not be defined"]


# pattern


def test_pattern_match() -> None:
    assert messages(pattern, "Foo", match="^[a-z]+$") == ["'Foo' does not match ^[a-z]+$"]
    assert run(pattern, "foo", match="^[a-z]+$") == []


def test_pattern_uses_search_semantics() -> None:
    assert run(pattern, "roll back the deploy", match="back") == []
    assert run(pattern, "http://x", notMatch="^http:") != []


def test_pattern_not_match() -> None:
    assert messages(pattern, "http://x", notMatch="^http:") == ["'http://x' must not match ^http:"]
    assert run(pattern, "https://x", notMatch="^http:") == []


def test_pattern_both_options_report_each() -> None:
    found = messages(pattern, "TODO fix", match="^[a-z]", notMatch="TODO")
    assert found == ["'TODO fix' does not match ^[a-z]", "'TODO fix' must not match TODO"]


@pytest.mark.parametrize("value", [MISSING, None, 12, ["Foo"], {"a": "Foo"}])
def test_pattern_skips_non_strings(value: Any) -> None:
    assert run(pattern, value, match="^[a-z]+$") == []


def test_pattern_without_options_finds_nothing() -> None:
    assert run(pattern, "anything") == []


@pytest.mark.parametrize("bad", ["([a-z]", "*x", 12])
def test_pattern_rejects_bad_regexes(bad: Any) -> None:
    with pytest.raises(ValueError, match=r"regular expression|must be text"):
        parse(pattern, {"match": bad})
    with pytest.raises(ValueError, match=r"regular expression|must be text"):
        parse(pattern, {"notMatch": bad})


def test_pattern_options_are_time_bounded_user_patterns() -> None:
    options = parse(pattern, {"match": "^a", "notMatch": "/b/i"})
    assert all(isinstance(option, UserPattern) for option in options.values())
    assert options["notMatch"].source == "/b/i"


def test_pattern_with_spectral_flags() -> None:
    assert run(pattern, "X", match="/^x$/i") == []
    # the slashes and flags are not part of the pattern
    assert messages(pattern, "/^x$/i", match="/^x$/i") == ["'/^x$/i' does not match /^x$/i"]
    assert messages(pattern, "ab\nX", notMatch="/^x$/im") == ["'ab\nX' must not match /^x$/im"]
    assert run(pattern, "X", notMatch="/^x$/") == []  # no i: case matters


@pytest.mark.parametrize("bad", ["/x/q", "/x/iq", "/x/ii"])
def test_pattern_rejects_bad_flags(bad: str) -> None:
    with pytest.raises(ValueError, match="flag"):
        parse(pattern, {"match": bad})
    with pytest.raises(ValueError, match="flag"):
        parse(pattern, {"notMatch": bad})


@pytest.mark.parametrize("option", ["match", "notMatch"])
def test_pattern_stops_a_catastrophic_regex(option: str) -> None:
    # the function lets the timeout through: the engine names the rule and the file
    with pytest.raises(PatternTimeout) as raised:
        run(pattern, "a" * 30 + "!", **{option: "^(a|a)+$"})
    assert raised.value.pattern == "^(a|a)+$"


def test_pattern_of_the_report_does_not_hang() -> None:
    # ^(a+)+$ would hang Python's re on this text
    assert messages(pattern, "a" * 30 + "!", match="^(a+)+$") == [
        "'" + "a" * 30 + "!' does not match ^(a+)+$"
    ]


# enumeration


def test_enumeration() -> None:
    values = ["sev1", "sev2"]
    assert messages(enumeration, "sev3", values=values) == [
        "'sev3' is not one of the allowed values: 'sev1', 'sev2'"
    ]
    assert run(enumeration, "sev2", values=values) == []


def test_enumeration_skips_missing_and_collections() -> None:
    assert run(enumeration, MISSING, values=["a"]) == []
    assert run(enumeration, ["b"], values=["a"]) == []
    assert run(enumeration, {"b": 1}, values=["a"]) == []


def test_enumeration_keeps_booleans_and_numbers_apart() -> None:
    assert messages(enumeration, True, values=[1, None]) == [
        "true is not one of the allowed values: 1, null"
    ]
    assert run(enumeration, 1, values=[True]) != []
    assert run(enumeration, 1.0, values=[1]) == []
    assert run(enumeration, None, values=[None]) == []


@pytest.mark.parametrize("bad", ["a", [], [["a"]], [{"a": 1}], None])
def test_enumeration_rejects_bad_values(bad: Any) -> None:
    with pytest.raises(ValueError, match="must"):
        parse(enumeration, {"values": bad})


# length


@pytest.mark.parametrize(
    ("value", "raw", "message"),
    [
        ("ab", {"min": 3}, "must have at least 3 characters, not 2"),
        ("abcd", {"max": 3}, "must have at most 3 characters, not 4"),
        ([], {"min": 1}, "must have at least 1 item, not 0"),
        ([1, 2, 3], {"max": 2}, "must have at most 2 items, not 3"),
        ({"a": 1, "b": 2}, {"max": 1}, "must have at most 1 key, not 2"),
    ],
)
def test_length_fires_outside_bounds(value: Any, raw: dict[str, Any], message: str) -> None:
    assert messages(length, value, **raw) == [message]


@pytest.mark.parametrize(
    ("value", "raw"),
    [
        ("abc", {"min": 3, "max": 3}),  # bounds are inclusive
        ([1, 2], {"min": 1, "max": 2}),
        ({"a": 1}, {"min": 1}),
        ("", {"max": 0}),
    ],
)
def test_length_passes_within_bounds(value: Any, raw: dict[str, Any]) -> None:
    assert run(length, value, **raw) == []


@pytest.mark.parametrize("value", [MISSING, None, 12, True, 3.5])
def test_length_skips_other_types(value: Any) -> None:
    assert run(length, value, min=100, max=0) == []


@pytest.mark.parametrize("bad", ["3", -1, True, 2.5])
def test_length_rejects_bad_bounds(bad: Any) -> None:
    with pytest.raises(ValueError, match="must be"):
        parse(length, {"max": bad})


# schema


PERSON = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string"},
        "tags": {"type": "array", "items": {"type": "string"}},
    },
}


def test_schema_passes_valid_value() -> None:
    assert run(schema, {"name": "ic", "tags": ["a"]}, schema=PERSON) == []


def test_schema_reports_each_error_at_its_path() -> None:
    found = run(schema, {"tags": ["a", 3]}, schema=PERSON)
    assert sorted(found) == sorted(
        [
            Finding("'name' is a required property", ()),
            Finding("3 is not of type 'string'", ("tags", 1)),
        ]
    )


def test_schema_skips_missing_but_checks_null() -> None:
    assert run(schema, MISSING, schema={"type": "string"}) == []
    assert messages(schema, None, schema={"type": "string"}) == ["None is not of type 'string'"]


def test_schema_equal_schemas_share_a_validator() -> None:
    first = {"type": "string", "minLength": 2}
    second = {"minLength": 2, "type": "string"}
    assert messages(schema, "a", schema=first) == messages(schema, "a", schema=second)


@pytest.mark.parametrize("bad", [{"type": "nonsense"}, {"minLength": -1}, "string", ["a"]])
def test_schema_rejects_invalid_schemas(bad: Any) -> None:
    with pytest.raises(ValueError, match=r"JSON Schema|mapping"):
        parse(schema, {"schema": bad})


# alphabetical


def test_alphabetical_list_of_strings_points_at_first_out_of_order_item() -> None:
    found = run(alphabetical, ["apple", "cherry", "banana", "date", "aardvark"])
    assert found == [Finding("'banana' should be placed before 'cherry'", (2,))]


def test_alphabetical_is_case_insensitive() -> None:
    assert run(alphabetical, ["apple", "Banana", "cherry"]) == []
    assert run(alphabetical, ["Apple", "apple"]) == []


def test_alphabetical_numbers() -> None:
    assert run(alphabetical, [1, 2, 2.5]) == []
    assert run(alphabetical, [2, 1]) == [Finding("1 should be placed before 2", (1,))]


def test_alphabetical_mapping_points_at_the_key() -> None:
    found = run(alphabetical, {"a": 1, "c": 2, "b": 3})
    assert found == [Finding("'b' should be placed before 'c'", ("b",), at_key=True)]
    assert run(alphabetical, {"a": 1, "b": 2}) == []


def test_alphabetical_keyed_by_points_at_the_field() -> None:
    items = [{"name": "ops"}, {"name": "comms"}, {"name": "scribe"}]
    found = run(alphabetical, items, keyedBy="name")
    assert found == [Finding("'comms' should be placed before 'ops'", (1, "name"))]
    ordered = [{"name": "comms"}, {"other": 1}, {"name": "ops"}]
    assert run(alphabetical, ordered, keyedBy="name") == []


@pytest.mark.parametrize(
    "value", [MISSING, None, "cba", 3, ["b", 1, "a"], [{"n": "b"}, {"n": "a"}], [["b"], ["a"]]]
)
def test_alphabetical_skips_what_has_no_order(value: Any) -> None:
    assert run(alphabetical, value) == []


def test_alphabetical_rejects_bad_keyed_by() -> None:
    with pytest.raises(ValueError, match="must be text"):
        parse(alphabetical, {"keyedBy": 3})


# xor


def test_xor_fires_when_none_is_set() -> None:
    assert run(xor, {"c": 1}, properties=["a", "b"]) == [
        Finding("exactly one of 'a' or 'b' must be set")
    ]


def test_xor_fires_when_several_are_set_at_the_extra_key() -> None:
    assert run(xor, {"a": 1, "b": 2}, properties=["a", "b"]) == [
        Finding("exactly one of 'a' or 'b' must be set, but both are", ("b",), at_key=True)
    ]
    found = run(xor, {"c": 1, "a": 2}, properties=["a", "b", "c"])
    assert found == [
        Finding(
            "exactly one of 'a', 'b' or 'c' must be set, but 'a' and 'c' are", ("c",), at_key=True
        )
    ]


def test_xor_passes_exactly_one_and_null_counts_as_set() -> None:
    assert run(xor, {"a": 1}, properties=["a", "b"]) == []
    assert run(xor, {"b": None}, properties=["a", "b"]) == []


@pytest.mark.parametrize("value", [MISSING, None, "a", ["a", "b"]])
def test_xor_skips_non_mappings(value: Any) -> None:
    assert run(xor, value, properties=["a", "b"]) == []


@pytest.mark.parametrize("bad", [["a"], "a", [], ["a", 1], None])
def test_xor_rejects_bad_properties(bad: Any) -> None:
    with pytest.raises(ValueError, match="must"):
        parse(xor, {"properties": bad})


def test_required_keys_reports_each_missing_key_at_its_name() -> None:
    found = run(required_keys, {"initial": {}}, keys=["initial", "update"])
    assert found == [Finding("'update' is missing", ("update",))]
    assert run(required_keys, ["not", "a", "mapping"], keys=["a"]) == []
