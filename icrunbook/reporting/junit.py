"""JUnit XML, for CI test-report views (GitLab ``artifacts:reports:junit``, Jenkins, Azure…).

``<testsuites>`` with one ``<testsuite name="icrun">``; one ``<testcase classname="icrun"
name=PATH>`` per checked file, clean files included (they pass); one ``<failure type=RULE
message=MESSAGE>`` per diagnostic, whatever its severity, with the text
``PATH:LINE:COL: SEVERITY [RULE] MESSAGE``. ``failures`` counts diagnostics, ``errors`` is 0
(nothing crashed) and ``time`` is always 0, so that the same input gives the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from icrunbook.api import Report
    from icrunbook.diagnostics import Diagnostic
    from icrunbook.reporting import Style

# XML 1.0 cannot carry these characters at all, not even escaped
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(report: Report, style: Style) -> str:
    by_file: defaultdict[str, list[Diagnostic]] = defaultdict(list)
    for diagnostic in report.diagnostics:
        by_file[diagnostic.path].append(diagnostic)
    files = list(report.files) + [path for path in by_file if path not in report.files]
    counts = {
        "tests": str(len(files)),
        "failures": str(len(report.diagnostics)),
        "errors": "0",
        "time": "0",
    }
    root = ET.Element("testsuites", {"name": "icrun", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "icrun", **counts, "skipped": "0"})
    for path in files:
        case = ET.SubElement(
            suite, "testcase", {"classname": "icrun", "name": _xml(path), "time": "0"}
        )
        for diagnostic in by_file.get(path, []):
            failure = ET.SubElement(
                case,
                "failure",
                {"type": diagnostic.rule, "message": _xml(diagnostic.message)},
            )
            failure.text = _xml(_line(diagnostic))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _line(diagnostic: Diagnostic) -> str:
    place = f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}"
    return f"{place}: {diagnostic.severity.label} [{diagnostic.rule}] {diagnostic.message}"


def _xml(text: str) -> str:
    """Text XML can hold: characters it forbids become U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)
