"""Functions on status-update templates: judged sentence by sentence, as people write them.

The judgement itself is :mod:`icrunbook.phrasing`; these functions hand it a template body and
the cue lists of their rule, so the same words decide in ``lint`` and during an incident.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from icrunbook.phrasing import UpdateCues, admits_unknowns, judge, premature_causes
from icrunbook.rules.functions import Context, Finding, function
from icrunbook.rules.functions.templates import used_variables
from icrunbook.rules.functions.text import quote_list
from icrunbook.rules.options import texts

_CUE_FIELDS = {  # function option → field of UpdateCues
    "causes": "causes",
    "causeVerbs": "cause_verbs",
    "effects": "effects",
    "actors": "actors",
    "hedges": "hedges",
    "topics": "topics",
    "unknowns": "unknowns",
    "negations": "negations",
}
CUE_OPTIONS = dict.fromkeys(_CUE_FIELDS, texts)


def cues_of(options: Mapping[str, Any]) -> UpdateCues:
    """The cue lists a function's options give (missing ones empty)."""
    return _cues(tuple(tuple(options.get(key, ())) for key in _CUE_FIELDS))


@lru_cache(maxsize=64)
def _cues(lists: tuple[tuple[str, ...], ...]) -> UpdateCues:
    return UpdateCues.of(**dict(zip(_CUE_FIELDS.values(), lists, strict=True)))


@function("causeClaims", CUE_OPTIONS)
def cause_claims(value: Any, options: Mapping[str, Any], context: Context) -> Iterator[Finding]:
    """Each sentence of a text that names or suggests a cause.

    A sentence names a cause when it says one of ``causes`` ("due to", "the root cause was"),
    or one of ``causeVerbs`` inflected ("broke", "caused by") with a fault as its subject (not
    only ``effects`` or ``actors``); one of ``hedges`` makes it a suggestion, which is still
    premature. A cue does not count when one of ``negations`` stands right before it ("not
    caused by"), when one of ``effects`` follows it ("due to elevated errors"), or when its
    clause admits or asks (``topics`` with ``unknowns`` or ``negations``: "we do not know what
    caused this").
    """
    if isinstance(value, str):
        for finding in premature_causes(judge(value, cues_of(options))):
            yield Finding(finding.message)


@function("admitsUnknowns", {**CUE_OPTIONS, "orUses": texts})
def admits(value: Any, options: Mapping[str, Any], context: Context) -> Iterator[Finding]:
    """A text admits what is not known: a sentence with one of ``topics`` ("the cause", "why")
    and one of ``unknowns`` or ``negations`` ("is not yet known", "still investigating"),
    unless the template uses one of the variables in ``orUses``."""
    if not isinstance(value, str) or not value:
        return
    variables: list[str] = options.get("orUses", [])
    if variables and used_variables(value) & set(variables):
        return
    if not admits_unknowns(judge(value, cues_of(options))):
        unless = f" and does not use {quote_list(variables)}" if variables else ""
        yield Finding(
            "says nothing of what is not known yet (such as 'the cause is not yet known')" + unless
        )


UPDATE_FUNCTIONS = (cause_claims, admits)
