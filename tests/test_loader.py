"""The loader keeps positions and values as written, and turns bad input into findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from policylint.loader import parse_yaml, read_source, split_front_matter


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
