"""Generic check primitives: small, pure functions the rule pack combines with parameters.

Every primitive has the same signature ``(ctx, params) -> Iterable[Finding]`` and is listed in
:data:`PRIMITIVES`. Message keys a primitive yields have default texts in ``rules/messages.yaml``;
a check may override them. Common parameters:

- ``kind``: a document kind or a register kind (or a list of kinds);
- ``where``: ``{field: value | [values]}`` keeps only entities whose field matches;
  ``where_not`` drops them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from operator import itemgetter
from pathlib import Path
from typing import Any

from policylint.dates import add_days, add_months, parse_duration_days
from policylint.diagnostics import Finding, Location, Severity
from policylint.loader import node_at
from policylint.model import Entity, Register, Repository, is_empty

Params = Mapping[str, Any]


@dataclass(frozen=True)
class Context:
    repo: Repository
    root: Path
    memo: dict[str, Any] | None = field(default=None, compare=False)
    """A check's own cache from one run of the same step to the next (the language server
    keeps one per step): facts of entities, keyed by the entity objects, which a new version
    of a file replaces. None: a single run. A value kept there that holds positions (findings)
    has a method ``lines_moved(path, after, delta)``, called when the lines of ``path`` after
    line ``after`` moved by ``delta``; a value without it is dropped then."""

    @property
    def today(self) -> dt.date:
        return self.repo.today

    def file_exists(self, rel: str) -> bool | None:
        """Whether a repository-relative path names a file inside the root (None: escapes)."""
        root = self.root.resolve()
        try:
            target = (root / rel).resolve()
        except (OSError, RuntimeError, ValueError):
            return False
        if not target.is_relative_to(root):
            return None
        try:
            return target.is_file()
        except (OSError, ValueError):  # a name longer than the system allows, say
            return False


CheckFn = Callable[[Context, Params], Iterable[Finding]]


# ---------------------------------------------------------------------------------------------
# helpers shared with the built-in checks


def kinds_of(params: Params) -> tuple[str, ...]:
    kind = params.get("kind", ())
    return (kind,) if isinstance(kind, str) else tuple(kind)


def _matches(value: Any, wanted: Any) -> bool:
    if isinstance(wanted, (list, tuple)):
        return any(_matches(value, w) for w in wanted)
    if isinstance(value, list):
        return wanted in value
    return bool(value == wanted)


def selected(ctx: Context, params: Params) -> list[Entity]:
    """The entities of the ``kind`` parameter that pass ``where`` and ``where_not``.

    ``leavers: true`` keeps only people who have left by today, ``leavers: false`` only those
    who have not (judged by :meth:`Repository.has_left`, whatever their ``status`` says).
    Draft and superseded documents are never selected: they are no evidence.
    """
    out: list[Entity] = []
    for kind in kinds_of(params):
        out.extend(ctx.repo.entities_of(kind))
    leavers = params.get("leavers")
    if isinstance(leavers, bool):
        out = [e for e in out if ctx.repo.has_left(e) is leavers]
    where: Mapping[str, Any] = params.get("where") or {}
    where_not: Mapping[str, Any] = params.get("where_not") or {}
    if where or where_not:
        out = [
            e
            for e in out
            if all(_matches(e.get(*k.split(".")), v) for k, v in where.items())
            and not any(_matches(e.get(*k.split(".")), v) for k, v in where_not.items())
        ]
    return out


def base_args(entity: Entity) -> dict[str, Any]:
    return {"id": entity.label, "kind": entity.kind, "path": entity.path}


def finding(
    entity: Entity,
    key: str,
    loc: Location | None = None,
    *,
    severity: Severity | None = None,
    **args: Any,
) -> Finding:
    return Finding(loc or entity.loc(), key, {**base_args(entity), **args}, entity.id, severity)


def register_loc(ctx: Context, kind: str) -> Location | None:
    """Where a finding about a whole register goes: its ``kind`` line (None: no register)."""
    registers = ctx.repo.registers_of(kind)
    return registers[0].loc() if registers else None


def register_field_loc(register: Register, name: str) -> Location:
    node, _ = node_at(register.source.node, (name,))
    return register.source.location(node)


def iso(day: dt.date | None) -> str:
    return day.isoformat() if day is not None else ""


def field_path(name: str) -> tuple[str, ...]:
    return tuple(name.split("."))


class _Lazy:
    """A location given as itself or as a function computing it (called once, on demand)."""

    __slots__ = ("_where",)

    def __init__(self, where: Location | Callable[[], Location]) -> None:
        self._where = where

    def __call__(self) -> Location:
        if not isinstance(self._where, Location):
            self._where = self._where()
        return self._where


def due_findings(
    entity: Entity,
    start: dt.date,
    months: int,
    today: dt.date,
    warn_before_days: int,
    where: Location | Callable[[], Location],
    **args: Any,
) -> Iterator[Finding]:
    """``overdue`` when ``start + months`` is before today, ``due-soon`` (a warning) within
    ``warn_before_days`` of it; ``bad-interval`` when the due date falls off the calendar.

    The warning window scales with the cycle: at most a quarter of it, so a monthly review is
    not "due soon" the week after it was done (a one-off due date, ``months`` 0, keeps the
    whole window).

    ``where`` may be a function giving the location: it is called only for a finding (looking a
    position up can mean composing the file's node tree, see :mod:`policylint.cache`)."""
    loc = _Lazy(where)
    due = add_months(start, months)
    if due is None:
        yield finding(
            entity, "bad-interval", loc(), start=start.isoformat(), interval=months, **args
        )
        return
    if months > 0:
        warn_before_days = min(warn_before_days, max(1, (due - start).days // 4))
    common = {"due": due.isoformat(), "last": start.isoformat(), "interval": months, **args}
    if due < today:
        yield finding(entity, "overdue", loc(), days=(today - due).days, **common)
    else:
        warn_from = add_days(due, -warn_before_days)
        if warn_from is not None and today >= warn_from:
            yield finding(
                entity,
                "due-soon",
                loc(),
                severity=Severity.WARNING,
                days=(due - today).days,
                **common,
            )


# ---------------------------------------------------------------------------------------------
# primitives


def exists(ctx: Context, params: Params) -> Iterator[Finding]:
    """At least ``min_items`` [1] entities of ``kind`` (documents, or items of registers)."""
    minimum = int(params.get("min_items", 1))
    found = selected(ctx, params)
    kinds = kinds_of(params)
    if len(found) >= minimum:
        return
    drafts = ctx.repo.drafts_of(*kinds)
    if drafts and not found:
        yield Finding(
            drafts[0].loc("status"),
            "only-drafts",
            {
                "kind": " / ".join(kinds),
                "id": drafts[0].label,
                "ids": [d.label for d in drafts],
                "status": str(drafts[0].get("status")),
                "path": drafts[0].path,
            },
            drafts[0].id,
        )
        return
    registers = [r for k in kinds for r in ctx.repo.registers_of(k)]
    if found or registers:
        loc = registers[0].loc() if registers else found[0].loc()
        yield Finding(
            loc, "too-few", {"kind": " / ".join(kinds), "count": len(found), "minimum": minimum}
        )
    else:
        yield Finding(
            ctx.repo.repo_location(), "missing", {"kind": " / ".join(kinds), "minimum": minimum}
        )


def required_fields(ctx: Context, params: Params) -> Iterator[Finding]:
    """Each entity has every field of ``fields`` (dotted paths) with a non-empty value."""
    fields = [field_path(f) for f in params["fields"]]
    complete = all_filled(fields)
    for entity in selected(ctx, params):
        if complete(entity.data):
            continue
        missing = [".".join(f) for f in fields if not entity.present(*f)]
        if missing:
            yield finding(entity, "missing-fields", missing=missing, count=len(missing))


def all_filled(fields: Sequence[tuple[str, ...]]) -> Callable[[dict[str, Any]], bool]:
    """A quick test that an entity's value has every one of ``fields`` (paths of one or two
    names) filled: True only when each is there and truthy, so not empty (see
    :func:`policylint.model.is_empty`). False means "look closer": a field may be missing or
    empty, or hold a falsy value that is not empty (``0``, ``false``).

    It looks the fields up a group at a time (the top-level names, then the names under each
    parent) with :func:`operator.itemgetter`, so a complete entity costs a few calls whatever
    the number of fields: ``required_fields`` runs over every row of every register."""
    groups: dict[str | None, list[str]] = {}
    for path in fields:
        if not 1 <= len(path) <= 2:
            return lambda data: False
        parent, name = (None, path[0]) if len(path) == 1 else path
        groups.setdefault(parent, []).append(name)
    # itemgetter of one name returns the value itself: name it twice to always get a tuple
    getters = [(parent, itemgetter(*names, names[0])) for parent, names in groups.items()]

    def complete(data: dict[str, Any]) -> bool:
        try:
            for parent, get in getters:
                values = get(data if parent is None else data[parent])
                if not all(values):
                    return False
        except (KeyError, TypeError, IndexError):  # a name missing, or not a mapping
            return False
        return True

    return complete


def review_due(ctx: Context, params: Params) -> Iterator[Finding]:
    """Each entity's ``field`` [last_reviewed] plus its interval is not past.

    The interval is the entity's ``interval_field`` [review_interval_months] or
    ``interval_months`` [12], capped at ``max_interval_months`` when given; ``warn_before_days``
    [30] turns an approaching due date into a warning. With ``required: true`` the absence of
    any such entity is reported too; with ``if_present: true`` an entity without the date is
    not asked for one (a document whose review cycle is optional).
    """
    name = params.get("field", "last_reviewed")
    if_present = bool(params.get("if_present", False))
    interval_field = params.get("interval_field", "review_interval_months")
    default = int(params.get("interval_months", 12))
    cap = params.get("max_interval_months")
    warn = int(params.get("warn_before_days", 30))
    entities = selected(ctx, params)
    if not entities and params.get("required"):
        yield Finding(ctx.repo.repo_location(), "missing", {"kind": " / ".join(kinds_of(params))})
    for entity in entities:
        if not entity.present(name):
            if not if_present:
                yield finding(entity, "missing-date", field=name)
            continue
        start = entity.date(name)
        if start is None:
            continue  # reported by policylint/invalid-date
        interval = entity.integer(interval_field, default=default)
        if interval is None:
            continue  # reported by policylint/schema
        capped = False
        if cap is not None and interval > int(cap):
            yield finding(
                entity,
                "interval-too-long",
                entity.loc(interval_field),
                interval=interval,
                maximum=int(cap),
            )
            interval, capped = int(cap), True
        yield from due_findings(
            entity,
            start,
            interval,
            ctx.today,
            warn,
            partial(entity.loc, name),
            field=name,
            capped=capped,
        )


def register_review(register: Register, default_months: int = 12) -> tuple[dt.date, int] | None:
    """(last review, interval in months) of a register that records its own ``last_reviewed``
    (``review_interval_months`` of the register, else ``default_months``); None when it records
    none or the values are unreadable (the schema and date passes report those). The one place
    that says when a register falls due: used by ``register_review_due`` and the report."""
    last = register.data.get("last_reviewed")
    if not isinstance(last, dt.date):
        return None
    interval = register.data.get("review_interval_months", default_months)
    if not isinstance(interval, int) or isinstance(interval, bool) or interval < 1:
        return None
    return last, interval


def register_review_due(ctx: Context, params: Params) -> Iterator[Finding]:
    """Each register of ``kind`` that records its own ``last_reviewed`` is reviewed again within
    its ``review_interval_months`` (else ``interval_months`` [12]); ``warn_before_days`` [30]
    before that, a warning. A register without ``last_reviewed`` is not asked for one."""
    default = int(params.get("interval_months", 12))
    warn = int(params.get("warn_before_days", 30))
    for kind in kinds_of(params):
        for register in ctx.repo.registers_of(kind):
            review = register_review(register, default)
            if review is None:
                continue
            last, months = review
            shell = Entity(register.kind, register.data, register.source, None, None, ())
            loc = partial(register_field_loc, register, "last_reviewed")  # only for a finding
            for f in due_findings(shell, last, months, ctx.today, warn, loc, field="last_reviewed"):
                yield Finding(f.location, f.key, {**f.args, "id": register.path}, None, f.severity)


def date_order(ctx: Context, params: Params) -> Iterator[Finding]:
    """``field`` exists (when ``required``) and is not after ``not_after`` (+ ``max_days``).

    A missing ``not_after`` date is reported only with ``other_required: true``.
    """
    name = params["field"]
    required = params.get("required", True)
    for entity in selected(ctx, params):
        if not entity.present(name):
            if required:
                yield finding(entity, "missing-date", field=name)
            continue
        value = entity.date(name)
        if value is None:
            continue
        other_name = params.get("not_after")
        if other_name:
            other = entity.date(other_name)
            if other is None:
                if not entity.present(other_name) and params.get("other_required"):
                    yield finding(entity, "missing-date", field=other_name)
                continue
            limit = add_days(other, int(params.get("max_days", 0)))
            if limit is not None and value > limit:
                yield finding(
                    entity,
                    "too-late",
                    entity.loc(name),
                    field=name,
                    value=value.isoformat(),
                    other=other_name,
                    other_value=other.isoformat(),
                    days=(value - other).days,
                    max_days=int(params.get("max_days", 0)),
                )


def reference(ctx: Context, params: Params) -> Iterator[Finding]:
    """``field`` names an entity of one of ``targets`` (``person``, ``role``, or a kind).

    With ``active: true`` a person must have ``status: active``. A role resolves by existing:
    whether its holder is active is reported once, at the role (``II.2.1.1/roles-defined``,
    ``II.5.3.1/no-duties-after-termination``), not at every reference to it.
    """
    name = params["field"]
    targets = params.get("targets", ["person", "role"])
    active = bool(params.get("active", False))
    required = params.get("required", True)
    resolved: dict[str, str] = {}  # the same few owners are named by thousands of rows
    for entity in selected(ctx, params):
        ref = entity.data.get(name)  # entity.get(name), kept cheap
        if is_empty(ref):
            if required:
                yield finding(entity, "missing-field", field=name)
            continue
        if not isinstance(ref, str) or not ref.strip():
            continue  # a wrong type: reported by policylint/schema
        problem = resolved.get(ref)
        if problem is None:
            problem = resolved[ref] = resolve_problem(ctx.repo, ref, targets, active)
        if problem:
            yield finding(
                entity,
                problem,
                entity.loc(name),
                field=name,
                ref=ref,
                targets=" / ".join(targets),
                suggestions=ctx.repo.ids_like(ref, targets) if problem == "unresolved" else (),
            )


def resolve_problem(repo: Repository, ref: str, targets: Iterable[str], active: bool) -> str:
    """'' when ``ref`` resolves, else ``unresolved`` or (a person, with ``active``) ``inactive``."""
    for target in targets:
        if target == "person":
            if repo.person(ref) is not None:
                return "" if not active or repo.is_active(ref) else "inactive"
        elif target == "role":
            if repo.role(ref) is not None:
                return ""
        elif repo.find(ref, target) is not None:
            return ""
    return "unresolved"


def value_in(ctx: Context, params: Params) -> Iterator[Finding]:
    """``field`` (a value or a list) takes only values of ``values``; ``equals`` pins one value."""
    name = params["field"]
    for entity in selected(ctx, params):
        value = entity.get(*field_path(name))
        if "equals" in params:
            wanted = params["equals"]
            if value is not None and type(value) is not type(wanted):
                continue  # a value of the wrong type: reported by policylint/schema
            if value != wanted:
                yield finding(
                    entity,
                    "not-equal",
                    entity.loc(*field_path(name)),
                    field=name,
                    value="" if value is None else value,
                    expected=wanted,
                )
            continue
        allowed = list(params.get("values", ()))
        values = value if isinstance(value, list) else [value]
        bad = [v for v in values if v is not None and v not in allowed]
        if bad:
            yield finding(
                entity,
                "not-allowed",
                entity.loc(*field_path(name)),
                field=name,
                value=bad,
                allowed=allowed,
            )


def _fold(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def _canonical(values: list[Any], synonyms: Mapping[str, Any] | None) -> set[Any]:
    """The values, plus for each value the canonical name of ``synonyms`` with the longest word
    the value contains (``暫定復旧`` is partial recovery even though it contains ``復旧``)."""
    have: set[Any] = set(_hashable(values))
    if synonyms:
        keys = [
            (_fold(w), name)
            for name, words in synonyms.items()
            for w in ([name, *words] if isinstance(words, (list, tuple)) else [name])
            if isinstance(w, str) and _fold(w)
        ]
        keys.sort(key=lambda kn: len(kn[0]), reverse=True)
        for value in values:
            if isinstance(value, str):
                folded = _fold(value)
                best = next((name for key, name in keys if key in folded), None)
                if best is not None:
                    have.add(best)
    return have


def covers(ctx: Context, params: Params) -> Iterator[Finding]:
    """The list ``field`` covers every value of ``values``.

    ``scope: each`` (default) checks each entity; ``scope: union`` checks the values of all
    entities together (e.g. a register must cover every category). With ``synonyms``
    (``{value: [words]}``) a listed value counts for every wanted value whose words it contains
    (``封じ込め`` counts for ``partial-recovery``), ignoring case, width and punctuation.
    """
    name = params["field"]
    wanted = list(params["values"])
    synonyms: Mapping[str, Any] | None = params.get("synonyms")
    entities = selected(ctx, params)
    if params.get("scope", "each") == "union":
        have: set[Any] = set()
        for entity in entities:
            have.update(_canonical(_as_list(entity.get(*field_path(name))), synonyms))
        missing = [w for w in wanted if w not in have]
        if missing and entities:
            regs = [r for k in kinds_of(params) for r in ctx.repo.registers_of(k)]
            loc = regs[0].loc() if regs else entities[0].loc()
            yield Finding(
                loc,
                "not-covered",
                {"field": name, "missing": missing, "kind": " / ".join(kinds_of(params))},
            )
        return
    for entity in entities:
        have = _canonical(_as_list(entity.get(*field_path(name))), synonyms)
        missing = [w for w in wanted if w not in have]
        if missing:
            yield finding(
                entity, "not-covered", entity.loc(*field_path(name)), field=name, missing=missing
            )


def _hashable(values: list[Any]) -> list[Any]:
    """The values a set can hold (a list or mapping where a name is expected matches nothing)."""
    return [v for v in values if not isinstance(v, (list, dict))]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def max_items(ctx: Context, params: Params) -> Iterator[Finding]:
    """At most ``max`` entities of ``kind`` (e.g. classification levels)."""
    found = selected(ctx, params)
    limit = int(params["max"])
    if len(found) > limit:
        regs = [r for k in kinds_of(params) for r in ctx.repo.registers_of(k)]
        loc = regs[0].loc() if regs else found[limit].loc()
        yield Finding(
            loc,
            "too-many",
            {"kind": " / ".join(kinds_of(params)), "count": len(found), "maximum": limit},
        )


class PatternError(ValueError):
    """A heading pattern that is not a regular expression RE2 accepts."""


def heading_pattern(patterns: Sequence[str]) -> Any:
    """Heading patterns (regular expressions, any of which may match, case-insensitive) compiled
    by RE2 (google-re2): they come from the configuration, which a pull request can change, and
    RE2 matches in time linear in the heading, with bounded memory, whatever the pattern (Python's
    ``re`` backtracks: ``(a+)+$`` takes exponential time). RE2 refuses what it cannot run in linear
    time (backreferences, lookaround): :class:`PatternError`."""
    import re2  # google-re2

    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    try:
        return re2.compile("|".join(f"(?:{p})" for p in patterns), options)
    except re2.error as exc:
        detail = exc.args[0] if exc.args else exc
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        raise PatternError(str(detail)) from None


def headings_present(ctx: Context, params: Params) -> Iterator[Finding]:
    """The Markdown body has a section for each topic of ``sections``: a heading, or the first
    sentence of the first paragraph under a heading, matches one of the topic's ``patterns``
    (ignoring case and width). ``headings_only: true`` looks at the headings alone."""
    sections: Mapping[str, Any] = params["sections"]
    compiled = {name: heading_pattern(spec["patterns"]) for name, spec in sections.items()}
    headings_only = bool(params.get("headings_only", False))
    for entity in selected(ctx, params):
        if not entity.is_document:
            continue
        titles = [
            unicodedata.normalize(
                "NFKC", h.text if headings_only else f"{h.text}\n{_first_sentence(h.lead)}"
            )
            for h in entity.source.headings()
        ]
        missing = [name for name, rx in compiled.items() if not any(rx.search(t) for t in titles)]
        if missing:
            labels = [_label(sections[m], m) for m in missing]
            yield finding(
                entity,
                "missing-sections",
                entity.loc("kind"),
                sections=missing,
                labels_en=[lab[0] for lab in labels],
                labels_ja=[lab[1] for lab in labels],
            )


_SENTENCE_END = re.compile(r"(?<=[。．！？])|(?<=[.!?])\s")


def _first_sentence(text: str) -> str:
    return _SENTENCE_END.split(text, maxsplit=1)[0]


def _label(spec: Mapping[str, Any], name: str) -> tuple[str, str]:
    label = spec.get("label") or {}
    return (f"{name}) {label.get('en', name)}", f"{name}) {label.get('ja', name)}")


def nonempty_text(ctx: Context, params: Params) -> Iterator[Finding]:
    """``field`` is a non-empty text (e.g. a banner)."""
    name = params["field"]
    for entity in selected(ctx, params):
        value = entity.get(*field_path(name))
        if value is None or (isinstance(value, str) and not value.strip()):
            yield finding(entity, "empty", entity.loc(*field_path(name)), field=name)


def latest_within(ctx: Context, params: Params) -> Iterator[Finding]:
    """The most recent entity of ``kind`` (after ``where``) is dated within an interval.

    ``field`` [date] is the date; the newest one plus ``interval_months`` [12] must not be past
    (``warn_before_days`` [30] before it, a warning). With ``required`` [true] the absence of any
    such entity is reported at the repository. An entity without the date is reported too (it
    cannot count); an invalid date is left to ``policylint/invalid-date``.
    """
    name = params.get("field", "date")
    months = int(params.get("interval_months", 12))
    warn = int(params.get("warn_before_days", 30))
    entities = selected(ctx, params)
    if not entities:
        if params.get("required", True):
            yield Finding(
                ctx.repo.repo_location(), "missing", {"kind": " / ".join(kinds_of(params))}
            )
        return
    latest: tuple[dt.date, Entity] | None = None
    for entity in entities:
        if not entity.present(name):
            yield finding(entity, "missing-date", field=name)
            continue
        value = entity.date(name)
        if value is not None and (latest is None or value > latest[0]):
            latest = (value, entity)
    if latest is None:
        return  # every date is missing or invalid: reported above or by policylint/invalid-date
    day, newest = latest
    yield from due_findings(
        newest, day, months, ctx.today, warn, partial(newest.loc, name), field=name
    )


_DURATION_WORDS = (
    (re.compile(r"years?|yrs?|年間?"), "y"),
    (re.compile(r"months?|mos?|[かヵヶカケ箇]月間?"), "m"),
    (re.compile(r"weeks?|wks?|週間?"), "w"),
    (re.compile(r"days?|日間?"), "d"),
    (re.compile(r"\band\b|[,、]"), ""),
)


_EVENT_EN = re.compile(
    r"\s*\b(?:after|from|following|since|counted from|beginning)\b.*$|^\s*(?:for|kept for)\s+"
)
_EVENT_JA = re.compile(r"^.*?(?:後|から|より)\s*(?=\d)|(?:間)?(?:保存|保管|保持)(?:する)?$")


def duration_text(value: str) -> str:
    """A period written with unit words (``7 years``, ``1 year and 6 months``, ``７年``,
    ``18か月``, ``90日間``) in the short form ``parse_duration_days`` reads (``7y``...). A period
    counted from an event is read as its length: ``契約終了後90日``, ``退職後3年間保存``,
    ``5 years after termination``, ``for 7 years from the end of the fiscal year``."""
    text = unicodedata.normalize("NFKC", value).lower().strip()
    text = _EVENT_JA.sub("", _EVENT_EN.sub("", text)).strip()
    for pattern, unit in _DURATION_WORDS:
        text = pattern.sub(unit, text)
    return text


def duration(ctx: Context, params: Params) -> Iterator[Finding]:
    """``field``, when it is a text, is a period such as ``7y``, ``18m``, ``90d`` or ``1y6m``
    (unit words in English or Japanese are read too: ``7 years``, ``18か月``)."""
    name = params["field"]
    for entity in selected(ctx, params):
        value = entity.get(*field_path(name))
        if (
            isinstance(value, str)
            and value.strip()
            and parse_duration_days(duration_text(value)) is None
        ):
            yield finding(
                entity, "bad-duration", entity.loc(*field_path(name)), field=name, value=value
            )


PRIMITIVES: dict[str, CheckFn] = {
    "register_review_due": register_review_due,
    "exists": exists,
    "required_fields": required_fields,
    "review_due": review_due,
    "date_order": date_order,
    "reference": reference,
    "value_in": value_in,
    "covers": covers,
    "max_items": max_items,
    "headings_present": headings_present,
    "nonempty_text": nonempty_text,
    "latest_within": latest_within,
    "duration": duration,
}
