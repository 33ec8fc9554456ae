"""``policylint rules`` and ``policylint explain``: the rule pack as a reference.

``rules`` lists the guideline items with their checks (text, JSON, or the Markdown of
``docs/checks.md``); ``explain ID`` tells what an item asks for or what a check checks, why,
with a failing and a passing example, how to fix it and which settings it has.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import click

from policylint.cli import EXIT_OK, default_lang, framework_option, guarded, main
from policylint.engine import selectors_like
from policylint.errors import UsageError
from policylint.rulepack import CheckDef, Item, RulePack, normalise_item_id, tr
from policylint.suggest import did_you_mean, hint

_SEVERITY_MARK = {"error": "E", "warning": "W"}
_LEVEL = {
    "basic": {"en": "basic", "ja": "基本"},
    "recommended": {"en": "recommended", "ja": "推奨"},
}
_L: dict[str, dict[str, str]] = {
    "no_check": {"en": "(no check)", "ja": "（検査なし）"},
    "not_assessable": {
        "en": "(not assessable from a governance repository)",
        "ja": "（統制文書のリポジトリからは評価できない）",
    },
    "why_not": {"en": "Why it is not assessed", "ja": "評価しない理由"},
    "crosswalk": {"en": "Crosswalk", "ja": "対応表"},
    "same_as": {
        "en": "Same code as {check} ({code}); one run serves both",
        "ja": "{check} と同じコード（{code}）。両方を 1 回の実行で判定",
    },
    "not_assessable_totals": {
        "en": "not assessable from a governance repository: {n}",
        "ja": "統制文書のリポジトリからは評価できないもの: {n} 件",
    },
    "summary": {"en": "Summary", "ja": "概要"},
    "evidence": {"en": "Evidence that satisfies it", "ja": "充足の根拠となる記録"},
    "checks": {"en": "Checks", "ja": "検査"},
    "iso": {"en": "ISO/IEC 27001", "ja": "ISO/IEC 27001"},
    "level": {"en": "Level", "ja": "区分"},
    "item": {"en": "Guideline item", "ja": "ガイドライン項目"},
    "severity": {"en": "Severity", "ja": "重大度"},
    "basis": {"en": "Derived from", "ja": "根拠"},
    "what": {"en": "What it checks", "ja": "検査内容"},
    "why": {"en": "Why", "ja": "理由"},
    "fail": {"en": "Fails", "ja": "違反例"},
    "pass": {"en": "Passes", "ja": "適合例"},
    "fix": {"en": "How to fix", "ja": "修正方法"},
    "settings": {
        "en": "Settings (policylint.yaml: checks: {ID: {...}})",
        "ja": "設定（policylint.yaml の checks: {ID: {...}}）",
    },
    "tool": {"en": "Checks of the files themselves", "ja": "ファイル自体の検査"},
    "main": {"en": "the item's main text (mandatory)", "ja": "項目の本文（必須事項）"},
    "bp": {
        "en": "best practice {n} of the item (advice)",
        "ja": "項目のベストプラクティス {n}（推奨事項）",
    },
    "totals": {
        "en": "{items} items, {checks} item checks, {tool} tool checks; "
        "items without a check: {none}",
        "ja": "項目 {items} 件、項目の検査 {checks} 件、ツールの検査 {tool} 件。"
        "検査のない項目: {none}",
    },
    "none": {"en": "none", "ja": "なし"},
}


def _t(key: str, lang: str, **args: Any) -> str:
    text = _L[key][lang]
    return text.format(**args) if args else text


# ---------------------------------------------------------------------------------------------
# data


def _check_entry(check: CheckDef) -> dict[str, Any]:
    return {
        "id": check.id,
        "severity": check.severity.value,
        "title": dict(check.title),
        "basis": check.basis,
        "settings": _plain(check.thresholds),
        "code": list(check.code),
        "same_as": check.same_as or None,
    }


def rules_data(pack: RulePack) -> dict[str, Any]:
    """The items with their checks, and the tool's own checks: the JSON of ``rules``."""
    items = []
    for item in pack.items.values():
        checks = [_check_entry(c) for c in pack.checks_of_item(item.id)]
        items.append(
            {
                "id": item.id,
                "chapter": item.chapter,
                "level": item.level,
                "title": dict(item.title),
                "iso27001_2022": list(item.iso27001_2022),
                "iso27001_2013": list(item.iso27001_2013),
                "framework": item.framework,
                "status": item.status,
                "reason": dict(item.reason) if item.status == "not-assessable" else None,
                "checks": checks,
                "has_checks": bool(checks),
            }
        )
    return {
        "framework": {"id": pack.id, "title": dict(pack.framework.get("title", {}))},
        "frameworks": [
            {"id": str(f.get("id", "")), "title": dict(f.get("title", {}))}
            for f in pack.frameworks or (pack.framework,)
        ],
        "items": items,
        "tool_checks": [_check_entry(c) for c in pack.core.values()],
    }


def _plain(value: Any) -> Any:
    """Frozen rule-pack values (mapping proxies, tuples) as plain JSON-able data."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _show(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(_plain(value), ensure_ascii=False)


# ---------------------------------------------------------------------------------------------
# rendering ``rules``


def render_rules_text(pack: RulePack, lang: str, out: TextIO) -> None:
    uncovered = []
    width = max(len(c.id) for c in pack.all_checks())
    for item in pack.items.values():
        iso = ", ".join(item.iso27001_2022)
        level = _LEVEL.get(item.level, {}).get(lang, item.level)
        out.write(f"{item.id}  [{level}]  {tr(item.title, lang)}")
        out.write(f"  (ISO/IEC 27001:2022 {iso})\n" if iso else "\n")
        checks = pack.checks_of_item(item.id)
        if item.status == "not-assessable":
            out.write(f"    {_t('not_assessable', lang)}  {tr(item.reason, lang)}\n")
        elif not checks:
            uncovered.append(item.id)
            out.write(f"    {_t('no_check', lang)}\n")
        for check in checks:
            mark = _SEVERITY_MARK[check.severity.value]
            out.write(f"    {mark}  {check.id:<{width}}  {tr(check.title, lang)}\n")
    out.write(f"\n{_t('tool', lang)}\n")
    for check in pack.core.values():
        mark = _SEVERITY_MARK[check.severity.value]
        out.write(f"    {mark}  {check.id:<{width}}  {tr(check.title, lang)}\n")
    out.write(
        "\n"
        + _t(
            "totals",
            lang,
            items=len(pack.items),
            checks=len(pack.checks),
            tool=len(pack.core),
            none=", ".join(uncovered) or _t("none", lang),
        )
        + "\n"
    )
    unassessable = [i for i in pack.items.values() if i.status == "not-assessable"]
    if unassessable:
        out.write(_t("not_assessable_totals", lang, n=len(unassessable)) + "\n")


def render_rules_markdown(pack: RulePack, lang: str = "en") -> str:
    """The reference of ``docs/checks.md``: every item and check of each framework of the pack
    (generated), the code each check runs, and the tool's own checks once."""
    lines = [
        "<!-- Generated by `policylint rules --format markdown --lang en --framework "
        + " --framework ".join(pack.ids)
        + "` from rules/; do not edit. -->",
        "",
        "# Checks",
        "",
        "Every item of each framework and the checks that test it. `policylint explain ID` "
        "shows a check's failing and passing examples, its fix and its settings. Severity: "
        "E error, W warning. Settings are changed in `policylint.yaml` under "
        "`checks: {CHECK_OR_ITEM: {...}}`. *Code* names the primitive "
        "(`src/policylint/primitives.py`) or built-in (`src/policylint/checks/`) a check runs: "
        "a check of one framework that runs the same code as another's (`same as`) is one run "
        "and one diagnostic when both frameworks are checked together.",
        "",
        "Frameworks: "
        + ", ".join(f"[{fid}](#{_anchor(pack, fid, lang)})" for fid in pack.ids)
        + ".",
    ]
    for fid in pack.ids:
        lines += _framework_markdown(pack.only(fid) if len(pack.ids) > 1 else pack, lang)
    lines += ["", f"## {_t('tool', lang)}", ""]
    for check in pack.core.values():
        lines += _check_markdown(check, lang)
    return "\n".join(lines).rstrip("\n") + "\n"


def _anchor(pack: RulePack, fid: str, lang: str) -> str:
    title = tr((pack.only(fid) if len(pack.ids) > 1 else pack).framework.get("title"), lang)
    text = f"{title} ({fid})".lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _framework_markdown(pack: RulePack, lang: str) -> list[str]:
    title = tr(pack.framework.get("title"), lang)
    iso = any(i.iso27001_2022 for i in pack.items.values())
    lines = ["", f"## {title} ({pack.id})", ""]
    copyright_text = tr(pack.framework.get("copyright"), lang)
    if copyright_text:
        lines += [copyright_text, ""]
    head = (
        "| item | level | title | ISO/IEC 27001:2022 | checks |"
        if iso
        else ("| item | level | title | checks |")
    )
    lines += [head, "|---|---|---|---|---|" if iso else "|---|---|---|---|"]
    for item in pack.items.values():
        checks = pack.checks_of_item(item.id)
        cell = "<br>".join(f"`{c.id}` ({_SEVERITY_MARK[c.severity.value]})" for c in checks)
        if item.status == "not-assessable":
            cell = "not assessable"
        row = f"| {item.id} | {item.level} | {tr(item.title, lang)} / {tr(item.title, 'ja')} | "
        if iso:
            row += f"{', '.join(item.iso27001_2022)} | "
        lines.append(row + f"{cell or _t('no_check', lang)} |")
    for item in pack.items.values():
        lines += ["", f"### {item.id} {tr(item.title, lang)}", ""]
        if item.status == "not-assessable":
            lines += [f"Not assessable from a governance repository: {tr(item.reason, lang)}", ""]
            continue
        lines += [tr(item.evidence, lang), ""]
        for check in pack.checks_of_item(item.id):
            lines += _check_markdown(check, lang)
    return lines


def _check_markdown(check: CheckDef, lang: str) -> list[str]:
    what = tr(check.doc.get("what"), lang) or tr(check.title, lang)
    code = ", ".join(f"`{name}`" for name in check.code if name != "load")
    same = f"; same as `{check.same_as}`" if check.same_as else ""
    out = [f"- **`{check.id}`** ({check.severity.value}): {what}"]
    if code:
        out.append(f"  Code: {code}{same}.")
    settings = check.thresholds
    if settings:
        shown = ", ".join(
            f"`{k}` = `{_show(v)}`" if len(_show(v)) <= 40 else f"`{k}` (see `policylint explain`)"
            for k, v in settings.items()
        )
        out.append(f"  Settings: {shown}.")
    return out


# ---------------------------------------------------------------------------------------------
# ``explain``


@dataclass(frozen=True)
class Chapter:
    id: str


def resolve_id(pack: RulePack, text: str) -> Item | CheckDef | Chapter:
    """The item, check or chapter (``II.4``) ``text`` names (either spelling of Ⅱ; a unique
    check slug works too)."""
    raw = text.strip()
    head, sep, slug = raw.partition("/")
    wanted = normalise_item_id(head) + sep + slug
    if wanted.startswith("Ⅱ"):
        wanted = "II" + wanted[1:]
    if wanted in pack.items:
        return pack.items[wanted]
    if wanted.rstrip(".") in pack.chapters:
        return Chapter(wanted.rstrip("."))
    check = pack.check(wanted)
    if check is not None:
        return check
    by_slug = [c for c in pack.all_checks() if c.id.split("/", 1)[1] == raw]
    if len(by_slug) > 1:  # the same slug in several frameworks: the primary one's
        primary = [c for c in by_slug if c.framework in (pack.id, "policylint")]
        by_slug = primary if len(primary) == 1 else by_slug
    if len(by_slug) == 1:
        return by_slug[0]
    close: tuple[str, ...] = selectors_like(wanted, pack)
    if not close and by_slug:
        close = tuple(c.id for c in by_slug)[:3]
    if not close:  # a slug alone, misspelt: the checks whose slug is close
        slugs: dict[str, str] = {}
        for c in pack.all_checks():  # the first pack's check of a slug
            slugs.setdefault(c.id.split("/", 1)[-1], c.id)
        close = tuple(slugs[s] for s in did_you_mean(raw, slugs))
    shown = hint(close) if close else " (see `policylint rules`)"
    raise UsageError(f"unknown item, check or chapter id '{raw}'{shown}")


def explain_chapter(pack: RulePack, chapter: Chapter, lang: str) -> str:
    lines = [f"{chapter.id} {tr(pack.chapters.get(chapter.id), lang)}", ""]
    for item in pack.items.values():
        if item.chapter != chapter.id:
            continue
        level = _LEVEL.get(item.level, {}).get(lang, item.level)
        lines.append(f"{item.id}  [{level}]  {tr(item.title, lang)}")
        checks = pack.checks_of_item(item.id)
        for check in checks:
            mark = _SEVERITY_MARK[check.severity.value]
            lines.append(f"    {mark}  {check.id}  {tr(check.title, lang)}")
        if not checks:
            lines.append(f"    {_t('no_check', lang)}")
    return "\n".join(lines) + "\n"


def explain_item(pack: RulePack, item: Item, lang: str) -> str:
    chapter = tr(pack.chapters.get(item.chapter), lang)
    level = _LEVEL.get(item.level, {}).get(lang, item.level)
    lines = [
        f"{item.id} {tr(item.title, lang)}",
        f"{_t('level', lang)}: {level}   ({item.chapter} {chapter})",
        "",
        f"{_t('summary', lang)}:",
        _indent(tr(item.summary, lang)),
    ]
    if item.evidence:
        lines += ["", f"{_t('evidence', lang)}:", _indent(tr(item.evidence, lang))]
    if item.iso27001_2022 or item.iso27001_2013:
        iso = [f"2022: {', '.join(item.iso27001_2022) or '-'}"]
        iso.append(f"2013: {', '.join(item.iso27001_2013) or '-'}")
        lines += ["", f"{_t('iso', lang)}: {'; '.join(iso)}"]
    lines += _crosswalk_lines(item, lang)
    lines += ["", f"{_t('checks', lang)}:"]
    checks = pack.checks_of_item(item.id)
    for check in checks:
        mark = _SEVERITY_MARK[check.severity.value]
        lines.append(f"  {mark}  {check.id}  {tr(check.title, lang)}")
    if item.status == "not-assessable":
        lines += [f"  {_t('not_assessable', lang)}", "", f"{_t('why_not', lang)}:"]
        lines.append(_indent(tr(item.reason, lang)))
    elif not checks:
        lines.append(f"  {_t('no_check', lang)}")
    return "\n".join(lines) + "\n"


def _crosswalk_lines(item: Item, lang: str) -> list[str]:
    """The item's counterparts in every other framework that has a crosswalk with its own."""
    from policylint.crosswalk import crosswalk_between
    from policylint.rulepack import known_frameworks

    lines: list[str] = []
    for other in known_frameworks():
        if other == item.framework or not item.framework:
            continue
        cw = crosswalk_between(item.framework, other)
        if cw is None:
            continue
        links = cw.targets_of(item.id)
        if links:
            lines += ["", f"{_t('crosswalk', lang)} ({other}):"]
            lines += [
                f"  {lk.relationship:<9}  {lk.target}  {tr(lk.rationale, lang)}" for lk in links
            ]
    return lines


def explain_check(pack: RulePack, check: CheckDef, lang: str) -> str:
    lines = [
        f"{check.id}  {tr(check.title, lang)}",
        f"{_t('severity', lang)}: {check.severity.value}",
    ]
    item = pack.items.get(check.item or "")
    if item is not None:
        lines.append(f"{_t('item', lang)}: {item.id} {tr(item.title, lang)}")
    if check.basis:
        basis = check.basis
        if basis == "main":
            shown = _t("main", lang)
        elif basis.startswith("bp-"):
            shown = _t("bp", lang, n=basis[3:])
        else:
            shown = basis
        lines.append(f"{_t('basis', lang)}: {shown}")
    if check.same_as:
        code = ", ".join(check.code)
        lines.append(_t("same_as", lang, check=check.same_as, code=code))
    what = tr(check.doc.get("what"), lang) or tr(check.title, lang)
    lines += ["", f"{_t('what', lang)}:", _indent(what)]
    if item is not None:
        lines += ["", f"{_t('why', lang)}:", _indent(tr(item.summary, lang))]
    for key in ("fail", "pass"):
        example = check.doc.get(key)
        if isinstance(example, str) and example.strip():
            lines += ["", f"{_t(key, lang)}:", _indent(example.rstrip("\n"))]
    hint = tr(check.hint, lang)
    if hint and not re.fullmatch(r"\{\w+\}", hint.strip()):
        lines += ["", f"{_t('fix', lang)}:", _indent(hint)]
    settings = {"severity": check.severity.value, **check.thresholds}
    lines += ["", f"{_t('settings', lang)}:"]
    lines += [f"  {k}: {_show(v)}" for k, v in settings.items()]
    return "\n".join(lines) + "\n"


def kind_field_schema(kind: str, field_path: str = "") -> tuple[Any, Any] | None:
    """The schema of a kind and, for ``field_path`` (dotted: ``cia.integrity``; a register's
    item fields by their names), the schema of that field (None: not a kind, or no such field)."""
    from policylint.validate import kind_schema

    ks = kind_schema(kind)
    if ks is None:
        return None
    node: Any = ks.part("item") if ks.is_register else ks.schema
    if not field_path:
        return ks.schema, None
    for step in field_path.split("."):
        if not isinstance(node, dict):
            return None
        if "properties" not in node and isinstance(node.get("items"), dict):
            node = node["items"]
        props = node.get("properties")
        if not isinstance(props, dict) or step not in props:
            if node is ks.part("item") and step in (ks.schema.get("properties") or {}):
                node = ks.schema["properties"][step]  # a register's own field (owner, ...)
                continue
            return None
        node = props[step]
    return ks.schema, node


def checks_reading(pack: RulePack, kind: str, field_name: str | None = None) -> list[CheckDef]:
    """The checks whose steps name ``kind`` (and, when given, the field)."""
    out = []
    for check in pack.all_checks():
        for step in check.steps:
            kinds = step.params.get("kind", ())
            kinds = (kinds,) if isinstance(kinds, str) else tuple(kinds)
            names = [step.params.get(k) for k in ("field", "not_after", "interval_field")]
            names += list(step.params.get("fields", ()))
            if kind in kinds and (field_name is None or field_name in names):
                out.append(check)
                break
    return out


def explain_kind(pack: RulePack, kind: str, field_path: str, lang: str) -> str | None:
    """What a kind (``assets``) or one of its fields (``assets.owner``) is, and the checks that
    read it; None when there is no such kind or field."""
    found = kind_field_schema(kind, field_path)
    if found is None:
        return None
    schema, sub = found
    lines: list[str] = []
    if sub is None:
        lines += [f"kind: {kind}  {schema.get('title', '')}".rstrip(), ""]
        lines.append(_indent(str(schema.get("description", ""))))
    else:
        shown = sub.get("type", "")
        if shown == "array" and isinstance(sub.get("items"), dict):
            shown = f"list of {sub['items'].get('type', 'values')}"
        lines += [f"{kind}.{field_path}  ({shown})" if shown else f"{kind}.{field_path}", ""]
        lines.append(_indent(str(sub.get("description", ""))))
        ref = sub.get("x-ref") or (sub.get("items") or {}).get("x-ref")
        if ref:
            lines += ["", f"  -> {ref}"]
    name = field_path.rsplit(".", 1)[-1] if field_path else None
    checks = checks_reading(pack, kind, name)
    if checks:
        lines += ["", f"{_t('checks', lang)}:"]
        for check in checks:
            mark = _SEVERITY_MARK[check.severity.value]
            lines.append(f"  {mark}  {check.id}  {tr(check.title, lang)}")
    return "\n".join(lines) + "\n"


def _indent(text: str, pad: str = "  ") -> str:
    return "\n".join(pad + line if line else line for line in text.splitlines())


# ---------------------------------------------------------------------------------------------
# commands


def _with_every_framework(pack: RulePack) -> RulePack:
    from policylint.rulepack import known_frameworks, load_packs

    return load_packs([*pack.ids, *known_frameworks()])


def _pack_and_lang(
    config_file: Path | None, lang: str | None, frameworks: tuple[str, ...] = ()
) -> tuple[RulePack, str]:
    from policylint.config import load_config
    from policylint.rulepack import load_packs

    config = load_config(Path("."), config_file).with_frameworks(frameworks)
    return load_packs(config.frameworks), lang or default_lang(config.lang)


_CONFIG_OPTION = click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path),
    help="Configuration file (default: policylint.yaml or pyproject.toml in the current folder).",
)


@main.command()
@click.option(
    "--format",
    "output_format",
    default="text",
    show_default=True,
    type=click.Choice(["text", "json", "markdown"]),
    help="Output format (markdown: the reference of docs/checks.md).",
)
@click.option("--lang", type=click.Choice(["ja", "en"]), help="Language of titles.")
@_CONFIG_OPTION
@framework_option
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@guarded
def rules(
    output_format: str,
    lang: str | None,
    config_file: Path | None,
    frameworks: tuple[str, ...],
    debug: bool,
) -> None:
    """List the items or controls of each framework with their checks (or why a control is
    not assessable from a governance repository)."""
    pack, language = _pack_and_lang(config_file, lang, frameworks)
    if output_format == "json":
        json.dump(rules_data(pack), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif output_format == "markdown":
        sys.stdout.write(render_rules_markdown(pack, language))
    else:
        render_rules_text(pack, language, sys.stdout)
    sys.exit(EXIT_OK)


@main.command()
@click.argument("ident", metavar="ID")
@click.option("--lang", type=click.Choice(["ja", "en"]), help="Language of the explanation.")
@_CONFIG_OPTION
@framework_option
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@guarded
def explain(
    ident: str,
    lang: str | None,
    config_file: Path | None,
    frameworks: tuple[str, ...],
    debug: bool,
) -> None:
    """Explain a guideline item or control (e.g. II.4.1.1, A.5.9), a check (e.g.
    II.4.1.1/asset-owner), a chapter (e.g. II.4), a kind (assets) or a field of a kind
    (assets.owner); an id of any installed framework is found without --framework."""
    pack, language = _pack_and_lang(config_file, lang, frameworks)
    if not frameworks:
        pack = _with_every_framework(pack)
    kind, _, field_path = ident.strip().partition(".")
    about_kind = explain_kind(pack, kind, field_path, language) if "/" not in ident else None
    if about_kind is not None:
        sys.stdout.write(about_kind)
        sys.exit(EXIT_OK)
    found = resolve_id(pack, ident)
    if isinstance(found, Chapter):
        sys.stdout.write(explain_chapter(pack, found, language))
    elif isinstance(found, Item):
        sys.stdout.write(explain_item(pack, found, language))
    else:
        sys.stdout.write(explain_check(pack, found, language))
    sys.exit(EXIT_OK)
