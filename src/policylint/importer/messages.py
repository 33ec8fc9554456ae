"""The importer's messages, in Japanese and English: what is wrong, where, and how to fix it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from policylint.diagnostics import printable
from policylint.rulepack import render

MESSAGES: Mapping[str, Mapping[str, str]] = {
    # a cell
    "not-a-date": {
        "en": "{field}: '{value}' is not a date (write 2026-04-01, 2026/4/1 or 令和8年4月1日); "
        "the row is imported without {field}",
        "ja": "{field}: '{value}' は日付として読めません（2026-04-01、2026/4/1、令和8年4月1日 の"
        "ように書いてください）。この行は {field} なしで取り込みます",
    },
    "not-an-integer": {
        "en": "{field}: '{value}' is not a whole number; the row is imported without {field}",
        "ja": "{field}: '{value}' は整数ではありません。この行は {field} なしで取り込みます",
    },
    "not-a-boolean": {
        "en": "{field}: '{value}' is neither yes nor no (write yes/no, はい/いいえ, ○/×); "
        "the row is imported without {field}",
        "ja": "{field}: '{value}' は はい/いいえ のどちらとも読めません（はい/いいえ、有/無、○/× の"
        "ように書いてください）。この行は {field} なしで取り込みます",
    },
    "not-a-level": {
        "en": "{field}: '{value}' is not a level 1–3 (write 1, 2, 3, 高/中/低 or H/M/L); "
        "the row is imported without {field}",
        "ja": "{field}: '{value}' は 1〜3 の評価値ではありません（1・2・3、高/中/低、H/M/L の"
        "いずれかで書いてください）。この行は {field} なしで取り込みます",
    },
    "not-allowed": {
        "en": "{field}: '{value}' is not one of {allowed}; the row is imported without {field}",
        "ja": "{field}: '{value}' は {allowed} のいずれでもありません。この行は {field} なしで"
        "取り込みます",
    },
    "bad-country": {
        "en": "{field}: '{value}' is not a country (write an ISO code such as JP or US, or 日本); "
        "the row is imported without {field}",
        "ja": "{field}: '{value}' は国として読めません（JP・US などの ISO コード、または 日本 の"
        "ように書いてください）。この行は {field} なしで取り込みます",
    },
    "unresolved": {
        "en": "{field}: '{value}' names no {target} of the repository {repo} (neither an id, "
        "a role title, a person's name nor a level's name); the row is imported without {field}",
        "ja": "{field}: '{value}' はリポジトリ {repo} のどの{target}にも当たりません（ID・役割名・"
        "氏名・分類名のいずれでもありません）。この行は {field} なしで取り込みます",
    },
    "ambiguous": {
        "en": "{field}: '{value}' could be any of {ids}; write the id; "
        "the row is imported without {field}",
        "ja": "{field}: '{value}' は {ids} のいずれにも当たります。ID で書いてください。"
        "この行は {field} なしで取り込みます",
    },
    "bad-id": {
        "en": "id: '{value}' is not an id (letters, digits, '.', '_', '-'); the row is imported "
        "as '{generated}'",
        "ja": "id: '{value}' は ID に使えません（英数字と . _ - のみ）。この行は "
        "'{generated}' として取り込みます",
    },
    "duplicate-id": {
        "en": "id: '{value}' is already the id of the row at {first}; this row is imported as "
        "'{generated}'",
        "ja": "id: '{value}' は {first} の行と重複しています。この行は "
        "'{generated}' として取り込みます",
    },
    "too-long": {
        "en": "{field}: the value has {length} characters, more than {limit}; the row is "
        "imported without {field}",
        "ja": "{field}: 値が {length} 文字あり、上限 {limit} 文字を超えています。この行は {field} "
        "なしで取り込みます",
    },
    "list-in-cell": {
        "en": "{field}: '{value}': a list of mappings cannot be read from one cell; "
        "the row is imported without {field}",
        "ja": "{field}: '{value}': 1 つのセルから一覧（項目の並び）は読み取れません。"
        "この行は {field} なしで取り込みます",
    },
    # the table
    "unknown-columns": {
        "en": "{count} column(s) match no field of {kind} and are kept as extra fields: "
        "{columns} (name them with --map MAP.yaml)",
        "ja": "{count} 列が {kind} のどの項目にも当たらないため、追加の項目として取り込みます: "
        "{columns}（--map MAP.yaml で対応する項目を指定できます）",
    },
    "duplicate-column": {
        "en": "column '{column}' means {field}, like the column at {first}; it is kept as the "
        "extra field '{column}'",
        "ja": "列 '{column}' は {first} の列と同じ {field} を表しています。追加の項目 '{column}' "
        "として取り込みます",
    },
    "generated-ids": {
        "en": "the table has no id column: ids {first} … {last} were given in row order; keep "
        "them stable when the register is edited",
        "ja": "表に ID の列がないため、行の順に {first} … {last} の ID を付けました。"
        "今後の編集でも ID は変えないでください",
    },
    "no-repo": {
        "en": "{fields} kept as written: no governance repository to resolve names against "
        "(give --repo DIR to turn role titles, names and levels into ids)",
        "ja": "{fields} は書かれたとおりに取り込みました。名前を照合するリポジトリがありません"
        "（--repo DIR を指定すると役割名・氏名・分類名を ID に変換します）",
    },
    "no-rows": {
        "en": "the table has a header but no data rows",
        "ja": "表に見出し行はありますが、データの行がありません",
    },
    "no-header": {
        "en": "no header row found in the first {rows} rows: none names a field of {kind} "
        "(such as {examples}); name the columns with --map MAP.yaml",
        "ja": "先頭 {rows} 行に見出し行が見つかりません。{kind} の項目（{examples} など）を表す"
        "列名がありません。--map MAP.yaml で列名を指定してください",
    },
    "schema": {
        "en": "the imported row does not pass the {kind} schema at {field}: {detail}",
        "ja": "取り込んだ行が {kind} のスキーマに合いません（{field}: {detail}）",
    },
    # the source
    "too-large": {
        "en": "{path} has {size} bytes, more than the limit of {limit}; it is not read",
        "ja": "{path} は {size} バイトあり、上限 {limit} バイトを超えているため読み込みません",
    },
    "unreadable": {
        "en": "{path} cannot be read ({detail})",
        "ja": "{path} を読み込めません（{detail}）",
    },
    "not-a-file": {
        "en": "{path} is not a regular file",
        "ja": "{path} は通常のファイルではありません",
    },
    "old-excel": {
        "en": "{path} is an Excel 97–2003 workbook (.xls): save it as .xlsx (Excel Workbook) "
        "or as CSV and import that",
        "ja": "{path} は Excel 97-2003 形式（.xls）です。Excel ブック（.xlsx）または CSV で保存し"
        "直して取り込んでください",
    },
    "unknown-type": {
        "en": "{path}: policylint imports {suffixes} files",
        "ja": "{path}: 取り込めるのは {suffixes} のファイルです",
    },
    "table-option": {
        "en": "{path}: --table applies to Markdown files only",
        "ja": "{path}: --table は Markdown ファイルにだけ指定できます",
    },
    "sheet-option": {
        "en": "{path}: --sheet applies to workbooks (.xlsx) only",
        "ja": "{path}: --sheet は Excel ブック（.xlsx）にだけ指定できます",
    },
    "is-workbook": {
        "en": "{path} is a workbook, not text: give it a .xlsx name, or save it as CSV",
        "ja": "{path} はテキストではなく Excel ブックです。拡張子を .xlsx にするか CSV で保存して"
        "ください",
    },
    "encrypted-or-xls": {
        "en": "{path} is password-protected or an Excel 97–2003 file: remove the password or "
        "save it as .xlsx",
        "ja": "{path} はパスワード付き、または Excel 97-2003 形式です。パスワードを外すか .xlsx で"
        "保存し直してください",
    },
    "not-a-workbook": {
        "en": "{path} is not an Excel workbook (.xlsx is a zip archive)",
        "ja": "{path} は Excel ブックではありません（.xlsx は zip 形式のはずです）",
    },
    "zip-bomb": {
        "en": "{path}: the workbook expands far beyond its size ({detail}); it is not read",
        "ja": "{path}: ブックを展開するとサイズが極端に大きくなるため読み込みません（{detail}）",
    },
    "bad-workbook": {
        "en": "{path} cannot be read as a workbook: {detail}",
        "ja": "{path} を Excel ブックとして読み込めません: {detail}",
    },
    "no-defusedxml": {
        "en": "{path}: workbooks are read only with defusedxml, which protects against XML bombs "
        "(install it, and do not set OPENPYXL_DEFUSEDXML=False)",
        "ja": "{path}: Excel ブックは XML 爆弾を防ぐ defusedxml がある場合にだけ読み込みます"
        "（defusedxml をインストールし、OPENPYXL_DEFUSEDXML=False を設定しないでください）",
    },
    "no-sheet": {
        "en": "{path} has no sheet '{sheet}' (sheets: {sheets})",
        "ja": "{path} にシート '{sheet}' がありません（シート: {sheets}）",
    },
    "too-many-cells": {
        "en": "{path}: the sheet spans {cells} cells, more than the limit of {limit}",
        "ja": "{path}: シートのセル範囲が {cells} セルあり、上限 {limit} を超えています",
    },
    "encoding": {
        "en": "{path} is neither UTF-8 nor Shift_JIS (cp932) text: save it as UTF-8 CSV",
        "ja": "{path} は UTF-8 でも Shift_JIS（cp932）でもありません。CSV UTF-8 で保存し直して"
        "ください",
    },
    "binary": {
        "en": "{path} is binary, not text",
        "ja": "{path} はテキストではなくバイナリです",
    },
    "csv-quote": {
        "en": "{path}: a quoted field is never closed",
        "ja": "{path}: 引用符で始まるフィールドが閉じられていません",
    },
    "cell-too-long": {
        "en": "{path}: a field is longer than 32,767 characters",
        "ja": "{path}: 32,767 文字を超えるフィールドがあります",
    },
    "no-table": {
        "en": "{path} has no Markdown table (| a | b | lines under a | --- | row)",
        "ja": "{path} に Markdown の表（| --- | の区切り行をもつ表）がありません",
    },
    "table-out-of-range": {
        "en": "{path} has {count} table(s); --table {n} does not exist",
        "ja": "{path} の表は {count} 個です。--table {n} はありません",
    },
}

USAGE_KEYS = frozenset(
    {"unknown-type", "table-option", "sheet-option", "no-sheet", "table-out-of-range"}
)
"""Source problems caused by the command line (exit 2) rather than by the file (exit 1)."""


TARGETS: Mapping[str, Mapping[str, str]] = {
    "party": {"en": "role or person", "ja": "役割・人物"},
    "role": {"en": "role", "ja": "役割"},
    "person": {"en": "person", "ja": "人物"},
    "level": {"en": "classification level", "ja": "分類"},
}


def message(key: str, lang: str, args: Mapping[str, Any]) -> str:
    lang = "ja" if lang == "ja" else "en"
    # values from the source file are made printable one by one (a cell cannot fake a location);
    # ``path`` and ``where`` are locations policylint composed from names already printable
    values = {
        k: printable(v) if isinstance(v, str) and k not in ("path", "where") else v
        for k, v in ((k, _show(v)) for k, v in args.items())
    }
    if "target" in values:
        values["target"] = TARGETS.get(str(values["target"]), {}).get(lang, values["target"])
    return printable(render(MESSAGES[key][lang], values), whole_line=True)


def _show(value: Any) -> Any:
    if isinstance(value, str) and len(value) > 80:
        return value[:77] + "…"
    return value
