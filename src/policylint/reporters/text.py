"""Plain text for terminals and logs: ``path:line:col: SEVERITY check-id [item] message``.

Lines are sorted by path, line and column (so grouped per file, with a blank line between
files), each followed by its fix hint; a summary closes the report with counts per severity and
per guideline item. A finding covered by an exception is still listed, as ``excepted`` with the
exception's id (an auditor sees what was accepted); findings in the baseline are only counted
unless ``--show-suppressed``. Colours only when asked (the CLI: a TTY without ``NO_COLOR``, or
``--color always``).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, TextIO

from policylint.diagnostics import Diagnostic, Severity
from policylint.fixes import describe
from policylint.reporters import ReportOptions
from policylint.reporters._common import FIX_LABEL, suppression_label

if TYPE_CHECKING:
    from policylint.engine import Result

_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"

_SUMMARY = {
    "en": (
        "{errors} error(s), {warnings} warning(s) in {files} file(s) "
        "({checked} files read, {checks} checks run)"
    ),
    "ja": (
        "エラー {errors} 件、警告 {warnings} 件（{files} ファイル。"
        "{checked} ファイルを読み込み、{checks} 件の検査を実行）"
    ),
}
_CLEAN = {
    "en": "No problems found ({checked} files read, {checks} checks run)",
    "ja": "問題は見つかりませんでした（{checked} ファイルを読み込み、{checks} 件の検査を実行）",
}
_BY_ITEM = {"en": "by item: ", "ja": "項目別: "}
_SUPPRESSED = {
    "en": "{n} finding(s) suppressed by exceptions or the baseline",
    "ja": "例外承認またはベースラインにより {n} 件を抑止",
}
_EXCEPTED = {"en": "excepted", "ja": "承認済みの例外"}


def _items(d: Diagnostic) -> str:
    """``[II.4.1.1]``, or ``[II.4.1.1, A.5.9]`` when the finding serves several frameworks."""
    ids = [d.item] if d.item else []
    ids += [s.item for s in d.serves if s.item and s.item not in ids]
    return f" [{', '.join(ids)}]" if ids else ""


def format_line(d: Diagnostic, color: bool = False, lang: str = "en") -> str:
    """``path:line:col: SEVERITY check-id [item] message`` (``ERROR``/``WARNING``; in Japanese
    ``エラー``/``警告``); a finding without a file starts with "(repository)"."""
    sev = d.severity.word(lang).upper()
    item = _items(d)
    place = d.place(lang)
    if color:
        sev = f"{_COLORS[d.severity]}{_BOLD}{sev}{_RESET}"
        return f"{_BOLD}{place}:{_RESET} {sev} {d.check_id}{item} {d.message}"
    return f"{place}: {sev} {d.check_id}{item} {d.message}"


def format_suppressed(d: Diagnostic, label: str, color: bool = False, lang: str = "en") -> str:
    item = _items(d)
    text = f"{d.place(lang)}: {_EXCEPTED[lang]} {d.check_id}{item} {d.message} "
    text += f"({d.severity.word(lang)}; {label})"
    return f"{_DIM}{text}{_RESET}" if color else text


def _listed(d: Diagnostic, options: ReportOptions) -> bool:
    return not d.suppressed or d.suppressed_by != "baseline" or options.show_suppressed


def report(result: Result, out: TextIO, options: ReportOptions) -> None:
    lang = result.lang
    shown = [d for d in result.diagnostics if _listed(d, options)]
    previous: str | None = None
    for d in shown:
        if previous is not None and d.path != previous:
            out.write("\n")
        previous = d.path
        if d.suppressed:
            label = suppression_label(result, d)
            out.write(format_suppressed(d, label, options.color, lang) + "\n")
            continue
        out.write(format_line(d, options.color, lang) + "\n")
        if options.show_hints and d.hint:
            fix = f"    {FIX_LABEL[lang]}: {d.hint}"
            out.write((f"{_DIM}{fix}{_RESET}" if options.color else fix) + "\n")
        if d.fix is not None:
            safe = f"    {describe(d.fix, lang)}"
            out.write((f"{_DIM}{safe}{_RESET}" if options.color else safe) + "\n")
    if shown:
        out.write("\n")
    active = result.active
    checked = len(result.repo.sources)
    checks = sum(1 for s in result.settings.values() if s.severity is not None)
    if not active:
        out.write(_CLEAN[lang].format(checked=checked, checks=checks) + "\n")
    else:
        errors = sum(1 for d in active if d.severity is Severity.ERROR)
        files = len({d.path for d in active if d.path is not None})
        out.write(
            _SUMMARY[lang].format(
                errors=errors,
                warnings=len(active) - errors,
                files=files,
                checked=checked,
                checks=checks,
            )
            + "\n"
        )
        per_item = Counter(d.item or "policylint" for d in active)
        out.write(
            _BY_ITEM[lang] + ", ".join(f"{k} ×{v}" for k, v in sorted(per_item.items())) + "\n"
        )
    suppressed = len(result.diagnostics) - len(active)
    if suppressed:
        out.write(_SUPPRESSED[lang].format(n=suppressed) + "\n")
