"""SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.

- ``tool.driver.rules`` lists every check of the rule pack (in pack order) with its title,
  a full description naming the guideline item, the fix hint as help, a ``helpUri`` and its
  configured level (``enabled: false`` for checks turned off by configuration or selection).
- Each diagnostic is a result with ``ruleId``/``ruleIndex``, ``level``, the message, a physical
  location (repository-relative ``uri`` with ``uriBaseId: %SRCROOT%``, 1-based line and column)
  and ``partialFingerprints`` (``policylint/v1``: check id + target id or path + discriminator,
  independent of lines; see :mod:`policylint.baseline`). A repository-level finding points at
  the configuration file when there is one; otherwise its location is only a logical one
  (``repository``): no file is concerned, and none is invented.
- Findings covered by an exception or by the baseline are results with ``suppressions``
  (``kind: external``; the justification is the exception's reason).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, TextIO

from policylint import __version__
from policylint.baseline import FINGERPRINT_KEY, fingerprints
from policylint.diagnostics import Diagnostic, dump_json
from policylint.fixes import Fix, describe
from policylint.reporters import ReportOptions
from policylint.reporters._common import (
    check_description,
    check_title,
    help_uri,
    suppression_reason,
)
from policylint.rulepack import CheckDef, tr

if TYPE_CHECKING:
    from policylint.engine import Result

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
INFORMATION_URI = "https://policylint.dev/"


def rule_name(check: CheckDef) -> str:
    """``II.4.1.1/asset-owner`` → ``AssetOwner`` (SARIF names are identifiers, not ids)."""
    slug = check.id.rsplit("/", 1)[-1]
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", slug))


def _rule(result: Result, check: CheckDef) -> dict[str, Any]:
    lang = result.lang
    setting = result.settings.get(check.id)
    severity = setting.severity if setting is not None else check.severity
    rule: dict[str, Any] = {
        "id": check.id,
        "name": rule_name(check),
        "shortDescription": {"text": check_title(check, lang)},
        "fullDescription": {"text": check_description(result, check, lang)},
        "helpUri": help_uri(check.id),
        "defaultConfiguration": (
            {"level": severity.value}
            if severity is not None
            else {"level": check.severity.value, "enabled": False}
        ),
        "properties": {
            "tags": ["governance", "compliance", check.item or "policylint"],
            "item": check.item,
        },
    }
    hint = tr(check.hint, lang)
    if hint and "{" not in hint:  # a hint with placeholders only makes sense on a finding
        rule["help"] = {"text": hint}
    return rule


def _location(d: Diagnostic, options: ReportOptions) -> dict[str, Any]:
    """The file, line and column; for a repository-level finding without a file, only a
    logical location naming the repository (SARIF 2.1.0 §3.28: a location needs neither)."""
    if d.path is None:
        return {"logicalLocations": [{"name": "repository", "kind": "module"}]}
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": options.path_prefix + d.path, "uriBaseId": SRCROOT},
            "region": {"startLine": max(d.line, 1), "startColumn": max(d.column, 1)},
        }
    }


def document(result: Result, options: ReportOptions) -> dict[str, Any]:
    checks = result.pack.all_checks()
    index = {c.id: i for i, c in enumerate(checks)}
    results: list[dict[str, Any]] = []
    diags = result.diagnostics
    for d, fp in zip(diags, fingerprints(diags), strict=True):
        text = d.message if not d.hint else f"{d.message}\n{d.hint}"
        res: dict[str, Any] = {
            "ruleId": d.check_id,
            "ruleIndex": index[d.check_id],
            "level": d.severity.value,
            "message": {"text": text},
            "locations": [_location(d, options)],
            "partialFingerprints": {FINGERPRINT_KEY: fp},
        }
        if d.target is not None or d.item is not None:
            res["properties"] = {"target": d.target, "item": d.item}
        if len(d.serves) > 1:
            res.setdefault("properties", {})["serves"] = [
                {"framework": s.framework, "item": s.item, "check": s.check} for s in d.serves
            ]
        if d.fix is not None:
            res["fixes"] = [_fix(d.fix, result.lang, options.path_prefix)]
        if d.suppressed_by is not None:
            res["suppressions"] = [
                {
                    "kind": "external",
                    "status": "accepted",
                    "justification": suppression_reason(result, d),
                    "properties": {"suppressedBy": d.suppressed_by},
                }
            ]
        results.append(res)
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "policylint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule(result, c) for c in checks],
                        "properties": {
                            "framework": result.pack.id,
                            "frameworks": list(result.pack.ids),
                        },
                    }
                },
                "automationDetails": {"id": f"policylint/{result.pack.id}/"},
                "columnKind": "unicodeCodePoints",
                "language": result.lang,
                "originalUriBaseIds": {
                    SRCROOT: {"description": {"text": "The root of the checked-out repository."}}
                },
                "properties": {"asOf": result.repo.today.isoformat()},
                "results": results,
            }
        ],
    }


def report(result: Result, out: TextIO, options: ReportOptions) -> None:
    out.write(dump_json(document(result, options)))


def _fix(fix: Fix, lang: str, prefix: str) -> dict[str, Any]:
    e = fix.edit
    region = {
        "startLine": e.line,
        "startColumn": e.column,
        "endLine": e.end_line,
        "endColumn": e.end_column,
    }
    return {
        "description": {"text": describe(fix, lang)},
        "artifactChanges": [
            {
                "artifactLocation": {"uri": prefix + fix.file, "uriBaseId": SRCROOT},
                "replacements": [
                    {"deletedRegion": region, "insertedContent": {"text": fix.edit.new}}
                ],
            }
        ],
    }
