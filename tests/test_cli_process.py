"""What only a real process of the installed ``policylint`` shows: the current folder, pipes, help.

These run the console script itself (the ``policylint`` installed beside this Python), as a user
or a CI job does.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ASSETS, SAMPLE, line_of

POLICYLINT = shutil.which("policylint", path=str(Path(sys.executable).parent)) or "policylint"


def run(
    *args: str | Path, cwd: Path | None = None, **kw: object
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [POLICYLINT, *map(str, args)], capture_output=True, text=True, timeout=120, cwd=cwd, **kw
    )


# ---------------------------------------------------------------------------------------------
# --help


def test_help_shows_each_commands_first_sentence_whole() -> None:
    import click

    from policylint.cli import COMMANDS, main

    proc = run("--help")
    assert proc.returncode == 0
    listing = proc.stdout.split("Commands:\n")[1]
    entries = re.findall(r"^  (\S+) +(.*(?:\n {4,}.*)*)", listing, re.MULTILINE)
    ctx = click.Context(main)
    commands = {name: main.get_command(ctx, name) for name in main.list_commands(ctx)}
    assert sorted(name for name, _ in entries) == sorted(COMMANDS) == sorted(main.commands)
    for name, text in entries:
        shown = " ".join(text.split())
        command = commands[name]
        assert command is not None
        whole = " ".join((command.help or "").split())
        assert shown.endswith("."), shown
        assert whole.startswith(shown), (shown, whole)
        assert whole[len(shown) :][:1] in ("", " ")
    explain = dict(entries)["explain"]
    assert " ".join(explain.split()).startswith(
        "Explain a guideline item or control (e.g. II.4.1.1"
    )


# ---------------------------------------------------------------------------------------------
# a closed pipe


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("report", SAMPLE, "--format", "md"), 0),
        (("report", SAMPLE, "--format", "html"), 0),
        (("report", SAMPLE, "--format", "json"), 0),
        (("check", SAMPLE, "--as-of", "2031-01-01"), 1),  # the verdict survives the pipe
        (("check", SAMPLE), 0),
        (("rules",), 0),
        (("explain", "II.4.1.1"), 0),
    ],
)
def test_output_into_a_closed_pipe_ends_quietly(args: tuple[str | Path, ...], code: int) -> None:
    # a pipe whose reader is gone before the first write: like `policylint report | head -1`
    # once head has exited, without a race
    read, write = os.pipe()
    os.close(read)
    try:
        proc = subprocess.run(
            [POLICYLINT, *map(str, args)],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write)
    assert proc.stderr == ""
    assert proc.returncode == code


# ---------------------------------------------------------------------------------------------
# the root, found from a subfolder


def seed_asset_error(root: Path) -> int:
    """II.4.1.1/asset-owner on the first asset (its owner removed); returns the asset's line."""
    path = root / ASSETS
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    owner: cio\n", "", 1), encoding="utf-8")
    return line_of(path, "- id: as-customer-db")


def test_check_in_a_subfolder_checks_the_repository_with_its_configuration(sample: Path) -> None:
    line = seed_asset_error(sample)
    expected = (
        # sample-repo declares both packs: the finding serves II.4.1.1 and A.5.9
        f"{ASSETS}:{line}:5: エラー II.4.1.1/asset-owner [II.4.1.1, A.5.9] 資産 'as-customer-db' に"
        "管理責任者（owner）がいません"
    )
    from_root = run("check", cwd=sample)
    for cwd in (sample / "registers", sample / "records" / "audits"):
        proc = run("check", cwd=cwd)
        assert proc.returncode == 1, proc.stderr
        assert proc.stderr == ""
        # lang: ja of policylint.yaml applies; the path is relative to the root
        assert proc.stdout.splitlines()[0] == expected
        assert proc.stdout == from_root.stdout


def test_report_in_a_subfolder_reports_on_the_repository(sample: Path) -> None:
    from_root = run("report", "--format", "json", cwd=sample)
    from_sub = run("report", "--format", "json", cwd=sample / "registers")
    assert from_sub.returncode == from_root.returncode == 0
    assert from_sub.stdout == from_root.stdout
    assert '"lang": "ja"' in from_sub.stdout


def test_a_pyproject_with_tool_policylint_marks_the_root(sample: Path) -> None:
    (sample / "policylint.yaml").unlink()
    (sample / "pyproject.toml").write_text(
        '[project]\nname = "gov"\n\n[tool.policylint]\nas_of = "2026-11-01"\nlang = "en"\n',
        encoding="utf-8",
    )
    line = seed_asset_error(sample)
    proc = run("check", cwd=sample / "registers")
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0] == (
        f"{ASSETS}:{line}:5: ERROR II.4.1.1/asset-owner [II.4.1.1] asset 'as-customer-db' has "
        "no owner"
    )


def git_init(folder: Path) -> None:
    subprocess.run(["git", "init", "-q", str(folder)], check=True, timeout=60)


def test_without_configuration_the_git_top_level_is_the_root(sample: Path) -> None:
    (sample / "policylint.yaml").unlink()
    git_init(sample)
    line = seed_asset_error(sample)
    proc = run("check", "--as-of", "2026-11-01", "--lang", "en", cwd=sample / "registers")
    assert proc.returncode == 1
    assert f"\n{ASSETS}:{line}:5: ERROR II.4.1.1/asset-owner " in "\n" + proc.stdout
    # a subfolder taken as the root would miss the policy and report it missing
    assert "no information security policy" not in proc.stdout


def test_a_named_path_is_searched_upward_for_a_configuration(sample: Path) -> None:
    line = seed_asset_error(sample)
    proc = run("check", "registers", cwd=sample)
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0].startswith(f"{ASSETS}:{line}:5: エラー II.4.1.1/asset-owner")


def test_a_named_path_without_configuration_above_is_the_root(sample: Path) -> None:
    # in a git work tree without configuration, the folder the user names is the repository
    (sample / "policylint.yaml").unlink()
    git_init(sample)
    proc = run("check", "registers", "--as-of", "2026-11-01", "--lang", "en", cwd=sample)
    assert proc.returncode == 1
    assert "assets.yaml" in proc.stdout and f"{ASSETS}:" not in proc.stdout


# ---------------------------------------------------------------------------------------------
# --lang ja: everything in Japanese

# Three ASCII words in a row, once quoted values, identifiers, paths and numbers are set aside:
# what an untranslated English sentence leaves behind.
_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|`[^`\n]*`")
_TOKENS = re.compile(r"\S*[/_.:\-=\[\]{}()0-9]\S*")
_ENGLISH = re.compile(r"\b[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}\b")


# names that stay as written in any language: the repository's own data (a partner's name, role
# ids), formats and standards (YAML, ISO 27001 "clause 5.1")
_NAMES = re.compile(r"\b(?:Northstar Cloud Storage|YAML|cio|ciso|ISO|clause)\b")


def english_fragments(text: str) -> list[str]:
    text = re.sub(r"<style.*?</style>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    text = _NAMES.sub(" ", _TOKENS.sub(" ", _QUOTED.sub(" ", text)))
    return _ENGLISH.findall(text)


def test_with_lang_ja_everything_policylint_says_is_japanese(sample: Path, tmp_path: Path) -> None:
    (sample / "registers" / "roles.yaml").unlink()  # a repository-level finding
    policy = sample / "policies" / "information-security-policy.md"
    policy.write_text(
        policy.read_text(encoding="utf-8").replace('version: "3.0"', "version: 3.10"),
        encoding="utf-8",
    )
    ja = ("--lang", "ja")
    baseline = tmp_path / "baseline.json"
    check = run("check", sample, *ja, "--as-of", "2027-09-20")
    written = run("check", sample, *ja, "--write-baseline", baseline)
    md = run("report", sample, *ja, "--format", "md")
    html = run("report", sample, *ja, "--format", "html")
    init = run("init", tmp_path / "new", *ja)
    junit = run("check", sample, *ja, "--format", "junit")
    github = run("check", sample, *ja, "--format", "github")
    (sample / "policylint.yaml").write_text("exclude: drafts/\n", encoding="utf-8")
    config = run("check", sample, *ja)
    for proc in (check, written, md, html, init, junit, github, config):
        assert english_fragments(proc.stdout + proc.stderr) == [], proc.args

    lines = check.stdout.splitlines()

    # severities, kind words, schema explanations and their hints, repository-level findings
    def has(start: str, end: str) -> bool:
        # the item list in brackets names every framework the sample declares
        return any(line.startswith(start) and line.endswith(end) for line in lines)

    assert has(
        "policylint.yaml:1:1: エラー II.2.1.1/roles-defined [II.2.1.1",
        "] 役割台帳（kind: roles の YAML 台帳）がありません。必要な役割: cio, ciso",
    )
    assert has(
        "procedures/backup-restore.md:9:16: エラー II.2.1.3/procedures-documented [II.2.1.3",
        "] 手順書 'proc-backup-restore' の見直し期限 2027-09-16 を過ぎています"
        "（前回 2026-09-16、12 か月ごと）",
    )
    i = lines.index(
        "policies/information-security-policy.md:6:10: エラー policylint/schema version: "
        "文字列 が必要ですが 数値 3.10 が書かれています"
    )
    assert lines[i + 1] == "    対処: 文字列で書いてください。"
    assert any(line.startswith("エラー ") and "件の検査を実行" in line for line in lines)
    assert written.stderr.startswith("policylint: ")
    assert written.stderr.endswith(f"件の指摘をベースライン {baseline} に書き込みました\n")
    assert "| エラー |" in md.stdout and "| error |" not in md.stdout
    assert "| 警告 |" in md.stdout
    assert ">エラー</span>" in html.stdout
    assert "ファイルを作成しました" in init.stdout
    assert "\n    対処: " in junit.stdout and ' 件の指摘"' in junit.stdout
    assert github.stdout.splitlines()[-1].startswith("policylint: エラー ")
    assert config.stderr == (
        f"policylint: {sample}/policylint.yaml:1: exclude はリストで書いてください"
        "（例: [drafts/]）。書かれているのは文字列 'drafts/'です\n"
    )


def test_click_own_messages_are_japanese_with_lang_ja(sample: Path) -> None:
    mistyped = run("check", sample, "--formt", "json", "--lang", "ja")
    assert mistyped.returncode == 2
    assert "エラー: '--formt' というオプションはありません。" in mistyped.stderr
    assert "'policylint check --help' で使い方を確認できます。" in mistyped.stderr
    choice = run("check", sample, "--format=xml", "--lang=ja")
    assert "エラー: '--format' の値が正しくありません: 'xml' は 'text', " in choice.stderr
    assert english_fragments(mistyped.stderr + choice.stderr) == []
    english = run("check", sample, "--formt", "json", "--lang", "en")
    assert "Error: No such option '--formt'." in english.stderr


def test_errors_about_the_checks_section_name_the_line_in_the_users_language(
    sample: Path,
) -> None:
    config = sample / "policylint.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text + "checks:\n  II.4.1.1/asset-ownr: {severity: off}\n", encoding="utf-8")
    line = len(text.splitlines()) + 2
    unknown = run("check", sample)  # the sample's configuration says lang: ja
    assert unknown.returncode == 2
    assert unknown.stderr == (
        f"policylint: policylint.yaml:{line}: checks の 'II.4.1.1/asset-ownr' は検査または項目の "
        "ID ではありません（'II.4.1.1/asset-owner' の誤りではありませんか?）\n"
    )
    config.write_text(
        text + "checks:\n  II.4.1.1/asset-owner:\n    severty: off\n", encoding="utf-8"
    )
    setting = run("check", sample, "--lang", "en")
    assert setting.stderr == (
        f"policylint: policylint.yaml:{line + 1}: 'severty' is not a setting of "
        "'II.4.1.1/asset-owner' (did you mean 'severity'?) (settings: severity, active)\n"
    )
    config.write_text(text, encoding="utf-8")
    select = run("check", sample, "--select", "II.4.1.1/asset-ownr")
    assert select.stderr == (
        "policylint: --select: 検査または項目の ID ではありません: "
        "II.4.1.1/asset-ownr（'II.4.1.1/asset-owner' の誤りではありませんか?）\n"
    )
