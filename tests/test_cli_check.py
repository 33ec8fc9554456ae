"""``policylint check`` on the command line: formats, selection, exit codes, the --root form."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from policylint.cli import main
from policylint.cli.check import path_prefix, relative_files, use_color
from policylint.reporters import FORMATS

from conftest import ASSETS, POLICY

Edit = Callable[[Path, str, str], None]
AS_OF = ["--as-of", "2026-11-01", "--lang", "en"]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["check", *[str(a) for a in args]], catch_exceptions=False)


def seed_error(root: Path, edit: Edit) -> None:
    """II.4.1.1/asset-owner (error) in registers/assets.yaml."""
    edit(
        root / ASSETS,
        "    owner: cio\n    classification: secret\n",
        "    classification: secret\n",
    )


def seed_warning(root: Path, edit: Edit) -> None:
    """II.1.1.1/policy-published (warning) in the policy."""
    edit(
        root / POLICY,
        "published_to: [employees, users, external-parties]",
        "published_to: [employees]",
    )


def test_clean_repository_exits_0(sample: Path) -> None:
    r = run(sample, *AS_OF)
    assert r.exit_code == 0, r.output
    assert "No problems found" in r.stdout


def test_error_exits_1_and_exit_zero_overrides(sample: Path, edit: Edit) -> None:
    seed_error(sample, edit)
    r = run(sample, *AS_OF)
    assert r.exit_code == 1
    assert f"{ASSETS}:" in r.stdout and "ERROR II.4.1.1/asset-owner" in r.stdout
    assert run(sample, *AS_OF, "--exit-zero").exit_code == 0


def test_severity_threshold(sample: Path, edit: Edit) -> None:
    seed_warning(sample, edit)
    assert run(sample, *AS_OF).exit_code == 0
    assert run(sample, *AS_OF, "--severity-threshold", "warning").exit_code == 1
    assert run(sample, *AS_OF, "--severity-threshold", "warning", "--exit-zero").exit_code == 0


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--select", "II.4"], 1),
        (["--select", "II.1"], 0),
        (["--select", "II.1,II.4.1.1/asset-owner"], 1),
        (["--select", "II.1", "--select", "II.4.1"], 1),
        (["--ignore", "II.4.1.1"], 0),
        (["--ignore", "II.4.1.1/asset-owner"], 0),
        (["--ignore", "Ⅱ.4"], 0),
        (["--ignore", "II.4", "--select", "II.4.1.1/asset-owner"], 1),  # most specific wins
        (["--select", "II.4.1.1", "--ignore", "II.4.1.1/asset-owner"], 0),
        (["--select", "policylint"], 0),
    ],
)
def test_select_and_ignore(sample: Path, edit: Edit, args: list[str], code: int) -> None:
    seed_error(sample, edit)
    r = run(sample, *AS_OF, "--framework", "mic-asp-saas-2008", *args)
    assert r.exit_code == code, r.output


def test_ignoring_an_item_keeps_the_control_of_another_framework(sample: Path, edit: Edit) -> None:
    # sample-repo declares both packs: the same finding still fails ISO/IEC 27001 A.5.9
    seed_error(sample, edit)
    r = run(sample, *AS_OF, "--ignore", "II.4.1.1")
    assert r.exit_code == 1
    assert "ERROR A.5.9/asset-owner [A.5.9]" in r.stdout
    assert run(sample, *AS_OF, "--ignore", "II.4.1.1,A.5.9").exit_code == 0


def test_selection_limits_the_checks_run(sample: Path) -> None:
    r = run(sample, *AS_OF, "--select", "II.4.1.1", "--format", "json")
    doc = json.loads(r.stdout)
    assert doc["summary"]["checks_run"] == 6  # five, and the register's own review (issue 10)
    assert doc["diagnostics"][0]["check"].startswith("II.4.1.1/")  # the excepted finding


def test_unknown_selectors_are_a_usage_error(sample: Path) -> None:
    r = run(sample, *AS_OF, "--select", "II.4,II.9.9.9", "--ignore", "nope")
    assert r.exit_code == 2
    assert r.stderr == "policylint: --select: unknown check or item id(s): II.9.9.9\n"
    r = run(sample, *AS_OF, "--ignore", "nope,II.1.1.1/no-such-check")
    assert r.exit_code == 2
    assert "nope, II.1.1.1/no-such-check" in r.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["a", "b"], "give one repository root"),
        (["does-not-exist"], "does-not-exist: no such file or folder"),
        (["--as-of", "2026/11/01"], "is not a date"),
        (["--format", "xml"], "Invalid value for '--format'"),
        (["--baseline", "missing.json"], "baseline file not found"),
        (["--output", "no/such/folder/out.txt"], "cannot write the report"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    sample: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(sample)
    r = run(*args)
    assert r.exit_code == 2
    assert message in r.stderr
    if not args[0].startswith("--format"):
        assert r.stderr.count("\n") == 1


def test_every_format_is_deterministic(sample: Path, edit: Edit) -> None:
    seed_error(sample, edit)
    seed_warning(sample, edit)
    for fmt in FORMATS:
        first = run(sample, *AS_OF, "--format", fmt)
        second = run(sample, *AS_OF, "--format", fmt)
        assert first.exit_code == 1, fmt
        assert first.stdout == second.stdout, fmt
        assert first.stdout.strip(), fmt


def test_output_file(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    r = run(sample, *AS_OF, "--format", "json", "--output", out)
    assert r.exit_code == 0 and r.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["version"] == 1


# --root DIR FILE... (the pre-commit form) ---------------------------------------------------


def test_files_limit_the_report_not_the_model(
    sample: Path, edit: Edit, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_error(sample, edit)
    monkeypatch.chdir(sample)
    assert run("--root", ".", *AS_OF, POLICY).exit_code == 0
    r = run("--root", ".", *AS_OF, POLICY, ASSETS)
    assert r.exit_code == 1 and "II.4.1.1/asset-owner" in r.stdout
    assert run("--root", ".", *AS_OF, "registers").exit_code == 1  # a folder
    assert run("--root", ".", *AS_OF).exit_code == 1  # no FILE: everything


def test_cross_file_finding_is_shown_on_its_own_file(
    sample: Path, edit: Edit, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The model is built from the whole tree: a change in one file is judged with the others."""
    edit(
        sample / "registers/roles.yaml",
        "    holder: p-sato-kenichi\n    management: true",
        "    holder: p-sato-kenichi\n    management: false",
    )
    monkeypatch.chdir(sample)
    r = run("--root", ".", *AS_OF, POLICY)
    assert r.exit_code == 1
    assert "II.1.1.1/approver-is-management" in r.stdout


def test_repository_level_findings_always_show(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (sample / POLICY).unlink()  # pre-commit does not pass deleted files
    monkeypatch.chdir(sample)
    r = run("--root", ".", *AS_OF, ASSETS)
    assert r.exit_code == 1
    assert "policylint.yaml:1:1: ERROR II.1.1.1/policy-exists" in r.stdout


def test_files_relative_to_the_current_folder(tmp_path: Path, sample: Path) -> None:
    assert relative_files(sample, [sample / ASSETS, tmp_path / "elsewhere.md"]) == [ASSETS]


def test_root_below_the_current_folder_gives_a_path_prefix(
    sample: Path, monkeypatch: pytest.MonkeyPatch, edit: Edit
) -> None:
    seed_error(sample, edit)
    monkeypatch.chdir(sample.parent)
    assert path_prefix(sample) == "repo/"
    assert path_prefix(sample.parent) == ""
    r = run("repo", *AS_OF, "--format", "github")
    assert f"::error file=repo/{ASSETS}," in r.stdout
    r = run("repo", *AS_OF, "--format", "json")
    assert json.loads(r.stdout)["diagnostics"][0]["path"] == ASSETS  # JSON stays repo-relative


# colour and the GitHub job summary -----------------------------------------------------------


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    assert use_color("auto", None, _Tty())
    assert not use_color("auto", None, io.StringIO())
    assert not use_color("auto", "out.txt", _Tty())
    assert use_color("always", "out.txt", io.StringIO())
    assert not use_color("never", None, _Tty())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_color("auto", None, _Tty())


def test_colour_always_and_never(sample: Path, edit: Edit) -> None:
    seed_error(sample, edit)
    assert "\x1b[" in run(sample, *AS_OF, "--color", "always").stdout
    assert "\x1b[" not in run(sample, *AS_OF).stdout  # not a terminal


def test_github_step_summary_is_appended(
    sample: Path, edit: Edit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_error(sample, edit)
    summary = tmp_path / "summary.md"
    summary.write_text("previous step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    r = run(sample, *AS_OF, "--format", "github")
    assert r.exit_code == 1
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("previous step\n## policylint (mic-asp-saas-2008, 2026-11-01)")
    assert "| II.4.1.1 | 1 | 0 |" in text
    assert "`II.4.1.1/asset-owner`" in text
    run(sample, *AS_OF, "--format", "json")  # other formats leave the summary alone
    assert summary.read_text(encoding="utf-8") == text


def test_at_one_place_errors_are_listed_before_warnings(sample: Path) -> None:
    # a team lowered roles-defined to a warning; two registers are missing: both findings are
    # anchored at the configuration file, and the error comes first although its id sorts later
    (sample / "registers" / "roles.yaml").unlink()
    (sample / "policies" / "confidentiality-requirements.md").unlink()
    with (sample / "policylint.yaml").open("a", encoding="utf-8") as fh:
        fh.write("checks:\n  II.2.1.1/roles-defined: {severity: warning}\n")
    r = run(sample, *AS_OF, "--select", "II.2.1.1/roles-defined,II.2.1.2")
    assert r.exit_code == 1
    lines = [ln for ln in r.stdout.splitlines() if ln.startswith("policylint.yaml:")]
    assert lines == [
        "policylint.yaml:1:1: ERROR II.2.1.2/confidentiality-documented [II.2.1.2] no "
        "confidentiality requirements for staff (a document of kind: "
        "confidentiality-requirements) were found",
        "policylint.yaml:1:1: WARNING II.2.1.1/roles-defined [II.2.1.1] no roles register "
        "(a YAML register of kind: roles) was found; required roles: cio, ciso",
    ]
