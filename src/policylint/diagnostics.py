"""The diagnostic record and the raw finding a check yields.

A check yields :class:`Finding` objects (where, which message, with which arguments). The engine
stamps the check id, the guideline item, the configured severity and the rendered message onto an
immutable :class:`Diagnostic`. Checks never know their own severity configuration.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from policylint.fixes import Fix

_EMPTY: Mapping[str, Any] = MappingProxyType({})

UNSAFE_CHARS = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
"""Characters that must not reach a terminal or a CI log verbatim: controls (a newline could forge
a diagnostic line or a CI workflow command, ESC a terminal sequence), bidi overrides, and the
surrogates that stand for undecodable bytes in a file name (they cannot even be printed)."""


_LOCATION_LIKE = re.compile(r":([0-9]+):([0-9]+):")
"""``:12:3:``, the shape of the ``path:line:col:`` prefix that starts a diagnostic line."""


def _escape(m: re.Match[str]) -> str:
    code = ord(m[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, whole_line: bool = False) -> str:
    """``text`` from a checked repository, safe to print: the one function every reporter uses.

    - every character of :data:`UNSAFE_CHARS` is written as an escape (``\\x0a``, ``\\u202e``):
      the text stays on one line and cannot move the cursor, colour the terminal or reorder what
      is shown ("Trojan Source");
    - a ``:`` at its start is written ``\\x3a``, so no line can begin with ``::`` (a GitHub Actions
      workflow command such as ``::error`` or ``::add-mask::``) because of it;
    - the colons of ``:LINE:COL:`` inside it are written ``\\x3a``, so a file name, id or value
      cannot pass for the ``path:line:col:`` prefix of a diagnostic.

    ``whole_line``: ``text`` is a complete line policylint composed (a usage error quoting a
    value): only the characters of :data:`UNSAFE_CHARS` are escaped.
    """
    if UNSAFE_CHARS.search(text):
        text = UNSAFE_CHARS.sub(_escape, text)
    if whole_line or ":" not in text:
        return text
    if text.startswith(":"):
        text = "\\x3a" + text[1:]
    return _LOCATION_LIKE.sub(r"\\x3a\1\\x3a\2\\x3a", text)


_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
""":data:`UNSAFE_CHARS` but the C0 controls, which ``json.dumps`` already escapes in strings (and
whose newlines lay the document out)."""


def dump_json(document: Any) -> str:
    """A JSON document as policylint writes it (indented UTF-8 text) with every character of
    :data:`UNSAFE_CHARS` inside its strings written as a ``\\u`` escape: values read back
    exactly, and the text holds no control, bidi or line-separator character (the counterpart of
    :func:`printable` for JSON formats)."""
    text = json.dumps(document, ensure_ascii=False, indent=2)
    if _UNSAFE_IN_JSON.search(text):
        text = _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
    return text + "\n"


def _unsafe(value: Any) -> bool:
    if isinstance(value, str):
        return printable(value) != value
    if isinstance(value, (list, tuple)):
        return any(isinstance(v, str) and printable(v) != v for v in value)
    return False


def _printable_value(value: Any) -> Any:
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, (list, tuple)):
        return [printable(v) if isinstance(v, str) else v for v in value]
    return value


class Words(dict[str, str]):
    """A message argument given in each language (``{"en": "a list", "ja": "リスト"}``): the
    message is rendered with the text of its own language (``rulepack.render``)."""


REPOSITORY = {"en": "(repository)", "ja": "（リポジトリ全体）"}
"""How outputs name the place of a repository-level finding that concerns no file."""


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def rank(self) -> int:
        return 2 if self is Severity.ERROR else 1

    def word(self, lang: str) -> str:
        """The severity as a reader of ``lang`` calls it: ``error`` / ``エラー``."""
        return _SEVERITY_WORDS.get(lang, _SEVERITY_WORDS["en"])[self.value]


_SEVERITY_WORDS = {
    "en": {"error": "error", "warning": "warning"},
    "ja": {"error": "エラー", "warning": "警告"},
}


@dataclass(frozen=True, slots=True)
class Location:
    """A repository-relative POSIX path and a 1-based line and column.

    ``path`` is ``None`` for a finding about the repository as a whole when there is no
    configuration file to anchor it to (line and column are then 0): no file is concerned, and
    none is invented."""

    path: str | None
    line: int = 1
    column: int = 1

    @property
    def in_file(self) -> bool:
        return self.path is not None


@dataclass(frozen=True, slots=True)
class Finding:
    """What a check (or the loader) found: a place, a message key and its arguments.

    ``target`` is the id of the document or item concerned (or ``None``); exceptions and baselines
    match on it. ``severity`` overrides the check's severity downwards (a "due soon" warning).
    """

    location: Location
    key: str = "default"
    args: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    target: str | None = None
    severity: Severity | None = None
    fix: Fix | None = None
    """A safe, mechanical fix of exactly this finding (``policylint fix`` applies it)."""

    def __post_init__(self) -> None:
        # Values from the checked files become message arguments: keep each printable on one line
        # (file paths are made printable by the loader).
        if any(_unsafe(v) for v in self.args.values()):
            safe = {k: _printable_value(v) for k, v in self.args.items()}
            object.__setattr__(self, "args", MappingProxyType(safe))

    def moved(self, path: str, after: int, delta: int) -> Finding:
        """This finding once the lines of ``path`` after line ``after`` moved by ``delta``
        (lines added, or removed when negative, up to line ``after``): its place, its fix and
        a line of that file its message quotes (``first_line``) move when they stand there."""
        loc, fix, args = self.location, self.fix, self.args
        if loc.path == path and loc.line > after:
            loc = Location(path, loc.line + delta, loc.column)
        if fix is not None:
            fix = fix.moved(path, after, delta)
        first = args.get("first_line")
        if isinstance(first, int) and first > after and args.get("first_path", path) == path:
            args = {**args, "first_line": first + delta}
        if loc is self.location and fix is self.fix and args is self.args:
            return self
        return replace(self, location=loc, fix=fix, args=args)


@dataclass(frozen=True, slots=True)
class LoadFinding:
    """A finding of the tool's own checks raised while loading (parse, schema, dates...)."""

    check_id: str
    finding: Finding


class Served(NamedTuple):
    """A framework's check (and its item or control) that a diagnostic stands for."""

    framework: str
    item: str | None
    check: str


@dataclass(frozen=True, slots=True)
class Diagnostic:
    path: str | None
    """Repository-relative path; ``None`` for a repository-level finding without a file."""
    line: int
    column: int
    check_id: str
    item: str | None
    severity: Severity
    message: str
    hint: str
    target: str | None = None
    suppressed_by: str | None = None
    discriminator: str = field(default="", compare=False)
    fix: Fix | None = field(default=None, compare=False)
    """The finding's safe fix, when it has one (see :mod:`policylint.fixes`)."""
    """Language-independent identity of the finding within its check and target: the message
    key, and the field concerned when there is one. Fingerprints (baselines, SARIF) use it."""
    serves: tuple[Served, ...] = field(default=(), compare=False)
    """Every (framework, item, check) this finding answers: the check itself, and the checks of
    the other frameworks of the run that run the same code on the same evidence (one run of
    the primitive, one diagnostic for all of them)."""

    def place(self, lang: str = "en", prefix: str = "", column: bool = True) -> str:
        """``path:line:col`` (``prefix`` before the path), or "(repository)" when no file is
        concerned."""
        if self.path is None:
            return REPOSITORY.get(lang, REPOSITORY["en"])
        where = f"{prefix}{self.path}:{self.line}"
        return f"{where}:{self.column}" if column else where

    @property
    def suppressed(self) -> bool:
        return self.suppressed_by is not None

    def moved(self, path: str, after: int, delta: int) -> Diagnostic:
        """This diagnostic once the lines of ``path`` after line ``after`` moved by ``delta``
        (see :meth:`Finding.moved`): its place and its fix. Its message stays: one that quotes
        a line is rendered again from its moved :class:`Finding` instead."""
        fix = self.fix.moved(path, after, delta) if self.fix is not None else None
        if self.path == path and self.line > after:
            return replace(self, line=self.line + delta, fix=fix)
        return self if fix is self.fix else replace(self, fix=fix)

    def sort_key(self) -> tuple[str, int, int, int, str, str]:
        """Path (findings without a file first), line, column; at one place errors before
        warnings; then check id and message."""
        return (
            self.path or "",
            self.line,
            self.column,
            -self.severity.rank,
            self.check_id,
            self.message,
        )
