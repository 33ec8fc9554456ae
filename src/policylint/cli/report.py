"""``policylint report``: the compliance report of a repository (Markdown, HTML, JSON, OSCAL).

One run of the engine; the report is built from its result and written only to ``--output``
(or stdout). The repository is never written to.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import click

from policylint import STARTED
from policylint.cli import (
    EXIT_OK,
    as_of_option,
    config_option,
    framework_option,
    guarded,
    lang_option,
    main,
    open_output,
    parse_as_of,
    prepare_run,
)
from policylint.errors import UsageError
from policylint.progress import format_stats


@dataclass(frozen=True)
class ReportSettings:
    root: Path
    config_file: Path | None
    as_of: dt.date | None
    lang: str | None
    output_format: str
    output: str | None
    horizon_days: int
    stats: bool = False
    frameworks: tuple[str, ...] = ()


def link_base(root: Path, output: str | None) -> str:
    """How links in the report reach repository files: relative to the output file's folder
    (so the report and the repository can be moved together), else relative to the root."""
    if output in (None, "-"):
        return ""
    out_dir = Path(output).resolve().parent
    rel = os.path.relpath(root.resolve(), out_dir)
    rel = Path(rel).as_posix()
    return "" if rel == "." else rel + "/"


def run_report(settings: ReportSettings, err: TextIO) -> int:
    from policylint.engine import lint, no_cyclic_gc
    from policylint.report import BINARY_FORMATS, build_report, render, render_bytes

    root = settings.root
    if settings.horizon_days < 0:
        raise UsageError("--days must not be negative", ja="--days に負の数は指定できません")
    binary = settings.output_format in BINARY_FORMATS
    if binary and settings.output in (None, "-") and sys.stdout.isatty():
        raise UsageError(f"--format {settings.output_format} writes a binary file: give -o FILE")
    t0 = time.perf_counter()
    run = prepare_run(
        root, settings.config_file, settings.as_of, settings.lang, frameworks=settings.frameworks
    )
    result = lint(root, run.config, run.pack, run.today, run.lang)
    t1 = time.perf_counter()
    # The model of a large repository holds millions of objects that live until the process
    # ends; a cyclic collection triggered by the report's allocations would traverse them all.
    with no_cyclic_gc():
        report = build_report(
            result, repository=root.resolve().name, horizon_days=settings.horizon_days
        )
        try:
            if binary:
                data = render_bytes(report, settings.output_format)
                if settings.output in (None, "-"):
                    sys.stdout.flush()
                    sys.stdout.buffer.write(data)
                else:
                    with open(settings.output, "wb") as fh:
                        fh.write(data)
            else:
                with open_output(settings.output) as out:
                    render(report, settings.output_format, out, link_base(root, settings.output))
        except BrokenPipeError:
            raise
        except OSError as exc:  # a missing folder, a folder, a full disk (/dev/full)
            where = settings.output or "standard output"
            raise UsageError(
                f"{where}: cannot write the report ({exc.strerror or exc})",
                ja=f"{where}: レポートを書き込めません（{exc.strerror or exc}）",
            ) from None
    if settings.stats:
        stats = {"start-up": t0 - STARTED, **result.stats, "report": time.perf_counter() - t1}
        err.write(format_stats(stats, len(result.repo.sources)))
    return EXIT_OK


@main.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    default="md",
    show_default=True,
    type=click.Choice(["md", "html", "json", "oscal", "xlsx", "ics"]),
    help="md: Markdown tables; html: one self-contained page; json: schemas/report.schema.json; "
    "oscal: OSCAL assessment results (JSON); xlsx: a workbook (items, findings, due dates, one "
    "sheet per register); ics: every due date as a calendar event.",
)
@click.option("--output", "-o", metavar="FILE", help="Write the report to FILE instead of stdout.")
@as_of_option
@lang_option("the report")
@config_option
@framework_option
@click.option(
    "--days",
    "horizon_days",
    default=90,
    show_default=True,
    type=int,
    help="The timeline shows what falls due within this many days.",
)
@click.option("--stats", is_flag=True, help="Print timings on stderr.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@guarded
def report(
    path: Path | None,
    output_format: str,
    output: str | None,
    as_of: str | None,
    lang: str | None,
    config_file: Path | None,
    frameworks: tuple[str, ...],
    horizon_days: int,
    stats: bool,
    debug: bool,
) -> None:
    """Write the compliance report of the repository at PATH: the status of every guideline
    item, its checks and evidence, and what falls due. Exits 0 once the report is written,
    whatever it says (use `policylint check` to gate a build). The root is found from PATH
    (default: the current folder) upward, as for `policylint check`."""
    from policylint.discovery import find_root

    start = path if path is not None else Path(".")
    root = start if config_file is not None else find_root(start, explicit=path is not None)
    settings = ReportSettings(
        root,
        config_file,
        parse_as_of(as_of),
        lang,
        output_format,
        output,
        horizon_days,
        stats,
        frameworks,
    )
    sys.exit(run_report(settings, sys.stderr))
