"""Computed values of the contract, as pure functions: progress, expected, status, grade."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from .model import Grade, KeyResult, Objective, Period, Status

ON_TRACK_GAP = -0.10
AT_RISK_GAP = -0.25
BAR = {"committed": 1.0, "aspirational": 0.7}


@dataclass(frozen=True, slots=True)
class KrScore:
    """A key result's progress: ``progress`` clamped to 0..1, ``raw`` unclamped; None when unmeasured."""

    progress: float | None
    raw: float | None


@dataclass(frozen=True, slots=True)
class ObjectiveScore:
    """An objective's computed values at ``today``."""

    progress: float | None
    expected: float
    status: Status
    grade: Grade | None
    krs: tuple[KrScore, ...]


def metric_progress(start: float, target: float, current: float) -> tuple[float, float]:
    """(clamped, raw) progress of a metric: ``(current - start) / (target - start)``.

    Works for decreasing metrics (start above target). ``target == start`` is a
    validation error upstream; here it raises ZeroDivisionError.
    """
    raw = (current - start) / (target - start)
    return min(1.0, max(0.0, raw)), raw


def kr_score(kr: KeyResult) -> KrScore:
    """Progress of one key result: metric ratio, milestone 1/0, or None when unmeasured."""
    if kr.kind == "metric" and kr.start is not None and kr.target is not None and kr.target != kr.start:
        current = kr.current if kr.current is not None else kr.start
        clamped, raw = metric_progress(kr.start, kr.target, current)
        return KrScore(clamped, raw)
    if kr.kind == "milestone":
        value = 1.0 if kr.done else 0.0
        return KrScore(value, value)
    return KrScore(None, None)


def weighted_progress(pairs: Iterable[tuple[float | None, float]]) -> float | None:
    """Weight-averaged progress over (progress, weight) pairs, skipping None; None if none."""
    total = weight_sum = 0.0
    for progress, weight in pairs:
        if progress is None:
            continue
        total += progress * weight
        weight_sum += weight
    if weight_sum == 0:
        return None
    return total / weight_sum


def expected_progress(period: Period, today: dt.date) -> float:
    """Share of the period's days passed by ``today`` (today counted); 0 before, 1 after."""
    if today < period.start:
        return 0.0
    if today > period.end:
        return 1.0
    return ((today - period.start).days + 1) / period.days


def status_for(progress: float | None, expected: float, commitment: str, override: str | None = None) -> Status:
    """on-track / at-risk / off-track from the gap to the expected progress, or the override.

    ``gap = progress - bar * expected`` with bar 1.0 (committed) or 0.7 (aspirational).
    """
    if override:
        return override  # type: ignore[return-value]
    if progress is None:
        return "not-measured"
    gap = progress - BAR.get(commitment, BAR["aspirational"]) * expected
    # Round away binary noise so that an exact boundary (e.g. gap == -0.10) is on the kinder side.
    gap = round(gap, 12)
    if gap >= ON_TRACK_GAP:
        return "on-track"
    if gap >= AT_RISK_GAP:
        return "at-risk"
    return "off-track"


def grade_for(progress: float | None) -> Grade | None:
    """red below 0.4, yellow from 0.4 to below 0.7, green from 0.7; None without progress."""
    if progress is None:
        return None
    # As in status_for: binary noise must not push an exact 0.4 or 0.7 down a grade
    # ((0.6 - 0) / (1.5 - 0) is 0.39999999999999997).
    progress = round(progress, 12)
    if progress < 0.4:
        return "red"
    if progress < 0.7:
        return "yellow"
    return "green"


def score(objective: Objective, today: dt.date) -> ObjectiveScore:
    """All computed values of ``objective`` at ``today``."""
    krs = tuple(kr_score(kr) for kr in objective.key_results)
    progress = weighted_progress(
        (s.progress, kr.weight) for s, kr in zip(krs, objective.key_results)
    )
    expected = expected_progress(objective.period, today)
    status = status_for(progress, expected, objective.commitment, objective.status_override)
    return ObjectiveScore(progress, expected, status, grade_for(progress), krs)
