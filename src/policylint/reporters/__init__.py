"""Reporters: each writes a finished :class:`~policylint.engine.Result` to a stream.

Reporters never look at files; they format what the engine produced. The name map below is the
list of ``--format`` values of ``policylint check``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from policylint.engine import Result


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    show_hints: bool = True
    show_suppressed: bool = False


Reporter = Callable[["Result", TextIO, ReportOptions], None]


def get_reporter(name: str) -> Reporter:
    """The reporter of a format name (imported lazily: a run pays only for what it prints)."""
    if name == "text":
        from policylint.reporters.text import report
    else:
        raise KeyError(name)
    return report


FORMATS = ("text",)
