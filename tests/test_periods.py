"""Periods: years, halves, quarters and months, calendar and fiscal."""

from __future__ import annotations

import datetime as dt

import pytest

from mkdocs_okrs.core.periods import parse_period

D = dt.date


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("2026", "year", D(2026, 1, 1), D(2026, 12, 31)),
        ("2026-H1", "half", D(2026, 1, 1), D(2026, 6, 30)),
        ("2026-H2", "half", D(2026, 7, 1), D(2026, 12, 31)),
        ("2026-Q1", "quarter", D(2026, 1, 1), D(2026, 3, 31)),
        ("2026-Q2", "quarter", D(2026, 4, 1), D(2026, 6, 30)),
        ("2026-Q3", "quarter", D(2026, 7, 1), D(2026, 9, 30)),
        ("2026-Q4", "quarter", D(2026, 10, 1), D(2026, 12, 31)),
        ("2026-01", "month", D(2026, 1, 1), D(2026, 1, 31)),
        ("2026-02", "month", D(2026, 2, 1), D(2026, 2, 28)),
        ("2024-02", "month", D(2024, 2, 1), D(2024, 2, 29)),  # leap year
        ("2000-02", "month", D(2000, 2, 1), D(2000, 2, 29)),  # divisible by 400
        ("1900-02", "month", D(1900, 2, 1), D(1900, 2, 28)),  # divisible by 100 only
        ("2026-04", "month", D(2026, 4, 1), D(2026, 4, 30)),
        ("2026-12", "month", D(2026, 12, 1), D(2026, 12, 31)),
        ("9999-12", "month", D(9999, 12, 1), D(9999, 12, 31)),
    ],
)
def test_calendar_periods(text, kind, start, end):
    p = parse_period(text)
    assert p is not None
    assert (p.id, p.kind, p.start, p.end) == (text, kind, start, end)


def test_period_days_and_inclusive_ends():
    q1_leap = parse_period("2024-Q1")
    assert q1_leap.days == 31 + 29 + 31
    assert parse_period("2026").days == 365
    assert parse_period("2024").days == 366
    q4 = parse_period("2026-Q4")
    assert q4.contains(D(2026, 10, 1)) and q4.contains(D(2026, 12, 31))
    assert not q4.contains(D(2027, 1, 1)) and not q4.contains(D(2026, 9, 30))


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        # A fiscal year is named after the calendar year in which it ends.
        ("2026", D(2025, 10, 1), D(2026, 9, 30)),
        ("2026-H1", D(2025, 10, 1), D(2026, 3, 31)),
        ("2026-H2", D(2026, 4, 1), D(2026, 9, 30)),
        ("2026-Q1", D(2025, 10, 1), D(2025, 12, 31)),
        ("2026-Q2", D(2026, 1, 1), D(2026, 3, 31)),
        ("2026-Q4", D(2026, 7, 1), D(2026, 9, 30)),
        ("2026-03", D(2026, 3, 1), D(2026, 3, 31)),  # months are never shifted
    ],
)
def test_fiscal_year_starting_in_october(text, start, end):
    p = parse_period(text, fiscal_year_start=10)
    assert (p.start, p.end) == (start, end)


def test_fiscal_february_start_crosses_leap_day():
    # FY2024 starting in February runs 2023-02-01..2024-01-31; its Q1 ends with Apr 30,
    # and FY2025 H1 (2024-02-01..2024-07-31) holds the leap day.
    assert parse_period("2024", 2).start == D(2023, 2, 1)
    assert parse_period("2024", 2).end == D(2024, 1, 31)
    assert parse_period("2025-H1", 2).days == 29 + 31 + 30 + 31 + 30 + 31
    assert parse_period("2025-Q4", 2).end == D(2025, 1, 31)


def test_fiscal_december_start():
    assert parse_period("2026-Q1", 12).start == D(2025, 12, 1)
    assert parse_period("2026-Q1", 12).end == D(2026, 2, 28)
    assert parse_period("2026-Q4", 12).end == D(2026, 11, 30)


def test_fiscal_start_january_is_the_calendar():
    for text in ("2026", "2026-H2", "2026-Q3", "2026-07"):
        assert parse_period(text, 1) == parse_period(text)


@pytest.mark.parametrize(
    "text",
    ["", "26", "20261", "2026-Q0", "2026-Q5", "2026-H3", "2026-H0", "2026-00", "2026-13", "2026-1",
     "2026-q4", "2026-Q4 ", " 2026", "2026/Q4", "Q4-2026", "2026-W10", "0000", "2026-Q4-01", "２０２６"],
)
def test_invalid_periods(text):
    assert parse_period(text) is None


def test_first_year_with_fiscal_shift_is_out_of_range():
    assert parse_period("0001") is not None
    assert parse_period("0001", 7) is None  # would start in year 0


@pytest.mark.parametrize("bad", [0, 13, -1, True, "10"])
def test_bad_fiscal_year_start_raises(bad):
    with pytest.raises(ValueError):
        parse_period("2026", bad)
