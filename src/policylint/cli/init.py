"""``policylint init``: scaffold a new governance repository that passes ``policylint check``."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from policylint.cli import EXIT_OK, default_lang, guarded, main, parse_as_of

if TYPE_CHECKING:
    from policylint.model import Repository


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--lang", type=click.Choice(["ja", "en"]), help="Language of the documents.")
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    help="Date the documents are dated (YYYY-MM-DD; default: today).",
)
@click.option(
    "--add-missing",
    is_flag=True,
    help="DIRECTORY is an existing repository: add only the kinds it lacks, in its language, "
    "never touching an existing file.",
)
@click.option(
    "--framework",
    "frameworks",
    multiple=True,
    metavar="ID",
    help="Framework(s) the new repository declares in policylint.yaml (repeatable; default "
    "mic-asp-saas-2008). Every kind is written, so the repository passes each pack.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@guarded
def init(
    directory: Path,
    lang: str | None,
    as_of: str | None,
    add_missing: bool,
    frameworks: tuple[str, ...],
    debug: bool,
) -> None:
    """Create a complete governance repository in DIRECTORY (new or empty): every document and
    register kind, with placeholders to replace, that `policylint check` accepts as it is.
    With --add-missing, complete an existing repository instead."""
    from policylint.scaffold import NEXT_STEPS, scaffold

    today = parse_as_of(as_of) or dt.date.today()
    if add_missing:
        sys.exit(_add_missing(directory, lang, today))
    chosen = lang or default_lang()
    done = scaffold(directory, chosen, today, tuple(dict.fromkeys(frameworks)))
    if chosen == "ja":
        click.echo(f"{directory} に {len(done.files)} ファイルを作成しました（日付: {today}）。")
        click.echo("値はすべて仮のものです。まず次のファイルを編集してください:")
    else:
        click.echo(f"Created {len(done.files)} files in {directory} (dated {today}).")
        click.echo("Every value is a placeholder. Edit these first:")
    for i, step in enumerate(NEXT_STEPS[chosen], 1):
        click.echo(f"  {i}. {step}")
    hint = "確認" if chosen == "ja" else "then run"
    as_of_opt = f" --as-of {today}" if as_of else ""
    click.echo(f"{hint}: policylint check {directory}{as_of_opt}")
    sys.exit(EXIT_OK)


_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def repository_language(repo: Repository, configured: str | None) -> str:
    """The configured language, else Japanese when most titles and names are Japanese, else the
    locale's."""
    if configured in ("ja", "en"):
        return configured
    texts = [d.text("title") for d in repo.documents]
    for reg in repo.registers:
        texts.extend(i.text("name") or i.text("title") for i in reg.items[:20])
    found = [t for t in texts if t]
    if found:
        japanese = sum(1 for t in found if _JAPANESE.search(t))
        return "ja" if japanese * 2 >= len(found) else "en"
    return default_lang()


def _add_missing(directory: Path, lang: str | None, today: dt.date) -> int:
    from policylint.config import load_config
    from policylint.diagnostics import printable
    from policylint.engine import load_repository
    from policylint.errors import UsageError
    from policylint.scaffold import FILL_IN, add_missing

    if not directory.is_dir():
        raise UsageError(
            f"{directory}: not a folder (give the root of an existing repository)",
            ja=f"{directory}: フォルダではありません（既存のリポジトリのルートを指定してください）",
        )
    config = load_config(directory)
    repo, _ = load_repository(directory, config, today)
    present = {d.kind for d in repo.documents} | {r.kind for r in repo.registers}
    chosen = lang or repository_language(repo, config.lang)
    done = add_missing(directory, chosen, today, present)
    ja = chosen == "ja"
    if not done.files:
        click.echo(
            f"{directory} には必要な種類がすべてあります。追加したファイルはありません。"
            if ja
            else f"{directory} has every kind already; nothing was added."
        )
    else:
        kinds = sorted({k for _, k in done.files if k})
        click.echo(
            f"{directory} に {len(done.files)} ファイルを追加しました（不足していた種類: "
            f"{', '.join(kinds)}）。既存のファイルは変更していません。値は仮のものです:"
            if ja
            else f"Added {len(done.files)} files to {directory} (missing kinds: "
            f"{', '.join(kinds)}); no existing file was changed. Every value is a placeholder:"
        )
        for rel, kind in done.files:
            what = FILL_IN[chosen].get(kind or "", "") if kind else ""
            if kind is None:
                what = "署名済みの写しに置き換える" if ja else "replace with the signed copy"
            click.echo(f"  + {rel}" + (f": {what}" if what else ""))
    for rel in done.skipped:
        click.echo(
            f"  = {printable(rel)}: 既にあるため書き込みませんでした"
            if ja
            else f"  = {printable(rel)}: exists, not written"
        )
    hint = "確認" if ja else "then run"
    click.echo(f"{hint}: policylint check {directory}")
    return EXIT_OK
