"""What several reporters share: rule descriptions, exception reasons, counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from policylint.diagnostics import Diagnostic, Severity, printable
from policylint.rulepack import CheckDef, tr

if TYPE_CHECKING:
    from policylint.engine import Result

HELP_BASE = "https://policylint.dev/checks/"
"""Documentation of a check: ``HELP_BASE + check id``."""

_EXCEPTED = {"en": "excepted by {id}", "ja": "例外 {id} により承認済み"}
_BASELINED = {"en": "in the baseline", "ja": "ベースラインに記録済み"}


def help_uri(check_id: str) -> str:
    return HELP_BASE + check_id


def check_title(check: CheckDef, lang: str) -> str:
    return tr(check.title, lang) or check.id


def check_description(result: Result, check: CheckDef, lang: str) -> str:
    """A full description: the guideline item, the check's title and what it verifies."""
    title = check_title(check, lang)
    what = tr(check.doc.get("what"), lang) if isinstance(check.doc.get("what"), dict) else ""
    parts = []
    if check.item is not None:
        item = result.pack.items.get(check.item)
        item_title = tr(item.title, lang) if item is not None else ""
        parts.append(f"{check.item} {item_title}".strip() + ":")
    parts.append(title if title.endswith((".", "。")) else title + ("。" if lang == "ja" else "."))
    if what:
        parts.append(what)
    return " ".join(parts)


def suppression_reason(result: Result, d: Diagnostic) -> str:
    """Why a suppressed diagnostic is suppressed: the exception's reason, or the baseline (the
    reason as written: text reporters pass it through :func:`printable`)."""
    if d.suppressed_by is None:
        return ""
    if d.suppressed_by == "baseline":
        return tr(_BASELINED, result.lang)
    exc = result.repo.find(d.suppressed_by, "exceptions")
    reason = exc.text("reason") if exc is not None else None
    if reason:
        return reason.strip()
    return tr(_EXCEPTED, result.lang).format(id=printable(d.suppressed_by))


def suppression_label(result: Result, d: Diagnostic) -> str:
    """A short label for text outputs: ``excepted by exc-1`` or ``in the baseline``."""
    if d.suppressed_by is None:
        return ""
    if d.suppressed_by == "baseline":
        return tr(_BASELINED, result.lang)
    return tr(_EXCEPTED, result.lang).format(id=printable(d.suppressed_by))


def counts(diagnostics: Iterable[Diagnostic]) -> dict[str, int]:
    c = Counter(d.severity for d in diagnostics)
    return {"error": c[Severity.ERROR], "warning": c[Severity.WARNING]}


def fails(d: Diagnostic, threshold: Severity) -> bool:
    return not d.suppressed and d.severity.rank >= threshold.rank


def enabled_checks(result: Result) -> list[CheckDef]:
    return [s.check for s in result.settings.values() if s.severity is not None]


FIX_LABEL = {"en": "fix", "ja": "対処"}
"""The word that introduces a finding's fix hint in the text formats."""
