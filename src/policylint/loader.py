"""Reading files: bytes → text → YAML values with positions, Markdown front matter and body.

Every YAML value keeps its position through the composed node tree: values are constructed from the
same nodes that PyYAML's C composer produced, and positions are looked up in those nodes only when a
diagnostic needs one. Nothing here raises for bad input: problems become :class:`LoadFinding`s.

Scalars follow YAML 1.2-like rules (see docs/architecture.md): ``true``/``false`` are booleans,
decimal numbers are numbers, ``null``/``~``/empty is ``None``; anything else, including dates,
``yes``, ``no``, ``1:30`` and ``010``, stays the string the author wrote.
Only standard tags are accepted.
"""

from __future__ import annotations

import bisect
import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, SupportsIndex, overload

import yaml

from policylint.diagnostics import Finding, LoadFinding, Location, printable

if TYPE_CHECKING:
    from policylint.cache import ParseCache

try:  # PyYAML's C loader is several times faster; fall back to pure Python where it is missing.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_DEPTH = 64
"""Deepest nesting accepted in a YAML value (governance files need a handful of levels)."""
ALIAS_ALLOWANCE = 10_000
"""Nodes a YAML text may expand to through aliases beyond one per character of its text.

An alias-free text has at most about one node per character, so this bound keeps aliases from
making a file costlier to check than an alias-free file of similar size: it defeats "billion
laughs" and also the milder fan-outs that would multiply the schema errors of a 20 KB file into
a million diagnostics."""
DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024

_T = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ, _MERGE = _T + "str", _T + "map", _T + "seq", _T + "merge"
_PLAIN = "policylint:plain"
"""Tag our resolver gives untagged plain scalars: we resolve their text ourselves."""
_RESOLVABLE = frozenset(_T + t for t in ("int", "float", "bool", "null", "timestamp"))
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]{0,30})")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+(?:\.[0-9]*)?[eE][-+]?[0-9]+)")
_DEEP_BLOCK = re.compile(r"^[ \t?-]{1000,}", re.M)
_NUMBER_START = frozenset("0123456789+-.")
"""The first characters of every text that :data:`_INT` or :data:`_FLOAT` match."""


class _ComposeLoader(_Loader):
    """The C loader with a trivial tag resolver.

    PyYAML calls ``resolve`` in Python for every scalar to apply YAML 1.1's implicit types; we
    construct scalars from their text with our own rules, so the resolver only has to say
    "plain" or "quoted". That alone saves about a third of the composing time.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return _PLAIN if implicit[0] else _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    # the composer calls these for every node; there are no path resolvers to track
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


Format = Literal["markdown", "yaml"]

Outline = tuple[int, ...]
"""``(end, end_line, start_0, line_0, start_1, line_1, …)``: the index and 0-based line where a
register's ``items`` sequence ends, and where each of its items starts (the item's own node, after
its ``- ``) in the YAML text. See :func:`outline_of`."""


@dataclass(slots=True)
class Heading:
    level: int
    text: str
    line: int
    lead: str = ""  # the first paragraph under the heading (before any sub-heading)


class HeadingsStore(Protocol):
    """Where the headings of a file's Markdown body are kept between runs (the parse cache)."""

    def load(self) -> list[Heading] | None: ...

    def save(self, headings: list[Heading]) -> None: ...


class LineMap:
    """Where the lines of a node tree stand in its file, once edits that added or removed lines
    were applied to parts of the tree without composing the whole text again (the language
    server's edit of one item of a large register, see ``incremental.Session``).

    The marks of the nodes keep the lines they were composed with ("tree lines"); this map turns
    a tree line into the file's line when a position is wanted, so that an edit moves the tens
    of thousands of marks after it by changing a few numbers here instead of every mark. The map
    is a list of ranges of tree lines, each moved by its own number of lines: the text as first
    composed is the range from 0, and each item composed again after an edit gets a range of its
    own, after every tree line used so far (:meth:`place`)."""

    __slots__ = ("_free", "_moves", "_starts")

    def __init__(self, lines: int) -> None:
        self._starts = [0]  # the first tree line of each range, in order
        self._moves = [0]  # how many lines each range is moved by
        self._free = lines + 2  # tree lines from here on are unused (marks reach one past the end)

    def __len__(self) -> int:
        return len(self._starts)

    def line(self, tree_line: int) -> int:
        """The 0-based line of the file where a mark on ``tree_line`` stands."""
        k = bisect.bisect_right(self._starts, tree_line) - 1
        return tree_line + self._moves[k] if k >= 0 else tree_line

    def move(self, at: int, delta: int) -> None:
        """Every mark standing on file line ``at`` or after it moves by ``delta`` lines."""
        starts: list[int] = []
        moves: list[int] = []

        def add(start: int, move: int) -> None:
            if not moves or moves[-1] != move:  # else the same move as the range before it
                starts.append(start)
                moves.append(move)

        ends = [*self._starts[1:], self._free]
        for start, end, move in zip(self._starts, ends, self._moves, strict=True):
            if start + move >= at:
                add(start, move + delta)
            elif end + move > at:  # the range reaches ``at``: split it there
                add(start, move)
                add(at - move, move + delta)
            else:
                add(start, move)
        self._starts, self._moves = starts, moves

    def place(self, lines: int, at: int) -> int:
        """Tree lines for a node tree of ``lines`` lines (its marks on lines 0 to ``lines``)
        that stands from file line ``at``: the first of them (add it to the tree's marks)."""
        base = self._free
        self._free += lines + 1
        if self._moves[-1] != at - base:
            self._starts.append(base)
            self._moves.append(at - base)
        return base


@dataclass(eq=False, slots=True)
class SourceFile:
    """One file as read: its YAML value and node tree (front matter for Markdown) and its body."""

    path: str
    format: Format
    value: Any = None
    _node: yaml.Node | None = None
    line_offset: int = 0
    body: str = ""
    body_line: int = 1
    findings: list[LoadFinding] = field(default_factory=list)
    unfenced_front_matter: bool = False
    """Markdown that starts with ``key: value`` lines closed by ``---`` but has no opening
    ``---`` (front matter written for another tool): a hint for users adopting policylint."""
    _headings: list[Heading] | None = None
    odd_breaks: str | None = None
    """The YAML text, when it holds U+0085, U+2028 or U+2029: YAML counts them as line breaks,
    editors and diagnostics do not, so marks are translated to physical lines (see _physical)."""
    yaml_text: str | None = None
    """The YAML text whose node tree is composed on first use (a file whose value came from the
    parse cache: positions are needed only where a finding is reported)."""
    outline: Outline | None = None
    """Where the items of a register stand in ``yaml_text`` (see :func:`outline_of`): its node
    tree is then composed item by item, only the items whose positions are wanted."""
    yaml_bytes: bytes | None = None
    """The bytes of a YAML file whose value came from the parse cache: decoded into
    ``yaml_text`` only when a position in it is wanted (most registers never need one)."""
    headings_store: HeadingsStore | None = None
    """Where this body's headings were kept by an earlier run (the parse cache), if anywhere."""
    loud: tuple[int, ...] | None = None
    """Which of the file's entities might hold a placeholder, when the parse cache knows (see
    :func:`policylint.placeholders.loud_entities`); None: not known, every one is looked at."""
    line_map: LineMap | None = None
    """Where the lines of the node tree's marks stand in the text, after the language server
    applied edits that added or removed lines to one item at a time (None: where they say)."""

    @property
    def node(self) -> yaml.Node | None:
        """The YAML node tree, for positions (composed again from the text when not kept)."""
        if self._node is None and self.yaml_bytes is not None:
            text = decode(self.yaml_bytes)
            self.yaml_bytes = None
            if isinstance(text, str):  # it decoded before: it parsed to the cached value
                self.yaml_text = text
                if has_odd_breaks(text):
                    self.odd_breaks = text
        if self._node is None and self.yaml_text is not None:
            # the text parsed before (its value came from the cache): the nodes alone will do
            text, outline = self.yaml_text, self.outline
            self.yaml_text = self.outline = None
            self._node = None if outline is None else _outlined_tree(text, outline)
            if self._node is None:
                self._node = _compose_quietly(text)
        return self._node

    @node.setter
    def node(self, node: yaml.Node | None) -> None:
        self._node, self.yaml_text, self.outline, self.yaml_bytes = node, None, None, None

    def location(self, node: yaml.Node | None) -> Location:
        if node is None:
            return Location(self.path, 1 + self.line_offset if self.line_offset else 1, 1)
        mark = node.start_mark
        return self.location_of_mark(mark.line, mark.column)

    def location_of_mark(self, line: int, col: int) -> Location:
        """The file position of a 0-based YAML mark (of the front matter, for Markdown)."""
        if self.line_map is not None:
            line = self.line_map.line(line)
        if self.odd_breaks is not None:
            line, col = _physical(self.odd_breaks, line, col)
        return Location(self.path, line + 1 + self.line_offset, col + 1)

    def add(self, check_id: str, location: Location, key: str = "default", **args: Any) -> None:
        self.findings.append(LoadFinding(check_id, Finding(location, key, args)))

    def headings(self) -> list[Heading]:
        """The Markdown body's headings, parsed with markdown-it-py on first use and kept (also
        in the parse cache, when the file came through it)."""
        if self._headings is None:
            store = self.headings_store
            found = store.load() if store is not None else None
            if found is None:  # markdown-it is imported only here
                found = parse_headings(self.body, self.body_line)
                if store is not None:
                    store.save(found)
            self._headings = found
        return self._headings


class YamlProblem(Exception):
    """A YAML file that cannot be turned into values; carries a message key and a position."""

    def __init__(
        self, key: str, node: yaml.Node | None = None, line: int = 0, col: int = 0, **args: Any
    ) -> None:
        super().__init__(key)
        self.key = key
        self.node = node
        self.line = line
        self.col = col
        self.details = args


# --------------------------------------------------------------------------------------------
# YAML values from nodes


def _scalar(node: yaml.ScalarNode) -> Any:
    tag, text = node.tag, node.value
    if tag == _STR:
        return text
    if tag == _PLAIN or tag in _RESOLVABLE:
        if len(text) <= 5:
            if text in _NULLS:
                return None
            low = text.lower()
            if low == "true":
                return True
            if low == "false":
                return False
        if text[:1] not in _NUMBER_START:
            return text  # most scalars: no number starts so (and no regex needs to say it)
        if _INT.fullmatch(text):
            return int(text)
        if len(text) < 40 and _FLOAT.fullmatch(text):
            return float(text)
        return text
    raise YamlProblem("tag", node, tag=tag)


class _Builder:
    """Constructs plain Python values from a node tree, reporting duplicate keys.

    ``careful`` mode (when the text may contain anchors) memoises collections so an alias is built
    once, counts the nodes an alias would expand to, and detects recursive aliases.
    """

    def __init__(self, careful: bool, budget: int = ALIAS_ALLOWANCE) -> None:
        self.careful = careful
        self.budget = budget
        self.duplicates: list[tuple[yaml.Node, yaml.Node, str]] = []
        self.memo: dict[int, tuple[Any, int]] = {}
        self.active: set[int] = set()

    def build(self, node: yaml.Node, depth: int = 0) -> tuple[Any, int]:
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node), 1
        if depth >= MAX_DEPTH:
            raise YamlProblem("too-deep", node, limit=MAX_DEPTH)
        if self.careful:
            key = id(node)
            if key in self.memo:
                return self.memo[key]
            if key in self.active:
                raise YamlProblem("recursive-alias", node)
            self.active.add(key)
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP:
                raise YamlProblem("tag", node, tag=node.tag)
            result: tuple[Any, int] = self._mapping(node, depth)
        elif isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                raise YamlProblem("tag", node, tag=node.tag)
            items = []
            size = 1
            for child in node.value:
                value, n = self.build(child, depth + 1)
                items.append(value)
                size += n
            result = (items, size)
        else:  # pragma: no cover - the composer yields only the three node types
            raise YamlProblem("tag", node, tag=str(node.tag))
        if self.careful:
            self.active.discard(id(node))
            if result[1] > self.budget:
                raise YamlProblem("alias-bomb", node, limit=self.budget)
            self.memo[id(node)] = result
        return result

    def _mapping(self, node: yaml.MappingNode, depth: int) -> tuple[dict[str, Any], int]:
        out: dict[str, Any] = {}
        seen: dict[str, yaml.Node] = {}
        merged: dict[str, Any] = {}
        size = 1
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem("complex-key", key_node)
            if _is_merge(key_node):
                value, n = self.build(value_node, depth + 1)
                for part in value if isinstance(value, list) else [value]:
                    if not isinstance(part, dict):
                        raise YamlProblem("bad-merge", value_node)
                    for k, v in part.items():
                        merged.setdefault(k, v)
                size += n
                continue
            key = key_node.value
            if key_node.tag not in _KEY_TAGS:
                raise YamlProblem("tag", key_node, tag=key_node.tag)
            if key in seen:
                self.duplicates.append((seen[key], key_node, key))
            seen[key] = key_node
            value, n = self.build(value_node, depth + 1)
            out[key] = value
            size += n
        for k, v in merged.items():
            out.setdefault(k, v)
        return out, size


_KEY_TAGS = frozenset((_PLAIN, _STR, *_RESOLVABLE))


def _is_merge(key: yaml.Node) -> bool:
    return key.tag == _MERGE or (key.tag == _PLAIN and key.value == "<<")


def _fast(node: yaml.Node, depth: int, dups: list[tuple[yaml.Node, yaml.Node, str]]) -> Any:
    """Build values from a tree without aliases: no memo, no size accounting (the hot path)."""
    cls = type(node)
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if depth >= MAX_DEPTH:
        raise YamlProblem("too-deep", node, limit=MAX_DEPTH)
    if cls is yaml.MappingNode:
        if node.tag != _MAP:
            raise YamlProblem("tag", node, tag=node.tag)
        out: dict[str, Any] = {}
        merged: list[Any] = []
        for k, v in node.value:
            if type(k) is not yaml.ScalarNode:
                raise YamlProblem("complex-key", k)
            if k.tag not in _KEY_TAGS:
                raise YamlProblem("tag", k, tag=k.tag)
            key = k.value
            if key == "<<" and _is_merge(k):
                merged.append(_fast(v, depth + 1, dups))
                continue
            if key in out:
                first = next(n for n, _ in node.value if n.value == key)
                dups.append((first, k, key))
            out[key] = _scalar(v) if type(v) is yaml.ScalarNode else _fast(v, depth + 1, dups)
        for value in merged:
            for part in value if isinstance(value, list) else [value]:
                if not isinstance(part, dict):
                    raise YamlProblem("bad-merge", node)
                for mk, mv in part.items():
                    out.setdefault(mk, mv)
        return out
    if cls is yaml.SequenceNode:
        if node.tag != _SEQ:
            raise YamlProblem("tag", node, tag=node.tag)
        return [
            _scalar(c) if type(c) is yaml.ScalarNode else _fast(c, depth + 1, dups)
            for c in node.value
        ]
    raise YamlProblem("tag", node, tag=str(node.tag))  # pragma: no cover


def _too_deep_to_compose(text: str) -> tuple[int, int] | None:
    """Where (0-based line, column) the text nests deeper than MAX_DEPTH, when it might nest
    deeper than PyYAML's recursive composer can take (``None``: not too deep, or too shallow).

    Nesting depth is bounded by the flow brackets plus the longest run of indentation and block
    indicators at the start of a line; only when that bound is large do we count depth exactly
    from the (iterative) event stream.
    """
    if text.count("[") + text.count("{") < 1000 and not _DEEP_BLOCK.search(text):
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    return (mark.line, mark.column) if mark is not None else (0, 0)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        # PyYAML >= 6.0.4 refuses nesting beyond its own (much higher) limit while it scans
        # ahead, before it yields the event that crosses ours: the text is too deep either way.
        if "nesting depth" not in str(exc.problem):
            return None  # another syntax error: the composer reports it
        mark = exc.problem_mark
        return _flow_too_deep(text) or ((mark.line, mark.column) if mark else (0, 0))
    return None


def _flow_too_deep(text: str) -> tuple[int, int] | None:
    """Where flow brackets (outside quotes and comments) first nest deeper than MAX_DEPTH."""
    depth, line, col, quote, comment = 0, 0, 0, "", False
    prev = "\n"
    for ch in text:
        if ch == "\n":
            line, col, comment, prev = line + 1, 0, False, ch
            continue
        if comment:
            pass
        elif quote:
            if ch == quote and not (quote == '"' and prev == "\\"):
                quote = ""
        elif ch == "#" and prev in " \t\n":
            comment = True
        elif ch in "'\"" and prev in " \t\n[{,:":
            quote = ch
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return (line, col)
        elif ch in "]}":
            depth = max(0, depth - 1)
        prev, col = ch, col + 1
    return None


@dataclass(slots=True)
class YamlResult:
    value: Any = None
    node: yaml.Node | None = None
    duplicates: list[tuple[yaml.Node, yaml.Node, str]] = field(default_factory=list)
    problem: YamlProblem | None = None


@cache
def _parser_limits_nesting() -> bool:
    """Whether this PyYAML refuses to nest deeper than it can compose (PyYAML >= 6.0.4 does, at
    a thousand levels): then any text composes safely, and nesting deeper than MAX_DEPTH is
    found while constructing values, with no event pass over the whole text first."""
    try:
        yaml.compose("[" * 20_000, Loader=_ComposeLoader)
    except yaml.MarkedYAMLError as exc:
        return "nesting depth" in str(exc.problem)
    except (yaml.YAMLError, RecursionError):
        return False
    return False  # pragma: no cover - a text with no closing bracket never composes


def _too_deep(text: str, mark: Any = None) -> YamlResult:
    deep = _too_deep_to_compose(text) or ((mark.line, mark.column) if mark else (0, 0))
    return YamlResult(problem=YamlProblem("too-deep", line=deep[0], col=deep[1], limit=MAX_DEPTH))


def parse_yaml(text: str) -> YamlResult:
    """Compose once with the C loader, then construct values from the same nodes."""
    try:
        if not _parser_limits_nesting() and _too_deep_to_compose(text) is not None:
            return _too_deep(text)  # the composer would recurse until it crashed
        node = yaml.compose(text, Loader=_ComposeLoader)  # compose never constructs objects
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in str(exc.problem):
            return _too_deep(text, exc.problem_mark)
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        return YamlResult(
            problem=YamlProblem(
                "syntax",
                line=mark.line if mark else 0,
                col=mark.column if mark else 0,
                detail=message or "invalid YAML",
            )
        )
    except yaml.reader.ReaderError as exc:  # a character YAML forbids: where it is
        pos = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        pos = pos if pos >= 0 else min(max(exc.position, 0), len(text))
        line = text.count("\n", 0, pos)
        col = pos - (text.rfind("\n", 0, pos) + 1)
        char = f"#x{exc.character:04x}" if isinstance(exc.character, int) else "?"
        return YamlResult(
            problem=YamlProblem("syntax", line=line, col=col, detail=f"{exc.reason} ({char})")
        )
    except (yaml.YAMLError, RecursionError) as exc:  # pragma: no cover - unmarked errors are rare
        return YamlResult(problem=YamlProblem("syntax", detail=str(exc).splitlines()[0]))
    if node is None:
        return YamlResult()
    dups: list[tuple[yaml.Node, yaml.Node, str]] = []
    try:
        if "&" in text or "*" in text:  # anchors possible: build carefully (alias bombs, cycles)
            builder = _Builder(careful=True, budget=ALIAS_ALLOWANCE + len(text))
            value, _ = builder.build(node)
            dups = builder.duplicates
        else:
            value = _fast(node, 0, dups)
    except YamlProblem as problem:
        return YamlResult(node=node, problem=problem)
    except RecursionError:  # pragma: no cover - MAX_DEPTH keeps us far from the limit
        return YamlResult(node=node, problem=YamlProblem("too-deep", node, limit=MAX_DEPTH))
    return YamlResult(value, node, dups)


def node_at(node: yaml.Node | None, path: Sequence[str | int]) -> tuple[yaml.Node | None, int]:
    """The node at ``path`` below ``node`` and how many path steps were found.

    When the full path does not exist, the deepest existing node is returned, so a diagnostic about
    a missing field points at the mapping that should hold it.
    """
    found = 0
    for step in path:
        nxt = None
        if isinstance(node, yaml.MappingNode):
            nxt = _lookup(node, str(step))
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(step, int)
            and 0 <= step < len(node.value)
        ):
            nxt = node.value[step]
        if nxt is None:
            break
        node, found = nxt, found + 1
    return node, found


def _lookup(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    result: yaml.Node | None = None
    merges = []
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode):
            if _is_merge(k):
                merges.append(v)
            elif k.value == key:
                result = v  # the last duplicate wins, as in the value
    if result is not None:
        return result
    for m in merges:
        for part in m.value if isinstance(m, yaml.SequenceNode) else [m]:
            if isinstance(part, yaml.MappingNode):
                found = _lookup(part, key)
                if found is not None:
                    return found
    return None


def key_node_of(node: yaml.Node | None, key: str) -> yaml.Node | None:
    """The key node of ``key`` in a mapping node (for pointing at a field name)."""
    if isinstance(node, yaml.MappingNode):
        for k, _ in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                found: yaml.Node = k
                return found
    return None


# --------------------------------------------------------------------------------------------
# Composing a register item by item (positions of a file whose value came from the parse cache)

_ENTRY = re.compile(r"[ ]*-[ \t]+")
"""What stands on an item's line before the item: indentation and its block sequence entry."""


def outline_of(node: yaml.Node | None, text: str) -> Outline | None:
    """Where the items of a register stand in its YAML ``text`` (``node`` composed from it), when
    each item can be composed alone, from its own slice of the text, with exactly the positions
    the whole text gives it: a block sequence under the one top-level ``items`` key, each item on
    its own ``- `` line, the sequence ending at a line start or at the end of the text, and no
    alias, directive or odd line break in the text. ``None`` otherwise (composed whole then).

    Recorded when a file is parsed for the parse cache, so that a later run that needs a position
    in a 5 MB register composes its head and one item, not the whole file (see
    :func:`_outlined_tree`)."""
    if not isinstance(node, yaml.MappingNode) or has_odd_breaks(text):
        return None
    if text.startswith("%") or "\n%" in text:  # a directive could change what a tag means
        return None
    found = [v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == "items"]
    if len(found) != 1 or any(_is_merge(k) for k, _ in node.value):
        return None
    seq = found[0]
    if not isinstance(seq, yaml.SequenceNode) or seq.flow_style or len(seq.value) < 2:
        return None
    end = seq.end_mark
    if end.index != len(text) and (end.column != 0 or text[end.index - 1 : end.index] != "\n"):
        return None
    if ("&" in text or "*" in text) and _has_alias(node):
        return None  # an item alone could not resolve an alias to another part of the text
    out = [end.index, end.line]
    for item in seq.value:
        mark = item.start_mark
        if mark.column > mark.index or not _ENTRY.fullmatch(
            text, mark.index - mark.column, mark.index
        ):
            return None
        out += (mark.index, mark.line)
    return tuple(out)


def _has_alias(root: yaml.Node) -> bool:
    """Whether a node tree reaches some node twice (an alias)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack += (k, v)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return False


def _compose_quietly(text: str) -> yaml.Node | None:
    try:
        node: yaml.Node | None = yaml.compose(text, Loader=_ComposeLoader)
    except (yaml.YAMLError, RecursionError):  # it parsed before; only a forged entry gets here
        return None
    return node


def _move(root: yaml.Node, at: int, index: int, line: int) -> None:
    """Shift the marks at or after index ``at`` in a tree by ``index`` characters and ``line``
    lines (the columns stay: both ends of the cut are line starts)."""
    stack = [root]
    while stack:
        node = stack.pop()
        for name in ("start_mark", "end_mark"):
            m = getattr(node, name)
            if m is not None and m.index >= at:
                setattr(
                    node,
                    name,
                    yaml.Mark(
                        m.name, m.index + index, m.line + line, m.column, m.buffer, m.pointer
                    ),
                )
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack += (k, v)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _outlined_tree(text: str, outline: Outline) -> yaml.Node | None:
    """The node tree of a register, with its head composed now and each item on first use.

    The head is the text without the lines of items 1 to n-1 (a text as short as the file's
    header and first item); its marks after the cut are moved back to where they stand in the
    whole text. Its ``items`` sequence node then holds :class:`LazyItems`. ``None``: the outline
    does not fit this text (compose it whole)."""
    end, end_line = outline[0], outline[1]
    starts, lines = outline[2::2], outline[3::2]
    cut = _line_start(text, starts[1])
    root = _compose_quietly(text[:cut] + text[end:])
    if not isinstance(root, yaml.MappingNode):
        return None
    seq = _lookup(root, "items")
    if not isinstance(seq, yaml.SequenceNode) or len(seq.value) != 1:
        return None
    if seq.value[0].start_mark.index != starts[0]:
        return None
    _move(root, cut, end - cut, end_line - lines[1])
    seq.value = LazyItems(text, outline)
    return root


class LazyItems(list[yaml.Node]):
    """The item nodes of a register's ``items`` sequence, each composed from its own slice of the
    text when it is first looked up (``seq.value[i]``), with the positions the whole text gives.

    Iterating composes what is missing (from the whole text at once); :meth:`composed` walks
    only the items already composed (what a node found in the tree can belong to)."""

    __slots__ = ("_alone", "_outline", "_text")

    def __init__(self, text: str, outline: Outline) -> None:
        super().__init__([None] * (len(outline) // 2 - 1))  # type: ignore[list-item]
        self._text = text
        self._outline = outline
        self._alone = 0  # items composed one by one so far

    @overload
    def __getitem__(self, i: SupportsIndex) -> yaml.Node: ...

    @overload
    def __getitem__(self, i: slice) -> list[yaml.Node]: ...

    def __getitem__(self, i: SupportsIndex | slice) -> yaml.Node | list[yaml.Node]:
        if isinstance(i, slice):
            self._fill()
            return list.__getitem__(self, i)
        node = list.__getitem__(self, i)
        if node is None:
            k = i.__index__()
            k = k + len(self) if k < 0 else k
            self._alone += 1
            # one by one, an item costs about twice its share of a whole composition: past a
            # sixteenth of the items, composing the rest at once is cheaper
            one = self._item(k) if self._alone <= max(64, len(self) >> 4) else None
            if one is None:
                self._fill()
                node = list.__getitem__(self, k)
            else:
                list.__setitem__(self, k, node := one)
        return node

    def __iter__(self) -> Iterator[yaml.Node]:
        self._fill()
        return list.__iter__(self)

    def __reversed__(self) -> Iterator[yaml.Node]:
        self._fill()
        return list.__reversed__(self)

    def composed(self) -> Iterator[tuple[int, yaml.Node]]:
        """(index, node) of the items composed so far."""
        for i, node in enumerate(list.__iter__(self)):
            if node is not None:
                yield i, node

    def _item(self, i: int) -> yaml.Node | None:
        text, outline = self._text, self._outline
        start, line = outline[2 + 2 * i], outline[3 + 2 * i]
        last = 2 * i + 4 >= len(outline)
        stop = outline[0] if last else outline[4 + 2 * i]
        cut = _line_start(text, start)
        if start - cut > 1024 or not _ENTRY.fullmatch(text, cut, start):
            return None
        root = _compose_quietly(text[cut:stop])
        if not isinstance(root, yaml.SequenceNode) or len(root.value) != (1 if last else 2):
            return None
        item: yaml.Node = root.value[0]
        if item.start_mark.index + cut != start:
            return None
        _move(item, 0, cut, line)
        return item

    def _fill(self) -> None:
        if all(node is not None for node in list.__iter__(self)):
            return
        root = _compose_quietly(self._text)
        seq = _lookup(root, "items") if isinstance(root, yaml.MappingNode) else None
        nodes = seq.value if isinstance(seq, yaml.SequenceNode) else []
        for i, node in enumerate(list.__iter__(self)):
            if node is not None:
                continue
            if i < len(nodes):
                list.__setitem__(self, i, nodes[i])
            else:  # pragma: no cover - only an entry policylint did not write gets here
                start, line = self._outline[2 + 2 * i], self._outline[3 + 2 * i]
                mark = yaml.Mark(
                    "", start, line, start - _line_start(self._text, start), None, None
                )
                list.__setitem__(self, i, yaml.ScalarNode(_STR, "", mark, mark))


# --------------------------------------------------------------------------------------------
# Files


def decode(data: bytes) -> str | tuple[str, int, int]:
    """UTF-8 text with BOM dropped and line endings normalised, or (reason, line, column)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return ("utf16", 1, 1)  # UTF-16/32 with a byte order mark: a text in the wrong encoding
    if b"\x00" in data[:8192]:
        return ("binary", 1, 1)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return ("encoding", line, col)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


_FENCE = re.compile(r"---[ \t]*")
_CLOSE = re.compile(r"(?:---|\.\.\.)[ \t]*")


def split_front_matter(text: str) -> tuple[str, str, int] | int | None:
    """Split ``---`` front matter from a Markdown text.

    Returns ``(yaml_text, body, body_first_line)``, ``None`` when the text has no front matter,
    or the line number of the opening fence when the front matter is never closed.
    """
    first, _, rest = text.partition("\n")
    if not _FENCE.fullmatch(first):
        return None
    pos = 0
    line_no = 2
    while True:
        end = rest.find("\n", pos)
        line = rest[pos:] if end < 0 else rest[pos:end]
        if _CLOSE.fullmatch(line):
            body = "" if end < 0 else rest[end + 1 :]
            return rest[:pos], body, line_no + 1
        if end < 0:
            return 1
        pos = end + 1
        line_no += 1


_KEY_LINE = re.compile(r"[A-Za-z_][\w-]*:(?:\s|$)")


def looks_like_unfenced_front_matter(text: str) -> bool:
    """``name: …`` on the first line and a ``---`` line soon after, but no opening fence."""
    lines = text.split("\n", 60)[:60]
    return bool(lines and _KEY_LINE.match(lines[0])) and any(
        _FENCE.fullmatch(line) for line in lines[1:]
    )


PIECE = 1 << 14
"""A Markdown body is parsed in pieces of at least this many characters (:func:`parse_headings`)."""
PIECE_MAX = 1 << 16
"""A piece that grows beyond this many characters is cut at the next line that starts in column 1
even where no cut is known to be safe."""
_SAFE_CUT = re.compile(r"\n[ \t]*\n(?=[^ \t\n])|\n([-*+])[ \t]+\S[^\n]*\n(?=\1[ \t]+\S)")
"""Where a piece may end (the end of the match): before a line that starts in column 1 after a
blank line, or before a list item that follows a list item with the same bullet."""
_ANY_CUT = re.compile(r"\n(?=[^ \t\n])(?!(?:=+|-+)[ \t]*(?:\n|$))")
"""Before any line that starts in column 1 and is not a setext underline."""
_MAYBE_HEADING = re.compile(r"[#`~<]|^[ \t>]*(?:=+|-+)[ \t]*$", re.M)
"""Text without any of these holds no heading (ATX ``#``, setext underline) and opens no code
fence or HTML block: a piece without them need not be parsed."""
_HTML_KINDS = (
    (
        re.compile(r" {0,3}<(?:script|pre|style|textarea)(?:[\s>]|$)", re.I),
        re.compile(r"</(?:script|pre|style|textarea)>", re.I),
    ),
    (re.compile(r" {0,3}<!--"), re.compile("-->")),
    (re.compile(r" {0,3}<\?"), re.compile(r"\?>")),
    (re.compile(r" {0,3}<!\[CDATA\["), re.compile(r"\]\]>")),
    (re.compile(r" {0,3}<![A-Za-z]"), re.compile(">")),
)
"""HTML blocks that run past blank lines: how they open, what closes them."""


def _open_block(tokens: list[Any], src: str) -> str | None:
    """The first line of a top-level code fence or HTML block that is still open at the end of
    ``src`` (``None``: none is), as markdown-it parsed it."""
    lines = src.count("\n") + (0 if src.endswith("\n") else 1)
    for tok in reversed(tokens):
        if tok.level != 0 or not tok.map:
            continue
        if tok.type not in ("fence", "html_block") or tok.map[1] < lines:
            return None
        start, stop = tok.map
        parts = src.split("\n", stop)
        first, last = parts[start], parts[stop - 1] if stop - 1 > start else ""
        if tok.type == "fence":
            mark = last.strip()
            closed = bool(mark) and mark.startswith(tok.markup) and not mark.strip(tok.markup[0])
        else:  # blocks that end at a blank line are open; the others until their end mark
            close = next((c for o, c in _HTML_KINDS if o.match(first)), None)
            closed = bool(last) and close is not None and close.search(last) is not None
        return None if closed else first
    return None


@cache
def _markdown() -> Any:
    from markdown_it import MarkdownIt  # imported lazily: only documents with sections need it

    md = MarkdownIt("commonmark")
    md.disable("inline")  # a heading's text is its inline source: no inline tokens are needed
    return md


def parse_headings(body: str, first_line: int) -> list[Heading]:
    """The headings of a Markdown body (CommonMark, as markdown-it-py parses it).

    The body is parsed in pieces of :data:`PIECE` to :data:`PIECE_MAX` characters, so the memory
    of a parse (markdown-it keeps several objects per line and per block) is bounded by the piece,
    not by the body. A piece ends before a line that starts in column 1 after a blank line, or
    before a list item that follows a list item with the same bullet: there, the two sides parsed
    alone have the same headings as parsed together, unless a code fence or an HTML block is still
    open, which the parse of the piece tells (the piece then grows). Past :data:`PIECE_MAX`, a
    piece is cut at the next line that starts in column 1 (not a setext underline); an open fence
    or HTML block is reopened in the next piece by its first line. Only a body with no safe cut in
    64 K characters is read differently from a whole parse, and only at such forced cuts.
    A piece with no ``#``, fence, ``<`` or underline line holds no heading and is not parsed.
    """
    md = _markdown()
    out: list[Heading] = []
    n = len(body)
    start = start_line = 0
    reopen = ""
    search = start + PIECE
    current: Heading | None = None
    while start < n:
        cut = n
        if search < n:
            m = _SAFE_CUT.search(body, search - 1, start + PIECE_MAX)
            if m is None:
                m = _ANY_CUT.search(body, max(search, start + PIECE_MAX) - 1)
            cut = m.end() if m is not None else n
        src = reopen + "\n" + body[start:cut] if reopen else body[start:cut]
        cut_line = start_line + body.count("\n", start, cut)
        if not reopen and not _MAYBE_HEADING.search(src):
            start, start_line, search = cut, cut_line, cut + PIECE
            continue
        tokens = md.parse(src)
        still_open = _open_block(tokens, src) if cut < n else None
        if still_open is not None and cut - start < PIECE_MAX:
            search = cut + 1  # inside a fence or HTML block: not a cut after all
            continue
        shift = first_line + start_line - (1 if reopen else 0)
        for i, tok in enumerate(tokens):
            if tok.type == "heading_open" and i + 1 < len(tokens):
                line = (tok.map[0] if tok.map else 0) + shift
                current = Heading(int(tok.tag[1:]), tokens[i + 1].content.strip(), line)
                out.append(current)
            elif (  # the first paragraph under the heading (its lead)
                current is not None
                and not current.lead
                and tok.type == "inline"
                and i > 0
                and tokens[i - 1].type == "paragraph_open"
            ):
                current.lead = tok.content.strip()
        start, start_line, reopen, search = cut, cut_line, still_open or "", cut + PIECE
    return out


def safe_path(rel: str) -> str:
    """``rel`` as printed (:func:`printable`): control, bidi and surrogate characters escaped, and
    colons that could pass for a location (``a:1:1: ERROR``) or start a CI command (``::``)."""
    return printable(rel)


class FileRefused(Exception):
    """A file :func:`read_bounded` does not read: ``key`` is ``not-a-file``, ``too-large`` or
    ``unreadable`` (the message keys of ``policylint/parse-error``), with their arguments."""

    def __init__(self, key: str, **args: Any) -> None:
        super().__init__(key)
        self.key = key
        self.args_ = args

    def describe(self, lang: str = "en") -> str:
        """What is wrong, to follow "the configuration file" (or "設定ファイルは") in a usage
        error about a file policylint reads for itself."""
        size, limit = self.args_.get("size"), self.args_.get("limit")
        detail = self.args_.get("detail", "")
        if lang == "ja":
            if self.key == "not-a-file":
                return "通常のファイルではない（パイプ・デバイスなど）ため読み込みません"
            if self.key == "too-large":
                return f"{size} バイトで上限 {limit} バイトを超えるため読み込みません"
            return f"読み取れません（{detail}）"
        if self.key == "not-a-file":
            return "is not a regular file (a pipe, socket or device); it is not read"
        if self.key == "too-large":
            return f"is {size} bytes, above the limit of {limit} bytes; it is not read"
        return f"cannot be read ({detail})"


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes: its type and size come from
    ``stat`` before it is opened (a FIFO would block, ``/dev/zero`` never end), and the read never
    goes past the size checked. Anything else raises :class:`FileRefused`."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused("not-a-file")
        if info.st_size > limit:
            raise FileRefused("too-large", size=info.st_size, limit=limit)
        with path.open("rb") as fh:
            data = fh.read(info.st_size)
            if fh.read(1):
                raise OSError(0, "the file grew while it was being read")
    except OSError as exc:
        raise FileRefused("unreadable", detail=exc.strerror or str(exc)) from None
    return data


def inside(root: Path, path: Path) -> bool:
    """Whether ``path`` (following links) resolves to a place inside ``root``."""
    try:
        return path.resolve(strict=True).is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return False


_YAML_NAME = re.compile(r"\.ya?ml(?:$|\.)")


def format_of(rel: str) -> Format:
    """A YAML file: ``*.yaml``, ``*.yml``, or a name ``include`` widened that holds them
    (``x.yaml.tmpl``); everything else read is Markdown (``*.md``, ``*.md.tmpl``)."""
    low = rel.lower()
    if low.endswith((".yaml", ".yml")):
        return "yaml"
    if not low.endswith(".md") and _YAML_NAME.search(low) is not None:
        return "yaml"
    return "markdown"


def read_source(
    root: Path, rel: str, max_bytes: int = DEFAULT_MAX_FILE_BYTES, cache: ParseCache | None = None
) -> SourceFile:
    """Read and parse one file; every problem becomes a finding on the returned object.

    With a ``cache``, a file whose exact bytes were parsed before by this version of policylint
    takes its value and findings from there (see :mod:`policylint.cache`)."""
    src, data = read_file(root, rel, max_bytes)
    if data is None:
        return src
    if cache is not None:
        return cache.parse(src, data)
    return parse_bytes(src, data)


def read_file(
    root: Path, rel: str, max_bytes: int = DEFAULT_MAX_FILE_BYTES
) -> tuple[SourceFile, bytes | None]:
    """The file's bytes, read once after the checks of its name, type and size (None: a
    finding on the returned source says why it was not read)."""
    fmt = format_of(rel)
    if safe_path(rel) != rel:  # never print it verbatim; never read it
        src = SourceFile(safe_path(rel), fmt)
        src.add("policylint/parse-error", Location(src.path), "unsafe-name")
        return src, None
    src = SourceFile(rel, fmt)
    path = os.path.join(root, rel)  # plain strings: pathlib costs more than the read of a file
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):  # a pipe or device would block or never end
            src.add("policylint/parse-error", Location(rel), "not-a-file")
            return src, None
        size = info.st_size
        if size > max_bytes:
            src.add(
                "policylint/parse-error", Location(rel), "too-large", size=size, limit=max_bytes
            )
            return src, None
        with open(path, "rb") as fh:
            data = fh.read(size)  # never more than the size checked above
            if fh.read(1):
                raise OSError(0, "the file grew while it was being read")
    except OSError as exc:
        src.add("policylint/parse-error", Location(rel), "unreadable", detail=exc.strerror or "")
        return src, None
    return src, data


def source_from_bytes(rel: str, data: bytes, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> SourceFile:
    """A file's content that is not read from disk (an editor's unsaved buffer), checked and
    parsed exactly as :func:`read_source` would check and parse the same bytes on disk."""
    fmt = format_of(rel)
    if safe_path(rel) != rel:
        src = SourceFile(safe_path(rel), fmt)
        src.add("policylint/parse-error", Location(src.path), "unsafe-name")
        return src
    src = SourceFile(rel, fmt)
    if len(data) > max_bytes:
        src.add(
            "policylint/parse-error", Location(rel), "too-large", size=len(data), limit=max_bytes
        )
        return src
    return parse_bytes(src, data)


def parse_bytes(src: SourceFile, data: bytes) -> SourceFile:
    """Decode and parse the bytes of ``src``'s file into it."""
    text = decode(data)
    if isinstance(text, tuple):
        reason, line, col = text
        src.add("policylint/parse-error", Location(src.path, line, col), reason)
        return src
    return parse_text(src.path, text, src)


def parse_text(rel: str, text: str, src: SourceFile | None = None) -> SourceFile:
    """Parse the decoded text of the file ``rel`` (YAML, or Markdown with front matter)."""
    if src is None:
        src = SourceFile(rel, format_of(rel))
    yaml_text = frame(src, text)
    if yaml_text is not None:
        parse_into(src, yaml_text)
    return src


def frame(src: SourceFile, text: str) -> str | None:
    """Set the Markdown body of ``src`` apart; the YAML text to parse (None: there is none)."""
    if src.format != "markdown":
        return text
    split = split_front_matter(text)
    if split is None:
        src.unfenced_front_matter = looks_like_unfenced_front_matter(text)
        return None
    if isinstance(split, int):
        src.add("policylint/parse-error", Location(src.path, split, 1), "unterminated-front-matter")
        return None
    yaml_text, src.body, src.body_line = split
    src.line_offset = 1
    return yaml_text


_YAML_BREAKS = re.compile("[\n\x85\u2028\u2029]")


def _physical(text: str, line: int, col: int) -> tuple[int, int]:
    """A 0-based YAML mark (lines broken also at U+0085/U+2028/U+2029) as a 0-based line and
    column of the text broken at newlines only."""
    pos = 0
    if line > 0:
        for i, m in enumerate(_YAML_BREAKS.finditer(text), 1):
            pos = m.end()
            if i == line:
                break
    pos = min(pos + col, len(text))
    return text.count("\n", 0, pos), pos - (text.rfind("\n", 0, pos) + 1)


def _clamped(src: SourceFile, text: str, line: int, col: int) -> Location:
    """The location of a 0-based YAML mark, kept inside the file: an error at the end of the
    stream (an unclosed quote) is reported at the end of the last line, not on a line after it."""
    if src.odd_breaks is not None:
        line, col = _physical(text, line, col)
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    last = max(len(lines), 1) - 1
    if src.format == "markdown":
        last += 1  # the closing fence follows the front matter
    elif line > last:
        line, col = last, len(lines[last]) if lines else 0
    return Location(src.path, min(line, last) + 1 + src.line_offset, col + 1)


SPAN_BLOCK = 1 << 16
"""How many characters :func:`changed_span` compares at a time before it narrows down."""


def changed_span(old: str, new: str) -> tuple[int, int]:
    """Where ``new`` starts to differ from ``old``, and where (in ``new``) their common
    ending starts (never before the first): the span an edit replaced. Compared block by block,
    then by halving, as a register can be megabytes (the editor's session and the parse cache
    both ask it)."""
    n = min(len(old), len(new))
    start = 0
    while start < n and old[start : start + SPAN_BLOCK] == new[start : start + SPAN_BLOCK]:
        start += SPAN_BLOCK
    start = min(start, n)
    lo, hi = start, min(start + SPAN_BLOCK, n)
    while lo < hi:  # old[start:lo] == new[start:lo]; the first difference is in [lo, hi]
        mid = (lo + hi) // 2
        if old[lo : mid + 1] == new[lo : mid + 1]:
            lo = mid + 1
        else:
            hi = mid
    start = lo
    limit, lo_, ln = n - start, len(old), len(new)
    tail = 0
    while tail + SPAN_BLOCK <= limit and (
        old[lo_ - tail - SPAN_BLOCK : lo_ - tail] == new[ln - tail - SPAN_BLOCK : ln - tail]
    ):
        tail += SPAN_BLOCK
    lo, hi = tail, min(tail + SPAN_BLOCK, limit)
    while lo < hi:  # the last lo characters are the same; find the longest common ending
        mid = (lo + hi + 1) // 2
        if old[lo_ - mid : lo_ - lo] == new[ln - mid : ln - lo]:
            lo = mid
        else:
            hi = mid - 1
    return start, ln - lo


def has_odd_breaks(text: str) -> bool:
    return "\x85" in text or "\u2028" in text or "\u2029" in text


def parse_into(src: SourceFile, text: str) -> None:
    """Parse the YAML ``text`` (a register, or a document's front matter) into ``src``."""
    if has_odd_breaks(text):
        src.odd_breaks = text
    result = parse_yaml(text)
    problem = result.problem
    if problem is not None:
        if problem.node is not None:
            loc = src.location(problem.node)
        else:
            loc = _clamped(src, text, problem.line, problem.col)
        details = problem.details
        if problem.key == "tag":  # show the tag as written: !!python/object, not tag:yaml.org,...
            details = {**details, "tag": str(details.get("tag", "")).replace(_T, "!!", 1)}
        src.add("policylint/parse-error", loc, problem.key, **details)
        return
    src.node = result.node
    src.value = result.value
    for first, second, key in result.duplicates:
        src.add(
            "policylint/duplicate-key",
            src.location(second),
            name=key,
            first_line=src.location(first).line,
        )
    if src.node is not None and not isinstance(result.value, dict):
        if src.format == "markdown":
            src.add("policylint/parse-error", src.location(src.node), "front-matter-not-mapping")
        src.value = None
