"""Realistic repositories with many faults at once, as a compliance officer would leave them.

Each scenario seeds a copy of sample-repo/ (clean at its as_of, 2026-11-01) with a dozen faults
of different items that interact: a leaver who still holds a role and owns a document, a
contract that lapsed last week beside one expiring in 45 days, an id reused by a document,
exceptions that no longer hold... The run must report each fault exactly once, at the
offending value (a missing field: the item or document), with the right severity, and nothing
else: no cascade from one fault into another check, and a sound record (a new hire, a party
with ``access: [none]``, ``retention: 7 years``, a law named in English) stays silent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from policylint.engine import Result

from conftest import (
    ASSETS,
    BACKUP_PROC,
    DEV_REVIEW,
    DISCIPLINARY,
    EXCEPTIONS,
    GINKO_AUDIT,
    GINKO_CTR,
    INCIDENTS,
    LEGAL,
    NORTHSTAR_CTR,
    NOTICE,
    PARTIES,
    PARTNER_PROC,
    PEOPLE,
    POLICY,
    RETENTION,
    ROLES,
    SUPPORT,
    SUPPORT_REVIEW,
    TSUNAGU_AUDIT,
    TSUNAGU_CTR,
    line_of,
    run_lint,
)

Edit = Callable[[Path, str, str], None]
Seed = tuple[str, str | None, str | None]  # (path, old, new); new None deletes; old None appends
Want = tuple[str, str, str | None, str]  # (check, path, needle or None for line 1, severity)

CONFIG = "policylint.yaml"

E, W = "error", "warning"


def seed(root: Path, seeds: list[Seed], edit: Edit) -> None:
    for rel, old, new in seeds:
        path = root / rel
        if new is None:
            path.unlink()
        elif old is None:
            path.write_text(path.read_text(encoding="utf-8") + new, encoding="utf-8")
        else:
            edit(path, old, new)


def got(result: Result) -> list[tuple[str, str, int, str]]:
    return sorted((d.check_id, d.path, d.line, d.severity.value) for d in result.active)


def want(root: Path, expected: list[Want]) -> list[tuple[str, str, int, str]]:
    return sorted(
        (check, rel, 1 if needle is None else line_of(root / rel, needle), sev)
        for check, rel, needle, sev in expected
    )


def message(result: Result, check: str, path: str) -> str:
    [d] = [d for d in result.active if (d.check_id, d.path) == (check, path)]
    return d.message


# ---------------------------------------------------------------------------------------------
# 1. people: leavers who keep their duties, new hires, training, reviews


PEOPLE_SEEDS: list[Seed] = [
    # p-kato-ryo left on 2026-09-30 but still holds dev-lead, owns a procedure and an asset,
    # and signed a review after leaving
    (
        PEOPLE,
        "    roles: []\n    status: active\n    hired_on: 2022-04-01",
        "    roles: [dev-lead]\n    status: terminated\n    terminated_on: 2026-09-30\n"
        "    access_revoked_on: 2026-09-30\n    assets_returned_on: 2026-09-30\n"
        "    hired_on: 2022-04-01",
    ),
    (ROLES, "holder: p-nakamura-shota", "holder: p-kato-ryo"),
    (BACKUP_PROC, "owner: infra-lead", "owner: p-kato-ryo"),
    (ASSETS, "owner: p-watanabe-takuya", "owner: p-kato-ryo"),
    (DEV_REVIEW, "reviewer: dev-lead\ndate: 2026-06-30", "reviewer: p-kato-ryo\ndate: 2026-10-05"),
    # the CIO role still names a leaver; the CIO's review is signed by the person who holds
    # the role per the people register, so the CIO's assets count as reviewed
    (ROLES, "holder: p-takahashi-misaki", "holder: p-sasaki-tomoko"),
    # hired 40 days ago and still untrained (the new hire of 12 days, p-yamada-haruto, is fine)
    (
        PEOPLE,
        "    hired_on: 2023-07-03\n    security_terms_agreed_on: 2023-06-20\n"
        "    nda_signed_on: 2023-07-03\n    access_granted_on: 2023-07-03\n    trainings:\n"
        "      - course: 情報セキュリティ年次研修（2026年度）\n        completed_on: 2026-06-12\n"
        "      - course: 個人情報保護研修（2026年度）\n        completed_on: 2026-07-10\n",
        "    hired_on: 2026-09-22\n    security_terms_agreed_on: 2026-09-18\n"
        "    nda_signed_on: 2026-09-22\n    access_granted_on: 2026-09-22\n    trainings: []\n",
    ),
    # last training 11.5 months ago: due in 15 days
    (
        PEOPLE,
        "      - course: 情報セキュリティ年次研修（2026年度）\n        completed_on: 2026-06-12\n"
        "      - course: 標的型攻撃メール訓練（2026年度上期）\n        completed_on: 2026-08-07\n",
        "      - course: 情報セキュリティ年次研修（2025年度）\n        completed_on: 2025-11-16\n",
    ),
    # a typo in a reviewer: the record names nobody, so support-lead has no review
    (SUPPORT_REVIEW, "reviewer: support-lead", "reviewer: suport-lead"),
    # the current revision's date in the wrong form: one invalid-date, no version mismatch
    (POLICY, "    date: 2026-04-01\n", "    date: 2026/04/01\n"),
    # a Japanese era date
    (PEOPLE, "nda_signed_on: 2021-10-01", "nda_signed_on: 令和3年10月1日"),
]
PEOPLE_EXPECTED: list[Want] = [
    ("II.5.3.1/no-duties-after-termination", ROLES, "holder: p-kato-ryo", E),
    ("II.5.3.1/no-duties-after-termination", ROLES, "holder: p-sasaki-tomoko", E),
    ("II.5.3.1/no-duties-after-termination", BACKUP_PROC, "owner: p-kato-ryo", E),
    ("II.5.3.1/no-duties-after-termination", DEV_REVIEW, "reviewer: p-kato-ryo", E),
    ("II.4.1.1/asset-owner", ASSETS, "owner: p-kato-ryo", E),
    ("II.5.2.1/training-current", PEOPLE, "- id: p-inoue-sakura", E),
    ("II.5.2.1/training-current", PEOPLE, "completed_on: 2025-11-16", W),
    ("II.4.3.1/owner-review", SUPPORT_REVIEW, "reviewer: suport-lead", E),
    ("II.4.3.1/owner-review", ASSETS, "owner: support-lead", E),
    ("policylint/invalid-date", POLICY, "date: 2026/04/01", E),
    ("policylint/invalid-date", PEOPLE, "nda_signed_on: 令和3年10月1日", E),
]


def test_people_scenario_each_fault_once(sample: Path, edit: Edit) -> None:
    seed(sample, PEOPLE_SEEDS, edit)
    result = run_lint(sample)
    assert got(result) == want(sample, PEOPLE_EXPECTED)
    training = sorted(d.message for d in result.active if d.check_id.endswith("training-current"))
    assert training == [
        "person 'p-inoue-sakura' has no completed security training on record; it was due on "
        "2026-10-22 (30 days after hiring on 2026-09-22)",
        "person 'p-watanabe-takuya': the next training is due on 2026-11-16, in 15 days"
        " (last 2025-11-16)",
    ]
    notes = [d.message for d in result.active if d.check_id.endswith("after-termination")]
    assert "role 'cio' is still held by 'p-sasaki-tomoko', who left on 2026-03-31" in notes
    assert any("dated 2026-10-05 names 'p-kato-ryo' as reviewer" in m for m in notes)
    japanese = run_lint(sample, lang="ja")
    assert got(japanese) == got(result)
    jmessages = [d.message for d in japanese.active]
    assert "役割 'dev-lead' の担当者 'p-kato-ryo' は 2026-09-30 に退職しています" in jmessages
    assert any("次回の教育の期限 2026-11-16 まであと 15 日です" in m for m in jmessages)
    assert any(
        "令和3年10月1日' は和暦です。西暦で 2021-10-01 と書いてください" in m for m in jmessages
    )


def test_a_leaver_without_terminated_on_is_named_without_an_empty_date(
    sample: Path, edit: Edit
) -> None:
    edit(sample / PEOPLE, "    terminated_on: 2026-03-31\n", "")
    edit(sample / ROLES, "holder: p-watanabe-takuya", "holder: p-sasaki-tomoko")
    result = run_lint(sample)
    assert got(result) == want(
        sample,
        [
            ("II.5.3.1/person-status", PEOPLE, "- id: p-sasaki-tomoko", E),
            ("II.5.3.1/no-duties-after-termination", ROLES, "holder: p-sasaki-tomoko", E),
        ],
    )
    text = message(result, "II.5.3.1/no-duties-after-termination", ROLES)
    assert (
        text
        == "role 'infra-lead' is still held by 'p-sasaki-tomoko', who has left (status: terminated)"
    )
    ja = message(run_lint(sample, lang="ja"), "II.5.3.1/no-duties-after-termination", ROLES)
    assert (
        ja == "役割 'infra-lead' の担当者 'p-sasaki-tomoko' は退職しています（status: terminated）"
    )


# ---------------------------------------------------------------------------------------------
# 2. external parties: contracts, access scope, partner audits, an id reused by a document


PARTY_SEEDS: list[Seed] = [
    (TSUNAGU_CTR, "expires_on: 2027-12-31", "expires_on: 2026-10-25"),  # lapsed last week
    (GINKO_CTR, "expires_on: 2028-03-31", "expires_on: 2026-12-16"),  # 45 days left
    # the developer now exchanges media, which its contract does not allow
    (
        PARTIES,
        "    access: [external-network]\n    risks:\n      - ソースコード",
        "    access: [external-network, media-exchange]\n    risks:\n      - ソースコード",
    ),
    # no access, yet a contract: fine
    (PARTIES, "    access: [none]\n", "    access: [none]\n    contract: ctr-nda-tsubasa\n"),
    (PARTIES, "    contract: ctr-telecom-kizuna\n", ""),  # access but no contract
    (NORTHSTAR_CTR, "counterparty: ep-northstar-cloud", "counterparty: ep-higashi-dc"),
    (GINKO_AUDIT, "date: 2026-08-20", "date: 2025-10-01"),  # 13 months ago
    (TSUNAGU_AUDIT, "subject: ep-tsunagu-ts", "subject: ep-mamoru-sec"),  # the wrong subject
    # a procedure reuses a party's id: one duplicate-id, the party still resolves
    (PARTNER_PROC, "id: proc-partner-management", "id: ep-tsubasa-consulting"),
    # a typo in the owner of a contract
    (GINKO_CTR, "owner: cio", "owner: cio-office"),
]
PARTY_EXPECTED: list[Want] = [
    ("II.3.1.1/contract-expiry", TSUNAGU_CTR, "expires_on:", E),
    ("II.3.1.1/contract-expiry", GINKO_CTR, "expires_on:", W),
    ("II.2.2.2/contract-access-scope", PARTIES, "access: [external-network, media-exchange]", E),
    ("II.2.2.2/contract-exists", PARTIES, "- id: ep-kizuna-net", E),
    ("II.2.2.2/contract-exists", PARTIES, "contract: ctr-dc-northstar", E),
    ("II.3.1.2/partner-audit", PARTIES, "- id: ep-ginko-link", E),
    ("II.3.1.2/partner-audit", PARTIES, "- id: ep-tsunagu-ts", E),
    ("policylint/duplicate-id", PARTIES, "- id: ep-tsubasa-consulting", E),
    ("policylint/unresolved-reference", GINKO_CTR, "owner: cio-office", E),
]


def test_party_scenario_each_fault_once(sample: Path, edit: Edit) -> None:
    seed(sample, PARTY_SEEDS, edit)
    result = run_lint(sample)
    assert got(result) == want(sample, PARTY_EXPECTED)
    expiry = sorted(d.message for d in result.active if d.check_id.endswith("contract-expiry"))
    assert expiry == [
        "contract 'ctr-saas-ginko-link' with 'ep-ginko-link' expires on 2026-12-16, in 45 days",
        "contract 'ctr-saas-tsunagu-ts' with 'ep-tsunagu-ts' expired on 2026-10-25",
    ]
    audits = sorted(d.message for d in result.active if d.check_id.endswith("partner-audit"))
    assert audits[0].startswith(
        "partner 'ep-ginko-link': the last audit ar-2026-partner-ginko-link is dated 2025-10-01;"
        " the next was due on 2026-10-01"
    )
    assert audits[1].startswith("partner 'ep-tsunagu-ts' has never been audited")
    japanese = run_lint(sample, lang="ja")
    assert got(japanese) == got(result)
    jmessages = [d.message for d in japanese.active]
    soon = "'ep-ginko-link' との契約 'ctr-saas-ginko-link' は 2026-12-16 に期限を迎えます"
    assert soon + "（あと 45 日）" in jmessages
    assert any("アクセス手段のうち、契約 'ctr-outsourcing-hikari'" in m for m in jmessages)


def test_an_id_reused_by_a_document_does_not_hide_the_person(sample: Path, edit: Edit) -> None:
    edit(sample / PARTNER_PROC, "id: proc-partner-management", "id: p-watanabe-takuya")
    edit(sample / BACKUP_PROC, "id: proc-backup-restore", "id: infra-lead")
    result = run_lint(sample)
    assert got(result) == want(
        sample,
        [
            ("policylint/duplicate-id", PEOPLE, "- id: p-watanabe-takuya", E),
            ("policylint/duplicate-id", ROLES, "- id: infra-lead", E),
        ],
    )


# ---------------------------------------------------------------------------------------------
# 3. registers and notices: incidents, laws, retention, warnings before use, support


REGISTER_SEEDS: list[Seed] = [
    (
        INCIDENTS,
        "detected_on: 2026-06-03\n    reported_on: 2026-06-03",
        "detected_on: 2026-06-04\n    reported_on: 2026-06-03",
    ),
    (INCIDENTS, "    closed_on: 2026-09-30\n", ""),
    (LEGAL, "law: 著作権法", "law: Copyright Act"),  # named in English: considered
    (LEGAL, "law: 不正競争防止法", "law: 営業秘密管理指針への対応"),  # no longer names the act
    (ASSETS, "country: US", "country: SG"),
    (RETENTION, "retention: 7y\n    media: magnetic", "retention: 7 years\n    media: magnetic"),
    (RETENTION, "retention: 5y\n    media: electronic", "retention: 五年\n    media: electronic"),
    (RETENTION, "category: audit-log\n    retention: 3y", "category: other\n    retention: 3y"),
    (RETENTION, "category: audit-log\n    retention: 18m", "category: other\n    retention: 18m"),
    (NOTICE, "consent_required: true", "consent_required: false"),
    (SUPPORT, "covers_partner_services: true", "covers_partner_services: false"),
    (DISCIPLINARY, None, None),
    (POLICY, 'version: "3.0"', 'version: "3.1"'),
    (PARTNER_PROC, "classification: internal\n", ""),
    (POLICY, "owner: ciso", "owner: cso"),
]
REGISTER_EXPECTED: list[Want] = [
    ("II.6.1.1/incident-records", INCIDENTS, "detected_on: 2026-06-04", E),
    ("II.6.1.1/incident-records", INCIDENTS, "- id: inc-2026-003", E),
    ("II.7.1.1/named-laws-considered", LEGAL, "kind: legal-register", W),
    ("II.7.1.1/foreign-jurisdiction", ASSETS, "country: SG", W),
    ("II.7.1.2/retention-schedule", RETENTION, "retention: 五年", E),
    ("II.7.1.2/retention-categories", RETENTION, "kind: records-retention", W),
    ("II.7.1.3/acceptable-use-notice", NOTICE, "banner:", E),
    ("II.7.1.3/consent", NOTICE, "consent_required:", W),
    ("II.8.1.1/support-policy", SUPPORT, "covers_partner_services:", E),
    ("II.5.2.2/disciplinary-procedure", CONFIG, None, E),
    ("II.1.1.2/revision-approved", POLICY, 'version: "3.1"', E),
    ("II.4.2.1/document-labelled", PARTNER_PROC, "kind: procedure", W),
    ("policylint/unresolved-reference", POLICY, "owner: cso", E),
]


def _empty_banner(root: Path) -> None:
    path = root / NOTICE
    text = re.sub(r"banner: \|\n(  .*\n)+", 'banner: ""\n', path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")


def test_register_scenario_each_fault_once(sample: Path, edit: Edit) -> None:
    seed(sample, REGISTER_SEEDS, edit)
    _empty_banner(sample)
    result = run_lint(sample)
    assert got(result) == want(sample, REGISTER_EXPECTED)
    assert message(result, "II.7.1.1/named-laws-considered", LEGAL) == (
        "the legal register has no entry for: Unfair Competition Prevention Act"
        " (add one even if it does not apply, with applies: false)"
    )
    assert message(result, "II.7.1.2/retention-categories", RETENTION) == (
        "the records retention schedule has no record of category: audit-log"
    )
    japanese = run_lint(sample, lang="ja")
    assert got(japanese) == got(result)
    jmessages = [d.message for d in japanese.active]
    assert "法令・規制台帳に次の法令の要素がありません: 不正競争防止法" in " ".join(jmessages)
    assert "懲戒手続（kind: disciplinary-procedure の文書）がありません" in jmessages
    assert any("所在国は SG ですが" in m for m in jmessages)


def test_retention_in_words_is_a_period(sample: Path, edit: Edit) -> None:
    for old, new in [
        ("retention: 10y", "retention: 10 years"),
        ("retention: 90d", "retention: 90日間"),
        ("retention: 18m", "retention: 18か月"),
        ("retention: 3y", "retention: 1 year and 6 months"),
        ("retention: 35d", "retention: ５週"),
    ]:
        edit(sample / RETENTION, old, new)
    assert got(run_lint(sample)) == []


# ---------------------------------------------------------------------------------------------
# 4. exceptions that no longer hold, beside one that does


def _exception(ident: str, target: str, approver: str, approved: str, expires: str) -> str:
    return (
        f"  - id: {ident}\n    check: II.4.1.1/asset-cia\n    target: {target}\n"
        f"    reason: 評価中\n    approved_by: {approver}\n"
        f"    approved_on: {approved}\n    expires_on: {expires}\n"
    )


EXCEPTION_SEEDS: list[Seed] = [
    (
        EXCEPTIONS,
        None,
        _exception("exc-expired", "as-laptops", "p-suzuki-daisuke", "2026-01-05", "2026-10-31")
        + _exception("exc-staff", "as-product-site", "p-kato-ryo", "2026-10-01", "2027-03-31")
        + _exception(
            "exc-long", "as-governance-docs", "p-suzuki-daisuke", "2026-10-01", "2027-11-01"
        )
        + _exception(
            "exc-slash", "as-support-tickets", "p-suzuki-daisuke", "2026/10/01", "2027-03-31"
        )
        + _exception("exc-ok", "as-app-servers", "p-sato-kenichi", "2026-10-01", "2027-09-30"),
    ),
]
CIA_ASSETS = ["as-laptops", "as-product-site", "as-governance-docs", "as-support-tickets"]


def _drop_cia(root: Path, asset: str) -> None:
    path = root / ASSETS
    text = path.read_text(encoding="utf-8")
    start = text.index(f"- id: {asset}\n")
    cia = text.index("    cia:", start)
    path.write_text(text[:cia] + text[text.index("\n", cia) + 1 :], encoding="utf-8")


def test_exception_scenario(sample: Path, edit: Edit) -> None:
    seed(sample, EXCEPTION_SEEDS, edit)
    for asset in [*CIA_ASSETS, "as-app-servers"]:
        _drop_cia(sample, asset)
    result = run_lint(sample)
    expected: list[Want] = [
        ("II.4.1.1/asset-cia", ASSETS, f"- id: {asset}", W) for asset in CIA_ASSETS
    ]
    expected += [
        ("policylint/exception-expired", EXCEPTIONS, "expires_on: 2026-10-31", E),
        ("policylint/exception-unapproved", EXCEPTIONS, "approved_by: p-kato-ryo", E),
        ("policylint/exception-unapproved", EXCEPTIONS, "expires_on: 2027-11-01", E),
        ("policylint/exception-unapproved", EXCEPTIONS, "- id: exc-slash", E),
        ("policylint/invalid-date", EXCEPTIONS, "approved_on: 2026/10/01", E),
    ]
    assert got(result) == want(sample, expected)
    suppressed = [(d.target, d.suppressed_by) for d in result.diagnostics if d.suppressed]
    assert ("as-app-servers", "exc-ok") in suppressed
    assert message(result, "policylint/exception-expired", EXCEPTIONS) == (
        "exception 'exc-expired' expired on 2026-10-31; the findings it covered are errors again"
    )
