"""The ``icrun`` command line end to end: in-process, and through the installed console script."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import CLEAN, RUNBOOKS, Result

from icrunbook import __version__


def test_validate_bundled_runbooks_is_clean(icrun) -> None:
    result: Result = icrun("validate", str(RUNBOOKS))
    assert result.code == 0, result.out
    assert (
        result.out.strip()
        == f"{len(list(RUNBOOKS.glob('*.yaml')))} files checked: 0 errors, 0 warnings, 0 info"
    )


def test_validate_json_format(icrun, tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: icrunbook/v1\nkind: Runbook\n", encoding="utf-8")
    result = icrun("validate", "--format", "json", str(bad))
    assert result.code == 1
    report = json.loads(result.out)
    assert report["version"] == __version__
    assert report["summary"] == {"files": 1, "errors": 5, "warnings": 0, "info": 0, "hidden": 0}
    first = report["diagnostics"][0]
    assert set(first) == {
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "rule",
        "severity",
        "message",
    }
    assert first["rule"] == "schema"
    assert first["message"] == "the runbook is missing required key 'communications'"


def test_validate_output_file_is_written(icrun, tmp_path) -> None:
    target = tmp_path / "report.json"
    result = icrun("validate", "-f", "json", "-o", str(target), str(RUNBOOKS))
    assert result.code == 0
    assert result.out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["diagnostics"] == []
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary file left


def test_quiet_prints_only_diagnostics(icrun, tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [\n", encoding="utf-8")
    result = icrun("validate", "-q", str(bad))
    assert result.code == 1
    assert result.out.count("\n") == 1
    assert "[syntax]" in result.out


def test_user_errors_are_one_line_and_exit_2(icrun, tmp_path) -> None:
    for args in (
        ["validate", str(tmp_path / "missing.yaml")],
        ["validate", "--no-such-option"],
        ["validate", "--format", "xml", str(RUNBOOKS)],
        ["schema", "nonsense"],
        ["no-such-command"],
    ):
        result = icrun(*args)
        assert result.code == 2, args
        assert result.err.startswith("icrun: error: "), args
        assert result.err.count("\n") == 1, result.err
        assert "Traceback" not in result.err


def test_schema_command_prints_each_schema(icrun) -> None:
    for name in ("runbook", "config", "ruleset"):
        result = icrun("schema", name)
        assert result.code == 0
        schema = json.loads(result.out)
        assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
        assert schema["$id"].endswith(f"/{name}.schema.json")


def test_version(icrun) -> None:
    result = icrun("--version")
    assert (result.code, result.out) == (0, f"icrun {__version__}\n")


def test_bare_icrun_prints_the_help_and_exits_0(icrun) -> None:
    result: Result = icrun()
    assert (result.code, result.err) == (0, "")
    assert "Usage: icrun [OPTIONS] COMMAND [ARGS]..." in result.out
    assert "validate" in result.out
    assert result.out == icrun("--help").out


def test_command_with_no_args_is_help_prints_its_help(icrun, monkeypatch) -> None:
    import typer

    import icrunbook.cli

    app = typer.Typer(name="icrun", no_args_is_help=True)

    @app.command(no_args_is_help=True)
    def check(path: str) -> None:
        """Check one file."""

    @app.command()
    def other() -> None:
        """Another command, so that check is a subcommand."""

    monkeypatch.setattr(icrunbook.cli, "app", app)
    result: Result = icrun("check")
    assert (result.code, result.err) == (0, "")
    assert "Usage: icrun check [OPTIONS]" in result.out
    assert "Check one file." in result.out
    assert icrun("check", "x.yaml").code == 0


def test_installed_bare_icrun_prints_the_help_and_exits_0(icrun_process, tmp_path) -> None:
    result = icrun_process(cwd=tmp_path)
    assert (result.code, result.err) == (0, "")
    assert "Usage: icrun [OPTIONS] COMMAND [ARGS]..." in result.out
    assert result.out == icrun_process("--help", cwd=tmp_path).out


def test_installed_entry_point_validates_from_another_directory(icrun_process, tmp_path) -> None:
    """A non-editable install finds its schemas wherever it runs."""
    result = icrun_process("validate", str(RUNBOOKS), cwd=tmp_path)
    assert result.code == 0, result.out + result.err
    assert "0 errors" in result.out
    schema = icrun_process("schema", "runbook", cwd=tmp_path)
    assert json.loads(schema.out)["title"].startswith("icrunbook runbook")


def test_installed_entry_point_reports_problems(icrun_process, tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: icrunbook/v1\nkind: Runbook\nkind: Runbook\n", encoding="utf-8")
    result = icrun_process("validate", str(bad), cwd=tmp_path)
    assert result.code == 1
    assert (
        f"{bad}:3:1: error [duplicate-key] key 'kind' is repeated (first at line 2)" in result.out
    )
    missing = icrun_process("validate", "nope.yaml", cwd=tmp_path)
    assert (missing.code, missing.err) == (
        2,
        "icrun: error: nope.yaml: no such file or directory\n",
    )


def test_python_dash_m_runs_the_cli(tmp_path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "icrunbook", "--version"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, f"icrun {__version__}\n")


# What only some commands need: never loaded by --help, lint or validate.
HEAVY = ("jinja2", "jsonschema", "textual", "pypdf", "icrunbook.incident.engine")


def test_help_imports_neither_jinja2_nor_jsonschema(tmp_path) -> None:
    probe = (
        "import sys\n"
        f"HEAVY = {HEAVY!r}\n"
        "from icrunbook.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in HEAVY if m in sys.modules)\n"
        "print('heavy:', ','.join(heavy), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    assert "Usage: icrun" in done.stdout
    assert done.stderr.strip() == "heavy:"


def test_validate_of_valid_file_imports_neither_jinja2_nor_jsonschema(tmp_path) -> None:
    probe = (
        "import sys\n"
        "from icrunbook.cli import main\n"
        f"code = main(['validate', {str(RUNBOOKS)!r}])\n"
        f"print(code, *(m in sys.modules for m in {HEAVY!r}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "0" + " False" * len(HEAVY)


def test_lint_loads_neither_the_console_nor_the_incident_engine(tmp_path) -> None:
    probe = (
        "import sys\n"
        "from icrunbook.cli import main\n"
        f"code = main(['lint', {str(RUNBOOKS)!r}, '--no-cache'])\n"
        f"print(code, *(m in sys.modules for m in {HEAVY[2:]!r}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "0 False False False"


def test_lint_bundled_runbooks_is_clean(icrun) -> None:
    result = icrun("lint", str(RUNBOOKS))
    assert result.code == 0, result.out
    assert result.out.endswith(": 0 errors, 0 warnings, 0 info\n")


def test_lint_reports_rules_and_honours_fail_on_and_ignore(icrun, tmp_path) -> None:
    runbook = CLEAN
    bad = tmp_path / "bad.yaml"
    bad.write_text(runbook.replace("escalation:", "x-escalation:", 1), encoding="utf-8")
    result = icrun("lint", str(bad))
    assert result.code == 0  # a warning does not fail at the default --fail-on error
    assert "warning [escalation-defined]" in result.out
    assert icrun("lint", "--fail-on", "warning", str(bad)).code == 1
    ignored = icrun("lint", "--fail-on", "warning", "--ignore", "escalation-*", str(bad))
    assert ignored.code == 0, ignored.out


def test_lint_unknown_rule_glob_is_a_usage_error(icrun) -> None:
    result = icrun("lint", "--select", "no-such-rule", str(RUNBOOKS))
    assert result.code == 2
    assert result.err == (
        "icrun: error: no rule matches 'no-such-rule'; list the rules with: icrun rules\n"
    )


def test_lint_statistics_counts_findings_per_rule(icrun, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("ICRUN_TODAY", "2026-11-27")
    bare = "apiVersion: icrunbook/v1\nkind: Runbook\n"
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(bare, encoding="utf-8")
    result = icrun("lint", "--statistics", str(tmp_path))
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0] == "   10  schema  (error)"
    assert "    2  escalation-defined  (warning)" in lines
    assert lines[-1] == "2 files checked: 10 errors, 6 warnings, 0 info"
    report = json.loads(icrun("lint", "-f", "json", "--statistics", str(tmp_path)).out)
    assert report["statistics"][0] == {"rule": "schema", "severity": "error", "count": 10}
