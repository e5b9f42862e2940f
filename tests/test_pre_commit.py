"""The pre-commit hooks, run end to end by the real ``pre-commit`` client, offline.

pre-commit installs a hook's Python environment with pip. So that nothing here reaches the
network, pip is pointed at a folder of wheels (``ICRUN_WHEELHOUSE``, built by ``.ci/run``) with
``PIP_NO_INDEX=1``, and every proxy variable points at a closed local port.

The hook repository is a snapshot of this checkout's working tree, committed to a temporary
git repository. ``pre-commit try-repo`` on the checkout itself would take the last commit plus
changes to *tracked* files only: a new, not yet added file (a new hook manifest, a new module)
would be missing. In a clean clone, as in CI, the snapshot and the checkout are the same.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CLEAN, ROOT, runbook

WHEELHOUSE_HELP = (
    "run .ci/run, or set ICRUN_WHEELHOUSE to a folder of wheels: "
    "pip wheel --wheel-dir /tmp/wheelhouse . hatchling && "
    "ICRUN_WHEELHOUSE=/tmp/wheelhouse python -m pytest tests/test_pre_commit.py"
)
CLOSED_PORT = "http://127.0.0.1:9"
TAG = "v0.1.0"  # the rev README's snippet pins

# A runbook that is valid (schema) but breaks a lint rule, and one the schema rejects.
LINT_BAD = runbook(("    internal_update: 5m\n", "    internal_update: 2h\n"))
SCHEMA_BAD = runbook(("  owner: web-platform\n", "  ownr: web-platform\n"))
NOT_A_RUNBOOK = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web-api}\n"


def _git(*args: str, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, f"git {' '.join(args)} failed:\n{done.stdout}{done.stderr}"
    return done.stdout


def _commit_all(repo: Path, env: dict[str, str]) -> None:
    _git("init", "--quiet", "--initial-branch=main", cwd=repo, env=env)
    _git("add", "--all", cwd=repo, env=env)
    _git("commit", "--quiet", "--no-verify", "--no-gpg-sign", "-m", "snapshot", cwd=repo, env=env)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment for git and pre-commit: isolated, reproducible and offline."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    pytest.importorskip("pre_commit", reason="pre-commit is not installed: pip install '.[test]'")
    wheelhouse = os.environ.get("ICRUN_WHEELHOUSE")
    if not wheelhouse:
        pytest.skip(WHEELHOUSE_HELP)
    if not any(Path(wheelhouse).glob("hatchling-*.whl")):
        pytest.fail(f"ICRUN_WHEELHOUSE={wheelhouse} holds no hatchling wheel; {WHEELHOUSE_HELP}")

    dropped = ("GIT_", "PIP_", "PRE_COMMIT", "VIRTUALENV_", "GITHUB_")
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.upper().startswith(dropped)
        and key.upper() not in {"SKIP", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"}
    }
    name, email = "icrunbook tests", "tests@icrunbook.invalid"
    return {
        **clean,
        # git: no user or system config, a fixed identity
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
        # pre-commit: its own store; pip: the wheelhouse only; virtualenv: no update check
        "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")),
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(Path(wheelhouse).resolve()),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "VIRTUALENV_NO_PERIODIC_UPDATE": "1",
        **{
            proxy: CLOSED_PORT
            for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")
        },
        # icrun: reproducible dates, plain text (GITHUB_ACTIONS is dropped above)
        "ICRUN_TODAY": "2026-11-27",
        "NO_COLOR": "1",
    }


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]) -> Path:
    """This checkout's working tree (tracked and untracked, not ignored), committed and tagged."""
    if not (ROOT / ".git").exists():
        pytest.skip(f"{ROOT} is not a git checkout")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    repo = tmp_path_factory.mktemp("hook-repo")
    for name in sorted({name for name in listed.split("\0") if name}):
        source, target = ROOT / name, repo / name
        if not source.is_symlink() and not source.is_file():
            continue  # deleted in the working tree, or a submodule
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, target)
    assert (repo / ".pre-commit-hooks.yaml").is_file()
    _commit_all(repo, env)
    _git("tag", TAG, cwd=repo, env=env)
    return repo


def _project(root: Path, files: dict[str, str], env: dict[str, str]) -> Path:
    """A git repository holding ``files``, committed."""
    root.mkdir()
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    _commit_all(root, env)
    return root


def _pre_commit(*args: str, cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", *args, "--color", "never"],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
        check=False,
    )
    return done.returncode, done.stdout


def _status(output: str, hook: str) -> str:
    """``Passed``, ``Failed`` or ``(no files to check)Skipped`` for the hook named ``hook``."""
    found = re.search(rf"^{re.escape(hook)}\.+(.*)$", output, re.MULTILINE)
    assert found, f"no status line for {hook!r} in:\n{output}"
    return found.group(1)


def test_try_repo_passes_a_good_runbook(
    tmp_path: Path, env: dict[str, str], hook_repo: Path
) -> None:
    project = _project(tmp_path / "good", {"runbooks/web-api-bad-deploy.yaml": CLEAN}, env)
    code, output = _pre_commit("try-repo", str(hook_repo), "--all-files", cwd=project, env=env)
    assert code == 0, output
    assert _status(output, "icrun lint") == "Passed", output
    assert _status(output, "icrun validate") == "Passed", output


def test_try_repo_lint_fails_on_a_rule(
    tmp_path: Path, env: dict[str, str], hook_repo: Path
) -> None:
    files = {"runbooks/web-api-bad-deploy.yaml": CLEAN, "runbooks/slow-cadence.yaml": LINT_BAD}
    project = _project(tmp_path / "lint-bad", files, env)
    code, output = _pre_commit("try-repo", str(hook_repo), "--all-files", cwd=project, env=env)
    assert code == 1, output
    assert _status(output, "icrun lint") == "Failed", output
    assert "runbooks/slow-cadence.yaml:34:22: error [cadence-internal-max]" in output
    # the schema is fine: validate passes the same files
    assert _status(output, "icrun validate") == "Passed", output


def test_try_repo_validate_fails_on_the_schema(
    tmp_path: Path, env: dict[str, str], hook_repo: Path
) -> None:
    project = _project(tmp_path / "schema-bad", {"runbooks/typo.yaml": SCHEMA_BAD}, env)
    code, output = _pre_commit(
        "try-repo", str(hook_repo), "icrun-validate", "--all-files", cwd=project, env=env
    )
    assert code == 1, output
    assert _status(output, "icrun validate") == "Failed", output
    assert "runbooks/typo.yaml:8:3: error [schema] unknown key 'ownr' in metadata" in output


def test_readme_snippet_checks_only_runbooks(
    tmp_path: Path, env: dict[str, str], hook_repo: Path
) -> None:
    """README's .pre-commit-config.yaml, pointed at the snapshot, with pre-commit's own store."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, re.DOTALL)
    snippet = next(block for block in blocks if "id: icrun-lint" in block)
    assert "https://github.com/icrunbook/icrunbook" in snippet
    assert f"rev: {TAG}" in snippet
    config = snippet.replace("https://github.com/icrunbook/icrunbook", str(hook_repo))
    files = {
        ".pre-commit-config.yaml": config,
        "runbooks/web-api-bad-deploy.yaml": CLEAN,
        "runbooks/slow-cadence.yaml": LINT_BAD,
        "deploy/web-api.yaml": NOT_A_RUNBOOK,  # YAML, but outside runbooks/: not checked
    }
    project = _project(tmp_path / "snippet", files, env)

    code, output = _pre_commit("run", "--all-files", cwd=project, env=env)
    assert code == 1, output
    assert _status(output, "icrun lint") == "Failed", output
    assert "runbooks/slow-cadence.yaml:34:22: error [cadence-internal-max]" in output
    assert "deploy/web-api.yaml" not in output

    code, output = _pre_commit(
        "run", "icrun-lint", "--files", "runbooks/web-api-bad-deploy.yaml", cwd=project, env=env
    )
    assert code == 0, output
    assert _status(output, "icrun lint") == "Passed", output
