"""Baselines: record today's findings, then only new ones count."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner, Result

from policylint.baseline import (
    FORMAT_VERSION,
    apply_baseline,
    baseline_document,
    fingerprints,
    read_baseline,
)
from policylint.cli import main

from conftest import ASSETS, POLICY, run_lint

Edit = Callable[[Path, str, str], None]
AS_OF = ["--as-of", "2026-11-01", "--lang", "en"]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["check", *[str(a) for a in args]], catch_exceptions=False)


def seed_old(root: Path, edit: Edit) -> None:
    """Two findings of the same check and kind on two assets."""
    for asset_owner in ("    owner: cio\n    classification: secret\n",):
        edit(root / ASSETS, asset_owner, "    classification: secret\n")
    edit(root / ASSETS, "    owner: support-lead\n", "")


def seed_new(root: Path, edit: Edit) -> None:
    edit(
        root / POLICY,
        "published_to: [employees, users, external-parties]",
        "published_to: [employees]",
    )


def test_write_then_use(sample: Path, edit: Edit, tmp_path: Path) -> None:
    seed_old(sample, edit)
    base = tmp_path / "baseline.json"
    r = run(sample, *AS_OF, "--write-baseline", base)
    assert r.exit_code == 0, r.output  # what was recorded is suppressed
    assert "wrote 2 finding(s) to the baseline" in r.stderr
    doc = json.loads(base.read_text(encoding="utf-8"))
    assert doc["policylint_baseline"] == FORMAT_VERSION
    assert [(f["check"], f["target"]) for f in doc["findings"]] == [
        ("II.4.1.1/asset-owner", "as-customer-db"),
        ("II.4.1.1/asset-owner", "as-support-tickets"),
    ]
    assert all("line" not in f for f in doc["findings"])

    r = run(sample, *AS_OF, "--baseline", base, "--format", "json")
    assert r.exit_code == 0
    diags = json.loads(r.stdout)["diagnostics"]
    assert [d["suppressed_by"] for d in diags if d["check"] == "II.4.1.1/asset-owner"] == [
        "baseline",
        "baseline",
    ]

    seed_new(sample, edit)  # a new warning: reported, not failing
    r = run(sample, *AS_OF, "--baseline", base, "--severity-threshold", "warning")
    assert r.exit_code == 1
    assert "II.1.1.1/policy-published" in r.stdout and "asset-owner" not in r.stdout
    assert "3 finding(s) suppressed" in r.stdout  # 2 by the baseline, 1 by an exception


def test_new_error_of_the_same_check_is_not_hidden(
    sample: Path, edit: Edit, tmp_path: Path
) -> None:
    seed_old(sample, edit)
    base = tmp_path / "baseline.json"
    run(sample, *AS_OF, "--write-baseline", base)
    edit(sample / ASSETS, "    owner: hr-manager\n", "")  # a third asset loses its owner
    r = run(sample, *AS_OF, "--baseline", base)
    assert r.exit_code == 1
    assert "as-employee-records' has no owner" in r.stdout
    assert "as-customer-db' has no owner" not in r.stdout


def test_fingerprints_survive_moved_lines_language_and_renamed_files(
    sample: Path, edit: Edit
) -> None:
    seed_old(sample, edit)
    before = run_lint(sample).diagnostics
    edit(sample / ASSETS, "items:\n", "# moved\n\n\nitems:\n")
    (sample / ASSETS).rename(sample / "registers/information-assets.yaml")
    after = run_lint(sample, lang="ja").diagnostics
    assert [d.line for d in after] != [d.line for d in before]
    assert fingerprints(after) == fingerprints(before)


def test_fingerprint_distinguishes_fields_of_one_target(sample: Path, edit: Edit) -> None:
    edit(sample / POLICY, "approved_on: 2026-04-01\n", "")
    edit(sample / POLICY, "signature: evidence/signatures/pol-information-security-v3.0.txt\n", "")
    result = run_lint(sample)
    approved = [d for d in result.diagnostics if d.check_id == "II.1.1.1/policy-approved"]
    assert len(approved) == 2
    fps = fingerprints(result.diagnostics)
    assert len(set(fps)) == len(fps)
    assert all(fp.endswith(":0") for fp in fps)  # told apart by field, not by occurrence


def test_stale_entries_are_harmless(sample: Path, edit: Edit, tmp_path: Path) -> None:
    seed_old(sample, edit)
    base = tmp_path / "baseline.json"
    run(sample, *AS_OF, "--write-baseline", base)
    doc = json.loads(base.read_text(encoding="utf-8"))
    doc["findings"].append({"fingerprint": "0" * 32 + ":0", "check": "gone"})
    base.write_text(json.dumps(doc), encoding="utf-8")
    r = run(sample, *AS_OF, "--baseline", base)
    assert r.exit_code == 0, r.output


def test_exceptions_take_precedence_and_are_not_recorded(sample: Path) -> None:
    result = run_lint(sample)  # only the excepted finding of the sample
    assert baseline_document(result.diagnostics, "x")["findings"] == []
    known = frozenset(fingerprints(result.diagnostics))
    [d] = apply_baseline(result.diagnostics, known)
    assert d.suppressed_by == "exc-2026-001"


def test_baseline_file_is_deterministic(sample: Path, edit: Edit, tmp_path: Path) -> None:
    seed_old(sample, edit)
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    run(sample, *AS_OF, "--write-baseline", a)
    run(sample, "--as-of", "2026-11-01", "--lang", "ja", "--write-baseline", b)
    fa = [f["fingerprint"] for f in json.loads(a.read_text("utf-8"))["findings"]]
    fb = [f["fingerprint"] for f in json.loads(b.read_text("utf-8"))["findings"]]
    assert fa == fb
    run(sample, *AS_OF, "--write-baseline", b)
    assert a.read_bytes() == b.read_bytes()


def test_malformed_baselines_are_usage_errors(sample: Path, tmp_path: Path) -> None:
    base = tmp_path / "b.json"
    for content, message in [
        ("{", "is not valid JSON"),
        ("[]", "not a policylint baseline"),
        ('{"policylint_baseline": 99, "findings": []}', "version 99 is not supported"),
        ('{"policylint_baseline": 1, "findings": [{}]}', "findings[0] has no fingerprint"),
    ]:
        base.write_text(content, encoding="utf-8")
        r = run(sample, *AS_OF, "--baseline", base)
        assert r.exit_code == 2 and message in r.stderr, r.stderr
        assert r.stderr.count("\n") == 1


def test_write_baseline_refuses_a_file_subset(sample: Path, tmp_path: Path) -> None:
    r = run("--root", sample, *AS_OF, "--write-baseline", tmp_path / "b.json", sample / ASSETS)
    assert r.exit_code == 2 and "whole repository" in r.stderr


def test_read_baseline_returns_fingerprints(tmp_path: Path) -> None:
    base = tmp_path / "b.json"
    base.write_text(
        json.dumps({"policylint_baseline": 1, "findings": [{"fingerprint": "ab:0"}]}),
        encoding="utf-8",
    )
    assert read_baseline(base) == frozenset({"ab:0"})
