"""Which column is which field: the rule pack's vocabulary, ``--map``, and finding the header row.

The vocabulary is data (``rules/<pack>/import.yaml``). A header cell names a field when its
normalised text (NFKC, case folded, without spaces, ``_``, ``-``, ``・``, a trailing ``*``/``※``
and a bracketed note) is one of the field's names, or is the field's own name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import yaml

from policylint.errors import UsageError
from policylint.importer.sources import Cell, as_text
from policylint.resources import data_dir

HEADER_SCAN_ROWS = 50
"""The header row is looked for among this many rows at the top of the table."""
IGNORE = "-"
"""A ``--map`` target that drops a column."""

_NOTE = re.compile(r"[（(【\[][^（(【\[]*[）)】\]]$")
_DROP = re.compile(r"[\s_\-・*※\u3000]+")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().strip()
    for _ in range(2):
        stripped = _NOTE.sub("", text).strip()
        if not stripped:
            break
        text = stripped
    return _DROP.sub("", text)


@dataclass(frozen=True)
class Vocabulary:
    """The import data of one rule pack."""

    id_prefix: Mapping[str, str]
    ignore: frozenset[str]
    columns: Mapping[str, Mapping[str, str]]  # kind -> normalised header -> field path
    examples: Mapping[str, tuple[str, ...]]  # kind -> a few header names, for messages
    references: Mapping[str, str]  # "kind.field" -> target
    cia: Mapping[str, int]
    true: frozenset[str]
    false: frozenset[str]
    country: Mapping[str, str]
    enums: Mapping[str, Mapping[str, str]]  # "kind.field" -> normalised word -> value
    totals: frozenset[str]
    separators: tuple[str, ...]


@cache
def vocabulary(framework: str) -> Vocabulary:
    path = data_dir("rules") / framework / "import.yaml"
    if not path.is_file():
        path = data_dir("rules") / "mic-asp-saas-2008" / "import.yaml"
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    common = raw.get("common", {})
    columns: dict[str, dict[str, str]] = {}
    examples: dict[str, tuple[str, ...]] = {}
    for kind, fields in raw.get("kinds", {}).items():
        table: dict[str, str] = {}
        for source in (fields, common):  # the kind's own names win over the common ones
            for name, aliases in source.items():
                for alias in [name, *aliases]:
                    table.setdefault(normalise(str(alias)), name)
        columns[kind] = table
        examples[kind] = tuple(str(a[0]) for a in list(fields.values())[:3] if a)
    values = raw.get("values", {})
    return Vocabulary(
        id_prefix=raw.get("id_prefix", {}),
        ignore=frozenset(normalise(str(x)) for x in raw.get("ignore", [])),
        columns=columns,
        examples=examples,
        references=raw.get("references", {}),
        cia={normalise(str(k)): int(v) for k, v in values.get("cia", {}).items()},
        true=frozenset(normalise(str(x)) for x in values["boolean"][True]),
        false=frozenset(normalise(str(x)) for x in values["boolean"][False]),
        country={normalise(str(k)): str(v) for k, v in values.get("country", {}).items()},
        enums={
            key: {normalise(str(k)): str(v) for k, v in table.items()}
            for key, table in values.get("enums", {}).items()
        },
        totals=frozenset(normalise(str(x)) for x in raw.get("totals", [])),
        separators=tuple(raw.get("list_separators", [","])),
    )


def schema_fields(item_schema: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """Every field path of a register item (``cia.confidentiality``) and its schema."""
    out: dict[str, Mapping[str, Any]] = {}
    for name, sub in (item_schema.get("properties") or {}).items():
        out[name] = sub
        if sub.get("type") == "object":
            for inner, inner_schema in (sub.get("properties") or {}).items():
                out[f"{name}.{inner}"] = inner_schema
    return out


def read_map(path_shown: str, text: str, known: Sequence[str]) -> dict[str, str]:
    """``--map MAP.yaml``: a mapping of column name → field path (or ``-`` to drop the column).

    ``columns:`` may wrap the mapping. A target that is no field of the kind is a usage error
    unless it is a new field name (lower case, digits, ``_``), which is then written as given.
    """
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise UsageError(f"{path_shown}{line}: --map is not valid YAML") from None
    if isinstance(raw, dict) and isinstance(raw.get("columns"), dict):
        raw = raw["columns"]
    if not isinstance(raw, dict):
        raise UsageError(f"{path_shown}: --map must be a mapping of column name: field")
    out: dict[str, str] = {}
    for column, target in raw.items():
        target_text = IGNORE if target is None else str(target).strip()
        if (
            target_text != IGNORE
            and target_text not in known
            and not re.fullmatch(r"[a-z][a-z0-9_]*", target_text)
        ):
            raise UsageError(
                f"{path_shown}: '{column}' maps to '{target_text}', which is not a field name "
                f"(fields: {', '.join(known)})"
            )
        out[normalise(str(column))] = target_text
    return out


@dataclass
class Header:
    row: int  # index of the (last) header row in the table
    fields: dict[int, str] = field(default_factory=dict)  # column index -> field path
    extra: dict[int, str] = field(default_factory=dict)  # column index -> extra field name
    dropped: set[int] = field(default_factory=set)
    duplicates: list[tuple[int, str, int]] = field(default_factory=list)  # (col, field, first)
    names: dict[int, str] = field(default_factory=dict)  # column index -> header text


def _matches(cells: Sequence[Cell], table: Mapping[str, str], user: Mapping[str, str]) -> int:
    seen: set[str] = set()
    for cell in cells:
        key = normalise(as_text(cell.value)) if cell.value is not None else ""
        if not key:
            continue
        target = user.get(key) or table.get(key)
        if target:
            seen.add(target)
    return len(seen)


def find_header(
    rows: Sequence[Sequence[Cell]],
    kind: str,
    vocab: Vocabulary,
    user: Mapping[str, str],
    fields: Sequence[str],
) -> Header | None:
    """The header row: the row among the first :data:`HEADER_SCAN_ROWS` that names most fields
    (a title row or a merged banner names none). A second header row right below it (機密性・完全性
    ・可用性 under a merged "CIA") is merged into it, column by column."""
    table = dict(vocab.columns.get(kind, {}))
    for name in fields:
        table.setdefault(normalise(name), name)
    best, best_score = -1, 0
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = _matches(row, table, user)
        if score > best_score:
            best, best_score = i, score
    if best < 0:
        return None
    texts = {c: as_text(cell.value).strip() for c, cell in enumerate(rows[best])}
    last = best
    if best + 1 < len(rows) and _matches(rows[best + 1], table, user) >= 1:
        below = rows[best + 1]
        if not any(_is_data_like(cell.value) for cell in below):
            for c, cell in enumerate(below):
                text = as_text(cell.value).strip()
                key = normalise(text)
                if text and (user.get(key) or table.get(key)):
                    texts[c] = text
            last = best + 1
    header = Header(last)
    first_of: dict[str, int] = {}
    for c in sorted(texts):
        text = texts[c]
        key = normalise(text)
        if not key:
            continue
        header.names[c] = text
        target = user.get(key) or table.get(key)
        if target == IGNORE or (target is None and key in vocab.ignore):
            header.dropped.add(c)
            continue
        if target is None:
            header.extra[c] = text
            continue
        if target in first_of:
            header.duplicates.append((c, target, first_of[target]))
            header.extra[c] = text
            continue
        first_of[target] = c
        header.fields[c] = target
    return header


def _is_data_like(value: Any) -> bool:
    """A number or a date: something a header cell never is."""
    import datetime as dt

    return isinstance(value, (int, float, dt.date)) and not isinstance(value, bool)
