"""JUnit XML for CI test reports (GitLab ``artifacts:reports:junit``, Jenkins, Azure...).

One ``<testsuite name="policylint">`` with one ``<testcase>`` per check of the rule pack
(``classname`` = guideline item, or ``policylint`` for the tool's own checks; ``name`` = check id).
A check fails when it has a diagnostic at or above ``--severity-threshold``: the ``<failure>``
lists every diagnostic of the check (``path:line:col: SEVERITY message`` and the fix hint).
Diagnostics that do not fail the run (warnings below the threshold, excepted or baselined
findings) go to the testcase's ``<system-out>``. A check turned off by configuration or
selection is ``<skipped>``. No timestamps or durations, so the output is deterministic.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import TYPE_CHECKING, TextIO

from policylint.diagnostics import Diagnostic
from policylint.reporters import ReportOptions
from policylint.reporters._common import FIX_LABEL, check_title, fails, suppression_label

if TYPE_CHECKING:
    from policylint.engine import Result

_RESTRICTED = {i for i in range(0x20) if i not in (0x9, 0xA, 0xD)} | {0xFFFE, 0xFFFF}


def _xml_safe(text: str) -> str:
    """XML 1.0 cannot hold most control characters, even escaped: drop them."""
    return "".join(ch for ch in text if ord(ch) not in _RESTRICTED)


_COUNT = {"en": "{n} finding(s)", "ja": "{n} 件の指摘"}


def _line(result: Result, d: Diagnostic, options: ReportOptions) -> str:
    item = f" [{d.item}]" if d.item else ""
    text = f"{d.place(result.lang)}: {d.severity.word(result.lang).upper()}{item} {d.message}"
    if d.suppressed_by is not None:
        text += f" ({suppression_label(result, d)})"
    if options.show_hints and d.hint:
        text += f"\n    {FIX_LABEL.get(result.lang, 'fix')}: {d.hint}"
    return text


def build(result: Result, options: ReportOptions) -> ET.Element:
    by_check: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in result.diagnostics:
        by_check[d.check_id].append(d)
    suite = ET.Element("testsuite", name="policylint")
    tests = failures = skipped = 0
    for check in result.pack.all_checks():
        setting = result.settings.get(check.id)
        case = ET.SubElement(
            suite,
            "testcase",
            classname=check.item or "policylint",
            name=check.id,
        )
        tests += 1
        diags = by_check.get(check.id, [])
        if setting is None or setting.severity is None:
            skipped += 1
            ET.SubElement(case, "skipped", message="check turned off")
            continue
        failing = [d for d in diags if fails(d, options.threshold)]
        others = [d for d in diags if not fails(d, options.threshold)]
        if failing:
            failures += 1
            worst = max(d.severity.rank for d in failing)
            failure = ET.SubElement(
                case,
                "failure",
                message=_xml_safe(
                    f"{check_title(check, result.lang)}: "
                    + _COUNT.get(result.lang, _COUNT["en"]).format(n=len(failing))
                ),
                type="error" if worst == 2 else "warning",
            )
            failure.text = _xml_safe("\n".join(_line(result, d, options) for d in failing))
        if others:
            out = ET.SubElement(case, "system-out")
            out.text = _xml_safe("\n".join(_line(result, d, options) for d in others))
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(skipped))
    root = ET.Element(
        "testsuites",
        name="policylint",
        tests=str(tests),
        failures=str(failures),
        errors="0",
        skipped=str(skipped),
    )
    root.append(suite)
    return root


def report(result: Result, out: TextIO, options: ReportOptions) -> None:
    root = build(result, options)
    ET.indent(root, space="  ")
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")
