"""The incremental engine: one repository's model kept in memory and updated one file at a time.

The language server keeps a :class:`Session`. When a file changes (an editor's buffer, or the
file on disk), the session re-parses that file only (:func:`policylint.model.build_part`),
re-assembles the indexes, and re-runs only the checks that can be affected:

- every check run records what it read of the model (:class:`Recorder`): the kinds it listed
  or whose entities it looked up, whether it looked an id up, or "everything";
- a change touches the kinds of the file before and after it, and the id index when the ids
  (or their kinds) of the file changed;
- a check is re-run when it read a touched kind, looked an id up while the ids changed, or read
  the whole model; otherwise its diagnostics are kept.

Anything that changes the shape of the whole run (the anchor of repository-level findings,
whether the tree has any governance file) re-runs everything. The result equals a full run of
:func:`policylint.engine.lint` on the same texts (a property test checks it on random edits).
"""

from __future__ import annotations

import bisect
import datetime as dt
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, cast

import yaml

from policylint import exceptions, history
from policylint.config import Config
from policylint.diagnostics import Diagnostic, Finding, LoadFinding, Location, Served
from policylint.discovery import discover, is_candidate
from policylint.engine import (
    Setting,
    check_units,
    configure,
    load_diagnostics,
    no_governance_files,
    same_as_aliases,
    sort_unique,
    stale_exceptions,
    step_diagnostics,
)
from policylint.loader import (
    SPAN_BLOCK,
    LineMap,
    SourceFile,
    changed_span,
    node_at,
    parse_yaml,
    read_source,
    source_from_bytes,
)
from policylint.model import (
    Entity,
    FilePart,
    Register,
    Repository,
    _parse_dates,
    _schema_findings,
    apply_aliases,
    assemble,
    build_part,
    item_aliases,
)
from policylint.primitives import Context
from policylint.rulepack import RulePack, Step
from policylint.validate import kind_schema

Unit = tuple[Setting, tuple[Served, ...], int]
"""One step of one configured check: the unit the session records and re-runs."""

EVERYTHING = "*"
"""A dependency on the whole model (a check that walked every document or register)."""
IDS = "#ids"
"""A dependency on the id index: which ids exist, and of which kind."""
HISTORY = "#history"
"""A dependency on the facts of git history (``repo.history``): re-run when they are computed
again (see :meth:`Session._assess`)."""


ALL_KINDS = "*kinds"
"""Iterated every document or register (``repo.documents``, ``repo.registers``)."""

PER_ENTITY = frozenset(
    {
        "load",
        "asset_hosts",
        "required_fields",
        "date_order",
        "reference",
        "value_in",
        "nonempty_text",
        "duration",
        "headings_present",
        "unknown_fields",
        "unresolved_references",
        "placeholders",
    }
)
"""Primitives and built-ins that judge each entity on its own: every finding is about one
entity, located in that entity's file, and depends only on that entity and on look-ups
(``find``, ``person``...). When one file changes they re-run on that file's entities only."""


def per_entity(step: Step) -> bool:
    name, params = step.primitive, step.params
    if name == "covers":
        return bool(params.get("scope", "each") == "each")
    if name == "review_due":
        return not params.get("required")
    return name in PER_ENTITY


class Recorder:
    """The repository as a check sees it, noting what the check reads (its dependencies).

    ``iterated``: the kinds whose entities it listed (or :data:`ALL_KINDS`); ``deps``: what it
    looked up (the kinds of the entities it found, :data:`IDS`), or :data:`EVERYTHING` for
    any other query. With ``part``, the lists hold only that file's entities (a per-entity
    check re-run on one file); look-ups still see the whole repository.
    """

    def __init__(self, repo: Repository, part: FilePart | None = None) -> None:
        self._repo = repo
        self._part = part
        self.deps: set[str] = set()
        self.iterated: set[str] = set()
        self.today = repo.today
        self.anchor = repo.anchor

    def __getattr__(self, name: str) -> Any:
        self.deps.add(EVERYTHING)
        return getattr(self._repo, name)

    @property
    def documents(self) -> list[Entity]:
        self.iterated.add(ALL_KINDS)
        return self._part.documents if self._part is not None else self._repo.documents

    @property
    def registers(self) -> list[Register]:
        self.iterated.add(ALL_KINDS)
        return self._part.registers if self._part is not None else self._repo.registers

    def documents_of(self, *kinds: str) -> list[Entity]:
        self.iterated.update(kinds)
        if self._part is not None:  # drafts are no evidence, as in Repository.documents_of
            return [d for d in self._part.documents if d.kind in kinds and d.is_evidence]
        return self._repo.documents_of(*kinds)

    def items_of(self, kind: str) -> list[Entity]:
        self.iterated.add(kind)
        if self._part is not None:
            return [i for r in self._part.registers if r.kind == kind for i in r.items]
        return self._repo.items_of(kind)

    def registers_of(self, kind: str) -> list[Register]:
        self.iterated.add(kind)
        if self._part is not None:
            return [r for r in self._part.registers if r.kind == kind]
        return self._repo.registers_of(kind)

    def entities_of(self, kind: str) -> list[Entity]:
        self.iterated.add(kind)
        if self._part is not None:
            return self.documents_of(kind) or self.items_of(kind)
        return self._repo.entities_of(kind)

    def find(self, ref: object, kind: str | None = None) -> Entity | None:
        found = self._repo.find(ref, kind)
        self.deps.add(IDS)
        if found is not None:
            self.deps.add(found.kind)
        return found

    def person(self, ref: object) -> Entity | None:
        return self.find(ref, "people")

    def role(self, ref: object) -> Entity | None:
        return self.find(ref, "roles")

    def is_active(self, person_id: object) -> bool:
        self.deps.update((IDS, "people"))
        return self._repo.is_active(person_id)

    def party_key(self, ref: str) -> str:
        self.deps.update((IDS, "people", "roles"))
        return self._repo.party_key(ref)

    def management(self) -> set[str]:
        self.deps.update(("people", "roles"))
        return self._repo.management()

    def management_on(self, day: object) -> set[str]:
        self.deps.update(("people", "roles"))
        return self._repo.management_on(day)

    def is_management(self, person_id: object, day: dt.date | None = None) -> bool:
        self.deps.update((IDS, "people", "roles"))
        return self._repo.is_management(person_id, day)

    def management_tenures(self, person_id: str) -> list[Any]:
        self.deps.update((IDS, "people", "roles"))
        return self._repo.management_tenures(person_id)

    def tenures(self, person_id: str) -> list[Any]:
        self.deps.update((IDS, "people", "roles"))
        return self._repo.tenures(person_id)

    def has_left(self, person: Entity | object, day: dt.date | None = None) -> bool:
        self.deps.update((IDS, "people"))
        return self._repo.has_left(person, day)

    def leavers(self) -> list[Entity]:
        self.deps.add("people")
        return self._repo.leavers()

    def sessions_attended(self, person_id: str) -> list[Entity]:
        self.deps.add("training-sessions")
        return self._repo.sessions_attended(person_id)

    def drafts_of(self, *kinds: str) -> list[Entity]:
        self.deps.update(kinds)
        return self._repo.drafts_of(*kinds)

    def repo_location(self) -> Location:
        return self._repo.repo_location()

    def ids_like(self, ref: str, kinds: Any) -> tuple[str, ...]:
        self.deps.add(IDS)  # a suggestion reads which ids exist, and of which kind
        return self._repo.ids_like(ref, kinds)

    @property
    def history(self) -> Any:
        self.deps.add(HISTORY)
        return self._repo.history


_MAX_RANGES = 1024
"""Ranges of a register's :class:`~policylint.loader.LineMap` (about two per edit that added or
removed lines) beyond which the next such edit parses the whole file again (a fresh map)."""


def _shift(root: yaml.Node, lines: int, chars: int) -> None:
    """Move the marks of a node tree parsed alone by ``lines`` lines and ``chars`` characters:
    to the lines it takes in the file's node tree (see :class:`~policylint.loader.LineMap`)."""
    moved: dict[int, yaml.Mark] = {}

    def move(mark: Any) -> Any:
        if mark is None:
            return None
        new = moved.get(id(mark))
        if new is None:
            new = moved[id(mark)] = yaml.Mark(
                mark.name, mark.index + chars, mark.line + lines, mark.column, None, 0
            )
        return new

    stack = [root]
    while stack:
        node = stack.pop()
        node.start_mark, node.end_mark = move(node.start_mark), move(node.end_mark)
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack.append(k)
                stack.append(v)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _inside(f: LoadFinding, rel: str, line0: int, line1: int) -> bool:
    loc = f.finding.location
    return loc.path == rel and line0 < loc.line <= line1


def _kinds(part: FilePart | None) -> set[str]:
    if part is None:
        return set()
    return {d.kind for d in part.documents} | {r.kind for r in part.registers}


def _ids(part: FilePart | None) -> list[tuple[str | None, str]]:
    return [] if part is None else [(e.id, e.kind) for e in part.entities()]


class _Documents:
    """The repository with only some of its documents (to compute their history facts)."""

    def __init__(self, repo: Repository, documents: list[Entity]) -> None:
        self._repo = repo
        self.documents = documents
        self.history: Any = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._repo, name)


class Session:
    """The model and diagnostics of one repository, updated file by file."""

    def __init__(
        self,
        root: Path,
        config: Config,
        pack: RulePack,
        today: dt.date,
        lang: str,
        settings: Mapping[str, Setting] | None = None,
    ) -> None:
        self.root = root
        self.config = config
        self.pack = pack
        self.today = today
        self.lang = lang
        self.settings = dict(settings if settings is not None else configure(pack, config))
        self.enabled = check_units(self.settings)
        self.parts: dict[str, FilePart] = {}
        self.load_diags: dict[str, list[Diagnostic]] = {}
        # by (check id, step): each step of a check records and re-runs on its own
        self.item_edits = 0
        self.parsed_chars = 0
        """Characters of whole files parsed again by updates (the server frees memory by it)."""
        """Edits applied to one register item alone (see _edit_item)."""
        self.item_edit_min_bytes = 2 * SPAN_BLOCK
        """Registers at least this large have an edit inside one item applied to that item
        alone (smaller ones are parsed again: it is as fast, and simpler)."""
        self.texts: dict[str, str] = {}
        """The text of each file last given by the editor (to find what an edit changed)."""
        self.check_diags: dict[tuple[str, int], list[Diagnostic]] = {}
        self.memos: dict[tuple[str, int], dict[str, Any]] = {}
        """Each step's own cache from one run to the next (see primitives.Context.memo)."""
        self.deps: dict[tuple[str, int], set[str]] = {}
        self.iterated: dict[tuple[str, int], set[str]] = {}
        self.fixed: list[Diagnostic] = []
        self.repo = Repository(today=today)
        self.history_changed = True
        """Whether the last update computed the facts of git history again."""
        self._token: tuple[Any, ...] | None = None
        self._git_files: tuple[str, list[Path]] | None = None
        self._git_memo: dict[Any, Any] = {}
        """Answers of git while the history stays the same (see history.assess)."""
        self.diagnostics: list[Diagnostic] = []
        self._empty = True
        self.reruns = 0
        """Checks run by the last update (for tests and the benchmark)."""

    # -- loading -----------------------------------------------------------------------------

    def _source(self, rel: str, text: str | None) -> SourceFile:
        if text is None:
            return read_source(self.root, rel, self.config.max_file_bytes)
        return source_from_bytes(
            rel, text.encode("utf-8", "surrogatepass"), self.config.max_file_bytes
        )

    def load(self, texts: Mapping[str, str] | None = None) -> None:
        """Read the whole repository (``texts``: editor buffers that replace files on disk)."""
        texts = texts or {}
        found = discover(self.root, self.config.include, self.config.exclude)
        paths = sorted(
            set(found.files) | {p for p in texts if self.accepts(p) and p not in found.files}
        )
        self.parts = {
            p: build_part(self._source(p, texts.get(p)), self.today, self.config.aliases)
            for p in paths
        }
        self.fixed = load_diagnostics(
            self.pack,
            self.settings,
            [
                LoadFinding(
                    "policylint/symlink-escape", Finding(Location(rel), "default", {"path": rel})
                )
                for rel in found.escaping_links
            ],
            self.lang,
        )
        self.load_diags = {p: self._load_diags(part) for p, part in self.parts.items()}
        self._assemble()
        self._run(self._all_steps())
        self._finish()

    def accepts(self, rel: str) -> bool:
        """Whether a file at ``rel`` belongs to the repository (is or would be discovered)."""
        return rel in self.parts or is_candidate(rel, self.config.include, self.config.exclude)

    def _load_diags(self, part: FilePart) -> list[Diagnostic]:
        return load_diagnostics(self.pack, self.settings, part.findings, self.lang)

    def _assemble(self, old: FilePart | None = None, new: FilePart | None = None) -> None:
        """Index the parts: from scratch, or by swapping one file's old part for its new one
        when its ids and kinds are the same (see Repository.replace_part)."""
        anchor = self.config.path
        previous = self.repo.history
        if (
            old is not None
            and new is not None
            and anchor == self.repo.anchor
            and not old.unknown
            and not new.unknown
            and _ids(old) == _ids(new)
            and len(old.registers) == len(new.registers)
        ):
            self.repo.replace_part(old, new)
        else:
            self.repo = assemble(list(self.parts.values()), self.today, anchor)
        self._assess(
            previous if isinstance(previous, history.HistoryFacts) else None,
            None if old is None else old.documents,
            None if new is None else new.documents,
            _kinds(old) | _kinds(new),
        )

    def _assess(
        self,
        previous: history.HistoryFacts | None,
        old_docs: list[Entity] | None,
        new_docs: list[Entity] | None,
        kinds: set[str],
    ) -> None:
        """The facts of git history (approved documents changed since approval): the buffers'
        texts against the history on disk, as a full run on the same texts would see them.

        They are computed again only for what changed: the approved documents of the changed
        file (``old_docs`` → ``new_docs``; ``None``: unknown, compute everything), while the
        history itself (HEAD, refs, tags: :meth:`_git_token`) and the people register (whose
        keys verify signatures) stay the same. ``self.history_changed`` says whether the facts
        are new (the checks that read them re-run)."""
        token = self._git_token()
        approved = history.approved_documents
        self.history_changed = True
        if (
            previous is None
            or old_docs is None
            or new_docs is None
            or token is None
            or token != self._token
            or "people" in kinds
        ):
            if token is None or token != self._token:
                self._git_memo = {}  # the history moved (or may have): ask git again
            self._token = token
            history.assess(
                self.repo,
                self.root,
                self.config.history_mode,
                self.config.signed_mode,
                previous,
                trust_disk=False,
                memo=self._git_memo,
            )
            return
        gone = set(approved(cast(Repository, _Documents(self.repo, old_docs))))
        fresh = approved(cast(Repository, _Documents(self.repo, new_docs)))
        if not gone and not fresh:
            self.repo.history = previous
            self.history_changed = False
            return
        view = _Documents(self.repo, fresh)
        facts = history.assess(
            cast(Repository, view),
            self.root,
            self.config.history_mode,
            self.config.signed_mode,
            trust_disk=False,
            memo=self._git_memo,
        )
        if (facts.status, facts.shallow, facts.top) != (
            previous.status,
            previous.shallow,
            previous.top,
        ):  # git answered differently this time: ask it about everything
            self._assess(previous, None, None, kinds)
            return
        approvals = {d: a for d, a in previous.approvals.items() if d not in gone}
        approvals.update(facts.approvals)
        order = approved(self.repo)
        if any(d not in approvals for d in order):  # facts of another run: start again
            self._assess(None, None, None, kinds)
            return
        merged = history.HistoryFacts(
            previous.status,
            previous.mode,
            previous.signed,
            previous.detail,
            previous.shallow,
            {d: approvals[d] for d in order},  # in the order of a full run
            top=previous.top,
        )
        merged.signers_checked = merged.status == "available" and any(
            a.approval is not None for a in merged.approvals.values()
        )
        self.repo.history = merged

    def _git_token(self) -> tuple[Any, ...] | None:
        """What tells whether the git history changed: the state of HEAD, the branch it names,
        packed refs, tags and the shallow boundary (sizes, times and inodes of those files).
        None: unknown (history is then read again on every update)."""
        if self.config.history_mode == "off":
            return ()
        if self._git_files is None:
            top = history.find_work_tree(self.root)
            if top is None:  # not a work tree: until one appears
                here = self.root.resolve()
                self._git_files = ("none", [f / ".git" for f in (here, *here.parents)])
            else:
                try:
                    out = history.run_git(
                        self.root, "rev-parse", "--absolute-git-dir", "--git-common-dir"
                    ).decode("utf-8", "surrogateescape")
                except history.GitError:
                    return None
                lines = out.split("\n")
                if len(lines) < 2:
                    return None
                git_dir = Path(lines[0])
                common = self.root / lines[1] if not Path(lines[1]).is_absolute() else None
                common_dir = common if common is not None else Path(lines[1])
                self._git_files = (
                    "git",
                    [
                        git_dir / "HEAD",
                        git_dir / "logs" / "HEAD",
                        git_dir / "shallow",
                        common_dir / "packed-refs",
                        common_dir / "refs" / "heads",
                        common_dir / "refs" / "tags",
                        common_dir / "shallow",
                    ],
                )
        what, files = self._git_files
        token: list[Any] = [what]
        for path in files:
            try:
                st = path.stat()
            except OSError:
                token.append(None)
                continue
            token.append((st.st_mtime_ns, st.st_size, st.st_ino))
        if what == "git":
            try:  # the branch HEAD names, and that branch's ref
                head = files[0].read_text(encoding="utf-8", errors="replace")[:1000]
            except OSError:
                return None
            token.append(head)
            ref = head.strip().removeprefix("ref: ")
            if ref.startswith("refs/") and ".." not in ref:
                for base in (files[0].parent, files[3].parent):
                    try:
                        st = (base / ref).stat()
                    except OSError:
                        token.append(None)
                        continue
                    token.append((st.st_mtime_ns, st.st_size, st.st_ino))
        return tuple(token)

    # -- updating ----------------------------------------------------------------------------

    def update(self, rel: str, text: str | None) -> set[str]:
        """The file ``rel`` now holds ``text`` (``None``: whatever is on disk, if anything).

        Returns the paths whose diagnostics changed.
        """
        before = self.by_path()
        old = self.parts.get(rel)
        previous_text = self.texts.pop(rel, None)
        if text is not None:
            self.texts[rel] = text
            if (
                old is not None
                and previous_text is not None
                and self._edit_item(rel, old, previous_text, text)
            ):
                self.item_edits += 1
                self._finish()
                after = self.by_path()
                return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
        on_disk = (self.root / rel).is_file()
        if text is None and not on_disk:
            if old is None:
                return set()
            del self.parts[rel]
            del self.load_diags[rel]
            new = None
        else:
            if old is None and not self.accepts(rel):
                return set()
            new = build_part(self._source(rel, text), self.today, self.config.aliases)
            self.parsed_chars += len(text) if text is not None else 0
            if old is None:
                self.parts[rel] = new
                self.parts = dict(sorted(self.parts.items()))
            else:
                self.parts[rel] = new
            self.load_diags[rel] = self._load_diags(new)
        anchor, empty = self.repo.anchor, self._empty
        self._assemble(old, new)
        if (old is None) != (new is None) or anchor != self.repo.anchor or new is None:
            todo = self._all_steps()  # the set of files or the anchor changed: run everything
            partial: list[Unit] = []
        else:
            touched = _kinds(old) | _kinds(new)
            looked_up = set(touched)
            if _ids(old) != _ids(new):
                looked_up.add(IDS)
            if self.history_changed:
                looked_up.add(HISTORY)
            todo, partial = self._affected_steps(touched, looked_up)
        if empty != self._is_empty():
            todo, partial = self._all_steps(), []
        self._run(todo)
        if partial and new is not None:
            self._run_on_file(partial, rel, new)
        self._finish()
        after = self.by_path()
        return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}

    def _all_steps(self) -> list[Unit]:
        return [(s, serves, i) for s, serves in self.enabled for i in range(len(s.steps))]

    def _edit_item(self, rel: str, part: FilePart, old_text: str, new_text: str) -> bool:
        """Apply an edit inside one item of a register without parsing the whole file again.

        Only an edit that stays within one item (the last one too when ``items`` is the last
        key of the file) of a file free of anchors, aliases and tags is applied this way; the
        item's text is parsed alone, its positions moved to where it stands, and only the
        checks that read the item's kind re-run (per-entity steps on that item alone). Returns
        False when the edit does not qualify: the caller parses the whole file.

        An edit that adds or removes lines moves everything after the item: the marks of the
        later nodes through the file's :class:`~policylint.loader.LineMap` (a few numbers, not
        every mark), the diagnostics already found there (of every check, load findings and
        the findings checks keep in their memos) one by one.
        """
        src = part.source
        if (
            len(part.registers) != 1
            or part.documents
            or part.unknown
            or src.format != "yaml"
            or src.odd_breaks is not None
            or any(f.check_id == "policylint/parse-error" for f in src.findings)
            or len(old_text) < self.item_edit_min_bytes
            or any(c in new_text for c in "&*!")
            or ("\r" in new_text and new_text.count("\r") != new_text.count("\r\n"))
        ):
            return False  # (a lone CR breaks a line for YAML, not for the lines counted here)
        register = part.registers[0]
        seq = node_at(src.node, ("items",))[0]
        items = register.data.get("items")
        if not isinstance(seq, yaml.SequenceNode) or not isinstance(items, list):
            return False
        nodes = seq.value
        if len(nodes) != len(items) or len(register.items) != len(items) or len(nodes) < 2:
            return False
        start, end = changed_span(old_text, new_text)
        delta = len(new_text) - len(old_text)
        old_end = max(end - delta, start)
        moved = new_text.count("\n", start, max(end, start)) - old_text.count("\n", start, old_end)
        line_map = src.line_map
        if moved and line_map is not None and len(line_map) > _MAX_RANGES:
            return False  # parse it whole again: a fresh map

        def real(tree_line: int) -> int:  # the file line of a mark's line
            return tree_line if line_map is None else line_map.line(tree_line)

        # Items are found by their lines: an earlier edit of this kind that changed the length
        # of a line left the character offsets of the later nodes behind, never their lines.
        start_line = old_text.count("\n", 0, start)
        here = old_text.rfind("\n", 0, start) + 1  # where the line of the change begins

        def line_start(line: int) -> int:  # where a line of the old text begins
            pos = here
            for _ in range(start_line - line):
                pos = old_text.rfind("\n", 0, pos - 1) + 1
            for _ in range(line - start_line):
                pos = old_text.find("\n", pos) + 1
            return pos

        i = bisect.bisect_right(nodes, start_line, key=lambda n: real(n.start_mark.line)) - 1
        if i < 0:
            return False
        if register.items[i].node is not nodes[i] or register.items[i].data is not items[i]:
            return False
        line0 = real(nodes[i].start_mark.line)
        a = line_start(line0)
        if i + 1 < len(nodes):
            line1 = real(nodes[i + 1].start_mark.line)
            b = line_start(line1)
        else:  # the last item: its text runs to the end when ``items`` is the last key
            top = src.node
            if not isinstance(top, yaml.MappingNode) or top.value[-1][1] is not seq:
                return False
            line1, b = sys.maxsize, len(old_text)
        if not a <= start or b < old_end:
            return False  # the changed text reaches beyond the item
        chunk = new_text[a : b + len(new_text) - len(old_text)]
        parsed = parse_yaml(chunk)
        node = parsed.node
        if (
            parsed.problem is not None
            or not isinstance(node, yaml.SequenceNode)
            or len(node.value) != 1
            or not isinstance(node.value[0], yaml.MappingNode)
            or not isinstance(parsed.value, list)
            or not isinstance(parsed.value[0], dict)
        ):
            return False
        schema = kind_schema(register.kind)
        if schema is None:
            return False
        if moved:  # the lines from the next item on move; the item gets lines of its own
            if line_map is None:
                line_map = src.line_map = LineMap(len(old_text))  # lines <= characters
            line_map.move(line0 + old_text.count("\n", a, b), moved)
            _shift(node, line_map.place(chunk.count("\n"), line0), a)
        else:  # on the lines of the item it replaces
            _shift(node, nodes[i].start_mark.line, a)
        item_node, value = node.value[0], parsed.value[0]
        findings: list[LoadFinding] = []
        aliases = item_aliases(schema, self.config.aliases)
        if aliases:  # as a whole parse renames them (model._alias_file)
            apply_aliases(src, value, item_node, aliases, findings)
        old_entity = register.items[i]
        new_entity = Entity(register.kind, value, src, item_node, register)
        old_ids = (old_entity.id, old_entity.kind)
        # the model: the file's value, node tree and register now hold the new item
        nodes[i] = item_node
        items[i] = value
        register.items[i] = new_entity
        for first_node, second_node, name in parsed.duplicates:
            loc = src.location(second_node)
            args = {"name": name, "first_line": src.location(first_node).line}
            findings.append(LoadFinding("policylint/duplicate-key", Finding(loc, "default", args)))
        errors = list(schema.item_errors(value, i))
        findings.extend(_schema_findings(src, schema, register.data, errors))
        _parse_dates(new_entity, schema, self.today, findings)
        # 1-based: the item's lines were line0 + 1 to line1; now to line1 + moved
        after = line1 if line1 == sys.maxsize else line1 + moved

        def inside(d: Diagnostic) -> bool:
            return d.path == rel and line0 < d.line <= after

        def was_inside(d: Diagnostic) -> bool:
            return d.path == rel and line0 < d.line <= line1

        kept_findings = [f for f in part.findings if not _inside(f, rel, line0, line1)]
        kept = [d for d in self.load_diags[rel] if not was_inside(d)]
        if moved:
            part.findings = [
                f
                if (g := f.finding.moved(rel, line1, moved)) is f.finding
                else LoadFinding(f.check_id, g)
                for f in kept_findings
            ]
            if any(
                f.finding.args is not g.finding.args
                for f, g in zip(kept_findings, part.findings, strict=True)
            ):  # a message quotes a line that moved: render them again
                kept = self._load_diags(FilePart(src, findings=part.findings))
            else:
                kept = [d.moved(rel, line1, moved) for d in kept]
        else:
            part.findings = kept_findings
        part.findings.extend(findings)
        self.load_diags[rel] = kept + [
            d for d in self._load_diags(FilePart(src, findings=findings)) if inside(d)
        ]
        previous = self.repo.history
        if old_ids == (new_entity.id, new_entity.kind):
            self.repo.replace_item(old_entity, new_entity)
        else:  # an id changed: which entity an id names, duplicates...
            self.repo = assemble(list(self.parts.values()), self.today, self.config.path)
        self._assess(
            previous if isinstance(previous, history.HistoryFacts) else None,
            [],
            [],
            {register.kind},
        )
        touched = {register.kind}
        looked_up = set(touched)
        if old_ids != (new_entity.id, new_entity.kind):
            looked_up.add(IDS)
        if self.history_changed:
            looked_up.add(HISTORY)
        todo, partial = self._affected_steps(touched, looked_up)
        if moved:
            self._lines_moved(rel, line1, moved, todo, partial, was_inside)
        self._run(todo)
        view = FilePart(src, registers=[Register(register.kind, register.data, src, [new_entity])])
        for setting, serves, k in partial:
            key = (setting.check.id, k)
            recorder = Recorder(self.repo, view)
            ctx = Context(cast(Repository, recorder), self.root)
            step = setting.steps[k]
            found = step_diagnostics(ctx, self.pack, setting, step, self.lang, serves)
            kept = [d for d in self.check_diags.get(key, []) if not inside(d)]
            self.check_diags[key] = kept + [d for d in found if inside(d)]
            self.deps[key] |= recorder.deps
            self.iterated[key] |= recorder.iterated
            self.reruns += 1
        return True

    def _lines_moved(
        self,
        rel: str,
        after: int,
        delta: int,
        todo: list[Unit],
        partial: list[Unit],
        was_inside: Callable[[Diagnostic], bool],
    ) -> None:
        """The lines of ``rel`` after line ``after`` moved by ``delta``: move the diagnostics
        kept there (of any check, whichever file it judged) and the positions checks keep in
        their memos. The steps of ``todo`` run again whole (nothing of theirs is kept); those
        of ``partial`` run again on the edited item (their findings inside it go first)."""
        again = {(s.check.id, k) for s, _, k in todo}
        on_item = {(s.check.id, k) for s, _, k in partial}
        for key, diags in self.check_diags.items():
            if key in again:
                continue
            if key in on_item:
                diags = [d for d in diags if not was_inside(d)]
            self.check_diags[key] = [d.moved(rel, after, delta) for d in diags]
        for memo in self.memos.values():
            for name, value in list(memo.items()):
                moved = getattr(value, "lines_moved", None)
                if callable(moved):
                    moved(rel, after, delta)
                else:  # it may hold positions it cannot move: it is built again
                    del memo[name]

    def _affected_steps(
        self, touched: set[str], looked_up: set[str]
    ) -> tuple[list[Unit], list[Unit]]:
        """The check steps a change of ``touched`` kinds affects: those to re-run on the whole
        model, and those to re-run on the changed file's entities only."""
        todo: list[Unit] = []
        partial: list[Unit] = []
        for setting, serves in self.enabled:
            for i, step in enumerate(setting.steps):
                how = self._affected((setting.check.id, i), step, touched, looked_up)
                if how == "all":
                    todo.append((setting, serves, i))
                elif how == "file":
                    partial.append((setting, serves, i))
        return todo, partial

    def _affected(
        self, key: tuple[str, int], step: Step, touched: set[str], looked_up: set[str]
    ) -> str:
        """Whether to re-run: "all" (on the whole model), "file" (on the changed file) or ""."""
        deps, iterated = self.deps.get(key), self.iterated.get(key)
        if deps is None or iterated is None or EVERYTHING in deps:
            return "all"
        if not deps.isdisjoint(looked_up):
            return "all"
        if ALL_KINDS in iterated or not iterated.isdisjoint(touched):
            return "file" if per_entity(step) else "all"
        return ""

    def _is_empty(self) -> bool:
        return not self.repo.documents and not self.repo.registers

    def _run(self, todo: Iterable[Unit]) -> None:
        self._empty = self._is_empty()
        self.reruns = 0
        for setting, serves, i in todo:
            key = (setting.check.id, i)
            if self._empty and setting.check.item is not None:
                self.check_diags[key] = []
                self.deps[key] = {EVERYTHING}
                self.iterated[key] = set()
                continue
            recorder = Recorder(self.repo)
            memo = self.memos.setdefault(key, {})
            ctx = Context(cast(Repository, recorder), self.root, memo)
            step = setting.steps[i]
            found = step_diagnostics(ctx, self.pack, setting, step, self.lang, serves)
            self.check_diags[key] = list(found)
            self.deps[key] = recorder.deps
            self.iterated[key] = recorder.iterated
            self.reruns += 1

    def _run_on_file(self, todo: Iterable[Unit], rel: str, part: FilePart) -> None:
        """Re-run per-entity steps on the entities of one file; replace that file's findings.
        (A finding of such a step elsewhere, e.g. "none at all" at the repository, can only
        change when the file's entities come or go: then everything re-runs.)"""
        for setting, serves, i in todo:
            key = (setting.check.id, i)
            recorder = Recorder(self.repo, part)
            ctx = Context(cast(Repository, recorder), self.root)
            step = setting.steps[i]
            found = step_diagnostics(ctx, self.pack, setting, step, self.lang, serves)
            kept = [d for d in self.check_diags.get(key, []) if d.path != rel]
            self.check_diags[key] = kept + [d for d in found if d.path == rel]
            self.deps[key] |= recorder.deps
            self.iterated[key] |= recorder.iterated
            self.reruns += 1

    def _finish(self) -> None:
        found: list[Diagnostic] = [*self.fixed]
        for diags in self.load_diags.values():
            found.extend(diags)
        if self._empty:
            found.extend(no_governance_files(self.repo, self.pack, self.settings, self.lang))
        for diags in self.check_diags.values():
            found.extend(diags)
        setting = self.settings["policylint/exception-unapproved"]
        max_months = int(setting.steps[0].params.get("max_months", 12))
        applied = exceptions.apply(
            sort_unique(found), self.repo, max_months, same_as_aliases(self.pack)
        )
        stale = stale_exceptions(
            applied, self.repo, self.pack, self.settings, self.lang, max_months
        )
        self.diagnostics = sort_unique([*applied, *stale])

    # -- results -----------------------------------------------------------------------------

    def by_path(self) -> dict[str, list[Diagnostic]]:
        """Diagnostics per file. A repository-level finding without a file (no configuration
        file to point at) has no place in an editor; ``policylint check`` shows it."""
        out: dict[str, list[Diagnostic]] = {}
        for d in self.diagnostics:
            if d.path is not None:
                out.setdefault(d.path, []).append(d)
        return out

    def entities(self) -> Iterator[Entity]:
        for part in self.parts.values():
            yield from part.entities()
