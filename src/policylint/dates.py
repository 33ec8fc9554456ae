"""Calendar dates: strict ISO parsing with helpful hints, month arithmetic, durations."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ]\d{1,2}:\d{2}")
_SLASHED = re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})")
_LOOSE_DASH = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_ERA = re.compile(r"(令和|平成|昭和|R|H|S)\s*(元|\d{1,2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ERA_START = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988, "昭和": 1925, "S": 1925}
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
    m = _ERA.fullmatch(text)
    if m:
        year = _ERA_START[m[1]] + (1 if m[2] == "元" else int(m[2]))
        d = _make(year, int(m[3]), int(m[4]))
        return DateProblem("era", d.isoformat() if d else None)
    m = _SLASHED.fullmatch(text) or _LOOSE_DASH.fullmatch(text)
    if m:
        d = _make(int(m[1]), int(m[2]), int(m[3]))
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
