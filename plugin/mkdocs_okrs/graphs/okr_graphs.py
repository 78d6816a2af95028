"""The OKR graphs as :class:`~.dot.Graph` structures, built from a PublicOkrs.

- objective page: its neighbourhood -- the chain of ancestors (root on top),
  the objective, its children; an edge to a parent key result names that KR;
- period page: the alignment tree of the period (parents in other periods shown
  as dashed "external" nodes), split by unit when it has more than ``max_nodes``;
- unit page: one graph per period with the unit's objectives and everything they
  align to, up to the top.

Only public data is used (the view has no private objective); an objective whose
parent is private points to a "private objective" placeholder.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from typing import Callable, Mapping

from ..core.model import Objective
from ..core.publish import PublicOkrs
from .dot import Edge, Graph, Label, Node
from .text import clean_text, truncate, wrap

WRAP_WIDTH = 28
WRAP_LINES = 3
STAGGER_ROW = 6  # children side by side on an objective graph before they are staggered
STAGGER_MAX_ROWS = 10
NARROW_TREE = 3  # nodes side by side on a tree drawn top-down (see tree_rankdir)

STATUSES = ("on-track", "at-risk", "off-track", "done", "dropped", "not-measured")
# Light-palette colours written into the SVG as presentation attributes: what a
# standalone SVG shows without our CSS. On pages, okrs-graphs.css overrides them
# with colours for the light and the dark palette.
STATUS_STROKE = {
    "on-track": "#2e7d32",
    "at-risk": "#e65100",
    "off-track": "#c62828",
    "done": "#1565c0",
    "dropped": "#757575",
    "not-measured": "#757575",
}
STATUS_FILL = {
    "on-track": "#e8f5e9",
    "at-risk": "#fff3e0",
    "off-track": "#ffebee",
    "done": "#e3f2fd",
    "dropped": "#f5f5f5",
    "not-measured": "#fafafa",
}


def _join(titles: list[str]) -> str:
    """``A``, ``A and B``, ``A, B, C and D``, ``A, B, C and 4 more units``."""
    if len(titles) > 4:
        return f"{', '.join(titles[:3])} and {len(titles) - 3} more units"
    return " and ".join(filter(None, [", ".join(titles[:-1]), titles[-1]]))


def status_label(status: str) -> str:
    """``at-risk`` -> ``at risk``."""
    return status.replace("-", " ")


def tree_rankdir(nodes: list[Node], edges: list[Edge]) -> str:
    """How to draw a tree (edges go from child to parent) so that it fits the page.

    ``BT`` (roots on top, as on objective pages) when no level holds more than
    :data:`NARROW_TREE` nodes and there are at least as many levels as nodes on the
    widest one: a short chain or a small tree stays narrow. Otherwise ``RL`` (roots
    on the left): the levels go sideways and the breadth grows downwards, which
    keeps a wide tree within a few node widths.
    """
    parent = {e.tail: e.head for e in edges}
    level: dict[str, int] = {}

    def depth(key: str) -> int:
        """Levels below the root (memoized; walks up without recursion, stops on a loop)."""
        path: list[str] = []
        while key not in level and key in parent and key not in path:
            path.append(key)
            key = parent[key]
        base = level.setdefault(key, 0)
        for k in reversed(path):
            base += 1
            level[k] = base
        return level[path[0]] if path else base

    counts: dict[int, int] = {}
    for node in nodes:
        d = depth(node.key)
        counts[d] = counts.get(d, 0) + 1
    breadth, levels = max(counts.values(), default=0), len(counts)
    return "BT" if breadth <= min(NARROW_TREE, levels) else "RL"


@dataclass(frozen=True, slots=True)
class Figure:
    """One graph to show: ``kind`` (objective, period, unit) and its caption (plain text)."""

    kind: str
    caption: str
    graph: Graph


class GraphBuilder:
    """Builds the graphs of one site. ``pages`` maps page keys to site URLs (for node links)."""

    def __init__(self, view: PublicOkrs, pages: Mapping[str, str], max_nodes: int) -> None:
        self.view = view
        self.pages = pages
        self.max_nodes = max_nodes
        self._paths: dict[str, tuple[str, ...]] = {}
        self._nodes: dict[tuple[str, str | None, str], Node] = {}
        self._edges: dict[tuple[str, int, bool], Edge] = {}

    # -- nodes -----------------------------------------------------------------

    def unit_name(self, unit_id: str) -> str:
        """The unit's display name (its id when unknown or unnamed)."""
        unit = self.view.org.units.get(unit_id)
        return clean_text(unit.name) if unit is not None and clean_text(unit.name) else clean_text(unit_id)

    def status(self, oid: str) -> str:
        """Status of ``oid``, one of :data:`STATUSES`."""
        status = self.view.scores[oid].status
        return status if status in STATUSES else "not-measured"

    def objective_node(self, oid: str, period_id: str | None, role: str = "") -> Node:
        """The node of objective ``oid``; its period is shown when it is not ``period_id``.

        ``role`` adds a class: ``current`` (the page's objective, not linked), ``external``
        (outside the drawn set), ``context`` (an ancestor drawn for context).
        """
        memo_key = (oid, period_id, role)
        node = self._nodes.get(memo_key)
        if node is None:
            node = self._nodes[memo_key] = self._objective_node(oid, period_id, role)
        return node

    def _objective_node(self, oid: str, period_id: str | None, role: str) -> Node:
        o = self.view.objectives[oid]
        score = self.view.scores[oid]
        status = self.status(oid)
        statement = clean_text(o.objective) or "(no statement)"
        owner = truncate(self.unit_name(o.owner), 28)
        progress = "no measure" if score.progress is None else f"{round(score.progress * 100)}%"
        meta = [owner]
        if o.period.id != period_id:
            meta.append(o.period.id)
        if score.progress is not None:
            meta.append(progress)
        meta.append(status_label(status))
        classes = ["okr-node", f"okr-status-{status}"]
        if role:
            classes.append(f"okr-node-{role}")
        return Node(
            key=oid,
            label=Label(tuple(wrap(statement, WRAP_WIDTH, WRAP_LINES)), " \u00b7 ".join(meta)),
            tooltip=(
                truncate(statement, 400),
                f"{owner} \u00b7 {o.period.id} \u00b7 {status_label(status)} \u00b7 progress {progress}",
            ),
            href=None if role == "current" else self.pages.get(f"objective:{oid}"),
            classes=tuple(classes),
            dashed=role == "external",
            fill=STATUS_FILL[status],
            color=STATUS_STROKE[status],
            bold=role == "current",
        )

    @staticmethod
    def private_node(child_id: str) -> Node:
        """The placeholder a child points to when its parent is private."""
        return Node(
            key=f"private:{child_id}",
            label=Label(("Private objective",), "not published"),
            tooltip=("This objective aligns to a private objective, which is not published.",),
            classes=("okr-node", "okr-node-private"),
            dashed=True,
        )

    def alignment_edge(self, child: Objective, minlen: int = 1, short: bool = False) -> Edge:
        """Edge from ``child`` to its (public) parent; names the parent KR when there is one
        (``KR <id>: <title>``, or only ``KR <id>`` when ``short``, the title in the tooltip)."""
        memo_key = (child.id, minlen, short)
        edge = self._edges.get(memo_key)
        if edge is None:
            edge = self._edges[memo_key] = self._alignment_edge(child, minlen, short)
        return edge

    def _alignment_edge(self, child: Objective, minlen: int, short: bool) -> Edge:
        parent = self.view.objectives[child.parent]  # type: ignore[index]
        label = ""
        tooltip: tuple[str, ...] = ()
        classes = ["okr-edge"]
        if child.parent_kr:
            kr = parent.kr(child.parent_kr)
            title = clean_text(kr.title) if kr is not None else ""
            label = f"KR {child.parent_kr}" if short or not title else truncate(f"KR {child.parent_kr}: {title}", 34)
            tooltip = (
                f"Aligns to key result {child.parent_kr} of \u201c{truncate(clean_text(parent.objective), 120)}\u201d",
                truncate(title, 300),
            )
            classes.append("okr-edge-kr")
        return Edge(child.id, parent.id, label=label, tooltip=tooltip, classes=tuple(classes), minlen=minlen)

    @staticmethod
    def private_edge(child_id: str) -> Edge:
        """Edge from ``child_id`` to its private-parent placeholder."""
        return Edge(child_id, f"private:{child_id}", classes=("okr-edge", "okr-edge-private"), dashed=True)

    # -- objective page ----------------------------------------------------------

    def objective_figure(self, oid: str) -> Figure:
        """Ancestors (root on top), the objective, its children (staggered when many)."""
        view = self.view
        o = view.objectives[oid]
        chain = list(reversed(view.ancestors(oid)))  # root first
        children = view.children.get(oid, [])
        nodes: list[Node] = []
        edges: list[Edge] = []
        top = chain[0].id if chain else oid
        if top in view.parent_private:
            nodes.append(self.private_node(top))
            edges.append(self.private_edge(top))
        for a in chain:
            nodes.append(self.objective_node(a.id, o.period.id, "context"))
        nodes.append(self.objective_node(oid, o.period.id, "current"))
        if chain:  # each ancestor below the root, and the objective, to its parent
            edges.extend(self.alignment_edge(below) for below in [*chain[1:], o])
        # Children are leaves here: stagger them over a few rows rather than one wide row.
        rows = min(STAGGER_MAX_ROWS, math.ceil(len(children) / STAGGER_ROW)) if len(children) > STAGGER_ROW else 1
        for i, c in enumerate(children):
            nodes.append(self.objective_node(c, o.period.id))
            edges.append(self.alignment_edge(view.objectives[c], 1 + i % rows))
        graph = Graph(tuple(nodes), tuple(edges), rankdir="BT", classes=("okr-graph-objective",))
        return Figure("objective", "Alignment: what this objective aligns to and what aligns to it", graph)

    # -- period and unit pages -----------------------------------------------------

    def tree_graph(
        self, oids: list[str], period_id: str | None, *, up_to_root: bool, css: str
    ) -> Graph:
        """``oids`` with the alignment edges between them, drawn right to left (roots left).

        A parent outside ``oids`` is drawn as an external node (with its own
        ancestors when ``up_to_root``); a private parent as a placeholder.
        """
        view = self.view
        members = set(oids)
        nodes: dict[str, Node] = {}
        extra: dict[str, Node] = {}
        edges: list[Edge] = []
        for oid in sorted(oids):
            nodes[oid] = self.objective_node(oid, period_id)
        pending = deque(sorted(oids))
        while pending:
            oid = pending.popleft()
            o = view.objectives[oid]
            if o.parent and o.parent in view.objectives:
                # Short KR labels: in a left-to-right tree, labels widen the gaps between ranks.
                edges.append(self.alignment_edge(o, short=True))
                p = o.parent
                if p not in members and p not in extra:
                    extra[p] = self.objective_node(p, period_id, "context" if up_to_root else "external")
                    if up_to_root:
                        pending.append(p)
            elif oid in view.parent_private:
                extra[f"private:{oid}"] = self.private_node(oid)
                edges.append(self.private_edge(oid))
        ordered = list(nodes.values()) + [extra[k] for k in sorted(extra)]
        return Graph(tuple(ordered), tuple(edges), rankdir=tree_rankdir(ordered, edges), classes=(css,))

    def unit_path(self, unit_id: str) -> tuple[str, ...]:
        """Unit ids from the top unit down to ``unit_id``."""
        path = self._paths.get(unit_id)
        if path is None:
            chain = [u.id for u in reversed(self.view.org.ancestors(unit_id))]
            path = self._paths[unit_id] = tuple(chain + [unit_id])
        return path

    def period_figures(self, period_id: str) -> list[Figure]:
        """The period's alignment tree; split by unit (top units first) when too large."""
        oids = list(self.view.by_period.get(period_id, []))
        base = f"Alignment tree of {period_id}"
        parts = self._split(oids, 0, lambda ids: self.tree_graph(ids, period_id, up_to_root=False, css="okr-graph-period"))
        if len(parts) == 1:
            _, ids, graph = parts[0]
            return [Figure("period", base, graph)]
        return [
            Figure("period", f"{base} \u2014 {_join(titles)} ({len(ids)} objective{'s' if len(ids) != 1 else ''})", graph)
            for titles, ids, graph in parts
        ]

    def _split(
        self, oids: list[str], depth: int, make: Callable[[list[str]], Graph]
    ) -> list[tuple[list[str], list[str], Graph]]:
        """(titles, objective ids, graph) parts of at most ``max_nodes`` nodes where possible.

        ``oids`` all belong to the subtree of one unit at ``depth`` (depth 0: the
        whole period). It stays one graph when it fits; else it is split into the
        objectives that unit owns and one part per unit below it (titled with the
        unit's name, sub-units included), recursively, and
        small neighbouring parts are packed together again. A part that cannot be
        split (one unit's own objectives) stays whole, however large.
        """
        graph = make(oids)
        paths = {o: self.unit_path(self.view.objectives[o].owner) for o in oids}
        owned_here = [o for o in oids if len(paths[o]) <= depth]
        below: dict[str, list[str]] = {}
        for o in oids:
            if len(paths[o]) > depth:
                below.setdefault(paths[o][depth], []).append(o)
        unit = self.unit_name(paths[oids[0]][depth - 1]) if depth else ""
        if len(graph.nodes) <= self.max_nodes or not below:
            return [([unit], oids, graph)]
        if not owned_here and len(below) == 1:
            return self._split(oids, depth + 1, make)
        parts = [([unit], owned_here, make(owned_here))] if owned_here else []
        for unit_id in sorted(below):
            parts += self._split(below[unit_id], depth + 1, make)
        packed: list[tuple[list[str], list[str], Graph]] = []
        for titles, ids, part in parts:
            if packed and len(packed[-1][2].nodes) + len(part.nodes) <= self.max_nodes:
                prev_titles, prev_ids, _ = packed[-1]
                packed[-1] = (prev_titles + titles, prev_ids + ids, make(prev_ids + ids))
            else:
                packed.append((titles, ids, part))
        return packed

    def unit_figures(self, unit_id: str) -> list[Figure]:
        """One graph per period (latest first): the unit's objectives and what they align to."""
        owned = self.view.by_owner.get(unit_id, [])
        name = self.unit_name(unit_id)
        figures = []
        for period_id in reversed(list(self.view.periods)):
            ids = [o for o in owned if self.view.objectives[o].period.id == period_id]
            if not ids:
                continue
            graph = self.tree_graph(ids, period_id, up_to_root=True, css="okr-graph-unit")
            figures.append(
                Figure("unit", f"Objectives of {name} in {period_id} and what they align to", graph)
            )
        return figures

    def figures(self, page_key: str) -> list[Figure]:
        """The figures of the page ``page_key`` (``objective:<id>``, ``period:<id>``, ``unit:<id>``)."""
        kind, _, ident = page_key.partition(":")
        if kind == "objective" and ident in self.view.objectives:
            return [self.objective_figure(ident)]
        if kind == "period" and self.view.by_period.get(ident):
            return self.period_figures(ident)
        if kind == "unit" and self.view.by_owner.get(ident):
            return self.unit_figures(ident)
        return []
