"""What the graphs show, where they link, how large graphs are split, ids, caching, determinism."""

from __future__ import annotations

import re
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

from urllib.parse import urljoin

import pytest
from mkdocs.utils import get_relative_url

import mkdocs_okrs
from mkdocs_okrs.graphs import GraphOptions, build_site_graphs, clear_memory_cache
from mkdocs_okrs.graphs.cache import MEMORY, DiskCache, MemoryCache
from mkdocs_okrs.graphs.dot import Edge
from mkdocs_okrs.graphs.okr_graphs import STAGGER_ROW, GraphBuilder, stagger
from mkdocs_okrs.graphs.site import VIEWER_TEXT
from mkdocs_okrs.site.urls import relative_url
from test_graphs_support import objective, pages_for, small_view, synthetic_view, view_of

SVG = "{http://www.w3.org/2000/svg}"
HREF = "{http://www.w3.org/1999/xlink}href"  # the link of an SVG <a> (see graphs/svg.py)
FAST = "2026-Q4/web/fast"


@pytest.fixture(autouse=True)
def fresh_memory():
    clear_memory_cache()
    yield
    clear_memory_cache()


def resolve(page_url: str, href: str) -> str:
    """The site URL a browser reaches following ``href`` on ``page_url``."""
    return urljoin("http://site/" + page_url, href)[len("http://site/"):]


def nodes_of(block: str) -> list[ET.Element]:
    return [g for g in ET.fromstring(block).iter(f"{SVG}g") if g.get("class", "").startswith("node")]


def links_of(block: str) -> list[str]:
    return [a.get(HREF) for a in ET.fromstring(block).iter(f"{SVG}a") if a.get(HREF)]


# -- what is drawn -------------------------------------------------------------------


def test_objective_graph_has_ancestors_the_objective_and_its_children():
    view = small_view()
    builder = GraphBuilder(view, pages_for(view), 150)
    (figure,) = builder.figures(f"objective:{FAST}")
    keys = [n.key for n in figure.graph.nodes]
    assert keys == ["2026/acme/trusted", "2026-Q4/acme/grow", FAST, "2026-Q4/perf/edge"]
    roles = [n.classes[-1] for n in figure.graph.nodes]
    assert roles == ["okr-node-context", "okr-node-context", "okr-node-current", "okr-status-on-track"]
    assert figure.graph.nodes[2].href is None  # the page's own objective is not a link
    edges = {(e.tail, e.head): e for e in figure.graph.edges}
    assert set(edges) == {("2026-Q4/acme/grow", "2026/acme/trusted"), (FAST, "2026-Q4/acme/grow"), ("2026-Q4/perf/edge", FAST)}
    kr_edge = edges[(FAST, "2026-Q4/acme/grow")]
    assert kr_edge.label == ("Cut checkout p95 latency",)  # the KR's title, not its id
    assert kr_edge.tooltip[0].startswith("Aligns to key result p95 of")
    assert "okr-edge-kr" in kr_edge.classes
    # Nodes show statement, owner, progress and status.
    node = figure.graph.nodes[2]
    assert node.label.title == ("Make checkout feel instant",)
    assert node.label.meta == "Web Platform \u00b7 25% \u00b7 at risk"
    assert "okr-status-at-risk" in node.classes
    assert figure.graph.nodes[0].label.meta.startswith("Acme Inc. \u00b7 2026 \u00b7")  # other period shown


def test_a_private_parent_is_a_placeholder_and_never_named():
    view = small_view()
    pages = pages_for(view)
    graphs = build_site_graphs(view, pages, GraphOptions())
    block = graphs.inline["objective:2026-Q4/search/under-secret"][0]
    private = [g for g in nodes_of(block) if "okr-node-private" in g.get("class", "")]
    assert len(private) == 1 and not links_of(ET.tostring(private[0], encoding="unicode"))
    everything = "".join(b for blocks in graphs.inline.values() for b in blocks) + "".join(graphs.extra_files.values())
    assert "A private objective" not in everything and "search/secret" not in everything


def test_a_period_page_draws_no_graph():
    view = small_view()
    pages = pages_for(view)
    assert GraphBuilder(view, pages, 150).figures("period:2026-Q4") == []
    graphs = build_site_graphs(view, pages, GraphOptions())
    assert not [k for k in graphs.inline if k.startswith("period:")]


def _centre_y(group: ET.Element) -> float:
    shape = next(el for el in group.iter() if el.tag in (f"{SVG}path", f"{SVG}polygon"))
    ys = [float(y) for y in re.findall(r"-?[0-9.]+,(-?[0-9.]+)", shape.get("d") or shape.get("points"))]
    return (min(ys) + max(ys)) / 2


def test_every_graph_is_drawn_from_its_root_down():
    """One direction everywhere: in every drawn graph (objective and unit pages, small
    trees and a unit owning dozens of objectives) each parent is above its children."""
    # A team with 40 objectives aligned to two of the company's (a third to a KR).
    wide = view_of([
        objective("2026-Q4/acme/a", "acme"),
        objective("2026-Q4/acme/b", "acme"),
        *[objective(f"2026-Q4/team/o{i:02}", "team", parent=f"2026-Q4/acme/{'ab'[i % 2]}" + ("#kr1" if i % 3 else ""))
          for i in range(40)],
    ])
    checked = 0
    for view, keys in [
        (small_view(), ["unit:perf", "unit:web", f"objective:{FAST}", "objective:2026-Q4/acme/grow"]),
        (wide, ["unit:team", "objective:2026-Q4/acme/a", "objective:2026-Q4/team/o00"]),
    ]:
        pages = pages_for(view)
        builder = GraphBuilder(view, pages, 150)
        graphs = build_site_graphs(view, pages, GraphOptions(), keys=keys)
        for key in keys:
            (figure,), (block,) = builder.figures(key), graphs.inline[key]
            root = ET.fromstring(block)
            groups = {g.get("id"): g for g in root.iter(f"{SVG}g")}
            prefix = root.get("id")[: -len("-figure")]
            index = {node.key: i for i, node in enumerate(figure.graph.nodes)}
            for edge in figure.graph.edges:
                child, parent = groups[f"{prefix}-n{index[edge.tail]}"], groups[f"{prefix}-n{index[edge.head]}"]
                assert _centre_y(parent) < _centre_y(child), (key, edge.tail, edge.head)
                checked += 1
    assert checked > 60


def test_many_leaves_under_one_parent_are_staggered():
    """A parent with more than STAGGER_ROW leaves spreads them over a few rows, on unit
    graphs as on objective graphs, so the tree stays narrow."""
    parents = {f"c{i}": "root" for i in range(13)} | {"mid": "root", "leaf": "mid"}
    edges = stagger([Edge(child, parent) for child, parent in parents.items()])
    minlen = {e.tail: e.minlen for e in edges}
    assert [minlen[f"c{i}"] for i in range(14) if f"c{i}" in minlen] == [1, 2, 3] * 4 + [1]
    assert minlen["mid"] == 1 and minlen["leaf"] == 1  # not a leaf, and an only child
    few = stagger([Edge(f"c{i}", "root") for i in range(STAGGER_ROW)])
    assert {e.minlen for e in few} == {1}


def test_unit_graph_shows_its_latest_objectives_and_what_they_align_to():
    view = small_view()
    builder = GraphBuilder(view, pages_for(view), 150)
    (figure,) = builder.figures("unit:perf")
    # The unit's objective first, then what it aligns to, up to the top (in id order).
    assert [n.key for n in figure.graph.nodes] == ["2026-Q4/perf/edge", "2026-Q4/acme/grow", FAST, "2026/acme/trusted"]
    assert "okr-node-context" in next(n for n in figure.graph.nodes if n.key == FAST).classes
    # One graph, of the latest period: acme's 2026 objectives are listed on its page.
    assert [f.caption for f in builder.figures("unit:acme")] == [
        "Objectives of Acme Inc. in Q4 2026 and what they align to",
    ]


# -- links ---------------------------------------------------------------------------------

URLS = [
    "", "index.html", "okrs/", "okrs/index.html", "okrs/objectives/2026-Q4/web/fast/",
    "okrs/objectives/2026-Q4/web/fast.html", "okrs/units/web/", "okrs/units/web.html",
    "a/b/c/d/e/", "a/b/c/d/e.html", "okrs/objectives/2026-Q4/v1.2/", "okrs/graphs/objective/x-1.svg",
]


@pytest.mark.parametrize("page", URLS)
@pytest.mark.parametrize("target", [u for u in URLS if u not in ("", "index.html")])
def test_relative_url_matches_mkdocs(page, target):
    assert relative_url(page, target) == get_relative_url(target, page)
    if target.endswith("/") or "." in target.rpartition("/")[2]:
        assert resolve(page, relative_url(page, target)) == target


@pytest.mark.parametrize("directory_urls", [True, False])
@pytest.mark.parametrize("prefix", ["okrs", "x", "deep/er/still"])
def test_every_node_link_reaches_its_objective_page(directory_urls, prefix):
    view = small_view()
    pages = pages_for(view, directory_urls=directory_urls, prefix=prefix)
    graphs = build_site_graphs(view, pages, GraphOptions())
    objective_pages = {v: k for k, v in pages.items() if k.startswith("objective:")}
    checked = 0
    for key, blocks in graphs.inline.items():
        for block in blocks:
            for node in nodes_of(block):
                for a in node.iter(f"{SVG}a"):
                    if a.get(HREF):
                        target = resolve(pages[key], a.get(HREF))
                        assert target in objective_pages
                        # the link goes to the objective whose statement the node shows
                        oid = objective_pages[target].partition(":")[2]
                        title = "".join(a.find(f"{SVG}title").itertext())
                        assert title.startswith(view.objectives[oid].objective)
                        checked += 1
    assert checked > 10


# -- large graphs -----------------------------------------------------------------------------


def test_a_graph_too_large_to_split_becomes_a_separate_svg_file():
    company = objective("2026-Q4/acme/o0", "acme")
    children = [objective(f"2026-Q4/team{i:02}/o", f"team{i:02}", parent=company.id) for i in range(30)]
    view = view_of([company, *children])
    pages = pages_for(view, directory_urls=False)
    # 31 nodes in the company objective's graph, nothing to split.
    graphs = build_site_graphs(view, pages, GraphOptions(max_nodes=20))
    key = "objective:2026-Q4/acme/o0"
    (block,) = graphs.inline[key]
    assert "<svg" not in block and "okr-graph--separate" in block
    href = re.search(r'<a href="([^"]+)">Open the full-size graph', block).group(1)
    path = resolve(pages[key], href)
    assert path in graphs.extra_files and path.startswith("okrs/graphs/objective/")
    standalone = graphs.extra_files[path]
    root = ET.fromstring(standalone.encode("utf-8"))
    assert root.find(f"{SVG}style") is not None and "prefers-color-scheme: dark" in standalone
    assert len(nodes_of(standalone.split("\n", 1)[1])) > 20
    for a in root.iter(f"{SVG}a"):
        if a.get(HREF):
            assert resolve(path, a.get(HREF)) in pages.values()
    assert graphs.stats.separate_pages >= 1


# -- ids, markup, determinism ------------------------------------------------------------------


def test_element_ids_are_unique_on_every_page_and_across_the_site():
    view = small_view()
    graphs = build_site_graphs(view, pages_for(view), GraphOptions())
    every = []
    for blocks in graphs.inline.values():
        ids = re.findall(r'\sid="([^"]+)"', "".join(blocks))
        assert len(ids) == len(set(ids))
        every += ids
    assert len(every) == len(set(every))


def test_the_figure_markup():
    view = small_view()
    graphs = build_site_graphs(view, pages_for(view), GraphOptions())
    block = graphs.inline[f"objective:{FAST}"][0]
    figure = ET.fromstring(block)
    assert figure.tag == "figure" and figure.get("class") == "okr-graph okr-graph--objective"
    svg = figure.find(f"div/{SVG}svg")
    assert svg is not None and "pt" not in svg.get("width") and svg.get("viewBox")
    assert figure.get("style") is None  # fitted to the column by the stylesheet alone
    caption = figure.find("figcaption")
    assert svg.get("aria-labelledby") == caption.get("id")
    assert "at risk" in "".join(caption.itertext())  # legend of the statuses shown
    assert "\n\n" not in block  # no blank line: safe inside Markdown
    # The viewer: a button hidden until the script shows it, and a closed dialog; every
    # text in the HTML (VIEWER_TEXT), none in the script.
    button = figure.find("button")
    assert button.get("class") == "okr-graph__open" and button.get("hidden") is not None
    assert button.text == VIEWER_TEXT["open"] and button.get("type") == "button"
    dialog = figure.find("dialog")
    assert dialog.get("class") == "okr-graph__viewer" and dialog.get("open") is None
    title = dialog.find(".//span[@class='okr-graph__title']")
    assert title.text == caption.text.strip()
    assert dialog.get("aria-labelledby") == title.get("id")
    actions = {b.get("data-okr-graph"): b for b in dialog.iter("button")}
    assert sorted(actions) == ["close", "reset", "zoom-in", "zoom-out"]
    assert actions["zoom-in"].get("aria-label") == VIEWER_TEXT["zoom_in"]
    assert actions["zoom-out"].get("aria-label") == VIEWER_TEXT["zoom_out"]
    assert actions["close"].text == VIEWER_TEXT["close"]
    stage = dialog.find("div[@class='okr-graph__stage']")
    assert stage.get("tabindex") == "0" and len(stage) == 0  # the script moves the drawing in
    help_text = dialog.find("p")
    assert stage.get("aria-describedby") == help_text.get("id") and help_text.text == VIEWER_TEXT["help"]
    script = (Path(mkdocs_okrs.__file__).parent / "assets" / "okrs-graphs.js").read_text(encoding="utf-8")
    code = re.sub(r"//[^\n]*", "", re.sub(r"/\*.*?\*/", "", script, flags=re.S))  # without comments
    literals = set(re.findall(r'"([^"\\\n]*)"', code))
    assert not literals & set(VIEWER_TEXT.values())


def test_output_is_deterministic():
    view = small_view()
    first = build_site_graphs(view, pages_for(view), GraphOptions())
    clear_memory_cache()
    second = build_site_graphs(view, pages_for(view), GraphOptions())
    assert second.stats.rendered == first.stats.rendered > 0
    assert first.inline == second.inline and first.extra_files == second.extra_files


# -- cache ----------------------------------------------------------------------------------------


def test_a_rebuild_renders_nothing(tmp_path):
    view = synthetic_view(80, quarters=("2026-Q4",))
    pages = pages_for(view)
    cold = build_site_graphs(view, pages, GraphOptions(cache_dir=tmp_path / "cache"))
    assert cold.stats.rendered == cold.stats.graphs > 80 and cold.stats.render_calls >= 1
    warm = build_site_graphs(view, pages, GraphOptions(cache_dir=tmp_path / "cache"))
    assert warm.stats.rendered == 0 and warm.stats.render_calls == 0
    assert warm.stats.memory_hits == warm.stats.graphs
    assert warm.inline == cold.inline
    # A new process (empty memory) reuses the disk cache.
    clear_memory_cache()
    disk = build_site_graphs(view, pages, GraphOptions(cache_dir=tmp_path / "cache"))
    assert disk.stats.rendered == 0 and disk.stats.disk_hits == disk.stats.graphs
    assert disk.inline == cold.inline
    # One changed objective renders only the graphs that show it.
    clear_memory_cache()
    changed = synthetic_view(80, quarters=("2026-Q4",))
    oid = "2026-Q4/acme/o0"
    changed.scores[oid] = type(changed.scores[oid])(0.99, 1.0, "done", "green", changed.scores[oid].krs)
    again = build_site_graphs(changed, pages, GraphOptions(cache_dir=tmp_path / "cache"))
    assert 0 < again.stats.rendered < again.stats.graphs / 2


def test_a_corrupt_disk_cache_entry_is_rendered_again(tmp_path):
    view = small_view()
    pages = pages_for(view)
    first = build_site_graphs(view, pages, GraphOptions(cache_dir=tmp_path))
    assert [p.name for p in tmp_path.iterdir()] == [DiskCache.FILE]  # one file, not one per graph
    db = sqlite3.connect(tmp_path / DiskCache.FILE)
    rows = db.execute("SELECT key, svg FROM svg ORDER BY key").fetchall()
    assert len(rows) == first.stats.graphs
    db.execute("UPDATE svg SET svg = ? WHERE key = ?", (rows[0][1][:-40], rows[0][0]))  # truncated
    db.execute("UPDATE svg SET svg = ? WHERE key = ?", (b"\xff\xfe not utf-8", rows[1][0]))
    db.commit()
    db.close()
    clear_memory_cache()
    second = build_site_graphs(view, pages, GraphOptions(cache_dir=tmp_path))
    assert second.stats.rendered == 2 and second.stats.disk_hits == first.stats.graphs - 2
    assert second.inline == first.inline
    clear_memory_cache()
    third = build_site_graphs(view, pages, GraphOptions(cache_dir=tmp_path))  # the two were stored again
    assert third.stats.rendered == 0 and third.stats.disk_hits == first.stats.graphs


def test_a_cache_file_that_is_not_a_database_is_replaced(tmp_path):
    view = small_view()
    pages = pages_for(view)
    (tmp_path / DiskCache.FILE).write_bytes(b"garbage " * 200)
    first = build_site_graphs(view, pages, GraphOptions(cache_dir=tmp_path))
    assert first.stats.rendered == first.stats.graphs and first.stats.disk_errors == 0
    clear_memory_cache()
    second = build_site_graphs(view, pages, GraphOptions(cache_dir=tmp_path))
    assert second.stats.rendered == 0 and second.inline == first.inline


def test_an_unusable_cache_folder_does_not_break_the_build(tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    view = small_view()
    graphs = build_site_graphs(view, pages_for(view), GraphOptions(cache_dir=blocker))
    assert graphs.stats.rendered == graphs.stats.graphs and graphs.stats.disk_errors == graphs.stats.graphs


def test_memory_cache_is_bounded():
    cache = MemoryCache(limit_bytes=100)
    for i in range(10):
        cache.put(f"k{i}", "x" * 30)
    assert cache.size <= 100 and len(cache) == 3
    assert cache.get("k9") is not None and cache.get("k0") is None
    assert MEMORY.limit > 0


# -- a cache written by someone else -----------------------------------------------------------

HOSTILE = [
    ("script", lambda svg: svg.replace("</svg>", "<script>window.pwned = 1</script></svg>")),
    ("javascript link", lambda svg: re.sub(r'href="[^"]*"', 'href="javascript:alert(1)"', svg, count=1)),
    ("xlink javascript link", lambda svg: svg.replace("<g ", '<a xlink:href="javascript:alert(1)"><g ', 1)
     .replace("</svg>", "</a></svg>")),
    ("event handler", lambda svg: svg.replace("<g ", '<g onmouseover="alert(1)" ', 1)),
    ("foreign object", lambda svg: svg.replace("</svg>", "<foreignObject><p>x</p></foreignObject></svg>")),
    ("another page's ids", lambda svg: re.sub(r'id="okrg-[0-9a-f]+-', 'id="okrg-0000000000-', svg)),
]


def _rewrite_rows(path, change) -> int:
    """Rewrite every cached SVG with ``change``, recomputing its checksum (as an attacker would)."""
    import hashlib

    db = sqlite3.connect(path)
    changed = 0
    for key, data in db.execute("SELECT key, svg FROM svg").fetchall():
        new = change(data.decode("utf-8")).encode("utf-8")
        if new != data:
            changed += 1
            db.execute("UPDATE svg SET svg = ?, sum = ? WHERE key = ?", (new, hashlib.sha256(new).hexdigest(), key))
    db.commit()
    db.close()
    return changed


@pytest.mark.parametrize("name, change", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_tampered_disk_cache_is_checked_discarded_and_drawn_again(tmp_path, name, change):
    view = small_view()
    pages = pages_for(view)
    first = build_site_graphs(view, pages, GraphOptions(cache_dir=tmp_path))
    rows = _rewrite_rows(tmp_path / DiskCache.FILE, change)
    clear_memory_cache()
    second = build_site_graphs(view, pages, GraphOptions(cache_dir=tmp_path))
    assert second.inline == first.inline  # what was published is what was drawn, not what was stored
    assert second.stats.rendered == rows == len(second.stats.rejected) > 0
    assert second.stats.disk_hits == second.stats.graphs - rows
    assert all(r.split(": ", 1)[0] in pages and "rendered graph" in r for r in second.stats.rejected)
    clear_memory_cache()
    third = build_site_graphs(view, pages, GraphOptions(cache_dir=tmp_path))  # the good ones were stored again
    assert third.stats.rendered == 0 and not third.stats.rejected


def test_a_tampered_memory_cache_is_checked_too(tmp_path):
    view = small_view()
    pages = pages_for(view)
    first = build_site_graphs(view, pages, GraphOptions())
    for key in list(MEMORY._data):
        MEMORY._data[key] = HOSTILE[0][1](MEMORY._data[key])
    second = build_site_graphs(view, pages, GraphOptions())
    assert second.inline == first.inline and second.stats.rendered == len(second.stats.rejected) > 0
