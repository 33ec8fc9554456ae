"""Real governance repositories written by others (../shared/corpora): read without crashing,
and told clearly what is missing and how to start, not drowned in findings."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import SHARED, run_lint

COMPLY = SHARED / "corpora" / "comply-example"
pytestmark = pytest.mark.skipif(
    not COMPLY.is_dir(), reason="../shared/corpora/comply-example is not present on this machine"
)


def test_comply_example_gets_one_clear_diagnostic() -> None:
    result = run_lint(COMPLY, as_of=None)
    [d] = result.diagnostics
    assert (d.check_id, d.path, d.line, d.severity.value) == (
        "policylint/no-governance-files",
        None,  # the repository as a whole, not its README
        0,
        "error",
    )
    assert (
        "36 Markdown file(s), such as narratives/control.md, start with fields but no "
        "opening --- line" in d.message
    )
    assert "policylint init" in d.hint


def test_comply_example_in_japanese_through_the_cli() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "policylint", "check", str(COMPLY), "--lang", "ja"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "ガバナンス文書・台帳が見つかりません" in proc.stdout
    assert "先頭の --- がない" in proc.stdout
