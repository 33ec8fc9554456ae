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
    ),
    "ja": (
        "registers/people.yaml・registers/roles.yaml: 従業員と CEO・CIO・CISO の担当者",
        "policies/information-security-policy.md: 基本方針の内容、承認者、署名済みの写し"
        "（evidence/signatures/）",
        "registers/assets.yaml・registers/classification-scheme.yaml: 情報資産、管理責任者、分類",
        "registers/external-parties.yaml・contracts/: データセンタ、通信事業者、連携事業者と契約",
        "records/: 仮のレビュー記録・監査記録を実際の記録に置き換える",
    ),
}


@dataclass(frozen=True)
class Scaffolded:
    root: Path
    files: tuple[str, ...]
    today: dt.date


def template_values(today: dt.date) -> dict[str, str]:
    expires = add_months(today, 36)
    year_end = add_days(expires, -1) if expires is not None else None
    return {
        "today": today.isoformat(),
        "expires": (year_end or today).isoformat(),
        "year": str(today.year),
    }


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


def scaffold(root: Path, lang: str, today: dt.date) -> Scaffolded:
    """Write a complete governance repository into ``root`` (missing or empty)."""
    if root.exists():
        if not root.is_dir():
            raise UsageError(f"{root}: exists and is not a folder")
        if any(root.iterdir()):
            raise UsageError(
                f"{root}: the folder is not empty; policylint init writes only into a new or "
                "empty folder"
            )
    values = template_values(today)
    planned = [
        (rel, fill(src.read_text(encoding="utf-8"), values, rel)) for rel, src in templates(lang)
    ]
    root.mkdir(parents=True, exist_ok=True)
    for rel, text in planned:
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    return Scaffolded(root, tuple(rel for rel, _ in planned), today)
