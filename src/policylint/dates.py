"""Calendar dates: strict ISO parsing with helpful hints, month arithmetic, durations.

Two readings of a date, in one place:

- :func:`parse_date` is strict: ISO 8601 ``YYYY-MM-DD`` and nothing else (what governance files
  must hold), with a :class:`DateProblem` that says why not and what was probably meant;
- :func:`parse_loose` reads the forms people type (``2026/4/1``, ``2026年4月1日``,
  ``令和8年4月1日``, ``R8.4.1``, ``H31.4.30``, full-width digits) and returns the date meant,
  or ``None``. It is the source of ``parse_date``'s suggestions, and what an importer uses to
  convert such values.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ]\d{1,2}:\d{2}", re.ASCII)
_WESTERN = re.compile(
    r"(\d{4})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})"
    r"|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日)",
    re.ASCII,
)
_ERA = re.compile(
    r"(令和|平成|昭和|[RHS])\s*(元|\d{1,2})\s*"
    r"(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2}))",
    re.IGNORECASE | re.ASCII,
)
_ERA_START = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988, "昭和": 1925, "S": 1925}
_TIME_TAIL = re.compile(r"[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$", re.ASCII)
_DURATION = re.compile(r"(\d{1,4})\s*([ymdw])")


@dataclass(frozen=True, slots=True)
class DateProblem:
    """Why a value is not an ISO date, and the ISO text the user probably meant (if known)."""

    reason: str  # "format" | "calendar" | "datetime" | "era"
    suggestion: str | None = None


def _make(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _normalise(text: str) -> str:
    """Full-width digits and punctuation as ASCII (NFKC), without surrounding blanks."""
    return unicodedata.normalize("NFKC", text).strip()


def _era_date(m: re.Match[str]) -> dt.date | None:
    era = m[1] if len(m[1]) > 1 else m[1].upper()
    year = _ERA_START[era] + (1 if m[2] == "元" else int(m[2]))
    month, day = (m[3], m[4]) if m[3] is not None else (m[5], m[6])
    if year <= _ERA_START[era]:
        return None  # era year 0
    return _make(year, int(month), int(day))


def parse_loose(text: object) -> dt.date | None:
    """The calendar date a person meant by ``text``, in any form people commonly type, or ``None``.

    Accepts ISO ``2026-04-01`` and ``2026-4-1``, ``2026/04/01``, ``2026.4.1``, ``2026年4月1日``,
    Japanese era dates (``令和8年4月1日``, ``令和元年5月1日``, ``R8.4.1``, ``H31.4.30``,
    ``S64/1/7``),
    full-width digits and punctuation (``２０２６－０４－０１``), and a trailing time of day
    (``2026-04-01 10:00``: the date). Returns ``None`` for anything else and for days that are
    not on the calendar (``2026-02-30``). A ``datetime`` gives its date, a ``date`` itself.
    Never raises.
    """
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    if not isinstance(text, str):
        return None
    s = _normalise(text)
    s = _TIME_TAIL.sub("", s, count=1) if _TIME_TAIL.search(s) else s
    m = _ERA.fullmatch(s)
    if m:
        return _era_date(m)
    m = _WESTERN.fullmatch(s)
    if m:
        if m[2] is not None:
            return _make(int(m[1]), int(m[2]), int(m[3]))
        return _make(int(m[1]), int(m[4]), int(m[5]))
    return None


def parse_date(value: object) -> dt.date | DateProblem:
    """Parse an ISO 8601 calendar date ``YYYY-MM-DD`` and nothing else.

    Returns the date, or a :class:`DateProblem` saying why not and what was probably meant.
    """
    if isinstance(value, dt.datetime):
        return DateProblem("datetime", value.date().isoformat())
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    m = _ISO.fullmatch(text)
    if m:
        d = _make(int(m[1]), int(m[2]), int(m[3]))
        return d if d is not None else DateProblem("calendar")
    m = _DATETIME.match(text)
    if m:
        return DateProblem("datetime", m[1] if _ISO.fullmatch(m[1]) else None)
    loose = _normalise(text)
    if _ERA.fullmatch(loose):
        d = parse_loose(loose)
        return DateProblem("era", d.isoformat() if d else None)
    if _WESTERN.fullmatch(loose):
        d = parse_loose(loose)
        return DateProblem("format", d.isoformat()) if d else DateProblem("calendar")
    return DateProblem("format")


def add_months(day: dt.date, months: int) -> dt.date | None:
    """``day`` plus ``months`` calendar months, clamped to the month's end; ``None`` past 9999."""
    total = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(total, 12)
    if not 1 <= year <= 9999:
        return None
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


def add_days(day: dt.date, days: int) -> dt.date | None:
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return None


def parse_duration_days(text: object) -> int | None:
    """Parse a retention such as ``7y``, ``18m``, ``90d``, ``2w`` or ``1y6m`` into (rough) days."""
    if not isinstance(text, str):
        return None
    s = text.strip().lower().replace(" ", "")
    if not s:
        return None
    pos, days = 0, 0
    for m in _DURATION.finditer(s):
        if m.start() != pos:
            return None
        n, unit = int(m[1]), m[2]
        days += n * {"y": 365, "m": 30, "w": 7, "d": 1}[unit]
        pos = m.end()
    return days if pos == len(s) and days > 0 else None


EXCEL_EPOCH = dt.date(1899, 12, 30)
"""Day 0 of Excel's 1900 date system (serial 60, the fictitious 1900-02-29, never comes from a
real date after 1900-03-01, which is all a register holds)."""


def from_excel_serial(value: float) -> dt.date | None:
    """The date of an Excel serial day number (``46113`` → 2026-04-01), as a workbook or a CSV
    exported from one holds a date cell without its format; ``None`` when out of range (before
    1900-03-01 or after 9999-12-31) or not a whole day."""
    if isinstance(value, bool) or value != value or not 61 <= value <= 2958465:  # NaN, range
        return None
    whole = int(value)
    if value - whole > 1e-9:
        return None
    return EXCEL_EPOCH + dt.timedelta(days=whole)
