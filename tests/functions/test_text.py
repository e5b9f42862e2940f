from __future__ import annotations

from helpers import paths, run

from icrunbook.rules.functions.text import mentions, quote_list

KEYWORDS = ["roll back", "rollback", "revert", "feature flag", "drain"]
STEPS = {
    "steps": [
        {"phase": "mitigate", "action": "Drain the node"},
        {"phase": "investigate", "action": "Read the logs"},
        {"phase": "mitigate", "action": "Restart the pods"},
    ]
}
MITIGATE_ACTIONS = "$.steps[?@.phase == 'mitigate'].action"


def test_mentions_matches_inflections_and_a_particle_after_the_object() -> None:
    for action in ["Rolled back the deploy", "Roll the release back", "Rolling back now"]:
        assert run(mentions, action, phrases=["roll back"]) == [], action
    assert run(mentions, "Roll out the fix", phrases=["roll back"]) != []
    assert run(mentions, "check the drainage", phrases=["drain"]) != []


def test_quote_list() -> None:
    assert quote_list(["a"]) == "'a'"
    assert quote_list(["a", "b", "c"]) == "'a', 'b' or 'c'"


def test_mentions_present_passes_when_one_text_mentions_a_phrase() -> None:
    assert run(mentions, STEPS, query=MITIGATE_ACTIONS, phrases=KEYWORDS) == []


def test_mentions_present_fires_once_when_none_does() -> None:
    findings = run(mentions, STEPS, query=MITIGATE_ACTIONS, phrases=["revert", "failover"])
    assert [(f.message, f.path) for f in findings] == [
        ("'Drain the node' or 'Restart the pods' do not say any of 'revert' or 'failover'", ())
    ]
    single = run(mentions, "Restart it", phrases=["revert"])
    assert [f.message for f in single] == ["'Restart it' does not say any of 'revert'"]


def test_mentions_present_quotes_at_most_three_texts_and_five_phrases() -> None:
    texts = ["Restart a", "Restart b", "Restart c", "Restart d"]
    phrases = ["p1", "p2", "p3", "p4", "p5", "p6", "p7"]
    [finding] = run(mentions, texts, phrases=phrases)
    assert finding.message == (
        "'Restart a', 'Restart b' or 'Restart c' (and 1 more) do not say any of "
        "'p1', 'p2', 'p3', 'p4' or 'p5' (and 2 more)"
    )


def test_mentions_as_action_counts_only_what_the_text_does() -> None:
    ways_back = ["roll back", "rollback", "failover to"]
    does = ["Rollback to 1.2", "Manually roll it back", "Halt the upgrade and roll it back"]
    for action in does:
        assert run(mentions, action, phrases=ways_back, asAction=True) == [], action
    names = ["Verify that the rollback completed", "Review the failover to the DR site"]
    for action in names:
        assert run(mentions, action, phrases=ways_back, asAction=True) != [], action
        assert run(mentions, action, phrases=ways_back) == [], action
    [finding] = run(mentions, ["Restart", "Restart"], phrases=["roll back"], asAction=True)
    assert finding.message == "'Restart' does none of 'roll back'"


def test_mentions_present_is_silent_when_nothing_is_gathered() -> None:
    query = "$.steps[?@.phase == 'recover'].action"
    assert run(mentions, STEPS, query=query, phrases=KEYWORDS) == []
    assert run(mentions, 42, phrases=KEYWORDS) == []


def test_mentions_absent_fires_at_each_string() -> None:
    duties = ["Coordinate", "run kubectl when needed", "Never SSH into hosts", "sshd", "Reads logs"]
    findings = run(mentions, duties, phrases=["kubectl", "ssh", "read logs"], present=False)
    assert [(f.message, f.path) for f in findings] == [
        ("mentions 'kubectl'", (1,)),
        ("mentions 'ssh'", (2,)),
        ("mentions 'read logs'", (4,)),
    ]
    assert run(mentions, ["Coordinate", "Decide"], phrases=["kubectl"], present=False) == []


def test_mentions_absent_with_query_reports_the_path_within_the_value() -> None:
    findings = run(mentions, STEPS, query="$.steps[*].action", phrases=["logs"], present=False)
    assert paths(findings) == [("steps", 1, "action")]
