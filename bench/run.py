"""Benchmark harness: time policylint against the parse floor and peer linters.

For each scale it generates a valid repository (cached in ``bench/repos/<scale>``), then runs
every available tool as a whole process, alternating tools within each repeat, and reports the
median wall time, the ratio to the floor, the peak RSS and the large/medium scaling. The table
is printed and written to ``bench/out/results.md``.

    python bench/run.py --scales small,medium [--repeat 5] [--no-sample]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
REPOS = BENCH / "repos"
OUT = BENCH / "out"
SAMPLE = ROOT / "sample-repo"
SEED = 1
AS_OF = "2026-11-01"
OK_CODES = (0, 1)  # linters exit 1 when they find something

Argv = Callable[[Path], list[str] | None]


@dataclass
class Tool:
    name: str
    argv: Argv
    cwd_is_repo: bool = False
    env: dict[str, str] = field(default_factory=dict)
    before: Callable[[Path], Callable[[], None]] | None = None
    """Untimed preparation before each run; returns what undoes it after the run."""


@dataclass
class Result:
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    """User + system CPU seconds: steadier than wall time on a machine shared with other jobs."""
    rss_kib: list[int] = field(default_factory=list)
    codes: list[int] = field(default_factory=list)
    error: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.walls)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus)


def policylint_cmd(*args: str) -> list[str] | None:
    if exe := shutil.which("policylint"):
        return [exe, *args]
    if importlib.util.find_spec("policylint") is not None:
        return [sys.executable, "-m", "policylint", *args]
    return None


def policylint_argv(repo: Path, *extra: str) -> list[str] | None:
    return policylint_cmd("check", str(repo), "--format", "json", "--output", os.devnull, *extra)


CACHE = Path(tempfile.gettempdir()) / "policylint-bench-cache"
"""The parse cache of the cached runs (warmed by their first, untimed, run)."""


def changed_register(repo: Path) -> Path:
    return sorted((repo / "registers" / "assets").glob("*.yaml"))[0]


def changed_document(repo: Path) -> Path:
    """A procedure: the kind of file a compliance officer edits most."""
    docs = sorted((repo / "docs").rglob("*.md"))
    return docs[len(docs) // 2]


def precommit_argv(changed: Callable[[Path], Path]) -> Argv:
    """A pre-commit run: the whole tree is checked, one changed file is reported on."""

    def argv(repo: Path) -> list[str] | None:
        out = ["--format", "json", "--output", os.devnull]
        return policylint_cmd("check", "--root", str(repo), str(changed(repo)), *out)

    return argv


def warm(repo: Path, argv: list[str]) -> None:
    subprocess.run(argv, env={**os.environ, "POLICYLINT_CACHE_DIR": str(CACHE)}, check=False)


_edits = 0


def edit_one_file(changed: Callable[[Path], Path]) -> Callable[[Path], Callable[[], None]]:
    """Change one file (a new last line each run, so the cache misses it), undone after the run:
    a comment in a register, a sentence at the end of a document's body."""

    def before(repo: Path) -> Callable[[], None]:
        global _edits
        _edits += 1
        path = changed(repo)
        original = path.read_bytes()
        line = "#" if path.suffix == ".yaml" else "Edited"
        path.write_bytes(original + f"{line} for the benchmark ({_edits})\n".encode())
        return lambda: path.write_bytes(original)

    return before


def registers_of_kind(repo: Path, kind: str) -> list[str]:
    """YAML files whose top-level ``kind`` is ``kind`` (a line scan, good enough here)."""
    hits = []
    for path in sorted(repo.rglob("*.y*ml")):
        with path.open(encoding="utf-8") as f:
            head = "".join(f.readline() for _ in range(5))
        if f"\nkind: {kind}\n" in f"\n{head}":
            hits.append(str(path))
    return hits


def check_jsonschema_argv(repo: Path) -> list[str] | None:
    exe, files = shutil.which("check-jsonschema"), registers_of_kind(repo, "assets")
    schema = ROOT / "schemas" / "kinds" / "assets.schema.json"
    if not exe or not files or not schema.exists():
        return None
    return [exe, "--schemafile", str(schema), *files]


def which(name: str, *args: str) -> Argv:
    return lambda repo: [exe, *args] if (exe := shutil.which(name)) else None


TOOLS = [
    Tool("policylint", lambda repo: policylint_argv(repo, "--no-cache")),
    Tool("policylint-cached", policylint_argv, env={"POLICYLINT_CACHE_DIR": str(CACHE)}),
    Tool(
        "pre-commit-one-changed",
        precommit_argv(changed_register),
        env={"POLICYLINT_CACHE_DIR": str(CACHE)},
        before=edit_one_file(changed_register),
    ),
    Tool(
        "pre-commit-doc-changed",
        precommit_argv(changed_document),
        env={"POLICYLINT_CACHE_DIR": str(CACHE)},
        before=edit_one_file(changed_document),
    ),
    Tool("floor", lambda repo: [sys.executable, str(BENCH / "floor.py"), str(repo)]),
    Tool("events-floor", lambda repo: [sys.executable, str(BENCH / "events_floor.py"), str(repo)]),
    Tool("check-jsonschema (assets)", check_jsonschema_argv),
    Tool("yamllint", which("yamllint", "-d", "relaxed", "-f", "parsable", "."), cwd_is_repo=True),
    Tool("markdownlint-cli2", which("markdownlint-cli2", "**/*.md"), cwd_is_repo=True),
]


def measure(
    argv: list[str], cwd: Path, timeout: float | None, env: dict[str, str] | None = None
) -> tuple[float, float, int, int, str]:
    """Wall and CPU seconds, peak RSS (KiB) and exit code of one process, and its stderr tail.

    A process still running after ``timeout`` seconds is killed (exit code -9)."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            argv,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            env={**os.environ, **env} if env else None,
        )
        killer = threading.Timer(timeout, proc.kill) if timeout else None
        if killer:
            killer.start()
        _, status, usage = os.wait4(proc.pid, 0)  # per-child rusage, incl. its own children
        wall = time.perf_counter() - t0
        if killer:
            killer.cancel()
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read().decode("utf-8", "replace").strip().splitlines()[-3:]
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss, code, " | ".join(tail)


def generator_stamp(scale: str) -> str:
    digest = hashlib.sha256((BENCH / "generate.py").read_bytes()).hexdigest()[:16]
    return json.dumps({"scale": scale, "seed": SEED, "as_of": AS_OF, "generator": digest})


def ensure_repo(scale: str) -> Path:
    repo, stamp = REPOS / scale, REPOS / f"{scale}.stamp"
    if repo.is_dir() and stamp.exists() and stamp.read_text() == generator_stamp(scale):
        return repo
    print(f"generating {scale} ...", file=sys.stderr)
    subprocess.run(
        [
            sys.executable,
            str(BENCH / "generate.py"),
            "--scale",
            scale,
            "--out",
            str(repo),
            "--seed",
            str(SEED),
            "--as-of",
            AS_OF,
        ],
        check=True,
    )
    stamp.write_text(generator_stamp(scale))
    return repo


def repo_size(repo: Path) -> tuple[int, int]:
    """Count and bytes of the files a linter reads (reading them also warms the page cache)."""
    n = size = 0
    for path in repo.rglob("*"):
        if path.suffix in (".md", ".yaml", ".yml") and path.is_file():
            n, size = n + 1, size + len(path.read_bytes())
    return n, size


def bench_repo(
    repo: Path, repeat: int, names: set[str] | None, timeout: float | None
) -> dict[str, Result]:
    chosen = [t for t in TOOLS if names is None or t.name.split()[0] in names]
    tools = [(t, argv) for t in chosen if (argv := t.argv(repo)) is not None]
    results = {t.name: Result() for t, _ in tools}
    shutil.rmtree(CACHE, ignore_errors=True)
    for tool, argv in tools:
        if tool.env.get("POLICYLINT_CACHE_DIR"):
            warm(repo, argv)  # the cached runs start from a warm cache (untimed)
    for i in range(repeat):
        for tool, argv in tools:
            res = results[tool.name]
            undo = tool.before(repo) if tool.before is not None else None
            try:
                cwd = repo if tool.cwd_is_repo else ROOT
                wall, cpu, rss, code, tail = measure(argv, cwd, timeout, tool.env)
            finally:
                if undo is not None:
                    undo()
            res.walls.append(wall)
            res.cpus.append(cpu)
            res.rss_kib.append(rss)
            res.codes.append(code)
            if code not in OK_CODES:
                res.error = res.error or f"exit {code}: {tail}"
            print(
                f"  [{i + 1}/{repeat}] {tool.name:<26} {wall:8.3f}s {cpu:8.3f}s CPU "
                f"{rss / 1024:8.1f} MiB exit {code}",
                file=sys.stderr,
            )
    return results


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} CPUs{mem}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}"
    )


def table(runs: dict[str, tuple[int, int, dict[str, Result]]]) -> str:
    lines = [
        "| repo | files | MB | tool | median s | min s | × floor | × events floor "
        "| median CPU s | × events floor (CPU) | peak RSS MiB | exit |",
        "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]

    def ratio(res: Result, base: Result | None) -> str:
        return f"{res.median / base.median:.2f}" if base and base.median > 0 else "–"

    def cpu_ratio(res: Result, base: Result | None) -> str:
        return f"{res.cpu / base.cpu:.2f}" if base and base.cpu > 0 else "–"

    for name, (files, size, results) in runs.items():
        floor, events = results.get("floor"), results.get("events-floor")
        for tool, res in results.items():
            codes = ",".join(str(c) for c in sorted(set(res.codes)))
            lines.append(
                f"| {name} | {files} | {size / 1e6:.1f} | {tool} | {res.median:.3f} | "
                f"{min(res.walls):.3f} | {ratio(res, floor)} | {ratio(res, events)} | "
                f"{res.cpu:.3f} | {cpu_ratio(res, events)} | "
                f"{max(res.rss_kib) / 1024:.0f} | {codes} |"
            )
    if "medium" in runs and "large" in runs:
        lines += ["", "| tool | medium s | large s | large / medium |", "|---|---:|---:|---:|"]
        medium, large = runs["medium"][2], runs["large"][2]
        for tool in large:
            if tool in medium:
                m, g = medium[tool].median, large[tool].median
                lines.append(f"| {tool} | {m:.3f} | {g:.3f} | {g / m:.1f} |")
    return "\n".join(lines) + "\n"


def compile_policylint() -> None:
    """Compile policylint's modules to bytecode once, as an installed package has them (pip
    compiles what it installs). An editable checkout on a machine that sets
    PYTHONDONTWRITEBYTECODE (this one does) would otherwise compile every module from source in
    every timed run: about 80 ms of start-up that no installed copy pays, while the floors'
    PyYAML comes compiled from site-packages."""
    import compileall

    spec = importlib.util.find_spec("policylint")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        compileall.compile_dir(folder, quiet=1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", default="small,medium", help="comma-separated: small,medium,large")
    ap.add_argument("--repeat", type=int, help="runs per tool (default 5; 3 for large)")
    ap.add_argument("--no-sample", action="store_true", help="do not time sample-repo")
    ap.add_argument(
        "--tools",
        help="comma-separated subset: policylint,policylint-cached,pre-commit-one-changed,"
        "pre-commit-doc-changed,floor,"
        "events-floor,check-jsonschema,yamllint,markdownlint-cli2",
    )
    ap.add_argument("--timeout", type=float, help="kill a run after this many seconds")
    ap.add_argument(
        "--lsp",
        metavar="SCALE",
        help="also measure the language server's edit latency on this scale (lsp_latency.py)",
    )
    args = ap.parse_args(argv)
    compile_policylint()
    scales = [s for s in args.scales.split(",") if s]
    runs: dict[str, tuple[int, int, dict[str, Result]]] = {}
    targets: list[tuple[str, Path]] = []
    if not args.no_sample and SAMPLE.is_dir() and any(SAMPLE.rglob("*.md")):
        targets.append(("sample-repo", SAMPLE))
    targets += [(scale, ensure_repo(scale)) for scale in scales]
    for name, repo in targets:
        repeat = args.repeat or (3 if name == "large" else 5)
        files, size = repo_size(repo)
        print(f"{name}: {files} files, {size / 1e6:.1f} MB, {repeat} repeats", file=sys.stderr)
        names = set(args.tools.split(",")) if args.tools else None
        runs[name] = (files, size, bench_repo(repo, repeat, names, args.timeout))
    missing = [
        t.name
        for t in TOOLS
        if (not args.tools or t.name.split()[0] in args.tools.split(","))
        and all(t.name not in r for _, _, r in runs.values())
    ]
    report = [
        f"# policylint benchmark ({dt.date.today()})",
        "",
        f"Machine: {machine()}",
        "",
        table(runs),
    ]
    if missing:
        report.append(f"Not installed, skipped: {', '.join(missing)}.\n")
    failures = [
        f"- {n} / {t}: {r.error}"
        for n, (_, _, rs) in runs.items()
        for t, r in rs.items()
        if r.error
    ]
    if failures:
        report += ["Failures (timings of failed runs are not comparable):", *failures, ""]
    if args.lsp:
        latency = [sys.executable, str(BENCH / "lsp_latency.py"), "--scale", args.lsp]
        proc = subprocess.run(latency, capture_output=True, text=True, check=False)
        lsp = OUT / "lsp.md"
        if proc.returncode == 0 and lsp.is_file():
            report += ["", lsp.read_text(encoding="utf-8")]
        else:
            report += ["", f"LSP latency: failed ({proc.stderr.strip().splitlines()[-1:]})", ""]
    text = "\n".join(report)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
