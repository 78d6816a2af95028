"""The ``okrs.json`` export: the published OKRs as a versioned JSON document for other tools.

Made only from a :class:`~mkdocs_okrs.core.publish.PublicOkrs`, so private
objectives cannot appear. The shape follows the contract (schema_version 2);
where the contract is silent:

- ``units`` lists every unit of org.yml. Without an org.yml the units are the
  owners of public objectives only (an owner seen only on private objectives is
  not published). A unit has ``id``, ``name``, ``parent``, ``url`` and, when
  org.yml gives one, ``lead``.
- ``periods`` lists the periods that have a public objective, by start date;
  each has ``url`` only when a ``period_url`` callable is given.
- Objectives are sorted by id; key results keep their order in the file.
- Every value is the one on ``today`` (see :func:`~mkdocs_okrs.core.compute.score`):
  ``current`` is a metric's value today (null for milestones and key results with
  no measure), ``status`` is ``closed`` once the period has ended (unless
  ``status:`` overrides it), ``score`` and ``grade`` are null while the period runs.
- Besides the contract's fields, a key result has ``kind`` (``metric``,
  ``milestone`` or ``none``), ``done`` (true/false for milestones, null otherwise)
  and ``done_on`` (a milestone's date, else null): without them a milestone could
  not be read.
- ``start``/``target``/``current``/``weight`` and a check-in's ``value`` and
  ``confidence`` keep the type the source gave them: ``start: 800`` is written
  ``800``, ``target: 3.0`` is written ``3.0`` (the loader keeps YAML integers as
  ``int``; an omitted weight is ``1``). ``progress``, ``expected`` and ``score``
  are always floats (unrounded). Non-finite numbers become null. Dates are
  ``YYYY-MM-DD`` text.
- ``parent_private: true`` appears only on objectives whose parent is private,
  ``carried_from_private: true`` only on those carried from a private objective;
  both stand just before ``key_results``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from typing import Callable

from .compute import KrScore
from .model import CheckIn, KeyResult, Objective, Unit
from .publish import PublicOkrs

SCHEMA_VERSION = 2


def _quantity(value: float | int | None) -> int | float | None:
    """A KR quantity as JSON, in the type the source gave: ``800`` stays ``800``, ``3.0`` stays ``3.0``.

    None and non-finite values become None (JSON has no infinity).
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    value = float(value)
    return value if math.isfinite(value) else None


def _ratio(value: float | None) -> float | None:
    """A computed share (progress, expected) as a float, None when absent or not finite."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _unit_json(unit: Unit, unit_url: Callable[[str], str]) -> dict:
    out: dict = {"id": unit.id, "name": unit.name, "parent": unit.parent, "url": unit_url(unit.id)}
    if unit.lead:
        out["lead"] = unit.lead
    return out


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _checkin_json(c: CheckIn) -> dict:
    return {
        "date": c.date.isoformat(),
        "value": _quantity(c.value),
        "confidence": _quantity(c.confidence),
        "note": c.note,
    }


def _kr_json(kr: KeyResult, ks: KrScore) -> dict:
    milestone = kr.kind == "milestone"
    return {
        "id": kr.id,
        "title": kr.title,
        "kind": kr.kind,
        "start": _quantity(kr.start),
        "target": _quantity(kr.target),
        "current": _quantity(ks.value),
        "unit": kr.unit,
        "weight": _quantity(kr.weight),
        "done": bool(kr.done) if milestone else None,
        "done_on": _day(kr.done_on) if milestone else None,
        "progress": _ratio(ks.progress),
        "last_checkin": _day(ks.last_checkin),
        "confidence": _quantity(ks.confidence),
        "checkins": [_checkin_json(c) for c in kr.checkins],
    }


def _objective_json(view: PublicOkrs, o: Objective, objective_url: Callable[[str], str]) -> dict:
    s = view.scores[o.id]
    out: dict = {
        "id": o.id,
        "objective": o.objective,
        "owner": o.owner,
        "period": o.period.id,
        "parent": o.parent,
        "parent_kr": o.parent_kr if o.parent else None,
        "url": objective_url(o.id),
        "commitment": o.commitment,
        "progress": _ratio(s.progress),
        "expected": _ratio(s.expected),
        "status": s.status,
        "score": _ratio(s.score),
        "grade": s.grade,
        "in_review": s.in_review,
        "stale": s.stale,
        "last_checkin": _day(s.last_checkin),
        "carried_from": o.carried_from,
    }
    if o.id in view.parent_private:
        out["parent"] = None
        out["parent_kr"] = None
        out["parent_private"] = True
    if o.id in view.carried_from_private:
        out["carried_from"] = None
        out["carried_from_private"] = True
    out["key_results"] = [_kr_json(kr, ks) for kr, ks in zip(o.key_results, s.krs)]
    return out


def okrs_json(
    view: PublicOkrs,
    objective_url: Callable[[str], str],
    unit_url: Callable[[str], str],
    period_url: Callable[[str], str] | None = None,
) -> dict:
    """The ``okrs.json`` document for ``view``; urls come from the callables (site-root relative)."""
    periods = []
    for p in sorted(view.periods.values(), key=lambda p: (p.start, p.end, p.id)):
        entry: dict = {"id": p.id, "start": p.start.isoformat(), "end": p.end.isoformat()}
        if period_url is not None:
            entry["url"] = period_url(p.id)
        periods.append(entry)

    if view.org.defined:
        units = [view.org.units[k] for k in sorted(view.org.units)]
    else:
        owners = sorted({o.owner for o in view.objectives.values()})
        units = [view.org.units.get(k) or Unit(id=k, name=k) for k in owners]

    return {
        "schema_version": SCHEMA_VERSION,
        "today": view.today.isoformat(),
        "periods": periods,
        "units": [_unit_json(u, unit_url) for u in units],
        "objectives": [
            _objective_json(view, view.objectives[k], objective_url) for k in sorted(view.objectives)
        ],
    }


def dumps(doc: dict) -> str:
    """Serialize an export document deterministically: UTF-8 text, one line per period,
    unit and objective, final newline.

    Keys keep the contract's order (the document is built in that order); lists are
    already sorted by :func:`okrs_json`. Floats use Python's shortest round-trip repr.
    Each record is written by the C encoder (Python writes indented JSON with its much
    slower pure-Python encoder); one record per line keeps a diff readable.
    """
    def one(value) -> str:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(", ", ": "))

    out = io.StringIO()
    out.write("{")
    first = True
    for key, value in doc.items():
        out.write("" if first else ",")
        first = False
        out.write(f"\n  {one(key)}: ")
        if isinstance(value, list):
            if not value:
                out.write("[]")
                continue
            out.write("[\n    " + ",\n    ".join(one(item) for item in value) + "\n  ]")
        else:
            out.write(one(value))
    out.write("\n}\n")
    return out.getvalue()
