"""Per-file cost of loading and validating runbooks, measured in-process.

Generates a corpus (see ``corpus.py``) in a temporary folder, pays every one-time setup first
(and reports what it cost), then times each stage on every file: the best of ``--repeat`` runs
per file, with the garbage collector paused as ``timeit`` does. Benchmarks, not tests: nothing
here passes or fails.

Run it from the checkout: ``python benchmarks/bench_load.py [--count 200] [--repeat 5]`` (with
``PYTHONPATH=.`` when icrunbook is not installed).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import importlib.util
import math
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import TypeVar

import yaml
from corpus import CorpusFile, generate

from icrunbook.loader import Document, load_bytes
from icrunbook.validation import is_valid, validate_document

T = TypeVar("T")
COMPILED_MODULE = "icrunbook.validation.compiled.runbook"


@dataclass(frozen=True, slots=True)
class Stage:
    """One timed stage: seconds per file."""

    label: str
    seconds: list[float]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000 if self.seconds else math.nan

    @property
    def mean_ms(self) -> float:
        return statistics.fmean(self.seconds) * 1000 if self.seconds else math.nan


@dataclass(frozen=True, slots=True)
class Loaded:
    """A corpus file's bytes, and the document icrunbook loads from them."""

    data: bytes
    document: Document


@contextmanager
def gc_paused() -> Iterator[None]:
    """Collect once, then keep the garbage collector out of the timings."""
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def once(action: Callable[[], object]) -> float:
    """Seconds one call of ``action`` takes."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def per_file(label: str, items: Sequence[T], action: Callable[[T], object], repeat: int) -> Stage:
    """Best-of-``repeat`` seconds of ``action`` on each item, after an untimed warm-up pass."""
    for item in items:
        action(item)
    best = [float("inf")] * len(items)
    with gc_paused():
        for _ in range(repeat):
            for i, item in enumerate(items):
                start = time.perf_counter()
                action(item)
                best[i] = min(best[i], time.perf_counter() - start)
    return Stage(label, best)


def module_source(module: str) -> Path:
    """The source file of a module, found without importing it."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise ImportError(module)
    return Path(spec.origin)


def compile_seconds(source: Path) -> float:
    """Seconds to compile a source file to bytecode (what a cached .pyc saves)."""
    text = source.read_bytes()
    return once(lambda: compile(text, str(source), "exec"))


def bytecode_note(source: Path) -> str:
    """Whether each new process that imports ``source`` compiles it again."""
    about = f"{source.name} ({source.stat().st_size / 1024:.0f} KB)"
    if Path(importlib.util.cache_from_source(str(source))).exists():
        return f"{about} has a cached .pyc, so imports skip compiling it"
    if sys.dont_write_bytecode:
        return f"{about} has no .pyc and bytecode writing is off: every process compiles it"
    return f"{about} has no .pyc yet; the first import writes one"


def setup_costs(valid: Document, invalid: Document, source: Path) -> list[tuple[str, float]]:
    """One-time costs, each paid by the first call that needs it (before any warm-up)."""
    return [
        ("import fastjsonschema", once(lambda: importlib.import_module("fastjsonschema"))),
        (
            "first is_valid (imports compiled/runbook.py)",
            once(lambda: is_valid(valid.data, "runbook")),
        ),
        ("  compiling its source (what a .pyc saves)", compile_seconds(source)),
        ("import jsonschema", once(lambda: importlib.import_module("jsonschema"))),
        (
            "first validate_document, invalid doc (explain)",
            once(lambda: validate_document(invalid)),
        ),
    ]


def with_bad_kind(document: Document) -> Document:
    """A copy of a valid document with one schema error, to pay the explain setup on."""
    data = {**document.data, "kind": "RunBook"}
    return Document(document.path, document.text, data, root=document.root)


def fresh_locate(document: Document) -> object:
    """The first ``locate()`` of a document: a new Document over the same nodes, no index yet."""
    return Document(document.path, document.text, root=document.root).locate(("steps", 0))


def measure(loaded: list[Loaded], repeat: int) -> list[Stage]:
    """Time each stage on the files it applies to."""
    texts = [item.data.decode("utf-8") for item in loaded]
    documents = [item.document for item in loaded if isinstance(item.document.data, dict)]
    valid = [doc for doc in documents if is_valid(doc.data, "runbook")]
    invalid = [doc for doc in documents if not is_valid(doc.data, "runbook")]
    return [
        per_file(
            "(a) parse: yaml.load, CSafeLoader",
            texts,
            lambda text: yaml.load(text, Loader=yaml.CSafeLoader),
            repeat,
        ),
        per_file(
            "(b) icrunbook load_bytes",
            loaded,
            lambda item: load_bytes(item.data, item.document.path),
            repeat,
        ),
        per_file(
            "(c) is_valid, valid docs",
            valid,
            lambda doc: is_valid(doc.data, "runbook"),
            repeat,
        ),
        per_file("(d) validate_document, valid docs", valid, validate_document, repeat),
        per_file("(e) validate_document, invalid docs", invalid, validate_document, repeat),
        per_file("(f) first locate() (index build)", documents, fresh_locate, repeat),
    ]


def table(stages: list[Stage]) -> str:
    """The stages as an aligned text table."""
    width = max(len(stage.label) for stage in stages)
    lines = [f"{'stage':<{width}}  {'files':>5}  {'median ms':>9}  {'mean ms':>8}  {'files/s':>8}"]
    lines += [
        f"{stage.label:<{width}}  {len(stage.seconds):>5}  {stage.median_ms:>9.3f}  "
        f"{stage.mean_ms:>8.3f}  {1000 / stage.mean_ms:>8.0f}"
        for stage in stages
    ]
    return "\n".join(lines)


def machine() -> str:
    """Platform, Python, CPUs and the versions of the libraries measured."""
    libyaml = "libyaml" if yaml.__with_libyaml__ else "no libyaml"
    return (
        f"{platform.platform()}; {platform.python_implementation()} {platform.python_version()}; "
        f"{os.cpu_count()} CPUs\nPyYAML {yaml.__version__} ({libyaml}), "
        f"fastjsonschema {version('fastjsonschema')}, jsonschema {version('jsonschema')}"
    )


def load(file: CorpusFile) -> Loaded:
    """Read and load one file."""
    data = file.path.read_bytes()
    return Loaded(data, load_bytes(data, str(file.path)))


def main(argv: list[str] | None = None) -> None:
    """Command line: generate a corpus in a temporary folder and print the measurements."""
    parser = argparse.ArgumentParser(description="Per-file cost of loading and validating.")
    parser.add_argument("--count", type=int, default=200, help="runbooks to generate (200)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per file (5)")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (0)")
    args = parser.parse_args(argv)
    if args.count < 1 or args.repeat < 1:
        parser.error("--count and --repeat must be at least 1")
    with tempfile.TemporaryDirectory(prefix="icrun-bench-") as folder:
        start = time.perf_counter()
        files = generate(folder, args.count, args.seed)
        generated = time.perf_counter() - start
        # Set up before the corpus is loaded: a full heap makes the collector slow imports down.
        sample = load(files[0]).document  # the first file is never a broken one
        source = module_source(COMPILED_MODULE)
        note = bytecode_note(source)
        setup = setup_costs(sample, with_bad_kind(sample), source)
        loaded = [load(file) for file in files]
        stages = measure(loaded, args.repeat)
    sizes = [len(item.data) / 1024 for item in loaded]
    print(machine())
    print(
        f"corpus: {len(files)} files, {min(sizes):.1f}-{max(sizes):.1f} KB "
        f"(mean {statistics.fmean(sizes):.1f}), seed {args.seed}, generated in {generated:.1f} s; "
        f"best of {args.repeat} runs per file"
    )
    print()
    print(table(stages))
    print()
    parse, valid_stage = stages[0], stages[3]
    print(f"validate (valid) / parse: {valid_stage.median_ms / parse.median_ms:.3f} (medians)")
    print()
    print("one-time setup, not in the per-file numbers:")
    for label, seconds in setup:
        print(f"  {label:<50} {seconds * 1000:8.1f} ms")
    print(f"  note: {note}")


if __name__ == "__main__":
    main()
