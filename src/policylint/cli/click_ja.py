"""Japanese for the messages click itself prints (a mistyped option, a missing value, usage).

click marks its messages for gettext (``_()`` and ``ngettext()`` imported into each of its
modules) but ships no Japanese catalogue. With ``--lang ja`` (or a Japanese locale) the command
line gives those modules translating functions before it parses anything, so that a mistyped
option is reported in the same language as everything else policylint says. Messages without a
translation here stay as click wrote them.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

JA: dict[str, str] = {
    "Usage:": "使い方:",
    "Error: {message}": "エラー: {message}",
    "Try '{command} {option}' for help.": "'{command} {option}' で使い方を確認できます。",
    "No such option {name!r}.": "{name!r} というオプションはありません。",
    "No such command {name!r}.": "{name!r} というコマンドはありません。",
    "Did you mean {possibility}?": "{possibility} の誤りではありませんか?",
    "(Did you mean one of: {possibilities}?)": (
        "（{possibilities} のいずれかの誤りではありませんか?）"
    ),
    "Invalid value for {param_hint}: {message}": "{param_hint} の値が正しくありません: {message}",
    "Invalid value: {message}": "値が正しくありません: {message}",
    "{value!r} is not {choice}.": "{value!r} は {choice} ではありません。",
    "{value!r} is not one of {choices}.": "{value!r} は {choices} のいずれでもありません。",
    "Option {name!r} requires an argument.": "オプション {name!r} には値が必要です。",
    "Option {name!r} requires {nargs} arguments.": (
        "オプション {name!r} には値が {nargs} 個必要です。"
    ),
    "Option {name!r} does not take a value.": "オプション {name!r} は値を取りません。",
    "Got unexpected extra argument ({args})": "余分な引数があります（{args}）",
    "Got unexpected extra arguments ({args})": "余分な引数があります（{args}）",
    "Missing argument": "引数がありません",
    "Missing option": "オプションがありません",
    "Missing parameter": "パラメータがありません",
    "Missing command.": "コマンドを指定してください。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} は存在しません。",
    "{name} {filename!r} is a file.": "{name} {filename!r} はファイルです。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} はフォルダです。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} は読めません。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} に書き込めません。",
    "file": "ファイル",
    "directory": "フォルダ",
    "path": "パス",
    "{value!r} is not a valid {number_type}.": "{value!r} は正しい {number_type} ではありません。",
    "{value} is not in the range {range}.": "{value} は範囲 {range} の外です。",
    "Aborted!": "中断しました。",
}


def _gettext(message: str) -> str:
    return JA.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


def wants_japanese(argv: Sequence[str], default: str) -> bool:
    """``--lang ja`` / ``--lang=ja`` on the command line, else the default language is ja."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1] == "ja"
        if arg.startswith("--lang="):
            return arg == "--lang=ja"
    return default == "ja"


def install() -> None:
    """Give click's modules the Japanese messages (for this process)."""
    import click  # noqa: F401  (its submodules are loaded with it)

    for name in ("core", "exceptions", "parser", "types", "formatting", "decorators", "termui"):
        module = sys.modules.get(f"click.{name}")
        if module is None:
            continue
        if hasattr(module, "_"):
            module._ = _gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]
