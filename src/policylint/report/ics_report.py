"""The report's due dates as an iCalendar file (RFC 5545) for a calendar application.

Every due date the model implies (reviews, trainings, contract and exception expiries, audits,
owner reviews, partner report reviews) is an all-day event. Each event's ``UID`` is derived
from what falls due (the event type, the item and the thing: a document, a person, a party, an
owner), not from its date, so re-importing next month's calendar moves the event instead of
adding a second one. The same report gives the same bytes (``DTSTAMP`` is the report's date).

Written by hand rather than with a library: the subset used here (VCALENDAR, all-day VEVENTs,
TEXT escaping, 75-octet line folding, CRLF) is a few dozen lines.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TextIO

from policylint import __version__
from policylint.diagnostics import printable
from policylint.report.labels import event_label, label
from policylint.report.model import Due, Report


def escape(text: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newline escaped."""
    out = []
    for line in text.replace("\r\n", "\n").split("\n"):
        safe = printable(line)
        out.append(safe.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,"))
    return "\\n".join(out)


def fold(line: str) -> str:
    """A content line folded at 75 octets (§3.1), never inside a UTF-8 sequence."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    parts: list[str] = []
    current = ""
    size = 0
    limit = 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            parts.append(current)
            current, size, limit = "", 0, 74  # continuation lines start with a space
        current += ch
        size += n
    parts.append(current)
    return "\r\n ".join(parts) + "\r\n"


def uid(report: Report, due: Due) -> str:
    digest = hashlib.sha256(
        f"{report.framework_id}\0{report.repository}\0{due.key}".encode()
    ).hexdigest()
    return f"{digest[:32]}@policylint"


def render(report: Report, out: TextIO, link_base: str = "") -> None:
    lang = report.lang
    stamp = report.as_of.strftime("%Y%m%dT000000Z")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//policylint//policylint {__version__}//{'JA' if lang == 'ja' else 'EN'}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(f'policylint: {report.repository}')}",
    ]
    seen: set[str] = set()
    for due in report.dues:
        ident = uid(report, due)
        if ident in seen:  # the same thing due twice: its earliest date (dues are sorted)
            continue
        seen.add(ident)
        summary = f"{event_label(due.event, lang)}: {due.title}"
        if due.item:
            summary = f"[{due.item}] {summary}"
        where = f"{due.path}:{due.line}"
        desc = f"{label('subject', lang)}: {due.subject}\n{label('where', lang)}: {where}"
        if due.overdue:
            desc += f"\n{label('overdue', lang)}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{ident}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{due.date.strftime('%Y%m%d')}",
        ]
        if due.date < dt.date.max:  # without DTEND an all-day event lasts the one day anyway
            lines.append(f"DTEND;VALUE=DATE:{(due.date + dt.timedelta(days=1)).strftime('%Y%m%d')}")
        lines += [
            f"SUMMARY:{escape(summary)}",
            f"DESCRIPTION:{escape(desc)}",
            f"CATEGORIES:{escape(due.event)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    out.write("".join(fold(line) for line in lines))
