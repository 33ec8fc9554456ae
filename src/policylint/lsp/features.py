"""What hover, completion and go to definition answer, from the session's model and the text.

The text may be half-typed and unparseable: the position's context (the field, the fields
above it, the kind of the file) is read from the lines themselves, by indentation, and the
answers come from the schemas of the kinds, the rule pack and the last good model.
Explanations are the ``policylint explain`` texts (:mod:`policylint.cli.rules`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from policylint.cli.rules import explain_check, explain_item, explain_kind, kind_field_schema
from policylint.incremental import Session
from policylint.model import Entity
from policylint.rulepack import Item, normalise_item_id
from policylint.validate import known_kinds

_KEY = re.compile(r"^(\s*)((?:-\s+)*)([^\s#:][^:#]*?)\s*:(?:\s|$)")
_DASHES = re.compile(r"^(\s*)((?:-\s+)+)")
_TOKEN = re.compile(r"[^\s\[\]{},:\"'#]+")
_CHECK_ID = re.compile(r"(?:[IⅡ]{1,2}(?:\.\d+){1,3}|[A-Za-z][\w.-]*)/[a-z0-9][a-z0-9-]*")
_ITEM_ID = re.compile(r"[IⅡ]{1,2}(?:\.\d+){1,3}|A\.\d+(?:\.\d+)*")

REF_KINDS: dict[str, tuple[str, ...]] = {
    "person": ("people",),
    "role": ("roles",),
    "party": ("roles", "people"),
    "external-party": ("external-parties",),
    "asset": ("assets",),
    "contract": ("contract",),
    "level": ("classification-scheme",),
}
"""The kinds whose ids a reference target names (``x-ref`` of the schemas, ``targets`` of the
rule pack's reference checks)."""


@dataclass
class Spot:
    """Where the cursor is: the file's kind, the fields above, the field of the line, and
    whether the cursor is on the key or in the value (with the token under it)."""

    kind: str | None
    path: list[str]
    key: str | None
    on_key: bool
    token: str
    token_start: int
    token_end: int
    prefix: str
    """What is typed before the cursor in the token (completion filters on it)."""


def yaml_lines(lines: Sequence[str], markdown: bool) -> tuple[int, int]:
    """The range of lines that hold YAML: the whole file, or a Markdown file's front matter."""
    if not markdown:
        return 0, len(lines)
    if not lines or lines[0].strip() != "---":
        return 0, 0
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return 1, i
    return 1, len(lines)


def file_kind(lines: Sequence[str], start: int, end: int) -> str | None:
    for i in range(start, end):
        m = re.match(r"kind:\s*['\"]?([\w-]+)", lines[i])
        if m:
            return m[1]
    return None


def _indent_and_key(line: str) -> tuple[int, int, str | None]:
    """(indent of the line, indent of its content after ``- ``, its key or None)."""
    m = _KEY.match(line)
    if m:
        return len(m[1]), len(m[1]) + len(m[2]), m[3].strip()
    d = _DASHES.match(line)
    if d:
        return len(d[1]), len(d[1]) + len(d[2]), None
    return len(line) - len(line.lstrip(" ")), len(line) - len(line.lstrip(" ")), None


def spot_at(lines: Sequence[str], line: int, col: int, markdown: bool) -> Spot | None:
    start, end = yaml_lines(lines, markdown)
    if not start <= line < max(end, start + 1) or line >= len(lines):
        return None
    text = lines[line]
    indent, content, key = _indent_and_key(text)
    # the fields above, found by indentation (a "- " line opens an element of a list)
    path: list[str] = []
    cur = content if text.strip() else col
    if text.strip() and content != indent:  # the line opens an element of a list itself
        path.append("*")
        cur = indent
    for i in range(line - 1, start - 1, -1):
        if cur == 0:
            break
        above = lines[i]
        if not above.strip() or above.lstrip().startswith("#"):
            continue
        ind, cont, k = _indent_and_key(above)
        if cont != ind and ind < cur:  # "- " at a lower indentation: inside that element
            if k is not None and cont < cur and above.rstrip().endswith(":"):
                path.append(k)  # "- cia:" then deeper lines: inside that field
            path.append("*")
            cur = ind
        elif k is not None and ind < cur:
            path.append(k)
            cur = ind
    path.reverse()
    colon = text.find(":", content) if key is not None else -1
    on_key = (key is None and ":" not in text[content:col]) or (key is not None and col <= colon)
    token, t0, t1 = "", col, col
    for m in _TOKEN.finditer(text):
        if m.start() <= col <= m.end():
            token, t0, t1 = m[0], m.start(), m.end()
            break
    return Spot(
        kind=file_kind(lines, start, end),
        path=path,
        key=key,
        on_key=on_key,
        token=token,
        token_start=t0,
        token_end=t1,
        prefix=text[t0:col] if t0 <= col else "",
    )


def _field_path(spot: Spot, name: str | None) -> str:
    """The dotted field path within an entity (a register's ``items.*`` dropped)."""
    steps = [s for s in spot.path if s != "*"]
    if steps[:1] == ["items"]:
        steps = steps[1:]
    if name:
        steps.append(name)
    return ".".join(steps)


# ---------------------------------------------------------------------------------------------
# hover


def hover(session: Session, spot: Spot) -> str | None:
    pack, lang = session.pack, session.lang
    token = spot.token.strip()
    if spot.on_key and spot.key and spot.kind:
        return explain_kind(pack, spot.kind, _field_path(spot, spot.key), lang)
    if spot.key == "kind" and token:
        return explain_kind(pack, token, "", lang)
    if _CHECK_ID.fullmatch(token):
        check = pack.check(_normal_check(token))
        if check is not None:
            return explain_check(pack, check, lang)
    if _ITEM_ID.fullmatch(token):
        item = pack.items.get(normalise_item_id(token))
        if isinstance(item, Item):
            return explain_item(pack, item, lang)
    entity = session.repo.by_id.get(token) if token else None
    if entity is not None:
        return describe(entity)
    return None


def _normal_check(token: str) -> str:
    head, _, slug = token.partition("/")
    return f"{normalise_item_id(head)}/{slug}"


def describe(entity: Entity) -> str:
    name = entity.text("name") or entity.text("title") or ""
    loc = entity.loc("id")
    head = f"{entity.id}  ({entity.kind})"
    return f"{head}\n{name}\n{loc.path}:{loc.line}".replace("\n\n", "\n")


# ---------------------------------------------------------------------------------------------
# go to definition


def definition(session: Session, spot: Spot) -> Entity | None:
    if spot.on_key or not spot.token:
        return None
    return session.repo.by_id.get(spot.token)


# ---------------------------------------------------------------------------------------------
# completion


@dataclass(frozen=True)
class Suggestion:
    label: str
    detail: str
    what: str  # "kind", "field" or "id"


def ref_targets(session: Session, kind: str, field_path: str) -> tuple[str, ...]:
    """The kinds whose ids the field takes: its schema's ``x-ref``, else the targets of the
    rule pack's reference checks on that field."""
    found = kind_field_schema(kind, field_path)
    if found is not None and isinstance(found[1], dict):
        sub = found[1]
        ref = sub.get("x-ref") or (sub.get("items") or {}).get("x-ref")
        if isinstance(ref, str):
            return REF_KINDS.get(ref, (ref,)) if ref != "any" else ("*",)
    name = field_path.rsplit(".", 1)[-1]
    out: list[str] = []
    for check in session.pack.all_checks():
        for step in check.steps:
            kinds = step.params.get("kind", ())
            kinds = (kinds,) if isinstance(kinds, str) else tuple(kinds)
            if kind in kinds and step.params.get("field") == name and "targets" in step.params:
                for target in step.params["targets"]:
                    out.extend(REF_KINDS.get(target, (target,)))
    return tuple(dict.fromkeys(out))


def complete(session: Session, spot: Spot, markdown: bool, limit: int = 200) -> list[Suggestion]:
    prefix = spot.prefix.lower()
    if spot.key == "kind" and not spot.on_key:
        out = []
        for kind in known_kinds():
            found = kind_field_schema(kind)
            if found is None:
                continue
            schema = found[0]
            is_register = "items" in (schema.get("properties") or {})
            if is_register != markdown and kind.startswith(prefix):
                out.append(Suggestion(kind, str(schema.get("title", "")), "kind"))
        return out
    if spot.kind is None:
        return []
    if spot.on_key:
        found = kind_field_schema(spot.kind, _field_path(spot, None))
        if found is None:
            return []
        node = found[1] if found[1] is not None else found[0]
        if found[1] is None and spot.path[:2] == ["items", "*"]:
            node = (found[0].get("properties") or {}).get("items", {}).get("items", {})
        if isinstance(node, dict) and "properties" not in node:
            node = node.get("items") if isinstance(node.get("items"), dict) else node
        props = node.get("properties") if isinstance(node, dict) else None
        if not isinstance(props, dict):
            return []
        return [
            Suggestion(name, str(sub.get("description", "")), "field")
            for name, sub in props.items()
            if name.lower().startswith(prefix) and isinstance(sub, dict)
        ]
    name = spot.key
    path = _field_path(spot, name) if name else _field_path(spot, None)
    if not path:
        return []
    targets = ref_targets(session, spot.kind, path)
    if not targets:
        return []
    repo = session.repo
    if targets == ("*",):
        pool: list[Entity] = list(repo.by_id.values())
    else:
        pool = [e for k in targets for e in repo.entities_of(k)]
    out = []
    for entity in pool:
        ident = entity.id
        if ident is None or prefix not in ident.lower():
            continue
        label = entity.text("name") or entity.text("title") or ""
        out.append(Suggestion(ident, f"{entity.kind}: {label}" if label else entity.kind, "id"))
        if len(out) >= limit:
            break
    return out
