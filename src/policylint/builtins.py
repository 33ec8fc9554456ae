"""Named built-in checks: what the generic primitives cannot express as data.

Same signature as the primitives; listed in :data:`BUILTINS`. The rule pack names them with
``primitive: <name>``. Each is pure: it reads the model and yields findings.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

from policylint.diagnostics import Finding, Location
from policylint.exceptions import exceptions_expired, exceptions_unapproved
from policylint.loader import node_at
from policylint.model import Entity, Register, Repository, _walk
from policylint.primitives import (
    CheckFn,
    Context,
    Params,
    due_findings,
    finding,
    resolve_problem,
    selected,
)
from policylint.validate import kind_schema

# ---------------------------------------------------------------------------------------------
# the tool's own integrity checks


def duplicate_ids(ctx: Context, params: Params) -> Iterator[Finding]:
    for first, second in ctx.repo.duplicate_ids:
        yield finding(
            second,
            "default",
            second.loc("id"),
            first_path=first.path,
            first_line=first.loc("id").line,
        )


_REF_TARGETS = {
    "person": ("person",),
    "role": ("role",),
    "party": ("person", "role"),
    "external-party": ("external-parties",),
    "asset": ("assets",),
    "contract": ("contract",),
    "level": ("classification-scheme",),
}


def unresolved_references(ctx: Context, params: Params) -> Iterator[Finding]:
    """Every field marked ``x-ref`` in its kind's schema names an existing thing."""
    repo = ctx.repo
    for entity in _all_entities(ctx):
        schema = kind_schema(entity.kind)
        if schema is None:
            continue
        for path, target in schema.refs:
            for full, _, value, _ in _walk(entity.data, path):
                if not isinstance(value, str) or not value:
                    continue
                targets = _REF_TARGETS.get(target)
                ok = (
                    repo.find(value) is not None
                    if targets is None
                    else resolve_problem(repo, value, targets, active=False) == ""
                )
                if not ok:
                    yield finding(
                        entity,
                        "default",
                        entity.loc(*full),
                        ref=value,
                        target=target,
                        field=".".join(str(p) for p in full),
                    )


def _all_entities(ctx: Context) -> Iterator[Entity]:
    yield from ctx.repo.documents
    for register in ctx.repo.registers:
        yield from register.items


def unknown_kinds(ctx: Context, params: Params) -> Iterator[Finding]:
    from policylint.validate import known_kinds

    for src, kind in ctx.repo.unknown:
        node = src.node
        loc = src.location(node)
        if isinstance(src.value, dict):
            from policylint.loader import node_at

            loc = src.location(node_at(node, ("kind",))[0])
        key = "wrong-format" if kind_schema(kind) is not None else "default"
        yield Finding(loc, key, {"kind": kind, "known": ", ".join(known_kinds()), "path": src.path})


# ---------------------------------------------------------------------------------------------
# II.1.1.1 / II.1.1.2


def _is_path(value: str) -> bool:
    tail = value.rsplit("/", 1)[-1]
    return "/" in value or ("." in tail and " " not in value and not tail.endswith("."))


def policy_approved(ctx: Context, params: Params) -> Iterator[Finding]:
    """approved_by names a person, approved_on is set, signature is set (and exists if a path)."""
    for doc in selected(ctx, params):
        if not doc.present("approved_by"):
            yield finding(doc, "missing-field", field="approved_by")
        else:
            ref = doc.text("approved_by")
            if ref is not None and ctx.repo.person(ref) is None:
                yield finding(doc, "unknown-approver", doc.loc("approved_by"), ref=ref)
        if not doc.present("approved_on"):
            yield finding(doc, "missing-field", field="approved_on")
        signature = doc.get("signature")
        if signature is None or (isinstance(signature, str) and not signature.strip()):
            yield finding(doc, "missing-field", doc.loc("signature"), field="signature")
        elif isinstance(signature, str) and _is_path(signature.strip()):
            exists = ctx.file_exists(signature.strip())
            if exists is None:
                yield finding(doc, "signature-outside", doc.loc("signature"), file=signature)
            elif not exists:
                yield finding(doc, "signature-missing", doc.loc("signature"), file=signature)


def approver_is_management(ctx: Context, params: Params) -> Iterator[Finding]:
    """The policy's approver holds a role with ``management: true``."""
    management = ctx.repo.management()
    for doc in selected(ctx, params):
        ref = doc.text("approved_by")
        if ref is None or ctx.repo.person(ref) is None:
            continue  # reported by policy-approved
        if ref not in management:
            yield finding(doc, "default", doc.loc("approved_by"), ref=ref)


def revision_approved(ctx: Context, params: Params) -> Iterator[Finding]:
    """Every revision has version, date and a management approver; the latest is current."""
    management = ctx.repo.management()
    for doc in selected(ctx, params):
        revisions = doc.get("revisions")
        if not isinstance(revisions, list) or not revisions:
            yield finding(doc, "no-revisions", doc.loc("revisions"))
            continue
        latest: tuple[Any, int] | None = None
        undated: set[str] = set()  # versions of revisions whose date is missing or invalid
        for i, rev in enumerate(revisions):
            if not isinstance(rev, dict):
                continue
            missing = [
                f for f in ("version", "date", "approved_by") if not doc.present("revisions", i, f)
            ]
            if missing:
                yield finding(
                    doc,
                    "revision-incomplete",
                    doc.loc("revisions", i),
                    index=i + 1,
                    missing=missing,
                )
            approver = doc.text("revisions", i, "approved_by")
            if approver and ctx.repo.person(approver) and approver not in management:
                yield finding(
                    doc,
                    "revision-not-management",
                    doc.loc("revisions", i, "approved_by"),
                    index=i + 1,
                    ref=approver,
                )
            date = doc.date("revisions", i, "date")
            if date is None:
                undated.add(str(doc.get("revisions", i, "version")))
            elif latest is None or date >= latest[0]:
                latest = (date, i)
        current = doc.get("version")
        if latest is not None and current is not None and str(current) not in undated:
            # (a revision of the current version without a valid date cannot be placed: its
            # date is reported above or by policylint/invalid-date, not as a version mismatch)
            rev_version = doc.get("revisions", latest[1], "version")
            if rev_version is not None and str(current) != str(rev_version):
                yield finding(
                    doc, "version-mismatch", doc.loc("version"), version=current, latest=rev_version
                )


# ---------------------------------------------------------------------------------------------
# shared helpers of the cross-file checks


def _register_loc(ctx: Context, kind: str) -> Location | None:
    """Where a finding about a whole register goes: its ``kind`` line (None: no register)."""
    registers = ctx.repo.registers_of(kind)
    return registers[0].loc() if registers else None


def _register_field_loc(register: Register, name: str) -> Location:
    node, _ = node_at(register.source.node, (name,))
    return register.source.location(node)


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day is not None else ""


# ---------------------------------------------------------------------------------------------
# II.2.1.1 roles


def roles_defined(ctx: Context, params: Params) -> Iterator[Finding]:
    """The roles register defines each required role, held by an active person; every role's
    holder is a person; at least one role is management.

    A terminated holder is left to II.5.3.1/no-duties-after-termination (reported once).
    """
    repo = ctx.repo
    wanted = params.get("required_roles", ["cio", "ciso"])
    required = [wanted] if isinstance(wanted, str) else [str(r) for r in wanted or ()]
    loc = _register_loc(ctx, "roles")
    if loc is None:
        yield Finding(repo.repo_location(), "missing", {"kind": "roles", "required": required})
        return
    defined = {r.id for r in repo.items_of("roles") if r.id}
    for role_id in required:
        if role_id not in defined:
            yield Finding(loc, "missing-role", {"id": role_id, "kind": "roles"}, role_id)
    for role in repo.items_of("roles"):
        if not role.present("holder"):
            yield finding(role, "no-holder")
            continue
        holder = role.text("holder")
        if holder is None:
            continue  # a wrong type: reported by policylint/schema
        person = repo.person(holder)
        if person is None:
            yield finding(role, "unknown-holder", role.loc("holder"), ref=holder)
            continue
        status = person.get("status")
        if role.id in required and status not in ("active", "terminated"):
            shown = status if isinstance(status, str) else ""
            yield finding(role, "inactive-holder", role.loc("holder"), ref=holder, status=shown)
    if not any(r.get("management") is True for r in repo.items_of("roles")):
        yield Finding(loc, "no-management", {"kind": "roles"})


# ---------------------------------------------------------------------------------------------
# II.2.2.2 / II.3.1.1 contracts of external parties


def _needs_contract(party: Entity) -> bool:
    """The party declares some access other than ``none`` (so a contract must define it)."""
    access = party.get("access")
    return isinstance(access, list) and any(isinstance(a, str) and a != "none" for a in access)


def _contract_of(repo: Repository, party: Entity) -> Entity | None:
    """The contract document the party names, when it is a contract with this party."""
    contract = repo.find(party.get("contract"), "contract")
    if contract is None:
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
        yield finding(party, "unknown-contract", party.loc("contract"), ref=ref)
    elif target.kind != "contract":
        yield finding(party, "not-a-contract", party.loc("contract"), ref=ref, other=target.kind)
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
            contract, expires, 0, ctx.today, warn, contract.loc("expires_on"), party=party.label
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
                yield finding(record, "unknown-subject", record.loc("subject"), ref=subject)
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
        yield from due_findings(
            party, last, months, ctx.today, warn, party.loc(), audit=record.label
        )


# ---------------------------------------------------------------------------------------------
# II.4.3.1 owner reviews


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
    for asset in repo.items_of("assets"):
        owner = asset.text("owner")
        if owner is None or resolve_problem(repo, owner, ("role", "person"), active=True):
            continue  # reported by II.4.1.1/asset-owner
        owners, assets = groups.setdefault(party(owner), ([], []))
        if owner not in owners:
            owners.append(owner)
        assets.append(asset)
    reviews_by_party: dict[str, list[tuple[dt.date, Entity]]] = {}
    for day, rev, r in reviews:
        reviews_by_party.setdefault(party(rev), []).append((day, r))
    for key, (owners, assets) in groups.items():
        first = assets[0]
        mine = reviews_by_party.get(key, [])
        args = {
            "id": owners[0],
            "kind": "assets",
            "path": first.path,
            "owners": owners,
            "assets": [a.label for a in assets],
            "interval": months,
        }
        loc = first.loc("owner")
        if not mine:
            yield Finding(loc, "no-review", args, owners[0])
            continue
        last, record = max(mine, key=lambda x: x[0])
        for f in due_findings(first, last, months, ctx.today, warn, loc, record=record.label):
            yield Finding(f.location, f.key, {**f.args, **args}, owners[0], f.severity)


# ---------------------------------------------------------------------------------------------
# II.5.2.1 training


def training_current(ctx: Context, params: Params) -> Iterator[Finding]:
    """Each selected (active) person completed a training within ``interval_months`` [12];
    people hired less than ``grace_days`` [30] ago are exempt."""
    months = int(params.get("interval_months", 12))
    grace = int(params.get("grace_days", 30))
    warn = int(params.get("warn_before_days", 30))
    for person in selected(ctx, params):
        hired = person.date("hired_on")
        if hired is not None and (ctx.today - hired).days < grace:
            continue
        trainings = person.get("trainings")
        if trainings is not None and not isinstance(trainings, list):
            continue  # a wrong type: reported by policylint/schema
        latest: tuple[dt.date, int] | None = None
        for i in range(len(trainings or [])):
            day = person.date("trainings", i, "completed_on")
            if day is not None and (latest is None or day > latest[0]):
                latest = (day, i)
        if latest is None:
            loc = person.loc("trainings") if person.present("trainings") else person.loc()
            yield finding(person, "no-training", loc, interval=months)
            continue
        day, i = latest
        course = person.get("trainings", i, "course")
        yield from due_findings(
            person,
            day,
            months,
            ctx.today,
            warn,
            person.loc("trainings", i, "completed_on"),
            course=course if isinstance(course, str) else "",
        )


# ---------------------------------------------------------------------------------------------
# II.5.3.1 duties of people who have left


def no_duties_after_termination(ctx: Context, params: Params) -> Iterator[Finding]:
    """No terminated person still holds a duty: a role (as its ``holder`` or in their own
    ``roles``), the ownership of a document or register, a document's ``contact``, or the
    ``reviewer`` of a review dated after they left.

    An asset owner who has left is reported by II.4.1.1/asset-owner; a duty given to a role is
    reported once, at the role.
    """
    repo = ctx.repo
    gone = {p.id: p for p in repo.items_of("people") if p.id and p.get("status") == "terminated"}
    if not gone:
        return

    def left(ref: str) -> str:
        return _iso(gone[ref].date("terminated_on"))

    def said(key: str, ref: str) -> str:
        """The message key: '...-undated' when the leaving date is unknown (its absence is
        reported by II.5.3.1/access-revoked, an invalid one by policylint/invalid-date)."""
        return key if left(ref) else key + "-undated"

    held: set[tuple[str, str]] = set()
    for role in repo.items_of("roles"):
        holder = role.text("holder")
        if holder in gone and role.id:
            held.add((holder, role.id))
            yield finding(
                role,
                said("role-holder", holder),
                role.loc("holder"),
                person=holder,
                left=left(holder),
            )
    for pid, person in gone.items():
        roles = [
            r for r in person.strings("roles") if repo.role(r) is not None and (pid, r) not in held
        ]
        if roles:
            yield finding(
                person, said("person-roles", pid), person.loc("roles"), roles=roles, left=left(pid)
            )
    for doc in repo.documents:
        for name in ("owner", "contact"):
            ref = doc.text(name)
            if ref in gone:
                yield finding(doc, said(name, ref), doc.loc(name), person=ref, left=left(ref))
        if doc.kind == "review-record":
            ref = doc.text("reviewer")
            day = doc.date("date")
            if ref in gone and day is not None:
                ended = gone[ref].date("terminated_on")
                if ended is not None and day > ended:
                    yield finding(
                        doc,
                        "reviewer",
                        doc.loc("reviewer"),
                        person=ref,
                        left=left(ref),
                        date=day.isoformat(),
                    )
    for register in repo.registers:
        ref = register.data.get("owner")
        if isinstance(ref, str) and ref in gone:
            yield Finding(
                _register_field_loc(register, "owner"),
                said("register-owner", ref),
                {
                    "id": register.path,
                    "kind": register.kind,
                    "path": register.path,
                    "person": ref,
                    "left": left(ref),
                },
            )


# ---------------------------------------------------------------------------------------------
# II.7.1.1 laws


def _norm(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def named_laws_considered(ctx: Context, params: Params) -> Iterator[Finding]:
    """The legal register has an entry (applying or not) for each law of ``laws``.

    Each law is ``{ja, en, aliases}``; an entry matches when its ``law`` contains one of those
    names (ignoring case, width, spaces and punctuation).
    """
    loc = _register_loc(ctx, "legal-register")
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
    if _register_loc(ctx, "legal-register") is None:
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


BUILTINS: dict[str, CheckFn] = {
    "duplicate_ids": duplicate_ids,
    "unresolved_references": unresolved_references,
    "unknown_kinds": unknown_kinds,
    "exceptions_expired": exceptions_expired,
    "exceptions_unapproved": exceptions_unapproved,
    "policy_approved": policy_approved,
    "approver_is_management": approver_is_management,
    "revision_approved": revision_approved,
    "roles_defined": roles_defined,
    "contract_exists": contract_exists,
    "contract_access_scope": contract_access_scope,
    "partner_sla": partner_sla,
    "contract_expiry": contract_expiry,
    "partner_audit": partner_audit,
    "owner_review": owner_review,
    "training_current": training_current,
    "no_duties_after_termination": no_duties_after_termination,
    "named_laws_considered": named_laws_considered,
    "foreign_jurisdiction": foreign_jurisdiction,
}
