"""The compliance report as an Excel workbook: what an auditor asks for.

Sheets: the guideline items (item, title, level, status, checks, evidence, next due date), the
findings, what falls due, and one sheet per register of the repository. Every sheet has a
frozen header row, an auto filter and column widths fitted to its text. Built from the
:class:`~policylint.report.Report` only.

Deterministic: the same report gives the same bytes. The workbook's creation and modification
times are the report's date, and the zip archive's entries carry a fixed timestamp.

Hostile values stay text: a register value such as ``=HYPERLINK(…)`` is written as a string
cell, never as a formula, and control characters are shown as escapes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from policylint.diagnostics import printable
from policylint.report.labels import (
    event_label,
    label,
    level_label,
    result_label,
    status_label,
)
from policylint.report.model import Report

MAX_WIDTH = 60
MIN_WIDTH = 6
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")

_WORDS = {
    "en": {
        "items": "Items",
        "findings": "Findings",
        "due": "Due dates",
        "title": "Title",
        "path": "File",
        "line": "Line",
        "column": "Column",
        "fix": "Fix",
        "excepted_by": "Excepted by",
        "days": "Days",
        "reason": "Reason",
        "register": "register",
        "approvals": "Approvals",
        "commit": "Approval commit",
        "signed_by": "Signed by",
    },
    "ja": {
        "items": "項目",
        "findings": "指摘事項",
        "due": "期限",
        "title": "項目名",
        "path": "ファイル",
        "line": "行",
        "column": "列",
        "fix": "対処",
        "excepted_by": "適用された例外",
        "days": "残日数",
        "reason": "理由",
        "register": "台帳",
        "approvals": "承認",
        "commit": "承認コミット",
        "signed_by": "署名者",
    },
}


def _w(key: str, lang: str) -> str:
    return _WORDS["ja" if lang == "ja" else "en"][key]


def _text(value: Any) -> Any:
    if isinstance(value, str):
        return printable(value)
    return value


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    text = str(value)
    longest = 0
    for line in text.split("\n"):
        w = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
        longest = max(longest, w)
    return longest


def _sheet(wb: Workbook, name: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    ws: Worksheet = wb.create_sheet(_sheet_name(wb, name))
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDDDDD")
    widths = [_width(h) for h in header]
    for c, name_ in enumerate(header, 1):
        cell = ws.cell(row=1, column=c, value=printable(name_))
        cell.font = bold
        cell.fill = fill
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(rows, 2):
        for c, value in enumerate(row, 1):
            value = _text(value)
            target = ws.cell(row=r, column=c)
            if isinstance(value, str):
                target.value = value
                target.data_type = "s"  # never a formula, whatever the text starts with
                if "\n" in value:
                    target.alignment = wrap
            else:
                target.value = value
                if isinstance(value, dt.date):
                    target.number_format = "yyyy-mm-dd"
            widths[c - 1] = max(widths[c - 1], _width(value))
    ws.freeze_panes = "A2"
    last = get_column_letter(max(len(header), 1))
    ws.auto_filter.ref = f"A1:{last}{max(len(rows) + 1, 1)}"
    for c, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = min(max(w + 2, MIN_WIDTH), MAX_WIDTH)


def _sheet_name(wb: Workbook, name: str) -> str:
    base = _SHEET_BAD.sub("_", printable(name)).strip("'")[:31] or "sheet"
    taken = {s.casefold() for s in wb.sheetnames}
    candidate, n = base, 2
    while candidate.casefold() in taken:
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
        n += 1
    return candidate


def build_workbook(report: Report) -> Workbook:
    lang = report.lang
    wb = Workbook()
    default = wb.active
    if default is not None:
        wb.remove(default)
    moment = dt.datetime.combine(report.as_of, dt.time())
    wb.properties.created = moment
    wb.properties.modified = moment
    wb.properties.creator = "policylint"
    wb.properties.title = label("title", lang)

    item_rows = []
    for item in report.items:
        checks = "\n".join(f"{c.id}: {result_label(c.result, lang)}" for c in item.checks)
        evidence = "\n".join(e.path + (f" ({e.id})" if e.id else "") for e in item.evidence)
        item_rows.append(
            [
                item.id,
                item.title,
                level_label(item.level, lang),
                status_label(item.status, lang),
                checks,
                evidence,
                item.next_due.date if item.next_due else None,
            ]
        )
    _sheet(
        wb,
        _w("items", lang),
        [
            label("item", lang),
            _w("title", lang),
            label("level", lang),
            label("status", lang),
            label("checks", lang),
            label("evidence", lang),
            label("next_due", lang),
        ],
        item_rows,
    )

    finding_rows = [
        [
            d.path if d.path is not None else d.place(lang),
            d.line if d.path is not None else None,
            d.column if d.path is not None else None,
            d.severity.word(lang),
            d.check_id,
            d.item or "",
            d.message,
            d.hint,
            d.suppressed_by or "",
        ]
        for d in report.diagnostics
    ]
    _sheet(
        wb,
        _w("findings", lang),
        [
            _w("path", lang),
            _w("line", lang),
            _w("column", lang),
            label("severity", lang),
            label("check", lang),
            label("item", lang),
            label("message", lang),
            _w("fix", lang),
            _w("excepted_by", lang),
        ],
        finding_rows,
    )

    due_rows = [
        [d.date, d.days, event_label(d.event, lang), d.item or "", d.subject, d.title, d.path]
        for d in report.dues
    ]
    _sheet(
        wb,
        _w("due", lang),
        [
            label("date", lang),
            label("in_days", lang),
            label("event", lang),
            label("item", lang),
            label("subject", lang),
            _w("title", lang),
            _w("path", lang),
        ],
        due_rows,
    )

    approvals = report.approvals
    if approvals is not None and approvals.rows:
        _sheet(
            wb,
            _w("approvals", lang),
            [
                label("approval_document", lang),
                "kind",
                "id",
                label("item", lang),
                "approved_on",
                "approved_by",
                label("approval_text", lang),
                _w("commit", lang),
                label("approval_signature", lang),
                _w("signed_by", lang),
            ],
            [
                [
                    r.path,
                    r.kind,
                    r.id or "",
                    r.item or "",
                    r.approved_on,
                    r.approved_by,
                    r.text,
                    r.commit or "",
                    r.signature_text,
                    r.signed_by or "",
                ]
                for r in approvals.rows
            ],
        )

    for table in report.registers:
        rows = [list(row) for row in table.rows]
        _sheet(wb, table.kind, list(table.columns), rows)
    return wb


def render_bytes(report: Report) -> bytes:
    """The workbook as bytes, the same for the same report."""
    raw = io.BytesIO()
    build_workbook(report).save(raw)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" when saving
                data = _MODIFIED.sub(
                    rb"\g<1>" + report.as_of.isoformat().encode() + rb"T00:00:00Z\g<2>", data
                )
            dst.writestr(fixed, data)
    return out.getvalue()
