"""Checks of the asset register across files: owner reviews that cover the assets (II.4.3.1),
the external parties that host or process them (II.2.2.1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any

from policylint.diagnostics import Finding
from policylint.model import Entity, Repository
from policylint.primitives import (
    Context,
    Params,
    due_findings,
    finding,
    resolve_problem,
    selected,
)


def review_covers(repo: Repository, record: Entity, asset: Entity) -> bool:
    """Whether a review record's ``scope`` covers the asset: it lists the asset's id, its owner
    (or anyone who is the same party as the owner), or an ``area`` the asset belongs to."""
    scope = record.strings("scope")
    if not scope:
        return False
    if asset.id in scope:
        return True
    owner = asset.text("owner")
    if owner is not None:
        key = repo.party_key(owner)
        if any(repo.party_key(s) == key for s in scope):
            return True
    areas = set(asset.strings("area"))
    return bool(areas.intersection(scope))


def owner_review(ctx: Context, params: Params) -> Iterator[Finding]:
    """Each asset owner (a role and its holder are one party) had the controls of each of
    their assets reviewed within ``interval_months`` [12]: a ``review-record`` whose
    ``reviewer`` is the owner (or whose ``on_behalf_of`` names the owner) and whose ``scope``
    covers the asset (by asset id, by owner, or by an ``area`` of the asset). A review of
    someone else's assets does not count for another owner.

    The finding is placed at the first asset concerned; its target is the owner's id. An owner
    that does not resolve, or a person who is not active, is reported by II.4.1.1/asset-owner
    instead (a leaver is not asked for a review).
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
                yield finding(
                    record,
                    "unknown-reviewer",
                    record.loc("reviewer"),
                    ref=ref,
                    suggestions=repo.ids_like(ref, ("person", "role")),
                )
        if not record.present("date"):
            yield finding(record, "missing-date", field="date")
    party = repo.party_key
    reviews_by_party: dict[str, list[tuple[dt.date, Entity]]] = {}
    for r in records:
        day = r.date("date")
        if day is None:
            continue
        for who in {r.text("reviewer"), r.text("on_behalf_of")}:
            if who is not None:
                reviews_by_party.setdefault(party(who), []).append((day, r))
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
    for key, (owners, assets) in groups.items():
        mine = sorted(reviews_by_party.get(key, []), key=lambda x: x[0], reverse=True)
        uncovered: list[Entity] = []
        oldest: tuple[dt.date, Entity, Entity] | None = None  # the least recently reviewed
        for asset in assets:
            last = next(((d, r) for d, r in mine if review_covers(repo, r, asset)), None)
            if last is None:
                uncovered.append(asset)
            elif oldest is None or last[0] < oldest[0]:
                oldest = (last[0], last[1], asset)
        args = {
            "id": owners[0],
            "kind": "assets",
            "owners": owners,
            "interval": months,
        }
        if uncovered:
            first = uncovered[0]
            key_name = "no-review" if not mine else "not-in-scope"
            yield Finding(
                first.loc("owner"),
                key_name,
                {**args, "path": first.path, "assets": [a.label for a in uncovered]},
                owners[0],
            )
            continue
        if oldest is None:
            continue
        day, record, asset = oldest
        more = {"path": asset.path, "assets": [a.label for a in assets]}
        loc = partial(asset.loc, "owner")
        for f in due_findings(asset, day, months, ctx.today, warn, loc, record=record.label):
            yield Finding(f.location, f.key, {**f.args, **args, **more}, owners[0], f.severity)


def asset_hosts(ctx: Context, params: Params) -> Iterator[Finding]:
    """Each party an asset names in ``hosted_by`` is in the external-parties register and
    declares an access that hosting implies (``implied_access`` by party type, any one of the
    list; ``default`` for other types). Its contract and the contract's scope are then checked
    by II.2.2.2 like any party's."""
    repo = ctx.repo
    implied: Mapping[str, Any] = params.get("implied_access") or {}
    for asset in selected(ctx, params):
        hosts = asset.get("hosted_by")
        if not isinstance(hosts, list):
            continue  # absent, or a wrong type reported by policylint/schema
        unknown: list[tuple[int, str]] = []
        for i, ref in enumerate(hosts):
            if not isinstance(ref, str):
                continue
            party_entity = repo.find(ref, "external-parties")
            if party_entity is None or party_entity.kind != "external-parties":
                unknown.append((i, ref))
                continue
            access = [a for a in party_entity.strings("access") if a != "none"]
            ptype = party_entity.text("type") or ""
            wanted = implied.get(ptype, implied.get("default"))
            wanted_list = (
                [w for w in wanted if isinstance(w, str)]
                if isinstance(wanted, (list, tuple))
                else []
            )
            if not access:
                loc = asset.loc("hosted_by", i)  # looked up only for a finding (see cache.py)
                yield finding(asset, "no-access", loc, ref=ref, implied=wanted_list or ["—"])
            elif wanted_list and not set(wanted_list).intersection(access):
                loc = asset.loc("hosted_by", i)
                yield finding(
                    asset, "access-not-implied", loc, ref=ref, access=access, implied=wanted_list
                )
        if unknown:  # one finding per asset, naming every party the register lacks
            refs = [r for _, r in unknown]
            loc = asset.loc("hosted_by", unknown[0][0])
            yield finding(asset, "unknown-party", loc, ref=", ".join(refs), count=len(refs))
