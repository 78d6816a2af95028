"""Planning periods: ``2026``, ``2026-H1``/``H2``, ``2026-Q1``..``Q4``, ``2026-01``..``12``.

With a fiscal year starting in month ``m`` (``fiscal_year_start``, 1-12), years,
halves and quarters are shifted; months never are. A fiscal year is named after
the calendar year in which it ends: with ``fiscal_year_start: 10``, ``2026`` runs
from 2025-10-01 to 2026-09-30 and ``2026-Q1`` is October to December 2025 (the
Microsoft, Apple and US federal convention). With the default ``1`` every period
is the plain calendar one.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re

from .model import Period

ACCEPTED_FORMS = "2026 (year), 2026-H1/2026-H2 (half), 2026-Q1..2026-Q4 (quarter) or 2026-01..2026-12 (month)"

_PERIOD = re.compile(r"([0-9]{4})(?:-(?:H([12])|Q([1-4])|(0[1-9]|1[0-2])))?")


def _month_start(year: int, month0: int) -> dt.date:
    """First day of month ``month0`` (0-based, may exceed 11 or be negative) of ``year``."""
    y, m = divmod(month0, 12)
    return dt.date(year + y, m + 1, 1)


def _month_end(year: int, month0: int) -> dt.date:
    """Last day of month ``month0`` (0-based, may exceed 11 or be negative) of ``year``."""
    y, m = divmod(month0, 12)
    return dt.date(year + y, m + 1, calendar.monthrange(year + y, m + 1)[1])


@functools.lru_cache(maxsize=4096, typed=True)
def parse_period(text: str, fiscal_year_start: int = 1) -> Period | None:
    """The :class:`Period` named by ``text``, or None when it is not a valid period.

    ``fiscal_year_start`` is the month (1-12) the fiscal year starts in; a
    ValueError is raised when it is outside 1-12.
    """
    if not isinstance(fiscal_year_start, int) or isinstance(fiscal_year_start, bool) or not (
        1 <= fiscal_year_start <= 12
    ):
        raise ValueError(f"fiscal_year_start must be a month number 1-12, not {fiscal_year_start!r}")
    if not isinstance(text, str):
        return None
    m = _PERIOD.fullmatch(text)
    if m is None:
        return None
    year = int(m.group(1))
    half, quarter, month = m.group(2), m.group(3), m.group(4)
    try:
        if month is not None:
            start = dt.date(year, int(month), 1)
            return Period(text, "month", start, _month_end(year, int(month) - 1))
        # Month offset (0-based, relative to January of `year`) where the fiscal year starts.
        fy0 = fiscal_year_start - 1 - (12 if fiscal_year_start != 1 else 0)
        if half is not None:
            first, length, kind = fy0 + 6 * (int(half) - 1), 6, "half"
        elif quarter is not None:
            first, length, kind = fy0 + 3 * (int(quarter) - 1), 3, "quarter"
        else:
            first, length, kind = fy0, 12, "year"
        start = _month_start(year, first)
        end = _month_end(year, first + length - 1)
    except (ValueError, OverflowError):
        return None  # outside the calendar (year 0, or past 9999)
    return Period(text, kind, start, end)  # type: ignore[arg-type]


def period_hint(text: str) -> str:
    """A short hint for a bad period: a corrected spelling when one is obvious."""
    fixed = text.strip().upper()
    if fixed != text and _PERIOD.fullmatch(fixed):
        return f"; did you mean {fixed!r}?"
    return ""
