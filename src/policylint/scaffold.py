"""``policylint init``: write a new governance repository from the templates of a language.

Templates are data files in ``policylint/templates/init/<lang>/`` whose names end in ``.tmpl``
(so policylint itself never reads them as governance files). Placeholders ``{{name}}`` are
replaced by values computed from the day of creation; an unknown placeholder is a bug of the
templates and fails loudly. Dates are chosen so that nothing is overdue or due soon: every
review, training and audit happened "today", contracts expire in three years.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from policylint.dates import add_days, add_months
from policylint.errors import PolicylintError, UsageError

TEMPLATES = Path(__file__).parent / "templates" / "init"
SUFFIX = ".tmpl"
LANGS = ("ja", "en")
_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")

NEXT_STEPS: Mapping[str, tuple[str, ...]] = {
    "en": (
        "registers/people.yaml, registers/roles.yaml: your people and who holds CEO, CIO, CISO",
        "policies/information-security-policy.md: your policy, its approver and the signed copy "
        "in evidence/signatures/",
        "registers/assets.yaml, registers/classification-scheme.yaml: your assets, owners, levels",
        "registers/external-parties.yaml, contracts/: your data centre, carriers, partners",
        "records/: replace the placeholder reviews and audits with real records",
        "registers/risk-register.yaml, registers/statement-of-applicability.yaml: your risks and "
        "a decision on every ISO/IEC 27001 Annex A control",
    ),
    "ja": (
        "registers/people.yaml・registers/roles.yaml: 従業員と CEO・CIO・CISO の担当者",
        "policies/information-security-policy.md: 基本方針の内容、承認者、署名済みの写し"
        "（evidence/signatures/）",
        "registers/assets.yaml・registers/classification-scheme.yaml: 情報資産、管理責任者、分類",
        "registers/external-parties.yaml・contracts/: データセンタ、通信事業者、連携事業者と契約",
        "records/: 仮のレビュー記録・監査記録を実際の記録に置き換える",
        "registers/risk-register.yaml・registers/statement-of-applicability.yaml: リスクと、"
        "ISO/IEC 27001 附属書 A の全管理策の適用判断",
    ),
}


@dataclass(frozen=True)
class Scaffolded:
    root: Path
    files: tuple[str, ...]
    today: dt.date


def template_values(
    today: dt.date, lang: str = "en", frameworks: tuple[str, ...] = ()
) -> dict[str, str]:
    expires = add_months(today, 36)
    year_end = add_days(expires, -1) if expires is not None else None
    chosen = frameworks or ("mic-asp-saas-2008",)
    return {
        "today": today.isoformat(),
        "expires": (year_end or today).isoformat(),
        "year": str(today.year),
        "objectives_due": (add_months(today, 12) or today).isoformat(),
        "framework": chosen[0] if len(chosen) == 1 else "[" + ", ".join(chosen) + "]",
        "soa_items": soa_items(lang),
    }


def soa_items(lang: str) -> str:
    """The entries of the Statement of Applicability template: every Annex A control of the
    ISO/IEC 27001:2022 catalogue, each a placeholder decision (applicable, status planned)."""
    import json

    from policylint.rulepack import load_rulepack, tr

    pack = load_rulepack("iso27001-2022")
    note = {
        "en": "Placeholder: decide whether {id} ({title}) applies and say why",
        "ja": "仮の値: {id}（{title}）を適用するかを判断し、理由を記載してください",
    }[lang]
    lines: list[str] = []
    for item in pack.items.values():
        if not item.chapter.startswith("A."):
            continue
        text = note.format(id=item.id, title=tr(item.title, lang))
        lines += [
            f"  - id: soa-{item.id.lower().replace('.', '-')}",
            f"    control: {item.id}",
            "    applicable: true",
            "    status: planned",
            f"    justification: {json.dumps(text, ensure_ascii=False)}",
        ]
    return "\n".join(lines)


def fill(text: str, values: Mapping[str, str], name: str = "template") -> str:
    def repl(m: re.Match[str]) -> str:
        key = m[1]
        if key not in values:
            raise PolicylintError(f"{name}: unknown placeholder {{{{{key}}}}}")
        return values[key]

    return _PLACEHOLDER.sub(repl, text)


def templates(lang: str) -> Iterator[tuple[str, Path]]:
    """(relative output path, template file) of every template of ``lang``, sorted."""
    base = TEMPLATES / lang
    if lang not in LANGS or not base.is_dir():
        raise UsageError(f"no templates for language '{lang}' (known: {', '.join(LANGS)})")
    for path in sorted(base.rglob("*" + SUFFIX)):
        rel = path.relative_to(base).as_posix()[: -len(SUFFIX)]
        yield rel, path


def scaffold(root: Path, lang: str, today: dt.date, frameworks: tuple[str, ...] = ()) -> Scaffolded:
    """Write a complete governance repository into ``root`` (missing or empty)."""
    if root.is_symlink() and not root.exists():
        raise UsageError(
            f"{root}: a link that leads nowhere; policylint init writes only into a new or empty "
            "folder",
            ja=f"{root}: どこも指していないリンクです。policylint init は新しいフォルダか"
            "空のフォルダにのみ書き込みます",
        )
    if root.exists():
        if not root.is_dir():
            raise UsageError(
                f"{root}: exists and is not a folder",
                ja=f"{root}: フォルダではないものが既にあります",
            )
        if any(root.iterdir()):
            raise UsageError(
                f"{root}: the folder is not empty; policylint init writes only into a new or "
                "empty folder"
            )
    if frameworks:
        from policylint.rulepack import load_packs

        load_packs(frameworks)  # an unknown framework is a usage error before anything is written
    values = template_values(today, lang, frameworks)
    planned = [
        (rel, fill(src.read_text(encoding="utf-8"), values, rel)) for rel, src in templates(lang)
    ]
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # below a regular file, no permission, a read-only file system...
        raise UsageError(
            f"{root}: cannot create the folder ({exc.strerror or exc})",
            ja=f"{root}: フォルダを作成できません（{exc.strerror or exc}）",
        ) from None
    for rel, text in planned:
        target = root / rel
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        except OSError as exc:
            raise UsageError(
                f"{target}: cannot write the file ({exc.strerror or exc})",
                ja=f"{target}: ファイルを書き込めません（{exc.strerror or exc}）",
            ) from None
    return Scaffolded(root, tuple(rel for rel, _ in planned), today)


# ---------------------------------------------------------------------------------------------
# init --add-missing: what an existing repository lacks

_KIND_LINE = re.compile(r"^kind:\s*([a-z][a-z-]*)\s*$", re.MULTILINE)

FILL_IN: Mapping[str, Mapping[str, str]] = {
    "en": {
        "policy": "your policy text, approved_by, approved_on and the signed copy",
        "confidentiality-requirements": "the confidentiality your users require",
        "standard": "your information handling rules",
        "procedure": "your operating procedure",
        "contract": "the counterparty, dates, access_scope and SLA of a real contract",
        "incident-procedure": "your contact and the phases of incident response",
        "disciplinary-procedure": "your disciplinary rules",
        "offboarding-procedure": "your offboarding checklist",
        "acceptable-use-notice": "the banner users see before use",
        "support-policy": "your support desk contact",
        "review-record": "a real owner review (reviewer, date, scope, findings)",
        "audit-record": "a real audit (auditor, qualification, date, findings)",
        "people": "your people, their roles, dates and trainings",
        "roles": "who holds CEO, CIO and CISO",
        "assets": "your assets, owners, classification and CIA (or policylint import assets)",
        "classification-scheme": "your classification levels and their handling",
        "external-parties": "your data centre, carriers and partners",
        "legal-register": "the laws that apply to you",
        "records-retention": "how long you keep each kind of record",
        "incidents": "your incident log",
        "exceptions": "approved exceptions (it may stay empty)",
    },
    "ja": {
        "policy": "基本方針の本文、承認者（approved_by）、承認日、署名済みの写し",
        "confidentiality-requirements": "利用者が求める機密保持の要件",
        "standard": "情報の取扱基準",
        "procedure": "運用手順",
        "contract": "実際の契約の相手方・日付・access_scope・SLA",
        "incident-procedure": "連絡窓口とインシデント対応の各段階",
        "disciplinary-procedure": "懲戒の規程",
        "offboarding-procedure": "退職時のチェックリスト",
        "acceptable-use-notice": "利用前に表示する注意文（banner）",
        "support-policy": "サポート窓口",
        "review-record": "実際の管理責任者レビューの記録（reviewer・date・scope・findings）",
        "audit-record": "実際の監査の記録（監査人・資格・日付・指摘）",
        "people": "従業員、役割、各日付、教育の受講記録",
        "roles": "CEO・CIO・CISO の担当者",
        "assets": "情報資産・管理責任者・分類・CIA（policylint import assets でも作成可）",
        "classification-scheme": "分類のレベルと取扱い",
        "external-parties": "データセンタ、通信事業者、連携事業者",
        "legal-register": "適用される法令",
        "records-retention": "記録の種類ごとの保存期間",
        "incidents": "インシデントの記録",
        "exceptions": "承認済みの例外（空のままでも可）",
    },
}


@dataclass(frozen=True)
class Added:
    root: Path
    lang: str
    files: tuple[tuple[str, str | None], ...]  # (relative path, kind or None for a companion)
    present: tuple[str, ...]  # kinds the repository already had
    skipped: tuple[str, ...]  # files of missing kinds not written because the path exists


def add_missing(root: Path, lang: str, today: dt.date, present: set[str]) -> Added:
    """Write into the existing repository ``root`` the templates of every kind it lacks, and the
    files they refer to (the policy's signed copy). Never overwrites: a path that exists is
    skipped and reported."""
    if not root.is_dir():
        raise UsageError(f"{root}: not a folder (give the root of an existing repository)")
    values = template_values(today)
    filled = [
        (rel, fill(src.read_text(encoding="utf-8"), values, rel)) for rel, src in templates(lang)
    ]
    chosen: list[tuple[str, str, str | None]] = []
    for rel, text in filled:
        m = _KIND_LINE.search(text)
        if m and m[1] not in present:
            chosen.append((rel, text, m[1]))
    mentioned = "\n".join(text for _, text, _ in chosen)
    for rel, text in filled:
        if _KIND_LINE.search(text) is None and rel.startswith("evidence/") and rel in mentioned:
            chosen.append((rel, text, None))
    written: list[tuple[str, str | None]] = []
    skipped: list[str] = []
    for rel, text, kind in sorted(chosen, key=lambda c: c[0]):
        target = root / rel
        if target.exists() or target.is_symlink():
            skipped.append(rel)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(target, "x", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        except FileExistsError:
            skipped.append(rel)
            continue
        written.append((rel, kind))
    return Added(root, lang, tuple(written), tuple(sorted(present)), tuple(skipped))
