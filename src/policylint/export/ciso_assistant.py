"""A rule pack as a CISO Assistant library (YAML).

The structure follows CISO Assistant's library files and loader
(``backend/library/libraries/*.yaml`` of intuitem/ciso-assistant-community): a library with
``urn``, ``locale``, ``ref_id``, ``name``, ``description``, ``copyright``, ``version``,
``publication_date``, ``provider``, ``packager``, ``translations`` and ``dependencies``, whose
``objects`` hold a ``framework`` (``requirement_nodes``: ``urn``, ``ref_id``, ``name``,
``description``, ``depth``, ``parent_urn``, ``assessable``, ``translations``) and, where a
crosswalk to ISO/IEC 27001:2022 exists, a ``requirement_mapping_set`` whose target is CISO
Assistant's own ISO/IEC 27001:2022 framework. The library's locale is Japanese with English
translations (``--lang en`` swaps them).

URNs follow their pattern ``urn:<packager>:risk:<type>:<name>[:<ref>]`` with packager
``policylint``; node URNs of CISO Assistant's ISO framework are ``…:req_node:iso27001-2022:``
followed by the lower-case clause or control number (``a.5.9``, ``6.1.2``).
"""

from __future__ import annotations

from typing import Any

from policylint.crosswalk import crosswalk_between
from policylint.rulepack import Item, RulePack, tr

PACKAGER = "policylint"
ISO_LIBRARY_URN = "urn:intuitem:risk:library:iso27001-2022"
ISO_FRAMEWORK_URN = "urn:intuitem:risk:framework:iso27001-2022"
ISO_NODE = "urn:intuitem:risk:req_node:iso27001-2022:"
LIBRARY_VERSION = 1


def _slug(text: str) -> str:
    return text.lower().replace(" ", "-")


def _node_urn(pack: RulePack, ref: str) -> str:
    return f"urn:{PACKAGER}:risk:req_node:{pack.id}:{_slug(ref)}"


def _texts(item_title: Any, item_text: Any, lang: str, other: str) -> dict[str, Any]:
    return {
        "name": tr(item_title, lang),
        "description": tr(item_text, lang) or None,
        "translations": {
            other: {"name": tr(item_title, other), "description": tr(item_text, other) or None}
        },
    }


def _description(item: Item, lang: str) -> dict[str, str]:
    """The node's description: the item's own-words summary, then what satisfies it (or why
    a governance repository cannot show it), per language."""
    out: dict[str, str] = {}
    for code in ("ja", "en"):
        extra = item.reason if item.status == "not-assessable" else item.evidence
        text = tr(item.summary, code)
        if tr(extra, code):
            text += "\n\n" + tr(extra, code)
        out[code] = text
    return out


def library(pack: RulePack, lang: str = "ja") -> dict[str, Any]:
    """The CISO Assistant library of ``pack`` (locale ``lang``, the other language translated)."""
    other = "en" if lang == "ja" else "ja"
    fw = pack.framework
    framework_urn = f"urn:{PACKAGER}:risk:framework:{pack.id}"
    nodes: list[dict[str, Any]] = []
    for chapter, title in pack.chapters.items():
        chapter_urn = _node_urn(pack, chapter)
        nodes.append(
            {
                "urn": chapter_urn,
                "assessable": False,
                "depth": 1,
                "ref_id": chapter,
                "name": tr(title, lang),
                "translations": {other: {"name": tr(title, other), "description": None}},
            }
        )
        for item in pack.items.values():
            if item.chapter != chapter:
                continue
            node = {
                "urn": _node_urn(pack, item.id),
                "assessable": True,
                "depth": 2,
                "parent_urn": chapter_urn,
                "ref_id": item.id,
            }
            node.update(_texts(item.title, _description(item, lang), lang, other))
            nodes.append(node)
    copyright_text = fw.get("copyright") or {
        "ja": "概要は policylint が独自の言葉で書いたもので、項目番号のみを引用しています。",
        "en": "Summaries are policylint's own words; only item numbers are cited.",
    }
    objects: dict[str, Any] = {
        "framework": {
            "urn": framework_urn,
            "ref_id": pack.id,
            "name": tr(fw.get("title"), lang),
            "description": tr(fw.get("part"), lang),
            "translations": {
                other: {
                    "name": tr(fw.get("title"), other),
                    "description": tr(fw.get("part"), other),
                }
            },
            "requirement_nodes": nodes,
        }
    }
    dependencies: list[str] = []
    mappings = _mappings(pack)
    if mappings:
        dependencies.append(ISO_LIBRARY_URN)
        objects["requirement_mapping_set"] = {
            "urn": f"urn:{PACKAGER}:risk:requirement_mapping_set:{pack.id}-to-iso27001-2022",
            "ref_id": f"{pack.id}-to-iso27001-2022",
            "name": f"{pack.id} → ISO/IEC 27001:2022",
            "description": {
                "ja": "policylint の対応表（rules/crosswalks/）による ISO/IEC 27001:2022 への対応",
                "en": "Mapping to ISO/IEC 27001:2022 from policylint's crosswalk "
                "(rules/crosswalks/)",
            }[lang],
            "source_framework_urn": framework_urn,
            "target_framework_urn": ISO_FRAMEWORK_URN,
            "requirement_mappings": mappings,
        }
    result: dict[str, Any] = {
        "urn": f"urn:{PACKAGER}:risk:library:{pack.id}",
        "locale": lang,
        "ref_id": pack.id,
        "name": tr(fw.get("title"), lang),
        "description": tr(fw.get("part"), lang),
        "copyright": tr(copyright_text, lang),
        "version": LIBRARY_VERSION,
        "publication_date": f"{fw.get('published', '2000-01')}-01",
        "provider": tr(fw.get("publisher"), lang),
        "packager": PACKAGER,
        "translations": {
            other: {
                "name": tr(fw.get("title"), other),
                "description": tr(fw.get("part"), other),
                "copyright": tr(copyright_text, other),
            }
        },
    }
    if dependencies:
        result["dependencies"] = dependencies
    result["objects"] = objects
    return result


def _mappings(pack: RulePack) -> list[dict[str, Any]]:
    """Requirement mappings to CISO Assistant's ISO/IEC 27001:2022 framework: from the
    crosswalk of the pack, or one to one for the ISO pack itself."""
    out: list[dict[str, Any]] = []
    if pack.id == "iso27001-2022":
        for item in pack.items.values():
            out.append(
                {
                    "source_requirement_urn": _node_urn(pack, item.id),
                    "target_requirement_urn": ISO_NODE + _slug(item.id),
                    "relationship": "equal",
                    "rationale": "syntactic",
                }
            )
        return out
    cw = crosswalk_between(pack.id, "iso27001-2022")
    if cw is None:
        return out
    for link in cw.links:
        out.append(
            {
                "source_requirement_urn": _node_urn(pack, link.source),
                "target_requirement_urn": ISO_NODE + _slug(link.target),
                "relationship": link.relationship,
                "rationale": "semantic",
                "annotation": tr(link.rationale, "en"),
            }
        )
    return out
