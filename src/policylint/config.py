"""Configuration: ``policylint.yaml`` at the root, or ``[tool.policylint]`` in ``pyproject.toml``.

Configuration is data only. It is validated against ``schemas/config.schema.json`` before anything
runs; an unknown key is a usage error that names the file and the key.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policylint.dates import parse_date
from policylint.errors import UsageError
from policylint.loader import FileRefused, decode, inside, parse_yaml, read_bounded
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


def _read_yaml_config(path: Path, shown: str) -> dict[str, Any]:
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
        return {}
    if not isinstance(result.value, dict):
        raise UsageError(f"{shown}:1: the configuration must be a mapping of settings")
    return result.value


def _explain(schema: dict[str, Any], raw: dict[str, Any]) -> list[Any]:
    from jsonschema import Draft202012Validator  # only for invalid configurations

    return sorted(Draft202012Validator(schema).iter_errors(raw), key=lambda e: list(e.path))


def _read_pyproject(path: Path, shown: str) -> dict[str, Any] | None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
    data = _read_config_bytes(path, shown)
    try:
        doc = tomllib.loads(data.decode("utf-8"))
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
        return None  # no [tool.policylint]: not configured here
    section = tool["policylint"]
    if not isinstance(section, dict):
        raise UsageError(
            f"{shown}: [tool.policylint] must be a table of settings",
            ja=f"{shown}: [tool.policylint] は設定のテーブルにしてください",
        )
    return section


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
    if explicit is not None:
        if not explicit.exists():
            raise UsageError(
                f"{explicit}: configuration file not found",
                ja=f"{explicit}: 設定ファイルがありません",
            )
        shown = str(explicit)
        if explicit.name == "pyproject.toml":
            raw = _read_pyproject(explicit, shown) or {}
        else:
            raw = _read_yaml_config(explicit, shown)
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
            raw = _read_yaml_config(found, shown)
        elif (root / "pyproject.toml").is_file():
            shown = str(root / "pyproject.toml")
            raw = _read_pyproject(root / "pyproject.toml", shown)
            rel = "pyproject.toml" if raw is not None else None
    if raw is None:
        return Config()
    return _validate(raw, shown, rel)


def _frameworks(value: str | list[str], shown: str) -> tuple[str, ...]:
    ids = (value,) if isinstance(value, str) else tuple(value)
    if not ids:
        raise UsageError(f"{shown}: framework names no framework (give an id or a list of ids)")
    return tuple(dict.fromkeys(ids))


def _validate(raw: dict[str, Any], shown: str, rel: str | None) -> Config:
    schema = _schema()
    errors = [] if fast_valid(schema, raw) else _explain(schema, raw)
    for err in errors:
        where = ".".join(str(p) for p in err.absolute_path)
        if err.validator == "additionalProperties":
            allowed = schema.get("properties", {}) if not err.absolute_path else {}
            extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
            known = ", ".join(sorted(allowed)) if allowed else ""
            suffix = f" (known keys: {known})" if known else ""
            raise UsageError(f"{shown}: unknown configuration key '{extra[0]}'{suffix}")
        raise UsageError(f"{shown}: invalid configuration at '{where or '(top)'}': {err.message}")
    as_of = raw.get("as_of")
    as_of_date: dt.date | None = None
    if as_of is not None:
        parsed = parse_date(as_of)
        if not isinstance(parsed, dt.date):
            raise UsageError(f"{shown}: as_of must be a date YYYY-MM-DD, not '{as_of}'")
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
