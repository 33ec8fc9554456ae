"""``policylint init``: a new repository that passes ``policylint check`` as it is."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from policylint.cli import main
from policylint.report import build_report
from policylint.scaffold import TEMPLATES, fill, template_values, templates

from conftest import ROOT, run_lint

KINDS = sorted(p.name.removesuffix(".schema.json") for p in (ROOT / "schemas/kinds").iterdir())


def init(target: Path, *args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, ["init", str(target), *args])
    return res.exit_code, res.output


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize(
    "as_of", [dt.date(2026, 11, 25), dt.date(2028, 2, 29), dt.date(2026, 1, 31)]
)
def test_init_then_check_is_clean(tmp_path: Path, lang: str, as_of: dt.date) -> None:
    target = tmp_path / "governance"
    code, output = init(target, "--lang", lang, "--as-of", as_of.isoformat())
    assert code == 0, output
    result = run_lint(target, as_of=as_of, lang=lang)
    # only the placeholders init writes (issue 10: placeholders are not evidence)
    assert {d.check_id for d in result.diagnostics} == {"policylint/placeholder"}
    assert {d.path for d in result.active} == PLACEHOLDER_FILES
    assert all(d.severity.value == "warning" for d in result.active)
    code = CliRunner().invoke(main, ["check", str(target), "--as-of", as_of.isoformat()]).exit_code
    assert code == 0


PLACEHOLDER_FILES = {
    "contracts/datacenter.md",
    "contracts/partner-saas.md",
    "policies/information-security-policy.md",
    "policies/user-support-policy.md",
    "records/audits/internal-audit.md",
    "records/audits/partner-audit.md",
    "records/audits/system-audit.md",
    "records/reviews/owner-review-cio.md",
    "records/management-reviews/management-review.md",
    "records/reviews/owner-review-ciso.md",
    "registers/assets.yaml",
    "registers/external-parties.yaml",
    "registers/people.yaml",
    "registers/risk-register.yaml",
    "registers/statement-of-applicability.yaml",
}
"""What an untouched scaffold still holds as placeholders (both languages)."""


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_init_stays_clean_a_while(tmp_path: Path, lang: str) -> None:
    """Nothing is due soon: a month later there is still no warning."""
    made = dt.date(2026, 11, 25)
    init(tmp_path / "g", "--lang", lang, "--as-of", made.isoformat())
    later = run_lint(tmp_path / "g", as_of=made + dt.timedelta(days=30)).active
    assert {d.check_id for d in later} == {"policylint/placeholder"}


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_init_uses_every_kind_and_assesses_every_item(tmp_path: Path, lang: str) -> None:
    target = tmp_path / "g"
    init(target, "--lang", lang, "--as-of", "2026-11-25")
    result = run_lint(target, as_of=dt.date(2026, 11, 25), lang=lang)
    used = {d.kind for d in result.repo.documents} | {r.kind for r in result.repo.registers}
    assert sorted(used) == KINDS
    report = build_report(result)
    for row in report.items:  # met, or only partly on placeholders; none is vacuously met
        if row.placeholders:
            assert (row.status, row.reason) == ("partly", "placeholder"), row.id
        else:
            assert row.status in ("met", "not-assessed"), (row.id, row.status, row.reason)
        assert row.evidence, row.id
    assert report.counts["met"] >= 1
    assert report.counts["partly"] >= 1


def test_init_default_date_is_today_and_lang_from_locale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LC_ALL", "ja_JP.UTF-8")
    code, output = init(tmp_path / "g")
    assert code == 0, output
    assert "まず次のファイルを編集してください" in output
    config = (tmp_path / "g/policylint.yaml").read_text(encoding="utf-8")
    assert "lang: ja" in config
    policy = (tmp_path / "g/policies/information-security-policy.md").read_text(encoding="utf-8")
    assert f"approved_on: {dt.date.today().isoformat()}" in policy
    assert "{{" not in policy


def test_init_prints_what_to_edit_first(tmp_path: Path) -> None:
    code, output = init(tmp_path / "g", "--lang", "en")
    assert code == 0
    assert "Edit these first" in output
    assert "registers/people.yaml" in output and "policies/information-security-policy.md" in output
    assert f"policylint check {tmp_path / 'g'}" in output


def test_init_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    target = tmp_path / "g"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    code, output = init(target, "--lang", "en")
    assert code == 2
    assert "not empty" in output
    assert [p.name for p in target.iterdir()] == ["notes.txt"]


def test_init_refuses_a_hidden_file_and_a_file(tmp_path: Path) -> None:
    target = tmp_path / "g"
    target.mkdir()
    (target / ".git").mkdir()
    assert init(target)[0] == 2
    plain = tmp_path / "file"
    plain.write_text("x", encoding="utf-8")
    assert init(plain)[0] == 2


def test_init_into_an_empty_folder_and_new_parents(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert init(tmp_path / "empty", "--lang", "en")[0] == 0
    assert (tmp_path / "empty/registers/people.yaml").is_file()
    assert init(tmp_path / "a/b/c", "--lang", "en")[0] == 0
    assert (tmp_path / "a/b/c/policylint.yaml").is_file()


def test_init_bad_as_of_is_a_usage_error(tmp_path: Path) -> None:
    assert init(tmp_path / "g", "--as-of", "令和8年4月1日")[0] == 2
    assert not (tmp_path / "g").exists()


def test_both_languages_have_the_same_files() -> None:
    ja = [rel for rel, _ in templates("ja")]
    en = [rel for rel, _ in templates("en")]
    assert ja == en and len(ja) > 20
    assert not list(TEMPLATES.rglob("*.md")) and not list(TEMPLATES.rglob("*.yaml"))


def test_templates_use_only_known_placeholders() -> None:
    values = template_values(dt.date(2026, 2, 28))
    assert values["expires"] == "2029-02-27"
    for lang in ("ja", "en"):
        for rel, path in templates(lang):
            text = fill(path.read_text(encoding="utf-8"), values, rel)
            assert "{{" not in text and "}}" not in text, rel


def test_the_report_of_a_new_repository(tmp_path: Path) -> None:
    init(tmp_path / "g", "--lang", "en", "--as-of", "2026-11-25")
    res = CliRunner().invoke(
        main,
        [
            "report",
            str(tmp_path / "g"),
            "--format",
            "json",
            "--as-of",
            "2026-11-25",
            "--days",
            "92",
        ],
    )
    data = json.loads(res.output)
    assert data["summary"]["errors"] == 0
    assert data["summary"]["warnings"] == len(
        [d for d in data["diagnostics"] if d["check_id"] == "policylint/placeholder"]
    )
    # the report says what is still placeholder, item by item
    ii111 = next(i for i in data["items"] if i["id"] == "II.1.1.1")
    assert (ii111["status"], ii111["reason"]) == ("partly", "placeholder")
    assert ii111["placeholders"] == ["policies/information-security-policy.md"]
    # the partner's quarterly report review is the first thing due, in 92 days
    first = data["timeline"][0]
    assert (first["event"], first["date"]) == ("partner-report-review", "2027-02-25")
