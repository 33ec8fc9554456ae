"""A realistic repository with many violations at once: each is reported once, nothing else.

Twenty faults of different items are seeded into one copy of the sample, the way a real
repository drifts (a review missed, a leaver still holding a role, a contract lapsed...). The
run must report exactly those, each at its place, and no cascade from one fault to another.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import (
    ACCOUNT_PROC,
    ASSETS,
    CONF,
    GINKO_AUDIT,
    INCIDENTS,
    LEGAL,
    MAMORU_CTR,
    NOTICE,
    PARTIES,
    PEOPLE,
    POLICY,
    RETENTION,
    ROLES,
    SUPPORT_REVIEW,
    SYSTEM_AUDIT,
    TSUNAGU_CTR,
    line_of,
    run_lint,
    triples,
)

Edit = Callable[[Path, str, str], None]


# (file, old text, new text) — applied in order
SEEDS: list[tuple[str, str, str]] = [
    (POLICY, "published_to: [employees, users, external-parties]", "published_to: [employees]"),
    (POLICY, "last_reviewed: 2026-09-30", "last_reviewed: 2025-09-30"),
    (ROLES, "holder: p-ito-yumi", "holder: p-sasaki-tomoko"),
    (CONF, "last_reviewed: 2026-09-30", "last_reviewed: 2025-10-01"),
    (ACCOUNT_PROC, "owner: infra-lead\n", ""),
    (PARTIES, "    access: [none]\n", ""),
    (
        MAMORU_CTR,
        "access_scope: [external-network, admin-terminal]",
        "access_scope: [external-network]",
    ),
    (TSUNAGU_CTR, "expires_on: 2027-12-31", "expires_on: 2026-10-31"),
    (GINKO_AUDIT, "date: 2026-08-20", "date: 2025-10-20"),
    (PARTIES, "reports_reviewed_on: 2026-10-15", "reports_reviewed_on: 2026/10/15"),
    (ASSETS, "    cia: {confidentiality: 1, integrity: 2, availability: 1}\n", ""),
    (SYSTEM_AUDIT, "auditor_qualification: ", "auditor_background: "),
    (PEOPLE, "security_terms_agreed_on: 2022-03-10", "security_terms_agreed_on: 2022-04-10"),
    (PEOPLE, "access_revoked_on: 2025-12-16", "access_revoked_on: 2025-12-22"),
    (INCIDENTS, "    closed_on: 2026-09-30\n", ""),
    (LEGAL, "jurisdiction: US", "jurisdiction: SG"),
    (RETENTION, "retention: 3y", "retention: three years"),
    (NOTICE, "consent_required: true", "consent_required: false"),
    (
        PARTIES,
        "    support_escalation: 証憑アップロード時",
        "    escalation_draft: 証憑アップロード時",
    ),
]
DELETED = [SUPPORT_REVIEW]

# (check, file, needle whose line the diagnostic must be on)
EXPECTED: list[tuple[str, str, str]] = [
    ("II.1.1.1/policy-published", POLICY, "published_to:"),
    ("II.1.1.2/policy-review-due", POLICY, "last_reviewed:"),
    ("II.5.3.1/no-duties-after-termination", ROLES, "holder: p-sasaki-tomoko"),
    ("II.2.1.2/confidentiality-documented", CONF, "last_reviewed:"),
    ("II.2.1.3/procedures-documented", ACCOUNT_PROC, "kind: procedure"),
    ("II.2.2.1/external-party-access", PARTIES, "- id: ep-mirai-sonpo"),
    ("II.2.2.2/contract-access-scope", PARTIES, "access: [external-network, admin-terminal]"),
    ("II.3.1.1/contract-expiry", TSUNAGU_CTR, "expires_on:"),
    ("II.3.1.2/partner-audit", PARTIES, "- id: ep-ginko-link"),
    ("policylint/invalid-date", PARTIES, "reports_reviewed_on: 2026/10/15"),
    ("II.4.1.1/asset-cia", ASSETS, "- id: as-product-site"),
    ("II.4.3.1/owner-review", ASSETS, "owner: support-lead"),
    ("II.4.3.2/auditor-qualified", SYSTEM_AUDIT, "kind: audit-record"),
    ("II.5.1.1/security-terms-agreed", PEOPLE, "security_terms_agreed_on: 2022-04-10"),
    ("II.5.3.1/access-revoked", PEOPLE, "access_revoked_on: 2025-12-22"),
    ("II.6.1.1/incident-records", INCIDENTS, "- id: inc-2026-003"),
    ("II.7.1.1/foreign-jurisdiction", ASSETS, "country: US"),
    ("II.7.1.2/retention-schedule", RETENTION, "retention: three years"),
    ("II.7.1.3/consent", NOTICE, "consent_required:"),
    ("II.8.1.1/partner-escalation", PARTIES, "- id: ep-tsunagu-ts"),
]


def test_many_violations_at_once_are_each_reported_once(sample: Path, edit: Edit) -> None:
    for rel, old, new in SEEDS:
        edit(sample / rel, old, new)
    for rel in DELETED:
        (sample / rel).unlink()
    result = run_lint(sample)
    got = triples(result)
    want = [(check, rel, line_of(sample / rel, needle)) for check, rel, needle in EXPECTED]
    assert len(got) == len(set(got)), "a fault is reported twice"
    assert sorted(got) == sorted(want)
    assert result.count_errors() == sum(1 for d in result.active if d.severity.value == "error")
    # the output is sorted by path, line, column, check id
    assert [(d.path, d.line) for d in result.active] == sorted(
        (d.path, d.line) for d in result.active
    )
    # the Japanese run reports the same places
    assert sorted(triples(run_lint(sample, lang="ja"))) == sorted(want)
