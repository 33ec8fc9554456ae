"""docs/adopting.md, run end to end on the example files of tests/adopting/: from Excel
registers, from a Markdown handbook, from comply, from an ISO/IEC 27001 template set; and
``policylint init --add-missing``."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner
from openpyxl import load_workbook

from policylint.cli import main

from conftest import ROOT, run_lint

EXAMPLES = ROOT / "tests" / "adopting"
AS_OF = "2026-11-01"


def cli(*args: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(main, list(args))
    return res.exit_code, res.stdout, res.stderr


def copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(EXAMPLES / name, target)
    return target


def digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_guide_1_from_excel_registers_import_check_report(tmp_path: Path) -> None:
    gov = tmp_path / "gov"
    assert cli("init", str(gov), "--lang", "ja", "--as-of", AS_OF)[0] == 0
    book = EXAMPLES / "excel" / "情報資産管理台帳.xlsx"
    code, _, err = cli(
        "import", "assets", str(book), "--sheet", "資産台帳", "--repo", str(gov),
        "-o", str(gov / "registers" / "assets.yaml"), "--force", "--lang", "en",
    )  # fmt: skip
    assert code == 0, err
    assert err.splitlines()[-1] == (
        "imported 3 rows of 情報資産管理台帳.xlsx (sheet 資産台帳) into "
        f"{gov / 'registers' / 'assets.yaml'} (header at 情報資産管理台帳.xlsx:資産台帳!A4; "
        "2 blank or totals rows skipped; 0 errors)"
    )
    assets = yaml.safe_load((gov / "registers" / "assets.yaml").read_text(encoding="utf-8"))
    items = {i["id"]: i for i in assets["items"]}
    assert list(items) == ["as-customer-db", "as-laptops", "as-source"]
    assert items["as-customer-db"]["owner"] == "cio"  # "CIO": a role id written in capitals
    assert items["as-laptops"]["owner"] == "ciso"
    assert items["as-source"]["owner"] == "cio"  # "最高情報責任者": part of the role's title
    assert items["as-laptops"]["classification"] == "internal"  # 社内限り
    assert items["as-source"]["cia"] == {"confidentiality": 3, "integrity": 3, "availability": 2}
    assert items["as-laptops"]["registered_on"] == "2026-04-01"  # 令和8年4月1日
    assert items["as-source"]["registered_on"] == "2026-04-01"  # serial 46113
    assert items["as-customer-db"]["acceptable_use"]["return"] == "作業後に権限失効"

    csv = EXAMPLES / "excel" / "法令一覧.csv"
    assert csv.read_bytes().decode("cp932").startswith("ID,法令名")  # really Shift_JIS
    code, _, err = cli(
        "import", "legal-register", str(csv), "--repo", str(gov),
        "-o", str(gov / "registers" / "legal-register.yaml"), "--force",
    )  # fmt: skip
    assert code == 0, err

    code, out, _ = cli("check", str(gov), "--as-of", AS_OF, "--lang", "en")
    assert code == 0, out
    result = run_lint(gov, dt.date(2026, 11, 1))
    imported = ("registers/assets.yaml", "registers/legal-register.yaml")
    assert [d for d in result.active if d.path in imported and d.severity.value == "error"] == []

    report = tmp_path / "準拠状況.xlsx"
    assert cli("report", str(gov), "--format", "xlsx", "-o", str(report), "--lang", "ja")[0] == 0
    wb = load_workbook(report)
    sheet = wb["assets"]
    header = [c.value for c in sheet[1]]
    rows = [
        dict(zip(header, (c.value for c in r), strict=False)) for r in sheet.iter_rows(min_row=2)
    ]
    assert [r["id"] for r in rows] == ["as-customer-db", "as-laptops", "as-source"]
    assert rows[0]["name"] == "顧客データベース" and rows[0]["owner"] == "cio"
    items_sheet = wb["項目"]
    status = {r[0].value: r[3].value for r in items_sheet.iter_rows(min_row=2)}
    assert status["II.4.1.1"] == "適合" and status["II.7.1.1"] == "適合"


def test_guide_2_from_a_markdown_handbook(tmp_path: Path) -> None:
    handbook = copy("handbook", tmp_path)
    source = handbook / "情報セキュリティハンドブック.md"
    out = handbook / "registers"
    out.mkdir()
    code, _, err = cli(
        "import", "legal-register", str(source), "--table", "1", "-o", str(out / "legal.yaml")
    )
    assert code == 0, err
    code, _, err = cli(
        "import", "records-retention", str(source), "--table", "2",
        "-o", str(out / "retention.yaml"),
    )  # fmt: skip
    assert code == 0, err
    laws = yaml.safe_load((out / "legal.yaml").read_text(encoding="utf-8"))["items"]
    assert [(i["law"], i["applies"]) for i in laws][3] == ("e-文書法", False)
    assert laws[0]["requirements"] == ["安全管理措置", "委託先の監督"]
    kept = yaml.safe_load((out / "retention.yaml").read_text(encoding="utf-8"))["items"]
    assert [(i["category"], i["media"]) for i in kept][:2] == [
        ("accounting", "electronic"),
        ("database", "electronic"),
    ]
    result = run_lint(handbook, dt.date(2026, 11, 1), lang="ja")
    hints = [d for d in result.active if d.check_id == "policylint/missing-kind"]
    assert [(d.path, d.line) for d in hints] == [("policies/基本方針.md", 1)]
    assert "`kind: policy` を追加してください" in hints[0].message
    faults = {"policylint/schema", "policylint/invalid-date", "policylint/parse-error"}
    assert not [d for d in result.active if d.check_id in faults]
    # the imported registers satisfy their items: every named law, every retention category
    assert not [d for d in result.active if d.item in ("II.7.1.1", "II.7.1.2")]


def test_guide_3_from_comply(tmp_path: Path) -> None:
    repo = copy("comply", tmp_path)
    code, out, _ = cli("check", str(repo), "--lang", "en")
    assert code == 1
    assert (
        "2 Markdown file(s), such as policies/access.md, start with fields but no opening --- "
        "line: policylint reads front matter only between two --- lines"
    ) in out
    for rel, kind in (("policies/access.md", "policy"), ("procedures/offboarding.md", "procedure")):
        path = repo / rel
        path.write_text(f"---\nkind: {kind}\n" + path.read_text(encoding="utf-8"), "utf-8")
    (repo / "policylint.yaml").write_text("aliases:\n  acronym: id\n  name: title\n", "utf-8")
    result = run_lint(repo, dt.date(2026, 11, 1))
    policy = result.repo.documents_of("policy")[0]
    assert (policy.id, policy.text("title")) == ("AOTP", "Access Onboarding and Termination Policy")
    assert result.repo.documents_of("procedure")[0].id == "OFF"
    assert "policylint/no-governance-files" not in {d.check_id for d in result.active}


def test_guide_4_from_an_iso27001_template_set(tmp_path: Path) -> None:
    repo = copy("iso27001", tmp_path)
    code, out, _ = cli("check", str(repo), "--lang", "en")
    assert code == 1
    assert (
        "3 file(s) that policylint does not read look like governance documents: "
        "templates/ISMS-POL-01_情報セキュリティ方針.md.tmpl, "
        "templates/ISMS-PRO-05_インシデント対応手順.md.tmpl, "
        "templates/ISMS-REC-01_リスクアセスメント.docx."
    ) in out
    (repo / "policylint.yaml").write_text(
        'lang: ja\ninclude: ["*.md", "*.yaml", "*.md.tmpl"]\naliases:\n  document_id: id\n'
        "  title_ja: title\n  effective_date: approved_on\n",
        encoding="utf-8",
    )
    result = run_lint(repo, dt.date(2026, 11, 1))
    hints = {d.path: d.message for d in result.active if d.check_id == "policylint/missing-kind"}
    pol = "templates/ISMS-POL-01_情報セキュリティ方針.md.tmpl"
    pro = "templates/ISMS-PRO-05_インシデント対応手順.md.tmpl"
    assert "add `kind: policy`" in hints[pol]
    assert "add `kind: incident-procedure`" in hints[pro]
    for rel, kind in ((pol, "policy"), (pro, "incident-procedure")):
        path = repo / rel
        path.write_text(
            path.read_text(encoding="utf-8").replace("---\n", f"---\nkind: {kind}\n", 1), "utf-8"
        )
    before = digest(repo)
    code, out, _ = cli("init", "--add-missing", str(repo), "--as-of", AS_OF)
    assert code == 0, out
    after = digest(repo)
    assert {k: v for k, v in after.items() if k in before} == before  # nothing existing touched
    added = sorted(set(after) - set(before))
    assert "registers/assets.yaml" in added and "registers/people.yaml" in added
    assert (
        "evidence/signatures/information-security-policy-v1.0.txt" not in added
    )  # no policy added
    assert not any(a.startswith("policies/information-security") for a in added)
    assert not any("incident-response" in a for a in added)
    assert out.startswith(
        f"{repo} に {len(added)} ファイルを追加しました"
    )  # the repository's language
    assert "  + registers/roles.yaml: CEO・CIO・CISO の担当者" in out.splitlines()
    result = run_lint(repo, dt.date(2026, 11, 1))
    policy = result.repo.documents_of("policy")[0]
    assert (policy.id, policy.path) == ("ISMS-POL-01", pol)
    assert {d.kind for d in result.repo.documents} | {r.kind for r in result.repo.registers} >= {
        "assets", "people", "roles", "policy", "incident-procedure", "contract", "audit-record",
    }  # fmt: skip


def test_add_missing_on_a_complete_repository_adds_nothing(tmp_path: Path) -> None:
    gov = tmp_path / "gov"
    assert cli("init", str(gov), "--lang", "en", "--as-of", AS_OF)[0] == 0
    before = digest(gov)
    code, out, _ = cli("init", "--add-missing", str(gov), "--as-of", AS_OF)
    assert code == 0
    assert out.splitlines()[0] == f"{gov} has every kind already; nothing was added."
    assert digest(gov) == before


def test_add_missing_never_overwrites_and_adds_the_signed_copy(tmp_path: Path) -> None:
    gov = tmp_path / "gov"
    gov.mkdir()
    (gov / "registers").mkdir()
    (gov / "registers" / "people.yaml").write_text("# our own notes, not a register\n", "utf-8")
    code, out, _ = cli("init", "--add-missing", str(gov), "--lang", "en", "--as-of", AS_OF)
    assert code == 0
    assert (gov / "registers" / "people.yaml").read_text(
        "utf-8"
    ) == "# our own notes, not a register\n"
    assert "  = registers/people.yaml: exists, not written" in out.splitlines()
    assert (gov / "evidence" / "signatures" / "information-security-policy-v1.0.txt").is_file()
    assert (
        "  + evidence/signatures/information-security-policy-v1.0.txt: replace with the signed copy"
        in out.splitlines()
    )
    code, _, _ = cli("init", "--add-missing", str(tmp_path / "missing"))
    assert code == 2
