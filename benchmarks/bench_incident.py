"""What the incident engine costs, as whole ``icrun`` processes.

- every ``icrun incident`` verb next to ``icrun validate`` on one runbook (the goal: each verb
  within 1.5x of validate);
- ``status`` on a 10,000-event log next to a 10-event one (the goal: within 2x);
- ``icrun run``: the time to its first screen (started headless, until the screen is drawn).

Each figure is the median of ``--runs`` runs (default 10). The clock is fixed with ``ICRUN_NOW``
so every run sees the same incident. Benchmarks, not tests: nothing here passes or fails.

Run it from the checkout: ``python benchmarks/bench_incident.py [--runs 10]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNBOOK = Path(__file__).resolve().parent.parent / "runbooks" / "web-api-bad-deploy.yaml"
ICRUN = [sys.executable, "-m", "icrunbook"]


def timed(command: list[str], cwd: Path, env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def grow(folder: Path, events: int) -> None:
    """Pad an incident's log with notes up to ``events`` lines."""
    log = folder / "events.jsonl"
    first = json.loads(log.read_text().splitlines()[0])
    with log.open("a") as stream:
        for seq in range(len(log.read_text().splitlines()) + 1, events + 1):
            note = {k: first[k] for k in ("at", "recorded_at", "actor")}
            stream.write(
                json.dumps({"seq": seq, "type": "note", **note, "text": str(seq), "tag": "note"})
                + "\n"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = {**os.environ, "ICRUN_NOW": "2026-12-02T14:00:00Z", "ICRUN_ACTOR": "bench"}
        env.pop("ICRUN_WEBHOOK", None)
        start = [*ICRUN, "incident", "start", str(RUNBOOK), "--severity", "SEV1"]
        incident = subprocess.run(
            start, cwd=root, env=env, check=True, capture_output=True, text=True
        ).stdout.strip()
        verbs = {
            "validate (the yardstick)": [*ICRUN, "validate", str(RUNBOOK)],
            "incident status": [*ICRUN, "incident", "status"],
            "incident status --json": [*ICRUN, "incident", "status", "--json"],
            "incident note": [*ICRUN, "incident", "note", "a note"],
            "incident assign": [*ICRUN, "incident", "assign", "scribe", "Kim"],
            "incident round": [
                *ICRUN,
                "incident",
                "round",
                "--conditions",
                "c",
                "--actions",
                "a",
                "--needs",
                "n",
            ],
            "incident draft": [*ICRUN, "incident", "draft"],
            "incident post": [*ICRUN, "incident", "post", "--text", "Next update at 14:30."],
            "incident export -f md": [*ICRUN, "incident", "export", "-f", "md"],
        }
        print(f"{platform.node()}, Python {platform.python_version()}, median of {args.runs}")
        yardstick = 0.0
        for name, command in verbs.items():
            median = timed(command, root, env, args.runs)
            yardstick = yardstick or median
            print(f"{name:<28} {median * 1000:7.1f} ms  {median / yardstick:4.2f}x validate")
        small, big = root / "small", root / "big"
        for folder, events in ((small, 10), (big, 10_000)):
            shutil.copytree(root / "incidents", folder / "incidents")
            grow(folder / "incidents" / incident, events)
        status = [*ICRUN, "incident", "status"]
        ten = timed(status, small, env, args.runs)
        many = timed(status, big, env, args.runs)
        print(f"{'status, 10 events':<28} {ten * 1000:7.1f} ms")
        print(f"{'status, 10,000 events':<28} {many * 1000:7.1f} ms  {many / ten:4.2f}x")
        if shutil.which("tmux"):
            first = statistics.median(first_screen(small, env) for _ in range(args.runs))
            print(f"{'icrun run, first screen':<28} {first * 1000:7.1f} ms")


def first_screen(folder: Path, env: dict[str, str]) -> float:
    """``icrun run --resume`` in a tmux pane: from the start until its screen is drawn."""
    session = f"bench-{os.getpid()}"
    exports = " ".join(f"{k}={v}" for k, v in env.items() if k.startswith("ICRUN_"))
    command = f"cd {folder} && {exports} {sys.executable} -m icrunbook run --resume"
    time.sleep(0.2)  # let the tmux server of the last run go away first
    start = time.perf_counter()
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "140", "-y", "45", command], check=True
    )
    try:
        while True:
            shown = subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
            ).stdout
            if "What is due" in shown:
                return time.perf_counter() - start
            time.sleep(0.005)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


if __name__ == "__main__":
    main()
