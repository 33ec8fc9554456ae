"""Checks of the asset register across files: owner reviews (II.4.3.1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import partial
from typing import Any

from policylint.diagnostics import Finding
from policylint.model import Entity
from policylint.primitives import (
    Context,
    Params,
    due_findings,
    finding,
    resolve_problem,
)


def owner_review(ctx: Context, params: Params) -> Iterator[Finding]:
    """Each distinct asset owner (a role and its holder are one party) is the ``reviewer`` of a
    ``review-record`` dated within ``interval_months`` [12].

    The finding is placed at the first asset the party owns; its target is the owner's id.
    An owner that does not resolve, or a person who is not active, is reported by
    II.4.1.1/asset-owner instead (a leaver is not asked for a review).
    """
    repo = ctx.repo
    months = int(params.get("interval_months", 12))
    warn = int(params.get("warn_before_days", 30))
    records = repo.documents_of("review-record")
    for record in records:
        if not record.present("reviewer"):
            yield finding(record, "no-reviewer")
        else:
            ref = record.text("reviewer")
            if ref is not None and repo.person(ref) is None and repo.role(ref) is None:
                yield finding(record, "unknown-reviewer", record.loc("reviewer"), ref=ref)
        if not record.present("date"):
            yield finding(record, "missing-date", field="date")
    party = repo.party_key
    reviews = [
        (day, reviewer, r)
        for r in records
        if (day := r.date("date")) is not None and (reviewer := r.text("reviewer")) is not None
    ]
    # group by party key (a role and its holder share one), in linear time
    groups: dict[str, tuple[list[str], list[Entity]]] = {}
    keys: dict[str, str | None] = {}  # owner -> party key (None: reported by asset-owner)
    for asset in repo.items_of("assets"):
        owner = asset.text("owner")
        if owner is None:
            continue
        if owner not in keys:  # a few owners own thousands of assets: resolve each once
            bad = resolve_problem(repo, owner, ("role", "person"), active=True)
            keys[owner] = None if bad else party(owner)
        key = keys[owner]
        if key is None:
            continue  # reported by II.4.1.1/asset-owner
        owners, assets = groups.setdefault(key, ([], []))
        if owner not in owners:
            owners.append(owner)
        assets.append(asset)
    reviews_by_party: dict[str, list[tuple[dt.date, Entity]]] = {}
    for day, rev, r in reviews:
        reviews_by_party.setdefault(party(rev), []).append((day, r))

    def args_of(owners: list[str], assets: list[Entity]) -> dict[str, Any]:
        """The message arguments (built only for a finding: they list every asset)."""
        return {
            "id": owners[0],
            "kind": "assets",
            "path": assets[0].path,
            "owners": owners,
            "assets": [a.label for a in assets],
            "interval": months,
        }

    for key, (owners, assets) in groups.items():
        first = assets[0]
        mine = reviews_by_party.get(key, [])
        loc = partial(first.loc, "owner")
        if not mine:
            yield Finding(loc(), "no-review", args_of(owners, assets), owners[0])
            continue
        last, record = max(mine, key=lambda x: x[0])
        due = list(due_findings(first, last, months, ctx.today, warn, loc, record=record.label))
        if due:
            args = args_of(owners, assets)
        for f in due:
            yield Finding(f.location, f.key, {**f.args, **args}, owners[0], f.severity)
