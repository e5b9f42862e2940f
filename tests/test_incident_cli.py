"""``icrun incident VERB`` end to end: a drill of the bundled bad-deploy runbook, the errors a
responder can make, drafts and honest updates, the webhook and its outbox, the export."""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from conftest import CLEAN, RUNBOOKS, Result, one_line_error

WEB = str(RUNBOOKS / "web-api-bad-deploy.yaml")
Run = Callable[..., Result]


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[[str], None]:
    """Work in a fresh folder as Dana; ``at("14:07")`` sets the clock."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ICRUN_ACTOR", "dana")
    monkeypatch.delenv("ICRUN_WEBHOOK", raising=False)

    def set_clock(clock: str) -> None:
        monkeypatch.setenv("ICRUN_NOW", f"2026-12-02T{clock}:00Z")

    set_clock("14:00")
    return set_clock


def ok(result: Result) -> str:
    assert result.code == 0, result
    return result.out


def test_a_drill_end_to_end(icrun: Run, at: Callable[[str], None], tmp_path: Path) -> None:
    incident = ok(icrun("incident", "start", WEB, "--severity", "SEV1", "--drill")).strip()
    assert incident == "20261202-1400-web-api-bad-deploy"
    ok(icrun("incident", "assign", "incident_commander", "Dana"))
    ok(icrun("incident", "assign", "ops_lead", "Sam"))
    ok(icrun("incident", "assign", "comms_lead", "Kim"))
    ok(icrun("incident", "step", "done", "1"))
    at("14:04")
    round_args = ["--conditions", "5xx at 12%", "--actions", "rolling back", "--needs", "none"]
    ok(
        icrun(
            "incident",
            "round",
            *round_args,
            "--impact",
            "Checkout fails for most users",
            "--unknowns",
            "why the release fails",
        )
    )
    ok(icrun("incident", "step", "start", "5"))
    at("14:10")
    overdue = icrun("incident", "status", "--check")
    assert overdue.code == 1
    assert "OVERDUE by 1m" in overdue.out  # the round due at 14:09
    failed = ok(icrun("incident", "step", "fail", "5", "--reason", "argocd stuck"))
    assert "next: step 6 (helm-rollback-fallback)" in failed
    draft = icrun("incident", "draft")
    assert "Impact: Checkout fails for most users" in draft.out
    assert "What we know: [known?]" in draft.out
    assert "warning: 'known' is not filled in" in draft.err
    posted = icrun(
        "incident", "post", "--text", "We believe the bad deploy caused this. Next update by 14:40."
    )
    assert posted.code == 0
    assert "suggests a cause" in posted.err
    ok(icrun("incident", "round", *round_args))
    ok(icrun("incident", "step", "done", "6"))
    at("14:20")
    ok(icrun("incident", "handoff", "Lee", "--brief", "helm rollback done, watching 5xx"))
    ok(icrun("incident", "mitigated", "--note", "helm rollback"))
    at("14:50")
    ok(icrun("incident", "resolve", "--summary", "A bad deploy, rolled back with Helm."))
    status = json.loads(ok(icrun("incident", "status", "--json")))
    assert status["status"] == "resolved"
    assert status["roles"]["incident_commander"] == "Lee"
    assert [r["name"] for r in status["reminders"]] == ["update"]  # the resolved update
    ok(icrun("incident", "post", "resolved"))
    markdown = ok(icrun("incident", "export", "-f", "md"))
    assert "Time to mitigate:** 20m" in markdown
    assert "Time to resolve:** 50m" in markdown
    assert "| 5 | Roll back web-api" in markdown
    assert "failed: argocd stuck" in markdown
    assert "We believe the bad deploy caused this." in markdown  # posted updates verbatim
    exported = json.loads(ok(icrun("incident", "export", "-f", "json")))
    rounds = [c for c in exported["cadence"] if c["kind"] == "status round"]
    assert rounds[0]["late"] is None  # 14:04, due 14:05
    assert rounds[1]["late"] == "1m"  # 14:10, due 14:09
    html = ok(icrun("incident", "export", "-f", "html"))
    assert "<h1>Postmortem timeline: Web API: bad deploy (roll back first)</h1>" in html
    listed = ok(icrun("incident", "list"))
    assert f"{incident}  SEV1  resolved (drill)" in listed


def test_a_responders_mistakes_are_one_clear_line(icrun: Run, at: Callable[[str], None]) -> None:
    one_line_error(icrun("incident", "status"), "no open incident")
    ok(icrun("incident", "start", WEB, "--severity", "SEV1"))
    one_line_error(icrun("incident", "step", "done", "rollback"), "no step 'rollback'")
    one_line_error(icrun("incident", "step", "skip", "3"), "needs --reason")
    one_line_error(icrun("incident", "assign", "boss", "Ann"), "no role 'boss'")
    one_line_error(icrun("incident", "severity", "SEV9", "--reason", "x"), "no severity 'SEV9'")
    one_line_error(icrun("incident", "escalate", "9"), "no escalation rule 9")
    one_line_error(icrun("incident", "note", "x", "--tag", "shout"), "--tag 'shout'")
    one_line_error(
        icrun("incident", "snooze", "lunch", "--for", "5m", "--reason", "x"), "no reminder 'lunch'"
    )
    one_line_error(
        icrun(
            "incident",
            "round",
            "--conditions",
            "c",
            "--actions",
            "a",
            "--needs",
            "n",
            "--at",
            "soon",
        ),
        "--at 'soon'",
    )
    one_line_error(icrun("incident", "start", WEB, "--severity", "SEV7"), "no severity 'SEV7'")
    at("14:01")
    ok(icrun("incident", "start", WEB, "--severity", "SEV2"))
    one_line_error(icrun("incident", "status"), "2 open incidents", "--incident")


def test_a_damaged_log_line_is_named(icrun: Run, at: Callable[[str], None], tmp_path: Path) -> None:
    incident = ok(icrun("incident", "start", WEB, "--severity", "SEV1")).strip()
    ok(icrun("incident", "note", "first"))
    path = tmp_path / "incidents" / incident / "events.jsonl"
    lines = path.read_text().splitlines()
    path.write_text(lines[0] + "\n{broken\n" + lines[1] + "\n")
    one_line_error(icrun("incident", "status", "--incident", incident), "events.jsonl:2")


def test_amend_corrects_without_rewriting(icrun: Run, at: Callable[[str], None]) -> None:
    ok(icrun("incident", "start", WEB, "--severity", "SEV1"))
    ok(icrun("incident", "step", "skip", "3", "--reason", "typo"))
    ok(icrun("incident", "amend", "2", "--reason", "freeze was already on"))
    status = json.loads(ok(icrun("incident", "status", "--json")))
    assert status["steps"][2]["reason"] == "freeze was already on"
    one_line_error(icrun("incident", "amend", "2"), "amend SEQ --FIELD VALUE")
    one_line_error(icrun("incident", "amend", "99", "--reason", "x"), "no event 99")


def test_a_template_that_never_ends_is_stopped(
    icrun: Run, at: Callable[[str], None], tmp_path: Path
) -> None:
    looping = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
    runbook = tmp_path / "loop.yaml"
    runbook.write_text(  # the example standing alone: its initial template is its own
        CLEAN.replace("[{{ severity }}] {{ title }} - investigating", looping), encoding="utf-8"
    )
    ok(icrun("incident", "start", str(runbook), "--severity", "SEV1"))
    one_line_error(icrun("incident", "draft", "initial"), "template 'initial' was stopped")


class Hook(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Hook.received.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def webhook() -> Iterator[str]:
    Hook.received = []
    server = HTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


def test_posted_updates_are_delivered_or_kept_until_flushed(
    icrun: Run,
    at: Callable[[str], None],
    webhook: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    incident = ok(icrun("incident", "start", WEB, "--severity", "SEV1")).strip()
    monkeypatch.setenv("ICRUN_WEBHOOK", webhook)
    assert "delivered" in ok(icrun("incident", "post", "--text", "first. Next update 14:30."))
    assert Hook.received == [{"text": "first. Next update 14:30."}]
    monkeypatch.setenv("ICRUN_WEBHOOK", "http://127.0.0.1:9/down")  # nothing listens there
    down = ok(icrun("incident", "post", "--text", "second. Next update 14:45."))
    assert "kept in the outbox" in down
    outbox = list((tmp_path / "incidents" / incident / "outbox").iterdir())
    assert len(outbox) == 1
    assert "1 update(s) not delivered" in ok(icrun("incident", "status"))
    assert icrun("incident", "flush").code == 1  # still down
    monkeypatch.setenv("ICRUN_WEBHOOK", webhook)
    assert "sent 1, 0 waiting" in ok(icrun("incident", "flush"))
    assert Hook.received[-1] == {"text": "second. Next update 14:45."}
    status = json.loads(ok(icrun("incident", "status", "--json")))
    assert status["outbox"] == 0


def test_the_config_names_the_webhook_and_the_folder(
    icrun: Run, at: Callable[[str], None], webhook: str, tmp_path: Path
) -> None:
    (tmp_path / ".icrun.yaml").write_text(
        f"incidents_dir: records\nincidents:\n  webhook: {webhook}\n", encoding="utf-8"
    )
    incident = ok(icrun("incident", "start", WEB, "--severity", "SEV2")).strip()
    assert (tmp_path / "records" / incident / "events.jsonl").is_file()
    ok(icrun("incident", "post", "--text", "Checkout is slow. Next update 14:30."))
    assert Hook.received == [{"text": "Checkout is slow. Next update 14:30."}]


def test_the_event_schema_is_printed(icrun: Run) -> None:
    schema = json.loads(ok(icrun("schema", "event")))
    assert "step_failed" in schema["properties"]["type"]["enum"]


def test_a_drill_through_the_installed_command(
    icrun_exe: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    env = {**os.environ, "ICRUN_NOW": "2026-12-02T14:00:00Z", "ICRUN_ACTOR": "dana"}
    env.pop("ICRUN_WEBHOOK", None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [icrun_exe, "incident", *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            timeout=60,
        )

    assert run("start", WEB, "--severity", "SEV1", "--drill").returncode == 0
    assert run("step", "start", "5").returncode == 0
    failed = run("step", "fail", "5", "--reason", "stuck")
    assert "next: step 6 (helm-rollback-fallback)" in failed.stdout
    env["ICRUN_NOW"] = "2026-12-02T14:06:00Z"
    assert run("status", "--check").returncode == 1
    target = tmp_path / "timeline.pdf"
    if __import__("shutil").which("chromium") or os.environ.get("ICRUN_CHROMIUM"):
        exported = run("export", "-f", "pdf", "-o", str(target))
        assert exported.returncode == 0, exported.stderr
        assert target.read_bytes().startswith(b"%PDF-")
