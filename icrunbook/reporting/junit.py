"""JUnit XML, for CI test-report views (Jenkins, GitLab ``artifacts:reports:junit``, Azure…).

A ``<testcase classname=PATH name=RULE>`` per rule that fired on a file, and a passing one named
``icrun`` per clean file, so clean files count as passed tests. Strict JUnit schemas (Ant's)
allow one ``<failure>`` per test case, so it holds all the case's findings, one ``PATH:LINE:COL:
SEVERITY [RULE] MESSAGE`` line each, and ``failures`` never exceeds ``tests``. Findings below
``Style.fail_on`` fail nothing (the run does not fail on them): their case passes, with the
lines in ``<system-out>``. ``errors`` and ``skipped`` are 0, ``time`` is 0 and there is no
timestamp or hostname, so that the same input gives the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from icrunbook.escapes import visible
from icrunbook.wording import plural

if TYPE_CHECKING:
    from icrunbook.api import Report
    from icrunbook.diagnostics import Diagnostic, Severity
    from icrunbook.reporting import Style

# XML 1.0 cannot carry these characters at all, not even escaped
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
CLEAN = "icrun"  # the name of a clean file's test case


def render(report: Report, style: Style) -> str:
    by_file: dict[str, dict[str, list[Diagnostic]]] = {path: {} for path in report.files}
    for diagnostic in report.diagnostics:  # files the run did not list still show
        by_file.setdefault(diagnostic.path, {}).setdefault(diagnostic.rule, []).append(diagnostic)
    cases: list[ET.Element] = []
    for path, by_rule in by_file.items():
        if not by_rule:
            cases.append(_case(path, CLEAN, [], style.fail_on))
        cases.extend(_case(path, rule, by_rule[rule], style.fail_on) for rule in sorted(by_rule))
    failures = sum(1 for case in cases if case.find("failure") is not None)

    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": "0"}
    # junit-10.xsd has ``skipped`` on <testsuite> only
    root = ET.Element("testsuites", {"name": "icrun", **counts, "time": "0"})
    suite = ET.SubElement(
        root, "testsuite", {"name": "icrun", **counts, "skipped": "0", "time": "0"}
    )
    suite.extend(cases)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _case(path: str, name: str, found: list[Diagnostic], fail_on: Severity) -> ET.Element:
    """A test case; with findings, one failure holding them all, or (all below ``fail_on``)
    their lines in system-out."""
    case = ET.Element("testcase", {"classname": _xml(path), "name": _xml(name), "time": "0"})
    if found:
        text = "\n".join(_line(diagnostic) for diagnostic in found)
        if any(diagnostic.severity >= fail_on for diagnostic in found):
            summary = _summary(name, len(found))
            failure = ET.SubElement(case, "failure", {"type": _xml(name), "message": _xml(summary)})
            failure.text = text
        else:
            ET.SubElement(case, "system-out").text = text
    return case


def _summary(rule: str, count: int) -> str:
    return f"{plural(count, 'finding')} of {rule}"


def _line(diagnostic: Diagnostic) -> str:
    place = f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}"
    line = f"{place}: {diagnostic.severity.label} [{diagnostic.rule}] {diagnostic.message}"
    # what XML can hold, then shown as the text format shows it: one line per finding
    return visible(_xml(line))


def _xml(text: str) -> str:
    """Text XML can hold: characters it forbids become U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)
