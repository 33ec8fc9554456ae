"""Adopting a repository written for another tool: aliases, hints for near-governance files,
widened includes."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from policylint.cli import main

from conftest import run_lint


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def check(root: Path, *args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, ["check", str(root), "--lang", "en", *args])
    return res.exit_code, res.output


def test_aliases_rename_fields_and_point_at_the_aliased_name(tmp_path: Path) -> None:
    write(
        tmp_path,
        "policylint.yaml",
        "as_of: 2026-11-01\naliases:\n  document_id: id\n  effective_date: approved_on\n"
        "  title_ja: title\n",
    )
    write(
        tmp_path,
        "policies/p.md",
        "---\nkind: policy\ndocument_id: pol-main\ntitle_ja: 基本方針\n"
        "effective_date: 2026/04/01\n---\n# 目的\n",
    )
    result = run_lint(tmp_path)
    policy = result.repo.documents_of("policy")[0]
    assert policy.id == "pol-main" and policy.text("title") == "基本方針"
    invalid = [d for d in result.active if d.check_id == "policylint/invalid-date"]
    assert [(d.path, d.line, d.column) for d in invalid] == [("policies/p.md", 5, 17)]
    assert "approved_on: '2026/04/01'" in invalid[0].message
    assert not [d for d in result.active if d.check_id == "policylint/unknown-field"]


def test_alias_and_field_both_written_is_a_duplicate_key(tmp_path: Path) -> None:
    write(tmp_path, "policylint.yaml", "aliases: {effective_date: approved_on}\n")
    write(
        tmp_path,
        "policies/p.md",
        "---\nkind: policy\nid: pol\napproved_on: 2026-04-01\neffective_date: 2026-05-01\n---\n",
    )
    result = run_lint(tmp_path)
    dup = [d for d in result.active if d.check_id == "policylint/duplicate-key"]
    assert [(d.path, d.line) for d in dup] == [("policies/p.md", 5)]
    assert dup[0].message == (
        "the key 'approved_on' is repeated (first on line 4); only this last value is used"
    )
    assert str(result.repo.documents_of("policy")[0].get("approved_on")) == "2026-05-01"


def test_an_alias_applies_only_where_the_kind_lacks_it(tmp_path: Path) -> None:
    """comply's `name` is a policy's title, while `name` is an asset's own field."""
    write(tmp_path, "policylint.yaml", "aliases: {name: title}\n")
    write(tmp_path, "policies/p.md", "---\nkind: policy\nid: pol\nname: Access Policy\n---\n")
    write(tmp_path, "registers/assets.yaml", "kind: assets\nitems:\n  - {id: a1, name: DB}\n")
    result = run_lint(tmp_path)
    assert result.repo.documents_of("policy")[0].text("title") == "Access Policy"
    asset = result.repo.items_of("assets")[0]
    assert asset.text("name") == "DB" and asset.get("title") is None


def test_alias_to_an_unknown_field_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path, "policylint.yaml", "aliases: {effective_date: approval_day}\n")
    code, output = check(tmp_path)
    assert code == 2
    assert "aliases: 'effective_date' maps to 'approval_day', which is not a field" in output


def test_front_matter_without_kind_gets_the_likely_kind(tmp_path: Path) -> None:
    write(tmp_path, "docs/policy.md", "---\ntitle: 情報セキュリティ基本方針\n---\n# 目的\n")
    write(tmp_path, "docs/nda.md", "---\ncounterparty: acme\n---\nbody\n")
    write(tmp_path, "docs/blog.md", "---\ntitle: Release notes\nlayout: post\n---\n# v1\n")
    write(tmp_path, "docs/handbook.rst", "Policy\n======\n")
    write(tmp_path, "docs/nda.docx", "PK")
    write(tmp_path, "templates/policy.md.tmpl", "---\nkind: policy\n---\n")
    code, output = check(tmp_path)
    assert code == 1
    lines = [line for line in output.splitlines() if not line.startswith("    ")]
    assert lines[0] == (
        "(repository): ERROR policylint/no-governance-files no governance document or "
        "register was found (3 Markdown/YAML files read; a governance file has a `kind`). 2 "
        "Markdown file(s), such as docs/nda.md, have front matter but no kind (it looks like a "
        "contract): add `kind:` to their front matter. 3 file(s) that policylint does not read "
        "look like governance documents: docs/handbook.rst, docs/nda.docx, "
        "templates/policy.md.tmpl. Convert them to Markdown with front matter, or widen "
        '`include` (e.g. "*.md.tmpl") to read them'
    )
    assert (
        "docs/nda.md:1:1: WARNING policylint/missing-kind the front matter has no kind, so the "
        "file is not checked; it looks like a contract (counterparty): add `kind: contract`"
    ) in lines
    assert any(
        line.startswith("docs/policy.md:1:1: WARNING policylint/missing-kind")
        and "looks like a policy (基本方針)" in line
        for line in lines
    )
    assert not any(line.startswith("docs/blog.md:1:1: WARNING") for line in lines)


def test_include_widens_the_extensions_read(tmp_path: Path) -> None:
    write(tmp_path, "policylint.yaml", 'include: ["*.md", "*.yaml", "*.md.tmpl"]\n')
    write(tmp_path, "templates/policy.md.tmpl", "---\nkind: policy\nid: pol\n---\n# 目的\n")
    write(tmp_path, "templates/roles.yaml.tmpl", "kind: roles\nitems: []\n")
    result = run_lint(tmp_path)
    assert [d.path for d in result.repo.documents_of("policy")] == ["templates/policy.md.tmpl"]
    assert result.repo.registers_of("roles") == []  # *.yaml.tmpl was not named by include
    assert "policylint/no-governance-files" not in {d.check_id for d in result.active}
