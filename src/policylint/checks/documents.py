"""Checks of approved documents: the policy's approval and signature, management approvers,
revisions (II.1.1.1, II.1.1.2)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from policylint.diagnostics import Finding
from policylint.primitives import (
    Context,
    Params,
    finding,
    selected,
)


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
