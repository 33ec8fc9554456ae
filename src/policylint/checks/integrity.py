"""The tool's own integrity checks: duplicate ids, references that name nothing, unknown kinds."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from policylint.diagnostics import Finding
from policylint.loader import key_node_of, node_at
from policylint.model import Entity, _walk
from policylint.primitives import (
    Context,
    Params,
    finding,
    resolve_problem,
)
from policylint.suggest import Suggester
from policylint.validate import kind_schema


def duplicate_ids(ctx: Context, params: Params) -> Iterator[Finding]:
    for first, second in ctx.repo.duplicate_ids:
        yield finding(
            second,
            "default",
            second.loc("id"),
            first_path=first.path,
            first_line=first.loc("id").line,
        )


_REF_TARGETS = {
    "person": ("person",),
    "role": ("role",),
    "party": ("person", "role"),
    "external-party": ("external-parties",),
    "asset": ("assets",),
    "contract": ("contract",),
    "level": ("classification-scheme",),
}


def unresolved_references(ctx: Context, params: Params) -> Iterator[Finding]:
    """Every field marked ``x-ref`` in its kind's schema names an existing thing."""
    repo = ctx.repo
    for entity in _all_entities(ctx):
        schema = kind_schema(entity.kind)
        if schema is None:
            continue
        for path, target in schema.refs:
            for full, _, value, _ in _walk(entity.data, path):
                if not isinstance(value, str) or not value:
                    continue
                targets = _REF_TARGETS.get(target)
                ok = (
                    repo.find(value) is not None
                    if targets is None
                    else resolve_problem(repo, value, targets, active=False) == ""
                )
                if not ok:
                    yield finding(
                        entity,
                        "default",
                        entity.loc(*full),
                        ref=value,
                        target=target,
                        field=".".join(str(p) for p in full),
                    )


def _all_entities(ctx: Context) -> Iterator[Entity]:
    yield from ctx.repo.documents
    for register in ctx.repo.registers:
        yield from register.items


def unknown_kinds(ctx: Context, params: Params) -> Iterator[Finding]:
    from policylint.validate import known_kinds

    for src, kind in ctx.repo.unknown:
        node = src.node
        loc = src.location(node)
        if isinstance(src.value, dict):
            from policylint.loader import node_at

            loc = src.location(node_at(node, ("kind",))[0])
        key = "wrong-format" if kind_schema(kind) is not None else "default"
        yield Finding(loc, key, {"kind": kind, "known": ", ".join(known_kinds()), "path": src.path})


def unknown_fields(ctx: Context, params: Params) -> Iterator[Finding]:
    """Fields that the kind's schema does not define (``policylint/unknown-field``).

    The vocabulary of a mapping is the ``properties`` of its schema (nested mappings and lists
    of mappings included). By default only a near miss of a defined field is reported (with the
    field meant): an unknown field is otherwise allowed, as a team may record more than the
    convention asks. With ``all: true`` (``unknown_fields: error`` in the configuration) every
    unknown field is reported.
    """
    report_all = bool(params.get("all", False))
    for register in ctx.repo.registers:
        schema = kind_schema(register.kind)
        if schema is None:
            continue
        shell = {k: v for k, v in register.data.items() if k != "items"}
        top = Entity(register.kind, shell, register.source, register.source.node)
        yield from _unknown_in(top, schema.part("shell"), shell, (), report_all)
        for item in register.items:
            yield from _unknown_in(item, schema.part("item"), item.data, (), report_all)
    for doc in ctx.repo.documents:
        schema = kind_schema(doc.kind)
        if schema is not None:
            yield from _unknown_in(doc, schema.schema, doc.data, (), report_all)


def _unknown_in(
    entity: Entity,
    schema: Any,
    value: Any,
    path: tuple[str | int, ...],
    report_all: bool,
) -> Iterator[Finding]:
    if not isinstance(schema, dict):
        return
    if isinstance(value, list):
        items = schema.get("items")
        if isinstance(items, dict):
            for i, v in enumerate(value):
                yield from _unknown_in(entity, items, v, (*path, i), report_all)
        return
    props = schema.get("properties")
    if not isinstance(value, dict) or not isinstance(props, dict):
        return
    suggest = _suggester(tuple(props))
    for key, sub in value.items():
        if key in props:
            yield from _unknown_in(entity, props[key], sub, (*path, key), report_all)
            continue
        if not isinstance(key, str):
            continue
        meant = [m for m in suggest(key, 1) if m not in value]
        if not meant and not report_all:
            continue
        node, _ = node_at(entity.node, path)
        key_node = key_node_of(node, key)
        loc = entity.source.location(key_node) if key_node is not None else entity.loc(*path)
        where = ".".join(str(p) for p in path)
        yield finding(
            entity,
            "near-miss" if meant else "unknown",
            loc,
            name=key,
            field=f"{where}.{key}" if where else key,
            suggestion=meant[0] if meant else "",
        )


@cache
def _suggester(names: tuple[str, ...]) -> Suggester:
    return Suggester(names)
