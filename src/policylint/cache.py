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

import bisect
import functools
import hashlib
import itertools
import json
import os
import re
import stat
import sys
from pathlib import Path
from typing import Any

import yaml

from policylint import __version__
from policylint.diagnostics import Finding, LoadFinding, Location, printable
from policylint.loader import (
    _ENTRY,
    Heading,
    Outline,
    SourceFile,
    _line_start,
    changed_span,
    decode,
    frame,
    has_odd_breaks,
    outline_of,
    parse_bytes,
    parse_into,
    parse_yaml,
)
from policylint.placeholders import loud_entities, may_hold
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
        self.patched = 0
        """Misses made by parsing only the item that changed (:meth:`_patch`)."""
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
            if len(data) >= PATCH_FROM_BYTES:
                patched = self._patch(src, text)
                if patched is not None:
                    self.patched += 1
                    patched["key"] = key
                    self._write(self._path(key), patched)
                    self._remember(src, key, text)
                    _restore(src, data, None, patched)
                    return src
            yaml_text = text
        before = len(src.findings)
        parse_into(src, yaml_text)
        src.loud = loud_entities(src.value, src.format == "yaml")
        outline = outline_of(src._node, yaml_text) if src.format == "yaml" else None
        if self._put(key, src, before, outline) and outline and len(data) >= PATCH_FROM_BYTES:
            self._remember(src, key, yaml_text)
        return src

    def _patch(self, src: SourceFile, text: str) -> dict[str, Any] | None:
        """The entry of a large register that changed since its last run here, made from the
        entry and text of that run (:meth:`_remember`) by parsing the one item that changed;
        None when there is none, or the change is not inside one item (then the file is
        parsed whole). See :func:`patched_entry`."""
        note = self._get(_path_key(src.path), ".path")
        if note is None:
            return None
        base = note["base"]
        entry, old = self._get(base), self._get(base, ".text")
        if entry is None or old is None:
            return None
        return patched_entry(entry, old["text"], text)

    def _remember(self, src: SourceFile, key: str, text: str) -> None:
        """Keep a large register's text beside its entry, and note that it is this path's
        latest: the next run that finds the file changed patches this entry (:meth:`_patch`)."""
        self._write(self._path(key, ".text"), {"key": key, "text": text})
        path_key = _path_key(src.path)
        self._write(self._path(path_key, ".path"), {"key": path_key, "base": key})

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

    def _put(self, key: str, src: SourceFile, before: int, outline: Outline | None) -> bool:
        if not self._writable:
            return False
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
            return False  # loader findings carry neither today; never cache what would be lost
        return self._write(self._path(key), entry)

    def _write(self, path: str, entry: dict[str, Any]) -> bool:
        if not self._writable:
            return False
        try:
            payload = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
        except (ValueError, TypeError, RecursionError):
            return False  # a value JSON cannot hold as it is (a 5,000-digit integer): not cached
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
            return False
        return True


PATCH_FROM_BYTES = 256 * 1024
"""A YAML file from this size keeps its text beside its entry, so that when it changes, the
next run parses only the item that changed (a 5 MB register: 0.6 s saved)."""


def _path_key(rel: str) -> str:
    """Where the note of a path's latest entry is kept: a digest of the path alone (a note that
    belongs to another checkout only costs a look: the patch is made from texts, not names)."""
    return hashlib.sha256(f"path\0{FORMAT}\0{rel}".encode()).hexdigest()


def patched_entry(entry: dict[str, Any], old_text: str, text: str) -> dict[str, Any] | None:
    """The entry (without its key) that parsing ``text`` whole would give, made from ``entry``,
    the entry of ``old_text``, when the two texts differ inside the lines of one item of the
    register: those lines are parsed alone and the item replaced; the positions of the items
    after it, and the loader's findings there, move by the lines and characters the edit added.

    None (parse the file whole) when the change reaches the file's head or what follows its
    items, or spans two items; when the item's lines do not stand alone as one item at the same
    indentation (they hold no item or two, or a parse error); when they could mean something
    else alone (an anchor, alias or tag, a document marker; a directive or odd line break in
    the file); or when the entry holds a loader finding other than a duplicate key. Tested
    against whole parses of random edits (tests/test_cache.py)."""
    value = entry["value"]
    outline = _fitting_outline(entry["outline"], len(old_text), value)
    if outline is None or not entry["node"]:
        return None
    if any(f[0] != "policylint/duplicate-key" for f in entry["findings"]):
        return None
    if has_odd_breaks(text) or text.startswith("%") or "\n%" in text:
        return None
    end, end_line = outline[0], outline[1]
    starts, lines = outline[2::2], outline[3::2]
    prefix, new_end = changed_span(old_text, text)
    old_stop = len(old_text) - (len(text) - new_end)
    i = bisect.bisect_right(starts, prefix) - 1
    if i + 1 < len(starts) and prefix >= _line_start(old_text, starts[i + 1]):
        i += 1  # the change begins on the line of the next item, before its node
    if i < 0:
        return None
    cut = _line_start(old_text, starts[i])
    last = i + 1 == len(starts)
    stop = end if last else _line_start(old_text, starts[i + 1])
    if prefix < cut or old_stop > stop:
        return None
    delta = len(text) - len(old_text)
    new_stop = stop + delta
    if new_stop != len(text) and text[new_stop - 1 : new_stop] != "\n":
        return None  # what follows the item no longer begins a line
    chunk = text[cut:new_stop]
    if any(c in chunk for c in "&*!") or chunk.startswith(("---", "...")):
        return None
    if "\n---" in chunk or "\n..." in chunk:
        return None
    result = parse_yaml(chunk)
    node = result.node
    if (
        result.problem is not None
        or not isinstance(node, yaml.SequenceNode)
        or node.flow_style
        or len(node.value) != 1
        or not isinstance(result.value, list)
        or len(result.value) != 1
    ):
        return None
    item = node.value[0]
    start = cut + item.start_mark.index
    dash = old_text.index("-", cut, starts[i]) - cut
    if not _ENTRY.fullmatch(text, cut, start) or text.index("-", cut, start) - cut != dash:
        return None  # the item moved to another indentation: it may belong elsewhere now
    lines_added = text.count("\n", cut, new_stop) - old_text.count("\n", cut, stop)
    first_line, stop_line = lines[i], end_line if last else lines[i + 1]
    findings: list[list[Any]] = []
    moved: list[list[Any]] = []
    for f in entry["findings"]:
        if f[1] - 1 < first_line:
            findings.append(f)
        elif f[1] - 1 >= stop_line:
            args = dict(f[4])
            if type(args.get("first_line")) is int:
                args["first_line"] += lines_added
            moved.append([f[0], f[1] + lines_added, f[2], f[3], args])
    for first, second, name in result.duplicates:
        args = {"name": name, "first_line": first_line + first.start_mark.line + 1}
        mark = second.start_mark
        row = [first_line + mark.line + 1, mark.column + 1]
        findings.append(["policylint/duplicate-key", *row, "default", args])
    new_value = result.value[0]
    items = value["items"]
    items[i] = new_value
    loud = [j for j in entry["loud"] if j != i]
    if isinstance(new_value, dict) and may_hold(new_value, set()):
        bisect.insort(loud, i)
    out = [end + delta, end_line + lines_added]
    for j, (at, line) in enumerate(zip(starts, lines, strict=True)):
        if j < i:
            out += (at, line)
        elif j == i:
            out += (start, first_line + item.start_mark.line)
        else:
            out += (at + delta, line + lines_added)
    return {
        "key": "",
        "value": value,
        "loud": loud,
        "node": True,
        "outline": out,
        "findings": findings + moved,
    }


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


def _keyed(entry: Any, key: str, field: str) -> bool:
    """A side entry: exactly ``key`` (this one) and ``field``, a text."""
    return (
        isinstance(entry, dict)
        and set(entry) == {"key", field}
        and entry["key"] == key
        and isinstance(entry[field], str)
    )


def _text_well_formed(entry: Any, key: str) -> bool:
    return _keyed(entry, key, "text")


def _path_well_formed(entry: Any, key: str) -> bool:
    return _keyed(entry, key, "base") and _HEX64.fullmatch(entry["base"]) is not None


_HEX64 = re.compile(r"[0-9a-f]{64}")


_WELL_FORMED = {
    "": _well_formed,
    ".headings": _headings_well_formed,
    ".text": _text_well_formed,
    ".path": _path_well_formed,
}
