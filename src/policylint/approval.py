"""What an approval covers: the normalised content of a document and its digest.

One definition, used by the ``approved_digest`` check, by the history checks (is the text in
force the text approved?), by ``policylint approve`` (which records the digest) and by
``policylint history``. The normalisation is documented in docs/conventions.md (§7, "Approved
content"): a digest written by one version of policylint stays valid in the next.

Content = the front-matter fields that are not *bookkeeping* (:data:`BOOKKEEPING`) + the body.
- fields: the YAML values as policylint reads them (dates as written ``YYYY-MM-DD``), serialised
  as canonical JSON (keys sorted, UTF-8, no spaces): re-ordering keys, quoting, comments or YAML
  style do not change it; a changed value does;
- body: Unicode NFC, trailing spaces of every line removed, leading and trailing blank lines
  removed, lines joined with ``\\n``.
The digest is ``sha256:`` + the hex SHA-256 of ``fields + "\\n---\\n" + body`` in UTF-8.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

BOOKKEEPING: tuple[str, ...] = (
    "last_reviewed",
    "approved_by",
    "approved_on",
    "approved_digest",
    "revisions",
    "signature",
)
"""Front-matter fields that record reviews and approvals rather than what is approved: changing
them is not a change of the approved content."""

DIGEST_RE = re.compile(r"sha256:[0-9a-f]{64}")


@dataclass(frozen=True)
class Content:
    """The approvable content of one version of a document."""

    fields: Mapping[str, Any]
    body_lines: tuple[str, ...]
    body_skip: int = 0
    """Blank lines dropped before the body's first line (to map body lines to file lines)."""

    @property
    def canonical_fields(self) -> str:
        return json.dumps(
            self.fields,
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
            default=_jsonable,
        )

    @property
    def canonical(self) -> str:
        return self.canonical_fields + "\n---\n" + "\n".join(self.body_lines)

    @property
    def digest(self) -> str:
        return "sha256:" + hashlib.sha256(self.canonical.encode("utf-8")).hexdigest()


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _plain(value: Any) -> Any:
    """Values as written: dates (which the model parses) back to their ISO text."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def normalise_body(body: str) -> tuple[tuple[str, ...], int]:
    """The body's lines as normalised, and how many blank lines were dropped before them."""
    lines = [line.rstrip() for line in unicodedata.normalize("NFC", body).split("\n")]
    start, end = 0, len(lines)
    while start < end and not lines[start]:
        start += 1
    while end > start and not lines[end - 1]:
        end -= 1
    return tuple(lines[start:end]), start


def content_of(front_matter: Mapping[str, Any], body: str) -> Content:
    fields = {str(k): _plain(v) for k, v in front_matter.items() if k not in BOOKKEEPING}
    lines, skip = normalise_body(body)
    return Content(fields, lines, skip)


def approval_key(front_matter: Mapping[str, Any]) -> str:
    """What identifies an approval: approved_on, approved_by and the latest revision entry.
    A version whose key differs from its predecessor's records a new approval."""
    revisions = front_matter.get("revisions")
    latest: Any = None
    if isinstance(revisions, list) and revisions:
        dated = [r for r in revisions if isinstance(r, dict)]
        latest = max(dated, key=lambda r: str(_plain(r.get("date")) or ""), default=None)
    key = {
        "approved_on": _plain(front_matter.get("approved_on")),
        "approved_by": _plain(front_matter.get("approved_by")),
        "revision": _plain(latest),
    }
    return json.dumps(key, sort_keys=True, ensure_ascii=False, default=_jsonable)


@dataclass(frozen=True)
class ContentChange:
    """How a version differs from the approved one: the fields changed (added, removed or
    modified) and the body lines of the newer version that differ (1-based, within the body)."""

    fields: tuple[str, ...]
    body_lines: tuple[int, ...]

    def __bool__(self) -> bool:
        return bool(self.fields or self.body_lines)


def compare(approved: Content, current: Content) -> ContentChange:
    keys = sorted(set(approved.fields) | set(current.fields))
    changed = tuple(
        k
        for k in keys
        if json.dumps(approved.fields.get(k), sort_keys=True, default=_jsonable)
        != json.dumps(current.fields.get(k), sort_keys=True, default=_jsonable)
        or (k in approved.fields) != (k in current.fields)
    )
    lines: list[int] = []
    if approved.body_lines != current.body_lines:
        matcher = difflib.SequenceMatcher(None, approved.body_lines, current.body_lines, False)
        for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            if j2 > j1:
                lines.extend(range(j1 + 1, j2 + 1))
            else:  # lines deleted: mark where they were
                lines.append(min(j1 + 1, max(len(current.body_lines), 1)))
    return ContentChange(changed, tuple(sorted(set(lines))))


def line_ranges(lines: tuple[int, ...] | list[int], limit: int = 8) -> str:
    """``3-5, 9, 12-14`` (at most ``limit`` ranges, then ``…``)."""
    ranges: list[tuple[int, int]] = []
    for n in lines:
        if ranges and n == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], n)
        else:
            ranges.append((n, n))
    shown = [f"{a}" if a == b else f"{a}-{b}" for a, b in ranges[:limit]]
    if len(ranges) > limit:
        shown.append("…")
    return ", ".join(shown)
