"""Latency of ``policylint lsp``: from a didChange to the publishDiagnostics it causes.

A real LSP client (pygls', the one of tests/lsp_client.py) starts ``policylint lsp`` on a
generated repository, opens a document and an assets register, and edits each in turn so that
a finding appears and disappears (an owner that names nobody, then the owner again): every
edit causes exactly one publication for that file. A third kind of edit adds a line to an
asset in the middle of the register (``notes: x``, as when typing Enter after a field) and
removes it again, alternately: a finding on the last asset (its owner names nobody) moves down
and back up one line, one publication per edit. The time is measured in the client, from
sending the change to receiving the diagnostics, so it includes the debounce (10 ms), the
JSON-RPC round trip, the re-parse and the re-run checks.

    python bench/lsp_latency.py --scale medium [--edits 40]

Prints the medians and 95th percentiles and writes them to bench/out/lsp.md. Targets
(issue 15, medium repository): median <= 50 ms and p95 <= 100 ms for an edit of one asset or
one document (either kind of asset edit).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "tests"))
sys.path.insert(0, str(BENCH))

from run import ensure_repo, machine  # noqa: E402

from lsp_client import Editor  # noqa: E402


def process_cpu_ms(pid: int) -> float | None:
    """CPU time (user + system) a process has used so far, from /proc (None: not Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def first_of(repo: Path, pattern: str, needle: str) -> str:
    for path in sorted(repo.glob(pattern)):
        if needle in path.read_text(encoding="utf-8"):
            return path.relative_to(repo).as_posix()
    raise SystemExit(f"no file {pattern} with {needle!r} in {repo}")


KINDS = {
    "document": "one document",
    "asset": "one asset, same lines",
    "lines": "one asset, a line added or removed",
}
"""The kinds of edit measured, and how the tables name them."""


def last_owner_of(text: str) -> tuple[int, str, int]:
    """Where the last asset's owner line starts, the owner, and which occurrence of
    ``owner: <it>`` in the text it is."""
    last = text.rindex("\n    owner: ") + 1
    owner = text[last:].split("owner: ", 1)[1].split("\n", 1)[0]
    return last, owner, text[:last].count(f"owner: {owner}") + 1


def owner_finding_line(diags: list[Any]) -> int:
    """The 0-based line of the one finding about the owner "nobody-here"."""
    (line,) = {d.range.start.line for d in diags if "nobody-here" in d.message}
    return int(line)


async def measure(repo: Path, edits: int, kinds: list[str]) -> dict[str, list[float]]:
    editor = Editor(repo, {"asOf": None})
    t0 = time.perf_counter()
    await editor.start()
    doc = first_of(repo, "docs/procedures/*/*.md", "owner: ")
    register = first_of(repo, "registers/assets/*.yaml", "owner: ")
    await editor.open(doc)
    opened = time.perf_counter() - t0
    pid = editor.client._server.pid  # type: ignore[attr-defined]  # pygls keeps the process
    t1 = time.perf_counter()
    await editor.open(register)
    open_register = time.perf_counter() - t1
    print(f"server started and repository loaded: {opened:.1f} s", file=sys.stderr)
    out: dict[str, list[float]] = {key: [] for key in KINDS}
    out["start"], out["open register"] = [opened], [open_register]
    for rel, key in ((doc, "document"), (register, "asset"), (register, "lines")):
        if key not in kinds:
            continue
        text = editor.texts[rel]
        # a document's owner; an asset's owner in the middle of the register
        at = text.index("\n    owner: ", len(text) // 2) + 1 if key != "document" else 0
        owner = text[at:].split("owner: ", 1)[1].split("\n", 1)[0]
        nth = text[:at].count(f"owner: {owner}") + 1
        below: int | None = None
        if key == "lines":  # a finding on the last asset (not measured)
            last, last_owner, last_nth = last_owner_of(text)
            since = editor.replace(rel, f"owner: {last_owner}", "owner: nobody-here", last_nth)
            below = owner_finding_line(await editor.wait_for(rel, since))
            assert below == editor.texts[rel].count("\n", 0, last), below
        cpu0 = process_cpu_ms(pid)
        for i in range(edits):
            if key == "lines":
                old, new = f"owner: {owner}", f"owner: {owner}\n    notes: x"
                if i % 2:
                    old, new, n = new, old, 1
                else:
                    n = nth
            else:
                old, new = (owner, "nobody-here") if i % 2 == 0 else ("nobody-here", owner)
                old, new, n = f"owner: {old}", f"owner: {new}", nth if i % 2 == 0 else 1
            since = editor.replace(rel, old, new, n)
            diags = await editor.wait_for(rel, since)
            ms = (editor.arrived[editor.uri(rel)] - since) * 1000
            out[key].append(ms)
            if below is not None:  # the finding below moved down, then back up
                assert owner_finding_line(diags) == below + (i + 1) % 2, diags
            else:
                assert any("nobody-here" in d.message for d in diags) == (i % 2 == 0), diags
            await asyncio.sleep(0.05)  # a typist's pause: edits are measured one at a time
        cpu1 = process_cpu_ms(pid)
        if cpu0 is not None and cpu1 is not None:  # the server's own CPU, all of it, per edit
            out[f"{key} server cpu"] = [(cpu1 - cpu0) / edits]
        if below is not None:  # the last asset's owner again
            since = editor.replace(rel, "owner: nobody-here", f"owner: {last_owner}")
            await editor.wait_for(rel, since)
        print(f"{key}: {edits} edits", file=sys.stderr)
    await editor.stop()
    return out


def cpu_per_update(repo: Path, edits: int, kinds: list[str]) -> dict[str, list[float]]:
    """The same edits applied to an in-process session: CPU milliseconds per update (what
    the server spends, whatever else the machine runs), beside the wall times above."""
    import datetime as dt

    from policylint.config import load_config
    from policylint.incremental import Session
    from policylint.rulepack import load_packs

    config = load_config(repo)
    session = Session(
        repo, config, load_packs(config.frameworks), config.as_of or dt.date.today(), "en"
    )
    session.load()
    out: dict[str, list[float]] = {}
    doc = first_of(repo, "docs/procedures/*/*.md", "owner: ")
    register = first_of(repo, "registers/assets/*.yaml", "owner: ")
    for rel, key in ((doc, "document"), (register, "asset"), (register, "lines")):
        if key not in kinds:
            continue
        text = (repo / rel).read_text(encoding="utf-8")
        if key == "lines":  # the last asset's owner names nobody (a finding below the edits)
            last, last_owner, _ = last_owner_of(text)
            text = text[:last] + text[last:].replace(last_owner, "nobody-here", 1)
        at = text.index("\n    owner: ", len(text) // 2) + 1 if key != "document" else 0
        owner = text[at:].split("owner: ", 1)[1].split("\n", 1)[0]
        new = f"owner: {owner}\n    notes: x" if key == "lines" else "owner: nobody-here"
        head, tail = text[:at], text[at:].replace(f"owner: {owner}", new, 1)
        edited = head + tail
        session.update(rel, text)
        fast = session.item_edits
        out[key] = []
        for i in range(edits):
            t0 = time.process_time()
            session.update(rel, edited if i % 2 == 0 else text)
            out[key].append((time.process_time() - t0) * 1000)
        if key != "document":  # each asset edit was applied to that asset alone
            assert session.item_edits == fast + edits, (key, session.item_edits - fast)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", default="medium")
    ap.add_argument("--edits", type=int, default=40)
    ap.add_argument("--only", choices=list(KINDS), help="measure one kind of edit")
    args = ap.parse_args(argv)
    repo = ensure_repo(args.scale)
    kinds = [args.only] if args.only else list(KINDS)
    load = os.getloadavg()
    found = asyncio.run(measure(repo, args.edits, kinds))
    lines = [
        f"`policylint lsp` on the {args.scale} repository, {args.edits} edits each, "
        f"measured in the client ({machine()}).",
        "",
        "| edit | median ms | p95 ms | min ms | max ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for key in kinds:
        values = found[key]
        lines.append(
            f"| {KINDS[key]} | {statistics.median(values):.1f} | {percentile(values, 95):.1f} | "
            f"{min(values):.1f} | {max(values):.1f} |"
        )
    cpu = cpu_per_update(repo, args.edits, kinds)
    lines += [
        "",
        "CPU time of the same updates in an in-process session (the server's work, "
        "insensitive to other load on the machine):",
        "",
        "| edit | median CPU ms | p95 CPU ms |",
        "|---|---:|---:|",
    ]
    for key in kinds:
        lines.append(
            f"| {KINDS[key]} | {statistics.median(cpu[key]):.1f} | {percentile(cpu[key], 95):.1f} |"
        )
    lines += [
        "",
        "CPU time of the server process itself over the same edits (user + system from /proc, "
        "JSON-RPC and publication included), per edit:",
        "",
        "| edit | server CPU ms per edit |",
        "|---|---:|",
    ]
    for key in kinds:
        if f"{key} server cpu" in found:
            lines.append(f"| {KINDS[key]} | {found[f'{key} server cpu'][0]:.1f} |")
    lines += [
        "",
        f"Load average before measuring: {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f} (1, 5, "
        f"15 min); after: {os.getloadavg()[0]:.1f}, on {os.cpu_count()} CPUs.",
        "",
        f"Start-up (server start, load, first diagnostics): {found['start'][0]:.1f} s; "
        f"opening the assets register: {found['open register'][0] * 1000:.0f} ms.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    (BENCH / "out").mkdir(exist_ok=True)
    (BENCH / "out" / "lsp.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
