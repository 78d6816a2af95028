"""The table of contents of a generated page, read from the rendered template.

Reading the headings back from the template's output (rather than listing them
in code) keeps the page's table of contents right when a template is
overridden. Only headings with an ``id`` count. The contributor's body is
rendered by MkDocs, which already knows its headings; the marker
:data:`BODY_MARKER` says where they go.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

BODY_MARKER = "<!--okrs:body-->"
GRAPHS_MARKER_PREFIX = "<!--okrs:figure:"
# Around a part of a template's output that goes into the written page only (the
# template's ``later`` filter); in ``page.content`` a numbered marker stands for it.
LATER_OPEN, LATER_CLOSE = "<!--okrs:later-->", "<!--okrs:/later-->"
_LATER = re.compile(re.escape(LATER_OPEN) + "(.*?)" + re.escape(LATER_CLOSE), re.S)
_LATER_MARKER = re.compile(r"<!--okrs:later:([0-9]+)-->")


def figure_marker(page_key: str, name: str) -> str:
    """A placeholder for the figure ``name`` (``graphs``, ``objective``, ``kr0``...) of
    ``page_key``; replaced by the figure when the page is written."""
    key = html.escape(page_key).encode("ascii", "xmlcharrefreplace").decode("ascii")
    return f"{GRAPHS_MARKER_PREFIX}{key}:{name}-->"


def graphs_marker(page_key: str) -> str:
    """The placeholder of the alignment graphs of ``page_key``."""
    return figure_marker(page_key, "graphs")


@dataclass(slots=True)
class Heading:
    """A heading found in our template's output. ``title`` is escaped HTML text."""

    level: int
    id: str
    title: str
    children: list["Heading"] = field(default_factory=list)


BODY = Heading(0, "", "")  # stands for the body's own headings in a flat list


_HEADING = re.compile(
    r'<h([1-6])\b[^>]*?\sid="([^"]+)"[^>]*>(.*?)</h\1\s*>|' + re.escape(BODY_MARKER), re.S
)
_TAG = re.compile(r"<[^>]*>")


def template_headings(rendered: str) -> list[Heading]:
    """The headings with an id in ``rendered``, in order, with :data:`BODY` where the body goes.

    ``rendered`` is our own template's output (trusted, well formed), read with a
    regular expression: it runs on every generated page, and an HTML parser
    costs more than the rest of the page's rendering.
    """
    out: list[Heading] = []
    for m in _HEADING.finditer(rendered):
        if m.group(1) is None:
            out.append(BODY)
            continue
        text = html.unescape(_TAG.sub("", m.group(3)))
        title = " ".join(text.split())
        out.append(Heading(int(m.group(1)), html.unescape(m.group(2)), html.escape(title, quote=False)))
    return out


def nest(items: list[Heading]) -> list[Heading]:
    """Nest a flat list of headings by level (h2 under the h1 before it, and so on).

    :data:`BODY` is kept as a node of its own, placed under the last h1 (the
    page title) when there is one: the body's headings belong to the page.
    """
    roots: list[Heading] = []
    stack: list[Heading] = []
    for item in items:
        if item is BODY:
            while stack and stack[-1].level > 1:
                stack.pop()
            (stack[-1].children if stack else roots).append(BODY)
            continue
        node = Heading(item.level, item.id, item.title)
        while stack and stack[-1].level >= node.level:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


def split_later(rendered: str) -> tuple[str, list[str]]:
    """(``rendered`` with a numbered marker for each part the template marked ``later``,
    those parts in order). The markers are comments: contributor text cannot hold one
    (it is escaped, and the sanitizer drops comments from bodies)."""
    parts: list[str] = []

    def keep(m: re.Match) -> str:
        parts.append(m.group(1))
        return f"<!--okrs:later:{len(parts) - 1}-->"

    return _LATER.sub(keep, rendered), parts


def place_later(output: str, parts: list[str]) -> str:
    """``output`` with each numbered marker of :func:`split_later` replaced by its part."""
    if not parts:
        return output
    return _LATER_MARKER.sub(lambda m: parts[int(m.group(1))] if int(m.group(1)) < len(parts) else "", output)
