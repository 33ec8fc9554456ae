"""``policylint crosswalk``: how the items of one framework map onto another (text, JSON,
Markdown), from the data in ``rules/crosswalks/``."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from policylint.cli import EXIT_OK, default_lang, guarded, main
from policylint.crosswalk import Crosswalk, load_crosswalk
from policylint.diagnostics import printable
from policylint.rulepack import load_rulepack, tr

_L = {
    "none": {"en": "no counterpart", "ja": "対応なし"},
    "head": {
        "en": "| {a} | title | relationship | {b} | title | rationale |",
        "ja": "| {a} | 題名 | 関係 | {b} | 題名 | 理由 |",
    },
}


def crosswalk_data(cw: Crosswalk, lang: str) -> dict[str, Any]:
    src, dst = load_rulepack(cw.source), load_rulepack(cw.target)
    items = []
    for item in src.items.values():
        links = cw.targets_of(item.id)
        entry: dict[str, Any] = {
            "id": item.id,
            "title": tr(item.title, lang),
            "mappings": [
                {
                    "id": lk.target,
                    "title": tr(dst.items[lk.target].title, lang),
                    "relationship": lk.relationship,
                    "rationale": tr(lk.rationale, lang),
                }
                for lk in links
            ],
        }
        if item.id in cw.unmapped:
            entry["no_counterpart"] = tr(cw.unmapped[item.id], lang)
        if links or item.id in cw.unmapped:
            items.append(entry)
    return {
        "from": {"id": cw.source, "title": tr(src.framework.get("title"), lang)},
        "to": {"id": cw.target, "title": tr(dst.framework.get("title"), lang)},
        "source": f"rules/crosswalks/{cw.path}",
        "items": items,
    }


def render_text(data: dict[str, Any], lang: str) -> str:
    lines = [f"{data['from']['id']} → {data['to']['id']}  ({data['source']})", ""]
    for item in data["items"]:
        lines.append(f"{item['id']}  {item['title']}")
        for m in item["mappings"]:
            lines.append(f"    {m['relationship']:<9}  {m['id']}  {m['title']}")
            lines.append(f"               {m['rationale']}")
        if "no_counterpart" in item:
            lines.append(f"    ({_L['none'][lang]})  {item['no_counterpart']}")
    return "\n".join(printable(line) for line in lines) + "\n"


def render_markdown(data: dict[str, Any], lang: str) -> str:
    def cell(text: str) -> str:
        return printable(text).replace("|", "\\|")

    lines = [
        f"# {cell(data['from']['title'])} → {cell(data['to']['title'])}",
        "",
        _L["head"][lang].format(a=data["from"]["id"], b=data["to"]["id"]),
        "|---|---|---|---|---|---|",
    ]
    for item in data["items"]:
        for m in item["mappings"]:
            lines.append(
                f"| {item['id']} | {cell(item['title'])} | {m['relationship']} | {m['id']} | "
                f"{cell(m['title'])} | {cell(m['rationale'])} |"
            )
        if "no_counterpart" in item:
            lines.append(
                f"| {item['id']} | {cell(item['title'])} | — | — | {_L['none'][lang]} | "
                f"{cell(item['no_counterpart'])} |"
            )
    return "\n".join(lines) + "\n"


@main.command()
@click.option("--from", "source", required=True, metavar="ID", help="Framework mapped from.")
@click.option("--to", "target", required=True, metavar="ID", help="Framework mapped to.")
@click.option(
    "--format",
    "output_format",
    default="text",
    show_default=True,
    type=click.Choice(["text", "json", "markdown"]),
)
@click.option("--lang", type=click.Choice(["ja", "en"]), help="Language of titles and rationale.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@guarded
def crosswalk(source: str, target: str, output_format: str, lang: str | None, debug: bool) -> None:
    """Print how each item of one framework maps onto another: relationship (equal, subset,
    superset, intersect) and rationale, from rules/crosswalks/ (either direction)."""
    language = lang or default_lang()
    load_rulepack(source), load_rulepack(target)  # unknown framework: a usage error naming it
    data = crosswalk_data(load_crosswalk(source, target), language)
    if output_format == "json":
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    elif output_format == "markdown":
        sys.stdout.write(render_markdown(data, language))
    else:
        sys.stdout.write(render_text(data, language))
    sys.exit(EXIT_OK)
