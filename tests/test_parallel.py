"""Checking in several processes (``check --jobs``): the same findings as one process, also
when a worker dies; and the job queue hands each job to exactly one process.

Every run here is a real ``policylint`` process (forking needs a process without other threads,
which a pytest process that has run the language-server tests is not)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_generated import generate

from policylint import parallel

pytestmark = pytest.mark.skipif(
    sys.platform in ("win32", "darwin"), reason="checks run in one process there"
)

BROKEN_PROCEDURE = """---
kind: procedure
id: PRC-BROKEN
title: A procedure written in a hurry
owner: [not, a, person]
last_reviewed: 2026/4/1
approved_on: 2026-02-30
classificaton: internal
---
# Body
"""


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated repository with seeded violations, plus a file with schema and date errors
    (the findings of the schema pass, which one worker runs)."""
    root = generate(tmp_path_factory.mktemp("parallel") / "repo", "small", violations=0.3)
    (root / "docs" / "broken-procedure.md").write_text(BROKEN_PROCEDURE, encoding="utf-8")
    return root


def check(repo: Path, *args: str, script: str | None = None) -> subprocess.CompletedProcess[str]:
    argv = ["check", str(repo), "--format", "json", "--no-cache", "--stats", *args]
    if script is None:
        cmd = [sys.executable, "-m", "policylint", *argv]
    else:
        cmd = [sys.executable, "-c", script, *argv]
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


def findings(proc: subprocess.CompletedProcess[str]) -> list[tuple[str, str, int, str]]:
    doc = json.loads(proc.stdout)
    return [(d["check"], d["path"], d["line"], d["message"]) for d in doc["diagnostics"]]


@pytest.fixture(scope="module")
def serial(repo: Path) -> subprocess.CompletedProcess[str]:
    proc = check(repo, "--jobs", "1")
    assert "processes" not in proc.stderr
    return proc


def test_several_processes_report_exactly_what_one_process_reports(
    repo: Path, serial: subprocess.CompletedProcess[str]
) -> None:
    ids = {f[0] for f in findings(serial)}
    assert {"policylint/schema", "policylint/invalid-date", "policylint/unknown-field"} <= ids
    assert len(findings(serial)) > 50
    for jobs in ("2", "3"):
        proc = check(repo, "--jobs", jobs)
        assert f"model, history and checks in {jobs} processes" in proc.stderr
        assert proc.returncode == serial.returncode == 1
        assert proc.stdout == serial.stdout


# A worker dies: the one of the schema pass, or one that checks, at the first check with
# findings it took (this process waits a second at its first check, so that the worker takes
# some).
DYING_WORKER = """
import os, sys, time
from policylint import engine
from policylint.cli import main

PARENT, WHICH, SLEPT = os.getpid(), %s, []
schema_findings, unit_diagnostics = engine.schema_findings, engine.unit_diagnostics

def dying_schema(*args, **kwargs):
    if WHICH == "schema":
        os._exit(3)
    return schema_findings(*args, **kwargs)

def dying_check(*args, **kwargs):
    if os.getpid() == PARENT and not SLEPT:
        SLEPT.append(time.sleep(1))
    found = unit_diagnostics(*args, **kwargs)
    if os.getpid() != PARENT and WHICH == "checks" and found:
        os._exit(3)  # a check with findings: they are lost unless this process runs it again
    return found

engine.schema_findings, engine.unit_diagnostics = dying_schema, dying_check
main(sys.argv[1:], prog_name="policylint")
"""


@pytest.mark.parametrize(("which", "jobs"), [("schema", "2"), ("checks", "3")])
def test_a_worker_that_dies_costs_time_not_findings(
    repo: Path, serial: subprocess.CompletedProcess[str], which: str, jobs: str
) -> None:
    proc = check(repo, "--jobs", jobs, script=DYING_WORKER % repr(which))
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == serial.stdout


def test_a_small_repository_is_checked_in_one_process_by_default(repo: Path) -> None:
    proc = check(repo)
    assert proc.returncode == 1
    assert "validate" in proc.stderr and "processes" not in proc.stderr


def test_each_job_of_the_queue_is_taken_by_exactly_one_process() -> None:
    queue = parallel.JobQueue(2000)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child process
        os.close(read)
        taken = []
        while (i := queue.take()) is not None:
            taken.append(i)
        os.write(write, json.dumps(taken).encode())
        os._exit(0)
    os.close(write)
    mine = []
    while (i := queue.take()) is not None:
        mine.append(i)
    with os.fdopen(read) as fh:
        theirs = json.loads(fh.read())
    os.waitpid(pid, 0)
    queue.close()
    assert sorted(mine + theirs) == list(range(2000))
    assert mine == sorted(mine) and theirs == sorted(theirs)


# Records, in a file, that a worker parsed a file into the cache (the run is otherwise real).
NOTING_STORE = """
import os, sys
from pathlib import Path
from policylint import engine
from policylint.cli import main

PARENT, NOTE, store = os.getpid(), Path(%r), engine._store

def noting(cache, src, data):
    if os.getpid() != PARENT:
        with NOTE.open("a", encoding="utf-8") as fh:
            fh.write(src.path + "\\n")
    if %r:
        os._exit(3)
    return store(cache, src, data)

engine._store = noting
main(sys.argv[1:], prog_name="policylint")
"""


@pytest.mark.parametrize("dies", [False, True], ids=["worker-stores", "worker-dies"])
def test_a_large_register_the_cache_misses_is_parsed_by_a_worker(
    tmp_path: Path, dies: bool
) -> None:
    root = generate(tmp_path / "medium", "medium")
    register = next((root / "registers" / "assets").glob("*.yaml"))
    assert register.stat().st_size > 1024 * 1024
    env = {**os.environ, "POLICYLINT_CACHE_DIR": str(tmp_path / "cache")}
    argv = ["check", str(root), "--format", "json", "--stats", "--jobs", "2"]
    plain = subprocess.run(
        [sys.executable, "-m", "policylint", *argv, "--no-cache"], capture_output=True, text=True
    )
    subprocess.run([sys.executable, "-m", "policylint", *argv], env=env, check=False)
    register.write_text(register.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    note = tmp_path / "stored.txt"
    proc = subprocess.run(
        [sys.executable, "-c", NOTING_STORE % (str(note), dies), *argv],
        env=env,
        capture_output=True,
        text=True,
    )
    assert note.read_text(encoding="utf-8") == f"registers/assets/{register.name}\n"
    assert proc.returncode == plain.returncode == 0, proc.stderr
    assert proc.stdout == plain.stdout
    assert "1 miss(es)" in proc.stderr


@pytest.mark.parametrize(
    ("line", "busy"),
    [
        ("0.50 0.40 0.30 1/88 17120\n", 0),  # only this process runs
        ("1.99 1.92 1.48 2/88 17120\n", 1),  # another program keeps one CPU busy
        ("9.00 9.00 9.00 64/300 17120\n", 63),
    ],
)
def test_jobs_0_forks_only_onto_cpus_no_other_task_is_running_on(
    tmp_path: Path, line: str, busy: int
) -> None:
    loadavg = tmp_path / "loadavg"
    loadavg.write_text(line, encoding="ascii")
    assert parallel.idle_cpus(str(loadavg)) == max(1, parallel.cpus() - busy)


def test_without_a_count_of_running_tasks_every_cpu_counts_as_idle(tmp_path: Path) -> None:
    garbled = tmp_path / "loadavg"
    garbled.write_text("not a load average", encoding="ascii")
    assert parallel.idle_cpus(str(garbled)) == parallel.cpus()
    assert parallel.idle_cpus(str(tmp_path / "missing")) == parallel.cpus()
    assert 1 <= parallel.idle_cpus() <= parallel.cpus()  # this machine's own count
