"""Cost of rendering one long runbook as a checklist, measured in-process.

Builds a 60-step runbook from an example (its steps repeated with new ids, mitigation still
first), writes it to a temporary folder, and times per call, after a warm-up:

- ``checklist_of``: load, schema check and build the Checklist;
- ``html.render(checklist)``: the built-in Jinja2 template (the target: under 50 ms);
- ``checklist_of`` + ``html.render``, as ``icrun render`` does;
- ``markdown.render`` and ``text.render`` when those modules exist.

Each figure is the median of ``--runs`` calls (at least 50), timed with ``time.perf_counter``
and the garbage collector paused. Benchmarks, not tests: nothing here passes or fails.

Run it from the checkout: ``python benchmarks/bench_render.py [--steps 60] [--runs 200]``
(with ``PYTHONPATH=.`` when icrunbook is not installed).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import Any

import yaml

from icrunbook.render import html as html_format
from icrunbook.render.model import Checklist
from icrunbook.render.renderer import checklist_of

EXAMPLE = Path(__file__).resolve().parent.parent / "runbooks" / "web-api-bad-deploy.yaml"
TARGET_MS = 50.0
PHASE_RANK = {"triage": 0, "mitigate": 1, "communicate": 1, "coordinate": 1, "investigate": 2}


def long_runbook(steps: int, example: Path = EXAMPLE) -> dict[str, Any]:
    """The example with its steps repeated (new ids) up to ``steps``, mitigation first."""
    data: dict[str, Any] = yaml.safe_load(example.read_text(encoding="utf-8"))
    originals = data["steps"]
    repeated = []
    for index in range(steps):
        step = originals[index % len(originals)]
        copy = index // len(originals)
        repeated.append({**step, "id": step["id"] + (f"-{copy + 1}" if copy else "")})
    repeated.sort(key=lambda step: PHASE_RANK.get(step["phase"], 3))
    return {**data, "steps": repeated}


def median_ms(call: Callable[[], object], runs: int, warmup: int = 5) -> float:
    """Median milliseconds per call over ``runs`` calls, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        call()
    times = []
    enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(runs):
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
    finally:
        if enabled:
            gc.enable()
    return statistics.median(times) * 1000


def machine() -> str:
    return (
        f"{platform.platform()}; {platform.python_implementation()} {platform.python_version()}; "
        f"{os.cpu_count()} CPUs; Jinja2 {version('Jinja2')}, MarkupSafe {version('MarkupSafe')}"
    )


def formats() -> dict[str, Callable[[Checklist], str]]:
    """The render functions to time: HTML always, Markdown and text when they exist."""
    found: dict[str, Callable[[Checklist], str]] = {"html": html_format.render}
    for name, module in (("md", "markdown"), ("txt", "text")):
        try:
            found[name] = importlib.import_module(f"icrunbook.render.{module}").render
        except ImportError:
            print(f"({name}: icrunbook.render.{module} not found, skipped)")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=60, help="steps in the runbook [60]")
    parser.add_argument("--runs", type=int, default=200, help="timed calls per figure [200]")
    args = parser.parse_args()
    runs = max(50, args.runs)

    print(machine())
    with tempfile.TemporaryDirectory(prefix="icrun-bench-") as folder:
        path = Path(folder) / "long.yaml"
        path.write_text(yaml.safe_dump(long_runbook(args.steps), sort_keys=False), "utf-8")
        started = time.perf_counter()
        checklist = checklist_of(str(path))
        html = html_format.render(checklist)  # compiles the template once per process
        first_ms = (time.perf_counter() - started) * 1000
        print(
            f"runbook: {len(checklist.steps)} steps, {path.stat().st_size / 1024:.1f} KB YAML, "
            f"{len(html.encode()) / 1024:.1f} KB HTML; median of {runs} calls after warm-up"
        )
        report("first call (imports, template compile)", first_ms)
        report(
            "checklist_of (load, check, build)", median_ms(partial(checklist_of, str(path)), runs)
        )
        for name, render in formats().items():
            note = f"  (target < {TARGET_MS:.0f} ms)" if name == "html" else ""
            report(f"{name}.render(checklist)", median_ms(partial(render, checklist), runs), note)
        both = median_ms(lambda: html_format.render(checklist_of(str(path))), runs)
        report("checklist_of + html.render", both)


def report(label: str, ms: float, note: str = "") -> None:
    print(f"{label:<40} {ms:8.2f} ms{note}")


if __name__ == "__main__":
    main()
