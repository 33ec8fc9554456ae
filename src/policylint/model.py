"""The repository model: documents, registers and their items, indexed by id and kind.

Built once from the loaded files. Values are plain Python (dates parsed to ``datetime.date`` by
the date pass); positions come from the YAML nodes on demand. Checks read only this model.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from policylint.dates import DateProblem, parse_date
from policylint.diagnostics import Finding, LoadFinding, Location
from policylint.fixes import quote_scalar, replace_scalar
from policylint.loader import SourceFile, key_node_of, node_at
from policylint.suggest import Suggester
from policylint.validate import KindSchema, SchemaError, kind_schema

_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)+")
"""A version number written unquoted that YAML reads as a number (1.10 → 1.1)."""

PathStep = str | int


_EMPTY_VALUES: tuple[Any, ...] = (None, "", [], {})

NOT_EVIDENCE = frozenset({"draft", "superseded"})
"""Document ``status`` values that make a document no evidence (``approved``, ``effective``
or no status are evidence)."""


@dataclass(frozen=True, slots=True)
class Tenure:
    """A person holding a role from ``start`` to ``end`` (inclusive; None: open)."""

    person: str
    role: str
    start: dt.date | None
    end: dt.date | None

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


def is_empty(value: Any) -> bool:
    return value in _EMPTY_VALUES


@dataclass(eq=False, slots=True)
class Entity:
    """A governance document (its front matter) or one item of a register."""

    kind: str
    data: dict[str, Any]
    source: SourceFile
    _node: yaml.Node | None
    register: Register | None = None
    where: tuple[PathStep, ...] | None = None
    """Where the entity stands in its file's value (``()`` for a document, ``("items", 3)`` for a
    register item): its node is then looked up only when a position is wanted."""
    quiet: bool = False
    """Known, from its file's parse, to hold no text that might be a placeholder (see
    :attr:`policylint.loader.SourceFile.loud`); an entity made anew (an edit in the editor)
    is not."""

    @property
    def node(self) -> yaml.Node | None:
        """The entity's YAML node (positions of its values), found on first use."""
        if self._node is None and self.where is not None:
            node, found = node_at(self.source.node, self.where)
            self._node = node if found == len(self.where) else None
            self.where = None
        return self._node

    @property
    def id(self) -> str | None:
        value = self.data.get("id")
        return value if isinstance(value, str) and value else None

    @property
    def is_document(self) -> bool:
        return self.register is None

    @property
    def path(self) -> str:
        return self.source.path

    def get(self, *path: PathStep) -> Any:
        if len(path) == 1 and type(path[0]) is str:  # the common case, kept cheap
            return self.data.get(path[0])
        value: Any = self.data
        for step in path:
            if isinstance(value, dict) and isinstance(step, str):
                value = value.get(step)
            elif isinstance(value, list) and isinstance(step, int) and 0 <= step < len(value):
                value = value[step]
            else:
                return None
        return value

    def present(self, *path: PathStep) -> bool:
        """The field exists with a non-empty value (of whatever type)."""
        return not is_empty(self.get(*path))

    def text(self, *path: PathStep) -> str | None:
        value = self.get(*path)
        return value if isinstance(value, str) and value.strip() else None

    def strings(self, *path: PathStep) -> list[str]:
        value = self.get(*path)
        if isinstance(value, str):
            return [value]
        if isinstance(value, list):
            return [v for v in value if isinstance(v, str)]
        return []

    def date(self, *path: PathStep) -> dt.date | None:
        value = self.get(*path)
        return value if isinstance(value, dt.date) else None

    def integer(self, *path: PathStep, default: int | None = None) -> int | None:
        value = self.get(*path)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        return default if value is None else None

    def loc(self, *path: PathStep) -> Location:
        """Position of the value at ``path`` (or of the deepest part of it that exists)."""
        node, _ = node_at(self.node, path)
        return self.source.location(node)

    @property
    def label(self) -> str:
        return self.id or self.path

    @property
    def is_evidence(self) -> bool:
        """A document marked ``status: draft`` or ``superseded`` is evidence for no item."""
        return self.register is not None or self.data.get("status") not in NOT_EVIDENCE


@dataclass(eq=False, slots=True)
class Register:
    kind: str
    data: dict[str, Any]
    source: SourceFile
    items: list[Entity] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.source.path

    def loc(self) -> Location:
        node = key_node_of(self.source.node, "kind")
        return self.source.location(node if node is not None else self.source.node)


@dataclass(eq=False)
class Repository:
    """Everything loaded from one repository, plus the run's notion of today."""

    today: dt.date
    anchor: str | None = None
    """Repository-relative path of the configuration file, which repository-level findings
    point at; ``None``: they point at no file."""
    sources: list[SourceFile] = field(default_factory=list)
    documents: list[Entity] = field(default_factory=list)
    registers: list[Register] = field(default_factory=list)
    unknown: list[tuple[SourceFile, str]] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    """Files not read that look like governance documents (.rst, .docx, .pdf, *.md.tmpl)."""
    by_id: dict[str, Entity] = field(default_factory=dict)
    duplicate_ids: list[tuple[Entity, Entity]] = field(default_factory=list)
    _shadowed: dict[tuple[str, str], Entity] = field(default_factory=dict)
    _docs_by_kind: dict[str, list[Entity]] = field(default_factory=lambda: defaultdict(list))
    _items_by_kind: dict[str, list[Entity]] = field(default_factory=lambda: defaultdict(list))
    _regs_by_kind: dict[str, list[Register]] = field(default_factory=lambda: defaultdict(list))
    _tenures: dict[str, list[Tenure]] | None = None
    _mgmt_roles: frozenset[str] | None = None
    _parties: dict[str, str] | None = None
    history: Any = None
    """Facts from git history and approved digests (:class:`policylint.history.HistoryFacts`),
    computed once per run by :func:`policylint.history.assess`; None before that."""
    _sessions: dict[str, list[Entity]] | None = None
    _drafts_by_kind: dict[str, list[Entity]] = field(default_factory=lambda: defaultdict(list))
    _suggesters: dict[tuple[str, ...], Suggester] = field(default_factory=dict)

    # -- building ------------------------------------------------------------------------------

    def add_document(self, entity: Entity) -> None:
        self.documents.append(entity)
        if entity.is_evidence:
            self._docs_by_kind[entity.kind].append(entity)
        else:
            self._drafts_by_kind[entity.kind].append(entity)
        self._index(entity)

    def add_register(self, register: Register) -> None:
        self.registers.append(register)
        self._regs_by_kind[register.kind].append(register)
        self._items_by_kind[register.kind].extend(register.items)
        for item in register.items:
            self._index(item)

    def _index(self, entity: Entity) -> None:
        key = entity.id
        if key is None:
            return
        first = self.by_id.setdefault(key, entity)
        if first is not entity:
            self.duplicate_ids.append((first, entity))
            if first.kind != entity.kind:
                self._shadowed.setdefault((entity.kind, key), entity)

    def replace_item(self, before: Entity, after: Entity) -> None:
        """Put a register item's new version where its old one was (same id and kind; the
        language server's edit of one item of a large register)."""
        items = self._items_by_kind[before.kind]
        items[items.index(before)] = after
        key = before.id
        if key is not None:
            if self.by_id.get(key) is before:
                self.by_id[key] = after
            if self._shadowed.get((before.kind, key)) is before:
                self._shadowed[(before.kind, key)] = after
        if self.duplicate_ids:
            self.duplicate_ids = [
                (after if a is before else a, after if b is before else b)
                for a, b in self.duplicate_ids
            ]
        self._management = None
        self._parties = None

    def replace_part(self, old: FilePart, new: FilePart) -> None:
        """Put the entities of a file's new version where those of its old version were.

        Only for versions whose entities have the same ids and kinds in the same order, and no
        unknown kind: the indexes keep their shape (which of two entities with one id comes
        first, which is shadowed), so swapping objects gives what :func:`assemble` would build.
        The language server uses it so that one edit does not re-index the whole repository.
        """
        swap: dict[Entity, Entity] = dict(zip(old.entities(), new.entities(), strict=True))
        self.sources[self.sources.index(old.source)] = new.source
        if old.documents:
            for before, after in zip(old.documents, new.documents, strict=True):
                self.documents[self.documents.index(before)] = after
            # a document's status may have made it evidence or no evidence: re-sort them all
            self._docs_by_kind, self._drafts_by_kind = defaultdict(list), defaultdict(list)
            for doc in self.documents:
                into = self._docs_by_kind if doc.is_evidence else self._drafts_by_kind
                into[doc.kind].append(doc)
        for reg_before, reg_after in zip(old.registers, new.registers, strict=True):
            self.registers[self.registers.index(reg_before)] = reg_after
            regs = self._regs_by_kind[reg_before.kind]
            regs[regs.index(reg_before)] = reg_after
            if reg_before.items:
                items = self._items_by_kind[reg_before.kind]
                start = items.index(reg_before.items[0])
                items[start : start + len(reg_before.items)] = reg_after.items
        for before, after in swap.items():
            key = before.id
            if key is None:
                continue
            if self.by_id.get(key) is before:
                self.by_id[key] = after
            if self._shadowed.get((before.kind, key)) is before:
                self._shadowed[(before.kind, key)] = after
        if self.duplicate_ids:
            self.duplicate_ids = [(swap.get(a, a), swap.get(b, b)) for a, b in self.duplicate_ids]
        self._parties = None
        self._tenures = None  # who held which role when, who is management
        self._mgmt_roles = None
        self._sessions = None

    # -- queries -------------------------------------------------------------------------------

    def documents_of(self, *kinds: str) -> list[Entity]:
        if len(kinds) == 1:
            return self._docs_by_kind.get(kinds[0], [])
        return [d for k in kinds for d in self._docs_by_kind.get(k, [])]

    def drafts_of(self, *kinds: str) -> list[Entity]:
        """Documents of these kinds that are no evidence (``status: draft`` or ``superseded``)."""
        return [d for k in kinds for d in self._drafts_by_kind.get(k, [])]

    def items_of(self, kind: str) -> list[Entity]:
        return self._items_by_kind.get(kind, [])

    def registers_of(self, kind: str) -> list[Register]:
        return self._regs_by_kind.get(kind, [])

    def entities_of(self, kind: str) -> list[Entity]:
        """Documents of a document kind, or items of a register kind."""
        return self._docs_by_kind.get(kind) or self._items_by_kind.get(kind, [])

    def find(self, ref: object, kind: str | None = None) -> Entity | None:
        if not isinstance(ref, str):
            return None
        entity = self.by_id.get(ref)
        if entity is None or kind is None or entity.kind == kind:
            return entity
        # an id used twice (reported once, by policylint/duplicate-id) still names the thing
        # of the wanted kind: a document that reuses a person's id does not hide the person
        return self._shadowed.get((kind, ref))

    def person(self, ref: object) -> Entity | None:
        return self.find(ref, "people")

    def role(self, ref: object) -> Entity | None:
        return self.find(ref, "roles")

    def party_key(self, ref: str) -> str:
        """One key per party, for grouping owners, reviewers and contacts in linear time.

        A role, the person its ``holder`` names and every person whose own ``roles`` list it
        are one party (the roles and people registers may each record the link; when one of
        them is stale, the other still ties a review to its owner). Built once, on first use.
        """
        if self._parties is None:
            self._parties = self._build_parties()
        parent = self._parties
        root = ref
        while parent.get(root, root) != root:
            root = parent[root]
        while ref != root:  # path compression
            parent[ref], ref = root, parent[ref]
        return root

    def _build_parties(self) -> dict[str, str]:
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.get(x, x) != x:
                x = parent[x]
            return x

        def join(a: str, b: str) -> None:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)  # the smaller id leads: same key every run

        for role in self.items_of("roles"):
            holder = role.text("holder")
            if role.id and holder and self.person(holder) is not None:
                join(role.id, holder)
        for person in self.items_of("people"):
            if person.id:
                for role_id in person.strings("roles"):
                    if self.role(role_id) is not None:
                        join(person.id, role_id)
        return parent

    # -- people over time: the one place that says who has left and who is management ----------

    def has_left(self, person: Entity | object, day: dt.date | None = None) -> bool:
        """Whether the person had left by ``day`` (default: today).

        ``terminated_on`` is the last working day: a person has left on any later day, whatever
        their ``status`` says. Without a date, ``status: terminated`` means they have left by
        today (when they left is unknown, so a past day is not judged by it).
        """
        p = person if isinstance(person, Entity) else self.person(person)
        if p is None:
            return False
        day = self.today if day is None else day
        ended = p.date("terminated_on")
        if ended is not None and ended < day:
            return True
        return day >= self.today and p.get("status") == "terminated"

    def leavers(self) -> list[Entity]:
        """People who have left by today (see :meth:`has_left`)."""
        return [p for p in self.items_of("people") if self.has_left(p)]

    def is_active(self, person_id: object) -> bool:
        """A person with ``status: active`` who has not left."""
        person = self.person(person_id)
        return person is not None and person.get("status") == "active" and not self.has_left(person)

    def tenures(self, person_id: str) -> list[Tenure]:
        """Every role the person holds or held, with its dates as far as the repository says.

        Sources: a role's ``holder`` (from ``holder_since``), a role's ``history`` (``{holder,
        from, to}``), a person's ``roles`` and ``role_history`` (``{role, from, to}``). Nobody
        holds a role before ``hired_on`` or after ``terminated_on``. Built once.
        """
        if self._tenures is None:
            self._tenures = self._build_tenures()
        return self._tenures.get(person_id, [])

    def _build_tenures(self) -> dict[str, list[Tenure]]:
        out: dict[str, list[Tenure]] = defaultdict(list)

        def add(pid: str, rid: str, start: object, end: object) -> None:
            person = self.person(pid)
            if person is None:
                return
            s = start if isinstance(start, dt.date) else None
            e = end if isinstance(end, dt.date) else None
            hired, ended = person.date("hired_on"), person.date("terminated_on")
            if hired is not None and (s is None or s < hired):
                s = hired
            if ended is not None and (e is None or e > ended):
                e = ended
            out[pid].append(Tenure(pid, rid, s, e))

        for role in self.items_of("roles"):
            if role.id is None:
                continue
            holder = role.text("holder")
            if holder:
                add(holder, role.id, role.get("holder_since"), None)
            history = role.get("history")
            for i in range(len(history) if isinstance(history, list) else 0):
                pid = role.text("history", i, "holder")
                if pid:
                    add(pid, role.id, role.get("history", i, "from"), role.get("history", i, "to"))
        for person in self.items_of("people"):
            if person.id is None:
                continue
            for rid in person.strings("roles"):
                held_role = self.role(rid)
                if held_role is not None:
                    mine = held_role.text("holder") == person.id
                    since = held_role.get("holder_since") if mine else None
                    add(person.id, rid, since, None)
            history = person.get("role_history")
            for i in range(len(history) if isinstance(history, list) else 0):
                held = person.text("role_history", i, "role")
                if held and self.role(held) is not None:
                    frm = person.get("role_history", i, "from")
                    add(person.id, held, frm, person.get("role_history", i, "to"))
        return {pid: list(dict.fromkeys(ts)) for pid, ts in out.items()}  # one per fact

    def sessions_attended(self, person_id: str) -> list[Entity]:
        """The ``training-sessions`` entries whose ``attendees`` list the person. Built once."""
        if self._sessions is None:
            index: dict[str, list[Entity]] = defaultdict(list)
            for session in self.items_of("training-sessions"):
                for pid in dict.fromkeys(session.strings("attendees")):
                    index[pid].append(session)
            self._sessions = index
        return self._sessions.get(person_id, [])

    def management_roles(self) -> frozenset[str]:
        if self._mgmt_roles is None:
            self._mgmt_roles = frozenset(
                r.id for r in self.items_of("roles") if r.id and r.get("management") is True
            )
        return self._mgmt_roles

    def management_tenures(self, person_id: str) -> list[Tenure]:
        roles = self.management_roles()
        return [t for t in self.tenures(person_id) if t.role in roles]

    def is_management(self, person_id: object, day: dt.date | None = None) -> bool:
        """Whether the person held a role with ``management: true`` on ``day`` (default today)
        and had not left by then."""
        if not isinstance(person_id, str):
            return False
        day = self.today if day is None else day
        if self.has_left(person_id, day):
            return False
        return any(t.covers(day) for t in self.management_tenures(person_id))

    def management_on(self, day: object) -> set[str]:
        """Ids of people who were management on ``day`` (a date; anything else: today), by
        :meth:`is_management`."""
        when = day if isinstance(day, dt.date) else None
        return {p.id for p in self.items_of("people") if p.id and self.is_management(p.id, when)}

    def management(self) -> set[str]:
        """Ids of people who are management today."""
        return self.management_on(None)

    def ids_like(self, ref: str, kinds: Sequence[str]) -> tuple[str, ...]:
        """Ids of ``kinds`` (a kind, ``person``, ``role`` or ``any``) close to ``ref``, for a
        "did you mean" (:mod:`policylint.suggest`); one suggester per set of kinds and run."""
        key = tuple(kinds)
        suggester = self._suggesters.get(key)
        if suggester is None:
            names: list[str] = []
            for kind in key:
                if kind == "any":
                    names.extend(self.by_id)
                    continue
                kind = {"person": "people", "role": "roles"}.get(kind, kind)
                names.extend(e.id for e in self.entities_of(kind) if e.id)
            suggester = self._suggesters[key] = Suggester(names)
        return suggester(ref)

    def repo_location(self) -> Location:
        """Where repository-level findings point: the configuration file when there is one,
        else no file (never a file that does not exist, nor an unrelated document)."""
        return Location(self.anchor, 1, 1) if self.anchor is not None else Location(None, 0, 0)


# ---------------------------------------------------------------------------------------------
# Building the model from loaded files


def _walk(
    value: Any, path: Sequence[str], prefix: tuple[PathStep, ...] = ()
) -> Iterator[tuple[tuple[PathStep, ...], Any, Any, PathStep]]:
    """Yield (full path, parent container, value, last step) for every match of a "*" path."""
    head, rest = path[0], path[1:]
    if head == "*":
        if isinstance(value, list):
            for i, v in enumerate(value):
                if rest:
                    yield from _walk(v, rest, (*prefix, i))
                else:
                    yield (*prefix, i), value, v, i
    elif isinstance(value, dict) and head in value:
        if rest:
            yield from _walk(value[head], rest, (*prefix, head))
        else:
            yield (*prefix, head), value, value[head], head


def _parse_dates(
    entity: Entity,
    schema: KindSchema,
    today: dt.date,
    out: list[LoadFinding],
    memo: dict[str, dt.date | DateProblem] | None = None,
) -> None:
    """Replace valid date strings by dates; report invalid and (where barred) future dates.

    ``memo``: dates already parsed from the same text (a register's items share a few hundred
    dates among thousands of fields)."""
    data = entity.data
    for path, not_future in schema.dates:
        if len(path) == 1 and path[0] != "*":  # a top-level field: no walk needed
            value = data.get(path[0])
            matches: Iterable[tuple[tuple[PathStep, ...], Any, Any, PathStep]] = (
                () if value is None else (((path[0],), data, value, path[0]),)
            )
        else:
            matches = _walk(data, path)
        for full, parent, value, last in matches:
            if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
                continue
            if not isinstance(value, str):
                continue  # the schema has reported the wrong type
            if memo is None:
                parsed = parse_date(value)
            else:
                known = memo.get(value)
                parsed = memo[value] = parse_date(value) if known is None else known
            if isinstance(parsed, DateProblem):
                args = {"field": _dotted(full), "value": value, "suggestion": parsed.suggestion}
                key = parsed.reason if parsed.suggestion is None else parsed.reason + "-hint"
                node, found = node_at(entity.node, full)
                fix = None
                if parsed.suggestion is not None and found == len(full):
                    fix = replace_scalar(entity.source, node, parsed.suggestion)
                loc = entity.source.location(node)
                out.append(
                    LoadFinding(
                        "policylint/invalid-date", Finding(loc, key, args, entity.id, fix=fix)
                    )
                )
                continue
            parent[last] = parsed
            if not_future and parsed > today:
                args = {
                    "field": _dotted(full),
                    "value": parsed.isoformat(),
                    "today": today.isoformat(),
                }
                out.append(
                    LoadFinding(
                        "policylint/future-date",
                        Finding(entity.loc(*full), "default", args, entity.id),
                    )
                )


def _dotted(path: Iterable[PathStep]) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out


def _schema_findings(
    src: SourceFile, schema: KindSchema, value: Any, errors: Iterable[SchemaError] | None = None
) -> Iterator[LoadFinding]:
    for err in schema.errors(value) if errors is None else errors:
        path = err.path
        node, _ = node_at(src.node, path)
        shown = node.value if isinstance(node, yaml.ScalarNode) else None
        field_name = _dotted(path) or "(top level)"
        args = {**err.args, "field": field_name, "value": shown if shown is not None else ""}
        owner = value
        if len(path) >= 2 and path[0] == "items" and isinstance(path[1], int):
            owner = value["items"][path[1]]  # an item's error targets the item
        ident = owner.get("id") if isinstance(owner, dict) else None
        target = ident if isinstance(ident, str) else None
        fix = None
        if err.key == "type" and path and path[-1] == "version" and _NUMBER.fullmatch(shown or ""):
            fix = quote_scalar(src, node)  # 1.10 unquoted reads as 1.1: quote what was written
        finding = Finding(src.location(node), err.key, args, target, fix=fix)
        yield LoadFinding("policylint/schema", finding)


@dataclass(eq=False, slots=True)
class FilePart:
    """What one file contributes to the model: its documents or register, or an unknown kind,
    and the findings of its parse, schema and date passes. Built from that file alone, so an
    editor can rebuild the part of the one file that changed (see :mod:`policylint.incremental`).
    """

    source: SourceFile
    documents: list[Entity] = field(default_factory=list)
    registers: list[Register] = field(default_factory=list)
    unknown: list[tuple[SourceFile, str]] = field(default_factory=list)
    findings: list[LoadFinding] = field(default_factory=list)

    def entities(self) -> Iterator[Entity]:
        yield from self.documents
        for register in self.registers:
            yield from register.items


def build_part(
    src: SourceFile,
    today: dt.date,
    aliases: Mapping[str, str] | None = None,
    validate: bool = True,
) -> FilePart:
    """The model's part of one loaded file (schema and date passes included; without
    ``validate``, no schema pass: a run in several processes leaves it to another one, see
    :func:`schema_findings`)."""
    part = FilePart(src)
    findings = part.findings
    findings.extend(src.findings)
    found = _kind_of(src, aliases, findings, part)
    if found is None:
        return part
    kind, schema, value = found
    if validate:
        findings.extend(_schema_findings(src, schema, value))
    if schema.is_register:
        register = Register(kind, value, src)
        items = value.get("items")
        if isinstance(items, list):
            memo: dict[str, dt.date | DateProblem] = {}
            known, loud = src.loud is not None, set(src.loud or ())
            for i, item in enumerate(items):
                if isinstance(item, dict):
                    quiet = known and i not in loud
                    entity = Entity(kind, item, src, None, register, ("items", i), quiet)
                    _parse_dates(entity, schema, today, findings, memo)
                    register.items.append(entity)
        _parse_register_dates(register, today, findings)
        part.registers.append(register)
    else:
        entity = Entity(kind, value, src, None, None, (), src.loud == ())
        _parse_dates(entity, schema, today, findings)
        part.documents.append(entity)
    return part


def _kind_of(
    src: SourceFile,
    aliases: Mapping[str, str] | None,
    findings: list[LoadFinding],
    part: FilePart,
) -> tuple[str, KindSchema, dict[str, Any]] | None:
    """The kind, schema and value of a governance file (aliases applied), or None when it is
    none (a kind that is missing or unknown is noted in ``findings`` or ``part``)."""
    value = src.value
    if not isinstance(value, dict):
        return None
    if aliases:
        _alias_file(src, value, aliases, findings)
    kind = value.get("kind")
    if kind is None:
        _missing_kind(src, findings)
        return None
    if src.format == "yaml" and "items" not in value:
        return None  # a YAML file with a `kind` but no items is not a register
    schema = kind_schema(kind) if isinstance(kind, str) else None
    if schema is None or schema.is_register != (src.format == "yaml"):
        part.unknown.append((src, str(kind)))
        return None
    return kind, schema, value


def schema_findings(
    sources: Sequence[SourceFile], aliases: Mapping[str, str] | None = None
) -> list[LoadFinding]:
    """The schema pass alone, over the files as read (before a date pass changes their values):
    the findings :func:`build_part` leaves out without ``validate``."""
    out: list[LoadFinding] = []
    for src in sources:
        found = _kind_of(src, aliases, [], FilePart(src))
        if found is not None:
            out.extend(_schema_findings(src, found[1], found[2]))
    return out


def assemble(parts: Sequence[FilePart], today: dt.date, anchor: str | None) -> Repository:
    """The repository of these parts, indexed (in the order of the parts: the first of two
    entities with one id is the one ``by_id`` names)."""
    repo = Repository(today=today, anchor=anchor, sources=[p.source for p in parts])
    for part in parts:
        for entity in part.documents:
            repo.add_document(entity)
        for register in part.registers:
            repo.add_register(register)
        repo.unknown.extend(part.unknown)
    return repo


def build_repository(
    sources: Sequence[SourceFile],
    today: dt.date,
    anchor: str | None = None,
    aliases: Mapping[str, str] | None = None,
    validate: bool = True,
) -> tuple[Repository, list[LoadFinding]]:
    """Turn loaded files into the model; returns it with the findings of schema and date passes
    (without ``validate``, of the date pass only)."""
    parts = [build_part(src, today, aliases, validate) for src in sources]
    return assemble(parts, today, anchor), [f for p in parts for f in p.findings]


def _missing_kind(src: SourceFile, out: list[LoadFinding]) -> None:
    """Front matter without ``kind`` that looks like a governance kind: say which."""
    if src.format != "markdown":
        return
    from policylint.adoption import likely_kind

    guess = likely_kind(src)
    if guess is not None:
        args = {"guess": guess[0], "why": guess[1]}
        out.append(
            LoadFinding(
                "policylint/missing-kind", Finding(Location(src.path, 1, 1), "default", args)
            )
        )


def apply_aliases(
    src: SourceFile,
    value: dict[str, Any],
    node: yaml.Node | None,
    aliases: Mapping[str, str],
    out: list[LoadFinding],
) -> None:
    """Rename the fields that ``aliases`` maps (``effective_date`` → ``approved_on``), in the value
    and in its YAML node, so that every diagnostic about the field points at the aliased name
    where the author wrote it. When both names are present, that is the field written twice:
    reported as a duplicate key, and (as for any duplicate key) the value written last is kept."""
    if not isinstance(node, yaml.MappingNode):
        return
    present = {k.value: k for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        target = aliases.get(key_node.value)
        if target is None or key_node.value not in value:
            continue
        if target in present and target in value:
            first, second = sorted((present[target], key_node), key=lambda n: n.start_mark.index)
            out.append(
                LoadFinding(
                    "policylint/duplicate-key",
                    Finding(
                        src.location(second),
                        "default",
                        {"name": target, "first_line": src.location(first).line},
                    ),
                )
            )
            if second is key_node:  # the alias is written last: its value is the one kept
                value[target] = value.pop(key_node.value)
                key_node.value = target  # positions are looked up on the last duplicate
            else:
                value.pop(key_node.value)
            continue
        value[target] = value.pop(key_node.value)
        key_node.value = target
        present[target] = key_node


def _fields_of(schema: Any) -> frozenset[str]:
    return frozenset((schema.get("properties") or {}) if isinstance(schema, dict) else ())


def item_aliases(schema: KindSchema, aliases: Mapping[str, str]) -> dict[str, str]:
    """The ``aliases`` that apply to the items of a register of ``schema``'s kind: those whose
    target an item defines and whose own name it does not."""
    fields = _fields_of(schema.part("item"))
    return {a: t for a, t in aliases.items() if t in fields and a not in fields}


def _alias_file(
    src: SourceFile, value: dict[str, Any], aliases: Mapping[str, str], out: list[LoadFinding]
) -> None:
    """Apply ``aliases`` to a document's front matter or to a register's items, for the
    aliases whose target the kind defines and whose own name it does not."""
    kind = value.get("kind")
    if kind is None:
        for alias, target in aliases.items():
            if target == "kind" and alias in value:
                kind = value[alias]
    schema = kind_schema(kind) if isinstance(kind, str) else None
    if schema is None:
        return
    top = _fields_of(schema.schema) | {"kind"}
    mine = {a: t for a, t in aliases.items() if t in top and a not in top}
    if mine:
        apply_aliases(src, value, src.node, mine, out)
    items = value.get("items")
    if not schema.is_register or src.format != "yaml" or not isinstance(items, list):
        return
    mine = item_aliases(schema, aliases)
    if not mine:
        return
    nodes = node_at(src.node, ("items",))[0]
    item_nodes = nodes.value if isinstance(nodes, yaml.SequenceNode) else []
    for item, node in zip(items, item_nodes, strict=False):
        if isinstance(item, dict):
            apply_aliases(src, item, node, mine, out)


def _parse_register_dates(register: Register, today: dt.date, out: list[LoadFinding]) -> None:
    value = register.data.get("last_reviewed")
    if isinstance(value, str):
        shell = Entity(register.kind, register.data, register.source, None, None, ())
        schema = KindSchema(register.kind, {}, False, dates=[(("last_reviewed",), True)])
        _parse_dates(shell, schema, today, out)
