"""The compliance report: item statuses, the timeline, and the md/json/oscal renderings."""

from __future__ import annotations

import builtins
import datetime as dt
import hashlib
import io
import json
import pathlib
import shutil
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from policylint.cli import main
from policylint.report import FORMATS, build_report, render
from policylint.report.model import STATUSES, CheckRow, Report, _status, url
from policylint.report.oscal import to_dict as oscal_dict

from conftest import ROOT, SAMPLE, SAMPLE_AS_OF, run_lint

Edit = Callable[[Path, str, str], None]


def report_of(root: Path, as_of: dt.date = SAMPLE_AS_OF, lang: str = "en") -> Report:
    return build_report(run_lint(root, as_of, lang), repository="repo")


def row(report: Report, item: str) -> Any:
    return next(r for r in report.items if r.id == item)


def rendered(report: Report, fmt: str) -> str:
    out = io.StringIO()
    render(report, fmt, out)
    return out.getvalue()


@pytest.fixture(scope="module")
def sample_report() -> Report:
    return report_of(SAMPLE)


# ---------------------------------------------------------------------------------------------
# statuses


def test_every_item_of_the_catalog_is_reported_once(sample_report: Report) -> None:
    ids = [r.id for r in sample_report.items]
    assert len(ids) == 22 == len(set(ids))
    assert ids[0] == "II.1.1.1" and ids[-1] == "II.8.1.1"
    assert sum(sample_report.counts.values()) == 22
    assert [c.id for c in sample_report.chapters] == [f"II.{n}" for n in range(1, 9)]


def test_clean_sample_is_met_or_excepted_or_not_assessed(sample_report: Report) -> None:
    for r in sample_report.items:
        if r.checks:
            assert r.status in ("met", "excepted"), (r.id, r.status, r.checks)
        else:
            assert (r.status, r.reason) == ("not-assessed", "no-checks")
    # the sample's exception exc-2026-001 accepts a finding of II.4.1.1
    ex = row(sample_report, "II.4.1.1")
    assert ex.status == "excepted" and ex.exceptions == ("exc-2026-001",)
    assert sum(c.suppressed for c in ex.checks) == 1


def test_met_items_name_their_evidence(sample_report: Report) -> None:
    policy = row(sample_report, "II.1.1.1")
    assert policy.status == "met"
    assert [e.path for e in policy.evidence] == ["policies/information-security-policy.md"]
    assert all(c.result == "pass" and c.examined for c in policy.checks)
    assets = row(sample_report, "II.4.1.1")
    assert assets.evidence[0].path == "registers/assets.yaml" and assets.evidence[0].register


def test_a_missing_register_makes_its_item_not_met(sample: Path) -> None:
    (sample / "registers" / "classification-scheme.yaml").unlink()
    r = row(report_of(sample), "II.4.2.1")
    assert r.status == "not-met"
    assert sum(c.errors for c in r.checks) >= 2
    assert "registers/classification-scheme.yaml" not in [e.path for e in r.evidence]


def test_only_warnings_make_an_item_partly_met(sample: Path, edit: Edit) -> None:
    edit(
        sample / "policies/information-security-policy.md",
        "published_to: [employees, users, external-parties]",
        "published_to: [employees]",
    )
    r = row(report_of(sample), "II.1.1.1")
    assert (r.status, r.reason) == ("partly", "warnings")
    published = next(c for c in r.checks if c.id == "II.1.1.1/policy-published")
    assert (published.result, published.warnings, published.errors) == ("warn", 1, 0)


def test_some_failing_checks_make_an_item_partly_met(sample: Path, edit: Edit) -> None:
    edit(sample / "policies/information-security-policy.md", "approved_on: 2026-04-01\n", "")
    r = row(report_of(sample), "II.1.1.1")
    assert (r.status, r.reason) == ("partly", "some-checks-fail")
    assert next(c for c in r.checks if c.id == "II.1.1.1/policy-approved").result == "fail"


def test_checks_turned_off_are_never_met(sample: Path, edit: Edit) -> None:
    edit(
        sample / "policylint.yaml",
        "lang: ja\n",
        "lang: ja\nchecks:\n  II.4.2.1: {severity: off}\n"
        "  II.1.1.1/policy-approved: {severity: off}\n",
    )
    report = report_of(sample)
    audit = row(report, "II.4.2.1")
    assert (audit.status, audit.reason) == ("not-assessed", "checks-off")
    assert {c.result for c in audit.checks} == {"off"}
    assert {c.severity for c in audit.checks} == {"off"}
    policy = row(report, "II.1.1.1")
    assert (policy.status, policy.reason) == ("partly", "checks-off")


def test_an_empty_repository_has_no_met_item(tmp_path: Path) -> None:
    report = report_of(tmp_path)
    assert report.counts["met"] == 0 and report.counts["excepted"] == 0
    assert {r.status for r in report.items} <= {"no-evidence", "not-assessed"}
    assert all(not r.evidence for r in report.items)


def _check(result: str, default: str = "error", errors: int = 0, warnings: int = 0) -> CheckRow:
    return CheckRow(
        "II.9.9.9/x", "x", "off" if result == "off" else default, default, "main", result,
        errors, warnings, 0, 0 if result == "no-evidence" else 1, ("policy",),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("results", "expected"),
    [
        ([], ("not-assessed", "no-checks")),
        (["off", "off"], ("not-assessed", "checks-off")),
        ([("off", "error"), ("pass", "warning")], ("not-assessed", "checks-off")),
        (["pass", ("off", "error")], ("partly", "checks-off")),
        (["pass", ("off", "warning")], ("met", "checks-pass")),
        (["no-evidence", "no-evidence"], ("no-evidence", "nothing-examined")),
        (["pass", "no-evidence"], ("met", "checks-pass")),
        (["pass", "excepted"], ("excepted", "exceptions")),
        (["pass", "warn"], ("partly", "warnings")),
        (["pass", "fail"], ("partly", "some-checks-fail")),
        (["fail", "warn", "no-evidence"], ("not-met", "errors")),
        (["fail"], ("not-met", "errors")),
    ],
)
def test_status_rules(results: list[Any], expected: tuple[str, str]) -> None:
    rows = []
    for spec in results:
        outcome, default = spec if isinstance(spec, tuple) else (spec, "error")
        rows.append(
            _check(outcome, default, errors=int(outcome == "fail"), warnings=int(outcome == "warn"))
        )
    assert _status(rows, 0) == expected


def test_errors_in_evidence_files_keep_an_item_from_met() -> None:
    assert _status([_check("pass")], 1) == ("partly", "file-errors")


# ---------------------------------------------------------------------------------------------
# what falls due


def test_timeline_lists_what_falls_due_within_the_horizon(sample_report: Report) -> None:
    horizon = SAMPLE_AS_OF + dt.timedelta(days=90)
    dates = [d.date for d in sample_report.timeline]
    assert dates == sorted(dates)
    assert all(d <= horizon for d in dates)
    events = {(d.event, d.subject) for d in sample_report.timeline}
    # reports_reviewed_on 2026-10-15 + 3 months
    assert ("partner-report-review", "ep-ginko-link") in events
    ginko = next(d for d in sample_report.timeline if d.subject == "ep-ginko-link")
    assert (ginko.date, ginko.days, ginko.item) == (dt.date(2027, 1, 15), 75, "II.3.1.2")


def test_due_dates_come_from_the_model(sample: Path, edit: Edit) -> None:
    edit(
        sample / "contracts/security-mamoru.md", "expires_on: 2027-06-30", "expires_on: 2026-11-11"
    )
    edit(sample / "registers/exceptions.yaml", "expires_on: 2027-08-31", "expires_on: 2027-01-15")
    report = report_of(sample)
    due = {(d.event, d.subject): d for d in report.timeline}
    contract = due["contract-expiry", "ctr-sec-mamoru"]
    assert (contract.date, contract.days, contract.item) == (dt.date(2026, 11, 11), 10, "II.3.1.1")
    assert contract.path == "contracts/security-mamoru.md"
    exc = due["exception-expiry", "exc-2026-001"]
    assert (exc.date, exc.item) == (dt.date(2027, 1, 15), "II.4.1.1")
    assert row(report, "II.4.1.1").next_due == exc


def test_reviews_are_due_a_clamped_month_later(sample: Path, edit: Edit) -> None:
    path = sample / "policies/information-security-policy.md"
    edit(path, "last_reviewed: 2026-09-30", "last_reviewed: 2025-11-30")
    edit(path, "review_interval_months: 12", "review_interval_months: 11")
    report = report_of(sample, as_of=dt.date(2026, 10, 1))
    review = next(
        d
        for d in report.timeline
        if d.event == "review" and d.subject == "pol-information-security"
    )
    assert review.date == dt.date(2026, 10, 30) and review.item == "II.1.1.2"


def test_overdue_obligations_are_shown_as_overdue(sample: Path) -> None:
    report = report_of(sample, as_of=dt.date(2027, 3, 1))
    overdue = [d for d in report.timeline if d.overdue]
    assert overdue and all(d.days < 0 for d in overdue)
    assert row(report, "II.3.1.2").next_due.overdue


# ---------------------------------------------------------------------------------------------
# renderings


def test_report_never_reads_files(monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_lint(SAMPLE)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"the report read a file: {args!r}")

    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(pathlib.Path, "read_bytes", refuse)
    monkeypatch.setattr(pathlib.Path, "read_text", refuse)
    monkeypatch.setattr(pathlib.Path, "open", refuse)
    report = build_report(result)
    for fmt in FORMATS:
        assert rendered(report, fmt)


def test_json_follows_its_schema(sample_report: Report) -> None:
    from jsonschema import Draft202012Validator

    schema = json.loads((ROOT / "schemas/report.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    data = json.loads(rendered(sample_report, "json"))
    errors = list(Draft202012Validator(schema).iter_errors(data))
    assert not errors, [e.message for e in errors[:5]]
    assert data["schema"] == "policylint-report/1"
    assert len(data["items"]) == 22
    assert data["summary"]["by_status"] == sample_report.counts
    assert set(data["summary"]["by_status"]) == set(STATUSES)


def test_json_of_a_failing_repository_follows_its_schema(sample: Path, edit: Edit) -> None:
    from jsonschema import Draft202012Validator

    (sample / "registers/roles.yaml").unlink()
    schema = json.loads((ROOT / "schemas/report.schema.json").read_text(encoding="utf-8"))
    data = json.loads(rendered(report_of(sample), "json"))
    assert not list(Draft202012Validator(schema).iter_errors(data))
    assert data["summary"]["errors"] > 0 and data["diagnostics"]


def test_markdown_has_every_item_and_escapes_cells(sample: Path, edit: Edit) -> None:
    edit(
        sample / "policies/information-security-policy.md",
        "title: 情報セキュリティ基本方針",
        "title: 'Policy | <b>bold</b>'",
    )
    text = rendered(report_of(sample), "md")
    for n in ("II.1.1.1", "II.4.3.2", "II.8.1.1"):
        assert f"| {n} |" in text
    assert "<b>" not in text and "Policy \\| &lt;b&gt;bold&lt;/b&gt;" in text


def test_links_are_relative_and_cannot_become_a_scheme() -> None:
    assert url("policies/a b.md") == "./policies/a%20b.md"
    assert url("javascript:alert(1)") == "./javascript%3Aalert%281%29"
    assert url("x.md", "../repo/") == "../repo/x.md"


# ---------------------------------------------------------------------------------------------
# OSCAL


def test_oscal_loads_with_trestle(sample_report: Report) -> None:
    trestle_ar = pytest.importorskip("trestle.oscal.assessment_results")
    data = json.loads(rendered(sample_report, "oscal"))
    model = trestle_ar.Model.model_validate(data)
    ar = model.assessment_results
    from trestle.oscal import OSCAL_VERSION

    assert ar.metadata.oscal_version.root.root == OSCAL_VERSION  # what the newest trestle writes
    result = ar.results[0]
    assert len(result.findings) == 22
    states = {f.target.target_id: f.target.status.state.value for f in result.findings}
    for r in sample_report.items:
        assert states[r.id] == ("satisfied" if r.status == "met" else "not-satisfied")
        assert {f.target.type.value for f in result.findings} == {"objective-id"}
    # one observation per item, one per diagnostic (the suppressed one included), one per
    # approved document
    approvals = sample_report.approvals
    assert approvals is not None
    assert len(result.observations) == 22 + len(sample_report.diagnostics) + len(approvals.rows)
    uuids = [ar.uuid, result.uuid, *(f.uuid for f in result.findings)]
    uuids += [o.uuid for o in result.observations]
    assert len(set(uuids)) == len(uuids)
    assert all(uuid.UUID(u).version == 5 for u in uuids)


def test_oscal_of_a_failing_repository_loads_with_trestle(sample: Path) -> None:
    trestle_ar = pytest.importorskip("trestle.oscal.assessment_results")
    (sample / "registers/assets.yaml").unlink()
    data = oscal_dict(report_of(sample, lang="ja"))
    ar = trestle_ar.Model.model_validate(data).assessment_results
    finding = next(f for f in ar.results[0].findings if f.target.target_id == "II.4.1.1")
    assert finding.target.status.state.value == "not-satisfied"
    assert finding.related_observations


def test_oscal_is_reproducible(sample: Path) -> None:
    first = rendered(report_of(SAMPLE), "oscal")
    again = rendered(report_of(sample), "oscal")  # a copy elsewhere, another run
    assert first == again
    data = json.loads(first)["assessment-results"]
    assert data["metadata"]["last-modified"] == "2026-11-01T00:00:00Z"
    assert data["results"][0]["start"] == "2026-11-01T00:00:00Z"
    later = rendered(report_of(SAMPLE, as_of=dt.date(2026, 11, 2)), "oscal")
    assert json.loads(later)["assessment-results"]["uuid"] != data["uuid"]


# ---------------------------------------------------------------------------------------------
# the command


def _tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        h.update(p.relative_to(root).as_posix().encode())
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_writes_only_the_output(sample: Path, tmp_path: Path, fmt: str) -> None:
    before = _tree_digest(sample)
    out = tmp_path / "out" / f"report.{fmt}"
    out.parent.mkdir()
    res = CliRunner().invoke(
        main, ["report", str(sample), "--format", fmt, "--output", str(out), "--lang", "en"]
    )
    assert res.exit_code == 0, res.output
    assert res.output == ""
    assert _tree_digest(sample) == before
    text = out.read_text(encoding="utf-8")
    assert "II.8.1.1" in text
    if fmt in ("md", "html"):
        assert "../repo/policies/information-security-policy.md" in text


def test_cli_stdout_and_language(sample: Path) -> None:
    res = CliRunner().invoke(main, ["report", str(sample), "--lang", "ja", "--days", "365"])
    assert res.exit_code == 0
    assert "準拠状況報告書" in res.output and "今後 365 日以内の期限" in res.output
    res = CliRunner().invoke(main, ["report", str(sample), "--format", "json", "--lang", "en"])
    data = json.loads(res.output)
    assert data["lang"] == "en" and data["as_of"] == "2026-11-01"


def test_cli_as_of_and_usage_errors(sample: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(
        main, ["report", str(sample), "--format", "json", "--as-of", "2027-03-01"]
    )
    assert json.loads(res.output)["as_of"] == "2027-03-01"
    res = CliRunner().invoke(main, ["report", str(sample), "--as-of", "2027/03/01"])
    assert res.exit_code == 2
    res = CliRunner().invoke(main, ["report", str(tmp_path / "missing")])
    assert res.exit_code == 2
    res = CliRunner().invoke(main, ["report", str(sample), "--format", "pdf"])
    assert res.exit_code == 2


def test_cli_config_option(sample: Path, tmp_path: Path) -> None:
    conf = tmp_path / "other.yaml"
    conf.write_text("as_of: 2026-11-01\nchecks:\n  II.4.1: {severity: off}\n", encoding="utf-8")
    res = CliRunner().invoke(
        main, ["report", str(sample), "--format", "json", "--config", str(conf)]
    )
    assert res.exit_code == 0, res.output
    item = next(i for i in json.loads(res.output)["items"] if i["id"] == "II.4.1.1")
    assert item["status"] == "not-assessed"


def test_report_is_quick(tmp_path: Path) -> None:
    """One engine run plus the report: the report itself adds little to the run."""
    repo = tmp_path / "repo"
    shutil.copytree(SAMPLE, repo)
    result = run_lint(repo)
    t0 = time.perf_counter()
    report = build_report(result)
    for fmt in FORMATS:
        rendered(report, fmt)
    assert time.perf_counter() - t0 < 2.0
