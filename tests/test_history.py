"""Approvals against git history, with real git repositories and real SSH signing keys.

Each test builds a small governance repository in a temporary folder, commits it with dates set
by the test (GIT_AUTHOR_DATE / GIT_COMMITTER_DATE), signs with keys made by ``ssh-keygen``, and
checks what a user would see: the exact check, file, line and message.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from policylint.cli import main
from policylint.config import load_config
from policylint.engine import Result, lint
from policylint.rulepack import load_rulepack

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or shutil.which("ssh-keygen") is None,
    reason="git and ssh-keygen are needed to test approvals against history",
)

GIT_CHECKS = {
    "II.1.1.2/changed-since-approval",
    "II.1.1.1/approval-unsigned",
    "II.1.1.2/approval-segregation",
}
"""Checks whose failing fixtures are real git repositories here (see test_rules_items)."""

CHANGED = "II.1.1.2/changed-since-approval"
UNSIGNED = "II.1.1.1/approval-unsigned"
SEGREGATION = "II.1.1.2/approval-segregation"
NO_HISTORY = "policylint/no-history"
SELECT = (CHANGED, UNSIGNED, SEGREGATION, NO_HISTORY, "II.2.1.3/changed-since-approval")
POLICY = "policy.md"
AS_OF = dt.date(2026, 11, 1)

POLICY_TEXT = """\
---
kind: policy
id: pol-security
title: Information security policy
owner: ceo
version: "1.0"
approved_by: p-ceo
approved_on: 2026-04-01
signature: signed by the CEO on 2026-04-01
last_reviewed: 2026-04-01
revisions:
  - version: "1.0"
    date: 2026-04-01
    approved_by: p-ceo
---

# Information security policy

## Purpose and scope

We protect the information our customers entrust to us.

## Review

Management reviews this policy every year.
"""

PEOPLE = """\
kind: people
items:
  - id: p-ceo
    roles: [ceo]
    status: active
    email: ceo@example.com
    signing_keys: ["{ceo}"]
  - id: p-dev
    roles: []
    status: active
    email: dev@example.com
    signing_keys: ["{dev}"]
  - id: p-old
    roles: [ceo]
    status: terminated
    terminated_on: 2026-05-31
    email: old@example.com
    signing_keys: ["{old}"]
"""

ROLES = """\
kind: roles
items:
  - id: ceo
    title: CEO
    holder: p-ceo
    management: true
"""


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("keys")
    out: dict[str, Path] = {}
    for name in ("ceo", "dev", "old", "stranger"):
        key = folder / name
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"{name}@example", "-f", key],
            check=True,
        )
        out[name] = key
    return out


def git(repo: Path, *args: str, when: str = "2026-04-01T10:00:00+09:00", who: str = "ceo") -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_DATE=when,
        GIT_COMMITTER_DATE=when,
        GIT_AUTHOR_NAME=who.capitalize(),
        GIT_AUTHOR_EMAIL=f"{who}@example.com",
        GIT_COMMITTER_NAME=who.capitalize(),
        GIT_COMMITTER_EMAIL=f"{who}@example.com",
    )
    proc = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout


def commit(
    repo: Path,
    message: str,
    when: str,
    who: str = "ceo",
    sign: Path | None = None,
) -> str:
    git(repo, "add", "-A")
    signing = ["-c", "gpg.format=ssh", "-c", f"user.signingkey={sign}"] if sign else []
    git(
        repo, *signing, "commit", "-q", *(["-S"] if sign else []), "-m", message, when=when, who=who
    )
    return git(repo, "rev-parse", "--short=8", "HEAD").strip()


def make_repo(root: Path, keys: dict[str, Path], config: str = "") -> Path:
    root.mkdir()
    public = {n: k.with_suffix(".pub").read_text().strip() for n, k in keys.items()}
    (root / "policylint.yaml").write_text(f"as_of: 2026-11-01\nlang: en\n{config}")
    (root / POLICY).write_text(POLICY_TEXT)
    (root / "people.yaml").write_text(PEOPLE.format(**public))
    (root / "roles.yaml").write_text(ROLES)
    return root


def approved_repo(
    tmp_path: Path,
    keys: dict[str, Path],
    config: str = "",
    sign: Path | None = None,
    who: str = "dev",
) -> Path:
    """A repository whose policy, written by p-dev, was approved by p-ceo and committed on
    2026-04-01 (signed with ``sign``)."""
    repo = make_repo(tmp_path / "gov", keys, config)
    git(repo, "init", "-q")
    commit(repo, "Policy 1.0, approved by the CEO", "2026-04-01T10:00:00+09:00", who, sign)
    return repo


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def run(root: Path) -> Result:
    config = load_config(root)
    return lint(root, config, load_rulepack(), AS_OF, "en", select=SELECT)


def found(result: Result) -> list[tuple[str, str, int, str]]:
    return [(d.check_id, d.path, d.line, d.message) for d in result.active]


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


# ---------------------------------------------------------------------------------------------
# changed since approval


def test_an_approved_policy_edited_later_is_an_error_at_the_changed_line(
    tmp_path: Path, keys: dict[str, Path]
) -> None:
    repo = approved_repo(tmp_path, keys)
    approval = git(repo, "rev-parse", "--short=8", "HEAD").strip()
    edit(repo / POLICY, "entrust to us.", "entrust to us, unless it is inconvenient.")
    changer = commit(repo, "Soften the purpose", "2026-06-10T09:30:00+09:00", who="dev")
    result = run(repo)
    line = line_of(repo / POLICY, "inconvenient")
    assert found(result) == [
        (
            CHANGED,
            POLICY,
            line,
            "policy 'pol-security' differs from the text approved on 2026-04-01 (approval "
            f"recorded in commit {approval} of 2026-04-01) at line(s) {line}: changed in commit "
            f"{changer} (2026-06-10, Dev) without a new approval",
        )
    ]
    assert result.count_errors() == 1


def test_a_changed_field_counts_but_review_bookkeeping_does_not(
    tmp_path: Path, keys: dict[str, Path]
) -> None:
    repo = approved_repo(tmp_path, keys)
    edit(repo / POLICY, "last_reviewed: 2026-04-01", "last_reviewed: 2026-10-01")
    commit(repo, "Reviewed, no change", "2026-10-01T09:00:00+09:00")
    assert found(run(repo)) == []
    edit(repo / POLICY, 'version: "1.0"', 'version: "1.1"')
    commit(repo, "Bump the version", "2026-10-02T09:00:00+09:00", who="dev")
    [(check, path, line, message)] = found(run(repo))
    assert (check, path, line) == (CHANGED, POLICY, line_of(repo / POLICY, "version:"))
    assert "at line(s) 6: changed in commit" in message


def test_the_same_edit_followed_by_a_new_approval_is_clean(
    tmp_path: Path, keys: dict[str, Path]
) -> None:
    repo = approved_repo(tmp_path, keys)
    edit(repo / POLICY, "every year.", "every year and after every incident.")
    commit(repo, "Review after incidents", "2026-06-10T09:30:00+09:00", who="dev")
    out = CliRunner().invoke(
        main, ["approve", str(repo / POLICY), "--by", "p-ceo", "--on", "2026-06-12"]
    )
    assert out.exit_code == 0, out.output
    # approve wrote the approval and nothing else
    diff = git(repo, "diff", "-U0").splitlines()
    changed = [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    digest = changed.pop()
    assert digest.startswith("+approved_digest: sha256:") and len(digest) == 89
    assert changed == [
        "-approved_on: 2026-04-01",
        "+approved_on: 2026-06-12",
        '+  - version: "1.0"',
        "+    date: 2026-06-12",
        "+    approved_by: p-ceo",
    ]
    assert found(run(repo)) == []  # staged for the approval commit: clean
    commit(repo, "Approve the review", "2026-06-12T11:00:00+09:00")
    assert found(run(repo)) == []


def test_a_staged_but_uncommitted_edit_counts(tmp_path: Path, keys: dict[str, Path]) -> None:
    repo = approved_repo(tmp_path, keys)
    edit(repo / POLICY, "## Review", "## Review and improvement")
    git(repo, "add", POLICY)
    [(check, path, line, message)] = found(run(repo))
    assert (check, path, line) == (CHANGED, POLICY, line_of(repo / POLICY, "## Review and"))
    assert message.endswith(
        f"at line(s) {line}: uncommitted (or staged) edits without a new approval"
    )


def test_a_renamed_and_edited_policy_is_still_followed(
    tmp_path: Path, keys: dict[str, Path]
) -> None:
    repo = approved_repo(tmp_path, keys)
    (repo / "policies").mkdir()
    git(repo, "mv", POLICY, "policies/security.md")
    edit(repo / "policies/security.md", "every year.", "every other year.")
    commit(repo, "Move the policy", "2026-07-01T09:00:00+09:00", who="dev")
    [(check, path, _, message)] = found(run(repo))
    assert (check, path) == (CHANGED, "policies/security.md")
    assert "(2026-07-01, Dev)" in message


def test_a_shallow_clone_says_once_how_to_fetch_the_history(
    tmp_path: Path, keys: dict[str, Path]
) -> None:
    repo = approved_repo(tmp_path, keys)
    (repo / "notes.md").write_text("later work\n")
    commit(repo, "Unrelated", "2026-07-01T09:00:00+09:00")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", repo.resolve().as_uri(), str(clone)],
        check=True,
        env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull},
    )
    result = run(clone)
    [diag] = result.active
    assert (diag.check_id, diag.path, diag.line, diag.severity.value) == (
        NO_HISTORY,
        "policylint.yaml",
        1,
        "warning",
    )
    assert diag.message.startswith("1 approved document(s), such as policy.md, were approved")
    assert "fetch-depth: 0" in diag.message and "GIT_DEPTH: 0" in diag.message


def test_git_missing_in_a_work_tree_is_said_once(
    tmp_path: Path, keys: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = approved_repo(tmp_path, keys)
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    [(check, path, line, message)] = found(run(repo))
    assert (check, path, line) == (NO_HISTORY, "policylint.yaml", 1)
    assert message == (
        "this folder is in a git work tree but the git command is not installed, so the "
        "approvals of 1 document(s) cannot be checked against the history; install git"
    )


def test_no_git_folder_has_no_history_checks_and_the_report_says_so(
    tmp_path: Path, keys: dict[str, Path]
) -> None:
    repo = make_repo(tmp_path / "export", keys)
    edit(repo / POLICY, "every year.", "every other year.")
    assert found(run(repo)) == []
    out = CliRunner().invoke(main, ["report", str(repo), "--format", "json", "--lang", "en"])
    report = json.loads(out.output)
    assert report["approvals"]["history"] == "not-a-work-tree"
    assert (
        "history not available"
        in CliRunner().invoke(main, ["report", str(repo), "--lang", "en"]).output
    )
    required = tmp_path / "required"
    make_repo(required, keys, "approvals: {history: required}\n")
    [(check, path, line, message)] = found(run(required))
    assert (check, path, line) == (NO_HISTORY, "policylint.yaml", 1)
    assert message.startswith("approvals require git history, but this folder is not in a git")
    assert run(required).count_errors() == 1


def test_approved_digest_pins_the_text_without_history(
    tmp_path: Path, keys: dict[str, Path]
) -> None:
    repo = make_repo(tmp_path / "export", keys)
    out = CliRunner().invoke(
        main, ["approve", str(repo / POLICY), "--by", "p-ceo", "--on", "2026-04-01"]
    )
    assert out.exit_code == 0, out.output
    text = (repo / POLICY).read_text()
    assert text.count("approved_on: 2026-04-01") == 1 and "revisions:\n  - version" in text
    assert found(run(repo)) == []
    edit(repo / POLICY, "every year.", "every other year.")
    [(check, path, line, message)] = found(run(repo))
    assert (check, path, line) == (CHANGED, POLICY, line_of(repo / POLICY, "approved_digest:"))
    assert "the text in force does not match approved_digest sha256:" in message


# ---------------------------------------------------------------------------------------------
# signed approvals


SIGNED = "approvals: {signed: required}\n"


def test_an_approval_signed_by_the_approver_is_clean(tmp_path: Path, keys: dict[str, Path]) -> None:
    repo = approved_repo(tmp_path, keys, SIGNED, sign=keys["ceo"])
    assert found(run(repo)) == []
    out = CliRunner().invoke(main, ["history", str(repo / POLICY), "--lang", "en"])
    assert "signed by p-ceo (SHA256:" in out.output
    assert "text in force = approved text" in out.output


def test_an_approval_signed_by_someone_else_is_an_error(
    tmp_path: Path, keys: dict[str, Path]
) -> None:
    repo = approved_repo(tmp_path, keys, SIGNED, sign=keys["dev"])
    sha = git(repo, "rev-parse", "--short=8", "HEAD").strip()
    assert found(run(repo)) == [
        (
            UNSIGNED,
            POLICY,
            line_of(repo / POLICY, "approved_by: p-ceo"),
            f"policy 'pol-security': commit {sha}, which recorded its approval, is signed by "
            "'p-dev', not by the approver 'p-ceo'",
        )
    ]


def test_an_unsigned_approval_is_an_error_only_when_signatures_are_required(
    tmp_path: Path, keys: dict[str, Path]
) -> None:
    repo = approved_repo(tmp_path, keys, SIGNED)
    sha = git(repo, "rev-parse", "--short=8", "HEAD").strip()
    [(check, _, _, message)] = found(run(repo))
    assert check == UNSIGNED
    assert message == (
        f"policy 'pol-security': commit {sha}, which recorded its approval, is not signed; "
        "approvals: {signed: required} asks for a signature by the approver 'p-ceo'"
    )
    (repo / "policylint.yaml").write_text("as_of: 2026-11-01\nlang: en\n")
    assert found(run(repo)) == []  # optional: the report shows it, the check does not fail


def test_a_tag_signed_by_the_approver_vouches_for_an_unsigned_approval_commit(
    tmp_path: Path, keys: dict[str, Path]
) -> None:
    repo = approved_repo(tmp_path, keys, SIGNED)
    assert [c for c, *_ in found(run(repo))] == [UNSIGNED]
    signing = ("-c", "gpg.format=ssh", "-c", f"user.signingkey={keys['dev']}")
    git(repo, *signing, "tag", "-s", "-m", "not the approver", "policy-1.0-dev")
    assert [c for c, *_ in found(run(repo))] == [UNSIGNED]
    signing = ("-c", "gpg.format=ssh", "-c", f"user.signingkey={keys['ceo']}")
    git(repo, *signing, "tag", "-s", "-m", "Approved: policy 1.0", "policy-1.0-approved")
    assert found(run(repo)) == []
    out = CliRunner().invoke(main, ["history", str(repo / POLICY), "--lang", "en"])
    assert "  signed by p-ceo (tag policy-1.0-approved)" in out.output.splitlines()


def test_a_key_nobody_lists_is_an_unknown_key(tmp_path: Path, keys: dict[str, Path]) -> None:
    repo = approved_repo(tmp_path, keys, SIGNED, sign=keys["stranger"])
    [(check, _, _, message)] = found(run(repo))
    assert check == UNSIGNED
    assert "is signed with a key (SHA256:" in message
    assert "that no person of the people register lists in signing_keys" in message


def test_a_leavers_key_who_was_management_at_the_time_is_clean(
    tmp_path: Path, keys: dict[str, Path]
) -> None:
    repo = make_repo(tmp_path / "gov", keys, SIGNED)
    edit(repo / POLICY, "approved_by: p-ceo\napproved_on", "approved_by: p-old\napproved_on")
    git(repo, "init", "-q")
    commit(
        repo,
        "Policy 1.0, approved by the CEO of the time",
        "2026-04-01T10:00:00+09:00",
        sign=keys["old"],
    )
    assert [c for c, *_ in found(run(repo))] == []


def test_a_key_of_an_approver_who_was_not_management_then_is_an_error(
    tmp_path: Path, keys: dict[str, Path]
) -> None:
    repo = make_repo(tmp_path / "gov", keys, SIGNED)
    edit(repo / POLICY, "approved_by: p-ceo\napproved_on", "approved_by: p-dev\napproved_on")
    git(repo, "init", "-q")
    # written by the CEO, approved and signed by a developer who never held a management role
    commit(repo, "Policy 1.0", "2026-04-01T10:00:00+09:00", "ceo", keys["dev"])
    sha = git(repo, "rev-parse", "--short=8", "HEAD").strip()
    assert found(run(repo)) == [
        (
            UNSIGNED,
            POLICY,
            line_of(repo / POLICY, "approved_by: p-dev"),
            f"policy 'pol-security': commit {sha}, which recorded its approval, is signed by "
            "'p-dev', who was not management on 2026-04-01",
        )
    ]


def test_the_approver_as_the_only_author_is_a_segregation_warning(
    tmp_path: Path, keys: dict[str, Path]
) -> None:
    repo = approved_repo(tmp_path, keys, who="dev")
    edit(repo / POLICY, "every year.", "every other year.")
    commit(repo, "Edit", "2026-05-20T10:00:00+09:00", who="dev")
    edit(repo / POLICY, "approved_on: 2026-04-01", "approved_on: 2026-06-01")
    commit(repo, "Approve p-dev's edit", "2026-06-01T10:00:00+09:00", who="ceo")
    assert found(run(repo)) == []  # another person wrote the change
    edit(repo / POLICY, "every other year.", "every third year.")
    commit(repo, "Edit", "2026-07-01T10:00:00+09:00", who="ceo")
    edit(repo / POLICY, "approved_on: 2026-06-01", "approved_on: 2026-07-02")
    sha = commit(repo, "Approve my own edit", "2026-07-02T10:00:00+09:00", who="ceo")
    [(check, path, line, message)] = found(run(repo))
    assert (check, path, line) == (SEGREGATION, POLICY, line_of(repo / POLICY, "approved_by:"))
    assert message == (
        "policy 'pol-security': the approver 'p-ceo' is the only author of the change they "
        f"approved (2 commit(s) up to {sha}): segregation of duties asks that someone else "
        "write or review it"
    )


# ---------------------------------------------------------------------------------------------
# the repository is never trusted


def test_nothing_configured_in_the_repository_is_executed(
    tmp_path: Path, keys: dict[str, Path]
) -> None:
    repo = approved_repo(tmp_path, keys, SIGNED, sign=keys["ceo"])
    marker = tmp_path / "executed"
    script = tmp_path / "evil.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\nexit 0\n")
    script.chmod(0o755)
    hooks = repo / ".git" / "hooks"
    for hook in ("post-checkout", "post-index-change", "reference-transaction"):
        shutil.copy(script, hooks / hook)
    for key in ("gpg.ssh.program", "gpg.program", "core.fsmonitor", "core.pager", "diff.external"):
        git(repo, "config", key, str(script))
    git(repo, "config", "core.hooksPath", str(hooks))
    git(repo, "config", "gpg.ssh.allowedSignersFile", str(script))
    assert found(run(repo)) == []  # verified with ssh-keygen and our own signers list
    assert not marker.exists()
    assert sorted(p.name for p in repo.iterdir()) == [
        ".git",
        "people.yaml",
        POLICY,
        "policylint.yaml",
        "roles.yaml",
    ]


def test_the_report_says_whether_the_text_in_force_is_approved(
    tmp_path: Path, keys: dict[str, Path]
) -> None:
    from openpyxl import load_workbook

    repo = approved_repo(tmp_path, keys, sign=keys["ceo"])
    edit(repo / POLICY, "every year.", "every other year.")
    changer = commit(repo, "Edit", "2026-06-10T09:30:00+09:00", who="dev")
    line = line_of(repo / POLICY, "every other year")
    md = CliRunner().invoke(main, ["report", str(repo), "--lang", "en"]).output
    assert "History: read from git" in md
    assert (
        f"| text in force differs from the approved text (line(s) {line}; {changer} 2026-06-10 "
        "Dev) | signed by p-ceo |"
    ) in md
    out = tmp_path / "report.xlsx"
    CliRunner().invoke(main, ["report", str(repo), "--format", "xlsx", "-o", str(out)])
    sheet = load_workbook(out)["Approvals"]
    row = [c.value for c in sheet[2]]
    assert row[:6] == [POLICY, "policy", "pol-security", "II.1.1.2", "2026-04-01", "p-ceo"]
    assert row[8:] == ["signed by p-ceo", "p-ceo"]
    oscal = json.loads(CliRunner().invoke(main, ["report", str(repo), "--format", "oscal"]).output)
    [obs] = [
        o
        for o in oscal["assessment-results"]["results"][0]["observations"]
        if o["title"].endswith(f": {POLICY}")
    ]
    props = {p["name"]: p["value"] for p in obs["props"]}
    assert (props["text-in-force"], props["approval-signature"], props["signed-by"]) == (
        "changed",
        "verified",
        "p-ceo",
    )


def test_history_command_text_and_json(tmp_path: Path, keys: dict[str, Path]) -> None:
    repo = approved_repo(tmp_path, keys, sign=keys["ceo"])
    edit(repo / POLICY, "every year.", "every other year.")
    changer = commit(repo, "Edit", "2026-06-10T09:30:00+09:00", who="dev")
    out = CliRunner().invoke(main, ["history", str(repo / POLICY), "--lang", "en"])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[:2] == [
        "policy.md  (policy 'pol-security')",
        "  text in force differs from the approved text",
    ]
    assert f"{changer}  2026-06-10  Dev / text changed / not signed" in lines
    data = json.loads(
        CliRunner().invoke(main, ["history", str(repo / POLICY), "--format", "json"]).output
    )
    assert data["in_force_is_approved"] is False
    assert [v["records_approval"] for v in data["versions"]] == [False, True]
    assert data["versions"][1]["signature"]["signer"] == "p-ceo"
    assert data["signature"]["status"] == "verified"


def test_history_text_keeps_repository_and_git_values_on_their_line(
    tmp_path: Path, keys: dict[str, Path]
) -> None:
    """approved_by and a commit author come from the pull request: printed escaped, they cannot
    start a line (a workflow command) or reach the terminal as an escape sequence."""
    repo = approved_repo(tmp_path, keys)
    edit(repo / POLICY, "approved_by: p-ceo", 'approved_by: "p-ceo\\n::error::forged\\e[31m"')
    commit(repo, "Edit", "2026-06-10T09:30:00+09:00", who="dev\x1b[2K")
    out = CliRunner().invoke(main, ["history", str(repo / POLICY), "--lang", "en"])
    assert out.exit_code == 0, out.output
    assert not [line for line in out.output.splitlines() if line.startswith("::")]
    assert "\x1b" not in out.output
    assert "Dev\\x1b[2k" in out.output  # the author, escaped (capitalize() lowers the K)
    data = CliRunner().invoke(main, ["history", str(repo / POLICY), "--format", "json"]).output
    assert "\x1b" not in data and json.loads(data)["versions"]


def test_approve_refuses_what_it_cannot_record(tmp_path: Path, keys: dict[str, Path]) -> None:
    repo = make_repo(tmp_path / "gov", keys)
    before = (repo / POLICY).read_bytes()
    cases = {
        ("approve", str(repo / POLICY), "--by", "p-nobody"): (
            "policylint: --by: 'p-nobody' is not a person of the people register"
        ),
        ("approve", str(repo / "people.yaml"), "--by", "p-ceo"): (
            f"policylint: {repo / 'people.yaml'}: not a Markdown document (approvals are "
            "recorded in documents)"
        ),
        ("approve", str(repo / POLICY), "--by", "p-ceo", "--on", "2999-01-01"): (
            "policylint: --on: 2999-01-01 is in the future; an approval records a past event"
        ),
    }
    for argv, message in cases.items():
        out = CliRunner().invoke(main, list(argv))
        assert (out.exit_code, out.stderr.strip()) == (2, message)
    outside = tmp_path / "outside.md"
    outside.write_text(POLICY_TEXT)
    out = CliRunner().invoke(main, ["approve", str(outside), "--by", "p-ceo", "--root", str(repo)])
    assert out.exit_code == 2 and "not inside the repository root" in out.stderr
    assert (repo / POLICY).read_bytes() == before


@pytest.mark.skipif(shutil.which("gpg") is None, reason="gpg is needed for OpenPGP signatures")
def test_an_openpgp_signature_by_a_listed_fingerprint_is_clean(
    tmp_path: Path, keys: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("GNUPGHOME", str(home))
    gpg = ["gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", ""]
    try:
        subprocess.run(
            [*gpg, "--quick-gen-key", "CEO <ceo@example.com>", "ed25519", "sign", "never"],
            check=True,
            capture_output=True,
        )
        listing = subprocess.run(
            ["gpg", "--list-keys", "--with-colons"], check=True, capture_output=True, text=True
        ).stdout
        fpr = next(line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr"))
        repo = make_repo(tmp_path / "gov", keys, SIGNED)
        people = (repo / "people.yaml").read_text()
        (repo / "people.yaml").write_text(
            people.replace("    signing_keys: [", f'    signing_keys: ["{fpr}", ', 1)
        )
        git(repo, "init", "-q")
        git(repo, "add", "-A")
        signing = ("-c", "gpg.format=openpgp", "-c", f"user.signingkey={fpr}")
        git(repo, *signing, "commit", "-q", "-S", "-m", "Policy 1.0", who="dev")
        assert found(run(repo)) == []
        (repo / "people.yaml").write_text(people)  # the fingerprint is no longer listed
        [(check, _, _, message)] = found(run(repo))
        assert check == UNSIGNED and "is signed with a key (" in message
    finally:
        subprocess.run(["gpgconf", "--kill", "gpg-agent"], check=False, capture_output=True)


def test_the_editor_sees_an_unsaved_edit_of_an_approved_text(
    tmp_path: Path, keys: dict[str, Path]
) -> None:
    import asyncio

    from lsp_client import Editor

    repo = approved_repo(tmp_path, keys)

    async def script() -> None:
        editor = Editor(repo)
        await editor.start()
        try:
            assert CHANGED not in {str(d.code) for d in await editor.open(POLICY)}
            since = editor.replace(POLICY, "every year.", "every other year.")
            diags = [d for d in await editor.wait_for(POLICY, since) if str(d.code) == CHANGED]
            line = editor.texts[POLICY][: editor.texts[POLICY].index("every other")].count("\n")
            assert [d.range.start.line for d in diags] == [line]
            assert "uncommitted (or staged) edits without a new approval" in diags[0].message
        finally:
            await editor.stop()

    asyncio.run(script())
    assert "every year." in (repo / POLICY).read_text()  # the buffer, not the file, changed
