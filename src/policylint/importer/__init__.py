"""``policylint import KIND SOURCE``: a register from the spreadsheet, CSV or Markdown table a
team already keeps.

Pipeline: :mod:`~policylint.importer.sources` reads the table with every cell's place;
:mod:`~policylint.importer.columns` finds the header row and which column is which field (the
rule pack's vocabulary, ``--map``); :func:`import_table` converts each cell to the convention
(dates, CIA levels, yes/no, enums, countries, and — with a repository — role titles, people's
names and level names to ids) and collects a :class:`Problem` for each cell it cannot convert
(that field is left out; the row is kept). :func:`dump_register` writes the YAML register.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from policylint.dates import from_excel_serial, parse_loose
from policylint.diagnostics import printable
from policylint.importer.columns import (
    Header,
    Vocabulary,
    find_header,
    normalise,
    schema_fields,
    vocabulary,
)
from policylint.importer.messages import message
from policylint.importer.sources import MAX_CELL_CHARS, Cell, SourceError, Table, as_text
from policylint.validate import kind_schema

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
MAX_VALUE_CHARS = 10_000
"""Longest text kept in one field (a longer cell is reported)."""


def register_kinds() -> tuple[str, ...]:
    """Every register kind policylint knows (a schema whose ``items`` is a list), sorted."""
    from policylint.validate import known_kinds

    return tuple(k for k in known_kinds() if (ks := kind_schema(k)) is not None and ks.is_register)


@dataclass(frozen=True)
class Problem:
    """Something the importer could not do, where it happened, and how bad it is."""

    where: str
    severity: str  # "error" | "warning"
    key: str
    args: Mapping[str, Any] = field(default_factory=dict)

    def render(self, lang: str) -> str:
        word = {"error": "ERROR", "warning": "WARNING"}[self.severity]
        return f"{self.where}: {word} import/{self.key} {message(self.key, lang, self.args)}"


@dataclass
class Imported:
    kind: str
    source: str
    items: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    header_row: str = ""
    rows_skipped: int = 0

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")


@dataclass(frozen=True)
class Names:
    """What the repository calls things: ids, role titles, people's names, level names."""

    repo: str
    ids: Mapping[str, frozenset[str]]  # target -> ids
    names: Mapping[str, Mapping[str, tuple[str, ...]]]  # target -> normalised name -> ids

    def resolve(self, target: str, text: str) -> tuple[str | None, tuple[str, ...]]:
        """(id, ()) when ``text`` names exactly one thing; (None, candidates) otherwise."""
        targets = ("role", "person") if target == "party" else (target,)
        for t in targets:
            if text in self.ids.get(t, ()):
                return text, ()
        key = _name_key(text)
        for t in targets:
            for ident in self.ids.get(t, ()):
                if ident.casefold() == text.casefold():
                    return ident, ()
        for t in targets:
            found = self.names.get(t, {}).get(key, ())
            if len(found) == 1:
                return found[0], ()
            if found:
                return None, found
        return None, ()


def _name_key(text: str) -> str:
    return re.sub(r"[\s\u3000・]+", "", unicodedata.normalize("NFKC", text).casefold())


_TITLE_PARTS = re.compile(r"[／/（）()、,]+")


def names_of(repository: Any, shown: str) -> Names:
    """The :class:`Names` of a loaded :class:`~policylint.model.Repository`."""
    ids: dict[str, set[str]] = {"role": set(), "person": set(), "level": set()}
    names: dict[str, dict[str, set[str]]] = {"role": {}, "person": {}, "level": {}}

    def add_name(target: str, text: Any, ident: str) -> None:
        if isinstance(text, str) and text.strip():
            names[target].setdefault(_name_key(text), set()).add(ident)

    for kind, target in (
        ("roles", "role"),
        ("people", "person"),
        ("classification-scheme", "level"),
    ):
        for entity in repository.items_of(kind):
            ident = entity.id
            if ident is None:
                continue
            ids[target].add(ident)
            if target == "role":
                title = entity.get("title")
                add_name("role", title, ident)
                if isinstance(title, str):
                    for part in _TITLE_PARTS.split(title):
                        add_name("role", part, ident)
            elif target == "person":
                add_name("person", entity.get("name"), ident)
            else:
                add_name("level", entity.get("name"), ident)
                add_name("level", entity.get("label"), ident)
                label = entity.get("label")
                if isinstance(label, str):
                    add_name("level", label.strip("【】[]()（）"), ident)
    return Names(
        shown,
        {t: frozenset(v) for t, v in ids.items()},
        {t: {k: tuple(sorted(v)) for k, v in m.items()} for t, m in names.items()},
    )


# ---------------------------------------------------------------------------------------------
# converting one cell


class _Bad(Exception):
    def __init__(self, key: str, **args: Any) -> None:
        super().__init__(key)
        self.key = key
        self.args_ = args


@dataclass
class _Converter:
    kind: str
    vocab: Vocabulary
    fields: Mapping[str, Mapping[str, Any]]
    names: Names | None
    unresolved_kept: set[str] = field(default_factory=set)

    def convert(self, path: str, value: Any) -> Any:
        """The convention's value of a cell for field ``path`` (raises :class:`_Bad`)."""
        schema = self.fields.get(path, {})
        qualified = f"{self.kind}.{path}"
        if isinstance(value, str):
            value = value.strip()
            if len(value) > MAX_VALUE_CHARS:
                raise _Bad("too-long", length=len(value), limit=MAX_VALUE_CHARS)
        if path.startswith("cia."):
            return self._cia(value)
        kind_of = schema.get("type")
        if schema.get("format") == "date" or (kind_of in (None, "string") and _is_date_name(path)):
            return self._date(value)
        if kind_of == "integer":
            return self._integer(value)
        if kind_of == "boolean":
            return self._boolean(value)
        if kind_of == "array":
            item_schema = schema.get("items", {})
            if item_schema.get("type") == "object":
                raise _Bad("list-in-cell", value=as_text(value))
            parts = self._split(as_text(value))
            return [self._text(qualified, path, p, item_schema) for p in parts]
        if kind_of == "object":
            raise _Bad("list-in-cell", value=as_text(value))
        if path == "country" or path == "jurisdiction":
            return self._country(value)
        return self._text(qualified, path, as_text(value), schema)

    def _text(self, qualified: str, path: str, text: str, schema: Mapping[str, Any]) -> Any:
        text = text.strip()
        enum = schema.get("enum")
        if enum:
            key = normalise(text)
            words = self.vocab.enums.get(qualified, {})
            chosen = words.get(key) or next((e for e in enum if normalise(str(e)) == key), None)
            if chosen is None or chosen not in enum:
                raise _Bad("not-allowed", value=text, allowed=", ".join(map(str, enum)))
            return chosen
        target = self.vocab.references.get(qualified)
        if target is not None:
            if self.names is None:
                self.unresolved_kept.add(path)
                return text
            found, candidates = self.names.resolve(target, text)
            if found is None:
                if candidates:
                    raise _Bad("ambiguous", value=text, ids=", ".join(candidates))
                raise _Bad("unresolved", value=text, target=target, repo=self.names.repo)
            return found
        return text

    def _date(self, value: Any) -> str:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            day = from_excel_serial(value)
        elif isinstance(value, str) and value.strip().isdigit() and 5 <= len(value.strip()) <= 6:
            day = from_excel_serial(int(value.strip()))
        else:
            day = parse_loose(value)
        if day is None:
            raise _Bad("not-a-date", value=as_text(value))
        return day.isoformat()

    def _integer(self, value: Any) -> int:
        if isinstance(value, bool):
            raise _Bad("not-an-integer", value=as_text(value))
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        text = unicodedata.normalize("NFKC", as_text(value)).strip().replace(",", "")
        text = re.sub(r"(か月|ヶ月|カ月|ヵ月|箇月|months?|日|days?|年|years?)$", "", text).strip()
        if re.fullmatch(r"[+-]?\d{1,9}", text):
            return int(text)
        raise _Bad("not-an-integer", value=as_text(value))

    def _boolean(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        key = normalise(as_text(value))
        if key in self.vocab.true:
            return True
        if key in self.vocab.false:
            return False
        raise _Bad("not-a-boolean", value=as_text(value))

    def _cia(self, value: Any) -> int:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if value in (1, 2, 3):
                return int(value)
            raise _Bad("not-a-level", value=as_text(value))
        level = self.vocab.cia.get(normalise(as_text(value)))
        if level is None:
            raise _Bad("not-a-level", value=as_text(value))
        return level

    def _country(self, value: Any) -> str:
        text = unicodedata.normalize("NFKC", as_text(value)).strip()
        code = self.vocab.country.get(normalise(text))
        if code is None and re.fullmatch(r"[A-Za-z]{2}", text):
            code = text.upper()
        if code is None:
            raise _Bad("bad-country", value=text)
        return code

    def _split(self, text: str) -> list[str]:
        parts = [text]
        for sep in self.vocab.separators:
            parts = [p for part in parts for p in part.split(sep)]
        return [p.strip() for p in parts if p.strip()]


def _is_date_name(path: str) -> bool:
    return path.rsplit(".", 1)[-1].endswith("_on")


# ---------------------------------------------------------------------------------------------
# the table


def _row_is_blank(row: Sequence[Cell]) -> bool:
    return all(c.value is None or (isinstance(c.value, str) and not c.value.strip()) for c in row)


def _is_totals(row: Sequence[Cell], vocab: Vocabulary) -> bool:
    for cell in row:
        if cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
            continue
        return normalise(as_text(cell.value)).rstrip(":") in vocab.totals
    return False


def import_table(
    table: Table,
    kind: str,
    *,
    framework: str = "mic-asp-saas-2008",
    user_map: Mapping[str, str] | None = None,
    names: Names | None = None,
) -> Imported:
    """Convert ``table`` into items of the register ``kind``; problems are collected, not raised."""
    vocab = vocabulary(framework)
    ks = kind_schema(kind)
    if ks is None or not ks.is_register:
        raise ValueError(kind)
    fields = schema_fields(ks.part("item"))
    result = Imported(kind, table.name)
    header = find_header(table.rows, kind, vocab, user_map or {}, list(fields))
    if header is None:
        examples = ", ".join(vocab.examples.get(kind, ())) or ", ".join(list(fields)[:3])
        result.problems.append(
            Problem(
                table.name,
                "error",
                "no-header",
                {"rows": min(len(table.rows), 50), "kind": kind, "examples": examples},
            )
        )
        return result
    header_cells = table.rows[header.row]
    result.header_row = header_cells[0].where if header_cells else table.name
    converter = _Converter(kind, vocab, fields, names)
    _column_problems(result, header, header_cells, kind)
    prefix = vocab.id_prefix.get(kind, kind)
    seen_ids: dict[str, str] = {}
    has_id_column = "id" in header.fields.values()
    positions: list[tuple[int, str]] = []  # (item index, where) of rows needing an id
    for row in table.rows[header.row + 1 :]:
        if _row_is_blank(row):
            result.rows_skipped += 1
            continue
        if _is_totals(row, vocab):
            result.rows_skipped += 1
            continue
        item = _convert_row(row, header, converter, result)
        index = len(result.items)
        where = row[0].where if row else table.name
        ident = item.pop("id", None)
        if ident is not None:
            text = unicodedata.normalize("NFKC", str(ident)).strip()
            if not ID_PATTERN.fullmatch(text):
                positions.append((index, where))
                item["id"] = None
                result.problems.append(
                    Problem(
                        _cell_of(row, header, "id"),
                        "error",
                        "bad-id",
                        {"value": text, "row": index},
                    )
                )
            elif text in seen_ids:
                positions.append((index, where))
                item["id"] = None
                result.problems.append(
                    Problem(
                        _cell_of(row, header, "id"),
                        "error",
                        "duplicate-id",
                        {"value": text, "first": seen_ids[text], "row": index},
                    )
                )
            else:
                seen_ids[text] = where
                item["id"] = text
        else:
            positions.append((index, where))
            item["id"] = None
        result.items.append(_ordered(item))
    _give_ids(result, positions, prefix, seen_ids, has_id_column)
    if converter.unresolved_kept:
        result.problems.append(
            Problem(
                result.header_row,
                "warning",
                "no-repo",
                {"fields": ", ".join(sorted(converter.unresolved_kept))},
            )
        )
    if not result.items:
        result.problems.append(Problem(result.header_row, "warning", "no-rows", {}))
    _validate(result, ks)
    return result


def _cell_of(row: Sequence[Cell], header: Header, path: str) -> str:
    for c, target in header.fields.items():
        if target == path and c < len(row):
            return row[c].where
    return row[0].where if row else ""


def _column_problems(result: Imported, header: Header, cells: Sequence[Cell], kind: str) -> None:
    def where(c: int) -> str:
        return cells[c].where if c < len(cells) else result.header_row

    for c, target, first in header.duplicates:
        result.problems.append(
            Problem(
                where(c),
                "warning",
                "duplicate-column",
                {"column": header.names.get(c, ""), "field": target, "first": where(first)},
            )
        )
    dup_columns = {d[0] for d in header.duplicates}
    unknown_cols = [c for c in sorted(header.extra) if c not in dup_columns]
    unknown = [header.names[c] for c in unknown_cols]
    if unknown:
        result.problems.append(
            Problem(
                where(unknown_cols[0]),
                "warning",
                "unknown-columns",
                {"count": len(unknown), "kind": kind, "columns": ", ".join(unknown)},
            )
        )


def _convert_row(
    row: Sequence[Cell], header: Header, converter: _Converter, result: Imported
) -> dict[str, Any]:
    item: dict[str, Any] = {}
    for c, cell in enumerate(row):
        if c in header.dropped:
            continue
        value = cell.value
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        target = header.fields.get(c)
        if target is None:
            name = header.extra.get(c)
            if name is None:
                name = f"column_{c + 1}"
            item.setdefault(_extra_key(name), _extra_value(value))
            continue
        if target == "id":
            item["id"] = as_text(value)
            continue
        try:
            converted = converter.convert(target, value)
        except _Bad as bad:
            result.problems.append(
                Problem(cell.where, "error", bad.key, {"field": target, **bad.args_})
            )
            continue
        if converted in ("", []):
            continue
        head, _, tail = target.partition(".")
        if tail:
            group = item.setdefault(head, {})
            if isinstance(group, dict):
                group[tail] = converted
        else:
            item[target] = converted
    return item


def _extra_key(name: str) -> str:
    return printable(re.sub(r"\s+", " ", name).strip())[:100] or "column"


def _extra_value(value: Any) -> Any:
    if isinstance(value, bool) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    text = as_text(value).strip()
    return text[:MAX_CELL_CHARS]


def _ordered(item: dict[str, Any]) -> dict[str, Any]:
    """``id`` first, then the fields in the order of the source's columns."""
    out = {"id": item.get("id")}
    out.update((k, v) for k, v in item.items() if k != "id")
    return out


def _give_ids(
    result: Imported,
    positions: Sequence[tuple[int, str]],
    prefix: str,
    taken: Mapping[str, str],
    has_id_column: bool,
) -> None:
    """Ids for rows that have none (or an unusable one), numbered by their place in the table."""
    width = max(4, len(str(len(result.items))))
    given: list[str] = []
    used = set(taken)
    for index, _where in positions:
        n = index + 1
        ident = f"{prefix}-{n:0{width}d}"
        while ident in used:
            n += len(result.items)
            ident = f"{prefix}-{n:0{width}d}"
        used.add(ident)
        result.items[index]["id"] = ident
        given.append(ident)
    # the messages about unusable ids name the id the row received instead
    result.problems[:] = [
        Problem(
            p.where, p.severity, p.key, {**p.args, "generated": result.items[p.args["row"]]["id"]}
        )
        if p.key in ("bad-id", "duplicate-id")
        else p
        for p in result.problems
    ]
    if not has_id_column and given:
        result.problems.append(
            Problem(
                result.header_row,
                "warning",
                "generated-ids",
                {"first": given[0], "last": given[-1]},
            )
        )


def _validate(result: Imported, ks: Any) -> None:
    """The output passes the kind's schema; a row that does not is reported (a bug to report)."""
    for err in ks.errors({"kind": result.kind, "items": result.items}):
        path = err.path
        index = path[1] if len(path) > 1 and isinstance(path[1], int) else None
        where = result.source if index is None else f"{result.source} (row {index + 1})"
        field_name = ".".join(str(p) for p in path[2:]) or "(row)"
        detail = ", ".join(f"{k}={v}" for k, v in sorted(err.args.items()) if k != "description")
        result.problems.append(
            Problem(
                where,
                "error",
                "schema",
                {"kind": result.kind, "field": field_name, "detail": detail},
            )
        )


# ---------------------------------------------------------------------------------------------
# output


_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`~][^\n\r\t#]*")
_PLAIN_RISKY = re.compile(
    r"(?:y|yes|n|no|true|false|on|off|null|~)"  # booleans and null of YAML 1.1 and 1.2
    r"|[-+.]?[0-9].*|[-+]?\.(?:inf|nan)"  # anything that starts like a number
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*"  # dates and times
    r"|=|<<",  # YAML 1.1's value and merge keys (PyYAML refuses them as plain values)
    re.IGNORECASE,
)
_ESCAPE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x1f]")


def _scalar(value: Any) -> str:
    """One YAML scalar: plain when no YAML reader (1.1 or 1.2) can take it for anything but
    the same string, else double-quoted with JSON's escapes (a subset of YAML's)."""
    import json

    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    if (
        _PLAIN.fullmatch(text)
        and text == text.strip()
        and ": " not in text
        and not text.endswith(":")
        and not _PLAIN_RISKY.fullmatch(text)
        and not _ESCAPE.search(text)
        and not _CONTROL.search(text)
    ):
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return _ESCAPE.sub(lambda m: f"\\u{ord(m[0]):04x}", quoted)


def _key(name: str) -> str:
    return _scalar(name)


def dump_register(result: Imported, note: str) -> str:
    """The register as YAML text: deterministic, rows in the source's order.

    Written directly rather than through PyYAML's representer (a tenth of the time for 10,000
    rows): the structure is fixed (items of scalars, one level of mappings, lists of
    scalars), and every scalar goes through :func:`_scalar`. Tests load it back with PyYAML
    and with policylint's loader."""
    out = ["".join(f"# {printable(line)}\n" for line in note.splitlines() if line.strip())]
    out.append(f"kind: {_scalar(result.kind)}\nitems:\n")
    if not result.items:
        out[-1] = f"kind: {_scalar(result.kind)}\nitems: []\n"
    for item in result.items:
        lead = "- "
        for key, value in item.items():
            out.append(lead + _key(str(key)) + ":")
            lead = "  "
            if isinstance(value, dict):
                out.append("\n" if value else " {}\n")
                for k, v in value.items():
                    out.append(f"    {_key(str(k))}: {_scalar(v)}\n")
            elif isinstance(value, list):
                out.append("\n" if value else " []\n")
                for v in value:
                    out.append(f"  - {_scalar(v)}\n")
            else:
                out.append(f" {_scalar(value)}\n")
    return "".join(out)


__all__ = [
    "Imported",
    "Names",
    "Problem",
    "SourceError",
    "dump_register",
    "import_table",
    "names_of",
    "register_kinds",
]
