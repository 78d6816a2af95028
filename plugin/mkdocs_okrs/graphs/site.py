"""All the graphs of a site in one go: build, look up the cache, render the rest in one batch, wrap."""

from __future__ import annotations

import hashlib
import html
import os
import re
import time
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from ..core.publish import PublicOkrs
from .cache import MEMORY, DiskCache, cache_key
from .dot import to_dot
from .okr_graphs import STATUSES, Figure, GraphBuilder, status_label
from .options import GraphError, GraphOptions, GraphStats, SiteGraphs
from .renderers import Renderer, select_renderer
from .svg import check_svg, clean_svg, standalone_css, standalone_svg
from ..site.urls import relative_url, safe_href
from ..site.words import ENGLISH, Words


@dataclass
class _Embedding:
    """One drawing: shown inline on ``page_key``, or (``extra`` set) as a separate file."""

    page_key: str
    prefix: str
    figure: Figure
    extra: str | None
    dot: str = ""
    hrefs: set[str] = field(default_factory=set)
    key: str = ""


def embed_prefix(page_key: str, index: int) -> str:
    """Prefix of every element id of drawing ``index`` on page ``page_key`` (deterministic)."""
    return f"okrg-{hashlib.sha256(page_key.encode('utf-8')).hexdigest()[:10]}-{index}"


def extra_path(extra_dir: str, page_key: str, index: int) -> str:
    """Site path of the separate SVG file of drawing ``index`` on page ``page_key``."""
    kind, _, ident = page_key.partition(":")
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", ident).strip("-.")[:60] or "graph"
    digest = hashlib.sha256(page_key.encode("utf-8")).hexdigest()[:8]
    return f"{extra_dir.strip('/')}/{kind}/{slug}-{digest}-{index + 1}.svg"


def _legend(figure: Figure, words: Words) -> str:
    present = {c for node in figure.graph.nodes for c in node.classes}
    keys = [
        f'<span class="okr-graph__key okr-status-{s}">{html.escape(status_label(s, words))}</span>'
        for s in STATUSES
        if f"okr-status-{s}" in present
    ]
    return f' <span class="okr-graph__legend">{"".join(keys)}</span>' if keys else ""


# Every text of the graph viewer, in English: the one place to translate them. The
# script (okrs-graphs.js) writes no text of its own; it shows what this HTML holds.
VIEWER_TEXT = {
    "open": "Full screen",
    "open_hint": "Show the graph full screen, with zoom and pan",
    "zoom_in": "Zoom in",
    "zoom_out": "Zoom out",
    "reset": "Reset",
    "reset_hint": "Reset the zoom",
    "close": "Close",
    "help": "Drag or use the arrow keys to move; + and \u2212 zoom, 0 resets, Esc closes.",
}


def _viewer(prefix: str, caption: str, words: Words) -> str:
    """The full-screen viewer of a graph (see okrs-graphs.js): an "open" button, hidden
    until the script shows it, and a closed ``<dialog>`` into which the script moves
    the drawing while it is open. Without the script neither is ever shown."""
    t = {k: html.escape(words.gettext(v)) for k, v in VIEWER_TEXT.items()}
    return (
        f'<button type="button" class="okr-graph__open" hidden="" aria-haspopup="dialog" '
        f'title="{t["open_hint"]}">{t["open"]}</button>'
        f'<dialog class="okr-graph__viewer" aria-labelledby="{prefix}-viewer-title">'
        '<div class="okr-graph__toolbar">'
        f'<span class="okr-graph__title" id="{prefix}-viewer-title">{html.escape(caption)}</span>'
        f'<button type="button" data-okr-graph="zoom-in" aria-label="{t["zoom_in"]}" title="{t["zoom_in"]} (+)">+</button>'
        f'<button type="button" data-okr-graph="zoom-out" aria-label="{t["zoom_out"]}" title="{t["zoom_out"]} (\u2212)">\u2212</button>'
        f'<button type="button" data-okr-graph="reset" title="{t["reset_hint"]} (0)">{t["reset"]}</button>'
        f'<button type="button" data-okr-graph="close" title="{t["close"]} (Esc)">{t["close"]}</button>'
        "</div>"
        f'<div class="okr-graph__stage" tabindex="0" role="group" aria-labelledby="{prefix}-viewer-title" '
        f'aria-describedby="{prefix}-viewer-help"></div>'
        f'<p class="okr-graph__help" id="{prefix}-viewer-help">{t["help"]}</p>'
        "</dialog>"
    )


def _inline_block(emb: _Embedding, svg: str, words: Words) -> str:
    fig = emb.figure
    svg = svg.replace("<svg ", f'<svg role="group" aria-labelledby="{emb.prefix}-caption" ', 1)
    return (
        f'<figure class="okr-graph okr-graph--{fig.kind}" id="{emb.prefix}-figure">'
        f'<div class="okr-graph__canvas">{svg}</div>'
        f'<figcaption id="{emb.prefix}-caption">{html.escape(fig.caption)}{_legend(fig, words)}</figcaption>'
        f"{_viewer(emb.prefix, fig.caption, words)}"
        "</figure>"
    )


def _separate_block(emb: _Embedding, page_url: str, words: Words) -> str:
    fig = emb.figure
    href = html.escape(safe_href(relative_url(page_url, emb.extra or "")))
    return (
        f'<figure class="okr-graph okr-graph--{fig.kind} okr-graph--separate" id="{emb.prefix}-figure">'
        '<p class="okr-graph__notice">'
        + html.escape(words.ngettext("This graph has %(num)s node, too many to read here.",
                                     "This graph has %(num)s nodes, too many to read here.", len(fig.graph.nodes)))
        + f' <a href="{href}">{html.escape(words.gettext("Open the full-size graph (SVG)"))}</a></p>'
        f'<figcaption id="{emb.prefix}-caption">{html.escape(fig.caption)}</figcaption>'
        "</figure>"
    )


def build_site_graphs(view: PublicOkrs, pages: Mapping[str, str], options: GraphOptions,
                      keys: Iterable[str] | None = None, words: Words | None = None) -> SiteGraphs:
    """The graphs of the pages ``keys`` (default: every page of ``pages``), rendered (or
    taken from the cache) in one batch.

    ``pages`` maps page keys (``objective:<id>``, ``period:<id>``, ``unit:<id>``;
    others are ignored) to each page's URL relative to the site root, as the
    browser sees it (``a/b/`` or ``a/b.html``). Node links go to
    ``pages["objective:<id>"]``, relative to the page (or file) showing the graph.
    Their text is in the language of ``words`` (English by default). Raises
    GraphError when no renderer is available, a renderer fails or runs longer than
    ``options.timeout``.
    """
    words = words or ENGLISH
    started = time.perf_counter()
    if not options.enabled:
        return SiteGraphs()
    renderer = select_renderer(options.renderer)
    result = SiteGraphs(stats=GraphStats(renderer=renderer.name, renderer_version=renderer.version))
    embeddings = _embeddings(view, pages, options, renderer, sorted(pages) if keys is None else keys, words)
    svgs = _svgs(embeddings, renderer, options, result.stats)
    css = None
    for emb in embeddings:
        blocks = result.inline.setdefault(emb.page_key, [])
        if emb.extra is None:
            blocks.append(_inline_block(emb, svgs[emb.key], words))
            result.stats.inline += 1
        else:
            css = css if css is not None else standalone_css()
            result.extra_files[emb.extra] = standalone_svg(svgs[emb.key], emb.figure.caption, css)
            blocks.append(_separate_block(emb, pages[emb.page_key], words))
            result.stats.separate_pages += 1
    result.stats.graphs = len(embeddings)
    result.stats.total_seconds = time.perf_counter() - started
    return result


def _embeddings(view: PublicOkrs, pages: Mapping[str, str], options: GraphOptions, renderer: Renderer,
                keys: Iterable[str], words: Words) -> list[_Embedding]:
    """Every drawing of the pages ``keys`` with its DOT (links relative to where it is shown) and cache key."""
    builder = GraphBuilder(view, pages, options.max_nodes, words)
    embeddings: list[_Embedding] = []
    for page_key in keys:
        for index, figure in enumerate(builder.figures(page_key)):
            too_big = len(figure.graph.nodes) > options.max_nodes
            emb = _Embedding(
                page_key,
                embed_prefix(page_key, index),
                figure,
                extra_path(options.extra_dir, page_key, index) if too_big else None,
            )
            base = emb.extra if emb.extra is not None else pages[page_key]

            def href_for(site_url: str, base: str = base, hrefs: set[str] = emb.hrefs) -> str:
                href = safe_href(relative_url(base, site_url))
                hrefs.add(href)
                return href

            emb.dot = to_dot(figure.graph, emb.prefix, href_for)
            emb.key = cache_key(renderer.name, renderer.version, emb.dot)
            embeddings.append(emb)
    return embeddings


def _cached(emb: _Embedding, svg: str | None, stats: GraphStats) -> str | None:
    """A cached ``svg`` of ``emb`` if it passes the same check as a fresh drawing, else None.

    The cache may have been written by anyone with access to it (a CI cache is shared
    between jobs): a drawing that fails is counted in ``stats.rejected`` and drawn again.
    """
    if svg is None:
        return None
    try:
        check_svg(svg, emb.prefix, emb.hrefs)
    except GraphError as exc:
        stats.rejected.append(f"{emb.page_key}: {exc}")
        return None
    return svg


def _svgs(embeddings: list[_Embedding], renderer: Renderer, options: GraphOptions, stats: GraphStats) -> dict[str, str]:
    """Cache key -> cleaned, checked SVG: from memory, else disk, else one batch through the renderer.

    Every SVG is checked (:func:`~.svg.check_svg`) before it is used, wherever it came from.
    """
    disk = DiskCache(options.cache_dir) if options.cache_dir is not None else None
    svgs: dict[str, str] = {}
    todo: list[_Embedding] = []
    missing: list[_Embedding] = []
    for emb in embeddings:
        if emb.key in svgs:
            continue
        svg = _cached(emb, MEMORY.get(emb.key), stats)
        if svg is not None:
            stats.memory_hits += 1
            svgs[emb.key] = svg
        else:
            MEMORY.discard(emb.key)
            missing.append(emb)
    stored = disk.get_many([emb.key for emb in missing]) if disk is not None and missing else {}
    for emb in missing:
        svg = _cached(emb, stored.get(emb.key), stats)
        if svg is None:
            todo.append(emb)
        else:
            stats.disk_hits += 1
            svgs[emb.key] = svg
            MEMORY.put(emb.key, svg)
    if todo:
        t = time.perf_counter()
        calls_before = renderer.calls
        raw = renderer.render([e.dot for e in todo], options.timeout, options.jobs or _cpu_count())
        stats.render_seconds = time.perf_counter() - t
        stats.render_calls = renderer.calls - calls_before
        stats.rendered = len(todo)
        for emb, raw_svg in zip(todo, raw):
            svg = clean_svg(raw_svg)
            check_svg(svg, emb.prefix, emb.hrefs)
            svgs[emb.key] = svg
            MEMORY.put(emb.key, svg)
            if disk is not None:
                disk.put(emb.key, svg)  # (replaces a stored drawing that failed the check)
    if disk is not None:
        disk.close()
        stats.disk_errors = disk.errors
    return svgs


def _cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
