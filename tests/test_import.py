"""``policylint import KIND SOURCE``: real workbooks written by openpyxl, a cp932 CSV, Markdown
tables; exact diagnostics (source and cell), exit codes, and the YAML register written."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from policylint.cli import main
from policylint.dates import from_excel_serial
from policylint.importer import _scalar
from policylint.loader import parse_yaml
from policylint.validate import kind_schema

from conftest import SAMPLE, run_lint


def run(*args: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(main, ["import", *args])
    return res.exit_code, res.stdout, res.stderr


def asset_workbook(path: Path) -> Path:
    """An asset register as Japanese teams keep it: a merged title row, a blank row, a two-row
    header (CIA under a merged group), merged header cells, a running number, a blank spacer
    row in the data, era and serial dates, and a totals row with a formula."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "資産台帳"
    ws.append(["情報資産管理台帳（2026年度）"])
    ws.merge_cells("A1:K1")
    ws.append([])
    ws.append(["No.", "資産番号", "資産名", "管理責任者", "分類", "CIA評価", None, None])
    ws["I3"], ws["J3"], ws["K3"] = "登録日", "備考", "担当部署"
    ws.append([None, None, None, None, None, "機密性", "完全性", "可用性"])
    ws.merge_cells("F3:H3")
    for col in "ABCDEIJK":
        ws.merge_cells(f"{col}3:{col}4")
    ws.append([1, "A-001", "顧客データベース", "CISO", "極秘", "高", "高", "中"])
    ws["I5"] = dt.datetime(2026, 4, 1)
    ws["J5"], ws["K5"] = "本番環境", "開発部"
    ws.append([2, "A-002", "経理システム", "佐藤 健一", "社外秘", 3, 2, "L", "令和8年4月1日"])
    ws.append([])  # spacer row
    ws.append([3, "A-003", "ソースコード", "情報システム部長", "機密", "H", "M", "x", 46113])
    ws.append([4, "A-004", "入退室記録", "cio", "社外秘", "中", "中", "低", "R8.4.1"])
    ws.append(["合計", None, "=COUNTA(C5:C9)"])
    wb.save(path)
    return path


# ---------------------------------------------------------------------------------------------
# Excel serial days (the loose date parser itself is tested in test_dates.py)


def test_excel_serials() -> None:
    assert from_excel_serial(46113) == dt.date(2026, 4, 1)
    assert from_excel_serial(46113.5) is None
    assert from_excel_serial(0) is None


# ---------------------------------------------------------------------------------------------
# workbooks


def test_workbook_with_title_merged_cells_spacer_and_totals(tmp_path: Path) -> None:
    book = asset_workbook(tmp_path / "情報資産管理台帳.xlsx")
    out = tmp_path / "assets.yaml"
    code, stdout, stderr = run(
        "assets", str(book), "--sheet", "資産台帳", "--repo", str(SAMPLE), "-o", str(out),
        "--lang", "en",
    )  # fmt: skip
    assert code == 1
    assert stdout == ""
    lines = stderr.splitlines()
    assert lines[:3] == [
        "情報資産管理台帳.xlsx:資産台帳!K4: WARNING import/unknown-columns 1 column(s) match no "
        "field of assets and are kept as extra fields: 担当部署 (name them with --map MAP.yaml)",
        "情報資産管理台帳.xlsx:資産台帳!D8: ERROR import/unresolved owner: '情報システム部長' "
        "names no role or person of the repository "
        f"{SAMPLE} (neither an id, a role title, a person's name nor a level's name); the row is "
        "imported without owner",
        "情報資産管理台帳.xlsx:資産台帳!E8: ERROR import/unresolved classification: '機密' "
        f"names no classification level of the repository {SAMPLE} (neither an id, a role title, a "
        "person's name nor a level's name); the row is imported without classification",
    ]
    assert lines[3].startswith(
        "情報資産管理台帳.xlsx:資産台帳!H8: ERROR import/not-a-level cia.availability: 'x' is not"
    )
    assert "imported 4 rows" in lines[-1] and "2 blank or totals rows skipped" in lines[-1]
    doc = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert doc["kind"] == "assets"
    items = doc["items"]
    assert [i["id"] for i in items] == ["A-001", "A-002", "A-003", "A-004"]
    assert items[0] == {
        "id": "A-001",
        "name": "顧客データベース",
        "owner": "ciso",
        "classification": "secret",
        "cia": {"confidentiality": 3, "integrity": 3, "availability": 2},
        "registered_on": "2026-04-01",
        "notes": "本番環境",
        "担当部署": "開発部",
    }
    assert items[1]["owner"] == "p-sato-kenichi"  # a person's name, written with a space
    assert items[1]["cia"] == {"confidentiality": 3, "integrity": 2, "availability": 1}
    assert items[1]["registered_on"] == "2026-04-01"  # 令和8年4月1日
    assert "owner" not in items[2] and "classification" not in items[2]  # reported, left out
    assert items[2]["cia"] == {"confidentiality": 3, "integrity": 2}
    assert items[2]["registered_on"] == "2026-04-01"  # serial 46113
    assert items[3]["registered_on"] == "2026-04-01"  # R8.4.1
    assert list(kind_schema("assets").errors(doc)) == []  # type: ignore[union-attr]


def test_same_input_same_output_and_japanese_messages(tmp_path: Path) -> None:
    book = asset_workbook(tmp_path / "台帳.xlsx")
    first = run("assets", str(book), "--repo", str(SAMPLE), "--lang", "ja")
    second = run("assets", str(book), "--repo", str(SAMPLE), "--lang", "ja")
    assert first == second
    assert first[1].startswith("# policylint import assets 台帳.xlsx\nkind: assets\nitems:\n")
    assert (
        "台帳.xlsx:資産台帳!H8: ERROR import/not-a-level cia.availability: 'x' は 1〜3" in first[2]
    )
    assert "から 4 行を stdout に取り込みました" in first[2]


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    book = asset_workbook(tmp_path / "a.xlsx")
    out = tmp_path / "assets.yaml"
    out.write_text("mine\n", encoding="utf-8")
    code, _, stderr = run("assets", str(book), "-o", str(out))
    assert code == 2
    assert f"{out} exists: give --force to overwrite it" in stderr
    assert out.read_text(encoding="utf-8") == "mine\n"
    code, _, _ = run("assets", str(book), "-o", str(out), "--force", "--repo", str(SAMPLE))
    assert code == 1  # the cells it reports; the file is written all the same
    assert out.read_text(encoding="utf-8").startswith("# policylint import assets a.xlsx")


def test_unknown_sheet_and_kind_are_usage_errors(tmp_path: Path) -> None:
    book = asset_workbook(tmp_path / "a.xlsx")
    code, _, stderr = run("assets", str(book), "--sheet", "Sheet9", "--lang", "en")
    assert code == 2
    assert "a.xlsx: ERROR import/no-sheet a.xlsx has no sheet 'Sheet9' (sheets: 資産台帳)" in stderr
    code, _, stderr = run("policy", str(book))
    assert code == 2 and "unknown register kind 'policy'" in stderr


def test_without_a_repository_names_are_kept_and_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = asset_workbook(tmp_path / "a.xlsx")
    monkeypatch.chdir(tmp_path)  # not a governance repository
    code, stdout, stderr = run("assets", str(book), "--lang", "en")
    assert code == 1  # the CIA 'x' is still an error
    assert "owner: 情報システム部長" in stdout
    assert (
        "a.xlsx:資産台帳!A4: WARNING import/no-repo classification, owner kept as written" in stderr
    )


def test_the_current_folder_is_the_repository_when_it_is_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = asset_workbook(tmp_path / "a.xlsx")
    repo = tmp_path / "gov"
    (repo / "registers").mkdir(parents=True)
    for name in ("roles.yaml", "people.yaml", "classification-scheme.yaml"):
        (repo / "registers" / name).write_bytes((SAMPLE / "registers" / name).read_bytes())
    monkeypatch.chdir(repo)  # no policylint.yaml, but registers with a kind
    code, stdout, stderr = run("assets", str(book), "--lang", "en")
    assert code == 1  # 情報システム部長 names nobody there, and the CIA 'x' stays an error
    assert "no-repo" not in stderr and "ERROR import/unresolved owner" in stderr
    items = yaml.safe_load(stdout)["items"]
    assert (items[0]["owner"], items[0]["classification"]) == ("ciso", "secret")


def test_map_overrides_the_vocabulary(tmp_path: Path) -> None:
    book = asset_workbook(tmp_path / "a.xlsx")
    mapping = tmp_path / "map.yaml"
    mapping.write_text("担当部署: department\n備考: '-'\n", encoding="utf-8")
    code, stdout, stderr = run("assets", str(book), "--map", str(mapping), "--repo", str(SAMPLE))
    assert "unknown-columns" not in stderr
    items = yaml.safe_load(stdout)["items"]
    assert items[0]["department"] == "開発部" and "notes" not in items[0]
    mapping.write_text("担当部署: cia.secret-level\n", encoding="utf-8")
    code, _, stderr = run("assets", str(book), "--map", str(mapping))
    assert (
        code == 2 and "'担当部署' maps to 'cia.secret-level', which is not a field name" in stderr
    )


def test_hostile_workbooks(tmp_path: Path) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("name,owner\n", encoding="utf-8")
    code, _, stderr = run("assets", str(fake), "--lang", "en")
    assert code == 1
    assert "fake.xlsx: ERROR import/not-a-workbook fake.xlsx is not an Excel workbook" in stderr
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * (20 * 1024 * 1024) + b">")
    code, _, stderr = run("assets", str(bomb), "--lang", "en")
    assert code == 1 and "ERROR import/zip-bomb bomb.xlsx: the workbook expands far" in stderr
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    code, _, stderr = run("assets", str(old), "--lang", "en")
    assert code == 1 and "is an Excel 97–2003 workbook (.xls): save it as .xlsx" in stderr


def test_xml_entity_bomb_is_refused(tmp_path: Path) -> None:
    book = asset_workbook(tmp_path / "a.xlsx")
    evil = tmp_path / "evil.xlsx"
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(evil, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = bomb
            dst.writestr(info, data)
    code, stdout, stderr = run("assets", str(evil), "--lang", "en")
    assert code == 1 and stdout == ""
    assert "evil.xlsx: ERROR import/bad-workbook evil.xlsx cannot be read as a workbook" in stderr


# ---------------------------------------------------------------------------------------------
# CSV and Markdown


CSV_TEXT = (
    "社員番号,氏名,役割,在籍状況,入社日,誓約書提出日,退職日,メール\r\n"
    'p-sato-kenichi,佐藤 健一,"代表取締役社長、CISO",在籍,２０２０／４／１,R2.4.1,,'
    "sato@example.jp\r\n"
    'E002,山田 花子,,退職,2021/4/1,2021/4/1,令和8年3月31日,"yamada@example.jp"\r\n'
    "E003,田中 一郎,,休職,2022/13/1,,,\r\n"
)


@pytest.mark.parametrize("encoding", ["cp932", "utf-8-sig", "utf-8"])
def test_csv_in_shift_jis_and_utf8(tmp_path: Path, encoding: str) -> None:
    src = tmp_path / "staff.csv"
    src.write_bytes(CSV_TEXT.encode(encoding))
    code, stdout, stderr = run("people", str(src), "--repo", str(SAMPLE), "--lang", "en")
    assert code == 1
    assert stderr.splitlines()[0] == (
        "staff.csv:4:16: ERROR import/not-a-date hired_on: '2022/13/1' is not a date (write "
        "2026-04-01, 2026/4/1 or 令和8年4月1日); the row is imported without hired_on"
    )
    items = yaml.safe_load(stdout)["items"]
    assert items[0] == {
        "id": "p-sato-kenichi",
        "name": "佐藤 健一",
        "roles": ["ceo", "ciso"],
        "status": "active",
        "hired_on": "2020-04-01",
        "security_terms_agreed_on": "2020-04-01",
        "email": "sato@example.jp",
    }
    assert items[1]["status"] == "terminated" and items[1]["terminated_on"] == "2026-03-31"
    assert items[2] == {"id": "E003", "name": "田中 一郎", "status": "on-leave"}


def test_csv_unclosed_quote_names_the_line(tmp_path: Path) -> None:
    src = tmp_path / "x.csv"
    src.write_text('資産名,管理責任者\n"DB,ciso\n', encoding="utf-8")
    code, _, stderr = run("assets", str(src), "--lang", "en")
    assert code == 1
    assert "x.csv:2:1: ERROR import/csv-quote x.csv:2:1: a quoted field is never closed" in stderr


MARKDOWN = """\
Introductory text with a table before the first heading:

| not | this |
|---|---|
| a | b |

# 法令一覧

| 法令名 | 適用 | 要求事項 | 対応策 |
|---|:-:|---|---|
| 個人情報保護法 | ○ | 安全管理措置、委託先の監督 | `規程` 第3条 |
| 不正競争防止法 | はい | 営業秘密の管理 | 秘密保持契約 |
| 著作権法 | 多分 | | |
"""


def test_markdown_table_under_the_first_heading(tmp_path: Path) -> None:
    src = tmp_path / "handbook.md"
    src.write_text(MARKDOWN, encoding="utf-8")
    code, stdout, stderr = run("legal-register", str(src), "--lang", "en")
    assert code == 1
    assert stderr.splitlines()[:2] == [
        "handbook.md:13:10: ERROR import/not-a-boolean applies: '多分' is neither yes nor no "
        "(write yes/no, はい/いいえ, ○/×); the row is imported without applies",
        "handbook.md:9:3: WARNING import/generated-ids the table has no id column: ids law-0001 "
        "… law-0003 were given in row order; keep them stable when the register is edited",
    ]
    items = yaml.safe_load(stdout)["items"]
    assert items[0] == {
        "id": "law-0001",
        "law": "個人情報保護法",
        "applies": True,
        "requirements": ["安全管理措置", "委託先の監督"],
        "controls": ["規程 第3条"],
    }
    assert items[2] == {"id": "law-0003", "law": "著作権法"}
    code, stdout, _ = run("legal-register", str(src), "--table", "1")
    assert code == 1  # the first table names no field of the legal register
    code, _, stderr = run("legal-register", str(src), "--table", "3", "--lang", "en")
    assert code == 2 and "handbook.md has 2 table(s); --table 3 does not exist" in stderr


def test_imported_register_passes_check(sample: Path, tmp_path: Path) -> None:
    """Import → check: the register written into a repository is clean where the data is."""
    src = tmp_path / "laws.csv"
    src.write_text(
        "ID,法令名,国,適用,要求事項,対応策\n"
        "law-copyright-2,著作権法（改正）,日本,有,ライセンス管理,ソフトウェア台帳\n",
        encoding="utf-8",
    )
    out = sample / "registers" / "legal-extra.yaml"
    code, _, stderr = run("legal-register", str(src), "-o", str(out), "--repo", str(sample))
    assert code == 0, stderr
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["items"][0]["jurisdiction"] == "JP"
    result = run_lint(sample)
    assert [d for d in result.active if d.path == "registers/legal-extra.yaml"] == []


TRICKY = [
    "yes", "No", "on", "~", "null", "1.10", "010", "0x1F", "1:30", "2026-04-01", "-", "- a",
    "a: b", "a #b", "#x", "'q'", '"q"', " lead", "trail ", "", "@x", "`x", "!tag", "&a", "*a",
    "[a]", "{a}", "a\nb", "\u2028", "\x85", "\x7f", "\ufeff", "１２", "令和8年4月1日", ".inf",
    "? a", "|", ">", "%x", "=SUM(A1)", "+1", "1e3", "a:b", "x:", "\t", "=", "<<",
]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(max_size=30), st.sampled_from(TRICKY)))
def test_written_scalars_read_back_as_the_same_string(text: str) -> None:
    """The register writer's scalars mean the same string to PyYAML (YAML 1.1) and to
    policylint's own loader (YAML 1.2 rules), whatever the text."""
    doc = f"v: {_scalar(text)}\n"
    assert yaml.safe_load(doc) == {"v": text}
    parsed = parse_yaml(doc)
    assert parsed.problem is None and parsed.value == {"v": text}
