"""What may be published: the model with private objectives removed, plus indexes and scores.

Every output (pages, graphs, search, sitemap, okrs.json) is made from a
:class:`PublicOkrs`, never from the raw :class:`OkrSet`, so a private
objective cannot leak by accident.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Iterable

from .compute import ObjectiveScore, score
from .model import Objective, OkrSet, Org, Period

# How a long chain of alignments is shown (objective graphs and pages, see
# PublicOkrs.ancestor_chain): up to CHAIN_FULL ancestors in full, else the top one,
# how many lie between, and the CHAIN_NEAR nearest.
CHAIN_FULL = 5
CHAIN_NEAR = 3


@dataclass(slots=True)
class PublicOkrs:
    """The publishable view of an :class:`OkrSet`.

    - ``objectives``: public objectives by id, in id order. A public objective whose
      parent is private has ``parent``/``parent_kr`` set to None and its id in
      ``parent_private``; one carried from a private objective has ``carried_from``
      set to None and its id in ``carried_from_private``.
    - ``scores``: computed values per objective id at ``today``
      (:func:`~.compute.score`).
    - ``carried_into``: objective id -> ids of the public objectives carried from it
      (sorted); only objectives something is carried into appear.
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
    carried_from_private: set[str] = field(default_factory=set)
    carried_into: dict[str, list[str]] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)
    by_period: dict[str, list[str]] = field(default_factory=dict)
    by_owner: dict[str, list[str]] = field(default_factory=dict)
    periods: dict[str, Period] = field(default_factory=dict)
    # Objective id -> (number of ancestors, id of the topmost one or None), computed on
    # first use for every objective at once; absent for objectives in or below a cycle.
    _lineage: dict[str, tuple[int, str | None]] | None = field(default=None, repr=False, compare=False)

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

    def _lineages(self) -> dict[str, tuple[int, str | None]]:
        """(depth, root id) of every objective not in or below a cycle, in one linear pass."""
        if self._lineage is not None:
            return self._lineage
        done: dict[str, tuple[int, str | None]] = {}
        broken: set[str] = set()  # in or below a cycle
        objectives = self.objectives
        for start in objectives:
            path: list[str] = []
            on_path: set[str] = set()
            cur = start
            while cur not in done and cur not in broken and cur not in on_path:
                path.append(cur)
                on_path.add(cur)
                parent = objectives[cur].parent
                if not parent or parent not in objectives:
                    break
                cur = parent
            else:  # stopped at a known objective or on a loop
                if cur in broken or cur in on_path:
                    broken.update(path)
                    continue
                depth, root = done[cur]
                for oid in reversed(path):
                    depth, root = depth + 1, root or cur
                    done[oid] = (depth, root)
                    cur = oid
                continue
            # path[-1] has no public parent: a root
            top = path[-1]
            done[top] = (0, None)
            for k, oid in enumerate(reversed(path[:-1]), start=1):
                done[oid] = (k, top)
        self._lineage = done
        return done

    def depth(self, objective_id: str) -> int:
        """How many public objectives ``objective_id`` aligns to, up to the top:
        ``len(self.ancestors(objective_id))``, in constant time after one linear pass."""
        known = self._lineages().get(objective_id)
        return known[0] if known is not None else len(self.ancestors(objective_id))

    def ancestor_chain(
        self, objective_id: str, near: int = CHAIN_NEAR, full: int = CHAIN_FULL
    ) -> tuple[list[Objective], int]:
        """The ancestors of ``objective_id`` to show, top first, and how many are left out.

        All of them when there are at most ``full``; else the topmost one and the
        ``near`` nearest (parent, grandparent...), the ``hidden`` others lying between
        the first and the second in the list. Costs O(``near``), not O(depth), so that
        showing every objective of a deep chain stays linear.
        """
        known = self._lineages().get(objective_id)
        if known is None:  # in or below a cycle (an error the build reports): walk it
            chain = self.ancestors(objective_id)
            if len(chain) <= full:
                return list(reversed(chain)), 0
            return [chain[-1], *reversed(chain[:near])], len(chain) - near - 1
        depth, root = known
        if depth <= full or root is None:
            return list(reversed(self.ancestors(objective_id))), 0
        out: list[Objective] = []
        cur = self.objectives[objective_id]
        for _ in range(near):
            cur = self.objectives[cur.parent]  # type: ignore[index]
            out.append(cur)
        return [self.objectives[root], *reversed(out)], depth - near - 1

    def counted(self, objective_ids: Iterable[str]) -> list[str]:
        """The ids among ``objective_ids`` that count in aggregates (a unit's or a
        period's progress, status counts): all but the dropped ones, order kept."""
        scores = self.scores
        return [oid for oid in objective_ids if scores[oid].status != "dropped"]

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
    carried_from_private: set[str] = set()
    for oid in sorted(okrs.objectives):
        o = okrs.objectives[oid]
        if oid in private_ids:
            continue
        if o.parent and o.parent in private_ids:
            o = replace(o, parent=None, parent_kr=None)
            parent_private.add(oid)
        if o.carried_from and o.carried_from in private_ids:
            o = replace(o, carried_from=None)
            carried_from_private.add(oid)
        objectives[oid] = o

    children: dict[str, list[str]] = {}
    carried_into: dict[str, list[str]] = {}
    by_period: dict[str, list[str]] = {}
    by_owner: dict[str, list[str]] = {}
    periods: dict[str, Period] = {}
    for oid, o in objectives.items():
        if o.parent and o.parent in objectives:
            children.setdefault(o.parent, []).append(oid)
        if o.carried_from and o.carried_from in objectives:
            carried_into.setdefault(o.carried_from, []).append(oid)
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
        carried_from_private=carried_from_private,
        carried_into=dict(sorted(carried_into.items())),
        children=children,
        by_period={k: by_period[k] for k in ordered_periods},
        by_owner=dict(sorted(by_owner.items())),
        periods=ordered_periods,
    )
