"""``policylint init``: scaffold a new governance repository that passes ``policylint check``."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from policylint.cli import EXIT_OK, default_lang, guarded, main, parse_as_of


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--lang", type=click.Choice(["ja", "en"]), help="Language of the documents.")
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    help="Date the documents are dated (YYYY-MM-DD; default: today).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@guarded
def init(directory: Path, lang: str | None, as_of: str | None, debug: bool) -> None:
    """Create a complete governance repository in DIRECTORY (new or empty): every document and
    register kind, with placeholders to replace, that `policylint check` accepts as it is."""
    from policylint.scaffold import NEXT_STEPS, scaffold

    chosen = lang or default_lang()
    today = parse_as_of(as_of) or dt.date.today()
    done = scaffold(directory, chosen, today)
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
