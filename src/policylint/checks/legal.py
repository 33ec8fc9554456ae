"""Checks of the legal register: named laws considered, foreign jurisdictions (II.7.1.1); statutory
retention minimums of the records retention schedule (II.7.1.2)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

from policylint.dates import parse_duration_days
from policylint.diagnostics import Finding, Severity
from policylint.model import Entity
from policylint.primitives import (
    Context,
    Params,
    duration_text,
    finding,
    register_loc,
    selected,
)


def _norm(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def named_laws_considered(ctx: Context, params: Params) -> Iterator[Finding]:
    """The legal register has an entry (applying or not) for each law of ``laws``.

    Each law is ``{ja, en, aliases}``; an entry matches when its ``law`` contains one of those
    names (ignoring case, width, spaces and punctuation).
    """
    loc = register_loc(ctx, "legal-register")
    if loc is None:
        return  # reported by II.7.1.1/legal-register
    names = [_norm(e.text("law") or "") for e in ctx.repo.items_of("legal-register")]
    missing: list[Mapping[str, Any]] = []
    for entry in params.get("laws", ()):
        law: Mapping[str, Any] = {"ja": entry, "en": entry} if isinstance(entry, str) else entry
        if not isinstance(law, Mapping):
            continue
        keys = [law.get("ja"), law.get("en"), *(law.get("aliases") or ())]
        wanted = [_norm(k) for k in keys if isinstance(k, str) and _norm(k)]
        if not any(w in name for w in wanted for name in names):
            missing.append(law)
    if missing:
        yield Finding(
            loc,
            "missing-laws",
            {
                "kind": "legal-register",
                "missing_ja": [str(m.get("ja", m.get("en", ""))) for m in missing],
                "missing_en": [str(m.get("en", m.get("ja", ""))) for m in missing],
                "count": len(missing),
            },
        )


_COUNTRY = re.compile(r"[A-Z]{2}")


def foreign_jurisdiction(ctx: Context, params: Params) -> Iterator[Finding]:
    """Every ``country`` other than ``home_country`` [JP] among assets and external parties has a
    legal-register entry with that ``jurisdiction`` (reported at its first occurrence).

    With a memo (the language server), each entity's country is read once: an edit of one
    asset reads that asset's alone."""
    repo = ctx.repo
    if register_loc(ctx, "legal-register") is None:
        return  # reported by II.7.1.1/legal-register
    home = str(params.get("home_country", "JP")).upper()
    covered = {e.text("jurisdiction") for e in repo.items_of("legal-register")}
    known: dict[Entity, str | None] = ctx.memo.get("countries", {}) if ctx.memo else {}
    countries: dict[Entity, str | None] = {}
    users: dict[str, list[Entity]] = {}  # each foreign code not covered: who names it
    for kind in ("assets", "external-parties"):
        for entity in repo.items_of(kind):
            if entity in known:
                code = known[entity]
            else:
                code = entity.text("country")
                if code is not None and not _COUNTRY.fullmatch(code):
                    code = None  # a malformed code: reported by policylint/schema
            if ctx.memo is not None:
                countries[entity] = code
            if code is None or code == home or code in covered:
                continue
            users.setdefault(code, []).append(entity)
    if ctx.memo is not None:
        ctx.memo["countries"] = countries
    for code, named_by in users.items():
        entity = named_by[0]
        labels = [e.label for e in named_by]
        yield finding(entity, "default", entity.loc("country"), country=code, users=labels)


# ---------------------------------------------------------------------------------------------
# II.7.1.2 statutory retention minimums


def _period_days(value: object) -> int | None:
    if isinstance(value, str):
        return parse_duration_days(duration_text(value))
    return None


def retention_minimum(ctx: Context, params: Params) -> Iterator[Finding]:
    """A record whose ``record_type`` (or id) names a record type of ``minimums`` is kept at
    least that row's ``minimum``: shorter is an error, unless a transitional ``accept`` period
    allows it (then a warning). Each row cites its law and article (``law: {ja, en}``); the
    longest minimum of the rows that match applies. A row's ``unless`` words, found in the
    record's ``record_type`` or ``legal_basis``, exempt the record (paper originals kept until
    scanned, for instance)."""
    rows: list[tuple[list[str], list[str], int, int, Mapping[str, Any], str]] = []
    for row in params.get("minimums", ()):
        if not isinstance(row, Mapping):
            continue
        minimum = _period_days(row.get("minimum"))
        if minimum is None:
            continue
        accept = _period_days(row.get("accept")) or minimum
        words = [_norm(w) for w in row.get("words", ()) if isinstance(w, str) and _norm(w)]
        unless = [_norm(w) for w in row.get("unless", ()) if isinstance(w, str) and _norm(w)]
        raw_law = row.get("law")
        law: Mapping[str, Any] = raw_law if isinstance(raw_law, Mapping) else {}
        rows.append((words, unless, minimum, accept, law, str(row.get("minimum"))))
    for record in selected(ctx, params):
        retention = record.get("retention")
        days = _period_days(retention)
        if days is None:
            continue  # absent or unreadable: reported by II.7.1.2/retention-schedule
        name = _norm(f"{record.text('record_type') or ''} {record.id or ''}")
        context = name + _norm(" ".join(record.strings("legal_basis")))
        matching = [
            r for r in rows if any(w in name for w in r[0]) and not any(u in context for u in r[1])
        ]
        if not matching:
            continue
        _, _, minimum, accept, law, shown = max(matching, key=lambda r: r[2])
        if days >= minimum:
            continue
        args: dict[str, Any] = {
            "retention": str(retention),
            "minimum": shown,
            "law_ja": str(law.get("ja", law.get("en", ""))),
            "law_en": str(law.get("en", law.get("ja", ""))),
        }
        if days < accept:
            yield finding(record, "below-minimum", record.loc("retention"), **args)
        else:
            yield finding(
                record,
                "below-minimum-transitional",
                record.loc("retention"),
                severity=Severity.WARNING,
                **args,
            )
