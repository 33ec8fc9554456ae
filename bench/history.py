"""Benchmark of the history checks: what reading git history adds to a full run.

Generates a repository (``generate.py``, default medium: 1,000 documents), commits it into a
fresh git repository in two commits (everything on 2026-04-01; then a review of a tenth of the
documents, ``last_reviewed`` only, on 2026-09-01), and times ``policylint check`` on it with the
history read (``approvals: {history: auto}``, the default) and not read (``history: off``),
alternating, as whole processes. Prints the medians, their difference, and the ``history``
phase that ``--stats`` reports.

    python bench/history.py [--scale medium] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def git(repo: Path, *args: str, when: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_DATE=when,
        GIT_COMMITTER_DATE=when,
        GIT_AUTHOR_NAME="Bench",
        GIT_AUTHOR_EMAIL="bench@example.com",
        GIT_COMMITTER_NAME="Bench",
        GIT_COMMITTER_EMAIL="bench@example.com",
    )
    subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=repo, env=env, check=True)


def build(scale: str, out: Path) -> int:
    subprocess.run(
        [sys.executable, str(BENCH / "generate.py"), "--scale", scale, "--out", str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    git(out, "init", "-q", when="2026-04-01T09:00:00+09:00")
    git(out, "add", "-A", when="2026-04-01T09:00:00+09:00")
    git(out, "commit", "-q", "-m", "import", when="2026-04-01T09:00:00+09:00")
    docs = sorted(out.rglob("*.md"))
    approved = 0
    for i, path in enumerate(docs):
        text = path.read_text(encoding="utf-8")
        if "\napproved_on:" in text.split("\n---", 1)[0]:
            approved += 1
        if i % 10 == 0 and "\nlast_reviewed:" in text:
            path.write_text(
                re.sub(r"\nlast_reviewed: \S+", "\nlast_reviewed: 2026-09-01", text, count=1),
                encoding="utf-8",
            )
    git(out, "commit", "-q", "-am", "reviews", when="2026-09-01T09:00:00+09:00")
    return approved


def run(argv: list[str]) -> tuple[float, float | None, int]:
    t0 = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    phase = None
    for line in proc.stderr.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] == "history":
            phase = float(parts[2])
    return wall, phase, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", default="medium")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    exe = shutil.which("policylint")
    base = [exe] if exe else [sys.executable, "-m", "policylint"]
    with tempfile.TemporaryDirectory(prefix="policylint-history-bench-") as tmp:
        repo = Path(tmp) / "repo"
        approved = build(args.scale, repo)
        config = (repo / "policylint.yaml").read_text(encoding="utf-8")
        configs = {}
        for mode in ("auto", "off"):
            path = Path(tmp) / f"{mode}.yaml"
            path.write_text(config + f"\napprovals: {{history: {mode}}}\n", encoding="utf-8")
            configs[mode] = path
        walls: dict[str, list[float]] = {"auto": [], "off": []}
        phases: list[float] = []
        for i in range(args.repeat):
            for mode in ("auto", "off"):
                argv = [*base, "check", str(repo), "--config", str(configs[mode]), "--stats"]
                wall, phase, code = run([*argv, "--format", "json", "--output", os.devnull])
                walls[mode].append(wall)
                if mode == "auto" and phase is not None:
                    phases.append(phase)
                print(f"  [{i + 1}/{args.repeat}] history {mode:<4} {wall:7.3f}s exit {code}")
        on, off = statistics.median(walls["auto"]), statistics.median(walls["off"])
        docs = len(list(repo.rglob("*.md")))
        print(f"{args.scale}: {docs} documents committed, {approved} with approved_on, 2 commits")
        print(f"history auto: median {on:.3f}s; history off: median {off:.3f}s")
        print(f"difference of the medians: {on - off:+.3f}s")
        if phases:
            print(f"history phase (--stats): median {statistics.median(phases):.3f}s")


if __name__ == "__main__":
    main()
