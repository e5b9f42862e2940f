"""The text analysis the text rules and the incident engine share (icrunbook.phrasing).

Cue lists come from the recommended ruleset, as ``icrun lint`` uses them."""

from __future__ import annotations

from pathlib import Path

import pytest

from icrunbook.api import check_update, update_cues
from icrunbook.config import Config
from icrunbook.phrasing import (
    BOUNDARY,
    Phrases,
    UpdateCues,
    action_hit,
    forms,
    judge,
    phrases,
    sentences,
    template_spans,
    words,
)
from icrunbook.phrasing import (
    check_update as judge_update,
)
from icrunbook.rules.ruleset import builtin_ruleset

WAYS_BACK = phrases(
    tuple(builtin_ruleset("recommended")["rollback-option"].option_defaults()["ways_back"])
)
CUES = update_cues("comms-no-premature-cause")


def test_forms_inflect_open_words_and_leave_function_words_alone() -> None:
    assert set(forms("roll")) >= {"roll", "rolls", "rolled", "rolling"}
    assert set(forms("disable")) >= {"disables", "disabled", "disabling"}
    assert set(forms("stop")) >= {"stopped", "stopping"}
    assert set(forms("identify")) >= {"identifies", "identified", "identifying"}
    assert set(forms("switch")) >= {"switches", "switched"}
    assert set(forms("undo")) >= {"undid", "undone", "undoing"}
    assert set(forms("be")) == {"be", "is", "are", "was", "were", "am"}
    assert forms("not") == ("not",)  # never "noted"
    assert "causes" not in forms("caused")  # an inflected word matches only itself


def test_words_expand_contractions_and_keep_templates_whole() -> None:
    assert words("We don't know; it's {{ next_update }}.") == [
        "we", "do", "not", "know", BOUNDARY, "it", "is", "{next_update}",
    ]  # fmt: skip
    assert words("We can't, won't, haven't") == [
        "we", "can", "not", BOUNDARY, "will", "not", BOUNDARY, "have", "not",
    ]  # fmt: skip
    assert words("Re-deploy v1.4.2 from last night's AUTO_DEPLOY tag") == [
        "redeploy", "v1.4.2", "from", "last", "night", "auto_deploy", "tag",
    ]  # fmt: skip
    assert words("We\u2019ve {% if x %}rolled{% endif %} back") == ["we", "have", "rolled", "back"]


def test_sentences_survive_templates_abbreviations_and_list_items() -> None:
    text = (
        "{{ title }}: {{ impact }}. We don't know the cause yet, e.g. why {{ a.b }} fails.\n"
        "- Next update {{ next_update }}\n"
        "1. Customers in the\nEU are affected! Thanks"
    )
    assert [s.text for s in sentences(text)] == [
        "{{ title }}: {{ impact }}.",
        "We don't know the cause yet, e.g. why {{ a.b }} fails.",
        "Next update {{ next_update }}",
        "Customers in the EU are affected!",
        "Thanks",
    ]
    assert [s.text for s in sentences("Roll back to v1.4.2 via helm. Then verify.")] == [
        "Roll back to v1.4.2 via helm.",
        "Then verify.",
    ]
    assert sentences("") == []
    assert sentences(" - \n . ") == []


def test_sentences_split_after_a_template_and_before_a_capital_after_min() -> None:
    text = "We are investigating. {{ impact }} was caused by a bad deploy. In 30 min. A b."
    assert [s.text for s in sentences(text)] == [
        "We are investigating.",
        "{{ impact }} was caused by a bad deploy.",
        "In 30 min.",
        "A b.",
    ]
    judged = judge("We are investigating. {{ impact }} was caused by a bad deploy.", CUES)
    assert [j.claim for j in judged] == [None, "caused by"]


def test_an_unclosed_template_is_text_and_read_in_one_pass() -> None:
    assert template_spans("a {{ b }} {# c {{ d") == [(2, 9)]
    assert words("{{ b }} {# c") == ["{b}", "c"]
    long = "Impact {# " * 20000  # quadratic before: minutes to lint
    assert len(words(long)) == 20000
    assert len(sentences("Done. " * 20000)) == 20000


def test_phrases_match_inflections_particles_and_gaps() -> None:
    listed = Phrases(["roll back", "shift ... traffic", "turn off", "the cause"])

    def first(text: str) -> str | None:
        return listed.first(text)

    assert first("Rolled back the config push") == "roll back"
    assert first("Roll the release back to v1.4.2") == "roll back"
    assert first("Turn the new-checkout feature off") == "turn off"
    assert first("Shift all of the traffic to us-east-2") == "shift ... traffic"
    assert first("Roll out the fix") is None
    assert first("Roll it, then back") is None  # a particle never crosses a comma
    assert first("Turn on debug logging, off we go") is None
    assert first("we do not know THE CAUSE") == "the cause"
    assert first("becauses") is None
    assert Phrases([]).first("anything") is None
    assert Phrases(["", " ... ", "!"]).first("anything ! goes") is None


def test_phrases_find_every_place_and_at_a_word() -> None:
    listed = Phrases(["due to", "caused by"])
    tokens = words("errors due to load, caused by a push")
    assert [(hit.phrase, hit.start, hit.end) for hit in listed.find(tokens)] == [
        ("due to", 1, 3),
        ("caused by", 5, 7),
    ]
    assert listed.at(tokens, 1) is not None
    assert listed.at(tokens, 2) is None


@pytest.mark.parametrize(
    "action",
    [
        "Roll the release back to v1.4.2",
        "Rolled back the config push",
        "Disable the new-checkout flag in LaunchDarkly",
        "Turn the feature off",
        "Promote the standby replica to primary",
        "Shift all traffic to us-east-2",
        "Switch DNS to the secondary provider",
        "Pin the previous image tag",
        "Redeploy the last known good build",
        "Manually fail over to the secondary cluster",
        "Halt the infrastructure upgrade and roll it back",
        "Isolate the worker by disabling it in the load balancers",
        "We rolled the deploy back",
    ],
)
def test_the_issue_s_ways_back_are_ways_back(action: str) -> None:
    assert action_hit(action, WAYS_BACK) is not None


@pytest.mark.parametrize(
    "action",
    [
        "Restart the pods",
        "Roll out the fix",
        "Roll forward with a hotfix",
        "Turn on debug logging",
        "Failover test results are reviewed",
        "Verify that the rollback completed",
        "Prepare a rollback plan before the next deploy",
        "Run the drain script in un-drain mode to return the node to service",
        "Do not roll back before the DBA agrees",
    ],
)
def test_actions_that_only_name_a_way_back_are_not_one(action: str) -> None:
    assert action_hit(action, WAYS_BACK) is None


def verdict(text: str) -> tuple[str | None, str | None, tuple[str, str] | None]:
    """The claim, hedge and admission of a text of one sentence."""
    [judgement] = judge(text, CUES)
    return judgement.claim, judgement.hedge, judgement.admits


@pytest.mark.parametrize(
    ("sentence", "claim", "hedge"),
    [
        ("This was triggered by last night's migration", "triggered by", None),
        ("We believe a faulty config push is responsible", "responsible", "we believe"),
        ("This appears to be related to a network issue at our provider", "related to", "appears"),
        ("The root cause was an expired certificate", "cause was", None),
        ("A database load balancer change caused connection failures", "caused", None),
        ("A bad BGP push cut our datacenter off the Internet", "cut", None),
        ("The cause of this outage was a bad rule", "cause of this outage was", None),
        ("We are investigating whether the latest deploy is involved", "involved", "whether"),
    ],
)
def test_cause_claims_are_found_with_the_cue_that_shows_them(
    sentence: str, claim: str, hedge: str | None
) -> None:
    assert verdict(sentence)[:2] == (claim, hedge)


@pytest.mark.parametrize(
    "sentence",
    [
        "The cause is not yet known",
        "Customers cannot check out due to elevated errors",
        "We are still working to understand why this is happening",
        "We have not identified the cause",
        "It's too early to say what caused this",
        "This was not caused by a security incident",
        "There was no data loss as a result of this incident.",
        "An issue is affecting logins",
        "Logins were broken for an hour",
        "We have identified the root cause and are working on a fix.",
    ],
)
def test_negated_unknown_and_effect_sentences_claim_no_cause(sentence: str) -> None:
    assert verdict(sentence)[0] is None


@pytest.mark.parametrize(
    "sentence",
    [
        "The cause is not yet known",
        "We are still working to understand why this is happening",
        "We have not identified the cause",
        "It's too early to say what caused this",
        "We are currently investigating the root cause",
        "We haven't pinned down what triggered the errors",
    ],
)
def test_honest_sentences_admit_the_unknown(sentence: str) -> None:
    assert verdict(sentence)[2] is not None


@pytest.mark.parametrize(
    "sentence",
    ["We are continuing to investigate this issue.", "This was not caused by a security incident"],
)
def test_sentences_that_do_not_speak_of_the_cause_admit_nothing(sentence: str) -> None:
    assert verdict(sentence)[2] is None


@pytest.mark.parametrize(
    "action",
    [
        "Roll out the fix and back up the database",
        "Verify that the release was rolled back",
        "Make sure the flag is not disabled",
        "Roll forward instead of rolling back",
        "Check the drains are empty",
        "Ask the owner whether to roll back",
    ],
)
def test_actions_that_check_or_ask_about_a_way_back_do_not_take_one(action: str) -> None:
    assert action_hit(action, WAYS_BACK) is None


def test_a_long_run_of_gaps_matches_in_linear_time() -> None:
    listed = Phrases(["a ... a ... a ... a ... a ... a ... a ... b"])
    assert listed.first("a " * 200) is None
    assert listed.first("a " * 200 + "b") is not None


@pytest.mark.parametrize(
    ("sentence", "claim"),
    [
        ("We are investigating the impact and a bad deploy broke logins", "broke"),
        ("Our team deleted the stuck jobs", None),
        ("The on-call engineer cut traffic to eu-west", None),
        ("Cause: {{ unknowns }}", None),
        ("Cause: pending", None),
    ],
)
def test_clauses_actors_and_template_values(sentence: str, claim: str | None) -> None:
    assert verdict(sentence)[0] == claim


def test_cause_verbs_listed_inflected_count_as_written_and_do_not_hide_others() -> None:
    cues = UpdateCues.of(cause_verbs=["brought down", "bring down"])
    for text in ["A bad push brought down logins", "A bad push brings down logins"]:
        [judgement] = judge(text, cues)
        assert judgement.claim is not None, text


def test_a_claim_in_one_clause_is_not_excused_by_an_inquiry_in_another() -> None:
    claim, _, _ = verdict("A bad deploy caused this, but our investigation is ongoing.")
    assert claim == "caused"


def test_check_update_is_the_plain_function_the_incident_engine_calls() -> None:
    found = check_update("Checkout is failing. We believe a faulty config push is responsible.")
    assert [(f.kind, f.sentence) for f in found] == [
        ("premature-cause", "We believe a faulty config push is responsible."),
        ("no-unknowns", None),
    ]
    assert found[0].message == (
        "'We believe a faulty config push is responsible.' suggests a cause "
        "('we believe', 'responsible')"
    )
    assert check_update("Checkout is failing. The cause is not yet known.") == []


def _config(tmp_path: Path, rules: str) -> Config:
    from icrunbook.config import load_config

    config_file = tmp_path / ".icrun.yaml"
    config_file.write_text(f"rules:\n{rules}", encoding="utf-8")
    return load_config(str(config_file))


def test_check_update_follows_each_rule_s_own_options(tmp_path: Path) -> None:
    config = _config(
        tmp_path,
        "  comms-no-premature-cause: {options: {cause_cues: [blame]}}\n"
        "  comms-admit-unknowns: {options: {unknown_cues: [tbc]}}\n",
    )
    assert [f.kind for f in check_update("We blame DNS. The cause: tbc.", config)] == [
        "premature-cause"
    ]
    assert check_update("This was due to DNS. The cause: tbc.", config) == []


def test_check_update_leaves_out_a_rule_that_is_off(tmp_path: Path) -> None:
    config = _config(tmp_path, "  comms-admit-unknowns: off\n")
    assert check_update("Checkout is failing.", config) == []
    assert update_cues("comms-admit-unknowns", config) is None


def test_empty_cues_judge_nothing() -> None:
    [judgement] = judge("This was caused by DNS", UpdateCues.of())
    assert (judgement.claim, judgement.admits, judgement.why) == (None, None, "")
    assert judge_update("This was caused by DNS", None, None) == []


def _documented(kind: str) -> list[tuple[str, bool]]:
    """The rows of the tables in the text rules' documentation: (text, passes)."""
    import re
    from pathlib import Path

    page = Path(__file__).resolve().parent.parent / "icrunbook" / "rulesets" / "docs"
    text = (page / "text-rules.md").read_text(encoding="utf-8")
    section = text.split(f"### `{kind}`")[1].split("###")[0]
    rows = re.findall(r"^\| (.+?) \| (passes|fires)", section, re.MULTILINE)
    return [(row, verdict == "passes") for row, verdict in rows]


def test_the_documented_ways_back_are_judged_as_documented() -> None:
    for action, passes in _documented("rollback-option"):
        assert (action_hit(action, WAYS_BACK) is not None) == passes, action


def test_the_documented_sentences_are_judged_as_documented() -> None:
    for sentence, passes in _documented("comms-no-premature-cause"):
        assert (verdict(sentence)[0] is None) == passes, sentence
    for sentence, passes in _documented("comms-admit-unknowns"):
        assert (verdict(sentence)[2] is not None) == passes, sentence


def test_lint_quotes_the_sentence_through_the_installed_cli(icrun_process, tmp_path) -> None:
    from conftest import distinct, runbook

    text = runbook(
        (
            "        What we do not know yet: {{ unknowns }}\n",
            "        We believe a faulty config push is responsible.\n",
        ),
        (
            "    action: Roll back web-api to the last known-good revision with Argo CD.",
            "    action: Rolled web-api back to the last known-good revision with Argo CD.",
        ),
    )
    (tmp_path / "runbook.yaml").write_text(distinct(text, "phrasing"), encoding="utf-8")
    done = icrun_process(
        "lint", "--select", "comms-*,rollback-option", "runbook.yaml", cwd=tmp_path
    )
    found = [line for line in done.out.splitlines() if "runbook.yaml:" in line]
    rules = sorted(
        rule
        for line in found
        for rule in ["comms-admit-unknowns", "comms-no-premature-cause"]
        if rule in line
    )
    assert rules == ["comms-admit-unknowns", "comms-no-premature-cause"], done.out
    assert "'We believe a faulty config push is responsible.' suggests a cause " in done.out
    assert "('we believe', 'responsible') before the postmortem" in done.out
    assert "rollback-option" not in done.out  # "Rolled web-api back" is a way back


def test_a_shipped_rule_read_without_positions_is_the_same_rule() -> None:
    from icrunbook.rules.ruleset import builtin_ruleset, shipped_rule

    for name in ("comms-no-premature-cause", "comms-admit-unknowns"):
        fast, full = shipped_rule("recommended", name), builtin_ruleset("recommended")[name]
        assert fast.option_defaults() == full.option_defaults()
        assert fast.then == full.then
