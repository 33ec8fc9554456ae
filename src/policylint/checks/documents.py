"""Checks of approved documents: the policy's approval and signature, management approvers judged
on the day they approved, revisions (II.1.1.1, II.1.1.2)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from policylint.dates import add_days, add_months
from policylint.diagnostics import Finding, Severity
from policylint.model import Entity, Repository
from policylint.placeholders import is_placeholder as shared_placeholder
from policylint.primitives import (
    Context,
    Params,
    finding,
    heading_pattern,
    iso,
    selected,
)
from policylint.validate import known_kinds


def _is_path(value: str) -> bool:
    """A value that names a file: no spaces, no date in it, and a folder or an extension."""
    if any(ch.isspace() for ch in value) or _DATE.search(value):
        return False
    tail = value.rsplit("/", 1)[-1]
    return "/" in value or ("." in tail and not tail.endswith("."))


# ---------------------------------------------------------------------------------------------
# a signature is evidence, not a word

_DATE = re.compile(
    r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?"
    r"|(?:令和|平成|R|H)\s*(?:\d{1,2}|元)\s*[年.]\s*\d{1,2}\s*[月.]\s*\d{1,2}日?"
    r"|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+\d{4}"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}",
    re.IGNORECASE,
)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def placeholder_matcher(vocabulary: Any) -> Any:
    """One pattern for a vocabulary ``{words: [...], patterns: [...]}``: a value that is only
    such a word (ignoring case, width and surrounding punctuation) or matches a pattern whole.
    Compiled by RE2 (:func:`~policylint.primitives.heading_pattern`): configuration can change
    the patterns, and they must run in linear time."""
    if not isinstance(vocabulary, Mapping):
        return None
    words = [re.escape(_fold(w)) for w in vocabulary.get("words", ()) if isinstance(w, str)]
    patterns = [p for p in vocabulary.get("patterns", ()) if isinstance(p, str)]
    parts = []
    if words:
        # punctuation and symbols around the word (not \\W: in RE2 it is ASCII only, and would
        # take Japanese text for punctuation)
        edge = r"[\s\p{P}\p{S}]*"
        alternatives = "|".join(sorted(words, key=len, reverse=True))
        parts.append(edge + "(?:" + alternatives + ")" + edge)
    parts.extend(patterns)
    return heading_pattern(parts) if parts else None


def is_placeholder(value: str, matcher: Any) -> bool:
    """A placeholder of the shared vocabulary (:mod:`policylint.placeholders`: TBD, 未定, an
    unfilled ``{{…}}``...) or a word that is no evidence of a signature (``matcher``: ``-``,
    ``n/a``, ``signed``, ``署名済``...)."""
    folded = _fold(value)
    if not folded or shared_placeholder(value):
        return True
    return matcher is not None and matcher.fullmatch(folded) is not None


def signature_problem(value: str, matcher: Any, filler: Iterable[str]) -> str:
    """'' when a signature statement says who signed and when; else the message key."""
    if is_placeholder(value, matcher):
        return "signature-placeholder"
    rest = _DATE.sub(" ", _fold(value))
    has_date = rest != _fold(value)
    for word in sorted((_fold(w) for w in filler), key=len, reverse=True):
        if word:
            rest = rest.replace(word, " ")
    has_name = sum(ch.isalpha() for ch in rest) >= 2
    return "" if has_date and has_name else "signature-vague"


def policy_approved(ctx: Context, params: Params) -> Iterator[Finding]:
    """approved_by names a person, approved_on is set, and signature is evidence: a statement
    that says who signed and when, or the path of a file inside the repository. A placeholder
    (``TBD``, ``未定``, ``{{…}}``: the shared vocabulary of :mod:`policylint.placeholders`) or a
    word that is no evidence (``-``, ``n/a``, ``signed``: ``placeholders`` here, the
    ``signature-non-evidence`` vocabulary) is not."""
    matcher = placeholder_matcher(params.get("placeholders"))
    filler = [w for w in params.get("signature_filler", ()) if isinstance(w, str)]
    for doc in selected(ctx, params):
        if not doc.present("approved_by"):
            yield finding(doc, "missing-field", field="approved_by")
        else:
            ref = doc.text("approved_by")
            if ref is not None and ctx.repo.person(ref) is None:
                yield finding(
                    doc,
                    "unknown-approver",
                    doc.loc("approved_by"),
                    ref=ref,
                    suggestions=ctx.repo.ids_like(ref, ("person",)),
                )
        if not doc.present("approved_on"):
            yield finding(doc, "missing-field", field="approved_on")
        signature = doc.get("signature")
        if signature is None or (isinstance(signature, str) and not signature.strip()):
            yield finding(doc, "missing-field", doc.loc("signature"), field="signature")
        elif (
            isinstance(signature, str)
            and not is_placeholder(signature, matcher)
            and _is_path(signature.strip())
        ):
            exists = ctx.file_exists(signature.strip())
            if exists is None:
                yield finding(doc, "signature-outside", doc.loc("signature"), file=signature)
            elif not exists:
                yield finding(doc, "signature-missing", doc.loc("signature"), file=signature)
        elif isinstance(signature, str):
            key = signature_problem(signature, matcher, filler)
            if key:
                yield finding(doc, key, doc.loc("signature"), value=signature.strip())


# ---------------------------------------------------------------------------------------------
# management, judged on the day of the approval


def approval_problem(repo: Repository, ref: str, day: dt.date | None) -> tuple[str, dict[str, Any]]:
    """Why ``ref`` could not approve on ``day`` ('' when they could), with message arguments.

    ``after-leaving``: the approval is dated after the person left; ``not-management-then``:
    they hold or held a management role, but not on that day; ``not-management``: never.
    """
    person = repo.person(ref)
    if person is None or repo.is_management(ref, day):
        return "", {}
    when = repo.today if day is None else day
    if repo.has_left(person, when):
        return "after-leaving", {"left": iso(person.date("terminated_on")), "date": iso(when)}
    tenures = repo.management_tenures(ref)
    if tenures:
        held = [f"{t.role} ({iso(t.start) or '…'} – {iso(t.end) or '…'})" for t in tenures]
        return "not-management-then", {"date": iso(when), "held": held}
    return "not-management", {"date": iso(when)}


def approver_is_management(ctx: Context, params: Params) -> Iterator[Finding]:
    """The policy's approver held a role with ``management: true`` on ``approved_on`` (today,
    when it is missing) and had not left by then. A past approval by someone who has since left
    stays valid."""
    repo = ctx.repo
    for doc in selected(ctx, params):
        ref = doc.text("approved_by")
        if ref is None or repo.person(ref) is None:
            continue  # reported by policy-approved
        key, args = approval_problem(repo, ref, doc.date("approved_on"))
        if key:
            yield finding(
                doc,
                "default" if key == "not-management" else key,
                doc.loc("approved_by"),
                ref=ref,
                **args,
            )


def revision_approved(ctx: Context, params: Params) -> Iterator[Finding]:
    """Every revision has version, date and an approver who was management on that date; the
    document's ``version`` is its latest revision's, and ``approved_on`` does not precede it."""
    repo = ctx.repo
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
            date = doc.date("revisions", i, "date")
            approver = doc.text("revisions", i, "approved_by")
            if approver and repo.person(approver) and date is not None:
                key, args = approval_problem(repo, approver, date)
                if key:
                    yield finding(
                        doc,
                        "revision-" + key,
                        doc.loc("revisions", i, "approved_by"),
                        index=i + 1,
                        ref=approver,
                        **args,
                    )
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
        approved = doc.date("approved_on")
        if latest is not None and approved is not None and approved < latest[0]:
            yield finding(
                doc,
                "approved-before-revision",
                doc.loc("approved_on"),
                approved_on=approved.isoformat(),
                date=latest[0].isoformat(),
                latest=doc.get("revisions", latest[1], "version"),
            )


# ---------------------------------------------------------------------------------------------
# reviews after a significant change (II.1.1.2, II.2.1.2, II.2.1.3)


def _affected(change: Entity, doc: Entity) -> bool:
    """A change affects a document it names by id, by kind, or with ``all``."""
    targets = change.strings("affects")
    return "all" in targets or doc.kind in targets or (doc.id is not None and doc.id in targets)


def significant_change_review(ctx: Context, params: Params) -> Iterator[Finding]:
    """Every document of ``kind`` that a ``significant-changes`` entry affects (``affects``: ids,
    kinds, or ``all``) was reviewed on or after the change's ``date``, at the latest
    ``grace_days`` [90] after it (a warning until then). A document whose periodic review is
    already overdue is left to its review check (one fault, one report). With
    ``report_unknown: true`` an
    ``affects`` entry that names no document and no kind is reported at the change."""
    repo = ctx.repo
    grace = int(params.get("grace_days", 90))
    docs = selected(ctx, params)
    changes = repo.items_of("significant-changes")
    if params.get("report_unknown"):
        kinds = {*known_kinds(), "all"}
        for change in changes:
            for i, target in enumerate(change.strings("affects")):
                if target not in kinds and repo.find(target) is None:
                    yield finding(change, "unknown-affects", change.loc("affects", i), ref=target)
    for change in changes:
        day = change.date("date")
        if day is None or day > ctx.today:
            continue  # missing or invalid: policylint/schema and invalid-date; future: not yet
        deadline = add_days(day, grace)
        if deadline is None:
            continue
        for doc in docs:
            if not _affected(change, doc):
                continue
            reviewed = doc.date("last_reviewed")
            if reviewed is None or reviewed >= day:
                continue  # missing or invalid: reported by its review check or invalid-date
            if reviewed is not None:
                periodic = add_months(
                    reviewed, doc.integer("review_interval_months", default=12) or 12
                )
                if periodic is not None and periodic < ctx.today:
                    continue  # already overdue: its review check asks for the review (once)
            args: dict[str, Any] = {
                "change": change.label,
                "change_date": day.isoformat(),
                "change_type": change.text("type") or "",
                "last": iso(reviewed),
                "due": deadline.isoformat(),
            }
            loc = doc.loc("last_reviewed") if doc.present("last_reviewed") else doc.loc("kind")
            if deadline < ctx.today:
                yield finding(doc, "not-reviewed-after-change", loc, **args)
            else:
                yield finding(
                    doc,
                    "review-after-change-due",
                    loc,
                    severity=Severity.WARNING,
                    days=(deadline - ctx.today).days,
                    **args,
                )
