"""The report as JSON: the documented structure of ``schemas/report.schema.json``."""

from __future__ import annotations

from typing import Any, TextIO

from policylint.diagnostics import dump_json
from policylint.report.model import CheckRow, Due, Evidence, ItemRow, Report

SCHEMA_ID = "policylint-report/1"


def _due(d: Due) -> dict[str, Any]:
    return {
        "date": d.date.isoformat(),
        "days": d.days,
        "overdue": d.overdue,
        "event": d.event,
        "item": d.item,
        "subject": d.subject,
        "title": d.title,
        "path": d.path,
        "line": d.line,
    }


def _check(c: CheckRow) -> dict[str, Any]:
    return {
        "id": c.id,
        "title": c.title,
        "severity": c.severity,
        "default_severity": c.default_severity,
        "basis": c.basis,
        "result": c.result,
        "errors": c.errors,
        "warnings": c.warnings,
        "suppressed": c.suppressed,
        "examined": c.examined,
        "kinds": list(c.kinds),
    }


def _evidence(e: Evidence) -> dict[str, Any]:
    return {
        "kind": e.kind,
        "path": e.path,
        "id": e.id,
        "title": e.title,
        "register": e.register,
        "items": e.items,
    }


def _item(row: ItemRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "chapter": row.chapter,
        "level": row.level,
        "title": row.title,
        "status": row.status,
        "reason": row.reason,
        "checks": [_check(c) for c in row.checks],
        "evidence": [_evidence(e) for e in row.evidence],
        "file_errors": row.file_errors,
        "exceptions": list(row.exceptions),
        "placeholders": list(row.placeholders),
        "next_due": _due(row.next_due) if row.next_due is not None else None,
        "iso27001_2022": list(row.iso27001_2022),
        "note": row.note or None,
        "mapped": [
            {
                "framework": m.framework,
                "id": m.id,
                "title": m.title,
                "relationship": m.relationship,
                "status": m.status,
            }
            for m in row.mapped
        ],
    }


def _approvals(report: Report) -> dict[str, Any] | None:
    section = report.approvals
    if section is None:
        return None
    return {
        "history": section.history,
        "statement": section.statement,
        "signed": section.signed,
        "documents": [
            {
                "path": r.path,
                "id": r.id,
                "kind": r.kind,
                "title": r.title,
                "item": r.item,
                "approved_on": r.approved_on,
                "approved_by": r.approved_by,
                "in_force": r.in_force,
                "text": r.text,
                "commit": r.commit,
                "signature": r.signature,
                "signed_by": r.signed_by,
                "signature_text": r.signature_text,
            }
            for r in section.rows
        ],
    }


def to_dict(report: Report) -> dict[str, Any]:
    return {
        "schema": SCHEMA_ID,
        "tool": {"name": "policylint", "version": report.version},
        "framework": {
            "id": report.framework_id,
            "title": report.framework_title,
            "publisher": report.publisher,
        },
        "repository": report.repository,
        "as_of": report.as_of.isoformat(),
        "lang": report.lang,
        "horizon_days": report.horizon_days,
        "summary": {
            "items": len(report.items),
            "by_status": dict(report.counts),
            "errors": report.errors,
            "warnings": report.warnings,
            "suppressed": report.suppressed,
            "files": report.files,
            "checks_run": report.checks_run,
        },
        "chapters": [
            {"id": c.id, "title": c.title, "by_status": dict(c.counts)} for c in report.chapters
        ],
        "items": [_item(r) for r in report.items],
        "timeline": [_due(d) for d in report.timeline],
        "approvals": _approvals(report),
        "diagnostics": [
            {
                "path": d.path,
                "line": d.line if d.path is not None else None,
                "column": d.column if d.path is not None else None,
                "check_id": d.check_id,
                "item": d.item,
                "severity": d.severity.value,
                "message": d.message,
                "hint": d.hint,
                "target": d.target,
                "suppressed_by": d.suppressed_by,
            }
            for d in report.diagnostics
        ],
    }


def render(report: Report, out: TextIO, link_base: str = "") -> None:
    out.write(dump_json(to_dict(report)))
