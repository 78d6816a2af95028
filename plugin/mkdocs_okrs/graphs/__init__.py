"""Graphviz alignment graphs for the OKR site. Imports nothing from MkDocs.

Public API (used by the plugin)::

    from mkdocs_okrs.graphs import GraphOptions, build_site_graphs, GraphError, SiteGraphs

    graphs = build_site_graphs(view, pages, GraphOptions(renderer="auto", cache_dir=Path(".cache/okrs")))
    graphs.inline["objective:2026-Q4/web/fast"]   # HTML blocks (inline SVG figures) for that page
    graphs.extra_files                            # site path -> standalone SVG of an oversized graph
    graphs.stats.summary()                        # renderer, counts, cache hits, seconds

Modules: :mod:`.okr_graphs` (what is drawn), :mod:`.dot` (graph structure and
the only DOT serializer, with all escaping), :mod:`.renderers` (dot,
graphviz-pure, pygraphviz, as installed; batching, time limit), :mod:`.svg`
(post-processing and safety check), :mod:`.cache` (memory and disk cache),
:mod:`.site` (the whole build). Links are computed with
:func:`mkdocs_okrs.site.urls.relative_url`, the package's one URL helper.
"""

from .cache import clear_memory_cache
from .options import GraphError, GraphOptions, GraphStats, SiteGraphs
from .site import build_site_graphs

__all__ = [
    "GraphError",
    "GraphOptions",
    "GraphStats",
    "SiteGraphs",
    "build_site_graphs",
    "clear_memory_cache",
]
