"""The incremental engine of the language server gives the result of a full run.

A property test edits files of a copy of sample-repo at random (lines deleted, duplicated,
values swapped for others that break or fix references, dates, ids and kinds), updates one
session file by file, and compares its diagnostics with ``lint`` of the same files on disk.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policylint import incremental
from policylint.config import load_config
from policylint.diagnostics import Location
from policylint.incremental import Session
from policylint.loader import read_source
from policylint.model import FilePart, build_part
from policylint.rulepack import load_rulepack

from conftest import (
    ASSETS,
    PEOPLE,
    POLICY,
    ROLES,
    SAMPLE,
    SAMPLE_AS_OF,
    SCHEME,
    SUPPORT_REVIEW,
    line_of,
    run_lint,
)

FILES = [ASSETS, PEOPLE, ROLES, SCHEME, POLICY, SUPPORT_REVIEW, "registers/new.yaml"]
VALUES = [
    "terminated",
    "active",
    "p-nobody",
    "p-watanabe-takuya",
    "cio",
    "2026/04/01",
    "2020-01-01",
    "secret",
    "kind: people",
    "kind: roles",
    "id: cio",
    "ownr: cio",
    "- x",
    "{",
    "",
]


def session(root: Path) -> Session:
    config = load_config(root)
    s = Session(root, config, load_rulepack(config.framework), SAMPLE_AS_OF, "en")
    s.load()
    return s


def copied_sample(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(SAMPLE, root)
    return root


def item_session(root: Path) -> Session:
    """A session that applies an edit inside a register item to that item alone whatever the
    register's size (sample-repo's registers are small)."""
    s = session(root)
    s.item_edit_min_bytes = 0
    return s


edit = st.tuples(
    st.sampled_from(FILES),
    st.integers(min_value=0, max_value=10_000),  # a line (modulo the file's length)
    st.sampled_from(["delete", "duplicate", "value", "replace"]),
    st.sampled_from(VALUES),
)


def apply(text: str, line: int, how: str, value: str) -> str:
    lines = text.split("\n")
    i = line % max(len(lines), 1)
    if how == "delete":
        del lines[i]
    elif how == "duplicate":
        lines.insert(i, lines[i])
    elif how == "value" and ":" in lines[i]:
        key = lines[i].split(":", 1)[0]
        lines[i] = f"{key}: {value}"
    else:
        lines[i] = value
    return "\n".join(lines)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(edit, min_size=1, max_size=3))
def test_incremental_result_equals_a_full_run(edits: list[tuple[str, int, str, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        shutil.copytree(SAMPLE, root)
        s = session(root)
        for rel, line, how, value in edits:
            path = root / rel
            text = path.read_text(encoding="utf-8") if path.exists() else "kind: roles\nitems:\n"
            new = apply(text, line, how, value)
            path.write_text(new, encoding="utf-8")
            s.update(rel, new)
            assert s.diagnostics == run_lint(root).diagnostics, (rel, line, how, value)


LINES = [
    "    notes: x",
    "    owner: p-nobody",
    "    country: XX",
    "    id: as-new",
    "    # a comment",
    "",
    "  - id: as-extra",
    "      extra: 1",
    "    licence: x",
    "    cia: {confidentiality: 9}",
    "{",
]
"""Lines added inside (or between) register items: fields, a duplicate key, a comment, a blank
line, a new item, a deeper line, a misspelt field, a line that breaks the YAML."""


def edit_line(text: str, line: int, how: str, value: str) -> str:
    """``apply``, and two more edits: ``insert`` a line before ``line``, ``misspell`` the key of
    ``line`` (one letter more: a near miss with a quick fix)."""
    lines = text.split("\n")
    i = line % max(len(lines), 1)
    if how == "insert":
        lines.insert(i, value)
    elif how == "misspell" and ":" in lines[i]:
        key, rest = lines[i].split(":", 1)
        lines[i] = f"{key}x:{rest}"
    else:
        return apply(text, line, how, value if how == "replace" else value.strip())
    return "\n".join(lines)


def places(root: Path, s: Session, rel: str) -> None:
    """The session agrees with a full run on the files as they are on disk: the diagnostics
    (with their columns and fixes, which their equality leaves out) and, for ``rel``, where
    each register item, its id and its fields stand (go to definition, hover, new findings)."""
    full = run_lint(root)
    assert s.diagnostics == full.diagnostics
    assert [(d.column, d.fix) for d in s.diagnostics] == [
        (d.column, d.fix) for d in full.diagnostics
    ]
    config = load_config(root)
    fresh = build_part(read_source(root, rel), SAMPLE_AS_OF, config.aliases)

    def where(part: FilePart) -> list[list[Location]]:
        return [
            [e.loc(), e.loc("id"), e.loc("owner"), e.loc("cia"), e.loc("acceptable_use", "users")]
            for r in part.registers
            for e in r.items
        ]

    assert where(s.parts[rel]) == where(fresh)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=10_000),
            st.sampled_from(["value", "replace", "insert", "delete", "duplicate", "misspell"]),
            st.sampled_from(LINES + VALUES),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_edits_inside_one_register_item_equal_a_full_run(edits: list[tuple[int, str, str]]) -> None:
    """The fast path of an edit within one item of a large register (forced on here): the
    item alone is parsed again and its per-entity checks re-run; an edit that adds or removes
    lines moves every later item, and what was found there, by as many lines. Several edits
    in a row, each compared with a full run."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        shutil.copytree(SAMPLE, root)
        s = session(root)
        s.item_edit_min_bytes = 0
        path = root / ASSETS
        text = path.read_text(encoding="utf-8")
        s.update(ASSETS, text)
        for line, how, value in edits:
            text = edit_line(text, line, how, value.replace("\n", " "))
            path.write_text(text, encoding="utf-8")
            s.update(ASSETS, text)
            places(root, s, ASSETS)


def test_an_edit_reruns_only_the_checks_that_read_what_changed(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(SAMPLE, root)
    s = session(root)
    everything = len(s.enabled)
    text = (root / POLICY).read_text(encoding="utf-8")
    s.update(POLICY, text.replace("title:", "title: x", 1))
    assert 0 < s.reruns < everything / 2
    # an edit inside one item of a register (of any size here) parses that item alone
    s.item_edit_min_bytes = 0
    text = (root / ASSETS).read_text(encoding="utf-8")
    s.update(ASSETS, text)
    edited = text.replace("owner: p-watanabe-takuya", "owner: p-nobody")
    s.update(ASSETS, edited)
    assert s.item_edits == 1
    assert ("II.4.1.1/asset-owner", ASSETS) in [(d.check_id, d.path) for d in s.diagnostics]
    (root / ASSETS).write_text(edited, encoding="utf-8")
    assert s.diagnostics == run_lint(root).diagnostics
    (root / ASSETS).write_text(text, encoding="utf-8")
    s.update(ASSETS, text)
    # a closed buffer falls back to the file on disk
    assert s.update(POLICY, None) == set()
    assert s.diagnostics == run_lint(root).diagnostics


def test_the_session_loads_like_a_full_run() -> None:
    config = load_config(SAMPLE)
    today = dt.date(2030, 1, 1)  # overdue reviews: many findings in many files
    s = Session(SAMPLE, config, load_rulepack(config.framework), today, "ja")
    s.load()
    assert s.diagnostics == run_lint(SAMPLE, today, "ja").diagnostics
    assert len(s.diagnostics) > 10


def test_history_facts_follow_an_edit_of_an_approved_document_and_a_commit(
    tmp_path: Path,
) -> None:
    """The session asks git again only about the approved document that changed, and about
    everything once the history moved (a commit): each time its result is a full run's."""
    from test_history import POLICY_TEXT, ROLES, commit

    from policylint.engine import lint

    repo = tmp_path / "gov"
    repo.mkdir()
    (repo / "policylint.yaml").write_text("as_of: 2026-11-01\nlang: en\n")
    (repo / "policy.md").write_text(POLICY_TEXT)
    people = "kind: people\nitems:\n  - id: p-ceo\n    roles: [ceo]\n    status: active\n"
    (repo / "people.yaml").write_text(people)
    (repo / "roles.yaml").write_text(ROLES)
    import subprocess

    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    commit(repo, "Policy 1.0, approved by the CEO", "2026-04-01T10:00:00+09:00")
    config = load_config(repo)
    pack = load_rulepack(config.framework)
    s = Session(repo, config, pack, dt.date(2026, 11, 1), "en")
    s.load()

    def full() -> list[object]:
        return list(lint(repo, config, pack, dt.date(2026, 11, 1), "en").diagnostics)

    def changed() -> list[str]:
        return [d.message for d in s.diagnostics if d.check_id == "II.1.1.2/changed-since-approval"]

    assert changed() == [] and s.diagnostics == full()
    text = POLICY_TEXT.replace("entrust to us.", "entrust to us, unless it is inconvenient.")
    (repo / "policy.md").write_text(text)
    s.update("policy.md", text)
    assert s.history_changed
    uncommitted = changed()
    assert len(uncommitted) == 1 and s.diagnostics == full()
    s.update("roles.yaml", ROLES + "  - id: auditor\n    title: Auditor\n")
    assert not s.history_changed  # neither an approved document nor the history changed
    s.update("roles.yaml", ROLES)
    assert s.diagnostics == full()
    commit(repo, "Soften the purpose", "2026-06-10T09:30:00+09:00", who="dev")
    s.update("roles.yaml", ROLES)  # any update after a commit reads the history again
    assert s.history_changed
    committed = changed()
    assert len(committed) == 1 and committed != uncommitted
    assert s.diagnostics == full()


ASSET_FIELDS = [
    "owner: cio",
    "owner: ciso",
    "owner: infra-lead",
    "owner: support-lead",
    "owner: p-watanabe-takuya",
    "owner: p-nobody",
    "area: production",
    "area: [staging, production]",
    "country: US",
    "country: DE",
    "country: XX",
    "country: XX",
    "id: as-laptops",
    "id: as-new",
]
REVIEW_FIELDS = [
    "scope: [as-laptops, as-support-tickets]",
    "scope: [ciso]",
    "scope: [production]",
    "reviewer: ciso",
    "on_behalf_of: infra-lead",
    "date: 2025-01-01",
    "date: 2026-10-30",
]


def set_field(text: str, nth: int, value: str) -> str:
    """Set the ``nth`` (modulo their number) line holding the key of ``value`` (``key: v``) to
    ``value``, at the same place (after the same indentation and ``- ``)."""
    key = value.split(":", 1)[0] + ":"
    lines = text.split("\n")
    found = [i for i, x in enumerate(lines) if x.lstrip(" -").startswith(key)]
    if not found:
        return text
    i = found[nth % len(found)]
    lines[i] = lines[i][: lines[i].index(key)] + value
    return "\n".join(lines)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.tuples(st.just(ASSETS), st.integers(min_value=0), st.sampled_from(ASSET_FIELDS)),
            st.tuples(
                st.just(SUPPORT_REVIEW), st.integers(min_value=0), st.sampled_from(REVIEW_FIELDS)
            ),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_owner_reviews_and_jurisdictions_kept_between_edits_equal_a_full_run(
    edits: list[tuple[str, int, str]],
) -> None:
    """owner-review and foreign-jurisdiction keep per-asset judgements between updates (an
    asset edit judges that asset again; a review edit starts over): after each edit of an
    asset's owner, area, country or id, or of a review's scope, reviewer or date, the
    session's result is a full run's."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        shutil.copytree(SAMPLE, root)
        s = session(root)
        s.item_edit_min_bytes = 0  # one asset parsed alone, as in a large register
        for rel in (ASSETS, SUPPORT_REVIEW):
            s.update(rel, (root / rel).read_text(encoding="utf-8"))
        for rel, line, value in edits:
            text = set_field((root / rel).read_text(encoding="utf-8"), line, value)
            (root / rel).write_text(text, encoding="utf-8")
            s.update(rel, text)
            assert s.diagnostics == run_lint(root).diagnostics, (rel, line, value)


def test_an_asset_edit_judges_that_asset_again_and_keeps_the_others(tmp_path: Path) -> None:
    root = copied_sample(tmp_path)
    s = item_session(root)
    text = (root / ASSETS).read_text(encoding="utf-8")
    s.update(ASSETS, text)
    kept = s.memos[("II.4.3.1/owner-review", 0)]["owner_review"]
    # the support lead's tickets move to the CISO, whose reviews do not cover them
    edited = text.replace("owner: support-lead", "owner: ciso", 1)
    (root / ASSETS).write_text(edited, encoding="utf-8")
    s.update(ASSETS, edited)
    assert s.item_edits == 1
    assert s.memos[("II.4.3.1/owner-review", 0)]["owner_review"] is kept
    assert s.diagnostics == run_lint(root).diagnostics
    line = text[: text.index("owner: support-lead")].count("\n") + 1
    assert [
        (d.check_id, d.path, d.line, d.message)
        for d in s.diagnostics
        if d.check_id == "II.4.3.1/owner-review"
    ] == [
        (
            "II.4.3.1/owner-review",
            ASSETS,
            line,
            "asset owner 'ciso': no review in the last 12 months covers as-support-tickets "
            "(the scope of their reviews does not list them)",
        )
    ]


def test_an_edit_of_the_last_item_of_a_register_parses_that_item_alone(tmp_path: Path) -> None:
    root = copied_sample(tmp_path)
    s = item_session(root)
    text = (root / ASSETS).read_text(encoding="utf-8")
    s.update(ASSETS, text)
    at = text.rindex("owner: ")  # the last asset's owner
    edited = text[:at] + text[at:].replace("owner: ", "owner: p-nobody-", 1)
    (root / ASSETS).write_text(edited, encoding="utf-8")
    s.update(ASSETS, edited)
    assert s.item_edits == 1
    line = edited[:at].count("\n") + 1
    assert ("II.4.1.1/asset-owner", ASSETS, line) in [
        (d.check_id, d.path, d.line) for d in s.diagnostics
    ]
    assert s.diagnostics == run_lint(root).diagnostics


def test_an_item_edited_twice_after_its_length_changed_equals_a_full_run(tmp_path: Path) -> None:
    """Found by the property test above: the first edit lengthened a line of an asset, so the
    later items' character offsets no longer matched the text; the second edit of the same asset
    then cut the item short (its last field lost) until items were found by their lines."""
    root = copied_sample(tmp_path)
    s = item_session(root)
    text = (root / ASSETS).read_text(encoding="utf-8")
    first = text.replace(
        "    country: JP\n    owner: cio\n    classification: confidential\n    backup: 日次で追記",
        "    country: JP\n    owner: p-watanabe-takuya\n    classification: confidential\n"
        "    backup: 日次で追記",
    )
    second = first.replace(
        "ログ基盤\n    country: JP\n    owner: p-watanabe-takuya",
        "ログ基盤\n    country: XX\n    owner: p-watanabe-takuya",
    )
    assert text != first != second
    for version in (text, first, second):  # opened in the editor, then edited twice
        (root / ASSETS).write_text(version, encoding="utf-8")
        s.update(ASSETS, version)
        assert s.diagnostics == run_lint(root).diagnostics
    assert [d.check_id for d in s.diagnostics if d.target == "as-transaction-logs"] == [
        "II.7.1.1/foreign-jurisdiction"
    ]


def test_a_line_added_or_removed_in_an_item_moves_the_findings_of_later_items(
    tmp_path: Path,
) -> None:
    """Typing Enter to add a field to an asset, or deleting a field line, is applied to that
    asset alone; what was found on the assets after it (a finding, its quick fix, the excepted
    finding) moves down or up with their lines, and a later asset edited next is found."""
    root = copied_sample(tmp_path)
    s = item_session(root)
    path = root / ASSETS

    def edit(old: str, new: str) -> int:
        """Replace ``old`` by ``new`` in the register (on disk and in the session); the number
        of edits the session applied to one item alone so far."""
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, old
        text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
        s.update(ASSETS, text)
        places(root, s, ASSETS)
        return s.item_edits

    def found() -> list[tuple[str, int, int | None]]:
        return [
            (d.check_id, d.line, d.fix.edit.line if d.fix is not None else None)
            for d in s.diagnostics
            if d.path == ASSETS and not d.suppressed
        ]

    s.update(ASSETS, path.read_text(encoding="utf-8"))
    # a later asset (the support tickets): an owner who is nobody, a misspelt field
    edit(
        "    owner: support-lead\n    classification: confidential\n",
        "    owner: p-nobody\n    classification: confidential\n",
    )
    assert edit("    license: サポートデスク", "    licence: サポートデスク") == 2
    # and the last asset moves to the CISO, whose reviews do not cover it (a finding that
    # owner-review keeps between runs, see test_an_asset_edit_judges_that_asset_again...)
    assert (
        edit(
            "    owner: support-lead\n    classification: public",
            "    owner: ciso\n    classification: public",
        )
        == 3
    )
    tickets = line_of(path, "id: as-support-tickets")
    owner, licence = line_of(path, "owner: p-nobody"), line_of(path, "licence:")
    text = path.read_text(encoding="utf-8")
    site = text[: text.rindex("owner: ciso")].count("\n") + 1
    later = [
        ("II.4.1.1/asset-inventory-fields", tickets, None),  # no license
        ("II.4.1.1/asset-owner", owner, None),
        ("policylint/unknown-field", licence, licence),  # did you mean 'license'? (a fix)
        ("II.4.3.1/owner-review", site, None),
    ]
    assert found() == later

    def moved(lines: int) -> list[tuple[str, int, int | None]]:
        return [(c, n + lines, None if f is None else f + lines) for c, n, f in later]

    # a field line added to an asset in the middle: they move down by one line
    assert (
        edit("  - id: as-evidence-files\n", "  - id: as-evidence-files\n    notes: 10 年保存\n")
        == 4
    )
    assert found() == moved(1)
    assert s.repo.by_id["as-support-tickets"].loc("id").line == tickets + 1  # go to definition
    # the line removed again, then a field that asset needs: up by one
    assert edit("    notes: 10 年保存\n    name: 証憑", "    name: 証憑") == 5
    assert edit("    format: PDF／JPEG（認定タイムスタンプ付与）\n", "") == 6
    evidence = line_of(path, "id: as-evidence-files")
    assert found() == [("II.4.1.1/asset-inventory-fields", evidence, None), *moved(-1)]
    # then the later asset itself: a line added to it, its owner fixed
    assert edit("  - id: as-support-tickets\n", "  - id: as-support-tickets\n    area: x\n") == 7
    assert edit("    owner: p-nobody\n", "    owner: support-lead\n") == 8
    assert found() == [
        ("II.4.1.1/asset-inventory-fields", evidence, None),
        ("II.4.1.1/asset-inventory-fields", tickets - 1, None),  # the area went in under it
        ("policylint/unknown-field", licence, licence),
        ("II.4.3.1/owner-review", site, None),
    ]


def test_an_edit_beyond_one_item_or_breaking_it_parses_the_file_again(tmp_path: Path) -> None:
    """Lines added to or removed from the last item, or a blank line between two items, are
    applied to one item alone; an edit across two items, one that adds an item, or one that
    breaks the YAML parses the whole file again: each gives the result of a full run."""
    root = copied_sample(tmp_path)
    s = item_session(root)
    path = root / ASSETS
    text = path.read_text(encoding="utf-8")
    s.update(ASSETS, text)
    end = "      return: 該当しない（公開情報）\n"
    edits = [
        (end, end + "    notes: 公開\n    owner: p-nobody\n", 1),  # the last item grows
        # an earlier item grows: the duplicate key's message quotes the line it moved to
        ("  - id: as-laptops\n", "  - id: as-laptops\n    area: office\n", 2),
        ("    owner: p-nobody\n", "", 3),  # the last item shrinks
        (end, "", 4),  # a field of it removed
        ("\n\n  - id: as-product-site", "\n  - id: as-product-site", 5),  # a blank line
        ("\n  - id: as-product-site\n", "\n", 5),  # two items made one
        (
            "  - id: as-evidence-files\n",
            "  - id: as-x\n    owner: cio\n  - id: as-evidence-files\n",
            5,
        ),
        ("  - id: as-laptops\n", "  - id: as-laptops\n  {\n", 5),  # not YAML
        ("  - id: as-laptops\n  {\n", "  - id: as-laptops\n", 5),  # YAML again: parsed whole
        ("  - id: as-admin-terminal\n", "  - id: as-admin-terminal\n    area: office\n", 6),
        # a lone CR: a line break for YAML
        ("terminal\n    area: office\n", "terminal\n    area: office\n    # a\r    # b\n", 6),
        ("  - id: as-company-books\n", "  - id: as-company-books\n    notes: x\n", 6),
    ]
    for old, new, fast in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
        s.update(ASSETS, text)
        places(root, s, ASSETS)
        assert s.item_edits == fast, (old, new)


def test_a_register_whose_line_map_grew_long_is_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each edit that adds or removes lines adds a range or two to the register's line map;
    past a limit (lowered here) the next such edit parses the register whole, which starts a
    new map, and the edits after it are applied to one item again."""
    monkeypatch.setattr(incremental, "_MAX_RANGES", 3)
    root = copied_sample(tmp_path)
    s = item_session(root)
    path = root / ASSETS
    text = path.read_text(encoding="utf-8")
    s.update(ASSETS, text)
    fast = []
    for item in ("as-laptops", "as-evidence-files", "as-source-repo", "as-company-books"):
        text = text.replace(f"  - id: {item}\n", f"  - id: {item}\n    notes: x\n")
        path.write_text(text, encoding="utf-8")
        s.update(ASSETS, text)
        places(root, s, ASSETS)
        fast.append(s.item_edits)
    assert fast == [1, 2, 2, 3]


def test_an_item_edit_renames_the_configured_aliases_like_a_full_run(tmp_path: Path) -> None:
    """A field written under an alias (``aliases: {custodian: owner}``) in an edited item is
    that field, as in a full run: its owner is judged, and the alias beside the field is the
    field written twice."""
    root = copied_sample(tmp_path)
    config = root / "policylint.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "aliases: {custodian: owner}\n")
    s = item_session(root)
    path = root / ASSETS
    text = path.read_text(encoding="utf-8")
    s.update(ASSETS, text)
    owner = "    owner: support-lead\n    classification: confidential\n"
    for new, check in (
        (owner.replace("owner: support-lead", "custodian: p-nobody"), "II.4.1.1/asset-owner"),
        (
            owner.replace("owner: support-lead", "owner: support-lead\n    custodian: cio"),
            "policylint/duplicate-key",
        ),
    ):
        edited = text.replace(owner, new)
        path.write_text(edited, encoding="utf-8")
        s.update(ASSETS, edited)
        places(root, s, ASSETS)
        line = edited[: edited.index("custodian")].count("\n") + 1
        assert (check, line) in {(d.check_id, d.line) for d in s.diagnostics if d.path == ASSETS}
    assert s.item_edits == 2
