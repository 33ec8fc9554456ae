"""Checks of approvals against the evidence git and the approved digest hold (II.1.1.1, II.1.1.2
and every item whose documents record ``approved_on``).

They read the facts :mod:`policylint.history` computed once for the run (``repo.history``):
whether the text in force is the approved text, which commit recorded the approval, who signed it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from policylint.approval import DIGEST_RE, line_ranges
from policylint.diagnostics import Finding, Location, Severity
from policylint.history import ApprovalFacts, history_of
from policylint.model import Entity, Repository
from policylint.primitives import Context, Params, finding, selected


def changed_lines(item: ApprovalFacts) -> list[int]:
    """File lines of the text in force that differ from the approved text."""
    doc, change = item.doc, item.change
    if not change:
        return []
    out: set[int] = set()
    for name in change.fields:
        out.add(doc.loc(name).line if name in doc.data else doc.loc().line)
    src = doc.source
    skip = 0
    body = src.body.split("\n")
    while skip < len(body) and not body[skip].strip():
        skip += 1
    out.update(src.body_line + skip + n - 1 for n in change.body_lines)
    return sorted(out)


def changed_since_approval(ctx: Context, params: Params) -> Iterator[Finding]:
    """The text in force (body and non-bookkeeping fields) is the approved text: per git history
    (the commit that recorded the approval) and per ``approved_digest``."""
    facts = history_of(ctx.repo)
    if facts is None:
        return
    for doc in selected(ctx, params):
        item = facts.of(doc)
        if item is None:
            continue
        recorded = doc.get("approved_digest")
        if recorded is not None and not (
            isinstance(recorded, str) and DIGEST_RE.fullmatch(recorded.strip())
        ):
            yield finding(doc, "bad-digest", doc.loc("approved_digest"), value=str(recorded))
        if item.change and item.approval is not None:
            lines = changed_lines(item)
            approval = item.approval.commit
            args: dict[str, Any] = {
                "lines": line_ranges(lines),
                "approved_on": _text(doc.get("approved_on")),
                "approval_commit": approval.short,
                "approval_date": approval.day,
            }
            loc = Location(doc.path, lines[0], 1) if lines else doc.loc()
            by = item.changed_by
            if by is None:
                yield finding(doc, "uncommitted", loc, **args)
            else:
                yield finding(
                    doc,
                    "changed",
                    loc,
                    commit=by.short,
                    date=by.day,
                    author=by.author,
                    **args,
                )
        elif item.digest_matches is False:
            yield finding(
                doc,
                "digest-mismatch",
                doc.loc("approved_digest"),
                recorded=item.digest_recorded or "",
                actual=item.digest,
            )


def _text(value: object) -> str:
    iso = getattr(value, "isoformat", None)
    return str(iso()) if callable(iso) else ("" if value is None else str(value))


def signature_problem(repo: Repository, item: ApprovalFacts) -> tuple[str, dict[str, Any]] | None:
    """Why a recorded approval is not signed by its approver (None: it is, or it cannot be
    known yet because the approval is not committed). One place for the check and the report."""
    sig = item.signature
    if item.approval is None or sig is None:
        return None
    doc = item.doc
    approver = doc.text("approved_by")
    args: dict[str, Any] = {
        "commit": item.approval.commit.short,
        "approver": approver or "",
        "fingerprint": sig.key,
    }
    if sig.status == "none":
        return "unsigned", args
    if sig.status == "unknown-key":
        return "unknown-key", args
    if sig.status in ("bad", "unverifiable"):
        return "unverifiable", {**args, "detail": sig.detail}
    signer = sig.signer or ""
    args["signer"] = signer
    if approver is not None and signer != approver:
        return "other-signer", args
    if signer not in repo.management_on(doc.get("approved_on")):
        return "not-management", {**args, "approved_on": _text(doc.get("approved_on"))}
    return None


def approval_unsigned(ctx: Context, params: Params) -> Iterator[Finding]:
    """With ``approvals: {signed: required}``, the commit that recorded the approval carries a
    valid signature by a key of the approver, who was management on the approval date."""
    facts = history_of(ctx.repo)
    if facts is None or facts.signed != "required" or not facts.available:
        return
    for doc in selected(ctx, params):
        item = facts.of(doc)
        if item is None:
            continue
        problem = signature_problem(ctx.repo, item)
        if problem is not None:
            key, problem_args = problem
            where = "approved_by" if doc.get("approved_by") is not None else "approved_on"
            yield finding(doc, key, doc.loc(where), **problem_args)


def _emails(person: Entity) -> set[str]:
    return {e.strip().lower() for e in person.strings("email") if e.strip()}


def approval_segregation(ctx: Context, params: Params) -> Iterator[Finding]:
    """Segregation of duties: the approver is not the only author of the change they approved
    (authors are matched to people by the ``email`` of the people register)."""
    facts = history_of(ctx.repo)
    if facts is None:
        return
    for doc in selected(ctx, params):
        item = facts.of(doc)
        if item is None or item.approval is None or not item.authors:
            continue
        approver = ctx.repo.person(doc.text("approved_by"))
        if approver is None:
            continue  # reported by policy-approved
        emails = _emails(approver)
        if emails and all(c.email.strip().lower() in emails for c in item.authors):
            yield finding(
                doc,
                "default",
                doc.loc("approved_by"),
                severity=Severity.WARNING,
                ref=approver.id or "",
                commit=item.approval.commit.short,
                commits=len(item.authors),
            )


def no_history(ctx: Context, params: Params) -> Iterator[Finding]:
    """History the approval checks need but cannot read is said once, with how to fetch it."""
    facts = history_of(ctx.repo)
    if facts is None or not facts.approvals:
        return
    required = facts.mode == "required" or facts.signed == "required"
    lower = None if required else Severity.WARNING
    loc = ctx.repo.repo_location()
    key: str | None = None
    args: dict[str, object] = {"detail": facts.detail}
    if facts.status in ("git-missing", "git-error"):
        key = facts.status
    elif facts.status == "not-a-work-tree" and required:
        key = "not-a-work-tree"
    elif facts.status == "available":
        shallow = facts.shallow_documents
        if shallow:
            key = "shallow"
            args.update(count=len(shallow), example=shallow[0].doc.path)
    if key is not None:
        yield Finding(loc, key, {"count": len(facts.approvals), **args}, None, lower)
