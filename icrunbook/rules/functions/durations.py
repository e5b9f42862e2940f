"""Functions on durations (``30s``, ``15m``, ``1h30m``): bounds, order, comparison, sums."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from icrunbook.durations import format_duration, parse_duration
from icrunbook.rules.functions import Context, Finding, function, value_at
from icrunbook.rules.functions.collections import mappings
from icrunbook.rules.options import duration as duration_option
from icrunbook.rules.options import duration_or_list, text, texts
from icrunbook.wording import item_label


def _bound(option: int | list[int] | None, position: int) -> int | None:
    """The bound at ``position``: a list gives one per position, the last for the rest."""
    if isinstance(option, list):
        return option[min(position, len(option) - 1)]
    return option


@function("duration", {"min": duration_or_list, "max": duration_or_list})
def duration(value: Any, options: Mapping[str, Any], context: Context) -> Iterator[Finding]:
    """A duration lies within ``min`` and ``max`` (inclusive).

    Either bound may be a list: one bound per position of the selected node among its siblings
    (e.g. per severity, most severe first), the last value for the rest.
    """
    seconds = parse_duration(value)
    if seconds is None:
        return
    low = _bound(options.get("min"), context.position)
    high = _bound(options.get("max"), context.position)
    if low is not None and seconds < low:
        yield Finding(f"{value} is shorter than {format_duration(low)}")
    if high is not None and seconds > high:
        yield Finding(f"{value} is longer than {format_duration(high)}")


@function("durationOrder", {"fields": texts}, required=["fields"])
def duration_order(value: Any, options: Mapping[str, Any], context: Context) -> Iterator[Finding]:
    """In a mapping ordered most severe first, no item has a longer duration than a later one.

    ``fields`` names the durations of each item to compare.
    """
    if not isinstance(value, dict):
        return
    items = [(key, item) for key, item in value.items() if isinstance(item, dict)]
    for name in options["fields"]:
        timed = [(key, item.get(name), parse_duration(item.get(name))) for key, item in items]
        parsed = [(key, written, seconds) for key, written, seconds in timed if seconds is not None]
        for index, (key, written, seconds) in enumerate(parsed):
            later = next((entry for entry in parsed[index + 1 :] if entry[2] < seconds), None)
            if later is not None:
                yield Finding(
                    f"{key}'s {name} {written} is longer than {later[0]}'s {later[1]}; "
                    "a more severe level must not update less often",
                    (key, name),
                )


@function("durationCompare", {"shorter": texts, "longer": texts}, required=["shorter", "longer"])
def duration_compare(value: Any, options: Mapping[str, Any], context: Context) -> Iterator[Finding]:
    """In a mapping, each ``shorter`` duration is at most each ``longer`` one."""
    if not isinstance(value, dict):
        return
    for short in options["shorter"]:
        for long in options["longer"]:
            short_seconds = parse_duration(value.get(short))
            long_seconds = parse_duration(value.get(long))
            if (
                short_seconds is not None
                and long_seconds is not None
                and short_seconds > long_seconds
            ):
                yield Finding(
                    f"{short} {value[short]} is longer than {long} {value[long]}", (short,)
                )


@function(
    "durationSum",
    {"field": text, "untilField": text, "untilValue": text, "max": duration_option},
    required=["field", "untilField", "untilValue"],
)
def duration_sum(value: Any, options: Mapping[str, Any], context: Context) -> Iterator[Finding]:
    """The items before the first one whose ``untilField`` is ``untilValue`` are all timed.

    Each of them must have a ``field`` duration, and those durations may add up to at most
    ``max``. Silent when no item has ``untilField: untilValue``.
    """
    name, until_field, until = options["field"], options["untilField"], options["untilValue"]
    items = list(mappings(value))
    stop = next((index for index, item in items if item.get(until_field) == until), None)
    if stop is None:
        return
    before = [(index, item) for index, item in items if index < stop]
    total = 0
    for index, item in before:
        if name not in item:
            yield Finding(
                f"{item_label('step', item, index)} comes before the first {until} step "
                f"and has no {name}",
                (index,),
            )
        total += parse_duration(item.get(name)) or 0
    limit: int | None = options.get("max")
    if limit is not None and total > limit:
        steps = "the step" if len(before) == 1 else f"the {len(before)} steps"
        verb = "adds" if len(before) == 1 else "add"
        yield Finding(
            f"{steps} before the first {until} step {verb} up to {format_duration(total)}, "
            f"more than {format_duration(limit)}",
            (stop,),
        )


@function("durationWithinPolicy", {"fields": texts}, required=["fields"])
def duration_within_policy(
    value: Any, options: Mapping[str, Any], context: Context
) -> Iterator[Finding]:
    """Each duration in ``fields`` is at most the policy's at the same place.

    A runbook may tighten what its policy sets, never loosen it. A field may be a dotted path
    (``long_incident.stakeholder_update``). Silent without a policy, where the mapping is the
    policy's own, and where either side leaves a field out.
    """
    policy = context.document.policy
    if policy is None or context.document.origin(context.path) is policy:
        return
    theirs = value_at(policy.data, context.path)
    for name in options["fields"]:
        field = tuple(name.split("."))
        floor, mine = value_at(theirs, field), value_at(value, field)
        floor_seconds, mine_seconds = parse_duration(floor), parse_duration(mine)
        if floor_seconds is not None and mine_seconds is not None and mine_seconds > floor_seconds:
            place = f"{policy.path}:{policy.locate((*context.path, *field)).line}"
            words = f"{name} {mine} is slower than the policy's {floor} ({place})"
            yield Finding(words, field)


DURATION_FUNCTIONS = (
    duration,
    duration_order,
    duration_compare,
    duration_sum,
    duration_within_policy,
)
