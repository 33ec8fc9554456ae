"""Checks of the asset register across files: owner reviews that cover the assets (II.4.3.1),
the external parties that host or process them (II.2.2.1)."""

from __future__ import annotations

import bisect
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

Covering = tuple[int, dt.date, Entity]
"""A review that covers an asset: its rank among the owner's reviews (0: the newest), its date
and the record."""
Judged = tuple[str, str | None, Covering | None, str] | None
"""An asset's owner, the owner's party key (None: the owner does not resolve, reported by
II.4.1.1/asset-owner), the newest review that covers the asset (None: none) and the asset's
label; None for an asset without owner."""
Index = tuple[dict[tuple[str, str], Covering], dict[str, Covering]]


def _coverage(
    repo: Repository, reviews_by_party: Mapping[str, list[tuple[dt.date, Entity]]]
) -> Index:
    """Which review of each party covers what: a review's ``scope`` covers an asset when it
    lists the asset's id, an ``area`` of the asset, or its owner (or anyone who is the same
    party as the owner). Indexed by scope entry and by party; the newest review wins, of two on
    the same day the first listed."""
    by_entry: dict[tuple[str, str], Covering] = {}
    by_party: dict[str, Covering] = {}
    for key, reviews in reviews_by_party.items():
        mine = sorted(reviews, key=lambda x: x[0], reverse=True)
        for rank, (day, record) in enumerate(mine):
            scope = record.strings("scope")
            for entry in scope:
                by_entry.setdefault((key, entry), (rank, day, record))
            if key not in by_party and any(repo.party_key(s) == key for s in scope):
                by_party[key] = (rank, day, record)
    return by_entry, by_party


class _OwnerReviews:
    """The judgement of every asset and the findings of every owner's group of assets, kept
    in a memo from one run to the next: when only some assets changed (the same reviews, the
    same owners' parties), those assets are judged again and only their groups' findings."""

    def __init__(self, ctx: Context, params: Params, index: Index, has_reviews: set[str]):
        self.ctx, self.params, self.index, self.has_reviews = ctx, params, index, has_reviews
        by_entry, self.by_party = index
        self.scoped: dict[str, dict[str, Covering]] = {}  # party key -> scope entry -> review
        for (key, entry), covering in by_entry.items():
            self.scoped.setdefault(key, {})[entry] = covering
        self.keys: dict[str, str | None] = {}  # owner -> party key (None: does not resolve)
        self.items: list[Entity] = []
        self.judged: list[Judged] = []
        self.groups: dict[str, list[int]] = {}  # party key -> positions of its assets
        self.findings: dict[str, list[Finding]] = {}

    def key(self, owner: str) -> str | None:
        key = self.keys.get(owner, "")
        if key == "":  # a few owners own thousands of assets: resolve each once
            repo = self.ctx.repo
            bad = resolve_problem(repo, owner, ("role", "person"), active=True)
            key = self.keys[owner] = None if bad else repo.party_key(owner)
        return key

    def judge(self, asset: Entity) -> Judged:
        data = asset.data  # read directly: this runs for every asset of the register
        owner = data.get("owner")
        if not isinstance(owner, str) or not owner.strip():
            return None
        key = self.keys.get(owner, "")
        if key == "":
            key = self.key(owner)
        if key is None:
            return (owner, None, None, "")
        best = self.by_party.get(key)
        asset_id = data.get("id")
        if not isinstance(asset_id, str) or not asset_id:
            asset_id = None
        scoped = self.scoped.get(key)
        if scoped is not None:  # reviews of this party that list entries: the asset's id, areas
            area = data.get("area")
            entries = [area] if isinstance(area, str) else area if isinstance(area, list) else ()
            if asset_id is not None:
                entries = [asset_id, *entries]
            for entry in entries:
                found = scoped.get(entry) if isinstance(entry, str) else None
                if found is not None and (best is None or found[0] < best[0]):
                    best = found
        return (owner, key, best, asset_id or asset.path)

    def build(self, items: list[Entity]) -> None:
        self.items = list(items)
        self.judged = [self.judge(a) for a in self.items]
        self.groups = {}
        for i, j in enumerate(self.judged):
            if j is not None and j[1] is not None:
                self.groups.setdefault(j[1], []).append(i)
        self.findings = {key: list(self.group(key)) for key in self.groups}

    def still_valid(
        self, ctx: Context, index: Index, has_reviews: set[str], items: list[Entity]
    ) -> bool:
        """Whether the kept judgements hold: the same reviews, as many assets, and every owner
        seen before in the same party (resolved again on this run's model)."""
        self.ctx = ctx
        if index != self.index or has_reviews != self.has_reviews:
            return False
        if len(items) != len(self.items):
            return False
        previous = dict(self.keys)
        self.keys = {}
        return all(self.key(owner) == key for owner, key in previous.items())

    def lines_moved(self, path: str, after: int, delta: int) -> None:
        """The lines of ``path`` after line ``after`` moved by ``delta`` (the language server
        applied an edit that added or removed lines): the kept findings move with them."""
        for found in self.findings.values():
            found[:] = [f.moved(path, after, delta) for f in found]

    def update(self, items: list[Entity]) -> bool:
        """Judge again the assets that are new objects (at the same positions); False when too
        many changed (then build everything again)."""
        changed = [i for i, (a, b) in enumerate(zip(self.items, items, strict=True)) if a is not b]
        if len(changed) > 64:
            return False
        touched: set[str] = set()
        for i in changed:
            old = self.judged[i]
            if old is not None and old[1] is not None:
                positions = self.groups[old[1]]
                del positions[bisect.bisect_left(positions, i)]
                touched.add(old[1])
            self.items[i] = items[i]
            new = self.judged[i] = self.judge(items[i])
            if new is not None and new[1] is not None:
                bisect.insort(self.groups.setdefault(new[1], []), i)
                touched.add(new[1])
        for key in touched:
            if self.groups[key]:
                self.findings[key] = list(self.group(key))
            else:
                del self.groups[key]
                self.findings.pop(key, None)
        return True

    def results(self) -> Iterator[Finding]:
        """The findings, group by group in the order of each group's first asset."""
        for key in sorted(self.groups, key=lambda k: self.groups[k][0]):
            yield from self.findings[key]

    def group(self, key: str) -> Iterator[Finding]:
        """The finding of one owner's assets: those no review covers, else the review due."""
        months = int(self.params.get("interval_months", 12))
        warn = int(self.params.get("warn_before_days", 30))
        positions, judged, items = self.groups[key], self.judged, self.items
        seen: dict[str, None] = {}  # the owners, in order
        uncovered: list[tuple[Entity, str]] = []
        oldest: tuple[dt.date, Entity, Entity] | None = None  # the least recently reviewed
        for i in positions:  # one pass: this runs for every asset of the register
            j = judged[i]
            if j is None:
                continue
            seen[j[0]] = None
            last = j[2]
            if last is None:
                uncovered.append((items[i], j[3]))
            elif not uncovered and (oldest is None or last[1] < oldest[0]):
                oldest = (last[1], last[2], items[i])
        owners = list(seen)
        args = {"id": owners[0], "kind": "assets", "owners": owners, "interval": months}
        if uncovered:
            first = uncovered[0][0]
            key_name = "no-review" if key not in self.has_reviews else "not-in-scope"
            yield Finding(
                first.loc("owner"),
                key_name,
                {**args, "path": first.path, "assets": [label for _, label in uncovered]},
                owners[0],
            )
            return
        if oldest is None:
            return
        day, record, asset = oldest
        loc = partial(asset.loc, "owner")
        today = self.ctx.today
        for f in due_findings(asset, day, months, today, warn, loc, record=record.label):
            labels = [j[3] for i in positions if (j := judged[i]) is not None]
            more = {"path": asset.path, "assets": labels}
            yield Finding(f.location, f.key, {**f.args, **args, **more}, owners[0], f.severity)


def owner_review(ctx: Context, params: Params) -> Iterator[Finding]:
    """Each asset owner (a role and its holder are one party) had the controls of each of
    their assets reviewed within ``interval_months`` [12]: a ``review-record`` whose
    ``reviewer`` is the owner (or whose ``on_behalf_of`` names the owner) and whose ``scope``
    covers the asset (by asset id, by owner, or by an ``area`` of the asset). A review of
    someone else's assets does not count for another owner.

    The finding is placed at the first asset concerned; its target is the owner's id. An owner
    that does not resolve, or a person who is not active, is reported by II.4.1.1/asset-owner
    instead (a leaver is not asked for a review).

    Each asset is judged against an index of the reviews (:func:`_coverage`). With a memo (the
    language server), the judgements and each owner's findings are kept: an edit of one asset
    judges that asset again and finds its owner's (or owners') findings again.
    """
    repo = ctx.repo
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
    index = _coverage(repo, reviews_by_party)
    has_reviews = set(reviews_by_party)
    items = repo.items_of("assets")
    memo = ctx.memo if ctx.memo is not None else {}
    state = memo.get("owner_review")
    if not (
        isinstance(state, _OwnerReviews)
        and state.still_valid(ctx, index, has_reviews, items)
        and state.update(items)
    ):
        state = memo["owner_review"] = _OwnerReviews(ctx, params, index, has_reviews)
        state.build(items)
    yield from state.results()


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
