"""A content-addressed cache of parsed files, in the user's cache folder.

Parsing YAML is most of a run's work, and a pre-commit hook or an editor checks a repository
whose files have nearly all been parsed before. An entry holds what parsing one file produced
(its value, the loader's own findings and which of its entities might hold a placeholder
(:func:`policylint.placeholders.loud_entities`), never positions: those are composed again from the
text, and only for a file with a finding to place; for a register, only the items with one, from
the outline of where each item starts that the entry keeps). It is keyed by the SHA-256 of
policylint's version and code (:func:`code_fingerprint`), the cache format, the file's format
(YAML or Markdown) and the file's exact bytes, so a changed file, or another policylint, simply
misses.
Every file is still read and hashed on every run, every value validated against its schema and
every check run: the cache never changes a result, it only skips work (tests compare cached and
uncached runs).

Entries are data policylint wrote itself, never code: JSON, read with a size limit after a type
check, and checked on read (the digest in its first line over the rest, the key inside, the
shape of every field); anything else is a miss and is parsed afresh. The folder is never inside
the checked repository. ``--no-cache`` (or ``POLICYLINT_NO_CACHE=1``) turns the cache off.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

from policylint import __version__
from policylint.diagnostics import Finding, LoadFinding, Location, printable
from policylint.loader import (
    Heading,
    Outline,
    SourceFile,
    decode,
    frame,
    has_odd_breaks,
    outline_of,
    parse_bytes,
    parse_into,
)
from policylint.placeholders import loud_entities
from policylint.resources import data_dir

FORMAT = 3
"""Bumped whenever what an entry holds, or what the loader produces, changes."""
MAX_ENTRY_BYTES = 256 * 1024 * 1024
_READ_FLAGS = os.O_RDONLY | sum(getattr(os, f, 0) for f in ("O_NOFOLLOW", "O_NONBLOCK", "O_BINARY"))
"""No link followed, no pipe waited on, and on Windows no newline translation."""
_DECODER = json.JSONDecoder()


@functools.cache
def code_fingerprint() -> str:
    """policylint's version and the name, size and modification time of every file of its code
    and schemas: a checkout being edited, or another build of the same version, never reads the
    entries another one wrote."""
    digest = hashlib.sha256(f"policylint {__version__}".encode())
    for base in (Path(__file__).resolve().parent, data_dir("schemas")):
        for path in sorted(base.rglob("*")):
            if path.suffix in (".py", ".json", ".yaml"):
                info = path.stat()
                name = path.relative_to(base).as_posix()
                digest.update(f"{name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def default_dir() -> Path | None:
    """``$POLICYLINT_CACHE_DIR``, else the platform's user cache folder + ``policylint``."""
    explicit = os.environ.get("POLICYLINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base, "policylint", "Cache") if base else None
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "policylint"
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "policylint"
    try:
        return Path.home() / ".cache" / "policylint"
    except RuntimeError:  # no home folder
        return None


_NOTES = {
    "en": {
        "no-home": "no user cache folder is known here; parsing every file afresh",
        "unresolved": "the cache folder {dir} cannot be resolved; parsing every file afresh",
        "inside": "the cache folder {dir} is inside the checked repository: not using it "
        "(policylint never writes into the repository); set POLICYLINT_CACHE_DIR elsewhere",
    },
    "ja": {
        "no-home": "利用者のキャッシュフォルダが分からないため、すべてのファイルを解析し直します",
        "unresolved": "キャッシュフォルダ {dir} を解決できないため、"
        "すべてのファイルを解析し直します",
        "inside": "キャッシュフォルダ {dir} が検査対象のリポジトリの中にあるため使いません"
        "（policylint はリポジトリに書き込みません）。"
        "POLICYLINT_CACHE_DIR で別の場所を指定してください",
    },
}


def open_cache(
    root: Path, lang: str = "en", directory: Path | None = None
) -> tuple[ParseCache | None, str]:
    """The cache for a run on ``root`` and a note when it cannot be used ('' when it can)."""
    notes = _NOTES.get(lang, _NOTES["en"])
    if os.environ.get("POLICYLINT_NO_CACHE"):
        return None, ""
    directory = directory if directory is not None else default_dir()
    if directory is None:
        return None, notes["no-home"]
    shown = printable(str(directory))
    try:
        real_root, real_dir = root.resolve(), directory.resolve()
    except (OSError, RuntimeError):
        return None, notes["unresolved"].format(dir=shown)
    if real_dir == real_root or real_root in real_dir.parents:
        return None, notes["inside"].format(dir=shown)
    return ParseCache(directory / f"v{FORMAT}"), ""


class ParseCache:
    """Entries under ``directory/ab/abcdef….json``; a failed read or write is only a miss."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.hits = self.misses = 0
        self._writable = True

    @staticmethod
    def key(src: SourceFile, data: bytes) -> str:
        digest = hashlib.sha256(f"{code_fingerprint()}\0{FORMAT}\0{src.format}\0".encode())
        digest.update(data)
        return digest.hexdigest()

    def _path(self, key: str, kind: str = "") -> str:
        return os.path.join(self.directory, key[:2], f"{key}{kind}.json")

    def parse(self, src: SourceFile, data: bytes) -> SourceFile:
        """``src`` parsed from ``data``, from the cache when it holds this exact content.

        Markdown is decoded first: a text without front matter has nothing to parse or cache
        (neither a hit nor a miss). A YAML file is decoded only on a miss, or later when a
        position in it is wanted."""
        yaml_text: str | None = None
        if src.format == "markdown":
            text = decode(data)
            if isinstance(text, tuple):
                return parse_bytes(src, data)  # reported by the loader; never cached
            yaml_text = frame(src, text)
            if yaml_text is None:
                return src
        key = self.key(src, data)
        if src.format == "markdown":
            src.headings_store = _Headings(self, key)
        entry = self._get(key)
        if entry is not None:
            self.hits += 1
            _restore(src, data, yaml_text, entry)
            return src
        self.misses += 1
        if yaml_text is None:
            text = decode(data)
            if isinstance(text, tuple):
                return parse_bytes(src, data)  # reported by the loader; never cached
            yaml_text = text
        before = len(src.findings)
        parse_into(src, yaml_text)
        src.loud = loud_entities(src.value, src.format == "yaml")
        outline = outline_of(src._node, yaml_text) if src.format == "yaml" else None
        self._put(key, src, before, outline)
        return src

    def holds(self, src: SourceFile, data: bytes) -> bool:
        """Whether a YAML file's entry is there (a look at the folder, nothing read)."""
        return src.format == "yaml" and os.path.exists(self._path(self.key(src, data)))

    def adopt(self, src: SourceFile, data: bytes) -> SourceFile:
        """A YAML file another process parsed and stored a moment ago, read back from its
        entry (counted as the miss it was; parsed here if the entry is not there)."""
        hits = self.hits
        self.parse(src, data)
        if self.hits > hits:
            self.hits, self.misses = hits, self.misses + 1
        return src

    def _get(self, key: str, kind: str = "") -> dict[str, Any] | None:
        """The entry of ``key`` (``kind``: a side entry, such as ``.headings``), checked."""
        try:  # never through a link, and never blocking on a pipe someone put there
            fd = os.open(self._path(key, kind), _READ_FLAGS)
        except OSError:
            return None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
                return None
            chunks, left = [], info.st_size
            while left > 0:
                chunk = os.read(fd, left)
                if not chunk:
                    break
                chunks.append(chunk)
                left -= len(chunk)
        except OSError:
            return None
        finally:
            os.close(fd)
        raw = chunks[0] if len(chunks) == 1 else b"".join(chunks)
        cut = raw.find(b"\n")
        if cut < 0 or hashlib.sha256(memoryview(raw)[cut + 1 :]).hexdigest().encode() != raw[:cut]:
            return None
        try:  # decoded in place (the digest line is ASCII): no copy of many megabytes
            text = raw.decode("utf-8")
            entry, end = _DECODER.raw_decode(text, cut + 1)
        except (ValueError, RecursionError):
            return None
        if end != len(text):
            return None  # something after the JSON text: not an entry policylint wrote
        return entry if _WELL_FORMED[kind](entry, key) else None

    def _put(self, key: str, src: SourceFile, before: int, outline: Outline | None) -> None:
        if not self._writable:
            return
        findings = src.findings[before:]
        entry = {
            "key": key,
            "value": src.value,
            "loud": list(src.loud or ()),
            "node": src._node is not None,
            "outline": None if outline is None else list(outline),
            "findings": [
                [
                    f.check_id,
                    f.finding.location.line,
                    f.finding.location.column,
                    f.finding.key,
                    dict(f.finding.args),
                ]
                for f in findings
            ],
        }
        if any(f.finding.fix is not None or f.finding.target for f in findings):
            return  # loader findings carry neither today; never cache what would be lost
        self._write(self._path(key), entry)

    def _write(self, path: str, entry: dict[str, Any]) -> None:
        if not self._writable:
            return
        try:
            payload = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
        except (ValueError, TypeError, RecursionError):
            return  # a value JSON cannot hold as it is (a 5,000-digit integer): not cached
        digest = hashlib.sha256(payload).hexdigest().encode()
        try:
            folder = os.path.dirname(path)
            os.makedirs(folder, exist_ok=True)
            import tempfile  # only a run that writes an entry needs it

            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(digest + b"\n" + payload)
            os.replace(tmp, path)
        except OSError:
            self._writable = False  # a full disk or a read-only folder: stop trying this run


class _Headings:
    """The side entry ``<key>.headings.json`` of a Markdown file: its body's headings, written
    the first time a check reads them, so later runs need neither markdown-it nor its parse."""

    __slots__ = ("cache", "key")

    def __init__(self, cache: ParseCache, key: str) -> None:
        self.cache, self.key = cache, key

    def load(self) -> list[Heading] | None:
        entry = self.cache._get(self.key, ".headings")
        if entry is None:
            return None
        return [Heading(level, text, line, lead) for level, text, line, lead in entry["headings"]]

    def save(self, headings: list[Heading]) -> None:
        rows = [[h.level, h.text, h.line, h.lead] for h in headings]
        self.cache._write(
            self.cache._path(self.key, ".headings"), {"key": self.key, "headings": rows}
        )


def _headings_well_formed(entry: Any, key: str) -> bool:
    if not isinstance(entry, dict) or set(entry) != {"key", "headings"} or entry["key"] != key:
        return False
    rows = entry["headings"]
    return isinstance(rows, list) and all(
        isinstance(r, list)
        and len(r) == 4
        and type(r[0]) is int
        and isinstance(r[1], str)
        and type(r[2]) is int
        and isinstance(r[3], str)
        for r in rows
    )


_ENTRY_FIELDS = frozenset({"key", "value", "loud", "node", "outline", "findings"})


def _well_formed(entry: Any, key: str) -> bool:
    if not isinstance(entry, dict) or set(entry) != _ENTRY_FIELDS:
        return False
    loud = entry["loud"]
    if not isinstance(loud, list) or not all(type(i) is int and i >= 0 for i in loud):
        return False
    if entry["key"] != key or not isinstance(entry["node"], bool):
        return False
    outline = entry["outline"]
    if outline is not None and not (
        isinstance(outline, list) and all(type(n) is int and n >= 0 for n in outline)
    ):
        return False
    findings = entry["findings"]
    return isinstance(findings, list) and all(
        isinstance(f, list)
        and len(f) == 5
        and isinstance(f[0], str)
        and type(f[1]) is int
        and type(f[2]) is int
        and isinstance(f[3], str)
        and isinstance(f[4], dict)
        for f in findings
    )


def _restore(src: SourceFile, data: bytes, yaml_text: str | None, entry: dict[str, Any]) -> None:
    """Fill ``src`` from a cache entry. ``yaml_text``: the front matter of a Markdown file (its
    body is set already); None for a YAML file, whose bytes are kept to be decoded only when a
    position in it is wanted."""
    src.value = entry["value"]
    src.loud = tuple(entry["loud"])
    if entry["node"]:  # composed only if a position in this file is wanted
        if yaml_text is None:
            src.yaml_bytes = data
        else:
            src.yaml_text = yaml_text
            if has_odd_breaks(yaml_text):
                src.odd_breaks = yaml_text
        src.outline = _fitting_outline(entry["outline"], len(data), src.value)
    for check_id, line, column, key, args in entry["findings"]:
        location = Location(src.path, line, column)
        src.findings.append(LoadFinding(check_id, Finding(location, key, args)))


def _fitting_outline(outline: list[int] | None, size: int, value: Any) -> Outline | None:
    """An entry's outline when it can describe a text of ``size`` bytes and ``value``: one start
    per item, increasing, inside the text (an item whose slice is not as recorded is composed
    whole)."""
    if outline is None or len(outline) % 2 or len(outline) < 6:
        return None
    items = value.get("items") if isinstance(value, dict) else None
    starts = outline[2::2]
    if not isinstance(items, list) or len(items) != len(starts) or outline[0] > size:
        return None
    if not all(a < b for a, b in itertools.pairwise(starts)) or starts[-1] >= outline[0]:
        return None
    return tuple(outline)


_WELL_FORMED = {"": _well_formed, ".headings": _headings_well_formed}
