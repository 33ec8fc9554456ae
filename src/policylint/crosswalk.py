"""Crosswalks between rule packs, as data: ``rules/crosswalks/<from>--<to>.yaml``.

Each mapping says how an item of one framework relates to an item or control of another
(``equal``, ``subset``, ``superset``, ``intersect``) and why. A crosswalk read in the other
direction swaps ``subset`` and ``superset``. Every id is checked against both catalogues when
loaded: a crosswalk that names an item a pack does not have is an error, never a silent gap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from policylint.errors import PolicylintError, UsageError
from policylint.resources import data_dir
from policylint.rulepack import Text, _read_yaml, _validate, load_rulepack

RELATIONSHIPS = ("equal", "subset", "superset", "intersect")
_INVERSE = {"equal": "equal", "subset": "superset", "superset": "subset", "intersect": "intersect"}


@dataclass(frozen=True)
class Link:
    source: str
    target: str
    relationship: str
    rationale: Text
    note: str = ""


@dataclass(frozen=True)
class Crosswalk:
    source: str
    target: str
    title: Text
    links: tuple[Link, ...]
    unmapped: Mapping[str, Text]
    """Items of the source framework with no counterpart, and why."""
    path: str

    def targets_of(self, item: str) -> list[Link]:
        return [link for link in self.links if link.source == item]

    def inverse(self) -> Crosswalk:
        links = tuple(
            Link(lk.target, lk.source, _INVERSE[lk.relationship], lk.rationale, lk.note)
            for lk in self.links
        )
        return Crosswalk(self.target, self.source, self.title, links, {}, self.path)


def _folder() -> Any:
    return data_dir("rules") / "crosswalks"


def available() -> list[tuple[str, str]]:
    """The (from, to) pairs shipped in ``rules/crosswalks/``."""
    folder = _folder()
    if not folder.is_dir():
        return []
    pairs = []
    for path in sorted(folder.glob("*--*.yaml")):
        a, _, b = path.stem.partition("--")
        pairs.append((a, b))
    return pairs


@cache
def _load_file(source: str, target: str, validate: bool = False) -> Crosswalk:
    path = _folder() / f"{source}--{target}.yaml"
    raw = _read_yaml(path)
    if validate:
        _validate(raw, "crosswalk.schema.json", path)
    head = raw["crosswalk"]
    if (head["from"], head["to"]) != (source, target):
        raise PolicylintError(f"{path}: names {head['from']} → {head['to']}, not its file name")
    src, dst = load_rulepack(source), load_rulepack(target)
    links: list[Link] = []
    unmapped: dict[str, Text] = {}
    for entry in raw["mappings"]:
        item = entry["from"]
        if item not in src.items:
            raise PolicylintError(f"{path}: {item} is not an item of {source}")
        if not entry["to"]:
            unmapped[item] = entry.get("rationale", {})
        for to in entry["to"]:
            if to["id"] not in dst.items:
                raise PolicylintError(f"{path}: {to['id']} is not an item of {target}")
            if to["relationship"] not in RELATIONSHIPS:
                raise PolicylintError(f"{path}: unknown relationship {to['relationship']}")
            links.append(
                Link(item, to["id"], to["relationship"], to["rationale"], str(to.get("note", "")))
            )
    return Crosswalk(source, target, head["title"], tuple(links), unmapped, str(path.name))


def load_crosswalk(source: str, target: str, validate: bool = False) -> Crosswalk:
    """The crosswalk from ``source`` to ``target`` (a shipped one, or the inverse of one)."""
    pairs = available()
    if (source, target) in pairs:
        return _load_file(source, target, validate)
    if (target, source) in pairs:
        return _load_file(target, source, validate).inverse()
    known = ", ".join(f"{a} → {b}" for a, b in pairs) or "none"
    raise UsageError(f"no crosswalk between {source} and {target} (known: {known})")


def crosswalk_between(source: str, target: str) -> Crosswalk | None:
    """The crosswalk, or None when there is none (for reports that show one when they can)."""
    try:
        return load_crosswalk(source, target)
    except UsageError:
        return None
