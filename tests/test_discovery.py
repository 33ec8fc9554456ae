"""include/exclude globs: their meaning, and a cost bounded by the path and the pattern."""

from __future__ import annotations

import time

import pytest

from policylint.discovery import glob_match, matches


@pytest.mark.parametrize(
    ("rel", "pattern", "wanted"),
    [
        ("drafts/x.md", "drafts/", True),
        ("drafts/x.md", "drafts", True),  # a folder by its name
        ("drafts/", "drafts", True),  # the folder itself (discovery asks about folders)
        ("draftsx/x.md", "draft", False),  # a folder matches whole, not a prefix of its name
        ("sub/drafts/x.md", "drafts/", False),  # a pattern with "/" starts at the root
        ("sub/drafts/x.md", "**/drafts/", True),
        ("drafts/x.md", "**/drafts/", True),  # **/ also matches no folder at all
        ("a/b/c.md", "a/**/c.md", True),
        ("a/c.md", "a/**/c.md", True),
        ("a/b/c.md", "a/*.md", False),  # * stays within one name
        ("a/c.md", "./a/*.md", True),
        ("x/README.md", "README.md", True),  # a pattern without "/" matches the name anywhere
        ("a/b.md", "*.md", True),
        ("x/README.md", "[Rr]EADME.md", True),
        ("x/readme.md", "[!r]eadme.md", False),
        ("a/b.md", "a?b.md", False),  # ? is not "/"
        ("a/b/c/d.md", "**", True),
        ("a/b/c/d.md", "**/b/*.md", False),
        ("x/aab.md", "x/*a*a*b.md", True),
        ("a/x/archive/y.md", "**/archive/**", True),
        ("archive/y.md", "**/archive/**", True),
        ("a/archived/y.md", "**/archive/**", False),
        ("a/b.tmp.md", "*.tmp.md", True),
    ],
)
def test_glob_meaning(rel: str, pattern: str, wanted: bool) -> None:
    assert matches(rel, [pattern]) is wanted


def test_a_backtracking_glob_is_linear() -> None:
    """``x/*a*a*…*b.md`` against a long name of ``a``s takes seconds with a backtracking regular
    expression (times about 9 per extra ``*a``); the automaton takes a step per character.
    Generous bound: no timed benchmark, only a guard against exponential time."""
    name = "x/" + "a" * 4000 + ".md"
    pattern = "x/" + "*a" * 200 + "*b.md"
    t0 = time.perf_counter()
    assert not glob_match(name, pattern)
    assert matches("x/" + "a" * 60 + "b.md", ["x/" + "*a" * 30 + "*b.md"])
    assert not matches(name, ["**/" * 100 + "*a" * 100 + "*b.md"])
    assert time.perf_counter() - t0 < 5
