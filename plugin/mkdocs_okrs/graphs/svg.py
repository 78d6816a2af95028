"""Graphviz SVG made fit for a page, checked, and wrapped as a standalone file.

:func:`clean_svg` is deterministic (its output is what the cache stores):

- drops the XML prolog, DOCTYPE, comments and Graphviz's ``<title>`` elements
  (they hold DOT node names);
- rewrites the root ``<svg>``: no size in pt; a size in px that CSS may shrink
  (``max-width: 100%``), the ``viewBox`` kept;
- rewrites every ``<a>``: only its link (as ``xlink:href``) and ``target`` are
  kept, the tooltip becomes a ``<title>`` child (shown by every browser). The link
  is ``xlink:href``, which every browser follows, rather than SVG 2's ``href``:
  Material's instant navigation sets ``el.href`` on every ``[href]`` element of a
  page it loads, which throws on an SVG link and makes it give up;
- turns Graphviz's ``&#45;`` back into ``-``, and removes the ``page0,1_`` that
  dot 2.43 puts before the id of every graph but the first in one process;
- centres the label lines of every node: Graphviz writes the lines of an
  HTML-like label as ``text-anchor="start"`` at an ``x`` computed from *its*
  font metrics, and the browser draws them in another font, so a line ends up
  off-centre. Each such line becomes ``text-anchor="middle"`` at the centre of
  the node's shape, whatever font draws it. (Edge labels keep their start
  anchor: they sit beside their edge.)

:func:`check_svg` then scans the result and refuses anything we did not ask
for: an element outside a small allowlist (no script, foreignObject, image,
style...), an event-handler or style attribute, a link we did not compute, an
id outside the embedding's prefix or a duplicate id.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Collection

from .options import GraphError

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ALLOWED_TAGS = frozenset({"svg", "g", "a", "title", "path", "polygon", "polyline", "ellipse", "text"})
ALLOWED_ATTRS = frozenset(
    {
        "id", "class", "transform", "fill", "stroke", "stroke-width", "stroke-dasharray",
        "d", "points", "cx", "cy", "rx", "ry", "x", "y", "text-anchor", "font-family",
        "font-size", "font-weight", "font-style", "href", "target", "width", "height",
        "viewBox", "space", "fill-opacity", "stroke-opacity", "opacity",
    }
)

_NAMESPACES = {"xmlns": SVG_NS, "xmlns:xlink": XLINK_NS}
_COMMENT = re.compile(r"<!--.*?-->\n?", re.S)
_TITLE = re.compile(r"<title>[^<]*</title>\n?")
_ROOT = re.compile(r"<svg\b[^>]*>")
_ANCHOR = re.compile(r"<a\b([^>]*)>")
_ATTR = re.compile(r'([\w:.-]+)="([^"]*)"')
_PT = re.compile(r"([0-9.]+)pt")
_BLANK_LINES = re.compile(r"\n\s*\n")
_TAG_NAMES = re.compile(r"</?([^\s/>]*)")
_EQUALS_UNQUOTED = re.compile(r'=(?!")')
_QUOTED = re.compile(r'"[^"]*"')
_UNQUOTED = re.compile(r'<[^>]*=[^"]')
_HREF = re.compile(r'[\s:]href="([^"]*)"')  # href and xlink:href
_ID = re.compile(r' id="([^"]*)"')
# dot 2.43 prefixes the id of every graph but the first of a batch with "page0,1_".
_PAGE_ID = re.compile(r'<g id="page[0-9]+,[0-9]+_')


def _px(value: str) -> int:
    m = _PT.fullmatch(value.strip())
    if not m:
        raise GraphError(f"unexpected SVG size {value!r} from the renderer")
    return max(1, round(float(m.group(1)) * 4 / 3))


# A node's group runs from its opening tag to the next node, edge or cluster group.
_GROUP_START = re.compile(r'<g id="[^"]*" class="(?:node|edge|cluster)\b')
_NODE_START = re.compile(r'<g id="[^"]*" class="node\b')
# The node's shape: the first path or polygon (its outline; x,y pairs) or ellipse.
_SHAPE = re.compile(r'<(?:path|polygon)\b[^>]*? (?:d|points)="([^"]*)"|<ellipse\b[^>]*? cx="(-?[0-9.]+)"')
_POINT = re.compile(r"(-?[0-9]+(?:\.[0-9]+)?),-?[0-9]+(?:\.[0-9]+)?")
_START_TEXT = re.compile(r'(<text\b[^>]*?) text-anchor="start" x="-?[0-9]+(?:\.[0-9]+)?"')


def _shape_centre_x(group: str) -> str | None:
    """The x of the centre of the first shape in a node's group (None when there is none)."""
    shape = _SHAPE.search(group)
    if shape is None:
        return None
    if shape.group(2) is not None:  # an ellipse
        return shape.group(2)
    xs = [float(x) for x in _POINT.findall(shape.group(1))]
    if not xs:
        return None
    return f"{(min(xs) + max(xs)) / 2:.2f}".rstrip("0").rstrip(".")


def _centre_group(group: str) -> str:
    if not _NODE_START.match(group):
        return group
    centre = _shape_centre_x(group)
    if centre is None:
        return group
    return _START_TEXT.sub(lambda m: f'{m.group(1)} text-anchor="middle" x="{centre}"', group)


def centre_node_labels(body: str) -> str:
    """``body`` with every start-anchored text line of a node centred on the node's shape."""
    starts = [m.start() for m in _GROUP_START.finditer(body)]
    if not starts:
        return body
    bounds = [0, *starts, len(body)]
    return "".join(_centre_group(body[a:b]) for a, b in zip(bounds, bounds[1:]))


def _anchor(match: re.Match[str]) -> str:
    attrs = dict(_ATTR.findall(match.group(1)))
    href = attrs.get("xlink:href", attrs.get("href"))
    title = attrs.get("xlink:title", attrs.get("title"))
    tag = f'<a xlink:href="{href}" target="_top">' if href is not None else "<a>"
    return tag + (f"<title>{title}</title>" if title else "")


def clean_svg(raw: str) -> str:
    """Graphviz's SVG document as an ``<svg>`` element for a page (see the module docstring)."""
    start = raw.find("<svg")
    if start < 0 or not raw.rstrip().endswith("</svg>"):
        raise GraphError("the renderer returned something that is not an SVG document")
    body = raw[start:].rstrip()
    body = _COMMENT.sub("", body)
    body = _TITLE.sub("", body)
    root = _ROOT.match(body)
    if root is None:  # pragma: no cover - find() found it
        raise GraphError("the renderer returned an SVG without a root element")
    attrs = dict(_ATTR.findall(root.group(0)))
    width, height = _px(attrs.get("width", "")), _px(attrs.get("height", ""))
    view_box = attrs.get("viewBox", f"0 0 {width} {height}")
    new_root = (
        f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}" class="okr-graph__svg" '
        f'width="{width}" height="{height}" viewBox="{view_box}">'
    )
    body = new_root + body[root.end():]
    body = _ANCHOR.sub(_anchor, body)
    body = _PAGE_ID.sub('<g id="', body)
    body = body.replace("&#45;", "-")
    body = centre_node_labels(body)
    return _BLANK_LINES.sub("\n", body)


def check_svg(svg: str, prefix: str, hrefs: Collection[str]) -> None:
    """Raise GraphError unless ``svg`` is what we asked for (see the module docstring).

    Graphviz writes ``<``, ``>``, ``&`` and ``"`` in text and attribute values as
    entities, so every ``<`` starts a tag and every ``name="`` is an attribute; the
    checks below are whole-document scans (fast on thousands of graphs), not a parse.
    """
    tags = set(_TAG_NAMES.findall(svg))
    if not tags <= ALLOWED_TAGS:
        raise GraphError(f"unexpected element <{min(tags - ALLOWED_TAGS)}> in a rendered graph")
    # Every '="' ends an attribute name (Graphviz escapes '"' in values and text).
    attrs = {part.rpartition(" ")[2] for part in svg.split('="')[:-1]}
    bad = {a for a in attrs - _NAMESPACES.keys() if a.rpartition(":")[2] not in ALLOWED_ATTRS}
    if bad:
        raise GraphError(f"unexpected attribute {min(bad)!r} in a rendered graph")
    for attr, ns in _NAMESPACES.items():
        if any(value != ns for value in re.findall(rf' {attr}="([^"]*)"', svg)):
            raise GraphError("unexpected XML namespace in a rendered graph")
    if _EQUALS_UNQUOTED.search(svg) and _UNQUOTED.search(_QUOTED.sub('""', svg)):
        raise GraphError("an attribute without quotes in a rendered graph")
    for value in _HREF.findall(svg):
        if html.unescape(value) not in hrefs:
            raise GraphError(f"unexpected link {value!r} in a rendered graph")
    ids = _ID.findall(svg)
    for value in ids:
        if not (value == prefix or value.startswith((prefix + "-", "a_" + prefix + "-"))):
            raise GraphError(f"unexpected element id {value!r} in a rendered graph")
    if len(set(ids)) != len(ids):
        raise GraphError("duplicate element ids in a rendered graph")


# -- standalone files ----------------------------------------------------------------

CSS_PATH = Path(__file__).resolve().parent.parent / "assets" / "okrs-graphs.css"

# Material's colours, for a file shown outside the site (light, then dark).
_MATERIAL_LIGHT = (
    "--md-default-fg-color: rgba(0, 0, 0, 0.87); --md-default-fg-color--light: rgba(0, 0, 0, 0.54); "
    "--md-default-bg-color: #ffffff; --md-accent-fg-color: #526cfe; --md-typeset-a-color: #4051b5;"
)
_MATERIAL_DARK = (
    "--md-default-fg-color: hsla(225, 15%, 90%, 0.82); --md-default-fg-color--light: hsla(225, 15%, 90%, 0.56); "
    "--md-default-bg-color: hsla(232, 15%, 14%, 1); --md-accent-fg-color: #526cfe; --md-typeset-a-color: #8c9eff;"
)
_SLATE_BLOCK = re.compile(r'\[data-md-color-scheme="slate"\]\s*\{([^}]*)\}')


def standalone_css() -> str:
    """The graph CSS for a standalone SVG: Material's colours, dark ones when the viewer prefers dark."""
    css = CSS_PATH.read_text(encoding="utf-8")
    dark = "".join(m.group(1) for m in _SLATE_BLOCK.finditer(css))
    return (
        f"svg.okr-graph {{ {_MATERIAL_LIGHT} background: var(--md-default-bg-color); }}\n"
        f"@media (prefers-color-scheme: dark) {{ svg.okr-graph {{ {_MATERIAL_DARK} {dark} }} }}\n"
        + css
    )


def standalone_svg(svg: str, title: str, css: str) -> str:
    """A cleaned SVG as a standalone file: natural size, a title, the graph CSS embedded."""
    root = _ROOT.match(svg)
    if root is None:
        raise GraphError("not a cleaned SVG")
    head = root.group(0).replace('class="okr-graph__svg"', 'class="okr-graph okr-graph--standalone"')
    esc = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        + head
        + f"\n<title>{esc}</title>\n<style><![CDATA[\n{css}\n]]></style>"
        + svg[root.end():]
        + "\n"
    )
