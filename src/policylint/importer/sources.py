"""Reading a table out of a workbook, a CSV file or a Markdown file, with every cell's place.

Each reader returns a :class:`Table`: rows of cells, each cell with the text that names it in a
diagnostic (``台帳.xlsx:資産台帳!F17``, ``staff.csv:12:5``). Nothing here interprets a value.

Hostile input is normal input: a source larger than the limit, a workbook whose parts expand
beyond the limit (a zip bomb), a sheet with an absurd number of cells, an XML entity bomb
(openpyxl parses with defusedxml), a file that is not what its name says — each is a
:class:`SourceError` with a clear message, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import re
import stat
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policylint.diagnostics import printable

MAX_SOURCE_BYTES = 50 * 1024 * 1024
"""Largest source file read (a workbook of 100,000 rows is about 10 MiB)."""
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024
"""Largest total size of a workbook's parts once uncompressed."""
MAX_ZIP_RATIO = 200
"""Largest compression ratio of one workbook part (a zip bomb compresses by thousands)."""
MAX_ZIP_MEMBERS = 10_000
MAX_CELLS = 5_000_000
"""Largest number of cells of the sheet read."""
MAX_CELL_CHARS = 32_767
"""Excel's own limit of the characters of one cell."""
SUFFIXES = (".xlsx", ".xlsm", ".csv", ".tsv", ".md", ".markdown")


class SourceError(Exception):
    """The source cannot be read as a table; the message names the file (and the cell)."""

    def __init__(self, key: str, **args: Any) -> None:
        super().__init__(key)
        self.key = key
        self.args_ = args


@dataclass(frozen=True, slots=True)
class Cell:
    value: Any  # str, int, float, bool, datetime, date, or None (empty)
    where: str  # "book.xlsx:Sheet!F17" or "file.csv:12:5"


@dataclass(slots=True)
class Table:
    name: str  # the source as shown (file name, and sheet)
    rows: list[list[Cell]] = field(default_factory=list)
    sheet: str | None = None
    merged: int = 0
    notes: list[str] = field(default_factory=list)


def _read_bytes(path: Path, shown: str, limit: int) -> bytes:
    try:
        info = path.stat()
    except OSError as exc:
        raise SourceError("unreadable", path=shown, detail=exc.strerror or "") from None
    if not stat.S_ISREG(info.st_mode):
        raise SourceError("not-a-file", path=shown)
    if info.st_size > limit:
        raise SourceError("too-large", path=shown, size=info.st_size, limit=limit)
    try:
        with path.open("rb") as fh:
            data = fh.read(info.st_size)
            if fh.read(1):
                raise OSError(0, "the file grew while it was being read")
    except OSError as exc:
        raise SourceError("unreadable", path=shown, detail=exc.strerror or "") from None
    return data


def read_table(
    path: Path,
    *,
    sheet: str | None = None,
    table: int | None = None,
    max_bytes: int = MAX_SOURCE_BYTES,
) -> Table:
    """The table of ``path``, chosen by its suffix (and checked against its content)."""
    shown = printable(path.name)
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise SourceError("old-excel", path=shown)
    if suffix not in SUFFIXES:
        raise SourceError("unknown-type", path=shown, suffixes=", ".join(SUFFIXES))
    data = _read_bytes(path, shown, max_bytes)
    if suffix in (".xlsx", ".xlsm"):
        if sheet is not None and table is not None:
            raise SourceError("table-option", path=shown)
        return read_workbook(data, shown, sheet)
    if sheet is not None:
        raise SourceError("sheet-option", path=shown)
    if data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise SourceError("is-workbook", path=shown)
    if suffix in (".csv", ".tsv"):
        if table is not None:
            raise SourceError("table-option", path=shown)
        return read_csv(data, shown, "\t" if suffix == ".tsv" else None)
    return read_markdown(data, shown, table)


# ---------------------------------------------------------------------------------------------
# workbooks


def _check_zip(data: bytes, shown: str) -> None:
    import io

    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # OLE: an .xls, or an encrypted workbook
        raise SourceError("encrypted-or-xls", path=shown)
    if data[:4] != b"PK\x03\x04":
        raise SourceError("not-a-workbook", path=shown)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise SourceError("not-a-workbook", path=shown) from None
    if len(infos) > MAX_ZIP_MEMBERS:
        raise SourceError("zip-bomb", path=shown, detail=f"{len(infos)} parts")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1024 * 1024 and ratio > MAX_ZIP_RATIO:
            raise SourceError("zip-bomb", path=shown, detail=f"{printable(info.filename)}")
    if total > MAX_UNZIPPED_BYTES:
        raise SourceError("zip-bomb", path=shown, detail=f"{total} bytes uncompressed")


def read_workbook(data: bytes, shown: str, sheet: str | None) -> Table:
    import io
    import warnings

    _check_zip(data, shown)
    from openpyxl import DEFUSEDXML, load_workbook

    if not DEFUSEDXML:  # defusedxml missing, or OPENPYXL_DEFUSEDXML=False in the environment
        raise SourceError("no-defusedxml", path=shown)
    from openpyxl.utils import get_column_letter

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
            wb = load_workbook(io.BytesIO(data), data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many types for a malformed part
        raise SourceError(
            "bad-workbook",
            path=shown,
            detail=printable(
                f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            )[:200],
        ) from None
    names = list(wb.sheetnames)
    if sheet is None:
        ws = wb.worksheets[0] if wb.worksheets else None
    elif sheet in names:
        ws = wb[sheet]
    else:
        raise SourceError(
            "no-sheet", path=shown, sheet=printable(sheet), sheets=", ".join(map(printable, names))
        )
    from openpyxl.worksheet.worksheet import Worksheet

    if not isinstance(ws, Worksheet):
        raise SourceError("no-sheet", path=shown, sheet=printable(sheet or ""), sheets="")
    title = printable(ws.title)
    max_row, max_col = ws.max_row, ws.max_column
    if max_row * max_col > MAX_CELLS:
        raise SourceError("too-many-cells", path=shown, cells=max_row * max_col, limit=MAX_CELLS)
    grid: list[list[Any]] = [
        [c.value for c in row] for row in ws.iter_rows(max_row=max_row, max_col=max_col)
    ]
    merged = 0
    for rng in ws.merged_cells.ranges:
        top = grid[rng.min_row - 1][rng.min_col - 1] if rng.min_row <= max_row else None
        for r in range(rng.min_row, min(rng.max_row, max_row) + 1):
            for c in range(rng.min_col, min(rng.max_col, max_col) + 1):
                grid[r - 1][c - 1] = top
        merged += 1
    sheet_ref = _sheet_ref(ws.title)
    letters = [get_column_letter(c) for c in range(1, max_col + 1)]
    out = Table(f"{shown}:{title}", sheet=title, merged=merged)
    for r, values in enumerate(grid, 1):
        out.rows.append(
            [Cell(v, f"{shown}:{sheet_ref}!{letters[c]}{r}") for c, v in enumerate(values)]
        )
    return out


def _sheet_ref(title: str) -> str:
    """A sheet's name as Excel writes it in a reference: quoted when it has spaces or marks."""
    safe = printable(title)
    if re.fullmatch(r"[^\s'!:\[\]\-+*/,;()]+", safe):
        return safe
    return "'" + safe.replace("'", "''") + "'"


# ---------------------------------------------------------------------------------------------
# CSV


def decode_text(data: bytes, shown: str) -> tuple[str, str]:
    """(text, encoding name): UTF-8 with or without BOM, else cp932 (Excel's "CSV" on Japanese
    Windows). UTF-16 (Excel's "Unicode text") is read by its BOM."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise SourceError("encoding", path=shown) from None
    if b"\x00" in data[:8192]:
        raise SourceError("binary", path=shown)
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp932"), "cp932"
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        raise SourceError("encoding", path=f"{shown}:{line}") from None


def read_csv(data: bytes, shown: str, delimiter: str | None = None) -> Table:
    text, encoding = decode_text(data, shown)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if delimiter is None:
        first = text.split("\n", 5)[:5]
        tabs = sum(line.count("\t") for line in first)
        commas = sum(line.count(",") for line in first)
        delimiter = "\t" if tabs > commas else ","
    out = Table(shown)
    if encoding != "utf-8":
        out.notes.append(encoding)
    out.rows = _parse_csv(text, shown, delimiter)
    return out


def _parse_csv(text: str, shown: str, delim: str) -> list[list[Cell]]:
    """RFC 4180 with positions: every field's line and column (1-based, in characters)."""
    rows: list[list[Cell]] = []
    row: list[Cell] = []
    i, n = 0, len(text)
    line, line_start = 1, 0
    while i < n or row:
        start_line, start_col = line, i - line_start + 1
        if i < n and text[i] == '"':
            i += 1
            parts: list[str] = []
            while True:
                j = text.find('"', i)
                if j < 0:
                    raise SourceError("csv-quote", path=f"{shown}:{start_line}:{start_col}")
                chunk = text[i:j]
                nl = chunk.count("\n")
                if nl:
                    line += nl
                    line_start = i + chunk.rfind("\n") + 1
                parts.append(chunk)
                if j + 1 < n and text[j + 1] == '"':
                    parts.append('"')
                    i = j + 2
                    continue
                i = j + 1
                break
            value = "".join(parts)
            # text after the closing quote up to the separator is kept (as Excel does)
            k = i
            while k < n and text[k] not in (delim, "\n"):
                k += 1
            value += text[i:k]
            i = k
        else:
            k = i
            while k < n and text[k] not in (delim, "\n"):
                k += 1
            value = text[i:k]
            i = k
        if len(value) > MAX_CELL_CHARS:
            raise SourceError("cell-too-long", path=f"{shown}:{start_line}:{start_col}")
        row.append(Cell(value if value != "" else None, f"{shown}:{start_line}:{start_col}"))
        if i < n and text[i] == delim:
            i += 1
            if i == n:
                row.append(Cell(None, f"{shown}:{line}:{i - line_start + 1}"))
                rows.append(row)
                row = []
            continue
        # end of record
        rows.append(row)
        row = []
        if i < n:  # a newline
            i += 1
            line += 1
            line_start = i
        if i >= n:
            break
    return rows


# ---------------------------------------------------------------------------------------------
# Markdown


def read_markdown(data: bytes, shown: str, table: int | None) -> Table:
    """The first table under the first heading (or the ``table``-th table of the file)."""
    from markdown_it import MarkdownIt

    text, _ = decode_text(data, shown)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    first_heading: int | None = None
    spans: list[tuple[int, int]] = []
    for tok in tokens:
        if tok.type == "heading_open" and first_heading is None and tok.map:
            first_heading = tok.map[0]
        if tok.type == "table_open" and tok.map:
            spans.append((tok.map[0], tok.map[1]))
    if not spans:
        raise SourceError("no-table", path=shown)
    if table is not None:
        if not 1 <= table <= len(spans):
            raise SourceError("table-out-of-range", path=shown, n=table, count=len(spans))
        start, end = spans[table - 1]
    else:
        after = [s for s in spans if first_heading is None or s[0] > first_heading]
        start, end = (after or spans)[0]
    out = Table(shown)
    for ln in range(start, end):
        raw = lines[ln]
        cells = _split_row(raw)
        if ln == start + 1 and all(re.fullmatch(r":?-+:?", c.strip()) for _, c in cells):
            continue  # the delimiter row
        out.rows.append([Cell(_md_value(v), f"{shown}:{ln + 1}:{col}") for col, v in cells])
    return out


def _split_row(raw: str) -> Sequence[tuple[int, str]]:
    """(1-based column, text) of each cell of a pipe-table row; ``\\|`` is a literal pipe."""
    cells: list[tuple[int, str]] = []
    i = 0
    stripped = raw.lstrip()
    i = len(raw) - len(stripped)
    if raw[i : i + 1] == "|":
        i += 1
    start = i
    buf: list[str] = []
    while i <= len(raw):
        ch = raw[i] if i < len(raw) else "|"
        if ch == "\\" and i + 1 < len(raw) and raw[i + 1] == "|":
            buf.append("|")
            i += 2
            continue
        if ch == "|":
            value = "".join(buf)
            lead = len(value) - len(value.lstrip())
            cells.append((start + lead + 1, value.strip()))
            buf = []
            i += 1
            start = i
            if raw[i:].strip() == "":
                break
            continue
        buf.append(ch)
        i += 1
    return cells


_MD_INLINE = re.compile(r"`([^`]*)`|\*\*([^*]+)\*\*|__([^_]+)__")


def _md_value(text: str) -> str | None:
    text = _MD_INLINE.sub(lambda m: m[1] or m[2] or m[3] or "", text)
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.IGNORECASE).strip()
    return text or None


def as_text(value: Any) -> str:
    """A cell value as text (for headers and string fields)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
