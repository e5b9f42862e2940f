"""PDF: the HTML checklist printed by headless Chromium when one is installed, one browser for
every PDF of a command, else WeasyPrint (the ``pdf`` extra), else a clear error naming both
ways to get PDF."""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

from icrunbook.errors import IcrunError

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_SECONDS = 120  # for one answer of Chromium's
# Flags that work as root and offline: no sandbox (root), no GPU, no first-run, no network.
_CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def find_chromium() -> str | None:
    """``ICRUN_CHROMIUM`` if set, else the first Chromium or Chrome on PATH."""
    configured = os.environ.get("ICRUN_CHROMIUM")
    if configured:
        return configured
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


PrintPages = Callable[[Sequence[str]], list[bytes]]  # HTML pages in, their PDFs out


@contextmanager
def pdf_printer() -> Iterator[PrintPages]:
    """A printer for every PDF of one command: one headless Chromium session when Chromium is
    installed (each start costs a second or more), else WeasyPrint, else a clear error on the
    first page to print."""
    chromium = find_chromium()
    if chromium is None:
        yield lambda pages: [_weasyprint(html) for html in pages]
        return
    with ChromiumSession(chromium) as session:
        yield session.print_all


def bookmark_pages(pdf: bytes) -> list[int]:
    """The page (1-based) each top-level bookmark of a PDF points at: where each runbook of a
    binder begins."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    pages = [
        reader.get_destination_page_number(item)
        for item in reader.outline
        if not isinstance(item, list)
    ]
    return [page + 1 for page in pages if page is not None]


def _weasyprint(html: str) -> bytes:
    try:
        import weasyprint  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        raise IcrunError(
            "PDF needs headless Chromium or WeasyPrint: install Chromium "
            "(e.g. apt-get install chromium), or run: pip install 'icrunbook[pdf]'"
        ) from None
    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf


class ChromiumSession:
    """Headless Chromium driven over the DevTools protocol on a pipe
    (``--remote-debugging-pipe``: it reads commands on fd 3 and answers on fd 4, each message
    JSON ended by a NUL). No port is opened, and nothing but the pages given is loaded."""

    def __init__(self, chromium: str) -> None:
        self.chromium = chromium
        # A killed browser's helpers may still be writing to its profile as it is removed.
        self._folder = tempfile.TemporaryDirectory(prefix="icrun-pdf-", ignore_cleanup_errors=True)
        self._pages = 0
        self._next_id = 0
        self._buffer = b""
        self._events: list[tuple[str, str | None]] = []  # met while waiting for an answer
        self._log = open(os.path.join(self._folder.name, "chromium.log"), "wb")  # noqa: SIM115
        theirs_read, self._write = os.pipe()
        self._read, theirs_write = os.pipe()
        command = [
            chromium,
            *_CHROMIUM_FLAGS,
            f"--user-data-dir={os.path.join(self._folder.name, 'profile')}",
            "--remote-debugging-pipe",
            "about:blank",
        ]
        try:
            self._process = subprocess.Popen(  # noqa: S603 - a fixed command line, no shell
                command,
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=self._log,
                close_fds=False,  # our descriptors are not inheritable; 3 and 4 are made so
                preexec_fn=lambda: _as_fds_3_and_4(theirs_read, theirs_write),
            )
        except OSError as error:
            self._cleanup()
            raise IcrunError(f"{chromium}: could not print the PDF: {error}") from None
        finally:
            os.close(theirs_read)
            os.close(theirs_write)

    def __enter__(self) -> ChromiumSession:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def print_all(self, pages: Sequence[str]) -> list[bytes]:
        """Pages printed at the page size their CSS asks for, a few at a time, one tab each
        (Chromium prints tabs in parallel)."""
        tabs = [self._open_tab() for _ in range(min(len(pages), os.cpu_count() or 1, 4))]
        printed: list[bytes] = []
        for start in range(0, len(pages), len(tabs)):
            batch = list(zip(tabs, pages[start : start + len(tabs)], strict=False))
            loading = []
            for tab, html in batch:
                self._pages += 1
                page = os.path.join(self._folder.name, f"page-{self._pages}.html")
                with open(page, "w", encoding="utf-8") as stream:
                    stream.write(html)
                loading.append(self._send("Page.navigate", {"url": f"file://{page}"}, tab))
            self._results(loading)
            self._wait_for("Page.loadEventFired", {tab for tab, _ in batch})
            options = {"preferCSSPageSize": True, "generateDocumentOutline": True}
            asked = [self._send("Page.printToPDF", options, tab) for tab, _ in batch]
            printed += [base64.b64decode(result["data"]) for result in self._results(asked)]
        return printed

    def _open_tab(self) -> str:
        target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
        attached = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})
        tab: str = attached["sessionId"]
        self._call("Page.enable", {}, tab)
        return tab

    def close(self) -> None:
        """Ask Chromium to quit, and make sure it has."""
        if self._process.poll() is None:
            try:
                self._send("Browser.close", {})
                self._process.wait(timeout=10)
            except (IcrunError, subprocess.TimeoutExpired):
                self._process.kill()
                self._process.wait()
        self._cleanup()

    def _cleanup(self) -> None:
        for fd in (self._read, self._write):
            with suppress(OSError):
                os.close(fd)
        self._log.close()
        self._folder.cleanup()

    def _send(self, method: str, params: dict[str, Any], session: str | None = None) -> int:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        try:
            os.write(self._write, json.dumps(message).encode("utf-8") + b"\0")
        except OSError:  # it has quit (a broken pipe)
            raise IcrunError(self._failure("it stopped")) from None
        return self._next_id

    def _call(
        self, method: str, params: dict[str, Any], session: str | None = None
    ) -> dict[str, Any]:
        return self._results([self._send(method, params, session)])[0]

    def _results(self, asked: list[int]) -> list[dict[str, Any]]:
        """The answers to the commands ``asked``, in that order; events met are kept."""
        answers: dict[int, dict[str, Any]] = {}
        while len(answers) < len(asked):
            message = self._receive()
            if message.get("id") in asked:
                if "error" in message:
                    detail = message["error"].get("message", message["error"])
                    raise IcrunError(f"{self.chromium}: could not print the PDF: {detail}")
                answers[message["id"]] = message.get("result", {})
            elif "method" in message:
                self._events.append((message["method"], message.get("sessionId")))
        return [answers[number] for number in asked]

    def _wait_for(self, event: str, sessions: set[str]) -> None:
        """Until every one of ``sessions`` has sent ``event``, counting those already met."""
        waiting = set(sessions)
        while waiting:
            if self._events:
                method, session = self._events.pop(0)
            else:
                message = self._receive()
                method, session = message.get("method", ""), message.get("sessionId")
            if method == event:
                waiting.discard(str(session))

    def _receive(self) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._read], [], [], max(left, 0))
            chunk = os.read(self._read, 1 << 20) if ready else None
            if not chunk:
                what = f"no answer in {TIMEOUT_SECONDS} s" if chunk is None else "it stopped"
                raise IcrunError(self._failure(what))
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        parsed: dict[str, Any] = json.loads(message)
        return parsed

    def _failure(self, what: str) -> str:
        self._log.flush()
        with open(self._log.name, "rb") as stream:
            lines = stream.read().decode("utf-8", "replace").strip().splitlines()
        last = lines[-1] if lines else "no output"
        return f"{self.chromium} wrote no PDF ({what}): {last}"


def _as_fds_3_and_4(read: int, write: int) -> None:
    """In the child: the pipe ends where ``--remote-debugging-pipe`` looks for them."""
    read, write = os.dup(read), os.dup(write)  # out of the way of 3 and 4 first
    os.dup2(read, 3)  # inheritable, unlike every other descriptor of ours
    os.dup2(write, 4)
