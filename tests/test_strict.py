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
