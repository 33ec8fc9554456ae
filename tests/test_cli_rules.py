"""``policylint rules`` and ``policylint explain``: the rule pack as a reference."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from policylint.cli import main
from policylint.cli.rules import render_rules_markdown
from policylint.rulepack import load_rulepack

from conftest import ROOT

# The check ids of conventions §4 (the minimum rule pack), written out so that a check silently
# dropped from rules/ fails this test.
SECTION_4 = [
    "II.1.1.1/policy-exists",
    "II.1.1.1/policy-approved",
    "II.1.1.1/approver-is-management",
    "II.1.1.1/policy-sections",
    "II.1.1.1/policy-published",
    "II.1.1.2/policy-review-due",
    "II.1.1.2/revision-approved",
    "II.2.1.1/roles-defined",
    "II.2.1.2/confidentiality-documented",
    "II.2.1.3/procedures-documented",
    "II.2.2.1/external-parties-register",
    "II.2.2.1/external-party-risks",
    "II.2.2.1/external-party-access",
    "II.2.2.2/contract-exists",
    "II.2.2.2/contract-access-scope",
    "II.3.1.1/partner-sla",
    "II.3.1.1/contract-expiry",
    "II.3.1.2/partner-report-review",
    "II.3.1.2/partner-audit",
    "II.4.1.1/asset-register",
    "II.4.1.1/asset-owner",
    "II.4.1.1/asset-acceptable-use",
    "II.4.1.1/asset-inventory-fields",
    "II.4.1.1/asset-cia",
    "II.4.2.1/classification-scheme",
    "II.4.2.1/asset-classified",
    "II.4.2.1/handling-procedures",
    "II.4.2.1/scheme-complexity",
    "II.4.2.1/document-labelled",
    "II.4.3.1/owner-review",
    "II.4.3.2/system-audit",
    "II.4.3.2/auditor-qualified",
    "II.5.1.1/security-terms-agreed",
    "II.5.1.1/nda-before-access",
    "II.5.2.1/training-current",
    "II.5.2.2/disciplinary-procedure",
    "II.5.3.1/offboarding-procedure",
    "II.5.3.1/access-revoked",
    "II.5.3.1/no-duties-after-termination",
    "II.5.3.1/assets-returned",
    "II.5.3.1/shared-secrets-rotated",
    "II.6.1.1/incident-procedure",
    "II.6.1.1/incident-phases",
    "II.6.1.1/incident-records",
    "II.7.1.1/legal-register",
    "II.7.1.1/named-laws-considered",
    "II.7.1.1/foreign-jurisdiction",
    "II.7.1.2/retention-schedule",
    "II.7.1.2/retention-categories",
    "II.7.1.3/acceptable-use-notice",
    "II.7.1.3/consent",
    "II.8.1.1/support-policy",
    "II.8.1.1/partner-escalation",
]
SECTION_4_SEVERITY_WARNING = {
    "II.1.1.1/policy-sections", "II.1.1.1/policy-published", "II.2.2.1/external-party-access",
    "II.4.1.1/asset-inventory-fields", "II.4.1.1/asset-cia", "II.4.2.1/handling-procedures",
    "II.4.2.1/scheme-complexity", "II.4.2.1/document-labelled", "II.4.3.2/auditor-qualified",
    "II.5.1.1/nda-before-access", "II.5.3.1/assets-returned", "II.5.3.1/shared-secrets-rotated",
    "II.6.1.1/incident-phases", "II.7.1.1/named-laws-considered",
    "II.7.1.1/foreign-jurisdiction", "II.7.1.2/retention-categories", "II.7.1.3/consent",
    "II.8.1.1/partner-escalation",
}  # fmt: skip
ITEMS = [
    "II.1.1.1",
    "II.1.1.2",
    "II.2.1.1",
    "II.2.1.2",
    "II.2.1.3",
    "II.2.2.1",
    "II.2.2.2",
    "II.3.1.1",
    "II.3.1.2",
    "II.4.1.1",
    "II.4.2.1",
    "II.4.3.1",
    "II.4.3.2",
    "II.5.1.1",
    "II.5.2.1",
    "II.5.2.2",
    "II.5.3.1",
    "II.6.1.1",
    "II.7.1.1",
    "II.7.1.2",
    "II.7.1.3",
    "II.8.1.1",
]


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_rules_json_lists_every_item_with_checks_and_every_section_4_check() -> None:
    result = cli("rules", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    items = data["items"]
    assert [i["id"] for i in items] == ITEMS
    assert all(i["checks"] and i["has_checks"] for i in items)
    severity = {c["id"]: c["severity"] for i in items for c in i["checks"]}
    assert set(SECTION_4) <= set(severity)
    for check_id in SECTION_4:
        expected = "warning" if check_id in SECTION_4_SEVERITY_WARNING else "error"
        assert severity[check_id] == expected, check_id
    first = items[0]
    assert first["level"] == "basic" and first["iso27001_2022"] == ["A.5.1"]
    assert first["title"]["ja"] and first["title"]["en"]
    assert {"id", "severity", "title", "settings"} <= set(first["checks"][0])
    assert {c["id"] for c in data["tool_checks"]} >= {
        "policylint/schema",
        "policylint/invalid-date",
    }


def test_rules_text_table_marks_items_without_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    result = cli("rules", "--lang", "en")
    assert result.exit_code == 0
    assert "II.4.3.1  [basic]  Owner-led compliance review" in result.output
    assert "E  II.3.1.1/contract-expiry" in result.output
    assert "items without a check: none" in result.output
    pack = load_rulepack()
    monkeypatch.setattr(type(pack), "checks_of_item", lambda self, item: [])
    bare = cli("rules", "--lang", "en")
    assert (
        "(no check)" in bare.output and "items without a check: II.1.1.1, II.1.1.2" in bare.output
    )


def test_rules_text_in_japanese() -> None:
    result = cli("rules", "--lang", "ja")
    assert "II.4.3.1  [基本]  管理責任者による遵守状況のレビュー" in result.output
    assert "検査のない項目: なし" in result.output


def test_explain_a_check() -> None:
    result = cli("explain", "II.3.1.1/contract-expiry", "--lang", "en")
    assert result.exit_code == 0
    out = result.output
    for part in (
        "II.3.1.1/contract-expiry  No contract with an external party has expired",
        "Severity: error",
        "Guideline item: II.3.1.1 Partner controls and SLAs assured",
        "What it checks:",
        "Why:",
        "Fails:\n  kind: contract",
        "Passes:\n  kind: contract",
        "How to fix:\n  Renew the contract",
        "warn_before_days: 60",
    ):
        assert part in out, part


def test_explain_an_item_in_japanese_with_either_spelling_of_ii() -> None:
    result = cli("explain", "Ⅱ.5.3.1", "--lang", "ja")
    assert result.exit_code == 0
    out = result.output
    assert out.startswith("II.5.3.1 雇用の終了・変更時の手続")
    assert "充足の根拠となる記録:" in out and "検査:" in out
    assert "E  II.5.3.1/no-duties-after-termination" in out
    assert "W  II.5.3.1/shared-secrets-rotated" in out


def test_explain_by_slug_and_tool_check() -> None:
    assert cli("explain", "owner-review", "--lang", "en").output.startswith("II.4.3.1/owner-review")
    tool = cli("explain", "policylint/invalid-date", "--lang", "en")
    assert tool.exit_code == 0 and "Date not in ISO 8601 form" in tool.output


def test_explain_unknown_id_exits_2_with_suggestions() -> None:
    result = CliRunner().invoke(main, ["explain", "II.4.1.1/asset-ownr"])
    assert result.exit_code == 2
    message = result.output.strip()
    assert "\n" not in message
    assert message == (
        "policylint: unknown item, check or chapter id 'II.4.1.1/asset-ownr' "
        "(did you mean 'II.4.1.1/asset-owner'?)"
    )
    assert "II.4.1.1/asset-owner" in message


def test_language_defaults_to_the_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "policylint.yaml").write_text("lang: ja\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert cli("explain", "II.7.1.3/consent").output.startswith("II.7.1.3/consent  継続利用")
    (tmp_path / "policylint.yaml").write_text("as_of: 2026-11-01\n", encoding="utf-8")
    assert "Users must consent" in cli("explain", "II.7.1.3/consent").output


def test_every_check_documents_what_it_checks_with_examples() -> None:
    for check in load_rulepack().checks.values():
        doc = check.doc
        assert doc.get("what", {}).get("ja") and doc["what"].get("en"), check.id
        assert doc.get("fail", "").strip() and doc.get("pass", "").strip(), check.id
        assert check.hint.get("ja") and check.hint.get("en"), check.id


def test_docs_checks_md_is_up_to_date() -> None:
    current = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    from policylint.rulepack import load_packs

    packs = load_packs(["mic-asp-saas-2008", "iso27001-2022"])
    assert current == render_rules_markdown(packs, "en"), (
        "docs/checks.md is stale: run `policylint rules --format markdown --lang en "
        "--framework mic-asp-saas-2008 --framework iso27001-2022 > docs/checks.md`"
    )
