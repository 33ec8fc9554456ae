from __future__ import annotations

import datetime as dt

import pytest

from policylint.dates import DateProblem, add_months, parse_date, parse_duration_days


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2025, 11, 1), 12, dt.date(2026, 11, 1)),
        (dt.date(2026, 3, 31), -1, dt.date(2026, 2, 28)),
        (dt.date(9999, 12, 31), 12, None),
        (dt.date(2026, 1, 1), 10**20, None),
    ],
)
def test_add_months_clamps_and_never_overflows(
    start: dt.date, months: int, expected: dt.date | None
) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("text", "reason", "suggestion"),
    [
        ("2026/04/01", "format", "2026-04-01"),
        ("2026-4-1", "format", "2026-04-01"),
        ("2026-02-30", "calendar", None),
        ("2026-04-01T10:00:00", "datetime", "2026-04-01"),
        ("令和8年4月1日", "era", "2026-04-01"),
        ("平成31年4月30日", "era", "2019-04-30"),
        ("令和元年5月1日", "era", "2019-05-01"),
        ("next week", "format", None),
    ],
)
def test_parse_date_explains_what_is_wrong(text: str, reason: str, suggestion: str | None) -> None:
    assert parse_date(text) == DateProblem(reason, suggestion)


def test_parse_date_accepts_iso() -> None:
    assert parse_date("2026-04-01") == dt.date(2026, 4, 1)


@pytest.mark.parametrize(
    ("text", "days"),
    [("7y", 2555), ("18m", 540), ("90d", 90), ("1y6m", 545), ("forever", None), ("", None)],
)
def test_parse_duration(text: str, days: int | None) -> None:
    assert parse_duration_days(text) == days
