"""The report as one self-contained HTML page: inline CSS, an inline SVG chart, no scripts.

Nothing is fetched from the network (no CDN, no web fonts, no images by URL), so the file can be
archived as audit evidence and opened offline. Every text that comes from the repository or the
rule pack goes through :func:`html.escape`. A print style sheet lays the page out for paper.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TextIO

from policylint.diagnostics import printable
from policylint.report.labels import (
    event_label,
    label,
    level_label,
    reason_label,
    result_label,
    status_label,
)
from policylint.report.model import STATUSES, Due, ItemRow, Report, url

COLOURS = {
    "met": "#2e7d32",
    "excepted": "#1565c0",
    "partly": "#f9a825",
    "not-met": "#c62828",
    "no-evidence": "#9e9e9e",
    "not-assessed": "#cfd8dc",
}
COMPACT_EVIDENCE = 6
"""Above this many evidence files an item lists them as one paragraph of links..."""
LISTED_EVIDENCE = 24
"""...naming at most this many (the count of the rest follows; md and json list every one)."""
_RESULT_CLASS = {
    "pass": "met",
    "excepted": "excepted",
    "warn": "partly",
    "fail": "not-met",
    "no-evidence": "no-evidence",
    "off": "not-assessed",
}

CSS = """
:root { --fg: #1b1f23; --muted: #57606a; --line: #d0d7de; --bg-alt: #f6f8fa; }
* { box-sizing: border-box; }
body { font-family: "Hiragino Sans", "Noto Sans CJK JP", "Yu Gothic", Meiryo, system-ui,
  -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: #fff; margin: 0;
  line-height: 1.5; font-size: 14px; }
main { max-width: 1200px; margin: 0 auto; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 2px solid var(--line);
  padding-bottom: 4px; }
.meta { color: var(--muted); margin: 0 0 16px; padding: 0; list-style: none; }
.meta li { display: inline-block; margin-right: 18px; }
.cards { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0 12px; }
.card { border: 1px solid var(--line); border-left: 6px solid; border-radius: 4px;
  padding: 6px 12px; min-width: 120px; }
.card b { font-size: 22px; display: block; }
.note { color: var(--muted); font-size: 13px; border-left: 3px solid var(--line);
  padding-left: 8px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { border: 1px solid var(--line); padding: 4px 6px; vertical-align: top; text-align: left; }
th { background: var(--bg-alt); font-weight: 600; }
tbody tr:nth-child(even) { background: #fbfcfd; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.badge { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px;
  font-weight: 600; white-space: nowrap; border: 1px solid transparent; }
.s-met { background: #e8f5e9; color: #1b5e20; border-color: #2e7d32; }
.s-excepted { background: #e3f2fd; color: #0d47a1; border-color: #1565c0; }
.s-partly { background: #fff8e1; color: #6d4c00; border-color: #f9a825; }
.s-not-met { background: #ffebee; color: #8e0000; border-color: #c62828; }
.s-no-evidence { background: #f5f5f5; color: #424242; border-color: #9e9e9e; }
.s-not-assessed { background: #eceff1; color: #37474f; border-color: #90a4ae; }
ul.checks, ul.evidence { margin: 0; padding-left: 16px; }
ul.checks li, ul.evidence li { margin: 1px 0; }
.evidence-compact { margin: 0; font-size: 12px; }
table.items { table-layout: fixed; }
table.items td { overflow-wrap: anywhere; }
code { font-family: ui-monospace, "SFMono-Regular", Consolas, monospace; font-size: 12px; }
.muted { color: var(--muted); }
.reason { color: var(--muted); font-size: 12px; display: block; }
.overdue { color: #c62828; font-weight: 600; }
a { color: #0b5cad; }
svg text { font-family: inherit; }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { font-size: 10px; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  tr, .card, svg { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
  .badge { border-color: #000 !important; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def e(value: object) -> str:
    """Text for HTML: printable (:func:`printable`: one line, no control or bidi character, even
    when the page is printed to a CI log), then HTML-escaped."""
    return html.escape(printable(str(value)), quote=True)


def href(path: str, link_base: str) -> str:
    return e(url(path, link_base))


def badge(status: str, text: str) -> str:
    return f'<span class="badge s-{e(status)}">{e(text)}</span>'


def chart(report: Report) -> str:
    """A stacked bar per chapter (II.1 … II.8): how many of its items have each status."""
    lang = report.lang
    row_h, bar_h, left, width = 30, 20, 70, 560
    most = max((sum(c.counts.values()) for c in report.chapters), default=1) or 1
    unit = width / most
    legend_y = len(report.chapters) * row_h + 16
    height = legend_y + 30
    total_w = left + width + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{total_w}" '
        f'height="{height}" viewBox="0 0 {total_w} {height}" class="chart">',
        f"<title>{e(label('chapters', lang))}</title>",
    ]
    for i, ch in enumerate(report.chapters):
        y = i * row_h + 6
        parts.append(f'<text x="0" y="{y + bar_h - 5}" font-size="13">{e(ch.id)}</text>')
        x = float(left)
        for s in STATUSES:
            n = ch.counts.get(s, 0)
            if not n:
                continue
            w = n * unit
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                f'fill="{COLOURS[s]}" stroke="#fff" data-status="{e(s)}">'
                f"<title>{e(ch.id)} {e(ch.title)}: {e(status_label(s, lang))} {n}</title></rect>"
            )
            colour = "#000" if s in ("partly", "not-assessed") else "#fff"
            parts.append(
                f'<text x="{x + w / 2:.1f}" y="{y + bar_h - 5}" font-size="12" '
                f'text-anchor="middle" fill="{colour}">{n}</text>'
            )
            x += w
        if not sum(ch.counts.values()):
            parts.append(f'<text x="{left}" y="{y + bar_h - 5}" font-size="12">0</text>')
    x = 0
    for s in STATUSES:
        text = status_label(s, lang)
        parts.append(
            f'<rect x="{x}" y="{legend_y}" width="12" height="12" fill="{COLOURS[s]}"/>'
            f'<text x="{x + 16}" y="{legend_y + 11}" font-size="12">{e(text)}</text>'
        )
        x += 26 + 13 * len(text) if lang == "ja" else 26 + 7 * len(text)
    parts.append("</svg>")
    return "".join(parts)


def _due(d: Due | None, lang: str) -> str:
    if d is None:
        return '<span class="muted">—</span>'
    cls = ' class="overdue"' if d.overdue else ""
    over = f" ({e(label('overdue', lang))})" if d.overdue else ""
    return (
        f"<span{cls}>{e(d.date.isoformat())}{over}</span><br>"
        f'<span class="muted">{e(event_label(d.event, lang))}</span>'
    )


def _checks(row: ItemRow, lang: str) -> str:
    if not row.checks:
        return f'<span class="muted">{e(reason_label("no-checks", lang))}</span>'
    items = []
    for c in row.checks:
        counts = []
        if c.errors:
            counts.append(f"{e(label('errors', lang))} {c.errors}")
        if c.warnings:
            counts.append(f"{e(label('warnings', lang))} {c.warnings}")
        if c.suppressed:
            counts.append(f"{e(label('suppressed', lang))} {c.suppressed}")
        tail = f' <span class="muted">({", ".join(counts)})</span>' if counts else ""
        items.append(
            f'<li data-check="{e(c.id)}">'
            f"{badge(_RESULT_CLASS[c.result], result_label(c.result, lang))} "
            f'<code>{e(c.id)}</code> <span class="muted">{e(c.title)}</span>{tail}</li>'
        )
    if row.file_errors:
        items.append(
            f"<li>{badge('not-met', label('file_problems', lang))} "
            f"{e(label('errors', lang))} {row.file_errors}</li>"
        )
    if row.placeholders:
        items.append(
            f"<li>{badge('partly', label('placeholders', lang))} "
            f"{e(', '.join(row.placeholders))}</li>"
        )
    return f'<ul class="checks">{"".join(items)}</ul>'


def _evidence(row: ItemRow, lang: str, link_base: str) -> str:
    if not row.evidence:
        return f'<span class="muted">{e(label("none", lang))}</span>'
    if len(row.evidence) > COMPACT_EVIDENCE:
        shown = row.evidence[:LISTED_EVIDENCE]
        links = ", ".join(
            f'<a href="{href(ev.path, link_base)}" title="{e(ev.path)}">{e(ev.id or ev.path)}</a>'
            for ev in shown
        )
        rest = len(row.evidence) - len(shown)
        more = f" {e(label('more', lang).format(n=rest))}" if rest > 0 else ""
        return f'<p class="evidence-compact">{links}{more}</p>'
    items = []
    for ev in row.evidence:
        extra = (
            f' <span class="muted">({e(label("register_items", lang).format(n=ev.items))})</span>'
            if ev.register
            else ""
        )
        name = ev.id or ev.path
        items.append(
            f'<li><a href="{href(ev.path, link_base)}" title="{e(ev.path)}">{e(name)}</a> '
            f'<span class="muted">{e(ev.title if not ev.register else ev.kind)}</span>{extra}</li>'
        )
    return f'<ul class="evidence">{"".join(items)}</ul>'


def _rows(report: Report, link_base: str) -> Iterable[str]:
    lang = report.lang
    for row in report.items:
        exc = (
            f'<span class="reason">{e(label("exceptions", lang))}: '
            f"{e(', '.join(row.exceptions))}</span>"
            if row.exceptions
            else ""
        )
        iso = (
            f'<span class="reason">ISO 27001:2022 {e(", ".join(row.iso27001_2022))}</span>'
            if row.iso27001_2022
            else ""
        )
        mapped = "".join(
            f'<span class="reason">{e(m.framework)} {e(m.id)} ({e(m.relationship)}): '
            f"{e(status_label(m.status, lang))}</span>"
            for m in row.mapped
        )
        if row.note:
            exc += f'<span class="reason">{e(row.note)}</span>'
        yield (
            f'<tr class="item" id="item-{e(row.id)}" data-item="{e(row.id)}" '
            f'data-status="{e(row.status)}">'
            f"<td><b>{e(row.id)}</b></td>"
            f"<td>{e(row.title)}{iso}{mapped}</td>"
            f"<td>{e(level_label(row.level, lang))}</td>"
            f"<td>{badge(row.status, status_label(row.status, lang))}"
            f'<span class="reason">{e(reason_label(row.reason, lang))}</span>{exc}</td>'
            f"<td>{_checks(row, lang)}</td>"
            f"<td>{_evidence(row, lang, link_base)}</td>"
            f"<td>{_due(row.next_due, lang)}</td>"
            "</tr>"
        )


def render(report: Report, out: TextIO, link_base: str = "") -> None:
    lang = report.lang
    w = out.write
    title = f"{label('title', lang)}: {report.framework_title}"
    w(
        f'<!DOCTYPE html>\n<html lang="{e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="policylint {e(report.version)}">\n'
        f"<title>{e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
    )
    w(f'<h1>{e(title)}</h1>\n<ul class="meta">')
    w(
        f"<li>{e(label('framework', lang))}: {e(report.framework_title)} "
        f"({e(report.publisher)})</li>"
    )
    if report.repository:
        w(f"<li>{e(label('repository', lang))}: {e(report.repository)}</li>")
    w(f"<li>{e(label('as_of', lang))}: <time>{e(report.as_of.isoformat())}</time></li>")
    w(
        f"<li>{e(label('generated_by', lang))}: policylint {e(report.version)} "
        f"({report.files} {e(label('files_read', lang))}, "
        f"{report.checks_run} {e(label('checks_run', lang))})</li></ul>\n"
    )

    w(f'<section id="summary"><h2>{e(label("summary", lang))}</h2>\n<div class="cards">')
    for s in STATUSES:
        w(
            f'<div class="card" style="border-left-color:{COLOURS[s]}" data-status="{s}">'
            f"<b>{report.counts.get(s, 0)}</b>{e(status_label(s, lang))}</div>"
        )
    w(
        f'<div class="card" style="border-left-color:#555"><b>{report.errors} / '
        f"{report.warnings} / {report.suppressed}</b>{e(label('errors', lang))} / "
        f"{e(label('warnings', lang))} / {e(label('suppressed', lang))}</div>"
    )
    w(f'</div>\n<p class="note">{e(label("status_note", lang))}</p>\n')
    w(f"<h2>{e(label('chapters', lang))}</h2>\n<figure>{chart(report)}</figure></section>\n")

    w(f'<section id="items"><h2>{e(label("items", lang))}</h2>\n<table class="items">')
    w("<colgroup>")
    for width in (8, 13, 5, 10, 34, 20, 10):
        w(f'<col style="width:{width}%">')
    w("</colgroup><thead><tr>")
    for key in ("item", "title", "level", "status", "checks", "evidence", "next_due"):
        text = "" if key == "title" else label(key, lang)
        w(f"<th>{e(text)}</th>")
    w("</tr></thead>\n<tbody>\n")
    for line in _rows(report, link_base):
        w(line + "\n")
    w("</tbody></table></section>\n")

    section = report.approvals
    if section is not None and section.rows:
        w(f'<section id="approvals"><h2>{e(label("approvals", lang))}</h2>\n')
        w(f"<p>{e(label('approvals_history', lang))}: {e(section.statement)}</p>\n")
        w("<table><thead><tr>")
        for key in ("approval_document", "item", "approval_approved", "approval_text"):
            w(f"<th>{e(label(key, lang))}</th>")
        w(f"<th>{e(label('approval_signature', lang))}</th></tr></thead><tbody>\n")
        for r in section.rows:
            approved = " ".join(x for x in (r.approved_on, r.approved_by) if x) or "—"
            w(
                f'<tr class="approval" data-in-force="{e(r.in_force)}" '
                f'data-signature="{e(r.signature)}"><td><a href="{href(r.path, link_base)}">'
                f"{e(r.path)}</a> <code>{e(r.kind)}</code> {e(r.title)}</td>"
                f"<td>{e(r.item or '—')}</td><td>{e(approved)}</td><td>{e(r.text)}</td>"
                f"<td>{e(r.signature_text)}</td></tr>\n"
            )
        w("</tbody></table></section>\n")

    heading = label("timeline", lang).format(days=report.horizon_days)
    w(f'<section id="timeline"><h2>{e(heading)}</h2>\n')
    if not report.timeline:
        w(f"<p>{e(label('timeline_empty', lang).format(days=report.horizon_days))}</p>")
    else:
        w("<table><thead><tr>")
        for key in ("date", "in_days", "event", "item", "subject", "where"):
            w(f"<th>{e(label(key, lang))}</th>")
        w("</tr></thead><tbody>\n")
        for d in report.timeline:
            cls = ' class="overdue"' if d.overdue else ""
            w(
                f'<tr class="due" data-event="{e(d.event)}"><td{cls}>{e(d.date.isoformat())}</td>'
                f'<td class="num">{d.days}</td><td>{e(event_label(d.event, lang))}</td>'
                f"<td>{e(d.item or '—')}</td><td>{e(d.title)} "
                f'<span class="muted">({e(d.subject)})</span></td>'
                f'<td><a href="{href(d.path, link_base)}">{e(d.path)}:{d.line}</a></td></tr>\n'
            )
        w("</tbody></table>")
    w("</section>\n")

    w(f'<section id="findings"><h2>{e(label("diagnostics", lang))}</h2>\n')
    if not report.diagnostics:
        w(f"<p>{e(label('no_diagnostics', lang))}</p>")
    else:
        w("<table><thead><tr>")
        for key in ("where", "severity", "check", "message", "suppressed"):
            w(f"<th>{e(label(key, lang))}</th>")
        w("</tr></thead><tbody>\n")
        for g in report.diagnostics:
            status = (
                "excepted"
                if g.suppressed
                else ("not-met" if g.severity.value == "error" else "partly")
            )
            where = (
                f'<a href="{href(g.path, link_base)}">{e(g.place(lang))}</a>'
                if g.path is not None
                else e(g.place(lang))  # a repository-level finding that concerns no file
            )
            w(
                f'<tr class="finding"><td>{where}</td>'
                f"<td>{badge(status, g.severity.word(lang))}</td>"
                f"<td><code>{e(g.check_id)}</code></td>"
                f'<td>{e(g.message)}<br><span class="muted">{e(g.hint)}</span></td>'
                f"<td>{e(g.suppressed_by or '')}</td></tr>\n"
            )
        w("</tbody></table>")
    w("</section>\n</main>\n</body>\n</html>\n")
