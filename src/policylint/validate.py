"""JSON Schema validation of each kind, and the field annotations the model reads from the schemas.

Schemas live in ``schemas/kinds/<kind>.schema.json``. Besides types and enums they mark date fields
(``format: date``), dates that cannot lie in the future (``x-not-future``) and references
(``x-ref``); :class:`KindSchema` collects those marks once as field paths ("*" = any list index).
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Callable, Iterator, Mapping
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


Check = Callable[[Any], bool]
_SUPPORTED = frozenset(
    {
        "$schema",
        "$id",
        "title",
        "description",
        "default",
        "examples",
        "format",
        "x-not-future",
        "x-ref",
        "type",
        "properties",
        "required",
        "items",
        "enum",
        "const",
        "pattern",
        "minimum",
        "maximum",
        "maxItems",
        "minItems",
        "minLength",
        "contains",
        "if",
        "then",
        "additionalProperties",
    }
)


class Unsupported(Exception):
    """A schema keyword the fast compiler does not handle: use jsonschema for that schema."""


def _is_type(value: Any, name: str) -> bool:
    if name == "string":
        return isinstance(value, str)
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    if isinstance(value, bool):
        return False
    if name == "integer":
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if name == "number":
        return isinstance(value, (int, float))
    raise Unsupported(name)


def _same(a: Any, b: Any) -> bool:
    return a == b and isinstance(a, bool) == isinstance(b, bool)


def compile_schema(schema: Any) -> Check:
    """Compile the subset of JSON Schema our kind schemas use into a fast yes/no predicate.

    It answers only "valid or not"; :func:`jsonschema` explains what is invalid. A test checks
    both agree on every kind. Raises :class:`Unsupported` for any keyword outside the subset.
    """
    if schema is True or schema == {}:
        return lambda v: True
    if not isinstance(schema, dict):
        raise Unsupported(str(schema))
    unknown = set(schema) - _SUPPORTED
    if unknown or schema.get("additionalProperties", True) is not True:
        raise Unsupported(", ".join(sorted(unknown)) or "additionalProperties")
    checks: list[Check] = []
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        for n in names:
            _is_type(None, n)  # reject unknown type names at compile time
        checks.append(lambda v, ns=tuple(names): any(_is_type(v, n) for n in ns))
    if "enum" in schema:
        options = list(schema["enum"])
        checks.append(lambda v: any(_same(v, o) for o in options))
    if "const" in schema:
        const = schema["const"]
        checks.append(lambda v: _same(v, const))
    if "pattern" in schema:
        search = re.compile(schema["pattern"]).search
        checks.append(lambda v: not isinstance(v, str) or search(v) is not None)
    if "minLength" in schema:
        lo = schema["minLength"]
        checks.append(lambda v: not isinstance(v, str) or len(v) >= lo)
    for key, op in (("minimum", operator.ge), ("maximum", operator.le)):
        if key in schema:
            bound = schema[key]
            checks.append(lambda v, op=op, b=bound: not _is_type(v, "number") or op(v, b))
    if "required" in schema:
        names = list(schema["required"])
        checks.append(lambda v: not isinstance(v, dict) or all(n in v for n in names))
    if "properties" in schema:
        props = [(k, compile_schema(s)) for k, s in schema["properties"].items()]

        def _props(v: Any) -> bool:
            if not isinstance(v, dict):
                return True
            return all(k not in v or check(v[k]) for k, check in props)

        checks.append(_props)
    if "items" in schema:
        item = compile_schema(schema["items"])
        checks.append(lambda v: not isinstance(v, list) or all(item(x) for x in v))
    if "minItems" in schema or "maxItems" in schema:
        lo, hi = schema.get("minItems", 0), schema.get("maxItems", 1 << 62)
        checks.append(lambda v: not isinstance(v, list) or lo <= len(v) <= hi)
    if "contains" in schema:
        contained = compile_schema(schema["contains"])
        checks.append(lambda v: not isinstance(v, list) or any(contained(x) for x in v))
    if "if" in schema:
        cond = compile_schema(schema["if"])
        then = compile_schema(schema.get("then", True))
        checks.append(lambda v: not cond(v) or then(v))
    if len(checks) == 1:
        return checks[0]
    return lambda v: all(c(v) for c in checks)


@dataclass(slots=True)
class KindSchema:
    kind: str
    schema: dict[str, Any]
    is_register: bool
    dates: list[tuple[Path_, bool]] = field(default_factory=list)  # (path, not_future)
    refs: list[tuple[Path_, str]] = field(default_factory=list)  # (path, target)
    _validators: dict[str, Any] = field(default_factory=dict)
    _fast: dict[str, Check | None] = field(default_factory=dict)

    def part(self, name: str) -> Any:
        """The whole schema (``file``); for registers the ``shell`` without items, or ``item``."""
        if name == "file":
            return self.schema
        items = self.schema.get("properties", {}).get("items", {})
        if name == "item":
            return items.get("items", True)
        shell = dict(self.schema)
        shell["properties"] = {
            **self.schema.get("properties", {}),
            "items": {k: v for k, v in items.items() if k != "items"},
        }
        return shell

    def _fast_check(self, name: str) -> Check | None:
        if name not in self._fast:
            try:
                self._fast[name] = compile_schema(self.part(name))
            except (Unsupported, re.error):
                self._fast[name] = None
        return self._fast[name]

    def errors(self, instance: Any, part: str = "file") -> Iterator[SchemaError]:
        """Schema errors of ``instance`` against a part of the schema.

        The compiled predicate answers the common case (valid) fast; only an invalid instance
        pays for jsonschema, which explains each error with its path.
        """
        fast = self._fast_check(part)
        if fast is not None and fast(instance):
            return
        validator = self._validators.get(part)
        if validator is None:
            from jsonschema import Draft202012Validator  # lazy: costly import

            validator = self._validators[part] = Draft202012Validator(self.part(part))
        for err in validator.iter_errors(instance):
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
