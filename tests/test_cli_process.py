"""What only a real process of the installed ``policylint`` shows: the current folder, pipes, help.

These run the console script itself (the ``policylint`` installed beside this Python), as a user
or a CI job does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLE

POLICYLINT = shutil.which("policylint", path=str(Path(sys.executable).parent)) or "policylint"


def run(
    *args: str | Path, cwd: Path | None = None, **kw: object
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [POLICYLINT, *map(str, args)], capture_output=True, text=True, timeout=120, cwd=cwd, **kw
    )


# ---------------------------------------------------------------------------------------------
# --help


def test_help_shows_each_commands_first_sentence_whole() -> None:
    proc = run("--help")
    assert proc.returncode == 0
    listing = " ".join(proc.stdout.split("Commands:")[1].split())
    for sentence in (
        "explain Explain a guideline item (e.g. II.4.1.1) or a check (e.g. II.4.1.1/asset-owner).",
        "check Check the governance repository at PATH (default: the current folder).",
        "report Write the compliance report of the repository at PATH: the status of every "
        "guideline item, its checks and evidence, and what falls due.",
        "rules List the guideline items and the checks of each (items without a check are marked).",
        "init Create a complete governance repository in DIRECTORY (new or empty): every "
        "document and register kind, with placeholders to replace, that `policylint check` "
        "accepts as it is.",
    ):
        assert sentence in listing
    assert "..." not in listing


# ---------------------------------------------------------------------------------------------
# a closed pipe


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("report", SAMPLE, "--format", "md"), 0),
        (("report", SAMPLE, "--format", "html"), 0),
        (("report", SAMPLE, "--format", "json"), 0),
        (("check", SAMPLE, "--as-of", "2031-01-01"), 1),  # the verdict survives the pipe
        (("check", SAMPLE), 0),
        (("rules",), 0),
        (("explain", "II.4.1.1"), 0),
    ],
)
def test_output_into_a_closed_pipe_ends_quietly(args: tuple[str | Path, ...], code: int) -> None:
    # a pipe whose reader is gone before the first write: like `policylint report | head -1`
    # once head has exited, without a race
    read, write = os.pipe()
    os.close(read)
    try:
        proc = subprocess.run(
            [POLICYLINT, *map(str, args)],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write)
    assert proc.stderr == ""
    assert proc.returncode == code
