"""JSON Schema validation of each kind, and the field annotations the model reads from the schemas.

Schemas live in ``schemas/kinds/<kind>.schema.json``. Besides types and enums they mark date fields
(``format: date``), dates that cannot lie in the future (``x-not-future``) and references
(``x-ref``); :class:`KindSchema` collects those marks once as field paths ("*" = any list index).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from itertools import chain
from typing import Any

from policylint.diagnostics import Words
from policylint.resources import data_dir

Path_ = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SchemaError:
    """One schema violation: where (path in the instance) and what, as message arguments."""

    path: tuple[str | int, ...]
    key: str
    args: Mapping[str, Any]


Check = Callable[[Any], bool]
_MISSING = object()
_ANNOTATIONS = frozenset(
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
    }
)
_SIMPLE_TYPES: dict[str, type | tuple[type, ...]] = {
    "string": str,
    "object": dict,
    "array": list,
    "boolean": bool,
    "null": type(None),
}


class Unsupported(Exception):
    """A schema keyword the compiler does not handle: jsonschema alone validates that schema."""


def _type_check(names: list[str]) -> Check:
    simple = [_SIMPLE_TYPES[n] for n in names if n in _SIMPLE_TYPES]
    numeric = [n for n in names if n not in _SIMPLE_TYPES]
    if any(n not in ("integer", "number") for n in numeric):
        raise Unsupported(f"type {numeric}")
    types = tuple(t for group in simple for t in (group if isinstance(group, tuple) else (group,)))
    if not numeric:
        return lambda v: isinstance(v, types)
    whole_only = "number" not in numeric

    def check(v: Any) -> bool:
        if isinstance(v, types):
            return True
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            return False
        return not whole_only or isinstance(v, int) or v.is_integer()

    return check


def _same(a: Any, b: Any) -> bool:
    return bool(a == b) and isinstance(a, bool) == isinstance(b, bool)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _all(checks: list[Check]) -> Check:
    if not checks:
        return lambda v: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda v: first(v) and second(v)
    every = tuple(checks)

    def check(v: Any) -> bool:
        for c in every:  # noqa: SIM110 - all() over a generator costs a frame per value
            if not c(v):
                return False
        return True

    return check


Many = Callable[[list[Any]], bool]
"""A compiled schema applied to many values at once: True when every one of them is valid."""


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A schema compiled for one value (``one``) and for many (``many``: the values of one
    field across every row of a register, judged column by column with loops that run in C
    where the values allow it). ``passing``: the Python types whose every value is valid (a
    schema that constrains nothing but the type), so that such a value needs no call."""

    one: Check
    many: Many
    passing: frozenset[type] = frozenset()


_EXACT_TYPES: dict[str, frozenset[type]] = {
    "string": frozenset({str}),
    "object": frozenset({dict}),
    "array": frozenset({list}),
    "boolean": frozenset({bool}),
    "null": frozenset({type(None)}),
    "integer": frozenset({int}),
    "number": frozenset({int, float}),
}
"""Python types every value of which a JSON Schema type accepts (a float is an integer only
when it is whole, so it is not among them: its value is checked)."""


def _constraints(schema: dict[str, Any]) -> dict[str, Any]:
    """The keywords of a schema that constrain a value."""
    return {
        key: arg
        for key, arg in schema.items()
        if not (
            key in _ANNOTATIONS or key == "then" or (key == "additionalProperties" and arg is True)
        )
    }


def _passing_types(constraints: dict[str, Any]) -> frozenset[type]:
    if set(constraints) != {"type"}:
        return frozenset()
    names = constraints["type"]
    out: set[type] = set()
    for name in names if isinstance(names, list) else [names]:
        if not isinstance(name, str) or name not in _EXACT_TYPES:
            return frozenset()
        out |= _EXACT_TYPES[name]
    return frozenset(out)


def _each(one: Check) -> Many:
    return lambda values: all(map(one, values))


def _always(value: Any) -> bool:
    return True


_ANYTHING = _Compiled(_always, lambda values: True)


def compile_schema(schema: Any) -> Check:
    """Compile the subset of JSON Schema our schemas use into a fast yes/no predicate.

    Building it takes microseconds (a code generator such as fastjsonschema spends ~10 ms a
    schema, which dominated start-up on small repositories). It answers only "valid or not":
    jsonschema explains what is invalid, and a test checks that both agree on every kind.
    Raises :class:`Unsupported` for a keyword outside the subset.

    Every row of every register runs through it on every run, so the common shapes get fused
    checks (an object's ``required`` and ``properties`` in one function whose simple properties
    are judged by their type alone, an integer range in one comparison, an enum of texts by
    set membership), and a list of rows is judged a field at a time (see :class:`_Compiled`).
    """
    return _compile(schema).one


def _compile(schema: Any) -> _Compiled:
    if schema is True or schema == {}:
        return _ANYTHING
    if not isinstance(schema, dict):
        raise Unsupported(str(schema))
    constraints = _constraints(schema)
    if not constraints:
        return _ANYTHING
    fused = _fused_object(constraints)
    if fused is not None:
        return fused
    checks: list[Check] = []
    for key, arg in constraints.items():
        factory = _KEYWORDS.get(key)
        if factory is None:
            raise Unsupported(key)
        check = factory(schema) if key in _WHOLE_SCHEMA else factory(arg)
        if key == "type":
            checks.insert(0, check)  # cheapest and most selective first
        else:
            checks.append(check)
    one = _all(checks)
    if set(constraints) == {"type", "pattern"} and constraints["type"] == "string":
        one = _text_matching(constraints["pattern"], one)
    passing = _passing_types(constraints)
    if passing:
        return _Compiled(one, _many_typed(passing, one), passing)
    return _fused_range(constraints, one) or _Compiled(one, _many_values(constraints, one))


def _text_matching(pattern: str, general: Check) -> Check:
    """``type: string`` with a ``pattern``: a text is judged by one search."""
    search = re.compile(pattern).search

    def one(v: Any) -> bool:
        if type(v) is str:
            return search(v) is not None
        return general(v)

    return one


def _many_typed(passing: frozenset[type], one: Check) -> Many:
    def many(values: list[Any]) -> bool:
        return passing.issuperset(map(type, values)) or all(map(one, values))

    return many


def _many_values(constraints: dict[str, Any], one: Check) -> Many:
    """Many values of a field whose values are checked: texts against a pattern or an enum,
    lists of items, at C speed when every value has the expected type."""
    keys = set(constraints)
    kind = constraints.get("type")
    texts_only = frozenset({str})
    if keys == {"type", "pattern"} and kind == "string":
        search = re.compile(constraints["pattern"]).search

        def many_texts(values: list[Any]) -> bool:
            if texts_only.issuperset(map(type, values)):
                return all(map(search, values))  # a match object is true, no match None
            return all(map(one, values))

        return many_texts
    options = constraints.get("enum")
    if keys <= {"type", "enum"} and kind in (None, "string") and isinstance(options, list):
        allowed = frozenset(o for o in options if type(o) is str)

        def many_choices(values: list[Any]) -> bool:
            if texts_only.issuperset(map(type, values)):
                return allowed.issuperset(values)  # a text equals only a text
            return all(map(one, values))

        return many_choices
    if keys == {"type", "items"} and kind == "array":
        items = _compile(constraints["items"]).many
        lists_only = frozenset({list})

        def many_lists(values: list[Any]) -> bool:
            if lists_only.issuperset(map(type, values)):
                return items(list(chain.from_iterable(values)))
            return all(map(one, values))

        return many_lists
    return _each(one)


def _fused_object(constraints: dict[str, Any]) -> _Compiled | None:
    """``type: object`` with ``required``, ``properties`` and ``additionalProperties: false``
    (or true), as one function, or None for another shape."""
    if constraints.get("type") != "object" or not set(constraints) <= {
        "type",
        "required",
        "properties",
        "additionalProperties",
    }:
        return None
    extra = constraints.get("additionalProperties", True)
    required = constraints.get("required", [])
    props = constraints.get("properties", {})
    if extra is not False and extra is not True:
        return None
    if not isinstance(required, list) or not isinstance(props, dict):
        return None
    needed = frozenset(required)
    closed = frozenset(props) if extra is False else None
    table = {k: c for k, sub in props.items() if (c := _compile(sub)) is not _ANYTHING}
    lookup = {k: (c.passing, c.one) for k, c in table.items()}.get

    def one(v: Any) -> bool:
        if not isinstance(v, dict):
            return False
        if needed and not v.keys() >= needed:
            return False
        if closed is not None and not closed.issuperset(v):
            return False
        for key, value in v.items():
            entry = lookup(key)
            if entry is not None and type(value) not in entry[0] and not entry[1](value):
                return False
        return True

    return _Compiled(one, _each(one))


def _fused_range(constraints: dict[str, Any], general: Check) -> _Compiled | None:
    """``type: integer`` (or ``number``) with ``minimum`` and/or ``maximum``: an int is judged
    by one comparison (many ints by their least and greatest); any other value by the general
    check."""
    if constraints.get("type") not in ("integer", "number") or not set(constraints) <= {
        "type",
        "minimum",
        "maximum",
    }:
        return None
    low, high = constraints.get("minimum"), constraints.get("maximum")
    if not all(b is None or type(b) in (int, float) for b in (low, high)):
        return None
    lo = -math.inf if low is None else low
    hi = math.inf if high is None else high

    def one(v: Any) -> bool:
        if type(v) is int:
            return bool(lo <= v <= hi)
        return general(v)

    ints_only = frozenset({int})

    def many(values: list[Any]) -> bool:
        if not values:
            return True
        if ints_only.issuperset(map(type, values)):
            return bool(lo <= min(values) and max(values) <= hi)
        return all(map(one, values))

    return _Compiled(one, many)


def fast_valid(schema: Any, instance: Any) -> bool:
    """True when the compiled predicate accepts ``instance``; False when it rejects it or cannot
    compile the schema (the caller then asks jsonschema)."""
    try:
        return compile_schema(schema)(instance)
    except (Unsupported, re.error):
        return False


def _enum(options: Any) -> Check:
    texts = frozenset(o for o in options if type(o) is str)

    def check(v: Any) -> bool:
        if type(v) is str:
            return v in texts  # a text equals only a text
        return any(_same(v, o) for o in options)

    return check


def _const(const: Any) -> Check:
    return lambda v: _same(v, const)


def _pattern(pattern: str) -> Check:
    search = re.compile(pattern).search
    return lambda v: not isinstance(v, str) or search(v) is not None


def _min_length(n: int) -> Check:
    return lambda v: not isinstance(v, str) or len(v) >= n


def _minimum(bound: float) -> Check:
    return lambda v: not _is_number(v) or v >= bound


def _maximum(bound: float) -> Check:
    return lambda v: not _is_number(v) or v <= bound


def _required(names: list[str]) -> Check:
    return lambda v: not isinstance(v, dict) or all(n in v for n in names)


def _items(schema: Any) -> Check:
    many = _compile(schema).many
    return lambda v: not isinstance(v, list) or many(v)


def _min_items(n: int) -> Check:
    return lambda v: not isinstance(v, list) or len(v) >= n


def _max_items(n: int) -> Check:
    return lambda v: not isinstance(v, list) or len(v) <= n


def _contains(schema: Any) -> Check:
    has = compile_schema(schema)
    return lambda v: not isinstance(v, list) or any(has(x) for x in v)


def _additional(schema: dict[str, Any]) -> Check:
    known = frozenset(schema.get("properties", ()))
    extra = schema["additionalProperties"]
    if extra is False:
        return lambda v: not isinstance(v, dict) or known.issuperset(v)
    other = compile_schema(extra)
    return lambda v: (
        not isinstance(v, dict) or all(other(x) for k, x in v.items() if k not in known)
    )


def _if_then(schema: dict[str, Any]) -> Check:
    cond, then = compile_schema(schema["if"]), compile_schema(schema.get("then", True))
    return lambda v: not cond(v) or then(v)


def _properties(props: dict[str, Any]) -> Check:
    compiled = {k: c for k, sub in props.items() if (c := _compile(sub)) is not _ANYTHING}
    lookup = {k: (c.passing, c.one) for k, c in compiled.items()}.get

    def check(v: Any) -> bool:
        if not isinstance(v, dict):
            return True
        for key, value in v.items():
            entry = lookup(key)
            if entry is not None and type(value) not in entry[0] and not entry[1](value):
                return False
        return True

    return check


_KEYWORDS: dict[str, Callable[[Any], Check]] = {
    "type": lambda arg: _type_check(arg if isinstance(arg, list) else [arg]),
    "enum": _enum,
    "const": _const,
    "pattern": _pattern,
    "minLength": _min_length,
    "minimum": _minimum,
    "maximum": _maximum,
    "required": _required,
    "properties": _properties,
    "items": _items,
    "minItems": _min_items,
    "maxItems": _max_items,
    "contains": _contains,
    "if": _if_then,
    "additionalProperties": _additional,
}
_WHOLE_SCHEMA = frozenset({"if", "additionalProperties"})
"""Each supported keyword and the factory of its check; anything else is Unsupported."""


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
                self._fast[name] = None  # jsonschema alone still validates it
        return self._fast[name]

    def errors(self, instance: Any) -> Iterator[SchemaError]:
        """Schema errors of a whole file's value (front matter, or a register with its items).

        One compiled predicate per kind answers the common case (valid) fast. An invalid
        register is re-checked item by item, so jsonschema only explains the rows that fail.
        """
        fast = self._fast_check("file")
        if fast is not None and fast(instance):
            return
        items = instance.get("items") if isinstance(instance, dict) else None
        if not self.is_register or not isinstance(items, list):
            yield from self._explain("file", instance, ())
            return
        yield from self._explain("shell", {**instance, "items": []}, ())
        item_ok = self._fast_check("item")
        for i, item in enumerate(items):
            if item_ok is None or not item_ok(item):
                yield from self._explain("item", item, ("items", i))

    def item_errors(self, item: Any, index: int) -> Iterator[SchemaError]:
        """Schema errors of one item of a register, as :meth:`errors` reports them for the
        whole file (the language server re-checks the one item an edit changed)."""
        ok = self._fast_check("item")
        if ok is None or not ok(item):
            yield from self._explain("item", item, ("items", index))

    def _explain(
        self, part: str, instance: Any, prefix: tuple[str | int, ...]
    ) -> Iterator[SchemaError]:
        validator = self._validators.get(part)
        if validator is None:
            from jsonschema import Draft202012Validator  # lazy: costly import

            validator = self._validators[part] = Draft202012Validator(self.part(part))
        # One fault, one message: when a value has the wrong type, its enum, pattern or range
        # errors at the same place are consequences and are not repeated.
        errors = [found for err in validator.iter_errors(instance) for found in _explain(err)]
        mistyped = {e.path for e in errors if e.key == "type"}
        for found in errors:
            if found.key == "type" or found.path not in mistyped:
                yield SchemaError((*prefix, *found.path), found.key, found.args)


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
def known_fields() -> frozenset[str]:
    """Every field name some kind defines, at the top of a document or of a register item."""
    names: set[str] = set()
    for kind in known_kinds():
        ks = kind_schema(kind)
        if ks is None:
            continue
        names.update((ks.schema.get("properties") or {}).keys())
        if ks.is_register:
            item = ks.part("item")
            if isinstance(item, dict):
                names.update((item.get("properties") or {}).keys())
    names.discard("items")
    return frozenset(names)


@cache
def known_kinds() -> tuple[str, ...]:
    folder = data_dir("schemas") / "kinds"
    return tuple(sorted(p.name[: -len(".schema.json")] for p in folder.glob("*.schema.json")))


_TYPE_NAMES = {
    str: ("string", "文字列"),
    int: ("integer", "整数"),
    float: ("number", "数値"),
    bool: ("boolean", "true/false"),
    type(None): ("null", "空の値"),
    list: ("list", "リスト"),
    dict: ("mapping", "マッピング"),
}
"""What was written, in the words of a YAML author (en, ja)."""

_SCHEMA_TYPE_WORDS = {
    "string": ("string", "文字列"),
    "integer": ("integer", "整数"),
    "number": ("number", "数値"),
    "array": ("list", "リスト"),
    "object": ("mapping", "マッピング"),
    "boolean": ("true/false", "true/false"),
    "null": ("null", "空の値"),
}
"""JSON Schema's type names in the words of a YAML author (en, ja)."""


def _type_name(value: Any) -> Words:
    en, ja = _TYPE_NAMES.get(type(value), (type(value).__name__, type(value).__name__))
    return Words(en=en, ja=ja)


def _explain(err: Any) -> Iterator[SchemaError]:
    path = tuple(err.absolute_path)
    validator = err.validator
    value = err.instance
    expected = err.validator_value
    desc = (err.schema or {}).get("description", "") if isinstance(err.schema, dict) else ""
    base = {"found": _type_name(value), "description": desc}
    if validator == "type":
        exp = expected if isinstance(expected, list) else [expected]
        names = [_SCHEMA_TYPE_WORDS.get(str(e), (str(e), str(e))) for e in exp]
        words = Words(en=" or ".join(n[0] for n in names), ja="または".join(n[1] for n in names))
        advice = Words(en=desc, ja=f"{words['ja']}で書いてください。")
        yield SchemaError(path, "type", {**base, "expected": words, "advice": advice})
    elif validator in ("enum", "const"):
        allowed = ", ".join(map(str, expected if validator == "enum" else [expected]))
        advice = Words(en=desc, ja=f"次のいずれかを書いてください: {allowed}")
        yield SchemaError(path, "enum", {**base, "allowed": allowed, "advice": advice})
    elif validator == "pattern":
        advice = Words(en=desc, ja="決められた形式で書いてください（docs/conventions.md を参照）。")
        yield SchemaError(path, "pattern", {**base, "pattern": str(expected), "advice": advice})
    elif validator in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        bound = Words(
            en=f"{validator} {expected}",
            ja={
                "minimum": f"{expected} 以上",
                "maximum": f"{expected} 以下",
                "exclusiveMinimum": f"{expected} より大きい値",
                "exclusiveMaximum": f"{expected} より小さい値",
            }[validator],
        )
        advice = Words(en=desc, ja=f"{bound['ja']}の値を書いてください。")
        yield SchemaError(path, "range", {**base, "bound": bound, "advice": advice})
    elif validator == "required":
        missing = [name for name in expected if isinstance(value, dict) and name not in value]
        for name in missing:
            advice = Words(en=desc, ja=f"'{name}' を追加してください。")
            yield SchemaError(path, "required", {**base, "name": name, "advice": advice})
    else:
        advice = Words(en=desc, ja="docs/conventions.md に従って値を直してください。")
        yield SchemaError(path, "other", {**base, "detail": err.message, "advice": advice})
