"""PDF: the HTML checklist printed by headless Chromium when one is installed, else WeasyPrint
(the ``pdf`` extra), else a clear error naming both ways to get PDF."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

from icrunbook.errors import IcrunError

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_SECONDS = 120
# Flags that work as root and offline: no sandbox (root), no GPU, no first-run, no network.
_CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
)


def find_chromium() -> str | None:
    """``ICRUN_CHROMIUM`` if set, else the first Chromium or Chrome on PATH."""
    configured = os.environ.get("ICRUN_CHROMIUM")
    if configured:
        return configured
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def html_to_pdf(html: str) -> bytes:
    """Print an HTML page to PDF bytes."""
    chromium = find_chromium()
    if chromium is not None:
        return _with_chromium(chromium, html)
    try:
        import weasyprint  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        raise IcrunError(
            "PDF needs headless Chromium or WeasyPrint: install Chromium "
            "(e.g. apt-get install chromium), or run: pip install 'icrunbook[pdf]'"
        ) from None
    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf


def _with_chromium(chromium: str, html: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="icrun-pdf-") as folder:
        page = os.path.join(folder, "checklist.html")
        target = os.path.join(folder, "checklist.pdf")
        with open(page, "w", encoding="utf-8") as stream:
            stream.write(html)
        command = [
            chromium,
            *_CHROMIUM_FLAGS,
            f"--user-data-dir={os.path.join(folder, 'profile')}",
            f"--print-to-pdf={target}",
            f"file://{page}",
        ]
        try:
            done = subprocess.run(  # noqa: S603 - a fixed command line, no shell
                command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise IcrunError(f"{chromium}: could not print the PDF: {error}") from None
        # Chromium can exit 0 or 1 without writing the file: trust the file, not the status.
        if not os.path.isfile(target) or os.path.getsize(target) == 0:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            raise IcrunError(f"{chromium} wrote no PDF (exit {done.returncode}): {last}")
        with open(target, "rb") as stream:
            return stream.read()
