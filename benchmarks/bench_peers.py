"""icrunbook side by side with its peers, each tool run as its own process on the same corpus.

Generates corpora (see ``corpus.py``, seed 0) in a temporary folder, then runs ``icrun lint``
(one job without the cache, all jobs without the cache, a cold and a warm cache),
``icrun validate``, check-jsonschema (with ``schemas/runbook.schema.json``) and yamllint
(default config) on each corpus several times. It prints, per size, the median wall time, the
milliseconds per file, the files per second, the child's peak RSS and each row's ratios to
``icrun lint -j1 --no-cache``; then the project's performance goals with the measured values.
Benchmarks, not tests: nothing here passes or fails, and the tools' exit codes (non-zero, since
the corpus has broken files) are recorded, not checked.

Run it from the checkout: ``python benchmarks/bench_peers.py [--sizes 1,100,1000] [--runs 3]``.
Unix only: the peak RSS of each child comes from ``os.wait4``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from corpus import generate

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schemas" / "runbook.schema.json"
CACHE_DIR = ".icrun_cache"
TODAY = "2026-11-27"
NO_CACHE_WRITTEN = f"(no {CACHE_DIR} written)"
WARM_UP_FILES = 20  # with two broken files, so that the warm-up imports the error paths too
DEFAULT_SIZES = (1, 100, 1000)
BASE = "icrun lint -j1 --no-cache"
COLD = "icrun lint, cold cache"
WARM = "icrun lint, warm cache"
# Each goal is informative: the benchmark prints whether it is met, and never fails on it.
PEER_SPEEDUP = 10.0
WARM_SHARE = 0.10
RSS_GROWTH = 1.5
JOBS_SPEEDUP = 1.6


@dataclass(frozen=True, slots=True)
class Run:
    """One process: wall seconds, its own peak RSS (KiB, NaN if unknown) and its exit code."""

    seconds: float
    rss_kib: float
    exit_code: int


@dataclass(frozen=True, slots=True)
class Variant:
    """One row of the table: a command line, where ``{dir}`` and ``{files}`` get the corpus."""

    label: str
    argv: tuple[str, ...]
    note: str = ""
    clear_cache: bool = False  # delete the corpus folder's cache before each run
    cached: bool = False  # meant to use the cache


@dataclass(slots=True)
class Row:
    """A variant's runs on one corpus."""

    variant: Variant
    runs: list[Run] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    output_tail: str = ""

    @property
    def seconds(self) -> float:
        return statistics.median(run.seconds for run in self.runs) if self.runs else math.nan

    @property
    def rss_mib(self) -> float:
        return statistics.median(run.rss_kib for run in self.runs) / 1024 if self.runs else math.nan

    @property
    def exit_codes(self) -> str:
        return ",".join(str(code) for code in sorted({run.exit_code for run in self.runs}))


@dataclass(frozen=True, slots=True)
class Tools:
    """The console scripts found (``None`` when missing) and what ``icrun lint`` supports."""

    icrun: str | None
    check_jsonschema: str | None
    yamllint: str | None
    no_cache: bool
    jobs: bool


@dataclass(frozen=True, slots=True)
class Goal:
    """A goal from the issue, the value measured (NaN when not measured) and whether it is met."""

    text: str
    value: float
    shown: str
    met: bool | None


def find_tool(name: str, given: str | None = None) -> str | None:
    """``given``, else the console script next to this Python, else the one on PATH."""
    if given:
        return given if shutil.which(given) else None
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(name)


def tool_env(pycache: Path | None = None) -> dict[str, str]:
    """The environment every tool runs in: ours, with the date rules' "today" fixed; with
    ``pycache``, bytecode is written and read there (``PYTHONPYCACHEPREFIX``) for every tool,
    as an installed package has its .pyc files, even if ``PYTHONDONTWRITEBYTECODE`` is set."""
    env = {**os.environ, "ICRUN_TODAY": TODAY}
    for name in ("ICRUN_NO_CACHE", "ICRUN_CACHE_DIR"):  # the cache is in the corpus folder
        env.pop(name, None)
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def output_of(argv: Sequence[str]) -> str:
    """Stdout and stderr of a quick command (``--help``, ``--version``), or the error."""
    try:
        done = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            env={**tool_env(), "COLUMNS": "200", "TERM": "dumb", "NO_COLOR": "1"},
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"({error})"
    return done.stdout + done.stderr


def detect_tools(icrun: str | None) -> Tools:
    """Find the tools, and read ``icrun lint --help`` for the options being added."""
    found = find_tool("icrun", icrun)
    help_text = output_of([found, "lint", "--help"]) if found else ""
    return Tools(
        icrun=found,
        check_jsonschema=find_tool("check-jsonschema"),
        yamllint=find_tool("yamllint"),
        no_cache="--no-cache" in help_text,
        jobs="--jobs" in help_text,
    )


def variants(tools: Tools) -> tuple[list[Variant], list[str]]:
    """The rows to run, and a note for each row left out."""
    rows: list[Variant] = []
    skipped: list[str] = []
    if tools.icrun:
        icrun = tools.icrun
        no_cache = ("--no-cache",) if tools.no_cache else ()
        cache_note = "" if tools.no_cache else "(no cache option yet)"
        jobs_note = "" if tools.jobs else "(no -j option yet)"
        one_job = ("-j1",) if tools.jobs else ()
        base_note = "; ".join(note for note in (cache_note, jobs_note) if note)
        rows.append(
            Variant(
                BASE, (icrun, "lint", *no_cache, *one_job, "{dir}"), base_note, clear_cache=True
            )
        )
        if tools.jobs:
            rows.append(
                Variant(
                    "icrun lint --no-cache (all CPUs)",
                    (icrun, "lint", *no_cache, "{dir}"),
                    cache_note,
                    clear_cache=True,
                )
            )
        else:
            skipped.append("icrun lint --no-cache (all CPUs): skipped, no -j option yet")
        lint = (icrun, "lint", "{dir}")
        rows.append(Variant(COLD, lint, clear_cache=True, cached=True))
        rows.append(Variant(WARM, lint, cached=True))  # runs right after the cold one
        rows.append(Variant("icrun validate", (icrun, "validate", "{dir}")))
    else:
        skipped.append("icrun: not found, skipped (give its path with --icrun)")
    if tools.check_jsonschema:
        argv = (tools.check_jsonschema, "--schemafile", str(SCHEMA), "{files}")
        rows.append(Variant("check-jsonschema", argv))
    else:
        skipped.append("check-jsonschema: not found, skipped")
    if tools.yamllint:
        rows.append(Variant("yamllint -d default", (tools.yamllint, "-d", "default", "{dir}")))
    else:
        skipped.append("yamllint: not found, skipped")
    return rows, skipped


def expand(argv: Sequence[str], folder: Path, files: list[str]) -> list[str]:
    """The command line for one corpus: ``{dir}`` is its folder, ``{files}`` its file names."""
    out: list[str] = []
    for arg in argv:
        if arg == "{files}":
            out.extend(files)
        else:
            out.append(arg.replace("{dir}", str(folder)))
    return out


def run_once(argv: Sequence[str], cwd: Path, env: dict[str, str], log: Path) -> Run:
    """Run one command; wall time around it, and the child's own rusage from ``os.wait4``."""
    with log.open("wb") as sink:
        start = time.perf_counter()
        process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=sink, stderr=sink)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    # ru_maxrss is in KiB on Linux and in bytes on macOS.
    rss_kib = usage.ru_maxrss / 1024 if sys.platform == "darwin" else float(usage.ru_maxrss)
    return Run(seconds, rss_kib, process.returncode)


def clear_cache(folder: Path) -> bool:
    """Delete the corpus folder's ``.icrun_cache``; whether there was one."""
    cache = folder / CACHE_DIR
    if cache.exists():
        shutil.rmtree(cache)
        return True
    return False


def tail(log: Path, chars: int = 400) -> str:
    """The end of a command's output."""
    return log.read_bytes()[-chars:].decode("utf-8", "replace").strip()


def measure(
    rows: list[Variant], folder: Path, runs: int, env: dict[str, str], log: Path
) -> list[Row]:
    """Run every variant ``runs`` times, round-robin so that drift hits all of them alike."""
    files = sorted(path.name for path in folder.glob("*.yaml"))
    results = [Row(variant) for variant in rows]
    cache_seen = False
    for _ in range(runs):
        for row in results:
            if row.variant.clear_cache:
                clear_cache(folder)
            argv = expand(row.variant.argv, folder, files)
            try:
                row.runs.append(run_once(argv, folder, env, log))
            except OSError as error:  # e.g. too many file names for one command line
                row.notes.append(f"could not run: {error}")
                continue
            row.output_tail = tail(log)
            cache_seen = cache_seen or (folder / CACHE_DIR).exists()
    clear_cache(folder)
    for row in results:
        if row.variant.note:
            row.notes.insert(0, row.variant.note)
        if row.variant.cached and not cache_seen:
            row.notes.append(NO_CACHE_WRITTEN)
        if any(run.exit_code not in (0, 1) for run in row.runs):
            last = row.output_tail.splitlines()[-1:] or [""]
            row.notes.append(f"unexpected exit code: {last[0][:80]}")
    return results


def warm_up(rows: list[Variant], folder: Path, env: dict[str, str], log: Path) -> None:
    """One untimed run of each command on a few files, broken ones among them: the .pyc files
    of every module they import get written, and imports and the disk cache get warm."""
    files = sorted(path.name for path in folder.glob("*.yaml"))
    for variant in rows:
        with contextlib.suppress(OSError):  # measure() notes it
            run_once(expand(variant.argv, folder, files), folder, env, log)
    clear_cache(folder)


def make_corpora(root: Path, sizes: list[int]) -> dict[int, Path]:
    """One folder per size (and one of ``WARM_UP_FILES`` files): a corpus is generated once,
    and each folder holds its first files, hard-linked (a larger corpus starts with the files of
    a smaller one)."""
    count = max(*sizes, WARM_UP_FILES)
    files = sorted(file.path for file in generate(root / "generated", count, seed=0))
    folders = {}
    for size in {*sizes, WARM_UP_FILES}:
        folder = root / f"corpus-{size}"
        folder.mkdir()
        for path in files[:size]:
            try:
                os.link(path, folder / path.name)
            except OSError:
                shutil.copy2(path, folder / path.name)
        folders[size] = folder
    return folders


def fmt(value: float, digits: int) -> str:
    return "-" if math.isnan(value) else f"{value:.{digits}f}"


def ratio(a: float, b: float) -> float:
    return a / b if b and not (math.isnan(a) or math.isnan(b)) else math.nan


def table(size: int, rows: list[Row]) -> str:
    """One size's rows as an aligned table, ratios against the ``icrun lint -j1`` row."""
    base = next((row for row in rows if row.variant.label == BASE), None)
    base_s = base.seconds if base else math.nan
    base_rss = base.rss_mib if base else math.nan
    header = ("tool / variant", "wall s", "ms/file", "files/s", "RSS MiB", "t÷base", "RSS÷base")
    cells = [header]
    extras = ["exit"]
    for row in rows:
        cells.append(
            (
                row.variant.label,
                fmt(row.seconds, 3),
                fmt(row.seconds * 1000 / size, 2),
                fmt(ratio(size, row.seconds), 1),
                fmt(row.rss_mib, 1),
                fmt(ratio(row.seconds, base_s), 2),
                fmt(ratio(row.rss_mib, base_rss), 2),
            )
        )
        extras.append("  ".join([row.exit_codes, "; ".join(row.notes)]))
    widths = [max(len(line[i]) for line in cells) for i in range(len(header))]
    lines = []
    for line, extra in zip(cells, extras, strict=True):
        text = "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        )
        lines.append(f"{text}  {extra}".rstrip())
    return "\n".join(lines)


def seconds_of(results: dict[int, list[Row]], size: int, label: str) -> float:
    row = next((row for row in results.get(size, []) if row.variant.label == label), None)
    return row.seconds if row else math.nan


def rss_of(results: dict[int, list[Row]], size: int, label: str) -> float:
    row = next((row for row in results.get(size, []) if row.variant.label == label), None)
    return row.rss_mib if row else math.nan


def goal(
    text: str, value: float, shown: Callable[[float], str], met: Callable[[float], bool]
) -> Goal:
    if math.isnan(value):
        return Goal(text, value, "not measured", None)
    return Goal(text, value, shown(value), met(value))


def warm_goal(results: dict[int, list[Row]]) -> Goal:
    """The cached re-run's goal: neither met nor missed while ``icrun lint`` writes no cache."""
    text = f"1000 files: warm-cache lint ≤ {WARM_SHARE:.0%} of the cold run"
    warm = next((row for row in results.get(1000, []) if row.variant.label == WARM), None)
    value = ratio(warm.seconds if warm else math.nan, seconds_of(results, 1000, COLD))
    if warm is not None and NO_CACHE_WRITTEN in warm.notes and not math.isnan(value):
        return Goal(text, value, f"{value:.0%} of cold, but no {CACHE_DIR} was written", None)
    return goal(text, value, lambda value: f"{value:.0%} of cold", lambda v: v <= WARM_SHARE)


def goals(results: dict[int, list[Row]]) -> list[Goal]:
    """The issue's five goals, from the measurements there are."""
    base_1000 = seconds_of(results, 1000, BASE)

    def times(value: float) -> str:
        return f"{value:.1f}x faster"

    return [
        goal(
            f"1000 files: {BASE} ≥ {PEER_SPEEDUP:.0f}x faster than check-jsonschema",
            ratio(seconds_of(results, 1000, "check-jsonschema"), base_1000),
            times,
            lambda value: value >= PEER_SPEEDUP,
        ),
        goal(
            f"1000 files: {BASE} ≥ {PEER_SPEEDUP:.0f}x faster than yamllint -d default",
            ratio(seconds_of(results, 1000, "yamllint -d default"), base_1000),
            times,
            lambda value: value >= PEER_SPEEDUP,
        ),
        goal(
            f"1 file: {BASE} wall time ≤ yamllint's",
            ratio(seconds_of(results, 1, BASE), seconds_of(results, 1, "yamllint -d default")),
            lambda value: f"{value:.2f}x yamllint's time",
            lambda value: value <= 1,
        ),
        warm_goal(results),
        goal(
            f"peak RSS, 10000 files ≤ {RSS_GROWTH}x that of 100 files ({BASE})",
            ratio(rss_of(results, 10000, BASE), rss_of(results, 100, BASE)),
            lambda value: f"{value:.2f}x",
            lambda value: value <= RSS_GROWTH,
        ),
        goal(
            f"1000 files: all CPUs ({os.cpu_count()}) ≥ {JOBS_SPEEDUP}x faster than -j1 "
            "(stated for -j2 on 2 cores)",
            ratio(base_1000, seconds_of(results, 1000, "icrun lint --no-cache (all CPUs)")),
            times,
            lambda value: value >= JOBS_SPEEDUP,
        ),
    ]


def shebang_python(script: str) -> str | None:
    """The interpreter a console script runs in, from its ``#!`` line."""
    try:
        with open(script, "rb") as handle:
            first = handle.readline().decode("utf-8", "replace")
    except OSError:
        return None
    if not first.startswith("#!"):
        return None
    words = shlex.split(first[2:])
    if words and Path(words[0]).name == "env":
        words = words[1:]
    return words[0] if words else None


def clib_note(check_jsonschema: str | None) -> str:
    """Whether check-jsonschema's ruamel.yaml has the C parser (its fastest setup)."""
    python = shebang_python(check_jsonschema) if check_jsonschema else None
    if not python:
        return "ruamel.yaml.clib: unknown"
    probe = "import _ruamel_yaml; from importlib.metadata import version as v; "
    probe += "print(v('ruamel.yaml'), v('ruamel.yaml.clib'))"
    answer = output_of([python, "-c", probe]).strip().splitlines()
    words = answer[-1].split() if answer else []
    if len(words) == 2 and "Error" not in answer[-1]:
        return f"ruamel.yaml {words[0]} with ruamel.yaml.clib {words[1]} (C parser)"
    return "ruamel.yaml.clib NOT importable: pure-Python parser"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def machine(tools: Tools) -> dict[str, str]:
    """Platform, CPUs, Python and the versions of the tools."""

    def version(script: str | None) -> str:
        if not script:
            return "not found"
        text = output_of([script, "--version"]).strip()
        return text.splitlines()[0] if text else "unknown"

    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "platform": platform.platform(),
        "cpu": f"{cpu_model()}, {os.cpu_count()} CPUs ({usable} usable)",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "icrun": version(tools.icrun),
        "check-jsonschema": f"{version(tools.check_jsonschema)}; "
        f"{clib_note(tools.check_jsonschema)}",
        "yamllint": version(tools.yamllint),
    }


def bytecode_note(env: dict[str, str]) -> str:
    """How the tools' Python modules get their bytecode in this benchmark."""
    if "PYTHONPYCACHEPREFIX" in env:
        lifted = (
            " (PYTHONDONTWRITEBYTECODE lifted)" if os.environ.get("PYTHONDONTWRITEBYTECODE") else ""
        )
        return f".pyc files in a temporary PYTHONPYCACHEPREFIX, filled by the warm-up{lifted}"
    if env.get("PYTHONDONTWRITEBYTECODE"):
        return "PYTHONDONTWRITEBYTECODE is set: modules without a .pyc compile in every process"
    return "the environment's own __pycache__ folders"


def parse_sizes(text: str) -> list[int]:
    sizes = sorted({int(part) for part in text.split(",") if part.strip()})
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError("sizes are positive integers, e.g. 1,100,1000")
    return sizes


def main(argv: list[str] | None = None) -> None:
    """Command line: generate the corpora, run every tool on each and print the tables."""
    parser = argparse.ArgumentParser(description="icrunbook side by side with its peers.")
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=list(DEFAULT_SIZES),
        help="corpus sizes, comma-separated (1,100,1000; add 10000 for the RSS goal)",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs of each command (3)")
    parser.add_argument("--icrun", help="the icrun executable (default: next to python, or PATH)")
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="run the tools in this environment as it is, rather than with a temporary "
        "PYTHONPYCACHEPREFIX that the warm-up fills",
    )
    parser.add_argument("--json", type=Path, metavar="OUT", help="write the raw numbers here")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    tools = detect_tools(args.icrun)
    rows, skipped = variants(tools)
    about = machine(tools)
    results: dict[int, list[Row]] = {}
    with tempfile.TemporaryDirectory(prefix="icrun-peers-") as temp:
        root = Path(temp)
        start = time.perf_counter()
        corpora = make_corpora(root, args.sizes)
        generated = time.perf_counter() - start
        log = root / "output.log"
        env = tool_env(None if args.no_bytecode_cache else root / "pycache")
        warm_up(rows, corpora[WARM_UP_FILES], env, log)
        corpus_kib = {
            size: sum(path.stat().st_size for path in folder.glob("*.yaml")) / 1024
            for size, folder in corpora.items()
        }
        for size in args.sizes:
            results[size] = measure(rows, corpora[size], args.runs, env, log)
    print(" | ".join(about.values()))
    print(
        f"corpora: seed 0, sizes {','.join(map(str, args.sizes))}, generated in "
        f"{generated:.1f} s; median of {args.runs} runs; ICRUN_TODAY={TODAY}; "
        f"ratios ÷ `{BASE}`"
    )
    print(f"bytecode: {bytecode_note(env)}")
    for note in skipped:
        print(f"note: {note}")
    for size in args.sizes:
        print()
        print(f"{size} file{'s' if size != 1 else ''} ({corpus_kib[size]:.0f} KiB)")
        print(table(size, results[size]))
    print()
    print("goals (informative, never asserted):")
    measured = goals(results)
    for item in measured:
        mark = "-" if item.met is None else "✓" if item.met else "✗"
        print(f"  {mark} {item.text}: {item.shown}")
    if args.json:
        write_json(
            args.json, about | {"bytecode": bytecode_note(env)}, args, tools, results, measured
        )


def number(value: float) -> float | None:
    """A float for JSON, which has no NaN."""
    return None if math.isnan(value) else value


def write_json(
    out: Path,
    about: dict[str, str],
    args: argparse.Namespace,
    tools: Tools,
    results: dict[int, list[Row]],
    measured: list[Goal],
) -> None:
    """The raw numbers: every run of every row, and the goals."""
    data: dict[str, Any] = {
        "machine": about,
        "runs": args.runs,
        "icrun_options": {"no_cache": tools.no_cache, "jobs": tools.jobs},
        "sizes": {
            str(size): [
                {
                    "label": row.variant.label,
                    "argv": list(row.variant.argv),
                    "notes": row.notes,
                    "median_seconds": number(row.seconds),
                    "median_rss_mib": number(row.rss_mib),
                    "runs": [asdict(run) for run in row.runs],
                }
                for row in rows
            ]
            for size, rows in results.items()
        },
        "goals": [
            {
                "goal": item.text,
                "value": number(item.value),
                "met": item.met,
            }
            for item in measured
        ],
    }
    out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
