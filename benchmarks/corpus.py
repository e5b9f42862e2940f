"""Realistic runbook corpora for benchmarks, made by varying the example runbooks.

:func:`generate` writes runbooks of 3-15 KB: renamed, with 5-40 steps drawn from one example
(duplicated and shuffled, phase order kept), shorter or longer texts, some optional sections
dropped. About ``invalid_ratio`` of them are broken the way people break runbooks: a misspelt
key, a bad duration, an unknown phase, a missing required key, a repeated key. The same seed
gives the same files, and a larger corpus starts with the files of a smaller one.

Run it: ``python benchmarks/corpus.py OUT_DIR --count 1000 [--seed 0]``.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import random
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

EXAMPLES = Path(__file__).resolve().parent.parent / "runbooks"
MODELINE = "# yaml-language-server: $schema=../schemas/runbook.schema.json\n"
MIN_BYTES = 3 * 1024
MAX_BYTES = 15 * 1024
MIN_STEPS = 5
MAX_STEPS = 40
BORROWED_SENTENCES = 4

Runbook = dict[str, Any]
Step = dict[str, Any]

STEP_KEYS = (
    "id",
    "phase",
    "owner",
    "action",
    "details",
    "command",
    "timebox",
    "verify",
    "when",
    "on_failure",
    "links",
)
REQUIRED_STEP_KEYS = frozenset({"id", "phase", "owner", "action"})
# Phases that keep their place in the checklist; communicate and coordinate stand anywhere.
PHASE_RANK = {"triage": 0, "mitigate": 1, "investigate": 2, "recover": 2, "resolve": 3}
SERVICES = (
    "checkout",
    "payments",
    "search",
    "catalog",
    "orders",
    "identity",
    "billing",
    "notifications",
    "inventory",
    "shipping",
    "ledger",
    "media",
)
DURATIONS = ("2m", "3m", "5m", "10m", "15m", "20m", "30m", "45m", "1h", "1h30m")
BAD_DURATIONS: tuple[str | int, ...] = ("5 min", "1 hour", 30, "15mins", "1.5h", "2 days", "PT15M")
BAD_PHASES = ("mitigation", "investigation", "monitor", "verify", "rollback", "Triage")
TYPOS = {
    "timebox": "time_box",
    "on_failure": "onFailure",
    "internal_update": "internal_updates",
    "stakeholder_update": "stakeholders_update",
    "owner": "owners",
    "details": "detail",
    "verify": "verfiy",
    "command": "commands",
    "description": "desciption",
    "max_shift": "max-shift",
    "last_reviewed": "last_reviewd",
    "duties": "duty",
    "title": "tittle",
}
# A key: value line whose value is one short token, so a copy of it is a clean repeated key.
REPEATABLE_LINE = re.compile(
    r"^ *(owner|phase|timebox|internal_update|stakeholder_update): [\w-]+$", re.MULTILINE
)


@dataclass(frozen=True, slots=True)
class CorpusFile:
    """One generated runbook, and how it was broken (``None`` for a valid one)."""

    path: Path
    defect: str | None


@dataclass(slots=True)
class _StepDraft:
    """A step that grows by one optional key, or one sentence of details, at a time."""

    source: Step
    optional: list[str]
    sentences: list[str]
    kept: int = 0
    said: int = 1
    size: int = field(init=False)

    def __post_init__(self) -> None:
        self.size = _approx_size(self.render())

    def render(self) -> Step:
        """The step with its required keys and the optional keys kept so far."""
        present = REQUIRED_STEP_KEYS | set(self.optional[: self.kept])
        step = {key: self.source.get(key) for key in STEP_KEYS if key in present}
        if "details" in step:
            step["details"] = " ".join(self.sentences[: self.said])
        return step

    def grow(self) -> bool:
        """Add one optional key, else one sentence of details; False when fully grown."""
        if self.kept < len(self.optional):
            self.kept += 1
        elif self.said < len(self.sentences):
            self.said += 1
        else:
            return False
        self.size = _approx_size(self.render())
        return True


def load_examples(folder: Path = EXAMPLES) -> list[Runbook]:
    """The example runbooks the corpus is made from, each laid over the policy it names, so
    that every corpus file stands alone (the policy itself is no example)."""
    from icrunbook.pipeline.runner import Runner

    runner = Runner()
    documents = [runner.load(str(path)) for path in sorted(folder.glob("*.yaml"))]
    return [document.data for document in documents if document.kind == "Runbook"]


def _approx_size(data: object) -> int:
    """Bytes the data takes as YAML, near enough (compact JSON is within a few percent)."""
    return len(json.dumps(data, separators=(",", ":")))


def _sentences(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?])\s+", text.strip()) if part]


def _subset(items: Sequence[Any], rng: random.Random, minimum: int = 1) -> list[Any]:
    """A random selection of ``items`` in their original order."""
    if len(items) <= minimum:
        return list(items)
    chosen = sorted(rng.sample(range(len(items)), rng.randint(minimum, len(items))))
    return [items[i] for i in chosen]


def _date(rng: random.Random) -> str:
    """A review date, written YYYY-MM-DD."""
    return f"{rng.randint(2024, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _vary_metadata(metadata: dict[str, Any], rng: random.Random, index: int) -> None:
    """Rename the runbook for another service, and vary its review date, version and lists."""
    service = rng.choice(SERVICES)
    topic = metadata["title"].split(": ", 1)[-1]
    metadata["name"] = f"{service}-{metadata['name']}-{index}"
    metadata["title"] = f"{service.capitalize()}: {topic}"
    metadata["service"] = service
    metadata["last_reviewed"] = _date(rng)
    metadata["version"] = rng.randint(1, 20)
    for key in ("tags", "links"):
        if key in metadata:
            metadata[key] = _subset(metadata[key], rng)


def _own_alerts(doc: Runbook, index: int) -> None:
    """Each runbook opened by alerts of its own, as in a real repository (one alert opening
    a hundred runbooks is what ``duplicate-trigger`` reports)."""
    for trigger in doc.get("triggers", []):
        if "alert" in trigger:
            trigger["alert"] = f"{trigger['alert']}{index}"


def _vary_sections(doc: Runbook, rng: random.Random) -> None:
    """Trim the lists of roles and templates, and drop some optional sections."""
    for role in doc["roles"].values():
        role["duties"] = _subset(role["duties"], rng)
        if "must_not" in role:
            role["must_not"] = _subset(role["must_not"], rng)
    templates = doc["communications"]["templates"]
    for name in list(templates):
        if name not in ("initial", "update", "resolved") and rng.random() < 0.5:
            del templates[name]
    if "triggers" in doc:
        doc["triggers"] = _subset(doc["triggers"], rng)
    for key in ("triggers", "escalation", "handoff", "postmortem", "x-team-slack"):
        if key in doc and rng.random() < 0.3:
            del doc[key]


def _draw_steps(pool: list[Step], count: int, rng: random.Random) -> list[Step]:
    """``count`` steps from ``pool``, repeating steps (with new ids) once it runs out."""
    picks = rng.sample(pool, min(count, len(pool)))
    picks += rng.choices(pool, k=count - len(picks))
    seen: Counter[str] = Counter()
    steps = []
    for pick in picks:
        step = copy.deepcopy(pick)
        seen[step["id"]] += 1
        if seen[step["id"]] > 1:
            step["id"] = f"{step['id']}-{seen[step['id']]}"
        steps.append(step)
    ids = {step["id"] for step in steps}
    for step in steps:
        if step.get("on_failure", "escalate") not in ids:
            step["on_failure"] = "escalate"
        if "timebox" in step:
            step["timebox"] = rng.choice(DURATIONS)
    return steps


def _order_steps(steps: list[Step], rng: random.Random) -> list[Step]:
    """Shuffle steps within their phase order; communicate and coordinate steps go anywhere."""
    ordered = [step for step in steps if step["phase"] in PHASE_RANK]
    rng.shuffle(ordered)
    ordered.sort(key=lambda step: PHASE_RANK[step["phase"]])
    for step in steps:
        if step["phase"] not in PHASE_RANK:
            ordered.insert(rng.randint(min(1, len(ordered)), len(ordered)), step)
    return ordered


def _drafts(steps: list[Step], pool: list[Step], rng: random.Random) -> list[_StepDraft]:
    """Terse drafts of the steps; details may borrow sentences from other steps of the pool."""
    borrowable = [s for step in pool for s in _sentences(step.get("details", ""))]
    drafts = []
    for step in steps:
        optional = [key for key in STEP_KEYS if key not in REQUIRED_STEP_KEYS and key in step]
        if "details" not in optional:
            optional.append("details")
        rng.shuffle(optional)
        borrowed = rng.sample(borrowable, min(BORROWED_SENTENCES, len(borrowable)))
        drafts.append(_StepDraft(step, optional, _sentences(step.get("details", "")) + borrowed))
    return drafts


def _grow_to(drafts: list[_StepDraft], budget: int, rng: random.Random) -> None:
    """Grow random steps until together they take about ``budget`` bytes."""
    total = sum(draft.size for draft in drafts)
    growing = list(drafts)
    while total < budget and growing:
        draft = rng.choice(growing)
        before = draft.size
        if draft.grow():
            total += draft.size - before
        else:
            growing.remove(draft)


def _variant(base: Runbook, rng: random.Random, index: int) -> Runbook:
    """A valid runbook made from ``base``, aiming at a random size within the limits."""
    doc = copy.deepcopy(base)
    _vary_metadata(doc["metadata"], rng, index)
    _own_alerts(doc, index)
    _vary_sections(doc, rng)
    steps = _order_steps(_draw_steps(base["steps"], rng.randint(MIN_STEPS, MAX_STEPS), rng), rng)
    drafts = _drafts(steps, base["steps"], rng)
    doc["steps"] = []
    target = rng.randint(int(MIN_BYTES * 1.1), int(MAX_BYTES * 0.95))
    _grow_to(drafts, target - _approx_size(doc), rng)
    doc["steps"] = [draft.render() for draft in drafts]
    return doc


def _keyed_mappings(doc: Runbook) -> list[dict[str, Any]]:
    """The mappings whose keys the schema fixes (not those keyed by names, like ``roles``)."""
    return [
        doc,
        doc["metadata"],
        doc["communications"],
        *doc["steps"],
        *doc["severities"].values(),
        *doc["roles"].values(),
    ]


def _misspell(key: str, rng: random.Random) -> str:
    if key in TYPOS:
        return TYPOS[key]
    i = rng.randrange(len(key) - 1)
    swapped = key[:i] + key[i + 1] + key[i] + key[i + 2 :]
    return swapped if swapped != key else key + key[-1]


def _misspelt_key(doc: Runbook, rng: random.Random) -> None:
    """Rename one key, in place, to a typo of itself."""
    mapping = rng.choice(_keyed_mappings(doc))
    key = rng.choice([key for key in mapping if not key.startswith("x-")])
    items = list(mapping.items())
    mapping.clear()
    mapping.update((_misspell(k, rng) if k == key else k, v) for k, v in items)


def _bad_duration(doc: Runbook, rng: random.Random) -> None:
    """Write one duration the way people say it ("5 min") rather than as the schema wants."""
    places = [(severity, "internal_update") for severity in doc["severities"].values()]
    places += [(step, "timebox") for step in doc["steps"] if "timebox" in step]
    mapping, key = rng.choice(places)
    mapping[key] = rng.choice(BAD_DURATIONS)


def _unknown_phase(doc: Runbook, rng: random.Random) -> None:
    """Give one step a phase that is not one of the schema's."""
    rng.choice(doc["steps"])["phase"] = rng.choice(BAD_PHASES)


def _missing_key(doc: Runbook, rng: random.Random) -> None:
    """Remove one required key; steps, being most of a runbook, are the likeliest place."""
    places: list[tuple[dict[str, Any], str]] = [(doc, "communications")]
    places += [(doc["metadata"], key) for key in ("title", "service", "owner")]
    places += [(step, key) for step in doc["steps"] for key in ("phase", "owner", "action")]
    places += [(severity, "stakeholder_update") for severity in doc["severities"].values()]
    places += [(role, "duties") for role in doc["roles"].values()]
    mapping, key = rng.choice(places)
    del mapping[key]


def _repeat_key(text: str, rng: random.Random) -> str:
    """Repeat one ``key: value`` line, as a careless merge or copy-paste does."""
    line = rng.choice(list(REPEATABLE_LINE.finditer(text)))
    return text[: line.end()] + "\n" + line.group(0) + text[line.end() :]


BREAKERS: dict[str, Callable[[Runbook, random.Random], None]] = {
    "misspelt-key": _misspelt_key,
    "bad-duration": _bad_duration,
    "unknown-phase": _unknown_phase,
    "missing-key": _missing_key,
}
DEFECTS = (*BREAKERS, "duplicate-key")


def _is_broken(index: int, ratio: float) -> bool:
    """Spread the broken files evenly: ``floor(count * ratio)`` of any ``count`` first files."""
    return math.floor((index + 1) * ratio) > math.floor(index * ratio)


def _runbook_file(
    bases: list[Runbook], rng: random.Random, index: int, defect: str | None
) -> tuple[str, str]:
    """The name and text of one runbook of 3-15 KB, broken by ``defect`` if any."""
    while True:  # sizes are estimated while building; the rare miss is drawn again
        doc = _variant(rng.choice(bases), rng, index)
        name: str = doc["metadata"]["name"]
        if defect in BREAKERS:
            BREAKERS[defect](doc, rng)
        text = MODELINE + yaml.safe_dump(doc, sort_keys=False)
        if defect == "duplicate-key":
            text = _repeat_key(text, rng)
        if MIN_BYTES <= len(text.encode("utf-8")) <= MAX_BYTES:
            return name, text


def generate(
    folder: Path | str, count: int, seed: int = 0, invalid_ratio: float = 0.1
) -> list[CorpusFile]:
    """Write ``count`` runbooks into ``folder`` (created if needed), about ``invalid_ratio`` of
    them broken; the same arguments always write the same files."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    bases = load_examples()
    seeds = random.Random(seed)
    files = []
    for index in range(count):
        rng = random.Random(seeds.getrandbits(64))
        defect = rng.choice(DEFECTS) if _is_broken(index, invalid_ratio) else None
        name, text = _runbook_file(bases, rng, index, defect)
        path = folder / f"{index:05d}-{name}.yaml"
        path.write_text(text, encoding="utf-8")
        files.append(CorpusFile(path, defect))
    return files


def main(argv: list[str] | None = None) -> None:
    """Command line: write a corpus and say what was written."""
    parser = argparse.ArgumentParser(description="Write a corpus of realistic runbooks.")
    parser.add_argument("out_dir", type=Path, help="folder to write the runbooks into")
    parser.add_argument("--count", type=int, default=1000, help="number of runbooks (1000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (0)")
    parser.add_argument(
        "--invalid-ratio", type=float, default=0.1, help="share of broken runbooks (0.1)"
    )
    args = parser.parse_args(argv)
    files = generate(args.out_dir, args.count, args.seed, args.invalid_ratio)
    sizes = [file.path.stat().st_size for file in files] or [0]
    defects = Counter(file.defect for file in files if file.defect)
    broken = ", ".join(f"{n} {name}" for name, n in sorted(defects.items())) or "none"
    print(
        f"wrote {len(files)} runbooks of {min(sizes) / 1024:.1f}-{max(sizes) / 1024:.1f} KB "
        f"to {args.out_dir}; broken: {broken}"
    )


if __name__ == "__main__":
    main()
