"""One generated page's HTML from our templates, before the contributor's body goes in. No MkDocs import.

:func:`render_okr_page` is the part of a page that depends only on the OKRs: the
template rendered with :data:`~mkdocs_okrs.site.toc.BODY_MARKER` where the
sanitized body goes and a graphs marker where the graphs go, the headings of
its table of contents and the ids it adds.

A page's ``page.content`` is its text: the statement, the key results, the body,
what the page says. The parts that present other data -- lists of objectives,
trees, tables of check-ins, graphs -- are marked ``later`` in the templates and go
into the written page only (:func:`~mkdocs_okrs.site.toc.split_later`), as
mkdocs-material's blog renders its index pages' post lists in the theme rather
than in the page content: the search indexes the text (it would skip those parts,
marked ``data-search-exclude``, anyway), and MkDocs does not keep them in memory
for every page until the build ends.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from markupsafe import Markup

from . import context as ctxmod
from .render import render_page
from .toc import BODY, BODY_MARKER, Heading, figure_marker, graphs_marker, split_later, template_headings

_ID_ATTR = re.compile(r'\sid="([^"]+)"')


@dataclass(slots=True)
class PageHtml:
    """What :func:`render_okr_page` made for one page.

    ``html`` has :data:`BODY_MARKER` where the body goes when ``with_body``, and a
    marker for each of the ``later`` parts; ``headings`` are the template's headings
    (``later`` parts included), ``None`` standing for the body's.
    """

    html: str
    later: list[str]
    headings: list[tuple[int, str, str] | None]
    anchors: list[str]
    with_body: bool

    def toc_headings(self) -> list[Heading]:
        """The headings as :class:`Heading` objects, :data:`BODY` for the body's."""
        return [BODY if h is None else Heading(*h) for h in self.headings]


def page_context(index: ctxmod.SiteIndex, kind: str, ref: str | None, dashboard_title: str) -> dict:
    """The template context of a page of ``kind`` (about ``ref``)."""
    if kind == "dashboard":
        ctx = ctxmod.dashboard_context(index)
        ctx["title"] = dashboard_title
        return ctx
    if kind == "units":
        return ctxmod.units_index_context(index)
    if kind == "period":
        return ctxmod.period_context(index, ref)
    if kind == "unit":
        return ctxmod.unit_context(index, ref)
    if kind == "review":
        return ctxmod.review_context(index, ref)
    if kind == "changes":
        return ctxmod.changes_context(index)
    if kind == "tags":
        return ctxmod.tags_index_context(index)
    if kind == "tag":
        return ctxmod.tag_context(index, ref)
    return ctxmod.objective_context(index, ref)


def render_okr_page(env, index: ctxmod.SiteIndex, key: str, *, with_body: bool, with_graphs: bool,
                    dashboard_title: str, with_charts: bool = True) -> PageHtml:
    """Render page ``key`` of ``index.plan`` with the Jinja environment ``env``.

    Where the page's figures go (its graphs with ``with_graphs``, an objective's trend
    charts with ``with_charts``) the template prints a marker (:func:`figure_marker`)."""
    spec = index.plan.pages[key]
    ctx = page_context(index, spec.kind, spec.ref, dashboard_title)
    ctx["body_html"] = BODY_MARKER if with_body else ""
    ctx["graphs"] = graphs_marker(key) if with_graphs else None
    if spec.kind == "objective":
        measured = ctx["objective"]["progress"]["value"] is not None  # else no progress on any day
        ctx["objective"]["chart"] = Markup(figure_marker(key, "objective")) if with_charts and measured else None
        for kr in ctx["key_results"]:
            if with_charts and kr["kind"] in ("metric", "milestone"):
                kr["chart"] = Markup(figure_marker(key, f"kr{kr['index']}"))
    rendered = render_page(env, spec.kind, ctx)
    headings = [None if h is BODY else (h.level, h.id, h.title) for h in template_headings(rendered)]
    anchors = [html.unescape(a) for a in _ID_ATTR.findall(rendered)]
    text, later = split_later(rendered)
    return PageHtml(text, later, headings, anchors, with_body)


def problems_banner(lines: list[str]) -> str:
    """The banner ``mkdocs serve`` puts on every OKR page while the OKR files have errors
    (``lines``: the diagnostics as ``okrs check`` prints them)."""
    items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in lines)
    count = f"{len(lines)} error{'s' if len(lines) != 1 else ''}"
    return (
        '<div class="admonition failure okr-problems" role="alert" data-okr-problems>'
        f'<p class="admonition-title">The OKR files have {count}</p>'
        "<p>These pages show the OKRs as they were before the change that broke them. "
        "Fix the files and save: the pages update. <code>mkdocs build</code> fails until then.</p>"
        f"<ul>{items}</ul></div>\n"
    )
