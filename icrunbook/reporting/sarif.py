"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

Follows the OASIS schema and GitHub's requirements: one run whose driver lists every rule that
could fire (short and full description, help as text and Markdown, help URI, default level),
results with a rule index, a region with start and end (1-based; columns in Unicode code points,
end column exclusive), URIs relative to ``%SRCROOT%`` (the git repository root, else the current
folder), and ``partialFingerprints`` that do not depend on line numbers (see
:mod:`icrunbook.reporting.fingerprints`). Severities map error→``error``, warning→``warning``,
info→``note``; a rule that is off by default has the default level ``none``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from icrunbook.diagnostics import Severity
from icrunbook.reporting.fingerprints import (
    SOURCE_URL,
    Locator,
    fingerprints,
    help_uri,
    rules_that_could_fire,
)

if TYPE_CHECKING:
    from icrunbook.api import Report
    from icrunbook.diagnostics import Diagnostic
    from icrunbook.reporting import Style
    from icrunbook.rules.model import Rule

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_DEFAULT_LEVELS = {"error": "error", "warning": "warning", "info": "note", "off": "none"}
_SEMVER = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")
SOURCE_ROOT = "%SRCROOT%"


def render(report: Report, style: Style) -> str:
    return json.dumps(sarif_log(report), indent=2, ensure_ascii=False) + "\n"


def sarif_log(report: Report, locator: Locator | None = None) -> dict[str, Any]:
    """The SARIF log of a report, as JSON-ready data."""
    locator = locator or Locator()
    rules = rules_that_could_fire(report)
    index = {rule.name: i for i, rule in enumerate(rules)}
    roots = _root_ids(report, locator)
    results = [
        _result(diagnostic, index[diagnostic.rule], fingerprint, locator, roots)
        for diagnostic, fingerprint in zip(
            report.diagnostics, fingerprints(report.diagnostics, locator), strict=True
        )
    ]
    driver: dict[str, Any] = {
        "name": "icrun",
        "fullName": "icrunbook incident runbook linter",
        "informationUri": SOURCE_URL,
        "version": report.version,
    }
    if _SEMVER.match(report.version):
        driver["semanticVersion"] = report.version
    driver["rules"] = [_rule(rule) for rule in rules]
    run: dict[str, Any] = {"tool": {"driver": driver}}
    if roots:
        run["originalUriBaseIds"] = {
            base_id: {"uri": _folder_uri(root)} for root, base_id in roots.items()
        }
    run["results"] = results
    run["columnKind"] = "unicodeCodePoints"
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _root_ids(report: Report, locator: Locator) -> dict[str, str]:
    """``%SRCROOT%`` for the first root folder, ``%SRCROOT2%``… for any other, in path order."""
    roots: dict[str, str] = {}
    for diagnostic in report.diagnostics:
        root = locator.place(diagnostic.path).root
        if root not in roots:
            roots[root] = SOURCE_ROOT if not roots else f"%SRCROOT{len(roots) + 1}%"
    return roots


def _folder_uri(folder: str) -> str:
    """``file:///…/`` (SARIF wants base URIs to end with a slash)."""
    uri = Path(folder).as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _rule(rule: Rule) -> dict[str, Any]:
    from icrunbook.rules.docs import rule_page

    page = rule_page(rule)
    return {
        "id": rule.name,
        "name": rule.name,
        "shortDescription": {"text": rule.description},
        "fullDescription": {"text": rule.rationale or rule.description},
        "help": {"text": page, "markdown": page},
        "helpUri": help_uri(rule),
        "defaultConfiguration": {"level": _DEFAULT_LEVELS.get(rule.severity, "warning")},
        "properties": {"tags": [rule.category]},
    }


def _result(
    diagnostic: Diagnostic,
    rule_index: int,
    fingerprint: str,
    locator: Locator,
    roots: dict[str, str],
) -> dict[str, Any]:
    place = locator.place(diagnostic.path)
    start = (diagnostic.line, diagnostic.column)
    end = max(start, (diagnostic.end_line, diagnostic.end_column))
    return {
        "ruleId": diagnostic.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[diagnostic.severity],
        "message": {"text": diagnostic.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {
                        "uri": quote(place.relative, safe="/"),
                        "uriBaseId": roots[place.root],
                    },
                    "region": {
                        "startLine": start[0],
                        "startColumn": start[1],
                        "endLine": end[0],
                        "endColumn": end[1],
                    },
                }
            }
        ],
        "partialFingerprints": {"primaryLocationLineHash": fingerprint},
    }
