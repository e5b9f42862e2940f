from __future__ import annotations

from helpers import run

from icrunbook.rules.functions.updates import admits, cause_claims

CUES = {
    "causes": ["due to", "responsible"],
    "causeVerbs": ["cause"],
    "effects": ["error"],
    "hedges": ["we believe"],
    "topics": ["the cause", "why"],
    "unknowns": ["investigating"],
    "negations": ["not"],
}


def messages(spec: object, body: object, **options: object) -> list[str]:
    return [f.message for f in run(spec, body, **{**CUES, **options})]  # type: ignore[arg-type]


def test_cause_claims_quote_each_sentence_and_its_cue() -> None:
    body = "{{ impact }}. This was caused by a bad push. We believe DNS is responsible."
    assert messages(cause_claims, body) == [
        "'This was caused by a bad push.' names a cause ('caused by')",
        "'We believe DNS is responsible.' suggests a cause ('we believe', 'responsible')",
    ]


def test_cause_claims_pass_effects_negations_and_inquiries() -> None:
    body = (
        "Checkout fails due to errors. This was not caused by an attack. "
        "We are investigating why the push is responsible."
    )
    assert messages(cause_claims, body) == []
    assert messages(cause_claims, None) == []


def test_cause_claims_use_only_the_cues_they_are_given() -> None:
    assert run(cause_claims, "This was caused by a bad push.") == []


def test_admits_passes_an_admission_or_the_variable() -> None:
    assert messages(admits, "We do not know why yet. Next {{ next_update }}.") == []
    assert messages(admits, "{{ unknowns }}", orUses=["unknowns"]) == []
    assert messages(admits, "") == []


def test_admits_fires_without_one() -> None:
    expected = "says nothing of what is not known yet (such as 'the cause is not yet known')"
    assert messages(admits, "We are investigating this issue.") == [expected]
    assert messages(admits, "{{ title }}", orUses=["unknowns"]) == [
        f"{expected} and does not use 'unknowns'"
    ]
