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

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, cast

from policylint import exceptions
from policylint.config import Config
from policylint.diagnostics import Diagnostic, Finding, LoadFinding, Location, Served
from policylint.discovery import discover, is_candidate
from policylint.engine import (
    Setting,
    _default_anchor,
    check_diagnostics,
    check_units,
    configure,
    load_diagnostics,
    no_governance_files,
    sort_unique,
)
from policylint.loader import SourceFile, read_source, source_from_bytes
from policylint.model import Entity, FilePart, Register, Repository, assemble, build_part
from policylint.primitives import Context
from policylint.rulepack import RulePack

EVERYTHING = "*"
"""A dependency on the whole model (a check that walked every document or register)."""
IDS = "#ids"
"""A dependency on the id index: which ids exist, and of which kind."""


class Recorder:
    """The repository as a check sees it, noting what the check reads (its dependencies).

    Every query of :class:`~policylint.model.Repository` a check may call is listed here;
    anything else (a list of all documents, the id index itself) counts as reading everything.
    Entities found by a look-up add their kind: the check reads their fields.
    """

    def __init__(self, repo: Repository) -> None:
        self._repo = repo
        self.deps: set[str] = set()
        self.today = repo.today
        self.anchor = repo.anchor

    def __getattr__(self, name: str) -> Any:
        self.deps.add(EVERYTHING)
        return getattr(self._repo, name)

    def documents_of(self, *kinds: str) -> list[Entity]:
        self.deps.update(kinds)
        return self._repo.documents_of(*kinds)

    def items_of(self, kind: str) -> list[Entity]:
        self.deps.add(kind)
        return self._repo.items_of(kind)

    def registers_of(self, kind: str) -> list[Register]:
        self.deps.add(kind)
        return self._repo.registers_of(kind)

    def entities_of(self, kind: str) -> list[Entity]:
        self.deps.add(kind)
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

    def repo_location(self) -> Location:
        return self._repo.repo_location()


def _kinds(part: FilePart | None) -> set[str]:
    if part is None:
        return set()
    return {d.kind for d in part.documents} | {r.kind for r in part.registers}


def _ids(part: FilePart | None) -> list[tuple[str | None, str]]:
    return [] if part is None else [(e.id, e.kind) for e in part.entities()]


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
        self.check_diags: dict[str, list[Diagnostic]] = {}
        self.deps: dict[str, set[str]] = {}
        self.fixed: list[Diagnostic] = []
        self.repo = Repository(today=today)
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
        self._run(self.enabled)
        self._finish()

    def accepts(self, rel: str) -> bool:
        """Whether a file at ``rel`` belongs to the repository (is or would be discovered)."""
        return rel in self.parts or is_candidate(rel, self.config.include, self.config.exclude)

    def _load_diags(self, part: FilePart) -> list[Diagnostic]:
        return load_diagnostics(self.pack, self.settings, part.findings, self.lang)

    def _assemble(self) -> None:
        sources = [p.source for p in self.parts.values()]
        anchor = self.config.path or _default_anchor(sources)
        self.repo = assemble(list(self.parts.values()), self.today, anchor)

    # -- updating ----------------------------------------------------------------------------

    def update(self, rel: str, text: str | None) -> set[str]:
        """The file ``rel`` now holds ``text`` (``None``: whatever is on disk, if anything).

        Returns the paths whose diagnostics changed.
        """
        before = self.by_path()
        old = self.parts.get(rel)
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
            if old is None:
                self.parts[rel] = new
                self.parts = dict(sorted(self.parts.items()))
            else:
                self.parts[rel] = new
            self.load_diags[rel] = self._load_diags(new)
        anchor, empty = self.repo.anchor, self._empty
        self._assemble()
        if (old is None) != (new is None) or anchor != self.repo.anchor:
            todo = self.enabled  # the set of files or the anchor changed: run everything
        else:
            touched = _kinds(old) | _kinds(new)
            if _ids(old) != _ids(new):
                touched.add(IDS)
            todo = [u for u in self.enabled if self._affected(u[0], touched)]
        self._run(todo, rerun_all=empty != self._is_empty())
        self._finish()
        after = self.by_path()
        return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}

    def _affected(self, setting: Setting, touched: set[str]) -> bool:
        deps = self.deps.get(setting.check.id)
        return deps is None or EVERYTHING in deps or not deps.isdisjoint(touched)

    def _is_empty(self) -> bool:
        return not self.repo.documents and not self.repo.registers

    def _run(
        self, todo: Iterable[tuple[Setting, tuple[Served, ...]]], rerun_all: bool = False
    ) -> None:
        if rerun_all:
            todo = self.enabled
        self._empty = self._is_empty()
        self.reruns = 0
        for setting, serves in todo:
            check_id = setting.check.id
            if self._empty and setting.check.item is not None:
                self.check_diags[check_id] = []
                self.deps[check_id] = {EVERYTHING}
                continue
            recorder = Recorder(self.repo)
            ctx = Context(cast(Repository, recorder), self.root)
            found = check_diagnostics(ctx, self.pack, setting, self.lang, serves)
            self.check_diags[check_id] = list(found)
            self.deps[check_id] = recorder.deps
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
        self.diagnostics = exceptions.apply(sort_unique(found), self.repo, max_months)

    # -- results -----------------------------------------------------------------------------

    def by_path(self) -> dict[str, list[Diagnostic]]:
        out: dict[str, list[Diagnostic]] = {}
        for d in self.diagnostics:
            out.setdefault(d.path, []).append(d)
        return out

    def entities(self) -> Iterator[Entity]:
        for part in self.parts.values():
            yield from part.entities()
