#!/usr/bin/env python3
"""Coverage-guided fuzz target for the loader, the schema check and the linter.

Run it with atheris (libFuzzer) from the repository root::

    pip install -e '.[fuzz]'
    cp -r fuzz/corpus /tmp/icrun-corpus
    python fuzz/fuzz_lint.py /tmp/icrun-corpus -dict=fuzz/yaml.dict -max_total_time=60

or, without atheris, as a plain random-mutation loop over the seed corpus::

    python fuzz/fuzz_lint.py --plain -runs=2000 fuzz/corpus

Each input is a file's bytes. It is loaded (``load_bytes``), schema-checked
(``validate_document``) and linted with every rule (the ``all`` ruleset, today fixed at
:data:`TODAY`), and the diagnostics are rendered as JSON and SARIF. A crash is any exception,
or a broken invariant (:func:`check` raises ``BrokenInvariant``): a diagnostic outside the file,
an unknown rule or severity, an empty message, a span that ends before it starts.

:func:`check` imports without atheris, so ``tests/test_fuzz_regressions.py`` replays the seed
corpus and every crash found so far through exactly the same checks.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import sys
from pathlib import Path

try:
    import atheris
except ImportError:  # the plain loop and the regression tests need no atheris
    atheris = None

_FUZZING = __name__ == "__main__" and atheris is not None and "--plain" not in sys.argv

with atheris.instrument_imports() if _FUZZING else contextlib.nullcontext():
    import icrunbook.reporting.json
    import icrunbook.reporting.sarif
    import icrunbook.rules.functions
    import icrunbook.suppressions
    import icrunbook.validation.explain  # imported lazily by the code; here to instrument it
    from icrunbook.api import Report, default_config, lint_document, validate_document
    from icrunbook.diagnostics import Diagnostic, Severity
    from icrunbook.loader import load_bytes
    from icrunbook.reporting import Style
    from icrunbook.reporting.fingerprints import Locator

PATH = "fuzz.yaml"
# Where lines break, as the parts of icrunbook count them: libyaml (the loader's positions),
# bytes.count(b"\n") (undecodable bytes), str.splitlines (suppression comments). A diagnostic
# must lie inside the file under one of them.
_LINE_BREAKS = (
    re.compile("\r\n|[\r\n\x85\u2028\u2029]"),
    re.compile("\n"),
    re.compile("\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]"),
)
HERE = Path(__file__).resolve().parent
TODAY = "2026-11-27"


CONFIG = default_config(str(HERE), "all")  # every rule: recommended plus opt-in


def _warm_up() -> None:
    """Make the plan once, dates fixed at ``TODAY``: the plan reads ``ICRUN_TODAY`` when made,
    so the environment is left as it was (tests import this)."""
    saved = os.environ.get("ICRUN_TODAY")
    os.environ["ICRUN_TODAY"] = TODAY
    try:
        lint_document(load_bytes(b"a: 1\n", PATH), CONFIG)
    finally:
        if saved is None:
            del os.environ["ICRUN_TODAY"]
        else:
            os.environ["ICRUN_TODAY"] = saved


_warm_up()  # set up once: activating the rules costs far more than a run
LOCATOR = Locator(str(HERE))


def check(data: bytes) -> list[Diagnostic]:
    """Load, validate, lint and report ``data``; raise on a crash or a broken invariant."""
    document = load_bytes(data, PATH)
    validated = document.diagnostics + validate_document(document)
    linted = lint_document(document, CONFIG)
    # Decode as the loader does (BOM and all, undecodable bytes as one character each): the
    # loader's positions are in characters, and only undecodable files come back without text.
    text = document.text or data.decode("utf-8", "replace")
    readings = [pattern.split(text) for pattern in _LINE_BREAKS]
    for diagnostic in (*validated, *linted):
        _check_diagnostic(diagnostic, readings)
    report = Report.of([PATH], linted, CONFIG.rules)
    json.loads(icrunbook.reporting.json.render(report, Style(statistics=True)))
    json.dumps(icrunbook.reporting.sarif.sarif_log(report, LOCATOR))
    return linted


class BrokenInvariant(AssertionError):
    """What the target raises for a wrong result (``assert`` would vanish under ``-O``)."""


def _expect(holds: bool, message: str) -> None:
    if not holds:
        raise BrokenInvariant(message)


def _check_diagnostic(diagnostic: Diagnostic, readings: list[list[str]]) -> None:
    said = repr(diagnostic)
    _expect(isinstance(diagnostic, Diagnostic), f"not a Diagnostic: {said}")
    _expect(diagnostic.path == PATH, f"wrong path: {said}")
    _expect(isinstance(diagnostic.severity, Severity), f"unknown severity: {said}")
    _expect(diagnostic.rule in CONFIG.rules, f"unknown rule: {said}")
    _expect(isinstance(diagnostic.message, str) and bool(diagnostic.message.strip()), said)
    start = (diagnostic.line, diagnostic.column)
    end = (diagnostic.end_line, diagnostic.end_column)
    _expect(start <= end, f"span ends before it starts: {said}")
    inside = any(_inside(start, end, lines) for lines in readings)
    _expect(inside, f"outside the file: {said}")


def _inside(start: tuple[int, int], end: tuple[int, int], lines: list[str]) -> bool:
    """Whether a span lies in the file read as ``lines``. A position is on a line or just past
    the last one (where a block ends), at most one past the line's end; the (exclusive) end may
    be one further: the loader marks a syntax error at the end of the input one character wide.
    """
    for (line, column), slack in ((start, 1), (end, 2)):
        if not 1 <= line <= len(lines) + 1:
            return False
        width = len(lines[line - 1]) if line <= len(lines) else 0
        if not 1 <= column <= width + slack:
            return False
    return True


def TestOneInput(data: bytes) -> None:  # the name atheris expects
    check(data)


def seeds(folders: list[str]) -> list[bytes]:
    """The files in the corpus folders (or the seed corpus next to this file)."""
    paths = [p for f in folders or [str(HERE / "corpus")] for p in sorted(Path(f).iterdir())]
    return [p.read_bytes() for p in paths if p.is_file()]


_TOKENS = [b"\n", b": ", b"- ", b"{", b"}", b"[", b"]", b"&a ", b"*a", b"<<: ", b"!!", b"#", b"'"]


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One random edit: flip, insert, delete, duplicate a slice, or insert a YAML token."""
    position = rng.randrange(len(data) + 1)
    choice = rng.randrange(5)
    if choice == 0 and data:
        index = min(position, len(data) - 1)
        return data[:index] + bytes([data[index] ^ (1 << rng.randrange(8))]) + data[index + 1 :]
    if choice == 1:
        return data[:position] + bytes([rng.randrange(256)]) + data[position:]
    if choice == 2:
        return data[:position] + data[position + rng.randrange(1, 16) :]
    if choice == 3:
        end = min(len(data), position + rng.randrange(1, 64))
        return data[:end] + data[position:end] + data[end:]
    return data[:position] + rng.choice(_TOKENS) + data[position:]


def plain(argv: list[str]) -> None:
    """A random-mutation loop for machines without atheris: ``--plain -runs=N [-seed=S] DIR``."""
    options = {a[1:].split("=", 1)[0]: a.split("=", 1)[1] for a in argv if a.startswith("-runs")}
    options |= {a[1:].split("=", 1)[0]: a.split("=", 1)[1] for a in argv if a.startswith("-seed")}
    folders = [a for a in argv if not a.startswith("-")]
    rng = random.Random(int(options.get("seed", "0")))  # noqa: S311  (not for security)
    corpus = seeds(folders)
    runs = int(options.get("runs", "1000"))
    for run in range(runs):
        data = rng.choice(corpus)
        for _ in range(rng.randrange(1, 8)):
            data = mutate(data, rng)
        try:
            check(data)
        except Exception:
            crash = Path(f"crash-plain-{run}")  # in the working folder, as libFuzzer does
            crash.write_bytes(data)
            print(f"crash on run {run}; input written to {crash}", file=sys.stderr)
            raise
    print(f"{runs} runs, no crash", file=sys.stderr)


def main() -> None:
    if "--plain" in sys.argv or atheris is None:
        plain([a for a in sys.argv[1:] if a != "--plain"])
        return
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
