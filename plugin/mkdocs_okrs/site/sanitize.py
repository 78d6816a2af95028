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

The body shares its page with the theme and our template, which find their
elements by id (mkdocs-material reads its settings from the first ``#__config``
of the page; ``__search``, ``__drawer``, ``__palette_0``, ``okr-key-results``,
``okr-kr-<id>``...). So every ``id`` and ``name`` in the body -- raw HTML,
``attr_list``, the toc extension's heading ids, footnotes, tabbed sets -- is
put in a namespace of its own with :func:`body_id` (``why`` -> ``okr-body-why``;
no id of the theme or of our templates starts with :data:`BODY_ID_PREFIX`), and
so is every ``<label for>``. Fragment links to an id the body defines follow
it (``#why`` -> ``#okr-body-why``: footnotes, permalinks, the author's links);
a fragment link to any other id (``#okr-key-results``) is left as written.
"""

from __future__ import annotations

from urllib.parse import unquote

import nh3

BODY_ID_PREFIX = "okr-body-"
"""Starts every id and name of a sanitized body; no id of the theme or our templates does."""

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
        _CLEANER = _with(None)
    return _CLEANER


def body_id(raw_id: str) -> str:
    """The id that a body's ``raw_id`` has on the page (``why`` -> ``okr-body-why``).

    An id that already starts with :data:`BODY_ID_PREFIX` is kept: it is in the
    body's namespace already, and :func:`sanitize_body` stays idempotent. The
    table of contents of the body's headings uses this to point at them.
    """
    return raw_id if raw_id.startswith(BODY_ID_PREFIX) else BODY_ID_PREFIX + raw_id


def _with(attribute_filter) -> nh3.Cleaner:
    """A cleaner of the allow-list, with ``attribute_filter`` (cheap: a few µs to make)."""
    return nh3.Cleaner(
        tags=_TAGS,
        clean_content_tags=_CLEAN_CONTENT,
        attributes=_ATTRIBUTES,
        tag_attribute_values=_TAG_ATTRIBUTE_VALUES,
        url_schemes=_URL_SCHEMES,
        filter_style_properties={"text-align"},
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=attribute_filter,
    )


def _fragment(href: str) -> str | None:
    """The fragment of a same-page link (``#x`` -> ``x``), else None."""
    href = href.strip()
    return href[1:] if href.startswith("#") else None


def sanitize_body(html: str) -> str:
    """The rendered body ``html`` with everything outside the allow-list removed,
    and its ids, names and ``label for`` prefixed (:func:`body_id`).

    Three nh3 passes, all with the same allow-list: the first sanitizes; the
    second reads the ids that the clean body defines (``id`` anywhere, ``name``
    of ``<a>``: what a fragment can point at) -- on clean HTML, so an id on an
    element the first pass dropped does not count; the third rewrites the
    attributes of that same clean HTML, now knowing which fragment links point
    into the body. A pure function.
    """
    clean = _cleaner().clean(html)
    if "id=" not in clean and "name=" not in clean and "for=" not in clean:
        return clean  # nothing to rename (the common body without headings)

    defined: set[str] = set()

    def record(tag: str, attr: str, value: str) -> str:
        if attr == "id" or (attr == "name" and tag == "a"):
            defined.add(value)
        return value

    _with(record).clean(clean)

    def rename(tag: str, attr: str, value: str) -> str | None:
        if attr == "id" or attr == "name" or attr == "for":
            return body_id(value) if value else None
        if attr == "href":
            frag = _fragment(value)
            if frag and (frag in defined or unquote(frag) in defined):
                return "#" + body_id(frag)
        return value

    return _with(rename).clean(clean)
