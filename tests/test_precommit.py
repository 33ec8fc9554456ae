"""The pre-commit hook, run by the real ``pre-commit`` tool (``pre-commit try-repo``).

pre-commit installs the hook from the repository into its own virtualenv with pip, so these
tests need ``git``, ``pre-commit`` and access to the package index (or a pip cache). They take
about half a minute; without the tools they are skipped, and if pip cannot reach the index they
are skipped with the pip error as the reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from conftest import ASSETS, POLICY, ROOT, SAMPLE

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or shutil.which("pre-commit") is None,
    reason="needs the git and pre-commit commands (pip install pre-commit)",
)

PROJECT_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "src", "rules", "schemas")
NETWORK_ERRORS = (
    "Could not find a version",
    "No matching distribution",
    "NewConnectionError",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "ProxyError",
)
GIT_ENV = {
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, env={**os.environ, **GIT_ENV}
    )


def make_repo(path: Path, source: Path, names: tuple[str, ...] | None = None) -> Path:
    path.mkdir(parents=True)
    for name in names or tuple(p.name for p in source.iterdir()):
        src = source / name
        if src.is_dir():
            shutil.copytree(src, path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, path / name)
    git(path, "init", "-q")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "init")
    return path


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committed copy of this project's working tree: what try-repo installs the hook from
    (try-repo on a dirty shared checkout would mix in other people's unfinished edits)."""
    return make_repo(tmp_path_factory.mktemp("hook") / "policylint", ROOT, PROJECT_FILES)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def governance(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "governance", SAMPLE)


def _pre_commit(repo: Path, home: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("GITHUB_STEP_SUMMARY", None)
    proc = subprocess.run(
        ["pre-commit", *args, "--color", "never"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = proc.stdout + proc.stderr
    if proc.returncode != 0 and "Installing environment" in output:
        for marker in NETWORK_ERRORS:
            if marker in output and "policylint...." not in output:
                pytest.skip(f"pre-commit could not install the hook with pip: {marker}")
    return proc


def try_repo(
    repo: Path, hook_repo: Path, home: Path, *args: str, hook: str = "policylint"
) -> subprocess.CompletedProcess[str]:
    """``pre-commit try-repo``: installs the hook afresh each time (about 30 s)."""
    return _pre_commit(repo, home, ["try-repo", str(hook_repo), hook, *args])


def run_hook(
    repo: Path, hook_repo: Path, home: Path, *args: str, hook: str = "policylint"
) -> subprocess.CompletedProcess[str]:
    """``pre-commit run`` with a configuration naming the hook repository: the environment is
    installed once in ``home`` and reused by later calls."""
    rev = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=hook_repo, capture_output=True, text=True, check=True
    ).stdout.strip()
    config = {
        "repos": [
            {
                "repo": str(hook_repo),
                "rev": rev,
                "hooks": [{"id": "policylint"}, {"id": "policylint-all"}],
            }
        ]
    }
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return _pre_commit(repo, home, ["run", hook, *args])


def seed_error(repo: Path) -> None:
    path = repo / ASSETS
    text = path.read_text(encoding="utf-8")
    old = "    owner: cio\n    classification: secret\n"
    assert old in text
    path.write_text(text.replace(old, "    classification: secret\n", 1), encoding="utf-8")
    git(repo, "add", ASSETS)


def test_hook_manifest() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"policylint", "policylint-all"}
    assert hooks["policylint"]["entry"] == "policylint check --root ."
    assert hooks["policylint"]["pass_filenames"] is True
    assert hooks["policylint"]["require_serial"] is True
    assert hooks["policylint-all"]["pass_filenames"] is False


@pytest.mark.skipif(
    bool(os.environ.get("POLICYLINT_SKIP_TRY_REPO")),
    reason="POLICYLINT_SKIP_TRY_REPO is set (pre-commit try-repo reinstalls the hook each time)",
)
def test_try_repo_fails_with_a_violation_and_passes_clean(
    governance: Path, hook_repo: Path, pre_commit_home: Path
) -> None:
    clean = try_repo(governance, hook_repo, pre_commit_home, "--all-files")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout
    seed_error(governance)
    failed = try_repo(governance, hook_repo, pre_commit_home, "--all-files")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Failed" in failed.stdout
    assert f"{ASSETS}:" in failed.stdout and "II.4.1.1/asset-owner" in failed.stdout


def test_passed_files_limit_the_report(
    governance: Path, hook_repo: Path, pre_commit_home: Path
) -> None:
    seed_error(governance)
    other = run_hook(governance, hook_repo, pre_commit_home, "--files", POLICY)
    assert other.returncode == 0, other.stdout + other.stderr
    same = run_hook(governance, hook_repo, pre_commit_home, "--files", ASSETS)
    assert same.returncode == 1 and "II.4.1.1/asset-owner" in same.stdout


def test_deleting_a_required_document_is_reported(
    governance: Path, hook_repo: Path, pre_commit_home: Path
) -> None:
    git(governance, "rm", "-q", POLICY)  # pre-commit passes no file for a deletion
    proc = run_hook(governance, hook_repo, pre_commit_home, "--files", ASSETS)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "policylint.yaml:1:1: エラー II.1.1.1/policy-exists" in proc.stdout  # lang: ja


def test_whole_repository_hook(governance: Path, hook_repo: Path, pre_commit_home: Path) -> None:
    seed_error(governance)
    proc = run_hook(
        governance, hook_repo, pre_commit_home, "--files", POLICY, hook="policylint-all"
    )
    assert proc.returncode == 1 and "II.4.1.1/asset-owner" in proc.stdout
