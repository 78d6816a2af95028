"""Computed values of the contract, as pure functions of the model and a day.

Every value can be computed *as of* any day D (the contract's "Over time"):
:func:`value_on` and :func:`done_on_day` give a key result's state on D,
:func:`kr_score_on`, :func:`progress_on` and :func:`status_on` what follows from
it. :func:`score` gathers everything published for ``today``; :func:`changes_since`
lists what happened between two days. Nothing here reads a clock, a file or the
environment: the same arguments always give the same result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Mapping, NamedTuple, TypeVar, Union

from .model import CheckIn, Grade, KeyResult, Objective, Period, Status

ON_TRACK_GAP = -0.10
AT_RISK_GAP = -0.25
BAR = {"committed": 1.0, "aspirational": 0.7}
STALE_DAYS = 21  # an objective with no check-in for more than this many days is stale


def bar_for(commitment: str) -> float:
    """The share of the expected progress an objective of ``commitment`` is measured
    against: 1.0 committed, 0.7 aspirational (an unknown commitment counts as aspirational)."""
    return BAR.get(commitment, BAR["aspirational"])


@dataclass(frozen=True, slots=True)
class KrScore:
    """A key result's computed values on one day.

    ``progress`` is clamped to 0..1, ``raw`` unclamped; both None when the key
    result has no measure. ``value`` is a metric's value on that day (None for
    milestones and unmeasured key results). ``last_checkin`` is the date of the
    latest check-in on or before the day, ``confidence`` the confidence of the
    latest such check-in that gives one (each None when there is none).
    """

    progress: float | None
    raw: float | None
    value: float | None = None
    last_checkin: dt.date | None = None
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class ObjectiveScore:
    """An objective's computed values at ``today`` (see :func:`score`).

    ``progress``, ``expected`` and ``status`` are those on ``today``, also after the
    period ended (the status is then ``closed`` unless overridden). ``score`` is the
    progress on the period's last day, None while the period runs; ``grade`` reads
    the score (None with it). ``in_review``, ``stale`` and ``last_checkin`` are
    described at :func:`in_review`, :func:`stale` and :func:`last_checkin`.
    """

    progress: float | None
    expected: float
    status: Status
    grade: Grade | None
    krs: tuple[KrScore, ...]
    score: float | None = None
    in_review: bool = False
    stale: bool = False
    last_checkin: dt.date | None = None


# --- the plain formulas -----------------------------------------------------------


def metric_progress(start: float, target: float, current: float) -> tuple[float, float]:
    """(clamped, raw) progress of a metric: ``(current - start) / (target - start)``.

    Works for decreasing metrics (start above target). ``target == start`` is a
    validation error upstream; here it raises ZeroDivisionError.
    """
    raw = (current - start) / (target - start)
    return min(1.0, max(0.0, raw)), raw


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
    This is the rule for a running period; :func:`status_on` adds ``closed``.
    """
    if override:
        return override  # type: ignore[return-value]
    if progress is None:
        return "not-measured"
    gap = progress - bar_for(commitment) * expected
    # Round away binary noise so that an exact boundary (e.g. gap == -0.10) is on the kinder side.
    gap = round(gap, 12)
    if gap >= ON_TRACK_GAP:
        return "on-track"
    if gap >= AT_RISK_GAP:
        return "at-risk"
    return "off-track"


def on_track_line(expected: float, commitment: str) -> float:
    """The least progress that is on track (see :func:`status_for`): the bar times the
    expected progress, less the on-track margin, not below 0."""
    return max(0.0, round(bar_for(commitment) * expected + ON_TRACK_GAP, 12))


def grade_for(score: float | None) -> Grade | None:
    """red below 0.4, yellow from 0.4 to below 0.7, green from 0.7; None without a score."""
    if score is None:
        return None
    # As in status_for: binary noise must not push an exact 0.4 or 0.7 down a grade
    # ((0.6 - 0) / (1.5 - 0) is 0.39999999999999997).
    score = round(score, 12)
    if score < 0.4:
        return "red"
    if score < 0.7:
        return "yellow"
    return "green"


# --- a key result on a day ------------------------------------------------------------


def _is_metric(kr: KeyResult) -> bool:
    return kr.kind == "metric" and kr.start is not None and kr.target is not None and kr.target != kr.start


def value_on(kr: KeyResult, period: Period, day: dt.date) -> float | None:
    """A metric key result's value on ``day``; None for milestones and unmeasured ones.

    The value of the last check-in dated on or before ``day`` (check-ins without a
    value are skipped), else ``start``. An explicit ``current:`` is the value on
    every day from the date of the last check-in on (from the period's first day
    when there is no check-in); before that, the check-ins tell.

    A key result without check-ins whose ``current`` is set counts it as given even
    when ``current_explicit`` is False (the loader then sets ``current`` to
    ``start``, so a loaded file follows the rule above; a key result built in code
    keeps the value it was built with).
    """
    if not _is_metric(kr):
        return None
    if kr.current is not None and (kr.current_explicit or not kr.checkins):
        since = kr.checkins[-1].date if kr.checkins else period.start
        if day >= since:
            return kr.current
    for c in reversed(kr.checkins):
        if c.date <= day and c.value is not None:
            return c.value
    return kr.start


def done_on_day(kr: KeyResult, day: dt.date) -> bool:
    """Whether a milestone is done on ``day``: ``done: true`` and ``done_on`` absent or
    on or before ``day``. False for anything that is not a done milestone."""
    if kr.kind != "milestone" or kr.done is not True:
        return False
    return kr.done_on is None or kr.done_on <= day


def kr_last_checkin(kr: KeyResult, day: dt.date) -> dt.date | None:
    """The date of the key result's latest check-in on or before ``day``, else None."""
    for c in reversed(kr.checkins):
        if c.date <= day:
            return c.date
    return None


def kr_confidence(kr: KeyResult, day: dt.date) -> float | None:
    """The confidence of the latest check-in on or before ``day`` that gives one, else None."""
    for c in reversed(kr.checkins):
        if c.date <= day and c.confidence is not None:
            return c.confidence
    return None


def kr_score_on(kr: KeyResult, period: Period, day: dt.date) -> KrScore:
    """A key result's values on ``day``: progress (metric ratio, milestone 1/0, None
    when unmeasured), its value, last check-in and confidence as of ``day``."""
    last = kr_last_checkin(kr, day)
    confidence = kr_confidence(kr, day)
    if _is_metric(kr):
        value = value_on(kr, period, day)
        clamped, raw = metric_progress(kr.start, kr.target, value)  # type: ignore[arg-type]
        return KrScore(clamped, raw, value, last, confidence)
    if kr.kind == "milestone":
        done = 1.0 if done_on_day(kr, day) else 0.0
        return KrScore(done, done, None, last, confidence)
    return KrScore(None, None, None, last, confidence)


# --- an objective on a day --------------------------------------------------------------


def _progress(objective: Objective, krs: Iterable[KrScore]) -> float | None:
    return weighted_progress((s.progress, kr.weight) for s, kr in zip(krs, objective.key_results))


def progress_on(objective: Objective, day: dt.date) -> float | None:
    """The objective's progress on ``day``: the weight-averaged progress of its key
    results that have one (see :func:`kr_score_on`); None when none has."""
    p = objective.period
    return _progress(objective, (kr_score_on(kr, p, day) for kr in objective.key_results))


def _fixed_status(objective: Objective, day: dt.date) -> Status | None:
    """The status that does not depend on progress: the ``status:`` override, else
    ``closed`` once ``day`` is after the period's last day; else None."""
    if objective.status_override:
        return objective.status_override
    return "closed" if day > objective.period.end else None


def status_on(objective: Objective, day: dt.date) -> Status:
    """The objective's status on ``day``: the ``status:`` override when set; else
    ``closed`` once ``day`` is after the period's last day; else on-track, at-risk,
    off-track or not-measured from the gap between progress and expected progress."""
    return _fixed_status(objective, day) or status_for(
        progress_on(objective, day), expected_progress(objective.period, day), objective.commitment
    )


def score_of(objective: Objective, today: dt.date) -> float | None:
    """The score: the progress on the period's last day, whatever ``status:`` says;
    None while the period runs (``today`` on or before its last day)."""
    if today <= objective.period.end:
        return None
    return progress_on(objective, objective.period.end)


def in_review(objective: Objective, today: dt.date) -> bool:
    """True when the period has ended and ``review_until`` is on or after ``today``."""
    return (
        today > objective.period.end
        and objective.review_until is not None
        and objective.review_until >= today
    )


def last_checkin(objective: Objective, today: dt.date) -> dt.date | None:
    """The latest check-in date on or before ``today`` over the objective's key results, else None."""
    dates = [d for d in (kr_last_checkin(kr, today) for kr in objective.key_results) if d is not None]
    return max(dates) if dates else None


def stale(objective: Objective, today: dt.date) -> bool:
    """True when ``today`` lies within the period (first to last day), ``status:`` is
    not done or dropped, and the last check-in (else the period's first day) lies
    more than :data:`STALE_DAYS` days before ``today``."""
    return _stale(objective, today, last_checkin(objective, today))


def _stale(objective: Objective, today: dt.date, last: dt.date | None) -> bool:
    if objective.status_override in ("done", "dropped") or not objective.period.contains(today):
        return False
    since = last if last is not None else objective.period.start
    return (today - since).days > STALE_DAYS


def score(objective: Objective, today: dt.date) -> ObjectiveScore:
    """All computed values of ``objective`` published at ``today`` (see :class:`ObjectiveScore`)."""
    p = objective.period
    krs = tuple(kr_score_on(kr, p, today) for kr in objective.key_results)
    progress = _progress(objective, krs)
    expected = expected_progress(p, today)
    status = _fixed_status(objective, today) or status_for(progress, expected, objective.commitment)
    final = score_of(objective, today)
    dates = [s.last_checkin for s in krs if s.last_checkin is not None]
    last = max(dates) if dates else None
    return ObjectiveScore(
        progress=progress,
        expected=expected,
        status=status,
        grade=grade_for(final),
        krs=krs,
        score=final,
        in_review=in_review(objective, today),
        stale=_stale(objective, today, last),
        last_checkin=last,
    )


# --- aggregates ---------------------------------------------------------------------------

_Counted = TypeVar("_Counted", Objective, ObjectiveScore)


def is_counted(item: Union[Objective, ObjectiveScore]) -> bool:
    """Whether an objective (or its score) counts in aggregates: not ``dropped``."""
    if isinstance(item, ObjectiveScore):
        return item.status != "dropped"
    return item.status_override != "dropped"


def counted(items: Iterable[_Counted]) -> list[_Counted]:
    """The objectives (or scores) that count in aggregates (a unit's or a period's
    progress, status counts): all but the ``dropped`` ones, in the given order."""
    return [i for i in items if is_counted(i)]


# --- changes between two days ---------------------------------------------------------------


class CheckInChange(NamedTuple):
    """A check-in made in the window of :func:`changes_since`."""

    objective: str  # objective id
    kr: str  # key result id
    checkin: CheckIn


class StatusChange(NamedTuple):
    """An objective whose status on ``since`` differs from its status today."""

    objective: str  # objective id
    before: Status  # the status on ``since``
    after: Status  # the status today


@dataclass(frozen=True, slots=True)
class Changes:
    """What changed between ``since`` and ``today`` (see :func:`changes_since`)."""

    since: dt.date
    today: dt.date
    checkins: tuple[CheckInChange, ...] = ()
    status_changes: tuple[StatusChange, ...] = ()
    started: tuple[str, ...] = ()
    ended: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.checkins or self.status_changes or self.started or self.ended)


def changes_since(
    objectives: Mapping[str, Objective] | Iterable[Objective], since: dt.date, today: dt.date
) -> Changes:
    """What happened after ``since`` up to ``today``:

    - ``checkins``: every check-in dated after ``since`` and on or before ``today``,
      newest first; on the same day by objective id, then by the key result's
      position in its objective;
    - ``status_changes``: objectives whose status on ``since`` differs from their
      status on ``today`` (see :func:`status_on`), by objective id;
    - ``started``: objectives whose period's first day lies after ``since`` and on or
      before ``today``, by objective id;
    - ``ended``: objectives whose period's last day lies on or after ``since`` and
      before ``today`` (they were running on ``since`` and are over), by objective id.

    ``objectives`` is a mapping of id to objective (an :class:`OkrSet`'s or a
    public view's ``objectives``) or an iterable of objectives.
    """
    items = objectives.values() if isinstance(objectives, Mapping) else objectives
    ordered = sorted(items, key=lambda o: o.id)
    checkins: list[tuple[dt.date, str, int, CheckInChange]] = []
    status_changes: list[StatusChange] = []
    started: list[str] = []
    ended: list[str] = []
    for o in ordered:
        for kr in o.key_results:
            for c in kr.checkins:
                if since < c.date <= today:
                    checkins.append((c.date, o.id, kr.index, CheckInChange(o.id, kr.id, c)))
        before, after = status_on(o, since), status_on(o, today)
        if before != after:
            status_changes.append(StatusChange(o.id, before, after))
        if since < o.period.start <= today:
            started.append(o.id)
        if since <= o.period.end < today:
            ended.append(o.id)
    # Newest first; ties by objective id, then key result position (both ascending).
    checkins.sort(key=lambda t: (t[1], t[2]))
    checkins.sort(key=lambda t: t[0], reverse=True)
    return Changes(
        since=since,
        today=today,
        checkins=tuple(t[3] for t in checkins),
        status_changes=tuple(status_changes),
        started=tuple(started),
        ended=tuple(ended),
    )
