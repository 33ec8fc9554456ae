"""Issue 2's acceptance cases: each seeded violation gives exactly one diagnostic, at its place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ASSETS, POLICY, SAMPLE, line_of, run_lint, triples

Edit = Callable[[Path, str, str], None]


def only(result_triples: list[tuple[str, str, int]]) -> tuple[str, str, int]:
    assert len(result_triples) == 1, result_triples
    return result_triples[0]


def test_sample_repo_is_clean() -> None:
    result = run_lint(SAMPLE)
    assert [d.check_id for d in result.active] == []
    assert result.count_errors() == 0


def test_policy_without_signature(sample: Path, edit: Edit) -> None:
    edit(sample / POLICY, "signature: evidence/signatures/pol-information-security-v3.0.txt\n", "")
    result = run_lint(sample)
    assert only(triples(result)) == ("II.1.1.1/policy-approved", POLICY, 2)
    [d] = result.active
    assert d.column == 1 and d.severity.value == "error" and d.item == "II.1.1.1"
    assert (
        d.message == "policy 'pol-information-security' has no signature: management "
        "approval must be recorded"
    )


def test_signature_file_must_exist(sample: Path, edit: Edit) -> None:
    edit(sample / POLICY, "pol-information-security-v3.0.txt", "missing.pdf")
    d = run_lint(sample).active[0]
    assert (d.check_id, d.line, d.column) == (
        "II.1.1.1/policy-approved",
        line_of(sample / POLICY, "signature:"),
        12,
    )
    assert "evidence/signatures/missing.pdf does not exist" in d.message


def test_signature_path_cannot_escape_the_root(sample: Path, edit: Edit) -> None:
    edit(
        sample / POLICY, "evidence/signatures/pol-information-security-v3.0.txt", "../../etc/passwd"
    )
    assert "leads outside the repository" in only_diag(sample).message


def only_diag(root: Path) -> object:
    result = run_lint(root)
    assert len(result.active) == 1, triples(result)
    return result.active[0]


def test_review_thirteen_months_old(sample: Path, edit: Edit) -> None:
    edit(sample / POLICY, "last_reviewed: 2026-09-30", "last_reviewed: 2025-10-01")
    result = run_lint(sample)
    line = line_of(sample / POLICY, "last_reviewed:")
    assert only(triples(result)) == ("II.1.1.2/policy-review-due", POLICY, line)
    assert result.active[0].column == 16
    assert "was due for review on 2026-10-01" in result.active[0].message


def test_review_due_soon_is_a_warning_with_the_due_date(sample: Path, edit: Edit) -> None:
    (sample / "registers/significant-changes.yaml").unlink()  # reviewed before no change
    edit(sample / POLICY, "last_reviewed: 2026-09-30", "last_reviewed: 2025-11-20")
    [d] = run_lint(sample).active
    assert (d.check_id, d.severity.value) == ("II.1.1.2/policy-review-due", "warning")
    assert "due for review on 2026-11-20, in 19 days" in d.message


def test_asset_without_owner(sample: Path, edit: Edit) -> None:
    edit(
        sample / ASSETS,
        "    owner: cio\n    classification: secret\n",
        "    classification: secret\n",
    )
    result = run_lint(sample)
    line = line_of(sample / ASSETS, "- id: as-customer-db")
    assert only(triples(result)) == ("II.4.1.1/asset-owner", ASSETS, line)
    assert result.active[0].column == 5
    assert result.active[0].message == "asset 'as-customer-db' has no owner"


def test_asset_owner_who_has_left(sample: Path, edit: Edit) -> None:
    people = (sample / "registers/people.yaml").read_text(encoding="utf-8")
    terminated = next(
        line.split("id:")[1].strip()
        for line in people.splitlines()
        if "- id:" in line and _status_after(people, line) == "terminated"
    )
    edit(
        sample / ASSETS,
        "    owner: cio\n    classification: secret\n",
        f"    owner: {terminated}\n    classification: secret\n",
    )
    d = [d for d in run_lint(sample).active if d.check_id == "II.4.1.1/asset-owner"]
    assert len(d) == 1 and "no longer works here" in d[0].message


def _status_after(text: str, id_line: str) -> str:
    block = text.split(id_line, 1)[1].split("- id:", 1)[0]
    for line in block.splitlines():
        if line.strip().startswith("status:"):
            return line.split(":", 1)[1].strip()
    return ""


def test_asset_classification_not_a_level(sample: Path, edit: Edit) -> None:
    edit(sample / ASSETS, "    classification: secret\n", "    classification: top-secret\n")
    result = run_lint(sample)
    line = line_of(sample / ASSETS, "classification: top-secret")
    assert only(triples(result)) == ("II.4.2.1/asset-classified", ASSETS, line)
    assert result.active[0].column == 21
    assert "'top-secret' is not a level of the classification scheme" in result.active[0].message


def test_duplicate_key(sample: Path, edit: Edit) -> None:
    edit(
        sample / POLICY,
        "approved_on: 2026-04-01\n",
        "approved_on: 2026-04-01\napproved_on: 2026-04-01\n",
    )
    result = run_lint(sample)
    line = line_of(sample / POLICY, "approved_on:") + 1
    assert only(triples(result)) == ("policylint/duplicate-key", POLICY, line)
    assert result.active[0].message == (
        "the key 'approved_on' is repeated (first on line "
        f"{line - 1}); only this last value is used"
    )


def test_malformed_date(sample: Path, edit: Edit) -> None:
    edit(sample / POLICY, "last_reviewed: 2026-09-30", "last_reviewed: 2026/09/30")
    result = run_lint(sample)
    line = line_of(sample / POLICY, "last_reviewed:")
    assert only(triples(result)) == ("policylint/invalid-date", POLICY, line)
    assert result.active[0].column == 16
    assert result.active[0].message == (
        "last_reviewed: '2026/09/30' is not a date of the form YYYY-MM-DD; write 2026-09-30"
    )


def test_japanese_era_date_gets_its_iso_equivalent(sample: Path, edit: Edit) -> None:
    edit(sample / POLICY, "last_reviewed: 2026-09-30", "last_reviewed: 令和8年9月30日")
    result = run_lint(sample, lang="ja")
    assert result.active[0].message == (
        "last_reviewed: '令和8年9月30日' は和暦です。西暦で 2026-09-30 と書いてください"
    )


_NOT_ISO = (
    "last_reviewed: '{0}' is not a date of the form YYYY-MM-DD; write {1}",
    "last_reviewed: '{0}' は YYYY-MM-DD 形式ではありません。{1} と書いてください",
)
_ERA = (
    "last_reviewed: '{0}' is a Japanese era date; write {1}",
    "last_reviewed: '{0}' は和暦です。西暦で {1} と書いてください",
)


@pytest.mark.parametrize(
    ("written", "iso", "messages"),
    [
        ("2026年9月30日", "2026-09-30", _NOT_ISO),
        ("R8.9.30", "2026-09-30", _ERA),
        ("H31.4.30", "2019-04-30", _ERA),
        ("２０２６-０９-３０", "2026-09-30", _NOT_ISO),
    ],
)
def test_dates_as_japanese_users_type_them_get_the_iso_form(
    sample: Path, edit: Edit, written: str, iso: str, messages: tuple[str, str]
) -> None:
    edit(sample / POLICY, "last_reviewed: 2026-09-30", f"last_reviewed: {written}")
    line = line_of(sample / POLICY, "last_reviewed:")
    for lang, message in zip(("en", "ja"), messages, strict=True):
        result = run_lint(sample, lang=lang)
        assert only(triples(result)) == ("policylint/invalid-date", POLICY, line)
        assert result.active[0].message == message.format(written, iso)


def test_version_as_a_float_is_a_schema_error(sample: Path, edit: Edit) -> None:
    edit(sample / POLICY, 'version: "3.0"', "version: 3.10")
    checks = {d.check_id for d in run_lint(sample).active}
    assert "policylint/schema" in checks


def test_as_of_2030_reports_overdue_reviews() -> None:
    result = run_lint(SAMPLE, as_of=dt.date(2030, 1, 1))
    ids = {d.check_id for d in result.active}
    assert "II.1.1.2/policy-review-due" in ids
    policy = [d for d in result.active if d.check_id == "II.1.1.2/policy-review-due"]
    assert policy[0].severity.value == "error" and "2027-09-30" in policy[0].message
    assert result.count_errors() > 0


def test_output_is_deterministic() -> None:
    a = run_lint(SAMPLE, as_of=dt.date(2030, 1, 1)).diagnostics
    b = run_lint(SAMPLE, as_of=dt.date(2030, 1, 1)).diagnostics
    assert a == b


def test_findings_at_one_place_are_ordered_by_their_target() -> None:
    from policylint.diagnostics import Diagnostic, Severity
    from policylint.engine import sort_unique

    same = ("a.yaml", 3, 5, "policylint/unknown-field", None, Severity.WARNING, "msg", "hint")
    rows = [Diagnostic(*same, target=t) for t in ("row-b", "row-c", "row-a")]
    expected = ["row-a", "row-b", "row-c"]
    assert [d.target for d in sort_unique(rows)] == expected
    assert [d.target for d in sort_unique(reversed(rows))] == expected
