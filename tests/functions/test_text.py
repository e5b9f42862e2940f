from __future__ import annotations

from helpers import paths, run

from icrunbook.rules.functions.text import mentions, phrase_matcher, quote_list

KEYWORDS = ["roll back", "rollback", "revert", "feature flag", "drain"]
STEPS = {
    "steps": [
        {"phase": "mitigate", "action": "Drain the node"},
        {"phase": "investigate", "action": "Read the logs"},
        {"phase": "mitigate", "action": "Restart the pods"},
    ]
}
MITIGATE_ACTIONS = "$.steps[?@.phase == 'mitigate'].action"


def test_phrase_matcher_is_case_insensitive_and_whole_word() -> None:
    find = phrase_matcher(KEYWORDS)
    assert find("Rollback the deploy") == "rollback"
    assert find("ROLL BACK now") == "roll back"
    assert find("roll\n  back") == "roll back"
    assert find("check the drainage") is None
    assert find("unrevertable") is None
    assert find("turn the feature-flag off") is None
    assert find("") is None
    assert phrase_matcher([])("anything") is None


def test_phrase_matcher_accepts_either_apostrophe() -> None:
    assert phrase_matcher(["don't know"])("We don\u2019t know yet") == "don't know"


def test_quote_list() -> None:
    assert quote_list(["a"]) == "'a'"
    assert quote_list(["a", "b", "c"]) == "'a', 'b' or 'c'"


def test_mentions_present_passes_when_one_text_mentions_a_phrase() -> None:
    assert run(mentions, STEPS, query=MITIGATE_ACTIONS, phrases=KEYWORDS) == []


def test_mentions_present_fires_once_when_none_does() -> None:
    findings = run(mentions, STEPS, query=MITIGATE_ACTIONS, phrases=["revert", "failover"])
    assert [(f.message, f.path) for f in findings] == [
        ("none of the 2 texts mentions any of 'revert' or 'failover'", ())
    ]
    single = run(mentions, "Restart it", phrases=["revert"])
    assert [f.message for f in single] == ["does not mention any of 'revert'"]


def test_mentions_present_is_silent_when_nothing_is_gathered() -> None:
    query = "$.steps[?@.phase == 'recover'].action"
    assert run(mentions, STEPS, query=query, phrases=KEYWORDS) == []
    assert run(mentions, 42, phrases=KEYWORDS) == []


def test_mentions_absent_fires_at_each_string() -> None:
    duties = ["Coordinate", "run kubectl when needed", "Never SSH into hosts", "sshd"]
    findings = run(mentions, duties, phrases=["kubectl", "ssh"], present=False)
    assert [(f.message, f.path) for f in findings] == [
        ("mentions 'kubectl'", (1,)),
        ("mentions 'ssh'", (2,)),
    ]
    assert run(mentions, ["Coordinate", "Decide"], phrases=["kubectl"], present=False) == []


def test_mentions_absent_with_query_reports_the_path_within_the_value() -> None:
    findings = run(mentions, STEPS, query="$.steps[*].action", phrases=["logs"], present=False)
    assert paths(findings) == [("steps", 1, "action")]
