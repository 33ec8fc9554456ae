"""Exceptions: approved, expiring risk acceptances from the ``exceptions`` register.

(Not Python exceptions: those are in ``errors.py``.) An exception names a check or an item
(prefixes such as ``II.4`` work) and a target (a document or item id, or a repository path or
folder). It applies only while it is valid: a reason, an approver who is management, an approval
date, and an expiry not past and at most ``max_months`` [12] after approval. An unparseable date
fails closed: the exception does not apply. Invalid exceptions are reported by
``policylint/exception-expired`` and ``policylint/exception-unapproved``; the findings they would
have covered stay errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from policylint.dates import add_months
from policylint.diagnostics import Diagnostic, Finding
from policylint.model import Entity, Repository
from policylint.primitives import Context, Params, finding
from policylint.rulepack import CheckDef, match_selector, normalise_item_id
from policylint.suggest import did_you_mean

EXPIRED, UNAPPROVED = "expired", "unapproved"


@dataclass(frozen=True)
class Verdict:
    exception: Entity
    problem: str  # "" when valid, else EXPIRED or UNAPPROVED
    key: str = ""
    args: tuple[tuple[str, object], ...] = ()


ID_FORM = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
"""The form of an id (``schemas/kinds/exceptions.schema.json``): an exception whose id has another
form (a newline, an escape sequence) fails closed, like one with an unreadable date."""


def judge(exc: Entity, repo: Repository, max_months: int) -> Verdict:
    """Decide whether one exception is in force, and if not, why."""
    raw_id = exc.get("id")
    if raw_id is not None and not (isinstance(raw_id, str) and ID_FORM.fullmatch(raw_id)):
        return Verdict(exc, UNAPPROVED, "bad-id")
    missing = [f for f in ("check", "target", "reason", "approved_by") if exc.text(f) is None]
    missing += [f for f in ("approved_on", "expires_on") if not exc.present(f)]
    if missing:
        return Verdict(exc, UNAPPROVED, "missing", (("missing", missing),))
    approver = exc.text("approved_by")
    if approver is None or repo.person(approver) is None:
        meant = repo.ids_like(approver, ("person",)) if approver else ()
        return Verdict(
            exc, UNAPPROVED, "unknown-approver", (("ref", approver), ("suggestions", meant))
        )
    approved, expires = exc.date("approved_on"), exc.date("expires_on")
    if not repo.is_management(approver, approved):  # management on the day of the approval
        return Verdict(exc, UNAPPROVED, "not-management", (("ref", approver),))
    if approved is None or expires is None:
        return Verdict(exc, UNAPPROVED, "bad-date")  # fail closed; invalid-date reports the value
    if approved > repo.today:
        return Verdict(exc, UNAPPROVED, "not-yet", (("approved_on", approved.isoformat()),))
    limit = add_months(approved, max_months)
    if limit is None or expires > limit:
        return Verdict(
            exc,
            UNAPPROVED,
            "too-long",
            (("expires_on", expires.isoformat()), ("maximum", max_months)),
        )
    if expires < repo.today:
        return Verdict(exc, EXPIRED, "default", (("expires_on", expires.isoformat()),))
    return Verdict(exc, "")


def verdicts(repo: Repository, max_months: int) -> list[Verdict]:
    return [judge(e, repo, max_months) for e in repo.items_of("exceptions")]


def _report(ctx: Context, params: Params, problem: str) -> Iterator[Finding]:
    for v in verdicts(ctx.repo, int(params.get("max_months", 12))):
        if v.problem == problem:
            where = (
                "expires_on"
                if v.key in ("default", "too-long")
                else ("approved_by" if v.key in ("unknown-approver", "not-management") else "id")
            )
            args: dict[str, Any] = dict(v.args)
            yield finding(v.exception, v.key, v.exception.loc(where), **args)


def exceptions_expired(ctx: Context, params: Params) -> Iterator[Finding]:
    return _report(ctx, params, EXPIRED)


def exceptions_unapproved(ctx: Context, params: Params) -> Iterator[Finding]:
    return _report(ctx, params, UNAPPROVED)


def _selector(text: str) -> str:
    """``Ⅱ.4.1.1`` → ``II.4.1.1``; ``Ⅱ.4`` → ``II.4`` (item prefixes, in either spelling)."""
    text = normalise_item_id(text)
    if text.startswith("Ⅱ"):
        text = "II" + text[1:]
    return text.replace(" ", "").rstrip(".") if text.startswith("II") else text


def _covers(exc: Entity, d: Diagnostic, aliases: Mapping[str, str] | None = None) -> bool:
    """The exception names the diagnostic's check (its id, item, or an item prefix such as
    ``II.4``) and its target (the document or item id, or the file, or a folder above it)."""
    selector = _selector(exc.text("check") or "")
    if not selector:
        return False
    served = list(d.serves or ((None, d.item, d.check_id),))
    for _, _, check in list(served):
        origin = (aliases or {}).get(check)
        if origin:  # a check that runs another pack's check: an exception for that one holds
            served.append((None, origin.split("/", 1)[0], origin))
    hit = any(
        selector == check
        or (item is not None and (item == selector or item.startswith(selector + ".")))
        for _, item, check in served
    )
    if not hit:
        return False
    target = _target(exc)
    if not target:
        return False
    if target == d.target:
        return True
    return d.path is not None and (target == d.path or d.path.startswith(target + "/"))


def apply(
    diagnostics: Iterable[Diagnostic],
    repo: Repository,
    max_months: int,
    aliases: Mapping[str, str] | None = None,
) -> list[Diagnostic]:
    """Mark the diagnostics a valid exception covers as suppressed by it. ``aliases`` maps a
    check that runs another pack's check (``same_as``) to that check: an exception approved for
    II.4.1.1/asset-owner also covers A.5.9/asset-owner, the same finding."""
    valid = [v.exception for v in verdicts(repo, max_months) if not v.problem]
    out = []
    for d in diagnostics:
        if not d.check_id.startswith("policylint/exception-"):
            for exc in valid:
                if _covers(exc, d, aliases):
                    d = replace(d, suppressed_by=exc.id or "exception")
                    break
        out.append(d)
    return out


def stale(
    diagnostics: Iterable[Diagnostic],
    repo: Repository,
    max_months: int,
    checks: Iterable[CheckDef],
    ran: Iterable[str],
) -> Iterator[Finding]:
    """Valid exceptions that match no finding (``policylint/stale-exception``), as ruff reports
    an unused ``noqa``: a check or target that names nothing (with the name probably meant), or
    a problem since fixed. An exception for checks that did not run (turned off, or outside
    ``--select``) cannot be judged and is not reported."""
    checks = list(checks)
    ran_ids = set(ran)
    used = {d.suppressed_by for d in diagnostics if d.suppressed_by is not None}
    names = [*{c.id for c in checks}, *{c.item for c in checks if c.item}]
    for v in verdicts(repo, max_months):
        exc = v.exception
        if v.problem or exc.id in used:
            continue
        check_text = exc.text("check") or ""
        selector = _selector(check_text)
        matched = [c for c in checks if match_selector(selector, c)]
        if not matched:
            yield finding(
                exc,
                "unknown-check",
                exc.loc("check"),
                check=check_text,
                suggestions=did_you_mean(selector, names),
            )
            continue
        if not any(c.id in ran_ids for c in matched):
            continue
        target = _target(exc)
        if not _target_exists(repo, target):
            candidates = [*repo.by_id, *(s.path for s in repo.sources)]
            yield finding(
                exc,
                "unknown-target",
                exc.loc("target"),
                target=target,
                suggestions=did_you_mean(target, candidates),
            )
            continue
        yield finding(exc, "unused", exc.loc("check"), check=check_text, target=target)


def _target(exc: Entity) -> str:
    target = (exc.text("target") or "").strip()
    while target.startswith("./"):
        target = target[2:]
    return target.strip("/")


def _target_exists(repo: Repository, target: str) -> bool:
    if target in repo.by_id:
        return True
    folder = target + "/"
    return any(s.path == target or s.path.startswith(folder) for s in repo.sources)
