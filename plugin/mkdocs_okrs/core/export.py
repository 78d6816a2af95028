"""The ``okrs.json`` export: the published OKRs as a versioned JSON document for other tools.

Made only from a :class:`~mkdocs_okrs.core.publish.PublicOkrs`, so private
objectives cannot appear. The shape follows the contract (schema_version 1);
where the contract is silent:

- ``units`` lists every unit of org.yml. Without an org.yml the units are the
  owners of public objectives only (an owner seen only on private objectives is
  not published). A unit has ``id``, ``name``, ``parent``, ``url`` and, when
  org.yml gives one, ``lead``.
- ``periods`` lists the periods that have a public objective, by start date;
  each has ``url`` only when a ``period_url`` callable is given.
- Objectives are sorted by id; key results keep their order in the file.
- A key result always has ``id``, ``title``, ``start``, ``target``, ``current``,
  ``unit``, ``weight``, ``progress`` (null where absent) plus ``kind``
  (``metric``, ``milestone`` or ``none``) and ``done`` (true/false for
  milestones, null otherwise).
- ``start``/``target``/``current``/``weight`` keep the type the source gave
  them: ``start: 800`` is written ``800``, ``target: 3.0`` is written ``3.0``
  (the loader keeps YAML integers as ``int``; an omitted weight is ``1``).
  ``progress`` and ``expected`` are always floats (unrounded). Non-finite
  numbers become null.
- ``parent_private: true`` appears only on objectives whose parent is private.
"""

from __future__ import annotations

import io
import json
import math
from typing import Callable

from .model import KeyResult, Objective, Unit
from .publish import PublicOkrs

SCHEMA_VERSION = 1


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


def _kr_json(kr: KeyResult, progress: float | None) -> dict:
    return {
        "id": kr.id,
        "title": kr.title,
        "kind": kr.kind,
        "start": _quantity(kr.start),
        "target": _quantity(kr.target),
        "current": _quantity(kr.current),
        "unit": kr.unit,
        "weight": _quantity(kr.weight),
        "done": bool(kr.done) if kr.kind == "milestone" else None,
        "progress": _ratio(progress),
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
        "grade": s.grade,
    }
    if o.id in view.parent_private:
        out["parent"] = None
        out["parent_kr"] = None
        out["parent_private"] = True
    out["key_results"] = [_kr_json(kr, ks.progress) for kr, ks in zip(o.key_results, s.krs)]
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
