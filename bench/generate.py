"""Deterministic generator of governance repositories for benchmarks and tests.

A repository generated with ``--violations 0`` is valid: every check of conventions §4 passes
with no error and no warning at the ``--as-of`` date (written to ``policylint.yaml``).
With ``--violations F`` a share F of the items gets a typical violation; they are listed in
``violations.json`` as ``{check, file, id, violation, related: [{check, id}]}``.

    python bench/generate.py --scale medium --out DIR \
        [--violations 0.0] [--seed 1] [--as-of 2026-11-01]
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import json
import random
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCALES: dict[str, tuple[int, int]] = {  # name: (documents, assets)
    "small": (30, 200),
    "medium": (1_000, 10_000),
    "large": (10_000, 100_000),
}
ASSETS_PER_FILE = 10_000
DOCS_PER_DIR = 1_000
REVIEW_MARGIN = 30  # warn_before_days, plus a safety day or two below
CONTRACT_MARGIN = 60
LEVELS = ("public", "internal", "confidential", "secret")
MGMT_ROLES = ("ceo", "cio", "ciso", "cfo")
STAFF_ROLES = (
    "isms-manager",
    "dpo",
    "helpdesk",
    "infra-lead",
    "dev-lead",
    "hr-manager",
    "legal-counsel",
)
ROLE_TITLES = {
    "ceo": "代表取締役 (CEO)",
    "cio": "最高情報責任者 (CIO)",
    "ciso": "最高情報セキュリティ責任者 (CISO)",
    "cfo": "最高財務責任者 (CFO)",
    "isms-manager": "ISMS 事務局長",
    "dpo": "個人情報保護管理者 (DPO)",
    "helpdesk": "サポートデスク (Help desk)",
    "infra-lead": "インフラ責任者",
    "dev-lead": "開発責任者",
    "hr-manager": "人事部長",
    "legal-counsel": "法務責任者",
}
PARTY_TYPES = (
    "partner-saas",
    "outsourcing",
    "datacenter",
    "telecom",
    "security-service",
    "nda",
    "other",
)
ACCESS = ("physical-entry", "admin-terminal", "external-network", "media-exchange")
FOREIGN = {
    "US": "California Consumer Privacy Act (CCPA)",
    "SG": "Personal Data Protection Act 2012",
    "DE": "Bundesdatenschutzgesetz (BDSG) / GDPR",
}
NAMED_LAWS = ("個人情報保護法", "不正競争防止法", "著作権法", "e-文書法", "電子帳簿保存法")
SURNAMES = {
    "sato": "佐藤",
    "suzuki": "鈴木",
    "takahashi": "高橋",
    "tanaka": "田中",
    "ito": "伊藤",
    "watanabe": "渡辺",
    "yamamoto": "山本",
    "nakamura": "中村",
    "kobayashi": "小林",
    "kato": "加藤",
    "yoshida": "吉田",
    "yamada": "山田",
}
GIVEN = ("健一", "美咲", "翔太", "陽子", "大輔", "さくら", "直樹", "恵", "Alex", "Maria")
DEPARTMENTS = ("経営", "開発部", "運用部", "管理部", "営業部", "サポート部")
COURSES = (
    "security-basics",
    "privacy-handling",
    "phishing-awareness",
    "incident-response",
    "secure-coding",
)

# ---------------------------------------------------------------- dates


def add_months(d: dt.date, n: int) -> dt.date:
    """Calendar-month arithmetic with the day clamped to the end of a shorter month."""
    m = d.month - 1 + n
    y, m = d.year + m // 12, m % 12 + 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


# ---------------------------------------------------------------- YAML emitter (fast, block style)

_PLAIN = re.compile(
    r"[A-Za-z\u3040-\u30ff\u4e00-\u9fff][\w .()/@+\-\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]*"
)
_FLOW_ITEM = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]*")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}


def scalar(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, (int, float, dt.date)):
        return str(v)
    s = str(v)
    if _PLAIN.fullmatch(s) and not s.endswith(" ") and s.lower() not in _RESERVED:
        return s
    return json.dumps(s, ensure_ascii=False)


def emit(v: Any, indent: str = "") -> str:
    """Emit a mapping as YAML block text; lists of simple words are written in flow style."""
    out: list[str] = []
    _emit_map(v, indent, out)
    return "".join(out)


def _emit_map(m: dict[str, Any], indent: str, out: list[str], first: str | None = None) -> None:
    for i, (k, v) in enumerate(m.items()):
        pre = first if (first is not None and i == 0) else indent
        if isinstance(v, dict):
            if not v:
                out.append(f"{pre}{k}: {{}}\n")
            else:
                out.append(f"{pre}{k}:\n")
                _emit_map(v, indent + "  ", out)
        elif isinstance(v, list):
            if all(isinstance(x, str) and _FLOW_ITEM.fullmatch(x) for x in v):
                out.append(f"{pre}{k}: [{', '.join(v)}]\n")
            else:
                out.append(f"{pre}{k}:\n")
                _emit_list(v, indent + "  ", out)
        else:
            out.append(f"{pre}{k}: {scalar(v)}\n")


def _emit_list(items: list[Any], indent: str, out: list[str]) -> None:
    for x in items:
        if isinstance(x, dict):
            _emit_map(x, indent + "  ", out, first=indent + "- ")
        else:
            out.append(f"{indent}- {scalar(x)}\n")


# ---------------------------------------------------------------- Markdown bodies

SECTION_POOL: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "目的 (Purpose)",
        (
            "本文書は、当社が提供する ASP・SaaS サービスにおける{topic}の取扱いを定める。",
            "This document defines how {topic} is handled for the services we operate.",
        ),
    ),
    (
        "適用範囲 (Scope)",
        (
            "本文書は、全従業員、委託先及びサービスの運用に関わる全ての者に適用する。",
            "It applies to all employees, contractors and anyone operating the service.",
        ),
    ),
    (
        "役割と責任 (Roles and responsibilities)",
        (
            "{role} は本手順の維持に責任を持つ。",
            "The {role} owns this procedure and approves changes to it.",
        ),
    ),
    (
        "手順 (Procedure)",
        (
            "1. 申請者は所定の様式で申請する。\n2. 承認者は内容を確認し、記録を残す。\n"
            "3. 作業者は作業後に結果を報告する。",
            "Each step is recorded in the ticketing system with the approver and the date.",
        ),
    ),
    (
        "記録 (Records)",
        (
            "作業記録は定められた保存期間に従って保管する。",
            "Records are kept for the retention period of the records-retention register.",
        ),
    ),
    (
        "例外 (Exceptions)",
        (
            "例外は exceptions 台帳に登録し、経営陣の承認を得る。",
            "Exceptions are registered, approved by management and expire.",
        ),
    ),
    (
        "詳細 (Details)",
        (
            "- 対象システムの一覧は資産台帳で管理する。\n"
            "- 作業は二名体制で実施し、結果を相互に確認する。\n"
            "- 緊急時の作業は事後に承認を得る。\n- 作業端末は会社が貸与したものに限る。",
            "Operators must use named accounts; shared accounts are disabled. "
            "Changes to production are peer-reviewed, tested in staging and rolled out "
            "during the announced maintenance window. Logs of every administrative session "
            "are forwarded to the central log store and kept for "
            "the period set in the records-retention register.",
        ),
    ),
    (
        "監視と測定 (Monitoring)",
        (
            "{role} は四半期ごとに実施状況を確認し、結果を経営陣に報告する。",
            "Key indicators are reviewed quarterly; deviations become corrective actions.",
        ),
    ),
    (
        "参考 (References)",
        (
            "ASP・SaaS における情報セキュリティ対策ガイドライン 第II部を参照。",
            "See Part II of the MIC ASP/SaaS information security guideline.",
        ),
    ),
)
TOPICS = (
    "アクセス管理",
    "バックアップ",
    "変更管理",
    "ログ管理",
    "暗号鍵管理",
    "媒体の廃棄",
    "脆弱性管理",
    "入退室管理",
    "委託先管理",
    "パスワード管理",
    "構成管理",
    "容量管理",
)


def body(
    rng: random.Random, title: str, role: str, sections: list[tuple[str, list[str]]] | None = None
) -> str:
    topic = rng.choice(TOPICS)
    if sections is None:
        picked = [
            *SECTION_POOL[:2],
            *rng.sample(SECTION_POOL[2:], rng.randint(1, len(SECTION_POOL) - 2)),
        ]
        sections = [(h, [p.format(topic=topic, role=role) for p in ps]) for h, ps in picked]
    parts = [f"# {title}\n"]
    for i, (heading, paras) in enumerate(sections, 1):
        parts.append(f"\n## {i}. {heading}\n\n" + "\n\n".join(paras) + "\n")
    if rng.random() < 0.3:
        parts.append(
            "\n| 項目 | 頻度 | 担当 |\n|---|---|---|\n| レビュー | 年次 | "
            + role
            + " |\n| 点検 | 月次 | "
            + role
            + " |\n"
        )
    return "".join(parts)


# ---------------------------------------------------------------- generator


@dataclass
class Repo:
    root: Path
    as_of: dt.date
    rng: random.Random
    vrng: random.Random
    violations: float
    found: list[dict[str, Any]] = field(default_factory=list)
    n_docs: int = 0

    # dates -----------------------------------------------------------------
    def past(self, lo_days: int, hi_days: int) -> dt.date:
        return self.as_of - dt.timedelta(days=self.rng.randint(lo_days, hi_days))

    def recent(
        self, months: int, margin: int = REVIEW_MARGIN, not_before: dt.date | None = None
    ) -> dt.date:
        """A past date whose ``+ months`` due date is more than ``margin`` days after as-of."""
        earliest = add_months(self.as_of, -months) + dt.timedelta(days=margin + 3)
        earliest = max(earliest, not_before or earliest)
        d = earliest + dt.timedelta(
            days=self.rng.randint(0, max(0, (self.as_of - earliest).days - 1))
        )
        assert add_months(d, months) > self.as_of + dt.timedelta(days=margin) and d < self.as_of
        return d

    def violate(self) -> bool:
        return self.violations > 0 and self.vrng.random() < self.violations

    def record(
        self, check: str, path: str, item: str, what: str, related: tuple[tuple[str, str], ...] = ()
    ) -> None:
        self.found.append(
            {
                "check": check,
                "file": path,
                "id": item,
                "violation": what,
                "related": [{"check": c, "id": i} for c, i in related],
            }
        )

    # files -----------------------------------------------------------------
    def write(self, rel: str, text: str) -> None:
        p = self.root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")

    def document(self, rel: str, meta: dict[str, Any], text: str) -> None:
        self.n_docs += 1
        self.write(rel, f"---\n{emit(meta)}---\n\n{text}")

    def register(
        self, rel: str, kind: str, items: list[dict[str, Any]], owner: str = "ciso"
    ) -> None:
        head = {"kind": kind, "owner": owner, "last_reviewed": self.recent(12)}
        out: list[str] = []
        _emit_list(items, "  ", out)
        self.write(rel, emit(head) + "items:\n" + "".join(out))


def generate(out: Path, scale: str, violations: float, seed: int, as_of: dt.date) -> Repo:
    n_docs, n_assets = SCALES[scale]
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    r = Repo(out, as_of, random.Random(seed), random.Random(f"{seed}-violations"), violations)
    rng = r.rng
    r.write("policylint.yaml", f"as_of: {as_of}\n")
    r.write(
        "README.md",
        f"# Generated governance repository ({scale})\n\nbench/generate.py, seed {seed}.\n",
    )
    r.write(
        "signatures/information-security-policy.sig.txt",
        "Signed by the CEO (generated placeholder).\n",
    )

    # people --------------------------------------------------------------
    n_people = max(30, n_assets // 20)
    people: list[dict[str, Any]] = []
    for i in range(n_people):
        family = list(SURNAMES)[i % len(SURNAMES)]
        pid = f"{family}-{i + 1:05d}"
        # the first eight hold the roles (the CEO approved every revision): hired long ago
        hired = r.past(365 * 4, 365 * 15) if i < 8 else r.past(120, 365 * 15)
        if i < 8:
            status = "active"
        elif i in (8, 9):  # every repository has leavers
            status = "terminated"
        else:
            status = "active" if rng.random() < 0.9 else rng.choice(("on-leave", "terminated"))
        p: dict[str, Any] = {
            "id": pid,
            "name": f"{SURNAMES[family]} {rng.choice(GIVEN)}",
            "department": rng.choice(DEPARTMENTS),
            "roles": [],
            "status": status,
            "hired_on": hired,
            "security_terms_agreed_on": hired - dt.timedelta(days=rng.randint(0, 14)),
            "nda_signed_on": hired - dt.timedelta(days=rng.randint(0, 7)),
            "access_granted_on": hired + dt.timedelta(days=rng.randint(0, 3)),
            "trainings": [
                {"course": c, "completed_on": r.recent(12, not_before=hired)}
                for c in rng.sample(COURSES, rng.randint(1, 3))
            ],
        }
        if (as_of - hired).days <= 365:  # a joiner of this year: trained when joining
            p["trainings"].append(
                {"course": "security-onboarding", "completed_on": hired + dt.timedelta(days=7)}
            )
        if status == "terminated":
            term = r.past(10, max(11, (as_of - hired).days - 30))
            secrets = rng.random() < 0.5
            p.update(
                terminated_on=term,
                access_revoked_on=term,
                assets_returned_on=term,
                knows_shared_secrets=secrets,
            )
            if secrets:
                p["shared_secrets_rotated_on"] = term + dt.timedelta(days=1)
        people.append(p)
    active = [p["id"] for p in people if p["status"] == "active"]
    terminated = [p["id"] for p in people if p["status"] == "terminated"]

    # roles ---------------------------------------------------------------
    role_ids = (
        list(MGMT_ROLES)
        + list(STAFF_ROLES)
        + [f"dept-{i:03d}-manager" for i in range(n_people // 100)]
    )
    roles = []
    for i, rid in enumerate(role_ids):
        holder = active[i]
        next(p for p in people if p["id"] == holder)["roles"].append(rid)
        roles.append(
            {
                "id": rid,
                "title": ROLE_TITLES.get(rid, f"部門長 ({rid})"),
                "holder": holder,
                "management": rid in MGMT_ROLES,
            }
        )
    ceo = roles[0]["holder"]

    # violations on people -------------------------------------------------
    for p in people:
        if p["status"] == "active" and r.violate():
            p["trainings"] = [{"course": "security-basics", "completed_on": r.past(400, 800)}]
            r.record(
                "II.5.2.1/training-current",
                "registers/people.yaml",
                p["id"],
                "training older than 12 months",
            )
        elif p["status"] == "terminated" and r.violate():
            if r.vrng.random() < 0.5:
                p["access_revoked_on"] = p["terminated_on"] + dt.timedelta(days=5)
                r.record(
                    "II.5.3.1/access-revoked",
                    "registers/people.yaml",
                    p["id"],
                    "access revoked 5 days after termination",
                )
            else:
                p["status"] = "active"  # left on terminated_on, but the status was not updated
                r.record(
                    "II.5.3.1/person-status",
                    "registers/people.yaml",
                    p["id"],
                    "status still active after terminated_on",
                )
    r.register("registers/people.yaml", "people", people, owner="hr-manager")
    r.register("registers/roles.yaml", "roles", roles, owner="ceo")

    # classification scheme ------------------------------------------------
    scheme = [
        {
            "id": lv,
            "name": name,
            "description": f"{name} 情報 ({lv})",
            "handling": {
                "processing": f"{name}情報の処理は許可された端末で行う。",
                "storage": f"{lv} storage rules apply.",
                "transmission": "暗号化した経路で送信する。" if lv != "public" else "制限なし。",
                "declassification": "情報所有者が承認する。",
                "disposal": "復元不可能な方法で廃棄する。",
            },
        }
        for lv, name in zip(LEVELS, ("公開", "社内", "機密", "極秘"), strict=True)
    ]
    r.register("registers/classification-scheme.yaml", "classification-scheme", scheme)

    # asset owners, each with a review record -------------------------------
    n_owners = max(4, n_people // 4)
    duty_free = active[len(role_ids) :]
    owners = [
        "cio",
        "ciso",
        "infra-lead",
        "dev-lead",
        *rng.sample(duty_free, min(len(duty_free), n_owners - 4)),
    ]
    owned: dict[str, list[str]] = {o: [] for o in owners}

    # assets ----------------------------------------------------------------
    types = (
        ("database", "electronic", "aws-tokyo"),
        ("server", "physical", "dc-tokyo-1"),
        ("document", "paper", "本社キャビネット"),
        ("source-code", "electronic", "git"),
        ("laptop", "physical", "本社"),
        ("backup-media", "magnetic", "dc-osaka"),
    )
    for f in range((n_assets + ASSETS_PER_FILE - 1) // ASSETS_PER_FILE):
        rel = f"registers/assets/assets-{f + 1:02d}.yaml"
        items = []
        for i in range(f * ASSETS_PER_FILE, min(n_assets, (f + 1) * ASSETS_PER_FILE)):
            aid = f"AST-{i + 1:06d}"
            t, fmt, loc = rng.choice(types)
            owner = owners[i % len(owners)] if i < len(owners) else rng.choice(owners)
            country = "JP" if rng.random() < 0.95 else rng.choice(tuple(FOREIGN))
            a: dict[str, Any] = {
                "id": aid,
                "name": f"{t} {i + 1} ({rng.choice(TOPICS)})",
                "type": t,
                "format": fmt,
                "location": loc,
                "country": country,
                "owner": owner,
                "classification": rng.choice(LEVELS[1:]),
                "backup": rng.choice(("daily", "weekly", "none-required", "replicated")),
                "license": rng.choice(("proprietary", "commercial", "MIT", "n/a")),
                "business_value": rng.choice(("high", "medium", "low")),
                "cia": {
                    "confidentiality": rng.randint(1, 3),
                    "integrity": rng.randint(1, 3),
                    "availability": rng.randint(1, 3),
                },
                "acceptable_use": {
                    "users": rng.choice(("全従業員", "運用チーム", "開発チーム")),
                    "purpose": "サービス提供のため",
                    "method": "許可された端末から利用する",
                    "return": "退職時又は異動時に返却する",
                },
            }
            if t == "database":
                a["hosted_by"] = ["ext-0003"]  # the data centre (third party type) hosts it
            if i == 0:
                del a["cia"]  # the finding that the exception EXC-001 accepts
            if r.violate():
                what = r.vrng.randrange(5)
                if what == 0:
                    del a["owner"]
                    r.record("II.4.1.1/asset-owner", rel, aid, "missing owner")
                elif what == 1 and terminated:
                    a["owner"] = r.vrng.choice(terminated)
                    r.record(
                        "II.4.1.1/asset-owner",
                        rel,
                        aid,
                        "owner is a terminated person",
                        (
                            ("II.5.3.1/no-duties-after-termination", aid),
                            ("II.4.3.1/owner-review", a["owner"]),  # the owner is the target
                        ),
                    )
                elif what == 4:
                    a["hosted_by"] = ["ext-unregistered"]
                    r.record("II.2.2.1/asset-hosts", rel, aid, "hosted by an unregistered party")
                    owned[owner].append(aid)
                elif what == 2:
                    a["classification"] = "top-secret"
                    r.record("II.4.2.1/asset-classified", rel, aid, "unknown classification level")
                else:
                    del a["acceptable_use"]["return"]
                    r.record(
                        "II.4.1.1/asset-acceptable-use", rel, aid, "acceptable_use.return missing"
                    )
            else:
                owned[owner].append(aid)
            items.append(a)
        r.register(rel, "assets", items, owner="cio")

    # external parties and their contracts -------------------------------------
    n_parties = max(3, n_docs // 20)
    parties = []
    for i in range(n_parties):
        ptype = PARTY_TYPES[i % len(PARTY_TYPES)]
        pid, cid = f"ext-{i + 1:04d}", f"CTR-{i + 1:04d}"
        access = (
            ["none"] if ptype in ("nda", "other") else sorted(rng.sample(ACCESS, rng.randint(1, 3)))
        )
        country = "JP" if i % 10 else rng.choice(tuple(FOREIGN))
        party: dict[str, Any] = {
            "id": pid,
            "name": f"{rng.choice(('株式会社', 'Acme', 'Global'))} {ptype} {i + 1}",
            "type": ptype,
            "access": access,
            "risks": ["情報漏えい", "サービス停止"][: rng.randint(1, 2)],
            "controls": ["秘密保持契約", "定期監査", "アクセス制限"][: rng.randint(1, 3)],
            "contract": cid,
            "country": country,
        }
        contract: dict[str, Any] = {
            "kind": "contract",
            "id": cid,
            "title": f"{party['name']} との契約",
            "owner": "legal-counsel",
            "version": "1.0",
            "classification": "confidential",
            "counterparty": pid,
            "contract_type": ptype,
            "signed_on": r.past(60, 1500),
            "expires_on": as_of + dt.timedelta(days=rng.randint(CONTRACT_MARGIN + 5, 1500)),
            "access_scope": access,
            "security_requirements": ["秘密保持", "インシデント発生時の24時間以内の報告"],
            "sla": {"availability": 99.9, "report_interval_months": 3},
        }
        if ptype == "partner-saas":
            party.update(
                reports_reviewed_on=r.recent(3),
                report_review_interval_months=3,
                audit_interval_months=12,
                support_escalation="連携先のサポート窓口へ 1 時間以内にエスカレーションする",
            )
            audit_date = r.recent(12)
            r.document(
                f"records/audits/partner/AUD-{pid}.md",
                {
                    "kind": "audit-record",
                    "id": f"AUD-{pid}",
                    "title": f"{party['name']} 監査記録",
                    "owner": "ciso",
                    "version": "1.0",
                    "classification": "confidential",
                    "audit_type": "partner",
                    "subject": pid,
                    "auditor": "監査法人 例",
                    "auditor_qualification": "CISA",
                    "date": audit_date,
                    "findings": ["重大な指摘事項なし"],
                },
                body(rng, "監査記録", "ciso"),
            )
        crel = f"contracts/{cid}.md"
        if r.violate():
            if ptype == "partner-saas" and r.vrng.random() < 0.5:
                party["reports_reviewed_on"] = as_of - dt.timedelta(days=200)
                r.record(
                    "II.3.1.2/partner-report-review",
                    "registers/external-parties.yaml",
                    pid,
                    "reports reviewed 200 days ago",
                )
            elif r.vrng.random() < 0.5:
                contract["expires_on"] = as_of - dt.timedelta(days=r.vrng.randint(1, 300))
                r.record("II.3.1.1/contract-expiry", crel, cid, "contract expired")
            else:
                del contract["signed_on"]  # never signed: no coverage for the party
                r.record("II.2.2.2/contract-signed", crel, cid, "contract never signed")
        r.document(crel, contract, body(rng, contract["title"], "legal-counsel"))
        parties.append(party)
    r.register(
        "registers/external-parties.yaml", "external-parties", parties, owner="legal-counsel"
    )

    # review records: one per asset owner ------------------------------------
    for i, o in enumerate(owners):
        scope = [o, *owned[o][:5]]  # the owner covers all their assets; a few named too
        r.document(
            f"records/reviews/RR-{i + 1:05d}.md",
            {
                "kind": "review-record",
                "id": f"RR-{i + 1:05d}",
                "title": f"情報資産の見直し ({o})",
                "owner": o,
                "version": "1.0",
                "classification": "internal",
                "reviewer": o,
                "date": r.recent(12),
                "scope": scope,
                "findings": rng.choice(
                    (
                        ["指摘事項なし"],
                        ["台帳の所在地情報を更新した"],
                        ["不要なアカウントを削除した"],
                    )
                ),
            },
            body(rng, "情報資産の見直し記録", o),
        )

    # singletons -------------------------------------------------------------
    common = {"version": "1.0", "classification": "internal"}
    r.document(
        "records/audits/AUD-SYSTEM.md",
        {
            "kind": "audit-record",
            "id": "AUD-SYSTEM",
            "title": "システム監査報告書",
            "owner": "ciso",
            **common,
            "audit_type": "system",
            "auditor": "内部監査室",
            "auditor_qualification": "システム監査技術者",
            "date": r.recent(12),
            "findings": ["ログの保存期間を延長すること"],
        },
        body(rng, "システム監査報告書", "ciso"),
    )
    write_policy(r, ceo)
    reviewed = {"last_reviewed": r.recent(12), "review_interval_months": 12}
    singletons: list[tuple[str, dict[str, Any], str]] = [
        (
            "docs/confidentiality-requirements.md",
            {
                "kind": "confidentiality-requirements",
                "id": "DOC-CONF",
                "title": "守秘義務要件",
                **reviewed,
            },
            "ciso",
        ),
        (
            "docs/incident-procedure.md",
            {
                "kind": "incident-procedure",
                "id": "DOC-INC",
                "title": "インシデント対応手順",
                "contact": "ciso",
                "phases": [
                    "detection",
                    "triage",
                    "partial-recovery",
                    "full-recovery",
                    "lessons-learned",
                ],
            },
            "ciso",
        ),
        (
            "docs/disciplinary-procedure.md",
            {"kind": "disciplinary-procedure", "id": "DOC-DISC", "title": "懲戒手続", **reviewed},
            "hr-manager",
        ),
        (
            "docs/offboarding-procedure.md",
            {
                "kind": "offboarding-procedure",
                "id": "DOC-OFF",
                "title": "退職時手続",
                "checklist": ["アクセス権の削除", "資産の返却", "共有パスワードの変更"],
            },
            "hr-manager",
        ),
        (
            "docs/acceptable-use-notice.md",
            {
                "kind": "acceptable-use-notice",
                "id": "DOC-AUN",
                "title": "利用上の注意",
                "banner": "このシステムは許可された利用者のみが利用できます。"
                "利用状況は記録されます。",
                "consent_required": True,
            },
            "ciso",
        ),
        (
            "docs/support-policy.md",
            {
                "kind": "support-policy",
                "id": "DOC-SUP",
                "title": "サポート方針",
                "contact": "helpdesk",
                "covers_partner_services": True,
            },
            "helpdesk",
        ),
    ]
    for rel, meta, owner in singletons:
        meta = {
            "kind": meta.pop("kind"),
            "id": meta.pop("id"),
            "title": meta["title"],
            "owner": owner,
            **common,
            **meta,
        }
        r.document(rel, meta, body(rng, str(meta["title"]), owner))

    # standards and procedures fill up the document count -----------------------
    rest = n_docs - r.n_docs
    assert rest > 0, f"scale {scale}: {r.n_docs} documents before standards/procedures"
    for i in range(rest):
        kind = "standard" if i % 3 == 0 else "procedure"
        did = f"{'STD' if kind == 'standard' else 'PRC'}-{i + 1:05d}"
        owner = rng.choice(STAFF_ROLES)
        interval = 6 if i % 7 == 0 else 12
        meta = {
            "kind": kind,
            "id": did,
            "title": f"{rng.choice(TOPICS)}{'基準' if kind == 'standard' else '手順'} {i + 1}",
            "owner": owner,
            "version": f"{rng.randint(1, 4)}.{rng.randint(0, 9)}",
            "classification": rng.choice(LEVELS[:3]),
            "last_reviewed": r.recent(interval),
            "review_interval_months": interval,
        }
        meta["approved_on"] = meta["last_reviewed"] - dt.timedelta(days=rng.randint(0, 30))
        rel = f"docs/{kind}s/{i // DOCS_PER_DIR:02d}/{did}.md"
        if r.violate():
            meta["last_reviewed"] = add_months(as_of, -interval) - dt.timedelta(
                days=r.vrng.randint(1, 200)
            )
            meta["approved_on"] = meta["last_reviewed"]
            r.record("II.2.1.3/procedures-documented", rel, did, "review overdue")
        r.document(rel, meta, body(rng, str(meta["title"]), owner))

    # other registers --------------------------------------------------------
    laws = [
        {
            "id": f"LAW-{i + 1:03d}",
            "law": ja,
            "jurisdiction": "JP",
            "applies": True,
            "requirements": [f"{ja}の要求事項を特定する"],
            "controls": ["規程の整備", "年次の教育"],
        }
        for i, ja in enumerate(NAMED_LAWS)
    ]
    laws += [
        {
            "id": f"LAW-{len(laws) + i + 1:03d}",
            "law": law,
            "jurisdiction": cc,
            "applies": True,
            "requirements": ["Identify obligations for data held in " + cc],
            "controls": ["Data processing agreement"],
        }
        for i, (cc, law) in enumerate(FOREIGN.items())
    ]
    r.register("registers/legal-register.yaml", "legal-register", laws, owner="legal-counsel")
    retention = [
        {
            "id": f"RET-{i + 1:03d}",
            "record_type": rt,
            "category": cat,
            "retention": ret,
            "media": media,
            "legal_basis": basis,
        }
        for i, (rt, cat, ret, media, basis) in enumerate(
            (
                ("会計帳簿", "accounting", "10y", "electronic", "会社法 第432条"),
                ("取引関係書類", "accounting", "7y", "paper", "法人税法"),
                ("顧客データベース", "database", "5y", "electronic", "契約"),
                ("取引ログ", "transaction-log", "18m", "electronic", "電子帳簿保存法"),
                ("監査ログ", "audit-log", "3y", "magnetic", "社内規程"),
                ("運用手順書", "operating-procedure", "5y", "electronic", "社内規程"),
                ("入退室記録", "other", "90d", "electronic", "社内規程"),
            )
        )
    ]
    if r.violate():
        retention[0]["retention"] = "5y"  # accounting books: the statutory minimum is 10 years
        r.record(
            "II.7.1.2/retention-minimum",
            "registers/records-retention.yaml",
            "RET-001",
            "accounting books kept 5 years",
        )
    r.register("registers/records-retention.yaml", "records-retention", retention)
    incidents = []
    for i in range(max(3, n_docs // 50)):
        det = r.past(5, 700)
        inc: dict[str, Any] = {
            "id": f"INC-{i + 1:05d}",
            "detected_on": det,
            "reported_on": min(det + dt.timedelta(days=rng.randint(0, 1)), as_of),
            "reporter": rng.choice(active),
            "type": rng.choice(("malware", "phishing", "outage", "misdelivery")),
            "status": "closed"
            if det < as_of - dt.timedelta(days=60)
            else rng.choice(("triage", "partial-recovery", "closed")),
        }
        if inc["status"] == "closed":
            inc["closed_on"] = min(det + dt.timedelta(days=rng.randint(1, 30)), as_of)
        if det + dt.timedelta(days=4) <= as_of and r.violate():
            inc["reported_on"] = det + dt.timedelta(days=4)
            r.record(
                "II.6.1.1/incident-reported-promptly",
                "registers/incidents.yaml",
                inc["id"],
                "reported 4 days after detection",
            )
        incidents.append(inc)
    r.register("registers/incidents.yaml", "incidents", incidents)
    r.register(
        "registers/exceptions.yaml",
        "exceptions",
        [
            {
                "id": "EXC-001",
                "check": "II.4.1.1/asset-cia",
                "target": "AST-000001",
                "reason": "移行中の資産のため CIA 評価を次回見直しで再評価する",
                "approved_by": ceo,
                "approved_on": r.past(10, 60),
                "expires_on": as_of + dt.timedelta(days=180),
            }
        ],
    )

    r.write("violations.json", json.dumps(r.found, ensure_ascii=False, indent=1) + "\n")
    assert r.n_docs == n_docs, (r.n_docs, n_docs)
    return r


def write_policy(r: Repo, ceo: str) -> None:
    approved = r.recent(12)
    revisions = [
        {
            "version": f"{v}.0",
            "date": add_months(approved, -12 * (3 - v)),
            "approved_by": ceo,
            "summary": s,
        }
        for v, s in ((1, "制定"), (2, "クラウド利用に関する条項を追加"), (3, "年次見直し"))
    ]
    sections = [
        (
            "目的及び適用範囲 (Purpose and scope)",
            [
                "本方針は、当社の ASP・SaaS サービスで取り扱う情報資産を保護する目的で定める。",
                "This policy applies to all employees, contractors and services.",
            ],
        ),
        (
            "情報セキュリティの重要性 (Importance to the business)",
            ["情報セキュリティは、お客様の信頼と事業継続の基盤である。"],
        ),
        ("経営陣の支持 (Management support)", ["経営陣は本方針を承認し、必要な資源を提供する。"]),
        (
            "体制及び情報資産の保護 (Organisation and asset protection)",
            ["CISO を責任者とし、情報資産を分類して保護する。"],
        ),
        (
            "遵守事項 (Compliance)",
            ["法令及び契約上の要求事項を遵守し、教育を受け、インシデントを報告する。"],
        ),
        (
            "見直し及び改善 (Review and improvement)",
            ["本方針は少なくとも年 1 回見直し、継続的に改善する。"],
        ),
    ]
    r.document(
        "docs/policy/information-security-policy.md",
        {
            "kind": "policy",
            "id": "POL-ISMS",
            "title": "情報セキュリティ基本方針",
            "owner": "ciso",
            "version": "3.0",
            "classification": "public",
            "last_reviewed": approved,
            "review_interval_months": 12,
            "approved_by": ceo,
            "approved_on": approved,
            "signature": "signatures/information-security-policy.sig.txt",
            "published_to": ["employees", "users", "external-parties"],
            "revisions": revisions,
        },
        body(r.rng, "情報セキュリティ基本方針", "ciso", sections),
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", choices=sorted(SCALES), default="small")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--violations", type=float, default=0.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2026, 11, 1))
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    r = generate(a.out, a.scale, a.violations, a.seed, a.as_of)
    print(
        f"{a.scale}: {r.n_docs} documents, {len(r.found)} violations -> {a.out} "
        f"({time.perf_counter() - t0:.1f}s)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
