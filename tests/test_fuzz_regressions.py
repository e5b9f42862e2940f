"""The fuzz target's checks, run over its seed corpus and over every crash the fuzzer found.

``fuzz/fuzz_lint.py`` loads, validates, lints and reports one input and checks the invariants
(no exception, every diagnostic inside the file, known rules and severities, reporters work);
its :func:`check` imports without atheris, so these tests replay inputs through exactly the
checks the fuzzer runs. A crash the fuzzer finds becomes a test here: the minimized input as a
bytes literal, and what used to go wrong (see ``fuzz/README.md``).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import EXAMPLES

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted((ROOT / "fuzz" / "corpus").iterdir())


def _fuzz_target() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_lint", ROOT / "fuzz" / "fuzz_lint.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("fuzz_lint", module)
    spec.loader.exec_module(module)
    return module


fuzz_lint = _fuzz_target()


@pytest.mark.parametrize("seed", CORPUS, ids=lambda path: path.name)
def test_seed_corpus_passes_the_fuzz_checks(seed: Path) -> None:
    fuzz_lint.TestOneInput(seed.read_bytes())


def test_seed_corpus_is_small_and_covers_the_examples() -> None:
    names = {path.name for path in CORPUS}
    assert {path.name for path in EXAMPLES} <= names
    assert sum(path.stat().st_size for path in CORPUS) < 200_000


def test_the_checks_catch_a_misplaced_diagnostic() -> None:
    from icrunbook.diagnostics import Diagnostic, Severity, Span

    outside = Diagnostic(fuzz_lint.PATH, Span(3, 1, 3, 2), "schema", Severity.ERROR, "x")
    with pytest.raises(fuzz_lint.BrokenInvariant, match="outside the file"):
        fuzz_lint._check_diagnostic(outside, [["only one line"]])


def test_plain_mutation_loop_runs_without_atheris(capsys: pytest.CaptureFixture[str]) -> None:
    fuzz_lint.plain(["-runs=40", "-seed=1", str(ROOT / "fuzz" / "corpus")])
    assert "40 runs, no crash" in capsys.readouterr().err


# Crashes found by the fuzzer (and by probing what it found), minimized.


def _nested(head: bytes, depth: int) -> bytes:
    return head + b"[" * depth + b"]" * depth + b"\n"


def test_deeply_nested_value_the_schema_rejects() -> None:
    """RecursionError in jsonschema: its message for a wrongly typed value is the value's repr,
    and a list nested ~990 deep (libyaml allows 1000) is too deep to repr. Now reported as an
    unplaced schema error, and the rules leave the file be."""
    data = _nested(b"apiVersion: icrunbook/v1\nkind: Runbook\nsteps: ", 990)
    diagnostics = fuzz_lint.check(data)
    assert [d.rule for d in diagnostics] == ["schema"]
    assert "breaks the runbook schema" in diagnostics[0].message


def test_deeply_nested_value_in_a_rule_message() -> None:
    """RecursionError in the rule engine: ``format_message`` filled ``{{value}}`` with
    ``str(value)`` (even for messages that do not use it), and a rule on the whole document
    took the repr of a list nested 996 deep under an extension key."""
    diagnostics = fuzz_lint.check(_nested(b"apiVersion: icrunbook/v1\nx-deep: ", 996))
    assert "schema" in {d.rule for d in diagnostics}


@pytest.mark.parametrize(
    "data",
    [
        b"!!map\ni",  # found by the fuzzer (as ---·!!map·i27·...), minimized: ValueError
        b"!!map [a, b]\n",  # TypeError: cannot unpack non-iterable ScalarNode object
        b"a: !!set x\n",  # ValueError, as above
    ],
)
def test_map_tag_on_a_scalar_or_list(data: bytes) -> None:
    """The loader checked the keys of a node tagged ``!!map`` (or ``!!set``) before PyYAML
    checks that it is a mapping node: ValueError or TypeError from unpacking its value."""
    diagnostics = fuzz_lint.check(data)
    assert [d.rule for d in diagnostics] == ["syntax"]


@pytest.mark.parametrize(
    "data",
    [
        b"!!int ",  # found by the fuzzer (6 bytes, as found)
        b"a: !!int\n",
        b"a: !!int _\n",
        b"a: !!float ''\n",
    ],
)
def test_empty_int_or_float_tagged_scalar(data: bytes) -> None:
    """PyYAML's int and float constructors read ``value[0]`` of an empty scalar: IndexError."""
    diagnostics = fuzz_lint.check(data)
    assert [d.rule for d in diagnostics] == ["syntax"]
