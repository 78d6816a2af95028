"""The ``okrs`` MkDocs plugin: load, check and publish the OKRs beside ``mkdocs.yml``.

``plugins: [search, okrs]`` in a ``mkdocs.yml`` next to an ``okrs/`` folder is
all a site needs. This module is glue between MkDocs' events and the package:

- ``on_files``: load and check the OKRs (:mod:`mkdocs_okrs.core`; an error stops
  the build, warnings go to the log), keep the public view only
  (:func:`~mkdocs_okrs.core.publish.public_view`), make the site's page generator
  (:class:`~mkdocs_okrs.site.generate.OkrSite`, which ``okrs generate`` uses too),
  add its pages and ``okrs.json`` as generated files, and start drawing the graphs
  (:mod:`~mkdocs_okrs.site.graphworker`);
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
from .site import graphworker
from .site import pagehtml
from .site import plan as planmod
from .site.generate import MANIFEST_NAME, OkrSite, SiteOptions, scripts, stylesheets
from .site.edit_links import objective_edit_urls
from .site.render import narrow_html
from .site.words import Words
from .site.toc import figure_marker, place_later

log = get_plugin_logger(__name__)

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
        self.site = None
        if not self.config.enabled:
            return config
        cfg = config.config_file_path
        self.base_dir = Path(os.path.dirname(os.path.abspath(cfg))) if cfg else Path.cwd()
        self.root = self._abs(self.config.okrs_dir)
        self.org_path = self._abs(self.config.org_file) if self.config.org_file else None
        for site_path, _ in stylesheets("", self.config.graphs):
            if site_path not in config.extra_css:
                config.extra_css.append(site_path)
        # The graph viewer and the list filters of the period, unit and tag pages (the
        # pages show every objective without them).
        for site_path, _ in scripts("", self.config.graphs):
            if site_path not in [str(s) for s in config.extra_javascript]:
                config.extra_javascript.append(site_path)
        if config.theme.name != "material":
            log.info(f"the OKR pages are designed for the mkdocs-material theme; with {config.theme.name!r} "
                     "they use plainer styles")
        return config

    def _abs(self, path: str) -> Path:
        p = Path(os.path.expanduser(path))
        return Path(os.path.abspath(p if p.is_absolute() else self.base_dir / p))

    def _site_options(self, config) -> SiteOptions:
        """What the pages are made with: the plugin's options and the site's settings."""
        c = self.config
        return SiteOptions(
            prefix=c.url_prefix, files_prefix="", use_directory_urls=config.use_directory_urls,
            dashboard_title=self._dashboard_title(config), nav_title=c.nav_title, changes_days=c.changes_days,
            language=self.words.language,
            override_dirs=[config.theme.custom_dir] if config.theme.custom_dir else [],
            markdown_extensions=config.markdown_extensions, mdx_configs=config.mdx_configs or {},
            graphs=c.graphs, renderer=c.renderer, graph_timeout=c.graph_timeout, graph_max_nodes=c.graph_max_nodes,
            cache_dir=self._abs(c.cache_dir) if c.cache_dir else None, graph_worker=c.graph_worker,
            serving=self.serving, site_name=config.site_name, site_url=config.site_url,
        )

    # -- files: load, check, generate ------------------------------------------

    def on_files(self, files: Files, config) -> Files:
        """Load and check the OKRs, then add every generated page and file."""
        if not self.config.enabled:
            return files
        _drop_sources(files, config, [self.root] + ([self.org_path] if self.org_path else []))
        okrs, self.problems = self._load()
        view = public_view(okrs)
        self.words = Words(self._language(config))
        # The one page generator, shared with `okrs generate` (see site/generate.py).
        self.site = site = OkrSite(view, self._site_options(config), self.words)
        # Drawing starts now, beside everything else: a forked worker copies less of a
        # smaller process, and ends sooner (see site/graphworker.py).
        self._start_figures()
        plan, page_urls = site.plan, site.page_urls
        self.view, self.plan, self.page_urls, self.index = view, plan, page_urls, site.index
        self.index.edit_urls = objective_edit_urls(view.objectives, self.root, self.base_dir, config.docs_dir,
                                                   config.repo_url, config.edit_uri, config.edit_uri_template,
                                                   self.config.edit_uri)
        if site.bodies.dropped:
            log.info("objective bodies are rendered without " + ", ".join(site.bodies.dropped)
                     + " (they read files or run code; see 'Contributor text is untrusted' in the docs)")
        self.later: dict[str, bytes] = {}  # page key -> the parts of its HTML placed when it is written

        titles = nav_titles(config.nav)
        generated = []
        for spec in (plan.pages[k] for k in plan.build_order()):
            f = File.generated(config, spec.src_uri, content=f"---\nokrs_page: {spec.kind}\n---\n",
                               inclusion=InclusionLevel.NOT_IN_NAV)
            OkrPage(titles.get(spec.src_uri), f, config)  # (sets f.page)
            generated.append(f)
        generated.append(File.generated(config, site.json_path, content=site.json()))
        generated.append(File.generated(config, site.feed_path, content=site.feed()))
        generated += [File.generated(config, p, abs_src_path=str(a)) for p, a in site.assets()]
        clashes = sorted(f.src_uri for f in generated if files.get_file_from_path(f.src_uri) is not None)
        if clashes:
            raise PluginError(f"the OKR pages would replace files of the docs folder: {', '.join(clashes[:5])}"
                              f"{' ...' if len(clashes) > 5 else ''}. " + _clash_advice(config.docs_dir, clashes))
        for f in generated:
            files.append(f)
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

    def _start_figures(self) -> None:
        """Start drawing every page's figures beside the build (see :meth:`OkrSite.start_figures`)."""
        try:
            self.site.start_figures()
        except Exception as exc:
            from .graphs import GraphError

            if isinstance(exc, GraphError):
                raise PluginError(f"okrs plugin: graphs: {exc}") from None
            raise

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
            periods_title=self.words.gettext("Periods"),
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
            if self.plan.pages[key].kind == "objective":  # the theme's own edit button, too
                page.edit_url = self.index.edit_urls.get(self.plan.pages[key].ref)
        return markdown

    @event_priority(100)  # first: every other plugin's on_page_content sees the page's HTML
    def on_page_content(self, content: str, page: Page, config, files: Files) -> str:
        """The page's HTML: our template around the objective's rendered, sanitized body
        (and after it, what MkDocs rendered of Markdown another plugin added to the page)."""
        key = self._key(page)
        if key is None:
            return content
        made = self.site.render(key)
        try:
            self.site.take_arrived()  # the figure worker, done drawing, can end (see site/graphworker.py)
        except graphworker.WorkerError as exc:
            raise _graph_error(exc) from None
        page.toc = merge_toc(made.headings, prefixed_toc(get_toc(made.body_toc).items) if made.body_toc else [])
        # For MkDocs' anchor validation: the ids our template adds (#okr-key-results...) and the body's.
        page.present_anchor_ids = made.anchors
        out = made.html + content
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
        output = output.replace("</head>", self.site.feed_link(key) + "\n</head>", 1)
        if key not in self.site.figure_keys:
            return output
        try:
            figures = self.site.figures(key)
        except graphworker.WorkerError as exc:
            raise _graph_error(exc) from None
        for name, html_ in figures.items():
            output = output.replace(figure_marker(key, name), html_, 1)
        return output

    def on_post_build(self, config):
        """Receive the last graphs, write the separate SVG files of oversized graphs, report."""
        site = getattr(self, "site", None)
        if site is None or site.worker is None:
            return
        try:
            extra_files, stats = site.finish()
        except graphworker.WorkerError as exc:
            raise _graph_error(exc) from None
        for path, content in sorted(extra_files.items()):
            write_file(content.encode("utf-8"), os.path.join(config.site_dir, path))
        self.graph_stats = stats  # (read by the benchmark)
        if stats is not None:
            log.info(stats.summary())
            if stats.rejected:
                log.warning(f"{len(stats.rejected)} cached graph(s) failed the safety check and were drawn again: "
                            f"the graph cache ({self.config.cache_dir}) was changed by something else than this "
                            f"plugin. First: {stats.rejected[0]}")

    def on_build_error(self, error):
        """A failed build stops drawing graphs."""
        site = getattr(self, "site", None)
        if site is not None:
            site.cancel()

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


def _clash_advice(docs_dir: str, clashes: list[str]) -> str:
    """What to do about generated files that clash with files of the docs folder."""
    folders = {c.split("/")[0] for c in clashes}
    if any(os.path.isfile(os.path.join(docs_dir, f, MANIFEST_NAME)) for f in folders):
        return ("They were written by 'okrs generate' (for a builder that runs no plugin): delete that folder, or "
                "keep it and turn the plugin off ('enabled: false' in its options).")
    return "Move those files or set the okrs plugin's 'url_prefix' option."


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
