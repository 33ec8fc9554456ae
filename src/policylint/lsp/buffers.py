"""The editor's open files as the language server holds them: lines, edited in place.

An edit of one asset in a register of 10,000 assets changes one line among 200,000: the
buffer replaces that slice of its list of lines and joins the text again only when asked, so an
edit costs about what copying the text costs (pygls' own document store rebuilds it line by
line on every change).

Positions from the client are counted in the negotiated encoding (UTF-16 by default, as LSP
requires); policylint counts characters (code points). :func:`to_units` and :func:`from_units`
convert one line's column.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import overload

_WIDE = re.compile("[\U00010000-\U0010ffff]")
_ANY_NON_ASCII = re.compile("[^\x00-\x7f]")


def to_units(line: str, column: int, encoding: str) -> int:
    """A column counted in characters as a column counted in the client's units."""
    if encoding == "utf-32":
        return column
    head = line[:column]
    if encoding == "utf-8":
        return len(head.encode("utf-8")) if _ANY_NON_ASCII.search(head) else len(head)
    return len(head) + len(_WIDE.findall(head))


def from_units(line: str, units: int, encoding: str) -> int:
    """A column counted in the client's units as a column counted in characters."""
    if encoding == "utf-32" or not _ANY_NON_ASCII.search(line):
        return min(units, len(line))
    if encoding == "utf-8":
        data = line.encode("utf-8")[:units]
        return len(data.decode("utf-8", "ignore"))
    count = 0
    for i, ch in enumerate(line):
        if count >= units:
            return i
        count += 2 if ord(ch) > 0xFFFF else 1
    return len(line)


class Buffer:
    """One open file: its lines (each with its line break, the last one maybe without)."""

    def __init__(self, text: str, version: int = 0) -> None:
        self.lines: list[str] = text.splitlines(keepends=True)
        self.version = version
        self._text: str | None = text

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "".join(self.lines)
        return self._text

    def line(self, index: int) -> str:
        """The line's text without its line break ("" past the end)."""
        if 0 <= index < len(self.lines):
            return self.lines[index].rstrip("\r\n")
        return ""

    def replace_all(self, text: str) -> None:
        self.lines = text.splitlines(keepends=True)
        self._text = text

    def edit(
        self, start: tuple[int, int], end: tuple[int, int], text: str, encoding: str
    ) -> tuple[int, int, int]:
        """Replace the range (line, column in client units) by ``text``.

        Returns the first line changed, the old and the new number of lines it spans.
        """
        lines = self.lines
        n = len(lines)
        (sl, sc), (el, ec) = start, end
        sl, el = min(max(sl, 0), n), min(max(el, 0), n)
        if (el, ec) < (sl, sc):
            (sl, sc), (el, ec) = (el, ec), (sl, sc)
        first = lines[sl] if sl < n else ""
        last = lines[el] if el < n else ""
        head = first[: from_units(first.rstrip("\r\n"), sc, encoding)]
        tail = last[from_units(last.rstrip("\r\n"), ec, encoding) :]
        new_lines = (head + text + tail).splitlines(keepends=True)
        old_count = min(el + 1, n) - sl
        lines[sl : sl + old_count] = new_lines
        self._text = None
        return sl, old_count, len(new_lines)


class Lines(Sequence[str]):
    """A buffer's lines without their line breaks, read on demand (no copy of the text)."""

    def __init__(self, buffer: Buffer) -> None:
        self._buffer = buffer

    def __len__(self) -> int:
        return len(self._buffer.lines)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [line.rstrip("\r\n") for line in self._buffer.lines[index]]
        if not -len(self._buffer.lines) <= index < len(self._buffer.lines):
            raise IndexError(index)
        return self._buffer.lines[index].rstrip("\r\n")
