"""Issue 10 §2: no silent pass on a typo (unknown fields, "did you mean", stale exceptions,
settings that extend, placeholders, register reviews)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from policylint.cli import main
from policylint.suggest import did_you_mean, distance

from conftest import ASSETS, EXCEPTIONS, MAMORU_CTR, POLICY, line_of, run_lint, triples

Edit = Callable[[Path, str, str], None]


def cli(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


# -- the one "did you mean" ---------------------------------------------------------------------


def test_did_you_mean_finds_the_closest_names_deterministically() -> None:
    assert did_you_mean("polcy", ["procedure", "policy", "people"]) == ("policy",)
    assert did_you_mean("ep-datacentre", ["ep-datacenter", "ep-telecom"]) == ("ep-datacenter",)
    assert did_you_mean("Last-Reviewed", ["last_reviewed"]) == ("last_reviewed",)
    assert did_you_mean("cioo", ["ciso", "cio", "ceo"]) == ("cio", "ciso")  # by distance, then name
    # ties are broken by name, whatever the order of the candidates
    assert did_you_mean("cat", ["cot", "bat"]) == did_you_mean("cat", ["bat", "cot"])
    assert did_you_mean("id", ["ids"]) == ()  # too short to guess
    assert did_you_mean("completely-different", ["policy"]) == ()
    assert did_you_mean("x" * 1000, ["x" * 999]) == ()  # bounded: long names are not compared


def test_distance_counts_a_swap_as_one_and_stops_at_the_limit() -> None:
    assert distance("centre", "center", 2) == 1
    assert distance("abcdef", "uvwxyz", 2) == 3


# -- unknown fields -----------------------------------------------------------------------------


def test_misspelt_expiry_is_not_a_silent_pass(sample: Path, edit: Edit) -> None:
    edit(sample / MAMORU_CTR, "expires_on: 2027-06-30", "expire_on: 2026-01-31")
    line = line_of(sample / MAMORU_CTR, "expire_on:")
    result = run_lint(sample)
    assert triples(result) == [("policylint/unknown-field", MAMORU_CTR, line)]
    [d] = result.active
    assert (d.column, d.severity.value) == (1, "warning")
    assert d.message == (
        "'expire_on' is not a field of kind contract; did you mean 'expires_on'? As written it is "
        "ignored, so nothing it says is checked"
    )
    [ja] = run_lint(sample, lang="ja").active
    assert ja.message == (
        "'expire_on' は kind contract のフィールドではありません。"
        "'expires_on' の誤りではありませんか?（このままでは無視され、検査されません）"
    )
    code, out, _ = cli("check", sample, "--lang", "en")
    assert code == 0 and f"{MAMORU_CTR}:{line}:1: WARNING policylint/unknown-field" in out


def test_misspelt_owner_of_an_asset_and_review_date_of_a_policy(sample: Path, edit: Edit) -> None:
    edit(sample / ASSETS, "    owner: cio\n", "    ownr: cio\n")
    edit(sample / POLICY, "last_reviewed: 2026-09-30", "last_reviewd: 2026-09-30")
    result = run_lint(sample)
    near = [d for d in result.active if d.check_id == "policylint/unknown-field"]
    assert sorted((d.path, d.line, d.message) for d in near) == [
        (
            POLICY,
            line_of(sample / POLICY, "last_reviewd:"),
            "'last_reviewd' is not a field of kind policy; did you mean 'last_reviewed'? "
            "As written it is ignored, so nothing it says is checked",
        ),
        (
            ASSETS,
            line_of(sample / ASSETS, "ownr:"),
            "'ownr' is not a field of kind assets; did you mean 'owner'? As written it is ignored, "
            "so nothing it says is checked",
        ),
    ]
    # the checks that need the fields still report their absence
    assert {d.check_id for d in result.active} >= {
        "II.4.1.1/asset-owner",
        "II.1.1.2/policy-review-due",
    }


def test_deliberate_extra_fields_stay_allowed(sample: Path, edit: Edit) -> None:
    edit(sample / MAMORU_CTR, "expires_on: 2027-06-30", "expires_on: 2027-06-30\nlegal_entity: X")
    assert triples(run_lint(sample)) == []


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("off", []),
        ("warn", [("warning", "near-miss")]),
        ("error", [("error", "near-miss"), ("error", "unknown"), ("error", "unknown")]),
    ],
)
def test_unknown_fields_setting(
    sample: Path, edit: Edit, mode: str, expected: list[tuple[str, str]]
) -> None:
    edit(sample / MAMORU_CTR, "expires_on: 2027-06-30", "expire_on: 2027-06-30\nlegal_entity: X")
    (sample / "policylint.yaml").write_text(
        f"as_of: 2026-11-01\nunknown_fields: {mode}\n", encoding="utf-8"
    )
    result = run_lint(sample)
    found = [
        (d.severity.value, "near-miss" if "did you mean" in d.message else "unknown")
        for d in result.active
        if d.check_id == "policylint/unknown-field" and d.path == MAMORU_CTR
    ]
    assert found == expected
    if mode == "error":
        mine = [d for d in result.active if d.path == MAMORU_CTR]
        assert mine[1].message == (
            "'legal_entity' is not a field of kind contract (unknown_fields: error reports every "
            "field the convention does not define)"
        )
        code, _, _ = cli("check", sample, "--lang", "en")
        assert code == 1


def test_unknown_fields_setting_must_be_one_of_three(sample: Path) -> None:
    (sample / "policylint.yaml").write_text("unknown_fields: strict\n", encoding="utf-8")
    code, _, err = cli("check", sample)
    assert code == 2 and "unknown_fields" in err


# -- placeholders -------------------------------------------------------------------------------


def test_tbd_and_unfilled_template_values_are_placeholders(sample: Path, edit: Edit) -> None:
    edit(sample / ASSETS, "    location: ", "    location: TBD\n    x_location: ")
    edit(sample / MAMORU_CTR, "owner: ciso", 'owner: ciso\nsummary: "{{ summary }}"')
    result = run_lint(sample)
    assert triples(result) == [
        ("policylint/placeholder", MAMORU_CTR, line_of(sample / MAMORU_CTR, "summary:")),
        ("policylint/placeholder", ASSETS, line_of(sample / ASSETS, "location: TBD")),
    ]
    msg = [d.message for d in result.active]
    assert msg[1].startswith("assets 'as-")
    assert msg[1].endswith(
        "still holds placeholder values (location); they are not evidence, and the compliance "
        "report does not count its items as met on them"
    )
    ja = run_lint(sample, lang="ja").active[0].message
    assert ja == (
        "契約書 'ctr-sec-mamoru' に仮の値が残っています（summary）。仮の値は根拠にならず、"
        "準拠状況レポートでは該当項目を適合と数えません"
    )
    assert cli("check", sample)[0] == 0  # warnings


def test_placeholder_signature_file_is_reported_and_a_real_one_never(
    sample: Path, edit: Edit
) -> None:
    sig = sample / "evidence/signatures/pol-information-security-v3.0.txt"
    real = sig.read_text(encoding="utf-8")
    sig.write_text(real + "\n備考: placeholder の語を含むが実際の署名記録\n", encoding="utf-8")
    assert triples(run_lint(sample)) == []  # a real record that mentions the word is not flagged
    sig.write_text("PLACEHOLDER created by policylint init on 2026-04-01.\n", encoding="utf-8")
    result = run_lint(sample)
    line = line_of(sample / POLICY, "signature:")
    assert triples(result) == [("policylint/placeholder", POLICY, line)]
    assert result.active[0].message == (
        "the signature file evidence/signatures/pol-information-security-v3.0.txt is a "
        "placeholder (it says so), not a record of the signature"
    )
    assert run_lint(sample, lang="ja").active[0].message == (
        "署名ファイル evidence/signatures/pol-information-security-v3.0.txt は仮のファイルであり、"
        "署名の記録ではありません"
    )


def test_an_item_is_never_met_on_placeholder_evidence(sample: Path, edit: Edit) -> None:
    from policylint.report import build_report

    before = {r.id: r.status for r in build_report(run_lint(sample)).items}
    assert before["II.4.1.1"] in ("met", "excepted")
    edit(sample / ASSETS, "    location: ", "    location: 未定\n    x_location: ")
    row = next(r for r in build_report(run_lint(sample)).items if r.id == "II.4.1.1")
    assert (row.status, row.reason, row.placeholders) == ("partly", "placeholder", (ASSETS,))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("TBD", True),
        ("未定", True),
        ("{{ owner }}", True),
        ("Auditor's name and firm (replace)", True),
        ("管理責任者レビュー記録（CIO、仮）", True),
        ("Placeholder: replace with the findings", True),
        ("Replacement of the backup tapes is planned", False),
        ("仮想サーバ", False),
        ("Tokyo data centre", False),
    ],
)
def test_placeholder_vocabulary(value: str, expected: bool) -> None:
    from policylint.placeholders import is_placeholder

    assert is_placeholder(value) is expected


# -- "did you mean" everywhere ------------------------------------------------------------------


def test_misspelt_kind_is_one_story_at_the_file(sample: Path, edit: Edit) -> None:
    edit(sample / POLICY, "kind: policy\n", "kind: polcy\n")
    result = run_lint(sample)
    at = (POLICY, 2)
    found = [(d.check_id, d.path, d.line, d.severity.value) for d in result.active]
    # "no policy" is not pinned on an unrelated file: it is at the misspelt kind, and says so
    assert [f for f in found if f[0] == "II.1.1.1/policy-exists"] == [found[0]]
    found = [f for f in found if f[1] == POLICY]
    assert found == [
        ("II.1.1.1/policy-exists", *at, "error"),
        ("policylint/unknown-kind", *at, "warning"),
    ]
    exists, unknown = [d for d in result.active if d.path == POLICY]
    assert exists.message == (
        "no information security policy (a document of kind: policy) was found "
        f"({POLICY} has kind 'polcy': did you mean 'policy'?)"
    )
    assert unknown.message == (
        "kind 'polcy' is not a kind policylint knows; did you mean 'policy'? The file is not "
        "checked until its kind is corrected"
    )
    ja = [d for d in run_lint(sample, lang="ja").active if d.path == POLICY]
    assert ja[0].message == (
        "情報セキュリティ基本方針（kind: policy の文書）がありません"
        f"（{POLICY} の kind 'polcy' は 'policy' の誤りではありませんか?）"
    )
    assert ja[1].message == (
        "kind 'polcy' は policylint が扱う種類ではありません。'policy' の誤りではありませんか?"
        "（kind を直すまでこのファイルは検査されません）"
    )
    assert cli("check", sample)[0] == 1


def test_misspelt_references_name_the_id_meant(sample: Path, edit: Edit) -> None:
    edit(sample / ASSETS, "    owner: cio\n", "    owner: cioo\n")
    ctr = "contracts/datacenter-higashi.md"
    edit(sample / ctr, "counterparty: ep-higashi-dc", "counterparty: ep-higashi-cd")
    result = run_lint(sample)
    owner = next(d for d in result.active if d.path == ASSETS)
    assert (owner.check_id, owner.line) == (
        "II.4.1.1/asset-owner",
        line_of(sample / ASSETS, "owner: cioo"),
    )
    assert owner.message.endswith(
        "owner 'cioo' is neither a role nor a person of the repository "
        "(did you mean 'cio' or 'ciso'?)"
    )
    ref = next(d for d in result.active if d.check_id == "policylint/unresolved-reference")
    assert (ref.path, ref.line) == (ctr, line_of(sample / ctr, "counterparty:"))
    assert ref.message == (
        "counterparty: 'ep-higashi-cd' does not name any external-party in the repository "
        "(did you mean 'ep-higashi-dc'?)"
    )
    ja = next(d for d in run_lint(sample, lang="ja").active if d.check_id == ref.check_id).message
    assert ja.endswith("（'ep-higashi-dc' の誤りではありませんか?）")


def test_select_ignore_and_configuration_suggest_the_id_meant(sample: Path) -> None:
    code, _, err = cli(
        "check", sample, "--select", "II.4.1.9,II.1.1.1/polcy-sections", "--lang", "en"
    )
    assert code == 2
    assert err == (
        "policylint: --select: unknown check or item id(s): II.4.1.9 (did you mean "
        "'II.4.1.1'?), II.1.1.1/polcy-sections (did you mean 'II.1.1.1/policy-sections'?)\n"
    )
    code, _, err = cli("check", sample, "--ignore", "policylnt", "--lang", "en")
    assert (code, err) == (
        2,
        "policylint: --ignore: unknown check or item id(s): policylnt (did you mean "
        "'policylint'?)\n",
    )
    (sample / "policylint.yaml").write_text(
        "checks:\n  II.4.1.1/asset-ownr: {severity: warning}\n", encoding="utf-8"
    )
    code, _, err = cli("check", sample)
    assert code == 2 and "(did you mean 'II.4.1.1/asset-owner'?)" in err
    (sample / "policylint.yaml").write_text(
        "checks:\n  II.1.1.2/policy-review-due: {warn_befor_days: 10}\n", encoding="utf-8"
    )
    code, _, err = cli("check", sample)
    assert code == 2 and "'warn_befor_days' is not a setting of" in err
    assert "(did you mean 'warn_before_days'?)" in err


def test_explain_accepts_a_chapter_and_suggests_the_id_meant() -> None:
    code, out, _ = cli("explain", "II.4", "--lang", "en")
    assert code == 0
    assert out.splitlines()[0] == "II.4 Information asset management"
    assert "    E  II.4.1.1/asset-owner  Every asset has an owner" in out
    assert cli("explain", "Ⅱ.4", "--lang", "en")[1] == out
    code, _, err = cli("explain", "II.4.1.9")
    assert (code, err) == (
        2,
        "policylint: unknown item, check or chapter id 'II.4.1.9' (did you mean 'II.4.1.1'?)\n",
    )
    code, _, err = cli("explain", "asset-ownr")
    assert "(did you mean 'II.4.1.1/asset-owner'?)" in err


# -- stale exceptions ---------------------------------------------------------------------------


def test_exception_that_matches_nothing_is_reported(sample: Path, edit: Edit) -> None:
    edit(
        sample / EXCEPTIONS,
        "check: II.4.1.1/asset-inventory-fields",
        "check: II.4.1.1/asset-inventory-field",
    )
    result = run_lint(sample)
    line = line_of(sample / EXCEPTIONS, "check: II.4.1.1/asset-inventory-field")
    # the finding it was meant for is back, and the exception is reported where it is written
    assert [c for c, _, _ in triples(result)] == [
        "II.4.1.1/asset-inventory-fields",
        "policylint/stale-exception",
    ]
    stale = next(d for d in result.active if d.check_id == "policylint/stale-exception")
    assert (stale.path, stale.line, stale.severity.value) == (EXCEPTIONS, line, "warning")
    assert stale.message == (
        "exception 'exc-2026-001': 'II.4.1.1/asset-inventory-field' is not a check or item id, "
        "so the exception matches nothing (did you mean 'II.4.1.1/asset-inventory-fields'?)"
    )
    ja = next(d for d in run_lint(sample, lang="ja").active if d.check_id == stale.check_id)
    assert ja.message == (
        "例外 'exc-2026-001': 'II.4.1.1/asset-inventory-field' は検査の ID でも項目の ID でも"
        "ないため、この例外はどの指摘にも該当しません"
        "（'II.4.1.1/asset-inventory-fields' の誤りではありませんか?）"
    )


def test_exception_for_a_fixed_problem_or_a_missing_target(sample: Path, edit: Edit) -> None:
    edit(sample / EXCEPTIONS, "target: as-employee-records", "target: as-employee-record")
    result = run_lint(sample)
    stale = next(d for d in result.active if d.check_id == "policylint/stale-exception")
    assert stale.line == line_of(sample / EXCEPTIONS, "target: as-employee-record")
    assert stale.message == (
        "exception 'exc-2026-001': target 'as-employee-record' names no document, register "
        "item, file or folder of the repository, so the exception matches nothing "
        "(did you mean 'as-employee-records'?)"
    )
    edit(sample / EXCEPTIONS, "target: as-employee-record", "target: as-employee-records")
    edit(
        sample / ASSETS,
        "    backup: 電子化した写しを文書管理システムに保管\n",
        "    backup: 電子化した写しを文書管理システムに保管\n    license: 該当なし\n",
    )
    result = run_lint(sample)  # the problem is fixed: the exception is now unused
    line = line_of(sample / EXCEPTIONS, "check: II.4.1.1/asset-inventory-fields")
    assert triples(result) == [("policylint/stale-exception", EXCEPTIONS, line)]
    assert result.active[0].message == (
        "exception 'exc-2026-001' matches no finding of II.4.1.1/asset-inventory-fields on "
        "as-employee-records: the problem may have been fixed"
    )
    assert run_lint(sample, lang="ja").active[0].message == (
        "例外 'exc-2026-001' に該当する指摘（II.4.1.1/asset-inventory-fields、対象 "
        "as-employee-records）がありません。問題は既に是正されている可能性があります"
    )
    assert cli("check", sample)[0] == 0  # a warning
    # an exception for a check that did not run cannot be judged: not reported
    code, out, _ = cli("check", sample, "--select", "II.1", "--lang", "en")
    assert code == 0 and "stale-exception" not in out


# -- configuration that extends -----------------------------------------------------------------

EXTRA_SECTION = (
    "checks:\n"
    "  II.1.1.1/policy-sections:\n"
    "    sections:\n"
    "      g: {label: {en: annexes, ja: 付録}, patterns: [付録, annex]}\n"
)


@pytest.mark.parametrize(
    ("replace", "expected_en", "expected_ja"),
    [
        ("", "a) definition, purpose and scope, g) annexes", "a) 定義・目的・適用範囲, g) 付録"),
        ("    replace: true\n", "g) annexes", "g) 付録"),
        ("    replace: [sections]\n", "g) annexes", "g) 付録"),
    ],
)
def test_a_mapping_setting_extends_the_default_unless_replaced(
    sample: Path, edit: Edit, replace: str, expected_en: str, expected_ja: str
) -> None:
    edit(sample / POLICY, "## 1. 目的及び適用範囲（情報セキュリティの定義）", "## 1. 総則")
    (sample / "policylint.yaml").write_text(EXTRA_SECTION + replace, encoding="utf-8")
    result = run_lint(sample)
    assert triples(result) == [
        ("II.1.1.1/policy-sections", POLICY, line_of(sample / POLICY, "kind:"))
    ]
    assert result.active[0].message == (
        f"policy 'pol-information-security' has no section for: {expected_en}"
    )
    assert run_lint(sample, lang="ja").active[0].message == (
        f"基本方針 'pol-information-security' に次の事項の見出しがありません: {expected_ja}"
    )


def test_replace_must_name_mapping_settings(sample: Path) -> None:
    (sample / "policylint.yaml").write_text(
        EXTRA_SECTION + "    replace: [warn_before_days]\n", encoding="utf-8"
    )
    code, _, err = cli("check", sample)
    assert code == 2
    assert "'replace' of 'II.1.1.1/policy-sections' must be true, false or a list of its " in err


# -- the report and the check agree -------------------------------------------------------------


def test_a_register_review_that_is_overdue_is_a_finding(sample: Path, edit: Edit) -> None:
    edit(sample / ASSETS, "last_reviewed: 2026-10-09", "last_reviewed: 2025-10-09")
    result = run_lint(sample)
    line = line_of(sample / ASSETS, "last_reviewed:")
    assert triples(result) == [("II.4.1.1/asset-register-reviewed", ASSETS, line)]
    [d] = result.active
    assert (d.severity.value, d.column) == ("warning", 16)
    assert d.message == (
        "the asset register was due for review on 2026-10-09 (last_reviewed 2025-10-09, every "
        "12 months)"
    )
    assert run_lint(sample, lang="ja").active[0].message == (
        "資産台帳の見直し期限 2026-10-09 を過ぎています（last_reviewed 2025-10-09、12 か月ごと）"
    )
    edit(
        sample / ASSETS,
        "last_reviewed: 2025-10-09",
        "last_reviewed: 2025-10-09\nreview_interval_months: 24",
    )
    assert triples(run_lint(sample)) == []  # the register's own cycle
    assert cli("check", sample)[0] == 0


def test_a_document_review_the_report_shows_is_checked(sample: Path, edit: Edit) -> None:
    notice = "policies/acceptable-use-notice.md"
    text = (sample / notice).read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("last_reviewed:"))
    edit(sample / notice, old, "last_reviewed: 2025-09-01")
    result = run_lint(sample)
    assert triples(result) == [
        ("II.7.1.3/acceptable-use-notice", notice, line_of(sample / notice, "last_reviewed:"))
    ]
    assert "was due for review on 2026-09-01" in result.active[0].message


@pytest.mark.parametrize("as_of", ["2027-10-05", "2031-01-01"])
def test_every_overdue_date_of_the_report_has_a_finding_behind_it(as_of: str) -> None:
    import datetime as dt

    from policylint.report import build_report

    from conftest import SAMPLE

    result = run_lint(SAMPLE, as_of=dt.date.fromisoformat(as_of))
    report = build_report(result)
    overdue = [d for d in report.timeline if d.overdue]
    overdue += [r.next_due for r in report.items if r.next_due and r.next_due.overdue]
    assert len(overdue) > 40
    for due in overdue:
        behind = [
            d
            for d in result.active
            if due.date.isoformat() in d.message and (d.path == due.path or d.item == due.item)
        ]
        assert behind, f"the report shows {due} overdue, but no finding says so"
    # and no item is met beside an overdue date
    for row in report.items:
        if row.next_due is not None and row.next_due.overdue:
            assert row.status not in ("met", "excepted"), row.id
