"""The ``okrs`` MkDocs plugin: load, check and publish the OKRs beside ``mkdocs.yml``.

``plugins: [search, okrs]`` in a ``mkdocs.yml`` next to an ``okrs/`` folder is
all a site needs. The plugin

- loads and validates the OKR files in ``on_files`` (any error stops the build,
  every error listed with its location; warnings go to the MkDocs log, so
  ``--strict`` fails on them);
- generates a dashboard, a page per period, per unit and per objective, a units
  index and ``okrs.json`` from the *public* view (private objectives removed
  before anything is made);
- keeps objective and unit pages out of the navigation and inserts a compact
  OKR section (dashboard, periods, units) instead;
- renders the pages with its own autoescaping Jinja templates (overridable in
  the theme's ``custom_dir`` under ``okrs/``) around the contributor's body,
  which MkDocs renders with the site's Markdown extensions and the plugin then
  sanitizes.

Only this module imports MkDocs (``mkdocs.*`` only, which ProperDocs aliases).
See docs/plugin.md for the options.
"""

from __future__ import annotations

import functools
import gc
import html
import os
import pickle
import zlib
from pathlib import Path
from typing import Any, Callable

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils import write_file

from .core.config import ConfigError, parse_fiscal_year_start, parse_rules, parse_today
from .core.diagnostics import Severity
from .core.model import OkrSet, Settings
from .core.publish import PublicOkrs, public_view
from .pages import OkrPage, SharedMarkdown, nav_titles
from .site import context as ctxmod
from .site import graphjob
from .site import pagehtml
from .site import plan as planmod
from .site.markdown import neutralize_snippets, page_source
from .site.render import make_environment, narrow_html
from .site.sanitize import sanitize_body
from .site.toc import BODY, BODY_MARKER, Heading, graphs_marker, nest
from .site.urls import join as join_path

log = get_plugin_logger(__name__)

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
RENDERERS = ("auto", "dot", "pygraphviz", "graphviz-pure")


# ---------------------------------------------------------------------- options


class _Parsed(c.BaseConfigOption):
    """An option validated by a parser of :mod:`mkdocs_okrs.core.config`, so that
    ``okrs check`` and the plugin accept exactly the same values."""

    def __init__(self, parse: Callable[[Any], Any], default: Any = None) -> None:
        super().__init__()
        self._parse = parse
        self.default = default

    def run_validation(self, value: object) -> Any:
        try:
            return self._parse(value)
        except ConfigError as exc:
            message = str(exc)
            head, sep, rest = message.partition(": ")
            raise base.ValidationError(rest if sep and " " not in head else message) from None


class _NavPosition(c.BaseConfigOption):
    """``start``, ``end`` or a 0-based index into the top level of the navigation."""

    def __init__(self, default: str | int = "end") -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> str | int:
        if value in ("start", "end"):
            return value  # type: ignore[return-value]
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        raise base.ValidationError(
            f"expected 'start', 'end' or a position (0, 1, ...) in the top level of the nav, not {value!r}"
        )


class _SitePath(c.BaseConfigOption):
    """A folder inside the built site: '/'-separated segments of letters, digits, '.', '_', '-'."""

    def __init__(self, default: str) -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> str:
        if not isinstance(value, str):
            raise base.ValidationError(f"expected a folder path inside the site, not {value!r}")
        text = value.strip().strip("/")
        for seg in text.split("/") if text else []:
            if not seg or seg in (".", "..") or seg.startswith(".") or not all(
                ch.isascii() and (ch.isalnum() or ch in "._-") for ch in seg
            ):
                raise base.ValidationError(
                    f"{value!r} is not a usable site folder; use letters, digits, '.', '_' and '-' "
                    "separated by '/', for example 'okrs' or 'goals/okrs'"
                )
        return text


class _IntAtLeast(c.BaseConfigOption):
    def __init__(self, minimum: int, default: int) -> None:
        super().__init__()
        self.minimum = minimum
        self.default = default

    def run_validation(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < self.minimum:
            raise base.ValidationError(f"expected a whole number of at least {self.minimum}, not {value!r}")
        return value


class _PositiveNumber(c.BaseConfigOption):
    def __init__(self, default: float) -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
            raise base.ValidationError(f"expected a positive number of seconds, not {value!r}")
        return float(value)


def _parse_path(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"expected a path, not {value!r}")
    return value


def _parse_optional_path(value: object) -> str | None:
    if value is None or value is False or value == "":
        return None
    return _parse_path(value)


class OkrsConfig(base.Config):
    """The plugin's options (``plugins: [okrs: {...}]`` in mkdocs.yml)."""

    enabled = c.Type(bool, default=True)
    okrs_dir = _Parsed(_parse_path, "okrs")
    org_file = _Parsed(_parse_optional_path, None)
    today = _Parsed(parse_today, None)
    fiscal_year_start = _Parsed(parse_fiscal_year_start, 1)
    rules = _Parsed(parse_rules, {})
    url_prefix = _SitePath("okrs")
    nav_title = c.Type(str, default="OKRs")
    nav_position = _NavPosition("end")
    graphs = c.Type(bool, default=True)
    renderer = c.Choice(RENDERERS, default="auto")
    graph_timeout = _PositiveNumber(60.0)
    graph_max_nodes = _IntAtLeast(2, 150)
    cache_dir = _Parsed(_parse_optional_path, ".cache/okrs")


# ----------------------------------------------------------------------- plugin


class OkrsPlugin(BasePlugin[OkrsConfig]):
    """Publish the OKRs of ``okrs_dir`` as pages of the MkDocs site."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self._thaw()
        self.base_dir: Path = Path.cwd()
        self.root: Path = Path("okrs")
        self.org_path: Path | None = None
        self.okrs: OkrSet | None = None
        self.view: PublicOkrs | None = None
        self.plan: planmod.SitePlan | None = None
        self.index: ctxmod.SiteIndex | None = None
        self.env = None
        self.graph_stream: graphjob.Stream | None = None  # the background job (see _start_job)
        self.pages_pending = False  # the job renders our pages' HTML, not all of it has arrived
        self.job_pages: dict[str, pagehtml.PageHtml | bytes | None] = {}  # page key -> its HTML made ahead
        self.claims: graphjob.Claims | None = None  # which pages the job renders, which the build
        # Graphs, when the job draws them: the pieces (see graphjob.UNIT_NODES), which of them
        # the job draws and which the build (when it would wait), page key -> its piece, and
        # what drawing needs.
        self.graph_pieces: list[list[str]] = []
        self.piece_claims: graphjob.Claims | None = None
        self.piece_of: dict[str, int] = {}
        self.graph_draw: tuple | None = None  # (build_site_graphs, pages, options)
        self.build_graph_stats = None  # GraphStats of the pieces the build drew itself
        self.page_order: list[str] = []  # the generated pages, in the order MkDocs reads them
        self.page_index: dict[str, int] = {}  # page key -> its place in page_order
        self.graph_pages: set[str] = set()  # page keys whose template got a graphs marker
        self.graph_blocks: dict[str, str | bytes] = {}  # page key -> its graphs' HTML (arrived, not yet placed)
        self.graph_arrived: set[str] = set()  # page keys whose batch of graphs has arrived
        self.graph_files: dict[str, str] = {}  # separate SVG files still to write (site path -> SVG)
        self.graph_stats = None  # GraphStats of the last build (None without graphs)
        self.json_pending = False  # okrs.json is being made with the graphs
        self.site_config = None  # the MkDocs config and files, for the separate SVG files
        self.site_files: Files | None = None
        self.json_file: File | None = None  # okrs.json (its content may come from the graph process)
        # Between reading a page and writing it, MkDocs keeps its content: ours is parked
        # (compressed, see OkrPage) from the next page on, with the lean copy for the search.
        # The page read last, to park: (page, its key, the content we returned, its lean copy).
        self.last_read: tuple[OkrPage, str, str, str | None] | None = None
        self.search_copies: dict[str, bytes] = {}  # page key -> the lean copy for the search, compressed
        self.context_version: dict[str, int] = {}  # page key -> its content version in on_page_context
        self.full_content: dict[str, str] = {}  # page key -> content to restore after the search

    # -- configuration ------------------------------------------------------

    command: str | None = None  # "build", "serve" or "gh-deploy" (None when not told)

    def on_startup(self, *, command, dirty):
        """Remember the command: a one-off ``build`` needs no in-memory graph cache."""
        self.command = command

    def on_config(self, config):
        """Resolve paths against the folder of mkdocs.yml and register the stylesheet."""
        self._reset()
        if not self.config.enabled:
            return config
        cfg_path = config.config_file_path
        self.base_dir = Path(os.path.dirname(os.path.abspath(cfg_path))) if cfg_path else Path.cwd()
        self.root = self._abs(self.config.okrs_dir)
        self.org_path = self._abs(self.config.org_file) if self.config.org_file else None
        for site_path, _ in self._stylesheets():
            if site_path not in config.extra_css:
                config.extra_css.append(site_path)
        if config.theme.name != "material":
            log.info(
                "the OKR pages are designed for the mkdocs-material theme; with "
                f"theme {config.theme.name!r} they use plainer styles"
            )
        return config

    def _stylesheets(self) -> list[tuple[str, Path]]:
        """(site path, packaged file) of each stylesheet the pages use."""
        out = [(planmod.CSS_PATH, ASSETS_DIR / "okrs.css")]
        graphs_css = ASSETS_DIR / "okrs-graphs.css"
        if self.config.graphs and graphs_css.is_file():
            out.append((planmod.GRAPHS_CSS_PATH, graphs_css))
        return out

    def _abs(self, path: str) -> Path:
        p = Path(os.path.expanduser(path))
        return Path(os.path.abspath(p if p.is_absolute() else self.base_dir / p))

    # -- files: load, check, generate ----------------------------------------

    def on_files(self, files: Files, config) -> Files:
        """Load and check the OKRs, then add every generated page and file."""
        if not self.config.enabled:
            return files
        self._drop_sources_from_docs(files, config)

        okrs = self._load()
        self._freeze()  # (first the OKRs: what follows makes a full collection likely)
        view = public_view(okrs)
        plan = planmod.plan_site(view, self.config.url_prefix, dashboard_title=self._dashboard_title(config))
        page_urls = plan.urls(config.use_directory_urls)
        self.okrs, self.view, self.plan = okrs, view, plan
        self.index = ctxmod.build_index(view, plan, page_urls)
        custom = config.theme.custom_dir
        self.env = make_environment([custom] if custom else [])
        # First: the background job (our pages' HTML, the graphs, okrs.json) runs while the rest goes on.
        json_later = self._start_job(view, plan, page_urls, functools.partial(self._json, view, plan, page_urls))

        generated: list[File] = []
        snippets = "pymdownx.snippets" in config.markdown_extensions
        converter = SharedMarkdown(config)
        titles = nav_titles(config.nav)
        for key in self.page_order:  # set by _start_job: the order MkDocs reads and writes them in
            spec = plan.pages[key]
            body = view.objectives[spec.ref].body if spec.kind == "objective" and spec.ref else None
            source = page_source(spec.kind, body)
            if snippets:
                source = neutralize_snippets(source)
            f = File.generated(config, spec.src_uri, content=source, inclusion=InclusionLevel.NOT_IN_NAV)
            OkrPage(f, config, converter, has_body=bool(body), title=titles.get(spec.src_uri))  # f.page
            generated.append(f)
        self.json_file = File.generated(
            config, planmod.JSON_PATH, content="" if json_later else self._json(view, plan, page_urls)
        )
        generated.append(self.json_file)
        for site_path, packaged in self._stylesheets():
            generated.append(File.generated(config, site_path, abs_src_path=str(packaged)))
        self._check_clashes(files, generated)
        for f in generated:
            files.append(f)

        private = len(okrs.objectives) - len(view.objectives)
        log.info(
            f"{len(view.objectives)} objectives published ({private} private left out), "
            f"{len(plan.pages)} pages under '{plan.prefix or '.'}/'"
        )
        self._freeze()  # (then the plan and the pages)
        return files

    def _freeze(self) -> None:
        """In a one-off build whose job is forked: what is made so far (the OKRs, the plan,
        the pages) lives until the build ends, so the garbage collector need not scan it
        again. At 10,000 objectives a full collection took about 0.4 s, and it writes to
        every object it scans, which makes this process copy the memory it shares with
        the job. Thawed when the build ends (on_post_build, on_build_error)."""
        if self._forks_job():
            gc.freeze()
            self.frozen = True

    def _forks_job(self) -> bool:
        """True in a one-off build (not ``mkdocs serve``) where the job can be forked."""
        return self.command in ("build", "gh-deploy") and graphjob.FORK_OK

    def _thaw(self) -> None:
        if getattr(self, "frozen", False):
            gc.unfreeze()
        self.frozen = False

    @staticmethod
    def _check_clashes(files: Files, generated: list[File]) -> None:
        clashes = sorted(f.src_uri for f in generated if files.get_file_from_path(f.src_uri) is not None)
        if clashes:
            raise PluginError(
                "the OKR pages would replace files of the docs folder: "
                + ", ".join(clashes)
                + ". Move those files or set the okrs plugin's 'url_prefix' option."
            )

    def _drop_sources_from_docs(self, files: Files, config) -> None:
        """When the OKR folder (or org file) lies inside docs_dir, MkDocs must not publish
        those files raw: a private objective would leak. Remove every file below it."""
        docs = os.path.realpath(config.docs_dir)
        targets = [os.path.realpath(self.root)]
        if self.org_path is not None:
            targets.append(os.path.realpath(self.org_path))
        inside = [t for t in targets if t == docs or t.startswith(docs + os.sep)]
        if not inside:
            return
        for f in list(files):
            if f.abs_src_path is None or f.generated_by:
                continue
            src = os.path.realpath(f.abs_src_path)
            if any(src == t or src.startswith(t + os.sep) for t in inside):
                files.remove(f)

    def _load(self) -> OkrSet:
        from .core.loader import load_okrs  # imports YAML; only when building
        from .core.rules import RuleSettingError

        settings = Settings(
            okrs_dir=self.config.okrs_dir,
            org_file=self.config.org_file,
            today=self.config.today,
            fiscal_year_start=self.config.fiscal_year_start,
            rules=self.config.rules,
        )
        try:
            okrs = load_okrs(self.root, settings, org_file=self.org_path, display_base=self.base_dir)
        except (RuleSettingError, ValueError) as exc:  # SettingsError is a ValueError
            raise PluginError(f"okrs plugin: {exc}") from None
        errors = [d for d in okrs.diagnostics if d.severity is Severity.ERROR]
        for d in okrs.diagnostics:
            if d.severity is Severity.WARNING:
                log.warning(d.format_text())
        if errors:
            listing = "\n".join(d.format_text() for d in errors)
            noun = "error" if len(errors) == 1 else "errors"
            raise PluginError(f"the OKR sources have {len(errors)} {noun}:\n{listing}")
        return okrs

    def _dashboard_title(self, config) -> str:
        # With mkdocs-material's navigation.indexes the dashboard *is* the section's
        # page and carries its title; otherwise it is the section's first entry.
        try:
            features = config.theme["features"] or []
        except KeyError:
            features = []
        return self.config.nav_title if "navigation.indexes" in features else "Overview"

    def _json(self, view: PublicOkrs, plan: planmod.SitePlan, page_urls: dict[str, str]) -> str:
        from .core.export import dumps, okrs_json

        doc = okrs_json(
            view,
            objective_url=lambda oid: page_urls[planmod.objective_key(oid)],
            unit_url=lambda uid: page_urls.get(planmod.unit_key(uid)),
            period_url=lambda pid: page_urls[planmod.period_key(pid)],
        )
        return dumps(doc)

    # -- graphs ----------------------------------------------------------------

    def _start_job(self, view: PublicOkrs, plan: planmod.SitePlan, page_urls: dict[str, str],
                   make_json: Callable[[], str]) -> bool:
        """Start the background job; True if ``make_json`` (okrs.json) runs there.

        In ``mkdocs build`` (on Linux) a forked child process renders our templates
        for every page (:mod:`mkdocs_okrs.site.pagehtml`), makes okrs.json and draws
        the graphs, while MkDocs does its own work on the pages; in ``mkdocs serve``
        a thread draws the graphs only, keeping the memory cache of this process
        warm for the next rebuild (see :mod:`mkdocs_okrs.site.graphjob`). A page
        gets its HTML when MkDocs has rendered its Markdown (:meth:`on_page_content`)
        and a placeholder where its graphs go (:attr:`graph_pages`), filled when the
        page is written (:meth:`on_post_page`), by when its batch has usually arrived.
        """
        self.page_order = plan.build_order()  # the order MkDocs reads and writes the pages in
        one_off = self.command in ("build", "gh-deploy")
        forked = self._forks_job()
        if not self.config.graphs and not forked:
            return False
        graph_args: dict[str, Any] = {"build_site_graphs": None, "pages": {}, "order": [], "options": None}
        if self.config.graphs:
            from .graphs import GraphError, GraphOptions, build_site_graphs  # Graphviz only when used

            cache = self._abs(self.config.cache_dir) if self.config.cache_dir else None
            pages = {k: u for k, u in page_urls.items() if k.split(":", 1)[0] in ("objective", "period", "unit")}
            try:
                options = GraphOptions(
                    enabled=True,
                    renderer=self.config.renderer,
                    timeout=self.config.graph_timeout,
                    max_nodes=self.config.graph_max_nodes,
                    cache_dir=cache,
                    extra_dir=join_path(self.config.url_prefix, "graphs"),
                    # Beside a build that keeps one core busy: Graphviz on the others only.
                    jobs=max(1, (os.cpu_count() or 1) - 1) if forked else 0,
                )
            except GraphError as exc:
                raise PluginError(f"okrs plugin: graphs: {exc}") from None
            self.graph_pages = graphjob.pages_with_graphs(view, pages)
            order = [k for k in self.page_order if k in pages]  # the order MkDocs writes the pages in
            graph_args = {"build_site_graphs": build_site_graphs, "pages": pages, "order": order, "options": options}
            if forked:
                self.graph_pieces = graphjob.batches(view, order, graphjob.UNIT_NODES)
                self.piece_claims = graphjob.Claims(len(self.graph_pieces))
                self.piece_of = {key: i for i, piece in enumerate(self.graph_pieces) for key in piece}
                self.graph_draw = (build_site_graphs, pages, options)
                graph_args.update(graph_pieces=self.graph_pieces, piece_claims=self.piece_claims)
            if one_off:
                # A one-off build never reads the process-wide memory cache of SVGs again
                # (mkdocs serve does, on the next rebuild): do not fill it.
                from .graphs import cache as graph_cache

                graph_cache.MEMORY.limit = 0
        page_order = self.page_order
        if forked:
            self.claims = graphjob.Claims(len(page_order))
            self.page_index = {key: i for i, key in enumerate(page_order)}
        produce = functools.partial(
            graphjob.draw_in_batches, view=view, make_json=make_json if forked else None,
            render_pages=self._job_page if forked else None, page_order=page_order, claims=self.claims,
            **graph_args,
        )
        self.graph_stream = graphjob.start(produce, fork=forked)
        self.json_pending = self.pages_pending = forked
        return forked

    def _job_page(self, key: str, pack: bool = False) -> pagehtml.PageHtml | bytes | None:
        """Page ``key``'s HTML made ahead of its turn (in the background process, or here
        while waiting for it), compressed with ``pack``; None if rendering failed: the
        build renders that page again in its turn and reports the error there."""
        spec = self.plan.pages[key]
        body = self.view.objectives[spec.ref].body if spec.kind == "objective" and spec.ref else None
        try:
            made = self._render_html(key, with_body=bool(body and body.strip()))
        except Exception:
            return None
        return zlib.compress(pickle.dumps(made, pickle.HIGHEST_PROTOCOL), 1) if pack else made

    def _render_html(self, key: str, *, with_body: bool) -> pagehtml.PageHtml:
        return pagehtml.render_okr_page(
            self.env, self.index, key, with_body=with_body, with_graphs=key in self.graph_pages,
            dashboard_title=self.config.nav_title,
        )

    def _page_html(self, key: str, *, with_body: bool) -> pagehtml.PageHtml:
        """Page ``key``'s HTML: from the background job when it rendered it, else made here.

        While the job is still rendering pages, this build takes the page if the job has
        not, and when the job has it but has not sent it yet, renders the pages at the end
        of the order meanwhile (:class:`~mkdocs_okrs.site.graphjob.Claims`)."""
        if self.claims is not None:
            self.claims.reach(self.page_index[key])  # the job draws graphs when far ahead
        while self.pages_pending and key not in self.job_pages:
            if self.claims.take(self.page_index[key], graphjob.Claims.BUILD):
                break  # ours: rendered below
            last = self.claims.take_last()
            if last is None:
                self._receive_graphs(until_page=key)  # nothing left to do meanwhile: wait
                break
            later = self.page_order[last]
            self.job_pages[later] = self._job_page(later, pack=True)  # kept small: needed later
            self._receive_graphs(until_page=key, wait=False)
        made = self.job_pages.pop(key, None)
        if isinstance(made, bytes):
            made = pickle.loads(zlib.decompress(made))
        if made is not None and made.with_body == with_body:  # else the body sanitized to nothing
            return made
        return self._render_html(key, with_body=with_body)

    def _receive_graphs(self, until_key: str | None = None, until_json: bool = False,
                        until_page: str | None = None, wait: bool = True) -> None:
        """Read what the background job sent until the batch holding ``until_key`` (or okrs.json,
        or the HTML of page ``until_page``, or, with none of them, everything) has arrived;
        without ``wait``, only what has arrived already.

        Waiting for the graphs of ``until_key``, the build draws them itself if the job
        has not started on them, else the last piece nobody has started
        (:class:`~mkdocs_okrs.site.graphjob.Claims`), and reads again."""
        while self.graph_stream is not None:
            if until_key is not None and until_key in self.graph_arrived:
                return
            if until_json and not self.json_pending:
                return
            if until_page is not None and (until_page in self.job_pages or not self.pages_pending):
                return
            message = self.graph_stream.poll()
            if message is None and wait:
                if until_key is not None and self._draw_instead(until_key):
                    continue
                message = self.graph_stream.get()
            if message is None:
                return
            kind = message[0]
            if kind == "pages":
                self.job_pages.update(message[1])
            elif kind == "json":
                self.pages_pending = False
                self.json_file.content_string = message[1]
                self.json_pending = False
            elif kind == "graphs":  # (also between pages: the job draws when far ahead)
                _, keys, blocks, extra = message
                self.graph_blocks.update(blocks)
                self.graph_arrived.update(keys)
                self.graph_files.update(extra)
                self._write_graph_files()
            elif kind == "done":
                self.graph_stream.close()
                self.graph_stream = None
                self.pages_pending = False
                self.graph_stats = graphjob.add_stats(message[1], self.build_graph_stats)
                if self.graph_stats is not None:
                    log.info(self.graph_stats.summary())
                unplaced = sorted(set(self.graph_blocks) - self.graph_pages)
                if unplaced:  # cannot happen while pages_with_graphs follows the graphs package
                    log.debug(f"graphs without a place on their page: {', '.join(unplaced[:5])}")
            else:  # "error"
                self.graph_stream.close()
                self.graph_stream = None
                self.pages_pending = False
                from .graphs import GraphError

                exc = message[1]
                if isinstance(exc, GraphError):
                    raise PluginError(f"okrs plugin: graphs: {exc}") from None
                raise PluginError(f"okrs plugin: drawing the graphs failed: {type(exc).__name__}: {exc}") from exc

    def _draw_instead(self, key: str) -> bool:
        """Draw a piece of the graphs here rather than wait for the job: the one holding
        page ``key`` if the job has not taken it, else the last one nobody has taken.
        False when there is none (the job has taken them all: wait for it)."""
        if self.piece_claims is None or self.graph_draw is None:
            return False
        index = self.piece_of.get(key)
        if index is None or not self.piece_claims.take(index, graphjob.Claims.BUILD):
            index = self.piece_claims.take_last()
            if index is None:
                return False
        from .graphs import GraphError

        build_site_graphs, pages, options = self.graph_draw
        piece = self.graph_pieces[index]
        try:
            # Kept compressed: most are for pages written later (a piece from the end).
            blocks, extra_files, stats = graphjob.draw_batch(build_site_graphs, self.view, piece, pages, options,
                                                             pack=True)
        except GraphError as exc:
            raise PluginError(f"okrs plugin: graphs: {exc}") from None
        self.graph_blocks.update(blocks)
        self.graph_arrived.update(piece)
        self.graph_files.update(extra_files)
        self.build_graph_stats = graphjob.add_stats(self.build_graph_stats, stats)
        self._write_graph_files()
        return True

    def _write_graph_files(self) -> None:
        """Write the separate SVG files of oversized graphs (once the site folder is being written)."""
        if self.site_config is None or not self.graph_files:
            return
        for path, content in sorted(self.graph_files.items()):
            if self.site_files is not None and self.site_files.get_file_from_path(path) is not None:
                raise PluginError(
                    f"the OKR graph file {path} would replace a file of the docs folder. "
                    "Move that file or set the okrs plugin's 'url_prefix' option."
                )
            write_file(content.encode("utf-8"), os.path.join(self.site_config.site_dir, path))
        self.graph_files = {}

    def on_env(self, env, config, files: Files):
        """All pages' Markdown is rendered: the site folder is written next. okrs.json (when the
        graph process makes it) must be there; the graphs come in as the pages are written."""
        self._park_last()
        if self.config.enabled and self.graph_stream is not None:
            self.site_config, self.site_files = config, files
            self._receive_graphs(until_json=True)
            self._write_graph_files()
        return env

    def on_post_build(self, config):
        """Collect the last graphs (and their statistics) and end the graph job."""
        if self.config.enabled:
            self._receive_graphs()
            self._write_graph_files()
        self._thaw()

    def on_build_error(self, error):
        """A failed build stops drawing graphs: the child process is ended, a thread waited for."""
        stream, self.graph_stream = self.graph_stream, None
        if stream is not None:
            stream.cancel()
        self._thaw()

    # -- navigation ------------------------------------------------------------

    def on_nav(self, nav: Navigation, config, files: Files) -> Navigation:
        """Insert the compact OKR section (dashboard, periods, units) into the navigation.

        Objective and unit pages stay out of it, so the nav every page embeds
        does not grow with the number of objectives. If the nav already names the
        dashboard page, the section takes that place; else it goes to
        ``nav_position``.
        """
        if not self.config.enabled or self.plan is None:
            return nav
        plan = self.plan
        page_of = {k: files.get_file_from_path(p.src_uri).page for k, p in plan.pages.items() if p.in_nav}
        in_section = {id(pg) for pg in page_of.values()}
        dashboard = page_of[planmod.DASHBOARD]

        slot: list = []

        def prune(items: list) -> list:
            out: list = []
            for item in items:
                if getattr(item, "is_page", False) and id(item) in in_section:
                    if item is dashboard and not slot:
                        slot.append((out, len(out), item.parent))
                    continue
                if getattr(item, "is_section", False):
                    item.children = prune(item.children)
                    holds_slot = bool(slot) and slot[0][0] is item.children
                    if not item.children and not holds_slot:
                        continue
                out.append(item)
            return out

        items = prune(list(nav.items))
        periods = [page_of[p.key] for p in plan.nav_periods()]
        children: list = [dashboard]
        if periods:
            period_section = Section("Periods", periods)
            for pg in periods:
                pg.parent = period_section
            children.append(period_section)
        children.append(page_of[planmod.UNITS_INDEX])
        section = Section(self.config.nav_title, children)
        for child in children:
            child.parent = section
        if slot:
            container, pos, parent = slot[0]
            container.insert(pos, section)
            section.parent = parent
        else:
            position = self.config.nav_position
            index = 0 if position == "start" else len(items) if position == "end" else min(position, len(items))
            items.insert(index, section)
            section.parent = None

        # Pages outside the nav still belong to the section: the theme then opens and
        # highlights it (and shows it in the breadcrumbs) on an objective or unit page.
        pages = list(_pages_in(items))
        listed = {id(pg) for pg in pages}
        for spec in plan.pages.values():
            pg = files.get_file_from_path(spec.src_uri).page
            if not spec.in_nav and id(pg) not in listed:
                pg.parent = section

        for pg in pages:
            pg.previous_page = pg.next_page = None
        for prev, cur in zip(pages, pages[1:]):
            prev.next_page, cur.previous_page = cur, prev
        new = Navigation(items, pages)
        return new

    # -- pages -----------------------------------------------------------------

    def _key(self, page: Page) -> str | None:
        if self.plan is None:
            return None
        return self.plan.by_src.get(page.file.src_uri)

    def on_page_markdown(self, markdown: str, page: Page, config, files: Files) -> str:
        """Give generated pages their title (escaped: themes print it raw) and date."""
        key = self._key(page)
        if key is None or self.view is None:
            return markdown
        page.meta["title"] = html.escape(self.plan.pages[key].title, quote=False)
        page.update_date = self.view.today.isoformat()
        return markdown

    def on_page_content(self, content: str, page: Page, config, files: Files) -> str:
        """Wrap the (sanitized) body in our template; rebuild the page's table of contents."""
        key = self._key(page)
        if key is None:
            return content
        spec = self.plan.pages[key]
        body = sanitize_body(content) if spec.kind == "objective" and content.strip() else ""
        made = self._page_html(key, with_body=bool(body))
        page.toc = _merge_toc(nest(made.toc_headings()), list(page.toc or []))
        # Let MkDocs' anchor validation know the ids our template adds (#okr-key-results...).
        anchors = getattr(page, "present_anchor_ids", None)
        if isinstance(anchors, set):
            anchors.update(made.anchors)
        # MkDocs keeps every page's content until the build ends: narrow_html keeps it at
        # one byte a character (a single '›' would make Python store the page in two).
        full = narrow_html(made.html.replace(BODY_MARKER, body, 1))
        lean = narrow_html(made.lean.replace(BODY_MARKER, body, 1)) if made.lean is not None else None
        if isinstance(page, OkrPage):
            self.last_read = (page, key, full, lean)
        return full

    def on_pre_page(self, page: Page, config, files: Files) -> Page:
        """The page read before this one is done: park its content."""
        self._park_last()
        return page

    def _park_last(self) -> None:
        last, self.last_read = self.last_read, None
        if last is None:
            return
        page, key, full, lean = last
        # The lean copy stands for the page only if no plugin changed the page after us.
        if lean is not None and page.content is full:
            self.search_copies[key] = zlib.compress(lean.encode("utf-8"), 1)
        page.park()

    @event_priority(100)
    def _unpark(self, context, page: Page, config, nav):
        """The page is being written: its content as a string again."""
        key = self._key(page)
        if key is not None and isinstance(page, OkrPage):
            self._park_last()  # (the last page read, when MkDocs writes it first)
            page.unpark()
            self.context_version[key] = page.content_version
        return context

    @event_priority(1)
    def _search_sees_lean_copy(self, context, page: Page, config, nav):
        """Just before the search plugin indexes the page, give it the lean copy.

        The copy has the same headings and words as the page, without the markup the
        search would only skip (see :mod:`mkdocs_okrs.site.searchcopy`). Not when
        another plugin changed the page after us: then the search reads that page.
        """
        key = self._key(page)
        if key is None:
            return context
        lean = self.search_copies.pop(key, None)
        version = self.context_version.pop(key, None)
        if lean is not None and isinstance(page, OkrPage) and page.content_version == version:
            self.full_content[key] = page.content
            page.swap_content(zlib.decompress(lean).decode("utf-8"))
        return context

    @event_priority(-1)
    def _page_back_after_search(self, context, page: Page, config, nav):
        """Right after the search (and the other plugins of default priority): the full page back."""
        key = self._key(page)
        if key is not None and key in self.full_content and isinstance(page, OkrPage):
            page.swap_content(self.full_content.pop(key))
        return context

    on_page_context = CombinedEvent(_unpark, _search_sees_lean_copy, _page_back_after_search)

    @event_priority(-100)
    def _park_written(self, output: str, page: Page, config):
        """The page is written (and every plugin saw it): park its content again.

        After a page that lists a whole period or every unit (large at thousands of
        objectives), the memory its rendering freed goes back to the system: those pages
        come last, when the build holds the most, and at 10,000 objectives what the heap
        kept after each of them added up to some 30 MB of the build's peak."""
        key = self._key(page)
        if isinstance(page, OkrPage) and key is not None:
            page.park()
            if self.plan.pages[key].kind not in ("objective", "unit"):
                graphjob.trim_heap()
        return output

    @event_priority(100)
    def _place_graphs(self, output: str, page: Page, config):
        """Put the graphs into the written page (never into ``page.content``, which MkDocs keeps
        for every page until the build ends, nor into the search)."""
        key = self._key(page)
        if key is None or key not in self.graph_pages:
            return output
        self._receive_graphs(until_key=key)
        block = graphjob.unpack_block(self.graph_blocks.pop(key, ""))
        return output.replace(graphs_marker(key), block, 1)

    on_post_page = CombinedEvent(_place_graphs, _park_written)

    # -- serve -----------------------------------------------------------------

    def on_serve(self, server, config, builder):
        """Rebuild when the OKR files or org.yml change."""
        if self.config.enabled:
            server.watch(str(self.root))
            if self.org_path is not None and not str(self.org_path).startswith(str(self.root) + os.sep):
                server.watch(str(self.org_path))
        return server


def _pages_in(items: list):
    for item in items:
        if getattr(item, "is_page", False):
            yield item
        elif getattr(item, "is_section", False):
            yield from _pages_in(item.children)


def _merge_toc(headings: list[Heading], body_toc: list[AnchorLink]) -> TableOfContents:
    """Our template's headings as AnchorLinks, with the body's own entries where the body is."""

    def convert(nodes: list[Heading]) -> list[AnchorLink]:
        out: list[AnchorLink] = []
        for node in nodes:
            if node is BODY:
                out.extend(body_toc)
                continue
            link = AnchorLink(node.title, node.id, node.level)
            link.children = convert(node.children)
            out.append(link)
        return out

    return TableOfContents(convert(headings))
