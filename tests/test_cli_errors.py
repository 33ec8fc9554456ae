"""Usage errors exit 2 with one line on stderr and no traceback; internal errors say --debug.

Run as real processes (``python -m policylint``), as CI runs the tool.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLE

PY = sys.executable


def run(
    *args: str, cwd: Path | None = None, env_lang: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = None
    if env_lang is not None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
        env["LANG"] = env_lang
    return subprocess.run(
        [PY, "-m", "policylint", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env=env,
    )


def assert_usage_error(proc: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("policylint: ")
    assert fragment in lines[0], lines[0]
    assert proc.stdout == ""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    dest = tmp_path / "repo"
    shutil.copytree(SAMPLE, dest)
    return dest


def write_config(repo: Path, text: str | bytes) -> None:
    data = text.encode() if isinstance(text, str) else text
    (repo / "policylint.yaml").write_bytes(data)


def test_missing_path(tmp_path: Path) -> None:
    assert_usage_error(run("check", str(tmp_path / "nowhere")), "no such file or folder")


def test_path_that_is_a_file(repo: Path) -> None:
    assert_usage_error(run("check", str(repo / "README.md")), "not a folder")


@pytest.mark.parametrize(
    ("config", "fragment"),
    [
        ("as_of: [2026-11-01\n", "policylint.yaml:2: the configuration file is not valid YAML"),
        ("lang: en\nlang: ja\n", "policylint.yaml:2: duplicate key 'lang'"),
        ("- a list\n", "the configuration must be a mapping"),
        (b"lang: \xff\n", "is not UTF-8"),
        ("lnag: en\n", "policylint.yaml:1: 'lnag' is not a setting (did you mean 'lang'?)"),
        ("checks:\n  II.9.9.9/no-such-check: {severity: off}\n", "unknown check or item id"),
        (
            "checks:\n  II.4.1.1: {severity: fatal}\n",
            "policylint.yaml:2: checks > II.4.1.1 > severity must be one of: error, warning, off "
            "(found 'fatal')",
        ),
        ("checks:\n  II.1.1.2/policy-review-due: {months: 3}\n", "'months' is not a setting"),
        ("as_of: 2026-02-30\n", "as_of must be a date"),
        ("as_of: 10000-01-01\n", "as_of must be a date"),
        ("x: !!python/object/apply:os.system [touch PWNED]\n", "not valid YAML"),
        ('"bad\\nkey\\e[2K": 1\n', "'bad\\x0akey\\x1b[2K' is not a setting"),
        (
            "checks:\n  II.1.1.2/policy-review-due: {interval_months: twelve}\n",
            "'interval_months' of 'II.1.1.2/policy-review-due' must be a whole number",
        ),
        (
            "checks:\n  II.1.1.2/policy-review-due: {warn_before_days: 1e400}\n",
            "'warn_before_days' of 'II.1.1.2/policy-review-due' must be a whole number",
        ),
        (
            "checks:\n  II.2.1.1/roles-defined: {required_roles: [[ciso]]}\n",
            "'required_roles[0]' of 'II.2.1.1/roles-defined' must be a text",
        ),
        (
            "checks:\n  II.1.1.1/policy-sections: {sections: {g: {patterns: ['(']}}}\n",
            "'sections.g.patterns[0]' of 'II.1.1.1/policy-sections' must be a regular expression",
        ),
    ],
    ids=[
        "bad-yaml",
        "duplicate-key",
        "not-a-mapping",
        "not-utf8",
        "unknown-key",
        "unknown-check",
        "bad-severity",
        "unknown-setting",
        "as-of-not-a-day",
        "as-of-past-9999",
        "python-tag",
        "control-characters-in-key",
        "threshold-not-a-number",
        "threshold-infinite",
        "threshold-list-of-lists",
        "threshold-bad-regex",
    ],
)
def test_bad_configuration(repo: Path, config: str | bytes, fragment: str) -> None:
    write_config(repo, config)
    assert_usage_error(run("check", str(repo)), fragment)
    assert not (repo / "PWNED").exists()


def test_configuration_file_given_but_missing(repo: Path) -> None:
    proc = run("check", str(repo), "--config", str(repo / "nope.yaml"))
    assert_usage_error(proc, "configuration file not found")


@pytest.mark.parametrize("value", ["2026-02-30", "2026/11/01", "yesterday", "令和8年4月1日", ""])
def test_invalid_as_of(repo: Path, value: str) -> None:
    assert_usage_error(run("check", str(repo), "--as-of", value), "--as-of")


def test_unknown_option_is_a_usage_error(repo: Path) -> None:
    proc = run("check", str(repo), "--no-such-option")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "No such option" in proc.stderr


_BOOM = """
import sys
import policylint.engine

def boom(*args, **kwargs):
    raise RuntimeError("boom\\nsecond line")

policylint.engine.lint = boom
sys.argv = ["policylint", *sys.argv[1:]]
from policylint.cli import entry
entry()
"""


def test_internal_error_is_one_line_with_a_hint_to_use_debug(repo: Path) -> None:
    proc = subprocess.run(
        [PY, "-c", _BOOM, "check", str(repo)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    [line] = proc.stderr.splitlines()
    assert line.startswith("policylint: internal error: RuntimeError: boom")
    assert "--debug" in line


def test_internal_error_with_debug_shows_the_traceback(repo: Path) -> None:
    proc = subprocess.run(
        [PY, "-c", _BOOM, "check", str(repo), "--debug"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "Traceback" in proc.stderr
    assert "RuntimeError: boom" in proc.stderr


def test_an_era_date_for_as_of_suggests_its_iso_form(tmp_path: Path) -> None:
    proc = run("check", str(tmp_path), "--as-of", "令和8年4月1日")
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        "policylint: --as-of: '令和8年4月1日' is not a date YYYY-MM-DD (did you mean 2026-04-01?)"
    )


@pytest.mark.parametrize(
    ("name", "config", "en", "ja"),
    [
        (
            "policylint.yaml",
            "as_of: 2026-11-01\nexclude: drafts/\n",
            "policylint.yaml:2: exclude must be a list, such as [drafts/] (found the text "
            "'drafts/')",
            "policylint.yaml:2: exclude はリストで書いてください（例: [drafts/]）。"
            "書かれているのは文字列 'drafts/'です",
        ),
        (
            "policylint.yaml",
            "lang: jp\n",
            "policylint.yaml:1: lang must be one of: ja, en (found 'jp')",
            "policylint.yaml:1: lang には ja, en のいずれかを書いてください"
            "（書かれているのは 'jp'）",
        ),
        (
            "policylint.yaml",
            "as_of: R8.11.1\n",
            "policylint.yaml:1: as_of must be a date YYYY-MM-DD, not 'R8.11.1'; write 2026-11-01",
            "policylint.yaml:1: as_of は YYYY-MM-DD 形式の日付で書いてください"
            "（'R8.11.1' ではなく）。2026-11-01 と書いてください",
        ),
        (
            "pyproject.toml",
            '[project]\nname = "gov"\n\n[tool.policylint]\nmax_file_bytes = 0\n',
            "pyproject.toml:5: max_file_bytes must be at least 1 (found 0)",
            "pyproject.toml:5: max_file_bytes は 1 以上にしてください（書かれているのは 0）",
        ),
        (
            "pyproject.toml",
            '[tool.policylint]\nlang = "en"\n\n[tool.policylint.approvals]\nhistroy = "auto"\n',
            "pyproject.toml:5: 'histroy' is not a setting of approvals (did you mean 'history'?)",
            "pyproject.toml:5: 'histroy' は approvals の設定項目ではありません"
            "（'history' の誤りではありませんか?）",
        ),
    ],
    ids=["exclude-not-a-list", "lang-unknown", "as-of-era", "toml-minimum", "toml-nested-key"],
)
def test_configuration_errors_name_the_line_and_what_is_expected(
    repo: Path, name: str, config: str, en: str, ja: str
) -> None:
    for other in ("policylint.yaml", "pyproject.toml"):
        (repo / other).unlink(missing_ok=True)
    (repo / name).write_text(config, encoding="utf-8")
    for lang, message in (("en", en), ("ja", ja)):
        proc = run("check", str(repo), "--lang", lang)
        assert proc.returncode == 2
        assert proc.stdout == ""
        assert proc.stderr == f"policylint: {repo}/{message}\n"


def test_a_configuration_error_is_in_the_configurations_own_language(repo: Path) -> None:
    write_config(repo, "lang: ja\nexclude: drafts/\n")
    proc = run("check", str(repo), env_lang="C")
    assert proc.stderr == (
        f"policylint: {repo / 'policylint.yaml'}:2: exclude はリストで書いてください"
        "（例: [drafts/]）。書かれているのは文字列 'drafts/'です\n"
    )
