"""Finding the files to read below a repository root.

Reads ``*.md``, ``*.yaml`` and ``*.yml``; skips dot-folders, dot-files and ``node_modules``; never
follows a symlink out of the root (each such link is reported); applies include/exclude globs
(matched against the repository-relative POSIX path, ``**`` crossing folders).
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

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


@cache
def _glob_regex(pattern: str) -> re.Pattern[str]:
    pattern = pattern.strip().lstrip("./") if pattern.startswith("./") else pattern.strip()
    if pattern.endswith("/"):
        pattern += "**"
    parts = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            parts.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            parts.append(".*")
            i += 2
        else:
            ch = pattern[i]
            parts.append("[^/]*" if ch == "*" else "[^/]" if ch == "?" else re.escape(ch))
            i += 1
    return re.compile("".join(parts))


def matches(rel: str, patterns: Sequence[str]) -> bool:
    """True when ``rel`` matches one of the globs (a pattern without "/" matches any name)."""
    name = rel.rsplit("/", 1)[-1]
    for pattern in patterns:
        if "/" not in pattern.rstrip("/") and fnmatch.fnmatchcase(name, pattern):
            return True
        if _glob_regex(pattern).fullmatch(rel) or _glob_regex(pattern).match(rel + "/"):
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
