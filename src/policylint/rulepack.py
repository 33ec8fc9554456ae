"""The rule pack as data: the catalog of guideline items and the check definitions.

``rules/<framework>/catalog.yaml`` lists the items; ``rules/<framework>/checks.yaml`` the checks
(which primitive runs with which parameters, for which item, with which messages);
``rules/core.yaml`` the tool's own ``policylint/…`` checks; ``rules/messages.yaml`` the default
messages of each primitive. Everything is validated when loaded.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from policylint.diagnostics import Severity, Words
from policylint.errors import PolicylintError, UsageError
from policylint.loader import SourceFile, decode, parse_yaml
from policylint.resources import data_dir
from policylint.validate import fast_valid

if TYPE_CHECKING:
    from policylint.cache import ParseCache

Text = Mapping[str, str]
"""A text in several languages: ``{"ja": ..., "en": ...}``."""

LANGS = ("ja", "en")
_ITEM_ID = re.compile(r"[IⅡ]{1,2}\s*\.\s*(\d+)\s*\.\s*(\d+)\s*\.\s*(\d+)")


def normalise_item_id(text: str) -> str:
    """``Ⅱ. 4. 1. 1`` or ``II.4.1.1`` → ``II.4.1.1``; other text is returned stripped."""
    text = text.strip()
    m = _ITEM_ID.fullmatch(text)
    return f"II.{m[1]}.{m[2]}.{m[3]}" if m else text


def tr(text: Text | None, lang: str) -> str:
    if not text:
        return ""
    return text.get(lang) or text.get("en") or next(iter(text.values()), "")


@cache
def nouns() -> Mapping[str, Text]:
    """What a kind or a reference target is called in a sentence, per language
    (``rules/messages.yaml``, ``nouns``): ``assets`` is 資産 in Japanese."""
    data = _read_yaml(data_dir("rules") / "messages.yaml")
    found = data.get("nouns", {}) if isinstance(data, dict) else {}
    return found if isinstance(found, dict) else {}


_NOUN_ARGS = ("kind", "target", "targets")


def localize_nouns(template: str, args: Mapping[str, Any], lang: str) -> Mapping[str, Any]:
    """``args`` with the kind and reference-target names (``kind``, ``target``, ``targets``) in
    ``lang``'s words, where the template uses them as nouns. A template that names the kind as
    an identifier (``kind '{kind}'``, ``kind {kind}``) keeps it as written."""
    if lang == "en" or not any(isinstance(args.get(a), str) for a in _NOUN_ARGS):
        return args
    table = nouns()
    out = dict(args)
    for name in _NOUN_ARGS:
        value = args.get(name)
        if not isinstance(value, str) or "{" + name + "}" not in template:
            continue
        if f"kind '{{{name}}}'" in template or f"kind {{{name}}}" in template:
            continue
        parts = [p.strip() for p in value.split("/")]
        if all(p in table for p in parts):
            out[name] = "・".join(tr(table[p], lang) for p in parts)
    return out


class _Args(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


_FORMATTER = string.Formatter()


def render(template: str, args: Mapping[str, Any], lang: str = "en") -> str:
    """Fill ``{name}`` fields; lists are joined with ", ", :class:`Words` give the text of
    ``lang``; unknown fields stay as written."""
    values = _Args()
    for k, v in args.items():
        if isinstance(v, Words):
            v = tr(v, lang)
        if isinstance(v, (list, tuple, set, frozenset)):
            v = ", ".join(str(x) for x in v)
        values[k] = "" if v is None else v
    try:
        return _FORMATTER.vformat(template, (), values)
    except (ValueError, IndexError, KeyError, AttributeError):
        return template


@dataclass(frozen=True)
class Item:
    id: str
    chapter: str
    level: str
    title: Text
    summary: Text
    evidence: Text
    section: Mapping[str, Any] = field(default_factory=dict)
    iso27001_2022: tuple[str, ...] = ()
    iso27001_2013: tuple[str, ...] = ()
    framework: str = ""
    status: str = "checked"
    """``checked`` (the pack has checks for it) or ``not-assessable`` (nothing in a governance
    repository can show it; ``reason`` says why)."""
    reason: Text = field(default_factory=dict)
    kinds: tuple[str, ...] = ()
    """The kinds whose documents or registers are the item's evidence (the report's evidence
    column for checks that find their documents themselves)."""


@dataclass(frozen=True)
class Step:
    primitive: str
    params: Mapping[str, Any]


@dataclass(frozen=True)
class CheckDef:
    id: str
    item: str | None
    severity: Severity
    steps: tuple[Step, ...]
    title: Text
    messages: Mapping[str, Text]
    hint: Text
    basis: str = ""
    doc: Mapping[str, Any] = field(default_factory=dict)
    framework: str = ""
    also: tuple[str, ...] = ()
    """Further items or controls of the same pack that this check's finding answers."""
    same_as: str = ""
    """The check of another pack whose code, parameters and messages this one runs (``same_as``
    in ``checks.yaml``): in a run of both packs the two run once, as one diagnostic."""

    @property
    def items(self) -> tuple[str, ...]:
        """Every item or control of its pack the check serves, its own first."""
        return (self.item, *self.also) if self.item is not None else self.also

    @property
    def code(self) -> tuple[str, ...]:
        """The primitives and built-ins it runs (the names in primitives.py / checks/)."""
        return tuple(dict.fromkeys(s.primitive for s in self.steps))

    @property
    def thresholds(self) -> dict[str, Any]:
        """Parameters configuration may change: all but those that say what is checked."""
        out: dict[str, Any] = {}
        for step in self.steps:
            for k, v in step.params.items():
                if k not in _STRUCTURAL:
                    out.setdefault(k, v)
        return out


_STRUCTURAL = frozenset(
    {"kind", "field", "fields", "where", "where_not", "targets", "leavers", "if_present"}
)


@dataclass(frozen=True)
class RulePack:
    framework: Mapping[str, Any]
    chapters: Mapping[str, Text]
    items: Mapping[str, Item]
    checks: Mapping[str, CheckDef]
    core: Mapping[str, CheckDef]
    primitive_messages: Mapping[str, Mapping[str, Text]]
    frameworks: tuple[Mapping[str, Any], ...] = ()
    """Every framework of the pack, the primary (``framework``) first: several when a run
    checks one repository against several frameworks (:func:`load_packs`)."""

    @property
    def id(self) -> str:
        return str(self.framework.get("id", ""))

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(str(f.get("id", "")) for f in self.frameworks) or (self.id,)

    def items_of(self, framework: str) -> list[Item]:
        return [i for i in self.items.values() if i.framework == framework]

    def only(self, framework: str) -> RulePack:
        """The pack of one of the frameworks of this run (itself when it has only one)."""
        if self.ids == (framework,):
            return self
        return load_rulepack(framework)

    def check(self, check_id: str) -> CheckDef | None:
        return self.checks.get(check_id) or self.core.get(check_id)

    def all_checks(self) -> list[CheckDef]:
        return [*self.core.values(), *self.checks.values()]

    def checks_of_item(self, item_id: str) -> list[CheckDef]:
        return [c for c in self.checks.values() if c.item == item_id or item_id in c.also]

    def message(self, check: CheckDef, key: str, lang: str) -> str:
        text = check.messages.get(key)
        if text is None:
            for step in check.steps:
                text = self.primitive_messages.get(step.primitive, {}).get(key)
                if text is not None:
                    break
        if text is None:
            text = check.messages.get("default") or {"en": key, "ja": key}
        return tr(text, lang)


_READ_THROUGH: list[ParseCache] = []
"""The parse cache the shipped YAML is read through, inside :func:`read_through`."""


@contextmanager
def read_through(cache: ParseCache | None) -> Iterator[None]:
    """Read the shipped YAML (packs, vocabulary, messages) through the parse cache while inside:
    a run of ``check`` with a usable cache does not parse 250 KB of rules at every start."""
    if cache is None:
        yield
        return
    from policylint.cache import ParseCache

    _READ_THROUGH.append(ParseCache(cache.directory))  # its own counts: not the repository's
    try:
        yield
    finally:
        _READ_THROUGH.pop()


def _read_yaml(path: Path) -> Any:
    data = path.read_bytes()
    if _READ_THROUGH:
        src = _READ_THROUGH[-1].parse(SourceFile(path.name, "yaml"), data)
        if not src.findings and src.value is not None:
            return src.value
    text = decode(data)  # not cached, or a problem to report as below
    if isinstance(text, tuple):
        raise PolicylintError(f"{path}: not UTF-8 text")
    result = parse_yaml(text)
    if result.problem is not None:
        raise PolicylintError(
            f"{path}:{result.problem.line + 1}: invalid YAML "
            f"({result.problem.details.get('detail', result.problem.key)})"
        )
    if result.duplicates:
        raise PolicylintError(f"{path}: duplicate key '{result.duplicates[0][2]}'")
    return result.value


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


VOCABULARY_REF = "$vocabulary"
"""A parameter written ``{$vocabulary: name}`` takes the entry ``name`` of the vocabulary: the
pack's ``vocabulary.yaml``, else the shared ``rules/vocabulary.yaml``."""


def _with_vocabulary(value: Any, vocabulary: Mapping[str, Any], where: str) -> Any:
    if isinstance(value, dict):
        if set(value) == {VOCABULARY_REF}:
            name = value[VOCABULARY_REF]
            if not isinstance(name, str) or name not in vocabulary:
                raise PolicylintError(f"{where}: unknown vocabulary entry {name!r}")
            return vocabulary[name]
        return {k: _with_vocabulary(v, vocabulary, where) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_vocabulary(v, vocabulary, where) for v in value]
    return value


def _check_def(
    raw: Mapping[str, Any],
    framework: str = "",
    reuses: str = "",
    vocabulary: Mapping[str, Any] | None = None,
) -> CheckDef:
    if "same_as" in raw:
        return _same_as(raw, framework, reuses)
    vocab = vocabulary or {}

    def params(step: Mapping[str, Any]) -> Any:
        return _freeze(_with_vocabulary(step.get("params", {}), vocab, f"check {raw['id']}"))

    if "steps" in raw:
        steps = tuple(Step(s["primitive"], params(s)) for s in raw["steps"])
    else:
        steps = (Step(raw["primitive"], params(raw)),)
    return CheckDef(
        id=raw["id"],
        item=raw.get("item"),
        severity=Severity(raw.get("severity", "error")),
        steps=steps,
        title=raw.get("title", {}),
        messages=raw.get("messages", {}),
        hint=raw.get("hint", {}),
        basis=raw.get("basis", ""),
        doc=raw.get("doc", {}),
        framework=framework,
        also=tuple(raw.get("also", ())),
    )


def _same_as(raw: Mapping[str, Any], framework: str, reuses: str) -> CheckDef:
    """A check that runs another pack's check: its steps (the same code, the same parameters)
    and, unless given, its severity, messages, hint and examples; its own id, item and title."""
    if not reuses:
        raise PolicylintError(f"check {raw['id']}: same_as needs `reuses: <pack>` in checks.yaml")
    other = load_rulepack(reuses).checks.get(raw["same_as"])
    if other is None:
        raise PolicylintError(f"check {raw['id']}: same_as names unknown check {raw['same_as']}")
    return CheckDef(
        id=raw["id"],
        item=raw.get("item"),
        severity=Severity(raw.get("severity", other.severity.value)),
        steps=other.steps,
        title=raw.get("title", other.title),
        messages=raw.get("messages", other.messages),
        hint=raw.get("hint", other.hint),
        basis=raw.get("basis", ""),
        doc=raw.get("doc", other.doc),
        framework=framework,
        also=tuple(raw.get("also", ())),
        same_as=other.id,
    )


def _validate(data: Any, schema_name: str, shown: Path) -> None:
    schema = json.loads((data_dir("schemas") / schema_name).read_text(encoding="utf-8"))
    if fast_valid(schema, data):
        return  # the common case, without importing jsonschema
    from jsonschema import Draft202012Validator

    for err in Draft202012Validator(schema).iter_errors(data):
        where = "/".join(str(p) for p in err.absolute_path)
        raise PolicylintError(f"{shown}: invalid rule pack at {where}: {err.message}")


@cache
def load_vocabulary(framework: str = "mic-asp-saas-2008") -> Mapping[str, Any]:
    """The words real documents use (section topics, phases, law names, placeholders...): the
    shared ``rules/vocabulary.yaml`` overlaid by the pack's own ``vocabulary.yaml``."""
    rules = data_dir("rules")
    out: dict[str, Any] = {}
    for path in (rules / "vocabulary.yaml", rules / framework / "vocabulary.yaml"):
        if path.is_file():
            data = _read_yaml(path)
            if not isinstance(data, dict):
                raise PolicylintError(f"{path}: the vocabulary must be a mapping")
            out.update(data)
    return MappingProxyType(out)


@cache
def load_rulepack(framework: str = "mic-asp-saas-2008", validate: bool = False) -> RulePack:
    """Load a shipped rule pack.

    The packs ship with policylint and the test suite validates them against their schemas
    (``validate=True``); a normal run skips that, which saves a tenth of a second at start-up.
    Names of primitives and items are always checked.
    """
    rules = data_dir("rules")
    folder = rules / framework
    if (
        not re.fullmatch(r"[a-z0-9][a-z0-9-]*", framework)
        or not (folder / "catalog.yaml").is_file()
    ):
        known = known_frameworks()
        raise UsageError(f"unknown framework '{framework}' (known: {', '.join(known)})")
    catalog = _read_yaml(folder / "catalog.yaml")
    checks_raw = _read_yaml(folder / "checks.yaml")
    core_raw = _read_yaml(rules / "core.yaml")
    if validate:
        _validate(catalog, "rulepack-catalog.schema.json", folder / "catalog.yaml")
        _validate(checks_raw, "rulepack-checks.schema.json", folder / "checks.yaml")
        _validate(core_raw, "rulepack-checks.schema.json", rules / "core.yaml")
    messages = _read_yaml(rules / "messages.yaml")
    vocabulary = load_vocabulary(framework)
    items = {
        raw["id"]: Item(
            id=raw["id"],
            chapter=raw["chapter"],
            level=raw["level"],
            title=raw["title"],
            summary=raw["summary"],
            evidence=raw.get("evidence", {}),
            section=raw.get("section", {}),
            iso27001_2022=tuple(raw.get("iso27001_2022", ())),
            iso27001_2013=tuple(raw.get("iso27001_2013", ())),
            framework=framework,
            status=raw.get("status", "checked"),
            reason=_reason(raw.get("reason"), catalog.get("reasons", {}), raw["id"]),
            kinds=tuple(raw.get("kinds", ())),
        )
        for raw in catalog["items"]
    }
    reuses = str(checks_raw.get("reuses", ""))
    checks = {
        raw["id"]: _check_def(raw, framework, reuses, vocabulary) for raw in checks_raw["checks"]
    }
    for check in checks.values():
        for item_id in (check.item, *check.also):
            if item_id not in items:
                raise PolicylintError(f"check {check.id} names unknown item {item_id}")
    core = {raw["id"]: _check_def(raw, "policylint", "", vocabulary) for raw in core_raw["checks"]}
    for item in items.values():
        if item.status == "checked" and not any(item.id in c.items for c in checks.values()):
            raise PolicylintError(f"{framework}: item {item.id} is 'checked' but has no check")
        if item.status == "not-assessable" and not item.reason:
            raise PolicylintError(f"{framework}: item {item.id} is not assessable without reason")
    return RulePack(
        framework=catalog["framework"],
        chapters={c["id"]: c["title"] for c in catalog["chapters"]},
        items=items,
        checks=checks,
        core=core,
        primitive_messages=messages.get("primitives", {}),
        frameworks=(catalog["framework"],),
    )


def _reason(value: Any, reasons: Mapping[str, Text], item: str) -> Text:
    """An item's own reason, or the name of one of the catalogue's shared ``reasons``."""
    if isinstance(value, str):
        if value not in reasons:
            raise PolicylintError(f"item {item}: unknown reason '{value}'")
        return reasons[value]
    return value or {}


def known_frameworks() -> list[str]:
    rules = data_dir("rules")
    return sorted(p.name for p in rules.iterdir() if (p / "catalog.yaml").is_file())


def load_packs(frameworks: Sequence[str]) -> RulePack:
    """The packs of several frameworks as one: their items and checks side by side, the tool's
    own checks once, the first framework primary (its title heads the outputs). Item and check
    ids of different frameworks never collide (``II.4.1.1`` vs ``A.5.9``)."""
    unique = tuple(dict.fromkeys(frameworks)) or ("mic-asp-saas-2008",)
    return _merged(unique)


@cache
def _merged(frameworks: tuple[str, ...]) -> RulePack:
    packs = [load_rulepack(f) for f in frameworks]
    if len(packs) == 1:
        return packs[0]
    items: dict[str, Item] = {}
    checks: dict[str, CheckDef] = {}
    chapters: dict[str, Text] = {}
    for pack in packs:
        for key, table in ((pack.items, items), (pack.checks, checks)):
            clash = set(key) & set(table)
            if clash:
                raise PolicylintError(f"{pack.id}: ids {sorted(clash)} clash with another pack")
            table.update(key)  # type: ignore[arg-type]
        chapters.update(pack.chapters)
    first = packs[0]
    return RulePack(
        framework=first.framework,
        chapters=chapters,
        items=items,
        checks=checks,
        core=first.core,
        primitive_messages=first.primitive_messages,
        frameworks=tuple(p.framework for p in packs),
    )


def match_selector(selector: str, check: CheckDef) -> bool:
    """A selector names a check id, an item id, or an item prefix such as ``II.4``."""
    sel = normalise_item_id(selector)
    if sel == check.id:
        return True
    if check.item is None:
        return sel == "policylint" or check.id.startswith(sel.rstrip("/") + "/")
    return check.item == sel or check.item.startswith(sel + ".")


def known_selector(selector: str, pack: RulePack) -> bool:
    return any(match_selector(selector, c) for c in pack.all_checks())


def selector_specificity(selector: str, check: CheckDef) -> int:
    """Higher is more specific: a check id beats an item id beats a prefix."""
    sel = normalise_item_id(selector)
    if sel == check.id:
        return 1000
    return len(sel)


def unknown_selectors(selectors: Sequence[str], pack: RulePack) -> list[str]:
    return [s for s in selectors if not known_selector(s, pack)]
