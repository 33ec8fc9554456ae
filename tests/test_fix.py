"""`policylint fix`: safe, mechanical fixes applied span by span, run as a real process."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from policylint.cli.fix import plan
from policylint.fixes import Fix, TextEdit, apply_edits

from conftest import ASSETS, POLICY, SAMPLE, SHARED

AS_OF = "--as-of=2026-11-01"


def policylint(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policylint", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(SAMPLE, root)
    return root


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_bytes().decode("utf-8")
    assert old in text
    path.write_bytes(text.replace(old, new, 1).encode("utf-8"))


def test_diff_shows_every_safe_fix_and_writes_nothing(repo: Path) -> None:
    edit(repo, ASSETS, "last_reviewed: 2026-10-09", "last_reviewed: 令和8年10月9日  # 年次見直し")
    edit(repo, POLICY, 'version: "3.0"', "version: 3.0")
    before = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()}
    proc = policylint("fix", str(repo), "--diff", "--lang", "en", AS_OF)
    assert proc.returncode == 1, proc.stderr
    assert "-last_reviewed: 令和8年10月9日  # 年次見直し\n" in proc.stdout
    assert "+last_reviewed: 2026-10-09  # 年次見直し\n" in proc.stdout
    assert '-version: 3.0\n+version: "3.0"\n' in proc.stdout
    assert proc.stdout.endswith(
        "2 finding(s) in 2 file(s) would be fixed (--diff: nothing was written).\n"
    )
    assert {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()} == before


def test_fix_changes_only_the_spans_and_the_repository_passes_again(repo: Path) -> None:
    original = (repo / ASSETS).read_bytes()
    edit(repo, ASSETS, "last_reviewed: 2026-10-09", "last_reviewed: 2026/10/9")
    edit(repo, POLICY, 'version: "3.0"', "version: 3.0")
    edit(repo, POLICY, "approved_on: 2026-04-01", "approved_on: ２０２６－０４－０１")
    proc = policylint("fix", str(repo), "--lang", "en", AS_OF)
    assert proc.stdout == "Fixed 3 finding(s) in 2 file(s).\n", proc.stderr
    assert proc.returncode == 0
    assert (repo / ASSETS).read_bytes() == original
    assert (repo / POLICY).read_bytes() == (SAMPLE / POLICY).read_bytes()
    assert policylint("check", str(repo), AS_OF).returncode == 0
    again = policylint("fix", str(repo), "--lang", "ja", AS_OF)
    assert again.stdout == "修正できる指摘はありません（安全な自動修正のある指摘がありません）。\n"


def test_crlf_bom_and_comments_survive(repo: Path) -> None:
    path = repo / ASSETS
    text = path.read_text(encoding="utf-8").replace(
        "last_reviewed: 2026-10-09", "last_reviewed: R8.10.9"
    )
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    proc = policylint("fix", str(repo), "--lang", "en", AS_OF)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    expected = (SAMPLE / ASSETS).read_text(encoding="utf-8").replace("\n", "\r\n")
    assert path.read_bytes() == b"\xef\xbb\xbf" + expected.encode("utf-8")


def test_root_and_files_limit_the_fixes(repo: Path) -> None:
    edit(repo, ASSETS, "last_reviewed: 2026-10-09", "last_reviewed: 2026/10/9")
    edit(repo, POLICY, 'version: "3.0"', "version: 3.0")
    proc = policylint("fix", "--root", str(repo), str(repo / POLICY), "--lang", "en", AS_OF)
    assert proc.stdout.startswith("Fixed 1 finding(s) in 1 file(s).\n")
    assert proc.returncode == 1  # the date in the other file is still an error
    assert "last_reviewed: 2026/10/9" in (repo / ASSETS).read_text(encoding="utf-8")


def test_check_says_which_findings_fix_can_correct(repo: Path) -> None:
    edit(repo, ASSETS, "last_reviewed: 2026-10-09", "last_reviewed: 2026/10/9")
    text = policylint("check", str(repo), "--lang", "en", AS_OF).stdout
    assert "    policylint fix can correct this: write 2026-10-09 instead of 2026/10/9\n" in text
    ja = policylint("check", str(repo), "--lang", "ja", AS_OF).stdout
    assert "    policylint fix で自動修正できます: 2026/10/9 を 2026-10-09 に書き換えます\n" in ja
    doc = json.loads(policylint("check", str(repo), "--format", "json", AS_OF).stdout)
    [fixable] = [d for d in doc["diagnostics"] if d["fix"] is not None]
    assert fixable["fix"]["edits"] == [
        {
            "path": ASSETS,
            "line": 5,
            "column": 16,
            "end_line": 5,
            "end_column": 25,
            "old": "2026/10/9",
            "new": "2026-10-09",
        }
    ]
    sarif = json.loads(policylint("check", str(repo), "--format", "sarif", AS_OF).stdout)
    [result] = [r for r in sarif["runs"][0]["results"] if "fixes" in r]
    [change] = result["fixes"][0]["artifactChanges"]
    assert change["replacements"][0]["insertedContent"] == {"text": "2026-10-09"}
    schema_file = SHARED / "schemas" / "sarif-schema-2.1.0.json"
    if schema_file.is_file():
        jsonschema.validate(sarif, json.loads(schema_file.read_text(encoding="utf-8")))


def test_a_fix_that_would_change_another_value_is_refused(repo: Path) -> None:
    import io

    # A forged fix whose edit does not do what it promises (it edits another value).
    bad = Fix(ASSETS, TextEdit(4, 8, 4, 12, "ciso", "cio"), ("last_reviewed",), value="x")
    out = io.StringIO()
    assert plan(repo, {ASSETS: [bad]}, out, "en") == []
    assert out.getvalue() == (
        f"{ASSETS}:4:8: not fixed (policylint fix): the edit would change more than this value; "
        "correct it by hand.\n"
    )


def test_edits_that_do_not_match_the_text_or_overlap_are_not_applied() -> None:
    assert apply_edits("a: 1\n", [TextEdit(1, 4, 1, 5, "2", "3")]) is None
    overlapping = [TextEdit(1, 1, 1, 3, "ab", "x"), TextEdit(1, 2, 1, 4, "bc", "y")]
    assert apply_edits("abcd\n", overlapping) is None
    assert apply_edits("abcd\n", [TextEdit(1, 2, 1, 4, "bc", "BC")]) == "aBCd\n"


def test_a_misspelt_field_with_one_near_match_is_renamed(repo: Path) -> None:
    edit(repo, "contracts/security-mamoru.md", "expires_on:", "expire_on:")
    proc = policylint("fix", str(repo), "--diff", "--lang", "en", AS_OF)
    assert "-expire_on: " in proc.stdout and "+expires_on: " in proc.stdout
    assert policylint("fix", str(repo), AS_OF).returncode == 0
    assert (repo / "contracts/security-mamoru.md").read_bytes() == (
        SAMPLE / "contracts/security-mamoru.md"
    ).read_bytes()


def test_the_diff_never_prints_a_control_character_from_the_file(repo: Path) -> None:
    # A right-to-left override is allowed in a YAML comment; it must not reach the terminal.
    edit(repo, ASSETS, "last_reviewed: 2026-10-09", "last_reviewed: 2026/10/9  # \u202ex")
    proc = policylint("fix", str(repo), "--diff", "--lang", "en", AS_OF)
    assert "-last_reviewed: 2026/10/9  # \\u202ex\n+last_reviewed: 2026-10-09  # \\u202ex\n" in (
        proc.stdout
    )
    assert "\u202e" not in proc.stdout
