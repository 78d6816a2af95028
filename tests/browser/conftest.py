"""Fixtures of the browser tests: real ``mkdocs build`` runs, a local HTTP server, headless Chromium.

Once per session:

- a small OKR organization (``ACME_FILES`` below; every expected number in the
  tests is computed by hand from it) is written to a temporary folder and built
  twice with ``mkdocs build``: with ``use_directory_urls: true`` and ``false``;
  the repository's demo organization is built as well. The three builds run at
  the same time (they are separate processes).
- each built site is served over HTTP on 127.0.0.1 with an ephemeral port;
- Debian's Chromium is launched through Playwright (``playwright install`` is
  never needed: the browser is ``/usr/bin/chromium`` or ``chromium`` on PATH).

Without Chromium or Playwright the tests are skipped with the reason, unless
``OKRS_REQUIRE_BROWSER=1`` (CI sets it): then they fail. ``OKRS_CHROMIUM`` names
another Chromium executable.

Every test gets a fresh browser context (its own storage, so the palette a test
picks does not leak), light colour scheme, and a network that reaches only the
local server: any other request is aborted and recorded.

Set ``OKRS_SCREENSHOT_DIR`` to keep the screenshots somewhere known (default: a
pytest temporary folder, printed in the test output).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Offline but for the local server: every other host name fails to resolve at once.
    # (Playwright's request routing would do it too, but it turns the HTTP cache off.)
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]
BUILD_TIMEOUT = 180  # seconds for one `mkdocs build`
NAV_TIMEOUT_MS = 15_000

# ----------------------------------------------------------------------------- test data
#
# today = 2026-11-20. 2026-Q4 runs 2026-10-01..2026-12-31 (92 days); 31 + 20 = 51
# days have passed counting today: expected = 51/92 = 0.5543 -> "55%".
# Aspirational bar: 0.7 * 0.5543 = 0.3880; committed bar: 0.5543.
#
# 2026-Q4/acme/grow-revenue (aspirational, acme)
#   revenue 100 -> 200, current 150 k€: 0.5;  office: milestone done: 1.0
#   progress 0.75 (75%), gap +0.362 -> on-track, grade green
# 2026-Q4/sales/win-enterprise (committed, sales, parent grow-revenue#revenue)
#   deals 0 -> 20, no current, check-ins 1 then 2: current 2 -> 0.1 (10%)
#   churn 10 -> 5 %, current 8.5, weight 3: (8.5-10)/(5-10) = 0.3 (30%)
#   progress (0.1*1 + 0.3*3) / 4 = 0.25 (25%), gap -0.304 -> off-track, grade red
# 2026-Q4/platform/fast-pages (aspirational, platform, parent win-enterprise#churn)
#   p95 800 -> 200 ms, current 500: 0.5;  uptime 99 -> 99.9 %, current 99.95:
#   raw 1.0556 (106%), clamped 1.0;  "Publish the latency budget": no measure
#   progress (0.5 + 1.0) / 2 = 0.75 (75%) -> on-track
# 2026-Q4/platform/project-halcyon: PRIVATE (its word: Halcyon)
# 2026-Q4/platform/quiet-migration (aspirational, platform, parent: the private one)
#   moved 0 -> 10 services, current 2: 0.2 (20%), gap -0.188 -> at-risk
# 2026-Q3/acme/lay-groundwork (aspirational, acme): milestone done -> 1.0, on-track
#
# Dashboard (current period 2026-Q4, public only): 4 objectives; 2 on track,
# 1 at risk, 1 off track; average progress (0.75+0.25+0.75+0.2)/4 = 0.4875 -> 49%.

TODAY = "2026-11-20"
PRIVATE_WORD = "Halcyon"

ACME_FILES: dict[str, str] = {
    "docs/index.md": """\
        # Acme handbook

        How Acme Rockets works. The OKRs are in the OKRs section.
        """,
    "okrs/org.yml": """\
        units:
          - id: acme
            name: Acme Rockets
            lead: Ada Quill
          - id: sales
            name: Sales
            parent: acme
            lead: Bo Tanaka
          - id: platform
            name: Platform Team
            parent: acme
            lead: Chidi Okafor
          - id: research
            name: Research Lab
            parent: acme
        """,
    "okrs/2026-Q4/acme/grow-revenue.md": """\
        ---
        objective: Grow revenue from loyal customers
        owner: acme
        period: 2026-Q4
        key_results:
          - id: revenue
            title: Quarterly revenue
            start: 100
            target: 200
            current: 150
            unit: k€
          - id: office
            title: Open the Lisbon office
            done: true
        ---
        Loyal customers buy again when we keep our promises.
        """,
    "okrs/2026-Q4/sales/win-enterprise.md": """\
        ---
        objective: Win the trust of enterprise customers
        owner: sales
        period: 2026-Q4
        parent: 2026-Q4/acme/grow-revenue#revenue
        commitment: committed
        tags: [enterprise]
        key_results:
          - id: deals
            title: Sign enterprise deals
            start: 0
            target: 20
            unit: deals
            checkins:
              - {date: 2026-10-15, value: 1, confidence: 0.5, note: First pilot signed}
              - {date: 2026-11-10, value: 2, confidence: 0.4, note: Second pilot signed}
          - id: churn
            title: Monthly churn
            start: 10
            target: 5
            current: 8.5
            unit: "%"
            weight: 3
        ---
        Enterprise buyers ask for references before they sign.

        ## Plan

        - Run two paid pilots with reference customers.
        """,
    "okrs/2026-Q4/platform/fast-pages.md": """\
        ---
        objective: Make every page feel fast
        owner: platform
        period: 2026-Q4
        parent: 2026-Q4/sales/win-enterprise#churn
        key_results:
          - id: p95
            title: Page p95 latency
            start: 800
            target: 200
            current: 500
            unit: ms
          - id: uptime
            title: Monthly uptime
            start: 99
            target: 99.9
            current: 99.95
            unit: "%"
          - Publish the latency budget
        ---
        """,
    "okrs/2026-Q4/platform/project-halcyon.md": """\
        ---
        objective: Finish Project Halcyon before anyone notices
        owner: platform
        period: 2026-Q4
        visibility: private
        tags: [halcyon]
        key_results:
          - id: halcyon-steps
            title: Halcyon steps completed
            start: 0
            target: 5
            current: 1
        ---
        Halcyon is confidential.
        """,
    "okrs/2026-Q4/platform/quiet-migration.md": """\
        ---
        objective: Move the build farm without downtime
        owner: platform
        period: 2026-Q4
        parent: 2026-Q4/platform/project-halcyon
        key_results:
          - id: moved
            title: Services moved to the new build farm
            start: 0
            target: 10
            current: 2
            unit: services
        ---
        """,
    "okrs/2026-Q3/acme/lay-groundwork.md": """\
        ---
        objective: Lay the groundwork for growth
        owner: acme
        period: 2026-Q3
        key_results:
          - title: Agree the sales plan with the board
            done: true
        ---
        """,
}


def mkdocs_yml(use_directory_urls: bool, cache_dir: str) -> str:
    """The test site's mkdocs.yml: Material with a light/dark toggle, search and okrs."""
    return textwrap.dedent(
        f"""\
        site_name: Acme OKRs
        site_url: https://okrs.example.test/
        docs_dir: docs
        use_directory_urls: {"true" if use_directory_urls else "false"}
        theme:
          name: material
          font: false
          palette:
            - media: "(prefers-color-scheme: light)"
              scheme: default
              toggle:
                icon: material/weather-night
                name: Switch to dark mode
            - media: "(prefers-color-scheme: dark)"
              scheme: slate
              toggle:
                icon: material/weather-sunny
                name: Switch to light mode
        markdown_extensions:
          - attr_list
          - md_in_html
          - tables
        plugins:
          - search
          - okrs:
              today: {TODAY}
              cache_dir: {cache_dir}
        """
    )


# ----------------------------------------------------------------------------- requirements


def _required() -> bool:
    return os.environ.get("OKRS_REQUIRE_BROWSER", "").strip().lower() in ("1", "true", "yes")


def _unavailable(reason: str) -> None:
    """Skip, or fail when OKRS_REQUIRE_BROWSER=1."""
    if _required():
        pytest.fail(f"{reason} (OKRS_REQUIRE_BROWSER=1: the browser tests must run)", pytrace=False)
    pytest.skip(reason)


def chromium_executable() -> str | None:
    """The Chromium to drive: $OKRS_CHROMIUM if set, else Debian's /usr/bin/chromium,
    else ``chromium`` on PATH; None when there is none."""
    configured = os.environ.get("OKRS_CHROMIUM")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser_requirements() -> str:
    """The Chromium executable; skips (or fails) when Chromium or Playwright is missing."""
    exe = chromium_executable()
    if exe is None:
        where = os.environ.get("OKRS_CHROMIUM") or "/usr/bin/chromium or `chromium` on PATH"
        _unavailable(f"Chromium is not installed ({where}); apt-get install chromium")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        _unavailable(f"Playwright for Python is not importable ({exc}); pip install playwright")
    return exe  # type: ignore[return-value]


@pytest.fixture(scope="session")
def browser(browser_requirements: str) -> Iterator[object]:
    """One headless Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        try:
            chromium = pw.chromium.launch(executable_path=browser_requirements, args=CHROMIUM_ARGS)
        except Exception as exc:  # the browser is there but does not start
            _unavailable(f"Chromium at {browser_requirements} did not start: {exc}")
        yield chromium
        chromium.close()
    finally:
        pw.stop()


# ----------------------------------------------------------------------------- building


@dataclass
class Build:
    """A running or finished ``mkdocs build``."""

    name: str
    config: Path
    site_dir: Path
    proc: subprocess.Popen | None = None
    log: Path | None = None
    seconds: float = 0.0
    _started: float = 0.0

    def start(self) -> None:
        self.log = self.site_dir.parent / f"{self.name}.log"
        self._started = time.perf_counter()
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "mkdocs", "build", "-f", str(self.config), "-d", str(self.site_dir)],
                cwd=self.config.parent,
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "NO_MKDOCS_2_WARNING": "1"},
            )

    def wait(self) -> str | None:
        """Wait for the build; None when it succeeded, else the reason with the log."""
        assert self.proc is not None and self.log is not None
        try:
            rc = self.proc.wait(timeout=BUILD_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return f"`mkdocs build` of {self.name} took more than {BUILD_TIMEOUT} s"
        self.seconds = time.perf_counter() - self._started
        if rc != 0:
            text = self.log.read_text(encoding="utf-8", errors="replace")
            return f"`mkdocs build` of {self.name} exited with {rc}:\n{text[-6000:]}"
        if not (self.site_dir / "index.html").is_file():
            return f"`mkdocs build` of {self.name} wrote no index.html"
        return None


def write_acme_project(root: Path) -> Path:
    """Write the test organization and its two mkdocs.yml files below ``root``."""
    for rel, text in ACME_FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    (root / "mkdocs-dir.yml").write_text(mkdocs_yml(True, ".cache/okrs-dir"), encoding="utf-8")
    (root / "mkdocs-file.yml").write_text(mkdocs_yml(False, ".cache/okrs-file"), encoding="utf-8")
    return root


class _Tagged:
    """A YAML value with a tag PyYAML's safe loader does not know (``!ENV``,
    ``!!python/name:...``, ``!relative``): kept as it is and written back as it was."""

    def __init__(self, tag: str, node_value: object, kind: str) -> None:
        self.tag, self.value, self.kind = tag, node_value, kind


def _yaml_loader_and_dumper():
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    class Dumper(yaml.SafeDumper):
        pass

    def construct(loader, tag_suffix, node):
        if isinstance(node, yaml.ScalarNode):
            return _Tagged(node.tag, loader.construct_scalar(node), "scalar")
        if isinstance(node, yaml.SequenceNode):
            return _Tagged(node.tag, loader.construct_sequence(node, deep=True), "sequence")
        return _Tagged(node.tag, loader.construct_mapping(node, deep=True), "mapping")

    def represent(dumper, data: _Tagged):
        if data.kind == "scalar":
            return dumper.represent_scalar(data.tag, data.value)
        if data.kind == "sequence":
            return dumper.represent_sequence(data.tag, data.value)
        return dumper.represent_mapping(data.tag, data.value)

    Loader.add_multi_constructor("!", construct)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", construct)
    Dumper.add_representer(_Tagged, represent)
    return Loader, Dumper


def write_demo_config(tmp: Path) -> Path:
    """A copy of the repository's mkdocs.yml whose paths point back into the repository
    and whose graph cache lives in ``tmp`` (the build must not write into the repo)."""
    import yaml

    loader, dumper = _yaml_loader_and_dumper()
    src = REPO / "mkdocs.yml"
    cfg = yaml.load(src.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    cfg["docs_dir"] = str((REPO / cfg.get("docs_dir", "docs")).resolve())
    theme = cfg.get("theme")
    if isinstance(theme, dict) and isinstance(theme.get("custom_dir"), str):
        theme["custom_dir"] = str((REPO / theme["custom_dir"]).resolve())
    if cfg.get("hooks"):
        cfg["hooks"] = [str((REPO / h).resolve()) if isinstance(h, str) else h for h in cfg["hooks"]]
    plugins = cfg.get("plugins") or []
    for i, entry in enumerate(plugins):
        name = entry if isinstance(entry, str) else next(iter(entry))
        if name != "okrs":
            continue
        opts = dict(entry["okrs"] or {}) if isinstance(entry, dict) else {}
        opts["okrs_dir"] = str((REPO / opts.get("okrs_dir", "okrs")).resolve())
        if opts.get("org_file"):
            opts["org_file"] = str((REPO / opts["org_file"]).resolve())
        opts["cache_dir"] = str(tmp / "demo-cache")
        plugins[i] = {"okrs": opts}
    cfg["plugins"] = plugins
    out = tmp / "mkdocs-demo.yml"
    out.write_text(yaml.dump(cfg, Dumper=dumper, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return out


# ----------------------------------------------------------------------------- serving


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves the site folder; no request log on stderr."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@dataclass
class Site:
    """A built site served over HTTP."""

    name: str
    root: Path
    use_directory_urls: bool
    base_url: str = ""
    build_seconds: float = 0.0
    _server: ThreadingHTTPServer | None = field(default=None, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)

    def serve(self) -> None:
        handler = functools.partial(_QuietHandler, directory=str(self.root))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        host, port = server.server_address[:2]
        self.base_url = f"http://{host}:{port}/"
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name=f"http-{self.name}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def url(self, path: str = "") -> str:
        """Absolute URL of a site path (``okrs/`` or ``okrs/index.html``)."""
        return self.base_url + path.lstrip("/")

    def page(self, src: str) -> str:
        """Absolute URL of the page built from ``src`` (a docs path without ``.md``),
        the way MkDocs names it in this site's URL mode."""
        src = src.strip("/")
        head, _, last = src.rpartition("/")
        if last == "index":
            return self.url((head + "/" if head else "") if self.use_directory_urls else src + ".html")
        return self.url(src + "/" if self.use_directory_urls else src + ".html")

    def dashboard(self) -> str:
        return self.page("okrs/index")

    def objective(self, objective_id: str) -> str:
        return self.page(f"okrs/objectives/{objective_id}")

    def unit(self, unit_id: str) -> str:
        return self.page(f"okrs/units/{unit_id}")

    def path_of(self, url: str) -> str:
        """The site path of an absolute URL on this site ("" for another origin)."""
        if not url.startswith(self.base_url):
            return ""
        return urlsplit(url).path.lstrip("/")


@dataclass
class Builds:
    """The session's sites: the test organization in both URL modes, and the demo."""

    sites: dict[str, Site]
    failures: dict[str, str]

    def get(self, name: str) -> Site:
        if name in self.failures:
            pytest.fail(self.failures[name], pytrace=False)
        return self.sites[name]


@pytest.fixture(scope="session")
def builds(browser_requirements: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Builds]:
    """Build the three sites at the same time, then serve each one."""
    project = write_acme_project(tmp_path_factory.mktemp("acme-project"))
    out = tmp_path_factory.mktemp("sites")
    plan = [
        ("dir", project / "mkdocs-dir.yml", True),
        ("file", project / "mkdocs-file.yml", False),
    ]
    failures: dict[str, str] = {}
    try:
        plan.append(("demo", write_demo_config(out), True))
    except Exception as exc:  # an unreadable demo config fails only the demo tests
        failures["demo"] = f"could not prepare the demo's mkdocs.yml for a test build: {exc!r}"
    jobs = [Build(name, cfg, out / f"site-{name}") for name, cfg, _ in plan]
    for job in jobs:
        job.start()
    sites: dict[str, Site] = {}
    for job, (name, _, dir_urls) in zip(jobs, plan):
        problem = job.wait()
        if problem:
            failures[name] = problem
            continue
        site = Site(name, job.site_dir, dir_urls, build_seconds=job.seconds)
        site.serve()
        sites[name] = site
    try:
        yield Builds(sites, failures)
    finally:
        for site in sites.values():
            site.stop()


@pytest.fixture(scope="session")
def acme(builds: Builds) -> Site:
    """The test organization, ``use_directory_urls: true``."""
    return builds.get("dir")


@pytest.fixture(scope="session")
def acme_file_urls(builds: Builds) -> Site:
    """The test organization, ``use_directory_urls: false``."""
    return builds.get("file")


@pytest.fixture(scope="session")
def demo(builds: Builds) -> Site:
    """The repository's demo organization (Northwind Outfitters)."""
    return builds.get("demo")


# ----------------------------------------------------------------------------- pages


@dataclass
class PageLog:
    """What went wrong while a test's page ran: script errors, console errors, blocked requests."""

    errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


def _is_local(url: str) -> bool:
    return (urlsplit(url).hostname or "") in ("127.0.0.1", "localhost") or url.startswith(("data:", "blob:"))


@pytest.fixture
def page(browser, page_log: PageLog) -> Iterator[object]:
    """A fresh page in a fresh context (light scheme, 1280x900), offline but for 127.0.0.1
    (see CHROMIUM_ARGS); requests that fail for another host land in ``page_log.blocked``."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        color_scheme="light",
        locale="en-US",
        service_workers="block",
    )
    context.set_default_timeout(NAV_TIMEOUT_MS)

    pg = context.new_page()
    pg.on("pageerror", lambda exc: page_log.errors.append(str(exc)))
    pg.on(
        "requestfailed",
        lambda req: page_log.blocked.append(req.url) if not _is_local(req.url) else None,
    )
    pg.on(
        "console",
        lambda msg: page_log.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    try:
        yield pg
    finally:
        context.close()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: $OKRS_SCREENSHOT_DIR, else a temporary folder."""
    configured = os.environ.get("OKRS_SCREENSHOT_DIR")
    path = Path(configured) if configured else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _switch_palette(page, scheme: str) -> None:
    """Click Material's palette toggle in the header until ``scheme`` (default, slate) is on."""
    body = page.locator("body")
    for _ in range(4):
        if body.get_attribute("data-md-color-scheme") == scheme:
            return
        current = body.get_attribute("data-md-color-scheme")
        # The theme's script un-hides the toggle of the active palette; the locator waits for it.
        page.locator('form[data-md-component="palette"] label:not([hidden])').first.click()
        page.wait_for_function(
            "(old) => document.body.getAttribute('data-md-color-scheme') !== old", arg=current
        )
    assert body.get_attribute("data-md-color-scheme") == scheme


@pytest.fixture(scope="session")
def switch_palette():
    """``switch_palette(page, "slate")``: use the header's light/dark toggle like a reader."""
    return _switch_palette


def _material_search(page, query: str) -> tuple[str, list[str]]:
    """Type ``query`` into Material's search field like a reader and wait for its results:
    (the result summary, the result links' URLs)."""
    box = page.locator("input.md-search__input")
    box.click()  # the header's search field (desktop width)
    # The results of an earlier query would satisfy the wait below at once: empty the
    # field first and wait until Material has cleared them.
    box.fill("")
    box.press("Backspace")
    page.wait_for_function(
        """() => { const m = document.querySelector('.md-search-result__meta');
            return !m || !/matching/i.test(m.textContent); }"""
    )
    # Material searches on key-up: fill all but the last character, then press it,
    # so that exactly one search runs, with the whole query.
    box.fill(query[:-1])
    box.press(query[-1])
    page.wait_for_function(
        """(q) => { const m = document.querySelector('.md-search-result__meta');
            const box = document.querySelector('input.md-search__input');
            return box.value === q && m && /matching/i.test(m.textContent); }""",
        arg=query,
    )
    hrefs = page.evaluate(
        "() => Array.from(document.querySelectorAll('.md-search-result__list a[href]'), a => a.href)"
    )
    summary = " ".join(page.locator(".md-search-result__meta").inner_text().split())
    return summary, hrefs


@pytest.fixture(scope="session")
def material_search():
    """``summary, hrefs = material_search(page, "word")``: search the site like a reader."""
    return _material_search
