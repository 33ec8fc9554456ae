"""GitHub Actions workflow commands: one annotation per diagnostic.

``::error file=PATH,line=L,col=C,title=CHECK [ITEM]::MESSAGE`` (``::warning`` for warnings), the
fix hint on the message's second line. Values are escaped as the Actions runner expects: ``%``,
``\\r``, ``\\n`` everywhere, and also ``:`` and ``,`` in properties. Suppressed findings are not
annotated (they are counted in the closing summary line).

:func:`markdown_summary` renders the job summary the CLI appends to ``$GITHUB_STEP_SUMMARY``. GitHub
renders it as Markdown with HTML: every value goes through the Markdown report's ``cell`` (made
printable, with HTML, pipes and Markdown markup escaped), never into a code span.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, TextIO

from policylint.diagnostics import Diagnostic, Severity
from policylint.report.markdown import cell
from policylint.reporters import ReportOptions
from policylint.reporters._common import counts, suppression_label

if TYPE_CHECKING:
    from policylint.engine import Result

MAX_SUMMARY_ROWS = 500


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(d: Diagnostic, options: ReportOptions) -> str:
    command = "error" if d.severity is Severity.ERROR else "warning"
    title = d.check_id + (f" [{d.item}]" if d.item else "")
    place = (
        (("file", options.path_prefix + d.path), ("line", str(d.line)), ("col", str(d.column)))
        if d.path is not None
        else ()  # a repository-level finding without a file: an annotation of the run itself
    )
    props = ",".join(f"{k}={escape_property(v)}" for k, v in (*place, ("title", title)))
    message = d.message + (f"\n{d.hint}" if options.show_hints and d.hint else "")
    return f"::{command} {props}::{escape_data(message)}"


def report(result: Result, out: TextIO, options: ReportOptions) -> None:
    for d in result.active:
        out.write(annotation(d, options) + "\n")
    c = counts(result.active)
    suppressed = len(result.diagnostics) - len(result.active)
    total = _TOTAL.get(result.lang, _TOTAL["en"])
    out.write(total.format(e=c["error"], w=c["warning"], s=suppressed) + "\n")


_TOTAL = {
    "en": "policylint: {e} error(s), {w} warning(s), {s} suppressed",
    "ja": "policylint: エラー {e} 件、警告 {w} 件、抑止 {s} 件",
}


_HEAD = {
    "en": ("policylint", "Severity", "Count", "Item", "Errors", "Warnings", "Location", "Check",
           "Message", "suppressed (exceptions or baseline)", "No problems found."),
    "ja": ("policylint", "重大度", "件数", "項目", "エラー", "警告", "場所", "検査",
           "メッセージ", "件を抑止（例外承認・ベースライン）", "問題は見つかりませんでした。"),
}  # fmt: skip


def markdown_summary(result: Result, options: ReportOptions) -> str:
    """A Markdown job summary: counts per severity and per item, then the findings."""
    h = _HEAD.get(result.lang, _HEAD["en"])
    active = result.active
    c = counts(active)
    lines = [f"## {h[0]} ({result.pack.id}, {result.repo.today.isoformat()})", ""]
    if not active:
        lines.append(h[10])
    else:
        lines += [f"| {h[1]} | {h[2]} |", "|---|---:|"]
        lines += [f"| {h[4]} | {c['error']} |", f"| {h[5]} | {c['warning']} |", ""]
        per_item: dict[str, Counter[Severity]] = {}
        for d in active:
            per_item.setdefault(d.item or "policylint", Counter())[d.severity] += 1
        lines += [f"| {h[3]} | {h[4]} | {h[5]} |", "|---|---:|---:|"]
        for item, n in sorted(per_item.items()):
            lines.append(f"| {item} | {n[Severity.ERROR]} | {n[Severity.WARNING]} |")
        lines += ["", f"| {h[1]} | {h[6]} | {h[7]} | {h[8]} |", "|---|---|---|---|"]
        for d in active[:MAX_SUMMARY_ROWS]:
            where = cell(d.place(result.lang, options.path_prefix, column=False))
            sev = d.severity.word(result.lang)
            lines.append(f"| {sev} | {where} | `{d.check_id}` | {cell(d.message)} |")
        if len(active) > MAX_SUMMARY_ROWS:
            lines.append(f"| … | | | +{len(active) - MAX_SUMMARY_ROWS} |")
    suppressed = [d for d in result.diagnostics if d.suppressed]
    if suppressed:
        lines += ["", f"{len(suppressed)} {h[9]}", ""]
        for d in suppressed[:MAX_SUMMARY_ROWS]:
            label = cell(suppression_label(result, d))
            lines.append(f"- {cell(d.place(result.lang, column=False))} `{d.check_id}`: {label}")
    return "\n".join(lines) + "\n"
