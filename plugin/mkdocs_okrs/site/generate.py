"""The OKR site's pages and files, made once for every way of publishing them. No MkDocs import.

:class:`OkrSite` is the one page generator of the package. Given the public view of
the OKRs (:func:`~mkdocs_okrs.core.publish.public_view`: private objectives are gone
before anything is made) and :class:`SiteOptions`, it plans the pages
(:mod:`.plan`), renders each from the templates with the objective's sanitized body
(:meth:`OkrSite.render`), draws the figures -- alignment graphs, trend charts -- beside
the pages (:meth:`OkrSite.start_figures`, :mod:`.graphworker`), and makes
``okrs.json``, the Atom feed and the list of stylesheets and scripts.

Two callers:

- the MkDocs plugin (:mod:`mkdocs_okrs.plugin`) turns a :class:`RenderedPage` into
  MkDocs' page content and table of contents, and puts the ``later`` parts and the
  figures into the written page (``on_post_page``);
- ``okrs generate`` (:mod:`mkdocs_okrs.commands.generate`) puts them in at once
  (:meth:`OkrSite.finished_html`) and writes each page as a Markdown file that any
  Python-Markdown site builder passes through untouched (:func:`markdown_page`), in a
  folder layout that gives every page the URL it has under the plugin
  (:func:`generated_path`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..core.publish import PublicOkrs
from . import context as ctxmod
from . import graphworker
from . import pagehtml
from . import plan as planmod
from .bodies import BodyRenderer, objective_link_resolver
from .render import make_environment, narrow_html
from .sanitize import sanitize_body
from .toc import BODY_MARKER, Heading, figure_marker, nest, place_later
from .trends import objective_figures
from .urls import join as join_path
from .urls import relative_url
from .words import Words

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"
TOC_EXTENSION = "mkdocs_okrs.generated_toc"  # the table of contents of generated pages (Markdown extension)
_ID = re.compile(r'\sid="([^"]+)"')
_GRAPH_FIGURE = re.compile(r'<figure class="okr-graph\b[^"]*"')


@dataclass(frozen=True)
class SiteOptions:
    """What an OKR site is made with (the plugin's options and the site's settings).

    ``prefix`` is the site folder of the pages (the plugin's ``url_prefix``);
    ``files_prefix`` the folder of ``okrs.json``, ``feed.xml`` and ``assets/okrs/``
    (the site root under the plugin; the pages' folder for ``okrs generate``, which
    owns that folder only). ``dashboard_title`` names the dashboard in the plan (the
    navigation), ``nav_title`` is its heading. ``override_dirs``: the theme's
    ``custom_dir`` (template overrides). ``markdown_extensions`` and ``mdx_configs`` are
    the site's (:class:`~.bodies.BodyRenderer` keeps the safe ones for bodies).
    """

    prefix: str = "okrs"
    files_prefix: str = ""
    use_directory_urls: bool = True
    dashboard_title: str = "OKRs"
    nav_title: str = "OKRs"
    changes_days: int = 7
    language: str = "en"
    override_dirs: Sequence[str] = ()
    markdown_extensions: Sequence[Any] = ()
    mdx_configs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    graphs: bool = True
    renderer: str = "auto"
    graph_timeout: float = 60.0
    graph_max_nodes: int = 150
    cache_dir: Path | None = None
    graph_worker: str = "auto"
    serving: bool = False
    site_name: str = ""
    site_url: str | None = None


@dataclass(slots=True)
class RenderedPage:
    """One page as :meth:`OkrSite.render` made it.

    ``html`` is the page's HTML with the body in, a numbered marker for each of the ``later`` parts and
    a marker for each figure (:func:`~.toc.figure_marker`); ``headings`` the template's
    headings, nested, :data:`~.toc.BODY` standing for the body's, whose Python-Markdown
    toc tokens (ids as in the body's source) are ``body_toc``; ``anchors`` every id on
    the page.
    """

    key: str
    spec: planmod.PageSpec
    html: str
    later: list[str]
    headings: list[Heading]
    body_toc: list[dict]
    anchors: set[str]


def stylesheets(files_prefix: str, graphs: bool) -> list[tuple[str, Path]]:
    """The stylesheets of the OKR pages: (site path, source file)."""
    out = [(join_path(files_prefix, planmod.CSS_PATH), ASSETS_DIR / "okrs.css")]
    if graphs:
        out.append((join_path(files_prefix, planmod.GRAPHS_CSS_PATH), ASSETS_DIR / "okrs-graphs.css"))
    return out


def scripts(files_prefix: str, graphs: bool) -> list[tuple[str, Path]]:
    """The scripts of the OKR pages, (site path, source file): the graph viewer (with
    graphs) and the list filters (the pages show every objective without them)."""
    out = [(join_path(files_prefix, planmod.GRAPHS_JS_PATH), ASSETS_DIR / "okrs-graphs.js")] if graphs else []
    out.append((join_path(files_prefix, planmod.FILTERS_JS_PATH), ASSETS_DIR / "okrs-filters.js"))
    return out


class OkrSite:
    """Every page and file of the OKR site of ``view`` (see the module docstring);
    ``words``: the site's language (default: ``options.language``'s)."""

    def __init__(self, view: PublicOkrs, options: SiteOptions, words: Words | None = None) -> None:
        self.view = view
        self.options = options
        self.words = words or Words(options.language)
        self.plan = planmod.plan_site(view, options.prefix, dashboard_title=options.dashboard_title,
                                      words=self.words)
        self.page_urls = self.plan.urls(options.use_directory_urls)
        self.index = ctxmod.build_index(view, self.plan, self.page_urls, options.changes_days, self.words,
                                        files_prefix=options.files_prefix)
        self.env = make_environment([d for d in options.override_dirs if d], self.words)
        # (mkdocs_okrs.generated_toc reads the raw HTML of generated pages: nothing for a body)
        self.bodies = BodyRenderer([e for e in options.markdown_extensions if e != TOC_EXTENSION],
                                   options.mdx_configs or {})
        self.source_urls = {o.path: self.page_urls[planmod.objective_key(o.id)] for o in view.objectives.values()}
        self.graph_keys: set[str] = set()  # pages that show alignment graphs
        self.figure_keys: set[str] = set()  # pages with figures (graphs or charts)
        self.worker: graphworker.GraphWorker | None = None

    # -- files ---------------------------------------------------------------------

    def site_path(self, path: str) -> str:
        """``path`` (``okrs.json``, ``assets/okrs/okrs.css``) in the folder of the site's files."""
        return join_path(self.options.files_prefix, path)

    @property
    def json_path(self) -> str:
        """The site path of ``okrs.json``."""
        return self.site_path(planmod.JSON_PATH)

    @property
    def feed_path(self) -> str:
        """The site path of the Atom feed."""
        return self.site_path(planmod.FEED_PATH)

    def assets(self) -> list[tuple[str, Path]]:
        """The stylesheets and scripts of the OKR pages: (site path, source file)."""
        o = self.options
        return stylesheets(o.files_prefix, o.graphs) + scripts(o.files_prefix, o.graphs)

    def json(self) -> str:
        """``okrs.json`` (:mod:`mkdocs_okrs.core.export`) with the pages' URLs."""
        from ..core.export import dumps, okrs_json

        urls = self.page_urls
        return dumps(okrs_json(
            self.view,
            objective_url=lambda oid: urls[planmod.objective_key(oid)],
            unit_url=lambda uid: urls.get(planmod.unit_key(uid)),
            period_url=lambda pid: urls[planmod.period_key(pid)],
        ))

    def feed(self) -> str:
        """The Atom feed: the check-ins and status changes of the last ``changes_days``."""
        from .feed import atom_feed, feed_entries

        view, urls, words, o = self.view, self.page_urls, self.words, self.options
        entries = feed_entries(view, self.index.changes, lambda oid: urls[planmod.objective_key(oid)], words=words)
        return atom_feed(title=words.gettext("%(site)s: OKR check-ins and status changes", site=o.site_name),
                         site=o.site_url or o.site_name, home_url=urls[planmod.CHANGES],
                         updated=view.today, entries=entries, language=words.language)

    def feed_link(self, key: str) -> str:
        """The ``<link rel="alternate">`` of the feed, for the head of page ``key``."""
        title = html.escape(self.words.gettext("OKR check-ins and status changes"))
        href = relative_url(self.page_urls[key], self.feed_path)
        return f'<link rel="alternate" type="application/atom+xml" title="{title}" href="{href}">'

    # -- figures ---------------------------------------------------------------------

    def start_figures(self) -> None:
        """Start drawing every page's figures (the alignment graphs, an objective's trend
        charts) beside the pages, in the order they are written (:meth:`~.plan.SitePlan.build_order`).

        Raises :class:`~mkdocs_okrs.graphs.GraphError` when graphs are on and no renderer works."""
        o, view = self.options, self.view
        pages = {k: u for k, u in self.page_urls.items() if k.partition(":")[0] in ("objective", "period", "unit")}
        graph_keys: set[str] = set()
        build_site_graphs = options = None
        if o.graphs:
            from ..graphs import GraphOptions, build_site_graphs  # Graphviz only when used
            from ..graphs.cache import MEMORY, MEMORY_LIMIT_BYTES

            # A one-off build never reads the process-wide memory cache again (serve does).
            MEMORY.limit = MEMORY_LIMIT_BYTES if o.serving else 0
            options = GraphOptions(renderer=o.renderer, timeout=o.graph_timeout, max_nodes=o.graph_max_nodes,
                                   cache_dir=o.cache_dir, extra_dir=join_path(o.prefix, "graphs"))
            build_site_graphs(view, {}, options)  # finds the renderer now: a clear error, early
            graph_keys = {k for k in pages if graphworker.graph_nodes(view, k)}
        self.graph_keys = graph_keys
        order = [k for k in self.plan.build_order() if k in graph_keys or k.startswith("objective:")]
        self.figure_keys = set(order)
        # The language of the graphs and charts: the worker (a forked child or a thread)
        # inherits the Words with the closure below.
        words = self.words

        def draw(keys: list[str]):
            figures: dict[str, dict[str, str]] = {k: {} for k in keys}
            extra, stats = {}, None
            if build_site_graphs is not None:
                part = build_site_graphs(view, pages, options, [k for k in keys if k in graph_keys], words)
                for k, blocks in part.inline.items():
                    if blocks:
                        figures[k]["graphs"] = "\n".join(blocks)
                extra, stats = part.extra_files, part.stats
            for k in keys:
                kind, _, ref = k.partition(":")
                if kind == "objective":
                    figures[k].update(objective_figures(view.objectives[ref], view.today, words))
            return figures, extra, stats

        mode = graphworker.resolve_mode(o.graph_worker, o.serving)
        self.worker = graphworker.GraphWorker(draw, graphworker.batches(view, order), mode)

    def figures(self, key: str) -> dict[str, str]:
        """Page ``key``'s figures (name -> HTML), waiting for them when they are being drawn.
        Raises :class:`~.graphworker.WorkerError` when drawing failed."""
        if key not in self.figure_keys or self.worker is None:
            return {}
        return self.worker.figures(key)

    def take_arrived(self) -> None:
        """Take the figures the worker has sent so far, without waiting (see
        :meth:`~.graphworker.GraphWorker.poll`). Raises :class:`~.graphworker.WorkerError`
        when drawing failed."""
        if self.worker is not None:
            self.worker.poll()

    def finish(self) -> tuple[dict[str, str], Any]:
        """Receive the last figures and end the drawing: (the separate SVG files of oversized
        graphs, site path -> text; the graph statistics or None). Raises
        :class:`~.graphworker.WorkerError` when drawing failed."""
        worker, self.worker = self.worker, None
        if worker is None:
            return {}, None
        worker.finish()
        return worker.extra_files, worker.stats

    def cancel(self) -> None:
        """Stop drawing (a failed build)."""
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.cancel()

    # -- pages -------------------------------------------------------------------------

    def render(self, key: str) -> RenderedPage:
        """Page ``key``: the template around the objective's rendered, sanitized body."""
        spec = self.plan.pages[key]
        body, body_toc = "", []
        if spec.kind == "objective":
            o = self.view.objectives[spec.ref]
            if o.body.strip():
                here = self.page_urls[key]
                raw, tokens = self.bodies.render(o.body, objective_link_resolver(o.path, self.source_urls, here,
                                                                                  relative_url))
                body = sanitize_body(raw)
                body_toc = tokens if body.strip() else []
        with_body = bool(body.strip())
        made = pagehtml.render_okr_page(self.env, self.index, key, with_body=with_body,
                                        with_graphs=key in self.graph_keys, dashboard_title=self.options.nav_title,
                                        with_charts=key in self.figure_keys)
        return RenderedPage(key, spec, made.html.replace(BODY_MARKER, body, 1), made.later,
                            nest(made.toc_headings()), body_toc, set(made.anchors) | set(_ID.findall(body)))

    def finished_html(self, page: RenderedPage) -> str:
        """The page's whole HTML: its ``later`` parts and its figures put in, as the plugin
        writes it (the page's own text narrowed, see :func:`~.render.narrow_html`), the
        graphs marked ``data-search-exclude``: the plugin puts them into the written page,
        which a search plugin does not read; here the search reads the whole page, and
        leaves out what is so marked."""
        out = place_later(narrow_html(page.html), page.later)
        for name, figure in self.figures(page.key).items():
            if name == "graphs":
                figure = _GRAPH_FIGURE.sub(r"\g<0> data-search-exclude", figure)
            out = out.replace(figure_marker(page.key, name), figure, 1)
        return out


# -- Markdown pages (okrs generate) ----------------------------------------------------

MANIFEST_NAME = ".okrs-generated"


def generated_path(src_uri: str, use_directory_urls: bool) -> str:
    """Where ``okrs generate`` writes the page the plugin makes at ``src_uri``.

    With directory URLs, ``a/b.md`` becomes ``a/b/index.md``: the same URL (``a/b/``),
    and the page's folder is the folder of its URL. Links in the page's HTML are
    relative to its URL; a builder that reads them as relative to the Markdown file
    (Zensical rewrites links in raw HTML as it does Markdown links) then reads them
    the same."""
    if not use_directory_urls:
        return src_uri
    head, _, name = src_uri.rpartition("/")
    stem, dot, ext = name.rpartition(".")
    if not dot or ext.lower() not in ("md", "markdown") or stem in ("index", "README"):
        return src_uri
    return (head + "/" if head else "") + stem + "/index.md"


# Characters of the page's HTML that a Markdown preprocessor or a Markdown plugin acts on
# before raw HTML is set aside (fences of ``` and ~~~, the ``{{``, ``{%`` and ``{#`` of
# macros plugins, ``{++``, ``{--``... of pymdownx.critic, ``{!`` of markdown-include, tabs,
# which Python-Markdown expands), written as character references: the browser reads
# the same text. (They stand in text and attribute values only: our markup has none of
# them, and pages have no <script> or <style>, whose text would not decode them.)
_MARKDOWN_ACTIVE = {"`": "&#96;", "~": "&#126;", "{": "&#123;", "\t": "&#9;", "\r": "&#13;",
                    "\x02": "&#2;", "\x03": "&#3;"}
_ACTIVE = re.compile("[`~\t\r\x02\x03]|\\{(?=[{%#+~=>!-])|8<(?=-)")
_RAW_TEXT = re.compile(r"(<(script|style)\b.*?</\2\s*>)", re.S | re.I)


def _inert(text: str) -> str:
    return _ACTIVE.sub(lambda m: _MARKDOWN_ACTIVE.get(m.group(0)) or "8&lt;", text)


def markdown_safe(page_html: str) -> str:
    """``page_html`` with what Markdown would act on written as character references
    (the ``--8<--`` of pymdownx.snippets too: ``8&lt;-``); ``<script>`` and ``<style>``
    elements are kept as they are."""
    if not _ACTIVE.search(page_html):
        return page_html
    parts = _RAW_TEXT.split(page_html)
    out = []
    # split() with two groups gives: text, whole element, tag name, text, ...
    for i in range(0, len(parts), 3):
        out.append(_inert(parts[i]))
        if i + 1 < len(parts):
            out.append(parts[i + 1])
    return "".join(out)


_YAML_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]')


def yaml_string(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (every YAML reader reads it back as it is)."""
    def esc(m: re.Match) -> str:
        ch = m.group(0)
        return "\\" + ch if ch in '\\"' else f"\\u{ord(ch):04x}"

    return '"' + _YAML_ESCAPE.sub(esc, text) + '"'


def markdown_page(spec: planmod.PageSpec, page_html: str) -> str:
    """A generated page as a Markdown file: front matter with its title (escaped, as
    the plugin gives it: themes print it as HTML) and kind, then its HTML as one raw HTML
    block (it starts with a block-level element, ``<article>``), which Python-Markdown,
    and so MkDocs, ProperDocs and Zensical, pass through as it is. The title's ``{{`` and
    ``{%`` are character references too: a macros extension renders a page title that
    holds them (Zensical's ``zensical.extensions.macros``, mkdocs-macros)."""
    title = yaml_string(_inert(html.escape(spec.title, quote=False)))
    return (f"---\ntitle: {title}\nokrs_page: {spec.kind}\n---\n\n"
            + markdown_safe(page_html.strip("\n")) + "\n")
