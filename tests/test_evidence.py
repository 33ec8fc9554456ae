"""Checks that read the evidence (issue 12): history as it was, words real documents use, scopes.

Seeded cases with one expected diagnostic each live in test_rules_items.py; this file holds the
variations a check must accept or tell apart: phrasings in Japanese and English, dates around a
boundary, and who counts as management on the day of an approval.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from policylint.dates import parse_duration_days
from policylint.primitives import duration_text

from conftest import (
    ASSETS,
    DEV_REVIEW,
    INCIDENT_PROC,
    LEGAL,
    PARTIES,
    PEOPLE,
    POLICY,
    SAMPLE,
    line_of,
    run_lint,
    triples,
)

Edit = Callable[[Path, str, str], None]
CIO_REVIEW = "records/reviews/2026-07-cio-data-assets.md"


def checks_of(root: Path, as_of: dt.date | None = dt.date(2026, 11, 1)) -> set[str]:
    return {d.check_id for d in run_lint(root, as_of=as_of).active}


# ---------------------------------------------------------------------------------------------
# the one place that says who is management, and who has left, on a day


def test_management_and_leaving_are_judged_on_the_day() -> None:
    repo = run_lint(SAMPLE).repo
    former, current = "p-kobayashi-hiroshi", "p-sato-kenichi"
    assert repo.is_management(former, dt.date(2019, 4, 1))
    assert not repo.is_management(former, dt.date(2021, 4, 1))  # the day after leaving
    assert not repo.is_management(current, dt.date(2021, 3, 31))  # ceo from 2021-04-01
    assert repo.is_management(current, dt.date(2021, 4, 1))
    assert repo.has_left(former) and not repo.has_left(former, dt.date(2021, 3, 31))
    assert not repo.has_left(current)


def test_a_leavers_past_approval_stays_valid() -> None:
    text = (SAMPLE / POLICY).read_text(encoding="utf-8")
    assert "approved_by: p-kobayashi-hiroshi" in text  # revision 1.0, by the CEO of 2019
    assert triples(run_lint(SAMPLE)) == []


def test_a_role_change_ends_management(sample: Path, edit: Edit) -> None:
    # the CISO stepped down from management on 2026-03-31: an approval of 2026-04-01 fails
    edit(
        sample / "registers/roles.yaml",
        "    holder: p-suzuki-daisuke\n",
        "    holder: p-kato-ryo\n    history:\n"
        "      - {holder: p-suzuki-daisuke, from: 2019-10-01, to: 2026-03-31}\n",
    )
    edit(sample / PEOPLE, "    roles: [ciso]\n", "    roles: []\n")
    edit(
        sample / PEOPLE,
        "    roles: []\n    status: active\n    hired_on: 2022-04-01",
        "    roles: [ciso]\n    status: active\n    hired_on: 2022-04-01",
    )
    edit(sample / POLICY, "approved_by: p-sato-kenichi\n", "approved_by: p-suzuki-daisuke\n")
    found = [d for d in run_lint(sample).active if d.check_id == "II.1.1.1/approver-is-management"]
    assert [d.message for d in found] == [
        "policy 'pol-information-security' is approved on 2026-04-01 by 'p-suzuki-daisuke', who "
        "did not hold a management role on that date (management roles held: ciso (2019-10-01 – "
        "2026-03-31))"
    ]


# ---------------------------------------------------------------------------------------------
# a signature is evidence, not a word


@pytest.mark.parametrize(
    "value",
    [
        "TBD",
        "tbd",
        "ＴＢＤ",
        "未定",
        "-",
        "n/a",
        "N/A",
        "signed",
        "Signed.",
        "署名済",
        "済",
        "pending",
        "{{ signature }}",
        "<name>",
        "[signature]",
        "TODO: scan the signed copy",
        "?",
    ],
)
def test_a_placeholder_is_not_a_signature(value: str, sample: Path, edit: Edit) -> None:
    edit(
        sample / POLICY,
        "signature: evidence/signatures/pol-information-security-v3.0.txt",
        f"signature: {json.dumps(value, ensure_ascii=False)}",
    )
    [d] = run_lint(sample).active
    assert (d.check_id, d.discriminator) == ("II.1.1.1/policy-approved", "signature-placeholder")


@pytest.mark.parametrize(
    "value",
    [
        "Signed by Kenichi Sato, CEO, on 2026-04-01",
        "代表取締役社長 佐藤健一 2026年4月1日 署名",
        "佐藤 健一（代表取締役社長）が 2026/04/01 に電子署名",
        "Approved and signed by K. Sato (CEO) on 1 April 2026 at the board meeting",
    ],
)
def test_a_statement_of_who_and_when_is_a_signature(value: str, sample: Path, edit: Edit) -> None:
    edit(
        sample / POLICY,
        "signature: evidence/signatures/pol-information-security-v3.0.txt",
        f'signature: "{value}"',
    )
    assert triples(run_lint(sample)) == []


@pytest.mark.parametrize("value", ["佐藤健一", "2026-04-01", "Signed by the CEO", "on file"])
def test_a_statement_without_who_or_when_is_vague(value: str, sample: Path, edit: Edit) -> None:
    edit(
        sample / POLICY,
        "signature: evidence/signatures/pol-information-security-v3.0.txt",
        f'signature: "{value}"',
    )
    [d] = run_lint(sample).active
    assert (d.check_id, d.discriminator) == ("II.1.1.1/policy-approved", "signature-vague")


# ---------------------------------------------------------------------------------------------
# draft and superseded documents are no evidence


def test_a_superseded_policy_beside_the_effective_one_is_fine(sample: Path) -> None:
    (sample / "policies/old-policy.md").write_text(
        "---\nkind: policy\nid: pol-old\nstatus: superseded\ntitle: old\n---\n# old\n",
        encoding="utf-8",
    )
    assert triples(run_lint(sample)) == []


def test_a_draft_contract_gives_no_coverage(sample: Path, edit: Edit) -> None:
    edit(
        sample / "contracts/telecom-kizuna.md",
        "kind: contract\n",
        "kind: contract\nstatus: draft\n",
    )
    assert triples(run_lint(sample)) == [
        (
            "II.2.2.2/contract-exists",
            PARTIES,
            line_of(sample / PARTIES, "contract: ctr-telecom-kizuna"),
        )
    ]


# ---------------------------------------------------------------------------------------------
# policy sections: heading or first paragraph, in the words real policies use

PHRASINGS = {
    "a": [
        "1. 目的",
        "適用範囲",
        "はじめに",
        "Purpose and scope",
        "Who this policy applies to",
        "Introduction",
    ],
    "b": [
        "情報セキュリティの重要性",
        "経営理念と情報セキュリティ",
        "Why information security matters",
        "Business context",
    ],
    "c": [
        "トップマネジメントのコミットメント",
        "情報セキュリティ目的",
        "Leadership and commitment",
        "Information security objectives",
    ],
    "d": [
        "推進体制",
        "役割と責任",
        "Roles and responsibilities",
        "How we protect information assets",
        "Governance",
    ],
    "e": [
        "遵守事項",
        "教育・訓練",
        "What we expect from everyone",
        "Legal and regulatory compliance",
        "Incident reporting",
    ],
    "f": [
        "見直し及び継続的改善",
        "本方針の改定",
        "Keeping this policy current",
        "Continual improvement",
        "Review of this policy",
    ],
}
LEADS = {
    "b": ("3. 背景", "当社の事業にとって情報セキュリティは重要性の高い経営課題です。"),
    "c": ("Our approach", "Top management supports the objectives and principles set out here."),
    "f": ("Closing", "This policy is reviewed every year and after significant changes."),
}


def _policy_repo(tmp: Path, headings: list[str], body: str = "text") -> Path:
    shutil.copytree(SAMPLE, tmp)
    text = (tmp / POLICY).read_text(encoding="utf-8")
    front = text.split("\n---\n", 1)[0]
    sections = "".join(f"\n## {h}\n\n{body}\n" for h in headings)
    (tmp / POLICY).write_text(front + "\n---\n# Policy\n" + sections, encoding="utf-8")
    return tmp


def _missing_sections(root: Path) -> list[str]:
    found = [d for d in run_lint(root).active if d.check_id == "II.1.1.1/policy-sections"]
    return re.findall(r"(?:: |, )([a-f])\) ", found[0].message) if found else []


@pytest.mark.parametrize("topic", sorted(PHRASINGS))
def test_each_topic_is_recognised_in_both_languages(topic: str, tmp_path: Path) -> None:
    for i, heading in enumerate(PHRASINGS[topic]):
        root = _policy_repo(tmp_path / str(i), [heading])
        missing = _missing_sections(root)
        assert topic not in missing, heading


@pytest.mark.parametrize("topic", sorted(LEADS))
def test_a_topic_is_recognised_from_the_first_paragraph(topic: str, tmp_path: Path) -> None:
    heading, lead = LEADS[topic]
    root = _policy_repo(tmp_path / "repo", [heading], lead)
    assert topic not in _missing_sections(root)


def test_a_topic_named_only_deep_in_a_paragraph_is_not_a_section(tmp_path: Path) -> None:
    body = "We do many things. Later in this text we mention a review."
    assert "f" in _missing_sections(_policy_repo(tmp_path / "repo", ["Misc"], body))


# ---------------------------------------------------------------------------------------------
# incident phases and law names in the words procedures and registers use


@pytest.mark.parametrize(
    "phases",
    [
        "[報告, 初動対応, 暫定復旧, 本復旧]",
        "[検知と分析, 封じ込め, 根絶, 復旧]",
        "[一次対応, 応急処置, 恒久対策]",
        "[Triage, Containment, Eradication, Recovery]",
        "[initial response, workaround, permanent fix]",
    ],
)
def test_incident_phases_in_other_words(phases: str, sample: Path, edit: Edit) -> None:
    text = (sample / INCIDENT_PROC).read_text(encoding="utf-8")
    start = text.index("phases:")
    end = text.index("\n", text.index("]", start))
    (sample / INCIDENT_PROC).write_text(
        text[:start] + f"phases: {phases}" + text[end:], encoding="utf-8"
    )
    assert triples(run_lint(sample)) == []


def test_partial_recovery_is_not_full_recovery(sample: Path) -> None:
    text = (sample / INCIDENT_PROC).read_text(encoding="utf-8")
    start = text.index("phases:")
    end = text.index("\n", text.index("]", start))
    new = text[:start] + "phases: [初動対応, 暫定復旧, 部分復旧]" + text[end:]
    (sample / INCIDENT_PROC).write_text(new, encoding="utf-8")
    [d] = run_lint(sample).active
    assert d.check_id == "II.6.1.1/incident-phases" and d.message.endswith("full-recovery")


@pytest.mark.parametrize(
    ("key", "new"),
    [
        ("個人情報保護法", "個情法"),
        ("個人情報保護法", "Act on the Protection of Personal Information (APPI)"),
        ("不正競争防止法", "不競法"),
        ("不正競争防止法", "Unfair Competition Prevention Act"),
        ("著作権法", "Copyright Act (Act No. 48 of 1970)"),
        ("電子帳簿保存法", "電帳法"),
        (
            "電子帳簿保存法",
            "Act on Special Provisions Concerning Preservation Methods for Books and "
            "Documents Related to National Tax Prepared by Means of Computers",
        ),
        (
            "e-文書法",
            "Act on the Use of Information and Communications Technology in the Preservation "
            "of Documents by Private Business Operators",
        ),
        ("e-文書法", "e文書法"),
    ],
)
def test_laws_by_abbreviation_and_official_title(
    key: str, new: str, sample: Path, edit: Edit
) -> None:
    text = (sample / LEGAL).read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if ln.strip().startswith("law:") and key in ln)
    edit(sample / LEGAL, line, f"    law: {new}")
    assert triples(run_lint(sample)) == []


def test_a_law_the_register_does_not_name_is_missing(sample: Path) -> None:
    text = (sample / LEGAL).read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if "law:" in ln and "著作権法" in ln)
    (sample / LEGAL).write_text(text.replace(line, "    law: 特許法"), encoding="utf-8")
    [d] = run_lint(sample).active
    assert d.check_id == "II.7.1.1/named-laws-considered" and "Copyright Act" in d.message


# ---------------------------------------------------------------------------------------------
# retention periods counted from an event


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("契約終了後90日", 90),
        ("退職後3年間保存", 3 * 365),
        ("事業年度終了後7年間", 7 * 365),
        ("5 years after termination", 5 * 365),
        ("for 7 years from the end of the fiscal year", 7 * 365),
        ("10y", 10 * 365),
    ],
)
def test_periods_counted_from_an_event_are_read(text: str, days: int) -> None:
    assert parse_duration_days(duration_text(text)) == days


# ---------------------------------------------------------------------------------------------
# owner reviews count for the assets their scope covers


def test_a_review_of_someone_elses_assets_does_not_count(sample: Path, edit: Edit) -> None:
    # the CIO's review lists the source repository, but its owner is dev-lead
    edit(sample / CIO_REVIEW, "scope: [as-customer-db,", "scope: [as-source-repo, as-customer-db,")
    (sample / DEV_REVIEW).unlink()
    found = [d for d in run_lint(sample).active]
    assert [(d.check_id, d.target, d.discriminator) for d in found] == [
        ("II.4.3.1/owner-review", "dev-lead", "no-review")
    ]


def test_a_review_on_the_owners_behalf_counts(sample: Path, edit: Edit) -> None:
    edit(
        sample / CIO_REVIEW,
        "scope: [as-customer-db,",
        "on_behalf_of: dev-lead\nscope: [as-source-repo, as-customer-db,",
    )
    (sample / DEV_REVIEW).unlink()
    assert triples(run_lint(sample)) == []


def test_an_asset_outside_the_reviews_scope_is_reported(sample: Path, edit: Edit) -> None:
    edit(sample / CIO_REVIEW, " as-evidence-files,", "")
    [d] = run_lint(sample).active
    assert (d.check_id, d.path, d.discriminator) == (
        "II.4.3.1/owner-review",
        ASSETS,
        "not-in-scope",
    )
    assert "covers as-evidence-files" in d.message
    lines = (sample / ASSETS).read_text(encoding="utf-8").splitlines()
    start = line_of(sample / ASSETS, "- id: as-evidence-files")
    assert lines[d.line - 1].strip() == "owner: cio" and d.line > start


def test_a_review_by_area_covers_the_assets_of_that_area() -> None:
    text = (SAMPLE / "records/reviews/2026-08-infra-assets.md").read_text(encoding="utf-8")
    assert "production" in text and "as-app-servers" not in text.split("---")[1]
    assert triples(run_lint(SAMPLE)) == []


def test_a_review_without_scope_counts_for_nothing(sample: Path, edit: Edit) -> None:
    edit(sample / DEV_REVIEW, "scope: [as-source-repo]\n", "")
    found = sorted((d.check_id, d.path, d.discriminator) for d in run_lint(sample).active)
    assert found == [
        ("II.4.3.1/owner-review", ASSETS, "not-in-scope"),
        ("II.4.3.1/review-recorded", DEV_REVIEW, "missing-fields"),
    ]


# ---------------------------------------------------------------------------------------------
# a due-soon window shorter than the cycle


def test_a_monthly_review_is_not_due_soon_the_week_after(sample: Path, edit: Edit) -> None:
    edit(sample / PARTIES, "report_review_interval_months: 3", "report_review_interval_months: 1")
    edit(sample / PARTIES, "reports_reviewed_on: 2026-10-15", "reports_reviewed_on: 2026-10-25")
    # due 2026-11-25: 24 days ahead, outside a monthly cycle's window of 7 days
    assert [d for d in run_lint(sample).active if d.target == "ep-ginko-link"] == []
    later = [
        d
        for d in run_lint(sample, as_of=dt.date(2026, 11, 20)).active
        if d.target == "ep-ginko-link"
    ]
    assert [(d.check_id, d.severity.value) for d in later] == [
        ("II.3.1.2/partner-report-review", "warning")
    ]


# ---------------------------------------------------------------------------------------------
# the language server's incremental model sees role history and document status change


@pytest.mark.parametrize(
    ("rel", "old", "new"),
    [
        (
            "registers/roles.yaml",
            "    holder_since: 2021-04-01\n",
            "    holder_since: 2026-05-01\n",
        ),
        (POLICY, "status: effective\n", "status: draft\n"),
    ],
)
def test_an_edit_updates_like_a_full_run(rel: str, old: str, new: str, sample: Path) -> None:
    from policylint.config import load_config
    from policylint.incremental import Session
    from policylint.rulepack import load_rulepack

    config = load_config(sample)
    s = Session(sample, config, load_rulepack(config.framework), dt.date(2026, 11, 1), "en")
    s.load()
    text = (sample / rel).read_text(encoding="utf-8").replace(old, new, 1)
    (sample / rel).write_text(text, encoding="utf-8")
    s.update(rel, text)
    full = run_lint(sample).diagnostics
    assert s.diagnostics == full
    assert [d for d in full if d.severity.value == "error"]  # the edit broke something
