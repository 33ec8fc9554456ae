"""``policylint import KIND SOURCE``: a register from an Excel workbook, a CSV file or a
Markdown table (see :mod:`policylint.importer`).

It writes only the ``-o`` file (stdout without it) and never overwrites a file unless
``--force``. Problems go to stderr, one line each, naming the source and the cell. Exit codes:
0 imported without a problem (warnings allowed), 1 at least one cell or row could not be
converted (the rest is imported), 2 usage (an unknown sheet, an existing output, a bad map).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import click

from policylint.cli import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_USAGE,
    default_lang,
    guarded,
    main,
)
from policylint.errors import UsageError

MAX_MAP_BYTES = 1024 * 1024
_KIND_LINE = re.compile(rb"^kind:[ \t]*[a-z]", re.MULTILINE)


def looks_like_governance(folder: Path, max_files: int = 200) -> bool:
    """A governance repository without a configuration file: a Markdown or YAML file with a
    ``kind`` line near its top, within two folder levels (a bounded look, never a full walk of
    whatever folder the command runs in)."""
    seen = 0
    for pattern in ("*", "*/*", "*/*/*"):
        for path in sorted(folder.glob(pattern)):
            if path.suffix.lower() not in (".md", ".yaml", ".yml") or path.is_symlink():
                continue
            if any(part.startswith(".") for part in path.relative_to(folder).parts):
                continue
            seen += 1
            if seen > max_files:
                return False
            try:
                if not path.is_file():
                    continue
                with path.open("rb") as fh:
                    head = fh.read(4096)
            except OSError:
                continue
            if _KIND_LINE.search(head):
                return True
    return False


def _repository_names(repo: Path | None, explicit: bool) -> tuple[object | None, str | None]:
    """(Names, configured language) of the repository named by ``--repo``, or of the current
    folder when it is a governance repository (it has a policylint configuration)."""
    from policylint.config import find_config, load_config

    if repo is None:
        here = Path(".")
        if find_config(here) is None and not looks_like_governance(here):
            return None, None
        repo = here
    if not repo.is_dir():
        raise UsageError(f"--repo {repo}: not a folder")
    if explicit and find_config(repo) is None and not any(repo.iterdir()):
        raise UsageError(f"--repo {repo}: the folder is empty")
    from policylint.engine import load_repository
    from policylint.importer import names_of

    config = load_config(repo, None)
    model, _ = load_repository(repo, config, config.as_of or dt.date.today())
    return names_of(model, str(repo)), config.lang


@main.command(name="import")
@click.argument("kind", metavar="KIND")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--sheet", metavar="NAME", help="Sheet of the workbook (default: the first).")
@click.option(
    "--table",
    "table_no",
    type=click.IntRange(min=1),
    metavar="N",
    help="Markdown: the N-th table of the file (default: the first table under the first heading).",
)
@click.option(
    "--repo",
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="Governance repository whose roles, people and levels resolve names to ids "
    "(default: the current folder when it is one: a policylint configuration, or files with "
    "a kind).",
)
@click.option(
    "--map",
    "map_file",
    type=click.Path(path_type=Path),
    metavar="MAP.yaml",
    help="Column name → field mapping that overrides the rule pack's vocabulary.",
)
@click.option(
    "--output", "-o", metavar="FILE", help="Write the register to FILE (default: stdout)."
)
@click.option("--force", is_flag=True, help="Overwrite FILE when it exists.")
@click.option("--lang", type=click.Choice(["ja", "en"]), help="Language of the messages.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@guarded
def import_(
    kind: str,
    source: Path,
    sheet: str | None,
    table_no: int | None,
    repo: Path | None,
    map_file: Path | None,
    output: str | None,
    force: bool,
    lang: str | None,
    debug: bool,
) -> None:
    """Convert the table in SOURCE (.xlsx, .csv, or a Markdown table) into a register of KIND
    (any register kind: assets, people, roles, external-parties, legal-register, …), in the
    convention's field names and values."""
    from policylint.importer import register_kinds

    kinds = register_kinds()
    if kind not in kinds:
        raise UsageError(f"unknown register kind '{kind}' (kinds: {', '.join(kinds)})")
    if output not in (None, "-") and Path(output).exists() and not force:
        raise UsageError(f"{output} exists: give --force to overwrite it")
    if output not in (None, "-") and not Path(output).resolve().parent.is_dir():
        raise UsageError(f"{output}: the folder does not exist")
    if not source.exists():
        raise UsageError(f"{source}: no such file")
    names, config_lang = _repository_names(repo, repo is not None)
    chosen = lang or default_lang(config_lang)
    user_map = _read_map(map_file, kind) if map_file is not None else None
    sys.exit(_run(kind, source, sheet, table_no, names, user_map, output, force, chosen))


def _read_map(path: Path, kind: str) -> dict[str, str]:
    from policylint.importer.columns import read_map, schema_fields
    from policylint.validate import kind_schema

    try:
        size = path.stat().st_size
        if size > MAX_MAP_BYTES:
            raise UsageError(f"{path}: --map file is larger than {MAX_MAP_BYTES} bytes")
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the --map file ({exc})") from None
    ks = kind_schema(kind)
    assert ks is not None
    return read_map(str(path), text, list(schema_fields(ks.part("item"))))


def _run(
    kind: str,
    source: Path,
    sheet: str | None,
    table_no: int | None,
    names: object | None,
    user_map: dict[str, str] | None,
    output: str | None,
    force: bool,
    lang: str,
) -> int:
    from policylint.importer import Names, Problem, dump_register, import_table
    from policylint.importer.messages import USAGE_KEYS
    from policylint.importer.sources import SourceError, read_table

    try:
        table = read_table(source, sheet=sheet, table=table_no)
    except SourceError as exc:
        problem = Problem(exc.args_.get("path", source.name), "error", exc.key, exc.args_)
        click.echo(problem.render(lang), err=True)
        return EXIT_USAGE if exc.key in USAGE_KEYS else EXIT_ERRORS
    result = import_table(
        table, kind, user_map=user_map, names=names if isinstance(names, Names) else None
    )
    for problem in result.problems:
        click.echo(problem.render(lang), err=True)
    if result.header_row:
        word = "シート" if lang == "ja" else "sheet"
        where = f"{word} {table.sheet}" if table.sheet else ""
        note = (
            f"policylint import {kind} {source.name}"
            + (f" --sheet {table.sheet}" if table.sheet and sheet else "")
            + (f" --table {table_no}" if table_no else "")
        )
        text = dump_register(result, note)
        _write(text, output, force)
        shown = output if output not in (None, "-") else "stdout"
        skipped = result.rows_skipped
        n, errors = len(result.items), result.errors
        if lang == "ja":
            place = f"（{where}）" if where else ""
            msg = (
                f"{source.name}{place} から {n} 行を {shown} に取り込みました"
                f"（見出し {result.header_row}、空行・合計行 {skipped} 行を除外、"
                f"エラー {errors} 件）"
            )
        else:
            place = f" ({where})" if where else ""
            msg = (
                f"imported {n} rows of {source.name}{place} into {shown} (header at "
                f"{result.header_row}; {skipped} blank or totals rows skipped; {errors} errors)"
            )
        from policylint.diagnostics import printable

        click.echo(printable(msg, whole_line=True), err=True)
    return EXIT_ERRORS if result.errors else EXIT_OK


def _write(text: str, output: str | None, force: bool) -> None:
    if output in (None, "-"):
        sys.stdout.write(text)
        return
    assert output is not None
    try:
        with open(output, "w" if force else "x", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except FileExistsError:
        raise UsageError(f"{output} exists: give --force to overwrite it") from None
    except OSError as exc:
        raise UsageError(f"{output}: cannot write ({exc.strerror})") from None
