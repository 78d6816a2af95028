"""The ``okrs`` MkDocs plugin: load, check and publish the OKRs beside ``mkdocs.yml``.

``plugins: [search, okrs]`` in a ``mkdocs.yml`` next to an ``okrs/`` folder is
all a site needs. This module is glue between MkDocs' events and the package:

- ``on_files``: load and check the OKRs (:mod:`mkdocs_okrs.core`; an error stops
  the build, warnings go to the log), keep the public view only
  (:func:`~mkdocs_okrs.core.publish.public_view`), plan the pages
  (:mod:`~mkdocs_okrs.site.plan`), add them and ``okrs.json`` as generated files,
  and start drawing the graphs (:mod:`~mkdocs_okrs.site.graphworker`);
- ``on_nav``: one compact OKR section instead of thousands of pages;
- ``on_page_content``: the page's HTML from our templates, with the objective's
  body rendered and sanitized (:mod:`~mkdocs_okrs.site.bodies`);
- ``on_post_page``: the page's graphs go into the written page only;
- under ``mkdocs serve``, OKR errors do not stop the server: the last good OKRs
  stay published with the errors in a banner on every OKR page.

Only MkDocs' public events and objects are used, and every other plugin sees
the generated pages as it sees any page. See docs/plugin.md for the options.
"""

from __future__ import annotations

import html
import os
import re
import zlib
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import write_file

from .core.diagnostics import Diagnostic, Severity
from .core.model import OkrSet, Settings
from .core.publish import public_view
from .nav import with_okr_section
from .page import OkrPage, merge_toc, nav_titles, prefixed_toc
from .plugin_options import OkrsConfig
from .site import context as ctxmod
from .site import graphworker
from .site import pagehtml
from .site import plan as planmod
from .site.bodies import BodyRenderer, objective_link_resolver
from .site.render import make_environment, narrow_html
from .site.words import Words
from .site.sanitize import sanitize_body
from .site.toc import BODY_MARKER, figure_marker, nest, place_later
from .site.trends import objective_figures
from .site.urls import join as join_path
from .site.urls import relative_url

log = get_plugin_logger(__name__)

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
_ID = re.compile(r'\sid="([^"]+)"')
# Under `mkdocs serve`: the last OKRs that loaded without errors, per OKR folder (MkDocs
# makes a new plugin object for every rebuild).
_LAST_GOOD: dict[str, OkrSet] = {}


class OkrsPlugin(BasePlugin[OkrsConfig]):
    """Publish the OKRs of ``okrs_dir`` as pages of the MkDocs site."""

    supports_multiple_instances = False
    serving = False  # set in on_startup
    graph_stats = None  # the GraphStats of the last build

    def on_startup(self, *, command, dirty):
        """Remember whether this is ``mkdocs serve`` (errors then do not stop the server)."""
        OkrsPlugin.serving = command == "serve"

    def on_config(self, config):
        """Resolve paths against the folder of mkdocs.yml and register the stylesheets."""
        self.plan = None
        self.worker = None
        if not self.config.enabled:
            return config
        cfg = config.config_file_path
        self.base_dir = Path(os.path.dirname(os.path.abspath(cfg))) if cfg else Path.cwd()
        self.root = self._abs(self.config.okrs_dir)
        self.org_path = self._abs(self.config.org_file) if self.config.org_file else None
        for site_path, _ in self._stylesheets():
            if site_path not in config.extra_css:
                config.extra_css.append(site_path)
        for site_path, _ in self._scripts():
            if site_path not in [str(s) for s in config.extra_javascript]:
                config.extra_javascript.append(site_path)
        # The list filters of the period, unit and tag pages (a script of our own; the
        # pages show every objective without it).
        if planmod.FILTERS_JS_PATH not in [str(s) for s in config.extra_javascript]:
            config.extra_javascript.append(planmod.FILTERS_JS_PATH)
        if config.theme.name != "material":
            log.info(f"the OKR pages are designed for the mkdocs-material theme; with {config.theme.name!r} "
                     "they use plainer styles")
        return config

    def _abs(self, path: str) -> Path:
        p = Path(os.path.expanduser(path))
        return Path(os.path.abspath(p if p.is_absolute() else self.base_dir / p))

    def _stylesheets(self) -> list[tuple[str, Path]]:
        out = [(planmod.CSS_PATH, ASSETS_DIR / "okrs.css")]
        if self.config.graphs:
            out.append((planmod.GRAPHS_CSS_PATH, ASSETS_DIR / "okrs-graphs.css"))
        return out

    def _scripts(self) -> list[tuple[str, Path]]:
        """The scripts of the OKR pages (site path, source): the graph viewer, with graphs on."""
        return [(planmod.GRAPHS_JS_PATH, ASSETS_DIR / "okrs-graphs.js")] if self.config.graphs else []

    # -- files: load, check, generate ------------------------------------------

    def on_files(self, files: Files, config) -> Files:
        """Load and check the OKRs, then add every generated page and file."""
        if not self.config.enabled:
            return files
        _drop_sources(files, config, [self.root] + ([self.org_path] if self.org_path else []))
        okrs, self.problems = self._load()
        view = public_view(okrs)
        self.words = Words(self._language(config))
        plan = planmod.plan_site(view, self.config.url_prefix, dashboard_title=self._dashboard_title(config),
                                 words=self.words)
        page_urls = plan.urls(config.use_directory_urls)
        self.view, self.plan, self.page_urls = view, plan, page_urls
        self.index = ctxmod.build_index(view, plan, page_urls, self.config.changes_days, self.words)
        self.env = make_environment([config.theme.custom_dir] if config.theme.custom_dir else [], self.words)
        self.bodies = BodyRenderer(config.markdown_extensions, config.mdx_configs or {})
        if self.bodies.dropped:
            log.info("objective bodies are rendered without " + ", ".join(self.bodies.dropped)
                     + " (they read files or run code; see 'Contributor text is untrusted' in the docs)")
        self.source_urls = {o.path: page_urls[planmod.objective_key(o.id)] for o in view.objectives.values()}
        self.later: dict[str, bytes] = {}  # page key -> the parts of its HTML placed when it is written

        titles = nav_titles(config.nav)
        generated = []
        for spec in (plan.pages[k] for k in plan.build_order()):
            f = File.generated(config, spec.src_uri, content=f"---\nokrs_page: {spec.kind}\n---\n",
                               inclusion=InclusionLevel.NOT_IN_NAV)
            OkrPage(titles.get(spec.src_uri), f, config)  # (sets f.page)
            generated.append(f)
        generated.append(File.generated(config, planmod.JSON_PATH, content=self._json()))
        generated.append(File.generated(config, planmod.FEED_PATH, content=self._feed(config)))
        generated += [File.generated(config, p, abs_src_path=str(a)) for p, a in self._stylesheets() + self._scripts()]
        generated.append(File.generated(config, planmod.FILTERS_JS_PATH, abs_src_path=str(ASSETS_DIR / "okrs-filters.js")))
        clashes = sorted(f.src_uri for f in generated if files.get_file_from_path(f.src_uri) is not None)
        if clashes:
            raise PluginError(f"the OKR pages would replace files of the docs folder: {', '.join(clashes)}. "
                              "Move those files or set the okrs plugin's 'url_prefix' option.")
        for f in generated:
            files.append(f)
        self._start_figures()
        log.info(f"{len(view.objectives)} objectives published ({len(okrs.objectives) - len(view.objectives)} "
                 f"private left out), {len(plan.pages)} pages under '{plan.prefix or '.'}/'")
        return files

    def _load(self) -> tuple[OkrSet, list[Diagnostic]]:
        """The OKRs and, under ``mkdocs serve`` only, the errors that kept them from loading
        (then the last good OKRs, or none, are published). A build stops on any error."""
        from .core.loader import load_okrs
        from .core.rules import RuleSettingError

        c = self.config
        settings = Settings(okrs_dir=c.okrs_dir, org_file=c.org_file, today=c.today,
                            fiscal_year_start=c.fiscal_year_start, rules=c.rules)
        try:
            okrs = load_okrs(self.root, settings, org_file=self.org_path, display_base=self.base_dir)
        except (RuleSettingError, ValueError) as exc:  # SettingsError is a ValueError
            raise PluginError(f"okrs plugin: {exc}") from None
        for d in okrs.diagnostics:
            if d.severity is Severity.WARNING:
                log.warning(d.format_text())
        errors = [d for d in okrs.diagnostics if d.severity is Severity.ERROR]
        if not errors:
            _LAST_GOOD[str(self.root)] = okrs
            return okrs, []
        listing = "\n".join(d.format_text() for d in errors)
        heading = f"the OKR sources have {len(errors)} error{'s' if len(errors) != 1 else ''}"
        if not self.serving:
            raise PluginError(f"{heading}:\n{listing}")
        log.error(f"{heading}; the OKR pages show the last OKRs that loaded, with the errors:\n{listing}")
        last = _LAST_GOOD.get(str(self.root))
        if last is None:
            last = OkrSet(root=okrs.root, org=okrs.org, objectives={}, periods={}, today=okrs.today)
        return last, errors

    def _language(self, config) -> str:
        """The plugin's ``language``, else the theme's (mkdocs-material's ``theme.language``)."""
        if self.config.language:
            return self.config.language
        try:
            return config.theme["language"] or "en"
        except KeyError:
            return "en"

    def _dashboard_title(self, config) -> str:
        # With mkdocs-material's navigation.indexes the dashboard *is* the section's page.
        try:
            features = config.theme["features"] or []
        except KeyError:
            features = []
        return self.config.nav_title if "navigation.indexes" in features else self.words.gettext("Overview")

    def _json(self) -> str:
        from .core.export import dumps, okrs_json

        urls = self.page_urls
        return dumps(okrs_json(
            self.view,
            objective_url=lambda oid: urls[planmod.objective_key(oid)],
            unit_url=lambda uid: urls.get(planmod.unit_key(uid)),
            period_url=lambda pid: urls[planmod.period_key(pid)],
        ))

    def _feed(self, config) -> str:
        """The Atom feed: the check-ins and status changes of the last ``changes_days``."""
        from .site.feed import atom_feed, feed_entries

        view, urls, words = self.view, self.page_urls, self.words
        entries = feed_entries(view, self.index.changes, lambda oid: urls[planmod.objective_key(oid)], words=words)
        return atom_feed(title=words.gettext("%(site)s: OKR check-ins and status changes", site=config.site_name),
                         site=config.site_url or config.site_name, home_url=urls[planmod.CHANGES],
                         updated=view.today, entries=entries, language=words.language)

    def _start_figures(self) -> None:
        """Start drawing every page's figures (the alignment graphs, an objective's trend
        charts) beside the build, in the order MkDocs writes the pages."""
        c, view = self.config, self.view
        pages = {k: u for k, u in self.page_urls.items() if k.partition(":")[0] in ("objective", "period", "unit")}
        graph_keys: set[str] = set()
        build_site_graphs = options = None
        if c.graphs:
            from .graphs import GraphError, GraphOptions, build_site_graphs  # Graphviz only when used
            from .graphs.cache import MEMORY, MEMORY_LIMIT_BYTES

            # A one-off build never reads the process-wide memory cache again (serve does).
            MEMORY.limit = MEMORY_LIMIT_BYTES if self.serving else 0
            try:
                options = GraphOptions(
                    renderer=c.renderer, timeout=c.graph_timeout, max_nodes=c.graph_max_nodes,
                    cache_dir=self._abs(c.cache_dir) if c.cache_dir else None,
                    extra_dir=join_path(c.url_prefix, "graphs"),
                )
                build_site_graphs(view, {}, options)  # finds the renderer now: a clear error, early
            except GraphError as exc:
                raise PluginError(f"okrs plugin: graphs: {exc}") from None
            graph_keys = {k for k in pages if graphworker.graph_nodes(view, k)}
        self.graph_keys = graph_keys
        order = [k for k in self.plan.build_order() if k in graph_keys or k.startswith("objective:")]
        self.figure_keys = set(order)
        # The language of the graphs and charts: the worker (a forked child or a thread)
        # inherits the build's Words with the closure below.
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

        mode = graphworker.resolve_mode(c.graph_worker, self.serving)
        self.worker = graphworker.GraphWorker(draw, graphworker.batches(view, order), mode)

    # -- navigation --------------------------------------------------------------

    def on_nav(self, nav: Navigation, config, files: Files) -> Navigation:
        """Insert the compact OKR section (dashboard, periods, units) into the navigation
        (see :func:`mkdocs_okrs.nav.with_okr_section`)."""
        if not self.config.enabled or self.plan is None:
            return nav
        plan = self.plan
        page_of = {k: files.get_file_from_path(p.src_uri).page for k, p in plan.pages.items()}
        return with_okr_section(
            nav,
            title=self.config.nav_title,
            position=self.config.nav_position,
            dashboard=page_of[planmod.DASHBOARD],
            changes=page_of[planmod.CHANGES],
            periods=[page_of[p.key] for p in plan.nav_periods()],
            units=page_of[planmod.UNITS_INDEX],
            tags=page_of.get(planmod.TAGS_INDEX),
            outside=[page_of[k] for k, p in plan.pages.items() if not p.in_nav],
        )

    # -- pages -------------------------------------------------------------------

    def _key(self, page: Page) -> str | None:
        return self.plan.by_src.get(page.file.src_uri) if self.plan is not None else None

    def on_page_markdown(self, markdown: str, page: Page, config, files: Files) -> str:
        """Give generated pages their title (escaped: themes print it raw) and date."""
        key = self._key(page)
        if key is not None:
            page.meta["title"] = html.escape(self.plan.pages[key].title, quote=False)
            page.update_date = self.view.today.isoformat()
        return markdown

    @event_priority(100)  # first: every other plugin's on_page_content sees the page's HTML
    def on_page_content(self, content: str, page: Page, config, files: Files) -> str:
        """The page's HTML: our template around the objective's rendered, sanitized body
        (and after it, what MkDocs rendered of Markdown another plugin added to the page)."""
        key = self._key(page)
        if key is None:
            return content
        spec = self.plan.pages[key]
        body, body_toc = "", []
        if spec.kind == "objective":
            o = self.view.objectives[spec.ref]
            if o.body.strip():
                here = self.page_urls[key]
                raw, tokens = self.bodies.render(o.body, objective_link_resolver(o.path, self.source_urls, here,
                                                                                  relative_url))
                body = sanitize_body(raw)
                body_toc = prefixed_toc(get_toc(tokens).items) if body.strip() else []
        made = pagehtml.render_okr_page(self.env, self.index, key, with_body=bool(body.strip()),
                                        with_graphs=key in self.graph_keys, dashboard_title=self.config.nav_title,
                                        with_charts=key in self.figure_keys)
        page.toc = merge_toc(nest(made.toc_headings()), body_toc)
        # For MkDocs' anchor validation: the ids our template adds (#okr-key-results...) and the body's.
        page.present_anchor_ids = set(made.anchors) | set(_ID.findall(body))
        out = made.html.replace(BODY_MARKER, body, 1) + content
        if made.later:  # (kept compressed until the page is written)
            self.later[key] = zlib.compress("\0".join(made.later).encode("utf-8"), 1)
        if self.problems:
            out = pagehtml.problems_banner([d.format_text() for d in self.problems]) + out
        # MkDocs keeps every page's HTML until the build ends: one byte a character where it can.
        return narrow_html(out)

    @event_priority(100)  # first: every other plugin's on_post_page sees the finished page
    def on_post_page(self, output: str, page: Page, config) -> str:
        """Put the lists and the figures into the written page (see :mod:`.site.pagehtml`),
        and the link to the Atom feed into its head."""
        key = self._key(page)
        if key is None:
            return output
        later = self.later.pop(key, None)
        if later is not None:
            output = place_later(output, zlib.decompress(later).decode("utf-8").split("\0"))
        feed = relative_url(self.page_urls[key], planmod.FEED_PATH)
        title = html.escape(self.words.gettext("OKR check-ins and status changes"))
        output = output.replace("</head>", f'<link rel="alternate" type="application/atom+xml" title="{title}" '
                                           f'href="{feed}">\n</head>', 1)
        if key not in self.figure_keys:
            return output
        try:
            figures = self.worker.figures(key)
        except graphworker.WorkerError as exc:
            raise _graph_error(exc) from None
        for name, html_ in figures.items():
            output = output.replace(figure_marker(key, name), html_, 1)
        return output

    def on_post_build(self, config):
        """Receive the last graphs, write the separate SVG files of oversized graphs, report."""
        worker, self.worker = getattr(self, "worker", None), None
        if worker is None:
            return
        try:
            worker.finish()
        except graphworker.WorkerError as exc:
            raise _graph_error(exc) from None
        for path, content in sorted(worker.extra_files.items()):
            write_file(content.encode("utf-8"), os.path.join(config.site_dir, path))
        stats = self.graph_stats = worker.stats  # (read by the benchmark)
        if stats is not None:
            log.info(stats.summary())
            if stats.rejected:
                log.warning(f"{len(stats.rejected)} cached graph(s) failed the safety check and were drawn again: "
                            f"the graph cache ({self.config.cache_dir}) was changed by something else than this "
                            f"plugin. First: {stats.rejected[0]}")

    def on_build_error(self, error):
        """A failed build stops drawing graphs."""
        worker, self.worker = getattr(self, "worker", None), None
        if worker is not None:
            worker.cancel()

    def on_serve(self, server, config, builder):
        """Rebuild when the OKR files or org.yml change."""
        if self.config.enabled:
            server.watch(str(self.root))
            if self.org_path is not None and not str(self.org_path).startswith(str(self.root) + os.sep):
                server.watch(str(self.org_path))
        return server


def _graph_error(exc: graphworker.WorkerError) -> PluginError:
    if exc.graph_error:
        return PluginError(f"okrs plugin: graphs: {exc}")
    return PluginError(f"okrs plugin: drawing the figures (graphs, charts) failed: {exc}")


def _drop_sources(files: Files, config, sources: list[Path]) -> None:
    """When the OKR folder (or org file) lies inside docs_dir, MkDocs must not publish
    those files raw: a private objective would leak. Remove every file below them."""
    docs = os.path.realpath(config.docs_dir)
    inside = [t for t in map(os.path.realpath, sources) if t == docs or t.startswith(docs + os.sep)]
    for f in list(files) if inside else []:
        if f.abs_src_path is not None and not f.generated_by:
            src = os.path.realpath(f.abs_src_path)
            if any(src == t or src.startswith(t + os.sep) for t in inside):
                files.remove(f)
