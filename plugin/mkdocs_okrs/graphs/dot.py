"""A small typed graph structure and its one serializer to DOT.

Nothing else in the package writes DOT. Attribute *names* are fixed in this
module; contributor text only ever becomes an attribute *value*, through one of
three escaping functions:

- :func:`html_text` for the text of HTML-like labels (``label=<...>``): XML
  special characters become entities and backslashes are doubled, because
  Graphviz expands ``\\N``, ``\\G``, ``\\E``, ``\\T``, ``\\H``, ``\\L`` even in
  HTML-like labels (checked with dot 2.43, Graphviz 14 and graphviz-pure).
- :func:`tooltip_string` for tooltips (``tooltip="..."``): Graphviz unescapes a
  tooltip twice, so one backslash is written as four; ``&`` is written as
  ``&amp;`` because Graphviz copies entities into the SVG unchanged; the only
  escape sequence emitted is our own line break ``\\n``.
- :func:`token` for values we compute (ids, classes, URLs, colours): they must
  match a strict pattern, else it is a bug and raises ValueError.

Node names in DOT are our own (``n0``, ``n1``...), never contributor text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from .text import clean_text

# Values we compute ourselves: ids, class lists, relative URLs (already
# percent-encoded), colours, numbers, enum words.
_TOKEN = re.compile(r"[A-Za-z0-9 #%&()*+,./:;=?@_~-]*")
_CLASS = re.compile(r"[a-z0-9_-]+")
_ID_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_HTML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\\": "\\\\"}
_HTML_SPECIAL = re.compile(r'[&<>"\\]')


def html_text(text: str) -> str:
    """Untrusted ``text`` as content of a DOT HTML-like label (cleaned and escaped)."""
    return _HTML_SPECIAL.sub(lambda m: _HTML_ESCAPES[m.group()], clean_text(text))


def tooltip_string(lines: list[str] | tuple[str, ...]) -> str:
    """Untrusted ``lines`` as one DOT quoted string (with quotes) for a tooltip.

    Each line is cleaned; lines are joined with Graphviz's ``\\n`` line break.
    """
    parts = []
    for line in lines:
        s = clean_text(line).replace("&", "&amp;").replace("\\", "\\\\\\\\").replace('"', '\\"')
        parts.append(s)
    return '"' + "\\n".join(parts) + '"'


def token(value: str) -> str:
    """A value we computed, as a DOT quoted string; ValueError if it is not a plain token."""
    if not _TOKEN.fullmatch(value) or "\\" in value or '"' in value:
        raise ValueError(f"not a safe DOT token: {value!r}")
    return '"' + value + '"'


@dataclass(frozen=True, slots=True)
class Label:
    """A node label: ``title`` lines in bold, then a smaller ``meta`` line (plain text)."""

    title: tuple[str, ...]
    meta: str = ""

    def to_html(self) -> str:
        """The label as an HTML-like DOT label, ``<...>`` included."""
        rows = [f"<B>{html_text(line)}</B>" for line in self.title]
        if self.meta:
            rows.append('<FONT POINT-SIZE="3"> </FONT>')  # a little space above the meta line
            rows.append(f'<FONT POINT-SIZE="{META_SIZE}">{html_text(self.meta)}</FONT>')
        return "<" + "<BR/>".join(rows) + ">"


@dataclass(frozen=True, slots=True)
class Node:
    """A node. ``key`` names it inside the graph (edges refer to it); ``href`` is a
    site-relative URL (made relative to the embedding page by the serializer's caller)."""

    key: str
    label: Label
    tooltip: tuple[str, ...] = ()
    href: str | None = None
    classes: tuple[str, ...] = ()
    dashed: bool = False
    fill: str = "#ffffff"
    color: str = "#757575"
    bold: bool = False


@dataclass(frozen=True, slots=True)
class Edge:
    """An edge from ``tail`` to ``head`` (node keys). ``label``: its lines, plain text."""

    tail: str
    head: str
    label: tuple[str, ...] = ()
    tooltip: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    dashed: bool = False
    minlen: int = 1


@dataclass(frozen=True, slots=True)
class Graph:
    """A directed graph; nodes and edges in drawing order.

    Every graph is drawn the same way: edges go from a child to its parent and point
    up, so the root of the tree is on top (``rankdir=BT``).
    """

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...] = ()
    classes: tuple[str, ...] = field(default=())


# Arial: every renderer measures it the same way (dot and pygraphviz through
# fontconfig, which maps it to Arial or a metric-compatible font such as Liberation
# Sans; graphviz-pure with its built-in Helvetica/Arial metrics), and browsers draw
# it with those same metrics. "Helvetica" made dot fall back to DejaVu Sans (about
# 20% wider than what the browser draws). okrs-graphs.css names the compatible
# families for the browser, with a generic fallback.
FONT = "Arial"
TITLE_SIZE = 11  # points: node titles, in bold
META_SIZE = 9  # points: the line under a node's title
MARGIN_X, MARGIN_Y = 0.14, 0.07  # inches between a node's text and its border
GRAPH_DEFAULTS = (
    'rankdir="BT" bgcolor="transparent" nodesep="0.25" ranksep="0.45" pad="0.1" '
    f'fontname="{FONT}"'
)
NODE_DEFAULTS = (
    f'shape="box" style="rounded,filled" fontname="{FONT}" fontsize="{TITLE_SIZE}" '
    f'margin="{MARGIN_X},{MARGIN_Y}" penwidth="1.2" fontcolor="#202020"'
)
EDGE_DEFAULTS = (
    f'fontname="{FONT}" fontsize="9" color="#8a8a8a" fontcolor="#555555" '
    'arrowsize="0.7" penwidth="1.1"'
)


EDGE_LABEL_TABLE = '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="4"><TR><TD>'


@lru_cache(maxsize=256)
def _classes(names: tuple[str, ...]) -> str:
    for name in names:
        if not _CLASS.fullmatch(name):
            raise ValueError(f"not a safe class name: {name!r}")
    return token(" ".join(names))


# The node and edge attributes are memoized: an objective's node comes back on the
# graphs of its parent, its children, its unit and its period, which are drawn
# close together (see mkdocs_okrs.site.graphworker). A bounded memo keeps the memory flat.
ATTRS_MEMO = 4096


@lru_cache(maxsize=ATTRS_MEMO)
def _node_attrs(node: Node) -> str:
    """The attributes of ``node`` that do not depend on where it is shown (memoized:
    an objective's node appears on many pages)."""
    style = "rounded,filled,dashed" if node.dashed else "rounded,filled"
    attrs = [
        f"label={node.label.to_html()}",
        f"style={token(style)}",
        f"fillcolor={token(node.fill)}",
        f"color={token(node.color)}",
    ]
    if node.bold:
        attrs.append('penwidth="2.6"')
    if node.classes:
        attrs.append(f"class={_classes(node.classes)}")
    if node.tooltip:
        attrs.append(f"tooltip={tooltip_string(node.tooltip)}")
    return " ".join(attrs)


@lru_cache(maxsize=ATTRS_MEMO)
def _edge_attrs(edge: Edge) -> str:
    """The attributes of ``edge`` except its id (memoized)."""
    attrs = []
    if edge.label:
        # A borderless one-cell table: its padding keeps the text off the edge line
        # (Graphviz places an edge label right against the edge; there is no
        # attribute for that distance). Same in dot, graphviz-pure and pygraphviz.
        lines = "<BR/>".join(html_text(line) for line in edge.label)
        attrs.append(f"label=<{EDGE_LABEL_TABLE}{lines}</TD></TR></TABLE>>")
    if edge.tooltip:
        attrs.append(f"tooltip={tooltip_string(edge.tooltip)}")
    if edge.classes:
        attrs.append(f"class={_classes(edge.classes)}")
    if edge.dashed:
        attrs.append('style="dashed"')
    if edge.minlen != 1:
        attrs.append(f"minlen={int(edge.minlen)}")
    return " ".join(attrs)


def to_dot(graph: Graph, id_prefix: str, href_for: Callable[[str], str]) -> str:
    """Serialize ``graph`` to DOT.

    ``id_prefix`` makes every SVG element id unique on the embedding page (graph
    ``<prefix>``, nodes ``<prefix>-n<i>``, edges ``<prefix>-e<j>``);
    ``href_for(site_url)`` turns a node's site-relative URL into the link written
    in the SVG (relative to where the SVG is shown).
    """
    if not _ID_PREFIX.fullmatch(id_prefix):
        raise ValueError(f"not a safe id prefix: {id_prefix!r}")
    names = {node.key: f"n{i}" for i, node in enumerate(graph.nodes)}
    out = [
        "digraph okr {",
        f'id="{id_prefix}" {GRAPH_DEFAULTS}'
        + (f" class={_classes(graph.classes)}" if graph.classes else ""),
        f"node [{NODE_DEFAULTS}]",
        f"edge [{EDGE_DEFAULTS}]",
    ]
    for node in graph.nodes:
        name = names[node.key]
        link = f' href={token(href_for(node.href))} target="_top"' if node.href is not None else ""
        out.append(f'{name} [id="{id_prefix}-{name}" {_node_attrs(node)}{link}]')
    for j, edge in enumerate(graph.edges):
        attrs = _edge_attrs(edge)
        out.append(f'{names[edge.tail]} -> {names[edge.head]} [id="{id_prefix}-e{j}"{" " if attrs else ""}{attrs}]')
    out.append("}")
    return "\n".join(out) + "\n"
