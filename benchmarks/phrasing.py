"""How the text rules judge real phrasing: confusion tables on the labelled set in
``tests/data/phrasing/`` (mitigation actions, status-update sentences, each with its source).

Each action becomes the one mitigate step of the clean example runbook (``rollback-option`` should
stay silent exactly on ways back); each sentence becomes the body of the ``initial`` template
(``comms-no-premature-cause`` should fire exactly on cause claims, hedged or not, and
``comms-admit-unknowns`` should stay silent exactly on admitted unknowns). A benchmark, not a
test: it prints precision and recall and never fails.

Run it from the checkout: ``python benchmarks/phrasing.py``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from icrunbook.api import default_config, lint_document
from icrunbook.pipeline.plan import Selection
from icrunbook.rules.examples import example_document

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "phrasing"
CAUSES = ("cause_claim", "hedged_claim")


@dataclass
class Confusion:
    """Counts of one rule's verdicts against the labels."""

    rule: str
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    true_negative: int = 0

    def add(self, predicted: bool, actual: bool) -> None:
        if predicted and actual:
            self.true_positive += 1
        elif predicted:
            self.false_positive += 1
        elif actual:
            self.false_negative += 1
        else:
            self.true_negative += 1

    def table(self, positive: str) -> str:
        found = self.true_positive + self.false_positive
        real = self.true_positive + self.false_negative
        precision = self.true_positive / found if found else float("nan")
        recall = self.true_positive / real if real else float("nan")
        return (
            f"{self.rule} (positive: {positive})\n"
            f"                 labelled yes   labelled no\n"
            f"  judged yes     {self.true_positive:12}   {self.false_positive:11}\n"
            f"  judged no      {self.false_negative:12}   {self.true_negative:11}\n"
            f"  precision {precision:.2f}, recall {recall:.2f}\n"
        )


def _load(name: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    return entries


def _fires(rule: str, fragment: dict[str, Any]) -> bool:
    text = yaml.safe_dump(fragment, sort_keys=False, allow_unicode=True)
    document = example_document(text, f"{rule}.yaml")
    found = lint_document(document, CONFIG, Selection(select=(rule,)))
    return any(d.rule == rule for d in found)


def _step(action: str) -> dict[str, Any]:
    step = {"id": "act", "phase": "mitigate", "owner": "ops", "action": action}
    return {"steps": [{**step, "timebox": "10m", "verify": "Errors below 1%"}]}


def _initial(sentence: str) -> dict[str, Any]:
    body = f"{sentence} Next update {{{{ next_update }}}}. Impact: {{{{ impact }}}}."
    return {
        "communications": {"templates": {"initial": {"audience": "stakeholders", "body": body}}}
    }


def main() -> None:
    ways_back = Confusion("rollback-option")
    for entry in _load("mitigation-actions.yaml"):
        ways_back.add(not _fires("rollback-option", _step(entry["text"])), entry["way_back"])
    causes = Confusion("comms-no-premature-cause")
    unknowns = Confusion("comms-admit-unknowns")
    for entry in _load("status-updates.yaml"):
        initial = _initial(entry["text"])
        causes.add(_fires("comms-no-premature-cause", initial), entry["label"] in CAUSES)
        unknowns.add(
            not _fires("comms-admit-unknowns", initial), entry["label"] == "unknown_admitted"
        )
    print(ways_back.table("names a way back"))
    print(causes.table("claims or suggests a cause"))
    print(unknowns.table("admits what is not known"))


os.environ.setdefault("ICRUN_TODAY", "2026-11-27")
CONFIG = default_config()

if __name__ == "__main__":
    main()
