"""An objective's trend charts: what :mod:`.charts` draws, computed with the core's values over time.

For each key result a chart of its value over the period's days (its check-ins, the
start-to-target line, the expected pace, today, the period's end and the review
window), and one of the objective's progress over the same days. The points are the
days on which something changed (a check-in, a milestone's ``done_on``, the day an
explicit ``current`` takes effect), each with the value the contract gives on that
day (:func:`~mkdocs_okrs.core.compute.value_on`, :func:`~mkdocs_okrs.core.compute.progress_on`).
No MkDocs import.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from ..core.compute import bar_for, progress_on, value_on
from ..core.model import KeyResult, Objective
from . import charts
from .words import ENGLISH
from .words import Words


def chart_prefix(objective_id: str, name: str) -> str:
    """The id prefix of the chart ``name`` of an objective page (unique on the page)."""
    digest = hashlib.sha256(objective_id.encode("utf-8")).hexdigest()[:10]
    return f"okrc-{digest}-{name}"


def _change_days(kr: KeyResult, o: Objective) -> list[dt.date]:
    days = {c.date for c in kr.checkins}
    if kr.done_on is not None:
        days.add(kr.done_on)
    if kr.current_explicit:
        days.add(kr.checkins[-1].date if kr.checkins else o.period.start)
    return sorted(days)


def kr_chart(o: Objective, kr: KeyResult, today: dt.date, words: Words = ENGLISH) -> str | None:
    """The chart of key result ``kr`` of ``o`` (None for a key result with no measure),
    in the language of ``words``."""
    bar = bar_for(o.commitment)
    period = o.period
    common = dict(
        id_prefix=chart_prefix(o.id, f"kr{kr.index}"), title=kr.title, bar=bar,
        period_start=period.start, period_end=period.end, today=today, review_until=o.review_until,
        words=words,
    )
    if kr.kind == "metric" and kr.start is not None and kr.target is not None:
        points = [(day, value_on(kr, period, day)) for day in _change_days(kr, o)]
        return charts.metric_chart(
            unit=kr.unit, start=kr.start, target=kr.target,
            points=[(d, v) for d, v in points if v is not None], compact_ticks=False, **common,
        )
    if kr.kind == "milestone":
        return charts.milestone_chart(done=bool(kr.done), done_on=kr.done_on, **common)
    return None


def objective_chart(o: Objective, today: dt.date, words: Words = ENGLISH) -> str | None:
    """The chart of the objective's progress over its period's days (None when no key
    result has a measure: the objective has no progress on any day), in the language
    of ``words``."""
    start = progress_on(o, o.period.start)
    if start is None:
        return None
    days = sorted({d for kr in o.key_results for d in _change_days(kr, o)})
    points = [(d, p) for d in days if (p := progress_on(o, d)) is not None]
    return charts.progress_chart(
        id_prefix=chart_prefix(o.id, "objective"),
        title=words.gettext("Progress of “%(objective)s”", objective=o.objective),
        bar=bar_for(o.commitment), period_start=o.period.start, period_end=o.period.end,
        today=today, review_until=o.review_until, points=points, start=start, words=words,
    )


def objective_figures(o: Objective, today: dt.date, words: Words = ENGLISH) -> dict[str, str]:
    """Figure name -> HTML of every chart of the objective's page: ``objective`` (when
    it has a progress) and ``kr<index>`` for each key result that has a measure; every
    text in the language of ``words`` (the build's, see :class:`~.words.Words`)."""
    out: dict[str, str] = {}
    chart = objective_chart(o, today, words)
    if chart is not None:
        out["objective"] = chart
    for kr in o.key_results:
        chart = kr_chart(o, kr, today, words)
        if chart is not None:
            out[f"kr{kr.index}"] = chart
    return out
