"""How numbers, shares and statuses are shown on the pages (deterministic text)."""

from __future__ import annotations

import math

from .words import Words

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
# How a status and a grade are said inside a sentence ("is at risk since", a graph node's
# line "62% · on track"): lower case in English; the catalogue has each as a language writes it.
STATUS_WORDS: dict[str, str] = {
    "on-track": "on track", "at-risk": "at risk", "off-track": "off track", "done": "done",
    "closed": "closed", "dropped": "dropped", "not-measured": "not measured",
}
GRADE_WORDS: dict[str, str] = {"green": "green", "yellow": "yellow", "red": "red"}
# What needs attention first on the dashboard.
ATTENTION_STATUSES: tuple[str, ...] = ("off-track", "at-risk")


def status_label(status: str) -> str:
    """``at-risk`` -> ``At risk``."""
    return STATUS_LABELS.get(status, status.replace("-", " ").capitalize())


def status_in_sentence(status: str, words: Words) -> str:
    """``at-risk`` -> ``at risk``, as said inside a sentence in the language of ``words``."""
    return words.gettext(STATUS_WORDS.get(status, status.replace("-", " ")))


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


def average(values: list[float]) -> float | None:
    """The mean of ``values``; None for an empty list."""
    return sum(values) / len(values) if values else None
