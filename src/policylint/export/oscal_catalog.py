"""A rule pack as an OSCAL catalog, and a crosswalk as an OSCAL mapping collection.

The OSCAL version is the one compliance-trestle (the newest release, 5.x) reads and writes:
1.2.1, which has the mapping model, so crosswalks are exported as mapping collections. The
output is reproducible: UUIDs are version-5 UUIDs of stable keys, and the timestamp is midnight
UTC of the pack's publication month.

Groups are the pack's chapters; controls its items (id: the item id in lower case, which is an
OSCAL token, as the reports' targets: ``II.4.1.1``, ``A.5.9``; clause ``4.3`` becomes
``clause-4.3``). Each control has
the item's own-words summary as its ``statement`` part, what satisfies it as ``guidance``, one
``assessment-objective`` part per check (class ``best-practice`` for checks derived from a best
practice), and, for a control nothing in a repository can show, the reason as ``guidance`` of
class ``not-assessable``.
"""

from __future__ import annotations

import uuid
from typing import Any

from policylint import __version__
from policylint.crosswalk import Crosswalk
from policylint.report.oscal import NS, OSCAL_VERSION, oscal_token
from policylint.rulepack import CheckDef, Item, RulePack, tr

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:policylint:oscal:catalog")
RELATIONSHIPS = {
    "equal": "equal-to",
    "subset": "subset-of",
    "superset": "superset-of",
    "intersect": "intersects-with",
}
"""Crosswalk relationships as OSCAL mapping relationships (the source relative to the target)."""


def _uuid(*key: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, "|".join(str(k) for k in key)))


def _prop(name: str, value: object, cls: str | None = None) -> dict[str, str]:
    prop = {"name": name, "ns": NS, "value": " ".join(str(value).split()) or "-"}
    if cls:
        prop["class"] = cls
    return prop


def control_id(item_id: str) -> str:
    """The OSCAL token of an item id, as the reports write it (``A.5.9``, ``clause-4.3``)."""
    return oscal_token(item_id)


def _group_id(chapter: str) -> str:
    return "g-" + chapter.lower()


def _timestamp(pack: RulePack) -> str:
    published = str(pack.framework.get("published", "2000-01"))
    return f"{published}-01T00:00:00+00:00"


def _check_part(pack_id: str, item: Item, check: CheckDef, lang: str) -> dict[str, Any]:
    what = tr(check.doc.get("what"), lang) or tr(check.title, lang)
    props = [_prop("check-id", check.id), _prop("severity", check.severity.value)]
    props += [_prop("code", name) for name in check.code]
    if check.same_as:
        props.append(_prop("same-as", check.same_as))
    part: dict[str, Any] = {
        "id": f"{control_id(item.id)}_obj.{check.id.split('/', 1)[1]}",  # unique per check
        "name": "assessment-objective",
        "title": tr(check.title, lang),
        "props": props,
        "prose": what,
    }
    if check.basis.startswith("bp-"):
        part["class"] = "best-practice"
    return part


def _control(pack: RulePack, item: Item, lang: str) -> dict[str, Any]:
    cid = control_id(item.id)
    other = "ja" if lang == "en" else "en"
    props = [
        {"name": "label", "value": item.id},
        _prop("level", item.level),
        _prop("status", item.status),
        _prop("alt-title", tr(item.title, other), cls=other),
    ]
    props += [_prop("iso27001-2022", ref) for ref in item.iso27001_2022]
    parts: list[dict[str, Any]] = [
        {"id": f"{cid}_smt", "name": "statement", "prose": tr(item.summary, lang)},
    ]
    if item.status == "not-assessable":
        parts.append(
            {
                "id": f"{cid}_gdn",
                "name": "guidance",
                "class": "not-assessable",
                "prose": tr(item.reason, lang),
            }
        )
    elif item.evidence:
        parts.append({"id": f"{cid}_gdn", "name": "guidance", "prose": tr(item.evidence, lang)})
    parts += [_check_part(pack.id, item, c, lang) for c in pack.checks_of_item(item.id)]
    return {
        "id": cid,
        "class": item.level,
        "title": tr(item.title, lang),
        "props": props,
        "parts": parts,
    }


def catalog(pack: RulePack, lang: str = "en") -> dict[str, Any]:
    """The OSCAL catalog (JSON object) of ``pack`` in ``lang``."""
    fw = pack.framework
    remarks = tr(fw.get("copyright"), lang) or (
        "Summaries are policylint's own words; item numbers cite the guideline."
        if lang == "en"
        else "概要は policylint 独自の言葉で書いたもので、項目番号のみを引用しています。"
    )
    groups = []
    for chapter, title in pack.chapters.items():
        controls = [_control(pack, i, lang) for i in pack.items.values() if i.chapter == chapter]
        if controls:
            groups.append(
                {"id": _group_id(chapter), "title": tr(title, lang), "controls": controls}
            )
    return {
        "catalog": {
            "uuid": _uuid("catalog", pack.id, lang, __version__),
            "metadata": {
                "title": tr(fw.get("title"), lang),
                "last-modified": _timestamp(pack),
                "version": f"{pack.id} (policylint {__version__})",
                "oscal-version": OSCAL_VERSION,
                "props": [_prop("framework", pack.id), _prop("language", lang)],
                "remarks": remarks,
            },
            "groups": groups,
        }
    }


def mapping_collection(cw: Crosswalk, lang: str = "en") -> dict[str, Any]:
    """The crosswalk as an OSCAL mapping collection between the two packs' catalogs."""
    from policylint.rulepack import load_rulepack

    src, dst = load_rulepack(cw.source), load_rulepack(cw.target)
    maps = [
        {
            "uuid": _uuid("map", cw.source, cw.target, lk.source, lk.target),
            "relationship": RELATIONSHIPS[lk.relationship],
            "matching-rationale": "semantic",
            "sources": [{"type": "control", "id-ref": control_id(lk.source)}],
            "targets": [{"type": "control", "id-ref": control_id(lk.target)}],
            "remarks": tr(lk.rationale, lang),
        }
        for lk in cw.links
    ]
    description = {
        "en": "Crosswalk of policylint's rule packs (rules/crosswalks/), judged by people.",
        "ja": "policylint のルールパック間の対応（rules/crosswalks/）。人が判断したもの。",
    }[lang]
    mapping: dict[str, Any] = {
        "uuid": _uuid("mapping", cw.source, cw.target),
        "source-resource": {"type": "catalog", "href": f"#{cw.source}"},
        "target-resource": {"type": "catalog", "href": f"#{cw.target}"},
        "maps": maps,
    }
    if cw.unmapped:
        mapping["source-gap-summary"] = {
            "uuid": _uuid("gap", cw.source, cw.target),
            "unmapped-controls": [{"with-ids": [control_id(i) for i in cw.unmapped]}],
        }
        mapping["remarks"] = "\n".join(f"{i}: {tr(why, lang)}" for i, why in cw.unmapped.items())
    return {
        "mapping-collection": {
            "uuid": _uuid("mapping-collection", cw.source, cw.target, __version__),
            "metadata": {
                "title": f"{tr(src.framework.get('title'), lang)} → "
                f"{tr(dst.framework.get('title'), lang)}",
                "last-modified": _timestamp(dst),
                "version": f"policylint {__version__}",
                "oscal-version": OSCAL_VERSION,
            },
            "provenance": {
                "method": "human",
                "matching-rationale": "semantic",
                "status": "complete",
                "mapping-description": description,
            },
            "mappings": [mapping],
        }
    }
