"""The loader keeps positions and values as written, and turns bad input into findings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from policylint.loader import LazyItems, node_at, parse_yaml, read_source, split_front_matter


def test_plain_scalars_follow_yaml_1_2_and_keep_what_was_written() -> None:
    result = parse_yaml(
        "a: yes\nb: no\nc: 1:30\nd: 2026-04-01\ne: 010\nf: 1.10\ng: true\nh: 12\ni: ~\nj: '5'\n"
    )
    assert result.problem is None
    assert result.value == {
        "a": "yes",
        "b": "no",
        "c": "1:30",
        "d": "2026-04-01",
        "e": "010",
        "f": 1.1,
        "g": True,
        "h": 12,
        "i": None,
        "j": "5",
    }


def test_duplicate_keys_are_reported_and_the_last_value_kept() -> None:
    result = parse_yaml("a: 1\nb: 2\na: 3\n")
    assert result.value == {"a": 3, "b": 2}
    [(first, second, key)] = result.duplicates
    assert (key, first.start_mark.line, second.start_mark.line) == ("a", 0, 2)


@pytest.mark.parametrize(
    "text",
    [
        "x: !!python/object:os.system ls\n",
        "x: !custom 1\n",
        "x: !!binary aGVsbG8=\n",
        "x: !!set {a, b}\n",
    ],
)
def test_non_standard_tags_are_refused(text: str) -> None:
    problem = parse_yaml(text).problem
    assert problem is not None and problem.key == "tag"


def test_alias_bomb_is_refused_without_expanding() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, name = chr(96 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    problem = parse_yaml("\n".join(lines)).problem
    assert problem is not None and problem.key == "alias-bomb"


def test_small_aliases_and_merge_keys_work() -> None:
    result = parse_yaml("base: &b {x: 1, y: 2}\nitem:\n  <<: *b\n  y: 3\n")
    assert result.value["item"] == {"x": 1, "y": 3}


def test_deep_nesting_is_refused_before_the_composer_can_crash() -> None:
    problem = parse_yaml("a: " + "[" * 50_000 + "]" * 50_000).problem
    assert problem is not None and problem.key == "too-deep"


def test_front_matter_split_counts_lines() -> None:
    split = split_front_matter("---\nkind: policy\n---\n# Title\n")
    assert split == ("kind: policy\n", "# Title\n", 4)
    assert split_front_matter("# no front matter\n") is None
    assert split_front_matter("---\nkind: policy\n") == 1


def test_bom_and_crlf_do_not_move_lines(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes(
        "\ufeff---\r\nkind: policy\r\nid: p\r\nx: 1\r\nx: 2\r\n---\r\n# T\r\n".encode()
    )
    src = read_source(tmp_path, "a.md")
    [dup] = src.findings
    assert (dup.check_id, dup.finding.location.line, dup.finding.location.column) == (
        "policylint/duplicate-key",
        5,
        1,
    )
    assert src.headings()[0].line == 7


@pytest.mark.parametrize(
    ("content", "key", "line"),
    [
        (b"---\nkind: policy\n", "unterminated-front-matter", 1),
        (b"---\n- a\n- b\n---\n", "front-matter-not-mapping", 2),
        (b"---\nkind: [\n---\n", "syntax", 3),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary", 1),
        (b"---\nkind: policy\ntitle: \xff\xfe\n---\n", "encoding", 3),
    ],
)
def test_bad_markdown_files_become_findings(
    tmp_path: Path, content: bytes, key: str, line: int
) -> None:
    (tmp_path / "bad.md").write_bytes(content)
    [f] = read_source(tmp_path, "bad.md").findings
    assert (f.check_id, f.finding.key, f.finding.location.line) == (
        "policylint/parse-error",
        key,
        line,
    )


def test_too_large_file_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "big.yaml").write_bytes(b"kind: assets\n" + b"#" * 2000)
    [f] = read_source(tmp_path, "big.yaml", max_bytes=1000).findings
    assert f.finding.key == "too-large"


def test_deep_block_nesting_beyond_pyyaml_own_limit_gets_our_message() -> None:
    text = "a:\n" + "".join(" " * i + "- \n" for i in range(1, 1500))
    problem = parse_yaml(text).problem
    assert problem is not None and problem.key == "too-deep"


def test_quoted_brackets_do_not_count_as_nesting() -> None:
    text = "a: '" + "[" * 2000 + "'\nb: \"" + "{" * 2000 + '"\n'
    result = parse_yaml(text)
    assert result.problem is None and result.value["a"] == "[" * 2000


_MD_LINES = [
    "# h1", "## h2 ##", "text", "", "", "- item", "- # in item", "* x", "* * *", "1. one",
    "2. two", "  indented", "    code", "```", "~~~", "```py", "> quote", "> # qh", "<div>",
    "</div>", "<!--", "-->", "<pre>", "</pre>", "===", "---", "  - nested", "+ plus",
    "#nospace", "   ### three", "\t# tab",
]  # fmt: skip


def test_headings_read_in_pieces_are_those_of_a_whole_parse(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Bodies are parsed in pieces (bounded memory); cutting them as small as possible, at every
    safe place, finds exactly the headings markdown-it finds in the whole body."""
    import random

    from markdown_it import MarkdownIt

    from policylint import loader

    def whole(body: str) -> list[tuple[int, str, int]]:
        tokens = MarkdownIt("commonmark").parse(body)
        return [
            (int(t.tag[1:]), tokens[i + 1].content.strip(), (t.map[0] if t.map else 0) + 5)
            for i, t in enumerate(tokens)
            if t.type == "heading_open"
        ]

    monkeypatch.setattr(loader, "PIECE", 1)
    monkeypatch.setattr(loader, "PIECE_MAX", 10**9)
    rng = random.Random(11)
    for _ in range(400):
        body = "\n".join(rng.choice(_MD_LINES) for _ in range(rng.randint(1, 80)))
        got = [(h.level, h.text, h.line) for h in loader.parse_headings(body, 5)]
        assert got == whole(body), body


_REGISTERS = {
    "indented, comments, keys after the items": (
        "kind: assets\nowner: cio\nitems:\n  - id: a\n    name: 名前（全角）\n    tags: [x, y]\n"
        "  # a comment\n\n  - id: b\n    note: |\n      - not an item\n      text\n    list:\n"
        "      - 1\n      - 2\n  -   id: c\n      x: {a: 1}\n"
        "# before the key\nlast_reviewed: 2026-01-01\n"
    ),
    "indentless, scalars and lists, no final newline": (
        "kind: assets\nitems:\n- id: a\n  x: 1\n- id: b\n  x: 'q'\n- \"a string\"\n- [1, 2]\n"
        "- id: c\n  y: >\n    folded\n    text"
    ),
    "document markers, trailing comments": (
        "---\nkind: people\nitems:\n  - id: a\n    roles: [r]\n  - id: b\n    # trailing\n\n"
        "# top\nowner: x\n...\n"
    ),
}


def _marks(node: Any, path: tuple[Any, ...] = ()) -> list[Any]:
    out: list[Any] = []
    stack = [(node, path)]
    while stack:
        n, p = stack.pop()
        s, e = n.start_mark, n.end_mark
        out.append((p, n.tag, getattr(n, "style", None), s.index, s.line, s.column))
        out.append((e.index, e.line, e.column))
        if isinstance(n, yaml.MappingNode):
            stack += [(v, (*p, k.value)) for k, v in n.value] + [
                (k, (*p, "key")) for k, _ in n.value
            ]
        elif isinstance(n, yaml.SequenceNode):
            stack += [(n.value[i], (*p, i)) for i in range(len(n.value))]
        else:
            out.append(n.value)
    return out


@pytest.mark.parametrize("text", list(_REGISTERS.values()), ids=list(_REGISTERS))
def test_a_register_composed_item_by_item_has_the_positions_of_the_whole_text(text: str) -> None:
    """A cached register's nodes are composed item by item, each from its own slice of the text:
    every mark, tag, style and value equals the whole text's, in whatever order items are read."""
    from policylint.loader import _ComposeLoader, _outlined_tree, outline_of

    outline = outline_of(parse_yaml(text).node, text)
    assert outline is not None
    tree = _outlined_tree(text, outline)
    assert tree is not None
    items = node_at(tree, ("items",))[0]
    assert isinstance(items, yaml.SequenceNode) and isinstance(items.value, LazyItems)
    last = items.value[-1]
    assert [i for i, _ in items.value.composed()] == [len(items.value) - 1]
    assert node_at(tree, ("items", len(items.value) - 1))[0] is last  # composed once
    assert _marks(tree) == _marks(yaml.compose(text, Loader=_ComposeLoader))


@pytest.mark.parametrize(
    "text",
    [
        "kind: a\nitems:\n  -\n    id: a\n  - id: b\n",  # an item below its dash
        "kind: a\nitems:\n  - &x {id: a}\n  - *x\n",  # an alias
        "kind: a\nitems: [{id: a}, {id: b}]\n",  # a flow sequence
        "kind: a\nitems:\n  - id: a\u2028  - id: b\n",  # an odd line break
        "  kind: a\n  items:\n  - id: a\n  - id: b\n  c: 1\n",  # the sequence ends mid-line
    ],
)
def test_a_register_that_cannot_be_cut_has_no_outline(text: str) -> None:
    from policylint.loader import outline_of

    result = parse_yaml(text)
    assert result.problem is None
    assert outline_of(result.node, text) is None


def test_a_cached_register_composes_only_the_item_a_position_is_wanted_for(tmp_path: Path) -> None:
    from policylint.cache import ParseCache
    from policylint.diagnostics import Location
    from policylint.model import build_part

    text = "kind: assets\nowner: cio\nitems:\n" + "".join(
        f"  - id: as-{i}\n    name: 資産 {i}\n    owner: cio\n" for i in range(50)
    )
    (tmp_path / "r.yaml").write_text(text, encoding="utf-8")
    cache = ParseCache(tmp_path / "cache")
    uncached = read_source(tmp_path, "r.yaml")
    read_source(tmp_path, "r.yaml", cache=cache)
    src = read_source(tmp_path, "r.yaml", cache=cache)
    assert (cache.hits, cache.misses) == (1, 1) and src.outline is not None
    part = build_part(src, dt.date(2026, 11, 1))
    entity = part.registers[0].items[37]
    assert entity.loc("name") == Location("r.yaml", 3 + 37 * 3 + 2, 11)
    items = node_at(src.node, ("items",))[0]
    assert items is not None and [i for i, _ in items.value.composed()] == [37]
    assert part.registers[0].loc() == Location("r.yaml", 1, 1)
    expected = build_part(uncached, dt.date(2026, 11, 1)).registers[0].items
    for i in (0, 37, 49):
        assert part.registers[0].items[i].loc("owner") == expected[i].loc("owner")


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 50_000 + "]" * 50_000,
        "a: " + "[" * 70 + "]" * 70,
        "a:\n" + "".join(" " * i + "- \n" for i in range(1, 1500)),
        "k: 1\nb:\n" + "".join(" " * i + "- \n" for i in range(1, 80)),
    ],
)
def test_too_deep_is_found_where_it_is_with_or_without_the_parsers_own_limit(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    """PyYAML >= 6.0.4 refuses to nest past a thousand levels itself, so the text is composed
    without an event pass first; an older PyYAML gets the pass. Both report the same place."""
    from policylint import loader

    def problem() -> tuple[str, int, int]:
        p = parse_yaml(text).problem
        assert p is not None
        mark = p.node.start_mark if p.node is not None else None
        return (p.key, mark.line if mark else p.line, mark.column if mark else p.col)

    limited = problem()
    monkeypatch.setattr(loader, "_parser_limits_nesting", lambda: False)
    assert problem() == limited and limited[0] == "too-deep"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        *[("+1", 1), ("-.5", -0.5), ("-.5e-3", "-.5e-3"), (".inf", ".inf"), ("+-", "+-")],
        *[("NULL", None), ("~", None), ("TRUE", True), ("fAlSe", False), ("nUll", "nUll")],
        *[("1e3", 1000.0), ("0x1F", "0x1F"), ("010", "010")],
    ],
)
def test_plain_scalars_that_start_like_numbers(text: str, value: Any) -> None:
    result = parse_yaml(f"a: {text}\n")
    assert result.value["a"] == value and type(result.value["a"]) is type(value)


def test_an_outline_that_does_not_fit_its_text_falls_back_to_the_whole_composition() -> None:
    """An entry's outline is checked as each item is composed: a start that is not where an
    item starts (a damaged or forged entry) composes the whole text instead, never wrong marks."""
    from policylint.loader import _ComposeLoader, _outlined_tree, outline_of

    text = _REGISTERS["indented, comments, keys after the items"]
    outline = outline_of(parse_yaml(text).node, text)
    assert outline is not None
    moved = (*outline[:4], outline[4] + 1, *outline[5:])  # item 1 starts a character later
    tree = _outlined_tree(text, moved)
    assert tree is not None
    items = node_at(tree, ("items",))[0]
    assert items is not None and items.value[1].start_mark.index == outline[4]
    assert _marks(tree) == _marks(yaml.compose(text, Loader=_ComposeLoader))


def test_past_a_sixteenth_of_a_large_register_the_rest_is_composed_at_once() -> None:
    from policylint.loader import _ComposeLoader, _outlined_tree, outline_of

    text = "kind: assets\nitems:\n" + "".join(f"  - id: a{i}\n    n: {i}\n" for i in range(1100))
    outline = outline_of(parse_yaml(text).node, text)
    assert outline is not None
    tree = _outlined_tree(text, outline)
    items = node_at(tree, ("items",))[0]
    assert items is not None
    for i in range(0, 1100, 16):  # 69 items wanted: one by one up to 68, then all at once
        assert items.value[i].value[0][1].value == f"a{i}"
    assert len(list(items.value.composed())) == 1100
    assert _marks(tree) == _marks(yaml.compose(text, Loader=_ComposeLoader))
