"""The machine output formats: SARIF, GitHub annotations, GitLab Code Quality, JUnit and JSON."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from icrunbook.diagnostics import Diagnostic, Severity, Span
from icrunbook.reporting import FORMATS, OutputFormat
from icrunbook.reporting.fingerprints import git_root
from icrunbook.reporting.github import annotation
from tests.conftest import distinct, runbook

DATA = Path(__file__).resolve().parent / "data"
SCHEMAS = Path(__file__).resolve().parent.parent / "icrunbook" / "schemas"

GRAFANA = "url: https://grafana.example.com/d/web-api-golden/web-api-golden-signals"
BROKEN = runbook(
    ("    internal_update: 5m\n", "    internal_update: 45m\n"),  # cadence rules
    ("  due: 5d\n", "  due: 5d\n  colour: blue\n"),  # schema: unknown key
    ("url: https://flags.example.com", "url: http://flags.example.com"),  # links-https
)
# links-https twice on two lines with the same text: fingerprints must still differ
TWIN_LINKS = runbook().replace(GRAFANA, GRAFANA.replace("https://", "http://"))
GITHUB_LINE = re.compile(
    r"^::(?P<command>error|warning|notice) file=(?P<file>[^,:]+),line=(?P<line>\d+)"
    r"(?:,col=(?P<col>\d+))?,endLine=(?P<end_line>\d+)(?:,endColumn=(?P<end_col>\d+))?"
    r",title=(?P<title>[^,:]+)::(?P<message>.+)$"
)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reproducible: None) -> Path:
    """A git checkout (just a ``.git`` folder) with a clean and a broken runbook in runbooks/,
    and the working folder runbooks/ itself: URIs must still be relative to the checkout."""
    (tmp_path / ".git").mkdir()
    folder = tmp_path / "runbooks"
    folder.mkdir()
    (folder / "clean.yaml").write_text(runbook(), encoding="utf-8")
    (folder / "broken.yaml").write_text(distinct(BROKEN, "broken"), encoding="utf-8")
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.chdir(folder)
    return tmp_path


def _sarif(icrun, *args: str) -> dict:
    result = icrun(*args, "-f", "sarif")
    assert result.err == ""
    return json.loads(result.out)


def _validate_sarif(log: dict) -> None:
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)  # draft-04, from its $schema
    assert validator is jsonschema.Draft4Validator
    validator.check_schema(schema)
    validator(schema, format_checker=validator.FORMAT_CHECKER).validate(log)


def _fingerprints(log: dict) -> list[tuple[str, str]]:
    return [
        (r["ruleId"], r["partialFingerprints"]["primaryLocationLineHash"])
        for r in log["runs"][0]["results"]
    ]


# --- SARIF ------------------------------------------------------------------------------------


def test_sarif_validates_against_the_oasis_schema(icrun, repo: Path) -> None:
    log = _sarif(icrun, "lint", ".")
    _validate_sarif(log)
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-schema-2.1.0.json")
    assert len(log["runs"]) == 1
    assert log["runs"][0]["columnKind"] == "unicodeCodePoints"


def test_sarif_driver_lists_every_rule_with_its_documentation(icrun, repo: Path) -> None:
    from icrunbook.rules.ruleset import builtin_ruleset

    driver = _sarif(icrun, "lint", ".")["runs"][0]["tool"]["driver"]
    assert driver["name"] == "icrun"
    assert driver["informationUri"].startswith("https://")
    assert driver["version"] == driver["semanticVersion"]
    rules = driver["rules"]
    ids = [rule["id"] for rule in rules]
    assert ids == sorted(ids)
    # the default config enables the recommended ruleset: every rule of it could fire
    assert set(builtin_ruleset("recommended")) - {"unused-suppression"} <= set(ids)
    for rule in rules:
        assert rule["name"] == rule["id"]
        assert rule["shortDescription"]["text"]
        assert rule["fullDescription"]["text"]
        assert rule["help"]["text"]
        assert rule["help"]["markdown"].startswith(f"## {rule['id']}\n")
        assert rule["helpUri"].startswith("https://")
        assert rule["helpUri"].endswith(f"#{rule['id']}")
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note", "none")
        assert rule["properties"]["tags"]


def test_sarif_results_point_at_rules_and_repo_relative_regions(icrun, repo: Path) -> None:
    run = _sarif(icrun, "lint", ".")["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert {r["ruleId"] for r in results} == {
        "cadence-by-severity",
        "cadence-internal-max",
        "internal-before-stakeholder",
        "links-https",
        "schema",
    }
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        artifact = location["artifactLocation"]
        assert artifact == {"uri": "runbooks/broken.yaml", "uriBaseId": "%SRCROOT%"}
        region = location["region"]
        assert set(region) == {"startLine", "startColumn", "endLine", "endColumn"}
        assert (region["endLine"], region["endColumn"]) >= (
            region["startLine"],
            region["startColumn"],
        )
        assert re.fullmatch(
            r"[0-9a-f]{64}", result["partialFingerprints"]["primaryLocationLineHash"]
        )
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": repo.resolve().as_uri() + "/"}}
    schema = next(r for r in results if r["ruleId"] == "schema")
    assert schema["level"] == "error"
    assert schema["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 330,
        "startColumn": 3,
        "endLine": 330,
        "endColumn": 9,
    }


def test_sarif_fingerprints_ignore_inserted_lines(icrun, repo: Path) -> None:
    before = _sarif(icrun, "lint", ".")
    broken = repo / "runbooks" / "broken.yaml"
    broken.write_text("# moved\n\n# down by three lines\n" + distinct(BROKEN, "broken"), "utf-8")
    after = _sarif(icrun, "lint", ".")
    lines = [
        [
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
            for r in log["runs"][0]["results"]
        ]
        for log in (before, after)
    ]
    assert lines[1] == [line + 3 for line in lines[0]]
    assert _fingerprints(after) == _fingerprints(before)


def test_sarif_fingerprints_tell_identical_findings_apart(icrun, repo: Path) -> None:
    (repo / "runbooks" / "broken.yaml").write_text(distinct(TWIN_LINKS, "twin"), encoding="utf-8")
    prints = _fingerprints(_sarif(icrun, "lint", "."))
    assert [rule for rule, _ in prints] == ["links-https", "links-https"]
    assert len(set(prints)) == 2


def test_sarif_of_validate_is_valid_and_lists_the_structural_rules(icrun, repo: Path) -> None:
    log = _sarif(icrun, "validate", ".")
    _validate_sarif(log)
    run = log["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [
        "duplicate-key",
        "not-a-runbook",
        "schema",
        "syntax",
    ]
    assert [r["ruleId"] for r in run["results"]] == ["schema"]
    assert run["results"][0]["ruleIndex"] == 2


def test_sarif_of_a_clean_run_is_valid(icrun, repo: Path) -> None:
    log = _sarif(icrun, "lint", "clean.yaml")
    _validate_sarif(log)
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["tool"]["driver"]["rules"]


def test_sarif_uris_without_git_are_relative_to_the_working_folder(
    icrun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reproducible: None
) -> None:
    if git_root(str(tmp_path)) is not None:
        pytest.skip("the temporary folder is inside a git checkout")
    folder = tmp_path / "my runbooks"
    folder.mkdir()
    (folder / "broken.yaml").write_text(distinct(BROKEN, "broken"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    log = _sarif(icrun, "lint", str(folder))  # an absolute path on the command line
    _validate_sarif(log)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    }
    assert uris == {"my%20runbooks/broken.yaml"}


# --- GitHub -----------------------------------------------------------------------------------


def test_github_annotations_parse(icrun, repo: Path) -> None:
    result = icrun("lint", ".", "-f", "github")
    assert result.code == 1
    *annotations, summary = result.out.splitlines()
    assert summary == "2 files checked: 2 errors, 3 warnings, 0 info"
    matches = [GITHUB_LINE.match(line) for line in annotations]
    assert all(matches), annotations
    parsed = [m.groupdict() for m in matches if m]
    assert {p["file"] for p in parsed} == {"runbooks/broken.yaml"}
    assert [p["command"] for p in parsed] == ["warning", "error", "warning", "warning", "error"]
    assert parsed[-1] == {
        "command": "error",
        "file": "runbooks/broken.yaml",
        "line": "330",
        "col": "3",
        "end_line": "330",
        "end_col": "9",
        "title": "schema",
        "message": "unknown key 'colour' in postmortem",
    }


def test_github_quiet_leaves_out_the_summary(icrun, repo: Path) -> None:
    lines = icrun("lint", ".", "-f", "github", "-q").out.splitlines()
    assert len(lines) == 5
    assert all(line.startswith("::") for line in lines)


def test_github_escapes_messages_and_properties() -> None:
    diagnostic = Diagnostic(
        "a,b:c.yaml", Span(2, 3, 2, 7), "my:rule", Severity.INFO, "100% sure,\r\nnext: line"
    )
    assert annotation(diagnostic, diagnostic.path) == (
        "::notice file=a%2Cb%3Ac.yaml,line=2,col=3,endLine=2,endColumn=7,title=my%3Arule"
        "::100%25 sure,%0D%0Anext: line"
    )


def test_github_gives_columns_only_for_one_line_regions() -> None:
    diagnostic = Diagnostic("x.yaml", Span(2, 3, 4, 1), "schema", Severity.ERROR, "m")
    assert annotation(diagnostic, "x.yaml") == (
        "::error file=x.yaml,line=2,endLine=4,title=schema::m"
    )


@pytest.mark.parametrize("command", ["lint", "validate"])
def test_github_is_the_default_inside_github_actions(
    icrun, repo: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    first = icrun(command, ".").out.splitlines()[0]
    match = GITHUB_LINE.match(first)
    assert match, first
    assert match["file"] == "runbooks/broken.yaml"
    assert icrun(command, ".", "-f", "text").out.startswith("broken.yaml:")
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    assert icrun(command, ".").out.startswith("broken.yaml:")


# --- GitLab -----------------------------------------------------------------------------------


def test_gitlab_code_quality_report(icrun, repo: Path) -> None:
    issues = json.loads(icrun("lint", ".", "-f", "gitlab").out)
    assert isinstance(issues, list)
    assert len(issues) == 5
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["location"]["path"] == "runbooks/broken.yaml"
        assert issue["location"]["lines"]["begin"] <= issue["location"]["lines"]["end"]
        assert issue["description"]
    assert [i["severity"] for i in issues] == ["minor", "major", "minor", "minor", "major"]
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)


def test_gitlab_fingerprints_are_unique_and_match_sarif(icrun, repo: Path) -> None:
    (repo / "runbooks" / "broken.yaml").write_text(distinct(TWIN_LINKS, "twin"), encoding="utf-8")
    issues = json.loads(icrun("lint", ".", "-f", "gitlab").out)
    assert [i["location"]["lines"]["begin"] for i in issues] == [18, 140]
    assert len({issue["fingerprint"] for issue in issues}) == 2
    sarif = _fingerprints(_sarif(icrun, "lint", "."))
    assert [(i["check_name"], i["fingerprint"]) for i in issues] == sarif


def test_gitlab_clean_run_is_an_empty_list(icrun, repo: Path) -> None:
    assert icrun("lint", "clean.yaml", "-f", "gitlab").out == "[]\n"


def _parse_xml(text: str) -> ET.Element:
    """Parse icrun's own JUnit output with a real XML parser (trusted input)."""
    return ET.fromstring(text.encode("utf-8"))  # noqa: S314


# --- JUnit ------------------------------------------------------------------------------------


def _junit(report, fail_on: Severity = Severity.ERROR) -> str:
    from icrunbook.reporting import Style
    from icrunbook.reporting.junit import render

    return render(report, Style(fail_on=fail_on))


def _report(files: list[str], *found: tuple[str, int, str, Severity, str]):
    """A Report from (path, line, rule, severity, message) findings."""
    from icrunbook.api import Report

    diagnostics = [
        Diagnostic(path, Span(line, 3, line, 9), rule, severity, message)
        for path, line, rule, severity, message in found
    ]
    return Report.of(files, diagnostics)


# Several files and rules: two errors of one rule, a warning, an info, a clean file, and a
# finding on a file the run did not list (it must still show)
MIXED = (
    ["a.yaml", "b.yaml", "c.yaml"],
    ("a.yaml", 30, "schema", Severity.ERROR, "unknown key 'colour' in postmortem"),
    ("a.yaml", 4, "schema", Severity.ERROR, "missing key 'owner'"),
    ("a.yaml", 12, "links-https", Severity.WARNING, "link url 'http://x' is not https://"),
    ("c.yaml", 7, "review-fresh", Severity.INFO, "last reviewed 200 days ago"),
    ("c.yaml", 9, "links-https", Severity.WARNING, "link url 'http://y' is not https://"),
    ("zz-unlisted.yaml", 1, "syntax", Severity.ERROR, "could not parse"),
)


@pytest.fixture(scope="module")
def junit_schema():
    """The Jenkins xUnit plugin's junit-10.xsd (see the comment at its top)."""
    etree = pytest.importorskip("lxml.etree", reason="XSD validation needs lxml")
    schema = etree.XMLSchema(etree.parse(str(DATA / "junit-10.xsd")))

    def validate(text: str) -> None:
        document = etree.fromstring(text.encode("utf-8"))
        assert schema.validate(document), schema.error_log

    return validate


def _check_counts(root: ET.Element) -> None:
    """``tests`` and ``failures`` match the test cases, on the suite and on the suites."""
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    failed = [case for case in cases if case.find("failure") is not None]
    for element in (root, suite):
        assert element.get("tests") == str(len(cases))
        assert element.get("failures") == str(len(failed))
        assert element.get("errors") == "0"
        assert element.get("time") == "0"
        assert int(element.get("tests", "")) >= int(element.get("failures", ""))
    assert suite.get("skipped") == "0"
    for case in cases:
        assert len(case.findall("failure")) <= 1
        assert case.get("time") == "0"


def test_junit_one_testcase_per_file_and_rule(icrun, repo: Path, junit_schema) -> None:
    out = icrun("lint", ".", "-f", "junit").out
    junit_schema(out)
    root = _parse_xml(out)
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "icrun"
    _check_counts(root)
    # the test cases follow from the findings (whichever rules fire): one per file and rule
    found = json.loads(icrun("lint", ".", "-f", "json").out)["diagnostics"]
    fired = sorted({(d["path"], d["rule"]) for d in found})
    failing = {(d["path"], d["rule"]) for d in found if d["severity"] == "error"}
    clean = [("clean.yaml", "icrun")] if all(p != "clean.yaml" for p, _ in fired) else []
    cases = {(c.get("classname"), c.get("name")): c for c in suite.findall("testcase")}
    assert list(cases) == fired + clean
    assert suite.get("failures") == str(len(failing))
    assert {key for key, case in cases.items() if case.find("failure") is not None} == failing
    schema = cases["broken.yaml", "schema"]
    failure = schema.find("failure")
    assert failure is not None
    assert (failure.get("type"), failure.get("message")) == ("schema", "1 finding of schema")
    assert failure.text == "broken.yaml:330:3: error [schema] unknown key 'colour' in postmortem"
    # a warning, below the default fail level: passed, its finding in system-out
    links = cases["broken.yaml", "links-https"]
    assert links.find("failure") is None
    assert links.findtext("system-out") == (
        "broken.yaml:197:14: warning [links-https] "
        "link url 'http://flags.example.com/projects/web-api/flags' is not https://"
    )


def test_junit_of_a_clean_run_is_one_passing_testcase(icrun, repo: Path, junit_schema) -> None:
    out = icrun("lint", "clean.yaml", "-f", "junit").out
    junit_schema(out)
    (case,) = _parse_xml(out).findall("testsuite/testcase")
    assert (case.get("classname"), case.get("name")) == ("clean.yaml", "icrun")
    assert list(case) == []


def test_junit_of_the_example_runbooks_validates(icrun, repo: Path, junit_schema) -> None:
    from tests.conftest import RUNBOOKS

    for example in sorted(RUNBOOKS.glob("*.yaml")):
        (repo / "runbooks" / example.name).write_text(example.read_text("utf-8"), "utf-8")
    out = icrun("lint", ".", "-f", "junit").out
    junit_schema(out)
    root = _parse_xml(out)
    _check_counts(root)
    names = {case.get("classname") for case in root.iter("testcase")}
    assert names == {"broken.yaml", "clean.yaml"} | {
        example.name
        for example in RUNBOOKS.glob("*.yaml")  # the policy too: it is checked
    }


@pytest.mark.parametrize("fail_on", list(Severity))
def test_junit_counts_are_consistent_and_it_validates(fail_on: Severity, junit_schema) -> None:
    out = _junit(_report(*MIXED), fail_on)
    junit_schema(out)
    _check_counts(_parse_xml(out))


@pytest.mark.parametrize(
    ("fail_on", "failures"), [(Severity.ERROR, 2), (Severity.WARNING, 4), (Severity.INFO, 5)]
)
def test_junit_fails_test_cases_at_the_fail_level(fail_on: Severity, failures: int) -> None:
    suite = _parse_xml(_junit(_report(*MIXED), fail_on)).find("testsuite")
    assert suite is not None
    cases = [(c.get("classname"), c.get("name")) for c in suite.findall("testcase")]
    assert cases == [
        ("a.yaml", "links-https"),
        ("a.yaml", "schema"),
        ("b.yaml", "icrun"),
        ("c.yaml", "links-https"),
        ("c.yaml", "review-fresh"),
        ("zz-unlisted.yaml", "syntax"),
    ]
    assert (suite.get("tests"), suite.get("failures")) == ("6", str(failures))


def test_junit_one_failure_per_testcase_carries_every_finding() -> None:
    root = _parse_xml(_junit(_report(*MIXED)))
    (case,) = root.findall("testsuite/testcase[@name='schema']")
    (failure,) = case.findall("failure")
    assert failure.get("type") == "schema"
    assert failure.get("message") == "2 findings of schema"
    assert failure.text == (
        "a.yaml:4:3: error [schema] missing key 'owner'\n"
        "a.yaml:30:3: error [schema] unknown key 'colour' in postmortem"
    )
    assert case.find("system-out") is None


@pytest.mark.parametrize(("fail_on", "fails"), [(Severity.ERROR, False), (Severity.WARNING, True)])
def test_junit_a_warning_fails_only_at_fail_level_warning(fail_on: Severity, fails: bool) -> None:
    report = _report(["w.yaml"], ("w.yaml", 5, "links-https", Severity.WARNING, "not https://"))
    root = _parse_xml(_junit(report, fail_on))
    (case,) = root.findall("testsuite/testcase")
    assert (case.get("classname"), case.get("name")) == ("w.yaml", "links-https")
    line = "w.yaml:5:3: warning [links-https] not https://"
    failure = case.find("failure")
    if fails:
        assert failure is not None
        assert failure.text == line
        assert case.find("system-out") is None
    else:
        assert failure is None
        assert case.findtext("system-out") == line
    assert root.get("failures") == ("1" if fails else "0")
    assert root.get("tests") == "1"


def test_junit_a_clean_file_is_one_passing_testcase(junit_schema) -> None:
    out = _junit(_report(["ok.yaml", "fine.yaml"]))
    junit_schema(out)
    root = _parse_xml(out)
    cases = root.findall("testsuite/testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases] == [
        ("ok.yaml", "icrun"),
        ("fine.yaml", "icrun"),
    ]
    assert all(list(case) == [] for case in cases)
    assert (root.get("tests"), root.get("failures")) == ("2", "0")


def test_junit_an_empty_run_validates(junit_schema) -> None:
    out = _junit(_report([]))
    junit_schema(out)
    assert _parse_xml(out).get("tests") == "0"


def test_junit_is_byte_identical_across_renders(icrun, repo: Path) -> None:
    assert _junit(_report(*MIXED)) == _junit(_report(*MIXED))
    first = icrun("lint", ".", "-f", "junit").out
    assert first == icrun("lint", ".", "-f", "junit").out
    assert "timestamp" not in first
    assert "hostname" not in first


def test_junit_survives_characters_xml_cannot_hold(junit_schema) -> None:
    message = 'bad \x00 byte & <tag> "quoted"\nsecond line'
    report = _report(["a\x01.yaml"], ("a\x01.yaml", 1, "syn\x02tax", Severity.ERROR, message))
    out = _junit(report)
    junit_schema(out)
    case = _parse_xml(out).find("testsuite/testcase")
    assert case is not None
    assert (case.get("classname"), case.get("name")) == ("a\ufffd.yaml", "syn\ufffdtax")
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("type") == "syn\ufffdtax"
    assert failure.text == (
        'a\ufffd.yaml:1:3: error [syn\ufffdtax] bad \ufffd byte & <tag> "quoted"\\x0asecond line'
    )


# --- JSON and its schema ----------------------------------------------------------------------


@pytest.mark.parametrize("extra", [(), ("--statistics",)])
def test_json_output_matches_the_report_schema(icrun, repo: Path, extra: tuple[str, ...]) -> None:
    schema = json.loads((SCHEMAS / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    document = json.loads(icrun("lint", ".", "-f", "json", *extra).out)
    jsonschema.Draft7Validator(schema).validate(document)
    assert len(document["diagnostics"]) == 5


def test_report_schema_is_shipped() -> None:
    from icrunbook.validation.schemas import PRINTABLE_SCHEMA_NAMES, SCHEMA_NAMES, schema_text

    assert "report" in PRINTABLE_SCHEMA_NAMES
    assert "report" not in SCHEMA_NAMES  # not a document kind: no compiled validator
    assert json.loads(schema_text("report"))["$id"].endswith("/report.schema.json")


# --- every format -----------------------------------------------------------------------------


@pytest.mark.parametrize("output_format", [f.value for f in OutputFormat])
def test_output_is_byte_identical_across_runs_and_to_a_file(
    icrun, repo: Path, output_format: str
) -> None:
    first = icrun("lint", ".", "-f", output_format)
    second = icrun("lint", ".", "-f", output_format)
    assert first.out == second.out
    assert first.out
    target = repo / f"report.{output_format}"
    written = icrun("lint", ".", "-f", output_format, "-o", str(target))
    assert written.out == ""
    assert written.code == first.code == 1
    assert target.read_bytes() == first.out.encode("utf-8")


def test_every_format_has_a_reporter() -> None:
    assert set(FORMATS) == set(OutputFormat)
