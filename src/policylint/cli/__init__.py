"""The command line: click parses options into settings, plain functions do the work.

One module per command (``cli/check.py``, ``cli/rules.py``, ``cli/report.py``, ``cli/init.py``);
this one holds the group and what they share.

Only this module prints or exits. Exit codes: 0 no error, 1 at least one error, 2 usage,
configuration or internal error.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import re
import sys
import textwrap
import traceback
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from policylint import __version__
from policylint.errors import PolicylintError, UsageError

if TYPE_CHECKING:
    from policylint.cache import ParseCache
    from policylint.config import Config
    from policylint.rulepack import RulePack

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def default_lang(config_lang: str | None = None) -> str:
    """The configured language, else the locale's (``ja_*`` → Japanese), else English."""
    if config_lang in ("ja", "en"):
        return config_lang
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"


def parse_as_of(value: str | None) -> dt.date | None:
    if value is None:
        return None
    from policylint.dates import parse_date

    parsed = parse_date(value)
    if not isinstance(parsed, dt.date):
        hint = f" (did you mean {parsed.suggestion}?)" if parsed.suggestion else ""
        hint_ja = f"（{parsed.suggestion} の誤りではありませんか?）" if parsed.suggestion else ""
        raise UsageError(
            f"--as-of: '{value}' is not a date YYYY-MM-DD{hint}",
            ja=f"--as-of: '{value}' は YYYY-MM-DD 形式の日付ではありません{hint_ja}",
        )
    return parsed


@contextmanager
def open_output(path: str | None) -> Any:
    if path is None or path == "-":
        yield sys.stdout
    else:
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            yield fh


@dataclass(frozen=True)
class Run:
    """What every repository command resolves first: root, configuration, rule pack, today
    (``--as-of`` > config ``as_of`` > the local date) and language (option > config > locale)."""

    root: Path
    config: Config
    pack: RulePack
    today: dt.date
    lang: str
    cache: ParseCache | None = None
    """The parse cache (``prepare_run(use_cache=True)``), None when off or unusable."""
    cache_note: str = ""
    """Why the cache cannot be used here ('' when it can, or was not asked for)."""


def prepare_run(
    root: Path,
    config_file: Path | None,
    as_of: dt.date | None,
    lang: str | None,
    not_a_folder: str = "give the root of the governance repository",
    frameworks: tuple[str, ...] = (),
    use_cache: bool = False,
) -> Run:
    from policylint.config import load_config
    from policylint.rulepack import load_packs, read_through

    if not root.exists():
        raise UsageError(
            f"{root}: no such file or folder", ja=f"{root}: ファイルもフォルダもありません"
        )
    if not root.is_dir():
        raise UsageError(
            f"{root}: not a folder ({not_a_folder})",
            ja=f"{root}: フォルダではありません（ガバナンスリポジトリのルートを指定してください）",
        )
    config = load_config(root, config_file).with_frameworks(frameworks)
    lang = lang or default_lang(config.lang)
    cache, note = None, ""
    if use_cache:
        from policylint.cache import open_cache

        cache, note = open_cache(root, lang)
    with read_through(cache):  # the packs too: parsing them was a sixth of a warm start-up
        pack = load_packs(config.frameworks)
    return Run(root, config, pack, as_of or config.as_of or dt.date.today(), lang, cache, note)


as_of_option = click.option(
    "--as-of", "as_of", metavar="DATE", help="Evaluate dates as of this day (YYYY-MM-DD)."
)
config_option = click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path),
    help="Configuration file (default: policylint.yaml or pyproject.toml in the root).",
)


framework_option = click.option(
    "--framework",
    "frameworks",
    multiple=True,
    metavar="ID",
    help="Framework (rule pack) to check against, e.g. iso27001-2022; repeatable, the first "
    "primary (default: framework in the configuration).",
)


def root_and_files(
    paths: Sequence[Path], root: Path | None, config_file: Path | None = None
) -> tuple[Path, tuple[Path, ...] | None]:
    """The repository root and the files to report on. ``--root DIR`` is the root as given;
    otherwise the root is found from PATH (default: the current folder) upward, unless
    ``--config`` names the configuration (see :func:`policylint.discovery.find_root`)."""
    from policylint.discovery import find_root

    if root is not None:
        return root, tuple(paths) if paths else None
    if len(paths) > 1:
        raise UsageError(
            "give one repository root; to name some files use --root DIR FILE...",
            ja="リポジトリのルートは一つだけ指定してください。"
            "一部のファイルを指定するには --root DIR FILE... を使います",
        )
    start = paths[0] if paths else Path(".")
    if config_file is not None:
        return start, None
    return find_root(start, explicit=bool(paths)), None


def root_and_files_options(files_are: str) -> Callable[[F], F]:
    """``[PATH] | --root DIR [FILE...]``: a repository, or a root and some of its files."""

    def decorate(fn: F) -> F:
        fn = click.option(
            "--root",
            type=click.Path(path_type=Path),
            metavar="DIR",
            help=f"Root of the repository; the arguments are then {files_are}.",
        )(fn)
        return click.argument(
            "paths",
            nargs=-1,
            metavar="[PATH] | --root DIR [FILE...]",
            type=click.Path(path_type=Path),
        )(fn)

    return decorate


def lang_option(what: str = "messages") -> Callable[[F], F]:
    return click.option("--lang", type=click.Choice(["ja", "en"]), help=f"Language of {what}.")


def _fail(message: str) -> None:
    from policylint.diagnostics import printable

    # one line, whatever the message quotes (a key or value of a hostile configuration file)
    click.echo(f"policylint: {printable(message, whole_line=True)}", err=True)
    sys.exit(EXIT_USAGE)


def reader_gone() -> None:
    """Standard output's reader went away (``policylint report … | head -1``): send whatever is
    still buffered, and anything later, to the null device, so the process ends quietly like
    ``cat`` does instead of failing again when Python flushes stdout at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def guarded(fn: F) -> F:
    """Turn the tool's errors into one-line messages and exit 2 (tracebacks only with --debug).

    Output into a closed pipe is not an error: the command ends quietly with exit code 0 (a
    command whose exit code carries a verdict, ``check``, handles it itself)."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = bool(kwargs.get("debug"))
        try:
            return fn(*args, **kwargs)
        except BrokenPipeError:
            reader_gone()
            sys.exit(EXIT_OK)
        except UsageError as exc:
            lang = kwargs.get("lang")
            _fail(exc.text(lang if isinstance(lang, str) else default_lang(exc.lang)))
        except PolicylintError as exc:
            if debug:
                traceback.print_exc()
            _fail(f"error: {exc}")
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:
            if debug:
                traceback.print_exc()
                _fail(f"internal error: {type(exc).__name__}: {exc}")
            _fail(
                f"internal error: {type(exc).__name__}: {exc} "
                "(rerun with --debug for the traceback, and please report it)"
            )

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper  # type: ignore[return-value]


_SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)\.(?=\s|$)")


def first_sentence(text: str | None) -> str:
    """The first sentence of a command's help, whole (``e.g.``, ``i.e.`` do not end it)."""
    flat = " ".join((text or "").split("\f")[0].split())
    m = _SENTENCE_END.search(flat)
    return flat[: m.end()] if m else flat


COMMANDS = {
    "approve": "history",
    "catalog": "catalog",
    "check": "check",
    "crosswalk": "crosswalk",
    "explain": "rules",
    "fix": "fix",
    "history": "history",
    "import": "importing",
    "init": "init",
    "lsp": "lsp",
    "report": "report",
    "rules": "rules",
}
"""Each command and the module of ``policylint.cli`` that defines it: a run imports only the
module of its own command (``check`` needs none of ``report``, ``import`` or ``lsp``)."""


class Group(click.Group):
    """The command group; its help lists each command with the first sentence of its help,
    whole and wrapped (click cuts it at the first period or at the line's width). Commands
    are imported when they are looked up (see :data:`COMMANDS`)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            import importlib

            importlib.import_module(f"policylint.cli.{COMMANDS[cmd_name]}")  # registers itself
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, cmd.short_help or first_sentence(cmd.help)))
        if not rows:
            return
        first = max(len(name) for name, _ in rows) + 2
        width = max(formatter.width - formatter.current_indent - 2 - first, 30)
        with formatter.section("Commands"):
            for name, text in rows:
                # ids such as legal-register are never split at their hyphen
                lines = textwrap.wrap(text, width, break_on_hyphens=False) or [""]
                pad = " " * (formatter.current_indent + first)
                formatter.write(f"{'':>{formatter.current_indent}}{name:<{first}}{lines[0]}\n")
                for line in lines[1:]:
                    formatter.write(f"{pad}{line}\n")


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="policylint")
def main() -> None:
    """policylint: lint a governance repository against the MIC ASP/SaaS guideline, Part II."""


def entry() -> None:
    """The console script: run the CLI, flush, and exit without tearing the heap down.

    Like mypy's ``hard_exit``: the model of a large repository holds millions of objects, and
    freeing them one by one at exit costs seconds that nobody waits for usefully.
    """
    from policylint import engine

    # No cyclic GC for the whole process: a run allocates millions of objects that all live until
    # it ends, and the first collection after loading traversed them all (a quarter of a medium
    # run, and most of the time of a JSON/SARIF report with many findings). The process exits
    # below without freeing anything, so nothing is lost by never collecting.
    gc.disable()
    engine.retain_results()
    from policylint.cli import click_ja

    if click_ja.wants_japanese(sys.argv[1:], default_lang()):
        click_ja.install()  # click's own messages (a mistyped option) in Japanese too
    code = 0
    try:
        main(prog_name="policylint")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if isinstance(exc.code, str):
            click.echo(exc.code, err=True)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        reader_gone()  # the reader went away after the last write: nothing more to say
    except (OSError, ValueError):
        code = code or EXIT_USAGE
    try:
        sys.stderr.flush()
    except (OSError, ValueError):
        code = code or EXIT_USAGE
    os._exit(code)
