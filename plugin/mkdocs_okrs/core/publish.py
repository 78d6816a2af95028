"""What may be published: the model with private objectives removed, plus indexes and scores.

Every output (pages, graphs, search, sitemap, okrs.json) is made from a
:class:`PublicOkrs`, never from the raw :class:`OkrSet`, so a private
objective cannot leak by accident.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from .compute import ObjectiveScore, score
from .model import Objective, OkrSet, Org, Period


@dataclass(slots=True)
class PublicOkrs:
    """The publishable view of an :class:`OkrSet`.

    - ``objectives``: public objectives by id, in id order. A public objective whose
      parent is private has ``parent``/``parent_kr`` set to None and its id in
      ``parent_private``.
    - ``scores``: computed values per objective id at ``today``.
    - ``children``: objective id -> ids of its public children (sorted).
    - ``by_period``: period id -> objective ids; ``by_owner``: unit id -> objective ids.
    - ``periods``: the periods that have at least one public objective, sorted by start
      then id.
    """

    org: Org
    today: dt.date
    objectives: dict[str, Objective]
    scores: dict[str, ObjectiveScore]
    parent_private: set[str] = field(default_factory=set)
    children: dict[str, list[str]] = field(default_factory=dict)
    by_period: dict[str, list[str]] = field(default_factory=dict)
    by_owner: dict[str, list[str]] = field(default_factory=dict)
    periods: dict[str, Period] = field(default_factory=dict)

    def ancestors(self, objective_id: str) -> list[Objective]:
        """Parent, grandparent, ... (public ones only; stops at a private parent or a cycle)."""
        out: list[Objective] = []
        seen = {objective_id}
        cur = self.objectives.get(objective_id)
        while cur is not None and cur.parent and cur.parent not in seen:
            seen.add(cur.parent)
            cur = self.objectives.get(cur.parent)
            if cur is not None:
                out.append(cur)
        return out

    def current_period(self) -> Period | None:
        """The period containing ``today`` (the shortest if several), else the latest one."""
        if not self.periods:
            return None
        containing = [p for p in self.periods.values() if p.contains(self.today)]
        if containing:
            return min(containing, key=lambda p: (p.days, p.id))
        return max(self.periods.values(), key=lambda p: (p.end, p.start, p.id))


def public_view(okrs: OkrSet) -> PublicOkrs:
    """Remove private objectives, then index and score what remains."""
    private_ids = {oid for oid, o in okrs.objectives.items() if o.private}
    objectives: dict[str, Objective] = {}
    parent_private: set[str] = set()
    for oid in sorted(okrs.objectives):
        o = okrs.objectives[oid]
        if oid in private_ids:
            continue
        if o.parent and o.parent in private_ids:
            o = replace(o, parent=None, parent_kr=None)
            parent_private.add(oid)
        objectives[oid] = o

    children: dict[str, list[str]] = {}
    by_period: dict[str, list[str]] = {}
    by_owner: dict[str, list[str]] = {}
    periods: dict[str, Period] = {}
    for oid, o in objectives.items():
        if o.parent and o.parent in objectives:
            children.setdefault(o.parent, []).append(oid)
        by_period.setdefault(o.period.id, []).append(oid)
        by_owner.setdefault(o.owner, []).append(oid)
        periods[o.period.id] = o.period
    ordered_periods = dict(
        sorted(periods.items(), key=lambda kv: (kv[1].start, kv[1].end, kv[0]))
    )
    scores = {oid: score(o, okrs.today) for oid, o in objectives.items()}
    return PublicOkrs(
        org=okrs.org,
        today=okrs.today,
        objectives=objectives,
        scores=scores,
        parent_private=parent_private,
        children=children,
        by_period={k: by_period[k] for k in ordered_periods},
        by_owner=dict(sorted(by_owner.items())),
        periods=ordered_periods,
    )
