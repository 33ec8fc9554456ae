"""One seeded violation per check of the rule pack: exact check, file and line, nothing else.

Each case copies sample-repo/ (clean at its as_of), applies a minimal mutation, and expects the
exact set of (check id, path, line) it causes, with lines found by ``line_of`` on the mutated
file. Every check of the pack appears here at least once (asserted by
``test_every_item_check_has_a_failing_case``); the clean sample is the passing fixture, and
``test_each_check_runs_and_is_silent_on_the_sample`` proves every check ran on it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from test_history import GIT_CHECKS

from policylint.rulepack import load_rulepack

from conftest import (
    ACCOUNT_PROC,
    ASSETS,
    CONF,
    DISCIPLINARY,
    GINKO_AUDIT,
    HR_REVIEW,
    INCIDENT_PROC,
    INCIDENTS,
    INFRA_REVIEW,
    KIZUNA_CTR,
    LEGAL,
    MAMORU_CTR,
    NOTICE,
    OFFBOARDING,
    PARTIES,
    PEOPLE,
    POLICY,
    RETENTION,
    ROLES,
    SAMPLE,
    SCHEME,
    SUPPORT,
    SUPPORT_REVIEW,
    SYSTEM_AUDIT,
    TSUNAGU_AUDIT,
    TSUNAGU_CTR,
    line_of,
    run_lint,
    triples,
)

Edit = Callable[[Path, str, str], None]
CONFIG = "policylint.yaml"
SESSIONS = "registers/training-sessions.yaml"
CHANGES = "registers/significant-changes.yaml"
DELETE = None


@dataclass(frozen=True)
class Case:
    """A mutation of the sample and the diagnostics it must cause.

    ``edits``: (path, old, new); ``new`` None deletes the file, ``old`` None appends ``new``.
    ``expect``: (check id, path, needle) — the line is that of ``needle`` in the mutated file
    (``None``: line 1, the repository-level anchor).
    """

    name: str
    edits: tuple[tuple[str, str | None, str | None], ...]
    expect: tuple[tuple[str, str, str | None], ...]
    message: str = ""
    severity: str = "error"
    extra: tuple[str, ...] = field(default=())


def drop_line(root: Path, rel: str, prefix: str) -> None:
    """Remove the first line that starts with ``prefix`` (after indentation)."""
    path = root / rel
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.lstrip().startswith(prefix):
            del lines[i]
            path.write_text("".join(lines), encoding="utf-8")
            return
    raise AssertionError(f"{prefix!r} not in {rel}")


C = Case
CASES: list[Case] = [
    # ── II.1.1.1 ────────────────────────────────────────────────────────────────────────────
    C(
        "no policy",
        ((POLICY, DELETE, DELETE),),
        (
            ("II.1.1.1/policy-exists", CONFIG, None),
            # the significant-changes register still names the deleted policy
            ("II.1.1.2/significant-change-review", CHANGES, "pol-information-security"),
        ),
        "no information security policy",
    ),
    C(
        "approver unknown",
        ((POLICY, "approved_by: p-sato-kenichi\n", "approved_by: p-nobody\n"),),
        (("II.1.1.1/policy-approved", POLICY, "approved_by: p-nobody"),),
        "approved_by 'p-nobody' is not a person in the people register",
    ),
    C(
        "approver not management",
        ((POLICY, "approved_by: p-sato-kenichi\n", "approved_by: p-kato-ryo\n"),),
        (("II.1.1.1/approver-is-management", POLICY, "approved_by: p-kato-ryo"),),
        "approved by 'p-kato-ryo', who holds no role with management: true",
    ),
    C(
        "policy lacks section f",
        (
            (POLICY, "## 6. 見直し及び継続的改善", "## 6. 附則"),
            (
                POLICY,
                "当社は、本方針及び関連する規程類を年1回以上",
                "本方針は制定日から施行する。\n\n",
            ),
        ),
        (("II.1.1.1/policy-sections", POLICY, "kind: policy"),),
        "has no section for: f) review and improvement",
        "warning",
    ),
    C(
        "policy not published to users",
        (
            (
                POLICY,
                "published_to: [employees, users, external-parties]",
                "published_to: [employees, external-parties]",
            ),
        ),
        (("II.1.1.1/policy-published", POLICY, "published_to:"),),
        "is not published to: users",
        "warning",
    ),
    C(
        "policy approved after the approver left",
        ((POLICY, "approved_by: p-sato-kenichi\n", "approved_by: p-kobayashi-hiroshi\n"),),
        (("II.1.1.1/approver-is-management", POLICY, "approved_by: p-kobayashi-hiroshi"),),
        "is approved on 2026-04-01 by 'p-kobayashi-hiroshi', who had left on 2021-03-31",
    ),
    C(
        "signature is a placeholder",
        (
            (
                POLICY,
                "signature: evidence/signatures/pol-information-security-v3.0.txt",
                "signature: TBD",
            ),
        ),
        (("II.1.1.1/policy-approved", POLICY, "signature: TBD"),),
        "signature 'TBD' is a placeholder, not evidence of a signature",
    ),
    C(
        "signature says neither who nor when",
        (
            (
                POLICY,
                "signature: evidence/signatures/pol-information-security-v3.0.txt",
                "signature: 署名済み（原本は総務部で保管）",
            ),
        ),
        (("II.1.1.1/policy-approved", POLICY, "signature: 署名済み"),),
        "does not say who signed and when",
    ),
    C(
        "the only policy is a draft",
        ((POLICY, "status: effective", "status: draft"),),
        (("II.1.1.1/policy-exists", POLICY, "status: draft"),),
        "the only information security policy, 'pol-information-security', has status: draft",
    ),
    # ── II.1.1.2 ────────────────────────────────────────────────────────────────────────────
    C(
        "policy review overdue",
        ((POLICY, "last_reviewed: 2026-09-30", "last_reviewed: 2025-09-30"),),
        (("II.1.1.2/policy-review-due", POLICY, "last_reviewed:"),),
        "was due for review on 2026-09-30",
    ),
    C(
        "version is not the latest revision",
        ((POLICY, 'version: "3.0"', 'version: "3.1"'),),
        (("II.1.1.2/revision-approved", POLICY, 'version: "3.1"'),),
        "is version 3.1 but its latest revision is 3.0",
    ),
    C(
        "revision approved before its approver was management",
        (
            (
                POLICY,
                "    approved_by: p-kobayashi-hiroshi",
                "    approved_by: p-suzuki-daisuke",
            ),
        ),
        (("II.1.1.2/revision-approved", POLICY, "    approved_by: p-suzuki-daisuke"),),
        "revision 1 is approved on 2019-04-01 by 'p-suzuki-daisuke', who did not hold a "
        "management role on that date (management roles held: ciso (2019-10-01 – …))",
    ),
    C(
        "policy approved before its latest revision",
        ((POLICY, "approved_on: 2026-04-01", "approved_on: 2026-03-01"),),
        (("II.1.1.2/revision-approved", POLICY, "approved_on: 2026-03-01"),),
        "was approved on 2026-03-01, before its latest revision 3.0 of 2026-04-01",
    ),
    C(
        "policy not reviewed after a significant change",
        ((POLICY, "last_reviewed: 2026-09-30", "last_reviewed: 2026-03-01"),),
        (("II.1.1.2/significant-change-review", POLICY, "last_reviewed: 2026-03-01"),),
        "was last reviewed on 2026-03-01, before the significant change "
        "'chg-2026-04-offsite-backup' of 2026-04-01 (technical); its review was due by 2026-06-30",
    ),
    C(
        "significant change names no document",
        (
            (
                CHANGES,
                "affects: [confidentiality-requirements, procedure]",
                "affects: [confidentiality-requirements, procedure, pol-securty]",
            ),
        ),
        (("II.1.1.2/significant-change-review", CHANGES, "pol-securty"),),
        "affects 'pol-securty' names no document and no document kind",
    ),
    # ── II.2.1.1 ────────────────────────────────────────────────────────────────────────────
    C(
        "required role missing",
        (
            (
                CONFIG,
                None,
                "checks:\n  II.2.1.1/roles-defined: {required_roles: [cio, ciso, cfo]}\n",
            ),
        ),
        (("II.2.1.1/roles-defined", ROLES, "kind: roles"),),
        "the required role 'cfo' is not defined",
    ),
    C(
        "role without holder",
        (
            (
                ROLES,
                "    holder: p-ito-yumi\n    management: false\n    responsibilities: 個人情報",
                "    management: false\n    responsibilities: 個人情報",
            ),
        ),
        (("II.2.1.1/roles-defined", ROLES, "- id: dpo"),),
        "role 'dpo' has no holder",
    ),
    C(
        "role holder unknown",
        ((ROLES, "holder: p-ito-yumi", "holder: p-ghost"),),
        (("II.2.1.1/roles-defined", ROLES, "holder: p-ghost"),),
        "holder 'p-ghost' is not a person",
    ),
    C(
        "required role held by someone on leave",
        ((ROLES, "holder: p-suzuki-daisuke", "holder: p-yoshida-mai"),),
        (("II.2.1.1/roles-defined", ROLES, "holder: p-yoshida-mai"),),
        "role 'ciso' is held by 'p-yoshida-mai', who is not active (status: on-leave)",
    ),
    # ── II.2.1.2 ────────────────────────────────────────────────────────────────────────────
    C(
        "no confidentiality requirements",
        ((CONF, DELETE, DELETE),),
        (("II.2.1.2/confidentiality-documented", CONFIG, None),),
        "no confidentiality requirements for staff",
    ),
    C(
        "confidentiality review overdue",
        ((CONF, "last_reviewed: 2026-09-30", "last_reviewed: 2025-10-01"),),
        (("II.2.1.2/confidentiality-documented", CONF, "last_reviewed:"),),
        "were due for review on 2026-10-01",
    ),
    C(
        "confidentiality review due soon",
        (
            (CHANGES, DELETE, DELETE),  # no significant change to review it after
            (CONF, "last_reviewed: 2026-09-30", "last_reviewed: 2025-11-20"),
        ),
        (("II.2.1.2/confidentiality-documented", CONF, "last_reviewed:"),),
        "are due for review on 2026-11-20, in 19 days",
        "warning",
    ),
    C(
        "confidentiality owner unknown",
        ((CONF, "owner: hr-manager", "owner: nobody"),),
        (("II.2.1.2/confidentiality-documented", CONF, "owner: nobody"),),
        "owner 'nobody' is neither a role nor a person",
    ),
    C(
        "confidentiality requirements not reviewed after a reorganisation",
        ((CONF, "last_reviewed: 2026-09-30", "last_reviewed: 2026-06-01"),),
        (("II.2.1.2/significant-change-review", CONF, "last_reviewed: 2026-06-01"),),
        "was last reviewed on 2026-06-01, before the significant change 'chg-2026-07-support-desk'",
    ),
    C(
        "review after a significant change still in its grace period",
        (
            (CONF, "last_reviewed: 2026-09-30", "last_reviewed: 2026-06-01"),
            (CHANGES, "    date: 2026-07-01", "    date: 2026-09-15"),
        ),
        (("II.2.1.2/significant-change-review", CONF, "last_reviewed: 2026-06-01"),),
        "must be reviewed by 2026-12-14, in 43 days, after the significant change",
        "warning",
    ),
    # ── II.2.1.3 ────────────────────────────────────────────────────────────────────────────
    C(
        "no standard or procedure",
        tuple(
            (p, DELETE, DELETE)
            for p in (
                ACCOUNT_PROC,
                "procedures/backup-restore.md",
                "procedures/partner-management.md",
                "standards/access-control-standard.md",
                "standards/information-handling-standard.md",
            )
        ),
        (
            ("II.2.1.3/procedures-documented", CONFIG, None),
            # the significant-changes register still names the deleted standard
            ("II.1.1.2/significant-change-review", CHANGES, "std-information-handling"),
        ),
        "no standard or procedure",
    ),
    C(
        "procedure without owner",
        ((ACCOUNT_PROC, "owner: infra-lead\n", ""),),
        (("II.2.1.3/procedures-documented", ACCOUNT_PROC, "kind: procedure"),),
        "procedure 'proc-account-management' has no owner",
    ),
    C(
        "procedure review overdue",
        ((ACCOUNT_PROC, "last_reviewed: 2026-09-16", "last_reviewed: 2025-08-01"),),
        (("II.2.1.3/procedures-documented", ACCOUNT_PROC, "last_reviewed:"),),
        "was due for review on 2026-08-01",
    ),
    C(
        "procedure not reviewed after a significant change",
        ((ACCOUNT_PROC, "last_reviewed: 2026-09-16", "last_reviewed: 2026-05-01"),),
        (("II.2.1.3/significant-change-review", ACCOUNT_PROC, "last_reviewed: 2026-05-01"),),
        "procedure 'proc-account-management' was last reviewed on 2026-05-01",
    ),
    # ── II.2.2.1 ────────────────────────────────────────────────────────────────────────────
    C(
        "no external party listed",
        ((PARTIES, DELETE, DELETE), (PARTIES, None, "kind: external-parties\nitems: []\n")),
        (
            ("II.2.2.1/external-parties-register", PARTIES, "kind: external-parties"),
            *(
                ("policylint/unresolved-reference", f"contracts/{name}.md", "counterparty:")
                for name in (
                    "datacenter-higashi",
                    "datacenter-northstar",
                    "nda-tsubasa-consulting",
                    "outsourcing-hikari-dev",
                    "partner-saas-ginko-link",
                    "partner-saas-tsunagu-ts",
                    "security-mamoru",
                    "telecom-kizuna",
                )
            ),
            ("II.3.1.2/partner-audit", GINKO_AUDIT, "subject:"),
            ("II.3.1.2/partner-audit", TSUNAGU_AUDIT, "subject:"),
            # assets name the parties that host them: none is registered any more
            ("II.2.2.1/asset-hosts", ASSETS, "hosted_by: [ep-higashi-dc]"),
            ("II.2.2.1/asset-hosts", ASSETS, "hosted_by: [ep-higashi-dc, ep-mamoru-sec]"),
            ("II.2.2.1/asset-hosts", ASSETS, "hosted_by: [ep-northstar-cloud]"),
            ("II.2.2.1/asset-hosts", ASSETS, "# ハウジング"),
        ),
        "the external-parties register lists no party",
    ),
    C(
        "party without controls",
        ((PARTIES, "    controls:\n      - 保険金請求時", "    notes:\n      - 保険金請求時"),),
        (("II.2.2.1/external-party-risks", PARTIES, "- id: ep-mirai-sonpo"),),
        "external party 'ep-mirai-sonpo' does not record its controls",
    ),
    C(
        "party without access",
        ((PARTIES, "    access: [none]\n", ""),),
        (("II.2.2.1/external-party-access", PARTIES, "- id: ep-mirai-sonpo"),),
        "does not declare its access",
        "warning",
    ),
    # ── II.2.2.2 ────────────────────────────────────────────────────────────────────────────
    C(
        "party with access but no contract",
        ((PARTIES, "    contract: ctr-telecom-kizuna\n", ""),),
        (("II.2.2.2/contract-exists", PARTIES, "- id: ep-kizuna-net"),),
        "external party 'ep-kizuna-net' has access but names no contract",
    ),
    C(
        "contract does not exist",
        ((PARTIES, "contract: ctr-telecom-kizuna", "contract: ctr-telecom-nope"),),
        (("II.2.2.2/contract-exists", PARTIES, "contract: ctr-telecom-nope"),),
        "contract 'ctr-telecom-nope' does not exist",
    ),
    C(
        "contract names a procedure",
        ((PARTIES, "contract: ctr-telecom-kizuna", "contract: proc-backup-restore"),),
        (("II.2.2.2/contract-exists", PARTIES, "contract: proc-backup-restore"),),
        "'proc-backup-restore' is a procedure, not a contract document",
    ),
    C(
        "contract made with another party",
        ((PARTIES, "contract: ctr-telecom-kizuna", "contract: ctr-nda-tsubasa"),),
        (("II.2.2.2/contract-exists", PARTIES, "contract: ctr-nda-tsubasa"),),
        "is made with 'ep-tsubasa-consulting', not with this party",
    ),
    C(
        "contract scope misses admin terminals",
        (
            (
                MAMORU_CTR,
                "access_scope: [external-network, admin-terminal]",
                "access_scope: [external-network]",
            ),
        ),
        (
            (
                "II.2.2.2/contract-access-scope",
                PARTIES,
                "access: [external-network, admin-terminal]",
            ),
        ),
        "has access the contract 'ctr-sec-mamoru' does not cover: admin-terminal",
    ),
    C(
        "contract without access scope",
        ((KIZUNA_CTR, "access_scope: [external-network]\n", ""),),
        (("II.2.2.2/contract-access-scope", KIZUNA_CTR, "kind: contract"),),
        "contract 'ctr-telecom-kizuna' (with 'ep-kizuna-net') does not define the scope",
    ),
    C(
        "contract never signed",
        ((KIZUNA_CTR, "signed_on: 2023-04-01\n", ""),),
        (("II.2.2.2/contract-signed", KIZUNA_CTR, "kind: contract"),),
        "contract 'ctr-telecom-kizuna' has no signed_on: a contract never signed gives no coverage "
        "(named by: ep-kizuna-net)",
    ),
    C(
        "contract without counterparty",
        ((KIZUNA_CTR, "counterparty: ep-kizuna-net\n", ""),),
        (("II.2.2.2/contract-signed", KIZUNA_CTR, "kind: contract"),),
        "contract 'ctr-telecom-kizuna' does not name its counterparty",
    ),
    C(
        "partner covered by an NDA alone",
        ((TSUNAGU_CTR, "contract_type: partner-saas", "contract_type: nda"),),
        (("II.2.2.2/contract-type-fits", PARTIES, "contract: ctr-saas-tsunagu-ts"),),
        "external party 'ep-tsunagu-ts' (type partner-saas) is covered by contract "
        "'ctr-saas-tsunagu-ts' of type nda",
    ),
    C(
        "asset hosted by an unregistered party",
        ((ASSETS, "hosted_by: [ep-northstar-cloud]", "hosted_by: [ep-skyvault]"),),
        (("II.2.2.1/asset-hosts", ASSETS, "hosted_by: [ep-skyvault]"),),
        "asset 'as-backup-offsite' is hosted by 'ep-skyvault', which is not a party",
    ),
    C(
        "asset hosted by a party with no access",
        ((ASSETS, "hosted_by: [ep-northstar-cloud]", "hosted_by: [ep-mirai-sonpo]"),),
        (("II.2.2.1/asset-hosts", ASSETS, "hosted_by: [ep-mirai-sonpo]"),),
        "asset 'as-backup-offsite' is hosted by 'ep-mirai-sonpo', which declares no access",
    ),
    # ── II.3.1.1 ────────────────────────────────────────────────────────────────────────────
    C(
        "partner contract without SLA",
        ((TSUNAGU_CTR, "sla:\n", "service_levels:\n"),),
        (("II.3.1.1/partner-sla", TSUNAGU_CTR, "kind: contract"),),
        "contract 'ctr-saas-tsunagu-ts' with partner 'ep-tsunagu-ts' lacks sla",
    ),
    C(
        "partner without access and without contract",
        (
            (
                PARTIES,
                "    access: [external-network]\n    risks:\n      - 連携サービスの障害",
                "    access: [none]\n    risks:\n      - 連携サービスの障害",
            ),
            (PARTIES, "    contract: ctr-saas-ginko-link\n", ""),
        ),
        (("II.3.1.1/partner-sla", PARTIES, "- id: ep-ginko-link"),),
        "partner 'ep-ginko-link' names no contract",
    ),
    C(
        "partner contract expired",
        ((TSUNAGU_CTR, "expires_on: 2027-12-31", "expires_on: 2026-10-31"),),
        (("II.3.1.1/contract-expiry", TSUNAGU_CTR, "expires_on:"),),
        "contract 'ctr-saas-tsunagu-ts' with 'ep-tsunagu-ts' expired on 2026-10-31",
    ),
    C(
        "contract expires within 60 days",
        ((TSUNAGU_CTR, "expires_on: 2027-12-31", "expires_on: 2026-12-15"),),
        (("II.3.1.1/contract-expiry", TSUNAGU_CTR, "expires_on:"),),
        "expires on 2026-12-15, in 44 days",
        "warning",
    ),
    # ── II.3.1.2 ────────────────────────────────────────────────────────────────────────────
    C(
        "partner reports not reviewed for 3 months",
        ((PARTIES, "reports_reviewed_on: 2026-10-15", "reports_reviewed_on: 2026-07-15"),),
        (("II.3.1.2/partner-report-review", PARTIES, "reports_reviewed_on: 2026-07-15"),),
        "partner 'ep-ginko-link': the review of its service reports was due on 2026-10-15",
    ),
    C(
        "partner report review due soon",
        ((PARTIES, "reports_reviewed_on: 2026-10-15", "reports_reviewed_on: 2026-08-20"),),
        (("II.3.1.2/partner-report-review", PARTIES, "reports_reviewed_on: 2026-08-20"),),
        "is due on 2026-11-20, in 19 days",
        "warning",
    ),
    C(
        "partner never audited",
        ((TSUNAGU_AUDIT, DELETE, DELETE),),
        (("II.3.1.2/partner-audit", PARTIES, "- id: ep-tsunagu-ts"),),
        "partner 'ep-tsunagu-ts' has never been audited",
    ),
    C(
        "partner audit overdue",
        ((GINKO_AUDIT, "date: 2026-08-20", "date: 2025-10-20"),),
        (("II.3.1.2/partner-audit", PARTIES, "- id: ep-ginko-link"),),
        "the last audit ar-2026-partner-ginko-link is dated 2025-10-20; the next was due on "
        "2026-10-20",
    ),
    C(
        "partner audit of an unknown subject",
        ((GINKO_AUDIT, "subject: ep-ginko-link", "subject: ep-ginko"),),
        (
            ("II.3.1.2/partner-audit", GINKO_AUDIT, "subject: ep-ginko"),
            ("II.3.1.2/partner-audit", PARTIES, "- id: ep-ginko-link"),
        ),
        "subject 'ep-ginko' is not a party",
    ),
    # ── II.4.1.1 ────────────────────────────────────────────────────────────────────────────
    C(
        "no asset register",
        ((ASSETS, DELETE, DELETE),),
        (
            ("II.4.1.1/asset-register", CONFIG, None),
            # the exception for an asset of the deleted register now matches nothing
            ("policylint/stale-exception", "registers/exceptions.yaml", "target: as-employee"),
        ),
        "no asset register",
    ),
    C(
        "asset owner unknown",
        ((ASSETS, "owner: support-lead", "owner: support-team"),),
        (("II.4.1.1/asset-owner", ASSETS, "owner: support-team"),),
        "owner 'support-team' is neither a role nor a person",
    ),
    C(
        "asset acceptable use without return",
        ((ASSETS, "      return: 閲覧後は当日中にキャビネットへ返却・施錠する\n", ""),),
        (("II.4.1.1/asset-acceptable-use", ASSETS, "- id: as-employee-records"),),
        "asset 'as-employee-records' does not document its acceptable use: acceptable_use.return",
    ),
    C(
        "asset without backup",
        ((ASSETS, "    backup: ソースを Git で管理し再構築可能\n", ""),),
        (("II.4.1.1/asset-inventory-fields", ASSETS, "- id: as-product-site"),),
        "asset 'as-product-site' lacks inventory details: backup",
        "warning",
    ),
    C(
        "asset without cia",
        ((ASSETS, "    cia: {confidentiality: 1, integrity: 2, availability: 1}\n", ""),),
        (("II.4.1.1/asset-cia", ASSETS, "- id: as-product-site"),),
        "has no protection level for: cia.confidentiality",
        "warning",
    ),
    # ── II.4.2.1 ────────────────────────────────────────────────────────────────────────────
    C(
        "scheme with too few levels (configured)",
        ((CONFIG, None, "checks:\n  II.4.2.1/classification-scheme: {min_items: 5}\n"),),
        (("II.4.2.1/classification-scheme", SCHEME, "kind: classification-scheme"),),
        "the classification scheme has 4 level(s); at least 5 are needed",
    ),
    C(
        "asset without classification",
        ((ASSETS, "    classification: public\n", ""),),
        (("II.4.2.1/asset-classified", ASSETS, "- id: as-product-site"),),
        "asset 'as-product-site' has no classification",
    ),
    C(
        "level without disposal",
        (
            (
                SCHEME,
                "      disposal: 公開終了時に公開サーバから削除し、"
                "旧版は文書管理システムに保管する。\n",
                "",
            ),
        ),
        (("II.4.2.1/handling-procedures", SCHEME, "- id: public"),),
        "classification level 'public' does not define handling for: handling.disposal",
        "warning",
    ),
    C(
        "scheme too complex (configured)",
        ((CONFIG, None, "checks:\n  II.4.2.1/scheme-complexity: {max: 3}\n"),),
        (("II.4.2.1/scheme-complexity", SCHEME, "kind: classification-scheme"),),
        "the classification scheme has 4 levels; more than 3",
        "warning",
    ),
    C(
        "document without label",
        (("standards/access-control-standard.md", "classification: internal\n", ""),),
        (("II.4.2.1/document-labelled", "standards/access-control-standard.md", "kind: standard"),),
        "standard 'std-access-control' has no classification label",
        "warning",
    ),
    C(
        "document label not a level",
        (
            (
                "standards/access-control-standard.md",
                "classification: internal",
                "classification: restricted",
            ),
        ),
        (
            (
                "II.4.2.1/document-labelled",
                "standards/access-control-standard.md",
                "classification: restricted",
            ),
        ),
        "classification 'restricted' is not a level",
        "warning",
    ),
    # ── II.4.3.1 ────────────────────────────────────────────────────────────────────────────
    C(
        "owner never reviewed",
        ((SUPPORT_REVIEW, DELETE, DELETE),),
        (("II.4.3.1/owner-review", ASSETS, "owner: support-lead"),),
        "asset owner 'support-lead' (of as-support-tickets, as-product-site) has no review-record",
    ),
    C(
        "owner review overdue",
        ((INFRA_REVIEW, "date: 2026-08-19", "date: 2025-10-15"),),
        (("II.4.3.1/owner-review", ASSETS, "owner: infra-lead"),),
        "asset owner 'infra-lead': the last review rr-2026-infra is dated 2025-10-15; the next was "
        "due on 2026-10-15",
    ),
    C(
        "owner review due soon",
        ((INFRA_REVIEW, "date: 2026-08-19", "date: 2025-11-20"),),
        (("II.4.3.1/owner-review", ASSETS, "owner: infra-lead"),),
        "the next review is due on 2026-11-20, in 19 days",
        "warning",
    ),
    C(
        "review without scope",
        ((SUPPORT_REVIEW, "scope: [as-support-tickets, as-product-site]\n", ""),),
        (
            ("II.4.3.1/review-recorded", SUPPORT_REVIEW, "kind: review-record"),
            # without a scope the review covers none of the owner's assets
            ("II.4.3.1/owner-review", ASSETS, "owner: support-lead"),
        ),
        "review record 'rr-2026-support' does not record its scope",
        "warning",
    ),
    C(
        "review without reviewer",
        ((SUPPORT_REVIEW, "reviewer: support-lead\n", ""),),
        (
            ("II.4.3.1/owner-review", SUPPORT_REVIEW, "kind: review-record"),
            ("II.4.3.1/owner-review", ASSETS, "owner: support-lead"),
        ),
        "review record 'rr-2026-support' does not name its reviewer",
    ),
    # ── II.4.3.2 ────────────────────────────────────────────────────────────────────────────
    C(
        "no system audit",
        ((SYSTEM_AUDIT, DELETE, DELETE),),
        (("II.4.3.2/system-audit", CONFIG, None),),
        "no system audit was found",
    ),
    C(
        "system audit overdue",
        ((SYSTEM_AUDIT, "date: 2026-07-15", "date: 2025-09-15"),),
        (("II.4.3.2/system-audit", SYSTEM_AUDIT, "date: 2025-09-15"),),
        "the last system audit 'ar-2026-system' is dated 2025-09-15; the next was due on "
        "2026-09-15",
    ),
    C(
        "system audit without date",
        ((SYSTEM_AUDIT, "date: 2026-07-15\n", ""),),
        (("II.4.3.2/system-audit", SYSTEM_AUDIT, "kind: audit-record"),),
        "system audit record 'ar-2026-system' has no date",
    ),
    C(
        "auditor qualification missing",
        ((SYSTEM_AUDIT, "auditor_qualification: ", "auditor_background: "),),
        (("II.4.3.2/auditor-qualified", SYSTEM_AUDIT, "kind: audit-record"),),
        "audit record 'ar-2026-system' does not name auditor_qualification",
        "warning",
    ),
    # ── II.5.1.1 ────────────────────────────────────────────────────────────────────────────
    C(
        "security terms agreed after hiring",
        ((PEOPLE, "security_terms_agreed_on: 2022-03-10", "security_terms_agreed_on: 2022-04-10"),),
        (("II.5.1.1/security-terms-agreed", PEOPLE, "security_terms_agreed_on: 2022-04-10"),),
        "person 'p-kato-ryo' agreed to the security terms on 2022-04-10, 9 days after being "
        "hired on 2022-04-01",
    ),
    C(
        "security terms never agreed",
        ((PEOPLE, "    security_terms_agreed_on: 2022-03-10\n", ""),),
        (("II.5.1.1/security-terms-agreed", PEOPLE, "- id: p-kato-ryo"),),
        "person 'p-kato-ryo' has no security_terms_agreed_on",
    ),
    C(
        "nda after access",
        ((PEOPLE, "nda_signed_on: 2022-04-01", "nda_signed_on: 2022-04-20"),),
        (("II.5.1.1/nda-before-access", PEOPLE, "nda_signed_on: 2022-04-20"),),
        "signed the NDA on 2022-04-20, 19 days after getting access on 2022-04-01",
        "warning",
    ),
    # ── II.5.2.1 ────────────────────────────────────────────────────────────────────────────
    C(
        "training overdue",
        (
            (
                PEOPLE,
                "        completed_on: 2026-06-12\n"
                "      - course: 標的型攻撃メール訓練（2026年度上期）\n"
                "        completed_on: 2026-08-07",
                "        completed_on: 2025-06-12\n"
                "      - course: 標的型攻撃メール訓練（2026年度上期）\n"
                "        completed_on: 2025-08-07",
            ),
        ),
        (("II.5.2.1/training-current", PEOPLE, "completed_on: 2025-08-07"),),
        "person 'p-watanabe-takuya': the last training (標的型攻撃メール訓練（2026年度上期）) was "
        "completed on 2025-08-07; the next was due on 2026-08-07",
    ),
    C(
        "no training at all",
        (
            (
                PEOPLE,
                "    trainings:\n      - course: 情報セキュリティ年次研修（2026年度）\n"
                "        completed_on: 2026-06-19\n      - course: セキュアコーディング研修\n"
                "        completed_on: 2026-09-11\n\n  - id: p-yoshida-mai",
                "    trainings: []\n\n  - id: p-yoshida-mai",
            ),
        ),
        (("II.5.2.1/training-current", PEOPLE, "- id: p-kato-ryo"),),
        "person 'p-kato-ryo' has no completed security training on record",
    ),
    C(
        "only courses that are not security training",
        (
            (
                PEOPLE,
                "      - course: 情報セキュリティ年次研修（2026年度）\n"
                "        completed_on: 2026-06-12\n"
                "      - course: 個人情報保護研修（2026年度）\n"
                "        completed_on: 2026-07-10\n\n  - id: p-yamada",
                "      - course: ビジネスマナー研修\n        completed_on: 2026-06-12\n\n"
                "  - id: p-yamada",
            ),
        ),
        (("II.5.2.1/training-current", PEOPLE, "- course: ビジネスマナー研修"),),
        "person 'p-inoue-sakura' completed no security course: ビジネスマナー研修 are not "
        "security training",
    ),
    C(
        "new joiner trained after the period",
        (
            (PEOPLE, "    hired_on: 2026-10-20", "    hired_on: 2026-09-01"),
            (
                PEOPLE,
                "    security_terms_agreed_on: 2026-10-05",
                "    security_terms_agreed_on: 2026-08-25",
            ),
            (
                PEOPLE,
                "    nda_signed_on: 2026-10-20\n    access_granted_on: 2026-10-20",
                "    nda_signed_on: 2026-09-01\n    access_granted_on: 2026-09-01",
            ),
        ),
        (("II.5.2.1/training-current", "registers/training-sessions.yaml", "date: 2026-10-28"),),
        "joined on 2026-09-01 but was first trained on 2026-10-28",
    ),
    # ── II.5.2.2 ────────────────────────────────────────────────────────────────────────────
    C(
        "no disciplinary procedure",
        (("procedures/disciplinary.md", DELETE, DELETE),),
        (("II.5.2.2/disciplinary-procedure", CONFIG, None),),
        "no disciplinary procedure",
    ),
    C(
        "disciplinary procedure review overdue",
        (("procedures/disciplinary.md", "last_reviewed: 2026-09-30", "last_reviewed: 2025-06-30"),),
        (("II.5.2.2/disciplinary-procedure", "procedures/disciplinary.md", "last_reviewed:"),),
        "disciplinary procedure 'proc-disciplinary' was due for review on 2026-06-30",
    ),
    # ── II.5.3.1 ────────────────────────────────────────────────────────────────────────────
    C(
        "no offboarding procedure",
        ((OFFBOARDING, DELETE, DELETE),),
        (("II.5.3.1/offboarding-procedure", CONFIG, None),),
        "no offboarding procedure",
    ),
    C(
        "offboarding procedure without checklist",
        ((OFFBOARDING, "checklist:\n", "steps:\n"),),
        (("II.5.3.1/offboarding-procedure", OFFBOARDING, "kind: offboarding-procedure"),),
        "offboarding procedure 'proc-offboarding' has no checklist",
    ),
    C(
        "access revoked a week late",
        ((PEOPLE, "access_revoked_on: 2025-12-16", "access_revoked_on: 2025-12-22"),),
        (("II.5.3.1/access-revoked", PEOPLE, "access_revoked_on: 2025-12-22"),),
        "access was revoked on 2025-12-22, 7 days after leaving on 2025-12-15 (at most 1 allowed)",
    ),
    C(
        "access revocation not recorded",
        ((PEOPLE, "    access_revoked_on: 2025-12-16\n", ""),),
        (("II.5.3.1/access-revoked", PEOPLE, "- id: p-matsumoto-jun"),),
        "person 'p-matsumoto-jun' has left but has no access_revoked_on",
    ),
    C(
        "role held by a leaver",
        ((ROLES, "holder: p-ito-yumi", "holder: p-sasaki-tomoko"),),
        (("II.5.3.1/no-duties-after-termination", ROLES, "holder: p-sasaki-tomoko"),),
        "role 'dpo' is still held by 'p-sasaki-tomoko', who left on 2026-03-31",
    ),
    C(
        "required role held by a leaver",
        ((ROLES, "holder: p-suzuki-daisuke", "holder: p-matsumoto-jun"),),
        (("II.5.3.1/no-duties-after-termination", ROLES, "holder: p-matsumoto-jun"),),
        "role 'ciso' is still held by 'p-matsumoto-jun', who left on 2025-12-15",
    ),
    C(
        "leaver keeps roles",
        (
            (
                PEOPLE,
                "    roles: []\n    status: terminated\n    hired_on: 2021",
                "    roles: [dpo]\n    status: terminated\n    hired_on: 2021",
            ),
        ),
        (("II.5.3.1/no-duties-after-termination", PEOPLE, "roles: [dpo]"),),
        "person 'p-matsumoto-jun' left on 2025-12-15 but still lists roles: dpo",
    ),
    C(
        "document owned by a leaver",
        ((ACCOUNT_PROC, "owner: infra-lead", "owner: p-matsumoto-jun"),),
        (("II.5.3.1/no-duties-after-termination", ACCOUNT_PROC, "owner: p-matsumoto-jun"),),
        "procedure 'proc-account-management' is owned by 'p-matsumoto-jun', who left on 2025-12-15",
    ),
    C(
        "incident contact is a leaver",
        ((INCIDENT_PROC, "contact: ciso", "contact: p-sasaki-tomoko"),),
        (("II.5.3.1/no-duties-after-termination", INCIDENT_PROC, "contact: p-sasaki-tomoko"),),
        "the contact 'p-sasaki-tomoko' left on 2026-03-31",
    ),
    C(
        "review signed by a leaver after leaving",
        ((HR_REVIEW, "reviewer: p-ito-yumi", "reviewer: p-sasaki-tomoko"),),
        (
            ("II.5.3.1/no-duties-after-termination", HR_REVIEW, "reviewer: p-sasaki-tomoko"),
            ("II.4.3.1/owner-review", ASSETS, "owner: hr-manager"),
        ),
        "names 'p-sasaki-tomoko' as reviewer, who left on 2026-03-31",
    ),
    C(
        "register owned by a leaver",
        ((PEOPLE, "owner: hr-manager", "owner: p-matsumoto-jun"),),
        (("II.5.3.1/no-duties-after-termination", PEOPLE, "owner: p-matsumoto-jun"),),
        "the people register registers/people.yaml is owned by 'p-matsumoto-jun'",
    ),
    C(
        "assets not returned",
        ((PEOPLE, "    assets_returned_on: 2025-12-15\n", ""),),
        (("II.5.3.1/assets-returned", PEOPLE, "- id: p-matsumoto-jun"),),
        "person 'p-matsumoto-jun' has left but the return of their assets is not recorded",
        "warning",
    ),
    C(
        "shared secrets not rotated",
        ((PEOPLE, "    shared_secrets_rotated_on: 2026-04-01\n", ""),),
        (("II.5.3.1/shared-secrets-rotated", PEOPLE, "- id: p-sasaki-tomoko"),),
        "person 'p-sasaki-tomoko' knew shared secrets",
        "warning",
    ),
    C(
        "leaver whose status still says active",
        (
            (
                PEOPLE,
                "    status: terminated\n    hired_on: 2021-01-12",
                "    status: active  # not updated\n    hired_on: 2021-01-12",
            ),
        ),
        (("II.5.3.1/person-status", PEOPLE, "# not updated"),),
        "person 'p-matsumoto-jun' left on 2025-12-15 but status is still active",
    ),
    C(
        "leaver by date is checked like any leaver",
        (
            (
                PEOPLE,
                "    status: terminated\n    hired_on: 2021-01-12",
                "    status: active  # not updated\n    hired_on: 2021-01-12",
            ),
            (PEOPLE, "    access_revoked_on: 2025-12-16\n", ""),
        ),
        (
            ("II.5.3.1/person-status", PEOPLE, "# not updated"),
            ("II.5.3.1/access-revoked", PEOPLE, "- id: p-matsumoto-jun"),
        ),
        "person 'p-matsumoto-jun' left on 2025-12-15 but status is still active",
    ),
    C(
        "person without status",
        (
            (
                PEOPLE,
                "    status: active\n    hired_on: 2023-07-03\n"
                "    security_terms_agreed_on: 2023-06-20",
                "    hired_on: 2023-07-03\n    security_terms_agreed_on: 2023-06-20",
            ),
        ),
        (("II.5.3.1/person-status", PEOPLE, "- id: p-inoue-sakura"),),
        "person 'p-inoue-sakura' has no status",
    ),
    C(
        "access revoked before it was granted",
        ((PEOPLE, "access_revoked_on: 2025-12-16", "access_revoked_on: 2020-12-16"),),
        (("II.5.3.1/access-revoked", PEOPLE, "access_revoked_on: 2020-12-16"),),
        "access_revoked_on 2020-12-16 is before access was granted on 2021-01-12",
    ),
    C(
        "shared secrets changed before the person left",
        (
            (
                PEOPLE,
                "shared_secrets_rotated_on: 2026-04-01",
                "shared_secrets_rotated_on: 2026-01-10",
            ),
        ),
        (("II.5.3.1/shared-secrets-rotated", PEOPLE, "shared_secrets_rotated_on: 2026-01-10"),),
        "the shared secrets were changed on 2026-01-10, 80 days before they left on 2026-03-31",
        "warning",
    ),
    # ── II.6.1.1 ────────────────────────────────────────────────────────────────────────────
    C(
        "no incident procedure",
        ((INCIDENT_PROC, DELETE, DELETE),),
        (("II.6.1.1/incident-procedure", CONFIG, None),),
        "no incident procedure",
    ),
    C(
        "incident contact unknown",
        ((INCIDENT_PROC, "contact: ciso", "contact: security-team"),),
        (("II.6.1.1/incident-procedure", INCIDENT_PROC, "contact: security-team"),),
        "contact 'security-team' is neither a role nor a person",
    ),
    C(
        "incident phases lack partial recovery",
        (
            (
                INCIDENT_PROC,
                "phases: [report, triage, partial-recovery, full-recovery",
                "phases: [report, triage, full-recovery",
            ),
        ),
        (("II.6.1.1/incident-phases", INCIDENT_PROC, "phases:"),),
        "has no phase for: partial-recovery",
        "warning",
    ),
    C(
        "closed incident without closed_on",
        ((INCIDENTS, "    closed_on: 2026-09-30\n", ""),),
        (("II.6.1.1/incident-records", INCIDENTS, "- id: inc-2026-003"),),
        "incident 'inc-2026-003' does not record closed_on",
    ),
    C(
        "incident detected after it was reported",
        ((INCIDENTS, "detected_on: 2026-09-18", "detected_on: 2026-09-20"),),
        (("II.6.1.1/incident-records", INCIDENTS, "detected_on: 2026-09-20"),),
        "incident 'inc-2026-003' was detected on 2026-09-20, after it was reported on 2026-09-19",
    ),
    C(
        "incident without reporter",
        ((INCIDENTS, "    reporter: p-inoue-sakura\n", ""),),
        (("II.6.1.1/incident-records", INCIDENTS, "- id: inc-2026-003"),),
        "incident 'inc-2026-003' does not record reporter",
    ),
    C(
        "incident reported hours late",
        (
            (
                INCIDENTS,
                "reported_at: 2026-09-19T09:05+09:00",
                "reported_at: 2026-09-20T09:05+09:00",
            ),
        ),
        (("II.6.1.1/incident-reported-promptly", INCIDENTS, "reported_at: 2026-09-20"),),
        "incident 'inc-2026-003' was reported 39.4 hours after detection",
        "warning",
    ),
    C(
        "incident reported days late",
        ((INCIDENTS, "    reported_on: 2026-02-10", "    reported_on: 2026-02-13"),),
        (("II.6.1.1/incident-reported-promptly", INCIDENTS, "reported_on: 2026-02-13"),),
        "incident 'inc-2026-001' was reported 3 days after detection",
        "warning",
    ),
    C(
        "incident time that is not a time",
        ((INCIDENTS, "detected_at: 2026-09-18T17:40+09:00", "detected_at: evening"),),
        (("II.6.1.1/incident-reported-promptly", INCIDENTS, "detected_at: evening"),),
        "detected_at 'evening' is not a date and time",
        "warning",
    ),
    # ── II.7.1.1 ────────────────────────────────────────────────────────────────────────────
    C(
        "no legal register",
        ((LEGAL, DELETE, DELETE),),
        (("II.7.1.1/legal-register", CONFIG, None),),
        "no legal register",
    ),
    C(
        "applying law without requirements",
        ((LEGAL, "    requirements:\n      - 労働者名簿", "    notes:\n      - 労働者名簿"),),
        (("II.7.1.1/legal-register", LEGAL, "- id: law-labor-standards"),),
        "law 'law-labor-standards' applies but its requirements are not recorded",
    ),
    C(
        "copyright law not considered",
        ((LEGAL, "law: 著作権法", "law: ソフトウェアの権利"),),
        (("II.7.1.1/named-laws-considered", LEGAL, "kind: legal-register"),),
        "the legal register has no entry for: Copyright Act",
        "warning",
    ),
    C(
        "US not covered by the legal register",
        ((LEGAL, "jurisdiction: US", "jurisdiction: SG"),),
        (("II.7.1.1/foreign-jurisdiction", ASSETS, "country: US"),),
        "'as-backup-offsite' is in US but the legal register has no entry for jurisdiction US "
        "(used by: as-backup-offsite, ep-northstar-cloud)",
        "warning",
    ),
    # ── II.7.1.2 ────────────────────────────────────────────────────────────────────────────
    C(
        "no retention schedule",
        ((RETENTION, DELETE, DELETE),),
        (("II.7.1.2/retention-schedule", CONFIG, None),),
        "no records retention schedule",
    ),
    C(
        "retention not a period",
        ((RETENTION, "retention: 3y", "retention: three years"),),
        (("II.7.1.2/retention-schedule", RETENTION, "retention: three years"),),
        "record 'ret-audit-log': retention 'three years' is not a period",
    ),
    C(
        "retention without media",
        ((RETENTION, "    media: optical\n", ""),),
        (("II.7.1.2/retention-schedule", RETENTION, "- id: ret-policy-signature"),),
        "record 'ret-policy-signature' does not state its media",
    ),
    C(
        "no operating-procedure records",
        (
            (
                RETENTION,
                "category: operating-procedure\n    retention: 5y",
                "category: other\n    retention: 5y",
            ),
            (
                RETENTION,
                "category: operating-procedure\n    retention: 10y",
                "category: other\n    retention: 10y",
            ),
        ),
        (("II.7.1.2/retention-categories", RETENTION, "kind: records-retention"),),
        "has no record of category: operating-procedure",
        "warning",
    ),
    C(
        "retention without legal basis",
        ((RETENTION, "    legal_basis: 社内基準（不正アクセス調査のため）\n", ""),),
        (("II.7.1.2/retention-legal-basis", RETENTION, "- id: ret-access-log"),),
        "record 'ret-access-log' does not state the basis of its retention",
        "warning",
    ),
    C(
        "accounting books kept less than the statutory minimum",
        (
            (
                RETENTION,
                "    retention: 10y\n    media: electronic\n    legal_basis: 法人税法施行規則",
                "    retention: 5y  # shortened\n    media: electronic\n"
                "    legal_basis: 法人税法施行規則",
            ),
        ),
        (("II.7.1.2/retention-minimum", RETENTION, "# shortened"),),
        "record 'ret-company-books' is kept 5y, less than the 10y required by Companies Act, "
        "Article 432(2)",
    ),
    C(
        "wage ledger kept for the transitional minimum only",
        (
            (
                RETENTION,
                "    retention: 5y\n    media: paper\n    legal_basis: 労働基準法",
                "    retention: 3y  # transitional\n    media: paper\n    legal_basis: 労働基準法",
            ),
        ),
        (("II.7.1.2/retention-minimum", RETENTION, "# transitional"),),
        "is kept 3y: allowed for now, but less than the 5y of Labor Standards Act, Article 109",
        "warning",
    ),
    # ── II.7.1.3 ────────────────────────────────────────────────────────────────────────────
    C(
        "no acceptable-use notice",
        ((NOTICE, DELETE, DELETE),),
        (("II.7.1.3/acceptable-use-notice", CONFIG, None),),
        "no acceptable-use notice",
    ),
    C(
        "empty banner",
        ((NOTICE, "banner: |\n", 'banner: ""\ndraft_banner: |\n'),),
        (("II.7.1.3/acceptable-use-notice", NOTICE, 'banner: ""'),),
        "acceptable-use notice 'notice-acceptable-use' has no banner text",
    ),
    C(
        "no consent",
        ((NOTICE, "consent_required: true", "consent_required: false"),),
        (("II.7.1.3/consent", NOTICE, "consent_required:"),),
        "does not require consent before use",
        "warning",
    ),
    # ── II.8.1.1 ────────────────────────────────────────────────────────────────────────────
    C(
        "no support policy",
        ((SUPPORT, DELETE, DELETE),),
        (("II.8.1.1/support-policy", CONFIG, None),),
        "no user support policy",
    ),
    C(
        "support policy without contact",
        ((SUPPORT, "contact: support-lead\n", ""),),
        (("II.8.1.1/support-policy", SUPPORT, "kind: support-policy"),),
        "support policy 'pol-user-support' names no support contact",
    ),
    C(
        "partner without escalation",
        (
            (
                PARTIES,
                "    support_escalation: 証憑アップロード時",
                "    escalation_draft: 証憑アップロード時",
            ),
        ),
        (("II.8.1.1/partner-escalation", PARTIES, "- id: ep-tsunagu-ts"),),
        "partner 'ep-tsunagu-ts' has no agreed support escalation",
        "warning",
    ),
    C(
        "support excludes partner services",
        ((SUPPORT, "covers_partner_services: true", "covers_partner_services: false"),),
        (("II.8.1.1/support-policy", SUPPORT, "covers_partner_services:"),),
        "does not cover partner services",
    ),
]


# ── changed since approval: approved_digest (git history: tests/test_history.py) ───────────
HANDLING_STD = "standards/information-handling-standard.md"
CASES.append(
    C(
        "approved standard edited after its approval (approved_digest)",
        ((HANDLING_STD, "## 2. ラベル付け", "## 2. ラベル付け（任意）"),),
        (("II.2.1.3/changed-since-approval", HANDLING_STD, "approved_digest:"),),
        "standard 'std-information-handling': the text in force does not match approved_digest",
    )
)
_WRONG_DIGEST = "approved_digest: sha256:" + "0" * 64 + "\n"
for _item, _path, _kind in (
    ("II.1.1.2", POLICY, "policy"),
    ("II.2.1.2", CONF, "confidentiality-requirements"),
    ("II.2.2.2", KIZUNA_CTR, "contract"),
    ("II.4.3.1", INFRA_REVIEW, "review-record"),
    ("II.4.3.2", SYSTEM_AUDIT, "audit-record"),
    ("II.5.2.2", DISCIPLINARY, "disciplinary-procedure"),
    ("II.5.3.1", OFFBOARDING, "offboarding-procedure"),
    ("II.6.1.1", INCIDENT_PROC, "incident-procedure"),
    ("II.7.1.3", NOTICE, "acceptable-use-notice"),
    ("II.8.1.1", SUPPORT, "support-policy"),
):
    CASES.append(
        C(
            f"{_kind} whose approved_digest is not its content",
            ((_path, f"kind: {_kind}\n", f"kind: {_kind}\n{_WRONG_DIGEST}"),),
            ((f"{_item}/changed-since-approval", _path, "approved_digest:"),),
            "does not match approved_digest sha256:0000",
        )
    )

# ── registers that record their own review (issue 10: the report and the check agree) ──────
for _check, _path, _date, _what in (
    ("II.2.1.1/roles-register-reviewed", ROLES, "2026-10-01", "roles register"),
    ("II.2.2.1/external-parties-reviewed", PARTIES, "2026-10-15", "external-parties register"),
    ("II.4.1.1/asset-register-reviewed", ASSETS, "2026-10-09", "asset register"),
    ("II.4.2.1/classification-scheme-reviewed", SCHEME, "2026-09-30", "classification scheme"),
    ("II.5.1.1/people-register-reviewed", PEOPLE, "2026-10-21", "people register"),
    ("II.6.1.1/incident-register-reviewed", INCIDENTS, "2026-10-30", "incident register"),
    ("II.7.1.1/legal-register-reviewed", LEGAL, "2026-09-30", "legal register"),
    ("II.7.1.2/retention-schedule-reviewed", RETENTION, "2026-09-30", "records retention schedule"),
):
    _old = "2025" + _date[4:]
    CASES.append(
        C(
            f"{_what} past its own review date",
            ((_path, f"\nlast_reviewed: {_date}", f"\nlast_reviewed: {_old}"),),
            ((_check, _path, f"last_reviewed: {_old}"),),
            f"the {_what} was due for review on {_date} (last_reviewed {_old}, every 12 months)",
            "warning",
        )
    )


def apply(root: Path, edits: tuple[tuple[str, str | None, str | None], ...], edit: Edit) -> None:
    for rel, old, new in edits:
        path = root / rel
        if new is None:
            path.unlink()
        elif old is None and not path.exists():
            path.write_text(new, encoding="utf-8")
        elif old is None:
            with path.open("a", encoding="utf-8") as fh:
                fh.write(new)
        else:
            edit(path, old, new)


def expected(root: Path, case: Case) -> set[tuple[str, str, int]]:
    return {
        (check, rel, 1 if needle is None else line_of(root / rel, needle))
        for check, rel, needle in case.expect
    }


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_seeded_violation(case: Case, sample: Path, edit: Edit) -> None:
    apply(sample, case.edits, edit)
    result = run_lint(sample)
    assert sorted(triples(result)) == sorted(expected(sample, case))
    first = next(d for d in result.active if d.check_id == case.expect[0][0])
    assert case.message in first.message
    assert first.severity.value == case.severity
    assert first.hint


def test_every_item_check_has_a_failing_case() -> None:
    covered = {check for c in CASES for check, _, _ in c.expect} | GIT_CHECKS
    missing = sorted(set(load_rulepack().checks) - covered)
    assert missing == []


def test_each_check_runs_and_is_silent_on_the_sample() -> None:
    result = run_lint(SAMPLE)
    assert {d.check_id for d in result.active} == set()
    enabled = {cid for cid, s in result.settings.items() if s.severity is not None}
    assert set(load_rulepack().checks) <= enabled


# ---------------------------------------------------------------------------------------------
# passing mutations: variations the checks must accept


def test_role_and_its_holder_are_one_party_for_owner_review(sample: Path, edit: Edit) -> None:
    # infra-lead's review is signed by the person holding infra-lead: it still counts
    edit(sample / INFRA_REVIEW, "reviewer: infra-lead", "reviewer: p-watanabe-takuya")
    assert triples(run_lint(sample)) == []


def test_party_with_no_access_needs_no_contract(sample: Path) -> None:
    text = (sample / PARTIES).read_text(encoding="utf-8")
    assert "access: [none]" in text and "contract: ctr-" in text
    assert triples(run_lint(sample)) == []  # ep-mirai-sonpo has [none] and no contract


def test_new_hire_is_exempt_from_training_only_during_the_grace_period(sample: Path) -> None:
    import datetime as dt

    (sample / SESSIONS).unlink()  # the joiner's only training is a session of that register
    hired = dt.date(2026, 10, 20)
    within = run_lint(sample, as_of=hired + dt.timedelta(days=29))
    assert not [d for d in within.active if d.target == "p-yamada-haruto"]
    after = run_lint(sample, as_of=hired + dt.timedelta(days=30))
    found = [d for d in after.active if d.target == "p-yamada-haruto"]
    assert [(d.check_id, d.line) for d in found] == [
        ("II.5.2.1/training-current", line_of(sample / PEOPLE, "- id: p-yamada-haruto"))
    ]


def test_a_training_session_counts_for_its_attendees() -> None:
    import datetime as dt

    # the joiner's only training is the onboarding session; it still counts a year later
    for day in (dt.date(2026, 12, 1), dt.date(2027, 9, 1)):
        found = [d for d in run_lint(SAMPLE, as_of=day).active if d.target == "p-yamada-haruto"]
        assert found == []


def test_laws_match_in_english_too(sample: Path, edit: Edit) -> None:
    edit(sample / LEGAL, "law: 著作権法", "law: Copyright Act (Japan)")
    edit(sample / LEGAL, "law: 不正競争防止法", "law: unfair competition prevention act")
    assert triples(run_lint(sample)) == []


def test_terminated_persons_past_reviews_are_history(sample: Path, edit: Edit) -> None:
    # a review signed before the reviewer left is not a duty held after leaving
    edit(sample / HR_REVIEW, "date: 2026-09-10", "date: 2026-03-20")
    edit(sample / HR_REVIEW, "reviewer: p-ito-yumi", "reviewer: p-sasaki-tomoko")
    checks = {d.check_id for d in run_lint(sample).active}
    assert "II.5.3.1/no-duties-after-termination" not in checks


def test_laws_and_roles_are_configurable(sample: Path) -> None:
    with (sample / CONFIG).open("a", encoding="utf-8") as fh:
        fh.write(
            "checks:\n"
            "  II.7.1.1/named-laws-considered: {laws: [著作権法, 労働基準法, 下請法]}\n"
            "  II.2.1.1/roles-defined: {required_roles: dpo}\n"
        )
    [d] = run_lint(sample).active
    assert (d.check_id, d.path) == ("II.7.1.1/named-laws-considered", LEGAL)
    assert d.message.endswith(
        "has no entry for: 下請法 (add one even if it does not apply, with applies: false)"
    )


def test_contract_without_expiry_is_open_ended(sample: Path, edit: Edit) -> None:
    edit(sample / TSUNAGU_CTR, "expires_on: 2027-12-31\n", "")
    assert triples(run_lint(sample)) == []


def test_access_revoked_the_next_day_is_in_time(sample: Path) -> None:
    text = (sample / PEOPLE).read_text(encoding="utf-8")
    assert "terminated_on: 2025-12-15\n    access_revoked_on: 2025-12-16" in text
    assert triples(run_lint(sample)) == []


# ---------------------------------------------------------------------------------------------
# bad values are reported once


@pytest.mark.parametrize(
    ("rel", "old", "new", "check"),
    [
        (
            PARTIES,
            "reports_reviewed_on: 2026-10-15",
            "reports_reviewed_on: 2026/10/15",
            "policylint/invalid-date",
        ),
        (
            TSUNAGU_CTR,
            "expires_on: 2027-12-31",
            "expires_on: 2027-12-32",
            "policylint/invalid-date",
        ),
        (
            PARTIES,
            "report_review_interval_months: 3",
            "report_review_interval_months: three",
            "policylint/schema",
        ),
        (NOTICE, "consent_required: true", "consent_required: yes", "policylint/schema"),
        (
            PARTIES,
            "access: [external-network, admin-terminal]",
            "access: external-network",
            "policylint/schema",
        ),
        (
            PEOPLE,
            "security_terms_agreed_on: 2022-03-10",
            "security_terms_agreed_on: 令和4年3月10日",
            "policylint/invalid-date",
        ),
        (RETENTION, "retention: 18m", "retention: 18", "policylint/schema"),
        (ASSETS, "country: US", "country: us", "policylint/schema"),
    ],
)
def test_a_bad_value_gives_one_diagnostic(
    rel: str, old: str, new: str, check: str, sample: Path, edit: Edit
) -> None:
    edit(sample / rel, old, new)
    assert triples(run_lint(sample)) == [(check, rel, line_of(sample / rel, new.split("\n")[0]))]


# ---------------------------------------------------------------------------------------------
# messages in Japanese


@pytest.mark.parametrize(
    ("case_name", "japanese"),
    [
        (
            "partner contract expired",
            "'ep-tsunagu-ts' との契約 'ctr-saas-tsunagu-ts' は 2026-10-31 に期限切れです",
        ),
        (
            "role held by a leaver",
            "役割 'dpo' の担当者 'p-sasaki-tomoko' は 2026-03-31 に退職しています",
        ),
        (
            "owner never reviewed",
            "資産の管理責任者 'support-lead'（as-support-tickets, as-product-site）",
        ),
        ("copyright law not considered", "法令・規制台帳に次の法令の要素がありません: 著作権法"),
        (
            "policy approved after the approver left",
            "2026-04-01 に 'p-kobayashi-hiroshi' が承認していますが、'p-kobayashi-hiroshi' は "
            "2021-03-31 に退職しています",
        ),
        (
            "signature is a placeholder",
            "signature の 'TBD' は仮の記載であり、署名の証跡ではありません",
        ),
        (
            "leaver whose status still says active",
            "人物 'p-matsumoto-jun' は 2025-12-15 に退職していますが、status が active のままです",
        ),
        ("contract never signed", "契約 'ctr-telecom-kizuna' に締結日（signed_on）がありません"),
        ("accounting books kept less than the statutory minimum", "会社法 第432条第2項"),
        ("incident reported days late", "検知から 3 日後に報告されています"),
        (
            "policy not reviewed after a significant change",
            "重大な変更 'chg-2026-04-offsite-backup'",
        ),
        ("asset hosted by an unregistered party", "外部組織台帳に登録されていません"),
        ("partner covered by an NDA alone", "partner-saas の組織には次のいずれかの契約が必要です"),
        ("training overdue", "人物 'p-watanabe-takuya': 前回の教育"),
        (
            "no system audit",
            "情報システムの監査記録（audit_type: system の audit-record）がありません",
        ),
    ],
)
def test_messages_in_japanese(case_name: str, japanese: str, sample: Path, edit: Edit) -> None:
    case = next(c for c in CASES if c.name == case_name)
    apply(sample, case.edits, edit)
    result = run_lint(sample, lang="ja")
    assert sorted(triples(result)) == sorted(expected(sample, case))
    d = next(d for d in result.active if d.check_id == case.expect[0][0])
    assert japanese in d.message
    assert re.search(r"[\u3040-\u30ff]", d.hint)
