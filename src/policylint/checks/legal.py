"""Checks of the legal register: named laws considered, foreign jurisdictions (II.7.1.1); statutory
retention minimums of the records retention schedule (II.7.1.2)."""

from __future__ import annotations

import bisect
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


class _Countries:
    """The ``country`` of each asset and external party, kept in a memo from one run to the
    next: only the entities that are new objects at their position are read again."""

    def __init__(self) -> None:
        self.items: list[list[Entity]] = [[], []]  # assets, external parties
        self.codes: list[list[str | None]] = [[], []]
        self.users: dict[str, list[tuple[int, int]]] = {}  # code -> (kind, position), in order

    @staticmethod
    def code(entity: Entity, known: dict[str, str | None] | None = None) -> str | None:
        """The entity's country code (None: none, or a malformed one, which policylint/schema
        reports); ``known``: the codes judged so far (a register names a few countries)."""
        value = entity.data.get("country")
        if not isinstance(value, str):
            return None
        if known is not None and value in known:
            return known[value]
        code = value if _COUNTRY.fullmatch(value) else None
        if known is not None:
            known[value] = code
        return code

    def build(self, lists: list[list[Entity]]) -> None:
        self.items = [list(items) for items in lists]
        known: dict[str, str | None] = {}
        self.codes = [[self.code(e, known) for e in items] for items in self.items]
        self.users = {}
        for k, codes in enumerate(self.codes):
            for i, code in enumerate(codes):
                if code is not None:
                    self.users.setdefault(code, []).append((k, i))

    def lines_moved(self, path: str, after: int, delta: int) -> None:
        """Lines of a file moved (see ``Context.memo``): nothing kept here holds a position."""

    def update(self, lists: list[list[Entity]]) -> bool:
        """Read again the entities that changed; False when the lists changed length or
        too many changed (then build everything again)."""
        if [len(x) for x in lists] != [len(x) for x in self.items]:
            return False
        changed = [
            (k, i)
            for k, (old, new) in enumerate(zip(self.items, lists, strict=True))
            for i, (a, b) in enumerate(zip(old, new, strict=True))
            if a is not b
        ]
        if len(changed) > 64:
            return False
        for k, i in changed:
            entity = lists[k][i]
            old_code, code = self.codes[k][i], self.code(entity)
            self.items[k][i] = entity
            self.codes[k][i] = code
            if old_code == code:
                continue
            if old_code is not None:
                users = self.users[old_code]
                users.remove((k, i))
                if not users:
                    del self.users[old_code]
            if code is not None:
                bisect.insort(self.users.setdefault(code, []), (k, i))
        return True


def foreign_jurisdiction(ctx: Context, params: Params) -> Iterator[Finding]:
    """Every ``country`` other than ``home_country`` [JP] among assets and external parties has a
    legal-register entry with that ``jurisdiction`` (reported at its first occurrence).

    With a memo (the language server), each entity's country is kept: an edit of one asset
    reads that asset's alone."""
    repo = ctx.repo
    if register_loc(ctx, "legal-register") is None:
        return  # reported by II.7.1.1/legal-register
    home = str(params.get("home_country", "JP")).upper()
    covered = {e.text("jurisdiction") for e in repo.items_of("legal-register")}
    lists = [repo.items_of("assets"), repo.items_of("external-parties")]
    memo = ctx.memo if ctx.memo is not None else {}
    state = memo.get("countries")
    if not (isinstance(state, _Countries) and state.update(lists)):
        state = memo["countries"] = _Countries()
        state.build(lists)
    foreign = [
        (users[0], code)
        for code, users in state.users.items()
        if code != home and code not in covered
    ]
    for (k, i), code in sorted(foreign):  # in the order of their first occurrence
        entity = state.items[k][i]
        labels = [state.items[k2][i2].label for k2, i2 in state.users[code]]
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
