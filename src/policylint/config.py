"""Configuration: ``policylint.yaml`` at the root, or ``[tool.policylint]`` in ``pyproject.toml``.

Configuration is data only. It is validated against ``schemas/config.schema.json`` before anything
runs; an unknown key is a usage error that names the file and the key.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policylint.dates import parse_date
from policylint.errors import UsageError
from policylint.loader import FileRefused, decode, inside, node_at, parse_yaml, read_bounded
from policylint.resources import data_dir
from policylint.validate import fast_valid

CONFIG_NAMES = ("policylint.yaml", "policylint.yml", ".policylint.yaml")
DEFAULT_EXCLUDE = ()


@dataclass(frozen=True)
class Config:
    path: str | None = None
    """Repository-relative path of the configuration file, when there is one."""
    frameworks: tuple[str, ...] = ("mic-asp-saas-2008",)
    """The frameworks checked (``framework:``, one id or a list); the first is primary."""
    lang: str | None = None
    as_of: dt.date | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    checks: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    max_file_bytes: int = 10 * 1024 * 1024
    aliases: Mapping[str, str] = field(default_factory=dict)
    """Other names of the convention's fields (``effective_date: approved_on``), for a repository
    written for another tool."""
    unknown_fields: str = "warn"
    """``warn``: near misses of a defined field (warnings); ``error``: every unknown field
    (errors); ``off``: none."""
    approvals: Mapping[str, str] = field(default_factory=dict)
    """``history: auto|required|off`` (git history of approvals), ``signed: optional|required``."""
    locate: Callable[[Sequence[str | int]], int | None] = field(
        default=lambda path: None, compare=False, repr=False
    )
    """The line of a setting in the configuration file (None: unknown), for messages."""

    def where(self, *path: str | int) -> str:
        """``policylint.yaml:LINE`` of a setting, for a message about it."""
        line = self.locate(path)
        name = self.path or "configuration"
        return f"{name}:{line}" if line is not None else name

    @property
    def framework(self) -> str:
        return self.frameworks[0]

    def with_frameworks(self, frameworks: tuple[str, ...]) -> Config:
        """This configuration with the frameworks of ``--framework`` (when any were given)."""
        if not frameworks:
            return self
        import dataclasses

        return dataclasses.replace(self, frameworks=tuple(dict.fromkeys(frameworks)))

    @property
    def history_mode(self) -> str:
        return self.approvals.get("history", "auto")

    @property
    def signed_mode(self) -> str:
        return self.approvals.get("signed", "optional")


def _schema() -> dict[str, Any]:
    text = (data_dir("schemas") / "config.schema.json").read_text(encoding="utf-8")
    result: dict[str, Any] = json.loads(text)
    return result


MAX_CONFIG_BYTES = 1024 * 1024
"""Largest configuration file (``policylint.yaml``, ``pyproject.toml``) read: a real one is a
few kilobytes; a link to ``/dev/zero`` or a huge file is refused before it is read."""


def _read_config_bytes(path: Path, shown: str) -> bytes:
    try:
        return read_bounded(path, MAX_CONFIG_BYTES)
    except FileRefused as refused:
        raise UsageError(
            f"{shown}: the configuration file {refused.describe('en')}",
            ja=f"{shown}: 設定ファイルは{refused.describe('ja')}",
        ) from None


Locate = Callable[[Sequence[str | int]], int | None]
"""The 1-based line of a setting (a path of keys) in the configuration file, when known."""


def _nowhere(path: Sequence[str | int]) -> int | None:
    return None


def _yaml_locator(root: Any) -> Locate:
    def locate(path: Sequence[str | int]) -> int | None:
        if root is None:
            return None
        found, _ = node_at(root, path)
        return found.start_mark.line + 1 if found is not None else None

    return locate


_TOML_TABLE = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")


def _toml_locator(text: str) -> Locate:
    """Lines of ``[tool.policylint]`` settings, found in the text (``tomllib`` keeps none): the
    line of the deepest named key inside the ``tool.policylint`` tables, else the table's."""
    lines = text.splitlines()

    def locate(path: Sequence[str | int]) -> int | None:
        in_section, header = False, None
        keys = [str(p) for p in path if isinstance(p, str)]
        best: tuple[int, int] | None = None  # (depth of the key matched, line)
        for n, line in enumerate(lines, 1):
            m = _TOML_TABLE.match(line)
            if m:
                name = m[1].replace(" ", "")
                in_section = name == "tool.policylint" or name.startswith("tool.policylint.")
                if name == "tool.policylint":
                    header = n
                continue
            if not in_section:
                continue
            for depth, key in enumerate(keys):
                pattern = rf"^\s*(?:[\"']?{re.escape(key)}[\"']?)\s*[=.]"
                if re.match(pattern, line) and (best is None or depth > best[0]):
                    best = (depth, n)
        return best[1] if best is not None else header

    return locate


def _read_yaml_config(path: Path, shown: str) -> tuple[dict[str, Any], Locate]:
    data = _read_config_bytes(path, shown)
    text = decode(data)
    if isinstance(text, tuple):
        raise UsageError(f"{shown}:{text[1]}: the configuration file is not UTF-8 text")
    result = parse_yaml(text)
    if result.problem is not None:
        line = result.problem.line + 1
        if result.problem.node is not None:
            line = result.problem.node.start_mark.line + 1
        detail = result.problem.details.get("detail", result.problem.key)
        raise UsageError(f"{shown}:{line}: the configuration file is not valid YAML: {detail}")
    if result.duplicates:
        _, second, key = result.duplicates[0]
        raise UsageError(f"{shown}:{second.start_mark.line + 1}: duplicate key '{key}'")
    if result.value is None:
        return {}, _nowhere
    if not isinstance(result.value, dict):
        raise UsageError(
            f"{shown}:1: the configuration must be a mapping of settings (key: value)",
            ja=f"{shown}:1: 設定は「キー: 値」のマッピングで書いてください",
        )
    return result.value, _yaml_locator(result.node)


def _explain(schema: dict[str, Any], raw: dict[str, Any]) -> list[Any]:
    from jsonschema import Draft202012Validator  # only for invalid configurations

    return sorted(Draft202012Validator(schema).iter_errors(raw), key=lambda e: list(e.path))


def _read_pyproject(path: Path, shown: str) -> tuple[dict[str, Any] | None, Locate]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
    data = _read_config_bytes(path, shown)
    try:
        text = data.decode("utf-8")
        doc = tomllib.loads(text)
    except UnicodeDecodeError:
        raise UsageError(
            f"{shown}: the file is not UTF-8 text", ja=f"{shown}: UTF-8 のテキストではありません"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{shown}: cannot read [tool.policylint]: {exc}") from None
    except RecursionError:  # tomllib recurses on nested arrays and inline tables
        raise UsageError(
            f"{shown}: cannot read [tool.policylint]: the TOML nests too deeply",
            ja=f"{shown}: [tool.policylint] を読み取れません（TOML の入れ子が深すぎます）",
        ) from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise UsageError(
            f"{shown}: cannot read [tool.policylint]: {exc}",
            ja=f"{shown}: [tool.policylint] を読み取れません（{exc}）",
        ) from None
    tool = doc.get("tool")
    if not isinstance(tool, dict) or "policylint" not in tool:
        return None, _nowhere  # no [tool.policylint]: not configured here
    section = tool["policylint"]
    if not isinstance(section, dict):
        raise UsageError(
            f"{shown}: [tool.policylint] must be a table of settings",
            ja=f"{shown}: [tool.policylint] は設定のテーブルにしてください",
        )
    return section, _toml_locator(text)


def find_config(root: Path) -> Path | None:
    for name in CONFIG_NAMES:
        if (root / name).is_file():
            return root / name
    return None


def load_config(root: Path, explicit: Path | None = None) -> Config:
    """Read and validate the configuration of the repository at ``root``."""
    raw: dict[str, Any] | None = None
    rel: str | None = None
    shown = ""
    locate: Locate = _nowhere
    if explicit is not None:
        if not explicit.exists():
            raise UsageError(
                f"{explicit}: configuration file not found",
                ja=f"{explicit}: 設定ファイルがありません",
            )
        shown = str(explicit)
        if explicit.name == "pyproject.toml":
            raw, locate = _read_pyproject(explicit, shown)
            raw = raw or {}
        else:
            raw, locate = _read_yaml_config(explicit, shown)
        try:
            rel = explicit.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            rel = None
    else:
        found = find_config(root)
        pyproject = root / "pyproject.toml"
        for candidate in (found, pyproject if found is None and pyproject.is_file() else None):
            if candidate is not None and not inside(root, candidate):
                shown = str(candidate)
                raise UsageError(
                    f"{shown}: the configuration file is a link that leads outside the "
                    "repository; it is not read (name a file outside with --config)",
                    ja=f"{shown}: 設定ファイルがリポジトリの外を指すリンクのため読み込みません"
                    "（外部のファイルは --config で指定してください）",
                )
        if found is not None:
            rel = found.name
            shown = str(found)
            raw, locate = _read_yaml_config(found, shown)
        elif (root / "pyproject.toml").is_file():
            shown = str(root / "pyproject.toml")
            raw, locate = _read_pyproject(root / "pyproject.toml", shown)
            rel = "pyproject.toml" if raw is not None else None
    if raw is None:
        return Config()
    try:
        return _validate(raw, shown, rel, locate)
    except UsageError as exc:
        lang = raw.get("lang")
        exc.lang = lang if lang in ("ja", "en") else None  # the configuration's own language
        raise


def _frameworks(value: str | list[str], shown: str) -> tuple[str, ...]:
    ids = (value,) if isinstance(value, str) else tuple(value)
    if not ids:
        raise UsageError(f"{shown}: framework names no framework (give an id or a list of ids)")
    return tuple(dict.fromkeys(ids))


_EXPECTED = {
    "array": ("a list", "リスト"),
    "string": ("a text", "文字列"),
    "integer": ("a whole number", "整数"),
    "number": ("a number", "数値"),
    "boolean": ("true or false", "true または false"),
    "object": ("a mapping (key: value)", "マッピング（キー: 値）"),
    "null": ("empty", "空"),
}
"""JSON Schema's type names in the words of the person who wrote the configuration (en, ja)."""


def _found(value: Any) -> tuple[str, str]:
    """What was written instead, in the user's words (en, ja)."""
    if isinstance(value, bool):
        return (str(value).lower(), str(value).lower())
    if isinstance(value, str):
        return (f"the text '{value}'", f"文字列 '{value}'")
    if isinstance(value, (int, float)):
        return (f"the number {value}", f"数値 {value}")
    if isinstance(value, list):
        return ("a list", "リスト")
    if isinstance(value, dict):
        return ("a mapping", "マッピング")
    return ("nothing", "空の値")


def _example(key: str, value: Any) -> str:
    """A corrected form of what the user wrote, when one is obvious."""
    if isinstance(value, str) and key in ("include", "exclude"):
        return f"[{value}]"
    return ""


def _config_error(err: Any, shown: str, locate: Locate, schema: dict[str, Any]) -> UsageError:
    """One schema violation of the configuration as a usage error in the user's words, at the
    line of the setting concerned (en and ja)."""
    path = list(err.absolute_path)
    line = locate(path)
    at = f"{shown}:{line}" if line is not None else shown
    where = " > ".join(str(p) for p in path) or "the configuration"
    where_ja = " > ".join(str(p) for p in path) or "設定"
    key = str(path[0]) if path else ""
    value = err.instance
    if err.validator == "additionalProperties":
        allowed = schema.get("properties", {}) if not path else err.schema.get("properties", {})
        extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
        line = locate([*path, extra[0]])
        at = f"{shown}:{line}" if line is not None else shown
        from policylint.suggest import did_you_mean, hint

        known = ", ".join(sorted(allowed))
        inside = f" of {where}" if path else ""
        inside_ja = f" {where_ja} の" if path else ""
        near = did_you_mean(str(extra[0]), allowed)
        return UsageError(
            f"{at}: '{extra[0]}' is not a setting{inside}"
            + (hint(near, "en") or (f" (settings: {known})" if known else "")),
            ja=f"{at}: '{extra[0]}' は{inside_ja}設定項目ではありません"
            + (hint(near, "ja") or (f"（設定項目: {known}）" if known else "")),
        )
    if err.validator == "type":
        names = (
            err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        )
        en = " or ".join(_EXPECTED.get(n, (n, n))[0] for n in names)
        ja = "または".join(_EXPECTED.get(n, (n, n))[1] for n in names)
        found_en, found_ja = _found(value)
        example = _example(key, value)
        return UsageError(
            f"{at}: {where} must be {en}"
            + (f", such as {example}" if example else "")
            + f" (found {found_en})",
            ja=f"{at}: {where_ja} は{ja}で書いてください"
            + (f"（例: {example}）" if example else "")
            + f"。書かれているのは{found_ja}です",
        )
    if err.validator in ("enum", "const"):
        options = err.validator_value if err.validator == "enum" else [err.validator_value]
        allowed = ", ".join(str(o) for o in options)
        return UsageError(
            f"{at}: {where} must be one of: {allowed} (found '{value}')",
            ja=f"{at}: {where_ja} には {allowed} のいずれかを書いてください"
            f"（書かれているのは '{value}'）",
        )
    if err.validator in ("minimum", "exclusiveMinimum"):
        return UsageError(
            f"{at}: {where} must be at least {err.validator_value} (found {value})",
            ja=f"{at}: {where_ja} は {err.validator_value} 以上にしてください"
            f"（書かれているのは {value}）",
        )
    if err.validator == "minItems":
        return UsageError(
            f"{at}: {where} must name at least one",
            ja=f"{at}: {where_ja} には 1 つ以上書いてください",
        )
    if err.validator == "pattern":
        if key == "aliases":
            form = (
                "a field name (lowercase letters, digits, _)",
                "フィールド名（英小文字・数字・_）",
            )
        else:
            form = ("an id (lowercase letters, digits, -)", "ID（英小文字・数字・-）")
        return UsageError(
            f"{at}: {where}: '{value}' is not {form[0]}",
            ja=f"{at}: {where_ja} の '{value}' は{form[1]}ではありません",
        )
    return UsageError(
        f"{at}: {where} has a value policylint cannot use ({err.message})",
        ja=f"{at}: {where_ja} の値は使用できません（{err.message}）",
    )


def _validate(
    raw: dict[str, Any], shown: str, rel: str | None, locate: Locate = _nowhere
) -> Config:
    schema = _schema()
    errors = [] if fast_valid(schema, raw) else _explain(schema, raw)
    for err in errors:
        raise _config_error(err, shown, locate, schema)
    as_of = raw.get("as_of")
    as_of_date: dt.date | None = None
    if as_of is not None:
        parsed = parse_date(as_of)
        if not isinstance(parsed, dt.date):
            line = locate(["as_of"])
            at = f"{shown}:{line}" if line is not None else shown
            hint_en = f"; write {parsed.suggestion}" if parsed.suggestion else ""
            hint_ja = f"。{parsed.suggestion} と書いてください" if parsed.suggestion else ""
            raise UsageError(
                f"{at}: as_of must be a date YYYY-MM-DD, not '{as_of}'{hint_en}",
                ja=f"{at}: as_of は YYYY-MM-DD 形式の日付で書いてください"
                f"（'{as_of}' ではなく）{hint_ja}",
            )
        as_of_date = parsed
    return Config(
        path=rel,
        frameworks=_frameworks(raw.get("framework", "mic-asp-saas-2008"), shown),
        lang=raw.get("lang"),
        as_of=as_of_date,
        include=tuple(raw.get("include", ())),
        exclude=tuple(raw.get("exclude", ())),
        checks=raw.get("checks", {}),
        max_file_bytes=int(raw.get("max_file_bytes", 10 * 1024 * 1024)),
        unknown_fields=str(raw.get("unknown_fields", "warn")),
        approvals=dict(raw.get("approvals") or {}),
        aliases=_aliases(raw.get("aliases", {}), shown),
        locate=locate,
    )


def _aliases(raw: Mapping[str, str], shown: str) -> dict[str, str]:
    """``aliases:`` checked: each target is a field some kind defines. (An alias applies only
    to documents and items whose kind defines the target but not the alias: ``name: title``
    renames a policy's ``name`` and leaves an asset's ``name`` alone.)"""
    from policylint.validate import known_fields

    fields = known_fields()
    out: dict[str, str] = {}
    for alias, target in raw.items():
        if target not in fields:
            raise UsageError(
                f"{shown}: aliases: '{alias}' maps to '{target}', which is not a field of any "
                "kind (see docs/conventions.md)"
            )
        if alias == target:
            raise UsageError(f"{shown}: aliases: '{alias}' maps to itself")
        out[alias] = target
    return out
