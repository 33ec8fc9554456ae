"""The parse cache: it skips work and never changes a result, and it never lives in the repository.

Runs are real processes of the command line with POLICYLINT_CACHE_DIR pointing at a folder of
the test's own; every comparison is of the whole JSON output of a cold, a warm and an uncached run.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ASSETS, POLICY, SAMPLE

HOSTILE = Path(__file__).resolve().parent / "hostile"


def run(repo: Path, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "POLICYLINT_CACHE_DIR": str(cache)}
    env.pop("POLICYLINT_NO_CACHE", None)
    return subprocess.run(
        [sys.executable, "-m", "policylint", "check", str(repo), "--as-of", "2026-11-01", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def entries(cache: Path) -> list[Path]:
    return sorted(cache.rglob("*.json"))


@pytest.fixture
def faulty(tmp_path: Path) -> Path:
    """sample-repo with faults whose positions must come out right from cached files."""
    repo = tmp_path / "repo"
    shutil.copytree(SAMPLE, repo)
    assets = repo / ASSETS
    text = assets.read_text(encoding="utf-8")
    text = text.replace("last_reviewed: 2026-10-09", "last_reviewed: 2025-01-09", 1)
    text = text.replace("owner: cio\n", "owner: nobody\n", 1)
    # faults in an item far down the register: its node is composed alone in a warm run
    text = text.replace(
        "    license: バックアップソフトウェア", "    licnse: バックアップソフトウェア", 1
    )
    # a placeholder nested in an item far down: the entry says which items to look at
    text = text.replace(
        "      return: 顧問税理士の閲覧権限は決算期ごとに見直す", "      return: TBD", 1
    )
    assets.write_text(text, encoding="utf-8")
    policy = repo / POLICY
    policy.write_text(
        policy.read_text(encoding="utf-8")
        .replace('version: "3.0"', "version: 3.0")
        .replace("title: 情報セキュリティ基本方針", "title: 情報セキュリティ基本方針（仮）"),
        encoding="utf-8",
    )
    for case in ("yaml-duplicate-key.yaml", "yaml-unicode-line-separators.yaml", "md-era-date.md"):
        shutil.copy(HOSTILE / "cases" / case, repo / case)
    return repo


def test_cold_warm_and_uncached_runs_give_the_same_document(faulty: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cold = run(faulty, cache, "--format", "json")
    assert cold.returncode == 1 and entries(cache)
    warm = run(faulty, cache, "--format", "json", "--stats")
    uncached = run(faulty, cache, "--format", "json", "--no-cache")
    assert cold.stdout == warm.stdout == uncached.stdout
    files = json.loads(cold.stdout)["summary"]["files_read"]
    [hits] = [
        line.split() for line in warm.stderr.splitlines() if line.startswith("policylint: cache")
    ]
    assert hits[3] == "hit(s)," and int(hits[2]) > files // 2
    assert hits[4] == "0"  # nothing parsed again (Markdown without front matter is no miss)
    lines = {(d["path"], d["line"], d["check"]) for d in json.loads(warm.stdout)["diagnostics"]}
    assert (POLICY, 6, "policylint/schema") in lines  # a position composed again on demand
    assert (POLICY, 4, "policylint/placeholder") in lines
    assert (ASSETS, 263, "policylint/placeholder") in lines
    [renamed] = [
        d for d in json.loads(warm.stdout)["diagnostics"] if d["path"] == ASSETS and d["fix"]
    ]
    assert (renamed["line"], renamed["fix"]["edits"][0]["new"]) == (128, "license")


def test_the_hostile_corpus_reads_the_same_from_the_cache(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(HOSTILE / "clean", repo)
    for case in sorted((HOSTILE / "cases").iterdir()):
        if case.is_file():
            shutil.copy(case, repo / case.name)
    cache = tmp_path / "cache"
    outputs = [run(repo, cache, "--format", "json").stdout for _ in range(2)]
    outputs.append(run(repo, cache, "--format", "json", "--no-cache").stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    assert json.loads(outputs[0])["diagnostics"]


def test_a_damaged_or_forged_entry_is_a_miss(faulty: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = run(faulty, cache, "--format", "json").stdout
    paths = entries(cache)
    paths[0].write_bytes(paths[0].read_bytes()[:-5])  # truncated: the digest no longer matches
    payload = b'{"key":"x","value":{"kind":"policy"},"node":false,"findings":[]}'
    digest = hashlib.sha256(payload).hexdigest().encode()
    paths[1].write_bytes(digest + b"\n" + payload)  # well-formed but not this file's key
    paths[2].unlink()
    paths[3].write_bytes(b"\x00\xff not json")
    assert run(faulty, cache, "--format", "json").stdout == first


def test_no_cache_writes_nothing_and_the_cache_is_never_inside_the_repository(
    faulty: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    assert run(faulty, cache, "--no-cache").returncode == 1
    assert not cache.exists()
    before = sorted(p.relative_to(faulty) for p in faulty.rglob("*"))
    inside = run(faulty, faulty / ".cache", "--lang", "en")
    assert inside.returncode == 1
    assert (
        f"policylint: the cache folder {faulty / '.cache'} is inside the checked repository: "
        "not using it" in inside.stderr
    )
    assert sorted(p.relative_to(faulty) for p in faulty.rglob("*")) == before


def test_the_key_changes_with_the_code_that_parses() -> None:
    from policylint.cache import ParseCache, code_fingerprint
    from policylint.loader import SourceFile

    src = SourceFile("a.yaml", "yaml")
    key = ParseCache.key(src, b"kind: assets\n")
    assert key == ParseCache.key(SourceFile("b/c.yaml", "yaml"), b"kind: assets\n")
    assert key != ParseCache.key(SourceFile("a.md", "markdown"), b"kind: assets\n")
    assert key != ParseCache.key(src, b"kind: assets \n")
    code_fingerprint.cache_clear()
    import policylint.cache as module

    path = Path(module.__file__)
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    try:
        code_fingerprint.cache_clear()
        assert ParseCache.key(src, b"kind: assets\n") != key  # an edited checkout misses
    finally:
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
        code_fingerprint.cache_clear()


def test_the_note_about_an_unusable_cache_folder_is_in_the_users_language(
    faulty: Path,
) -> None:
    inside = run(faulty, faulty / "キャッシュ", "--lang", "ja")
    folder = faulty / "キャッシュ"
    expected = f"policylint: キャッシュフォルダ {folder} が検査対象のリポジトリの中にあるため"
    assert expected in inside.stderr
    assert not (faulty / "キャッシュ").exists()


def test_the_rule_packs_read_through_the_cache_are_the_packs(tmp_path: Path) -> None:
    from policylint.cache import ParseCache
    from policylint.rulepack import _READ_THROUGH, load_rulepack, read_through

    fresh = load_rulepack.__wrapped__("iso27001-2022")  # type: ignore[attr-defined]
    for _ in range(2):  # a cold read writes the entries, a warm one reads them
        with read_through(ParseCache(tmp_path / "cache")):
            reader = _READ_THROUGH[-1]
            assert load_rulepack.__wrapped__("iso27001-2022") == fresh  # type: ignore[attr-defined]
    assert reader.misses == 0 and reader.hits >= 4  # catalog, checks, core and messages
    assert not _READ_THROUGH


def test_headings_are_kept_beside_the_entry_and_a_bad_side_entry_is_parsed_again(
    tmp_path: Path,
) -> None:
    from policylint.cache import ParseCache
    from policylint.loader import read_source

    cache = ParseCache(tmp_path / "cache")
    parsed = read_source(SAMPLE, POLICY).headings()
    assert parsed
    first = read_source(SAMPLE, POLICY, cache=cache)
    assert first.headings() == parsed
    [side] = (tmp_path / "cache").rglob("*.headings.json")
    second = read_source(SAMPLE, POLICY, cache=cache)
    assert second.headings() == parsed and (cache.hits, cache.misses) == (1, 1)
    side.write_bytes(b"0" * 64 + b'\n{"key":"x","headings":[]}')  # not this file's entry
    assert read_source(SAMPLE, POLICY, cache=cache).headings() == parsed


# ---------------------------------------------------------------------------------------------
# A large register that changed is parsed in part: only the item whose lines changed.

ITEM = """\
  - id: as-{n:04d}
    name: "資産 {n}"
    owner: {owner}
    area: [production, area-{m}]
    cia: {{confidentiality: {c}, integrity: 2, availability: 1}}
    acceptable_use:
      purpose: |
        運用のため
        - 箇条書きに見える行
      method: 踏み台経由
    # a comment inside the item
    last_reviewed: 2026-0{c}-01
"""


def register_text(count: int) -> str:
    head = "# 情報資産目録\nkind: assets\nowner: ciso\nitems:\n"
    items = [
        ITEM.format(n=n, m=n % 7, owner=("cio", "ciso", "p-sato")[n % 3], c=1 + n % 3)
        for n in range(count)
    ]
    items[-1] += "    owner: twice\n"  # a loader finding below any edit: it moves with the lines
    return head + "".join(items)


def entry_of(text: str, tmp: Path) -> dict[str, Any]:
    """The entry a whole parse of ``text`` writes (a cache folder of its own: no patching)."""
    from policylint.cache import ParseCache
    from policylint.loader import SourceFile

    cache = ParseCache(tmp)
    data = text.encode()
    cache.parse(SourceFile("registers/assets.yaml", "yaml"), data)
    entry = cache._get(ParseCache.key(SourceFile("registers/assets.yaml", "yaml"), data))
    assert entry is not None
    return entry


BENIGN = [
    "    notes: x",
    "    notes: 未定",
    "    owner: p-sato",
    "    area: elsewhere",
    "      purpose: changed",
    "",
    "# a comment at the margin",
    "    name: twice",
]
LINES = [
    *BENIGN,
    *BENIGN,
    "    notes: x",
    "    notes: TBD",
    "    owner: someone-else",
    "",
    "# a comment at the margin",
    "    tags: [a, b]",
    "  - id: as-new",
    '    name: "unterminated',
    "    name: twice",
    "    anchor: &a x",
    "---",
    "owner: at-the-top",
    "      deeper: 1",
    "  -   id: as-spaced",
    "    - id: as-indented",
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    item=st.integers(0, 11),
    edits=st.lists(
        st.tuples(st.integers(0, 14), st.integers(0, 2), st.sampled_from(LINES)),
        min_size=1,
        max_size=3,
    ),
)
def test_a_register_parsed_in_part_is_exactly_the_register_parsed_whole(
    tmp_path_factory: pytest.TempPathFactory, item: int, edits: list[tuple[int, int, str]]
) -> None:
    """Edits around one item (most stay inside it; some reach the next one or the end)."""
    from policylint.cache import patched_entry

    old = register_text(12)
    lines = old.splitlines(keepends=True)
    first = lines.index(f"  - id: as-{item:04d}\n")
    for offset, op, line in edits:
        k = min(first + offset, len(lines))
        if op == 0:
            lines.insert(k, line + "\n")
        elif op == 1 and k < len(lines):
            del lines[k]
        elif k < len(lines):
            lines[k] = lines[k].rstrip("\n") + line.strip() + "\n"
    new = "".join(lines)
    tmp = tmp_path_factory.mktemp("patch")
    base = entry_of(old, tmp / "old")
    patched = patched_entry(json.loads(json.dumps(base)), old, new)
    if patched is None:
        return  # parsed whole: always right
    whole = entry_of(new, tmp / "new")
    patched = json.loads(json.dumps(patched, ensure_ascii=False))
    assert {k: v for k, v in patched.items() if k != "key"} == {
        k: v for k, v in whole.items() if k != "key"
    }


def item(text: str, n: int) -> str:
    """The lines of item ``n`` of :func:`register_text`."""
    start = text.index(f"  - id: as-{n:04d}\n")
    return text[start : text.index("\n  - id: ", start + 1) + 1]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda t: t.replace("    owner: cio\n", "    owner: cio\n    notes: 仮\n", 1), "part"),
        (lambda t: t.replace('    name: "資産 5"\n', "", 1), "part"),
        (lambda t: t + "# appended at the end\n", "part"),
        (lambda t: t.replace("  - id: as-0003\n", "  - id: as-0003\n    id: dup\n", 1), "part"),
        (lambda t: t.replace("owner: ciso\nitems", "owner: cio\nitems", 1), "whole"),  # the head
        (lambda t: t.replace("as-0003", "as-X003", 1).replace("as-0007", "as-X007", 1), "whole"),
        (lambda t: t.replace("  - id: as-0004\n", "  - id: as-0004\n  - id: as-new\n", 1), "whole"),
        (lambda t: t.replace('    name: "資産 5"', "    name: &anchor x", 1), "whole"),
        (
            lambda t: t.replace(item(t, 4), "".join(f"  {x}" for x in item(t, 4).splitlines(True))),
            "whole",
        ),
        (lambda t: t.replace("\n  - id: as-0005", "  - id: as-0005", 1), "whole"),
        (lambda t: t.replace(item(t, 4), item(t, 4)[:-3] + "02\n...\n"), "whole"),
    ],
    ids=[
        "line-added",
        "line-removed",
        "appended",
        "duplicate-key",
        "head",
        "two-items",
        "item-added",
        "anchor",
        "indented",
        "joined",
        "document-end",
    ],
)
def test_which_changes_are_parsed_in_part(tmp_path: Path, edit: Any, expected: str) -> None:
    from policylint.cache import patched_entry

    old = register_text(12)
    new = edit(old)
    assert new != old
    patched = patched_entry(entry_of(old, tmp_path / "old"), old, new)
    assert (patched is not None) == (expected == "part")
    if patched is not None:
        whole = entry_of(new, tmp_path / "new")
        assert json.loads(json.dumps(patched, ensure_ascii=False))["outline"] == whole["outline"]
        assert patched["findings"] == whole["findings"] and patched["loud"] == whole["loud"]


def test_an_entry_with_a_loader_finding_other_than_a_duplicate_key_is_never_patched(
    tmp_path: Path,
) -> None:
    from policylint.cache import patched_entry

    old = register_text(12)
    new = old.replace("    owner: cio\n", "    owner: cio\n    notes: x\n", 1)
    base = entry_of(old, tmp_path)
    assert patched_entry(json.loads(json.dumps(base)), old, new) is not None
    base["findings"].append(["policylint/parse-error", 3, 1, "default", {}])
    assert patched_entry(base, old, new) is None


def test_an_edited_large_register_is_parsed_in_part_and_reports_what_a_whole_parse_does(
    tmp_path: Path,
) -> None:
    from policylint.cache import PATCH_FROM_BYTES

    repo = tmp_path / "repo"
    shutil.copytree(SAMPLE, repo)
    register = repo / "registers" / "more-assets.yaml"
    register.write_text(register_text(900), encoding="utf-8")
    assert register.stat().st_size >= PATCH_FROM_BYTES
    cache = tmp_path / "cache"
    assert "1 miss" not in run(repo, cache, "--jobs", "1", "--stats").stderr
    for old, new in (
        ("  - id: as-0450\n", "  - id: as-0450\n    notes: 仮\n"),  # a line added
        (
            '  - id: as-0701\n    name: "資産 701"\n    owner: p-sato\n',
            '  - id: as-0701\n    name: "資産 701"\n    owner: nobody\n',
        ),
    ):
        text = register.read_text(encoding="utf-8")
        assert old in text
        register.write_text(text.replace(old, new, 1), encoding="utf-8")
        warm = run(repo, cache, "--format", "json", "--stats", "--jobs", "1")
        assert "1 miss(es) (1 parsed in part)" in warm.stderr
        assert warm.stdout == run(repo, cache, "--format", "json", "--no-cache").stdout
    lines = register.read_text(encoding="utf-8").splitlines()
    found = {
        (d["check"], d["line"])
        for d in json.loads(warm.stdout)["diagnostics"]
        if d["path"] == "registers/more-assets.yaml"
    }
    assert ("policylint/placeholder", lines.index("    notes: 仮") + 1) in found
    assert ("II.4.1.1/asset-owner", lines.index("    owner: nobody") + 1) in found


def test_a_path_note_names_only_an_entry_of_the_cache_folder() -> None:
    """The note of a path's latest entry is read from the cache folder: a forged one that names
    anything but an entry key (a path climbing out of the folder) is no note at all."""
    from policylint.cache import _WELL_FORMED

    ok = _WELL_FORMED[".path"]
    base = hashlib.sha256(b"x").hexdigest()
    assert ok({"key": "k", "base": base}, "k")
    assert not ok({"key": "k", "base": "../" + base[3:]}, "k")
    assert not ok({"key": "k", "base": base.upper()}, "k")
    assert not ok({"key": "other", "base": base}, "k")
    assert not ok({"key": "k", "base": base, "more": 1}, "k")
