"""``icrun run``, the live console: headless through Textual's pilot, and once in a real
terminal under tmux."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import RUNBOOKS

from icrunbook.incident import engine

WEB = RUNBOOKS / "web-api-bad-deploy.yaml"
T0 = datetime(2026, 12, 2, 14, 0, tzinfo=UTC)


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def text_of(app: object, selector: str) -> str:
    from textual.widgets import Static

    return str(app.query_one(selector, Static).content)  # type: ignore[attr-defined]


def test_the_console_records_before_it_redraws_and_shows_what_is_overdue(tmp_path: Path) -> None:
    from icrunbook.incident.console import Console

    incident = engine.start(
        str(WEB), "SEV1", directory=str(tmp_path), now=T0, who="dana", drill=True
    )
    clock = Clock()
    app = Console(incident.folder, "dana", clock, None)

    async def drill() -> None:
        async with app.run_test(size=(140, 45)) as pilot:
            assert "DRILL" in text_of(app, "#head")
            assert "in 5m" in text_of(app, "#due")
            await pilot.press(*"done 1", "enter")  # typed, key by key
            for command in ("start 5", "fail 5 argocd stuck", "start 13"):
                app.query_one("#command").value = command  # type: ignore[attr-defined]
                await pilot.press("enter")
                await pilot.pause()
            said = text_of(app, "#message")
            assert "mitigate first" in said
            clock.now = T0 + timedelta(minutes=6)
            app._draw()
            assert "OVERDUE by 1m" in text_of(app, "#due")
            assert "[!]  5. Roll back" in text_of(app, "#steps")
            await pilot.press(*"sev", "tab")  # completion
            assert app.query_one("#command").value == "sev SEV1 "  # type: ignore[attr-defined]
            app.query_one("#command").value = "frobnicate"  # type: ignore[attr-defined]
            await pilot.press("enter")
            await pilot.pause()
            assert "unknown command 'frobnicate'" in text_of(app, "#message")
            app.query_one("#command").value = "quit"  # type: ignore[attr-defined]
            await pilot.press("enter")
            await pilot.pause()

    asyncio.run(drill())
    state = engine.read(incident.folder).state
    kinds = [e.type for e in state.events]
    assert kinds == ["started", "step_done", "step_started", "step_failed", "step_started"]
    assert state.step("5").reason == "argocd stuck"


def test_every_console_command_is_an_event(tmp_path: Path) -> None:
    from icrunbook.incident.console import Console

    incident = engine.start(str(WEB), "SEV1", directory=str(tmp_path), now=T0, who="dana")
    app = Console(incident.folder, "dana", Clock(), None)
    commands = [
        "assign ops_lead Sam Lee",
        "round 5xx at 12%; rolling back; nothing",
        "note watching the dashboard",
        "todo add an alert on deploy errors",
        "sev SEV2 fewer users affected",
        "escalate 1",
        "handoff Lee",
        "post",
        "mitigated",
        "resolve rolled back",
    ]
    said = [app.run_command(command) for command in commands]
    assert all(line.startswith("recorded #") for line in said), said
    draft = app.run_command("draft resolved")
    assert "resolved" in draft
    state = engine.read(incident.folder).state
    assert state.holder("ops_lead") == "Sam Lee"
    assert state.holder("incident_commander") == "Lee"
    assert state.severity == "SEV2"
    assert state.resolved_at is not None


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux not found: apt-get install tmux")
def test_the_console_in_a_real_terminal(tmp_path: Path, icrun_exe: str) -> None:
    session = f"icrun-test-{os.getpid()}"
    env = "ICRUN_NOW=2026-12-02T14:00:00Z ICRUN_ACTOR=dana TERM=xterm-256color"
    # The pane outlives icrun by a few seconds, so its last words can be read.
    command = f"cd {tmp_path} && {env} {icrun_exe} run {WEB} --severity SEV1 --drill; sleep 5"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "140", "-y", "45", command], check=True
    )

    def screen() -> str:
        done = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
        )
        return done.stdout

    def wait_for(text: str) -> str:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            shown = screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared:\n{screen()}")

    try:
        wait_for("What is due")
        subprocess.run(["tmux", "send-keys", "-t", session, "done 1", "Enter"], check=True)
        wait_for("recorded #2")
        subprocess.run(["tmux", "send-keys", "-t", session, "fail 5 stuck", "Enter"], check=True)
        shown = wait_for("next: step 6 (helm-rollback-fallback)")
        assert "[x]  1. Declare the incident" in shown
        subprocess.run(["tmux", "send-keys", "-t", session, "quit", "Enter"], check=True)
        wait_for("everything is in")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    [folder] = (tmp_path / "incidents").iterdir()
    lines = (folder / "events.jsonl").read_text().splitlines()
    assert len(lines) == 3


def test_run_without_a_runbook_or_resume_is_one_clear_line(icrun, tmp_path: Path) -> None:
    result = icrun("run", "--dir", str(tmp_path))
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "give RUNBOOK --severity SEV to start, or --resume" in result.err
    missing = icrun("run", "--resume", "no-such-incident", "--dir", str(tmp_path))
    assert missing.code == 2
    assert "no incident 'no-such-incident'" in missing.err
