"""``policylint fix``: apply the safe fixes that findings carry (see :mod:`policylint.fixes`).

Only mechanical, meaning-preserving edits: an era or slashed date written as an ISO date, a
misspelt field name with exactly one near match, a version number quoted so that it stays the
text it was written as. Each edit replaces one span; every other byte of the file is kept. A
file is parsed again after its edits and its value compared with what the fixes promise; an edit
that would change anything else is refused and reported.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import stat
import sys
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import click

from policylint.cli import (
    EXIT_ERRORS,
    EXIT_OK,
    as_of_option,
    config_option,
    guarded,
    lang_option,
    main,
    parse_as_of,
    prepare_run,
    root_and_files,
    root_and_files_options,
)
from policylint.diagnostics import Severity, printable
from policylint.fixes import Fix, apply_edits, expected_value
from policylint.loader import DEFAULT_MAX_FILE_BYTES, parse_text

_TEXT = {
    "en": {
        "fixed": "Fixed {n} finding(s) in {files} file(s).",
        "nothing": "Nothing to fix: no finding has a safe fix.",
        "would": "{n} finding(s) in {files} file(s) would be fixed (--diff: nothing was written).",
        "refused": "{path}:{line}:{col}: not fixed ({check}): the edit would change more than "
        "this value; correct it by hand.",
        "unreadable": "{path}: not fixed: the file cannot be read safely ({why}).",
        "remain": "{errors} error(s) and {warnings} warning(s) remain: "
        "run 'policylint check' to see them.",
    },
    "ja": {
        "fixed": "{files} ファイルの {n} 件を修正しました。",
        "nothing": "修正できる指摘はありません（安全な自動修正のある指摘がありません）。",
        "would": "{files} ファイルの {n} 件が修正されます（--diff のため書き込んでいません）。",
        "refused": "{path}:{line}:{col}: 修正しませんでした（{check}）: "
        "この値以外も変わってしまうため、手で直してください。",
        "unreadable": "{path}: 修正しませんでした: ファイルを安全に読めません（{why}）。",
        "remain": "エラー {errors} 件、警告 {warnings} 件が残っています。"
        "'policylint check' で確認してください。",
    },
}


@dataclass(frozen=True)
class Planned:
    """The new content of one file and the fixes it applies."""

    rel: str
    old: str
    new: str
    fixes: tuple[Fix, ...]


def _read(root: Path, rel: str) -> str:
    """The file's exact text (BOM and line endings kept), read only inside the root."""
    path = root / rel
    real_root = root.resolve()
    real = path.resolve()
    if real_root not in real.parents:
        raise OSError("outside the repository")
    info = path.lstat()
    if not stat.S_ISREG(info.st_mode):
        raise OSError("not a regular file")
    if info.st_size > DEFAULT_MAX_FILE_BYTES:
        raise OSError("too large")
    return path.read_bytes().decode("utf-8")


def _normalised(text: str) -> str:
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def _verified(rel: str, old: str, fixes: Sequence[Fix]) -> str | None:
    """The text with ``fixes`` applied, when the result reads exactly as they promise."""
    new = apply_edits(old, [f.edit for f in fixes])
    if new is None:
        return None
    before, after = parse_text(rel, _normalised(old)), parse_text(rel, _normalised(new))
    if before.findings and any(f.check_id == "policylint/parse-error" for f in before.findings):
        return None
    if after.value != expected_value(before.value, fixes) or after.body != before.body:
        return None
    return new


def plan(root: Path, by_file: dict[str, list[Fix]], out: TextIO, lang: str) -> list[Planned]:
    """What each file becomes; fixes that cannot be verified are reported and left out."""
    text = _TEXT[lang]
    planned: list[Planned] = []
    for rel in sorted(by_file):
        fixes = sorted(set(by_file[rel]), key=lambda f: (f.edit.line, f.edit.column))
        try:
            old = _read(root, rel)
        except (OSError, UnicodeDecodeError) as exc:
            why = exc.strerror or str(exc) if isinstance(exc, OSError) else "not UTF-8"
            out.write(text["unreadable"].format(path=printable(rel), why=why) + "\n")
            continue
        if "\r" in old.replace("\r\n", ""):
            continue  # lone carriage returns: positions are ambiguous, leave the file alone
        new = _verified(rel, old, fixes)
        kept: list[Fix] = list(fixes)
        if new is None:  # find the fixes that verify on their own, and report the others
            kept = []
            for fix in fixes:
                if _verified(rel, old, [*kept, fix]) is not None:
                    kept.append(fix)
                else:
                    e = fix.edit
                    msg = text["refused"].format(
                        path=printable(rel), line=e.line, col=e.column, check="policylint fix"
                    )
                    out.write(msg + "\n")
            new = _verified(rel, old, kept) if kept else None
        if new is not None and new != old:
            planned.append(Planned(rel, old, new, tuple(kept)))
    return planned


def _write(path: Path, text: str) -> None:
    """Replace the file's content atomically, keeping its permissions."""
    mode = stat.S_IMODE(path.stat().st_mode)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".policylint-fix-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run_fix(
    root: Path,
    files: tuple[Path, ...] | None,
    config_file: Path | None,
    as_of: dt.date | None,
    lang: str | None,
    diff: bool,
    out: TextIO,
) -> int:
    from policylint.cli.check import relative_files
    from policylint.engine import lint

    run = prepare_run(root, config_file, as_of, lang)
    result = lint(root, run.config, run.pack, run.today, run.lang)
    wanted = set(relative_files(root, files)) if files is not None else None
    by_file: dict[str, list[Fix]] = defaultdict(list)
    for d in result.diagnostics:
        if d.fix is not None and not d.suppressed and (wanted is None or d.path in wanted):
            by_file[d.fix.file].append(d.fix)
    text = _TEXT[run.lang]
    planned = plan(root, by_file, out, run.lang)
    count = sum(len(p.fixes) for p in planned)
    if not planned:
        out.write(text["nothing"] + "\n")
        return EXIT_OK
    if diff:
        for p in planned:
            lines = difflib.unified_diff(
                p.old.splitlines(),
                p.new.splitlines(),
                f"a/{printable(p.rel)}",
                f"b/{printable(p.rel)}",
                lineterm="",
            )
            # every line made printable, like every other string from the repository: an escape
            # sequence or a line separator in a file never reaches the terminal or the CI log
            out.writelines(printable(line.removesuffix("\r")) + "\n" for line in lines)
        out.write(text["would"].format(n=count, files=len(planned)) + "\n")
        return EXIT_ERRORS
    for p in planned:
        _write(root / p.rel, p.new)
    out.write(text["fixed"].format(n=count, files=len(planned)) + "\n")
    after = lint(root, run.config, run.pack, run.today, run.lang).diagnostics
    live = [d for d in after if not d.suppressed]
    errors = sum(d.severity is Severity.ERROR for d in live)
    if live:
        warnings = len(live) - errors
        out.write(text["remain"].format(errors=errors, warnings=warnings) + "\n")
    return EXIT_ERRORS if errors else EXIT_OK


@main.command()
@root_and_files_options("the files to fix")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; change nothing.")
@as_of_option
@lang_option()
@config_option
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@guarded
def fix(
    paths: tuple[Path, ...],
    root: Path | None,
    diff: bool,
    as_of: str | None,
    lang: str | None,
    config_file: Path | None,
    debug: bool,
) -> None:
    """Apply the safe, mechanical fixes of the repository at PATH (default: the current folder).

    Only meaning-preserving edits: era, slashed and full-width dates written as ISO dates, a
    misspelt field name with exactly one near match, an unquoted version number quoted. Every
    other byte of a file stays as it was; a fix that would change any other value is refused.
    With --diff, print the changes and write nothing (exit 1 when there is something to fix).
    """
    repo_root, files = root_and_files(paths, root, config_file)
    code = run_fix(repo_root, files, config_file, parse_as_of(as_of), lang, diff, sys.stdout)
    sys.exit(code)
