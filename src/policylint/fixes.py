"""Safe fixes: mechanical, meaning-preserving edits that a finding can carry.

A check that knows the one right correction attaches a :class:`Fix` to its finding: the exact
span of the file to replace and the text to put there, plus what the value must read after the
edit. ``policylint fix`` applies them, ``check`` says which findings have one (text, JSON
``fix``, SARIF ``fixes``), and the language server offers them as code actions: one computation,
three users.

Only spans change: comments, key order, quoting of other values and every other byte of the
file stay as they were. Before a fix is written, the file is parsed again and its whole value
compared with the value it should have (:func:`expected_value`); a fix that would change
anything else is refused.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import yaml

from policylint.diagnostics import printable
from policylint.loader import LazyItems, SourceFile

PathStep = str | int


@dataclass(frozen=True, slots=True)
class TextEdit:
    """Replace ``old`` at 1-based (line, column) to (end_line, end_column) with ``new``."""

    line: int
    column: int
    end_line: int
    end_column: int
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class Fix:
    """One safe fix: an edit of one file, and what it does to the file's value.

    ``path`` is the place in the file's YAML value (front matter for Markdown); ``rename`` is
    the new key name when the edit renames the key at ``path``, else ``value`` is the new value
    found at ``path`` after the edit."""

    file: str
    edit: TextEdit
    path: tuple[PathStep, ...]
    value: Any = None
    rename: str | None = None

    def moved(self, path: str, after: int, delta: int) -> Fix:
        """This fix once the lines of ``path`` after line ``after`` moved by ``delta`` (see
        :meth:`policylint.diagnostics.Finding.moved`)."""
        e = self.edit
        if self.file != path or e.line <= after:
            return self
        return replace(self, edit=replace(e, line=e.line + delta, end_line=e.end_line + delta))


def path_of(root: yaml.Node | None, target: yaml.Node) -> tuple[PathStep, ...] | None:
    """Where ``target`` (a value node, or a key node) stands in the value of ``root``."""
    stack: list[tuple[yaml.Node, tuple[PathStep, ...]]] = [(root, ())] if root is not None else []
    while stack:
        node, path = stack.pop()
        if node is target:
            return path
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if not isinstance(k, yaml.ScalarNode):
                    continue
                if k is target:
                    return (*path, k.value)
                stack.append((v, (*path, k.value)))
        elif isinstance(node, yaml.SequenceNode):
            items = node.value  # of a cached register: only the items composed hold the target
            pairs = items.composed() if isinstance(items, LazyItems) else enumerate(items)
            stack.extend((v, (*path, i)) for i, v in pairs)
    return None


def _one_line_fix(
    src: SourceFile, node: yaml.ScalarNode, old: str, new: str, value: Any, rename: str | None
) -> Fix | None:
    """The fix replacing the scalar ``node`` (written ``old``) by ``new``, when the node stands
    on one line at a place :func:`path_of` finds (not behind an alias or a merge)."""
    path = path_of(src.node, node)
    if path is None or src.odd_breaks is not None:
        return None
    start = src.location(node)
    end = src.location_of_mark(node.end_mark.line, node.end_mark.column)
    if start.line != end.line:
        return None
    edit = TextEdit(start.line, start.column, end.line, end.column, old, new)
    return Fix(src.path, edit, path, value=value, rename=rename)


def replace_scalar(src: SourceFile, node: yaml.Node | None, new_text: str) -> Fix | None:
    """A fix that writes ``new_text`` (read as that string) in place of the one-line scalar
    ``node``, keeping its quotes."""
    if not isinstance(node, yaml.ScalarNode) or node.style not in (None, "", '"', "'"):
        return None  # block scalars (| and >) are never rewritten
    quote = node.style or ""
    if quote and any(c in new_text for c in (quote, "\\")):
        return None
    old = f"{quote}{node.value}{quote}"
    return _one_line_fix(src, node, old, f"{quote}{new_text}{quote}", new_text, None)


def quote_scalar(src: SourceFile, node: yaml.Node | None) -> Fix | None:
    """A fix that quotes a plain scalar so that it is read as the string it was written as."""
    if not isinstance(node, yaml.ScalarNode) or node.style or '"' in node.value:
        return None
    return _one_line_fix(src, node, node.value, f'"{node.value}"', node.value, None)


def rename_key(src: SourceFile, key_node: yaml.Node | None, new_name: str) -> Fix | None:
    """A fix that renames the mapping key ``key_node`` (plain keys only) to ``new_name``."""
    if not isinstance(key_node, yaml.ScalarNode) or key_node.style:
        return None
    return _one_line_fix(src, key_node, key_node.value, new_name, None, new_name)


_DESCRIBE = {
    "en": "policylint fix can correct this: write {new} instead of {old}",
    "ja": "policylint fix で自動修正できます: {old} を {new} に書き換えます",
}


def describe(fix: Fix, lang: str) -> str:
    """One sentence saying that ``policylint fix`` applies this fix, and what it writes."""
    old, new = printable(fix.edit.old), printable(fix.edit.new)
    return _DESCRIBE.get(lang, _DESCRIBE["en"]).format(old=old, new=new)


# ------------------------------------------------------------------------------------------
# applying


def apply_edits(text: str, edits: Iterable[TextEdit]) -> str | None:
    """``text`` with the edits applied (None: an edit does not match the text or they overlap)."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)

    def offset(line: int, col: int) -> int | None:
        if not 1 <= line <= len(lines) or not 1 <= col <= len(lines[line - 1]) + 1:
            return None
        return starts[line - 1] + col - 1

    spans: list[tuple[int, int, str]] = []
    for e in edits:
        a, b = offset(e.line, e.column), offset(e.end_line, e.end_column)
        if a is None or b is None or text[a:b] != e.old:
            return None
        spans.append((a, b, e.new))
    spans.sort()
    for (_, b1, _), (a2, _, _) in itertools.pairwise(spans):
        if a2 < b1:
            return None
    for a, b, new in reversed(spans):
        text = text[:a] + new + text[b:]
    return text


def expected_value(value: Any, fixes: Sequence[Fix]) -> Any:
    """The file's value as it must read after ``fixes`` (renames keep the key's position)."""
    out = copy.deepcopy(value)
    for fix in fixes:
        *parents, last = fix.path
        holder = out
        for step in parents:
            holder = holder[step]
        if fix.rename is not None:
            holder_map: dict[str, Any] = holder
            items = list(holder_map.items())
            holder_map.clear()
            for k, v in items:
                holder_map[fix.rename if k == last else k] = v
        else:
            holder[last] = fix.value
    return out
