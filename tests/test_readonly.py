"""Read-only: no command but ``init`` and explicit output files writes anything.

Every command line below runs on a copy of sample-repo (with the hostile corpus beside it); the
whole tree (paths, file types, contents, link targets) is hashed before and after. Explicit
output files (``-o``, ``--write-baseline``) go to a folder outside the tree and must appear there.
To cover a new command or option, add its command line to ``COMMANDS``: ``{repo}`` is the
repository, ``{out}`` the outside folder.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from policylint.cli import main

from conftest import SAMPLE

HOSTILE = Path(__file__).resolve().parent / "hostile" / "cases"

COMMANDS: list[tuple[str, ...]] = [
    # check, in every format and with every option that could touch files
    ("check", "{repo}"),
    ("check", "{repo}", "--format", "json"),
    ("check", "{repo}", "--no-cache"),
    ("check", "{repo}", "--format", "sarif"),
    ("check", "{repo}", "--format", "junit"),
    ("check", "{repo}", "--format", "github"),
    ("check", "{repo}", "--lang", "ja", "--color", "always"),
    ("check", "{repo}", "--select", "II.4", "--ignore", "II.4.1.1"),
    ("check", "{repo}", "--severity-threshold", "warning", "--exit-zero"),
    ("check", "{repo}", "--show-suppressed", "--stats"),
    ("check", "{repo}", "--as-of", "2031-01-01"),
    ("check", "{repo}", "--config", "{repo}/policylint.yaml"),
    ("check", "{repo}", "--baseline", "{out}/baseline.json"),
    ("check", "{repo}", "--write-baseline", "{out}/written-baseline.json"),
    ("check", "{repo}", "-o", "{out}/check.txt"),
    ("check", "{repo}", "--format", "sarif", "-o", "{out}/check.sarif"),
    ("check", "--root", "{repo}", "{repo}/policies/information-security-policy.md"),
    ("check",),  # the current folder
    # the other read-only commands
    ("rules",),
    ("rules", "--format", "json"),
    ("rules", "--format", "markdown"),
    ("explain", "II.4.1.1"),
    ("explain", "II.4.1.1/asset-owner", "--lang", "en"),
    ("report", "{repo}"),
    ("report", "{repo}", "--format", "html"),
    ("report", "{repo}", "--format", "json"),
    ("report", "{repo}", "--format", "oscal"),
    ("report", "{repo}", "--format", "html", "-o", "{out}/report.html"),
]


def tree_digest(root: Path) -> dict[str, str]:
    """Every path below ``root`` with its type and content (or link target) digest."""
    out: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                out[rel] = "link:" + os.readlink(path)
            elif path.is_dir():
                out[rel] = "dir"
            else:
                out[rel] = "file:" + hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    dest = tmp_path / "repo"
    shutil.copytree(SAMPLE, dest)
    shutil.copytree(HOSTILE, dest / "hostile")
    (dest / "hostile" / "passwd.yaml").symlink_to("/etc/passwd")
    return dest


def invoke(args: list[str], cwd: Path) -> int:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, args)
    finally:
        os.chdir(old)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result.exit_code


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_command_writes_nothing_into_the_repository(
    command: tuple[str, ...], repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    out = tmp_path / "out"
    out.mkdir()
    if "{out}/baseline.json" in command:
        assert invoke(
            ["check", str(repo), "--write-baseline", str(out / "baseline.json")], repo
        ) in (
            0,
            1,
        )
    args = [a.replace("{repo}", str(repo)).replace("{out}", str(out)) for a in command]
    before = tree_digest(repo)
    outside_before = set(os.listdir(out))
    code = invoke(args, cwd=repo)
    assert code in (0, 1), args
    assert tree_digest(repo) == before
    written = set(os.listdir(out)) - outside_before
    expected = {Path(a).name for a in args if a.startswith(str(out))} - outside_before
    assert written == expected


def test_github_step_summary_goes_only_to_the_named_file(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    before = tree_digest(repo)
    invoke(["check", str(repo), "--format", "github"], repo)
    assert tree_digest(repo) == before


def test_init_writes_only_its_directory(repo: Path, tmp_path: Path) -> None:
    before = tree_digest(repo)
    target = tmp_path / "new-repo"
    assert invoke(["init", str(target)], cwd=repo) == 0
    assert tree_digest(repo) == before
    assert (target / "policylint.yaml").is_file() or any(target.iterdir())
