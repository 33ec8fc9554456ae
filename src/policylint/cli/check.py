"""``policylint check``: lint a repository and report its diagnostics.

Shapes of the command line::

    policylint check [PATH]                  # the repository at PATH (default: .)
    policylint check --root DIR [FILE...]    # the repository at DIR, reporting only on FILEs

The second form is for pre-commit (``pass_filenames``): cross-file checks need the whole
repository, so the whole tree is always loaded and checked once; the FILEs (relative to the
current folder; a folder stands for everything below it) only limit which diagnostics are shown
and counted for the exit code. Repository-level findings (at the configuration file, or at no
file, e.g. "no policy exists") are always shown, because the commit that causes them usually deletes
a file, and pre-commit does not pass deleted files. FILEs outside the root are ignored.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click

from policylint import STARTED
from policylint.cli import (
    EXIT_ERRORS,
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
    reader_gone,
    root_and_files,
    root_and_files_options,
)
from policylint.diagnostics import Diagnostic, Severity
from policylint.errors import UsageError
from policylint.progress import format_stats, progress_for
from policylint.reporters import FORMATS

if TYPE_CHECKING:
    from policylint.engine import Result


@dataclass(frozen=True)
class CheckSettings:
    root: Path
    config_file: Path | None
    as_of: dt.date | None
    lang: str | None
    output_format: str
    output: str | None
    stats: bool
    use_cache: bool = True
    files: tuple[Path, ...] | None = None
    """``--root`` form: only diagnostics of these files are reported (None: all)."""
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exit_zero: bool = False
    threshold: Severity = Severity.ERROR
    baseline: Path | None = None
    write_baseline: Path | None = None
    color: str = "auto"
    show_suppressed: bool = False
    frameworks: tuple[str, ...] = ()
    jobs: int = 0
    """Processes to check in (0: as many as there are CPUs, up to 4, for a large repository)."""


def use_color(mode: str, output: str | None, stream: TextIO) -> bool:
    """``auto``: only on a terminal, and not when ``NO_COLOR`` is set (non-empty) or TERM=dumb."""
    if mode != "auto":
        return mode == "always"
    if output not in (None, "-"):
        return False
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def path_prefix(root: Path) -> str:
    """The root relative to the current folder, as a prefix (``gov/``), or "" when it is not
    below it. GitHub resolves annotation and SARIF paths against the checkout, not the root."""
    try:
        rel = root.resolve().relative_to(Path.cwd().resolve())
    except (ValueError, OSError):
        return ""
    text = rel.as_posix()
    return "" if text in ("", ".") else text + "/"


def relative_files(root: Path, files: Sequence[Path]) -> list[str]:
    """FILEs as repository-relative POSIX paths; those outside the root are dropped."""
    base = root.resolve()
    out: list[str] = []
    for f in files:
        try:
            rel = Path(os.path.abspath(f)).relative_to(base)
        except ValueError:
            try:
                rel = f.resolve().relative_to(base)
            except (ValueError, OSError):
                continue
        out.append(rel.as_posix())
    return out


def is_repository_level(d: Diagnostic, anchor: str | None) -> bool:
    """A finding about the repository as a whole: at no file, or at the configuration file's
    first character without a target."""
    if d.path is None:
        return True
    return d.path == anchor and d.target is None and (d.line, d.column) == (1, 1)


def filter_paths(result: Result, wanted: Sequence[str]) -> Result:
    """Keep the diagnostics of the wanted files (or folders), and repository-level ones."""
    exact = set(wanted)
    folders = tuple("" if w == "." else w.rstrip("/") + "/" for w in wanted)
    anchor = result.repo.anchor
    kept = [
        d
        for d in result.diagnostics
        if is_repository_level(d, anchor)
        or d.path in exact
        or any(d.path is not None and d.path.startswith(f) for f in folders)
    ]
    return dataclasses.replace(result, diagnostics=kept)


def fails(result: Result, threshold: Severity) -> bool:
    return any(not d.suppressed and d.severity.rank >= threshold.rank for d in result.diagnostics)


def run_check(settings: CheckSettings, err: TextIO) -> int:
    from policylint import baseline
    from policylint.engine import lint
    from policylint.reporters import ReportOptions, get_reporter
    from policylint.rulepack import unknown_selectors

    root = settings.root
    if settings.write_baseline is not None and settings.files is not None:
        raise UsageError(
            "--write-baseline records the whole repository: do not name FILEs",
            ja="--write-baseline はリポジトリ全体を記録します。FILE を指定しないでください",
        )
    run = prepare_run(
        root,
        settings.config_file,
        settings.as_of,
        settings.lang,
        "give the root of the governance repository, or --root DIR FILE... to report on some files",
        settings.frameworks,
        use_cache=settings.use_cache,
    )
    config, pack, today, lang = run.config, run.pack, run.today, run.lang
    for option, selectors in (("--select", settings.select), ("--ignore", settings.ignore)):
        unknown = unknown_selectors(selectors, pack)
        if unknown:
            from policylint.engine import selectors_like
            from policylint.suggest import hint

            shown = ", ".join(u + hint(selectors_like(u, pack)) for u in unknown)
            shown_ja = "、".join(u + hint(selectors_like(u, pack), "ja") for u in unknown)
            error = UsageError(
                f"{option}: unknown check or item id(s): {shown}",
                ja=f"{option}: 検査または項目の ID ではありません: {shown_ja}",
            )
            error.lang = lang
            raise error
    known = baseline.read_baseline(settings.baseline) if settings.baseline is not None else None
    progress = progress_for(lang, err)
    cache = run.cache
    if run.cache_note:
        err.write(f"policylint: {run.cache_note}\n")
    started = time.perf_counter()
    try:
        result = lint(
            root,
            config,
            pack,
            today,
            lang,
            progress=progress,
            select=settings.select,
            ignore=settings.ignore,
            cache=cache,
            jobs=settings.jobs,
        )
    finally:
        if progress is not None:
            progress.close()
    result.stats["start-up"] = started - STARTED
    if settings.write_baseline is not None:
        n = baseline.write_baseline(settings.write_baseline, result.diagnostics, pack.id)
        notice = (
            f"policylint: {n} 件の指摘をベースライン {settings.write_baseline} に書き込みました\n"
            if lang == "ja"
            else f"policylint: wrote {n} finding(s) to the baseline {settings.write_baseline}\n"
        )
        err.write(notice)
        written = baseline.read_baseline(settings.write_baseline)
        known = written if known is None else known | written
    if known is not None:
        result = dataclasses.replace(
            result, diagnostics=baseline.apply_baseline(result.diagnostics, known)
        )
    if settings.files is not None:
        result = filter_paths(result, relative_files(root, settings.files))
    reporter = get_reporter(settings.output_format)
    options = ReportOptions(
        color=use_color(settings.color, settings.output, sys.stdout),
        show_suppressed=settings.show_suppressed,
        threshold=settings.threshold,
        path_prefix=path_prefix(root) if settings.output_format in ("github", "sarif") else "",
    )
    t_report = time.perf_counter()
    try:
        with open_output(settings.output) as out:
            reporter(result, out, options)
        result.stats["report"] = time.perf_counter() - t_report
    except BrokenPipeError:
        # the reader went away (``policylint check | head``): nothing more to say, like cat
        reader_gone()
        return EXIT_ERRORS if fails(result, settings.threshold) else EXIT_OK
    except OSError as exc:
        where = settings.output or "standard output"
        raise UsageError(
            f"{where}: cannot write the report ({exc.strerror})",
            ja=f"{where}: レポートを書き込めません（{exc.strerror}）",
        ) from None
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if settings.output_format == "github" and summary_file:
        from policylint.reporters.github import markdown_summary

        try:
            with open(summary_file, "a", encoding="utf-8", newline="\n") as fh:
                fh.write(markdown_summary(result, options))
        except OSError as exc:
            err.write(f"policylint: cannot write $GITHUB_STEP_SUMMARY ({exc.strerror})\n")
    if settings.stats:
        err.write(format_stats(result.stats, len(result.repo.sources)))
        if cache is not None:
            part = f" ({cache.patched} parsed in part)" if cache.patched else ""
            err.write(f"policylint: cache    {cache.hits} hit(s), {cache.misses} miss(es){part}\n")
    if settings.exit_zero:
        return EXIT_OK
    return EXIT_ERRORS if fails(result, settings.threshold) else EXIT_OK


def _selectors(values: Sequence[str]) -> tuple[str, ...]:
    """Comma-separated and repeated values; ``Ⅱ.4`` is accepted for ``II.4``."""
    out = (s.strip() for v in values for s in v.split(","))
    return tuple("II" + s[1:] if s.startswith("Ⅱ") else s for s in out if s)


@main.command()
@root_and_files_options("files to report on (pre-commit)")
@as_of_option
@lang_option()
@config_option
@framework_option
@click.option(
    "--format",
    "output_format",
    default="text",
    show_default=True,
    type=click.Choice(list(FORMATS)),
    help="Output format.",
)
@click.option("--output", "-o", metavar="FILE", help="Write the report to FILE instead of stdout.")
@click.option(
    "--select",
    multiple=True,
    metavar="IDS",
    help="Run only these checks (check ids, item ids or prefixes like II.4; comma-separated, "
    "repeatable).",
)
@click.option(
    "--ignore", multiple=True, metavar="IDS", help="Do not run these checks (as --select)."
)
@click.option(
    "--severity-threshold",
    "threshold",
    type=click.Choice(["error", "warning"]),
    default="error",
    show_default=True,
    help="Exit 1 when a diagnostic at or above this severity remains.",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when diagnostics remain.")
@click.option(
    "--baseline",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Show findings recorded in this baseline as suppressed; only new ones count.",
)
@click.option(
    "--write-baseline",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Record the current findings in a baseline FILE (JSON).",
)
@click.option(
    "--show-suppressed",
    is_flag=True,
    help="Text output: also list findings suppressed by the baseline.",
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour text output (auto: on a terminal, unless NO_COLOR is set).",
)
@click.option("--stats", is_flag=True, help="Print per-phase timings on stderr.")
@click.option(
    "--no-cache",
    is_flag=True,
    help="Parse every file afresh instead of reusing the parse cache in the user's cache folder.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=0, max=64),
    default=0,
    show_default=True,
    metavar="N",
    help="Check in N processes (Linux and other POSIX systems but macOS); 0: one per idle CPU, "
    "up to 4, when the repository has 5,000 rows or more; 1: in this process only.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@guarded
def check(
    paths: tuple[Path, ...],
    root: Path | None,
    as_of: str | None,
    lang: str | None,
    config_file: Path | None,
    frameworks: tuple[str, ...],
    output_format: str,
    output: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    threshold: str,
    exit_zero: bool,
    baseline: Path | None,
    write_baseline: Path | None,
    show_suppressed: bool,
    color: str,
    stats: bool,
    no_cache: bool,
    jobs: int,
    debug: bool,
) -> None:
    """Check the governance repository at PATH (default: the current folder).

    The repository's root is the nearest folder at or above PATH with a policylint.yaml (or a
    pyproject.toml with [tool.policylint]); run in a subfolder, policylint checks the whole
    repository, with paths relative to its root.

    With --root DIR, the FILE arguments limit the report to those files (the whole repository
    is still checked, as cross-file checks need it); this is how the pre-commit hook runs.
    Exit codes: 0 no error, 1 a diagnostic at or above the threshold, 2 usage or internal error.
    """
    repo_root, files = root_and_files(paths, root, config_file)
    settings = CheckSettings(
        root=repo_root,
        config_file=config_file,
        as_of=parse_as_of(as_of),
        lang=lang,
        output_format=output_format,
        output=output,
        stats=stats,
        use_cache=not no_cache,
        files=files,
        select=_selectors(select),
        ignore=_selectors(ignore),
        exit_zero=exit_zero,
        threshold=Severity(threshold),
        baseline=baseline,
        write_baseline=write_baseline,
        color=color,
        show_suppressed=show_suppressed,
        frameworks=frameworks,
        jobs=jobs,
    )
    sys.exit(run_check(settings, sys.stderr))
