"""How numbers, shares and statuses are shown on the pages (deterministic text)."""

from __future__ import annotations

import math

from .words import ENGLISH

STATUS_ORDER: tuple[str, ...] = ("on-track", "at-risk", "off-track", "not-measured", "done", "closed", "dropped")
STATUS_LABELS: dict[str, str] = {
    "on-track": "On track",
    "at-risk": "At risk",
    "off-track": "Off track",
    "not-measured": "Not measured",
    "done": "Done",
    "closed": "Closed",
    "dropped": "Dropped",
}
GRADE_LABELS: dict[str, str] = {"red": "Red", "yellow": "Yellow", "green": "Green"}
COMMITMENT_LABELS: dict[str, str] = {"committed": "Committed", "aspirational": "Aspirational"}
# What needs attention first on the dashboard.
ATTENTION_STATUSES: tuple[str, ...] = ("off-track", "at-risk")


def status_label(status: str) -> str:
    """``at-risk`` -> ``At risk``."""
    return STATUS_LABELS.get(status, status.replace("-", " ").capitalize())


def pct(share: float | None) -> str:
    """A share as a whole percentage in English (``0.583`` -> ``58%``); an en dash for None.
    Pages use their language's :class:`~mkdocs_okrs.site.words.Words`."""
    return ENGLISH.pct(share)


def bar_width(share: float | None) -> str:
    """A share as a CSS percentage clamped to 0..100 with one decimal (``58.3%``)."""
    if share is None or not math.isfinite(share):
        return "0%"
    value = min(1.0, max(0.0, share)) * 100
    return f"{value:.1f}".rstrip("0").rstrip(".") + "%"


def fraction(share: float | None) -> str:
    """A share clamped to 0..1 with at most four decimals, for CSS (``0.5761``)."""
    if share is None or not math.isfinite(share):
        return "0"
    value = min(1.0, max(0.0, share))
    return f"{value:.4f}".rstrip("0").rstrip(".") or "0"


def data_number(value: float | None) -> str:
    """A number for a ``data-`` attribute: shortest round-trip repr; empty for None."""
    if value is None or not math.isfinite(value):
        return ""
    return repr(float(value))


def num(value: float | int | None) -> str:
    """A quantity in English: ``800``, ``0.25``, ``40,000``; empty for None."""
    return ENGLISH.num(value)


def quantity(value: float | int | None, unit: str | None) -> str:
    """A key result's quantity with its unit in English: ``800 ms``, ``12%``; empty for None."""
    return ENGLISH.quantity(value, unit)


def average(values: list[float]) -> float | None:
    """The mean of ``values``; None for an empty list."""
    return sum(values) / len(values) if values else None
