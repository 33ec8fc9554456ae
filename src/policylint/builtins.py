"""Named built-in checks: what the generic primitives cannot express as data.

Same signature as the primitives; listed in :data:`BUILTINS`. The rule pack names them with
``primitive: <name>``. Each is pure: it reads the model and yields findings.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from policylint.diagnostics import Finding, Location
from policylint.exceptions import exceptions_expired, exceptions_unapproved
from policylint.model import Entity, _walk
from policylint.primitives import (
    CheckFn,
    Context,
    Params,
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
            if date is not None and (latest is None or date >= latest[0]):
                latest = (date, i)
        if latest is not None:
            current = doc.get("version")
            rev_version = doc.get("revisions", latest[1], "version")
            if current is not None and rev_version is not None and str(current) != str(rev_version):
                yield finding(
                    doc, "version-mismatch", doc.loc("version"), version=current, latest=rev_version
                )


def _loc_or(entity: Entity, field: str) -> Location:
    return entity.loc(field) if entity.present(field) else entity.loc()


BUILTINS: dict[str, CheckFn] = {
    "duplicate_ids": duplicate_ids,
    "unresolved_references": unresolved_references,
    "unknown_kinds": unknown_kinds,
    "exceptions_expired": exceptions_expired,
    "exceptions_unapproved": exceptions_unapproved,
    "policy_approved": policy_approved,
    "approver_is_management": approver_is_management,
    "revision_approved": revision_approved,
}
