"""Adopting a repository written for another tool: which kind a file without ``kind`` is likely
to be (from its fields, title and headings), using the rule pack's ``likely_kinds`` data
(``rules/<pack>/import.yaml``). Reads only the loaded :class:`~policylint.loader.SourceFile`."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from policylint.loader import SourceFile
from policylint.resources import data_dir

MAX_HEADINGS = 50


@dataclass(frozen=True)
class Rule:
    kind: str
    fields: tuple[str, ...]
    words: tuple[str, ...]


@cache
def rules(framework: str = "mic-asp-saas-2008") -> tuple[Rule, ...]:
    path = data_dir("rules") / framework / "import.yaml"
    if not path.is_file():
        path = data_dir("rules") / "mic-asp-saas-2008" / "import.yaml"
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(
        Rule(
            str(r["kind"]),
            tuple(str(f) for f in r.get("fields", ())),
            tuple(_norm(str(w)) for w in r.get("words", ())),
        )
        for r in raw.get("likely_kinds", [])
    )


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def guess_kind(
    front: Mapping[str, Any], title: str, headings: Sequence[str], framework: str = ""
) -> tuple[str, str] | None:
    """(likely kind, the field or words that suggest it), or ``None`` when nothing does."""
    texts = [_norm(t) for t in (title, *headings[:MAX_HEADINGS]) if t]
    for rule in rules(framework or "mic-asp-saas-2008"):
        for name in rule.fields:
            if name in front:
                return rule.kind, name
        for word in rule.words:
            for text in texts:
                if word in text:
                    return rule.kind, word
    return None


def likely_kind(src: SourceFile, framework: str = "") -> tuple[str, str] | None:
    """The likely kind of a Markdown file whose front matter has no ``kind``."""
    value = src.value
    if src.format != "markdown" or not isinstance(value, dict) or "kind" in value:
        return None
    # the title under any name a tool gives it: title, title_ja, document_title, name
    titles = [v for k, v in value.items() if isinstance(v, str) and ("title" in k or k == "name")]
    title_text = " / ".join(titles)
    headings = [h.text for h in src.headings()]
    return guess_kind(value, title_text, headings, framework)
