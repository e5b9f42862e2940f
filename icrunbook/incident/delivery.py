"""Sending posted updates to a webhook, without ever losing one to a network that is down.

A posted update is recorded first. With a webhook configured it is then written to
``outbox/<seq>.json`` and sent as ``{"text": ...}`` by HTTP POST; only a 2xx answer removes it.
``icrun incident flush`` retries whatever is left, oldest first.
"""

from __future__ import annotations

import json
import os

from icrunbook.output import write_bytes

TIMEOUT_SECONDS = 5.0


def outbox(folder: str) -> str:
    return os.path.join(folder, "outbox")


def queue(folder: str, seq: int, text: str, channel: str | None) -> str:
    """Put one update in the outbox (atomically); returns its file."""
    path = os.path.join(outbox(folder), f"{seq:06d}.json")
    os.makedirs(outbox(folder), exist_ok=True)
    message = {"text": text, **({"channel": channel} if channel else {})}
    write_bytes(json.dumps(message, ensure_ascii=False).encode("utf-8"), path)
    return path


def waiting(folder: str) -> list[str]:
    """The updates still in the outbox, oldest first."""
    try:
        names = sorted(n for n in os.listdir(outbox(folder)) if n.endswith(".json"))
    except FileNotFoundError:
        return []
    return [os.path.join(outbox(folder), name) for name in names]


def send(path: str, webhook: str) -> str | None:
    """POST one outbox file; None when delivered (and removed), else why not."""
    import urllib.error
    import urllib.request

    with open(path, "rb") as stream:
        body = stream.read()
    request = urllib.request.Request(  # noqa: S310 - the URL is checked to be http(s)
        webhook, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310
            if not 200 <= answer.status < 300:
                return f"HTTP {answer.status}"
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code}"
    except (urllib.error.URLError, OSError) as error:
        return str(getattr(error, "reason", error))
    os.remove(path)
    return None


def flush(folder: str, webhook: str) -> tuple[int, list[str]]:
    """Send every waiting update; how many went, and why the others did not."""
    sent, failed = 0, []
    for path in waiting(folder):
        problem = send(path, webhook)
        if problem is None:
            sent += 1
        else:
            failed.append(f"{os.path.basename(path)}: {problem}")
            break  # keep the order: the rest wait behind the first that failed
    return sent, failed
