"""The report as Markdown tables (for a pull request, a wiki, or a printed appendix)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from policylint.diagnostics import Diagnostic, Severity, printable
from policylint.report.labels import (
    event_label,
    label,
    level_label,
    reason_label,
    result_label,
    status_label,
)
from policylint.report.model import STATUSES, Due, ItemRow, Report, url

SHOWN_EVIDENCE = 4
"""Evidence files named in the overview table (every one is listed in the item's section)."""

_ICON = {
    "met": "✅",
    "excepted": "🟦",
    "partly": "🟨",
    "not-met": "❌",
    "no-evidence": "⬜",
    "not-assessed": "⬜",
}


def cell(text: object) -> str:
    """Text made safe for one Markdown table cell: printable (:func:`printable`), with no pipes,
    HTML or Markdown markup."""
    s = printable(str(text))
    for a, b in (
        ("\\", "\\\\"),
        ("|", "\\|"),
        ("<", "&lt;"),
        (">", "&gt;"),
        ("\r\n", " "),
        ("\n", " "),
        ("\r", " "),
        ("`", "\\`"),
        ("*", "\\*"),
        ("_", "\\_"),
        ("[", "\\["),
        ("]", "\\]"),
    ):
        s = s.replace(a, b)
    return s


def link(text: str, path: str, link_base: str) -> str:
    return f"[{cell(text)}](<{url(path, link_base)}>)"


def _severity(value: str, lang: str) -> str:
    """A configured severity (``error``, ``warning``, ``off``) in the report's language."""
    if value in ("error", "warning"):
        return Severity(value).word(lang)
    return result_label("off", lang)


def _where(d: Diagnostic, lang: str, link_base: str) -> str:
    """A link to the file and line, or "(repository)" for a finding that concerns no file."""
    if d.path is None:
        return cell(d.place(lang))
    return link(d.place(lang), d.path, link_base)


def _due_text(d: Due | None, lang: str) -> str:
    if d is None:
        return "—"
    mark = f" ⚠ {label('overdue', lang)}" if d.overdue else ""
    return f"{d.date.isoformat()} ({event_label(d.event, lang)}){mark}"


def _item_line(row: ItemRow, lang: str, link_base: str) -> str:
    checks = sum(1 for c in row.checks if c.result != "off")
    errors = sum(c.errors for c in row.checks)
    warnings = sum(c.warnings for c in row.checks)
    suppressed = sum(c.suppressed for c in row.checks)
    shown = [link(e.id or e.path, e.path, link_base) for e in row.evidence[:SHOWN_EVIDENCE]]
    rest = len(row.evidence) - len(shown)
    evidence = ", ".join(shown) + (f" (+{rest})" if rest > 0 else "") if shown else "—"
    status = f"{_ICON[row.status]} {status_label(row.status, lang)}"
    return (
        f"| {row.id} | {cell(row.title)} | {level_label(row.level, lang)} | {status} | "
        f"{checks}/{len(row.checks)} | {errors} | {warnings} | {suppressed} | {evidence} | "
        f"{cell(_due_text(row.next_due, lang))} |"
    )


def _approvals(report: Report, w: Callable[[str], object], link_base: str) -> None:
    section = report.approvals
    if section is None or not section.rows:
        return
    lang = report.lang
    w(f"## {label('approvals', lang)}\n\n")
    w(f"{label('approvals_history', lang)}: {cell(section.statement)}\n\n")
    w(
        f"| {label('approval_document', lang)} | {label('item', lang)} | "
        f"{label('approval_approved', lang)} | {label('approval_text', lang)} | "
        f"{label('approval_signature', lang)} |\n|---|---|---|---|---|\n"
    )
    for r in section.rows:
        approved = " ".join(x for x in (r.approved_on, r.approved_by) if x) or "—"
        w(
            f"| {link(r.path, r.path, link_base)} `{r.kind}` {cell(r.title)} | {r.item or '—'} | "
            f"{cell(approved)} | {cell(r.text)} | {cell(r.signature_text)} |\n"
        )
    w("\n")


def render(report: Report, out: TextIO, link_base: str = "") -> None:
    lang = report.lang
    w = out.write
    w(f"# {label('title', lang)}: {cell(report.framework_title)}\n\n")
    w(f"- {label('framework', lang)}: {cell(report.framework_title)} ({cell(report.publisher)})\n")
    if report.repository:
        w(f"- {label('repository', lang)}: {cell(report.repository)}\n")
    w(f"- {label('as_of', lang)}: {report.as_of.isoformat()}\n")
    w(
        f"- {label('generated_by', lang)}: policylint {report.version} "
        f"({report.files} {label('files_read', lang)}, "
        f"{report.checks_run} {label('checks_run', lang)})\n\n"
    )

    w(f"## {label('summary', lang)}\n\n")
    w(f"| {label('status', lang)} | {label('items', lang)} |\n|---|---:|\n")
    for s in STATUSES:
        w(f"| {_ICON[s]} {status_label(s, lang)} | {report.counts.get(s, 0)} |\n")
    w(
        f"\n{label('errors', lang)}: {report.errors} · {label('warnings', lang)}: "
        f"{report.warnings} · {label('suppressed', lang)}: {report.suppressed}\n\n"
    )
    w(f"> {label('status_note', lang)}\n\n")

    w(f"## {label('chapters', lang)}\n\n")
    heads = " | ".join(status_label(s, lang) for s in STATUSES)
    w(f"| {label('item', lang)} | {heads} |\n|---|" + "---:|" * len(STATUSES) + "\n")
    for ch in report.chapters:
        counts = " | ".join(str(ch.counts.get(s, 0)) for s in STATUSES)
        w(f"| {ch.id} {cell(ch.title)} | {counts} |\n")
    w("\n")

    w(f"## {label('items', lang)}\n\n")
    w(
        f"| {label('item', lang)} | | {label('level', lang)} | {label('status', lang)} | "
        f"{label('checks', lang)} | {label('errors', lang)} | {label('warnings', lang)} | "
        f"{label('suppressed', lang)} | {label('evidence', lang)} | {label('next_due', lang)} |\n"
    )
    w("|---|---|---|---|---:|---:|---:|---:|---|---|\n")
    for row in report.items:
        w(_item_line(row, lang, link_base) + "\n")
    w("\n")

    for row in report.items:
        w(f"### {row.id} {cell(row.title)}\n\n")
        w(
            f"**{label('status', lang)}:** {_ICON[row.status]} {status_label(row.status, lang)} "
            f"— {reason_label(row.reason, lang)}"
        )
        if row.iso27001_2022 and not row.mapped:
            w(f" · {label('iso', lang)}: {cell(', '.join(row.iso27001_2022))}")
        w("\n\n")
        if row.note:
            w(f"{cell(row.note)}\n\n")
        if row.mapped:
            w(f"{label('mapped', lang)}:\n\n")
            for m in row.mapped:
                w(
                    f"- {m.framework} {m.id} {cell(m.title)} ({m.relationship}): "
                    f"{_ICON[m.status]} {status_label(m.status, lang)}\n"
                )
            w("\n")
        if row.checks:
            w(
                f"| {label('check', lang)} | {label('severity', lang)} | {label('result', lang)} "
                f"| {label('errors', lang)} | {label('warnings', lang)} | "
                f"{label('suppressed', lang)} | {label('examined', lang)} |\n"
            )
            w("|---|---|---|---:|---:|---:|---:|\n")
            for c in row.checks:
                examined = "—" if c.examined is None else str(c.examined)
                w(
                    f"| `{c.id}` {cell(c.title)} | {_severity(c.severity, lang)} | "
                    f"{result_label(c.result, lang)} | {c.errors} | {c.warnings} | "
                    f"{c.suppressed} | {examined} |\n"
                )
            w("\n")
        if row.file_errors:
            w(f"{label('file_problems', lang)}: {row.file_errors}\n\n")
        if row.exceptions:
            w(f"{label('exceptions', lang)}: {cell(', '.join(row.exceptions))}\n\n")
        if row.placeholders:
            shown = ", ".join(link(p, p, link_base) for p in row.placeholders)
            w(f"{label('placeholders', lang)}: {shown}\n\n")
        if row.evidence:
            w(f"{label('evidence', lang)}:\n\n")
            for e in row.evidence:
                extra = (
                    " (" + label("register_items", lang).format(n=e.items) + ")"
                    if e.register
                    else ""
                )
                w(f"- {link(e.path, e.path, link_base)} — `{e.kind}` {cell(e.title)}{extra}\n")
            w("\n")

    _approvals(report, w, link_base)

    w(f"## {label('timeline', lang).format(days=report.horizon_days)}\n\n")
    if not report.timeline:
        w(label("timeline_empty", lang).format(days=report.horizon_days) + "\n\n")
    else:
        w(
            f"| {label('date', lang)} | {label('in_days', lang)} | {label('event', lang)} | "
            f"{label('item', lang)} | {label('subject', lang)} | {label('where', lang)} |\n"
        )
        w("|---|---:|---|---|---|---|\n")
        for d in report.timeline:
            mark = f" ⚠ {label('overdue', lang)}" if d.overdue else ""
            w(
                f"| {d.date.isoformat()}{mark} | {d.days} | {event_label(d.event, lang)} | "
                f"{d.item or '—'} | {cell(d.title)} ({cell(d.subject)}) | "
                f"{link(f'{d.path}:{d.line}', d.path, link_base)} |\n"
            )
        w("\n")

    w(f"## {label('diagnostics', lang)}\n\n")
    if not report.diagnostics:
        w(label("no_diagnostics", lang) + "\n")
        return
    w(
        f"| {label('where', lang)} | {label('severity', lang)} | {label('check', lang)} | "
        f"{label('message', lang)} | {label('suppressed', lang)} |\n"
    )
    w("|---|---|---|---|---|\n")
    for g in report.diagnostics:
        w(
            f"| {_where(g, lang, link_base)} | {g.severity.word(lang)} | "
            f"`{g.check_id}` | {cell(g.message)} | {cell(g.suppressed_by or '')} |\n"
        )
