"""Fingerprints of diagnostics, and baselines built from them.

A *fingerprint* identifies a finding across runs without depending on where it sits or how it
is worded. It hashes:

- the check id;
- the target: the id of the document or register item concerned, or, when there is none, the
  repository-relative path of the file;
- the diagnostic's *discriminator*: the message key and the field concerned (never the rendered
  message, which depends on ``--lang`` and on dates);

and then appends the finding's occurrence number among diagnostics with the same hash, in
output order (``…:0``, ``…:1``). Lines and columns are not part of it, so edits that move a
finding keep its fingerprint; renaming a file keeps the fingerprints of findings about
documents and items (they are keyed on ids).

A *baseline* is a file of fingerprints (``policylint check --write-baseline FILE``). With
``--baseline FILE``, a finding whose fingerprint is listed is shown as suppressed
(``suppressed_by = "baseline"``); every other finding counts as usual. Entries that no longer
match anything are ignored. The file is JSON::

    {
      "policylint_baseline": 1,
      "framework": "mic-asp-saas-2008",
      "findings": [
        {"fingerprint": "3f0c…:0", "check": "II.4.1.1/asset-cia", "target": "as-crm",
         "path": "registers/assets.yaml", "message": "…"}
      ]
    }

``policylint_baseline`` is the format version (1). Only ``fingerprint`` is used for matching;
the other fields are there for the people who review the file. Entries are sorted, and the file
holds no timestamps, so regenerating it gives a minimal diff.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from policylint.diagnostics import Diagnostic
from policylint.errors import UsageError
from policylint.loader import FileRefused, read_bounded

FORMAT_VERSION = 1
MAX_BASELINE_BYTES = 256 * 1024 * 1024
"""Largest baseline read (a million findings are about 250 MB): a link to ``/dev/zero``, a FIFO or
a huge file is refused before it is read."""
SUPPRESSED_BY = "baseline"
FINGERPRINT_KEY = "policylint/v1"
"""The key of policylint's fingerprint in SARIF ``partialFingerprints``."""


def _base(d: Diagnostic) -> str:
    anchor = d.target if d.target else (f"path:{d.path}" if d.path is not None else "repository")
    text = "\x1f".join((d.check_id, anchor, d.discriminator))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def fingerprints(diagnostics: Sequence[Diagnostic]) -> list[str]:
    """The fingerprint of each diagnostic, in the same order.

    Give the whole list of a run (suppressed ones included): the occurrence numbers are counted
    over it, in its (sorted) order.
    """
    seen: dict[str, int] = {}
    out: list[str] = []
    for d in diagnostics:
        base = _base(d)
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.append(f"{base}:{n}")
    return out


def baseline_document(diagnostics: Sequence[Diagnostic], framework: str) -> dict[str, Any]:
    """The baseline of a run: every finding not already covered by an exception."""
    entries = [
        {
            "fingerprint": fp,
            "check": d.check_id,
            "target": d.target,
            "path": d.path,
            "message": d.message,
        }
        for d, fp in zip(diagnostics, fingerprints(diagnostics), strict=True)
        if d.suppressed_by is None or d.suppressed_by == SUPPRESSED_BY
    ]
    entries.sort(key=lambda e: (str(e["check"]), str(e["target"] or ""), str(e["fingerprint"])))
    return {"policylint_baseline": FORMAT_VERSION, "framework": framework, "findings": entries}


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def write_baseline(path: Path, diagnostics: Sequence[Diagnostic], framework: str) -> int:
    """Write the baseline file; return how many findings it holds."""
    document = baseline_document(diagnostics, framework)
    try:
        path.write_text(dumps(document), encoding="utf-8", newline="\n")
    except OSError as exc:
        raise UsageError(f"{path}: cannot write the baseline ({exc.strerror})") from None
    return len(document["findings"])


def read_baseline(path: Path) -> frozenset[str]:
    """The fingerprints of a baseline file; a malformed file is a usage error."""
    if not path.exists() and not path.is_symlink():
        raise UsageError(
            f"{path}: baseline file not found (create it with --write-baseline)",
            ja=f"{path}: ベースラインファイルがありません（--write-baseline で作成してください）",
        )
    try:
        text = read_bounded(path, MAX_BASELINE_BYTES).decode("utf-8")
    except FileRefused as refused:
        raise UsageError(
            f"{path}: the baseline {refused.describe('en')}",
            ja=f"{path}: ベースラインは{refused.describe('ja')}",
        ) from None
    except UnicodeDecodeError:
        raise UsageError(
            f"{path}: the baseline is not UTF-8 text",
            ja=f"{path}: ベースラインが UTF-8 ではありません",
        ) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{path}:{exc.lineno}: the baseline is not valid JSON ({exc.msg})",
            ja=f"{path}:{exc.lineno}: ベースラインが正しい JSON ではありません（{exc.msg}）",
        ) from None
    except RecursionError:
        raise UsageError(
            f"{path}: the baseline is not a policylint baseline (its JSON nests too deeply)",
            ja=f"{path}: policylint のベースラインではありません（JSON の入れ子が深すぎます）",
        ) from None
    except ValueError as exc:  # a number of more than 4,300 digits
        raise UsageError(
            f"{path}: the baseline is not a policylint baseline ({exc})",
            ja=f"{path}: policylint のベースラインではありません（{exc}）",
        ) from None
    if not isinstance(document, dict) or "policylint_baseline" not in document:
        raise UsageError(f"{path}: not a policylint baseline (no 'policylint_baseline' version)")
    version = document["policylint_baseline"]
    if version != FORMAT_VERSION:
        raise UsageError(
            f"{path}: baseline format version {version!r} is not supported "
            f"(this policylint reads version {FORMAT_VERSION})"
        )
    findings = document.get("findings")
    if not isinstance(findings, list):
        raise UsageError(f"{path}: 'findings' must be a list")
    out: set[str] = set()
    for i, entry in enumerate(findings):
        fp = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(fp, str) or not fp:
            raise UsageError(f"{path}: findings[{i}] has no fingerprint")
        out.add(fp)
    return frozenset(out)


def apply_baseline(diagnostics: Iterable[Diagnostic], known: frozenset[str]) -> list[Diagnostic]:
    """Mark the findings listed in the baseline as suppressed by it (exceptions take precedence)."""
    diags = list(diagnostics)
    out: list[Diagnostic] = []
    for d, fp in zip(diags, fingerprints(diags), strict=True):
        if d.suppressed_by is None and fp in known:
            d = replace(d, suppressed_by=SUPPRESSED_BY)
        out.append(d)
    return out
