"""The incident engine as a library: the log, the replay, what is due, with an injected clock."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import RUNBOOKS

from icrunbook.errors import IcrunError
from icrunbook.incident import engine, log
from icrunbook.incident.events import parse_line
from icrunbook.incident.report import status_data, timeline
from icrunbook.incident.state import reminders

WEB = RUNBOOKS / "web-api-bad-deploy.yaml"
T0 = datetime(2026, 12, 2, 14, 0, tzinfo=UTC)


def minutes(n: float) -> datetime:
    return T0 + timedelta(minutes=n)


def started(tmp_path: Path, severity: str = "SEV1", **options: Any) -> engine.Incident:
    return engine.start(
        str(WEB), severity, directory=str(tmp_path), now=T0, who="dana", commander="Dana", **options
    )


Record = Callable[..., engine.Incident]


@pytest.fixture
def incident(tmp_path: Path) -> engine.Incident:
    return started(tmp_path)


def add(incident: engine.Incident, kind: str, at: float, **fields: Any) -> engine.Incident:
    _, after = engine.record(incident, kind, fields, at=minutes(at), who="dana", now=minutes(at))
    return after


def due(incident: engine.Incident, at: float) -> dict[str, datetime]:
    return {r.name: r.due for r in reminders(incident.state, minutes(at))}


def test_start_copies_the_runbook_byte_for_byte_with_its_hash(incident: engine.Incident) -> None:
    import hashlib

    copy = Path(incident.folder, "runbook.yaml").read_bytes()
    assert copy == WEB.read_bytes()
    first = incident.state.started
    assert first.get("runbook_sha256") == hashlib.sha256(copy).hexdigest()
    assert incident.id == "20261202-1400-web-api-bad-deploy"
    assert started(Path(incident.folder).parent).id == incident.id + "-2"


def test_every_line_written_is_a_valid_event(incident: engine.Incident) -> None:
    from jsonschema import Draft7Validator

    from icrunbook.validation.schemas import schema_text

    add(incident, "role_assigned", 1, role="ops_lead", person="Sam")
    add(incident, "step_failed", 2, step="roll-back-deploy", reason="stuck", next="step 6")
    validator = Draft7Validator(json.loads(schema_text("event")))
    for line in Path(incident.folder, "events.jsonl").read_text().splitlines():
        assert not list(validator.iter_errors(json.loads(line))), line


def test_reminders_follow_the_cadence_and_the_severity(incident: engine.Incident) -> None:
    assert due(incident, 0)["round"] == minutes(5)  # SEV1: status every 5m
    assert due(incident, 0)["update"] == minutes(15)  # stakeholders every 15m
    assert due(incident, 0)["escalation-1"] == minutes(15)
    assert due(incident, 0)["handoff"] == T0 + timedelta(hours=8)
    after = add(incident, "status_round", 4, conditions="c", actions="a", needs="n")
    assert due(after, 4)["round"] == minutes(9)
    slower = add(after, "severity_changed", 5, **{"from": "SEV1", "to": "SEV2", "reason": "r"})
    assert due(slower, 5)["round"] == minutes(14)  # SEV2: every 10m, from the last round
    assert due(slower, 5)["update"] == minutes(30)


def test_overdue_detection_with_an_injected_clock(incident: engine.Incident) -> None:
    assert not any(r.overdue(minutes(4)) for r in reminders(incident.state, minutes(4)))
    late = [r.name for r in reminders(incident.state, minutes(6)) if r.overdue(minutes(6))]
    assert late == ["round"]
    data = status_data(incident, minutes(7))
    assert data["reminders"][0]["countdown"] == "OVERDUE by 2m"
    assert data["reminders"][1]["countdown"] == "in 8m"


def test_long_incidents_slow_the_stakeholder_cadence(incident: engine.Incident) -> None:
    posted = add(
        incident, "update_posted", 300, template="update", audience="s", text="t", delivery="none"
    )
    assert due(posted, 300)["update"] == minutes(330)  # after 4h: every 30m


def test_resolved_makes_the_last_update_due_and_stops_the_rest(incident: engine.Incident) -> None:
    done = add(incident, "resolved", 20, summary="fixed")
    assert due(done, 20) == {"update": minutes(20)}
    posted = add(
        done, "update_posted", 25, template="resolved", audience="s", text="t", delivery="none"
    )
    assert due(posted, 25) == {}


def test_snooze_moves_one_reminder_and_escalating_ends_one(incident: engine.Incident) -> None:
    later = add(
        incident,
        "snoozed",
        4,
        reminder="round",
        until=minutes(12).isoformat(),
        reason="on the bridge",
    )
    assert due(later, 4)["round"] == minutes(12)
    paged = add(later, "escalated", 16, rule=0, paged=["service_owner"])
    assert "escalation-1" not in due(paged, 16)
    assert "escalation-2" in due(paged, 16)


def test_a_started_step_has_its_timebox(incident: engine.Incident) -> None:
    going = add(incident, "step_started", 3, step="5")
    assert due(going, 3)["timebox-roll-back-deploy"] == minutes(13)
    done = add(going, "step_done", 8, step="roll-back-deploy")
    assert "timebox-roll-back-deploy" not in due(done, 8)


def test_investigating_before_mitigating_is_recorded_with_a_warning(
    incident: engine.Incident,
) -> None:
    after = add(incident, "step_started", 2, step="preserve-evidence")
    [(seq, message)] = after.state.warnings
    assert seq == 2
    assert "mitigation step 5 (roll-back-deploy)" in message
    assert after.state.step("preserve-evidence").state == "started"  # recorded all the same


def test_a_failed_step_names_where_the_runbook_goes(incident: engine.Incident) -> None:
    fields = engine.step_fields(incident, "fail", "5", "argocd stuck", None)
    assert fields["next"] == "step 6 (helm-rollback-fallback)"
    fields = engine.step_fields(incident, "fail", "confirm-deploy-correlation", "no deploy", None)
    assert fields["next"] == "escalate"
    with pytest.raises(IcrunError, match="needs --reason"):
        engine.step_fields(incident, "skip", "3", None, None)
    with pytest.raises(IcrunError, match="no step 'rollback'"):
        engine.step_fields(incident, "done", "rollback", None, None)


def test_amendments_apply_and_are_marked(incident: engine.Incident) -> None:
    wrong = add(incident, "step_skipped", 3, step="3", reason="typo")
    fixed = add(wrong, "amended", 4, target=2, changes={"reason": "freeze already on"})
    assert fixed.state.step("3").reason == "freeze already on"
    [entry] = [e for e in timeline(fixed)["events"] if e["seq"] == 2]
    assert entry["amended"]
    assert "typo" in Path(fixed.folder, "events.jsonl").read_text()  # nothing rewritten


def test_a_cut_last_line_keeps_every_complete_event(incident: engine.Incident) -> None:
    add(incident, "note", 1, text="one", tag="note")
    path = Path(incident.folder, "events.jsonl")
    with path.open("ab") as stream:
        stream.write(b'{"seq": 3, "type": "no')  # a crash mid-write
    read = engine.read(incident.folder)
    assert len(read.state.events) == 2
    assert read.warning is not None
    assert read.warning.startswith("events.jsonl:3: the last line was cut off")
    after = add(read, "note", 2, text="two", tag="note")
    assert [e.seq for e in after.state.events] == [1, 2, 3]
    assert Path(incident.folder, "events.jsonl.cut").read_bytes() == b'{"seq": 3, "type": "no\n'


def test_a_damaged_line_is_an_error_naming_it(incident: engine.Incident) -> None:
    add(incident, "note", 1, text="one", tag="note")
    path = Path(incident.folder, "events.jsonl")
    lines = path.read_text().splitlines()
    path.write_text(lines[0] + "\nnot json\n" + lines[1] + "\n")
    with pytest.raises(IcrunError, match=r"events\.jsonl:2: not a JSON event"):
        engine.read(incident.folder)


def test_an_invalid_event_is_never_written(incident: engine.Incident) -> None:
    with pytest.raises(IcrunError, match="not a valid event"):
        add(incident, "note", 1, text="x", tag="shout")
    assert len(engine.read(incident.folder).state.events) == 1


def test_replay_is_pure_and_a_copy_resumes_identically(
    incident: engine.Incident, tmp_path: Path
) -> None:
    current = add(incident, "role_assigned", 1, role="ops_lead", person="Sam")
    current = add(current, "step_started", 2, step="5")
    copy = tmp_path / "elsewhere" / current.id
    shutil.copytree(current.folder, copy)
    here = status_data(engine.read(current.folder), minutes(9))
    there = status_data(engine.read(str(copy)), minutes(9))
    assert here == there


def _write_notes(folder: str, writer: int, count: int) -> None:
    found = engine.read(folder)
    for n in range(count):
        now = datetime.now(UTC)
        engine.record(
            found,
            "note",
            {"text": f"{writer}-{n}", "tag": "note"},
            at=now,
            who=f"w{writer}",
            now=now,
        )


def test_twelve_writers_in_parallel_lose_nothing(incident: engine.Incident) -> None:
    with ProcessPoolExecutor(max_workers=12) as pool:
        list(pool.map(_write_notes, [incident.folder] * 12, range(12), [5] * 12))
    events = engine.read(incident.folder).state.events
    assert [e.seq for e in events] == list(range(1, 62))
    texts = {e.get("text") for e in events if e.type == "note"}
    assert texts == {f"{w}-{n}" for w in range(12) for n in range(5)}


def test_a_kill_between_events_loses_no_complete_event(incident: engine.Incident) -> None:
    script = (
        "import sys, datetime\n"
        "from icrunbook.incident import engine\n"
        "found = engine.read(sys.argv[1])\n"
        "for n in range(100000):\n"
        "    now = datetime.datetime.now(datetime.UTC)\n"
        "    engine.record(found, 'note', {'text': str(n), 'tag': 'note'}, at=now, who='w', "
        "now=now)\n"
        "    print(n, flush=True)\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script, incident.folder], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    confirmed = -1
    deadline = time.monotonic() + 30
    while confirmed < 20 and time.monotonic() < deadline:
        confirmed = int(child.stdout.readline())
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    events = engine.read(incident.folder).state.events
    notes = [int(e.get("text")) for e in events if e.type == "note"]
    assert notes == list(range(len(notes)))  # in order, none missing
    assert len(notes) >= confirmed + 1  # every event confirmed before the kill is there


def test_a_second_writer_waits_then_names_the_holder(
    incident: engine.Incident, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(log, "LOCK_WAIT_SECONDS", 0.2)
    with log.locked(incident.folder, "dana"), pytest.raises(IcrunError, match="dana, pid"):
        add(incident, "note", 1, text="x", tag="note")


def test_status_of_a_long_log_reads_back(incident: engine.Incident) -> None:
    path = Path(incident.folder, "events.jsonl")
    first = path.read_bytes()
    lines = [first]
    for seq in range(2, 2001):
        event = parse_line(first.rstrip(b"\n"), 1, "x")
        note = {**event.as_dict(), "seq": seq, "type": "note", "text": str(seq), "tag": "note"}
        for key in (
            "runbook",
            "runbook_sha256",
            "policy_sha256",
            "title",
            "severity",
            "drill",
            "timezone",
            "commander",
        ):
            note.pop(key, None)
        lines.append((json.dumps(note) + "\n").encode())
    path.write_bytes(b"".join(lines))
    assert status_data(engine.read(incident.folder), minutes(1))["events"] == 2000


def test_at_accepts_a_clock_time_a_time_ago_or_rfc3339() -> None:
    now = minutes(30)
    assert engine.when("14:02", now) == minutes(2)
    assert engine.when("-5m", now) == minutes(25)
    assert engine.when("2026-12-02T14:10:00Z", now) == minutes(10)
    assert engine.when(None, now) == now
    with pytest.raises(IcrunError, match="--at 'soon' is not a time"):
        engine.when("soon", now)
