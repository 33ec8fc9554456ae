"""Reporters: JSON (own schema), SARIF (official schema, GitHub's needs), JUnit, GitHub, text."""

from __future__ import annotations

import dataclasses
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from junitparser import JUnitXml

from policylint.baseline import FINGERPRINT_KEY
from policylint.diagnostics import Severity
from policylint.engine import Result
from policylint.reporters import FORMATS, ReportOptions, get_reporter
from policylint.reporters.github import annotation, escape_data, escape_property, markdown_summary

from conftest import ASSETS, POLICY, ROOT, SAMPLE, SHARED, run_lint

Edit = Callable[[Path, str, str], None]
SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"


def render(result: Result, fmt: str, **options: Any) -> str:
    out = io.StringIO()
    get_reporter(fmt)(result, out, ReportOptions(**options))
    return out.getvalue()


def seed(root: Path, edit: Edit) -> None:
    """One error (asset without owner) and one warning (policy not published to everyone)."""
    edit(
        root / ASSETS,
        "    owner: cio\n    classification: secret\n",
        "    classification: secret\n",
    )
    edit(
        root / POLICY,
        "published_to: [employees, users, external-parties]",
        "published_to: [employees]",
    )


@pytest.fixture
def violations(sample: Path, edit: Edit) -> Result:
    seed(sample, edit)
    return run_lint(sample)


def test_every_format_is_registered() -> None:
    assert set(FORMATS) == {"text", "json", "sarif", "junit", "github"}


# JSON ----------------------------------------------------------------------------------------


def output_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((ROOT / "schemas/output.schema.json").read_text("utf-8"))
    return schema


def test_json_validates_and_holds_everything(violations: Result) -> None:
    doc = json.loads(render(violations, "json"))
    jsonschema.Draft202012Validator(output_schema()).validate(doc)
    assert doc["version"] == 1 and doc["tool"]["name"] == "policylint"
    assert (doc["framework"]["id"], doc["as_of"], doc["lang"]) == (
        "mic-asp-saas-2008",
        "2026-11-01",
        "en",
    )
    s = doc["summary"]
    assert (s["error"], s["warning"], s["suppressed"], s["failed"]) == (1, 1, 1, True)
    assert s["by_item"] == {
        "II.1.1.1": {"error": 0, "warning": 1},
        "II.4.1.1": {"error": 1, "warning": 0},
    }
    by_check = {d["check"]: d for d in doc["diagnostics"]}
    owner = by_check["II.4.1.1/asset-owner"]
    assert owner["path"] == ASSETS and owner["severity"] == "error"
    assert owner["target"] == "as-customer-db" and owner["suppressed"] is False
    assert owner["hint"] and owner["message"] == "asset 'as-customer-db' has no owner"
    excepted = by_check["II.4.1.1/asset-inventory-fields"]
    assert excepted["suppressed"] is True and excepted["suppressed_by"] == "exc-2026-001"
    assert excepted["justification"].startswith("人事書類は紙の原本")


def test_json_of_a_clean_run_validates() -> None:
    doc = json.loads(render(run_lint(SAMPLE), "json"))
    jsonschema.Draft202012Validator(output_schema()).validate(doc)
    assert doc["summary"]["failed"] is False


def test_json_failed_follows_the_threshold(sample: Path, edit: Edit) -> None:
    edit(sample / POLICY, "published_to: [employees, users, external-parties]", "published_to: []")
    result = run_lint(sample)
    assert json.loads(render(result, "json"))["summary"]["failed"] is False
    doc = json.loads(render(result, "json", threshold=Severity.WARNING))
    assert doc["summary"]["failed"] is True and doc["summary"]["threshold"] == "warning"


# SARIF ---------------------------------------------------------------------------------------


def sarif_validator() -> jsonschema.protocols.Validator:
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the official SARIF schema is not available ({SARIF_SCHEMA} is absent)")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)  # type: ignore[no-any-return]


def test_sarif_validates_against_the_official_schema(violations: Result) -> None:
    doc = json.loads(render(violations, "sarif"))
    sarif_validator().validate(doc)
    assert doc["version"] == "2.1.0"


def test_sarif_rules_cover_every_check(violations: Result) -> None:
    run = json.loads(render(violations, "sarif"))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [c.id for c in violations.pack.all_checks()]
    for rule in rules:
        assert rule["name"] and rule["name"][0].isupper()
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["helpUri"] == "https://policylint.dev/checks/" + rule["id"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning")
    owner = next(r for r in rules if r["id"] == "II.4.1.1/asset-owner")
    assert owner["fullDescription"]["text"].startswith("II.4.1.1 ")
    assert owner["help"]["text"]


def test_sarif_results(violations: Result, sample: Path) -> None:
    run = json.loads(render(violations, "sarif"))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert len(results) == len(violations.diagnostics) == 3
    for res in results:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        [loc] = res["locations"]
        art = loc["physicalLocation"]["artifactLocation"]
        assert art["uriBaseId"] == "%SRCROOT%" and (sample / art["uri"]).is_file()
        region = loc["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert set(res["partialFingerprints"]) == {FINGERPRINT_KEY}
    owner = next(r for r in results if r["ruleId"] == "II.4.1.1/asset-owner")
    assert owner["level"] == "error" and "suppressions" not in owner
    assert owner["message"]["text"].startswith("asset 'as-customer-db' has no owner\n")
    excepted = next(r for r in results if r["ruleId"] == "II.4.1.1/asset-inventory-fields")
    [suppression] = excepted["suppressions"]
    assert suppression["kind"] == "external"
    assert suppression["justification"].startswith("人事書類は紙の原本")


def test_sarif_repository_level_finding_is_anchored_to_the_config_file(sample: Path) -> None:
    (sample / POLICY).unlink()
    doc = json.loads(render(run_lint(sample), "sarif"))
    sarif_validator().validate(doc)
    [res] = [r for r in doc["runs"][0]["results"] if r["ruleId"] == "II.1.1.1/policy-exists"]
    art = res["locations"][0]["physicalLocation"]["artifactLocation"]
    assert art["uri"] == "policylint.yaml" and (sample / art["uri"]).is_file()


def test_sarif_results_without_a_config_file_name_only_existing_files(sample: Path) -> None:
    (sample / "policylint.yaml").unlink()
    (sample / POLICY).unlink()
    doc = json.loads(render(run_lint(sample), "sarif"))
    [res] = [r for r in doc["runs"][0]["results"] if r["ruleId"] == "II.1.1.1/policy-exists"]
    assert res["locations"] == [{"logicalLocations": [{"name": "repository", "kind": "module"}]}]
    for res in doc["runs"][0]["results"]:
        physical = res["locations"][0].get("physicalLocation")
        if physical is not None:
            uri = physical["artifactLocation"]["uri"]
            assert (sample / uri).is_file(), uri


def test_an_empty_repository_is_reported_at_no_file(tmp_path: Path) -> None:
    # not at README.md, which has nothing to do with it
    (tmp_path / "README.md").write_text("# nothing here\n", encoding="utf-8")
    doc = json.loads(render(run_lint(tmp_path), "sarif"))
    [res] = doc["runs"][0]["results"]
    assert res["ruleId"] == "policylint/no-governance-files"
    assert res["locations"] == [{"logicalLocations": [{"name": "repository", "kind": "module"}]}]


def fingerprints_of(result: Result) -> dict[str, tuple[str, int]]:
    run = json.loads(render(result, "sarif"))["runs"][0]
    return {
        r["partialFingerprints"][FINGERPRINT_KEY]: (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in run["results"]
    }


def test_sarif_fingerprints_survive_moved_lines_and_language(sample: Path, edit: Edit) -> None:
    seed(sample, edit)
    before = fingerprints_of(run_lint(sample))
    edit(sample / ASSETS, "items:\n", "# a new comment\n# and another\nitems:\n")
    after = fingerprints_of(run_lint(sample, lang="ja"))
    assert set(before) == set(after) and len(before) == 3
    moved = [fp for fp in before if before[fp][0].startswith("II.4.1.1/")]
    assert all(after[fp][1] == before[fp][1] + 2 for fp in moved)


def test_sarif_path_prefix(violations: Result) -> None:
    run = json.loads(render(violations, "sarif", path_prefix="gov/"))["runs"][0]
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    }
    assert uris == {f"gov/{ASSETS}", f"gov/{POLICY}"}


def test_sarif_marks_disabled_checks(sample: Path, edit: Edit) -> None:
    seed(sample, edit)
    from policylint.config import load_config
    from policylint.engine import lint
    from policylint.rulepack import load_rulepack

    config = load_config(sample)
    result = lint(
        sample, config, load_rulepack(), run_lint(sample).repo.today, "en", ignore=["II.4"]
    )
    run = json.loads(render(result, "sarif"))["runs"][0]
    rule = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "II.4.1.1/asset-owner")
    assert rule["defaultConfiguration"]["enabled"] is False
    assert {r["ruleId"] for r in run["results"]} == {"II.1.1.1/policy-published"}


# JUnit ---------------------------------------------------------------------------------------


def junit_cases(text: str, tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "junit.xml"
    path.write_text(text, encoding="utf-8")
    xml = JUnitXml.fromfile(str(path))
    return {case.name: case for suite in xml for case in suite}


def test_junit_one_testcase_per_check(violations: Result, tmp_path: Path) -> None:
    text = render(violations, "junit")
    cases = junit_cases(text, tmp_path)
    assert set(cases) == {c.id for c in violations.pack.all_checks()}
    owner = cases["II.4.1.1/asset-owner"]
    assert owner.classname == "II.4.1.1"
    assert cases["policylint/parse-error"].classname == "policylint"
    [failure] = owner.result
    assert failure.type == "error" and "1 finding" in failure.message
    assert f"{ASSETS}:" in failure.text and "has no owner" in failure.text
    assert cases["II.4.1.1/asset-cia"].is_passed
    # a warning does not fail at the default threshold; it is in the output
    published = cases["II.1.1.1/policy-published"]
    assert published.is_passed and "not published to" in (published.system_out or "")
    excepted = cases["II.4.1.1/asset-inventory-fields"]
    assert excepted.is_passed and "excepted by exc-2026-001" in (excepted.system_out or "")
    root = ET.fromstring(text)
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures")) == (str(len(cases)), "1")


def test_junit_threshold_warning_fails_warnings(violations: Result, tmp_path: Path) -> None:
    cases = junit_cases(render(violations, "junit", threshold=Severity.WARNING), tmp_path)
    [failure] = cases["II.1.1.1/policy-published"].result
    assert failure.type == "warning"


def test_junit_disabled_checks_are_skipped(violations: Result, tmp_path: Path) -> None:
    settings = dict(violations.settings)
    settings["II.4.1.1/asset-cia"] = dataclasses.replace(
        settings["II.4.1.1/asset-cia"], severity=None
    )
    result = dataclasses.replace(violations, settings=settings)
    cases = junit_cases(render(result, "junit"), tmp_path)
    assert cases["II.4.1.1/asset-cia"].is_skipped


def test_junit_drops_characters_xml_cannot_hold(violations: Result, tmp_path: Path) -> None:
    d = dataclasses.replace(violations.active[0], message="bad \x01 char & <tag>")
    result = dataclasses.replace(violations, diagnostics=[d])
    text = render(result, "junit")
    ET.fromstring(text)
    assert "bad  char &amp; &lt;tag&gt;" in text


# GitHub --------------------------------------------------------------------------------------


def test_github_escaping() -> None:
    assert escape_data("100%\r\ndone") == "100%25%0D%0Adone"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"


def test_github_annotations(violations: Result) -> None:
    lines = render(violations, "github").splitlines()
    assert lines[-1] == "policylint: 1 error(s), 1 warning(s), 1 suppressed"
    error = next(line for line in lines if line.startswith("::error "))
    assert error.startswith(f"::error file={ASSETS},line=")
    assert ",title=II.4.1.1/asset-owner [II.4.1.1]::asset 'as-customer-db' has no owner%0A" in error
    warning = next(line for line in lines if line.startswith("::warning "))
    assert f"file={POLICY},line=11,col=15,title=II.1.1.1/policy-published" in warning
    assert len(lines) == 3  # the excepted finding is not annotated


def test_github_annotation_of_awkward_values(violations: Result) -> None:
    owner = next(d for d in violations.active if d.check_id == "II.4.1.1/asset-owner")
    d = dataclasses.replace(owner, path="a,b:c.md", message="50% done\nnext", hint="")
    assert annotation(d, ReportOptions()) == (
        "::error file=a%2Cb%3Ac.md,line=" + str(d.line) + f",col={d.column},"
        "title=II.4.1.1/asset-owner [II.4.1.1]::50%25 done%0Anext"
    )


def test_github_markdown_summary(violations: Result) -> None:
    text = markdown_summary(violations, ReportOptions())
    assert "| Errors | 1 |" in text and "| Warnings | 1 |" in text
    assert "| II.1.1.1 | 0 | 1 |" in text and "| II.4.1.1 | 1 | 0 |" in text
    assert "excepted by exc-2026-001" in text
    clean = markdown_summary(run_lint(SAMPLE), ReportOptions())
    assert "No problems found." in clean


# text ----------------------------------------------------------------------------------------


def test_text_groups_per_file_and_lists_excepted_findings(violations: Result) -> None:
    text = render(violations, "text")
    blocks = text.split("\n\n")
    assert blocks[0].startswith(POLICY + ":")
    assert blocks[1].startswith(ASSETS + ":")
    assert "excepted II.4.1.1/asset-inventory-fields" in blocks[1]
    assert "(warning; excepted by exc-2026-001)" in blocks[1]
    assert "1 error(s), 1 warning(s) in 2 file(s)" in blocks[2]
    assert "by item: II.1.1.1 ×1, II.4.1.1 ×1" in blocks[2]
    assert "\x1b[" not in text
    assert "\x1b[31m" in render(violations, "text", color=True)


def test_text_hides_baselined_findings_unless_asked(violations: Result) -> None:
    d = dataclasses.replace(violations.active[0], suppressed_by="baseline")
    result = dataclasses.replace(violations, diagnostics=[d])
    assert d.message not in render(result, "text")
    assert "1 finding(s) suppressed" in render(result, "text")
    assert d.message in render(result, "text", show_suppressed=True)


def test_every_check_id_fits_the_output_schema() -> None:
    import re

    from policylint.rulepack import known_frameworks, load_packs

    defs = output_schema()["$defs"]
    check, item = defs["checkId"]["pattern"], defs["itemId"]["pattern"]
    for c in load_packs(known_frameworks()).all_checks():
        assert re.search(check, c.id), c.id
        assert c.item is None or re.search(item, c.item), c.item


# Repository-level findings: at the configuration file, else at no file -----------------------


@pytest.fixture
def no_roles(sample: Path) -> Path:
    """The sample without its roles register: II.2.1.1/roles-defined is repository-level."""
    (sample / "registers" / "roles.yaml").unlink()
    return sample


ROLES_EN = "no roles register (a YAML register of kind: roles) was found; required roles: cio, ciso"
ROLES_JA = "役割台帳（kind: roles の YAML 台帳）がありません。必要な役割: cio, ciso"


def roles_finding(result: Result) -> Any:
    [d] = [d for d in result.active if d.check_id == "II.2.1.1/roles-defined"]
    return d


def test_a_repository_level_finding_points_at_the_configuration_file(no_roles: Path) -> None:
    d = roles_finding(run_lint(no_roles))
    assert (d.path, d.line, d.column, d.message) == ("policylint.yaml", 1, 1, ROLES_EN)


def test_without_configuration_a_repository_level_finding_points_at_no_file(
    no_roles: Path,
) -> None:
    (no_roles / "policylint.yaml").unlink()
    result = run_lint(no_roles)
    d = roles_finding(result)
    assert (d.path, d.line, d.column, d.message) == (None, 0, 0, ROLES_EN)
    # never a file that does not exist, nor an unrelated document
    assert all(d.path is None or (no_roles / d.path).is_file() for d in result.diagnostics)
    assert roles_finding(run_lint(no_roles, lang="ja")).message == ROLES_JA

    text = render(result, "text").splitlines()
    assert text[0] == f"(repository): ERROR II.2.1.1/roles-defined [II.2.1.1] {ROLES_EN}"
    ja = render(run_lint(no_roles, lang="ja"), "text").splitlines()
    assert ja[0] == f"（リポジトリ全体）: エラー II.2.1.1/roles-defined [II.2.1.1] {ROLES_JA}"

    doc = json.loads(render(result, "json"))
    jsonschema.validate(doc, json.loads((ROOT / "schemas" / "output.schema.json").read_text()))
    [entry] = [e for e in doc["diagnostics"] if e["check"] == "II.2.1.1/roles-defined"]
    assert (entry["path"], entry["line"], entry["column"]) == (None, None, None)

    annotations = render(result, "github").splitlines()
    assert annotations[0].startswith("::error title=II.2.1.1/roles-defined [II.2.1.1]::no roles")

    [case] = [
        c
        for c in ET.fromstring(render(result, "junit")).iter("testcase")
        if c.get("name") == "II.2.1.1/roles-defined"
    ]
    failure = case.find("failure")
    assert failure is not None and failure.text is not None
    assert failure.text.splitlines()[0] == f"(repository): ERROR [II.2.1.1] {ROLES_EN}"

    sarif = json.loads(render(result, "sarif"))
    [res] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "II.2.1.1/roles-defined"]
    assert res["locations"] == [{"logicalLocations": [{"name": "repository", "kind": "module"}]}]
    sarif_validator().validate(sarif)
