"""``icrun init``: a starter project that lints clean, and never overwrites by accident."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("reproducible")


def test_init_writes_a_project_that_lints_clean(icrun_process, tmp_path) -> None:
    project = tmp_path / "incident-runbooks"
    result = icrun_process("init", str(project))
    assert result.code == 0, result.err
    written = sorted(p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file())
    assert written == [
        ".icrun.yaml",
        "runbooks/my-service-bad-deploy.yaml",
        "schemas/config.schema.json",
        "schemas/runbook.schema.json",
    ]
    lint = icrun_process("lint", "--fail-on", "info", cwd=project)  # config's paths: runbooks
    assert (lint.code, lint.out) == (0, "1 file checked: 0 errors, 0 warnings, 0 info\n")
    validate = icrun_process("validate", ".icrun.yaml", cwd=project)
    assert validate.code == 0, validate.out


def test_every_file_init_writes_in_yaml_starts_with_the_editor_modeline(icrun, tmp_path) -> None:
    assert icrun("init", str(tmp_path)).code == 0
    for name, schema in [
        (".icrun.yaml", "schemas/config.schema.json"),
        ("runbooks/my-service-bad-deploy.yaml", "../schemas/runbook.schema.json"),
    ]:
        first = (tmp_path / name).read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema={schema}"
        assert (tmp_path / name).parent.joinpath(schema).resolve().is_file()


def test_init_refuses_to_overwrite_without_force(icrun, tmp_path) -> None:
    (tmp_path / ".icrun.yaml").write_text("extends: all\n", encoding="utf-8")
    refused = icrun("init", str(tmp_path))
    assert refused.code == 2
    assert refused.err == (
        f"icrun: error: {tmp_path / '.icrun.yaml'} already exists; use --force to overwrite\n"
    )
    assert (tmp_path / ".icrun.yaml").read_text(encoding="utf-8") == "extends: all\n"
    assert not (tmp_path / "runbooks").exists()
    forced = icrun("init", "--force", str(tmp_path))
    assert forced.code == 0
    assert (tmp_path / ".icrun.yaml").read_text(encoding="utf-8").startswith("# yaml-language")


def test_bundled_runbooks_start_with_the_modeline() -> None:
    from conftest import EXAMPLES, RUNBOOKS

    for path in EXAMPLES:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schemas/runbook.schema.json", path
    first = (RUNBOOKS / "policy.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schemas/policy.schema.json"
