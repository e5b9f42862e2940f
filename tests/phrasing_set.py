"""The labelled phrasing set in ``data/phrasing/`` judged by the text rules, through the engine.

Each action becomes the one mitigate step of the clean example runbook (``rollback-option``
should stay silent exactly on ways back); each sentence becomes the body of the ``initial``
template (``comms-no-premature-cause`` should fire exactly on cause claims, hedged or not, and
``comms-admit-unknowns`` should stay silent exactly on admitted unknowns). Shared by
``test_phrasing_set.py`` (the thresholds) and ``benchmarks/phrasing.py`` (the tables).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from icrunbook.api import default_config, lint_document
from icrunbook.pipeline.plan import Selection
from icrunbook.rules.examples import example_document

DATA = Path(__file__).resolve().parent / "data" / "phrasing"
CAUSES = ("cause_claim", "hedged_claim")


@dataclass
class Confusion:
    """Counts of one rule's verdicts against the labels."""

    rule: str
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    true_negative: int = 0
    misjudged: list[str] = field(default_factory=list)  # the texts judged against their label

    def add(self, predicted: bool, actual: bool, text: str) -> None:
        if predicted != actual:
            self.misjudged.append(text)
        if predicted and actual:
            self.true_positive += 1
        elif predicted:
            self.false_positive += 1
        elif actual:
            self.false_negative += 1
        else:
            self.true_negative += 1

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else float("nan")

    @property
    def recall(self) -> float:
        real = self.true_positive + self.false_negative
        return self.true_positive / real if real else float("nan")

    def table(self, positive: str) -> str:
        return (
            f"{self.rule} (positive: {positive})\n"
            f"                 labelled yes   labelled no\n"
            f"  judged yes     {self.true_positive:12}   {self.false_positive:11}\n"
            f"  judged no      {self.false_negative:12}   {self.true_negative:11}\n"
            f"  precision {self.precision:.2f}, recall {self.recall:.2f}\n"
        )


def _load(name: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    return entries


def _fires(rule: str, fragment: dict[str, Any]) -> bool:
    text = yaml.safe_dump(fragment, sort_keys=False, allow_unicode=True)
    document = example_document(text, f"{rule}.yaml")
    found = lint_document(document, default_config(), Selection(select=(rule,)))
    return any(d.rule == rule for d in found)


def _step(action: str) -> dict[str, Any]:
    step = {"id": "act", "phase": "mitigate", "owner": "ops", "action": action}
    return {"steps": [{**step, "timebox": "10m", "verify": "Errors below 1%"}]}


def _initial(sentence: str) -> dict[str, Any]:
    body = f"{sentence} Next update {{{{ next_update }}}}. Impact: {{{{ impact }}}}."
    return {
        "communications": {"templates": {"initial": {"audience": "stakeholders", "body": body}}}
    }


POSITIVES = {
    "rollback-option": "names a way back",
    "comms-no-premature-cause": "claims or suggests a cause",
    "comms-admit-unknowns": "admits what is not known",
}


def evaluate() -> dict[str, Confusion]:
    """Each text rule's verdicts on the labelled set, by rule name."""
    ways_back = Confusion("rollback-option")
    for entry in _load("mitigation-actions.yaml"):
        fired = _fires("rollback-option", _step(entry["text"]))
        ways_back.add(not fired, entry["way_back"], entry["text"])
    causes = Confusion("comms-no-premature-cause")
    unknowns = Confusion("comms-admit-unknowns")
    for entry in _load("status-updates.yaml"):
        initial = _initial(entry["text"])
        text = f"[{entry['label']}] {entry['text']}"
        causes.add(_fires(causes.rule, initial), entry["label"] in CAUSES, text)
        admitted = not _fires(unknowns.rule, initial)
        unknowns.add(admitted, entry["label"] == "unknown_admitted", text)
    return {confusion.rule: confusion for confusion in (ways_back, causes, unknowns)}
