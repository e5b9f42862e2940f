"""Parallel lint gives exactly the serial output; the cache reuses results and is never trusted
blindly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CLEAN, runbook

import icrunbook.config
import icrunbook.pipeline.runner
from icrunbook.api import lint_paths
from icrunbook.cache import Cache
from icrunbook.pipeline.runner import PARALLEL_FROM

pytestmark = pytest.mark.usefixtures("reproducible")


def corpus(folder: Path, count: int = PARALLEL_FROM + 4) -> Path:
    """Runbooks with different names, some broken in different ways."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        text = CLEAN.replace("name: web-api-bad-deploy", f"name: runbook-{i:03}", 1)
        if i % 3 == 0:
            text = text.replace("internal_update: 5m", f"internal_update: {20 + i}m", 1)
        if i % 4 == 0:
            text = text.replace('last_reviewed: "2026-11-10"', 'last_reviewed: "2020-01-01"')
        (folder / f"runbook-{i:03}.yaml").write_text(text, encoding="utf-8")
    return folder


def test_parallel_output_is_identical_to_serial(icrun, tmp_path) -> None:
    folder = corpus(tmp_path / "runbooks")
    serial = icrun("lint", "-j1", "-f", "json", str(folder))
    parallel = icrun("lint", "-j2", "-f", "json", str(folder))
    assert serial.code == parallel.code == 1
    assert parallel.out == serial.out
    assert '"cadence-internal-max"' in serial.out


def test_installed_cli_runs_in_parallel_by_default(icrun_process, tmp_path) -> None:
    folder = corpus(tmp_path / "runbooks")
    default = icrun_process("lint", "--no-cache", str(folder))
    serial = icrun_process("lint", "--no-cache", "-j1", str(folder))
    assert (default.code, default.out) == (serial.code, serial.out)


def test_a_cached_rerun_parses_nothing(tmp_path, monkeypatch) -> None:
    folder = corpus(tmp_path / "runbooks")
    cold = lint_paths([str(folder)], cache=Cache(str(tmp_path / "cache")))

    def must_not_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a cached file was parsed")

    monkeypatch.setattr(icrunbook.pipeline.runner, "load_file", must_not_parse)
    warm = lint_paths([str(folder)], cache=Cache(str(tmp_path / "cache")))
    assert warm.diagnostics == cold.diagnostics
    assert warm.files == cold.files


def test_cache_folder_ignores_itself_in_git(tmp_path) -> None:
    lint_paths([str(corpus(tmp_path / "runbooks", 2))], cache=Cache(str(tmp_path / "cache")))
    assert (tmp_path / "cache" / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"


def test_a_changed_file_is_linted_again(tmp_path) -> None:
    target = tmp_path / "runbook.yaml"
    target.write_text(CLEAN, encoding="utf-8")
    cache_dir = str(tmp_path / "cache")
    assert lint_paths([str(target)], cache=Cache(cache_dir)).diagnostics == []
    target.write_text(runbook(("internal_update: 5m", "internal_update: 50m")), encoding="utf-8")
    rules = [d.rule for d in lint_paths([str(target)], cache=Cache(cache_dir)).diagnostics]
    assert "cadence-internal-max" in rules


def test_a_changed_config_or_day_is_a_miss(tmp_path, monkeypatch) -> None:
    target = tmp_path / "runbook.yaml"
    target.write_text(CLEAN, encoding="utf-8")
    cache_dir = str(tmp_path / "cache")
    assert lint_paths([str(target)], cache=Cache(cache_dir)).diagnostics == []
    (tmp_path / ".icrun.yaml").write_text(
        "rules:\n  cadence-internal-max: {options: {max: 2m}}\n", encoding="utf-8"
    )
    icrunbook.config.find_config.cache_clear()
    found = lint_paths([str(target)], cache=Cache(cache_dir)).diagnostics
    assert "cadence-internal-max" in {d.rule for d in found}
    (tmp_path / ".icrun.yaml").unlink()
    icrunbook.config.find_config.cache_clear()
    monkeypatch.setenv("ICRUN_TODAY", "2027-11-27")  # a year on, the review is stale
    later = lint_paths([str(target)], cache=Cache(cache_dir)).diagnostics
    assert [d.rule for d in later] == ["review-fresh"]


@pytest.mark.parametrize("damage", [b"", b'{"format": 1, "files": {"x', b"\x00\xff garbage", b"[]"])
def test_a_damaged_cache_is_rebuilt_not_trusted(tmp_path, damage: bytes) -> None:
    folder = corpus(tmp_path / "runbooks", 3)
    cache_dir = tmp_path / "cache"
    expected = lint_paths([str(folder)], cache=Cache(str(cache_dir))).diagnostics
    cache_file = next(cache_dir.glob("lint-*.json"))
    cache_file.write_bytes(damage)
    assert lint_paths([str(folder)], cache=Cache(str(cache_dir))).diagnostics == expected
    assert json.loads(cache_file.read_bytes())["format"] > 0  # rebuilt, readable


def test_a_tampered_entry_is_a_miss(tmp_path) -> None:
    folder = corpus(tmp_path / "runbooks", 1)
    cache_dir = tmp_path / "cache"
    expected = lint_paths([str(folder)], cache=Cache(str(cache_dir))).diagnostics
    cache_file = next(cache_dir.glob("lint-*.json"))
    text = cache_file.read_text(encoding="utf-8")
    cache_file.write_text(text.replace('"diagnostics":[', '"diagnostics":[7,'), encoding="utf-8")
    assert lint_paths([str(folder)], cache=Cache(str(cache_dir))).diagnostics == expected


def test_no_cache_writes_nothing_and_lint_never_changes_what_it_reads(
    icrun, tmp_path, monkeypatch
) -> None:
    folder = corpus(tmp_path / "runbooks", 2)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ICRUN_NO_CACHE")
    assert icrun("lint", "--no-cache", str(folder)).code == 1
    assert not (tmp_path / ".icrun_cache").exists()
    assert icrun("lint", str(folder)).code == 1
    assert (tmp_path / ".icrun_cache").is_dir()
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    assert after == before
