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

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policylint.config import load_config
from policylint.incremental import Session
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


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=10_000), st.sampled_from(VALUES)),
        min_size=1,
        max_size=4,
    )
)
def test_edits_inside_one_register_item_equal_a_full_run(edits: list[tuple[int, str]]) -> None:
    """The fast path of an edit within one item of a large register (forced on here): the
    item alone is parsed again and its per-entity checks re-run."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        shutil.copytree(SAMPLE, root)
        s = session(root)
        s.item_edit_min_bytes = 0
        path = root / ASSETS
        text = path.read_text(encoding="utf-8")
        s.update(ASSETS, text)
        for line, value in edits:
            text = apply(text, line, "value", value.replace("\n", " "))
            path.write_text(text, encoding="utf-8")
            s.update(ASSETS, text)
            assert s.diagnostics == run_lint(root).diagnostics, (line, value)


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
    root = tmp_path / "repo"
    shutil.copytree(SAMPLE, root)
    s = session(root)
    s.item_edit_min_bytes = 0
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
    root = tmp_path / "repo"
    shutil.copytree(SAMPLE, root)
    s = session(root)
    s.item_edit_min_bytes = 0
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
    root = tmp_path / "repo"
    shutil.copytree(SAMPLE, root)
    s = session(root)
    s.item_edit_min_bytes = 0
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
