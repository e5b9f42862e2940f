"""What printing costs, as whole ``icrun render -f pdf`` commands: one PDF, 20 PDFs into a
folder, a 20-runbook binder, and a 20-card stack.

The 20 runbooks are the bundled examples copied under new names. The commands run side by side
(each round runs every command once, in turn), ``--runs`` rounds, and the median wall time of
each is printed with its ratio to one PDF. Benchmarks, not tests: nothing here passes or fails.

Run it from the checkout: ``python benchmarks/bench_print.py [--runs 3] [--count 20]``. It needs
headless Chromium (``ICRUN_CHROMIUM`` or ``chromium`` on PATH).
"""

from __future__ import annotations

import argparse
import copy
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from corpus import load_examples


def make_runbooks(folder: Path, count: int) -> list[Path]:
    """``count`` runbooks: the examples in turn (standing alone), each under a name of its own."""
    examples = load_examples()
    paths = []
    for number in range(count):
        data = copy.deepcopy(examples[number % len(examples)])
        data["metadata"]["name"] = f"{data['metadata']['name']}-{number}"
        path = folder / f"runbook-{number:02}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--count", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        source = root / "runbooks"
        source.mkdir()
        paths = make_runbooks(source, args.count)
        icrun = [sys.executable, "-m", "icrunbook", "render"]
        commands = {
            "one PDF": [*icrun, str(paths[0]), "-f", "pdf", "-o", str(root / "one.pdf")],
            f"{args.count} PDFs into a folder": [
                *icrun,
                str(source),
                "-f",
                "pdf",
                "-o",
                f"{root / 'folder'}/",
            ],
            f"{args.count}-runbook binder": [
                *icrun,
                str(source),
                "-f",
                "pdf",
                "-o",
                str(root / "binder.pdf"),
            ],
            f"{args.count}-card stack": [
                *icrun,
                str(source),
                "-f",
                "pdf",
                "--layout",
                "card",
                "-o",
                str(root / "cards.pdf"),
            ],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                start = time.perf_counter()
                subprocess.run(command, check=True, capture_output=True)
                times[name].append(time.perf_counter() - start)
    print(f"{platform.node()}, Python {platform.python_version()}, median of {args.runs}")
    one = statistics.median(times["one PDF"])
    for name, measured in times.items():
        median = statistics.median(measured)
        print(f"{name:<28} {median:6.2f} s   {median / one:4.1f}x one PDF")


if __name__ == "__main__":
    main()
