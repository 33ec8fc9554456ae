"""Finding the files to read below a repository root.

Reads ``*.md``, ``*.yaml`` and ``*.yml``; skips dot-folders, dot-files and ``node_modules``; never
follows a symlink out of the root (each such link is reported); applies include/exclude globs
(matched against the repository-relative POSIX path, ``**`` crossing folders).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from policylint.loader import safe_path

SUFFIXES = (".md", ".yaml", ".yml")
SKIP_DIRS = frozenset({"node_modules", "__pycache__"})
UNREAD_SUFFIXES = (".rst", ".docx", ".doc", ".pdf", ".odt", ".md.tmpl", ".adoc", ".txt.tmpl")
"""Files policylint does not read that often hold governance documents (a reStructuredText
handbook, Word and PDF policies, comply's templates): counted and named when nothing is found."""
MAX_UNREAD = 1000


@dataclass(slots=True)
class Discovered:
    files: list[str] = field(default_factory=list)
    escaping_links: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    """Files that look like governance documents but are not read (see UNREAD_SUFFIXES)."""


_WIDENING = re.compile(r"\.[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*$")


def widening(include: Sequence[str]) -> list[str]:
    """The include globs that name an extension policylint does not read by default
    (``*.md.tmpl``, ``docs/**/*.markdown``): files they match are read too."""
    out = []
    for pattern in include:
        last = pattern.rstrip("/").rsplit("/", 1)[-1]
        m = _WIDENING.search(last)
        if m and not last.lower().endswith(SUFFIXES) and "*" not in m[0] and "?" not in m[0]:
            out.append(pattern)
    return out


# Globs are matched by simulating their automaton over the name (a set of positions in the
# pattern), never by a backtracking regular expression: the cost is at most the length of the
# path times the length of the pattern, whatever either holds (``x/*a*a*a*a*a*a*b.md`` against a
# long name backtracks exponentially in ``re``).

_LIT, _ONE, _SET, _STAR, _ANY, _SKIP = range(6)
"""Token kinds: a character; ``?``; ``[...]``; ``*`` (no ``/``); ``**`` (anything); a jump over
the next tokens (``**/`` matches nothing, or anything that ends with ``/``)."""

Token = tuple[int, Any]
CharClass = tuple[bool, frozenset[str], tuple[tuple[str, str], ...]]
"""``[...]``: negated?, its characters, its ranges."""


@cache
def _tokens(pattern: str) -> tuple[Token, ...]:
    out: list[Token] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append((_SKIP, len(out) + 3))  # skip ``**`` and ``/``
            out += [(_ANY, None), (_LIT, "/")]
            i += 3
        elif pattern.startswith("**", i):
            out.append((_ANY, None))
            i += 2
        elif pattern[i] == "*":
            out.append((_STAR, None))
            i += 1
        elif pattern[i] == "?":
            out.append((_ONE, None))
            i += 1
        elif pattern[i] == "[" and (end := _class_end(pattern, i)) > 0:
            out.append((_SET, _char_class(pattern[i + 1 : end])))
            i = end + 1
        else:
            out.append((_LIT, pattern[i]))
            i += 1
    return tuple(out)


def _class_end(pattern: str, start: int) -> int:
    """Index of the ``]`` closing the class opened at ``start`` (-1: a literal ``[``)."""
    i = start + 1
    if i < len(pattern) and pattern[i] == "!":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1
    end = pattern.find("]", i)
    return end


def _char_class(body: str) -> CharClass:
    negate = body.startswith("!")
    body = body[1:] if negate else body
    chars: set[str] = set()
    ranges: list[tuple[str, str]] = []
    i = 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            ranges.append((body[i], body[i + 2]))
            i += 3
        else:
            chars.add(body[i])
            i += 1
    return negate, frozenset(chars), tuple(ranges)


@dataclass(frozen=True, slots=True)
class _Automaton:
    """The tokens of a glob as bit masks (bit ``i``: position ``i`` in the pattern), so that one
    step over a character is a handful of integer operations, whatever the pattern holds."""

    literals: dict[str, int]
    one: int
    star: int
    any: int
    eps: int
    skips: tuple[tuple[int, int], ...]
    sets: tuple[tuple[int, CharClass], ...]
    accept: int
    prefix: str = ""
    """Characters every match starts with (the pattern's leading literal characters)."""
    required: tuple[str, ...] = ()
    """Literal runs every match contains (outside the optional part of ``**/``)."""

    def closure(self, states: int) -> int:
        while True:
            grown = states | ((states & self.eps) << 1)
            for bit, target in self.skips:
                if grown & bit:
                    grown |= target
            if grown == states:
                return states
            states = grown

    def step(self, states: int, ch: str) -> int:
        out = (states & self.literals.get(ch, 0)) << 1 | (states & self.any)
        if ch != "/":
            out |= (states & self.one) << 1 | (states & self.star)
            for bit, (negate, chars, ranges) in self.sets:
                if states & bit and (ch in chars or any(a <= ch <= b for a, b in ranges)) != negate:
                    out |= bit << 1
        return self.closure(out)


@cache
def _automaton(pattern: str) -> _Automaton:
    literals: dict[str, int] = {}
    one = star = anything = eps = 0
    skips: list[tuple[int, int]] = []
    sets: list[tuple[int, CharClass]] = []
    tokens = _tokens(pattern)
    for i, (kind, arg) in enumerate(tokens):
        bit = 1 << i
        if kind == _LIT:
            literals[str(arg)] = literals.get(str(arg), 0) | bit
        elif kind == _ONE:
            one |= bit
        elif kind == _SET:
            sets.append((bit, arg))
        elif kind == _STAR:
            star |= bit
            eps |= bit
        elif kind == _ANY:
            anything |= bit
            eps |= bit
        else:  # _SKIP
            eps |= bit
            skips.append((bit, 1 << int(arg)))
    optional: set[int] = set()
    for i, (kind, arg) in enumerate(tokens):
        if kind == _SKIP:
            optional.update(range(i + 1, int(arg)))
    runs: list[str] = []
    run = ""
    for i, (kind, arg) in enumerate(tokens):
        if kind == _LIT and i not in optional:
            run += str(arg)
        else:
            runs.append(run)
            run = ""
    runs.append(run)
    prefix = runs[0] if tokens and tokens[0][0] == _LIT else ""
    return _Automaton(
        literals,
        one,
        star,
        anything,
        eps,
        tuple(skips),
        tuple(sets),
        1 << len(tokens),
        prefix,
        tuple(sorted({r for r in runs if r}, key=len, reverse=True)),
    )


def glob_match(path: str, pattern: str, folders: bool = False) -> bool:
    """Whether ``pattern`` matches all of ``path`` (``folders``: or a folder above it, that is a
    leading part of it that ends before a ``/``). At most ``len(path)`` steps of a few integer
    operations on ``len(pattern)``-bit numbers: no backtracking."""
    auto = _automaton(pattern)
    if not path.startswith(auto.prefix) or any(r not in path for r in auto.required):
        return False  # a quick refusal: most paths lack a pattern's literal parts
    states = auto.closure(1)
    for ch in path:
        if folders and ch == "/" and states & auto.accept:
            return True
        states = auto.step(states, ch)
        if not states:
            return False
    return bool(states & auto.accept)


def _normalised(pattern: str) -> str:
    pattern = pattern.strip()
    while pattern.startswith("./"):
        pattern = pattern[2:]
    return pattern + "**" if pattern.endswith("/") else pattern


def matches(rel: str, patterns: Sequence[str]) -> bool:
    """True when ``rel`` matches one of the globs: ``*`` and ``?`` within a name, ``[...]``, ``**``
    across folders, a trailing ``/`` for everything below a folder; a pattern without ``/``
    also matches the file's name in any folder; a pattern that matches a folder matches
    everything in it."""
    name = rel.rsplit("/", 1)[-1]
    for pattern in patterns:
        if "/" not in pattern.rstrip("/") and glob_match(name, pattern.strip()):
            return True
        if glob_match(rel + "/", _normalised(pattern), folders=True):
            return True
    return False


def discover(root: Path, include: Sequence[str] = (), exclude: Sequence[str] = ()) -> Discovered:
    """Sorted repository-relative paths of candidate files below ``root``."""
    found = Discovered()
    real_root = root.resolve()
    wide = widening(include)
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        rel_dir = here.relative_to(root).as_posix()
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        keep = []
        for d in sorted(dirnames):
            if d.startswith(".") or d in SKIP_DIRS:
                continue
            full = here / d
            if full.is_symlink():
                if _escapes(full, real_root):
                    found.escaping_links.append(safe_path(rel_dir + d))
                continue  # symlinked folders are never walked (no cycles, no escapes)
            if exclude and matches(rel_dir + d + "/", exclude):
                continue
            keep.append(d)
        dirnames[:] = keep
        for name in filenames:
            if name.startswith("."):
                continue
            rel = rel_dir + name
            if not name.lower().endswith(SUFFIXES) and not (wide and matches(rel, wide)):
                if (
                    name.lower().endswith(UNREAD_SUFFIXES)
                    and len(found.unread) < MAX_UNREAD
                    and not (exclude and matches(rel, exclude))
                ):
                    found.unread.append(safe_path(rel))
                continue
            full = here / name
            if full.is_symlink() and _escapes(full, real_root):
                found.escaping_links.append(safe_path(rel))
                continue
            if include and not matches(rel, include):
                continue
            if exclude and matches(rel, exclude):
                continue
            found.files.append(rel)
    found.files.sort()
    found.escaping_links.sort()
    found.unread.sort()
    return found


def _escapes(path: Path, real_root: Path) -> bool:
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return True  # dangling or looping links are treated like escapes: not followed
    return not target.is_relative_to(real_root)


def is_candidate(rel: str, include: Sequence[str] = (), exclude: Sequence[str] = ()) -> bool:
    """Whether :func:`discover` would read the repository-relative path ``rel`` (a file an editor
    creates before it is saved): the same suffixes, skipped folders, include and exclude."""
    parts = rel.split("/")
    name = parts[-1]
    if not rel or name.startswith("."):
        return False
    if not name.lower().endswith(SUFFIXES):
        wide = widening(include)
        if not (wide and matches(rel, wide)):
            return False
    folder = ""
    for d in parts[:-1]:
        if not d or d in (".", "..") or d.startswith(".") or d in SKIP_DIRS:
            return False
        folder += d + "/"
        if exclude and matches(folder, exclude):
            return False
    if include and not matches(rel, include):
        return False
    return not (exclude and matches(rel, exclude))


# ---------------------------------------------------------------------------------------------
# Finding the root


_PYPROJECT_SECTION = re.compile(r"^\s*\[\s*tool\s*\.\s*policylint\s*[\].]", re.MULTILINE)
_PYPROJECT_SNIFF_BYTES = 1024 * 1024


def holds_configuration(folder: Path) -> bool:
    """True when ``folder`` has a ``policylint.yaml`` (or ``.yml``, ``.policylint.yaml``), or a
    ``pyproject.toml`` with a ``[tool.policylint]`` table."""
    from policylint.config import CONFIG_NAMES

    if any((folder / name).is_file() for name in CONFIG_NAMES):
        return True
    pyproject = folder / "pyproject.toml"
    if not pyproject.is_file():
        return False
    try:
        with pyproject.open("rb") as fh:
            head = fh.read(_PYPROJECT_SNIFF_BYTES)
    except OSError:
        return False
    return _PYPROJECT_SECTION.search(head.decode("utf-8", "replace")) is not None


def find_root(start: Path, explicit: bool) -> Path:
    """The root of the governance repository that ``start`` (a folder) belongs to.

    Like git, ruff and pre-commit: the nearest folder at or above ``start`` that holds a
    configuration (:func:`holds_configuration`), looking no higher than the top of the git work
    tree that holds ``start``. Without one, the root is the top of that work tree when ``start``
    is the current folder (``explicit`` false), and ``start`` itself when the user named it:
    a named folder is the repository unless a configuration above it says otherwise. Returns
    ``start`` unchanged (as written) when it is the root, or when it is not an existing folder.
    """
    if not start.is_dir():
        return start
    here = Path(os.path.abspath(start))
    git_top: Path | None = None
    for folder in (here, *here.parents):
        if holds_configuration(folder):
            return start if folder == here else folder
        if (folder / ".git").exists():
            git_top = folder
            break
    if git_top is not None and not explicit and git_top != here:
        return git_top
    return start
