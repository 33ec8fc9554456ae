"""Machine-readable output: one JSON document, described by ``schemas/output.schema.json``.

The document is versioned (``version``, currently 1; a new major version means an incompatible
change, fields may be added within a version). It holds the tool and rule pack, the date the run
was evaluated at, the language, summary counts of the diagnostics that count (not suppressed),
and every diagnostic, suppressed ones included, in the engine's order (path, line, column,
check). Keys are written in a fixed order, so the same input gives byte-identical output.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, TextIO

from policylint import __version__
from policylint.baseline import fingerprints
from policylint.diagnostics import dump_json, printable
from policylint.fixes import Fix, describe
from policylint.reporters import ReportOptions
from policylint.reporters._common import counts, enabled_checks, fails, suppression_reason
from policylint.rulepack import tr

if TYPE_CHECKING:
    from policylint.engine import Result

OUTPUT_VERSION = 1


def document(result: Result, options: ReportOptions) -> dict[str, Any]:
    diags = result.diagnostics
    active = result.active
    per_item: dict[str, Counter[str]] = {}
    for d in active:
        per_item.setdefault(d.item or "policylint", Counter())[d.severity.value] += 1
    framework = result.pack.framework
    return {
        "version": OUTPUT_VERSION,
        "tool": {"name": "policylint", "version": __version__},
        "framework": {"id": result.pack.id, "title": tr(framework.get("title"), result.lang)},
        "frameworks": [
            {"id": str(f.get("id", "")), "title": tr(f.get("title"), result.lang)}
            for f in result.pack.frameworks or (framework,)
        ],
        "as_of": result.repo.today.isoformat(),
        "lang": result.lang,
        "summary": {
            **counts(active),
            "suppressed": len(diags) - len(active),
            "failed": any(fails(d, options.threshold) for d in diags),
            "threshold": options.threshold.value,
            "files_read": len(result.repo.sources),
            "files_with_findings": len({d.path for d in active if d.path is not None}),
            "checks_run": len(enabled_checks(result)),
            "by_item": {
                item: {"error": c["error"], "warning": c["warning"]}
                for item, c in sorted(per_item.items())
            },
        },
        "diagnostics": [
            {
                "path": d.path,
                "line": d.line if d.path is not None else None,
                "column": d.column if d.path is not None else None,
                "check": d.check_id,
                "item": d.item,
                "severity": d.severity.value,
                "message": d.message,
                "hint": d.hint,
                "target": d.target,
                "suppressed": d.suppressed,
                "suppressed_by": d.suppressed_by,
                "justification": suppression_reason(result, d) or None,
                "fingerprint": fp,
                "serves": [
                    {"framework": s.framework, "item": s.item, "check": s.check} for s in d.serves
                ],
                "fix": _fix(d.fix, result.lang) if d.fix is not None else None,
            }
            for d, fp in zip(diags, fingerprints(diags), strict=True)
        ],
    }


def report(result: Result, out: TextIO, options: ReportOptions) -> None:
    out.write(dump_json(document(result, options)))


def _fix(fix: Fix, lang: str) -> dict[str, Any]:
    e = fix.edit
    return {
        "description": describe(fix, lang),
        "edits": [
            {
                "path": fix.file,
                "line": e.line,
                "column": e.column,
                "end_line": e.end_line,
                "end_column": e.end_column,
                "old": printable(e.old),
                "new": printable(e.new),
            }
        ],
    }
