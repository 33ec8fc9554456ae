"""Property-based tests: mutated and generated governance files never crash policylint.

Starting from the files of sample-repo, hypothesis flips and inserts bytes, deletes, duplicates
and re-indents lines, deletes keys and swaps values for values of other types, and writes random
YAML of every kind. Whatever it produces, checking the repository

- raises nothing,
- gives diagnostics that point inside their file (1 <= line <= lines of that file, column >= 1;
  repository-level findings point at the configuration file, or at no file),
- gives the same diagnostics when run again.

CI runs a bounded number of examples (``POLICYLINT_HYPOTHESIS_PROFILE=ci``, the default); a
longer run: ``POLICYLINT_HYPOTHESIS_PROFILE=long pytest tests/test_properties.py`` or
``bench/fuzz.sh``.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policylint.config import load_config
from policylint.engine import Result, lint
from policylint.errors import UsageError
from policylint.loader import parse_yaml, split_front_matter
from policylint.rulepack import load_rulepack
from policylint.validate import known_kinds

from conftest import SAMPLE, SAMPLE_AS_OF

_PROFILES = {
    "ci": settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=False,
    ),
    "long": settings(max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck)),
}
PROFILE = _PROFILES[os.environ.get("POLICYLINT_HYPOTHESIS_PROFILE", "ci")]

FILES = sorted(
    p.relative_to(SAMPLE).as_posix()
    for p in SAMPLE.rglob("*")
    if p.is_file() and p.suffix in (".md", ".yaml", ".yml")
)
GOVERNANCE = [f for f in FILES if f != "policylint.yaml" and not f.endswith("README.md")]


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One copy of sample-repo shared by all examples; each example restores what it changed."""
    root = tmp_path_factory.mktemp("props") / "repo"
    shutil.copytree(SAMPLE, root)
    yield root


def check(root: Path) -> Result:
    config = load_config(root)
    return lint(root, config, load_rulepack(config.framework), SAMPLE_AS_OF, "en")


def line_count(data: bytes) -> int:
    text = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if text.startswith(b"\xef\xbb\xbf"):
        text = text[3:]
    return max(1, len(text.split(b"\n")) - (1 if text.endswith(b"\n") else 0))


def assert_sound(root: Path, result: Result) -> None:
    """Every diagnostic points inside its file, and a second run gives the same output."""
    for d in result.diagnostics:
        if d.path is None:  # a repository-level finding, no configuration file to point at
            assert result.repo.anchor is None and (d.line, d.column) == (0, 0), d
            continue
        assert d.column >= 1 and d.line >= 1, d
        path = root / d.path
        assert path.exists() or path.is_symlink(), d  # never a file that does not exist
        if path.is_symlink() or not path.is_file():
            assert d.line == 1, d
            continue
        assert d.line <= line_count(path.read_bytes()), (d, path.read_bytes()[-200:])
    again = check(root)
    assert [astuple(d) for d in again.diagnostics] == [astuple(d) for d in result.diagnostics]


def astuple(d: Any) -> tuple[Any, ...]:
    return (d.path, d.line, d.column, d.check_id, d.severity, d.message, d.hint, d.suppressed_by)


def mutated(root: Path, rel: str, data: bytes) -> Result | None:
    """Check the repository with ``rel`` replaced by ``data`` (restored afterwards)."""
    path = root / rel
    original = path.read_bytes() if path.exists() else None
    path.write_bytes(data)
    try:
        try:
            result = check(root)
        except UsageError as exc:
            # only a broken configuration is a usage error (exit 2), said in one line
            assert rel == "policylint.yaml" and "\n" not in str(exc), exc
            return None
        assert_sound(root, result)
        return result
    finally:
        if original is None:
            path.unlink()
        else:
            path.write_bytes(original)


# ---------------------------------------------------------------------------------------------
# strategies

ODD_TEXT = st.sampled_from(
    [
        "",
        "~",
        "null",
        "no",
        "yes",
        "on",
        "1:30",
        "010",
        "0x1F",
        "1.10",
        ".inf",
        "-.nan",
        "2026-02-30",
        "9999-12-31",
        "0001-01-01",
        "2026-04-01T00:00:00",
        "令和8年4月1日",
        "100000000000000000000",
        "-1",
        "&a",
        "*a",
        "!!python/object",
        "<<",
        "- x",
        "{a: 1}",
        "[",
        "'",
        '"',
        "#",
        "---",
        "...",
        "\t",
        "\u202e",
        "\x1b[2K",
        "../../etc/passwd",
        "/etc/passwd",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**25), max_value=10**25),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    ODD_TEXT,
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(dt.date.isoformat),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=12), ODD_TEXT), inner, max_size=4),
    ),
    max_leaves=12,
)


def dump(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=10_000)


def paths_of(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += paths_of(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += paths_of(v, (*prefix, i))
    return out


def parts(rel: str, data: bytes) -> tuple[Any, str, str]:
    """The YAML value of a sample file, and the text around it (front matter fences and body)."""
    text = data.decode("utf-8")
    if rel.endswith(".md"):
        split = split_front_matter(text)
        assert isinstance(split, tuple)
        return parse_yaml(split[0]).value, "---\n", "---\n" + split[1]
    return parse_yaml(text).value, "", ""


# ---------------------------------------------------------------------------------------------
# properties


@PROFILE
@given(
    rel=st.sampled_from(FILES),
    edits=st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=1),
            st.sampled_from(["flip", "insert", "delete"]),
            st.binary(min_size=1, max_size=4),
        ),
        min_size=1,
        max_size=6,
    ),
)
def test_random_byte_edits(work: Path, rel: str, edits: list[tuple[float, str, bytes]]) -> None:
    data = bytearray((SAMPLE / rel).read_bytes())
    for where, op, blob in edits:
        pos = int(where * len(data))
        if op == "flip" and data:
            pos = min(pos, len(data) - 1)
            data[pos] ^= blob[0] or 1
        elif op == "insert":
            data[pos:pos] = blob
        else:
            del data[pos : pos + len(blob)]
    mutated(work, rel, bytes(data))


@PROFILE
@given(
    rel=st.sampled_from(FILES),
    edits=st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=1),
            st.sampled_from(["delete", "duplicate", "swap", "indent", "dedent", "insert"]),
            st.one_of(ODD_TEXT, st.text(max_size=20)),
        ),
        min_size=1,
        max_size=5,
    ),
    crlf=st.booleans(),
    bom=st.booleans(),
)
def test_random_line_edits(
    work: Path, rel: str, edits: list[tuple[float, str, str]], crlf: bool, bom: bool
) -> None:
    lines = (SAMPLE / rel).read_text(encoding="utf-8").split("\n")
    for where, op, text in edits:
        i = min(int(where * len(lines)), len(lines) - 1)
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif op == "indent":
            lines[i] = "  " + lines[i]
        elif op == "dedent":
            lines[i] = lines[i][2:] if lines[i].startswith("  ") else lines[i].lstrip()
        else:
            lines.insert(i, text)
        if not lines:
            lines = [""]
    text = ("\ufeff" if bom else "") + ("\r\n" if crlf else "\n").join(lines)
    mutated(work, rel, text.encode("utf-8", "surrogatepass"))


@PROFILE
@given(
    rel=st.sampled_from(GOVERNANCE),
    data=st.data(),
)
def test_key_deletions_and_type_swaps(work: Path, rel: str, data: st.DataObject) -> None:
    value, head, tail = parts(rel, (SAMPLE / rel).read_bytes())
    targets = paths_of(value)
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        if not targets:
            break
        path = data.draw(st.sampled_from(targets))
        parent: Any = value
        for step in path[:-1]:
            parent = parent[step] if isinstance(parent, (dict, list)) else None
        last = path[-1]
        if isinstance(parent, dict) and last in parent:
            if data.draw(st.booleans()):
                del parent[last]
            else:
                parent[last] = data.draw(VALUES)
        elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
            parent[last] = data.draw(VALUES)
        targets = paths_of(value)
    mutated(work, rel, (head + dump(value) + tail).encode("utf-8", "surrogatepass"))


@PROFILE
@given(
    kind=st.sampled_from(known_kinds()),
    markdown=st.booleans(),
    fields=st.dictionaries(st.text(max_size=20), VALUES, max_size=8),
    items=st.lists(st.dictionaries(st.text(max_size=20), VALUES, max_size=6), max_size=4),
    body=st.text(max_size=200),
)
def test_random_yaml_of_every_kind(
    work: Path,
    kind: str,
    markdown: bool,
    fields: dict[str, Any],
    items: list[dict[str, Any]],
    body: str,
) -> None:
    value: dict[str, Any] = {**fields, "kind": kind, "id": "generated-id"}
    if not markdown:
        value["items"] = items
    text = dump(value)
    rel = "generated.md" if markdown else "generated.yaml"
    data = ("---\n" + text + "---\n" + body) if markdown else text
    mutated(work, rel, data.encode("utf-8", "surrogatepass"))
