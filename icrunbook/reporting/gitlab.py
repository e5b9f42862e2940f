"""GitLab Code Quality JSON, for the ``artifacts:reports:codequality`` report of a CI job.

A list of Code Climate issues with the fields GitLab reads: ``description``, ``check_name``
(the rule), ``fingerprint``, ``severity`` and ``location`` (``path`` relative to the repository
root, ``lines.begin`` and ``lines.end``). GitLab shows one finding per fingerprint, so each is
unique within a report, and stable across unrelated edits (see
:mod:`icrunbook.reporting.fingerprints`). Severities map error→``major``, warning→``minor``,
info→``info``, GitLab's reading of those words; ``critical`` and ``blocker`` are not used.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from icrunbook.diagnostics import Severity
from icrunbook.reporting.fingerprints import Locator, fingerprints

if TYPE_CHECKING:
    from icrunbook.api import Report
    from icrunbook.reporting import Style

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render(report: Report, style: Style) -> str:
    locator = Locator()
    issues: list[dict[str, Any]] = [
        {
            "description": diagnostic.message,
            "check_name": diagnostic.rule,
            "fingerprint": fingerprint,
            "severity": SEVERITIES[diagnostic.severity],
            "location": {
                "path": locator.relative(diagnostic.path),
                "lines": {
                    "begin": diagnostic.line,
                    "end": max(diagnostic.line, diagnostic.end_line),
                },
            },
        }
        for diagnostic, fingerprint in zip(
            report.diagnostics, fingerprints(report.diagnostics, locator), strict=True
        )
    ]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
