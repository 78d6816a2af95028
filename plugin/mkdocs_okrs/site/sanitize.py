"""Sanitize the HTML rendered from a contributor's Markdown body (nh3 allow-list).

Python-Markdown passes raw HTML through, and extensions such as ``attr_list``
let a writer add any attribute, so the rendered body of an objective is
untrusted. :func:`sanitize_body` keeps what Markdown and the usual
mkdocs-material extensions produce -- headings with ids and permalinks, tables
(with ``text-align``), code blocks with highlighting classes, admonitions,
details/summary, tabs, task lists, footnotes, abbreviations, definition lists,
images and inline emoji SVG -- and drops everything else: ``<script>``,
``<style>``, ``<iframe>``, forms, event attributes, ``style`` except
``text-align``, and links or image sources whose scheme is not http, https or
mailto (so ``javascript:`` and ``data:`` go). Links get
``rel="noopener noreferrer"``.
"""

from __future__ import annotations

import nh3

_TAGS = {
    # text
    "p", "br", "hr", "span", "div", "blockquote", "pre", "code", "kbd", "samp", "var",
    "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup",
    "abbr", "cite", "q", "dfn", "time",
    # headings and structure
    "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "aside", "figure", "figcaption",
    # lists
    "ul", "ol", "li", "dl", "dt", "dd",
    # tables
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col",
    # links and media
    "a", "img", "picture", "source",
    # interactive blocks of pymdownx (details, tabbed, tasklist)
    "details", "summary", "label", "input",
    # inline SVG icons (pymdownx.emoji with mkdocs-material's twemoji)
    "svg", "path", "g", "circle", "rect", "title",
}

_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir", "aria-hidden", "aria-label"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height", "loading", "align"},
    "source": {"srcset", "media", "type"},
    "ol": {"start", "reversed"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "style", "align"},
    "th": {"colspan", "rowspan", "scope", "style", "align"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
    "label": {"for"},
    "input": {"checked", "disabled", "name"},
    "time": {"datetime"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "div": {"data-tabs"},
    "svg": {"viewbox", "viewBox", "xmlns", "width", "height", "fill", "role", "focusable"},
    "path": {"d", "fill", "fill-rule", "clip-rule"},
    "circle": {"cx", "cy", "r", "fill"},
    "rect": {"x", "y", "width", "height", "rx", "ry", "fill"},
    "g": {"fill"},
}

# Restricted values: only the input types the Markdown extensions emit.
_TAG_ATTRIBUTE_VALUES = {
    "input": {"type": {"checkbox", "radio"}},
}

_URL_SCHEMES = {"http", "https", "mailto"}

# Removed together with their content.
_CLEAN_CONTENT = {"script", "style"}

_CLEANER: nh3.Cleaner | None = None


def _cleaner() -> nh3.Cleaner:
    global _CLEANER
    if _CLEANER is None:
        _CLEANER = nh3.Cleaner(
            tags=_TAGS,
            clean_content_tags=_CLEAN_CONTENT,
            attributes=_ATTRIBUTES,
            tag_attribute_values=_TAG_ATTRIBUTE_VALUES,
            url_schemes=_URL_SCHEMES,
            filter_style_properties={"text-align"},
            link_rel="noopener noreferrer",
            strip_comments=True,
        )
    return _CLEANER


def sanitize_body(html: str) -> str:
    """The rendered body ``html`` with everything outside the allow-list removed."""
    return _cleaner().clean(html)
