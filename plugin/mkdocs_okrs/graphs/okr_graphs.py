"""The OKR graphs as :class:`~.dot.Graph` structures, built from a PublicOkrs.

- objective page: its neighbourhood -- the chain of ancestors, the objective,
  its children; an edge to a parent key result is labelled with that KR's title;
- unit page: the unit's objectives in its latest period and everything they
  align to, up to the top.

Every graph is drawn in one direction: the tree from its root down (edges go from
child to parent and point up, see :class:`~.dot.Graph`).

A period page draws no graph: its alignment tree is the indented list on the
page, which a graph of hundreds of nodes would only repeat, less readably.

Only public data is used (the view has no private objective); an objective whose
parent is private points to a "private objective" placeholder.

Every graph stays readable however the objectives are aligned (see docs/graphs.md,
"Very wide and very deep alignment"): a parent shows at most :data:`MAX_CHILDREN`
children, the rest as one summary node ("1,971 more objectives"); a chain of more
than :data:`MAX_CHAIN` ancestors shows its top, a summary node ("… 495 objectives in
between") and the :data:`CHAIN_NEAR` nearest. Graph sizes thus do not grow with the
number of children or the depth, and building all the graphs of a site stays linear.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, replace
from typing import Mapping

from ..core.model import Objective
from ..core.publish import CHAIN_FULL, CHAIN_NEAR, PublicOkrs
from .dot import Edge, Graph, Label, Node
from ..site.format import GRADE_WORDS, status_in_sentence
from ..site.words import ENGLISH, Words
from .text import clean_text, truncate, wrap

WRAP_WIDTH = 28
WRAP_LINES = 3
EDGE_WRAP_WIDTH = 24  # characters a line of a KR title on an edge (never cut)
STAGGER_ROW = 6  # leaves side by side under one parent before they are staggered
STAGGER_MAX_ROWS = 10
MAX_CHILDREN = 30  # children drawn below one parent; more: MAX_CHILDREN - 1 and a summary node
# Ancestors drawn in full (a longer chain: its top, a summary node, the CHAIN_NEAR
# nearest), the same bounds as the "Aligned to" line of an objective page.
MAX_CHAIN = CHAIN_FULL
# Children drawn first when not all fit: those that need attention (as on the dashboard).
ATTENTION = ("off-track", "at-risk")
SUMMARY_FILL, SUMMARY_STROKE = "#ffffff", "#757575"
CHILDREN_ANCHOR = "okr-children"  # id of the list of children on an objective page

STATUSES = ("on-track", "at-risk", "off-track", "done", "closed", "dropped", "not-measured")
# Light-palette colours written into the SVG as presentation attributes: what a
# standalone SVG shows without our CSS. On pages, okrs-graphs.css overrides them
# with colours for the light and the dark palette.
STATUS_STROKE = {
    "on-track": "#2e7d32",
    "at-risk": "#e65100",
    "off-track": "#c62828",
    "done": "#1565c0",
    "closed": "#546e7a",
    "dropped": "#757575",
    "not-measured": "#757575",
}
STATUS_FILL = {
    "on-track": "#e8f5e9",
    "at-risk": "#fff3e0",
    "off-track": "#ffebee",
    "done": "#e3f2fd",
    "closed": "#eceff1",
    "dropped": "#f5f5f5",
    "not-measured": "#fafafa",
}


def status_label(status: str, words: Words | None = None) -> str:
    """``at-risk`` -> ``at risk`` (in the language of ``words``, English by default)."""
    return status_in_sentence(status, words or ENGLISH)


def stagger(edges: list[Edge]) -> list[Edge]:
    """``edges`` (child to parent) with the leaves under a parent that has more than
    :data:`STAGGER_ROW` of them spread over a few rows (``minlen`` 1, 2, ... in turn),
    so that a tree drawn from its root down stays narrow."""
    heads = {e.head for e in edges}
    leaves: dict[str, list[int]] = {}
    for i, e in enumerate(edges):
        if e.tail not in heads:
            leaves.setdefault(e.head, []).append(i)
    out = list(edges)
    for indexes in leaves.values():
        if len(indexes) > STAGGER_ROW:
            rows = min(STAGGER_MAX_ROWS, math.ceil(len(indexes) / STAGGER_ROW))
            for k, i in enumerate(indexes):
                out[i] = replace(out[i], minlen=1 + k % rows)
    return out


@dataclass(frozen=True, slots=True)
class Figure:
    """One graph to show: ``kind`` (objective, period, unit) and its caption (plain text)."""

    kind: str
    caption: str
    graph: Graph


class GraphBuilder:
    """Builds the graphs of one site. ``pages`` maps page keys to site URLs (for node links)."""

    def __init__(self, view: PublicOkrs, pages: Mapping[str, str], max_nodes: int, words: Words | None = None) -> None:
        self.view = view
        self.words = words or ENGLISH
        self.pages = pages
        self.max_nodes = max_nodes
        self._nodes: dict[tuple[str, str | None, str], Node] = {}
        self._edges: dict[str, Edge] = {}

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

        ``role`` adds a class: ``current`` (the page's objective, not linked) or
        ``context`` (an objective drawn for context).
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
        w = self.words
        statement = clean_text(o.objective) or w.gettext("(no statement)")
        owner = truncate(self.unit_name(o.owner), 28)
        progress = w.gettext("no measure") if score.progress is None else w.pct(score.progress)
        period = w.period_title(o.period.id, o.period.kind, o.period.start)
        meta = [owner]
        if o.period.id != period_id:
            meta.append(period)
        if status == "closed" and score.score is not None:  # an ended period: its score and grade
            meta += [w.gettext("score %(pct)s", pct=w.pct(score.score)),
                     w.gettext(GRADE_WORDS[score.grade]) if score.grade else ""]
        else:
            if score.progress is not None:
                meta.append(progress)
            meta.append(status_label(status, w))
        classes = ["okr-node", f"okr-status-{status}"]
        if role:
            classes.append(f"okr-node-{role}")
        return Node(
            key=oid,
            label=Label(tuple(wrap(statement, WRAP_WIDTH, WRAP_LINES)), " \u00b7 ".join(meta)),
            tooltip=(
                truncate(statement, 400),
                f"{owner} \u00b7 {period} \u00b7 {status_label(status, w)} \u00b7 "
                + w.gettext("progress %(pct)s", pct=progress),
            ),
            href=None if role == "current" else self.pages.get(f"objective:{oid}"),
            classes=tuple(classes),
            fill=STATUS_FILL[status],
            color=STATUS_STROKE[status],
            bold=role == "current",
        )

    def private_node(self, child_id: str) -> Node:
        """The placeholder a child points to when its parent is private."""
        w = self.words
        return Node(
            key=f"private:{child_id}",
            label=Label((w.gettext("Private objective"),), w.gettext("not published")),
            tooltip=(w.gettext("This objective aligns to a private objective, which is not published."),),
            classes=("okr-node", "okr-node-private"),
            dashed=True,
        )

    def alignment_edge(self, child: Objective) -> Edge:
        """Edge from ``child`` to its (public) parent. When ``child`` aligns to a key result
        of the parent, the edge is labelled with the KR's title, wrapped over lines of
        :data:`EDGE_WRAP_WIDTH` characters and never cut; its tooltip names the KR's id."""
        edge = self._edges.get(child.id)
        if edge is None:
            edge = self._edges[child.id] = self._alignment_edge(child)
        return edge

    def _alignment_edge(self, child: Objective) -> Edge:
        parent = self.view.objectives[child.parent]  # type: ignore[index]
        label: tuple[str, ...] = ()
        tooltip: tuple[str, ...] = ()
        classes = ["okr-edge"]
        if child.parent_kr:
            kr = parent.kr(child.parent_kr)
            title = clean_text(kr.title) if kr is not None else ""
            label = tuple(wrap(title or child.parent_kr, EDGE_WRAP_WIDTH))
            tooltip = (
                self.words.gettext("Aligns to key result %(kr)s of “%(objective)s”", kr=child.parent_kr,
                                   objective=truncate(clean_text(parent.objective), 120)),
                truncate(title, 300),
            )
            classes.append("okr-edge-kr")
        return Edge(child.id, parent.id, label=label, tooltip=tooltip, classes=tuple(classes))

    @staticmethod
    def private_edge(child_id: str) -> Edge:
        """Edge from ``child_id`` to its private-parent placeholder."""
        return Edge(child_id, f"private:{child_id}", classes=("okr-edge", "okr-edge-private"), dashed=True)

    # -- summary nodes -------------------------------------------------------------

    def importance(self, oid: str) -> tuple[int, str]:
        """Sort key of children when not all are drawn: off track, at risk, then the rest; by id."""
        status = self.view.scores[oid].status
        return (ATTENTION.index(status) if status in ATTENTION else len(ATTENTION), oid)

    def status_tally(self, oids: list[str]) -> tuple[str, str]:
        """``oids`` counted by status: a short line for a node (the three largest counts,
        the others as "other") and the full list for its tooltip."""
        counts: dict[str, int] = {}
        for oid in oids:
            status = self.status(oid)
            counts[status] = counts.get(status, 0) + 1
        present = [s for s in STATUSES if counts.get(s)]
        w = self.words
        full = ", ".join(f"{w.num(counts[s])} {status_label(s, w)}" for s in present)
        top = set(sorted(present, key=lambda s: -counts[s])[:3])
        short = [f"{w.num(counts[s])} {status_label(s, w)}" for s in present if s in top]
        rest = sum(counts[s] for s in present if s not in top)
        if rest:
            short.append(w.ngettext("%(num)s other", "%(num)s other", rest))
        return " \u00b7 ".join(short), full

    def children_summary(self, parent_id: str, hidden: list[str]) -> Node:
        """The node standing for the ``hidden`` children of ``parent_id``: how many, by
        status, linking to the list of them on the parent's page."""
        parent = self.view.objectives[parent_id]
        short, full = self.status_tally(hidden)
        href = self.pages.get(f"objective:{parent_id}")
        n = len(hidden)
        w = self.words
        return Node(
            key=f"more:{parent_id}",
            label=Label((w.ngettext("%(num)s more objective", "%(num)s more objectives", n),), short),
            tooltip=(
                w.ngettext("%(num)s more objective aligned to “%(objective)s”: %(statuses)s",
                           "%(num)s more objectives aligned to “%(objective)s”: %(statuses)s", n,
                           objective=truncate(clean_text(parent.objective), 120), statuses=full),
                w.gettext("Every one of them is listed on its page."),
            ),
            href=f"{href}#{CHILDREN_ANCHOR}" if href is not None else None,
            classes=("okr-node", "okr-node-summary"),
            dashed=True,
            fill=SUMMARY_FILL,
            color=SUMMARY_STROKE,
        )

    def chain_summary(self, below: str, hidden: int, upper: str, next_up: str) -> Node:
        """The node standing for ``hidden`` objectives of a chain between ``upper`` (above)
        and ``below`` (the drawn objective under them); it links to ``next_up``, the
        nearest of them (whose own graph shows the next ones up)."""
        objectives = self.view.objectives
        w = self.words

        def quoted(oid: str) -> str:
            if oid not in objectives:  # a private placeholder
                return w.gettext("a private objective")
            return w.gettext("“%(objective)s”", objective=truncate(clean_text(objectives[oid].objective), 80))

        return Node(
            key=f"chain:{below}",
            label=Label(("\u2026 " + w.ngettext("%(num)s objective in between", "%(num)s objectives in between",
                                                hidden),)),
            tooltip=(
                w.ngettext("%(num)s objective between %(upper)s and %(below)s, each aligned to the one above it.",
                           "%(num)s objectives between %(upper)s and %(below)s, each aligned to the one above it.",
                           hidden, upper=quoted(upper), below=quoted(below)),
                w.gettext("Opens %(objective)s, the next one up.", objective=quoted(next_up)),
            ),
            href=self.pages.get(f"objective:{next_up}"),
            classes=("okr-node", "okr-node-summary"),
            dashed=True,
            fill=SUMMARY_FILL,
            color=SUMMARY_STROKE,
        )

    @staticmethod
    def summary_edge(tail: str, head: str) -> Edge:
        """An edge to or from a summary node (no key result: it stands for several)."""
        return Edge(tail, head, classes=("okr-edge", "okr-edge-summary"), dashed=True)

    # -- objective page ----------------------------------------------------------

    def objective_figure(self, oid: str) -> Figure:
        """Ancestors (root on top), the objective, its children (staggered when many).

        At most :data:`MAX_CHAIN` ancestors: a longer chain shows its top, a summary
        node and the :data:`CHAIN_NEAR` nearest ones. At most :data:`MAX_CHILDREN`
        children: with more, those needing attention first (then by id) and a
        summary node for the rest, linking to the list of children on the page.
        """
        view = self.view
        o = view.objectives[oid]
        chain, hidden = view.ancestor_chain(oid, CHAIN_NEAR, MAX_CHAIN)  # root first
        children = view.children.get(oid, [])
        nodes: list[Node] = []
        edges: list[Edge] = []
        top = chain[0].id if chain else oid
        if top in view.parent_private:
            nodes.append(self.private_node(top))
            edges.append(self.private_edge(top))
        for i, a in enumerate(chain):
            nodes.append(self.objective_node(a.id, o.period.id, "context"))
            if i == 0 and hidden:
                below = chain[1].id
                nodes.append(self.chain_summary(below, hidden, a.id, view.objectives[below].parent))  # type: ignore[arg-type]
        nodes.append(self.objective_node(oid, o.period.id, "current"))
        # each ancestor below the root, and the objective, to its parent
        for k, below in enumerate([*chain[1:], o] if chain else []):
            if k == 0 and hidden:
                summary = f"chain:{below.id}"
                edges.append(self.summary_edge(below.id, summary))
                edges.append(self.summary_edge(summary, chain[0].id))
            else:
                edges.append(self.alignment_edge(below))
        shown, rest = list(children), []
        if len(children) > MAX_CHILDREN:
            ordered = sorted(children, key=self.importance)
            shown, rest = ordered[: MAX_CHILDREN - 1], ordered[MAX_CHILDREN - 1 :]
        for c in shown:
            nodes.append(self.objective_node(c, o.period.id))
            edges.append(self.alignment_edge(view.objectives[c]))
        if rest:
            more = self.children_summary(oid, rest)
            nodes.append(more)
            edges.append(self.summary_edge(more.key, oid))
        # The children are leaves: staggered over a few rows rather than one wide row.
        graph = Graph(tuple(nodes), tuple(stagger(edges)), classes=("okr-graph-objective",))
        return Figure("objective", self.words.gettext("Alignment: what this objective aligns to and what aligns to it"),
                      graph)

    # -- unit pages ------------------------------------------------------------------

    def tree_graph(self, oids: list[str], period_id: str | None, *, css: str) -> Graph:
        """``oids`` with the alignment edges between them and everything they align to,
        up to the top (drawn as context nodes); a private parent as a placeholder.

        The tree is then condensed (see :meth:`condense`): a parent with more than
        :data:`MAX_CHILDREN` children shows some of them and a summary node, a long
        chain a summary node for its middle. ``oids`` are hidden in a chain only within
        a run of seven or more of them: they are what the graph is about. Many leaves
        under one parent are staggered over a few rows (:func:`stagger`).
        """
        view = self.view
        members = set(oids)
        parent: dict[str, str] = {}  # drawn child -> drawn parent (an id, or "private:<id>")
        extra: set[str] = set()  # drawn objectives outside ``oids`` and private placeholders
        order: list[str] = []  # children, in the order of their edges
        pending = deque(sorted(oids))
        while pending:
            oid = pending.popleft()
            o = view.objectives[oid]
            if o.parent and o.parent in view.objectives:
                p = o.parent
                parent[oid] = p
                order.append(oid)
                if p not in members and p not in extra:
                    extra.add(p)
                    pending.append(p)
            elif oid in view.parent_private:
                parent[oid] = f"private:{oid}"
                extra.add(parent[oid])
                order.append(oid)
        keys = sorted(oids) + sorted(extra)
        removed, redirect, summaries = self.condense(keys, parent, members)
        nodes: list[Node] = []
        for key in keys:
            if key in removed:
                continue
            if key in members:
                nodes.append(self.objective_node(key, period_id))
            elif key.startswith("private:"):  # (no objective id holds a colon)
                nodes.append(self.private_node(key[len("private:") :]))
            else:
                nodes.append(self.objective_node(key, period_id, "context"))
        edges: list[Edge] = []
        for child in order:
            if child in removed:
                continue
            if child in redirect:
                edges.append(self.summary_edge(child, redirect[child]))
            elif parent[child].startswith("private:"):
                edges.append(self.private_edge(child))
            else:
                edges.append(self.alignment_edge(view.objectives[child]))
        for node, head in summaries:
            nodes.append(node)
            edges.append(self.summary_edge(node.key, head))
        return Graph(tuple(nodes), tuple(stagger(edges)), classes=(css,))

    def condense(
        self, keys: list[str], parent: Mapping[str, str], keep: set[str]
    ) -> tuple[set[str], dict[str, str], list[tuple[Node, str]]]:
        """What to leave out of the tree of ``keys`` (``parent``: child -> parent) so that
        it stays readable, in time linear in its size:

        - a parent with more than :data:`MAX_CHILDREN` children keeps those that have
          children of their own and, of the others, the first ones by
          :meth:`importance`, up to ``MAX_CHILDREN - 1``; a summary node stands for
          the rest (:meth:`children_summary`);
        - in a chain (objectives with one drawn child each), only the objectives
          within :data:`CHAIN_NEAR` above a root, a leaf, a branching point or a
          ``keep`` member whose parent is not one (where a unit's own objectives
          start) are kept, and one summary node stands for each run of two or more
          left out in between (:meth:`chain_summary`). So a unit's own objectives
          are only left out in a chain of seven or more of them.

        Returns the keys left out; child -> summary key for a kept child whose parent
        is left out in a chain; and the summary nodes with the key each points to.
        """
        children: dict[str, list[str]] = {}
        for key in keys:
            p = parent.get(key)
            if p is not None:
                children.setdefault(p, []).append(key)
        removed: set[str] = set()
        redirect: dict[str, str] = {}
        summaries: list[tuple[Node, str]] = []
        drawn_children = {p: len(kids) for p, kids in children.items()}
        for key in keys:
            kids = children.get(key, [])
            if len(kids) <= MAX_CHILDREN:
                continue
            leaves = [k for k in kids if k not in children]
            room = max(0, MAX_CHILDREN - 1 - (len(kids) - len(leaves)))
            if len(leaves) - room < 2:
                continue
            hidden = sorted(leaves, key=self.importance)[room:]
            removed.update(hidden)
            drawn_children[key] -= len(hidden) - 1
            summaries.append((self.children_summary(key, hidden), key))
        kept: set[str] = set()
        for key in keys:
            if key in removed:
                continue
            if key in parent and drawn_children.get(key, 0) == 1 and (key not in keep or parent[key] in keep):
                continue  # in the middle of a chain
            kept.add(key)
            up = parent.get(key)
            for _ in range(CHAIN_NEAR):
                if up is None:
                    break
                kept.add(up)
                up = parent.get(up)
        for key in keys:
            if key not in kept:
                continue
            up = parent.get(key)
            run: list[str] = []
            while up is not None and up not in kept and up not in removed:
                run.append(up)
                removed.add(up)  # for now: also stops the walk on a loop (invalid, but drawn)
                up = parent.get(up)
            if up is None or up not in kept or len(run) < 2:  # (not kept: a loop)
                removed.difference_update(run)
                kept.update(run)
                continue
            summary = self.chain_summary(key, len(run), up, run[0])
            redirect[key] = summary.key
            summaries.append((summary, up))
        return removed, redirect, summaries

    def unit_figures(self, unit_id: str) -> list[Figure]:
        """One graph: the unit's objectives in the latest period it has some, and what they
        align to. (Its earlier periods are lists on its page; each objective's page has
        its own graph.)"""
        owned = self.view.by_owner.get(unit_id, [])
        name = self.unit_name(unit_id)
        for period_id in reversed(list(self.view.periods)):
            ids = [o for o in owned if self.view.objectives[o].period.id == period_id]
            if ids:
                graph = self.tree_graph(ids, period_id, css="okr-graph-unit")
                period = self.view.periods[period_id]
                caption = self.words.gettext("Objectives of %(unit)s in %(period)s and what they align to", unit=name,
                                             period=self.words.period_title(period_id, period.kind, period.start))
                return [Figure("unit", caption, graph)]
        return []

    def figures(self, page_key: str) -> list[Figure]:
        """The figures of the page ``page_key`` (``objective:<id>``, ``unit:<id>``; none
        for other pages, see the module docstring)."""
        kind, _, ident = page_key.partition(":")
        if kind == "objective" and ident in self.view.objectives:
            return [self.objective_figure(ident)]
        if kind == "unit" and self.view.by_owner.get(ident):
            return self.unit_figures(ident)
        return []
