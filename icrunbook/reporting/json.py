"""Machine-readable JSON: ``{"version", "summary", "diagnostics": [...]}``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from icrunbook.diagnostics import Severity

if TYPE_CHECKING:
    from icrunbook.api import Report
    from icrunbook.reporting import Style


def render(report: Report, style: Style) -> str:
    document: dict[str, Any] = {
        "version": report.version,
        "summary": {
            "files": len(report.files),
            "errors": report.count(Severity.ERROR),
            "warnings": report.count(Severity.WARNING),
            "info": report.count(Severity.INFO),
            "hidden": report.hidden,
        },
        "diagnostics": [
            {
                "path": d.path,
                "line": d.line,
                "column": d.column,
                "end_line": d.end_line,
                "end_column": d.end_column,
                "rule": d.rule,
                "severity": d.severity.label,
                "message": d.message,
            }
            for d in report.diagnostics
        ],
    }
    if style.statistics:
        document["statistics"] = [
            {"rule": rule, "severity": severity.label, "count": count}
            for rule, severity, count in report.statistics()
        ]
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
