"""Checks of external parties and their contracts: a contract that covers the access
(II.2.2.2, II.3.1.1), SLAs, expiry, partner audits (II.3.1.2)."""

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
    selected,
)


def _needs_contract(party: Entity) -> bool:
    """The party declares some access other than ``none`` (so a contract must define it)."""
    access = party.get("access")
    return isinstance(access, list) and any(isinstance(a, str) and a != "none" for a in access)


def is_signed(contract: Entity, today: dt.date) -> bool:
    """A contract gives coverage only once signed: ``signed_on`` is a date not after today."""
    signed = contract.date("signed_on")
    return signed is not None and signed <= today


def _contract_of(repo: Repository, party: Entity) -> Entity | None:
    """The signed contract document the party names, when it is a contract with this party (a
    draft, or one never signed, gives no coverage; it is reported by II.2.2.2/contract-signed)."""
    contract = repo.find(party.get("contract"), "contract")
    if contract is None or not contract.is_evidence or not is_signed(contract, repo.today):
        return None
    counterparty = contract.text("counterparty")
    if counterparty and counterparty != party.id and repo.find(counterparty, "external-parties"):
        return None
    return contract


def _contract_problems(repo: Repository, party: Entity) -> Iterator[Finding]:
    """Why the party does not name a contract document made with it (nothing when it does)."""
    if not party.present("contract"):
        yield finding(party, "no-contract")
        return
    ref = party.text("contract")
    if ref is None:
        return  # a wrong type: reported by policylint/schema
    target = repo.find(ref, "contract") or repo.find(ref)
    if target is None:
        yield finding(
            party,
            "unknown-contract",
            party.loc("contract"),
            ref=ref,
            suggestions=repo.ids_like(ref, ("contract",)),
        )
    elif target.kind != "contract":
        yield finding(party, "not-a-contract", party.loc("contract"), ref=ref, other=target.kind)
    elif not target.is_evidence:
        status = str(target.get("status"))
        yield finding(party, "draft-contract", party.loc("contract"), ref=ref, status=status)
    else:
        counterparty = target.text("counterparty")
        if (
            counterparty
            and counterparty != party.id
            and repo.find(counterparty, "external-parties")
        ):
            yield finding(
                party,
                "other-counterparty",
                party.loc("contract"),
                ref=ref,
                counterparty=counterparty,
            )


def contract_exists(ctx: Context, params: Params) -> Iterator[Finding]:
    """Each party with some access names an existing contract document made with it."""
    for party in selected(ctx, params):
        if _needs_contract(party):
            yield from _contract_problems(ctx.repo, party)


def contract_access_scope(ctx: Context, params: Params) -> Iterator[Finding]:
    """The party's contract lists, in ``access_scope``, every access method of the party."""
    seen: set[int] = set()
    for party in selected(ctx, params):
        if not _needs_contract(party):
            continue
        contract = _contract_of(ctx.repo, party)
        if contract is None:
            continue  # reported by contract-exists
        scope = contract.get("access_scope")
        if not contract.present("access_scope"):
            if id(contract) not in seen:
                seen.add(id(contract))
                yield finding(contract, "no-scope", party=party.label)
            continue
        if not isinstance(scope, list):
            continue  # a wrong type: reported by policylint/schema
        access = party.get("access")
        assert isinstance(access, list)
        missing = [
            (i, a)
            for i, a in enumerate(access)
            if isinstance(a, str) and a != "none" and a not in scope
        ]
        if missing:
            yield finding(
                party,
                "not-covered",
                party.loc("access", missing[0][0]),
                contract=contract.label,
                missing=[a for _, a in missing],
            )


def _referenced_contracts(ctx: Context, params: Params) -> Iterator[tuple[Entity, Entity]]:
    """(contract, first party naming it) for every contract some selected party names."""
    seen: set[int] = set()
    for party in selected(ctx, params):
        contract = _contract_of(ctx.repo, party)
        if contract is not None and id(contract) not in seen:
            seen.add(id(contract))
            yield contract, party


def partner_sla(ctx: Context, params: Params) -> Iterator[Finding]:
    """Each partner's contract has a non-empty ``sla`` and ``security_requirements``."""
    for party in selected(ctx, params):
        if not _needs_contract(party):
            # contract-exists does not look at this party: a partner still needs a contract
            yield from _contract_problems(ctx.repo, party)
    for contract, party in _referenced_contracts(ctx, params):
        sla = contract.get("sla")
        missing = []
        if sla is None or sla == {} or sla == "" or sla == []:
            missing.append("sla")
        if not contract.present("security_requirements"):
            missing.append("security_requirements")
        if missing:
            yield finding(contract, "missing-terms", party=party.label, missing=missing)


def contract_expiry(ctx: Context, params: Params) -> Iterator[Finding]:
    """No contract a party names has expired; a warning ``warn_before_days`` [60] before."""
    warn = int(params.get("warn_before_days", 60))
    for contract, party in _referenced_contracts(ctx, params):
        expires = contract.date("expires_on")
        if expires is None:
            continue  # open-ended, or an invalid date reported by policylint/invalid-date
        yield from due_findings(
            contract,
            expires,
            0,
            ctx.today,
            warn,
            partial(contract.loc, "expires_on"),
            party=party.label,
        )


# ---------------------------------------------------------------------------------------------
# II.3.1.2 partner audits


def partner_audit(ctx: Context, params: Params) -> Iterator[Finding]:
    """Each partner has an ``audit-record`` (``audit_type: partner``, ``subject`` = its id)
    dated within its ``audit_interval_months`` [12]."""
    repo = ctx.repo
    interval_field = params.get("interval_field", "audit_interval_months")
    default = int(params.get("interval_months", 12))
    warn = int(params.get("warn_before_days", 30))
    records = [r for r in repo.documents_of("audit-record") if r.get("audit_type") == "partner"]
    for record in records:
        if not record.present("subject"):
            yield finding(record, "no-subject")
        else:
            subject = record.text("subject")
            if subject is not None and repo.find(subject, "external-parties") is None:
                yield finding(
                    record,
                    "unknown-subject",
                    record.loc("subject"),
                    ref=subject,
                    suggestions=repo.ids_like(subject, ("external-parties",)),
                )
        if not record.present("date"):
            yield finding(record, "missing-date", field="date")
    for party in selected(ctx, params):
        months = party.integer(interval_field, default=default)
        if months is None:
            continue  # a wrong type: reported by policylint/schema
        dated = [
            (day, r)
            for r in records
            if r.get("subject") == party.id and (day := r.date("date")) is not None
        ]
        if not dated:
            yield finding(party, "no-audit", interval=months)
            continue
        last, record = max(dated, key=lambda x: x[0])
        yield from due_findings(party, last, months, ctx.today, warn, party.loc, audit=record.label)


# ---------------------------------------------------------------------------------------------
# II.2.2.2 a contract is signed and made with someone; its type fits the party


def contract_signed(ctx: Context, params: Params) -> Iterator[Finding]:
    """Every contract document names its ``counterparty`` and is signed (``signed_on``); one
    never signed gives the parties that name it no coverage (a future ``signed_on`` is
    policylint/future-date)."""
    repo = ctx.repo
    naming: dict[str, list[str]] = {}
    for party in repo.items_of("external-parties"):
        ref = party.text("contract")
        if ref and party.id:
            naming.setdefault(ref, []).append(party.id)
    for contract in selected(ctx, params):
        parties = naming.get(contract.id or "", [])
        if not contract.present("counterparty"):
            yield finding(contract, "no-counterparty", contract.loc(), parties=parties or ["—"])
        if not contract.present("signed_on"):
            yield finding(contract, "not-signed", contract.loc(), parties=parties or ["—"])


def contract_type_fits(ctx: Context, params: Params) -> Iterator[Finding]:
    """The ``contract_type`` of a party's contract is one ``fits`` allows for the party's
    ``type`` (a partner SaaS provider's contract is not an NDA alone; a data centre's is
    ``datacenter`` or ``outsourcing``). A party type ``fits`` does not list may have any."""
    fits: Mapping[str, Any] = params.get("fits") or {}
    for party in selected(ctx, params):
        kind = party.text("type")
        allowed = fits.get(kind) if kind else None
        if not isinstance(allowed, (list, tuple)):
            continue
        contract = _contract_of(ctx.repo, party)
        if contract is None:
            continue  # none, another party's, or unsigned: contract-exists or contract-signed
        ctype = contract.text("contract_type")
        if ctype is None:
            yield finding(
                party,
                "no-type",
                party.loc("contract"),
                contract=contract.label,
                allowed=list(allowed),
                type=kind,
            )
        elif ctype not in allowed:
            yield finding(
                party,
                "mismatch",
                party.loc("contract"),
                contract=contract.label,
                contract_type=ctype,
                allowed=list(allowed),
                type=kind,
            )
