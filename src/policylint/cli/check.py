"""``policylint check``: lint a repository and report its diagnostics."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import click

from policylint.cli import (
    EXIT_ERRORS,
    EXIT_OK,
    default_lang,
    guarded,
    main,
    open_output,
    parse_as_of,
)
from policylint.errors import UsageError


@dataclass(frozen=True)
class CheckSettings:
    root: Path
    config_file: Path | None
    as_of: dt.date | None
    lang: str | None
    output_format: str
    output: str | None
    stats: bool


def run_check(settings: CheckSettings, err: TextIO) -> int:
    from policylint.config import load_config
    from policylint.engine import lint
    from policylint.reporters import ReportOptions, get_reporter
    from policylint.rulepack import load_rulepack

    root = settings.root
    if not root.exists():
        raise UsageError(f"{root}: no such file or folder")
    if not root.is_dir():
        raise UsageError(f"{root}: not a folder (give the root of the governance repository)")
    config = load_config(root, settings.config_file)
    pack = load_rulepack(config.framework)
    today = settings.as_of or config.as_of or dt.date.today()
    lang = settings.lang or default_lang(config.lang)
    result = lint(root, config, pack, today, lang)
    reporter = get_reporter(settings.output_format)
    color = settings.output in (None, "-") and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    with open_output(settings.output) as out:
        reporter(result, out, ReportOptions(color=color))
    if settings.stats:
        for phase, seconds in result.stats.items():
            err.write(f"policylint: {phase}: {seconds:.3f}\n")
    return EXIT_ERRORS if result.count_errors() else EXIT_OK


@main.command()
@click.argument("path", default=".", type=click.Path(path_type=Path))
@click.option(
    "--as-of", "as_of", metavar="DATE", help="Evaluate dates as of this day (YYYY-MM-DD)."
)
@click.option("--lang", type=click.Choice(["ja", "en"]), help="Language of messages.")
@click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path),
    help="Configuration file (default: policylint.yaml or pyproject.toml in PATH).",
)
@click.option(
    "--format",
    "output_format",
    default="text",
    show_default=True,
    type=click.Choice(["text"]),
    help="Output format.",
)
@click.option("--output", "-o", metavar="FILE", help="Write the report to FILE instead of stdout.")
@click.option("--stats", is_flag=True, help="Print per-phase timings on stderr.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@guarded
def check(
    path: Path,
    as_of: str | None,
    lang: str | None,
    config_file: Path | None,
    output_format: str,
    output: str | None,
    stats: bool,
    debug: bool,
) -> None:
    """Check the governance repository at PATH (default: the current folder)."""
    settings = CheckSettings(
        path, config_file, parse_as_of(as_of), lang, output_format, output, stats
    )
    sys.exit(run_check(settings, sys.stderr))


def _selectors(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(s.strip() for v in values for s in v.split(",") if s.strip())
