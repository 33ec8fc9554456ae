"""The compliance report as data: the status of every guideline item, built from one engine run.

Everything here is computed from a finished :class:`~policylint.engine.Result` (the repository
model, the configured checks and their diagnostics); nothing reads a file. The renderers
(``md``, ``html``, ``json``, ``oscal``) only format a :class:`Report`.

How an item's status is decided (documented for auditors in ``docs/report.md``):

- ``not-assessed``: the rule pack has no check for the item yet, or configuration turned every
  main-text check of it off;
- ``no-evidence``: no check of the item found anything to examine (no document or register of
  the kinds its checks read, or only vacuous passes);
- ``met``: every enabled check ran, at least one on evidence that exists, none has an active
  finding, and no main-text check is turned off;
- ``excepted``: the only findings are suppressed by valid exceptions;
- ``partly``: only warnings remain, or only some checks fail, or a main-text check is turned off,
  or an evidence file still holds placeholders (``policylint/placeholder``: never "met" on them);
- ``not-met``: every enabled check that ran has an active finding, at least one of them an error.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from policylint import __version__
from policylint.checks.people import _course_matcher, trainings_of
from policylint.dates import add_days, add_months
from policylint.diagnostics import Diagnostic, Severity
from policylint.model import Entity, Repository
from policylint.primitives import Context, kinds_of, register_review, selected
from policylint.report.labels import label
from policylint.rulepack import Item, RulePack, normalise_item_id, tr

if TYPE_CHECKING:
    from policylint.engine import Result, Setting

STATUSES = ("met", "excepted", "partly", "not-met", "no-evidence", "not-assessed")
"""Item statuses, from best to worst as an auditor reads them."""

CHECK_RESULTS = ("pass", "excepted", "warn", "fail", "no-evidence", "off")

DEFAULT_HORIZON_DAYS = 90

PLACEHOLDER = "policylint/placeholder"

ITEM_KINDS: Mapping[str, tuple[str, ...]] = {
    "II.1.1.1": ("policy",),
    "II.1.1.2": ("policy",),
    "II.2.1.1": ("roles", "people"),
    "II.2.1.2": ("confidentiality-requirements",),
    "II.2.1.3": ("standard", "procedure"),
    "II.2.2.1": ("external-parties",),
    "II.2.2.2": ("external-parties", "contract"),
    "II.3.1.1": ("external-parties", "contract"),
    "II.3.1.2": ("external-parties", "audit-record"),
    "II.4.1.1": ("assets",),
    "II.4.2.1": ("classification-scheme", "assets"),
    "II.4.3.1": ("review-record", "assets"),
    "II.4.3.2": ("audit-record",),
    "II.5.1.1": ("people",),
    "II.5.2.1": ("people",),
    "II.5.2.2": ("disciplinary-procedure",),
    "II.5.3.1": ("offboarding-procedure", "people"),
    "II.6.1.1": ("incident-procedure", "incidents"),
    "II.7.1.1": ("legal-register",),
    "II.7.1.2": ("records-retention",),
    "II.7.1.3": ("acceptable-use-notice",),
    "II.8.1.1": ("support-policy", "external-parties"),
}
"""The kinds the convention (conventions.md §2–3) names for each item: the evidence of a check
whose steps name no ``kind`` (built-ins that find their documents themselves)."""

REVIEW_ITEM: Mapping[str, str] = {
    "policy": "II.1.1.2",
    "confidentiality-requirements": "II.2.1.2",
    "standard": "II.2.1.3",
    "procedure": "II.2.1.3",
    "disciplinary-procedure": "II.5.2.2",
    "offboarding-procedure": "II.5.3.1",
    "incident-procedure": "II.6.1.1",
    "acceptable-use-notice": "II.7.1.3",
    "support-policy": "II.8.1.1",
    "contract": "II.2.2.2",
}
"""The item whose review cycle a document's ``last_reviewed`` belongs to."""

REGISTER_ITEM: Mapping[str, str] = {
    "people": "II.5.1.1",
    "roles": "II.2.1.1",
    "assets": "II.4.1.1",
    "classification-scheme": "II.4.2.1",
    "external-parties": "II.2.2.1",
    "legal-register": "II.7.1.1",
    "records-retention": "II.7.1.2",
    "incidents": "II.6.1.1",
    "exceptions": "",
}


# ---------------------------------------------------------------------------------------------
# the report's records


@dataclass(frozen=True)
class Evidence:
    """A governance document, or a register, that a check of the item reads."""

    kind: str
    path: str
    id: str | None
    title: str
    register: bool
    items: int = 0


@dataclass(frozen=True)
class CheckRow:
    id: str
    title: str
    severity: str  # "error" | "warning" | "off" (as configured for this run)
    default_severity: str
    basis: str
    result: str  # one of CHECK_RESULTS
    errors: int
    warnings: int
    suppressed: int
    examined: int | None  # entities the check read (None: not derivable from its parameters)
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class Due:
    """Something that falls due: a review, a training, an expiry, an audit."""

    date: dt.date
    event: str
    item: str | None
    subject: str
    title: str
    path: str
    line: int
    days: int  # from today; negative when overdue
    thing: str = ""
    """What falls due, independent of its date and of the record that last met it (the owner
    of an owner review, not the last review record): a calendar keys its event on it."""

    @property
    def overdue(self) -> bool:
        return self.days < 0

    @property
    def key(self) -> str:
        return f"{self.event}:{self.item or ''}:{self.thing or self.subject}"


@dataclass(frozen=True)
class Mapped:
    """An item or control of another framework of the run that the crosswalk maps this one to,
    and how it fared on the same evidence."""

    framework: str
    id: str
    title: str
    relationship: str
    status: str


@dataclass(frozen=True)
class ItemRow:
    id: str
    chapter: str
    level: str
    title: str
    summary: str
    status: str
    reason: str
    checks: tuple[CheckRow, ...]
    evidence: tuple[Evidence, ...]
    file_errors: int
    next_due: Due | None
    iso27001_2022: tuple[str, ...]
    exceptions: tuple[str, ...]
    placeholders: tuple[str, ...] = ()
    """Evidence files that still hold placeholders (``policylint/placeholder``): the item is
    never counted met on them."""
    note: str = ""
    """Why the item is not assessable from a governance repository (its catalogue's reason)."""
    mapped: tuple[Mapped, ...] = ()


@dataclass(frozen=True)
class Chapter:
    id: str
    title: str
    counts: Mapping[str, int]


@dataclass(frozen=True)
class RegisterTable:
    """A register's entries as a table: one row per entry, one column per field (a nested
    mapping's fields as ``cia.confidentiality``; lists and deeper values as one text)."""

    kind: str
    path: str
    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]


@dataclass(frozen=True)
class ApprovalRow:
    """One approved document: is the text in force the approved text, and who signed it."""

    path: str
    id: str | None
    kind: str
    title: str
    item: str | None
    """The guideline item whose changed-since-approval check covers this kind."""
    approved_on: str
    approved_by: str
    in_force: str
    """``approved``, ``changed``, ``pending`` (a new approval not committed yet) or ``unknown``."""
    text: str
    """The state of the text in force, in the report's language."""
    commit: str | None
    """The commit that recorded the approval (None: not known)."""
    signature: str
    """``verified``, ``none``, ``unknown-key``, ``other-signer``, ``not-management``,
    ``unverifiable`` or ``not-checked``."""
    signed_by: str | None
    signature_text: str


@dataclass(frozen=True)
class Approvals:
    history: str
    """The history's status (:class:`policylint.history.HistoryFacts`)."""
    statement: str
    signed: str
    rows: tuple[ApprovalRow, ...] = ()


@dataclass(frozen=True)
class Report:
    framework_id: str
    framework_title: str
    publisher: str
    repository: str
    as_of: dt.date
    lang: str
    horizon_days: int
    items: tuple[ItemRow, ...]
    chapters: tuple[Chapter, ...]
    timeline: tuple[Due, ...]
    diagnostics: tuple[Diagnostic, ...]
    files: int
    checks_run: int
    digest: str
    version: str = __version__
    counts: Mapping[str, int] = field(default_factory=dict)
    dues: tuple[Due, ...] = ()
    """Every due date the model implies, whatever the horizon (the timeline is its window)."""
    registers: tuple[RegisterTable, ...] = ()
    approvals: Approvals | None = None

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if not d.suppressed and d.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(
            1 for d in self.diagnostics if not d.suppressed and d.severity is Severity.WARNING
        )

    @property
    def suppressed(self) -> int:
        return sum(1 for d in self.diagnostics if d.suppressed)


# ---------------------------------------------------------------------------------------------
# building


def build_report(
    result: Result,
    *,
    repository: str = "",
    horizon_days: int = DEFAULT_HORIZON_DAYS,
) -> Report:
    """The report of one engine run (the repository is never read again)."""
    repo, pack, lang = result.repo, result.pack, result.lang
    ctx = Context(repo, Path("."))
    by_check: dict[str, list[Diagnostic]] = {}
    for d in result.diagnostics:
        # a finding that serves several frameworks counts for the checks of each
        for check_id in dict.fromkeys([d.check_id, *(s.check for s in d.serves)]):
            by_check.setdefault(check_id, []).append(d)
    dues = due_events(result)
    primary = pack.id
    all_rows = {
        item.id: _item_row(
            item, pack, result.settings, by_check, result.diagnostics, ctx, dues, lang
        )
        for item in pack.items.values()
    }
    rows = [
        _with_mapped(all_rows[i.id], i, pack, all_rows, lang)
        for i in pack.items.values()
        if i.framework in ("", primary)
    ]
    horizon = add_days(repo.today, horizon_days) or dt.date.max
    timeline = tuple(sorted((d for d in dues if d.date <= horizon), key=_due_key))
    chapters = tuple(
        Chapter(
            cid,
            tr(title, lang),
            {s: sum(1 for r in rows if r.chapter == cid and r.status == s) for s in STATUSES},
        )
        for cid, title in pack.chapters.items()
        if any(r.chapter == cid for r in rows)
    )
    counts = {s: sum(1 for r in rows if r.status == s) for s in STATUSES}
    return Report(
        framework_id=pack.id,
        framework_title=tr(pack.framework.get("title"), lang),
        publisher=tr(pack.framework.get("publisher"), lang),
        repository=repository,
        as_of=repo.today,
        lang=lang,
        horizon_days=horizon_days,
        items=tuple(rows),
        chapters=chapters,
        timeline=timeline,
        diagnostics=tuple(result.diagnostics),
        files=len(repo.sources),
        checks_run=sum(1 for s in result.settings.values() if s.severity is not None),
        digest=_digest(result),
        counts=counts,
        dues=tuple(sorted(dues, key=_due_key)),
        registers=tuple(register_tables(repo)),
        approvals=approvals_of(result, lang),
    )


def _cell(value: object) -> object:
    """A register value as one table cell: scalars as they are, anything else as text."""
    if value is None or isinstance(value, (str, int, float, bool, dt.date)):
        return value
    if isinstance(value, list):
        return ", ".join(str(_cell(v)) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    return str(value)


def register_tables(repo: Repository) -> list[RegisterTable]:
    """Every register of the model as a table, by path."""
    out: list[RegisterTable] = []
    for reg in sorted(repo.registers, key=lambda r: r.path):
        columns: dict[str, None] = {}
        flat_rows: list[dict[str, object]] = []
        for entity in reg.items:
            flat: dict[str, object] = {}
            for key, value in entity.data.items():
                if (
                    isinstance(value, dict)
                    and value
                    and all(not isinstance(v, (dict, list)) for v in value.values())
                ):
                    for inner, inner_value in value.items():
                        flat[f"{key}.{inner}"] = _cell(inner_value)
                else:
                    flat[str(key)] = _cell(value)
            columns.update(dict.fromkeys(flat))
            flat_rows.append(flat)
        names = tuple(columns)
        rows = tuple(tuple(row.get(c) for c in names) for row in flat_rows)
        out.append(RegisterTable(reg.kind, reg.path, names, rows))
    return out


def approvals_of(result: Result, lang: str) -> Approvals | None:
    """The approvals section: the history facts of the run, in words (one computation:
    :mod:`policylint.history` and :func:`policylint.checks.approvals.signature_problem`)."""
    from policylint.approval import line_ranges
    from policylint.checks.approvals import changed_lines, signature_problem
    from policylint.history import history_of

    facts = history_of(result.repo)
    if facts is None:
        return None
    status = facts.status
    if status == "available" and facts.shallow_documents:
        statement = label("history_shallow", lang).format(count=len(facts.shallow_documents))
    else:
        key = "history_" + status.replace("-", "_")
        statement = label(key, lang).format(detail=facts.detail)
    items: dict[str, str] = {}
    for setting in result.settings.values():
        for step in setting.steps:
            if step.primitive == "changed_since_approval" and setting.check.item:
                for kind in kinds_of(step.params):
                    items.setdefault(kind, setting.check.item)
    rows: list[ApprovalRow] = []
    for item in facts.approvals.values():
        doc = item.doc
        state = item.in_force_is_approved
        if item.change and item.approval is not None:
            by = item.changed_by
            who = f"{by.short} {by.day} {by.author}" if by else label("uncommitted_edits", lang)
            in_force = "changed"
            text = label("in_force_changed", lang).format(
                lines=line_ranges(changed_lines(item)), by=who
            )
        elif state is False:
            in_force, text = "changed", label("in_force_digest_changed", lang)
        elif item.pending:
            in_force, text = "pending", label("in_force_pending", lang)
        elif state:
            in_force = "approved"
            text = label("in_force_approved" if item.approval else "in_force_digest", lang)
        else:
            why = (
                "why_shallow"
                if item.unknown
                else "why_uncommitted"
                if facts.available
                else "why_history"
            )
            in_force, text = "unknown", label("in_force_unknown", lang).format(why=label(why, lang))
        signature, signed_by, sig_text = "not-checked", None, label("sig_not_checked", lang)
        sig = item.signature
        if sig is not None:
            problem = signature_problem(result.repo, item)
            if problem is None:
                signature, signed_by = "verified", sig.signer
                sig_text = label("signed_by", lang).format(signer=sig.signer)
                if sig.via != "commit":
                    sig_text += f" ({sig.via})"
            else:
                signature = problem[0]
                key = "sig_" + problem[0].replace("-", "_")
                sig_text = label(key, lang).format(**problem[1])
        rows.append(
            ApprovalRow(
                doc.path,
                doc.id,
                doc.kind,
                doc.text("title") or doc.label,
                items.get(doc.kind),
                _iso_text(doc.get("approved_on")),
                doc.text("approved_by") or "",
                in_force,
                text,
                item.approval.commit.sha if item.approval else None,
                signature,
                signed_by,
                sig_text,
            )
        )
    rows.sort(key=lambda r: r.path)
    return Approvals(status, statement, facts.signed, tuple(rows))


def _iso_text(value: object) -> str:
    iso = getattr(value, "isoformat", None)
    return str(iso()) if callable(iso) else ("" if value is None else str(value))


def _digest(result: Result) -> str:
    """A stable fingerprint of what was examined and found (keys the OSCAL document's UUID)."""
    h = hashlib.sha256()
    for src in sorted(result.repo.sources, key=lambda s: s.path):
        h.update(src.path.encode("utf-8") + b"\0")
    for d in result.diagnostics:
        h.update(f"{d.check_id}\0{d.path}\0{d.line}\0{d.suppressed_by}\0".encode())
    return h.hexdigest()[:32]


def _due_key(d: Due) -> tuple[dt.date, str, str, str]:
    return (d.date, d.event, d.subject, d.path)


def check_kinds(setting: Setting) -> tuple[str, ...]:
    """The kinds a check reads, from its steps' ``kind`` parameters (else the item's kinds)."""
    kinds: list[str] = []
    for step in setting.steps:
        step_kinds = kinds_of(step.params)
        if not step_kinds and setting.check.item is not None:
            step_kinds = ITEM_KINDS.get(setting.check.item, ())
        kinds.extend(k for k in step_kinds if k not in kinds)
    return tuple(kinds)


def _examined(setting: Setting, ctx: Context) -> int | None:
    """How many documents or register items the check's steps select (``kind``/``where``)."""
    total = 0
    for step in setting.steps:
        if kinds_of(step.params):
            total += len(selected(ctx, step.params))
        elif setting.check.item is not None:
            kinds = ITEM_KINDS.get(setting.check.item, ())
            if not kinds:
                return None
            total += sum(len(ctx.repo.entities_of(k)) for k in kinds)
        else:
            return None
    return total


def _check_row(setting: Setting, diags: Sequence[Diagnostic], ctx: Context, lang: str) -> CheckRow:
    check = setting.check
    active = [d for d in diags if not d.suppressed]
    errors = sum(1 for d in active if d.severity is Severity.ERROR)
    warnings = len(active) - errors
    suppressed = len(diags) - len(active)
    examined = _examined(setting, ctx)
    if setting.severity is None:
        outcome = "off"
    elif errors:
        outcome = "fail"
    elif warnings:
        outcome = "warn"
    elif suppressed:
        outcome = "excepted"
    elif examined == 0:
        outcome = "no-evidence"
    else:
        outcome = "pass"
    return CheckRow(
        id=check.id,
        title=tr(check.title, lang),
        severity=setting.severity.value if setting.severity is not None else "off",
        default_severity=check.severity.value,
        basis=check.basis,
        result=outcome,
        errors=errors,
        warnings=warnings,
        suppressed=suppressed,
        examined=examined,
        kinds=check_kinds(setting),
    )


def _evidence(repo: Repository, kinds: Iterable[str]) -> list[Evidence]:
    """The documents and registers of ``kinds``: in the order of the kinds (the first checks'
    evidence first), by path within a kind; each file once."""
    out: dict[tuple[str, str | None], Evidence] = {}
    for kind in kinds:
        found: list[Evidence] = []
        for doc in repo.documents_of(kind):
            title = doc.text("title") or doc.label
            found.append(Evidence(kind, doc.path, doc.id, title, False))
        for reg in repo.registers_of(kind):
            title = f"{kind} ({len(reg.items)})"
            found.append(Evidence(kind, reg.path, None, title, True, len(reg.items)))
        for ev in sorted(found, key=lambda e: (e.path, e.id or "")):
            out.setdefault((ev.path, ev.id), ev)
    return list(out.values())


def _item_row(
    item: Item,
    pack: RulePack,
    settings: Mapping[str, Setting],
    by_check: Mapping[str, list[Diagnostic]],
    diagnostics: Sequence[Diagnostic],
    ctx: Context,
    dues: Sequence[Due],
    lang: str,
) -> ItemRow:
    checks = [
        _check_row(settings[c.id], by_check.get(c.id, []), ctx, lang)
        for c in pack.checks_of_item(item.id)
        if c.id in settings
    ]
    kinds: list[str] = []
    for c in checks:
        kinds.extend(k for k in c.kinds if k not in kinds)
    # then the kinds the convention names for the item: a check that follows references (a
    # party's contract, an owner's review record) reads them without a `kind` parameter
    kinds.extend(k for k in item.kinds or ITEM_KINDS.get(item.id, ()) if k not in kinds)
    evidence = _evidence(ctx.repo, kinds)
    paths = {e.path for e in evidence}
    file_errors = sum(
        1
        for d in diagnostics
        if d.item is None
        and not d.suppressed
        and d.severity is Severity.ERROR
        and d.path in paths
        and d.check_id != "policylint/no-governance-files"
    )
    placeholders = tuple(
        sorted(
            {
                d.path
                for d in diagnostics
                if d.check_id == PLACEHOLDER and not d.suppressed and d.path in paths
            }
        )
    )
    status, reason = _status(checks, file_errors)
    if placeholders and status in ("met", "excepted"):
        status, reason = "partly", "placeholder"
    if item.status == "not-assessable":
        status, reason = "not-assessed", "not-assessable"
    exceptions = tuple(
        sorted(
            {
                d.suppressed_by
                for c in checks
                for d in by_check.get(c.id, [])
                if d.suppressed_by is not None
            }
        )
    )
    item_dues = [d for d in dues if d.item == item.id]
    next_due = min(item_dues, key=_due_key) if item_dues else None
    return ItemRow(
        id=item.id,
        chapter=item.chapter,
        level=item.level,
        title=tr(item.title, lang),
        summary=tr(item.summary, lang),
        status=status,
        reason=reason,
        checks=tuple(checks),
        evidence=tuple(evidence),
        file_errors=file_errors,
        next_due=next_due,
        iso27001_2022=item.iso27001_2022,
        exceptions=exceptions,
        placeholders=placeholders,
        note=tr(item.reason, lang) if item.status == "not-assessable" else "",
    )


def _with_mapped(
    row: ItemRow, item: Item, pack: RulePack, rows: Mapping[str, ItemRow], lang: str
) -> ItemRow:
    """The row with the items of the run's other frameworks the crosswalk maps it to."""
    from dataclasses import replace

    from policylint.crosswalk import crosswalk_between

    mapped: list[Mapped] = []
    for other in pack.ids:
        if other == item.framework or not item.framework:
            continue
        cw = crosswalk_between(item.framework, other)
        if cw is None:
            continue
        for link in cw.targets_of(item.id):
            target = rows.get(link.target)
            if target is not None:
                mapped.append(
                    Mapped(other, link.target, target.title, link.relationship, target.status)
                )
    return replace(row, mapped=tuple(mapped)) if mapped else row


def _status(checks: Sequence[CheckRow], file_errors: int) -> tuple[str, str]:
    """(status, reason) of an item from its checks' results; see the module docstring."""
    if not checks:
        return "not-assessed", "no-checks"
    enabled = [c for c in checks if c.result != "off"]
    main_off = [c for c in checks if c.result == "off" and c.default_severity == "error"]
    main_on = [c for c in enabled if c.default_severity == "error"]
    if not enabled or (main_off and not main_on):
        return "not-assessed", "checks-off"
    failing = [c for c in enabled if c.result in ("fail", "warn")]
    ran = [c for c in enabled if c.result != "no-evidence"]
    if failing:
        if not any(c.result == "fail" for c in failing):
            return "partly", "warnings"
        if len(failing) == len(ran):
            return "not-met", "errors"
        return "partly", "some-checks-fail"
    if not ran:
        return "no-evidence", "nothing-examined"
    if file_errors:
        return "partly", "file-errors"
    if main_off:
        return "partly", "checks-off"
    if any(c.result == "excepted" for c in enabled):
        return "excepted", "exceptions"
    return "met", "checks-pass"


# ---------------------------------------------------------------------------------------------
# what falls due


def _param(
    settings: Mapping[str, Setting], check_id: str, names: Sequence[str], default: int
) -> int:
    """A threshold of a configured check (first of ``names`` found), else ``default``."""
    setting = settings.get(check_id)
    if setting is not None:
        for step in setting.steps:
            for name in names:
                value = step.params.get(name)
                if isinstance(value, int) and not isinstance(value, bool):
                    return value
    return default


def _review_interval(
    settings: Mapping[str, Setting], kind: str, primitive: str = "review_due"
) -> tuple[int, int | None]:
    """(default interval, cap) of the ``primitive`` step that reads ``kind`` (12, none)."""
    for setting in settings.values():
        for step in setting.steps:
            if step.primitive == primitive and kind in kinds_of(step.params):
                cap = step.params.get("max_interval_months")
                return int(step.params.get("interval_months", 12)), (
                    int(cap) if isinstance(cap, int) else None
                )
    return 12, None


def _latest(dates: Iterable[dt.date | None]) -> dt.date | None:
    found = [d for d in dates if d is not None]
    return max(found) if found else None


def due_events(result: Result) -> list[Due]:
    """Every dated obligation the model implies, overdue ones included (days < 0)."""
    repo, settings, lang = result.repo, result.settings, result.lang
    today = repo.today
    out: list[Due] = []

    def add(
        due: dt.date | None,
        event: str,
        item: str | None,
        entity: Entity,
        title: str,
        field_name: str | None = None,
        thing: str = "",
    ) -> None:
        if due is None:
            return
        loc = entity.loc(field_name) if field_name else entity.loc()
        subject = entity.id or entity.path
        days = (due - today).days
        out.append(Due(due, event, item, subject, title, entity.path, loc.line, days, thing))

    # reviews of documents (of the kinds whose item checks their review: REVIEW_ITEM)
    for doc in repo.documents:
        last = doc.date("last_reviewed")
        if last is None or doc.kind not in REVIEW_ITEM:
            continue
        default, cap = _review_interval(settings, doc.kind)
        months = doc.integer("review_interval_months", default=default) or default
        if cap is not None:
            months = min(months, cap)
        title = doc.text("title") or doc.label
        add(
            add_months(last, months),
            "review",
            REVIEW_ITEM.get(doc.kind),
            doc,
            title,
            "last_reviewed",
        )

    # reviews of registers (a year unless the register says otherwise): the same computation as
    # the register_review_due checks, so an overdue date here is a finding there
    checked = {
        kind
        for s in settings.values()
        if s.severity is not None
        for step in s.steps
        if step.primitive == "register_review_due"
        for kind in kinds_of(step.params)
    }
    for reg in repo.registers:
        if reg.kind not in checked:
            continue  # no check reads this register's review: the report does not invent one
        default, _ = _review_interval(settings, reg.kind, "register_review_due")
        review = register_review(reg, default)
        if review is None:
            continue
        last, months = review
        shell = Entity(reg.kind, reg.data, reg.source, None, None, ())
        item = REGISTER_ITEM.get(reg.kind) or None
        add(add_months(last, months), "register-review", item, shell, reg.kind, "last_reviewed")

    # trainings of active people
    train_months = _param(
        settings, "II.5.2.1/training-current", ("months", "interval_months", "max_months"), 12
    )
    grace = _param(settings, "II.5.2.1/training-current", ("grace_days", "new_hire_days"), 30)
    training = settings.get("II.5.2.1/training-current")
    params = training.steps[0].params if training is not None and training.steps else {}
    is_security = _course_matcher(params, repo)  # what the check counts, the report counts
    for person in repo.items_of("people"):
        if person.get("status") != "active":
            continue
        completed = _latest(
            day for day, course, _ in trainings_of(repo, person) if is_security(course)
        )
        name = person.text("name") or person.label
        if completed is not None:
            add(
                add_months(completed, train_months),
                "training",
                "II.5.2.1",
                person,
                name,
                "trainings",
            )
        else:
            hired = person.date("hired_on")
            if hired is not None:
                add(add_days(hired, grace), "training", "II.5.2.1", person, name, "hired_on")

    # contracts that expire
    for doc in repo.documents_of("contract"):
        expires = doc.date("expires_on")
        if expires is not None:
            title = doc.text("title") or doc.label
            add(expires, "contract-expiry", "II.3.1.1", doc, title, "expires_on")

    # partner services: report reviews and audits
    audits = repo.documents_of("audit-record")
    report_default = _param(
        settings, "II.3.1.2/partner-report-review", ("interval_months", "months"), 3
    )
    audit_default = _param(settings, "II.3.1.2/partner-audit", ("interval_months", "months"), 12)
    for party in repo.items_of("external-parties"):
        if party.get("type") != "partner-saas":
            continue
        name = party.text("name") or party.label
        reviewed = party.date("reports_reviewed_on")
        if reviewed is not None:
            every = party.integer("report_review_interval_months", default=report_default)
            add(
                add_months(reviewed, every or report_default),
                "partner-report-review",
                "II.3.1.2",
                party,
                name,
                "reports_reviewed_on",
            )
        audited = _latest(
            a.date("date")
            for a in audits
            if a.get("audit_type") == "partner" and a.get("subject") == party.id
        )
        if audited is not None:
            every = party.integer("audit_interval_months", default=audit_default)
            add(
                add_months(audited, every or audit_default),
                "partner-audit",
                "II.3.1.2",
                party,
                name,
            )

    # the system audit
    system = [a for a in audits if a.get("audit_type") == "system" and a.date("date")]
    if system:
        last_audit = max(system, key=lambda a: (a.date("date") or dt.date.min, a.path))
        months = _param(settings, "II.4.3.2/system-audit", ("months", "interval_months"), 12)
        when = last_audit.date("date")
        assert when is not None
        title = last_audit.text("title") or last_audit.label
        add(
            add_months(when, months),
            "system-audit",
            "II.4.3.2",
            last_audit,
            title,
            "date",
            thing="system",
        )

    # owner reviews: each asset owner's latest review record
    review_months = _param(settings, "II.4.3.1/owner-review", ("months", "interval_months"), 12)
    records = repo.documents_of("review-record")
    owners = sorted({o for a in repo.items_of("assets") if (o := a.text("owner"))})
    by_party: dict[str, list[Entity]] = {}
    for record in records:
        reviewer = record.text("reviewer")
        if reviewer and record.date("date"):
            by_party.setdefault(repo.party_key(reviewer), []).append(record)
    for owner in owners:
        mine = by_party.get(repo.party_key(owner), [])
        if not mine:
            continue
        last_rec = max(mine, key=lambda r: (r.date("date") or dt.date.min, r.path))
        when = last_rec.date("date")
        assert when is not None
        label = {"ja": f"{owner} のレビュー", "en": f"review by {owner}"}[
            "ja" if lang == "ja" else "en"
        ]
        add(
            add_months(when, review_months),
            "owner-review",
            "II.4.3.1",
            last_rec,
            label,
            "date",
            thing=owner,
        )

    # exceptions that expire
    for exc in repo.items_of("exceptions"):
        expires = exc.date("expires_on")
        if expires is None:
            continue
        selector = normalise_item_id((exc.text("check") or "").split("/")[0])
        item = selector if selector in result.pack.items else None
        title = exc.text("check") or exc.label
        add(expires, "exception-expiry", item, exc, title, "expires_on")

    return out


def url(path: str, link_base: str = "") -> str:
    """A relative URL to a repository file: every character outside ``/`` percent-encoded, so a
    file name can never become a scheme (``javascript:``) or break out of an attribute."""
    out = quote(link_base, safe="/") + quote(path, safe="/")
    return out if out.startswith(("./", "../", "/")) else "./" + out
