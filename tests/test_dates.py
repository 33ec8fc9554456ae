from __future__ import annotations

import datetime as dt

import pytest

from policylint.dates import DateProblem, add_months, parse_date, parse_duration_days, parse_loose


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
        # the forms Japanese users type: all get the ISO form as a hint
        ("2026年4月1日", "format", "2026-04-01"),
        ("R8.4.1", "era", "2026-04-01"),
        ("H31.4.30", "era", "2019-04-30"),
        ("令和８年４月１日", "era", "2026-04-01"),
        ("２０２６-０４-０１", "format", "2026-04-01"),
        ("２０２６／４／１", "format", "2026-04-01"),
        ("2026年2月30日", "calendar", None),
        ("R0.1.1", "era", None),
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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-04-01", dt.date(2026, 4, 1)),
        ("2026/4/1", dt.date(2026, 4, 1)),
        ("2026.04.01", dt.date(2026, 4, 1)),
        ("2026年4月1日", dt.date(2026, 4, 1)),
        ("令和8年4月1日", dt.date(2026, 4, 1)),
        ("令和元年5月1日", dt.date(2019, 5, 1)),
        ("R8.4.1", dt.date(2026, 4, 1)),
        ("r8/4/1", dt.date(2026, 4, 1)),
        ("H31.4.30", dt.date(2019, 4, 30)),
        ("S64.1.7", dt.date(1989, 1, 7)),
        ("２０２６－０４－０１", dt.date(2026, 4, 1)),
        (" 2026-04-01 10:30 ", dt.date(2026, 4, 1)),
        ("2026-04-01T10:30:00+09:00", dt.date(2026, 4, 1)),
        (dt.datetime(2026, 4, 1, 10, 30), dt.date(2026, 4, 1)),
        (dt.date(2026, 4, 1), dt.date(2026, 4, 1)),
        ("2026-02-30", None),
        ("R0.1.1", None),
        ("next week", None),
        ("", None),
        (20260401, None),
        (None, None),
    ],
)
def test_parse_loose_reads_what_people_type(text: object, expected: dt.date | None) -> None:
    assert parse_loose(text) == expected


def test_full_width_digits_are_not_silently_an_iso_date() -> None:
    # Python's \d matches any Unicode digit: the strict reading must not
    assert parse_date("２０２６-０４-０１") == DateProblem("format", "2026-04-01")
