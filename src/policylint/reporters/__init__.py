"""Reporters: each writes a finished :class:`~policylint.engine.Result` to a stream.

Reporters never look at files; they format what the engine produced (the model included, e.g.
the reason of an exception). The name map :data:`FORMATS` is the list of ``--format`` values of
``policylint check``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO, cast

from policylint.diagnostics import Severity

if TYPE_CHECKING:
    from policylint.engine import Result


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    show_hints: bool = True
    show_suppressed: bool = False
    """Text: also list findings suppressed by the baseline (excepted ones are always listed)."""
    threshold: Severity = Severity.ERROR
    """The lowest severity that fails the run (``--severity-threshold``)."""
    path_prefix: str = ""
    """Prepended to paths where the consumer resolves them against the checkout rather than the
    linted root (``github``, ``sarif``): ``gov/`` when the governance repository is ``gov/``."""


Reporter = Callable[["Result", TextIO, ReportOptions], None]

FORMATS: dict[str, str] = {
    "text": "policylint.reporters.text",
    "json": "policylint.reporters.json",
    "sarif": "policylint.reporters.sarif",
    "junit": "policylint.reporters.junit",
    "github": "policylint.reporters.github",
}
"""``--format`` name → module with a ``report(result, out, options)`` function."""


def get_reporter(name: str) -> Reporter:
    """The reporter of a format name (imported lazily: a run pays only for what it prints)."""
    module = importlib.import_module(FORMATS[name])
    return cast(Reporter, module.report)
