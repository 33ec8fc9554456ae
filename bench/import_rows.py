"""Benchmark of ``policylint import``: 10,000 asset rows from a workbook and from a CSV file.

Generates (deterministically) an asset register as a Japanese team keeps it — a merged title
row, a blank row, a header with 管理責任者/分類/機密性/完全性/可用性/登録日, dates written as Excel
dates, as 令和 dates and as serial numbers, a totals row — as ``.xlsx`` (openpyxl) and as a
cp932 ``.csv``, and a governance repository (``policylint init``) whose roles and levels the
owners and classifications resolve against. Then it times, each as a whole process, alternating,
N times, and reports medians of wall time and of CPU time (user + system):

- ``floor-xlsx``: ``openpyxl.load_workbook`` of the same file and a walk over every cell (the
  least work any reader of that workbook must do);
- ``import-xlsx``: ``policylint import assets book.xlsx --repo REPO -o out.yaml --force``;
- ``floor-csv``: decoding the CSV and ``csv.reader`` over every row;
- ``import-csv``: ``policylint import assets book.csv --repo REPO -o out.yaml --force``.

Ratios are against the floor of the same run, so the figure does not depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = [
    "No.",
    "資産番号",
    "資産名",
    "種別",
    "保管場所",
    "管理責任者",
    "分類",
    "機密性",
    "完全性",
    "可用性",
    "利用者",
    "利用目的",
    "利用方法",
    "返却",
    "登録日",
    "備考",
]
OWNERS = ["CIO", "CISO", "最高情報責任者", "cio"]
LEVELS = ["社外秘", "社内限り", "公開", "confidential"]
CIA = ["高", "中", "低", "H", "M", "L", 3, 2, 1]


def rows(n: int) -> list[list[object]]:
    out: list[list[object]] = []
    for i in range(1, n + 1):
        if i % 3 == 0:
            when: object = dt.datetime(2026, 4, 1) + dt.timedelta(days=i % 300)
        elif i % 3 == 1:
            when = f"令和8年{1 + i % 12}月{1 + i % 28}日"
        else:
            when = 46113 + i % 300
        out.append(
            [
                i,
                f"as-{i:05d}",
                f"資産 {i}",
                "データベース" if i % 2 else "ハードウェア",
                "東京DC",
                OWNERS[i % len(OWNERS)],
                LEVELS[i % len(LEVELS)],
                CIA[i % len(CIA)],
                CIA[(i + 1) % len(CIA)],
                CIA[(i + 2) % len(CIA)],
                "運用担当者",
                "サービス運用",
                "管理端末から接続",
                "作業後に権限失効",
                when,
                "" if i % 5 else "要確認",
            ]
        )
    return out


def write_workbook(path: Path, data: list[list[object]]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "資産台帳"
    ws.append(["情報資産管理台帳"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    ws.append([])
    ws.append(HEADER)
    for row in data:
        ws.append(row)
    ws.append(["合計", None, f"=COUNTA(C4:C{len(data) + 3})"])
    wb.save(path)


def write_csv(path: Path, data: list[list[object]]) -> None:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(HEADER)
    for row in data:
        w.writerow([v.strftime("%Y/%m/%d") if isinstance(v, dt.datetime) else v for v in row])
    path.write_bytes(buf.getvalue().encode("cp932"))


FLOOR_XLSX = """
import sys
from openpyxl import load_workbook
wb = load_workbook(sys.argv[1], data_only=True)
n = 0
for row in wb.worksheets[0].iter_rows(values_only=True):
    n += sum(1 for v in row if v is not None)
print(n)
"""

FLOOR_CSV = """
import csv, sys
text = open(sys.argv[1], 'rb').read().decode('cp932')
print(sum(len(r) for r in csv.reader(text.splitlines())))
"""


def measure(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process): on a shared machine the CPU time is the
    steadier figure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{argv[:4]} failed ({proc.returncode}): {proc.stderr[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    exe = shutil.which("policylint")
    if exe is None:
        raise SystemExit("policylint is not installed (pip install -e .)")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        repo = work / "repo"
        subprocess.run(
            [exe, "init", str(repo), "--lang", "ja", "--as-of", "2026-11-01"],
            check=True,
            capture_output=True,
        )
        data = rows(args.rows)
        book, sheet_csv = work / "book.xlsx", work / "book.csv"
        write_workbook(book, data)
        write_csv(sheet_csv, data)
        out = work / "out.yaml"
        common = ["--repo", str(repo), "-o", str(out), "--force"]
        tools = {
            "floor-xlsx": [sys.executable, "-c", FLOOR_XLSX, str(book)],
            "import-xlsx": [exe, "import", "assets", str(book), *common],
            "floor-csv": [sys.executable, "-c", FLOOR_CSV, str(sheet_csv)],
            "import-csv": [exe, "import", "assets", str(sheet_csv), *common],
        }
        walls: dict[str, list[float]] = {name: [] for name in tools}
        cpus: dict[str, list[float]] = {name: [] for name in tools}
        for _ in range(args.repeat):
            for name, cmd in tools.items():
                wall, cpu = measure(cmd)
                walls[name].append(wall)
                cpus[name].append(cpu)
        wall_med = {name: statistics.median(v) for name, v in walls.items()}
        cpu_med = {name: statistics.median(v) for name, v in cpus.items()}
        print(f"rows: {args.rows}, repeat: {args.repeat}, book: {book.stat().st_size} bytes")
        print("| tool | median wall s | median CPU s | CPU ratio to its floor |")
        print("|---|---:|---:|---:|")
        for name in tools:
            floor = cpu_med["floor-" + name.split("-")[1]]
            print(
                f"| {name} | {wall_med[name]:.2f} | {cpu_med[name]:.2f} | "
                f"{cpu_med[name] / floor:.2f} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
