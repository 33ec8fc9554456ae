"""A progress line on stderr for long runs on a terminal.

Shown only when stderr is a TTY, not in CI (``CI`` set) and only once a run has taken longer than
``delay`` seconds: a small repository never sees it, a log never gets it. Redrawn in place at most
ten times a second and erased when the run ends.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

from policylint import STARTED

_LABELS = {
    "en": {"load": "files loaded", "checks": "checks run"},
    "ja": {"load": "ファイル読み込み", "checks": "検査実行"},
}


class ProgressLine:
    def __init__(self, stream: TextIO, lang: str = "en", delay: float = 1.0) -> None:
        self.stream = stream
        self.lang = lang if lang in _LABELS else "en"
        self.start = time.monotonic()
        self.delay = delay
        self.last = 0.0
        self.shown = False

    @staticmethod
    def wanted(stream: TextIO) -> bool:
        isatty = getattr(stream, "isatty", None)
        return bool(isatty and isatty()) and not os.environ.get("CI")

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.start < self.delay or now - self.last < 0.1:
            return
        self.last = now
        label = _LABELS[self.lang].get(phase, phase)
        self.stream.write(f"\r\033[Kpolicylint: {label} {done}/{total}")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()


def progress_for(lang: str, stream: TextIO | None = None) -> ProgressLine | None:
    """A progress line on ``stream`` (stderr) when it is a terminal outside CI, else ``None``."""
    stream = stream or sys.stderr
    return ProgressLine(stream, lang) if ProgressLine.wanted(stream) else None


def format_stats(stats: dict[str, float], files: int) -> str:
    """Per-phase timings for ``--stats``: one line per phase, then the total.

    The total is the whole run since policylint was imported (``policylint.STARTED``); the
    ``start-up`` phase (imports, configuration, rule pack) and ``other`` (whatever no phase
    measured) make the lines add up to it."""
    total = time.perf_counter() - STARTED
    phases = {"start-up": stats.get("start-up", 0.0)}
    phases.update((k, v) for k, v in stats.items() if k != "start-up")
    phases["other"] = max(0.0, total - sum(phases.values()))
    lines = [f"policylint: {phase:<8} {seconds:8.3f} s" for phase, seconds in phases.items()]
    lines.append(f"policylint: {'total':<8} {total:8.3f} s  ({files} files)")
    return "\n".join(lines) + "\n"
