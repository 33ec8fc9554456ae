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

import pytest

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
