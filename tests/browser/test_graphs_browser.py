"""Real browser: a real ``mkdocs build`` (Material theme) whose pages carry the graphs, served
over HTTP and opened in Chromium. Clicking a node lands on that objective's page, with
``use_directory_urls`` on and off; node colours differ between the light and dark palettes.

The graphs are put on the pages by a small MkDocs hook calling ``build_site_graphs``,
so that this test does not depend on the plugin's page generation.
Skipped when no Chromium can be started, unless OKRS_REQUIRE_BROWSER is set.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from mkdocs_okrs.graphs.site import embed_prefix
from mkdocs_okrs.graphs.svg import CSS_PATH
from test_graphs_support import renderer_or_skip, small_view

TESTS = Path(__file__).resolve().parent.parent  # tests/, where test_graphs_support.py lives
FAST = "2026-Q4/web/fast"
GROW = "2026-Q4/acme/grow"

HOOKS = '''
import sys
from pathlib import Path

sys.path.insert(0, {tests!r})
from mkdocs_okrs.graphs import GraphOptions, build_site_graphs
from test_graphs_support import small_view

VIEW = small_view()
STATE = {{}}
KINDS = {{"objectives": "objective", "periods": "period", "units": "unit"}}


def page_key(src_uri):
    parts = src_uri[: -len(".md")].split("/")
    if len(parts) > 2 and parts[0] == "okrs" and parts[1] in KINDS:
        return KINDS[parts[1]] + ":" + "/".join(parts[2:])
    return None


def on_files(files, config):
    pages = {{}}
    for f in files.documentation_pages():
        key = page_key(f.src_uri)
        if key:
            pages[key] = f.url
    STATE["graphs"] = build_site_graphs(VIEW, pages, GraphOptions(renderer={renderer!r}))
    return files


def on_page_content(html, page, config, files):
    return html + "".join(STATE["graphs"].inline.get(page_key(page.file.src_uri), []))
'''

CONFIG = """
site_name: Graphs in a browser
use_directory_urls: {directory_urls}
theme:
  name: material
  font: false
  palette:
    - scheme: default
      toggle: {{icon: material/brightness-7, name: Dark mode}}
    - scheme: slate
      toggle: {{icon: material/brightness-4, name: Light mode}}
extra_css: [assets/okrs-graphs.css]
hooks: [hooks.py]
"""


def build_site(root: Path, directory_urls: bool, renderer: str) -> Path:
    """Write a small MkDocs project (one page per objective, period and unit) and build it."""
    view = small_view()
    docs = root / "docs"
    pages = {"index.md": "# Home\n"}
    for oid, o in view.objectives.items():
        pages[f"okrs/objectives/{oid}.md"] = f"# {o.objective}\n"
    for pid in view.by_period:
        pages[f"okrs/periods/{pid}.md"] = f"# Period {pid}\n"
    for uid in view.by_owner:
        pages[f"okrs/units/{uid}.md"] = f"# Unit {uid}\n"
    for rel, text in pages.items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(text, encoding="utf-8")
    (docs / "assets").mkdir(exist_ok=True)
    shutil.copy(CSS_PATH, docs / "assets" / "okrs-graphs.css")
    (root / "hooks.py").write_text(HOOKS.format(tests=str(TESTS), renderer=renderer), encoding="utf-8")
    (root / "mkdocs.yml").write_text(CONFIG.format(directory_urls=str(directory_urls).lower()), encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site")],
        check=True,
        cwd=root,
    )
    return root / "site"


@pytest.fixture(scope="module", params=[True, False], ids=["directory-urls", "html-urls"])
def site(request, tmp_path_factory):
    """(base URL, directory_urls) of a built site served over HTTP."""
    renderer = renderer_or_skip("graphviz-pure")
    root = tmp_path_factory.mktemp("site")
    site_dir = build_site(root, request.param, renderer)
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", request.param
    server.shutdown()
    server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass


def url_of(base: str, oid: str, directory_urls: bool, kind: str = "objectives") -> str:
    return f"{base}okrs/{kind}/{oid}/" if directory_urls else f"{base}okrs/{kind}/{oid}.html"


def test_clicking_a_node_opens_that_objectives_page(site, browser):
    base, directory_urls = site
    page = browser.new_page()
    # From an objective page (depth 5): click the parent objective's node.
    page.goto(url_of(base, FAST, directory_urls))
    prefix = embed_prefix(f"objective:{FAST}", 0)
    page.click(f"#{prefix}-n1 a")
    page.wait_for_url(url_of(base, GROW, directory_urls))
    assert page.locator("h1").first.inner_text() == "Grow online sales in the winter season"
    # From a unit page (another depth): click the first node of its tree.
    page.goto(url_of(base, "acme", directory_urls, "units"))
    prefix = embed_prefix("unit:acme", 0)
    link = page.locator(f"#{prefix}-n0 a")
    title = link.locator("title").text_content()
    with page.expect_navigation(wait_until="load"):  # the new page, not the old one
        link.click()
    assert page.locator("h1").first.inner_text() == title.split("\n")[0]
    assert "/okrs/objectives/" in page.url
    page.close()


def test_node_colours_follow_the_light_and_dark_palettes(site, browser):
    base, directory_urls = site
    page = browser.new_page()
    page.goto(url_of(base, FAST, directory_urls))
    prefix = embed_prefix(f"objective:{FAST}", 0)

    def colours() -> dict[str, str]:
        return page.evaluate(
            """(prefix) => {
                const style = (sel) => getComputedStyle(document.querySelector(sel));
                return {
                    fill: style(`#${prefix}-n2 path`).fill,
                    stroke: style(`#${prefix}-n2 path`).stroke,
                    text: style(`#${prefix}-n2 text`).fill,
                    edge: style(`#${prefix}-e0 path`).stroke,
                    scheme: document.body.getAttribute("data-md-color-scheme"),
                };
            }""",
            prefix,
        )

    light = colours()
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")  # what Material's toggle does
    dark = colours()
    assert light["scheme"] == "default" and dark["scheme"] == "slate"
    for part in ("fill", "stroke", "text", "edge"):
        assert light[part] != dark[part], part
    # The CSS, not the SVG's light-palette attributes, decides the colours.
    assert light["fill"] not in ("rgb(255, 243, 224)", "#fff3e0")
    page.close()


NODE_GEOMETRY_AND_COLOURS = """() => {
    const cv = document.createElement('canvas'); cv.width = cv.height = 1;
    const ctx = cv.getContext('2d', {willReadFrequently: true});
    const rgba = (css) => { ctx.clearRect(0, 0, 1, 1); ctx.fillStyle = '#000'; ctx.fillStyle = css;
        ctx.fillRect(0, 0, 1, 1); const d = ctx.getImageData(0, 0, 1, 1).data; return [d[0], d[1], d[2], d[3] / 255]; };
    const over = (t, b) => [0, 1, 2].map(i => t[i] * t[3] + b[i] * (1 - t[3]));
    const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
        return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const page = over(rgba(getComputedStyle(document.body).backgroundColor), [255, 255, 255]);
    const nodes = [...document.querySelectorAll('figure.okr-graph g.okr-node')].map((g) => {
        const shape = g.querySelector('path, polygon');
        const box = shape.getBoundingClientRect();
        const fill = over(rgba(getComputedStyle(shape).fill), page);
        const texts = [...g.querySelectorAll('text')].filter((t) => t.textContent.trim()).map((t) => {
            const r = t.getBoundingClientRect();
            return {text: t.textContent, bold: t.getAttribute('font-weight') === 'bold',
                    offset: (r.left + r.right) / 2 - (box.left + box.right) / 2,
                    inside: r.left >= box.left && r.right <= box.right,
                    contrast: ratio(over(rgba(getComputedStyle(t).fill), fill), fill)};
        });
        return {id: g.id, texts};
    });
    const edges = [...document.querySelectorAll('figure.okr-graph g.okr-edge')].filter((g) => g.querySelector('text')).map((g) => {
        const line = g.querySelector('path').getBoundingClientRect();
        const label = g.querySelector('text').getBoundingClientRect();
        const gap = Math.max(label.left - line.right, line.left - label.right, label.top - line.bottom, line.top - label.bottom);
        return {id: g.id, gap, straight: line.width < 2 || line.height < 2,
                contrast: ratio(over(rgba(getComputedStyle(g.querySelector('text')).fill), page), page)};
    });
    return {nodes, edges};
}"""


def test_node_text_is_centred_and_readable_and_edge_labels_keep_off_their_edge(site, browser):
    """In the browser's own font: every label line is centred on its node and fits in it;
    the line under the title reaches WCAG AA contrast (4.5:1) on the node's fill in the
    light and the dark palette; an edge label does not touch its edge."""
    base, directory_urls = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    checked = straight = 0
    for url in (url_of(base, FAST, directory_urls), url_of(base, "perf", directory_urls, "units")):
        page.goto(url)
        for scheme in ("default", "slate"):
            page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
            found = page.evaluate(NODE_GEOMETRY_AND_COLOURS)
            assert found["nodes"] and found["edges"]
            for node in found["nodes"]:
                for line in node["texts"]:
                    assert abs(line["offset"]) <= 1.0, (scheme, node["id"], line)
                    assert line["inside"], (scheme, node["id"], line)
                    assert line["contrast"] >= 4.5, (scheme, node["id"], line)
                    checked += 1
            for edge in found["edges"]:
                if edge["straight"]:  # a slanted edge's box overlaps its label's anyway
                    assert edge["gap"] >= 2, (scheme, edge)
                    straight += 1
                assert edge["contrast"] >= 4.5, (scheme, edge)
    assert checked > 20 and straight > 0
    page.close()
