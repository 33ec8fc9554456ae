"""Checks of the legal register: named laws considered, foreign jurisdictions (II.7.1.1)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

from policylint.diagnostics import Finding
from policylint.primitives import (
    Context,
    Params,
    finding,
    register_loc,
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
    legal-register entry with that ``jurisdiction`` (reported at its first occurrence)."""
    repo = ctx.repo
    if register_loc(ctx, "legal-register") is None:
        return  # reported by II.7.1.1/legal-register
    home = str(params.get("home_country", "JP")).upper()
    covered = {e.text("jurisdiction") for e in repo.items_of("legal-register")}
    reported: set[str] = set()
    for kind in ("assets", "external-parties"):
        for entity in repo.items_of(kind):
            code = entity.text("country")
            if code is None or not _COUNTRY.fullmatch(code):
                continue  # a malformed code: reported by policylint/schema
            if code == home or code in covered or code in reported:
                continue
            reported.add(code)
            users = [
                e.label
                for k in ("assets", "external-parties")
                for e in repo.items_of(k)
                if e.text("country") == code
            ]
            yield finding(entity, "default", entity.loc("country"), country=code, users=users)
