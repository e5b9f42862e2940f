"""Three verdicts on the same files agree: the compiled fast path with jsonschema, and
``icrun validate`` with check-jsonschema, an independent validator of the same schema.

``icrun validate`` checks more than the schema (duplicate keys, keys that are not strings,
encodings, hostile input), so a few files differ on purpose; they are listed in
``NOT_SCHEMA_PROBLEMS`` with the reason, and the test checks that they still differ.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest
from conftest import EXAMPLES, FIXTURES, ROOT, RUNBOOKS, Result, made_once

from icrunbook.loader import load_file, load_text
from icrunbook.validation import is_valid
from icrunbook.validation.explain import _validator

if TYPE_CHECKING:
    from collections.abc import Callable

    Runner = Callable[..., Result]

SCHEMAS = ROOT / "schemas"
RUNBOOK_SCHEMA = SCHEMAS / "runbook.schema.json"
POLICY = RUNBOOKS / "policy.yaml"  # the policy the examples share, checked by its own schema
FILES = [
    *sorted((FIXTURES / "valid").glob("*.yaml")),
    *sorted((FIXTURES / "invalid").glob("*.yaml")),
    *EXAMPLES,
    POLICY,
]

# Files where `icrun validate` fails and check-jsonschema passes, because the problem is not a
# schema problem. Each entry says why; test_exit_code_agrees_with_check_jsonschema checks that
# the difference is still there, so a stale entry gets noticed.
NOT_SCHEMA_PROBLEMS = {
    # icrunbook reads YAML 1.1 (PyYAML), where an unquoted yes is the boolean true, and says so
    # (a runbook is written for YAML 1.1 tools too); check-jsonschema reads YAML 1.2
    # (ruamel.yaml), where yes is the string 'yes'.
    "tests/fixtures/invalid/boolean-title.yaml": "yes is a boolean in YAML 1.1 only",
    # icrunbook reads UTF-8 only and refuses other encodings; check-jsonschema decodes a file
    # by its byte-order mark.
    "tests/fixtures/invalid/utf16-bom.yaml": "icrunbook refuses UTF-16",
}
# Other differences between the two, which need no entry:
# - duplicate-key.yaml: icrunbook reports the repeated key (rule duplicate-key); check-jsonschema
#   (ruamel.yaml) refuses the file with DuplicateKeyError. Both exit 1. (A YAML loader that keeps
#   the last key, such as PyYAML's, would pass it: the schema cannot see a repeated key.)
# - non-string-key.yaml: icrunbook reports `on:` as a key read as a boolean (YAML 1.1);
#   check-jsonschema reads the string 'on' and rejects it as an unknown key. Both exit 1.
# - non-utf8.yaml, python-tag.yaml, syntax-error.yaml, tab-indentation.yaml: neither can load
#   them; both exit 1.
# - The size limit (--max-file-size, 1 MiB by default) is icrunbook's alone; no fixture is that
#   large, and a file over it would pass check-jsonschema if its content is valid.
# - A "billion laughs" alias bomb is refused by icrunbook in milliseconds; check-jsonschema
#   expands it and takes minutes, so it is no fixture (test_loader builds one).
# - Nesting deeper than 1000 levels is a syntax error for icrunbook; check-jsonschema crashes
#   with a RecursionError, so it is no fixture either.


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _schema(path: Path) -> str:
    """The schema a file is checked by: the policy's for the policy, else the runbook's."""
    return "policy" if path == POLICY else "runbook"


def _loads_to_mapping(path: Path) -> bool:
    return isinstance(load_file(str(path)).data, dict)


# --- (a) the compiled fast path and jsonschema ----------------------------------------------


@pytest.fixture(scope="module")
def reference() -> jsonschema.Draft7Validator:
    schema = json.loads(RUNBOOK_SCHEMA.read_text("utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


@pytest.fixture(scope="module")
def references(reference: jsonschema.Draft7Validator) -> dict[str, jsonschema.Draft7Validator]:
    schema = json.loads((SCHEMAS / "policy.schema.json").read_text("utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return {"runbook": reference, "policy": jsonschema.Draft7Validator(schema)}


MAPPING_FILES = [path for path in FILES if _loads_to_mapping(path)]


def test_most_files_load_to_a_mapping() -> None:
    expected = [
        *(FIXTURES / "valid").glob("*.yaml"),
        *EXAMPLES,
        FIXTURES / "invalid" / "missing-step-owner.yaml",
        FIXTURES / "invalid" / "duplicate-key.yaml",
    ]
    assert set(expected) <= set(MAPPING_FILES)


@pytest.mark.parametrize("path", MAPPING_FILES, ids=_name)
def test_fast_path_agrees_with_jsonschema(
    path: Path, references: dict[str, jsonschema.Draft7Validator]
) -> None:
    data = load_file(str(path)).data
    schema = _schema(path)
    assert is_valid(data, schema) == references[schema].is_valid(data)


def _minimal() -> dict[str, Any]:
    text = (FIXTURES / "valid" / "minimal.yaml").read_text("utf-8")
    data: dict[str, Any] = load_text(text, "minimal.yaml").data
    return data


EDGE_VALUES = [
    # (metadata key, value): values on which validators have been known to differ.
    ("version", 7),
    ("version", 1.0),  # draft-07: 1.0 is an integer
    ("version", True),  # a boolean is not an integer
    ("version", 10**30),
    ("version", float("nan")),
    ("last_reviewed", "2026-02-30"),  # the pattern checks the shape, not the calendar
    ("last_reviewed", "\uff12\uff10\uff12\uff16-10-01"),  # full-width digits are not [0-9]
    ("name", "orders-db"),
    ("name", "-orders"),
    ("title", ""),
    ("tags", []),
    ("tags", [""]),
]


@pytest.mark.parametrize(("key", "value"), EDGE_VALUES, ids=repr)
def test_fast_path_agrees_with_jsonschema_on_edge_values(
    key: str, value: Any, reference: jsonschema.Draft7Validator
) -> None:
    data = _minimal()
    data["metadata"][key] = value
    assert is_valid(data, "runbook") == reference.is_valid(data)


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("metadata", "name"), "orders-db\n"),
        (("metadata", "last_reviewed"), "2026-10-01\n"),
        (("severities", "SEV1", "internal_update"), "5m\n"),
    ],
    ids=["slug", "date", "duration"],
)
def test_a_trailing_newline_breaks_a_pattern_in_both_validators(
    where: tuple[str, ...], value: str
) -> None:
    # What a YAML block scalar (`key: |`) or a quoted "...\n" gives. JSON Schema patterns are
    # ECMA 262, whose `$` is the very end; Python's `$` also matches before a final newline, so
    # the explaining validator uses ECMA semantics to agree with the fast path.
    data = _minimal()
    parent = data
    for key in where[:-1]:
        parent = parent[key]
    parent[where[-1]] = value
    assert not is_valid(data, "runbook")
    assert not _validator("runbook").is_valid(data)


# --- (b) icrun validate and check-jsonschema ------------------------------------------------


def _check_jsonschema() -> str | None:
    candidate = Path(sys.executable).with_name("check-jsonschema")
    return str(candidate) if candidate.exists() else shutil.which("check-jsonschema")


@pytest.fixture(scope="module")
def check_jsonschema() -> str:
    found = _check_jsonschema()
    if found is None:
        pytest.skip(
            "check-jsonschema is not installed (it is in the test extra: pip install '.[test]')"
        )
    return found


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, capture_output=True, text=True, cwd=ROOT, timeout=120, check=False
    )


@pytest.fixture(scope="module")
def check_jsonschema_verdicts(
    check_jsonschema: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, subprocess.CompletedProcess[str]]:
    """check-jsonschema's result for every file: one process per file (it gives one exit code
    for all the files it is given), run in parallel, once for all the test workers."""

    def run_all(folder: Path) -> None:
        commands = [
            [
                check_jsonschema,
                "--schemafile",
                str(SCHEMAS / f"{_schema(path)}.schema.json"),
                str(path),
            ]
            for path in FILES
        ]
        workers = min(16, 2 * (os.cpu_count() or 2))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(_run, commands))
        verdicts = {
            _name(path): [result.returncode, result.stdout, result.stderr]
            for path, result in zip(FILES, results, strict=True)
        }
        (folder / "verdicts.json").write_text(json.dumps(verdicts), encoding="utf-8")

    folder = made_once(tmp_path_factory, "check-jsonschema", run_all)
    verdicts = json.loads((folder / "verdicts.json").read_text(encoding="utf-8"))
    return {
        name: subprocess.CompletedProcess([check_jsonschema], code, out, err)
        for name, (code, out, err) in verdicts.items()
    }


@pytest.mark.parametrize("path", FILES, ids=_name)
def test_exit_code_agrees_with_check_jsonschema(
    path: Path,
    icrun: Runner,
    check_jsonschema_verdicts: dict[str, subprocess.CompletedProcess[str]],
) -> None:
    theirs = check_jsonschema_verdicts[_name(path)]
    assert "Traceback" not in theirs.stdout + theirs.stderr, "check-jsonschema crashed"
    assert theirs.returncode in (0, 1), theirs.stdout + theirs.stderr
    ours: Result = icrun("validate", str(path))
    assert ours.code in (0, 1), ours.err
    if _name(path) in NOT_SCHEMA_PROBLEMS:
        assert (ours.code, theirs.returncode) == (1, 0), "the listed difference is gone"
    else:
        assert ours.code == theirs.returncode, (
            f"icrun:\n{ours.out}\ncheck-jsonschema:\n{theirs.stdout}"
        )


def test_exceptions_name_existing_files() -> None:
    assert set(NOT_SCHEMA_PROBLEMS) <= {_name(path) for path in FILES}


# --- (c) the schemas themselves -------------------------------------------------------------


@pytest.mark.parametrize("schema", sorted(SCHEMAS.glob("*.schema.json")), ids=lambda p: p.name)
def test_schema_passes_the_draft7_metaschema(schema: Path, check_jsonschema: str) -> None:
    result = _run([check_jsonschema, "--check-metaschema", str(schema)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_shipped_schema_is_checked() -> None:
    assert {p.name for p in SCHEMAS.glob("*.schema.json")} == {
        "runbook.schema.json",
        "config.schema.json",
        "ruleset.schema.json",
        "report.schema.json",
        "event.schema.json",
        "policy.schema.json",
    }


def test_checked_schemas_are_the_ones_the_package_ships() -> None:
    # check-jsonschema reads schemas/; icrun reads the copies inside the package.
    for schema in SCHEMAS.glob("*.schema.json"):
        shipped = ROOT / "icrunbook" / "schemas" / schema.name
        assert schema.read_bytes() == shipped.read_bytes(), f"{schema.name} differs"
