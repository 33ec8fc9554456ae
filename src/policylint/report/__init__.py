"""The compliance report: what an auditor reads (``policylint report``).

:func:`build_report` turns one engine run into a :class:`Report` (the status of every guideline
item, the evidence behind it, what falls due); :func:`render` writes it as Markdown, HTML, JSON
or OSCAL assessment results. Renderers format the report only: they never read the repository.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from policylint.report.model import Report, build_report

FORMATS = ("md", "html", "json", "oscal", "ics")
"""Formats written as text (:func:`render`)."""
BINARY_FORMATS = ("xlsx",)
"""Formats written as bytes (:func:`render_bytes`) rather than text."""

Renderer = Callable[[Report, TextIO, str], None]


def get_renderer(name: str) -> Renderer:
    if name == "md":
        from policylint.report.markdown import render
    elif name == "html":
        from policylint.report.html_report import render
    elif name == "json":
        from policylint.report.json_report import render
    elif name == "oscal":
        from policylint.report.oscal import render
    elif name == "ics":
        from policylint.report.ics_report import render
    else:
        raise KeyError(name)
    return render


def render(report: Report, fmt: str, out: TextIO, link_base: str = "") -> None:
    get_renderer(fmt)(report, out, link_base)


def render_bytes(report: Report, fmt: str) -> bytes:
    """A binary format (``xlsx``) as bytes."""
    if fmt != "xlsx":
        raise KeyError(fmt)
    from policylint.report.xlsx_report import render_bytes as xlsx

    return xlsx(report)


__all__ = [
    "BINARY_FORMATS",
    "FORMATS",
    "Report",
    "build_report",
    "get_renderer",
    "render",
    "render_bytes",
]
