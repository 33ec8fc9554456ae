"""JSON Schema validation of each kind, and the field annotations the model reads from the schemas.

Schemas live in ``schemas/kinds/<kind>.schema.json``. Besides types and enums they mark date fields
(``format: date``), dates that cannot lie in the future (``x-not-future``) and references
(``x-ref``); :class:`KindSchema` collects those marks once as field paths ("*" = any list index).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from policylint.resources import data_dir

Path_ = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SchemaError:
    """One schema violation: where (path in the instance) and what, as message arguments."""

    path: tuple[str | int, ...]
    key: str
    args: Mapping[str, Any]


@dataclass(slots=True)
class KindSchema:
    kind: str
    schema: dict[str, Any]
    is_register: bool
    dates: list[tuple[Path_, bool]] = field(default_factory=list)  # (path, not_future)
    refs: list[tuple[Path_, str]] = field(default_factory=list)  # (path, target)
    _validator: Any = None

    def validator(self) -> Any:
        if self._validator is None:
            from jsonschema import Draft202012Validator  # lazy: costly import

            self._validator = Draft202012Validator(self.schema)
        return self._validator

    def errors(self, instance: Any) -> Iterator[SchemaError]:
        for err in self.validator().iter_errors(instance):
            yield from _explain(err)


def _collect(node: Mapping[str, Any], path: Path_, out: KindSchema) -> None:
    if node.get("format") == "date":
        out.dates.append((path, bool(node.get("x-not-future"))))
    if "x-ref" in node:
        out.refs.append((path, str(node["x-ref"])))
    for key, sub in (node.get("properties") or {}).items():
        _collect(sub, (*path, key), out)
    items = node.get("items")
    if isinstance(items, dict):
        _collect(items, (*path, "*"), out)


@cache
def kind_schema(kind: str) -> KindSchema | None:
    """The schema of a kind, or ``None`` for a kind policylint does not know."""
    if not kind or "/" in kind or "\\" in kind or kind.startswith("."):
        return None
    path = data_dir("schemas") / "kinds" / f"{kind}.schema.json"
    if not path.is_file():
        return None
    schema = json.loads(path.read_text(encoding="utf-8"))
    items = schema.get("properties", {}).get("items", {})
    is_register = items.get("type") == "array"
    ks = KindSchema(kind, schema, is_register)
    if is_register:
        _collect(items.get("items", {}), (), ks)  # paths relative to each item
    else:
        _collect(schema, (), ks)
    return ks


@cache
def known_kinds() -> tuple[str, ...]:
    folder = data_dir("schemas") / "kinds"
    return tuple(sorted(p.name[: -len(".schema.json")] for p in folder.glob("*.schema.json")))


_TYPE_NAMES = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
    type(None): "null",
    list: "list",
    dict: "mapping",
}


def _type_name(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _explain(err: Any) -> Iterator[SchemaError]:
    path = tuple(err.absolute_path)
    validator = err.validator
    value = err.instance
    expected = err.validator_value
    desc = (err.schema or {}).get("description", "") if isinstance(err.schema, dict) else ""
    base = {"found": _type_name(value), "description": desc}
    if validator == "type":
        exp = expected if isinstance(expected, list) else [expected]
        yield SchemaError(path, "type", {**base, "expected": " or ".join(map(str, exp))})
    elif validator == "enum":
        yield SchemaError(path, "enum", {**base, "allowed": ", ".join(map(str, expected))})
    elif validator == "const":
        yield SchemaError(path, "enum", {**base, "allowed": str(expected)})
    elif validator == "pattern":
        yield SchemaError(path, "pattern", {**base, "pattern": str(expected)})
    elif validator in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        yield SchemaError(path, "range", {**base, "bound": f"{validator} {expected}"})
    elif validator == "required":
        missing = [name for name in expected if isinstance(value, dict) and name not in value]
        for name in missing:
            yield SchemaError(path, "required", {**base, "name": name})
    else:
        yield SchemaError(path, "other", {**base, "detail": err.message})
