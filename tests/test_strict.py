"""Issue 10 §2: no silent pass on a typo (unknown fields, "did you mean", stale exceptions,
settings that extend, placeholders, register reviews)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from policylint.cli import main
from policylint.suggest import did_you_mean, distance

from conftest import ASSETS, MAMORU_CTR, POLICY, line_of, run_lint, triples

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
