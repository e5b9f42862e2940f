"""Hostile input, end to end: ``icrun lint``, ``validate`` and ``render`` as CI runs them.

A linter in CI reads whatever anyone pushes. Every input here gets a clear diagnostic (exit 1;
for ``render``, exit 2 and ``cannot render`` with the first problem's place) or a clear
one-line error (exit 2), never a traceback, a hang or a blow-up. Each command runs as the
installed console script in its own process, with a timeout (a hang fails the test) and a
1 GiB address-space limit (a blow-up fails instead of eating the machine).

The loader's own cases (positions, messages) are tested in-process in
``test_loader.py``; this suite is about what a user sees from the command line.
"""

from __future__ import annotations

import codecs
import os
import re
import resource
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import CLEAN, Result

MEMORY = 1 << 30  # bytes of address space per run
TIMEOUT = 20  # seconds per run; a hang fails, timings are not asserted
COMMANDS = {
    "lint": ("lint",),
    "validate": ("validate",),
    "render": ("render", "-f", "txt"),
}
LIMIT = "over the 1,048,576-byte limit"
DENIED = "permission denied; check the file's read permission"
MARKER = "pwned"  # what the Python-tag payloads would create if they ran

TITLE = '  title: "Web API: bad deploy (roll back first)"'
LAST = 'x-team-slack: "#web-platform"'  # the clean runbook's last line
ACTION = "    action: Roll back web-api to the last known-good revision with Argo CD."


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


@pytest.fixture(scope="module")
def run(icrun_exe: str) -> Callable[..., Result]:
    """``icrun ARGS`` as its own process, bounded in time and memory, with plain output."""

    def run(*args: str, cwd: Path) -> Result:
        env = {**os.environ, "ICRUN_TODAY": "2026-11-27", "NO_COLOR": "1", "ICRUN_NO_CACHE": "1"}
        env.pop("GITHUB_ACTIONS", None)  # text output, also when this suite runs in Actions
        done = subprocess.run(
            [icrun_exe, *args],
            capture_output=True,
            cwd=cwd,
            env=env,
            timeout=TIMEOUT,
            preexec_fn=_limit_memory,
            check=False,
        )
        out = done.stdout.decode("utf-8", "replace")
        return Result(done.returncode, out, done.stderr.decode("utf-8", "replace"))

    return run


def _clean_end(result: Result) -> None:
    """No traceback, and at most one line on stderr."""
    assert "Traceback" not in result.err + result.out
    assert result.err.count("\n") <= 1, result.err[:2000]
    assert "internal error" not in result.err, result.err[:2000]


# --- the inputs -------------------------------------------------------------------------------


def edit(old: str, new: str) -> bytes:
    """The clean runbook with one line changed, as UTF-8."""
    assert CLEAN.count(old) == 1, old
    return CLEAN.replace(old, new).encode()


def line_of(data: bytes, needle: bytes) -> int:
    return data[: data.index(needle)].count(b"\n") + 1


@dataclass(frozen=True)
class Broken:
    """An input every command must refuse: ``rule`` diagnostic at ``at`` containing
    ``fragment`` (lint, validate: exit 1; render: exit 2, one line, ``cannot render``)."""

    name: str
    data: Callable[[], bytes]
    rule: str
    fragment: str
    at: tuple[int, int] = (1, 1)


_END = CLEAN.count("\n") + 1  # the line of what is appended after LAST


def _bomb() -> bytes:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines).encode() + b"\n"


def _python_tag(tag: str) -> Callable[[], bytes]:
    return lambda: edit(TITLE, f'  title: {tag} ["touch {MARKER}"]')


BROKEN = [
    Broken("empty", lambda: b"", "schema", "file is empty"),
    Broken("only-comments", lambda: b"# a comment\n\n   # another\n", "schema", "file is empty"),
    Broken("only-blank", lambda: b"\n  \n\r\n", "schema", "file is empty"),
    Broken("document-end", lambda: b"---\n...\n", "schema", "file is empty", (2, 1)),
    Broken("scalar", lambda: b"just some words\n", "schema", "not a single value (str)"),
    Broken("number", lambda: b"42\n", "schema", "not a single value (int)"),
    Broken("list", lambda: b"- apiVersion: icrunbook/v1\n- kind: Runbook\n", "schema", "a list"),
    Broken("binary", lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 64, "syntax", "0x89"),
    Broken("nul-bytes", lambda: b"\x00\x00\x00\x18ftypmp42\x00" * 64, "syntax", "U+0000"),
    Broken(
        "nul-in-runbook",
        lambda: edit(TITLE, '  title: "Web API\x00 bad deploy"'),
        "syntax",
        "character U+0000 is not allowed",
        (6, 18),
    ),
    Broken(
        "escape-in-runbook",
        lambda: edit(TITLE, "  title: Web API \x1b[2J bad deploy"),
        "syntax",
        "character U+001B is not allowed",
        (6, 18),
    ),
    Broken(
        "invalid-utf8",
        lambda: edit(TITLE, "  title: caf@").replace(b"caf@", b"caf\xe9"),
        "syntax",
        "byte 0xe9 is not valid UTF-8",
        (6, 13),
    ),
    Broken(
        "utf16-le-bom",
        lambda: codecs.BOM_UTF16_LE + CLEAN.encode("utf-16-le"),
        "syntax",
        "file is UTF-16-encoded",
    ),
    Broken(
        "utf16-be-bom",
        lambda: codecs.BOM_UTF16_BE + CLEAN.encode("utf-16-be"),
        "syntax",
        "file is UTF-16-encoded",
    ),
    Broken(
        "utf32-bom",
        lambda: codecs.BOM_UTF32_LE + CLEAN.encode("utf-32-le"),
        "syntax",
        "file is UTF-32-encoded",
    ),
    Broken(
        "tab-indent",
        lambda: edit(TITLE, "\t" + TITLE.lstrip()),
        "syntax",
        "tab character",
        (6, 1),
    ),
    Broken("yaml-bomb", _bomb, "syntax", "billion laughs"),
    Broken("recursive-alias", lambda: b"a: &a [*a, *a]\n", "syntax", "billion laughs"),
    Broken("undefined-alias", lambda: b"a: *nowhere\n", "syntax", "undefined alias", (1, 4)),
    Broken(
        "flow-nesting-20000",
        lambda: b"[" * 20_000 + b"]" * 20_000,
        "syntax",
        "deeper than 1000",
        (1, 1001),
    ),
    Broken(
        "flow-mapping-nesting-20000",
        lambda: b"a: " + b"{a: " * 20_000 + b"1" + b"}" * 20_000,
        "syntax",
        "deeper than 1000",
        (1, 4000),
    ),
    Broken(
        "block-nesting-3000",
        lambda: b"- " * 3000 + b"x\n",
        "syntax",
        "deeper than 1000",
        (1, 1999),
    ),
    Broken(  # indented: 3000 levels would be 4.5 MB, so as deep as fits in the size limit
        "block-mapping-nesting-1100",
        lambda: b"".join(b" " * i + b"a:\n" for i in range(1100)),
        "syntax",
        "deeper than 1000",
        (1000, 1001),
    ),
    Broken(
        "thirty-megabytes",
        lambda: b"# filler\n" * (30 * 1024 * 1024 // 9),
        "syntax",
        f"file is 31,457,277 bytes, {LIMIT}",
    ),
    Broken(
        "five-megabyte-line",
        lambda: b'a: "' + b"x" * (5 * 1024 * 1024) + b'"\n',
        "syntax",
        f"file is 5,242,886 bytes, {LIMIT}",
    ),
    Broken(
        "key-is-a-list",
        lambda: edit(LAST, LAST + "\n? [a, b]\n: value"),
        "schema",
        "a key must be plain text, not a list or mapping",
        (_END, 3),
    ),
    Broken(
        "key-is-a-number",
        lambda: edit(LAST, LAST + "\n1: value"),
        "schema",
        "key 1 is read as a number",
        (_END, 1),
    ),
    Broken(
        "key-is-null",
        lambda: edit(LAST, LAST + "\nnull: value"),
        "schema",
        "key null is read as null",
        (_END, 1),
    ),
    Broken(
        "key-is-a-date",
        lambda: edit(LAST, LAST + "\n2026-01-01: value"),
        "schema",
        "key 2026-01-01 is read as a date",
        (_END, 1),
    ),
    Broken(
        "python-object-apply",
        _python_tag("!!python/object/apply:os.system"),
        "syntax",
        "tag !!python/object/apply:os.system is not allowed",
        (6, 10),
    ),
    Broken(
        "python-object-new",
        _python_tag("!!python/object/new:os.system"),
        "syntax",
        "tag !!python/object/new:os.system is not allowed",
        (6, 10),
    ),
    Broken(
        "python-name",
        lambda: edit(TITLE, "  title: !!python/name:os.system"),
        "syntax",
        "tag !!python/name:os.system is not allowed",
        (6, 10),
    ),
    Broken(
        "python-module",
        lambda: edit(TITLE, "  title: !!python/module:os"),
        "syntax",
        "tag !!python/module:os is not allowed",
        (6, 10),
    ),
    Broken(
        "python-object-state",
        lambda: edit(TITLE, "  title: !!python/object:subprocess.Popen {args: [touch, pwned]}"),
        "syntax",
        "tag !!python/object:subprocess.Popen is not allowed",
        (6, 10),
    ),
    Broken(
        "custom-tag",
        lambda: edit(TITLE, "  title: !vault secret/title"),
        "syntax",
        "tag !vault is not allowed",
        (6, 10),
    ),
    Broken(
        "merged-keys-not-strings",
        lambda: edit("    action: Raise the HPA", "    <<: {1: one, null: two}\n    action: Raise"),
        "schema",
        "key 1 is read as a number",
        (line_of(CLEAN.encode(), b"    action: Raise the HPA"), 10),
    ),
    Broken(
        "merge-nesting-500",
        lambda: b"a: " + b"{<<: " * 500 + b"{b: 1}" + b"}" * 500 + b"\n",
        "syntax",
        "merge keys (<<) nest more than 100 deep",
        (1, 505),
    ),
    Broken(
        "merge-of-a-scalar",
        lambda: edit("    action: Raise the HPA", "    <<: 1\n    action: Raise"),
        "syntax",
        "expected a mapping or list of mappings for merging",
        (line_of(CLEAN.encode(), b"    action: Raise the HPA"), 9),
    ),
    Broken(
        "huge-integer",
        lambda: edit("  version: 4", "  version: " + "9" * 5000),
        "syntax",
        "5,000 characters cannot be read as !!int",
        (10, 12),
    ),
    Broken(
        "huge-hex-integer",
        lambda: edit("  version: 4", "  version: 0x" + "f" * 5000),
        "syntax",
        "5,002 characters cannot be read as !!int",
        (10, 12),
    ),
    Broken(
        "bool-tag-on-a-word",
        lambda: edit("  version: 4", "  version: !!bool maybe"),
        "syntax",
        "'maybe' cannot be read as !!bool",
        (10, 12),
    ),
    Broken(
        "float-tag-on-a-word",
        lambda: edit("  version: 4", "  version: !!float four"),
        "syntax",
        "'four' cannot be read as !!float",
        (10, 12),
    ),
    Broken("map-tag-on-a-list", lambda: b"!!map [a, b]\n", "syntax", "expected a mapping node"),
    Broken("set-tag-on-a-word", lambda: b"a: !!set x\n", "syntax", "expected a mapping", (1, 4)),
    Broken(
        "newline-in-a-key",
        lambda: edit("  x-pagerduty-service: PWEBAPI", '  "serv\\nice\\u001b[31m": x'),
        "schema",
        "unknown key",
        (23, 3),
    ),
]


def _words(size: int, word: str = "lorem") -> str:
    """``size`` characters of wrappable text."""
    return ((word + " ") * (size // (len(word) + 1) + 1))[:size].strip()


LONG = _words(200_000, "incident")


def _long_strings() -> bytes:
    """A long value in every free-text field; one 200 KB action, the file under 1 MiB."""
    text = CLEAN.replace(ACTION, f"    action: {LONG}")
    text = text.replace(TITLE, f"  title: {_words(40_000)}")
    fields = [
        "    description: Most API requests fail",
        "      - Declare the incident, set the severity",
        "      - Take a hands-on technical task",
        "    verify: Incident exists in the tracker",
        "      Compare the deploy history",
        "    when: A deploy correlates with the spike",
        "  - description: Error rate or latency",
        "    condition: SEV1 and the service",
        "    condition: 5xx is still above",
        "    - title: Web API golden signals dashboard",
    ]
    for field in fields:
        assert text.count(field) >= 1, field
        text = text.replace(field, field + " " + _words(40_000), 1)
    data = text.encode()
    assert len(data) < 1024 * 1024
    return data


def _merge_keys() -> bytes:
    text = CLEAN.replace(
        "triggers:\n", "x-defaults: &ops\n  phase: mitigate\n  owner: ops_lead\n\ntriggers:\n", 1
    )
    for action in ("Raise the HPA", "Roll back the Helm"):
        old = f"    phase: mitigate\n    owner: ops_lead\n    action: {action}"
        assert text.count(old) == 1
        text = text.replace(old, f"    <<: *ops\n    action: {action}")
    return text.encode()


@dataclass(frozen=True)
class Weird:
    """A schema-valid input that looks odd: every command succeeds (exit 0)."""

    name: str
    data: Callable[[], bytes]


def _mixed_endings() -> bytes:
    lines = CLEAN.split("\n")
    return "".join(line + ("\r\n" if i % 2 else "\n") for i, line in enumerate(lines[:-1])).encode()


WEIRD = [
    Weird("crlf", lambda: CLEAN.replace("\n", "\r\n").encode()),
    Weird("cr-only", lambda: CLEAN.replace("\n", "\r").encode()),
    Weird("mixed-line-endings", _mixed_endings),
    Weird("utf8-bom", lambda: codecs.BOM_UTF8 + CLEAN.encode()),
    Weird("merge-keys", _merge_keys),
    Weird("long-strings", _long_strings),
    Weird("deep-extension", lambda: edit(LAST, "x-deep: " + "[" * 990 + "]" * 990)),
    Weird("no-final-newline", lambda: CLEAN.rstrip("\n").encode()),
]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every input, written once (the big ones are the costly part)."""
    folder = tmp_path_factory.mktemp("hostile")
    for case in [*BROKEN, *WEIRD]:
        (folder / f"{case.name}.yaml").write_bytes(case.data())
    (folder / "clean.yaml").write_text(CLEAN, encoding="utf-8")
    return folder


# --- every input, every command ---------------------------------------------------------------


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("case", BROKEN, ids=[case.name for case in BROKEN])
def test_broken_input_gets_a_clear_diagnostic(
    run: Callable[..., Result], inputs: Path, case: Broken, command: str
) -> None:
    file = f"{case.name}.yaml"
    result = run(*COMMANDS[command], file, cwd=inputs)
    _clean_end(result)
    line, column = case.at
    if command == "render":
        assert result.code == 2, result
        assert result.out == ""
        assert result.err.startswith(f"icrun: error: {file}:{line}:{column}: cannot render: ")
        assert case.fragment in result.err
        assert result.err.endswith(f"; see: icrun validate {file}\n")
    else:
        assert result.code == 1, result
        assert result.err == ""
        found = [
            diagnostic
            for diagnostic in result.out.splitlines()
            if diagnostic.startswith(f"{file}:{line}:{column}: error [{case.rule}] ")
        ]
        assert any(case.fragment in diagnostic for diagnostic in found), result.out[:3000]
        *diagnostics, summary = result.out.splitlines()
        assert summary.startswith("1 file checked: ")  # the run finished
        assert all(line.startswith(f"{file}:") for line in diagnostics)  # one line each
    assert "\x1b" not in result.out + result.err
    assert not (inputs / MARKER).exists()


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("case", WEIRD, ids=[case.name for case in WEIRD])
def test_weird_but_valid_input_succeeds(
    run: Callable[..., Result], inputs: Path, case: Weird, command: str
) -> None:
    result = run(*COMMANDS[command], f"{case.name}.yaml", cwd=inputs)
    _clean_end(result)
    assert result.code == 0, result
    assert result.err == ""
    if command == "render":
        assert "\nSEVERITIES\n----------\n" in result.out
    else:
        assert "1 file checked: 0 errors, 0 warnings, " in result.out  # long text: info at most


@pytest.mark.parametrize(
    "case", ["crlf", "cr-only", "mixed-line-endings", "utf8-bom", "merge-keys"]
)
def test_weird_runbook_renders_like_the_clean_one(
    run: Callable[..., Result], inputs: Path, case: str
) -> None:
    clean = run(*COMMANDS["render"], "clean.yaml", cwd=inputs)
    weird = run(*COMMANDS["render"], f"{case}.yaml", cwd=inputs)
    assert weird.out == clean.out


def test_line_endings_do_not_move_diagnostics(run: Callable[..., Result], tmp_path: Path) -> None:
    broken = (
        CLEAN.replace("  x-pagerduty-service: PWEBAPI", "  servce: PWEBAPI  # icrun: disable=nope")
        .replace("    timebox: 2m\n    verify: Incident", "    timebox: 2x\n    verify: Incident")
        .replace(ACTION, ACTION + " " + _words(150))
    )
    endings = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}
    for name, ending in endings.items():
        (tmp_path / f"{name}.yaml").write_bytes(broken.replace("\n", ending).encode())
    for command in ("lint", "validate"):
        outputs = {
            name: run(command, f"{name}.yaml", cwd=tmp_path).out.replace(f"{name}.yaml", "F")
            for name in endings
        }
        assert outputs["lf"].count("\nF:") >= 1  # several findings, at least
        assert outputs["crlf"] == outputs["lf"]
        assert outputs["cr"] == outputs["lf"]


def test_long_strings_render_as_well_formed_text(run: Callable[..., Result], inputs: Path) -> None:
    clean = run(*COMMANDS["render"], "clean.yaml", cwd=inputs).out
    long = run(*COMMANDS["render"], "long-strings.yaml", cwd=inputs).out
    widest = max(len(line) for line in clean.splitlines())  # a verbatim command or template
    assert max(len(line) for line in long.splitlines()) <= widest
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", long)
    assert " ".join(LONG.split()) in " ".join(long.split())  # wrapped, never cut
    headings = [line for line in clean.splitlines() if set(line) == {"-"}]
    assert len([line for line in long.splitlines() if set(line) == {"-"}]) == len(headings)


# --- the size limit ---------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["lint", "validate"])
def test_a_raised_size_limit_reads_a_five_megabyte_line(
    run: Callable[..., Result], tmp_path: Path, command: str
) -> None:
    big = edit(LAST, 'x-team-slack: "' + "x" * (5 * 1024 * 1024) + '"')
    (tmp_path / "big.yaml").write_bytes(big)
    result = run(command, "--max-file-size", "40000000", "big.yaml", cwd=tmp_path)
    _clean_end(result)
    assert (result.code, result.err) == (0, ""), result
    assert "1 file checked: 0 errors" in result.out


# --- what is not a plain file -----------------------------------------------------------------


@pytest.fixture
def looping_folder(tmp_path: Path) -> Path:
    """A folder of one runbook, a symlink to itself, a cycle through a subfolder, a file
    symlink to itself, a dangling symlink and a FIFO, all named like runbooks."""
    folder = tmp_path / "runbooks"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.yaml").write_text(CLEAN, encoding="utf-8")
    os.symlink(folder, folder / "loop")
    os.symlink("..", folder / "sub" / "up")
    os.symlink("self.yaml", folder / "self.yaml")
    os.symlink("gone.yaml", folder / "dangling.yaml")
    os.mkfifo(folder / "sub" / "fifo.yaml")
    return folder


@pytest.mark.parametrize("command", list(COMMANDS))
def test_folder_with_loops_and_fifos_is_walked_without_hanging(
    run: Callable[..., Result], looping_folder: Path, command: str
) -> None:
    result = run(*COMMANDS[command], "runbooks", cwd=looping_folder.parent)
    _clean_end(result)
    assert (result.code, result.err) == (0, ""), result
    if command == "render":
        assert result.out.startswith("Web API: bad deploy (roll back first)\n")
    else:
        assert "1 file checked: 0 errors" in result.out  # only the regular file


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("sub/fifo.yaml", "not a regular file (a FIFO, socket or device)"),
        ("self.yaml", "cannot read: Too many levels of symbolic links"),
        ("dangling.yaml", "no such file or directory"),
    ],
)
def test_a_named_special_file_is_one_clear_error(
    run: Callable[..., Result], looping_folder: Path, command: str, name: str, message: str
) -> None:
    result = run(*COMMANDS[command], name, cwd=looping_folder)
    _clean_end(result)
    assert (result.code, result.out) == (2, "")
    assert result.err == f"icrun: error: {name}: {message}" + (
        "; pass a file\n" if "FIFO" in message else "\n"
    )


@pytest.mark.skipif(
    os.geteuid() == 0, reason="root reads a chmod 000 file; see the in-process test"
)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_an_unreadable_file_is_one_clear_error(
    run: Callable[..., Result], tmp_path: Path, command: str
) -> None:
    locked = tmp_path / "locked.yaml"
    locked.write_text(CLEAN, encoding="utf-8")
    locked.chmod(0)
    result = run(*COMMANDS[command], "locked.yaml", cwd=tmp_path)
    _clean_end(result)
    assert (result.code, result.out) == (2, "")
    assert result.err == f"icrun: error: locked.yaml: {DENIED}\n"


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_broken_file_name_stays_one_line(
    run: Callable[..., Result], tmp_path: Path, command: str
) -> None:
    name = "evil\n\x1b[2Jname.yaml"
    (tmp_path / name).write_bytes(b"[" * 2000)
    result = run(*COMMANDS[command], name, cwd=tmp_path)
    _clean_end(result)
    assert "\x1b" not in result.out + result.err
    if command == "render":
        assert result.code == 2
        assert result.err.startswith(
            "icrun: error: evil\\x0a\\x1b[2Jname.yaml:1:1001: cannot render: "
        )
    else:
        assert result.code == 1
        assert len(result.out.splitlines()) == 2  # the diagnostic and the summary


# --- in-process: what cannot be arranged from outside --------------------------------------------


@pytest.fixture
def deleted_while_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A runbook that disappears between being found and being opened."""
    from icrunbook import loader

    path = tmp_path / "vanishing.yaml"
    path.write_text(CLEAN, encoding="utf-8")
    opener = loader._open_regular

    def open_after_deleting(name: str, flags: int) -> int:
        Path(name).unlink(missing_ok=True)
        return opener(name, flags)

    monkeypatch.setattr(loader, "_open_regular", open_after_deleting)
    monkeypatch.chdir(tmp_path)
    return path


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_file_deleted_while_linted_is_one_clear_error(
    icrun: Callable[..., Result], deleted_while_read: Path, command: str
) -> None:
    result = icrun(*COMMANDS[command], ".")
    assert (result.code, result.out) == (2, "")
    assert result.err == "icrun: error: vanishing.yaml: no such file or directory\n"


@pytest.mark.parametrize("command", list(COMMANDS))
def test_permission_denied_is_one_clear_error(
    icrun: Callable[..., Result],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
) -> None:
    """As ``chmod 000`` would do for anyone but root."""
    from icrunbook import loader

    def refuse(name: str, flags: int) -> int:
        raise PermissionError(13, "Permission denied", name)

    (tmp_path / "locked.yaml").write_text(CLEAN, encoding="utf-8")
    monkeypatch.setattr(loader, "_open_regular", refuse)
    monkeypatch.chdir(tmp_path)
    result = icrun(*COMMANDS[command], "locked.yaml")
    assert (result.code, result.out) == (2, "")
    assert result.err == f"icrun: error: locked.yaml: {DENIED}\n"
