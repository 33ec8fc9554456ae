"""``policylint report --format xlsx`` (read back with openpyxl) and ``--format ics`` (read back
with the icalendar library): the auditor's workbook and the calendar of due dates."""

from __future__ import annotations

import builtins
import datetime as dt
import pathlib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from policylint.cli import main
from policylint.report import build_report, render_bytes

from conftest import ASSETS, SAMPLE, run_lint

Edit = Any


def report_file(root: Path, out: Path, fmt: str, *args: str) -> Path:
    res = CliRunner().invoke(main, ["report", str(root), "--format", fmt, "-o", str(out), *args])
    assert res.exit_code == 0, res.output
    return out


def test_workbook_sheets_items_findings_and_registers(tmp_path: Path) -> None:
    path = report_file(SAMPLE, tmp_path / "準拠状況.xlsx", "xlsx", "--lang", "ja")
    wb = load_workbook(path)
    assert wb.sheetnames[:3] == ["項目", "指摘事項", "期限"]
    registers = wb.sheetnames[3:]
    assert "assets" in registers and "people" in registers and "roles" in registers
    items = wb["項目"]
    header = [c.value for c in items[1]]
    assert header == ["項目", "項目名", "区分", "状況", "検査", "根拠文書", "次の期限"]
    assert items.freeze_panes == "A2"
    assert items.auto_filter.ref == "A1:G23"  # 22 items
    assert items["A2"].value == "II.1.1.1"
    assert items["D2"].value == "適合"
    assert "II.1.1.1/policy-exists: 合格" in items["E2"].value
    assert "policies/information-security-policy.md" in items["F2"].value
    assert items.column_dimensions["B"].width > items.column_dimensions["A"].width
    assets = wb["assets"]
    columns = [c.value for c in assets[1]]
    assert columns[:2] == ["id", "name"]
    assert "cia.confidentiality" in columns and "owner" in columns
    first = {columns[i]: c.value for i, c in enumerate(assets[2])}
    assert first["id"] == "as-customer-db"
    assert first["cia.confidentiality"] == 3
    assert assets.freeze_panes == "A2" and assets.auto_filter.ref is not None


def test_workbook_in_english_lists_findings(sample: Path, edit: Edit, tmp_path: Path) -> None:
    edit(sample / ASSETS, "    owner: ciso", "    owner: nobody-here")
    path = report_file(sample, tmp_path / "r.xlsx", "xlsx", "--lang", "en")
    wb = load_workbook(path)
    assert wb.sheetnames[:3] == ["Items", "Findings", "Due dates"]
    findings = wb["Findings"]
    header = [c.value for c in findings[1]]
    assert header == [
        "File", "Line", "Column", "Severity", "Check", "Item", "Message", "Fix", "Excepted by",
    ]  # fmt: skip
    rows = [[c.value for c in r] for r in findings.iter_rows(min_row=2)]
    owner = [r for r in rows if r[4] == "II.4.1.1/asset-owner"]
    assert owner and owner[0][0] == ASSETS and owner[0][3] == "error"
    assert "nobody-here" in owner[0][6]


def test_workbook_is_deterministic_and_keeps_hostile_text_as_text(
    sample: Path, edit: Edit, tmp_path: Path
) -> None:
    edit(
        sample / ASSETS,
        "name: 顧客データベース（本番）",
        """name: '=HYPERLINK("http://evil","x")'""",
    )
    first = report_file(sample, tmp_path / "a.xlsx", "xlsx").read_bytes()
    second = report_file(sample, tmp_path / "b.xlsx", "xlsx").read_bytes()
    assert first == second
    wb = load_workbook(tmp_path / "a.xlsx")
    cell = wb["assets"]["B2"]
    assert cell.value == '=HYPERLINK("http://evil","x")'
    assert cell.data_type == "s"  # a string, not a formula


def test_workbook_never_reads_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    """Built from the report alone (openpyxl spools each sheet through a temporary file)."""
    result = run_lint(SAMPLE)
    real_open = builtins.open
    root = str(SAMPLE.resolve())

    def guarded(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(Path(str(file)).resolve()).startswith(root):
            raise AssertionError(f"the report read a file of the repository: {file!r}")
        return real_open(file, *args, **kwargs)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"the report read a file: {args!r}")

    report = build_report(result)
    monkeypatch.setattr(builtins, "open", guarded)
    monkeypatch.setattr(pathlib.Path, "read_bytes", refuse)
    monkeypatch.setattr(pathlib.Path, "read_text", refuse)
    assert render_bytes(report, "xlsx")[:2] == b"PK"


def test_calendar_events_with_stable_uids(sample: Path, tmp_path: Path) -> None:
    from icalendar import Calendar

    now = report_file(sample, tmp_path / "now.ics", "ics", "--lang", "en")
    later = report_file(sample, tmp_path / "later.ics", "ics", "--as-of", "2027-06-01")
    raw = now.read_bytes()
    assert b"\r\n" in raw and all(len(line) <= 75 for line in raw.split(b"\r\n"))
    cal = Calendar.from_ical(raw)
    events = list(cal.walk("VEVENT"))
    report = build_report(run_lint(sample), repository=sample.name)
    assert len(events) == len({d.key for d in report.dues}) > 10
    by_summary = {str(e["SUMMARY"]): e for e in events}
    contract = next(s for s in by_summary if "contract expires" in s)
    assert isinstance(by_summary[contract]["DTSTART"].dt, dt.date)
    uids_now = {str(e["UID"]) for e in events}
    uids_later = {str(e["UID"]) for e in Calendar.from_ical(later.read_bytes()).walk("VEVENT")}
    assert len(uids_now & uids_later) >= len(uids_now) - 2  # the same things, the same UIDs
    # the same input, the same bytes
    again = report_file(sample, tmp_path / "again.ics", "ics", "--lang", "en")
    assert again.read_bytes() == raw
