"""The diagnostic record and the raw finding a check yields.

A check yields :class:`Finding` objects (where, which message, with which arguments). The engine
stamps the check id, the guideline item, the configured severity and the rendered message onto an
immutable :class:`Diagnostic`. Checks never know their own severity configuration.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

_EMPTY: Mapping[str, Any] = MappingProxyType({})


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def rank(self) -> int:
        return 2 if self is Severity.ERROR else 1


@dataclass(frozen=True, slots=True)
class Location:
    """A repository-relative POSIX path and a 1-based line and column."""

    path: str
    line: int = 1
    column: int = 1


@dataclass(frozen=True, slots=True)
class Finding:
    """What a check (or the loader) found: a place, a message key and its arguments.

    ``target`` is the id of the document or item concerned (or ``None``); exceptions and baselines
    match on it. ``severity`` overrides the check's severity downwards (a "due soon" warning).
    """

    location: Location
    key: str = "default"
    args: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    target: str | None = None
    severity: Severity | None = None


@dataclass(frozen=True, slots=True)
class LoadFinding:
    """A finding of the tool's own checks raised while loading (parse, schema, dates...)."""

    check_id: str
    finding: Finding


@dataclass(frozen=True, slots=True)
class Diagnostic:
    path: str
    line: int
    column: int
    check_id: str
    item: str | None
    severity: Severity
    message: str
    hint: str
    target: str | None = None
    suppressed_by: str | None = None
    discriminator: str = field(default="", compare=False)
    """Language-independent identity of the finding within its check and target: the message
    key, and the field concerned when there is one. Fingerprints (baselines, SARIF) use it."""

    @property
    def suppressed(self) -> bool:
        return self.suppressed_by is not None

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.check_id, self.message)
