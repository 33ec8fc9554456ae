"""The tool's own integrity checks: duplicate ids, references that name nothing, unknown kinds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from policylint.checks.documents import _is_path
from policylint.diagnostics import Finding
from policylint.fixes import rename_key
from policylint.loader import SourceFile, key_node_of, node_at
from policylint.model import Entity, _walk
from policylint.placeholders import is_placeholder, is_placeholder_file, may_hold
from policylint.primitives import (
    Context,
    Params,
    finding,
    resolve_problem,
)
from policylint.suggest import Suggester, did_you_mean
from policylint.validate import kind_schema, known_kinds


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
                        suggestions=repo.ids_like(value, targets or ("any",)),
                    )


def _all_entities(ctx: Context) -> Iterator[Entity]:
    yield from ctx.repo.documents
    for register in ctx.repo.registers:
        yield from register.items


def unknown_kinds(ctx: Context, params: Params) -> Iterator[Finding]:
    for src, kind in ctx.repo.unknown:
        node = src.node
        loc = src.location(node)
        if isinstance(src.value, dict):
            from policylint.loader import node_at

            loc = src.location(node_at(node, ("kind",))[0])
        key = "wrong-format" if kind_schema(kind) is not None else "default"
        args = {"kind": kind, "known": ", ".join(known_kinds()), "path": src.path}
        meant = meant_kind(src, kind) if key == "default" else None
        if meant is not None:
            key, args = "near-miss", {**args, "suggestion": meant}
        yield Finding(loc, key, args)


def meant_kind(src: SourceFile, kind: str) -> str | None:
    """The known kind an unknown ``kind`` is a near miss of (of the file's form: a document
    kind for Markdown, a register kind for YAML), if any."""
    is_register = src.format == "yaml"
    candidates = [
        k
        for k in known_kinds()
        if (ks := kind_schema(k)) is not None and ks.is_register == is_register
    ]
    meant = did_you_mean(kind, candidates, 1)
    return meant[0] if meant else None


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
        if not _only_known(schema.schema, report_all)(shell):
            top = Entity(register.kind, shell, register.source, None, None, ())
            yield from _unknown_in(top, schema.schema, shell, (), report_all)
        item_schema = schema.part("item")
        known = _only_known(item_schema, report_all)
        for item in register.items:
            if not known(item.data):
                yield from _unknown_in(item, item_schema, item.data, (), report_all)
    for doc in ctx.repo.documents:
        schema = kind_schema(doc.kind)
        if schema is not None and not _only_known(schema.schema, report_all)(doc.data):
            yield from _unknown_in(doc, schema.schema, doc.data, (), report_all)


def _unknown_in(
    entity: Entity,
    schema: Any,
    value: Any,
    path: tuple[str | int, ...],
    report_all: bool,
) -> Iterator[Finding]:
    vocab = _vocabulary(schema)
    if vocab is None:
        return
    if isinstance(value, list):
        if vocab.items is not None:
            for i, v in enumerate(value):
                yield from _unknown_in(entity, vocab.items, v, (*path, i), report_all)
        return
    if not isinstance(value, dict) or vocab.names is None:
        return
    for key in vocab.nested.keys() & value.keys():
        yield from _unknown_in(entity, vocab.nested[key], value[key], (*path, key), report_all)
    unknown = value.keys() - vocab.names
    if not unknown:
        return
    for key in [k for k in value if k in unknown]:  # in the order written
        if not isinstance(key, str):
            continue
        near = [m for m in vocab.suggest(key, 2) if m not in value]
        meant = near[:1]
        if not meant and not report_all:
            continue
        node, _ = node_at(entity.node, path)
        key_node = key_node_of(node, key)
        loc = entity.source.location(key_node) if key_node is not None else entity.loc(*path)
        where = ".".join(str(p) for p in path)
        found = finding(
            entity,
            "near-miss" if meant else "unknown",
            loc,
            name=key,
            field=f"{where}.{key}" if where else key,
            suggestion=meant[0] if meant else "",
        )
        if len(near) == 1:  # exactly one near match: renaming the key is a safe fix
            found = replace(found, fix=rename_key(entity.source, key_node, meant[0]))
        yield found


@dataclass(frozen=True)
class _Vocabulary:
    names: frozenset[str] | None
    """The fields a mapping may have (None: the schema does not describe a mapping)."""
    nested: dict[str, Any]
    """Fields whose values have a vocabulary of their own (mappings, lists of mappings)."""
    items: Any
    suggest: Suggester


_KNOWN_ONLY: dict[tuple[int, bool], tuple[Any, Callable[[Any], bool]]] = {}
"""By the id of a schema node and ``report_all``, kept with the node (as :data:`_VOCABULARIES`)."""


def _only_known(schema: Any, report_all: bool) -> Callable[[Any], bool]:
    """A quick test that :func:`_unknown_in` would find nothing in a value of ``schema``: True
    when every mapping in it holds only fields its schema defines, or (unless ``report_all``)
    fields that are no near miss of one (so a clean row costs one set comparison per mapping,
    and no finding or position is ever made for it). False means "look closer"."""
    key = (id(schema), report_all)
    if key in _KNOWN_ONLY:
        return _KNOWN_ONLY[key][1]
    vocab = _vocabulary(schema)
    test: Callable[[Any], bool] = _anything
    if vocab is not None and _may_report(vocab):
        test = _known_test(vocab, report_all)
    _KNOWN_ONLY[key] = (schema, test)
    return test


def _anything(value: Any) -> bool:
    return True


def _may_report(vocab: _Vocabulary) -> bool:
    """Whether some value could hold an unknown field under this vocabulary."""
    if vocab.names is not None:
        return True
    inner = _vocabulary(vocab.items) if vocab.items is not None else None
    return inner is not None and _may_report(inner)


def _known_test(vocab: _Vocabulary, report_all: bool) -> Callable[[Any], bool]:
    names = vocab.names
    suggest = vocab.suggest
    items = _only_known(vocab.items, report_all) if vocab.items is not None else _anything
    deep = tuple(
        (name, inner, _flat_names(sub))
        for name, sub in vocab.nested.items()
        if (inner := _only_known(sub, report_all)) is not _anything
    )

    def test(value: Any) -> bool:
        if isinstance(value, list):
            for element in value:  # noqa: SIM110 - no generator frame per element
                if not items(element):
                    return False
            return True
        if names is None or not isinstance(value, dict):
            return True
        if not names.issuperset(value):
            for key in value:  # in the order written, as _unknown_in asks for suggestions
                # a field reported: with report_all any, else a near miss of a defined field
                if key not in names and isinstance(key, str) and (report_all or suggest(key, 2)):
                    return False
        for name, inner, flat in deep:
            nested = value.get(name)
            if nested is None:
                continue
            if flat is not None and type(nested) is dict and flat.issuperset(nested):
                continue  # a mapping of known fields with nothing nested: no call needed
            if not inner(nested):
                return False
        return True

    return test


def _flat_names(schema: Any) -> frozenset[str] | None:
    """The fields of a mapping schema with no vocabulary nested in it (a mapping holding only
    those fields is then known clean by one set comparison); None for any other schema."""
    vocab = _vocabulary(schema)
    if vocab is None or vocab.names is None or vocab.nested or vocab.items is not None:
        return None
    return vocab.names


_VOCABULARIES: dict[int, tuple[Any, _Vocabulary | None]] = {}
"""By the id of a schema node, kept with the node (so that the id is never reused)."""


def _vocabulary(schema: Any) -> _Vocabulary | None:
    """The field names a schema node defines, computed once per node."""
    key = id(schema)
    if key in _VOCABULARIES:
        return _VOCABULARIES[key][1]
    vocab: _Vocabulary | None = None
    if isinstance(schema, dict):
        props = schema.get("properties")
        items = schema.get("items")
        names = frozenset(props) if isinstance(props, dict) else None
        nested = {
            k: sub
            for k, sub in (props or {}).items()
            if isinstance(sub, dict) and ("properties" in sub or isinstance(sub.get("items"), dict))
        }
        vocab = _Vocabulary(
            names,
            nested,
            items if isinstance(items, dict) else None,
            Suggester(names or ()),
        )
    _VOCABULARIES[key] = (schema, vocab)
    return vocab


SIGNATURE_HEAD_BYTES = 4096
"""How much of a signature file is read to see whether it says it is a placeholder."""


def placeholders(ctx: Context, params: Params) -> Iterator[Finding]:
    """Placeholder values and files (``policylint/placeholder``; vocabulary in
    :mod:`policylint.placeholders`): one finding per document or register item, at its first
    placeholder value, naming every field that holds one; and a signature file that says it is
    a placeholder, at the ``signature`` field. Fields listed in ``judged_by_items``
    (``kind.field``) are left to the item check that judges them (a policy's signature:
    II.1.1.1/policy-approved)."""
    judged = {f for f in params.get("judged_by_items", ()) if isinstance(f, str)}
    clear: set[str] = set()
    for entity in _all_entities(ctx):
        if entity.quiet or not may_hold(entity.data, clear):
            continue
        fields = [
            path
            for path, value in _strings(entity.data, ())
            if is_placeholder(value) and f"{entity.kind}.{path[0]}" not in judged
        ]
        if fields:
            yield finding(
                entity,
                "values",
                entity.loc(*fields[0]),
                fields=[_dotted(p) for p in fields],
                count=len(fields),
            )
    for doc in ctx.repo.documents:
        signature = doc.text("signature")
        if signature is None or is_placeholder(signature) or not _is_path(signature.strip()):
            continue
        head = _read_head(ctx, signature.strip())
        if head is not None and is_placeholder_file(head):
            yield finding(doc, "signature-file", doc.loc("signature"), file=signature.strip())


def _strings(
    value: Any, path: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, (*path, str(k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, (*path, i))


def _dotted(path: tuple[str | int, ...]) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out


def _read_head(ctx: Context, rel: str) -> str | None:
    """The beginning of a repository file as text (None: outside the root, missing, not a
    regular file or unreadable: ``policy-approved`` reports those)."""
    root = ctx.root.resolve()
    try:
        target = (root / rel).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            return None
        with open(target, "rb") as fh:
            data = fh.read(SIGNATURE_HEAD_BYTES)
    except (OSError, RuntimeError, ValueError):
        return None
    return data.decode("utf-8", errors="replace")
