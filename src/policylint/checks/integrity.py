"""The tool's own integrity checks: duplicate ids, references that name nothing, unknown kinds."""

from __future__ import annotations

from collections.abc import Iterator

from policylint.diagnostics import Finding
from policylint.model import Entity, _walk
from policylint.primitives import (
    Context,
    Params,
    finding,
    resolve_problem,
)
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
