"""Pathological alignment shapes: a parent with 2,000 children, a chain 500 deep.

Their graphs, breadcrumbs and pages stay bounded (summary nodes, a cut chain) and
every objective stays reachable. The first tests build the graphs in memory and
render them with the real renderer; the last ones are real ``mkdocs build`` runs of
sites generated with ``scripts/gen_org.py``'s ``generate_shape``.
"""

from __future__ import annotations

import html as html_mod
import importlib.util
import random
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from mkdocs_okrs.core.publish import CHAIN_FULL, CHAIN_NEAR
from mkdocs_okrs.graphs import GraphOptions, build_site_graphs, clear_memory_cache
from mkdocs_okrs.graphs.okr_graphs import MAX_CHILDREN, GraphBuilder
from mkdocs_okrs.site import context as cx
from mkdocs_okrs.site import plan as pl
from mkdocs_okrs.site.render import make_environment, render_page
from test_graphs_support import objective, org, pages_for, synthetic_view, view_of
from test_plugin_support import build_ok, parse_page, resolve_link, write_site

SVG = "{http://www.w3.org/2000/svg}"
HREF = "{http://www.w3.org/1999/xlink}href"  # the link of an SVG <a> (see graphs/svg.py)
TOP = "2026-Q4/acme/top"
# Statuses of the 2,000 children, by index: 1,400 on track, 400 at risk, 100 off track, 100 done.
PATTERN = ["on-track"] * 14 + ["at-risk"] * 4 + ["off-track", "done"]


def _load_gen_org():
    path = Path(__file__).resolve().parent.parent / "scripts" / "gen_org.py"
    spec = importlib.util.spec_from_file_location("gen_org", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_org", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True)
def fresh_memory():
    clear_memory_cache()
    yield
    clear_memory_cache()


def wide_view(children: int = 2000, owners: int = 400):
    top = objective(TOP, "acme", statement="Become the shop people recommend")
    kids = [
        objective(f"2026-Q4/t{i % owners:03d}/c{i:04d}", f"t{i % owners:03d}", parent=TOP,
                  status=PATTERN[i % len(PATTERN)])
        for i in range(children)
    ]
    units = [("acme", "Acme Inc.", None)] + [(f"t{k:03d}", f"Team {k}", "acme") for k in range(owners)]
    return view_of([top, *kids], org(*units))


def chain_id(level: int) -> str:
    return f"2026-Q4/chain/o{level:03d}"


def deep_view(depth: int = 500, per_unit: int = 5):
    objectives = [
        objective(chain_id(i), f"u{(i - 1) // per_unit:03d}", parent=chain_id(i - 1) if i > 1 else None,
                  statement=f"Level {i} of the chain")
        for i in range(1, depth + 1)
    ]
    return view_of(objectives)


def summaries(graph) -> list:
    return [n for n in graph.nodes if "okr-node-summary" in n.classes]


# -- objective graphs ---------------------------------------------------------------


def test_a_parent_of_2000_children_draws_30_of_them_and_a_summary_node():
    view = wide_view()
    pages = pages_for(view)
    (figure,) = GraphBuilder(view, pages, 150).figures(f"objective:{TOP}")
    nodes = figure.graph.nodes
    assert len(nodes) == 1 + MAX_CHILDREN  # the parent, 29 children, the summary
    (summary,) = summaries(figure.graph)
    children = [n.key for n in nodes if n.key not in (TOP, summary.key)]
    # Those that need attention first: the 100 off-track ones are more than fit.
    assert len(children) == MAX_CHILDREN - 1
    assert all(view.scores[c].status == "off-track" for c in children)
    assert children == sorted(children)
    hidden = [c for c in view.children[TOP] if c not in children]
    assert summary.label.title == (f"{len(hidden):,} more objectives",) == ("1,971 more objectives",)
    counts = Counter(view.scores[c].status for c in hidden)
    assert counts == {"on-track": 1400, "at-risk": 400, "off-track": 71, "done": 100}
    # The three largest counts on the node, all of them in its tooltip.
    assert summary.label.meta == "1,400 on track \u00b7 400 at risk \u00b7 100 done \u00b7 71 other"
    assert "1,400 on track, 400 at risk, 71 off track, 100 done" in summary.tooltip[0]
    assert summary.href == pages[f"objective:{TOP}"] + "#okr-children"
    assert summary.dashed and not any(c.startswith("okr-status-") for c in summary.classes)
    (edge,) = [e for e in figure.graph.edges if e.tail == summary.key]
    assert edge.head == TOP and "okr-edge-summary" in edge.classes


def test_the_wide_graph_is_drawn_inline_and_its_summary_links_to_the_list_of_children():
    view = wide_view()
    pages = pages_for(view)
    graphs = build_site_graphs(view, pages, GraphOptions(max_nodes=150))  # the real renderer
    (block,) = graphs.inline[f"objective:{TOP}"]
    assert "<svg" in block and not graphs.extra_files  # nothing too large to show
    svg = ET.fromstring(block[block.index("<svg"):block.index("</svg>") + 6])
    nodes = [g for g in svg.iter(f"{SVG}g") if "okr-node" in g.get("class", "")]
    assert len(nodes) == 1 + MAX_CHILDREN
    (summary,) = [g for g in nodes if "okr-node-summary" in g.get("class", "")]
    texts = ["".join(t.itertext()) for t in summary.iter(f"{SVG}text")]
    assert "1,971 more objectives" in texts
    (link,) = [a.get(HREF) for a in summary.iter(f"{SVG}a")]
    assert link == "./#okr-children"  # the list on the parent's own page
    # On a child's page the graph is small: the child and its parent.
    (child_block,) = graphs.inline["objective:2026-Q4/t001/c0001"]
    assert child_block.count('class="node okr-node') == 2


def test_a_deep_chain_shows_its_top_a_summary_and_the_three_nearest():
    view = deep_view()
    pages = pages_for(view)
    builder = GraphBuilder(view, pages, 150)
    (figure,) = builder.figures(f"objective:{chain_id(500)}")
    keys = [n.key for n in figure.graph.nodes]
    summary_key = f"chain:{chain_id(497)}"
    assert keys == [chain_id(1), summary_key, chain_id(497), chain_id(498), chain_id(499), chain_id(500)]
    summary = figure.graph.nodes[1]
    assert summary.label.title == ("\u2026 495 objectives in between",)
    assert summary.href == pages[f"objective:{chain_id(496)}"]  # the next one up
    assert "Level 1 of the chain" in summary.tooltip[0] and "Level 496 of the chain" in summary.tooltip[1]
    edges = {(e.tail, e.head) for e in figure.graph.edges}
    assert edges == {
        (chain_id(497), summary_key), (summary_key, chain_id(1)),
        (chain_id(498), chain_id(497)), (chain_id(499), chain_id(498)), (chain_id(500), chain_id(499)),
    }
    # Every objective graph of the chain is bounded: at most 5 above, 1 child below.
    for level in range(1, 501):
        (fig,) = builder.figures(f"objective:{chain_id(level)}")
        assert len(fig.graph.nodes) <= CHAIN_FULL + 2
        assert fig.graph.nodes[0].key == chain_id(1)  # the top is always named
    # Up to five ancestors are drawn in full; from six on, the chain is cut.
    (five,) = builder.figures(f"objective:{chain_id(6)}")
    assert [n.key for n in five.graph.nodes] == [chain_id(i) for i in range(1, 8)]
    (six,) = builder.figures(f"objective:{chain_id(7)}")
    assert [n.label.title for n in summaries(six.graph)] == [("\u2026 2 objectives in between",)]


@pytest.mark.parametrize("seed", range(5))
def test_ancestor_chain_agrees_with_the_full_walk(seed):
    rng = random.Random(seed)
    ids = [f"2026-Q4/u/o{i:03d}" for i in range(120)]
    objectives = []
    for i, oid in enumerate(ids):
        r = rng.random()
        # mostly deep chains and trees; some private objectives and some loops (invalid,
        # but the published view must not hang or crash on them)
        parent = ids[i - 1] if r < 0.6 and i else rng.choice(ids) if r < 0.75 else None
        objectives.append(objective(oid, "u", parent=parent, private=rng.random() < 0.05))
    view = view_of(objectives)
    for oid in view.objectives:
        full = view.ancestors(oid)
        assert view.depth(oid) == len(full)
        shown, hidden = view.ancestor_chain(oid)
        if len(full) <= CHAIN_FULL:
            assert (shown, hidden) == (list(reversed(full)), 0)
        else:
            assert shown == [full[-1], *reversed(full[:CHAIN_NEAR])]
            assert hidden == len(full) - CHAIN_NEAR - 1


# -- unit graphs ---------------------------------------------------------------------------


def test_unit_graphs_summarize_a_wide_parent():
    view = wide_view(owners=1)  # one unit owns all 2,000
    builder = GraphBuilder(view, pages_for(view), 150)
    (figure,) = builder.figures("unit:t000")
    (summary,) = summaries(figure.graph)
    assert len(figure.graph.nodes) == 1 + MAX_CHILDREN
    assert summary.label.title == ("1,971 more objectives",)
    assert summary.label.meta.startswith("1,400 on track \u00b7 400 at risk")
    # With 400 owners, each unit's graph shows its own five and the parent.
    view = wide_view()
    (figure,) = GraphBuilder(view, pages_for(view), 150).figures("unit:t000")
    assert len(figure.graph.nodes) == 6 and not summaries(figure.graph)


def test_unit_graphs_cut_a_deep_chain_but_keep_the_units_objectives():
    view = deep_view()
    builder = GraphBuilder(view, pages_for(view), 150)
    # Unit u050 owns levels 251 to 255: all drawn, with the three above and the top.
    (unit,) = builder.figures("unit:u050")
    drawn = {n.key for n in unit.graph.nodes}
    assert {chain_id(i) for i in range(248, 256)} | {chain_id(1)} <= drawn
    (summary,) = summaries(unit.graph)
    assert summary.label.title == ("\u2026 246 objectives in between",)
    assert len(unit.graph.nodes) == 10
    # A unit that owns the whole chain: the top, the last four, one summary between.
    (whole,) = GraphBuilder(deep_view(per_unit=500), pages_for(deep_view(per_unit=500)), 150).figures("unit:u000")
    assert [n.key for n in whole.graph.nodes] == [
        chain_id(1), chain_id(497), chain_id(498), chain_id(499), chain_id(500), f"chain:{chain_id(497)}"]
    # Seven of the unit's own in a row, below 40 others: its first and last four stay.
    seven = view_of([
        objective(chain_id(i), "top" if i <= 40 else "unit", parent=chain_id(i - 1) if i > 1 else None)
        for i in range(1, 48)
    ])
    (part,) = GraphBuilder(seven, pages_for(seven), 150).figures("unit:unit")
    drawn = [n.key for n in part.graph.nodes if "okr-node-summary" not in n.classes]
    assert drawn == [chain_id(i) for i in (41, 44, 45, 46, 47, 1, 38, 39, 40)]
    assert sorted(n.label.title[0] for n in summaries(part.graph)) == [
        "\u2026 2 objectives in between", "\u2026 36 objectives in between"]
    # Every graph refers only to nodes it draws.
    for figure in (unit, whole, part):
        keys = {n.key for n in figure.graph.nodes}
        assert all(e.tail in keys and e.head in keys for e in figure.graph.edges)


def test_a_branching_point_keeps_the_three_above_it_wherever_it_sorts():
    # The chain z00 <- ... <- z09 <- zz ends in a branching point, below which two leaves
    # sort before everything else: zz is kept, and so are the three above it.
    ids = [f"2026-Q4/u/z{i:02d}" for i in range(10)] + ["2026-Q4/u/zz"]
    objectives = [objective(oid, "u", parent=ids[i - 1] if i else None) for i, oid in enumerate(ids)]
    objectives += [objective(f"2026-Q4/u/{leaf}", "u", parent=ids[-1]) for leaf in ("a", "b")]
    view = view_of(objectives)
    (figure,) = GraphBuilder(view, pages_for(view), 150).figures("unit:u")
    drawn = [n.key.rpartition("/")[2] for n in figure.graph.nodes if "okr-node-summary" not in n.classes]
    assert drawn == ["a", "b", "z00", "z07", "z08", "z09", "zz"]
    assert [n.label.title for n in summaries(figure.graph)] == [("\u2026 6 objectives in between",)]


def test_an_ordinary_organization_has_no_summary_node():
    view = synthetic_view(1000)
    pages = pages_for(view)
    builder = GraphBuilder(view, pages, 150)
    for key in sorted(pages):
        for figure in builder.figures(key):
            assert not summaries(figure.graph), key


# -- page contexts -------------------------------------------------------------------


def test_the_breadcrumb_of_a_deep_objective_is_bounded_and_names_the_top():
    view = deep_view()
    plan = pl.plan_site(view, "okrs")
    index = cx.build_index(view, plan, plan.urls(True))
    env = make_environment()
    crumbs = {}
    for level in (3, 6, 7, 100, 200, 500):
        ctx = cx.objective_context(index, chain_id(level))
        ids = [a["id"] for a in ctx["chain"]]
        assert len(ids) == min(level - 1, CHAIN_FULL if level <= CHAIN_FULL + 1 else CHAIN_NEAR + 1)
        assert ids[-1] == chain_id(level - 1) and ids[0] == chain_id(1)
        html = render_page(env, "objective", ctx)
        crumbs[level] = re.search(r'<nav class="okr-breadcrumb".*?</nav>', html, re.S).group(0)
    ctx = cx.objective_context(index, chain_id(500))
    assert ctx["chain_gap"]["count"] == 495 and ctx["chain_gap"]["id"] == chain_id(496)
    assert "\u2026 495 objectives" in crumbs[500] and 'href="../o496/"' in crumbs[500]
    assert "Level 1 of the chain" in crumbs[500]
    assert "okr-breadcrumb__gap" not in crumbs[6] and "\u2026 2 objectives" in crumbs[7]
    assert len(crumbs[500]) == len(crumbs[200])  # the same size at any depth


def test_the_period_tree_indents_at_most_12_levels():
    view = deep_view(40)
    plan = pl.plan_site(view, "okrs")
    index = cx.build_index(view, plan, plan.urls(True))
    ctx = cx.period_context(index, "2026-Q4")
    assert [r["indent"] for r in ctx["tree"]] == [min(d, 12) for d in range(40)]
    html = render_page(make_environment(), "period", ctx)
    assert html.count('data-okr-depth="') == 40 and "--okr-depth: 13" not in html
    assert "level 39 of the alignment tree" in html


# -- real builds -----------------------------------------------------------------------


@pytest.mark.parametrize("shape", ["wide", "deep", "deep-wide"])
def test_generated_shapes_are_clean_and_as_asked(tmp_path: Path, shape: str):
    from mkdocs_okrs.core.loader import load_okrs
    from mkdocs_okrs.core.model import Settings
    from mkdocs_okrs.core.publish import public_view

    gen_org = _load_gen_org()
    stats = gen_org.generate_shape(tmp_path / "okrs", shape, children=12, depth=10)
    okrs = load_okrs(tmp_path / "okrs", Settings(today=gen_org.DEFAULT_TODAY), display_base=tmp_path)
    assert okrs.ok and not okrs.diagnostics, [d.format_text() for d in okrs.diagnostics]
    view = public_view(okrs)
    assert len(view.objectives) == stats.objectives == {"wide": 13, "deep": 10, "deep-wide": 10 * 13}[shape]
    depth = max(view.depth(oid) for oid in view.objectives)
    widest = max(len(kids) for kids in view.children.values())
    assert (depth, widest) == {"wide": (1, 12), "deep": (9, 1), "deep-wide": (10, 13)}[shape]
    assert len({view.scores[oid].status for oid in view.objectives}) == 3  # on track, at risk, off track


def shape_site(root: Path, shape: str, **args) -> Path:
    """A site whose OKR root is a ``generate_shape`` organization, built with graphs on."""
    gen_org = _load_gen_org()
    write_site(root, {}, org=None, options={"graphs": True, "today": gen_org.DEFAULT_TODAY.isoformat()})
    gen_org.generate_shape(root / "okrs", shape, **args)
    return build_ok(root)


def graph_nodes(html: str) -> list[str]:
    return re.findall(r'<g id="[^"]+" class="node (okr-node[^"]*)"', html)


@pytest.mark.slow
def test_a_built_site_with_a_parent_of_2000_children(tmp_path: Path):
    site = shape_site(tmp_path, "wide", children=2000)
    objectives = site / "okrs" / "objectives" / "2026-Q4"
    parent_page = objectives / "acme" / "north-star" / "index.html"
    html = parent_page.read_text(encoding="utf-8")
    assert "okr-graph--separate" not in html and not (site / "okrs" / "graphs").exists()
    nodes = graph_nodes(html)
    assert len(nodes) == 1 + MAX_CHILDREN
    assert sum("okr-node-summary" in n for n in nodes) == 1
    m = re.search(r'class="node okr-node okr-node-summary">.*?<a xlink:href="([^"]+)".*?</a>', html, re.S)
    assert "1,971 more objectives" in m.group(0)
    target, fragment = resolve_link(site, parent_page, m.group(1))
    assert (target, fragment) == (parent_page, "okr-children") and "okr-children" in parse_page(parent_page).ids
    # The list it links to names every child; every child has its page, listing its parent.
    listed = re.search(r'<ul class="okr-list" id="okr-children".*?</ul>', html, re.S).group(0)
    assert listed.count('<li class="okr-item"') == 2000
    pages = sorted((objectives / "teams").glob("c*/index.html"))
    assert len(pages) == 2000
    for page in pages:
        text = page.read_text(encoding="utf-8")
        alignment = text[text.index('id="okr-alignment"'):]
        assert 'data-okr-id="2026-Q4/acme/north-star">Become the company everyone recommends</a>' in alignment
    period = (site / "okrs" / "periods" / "2026-Q4" / "index.html").read_text(encoding="utf-8")
    assert not graph_nodes(period) and period.count('class="okr-item okr-tree__item"') == 2001


@pytest.mark.slow
def test_a_built_site_with_a_chain_500_deep(tmp_path: Path):
    site = shape_site(tmp_path, "deep", depth=500)
    chain = site / "okrs" / "objectives" / "2026-Q4" / "chain"
    page = chain / "d0500" / "index.html"
    html = page.read_text(encoding="utf-8")
    nodes = graph_nodes(html)
    assert len(nodes) == CHAIN_NEAR + 3  # the top, the summary, the three nearest, itself
    m = re.search(r'class="node okr-node okr-node-summary">.*?<a xlink:href="([^"]+)".*?</a>', html, re.S)
    assert "\u2026 495 objectives in between" in m.group(0)
    assert resolve_link(site, page, m.group(1))[0] == chain / "d0496" / "index.html"
    crumb = html_mod.unescape(re.search(r'<nav class="okr-breadcrumb".*?</nav>', html, re.S).group(0))
    assert 'data-okr-id="2026-Q4/chain/d0001"' in crumb  # the top of the chain, named
    assert "\u2026 495 objectives" in crumb and crumb.count("<a ") == 2 + 1 + 1 + CHAIN_NEAR
    # A page's size does not grow with the depth of its chain.
    sizes = [len((chain / f"d{level:04d}" / "index.html").read_text(encoding="utf-8")) for level in (50, 250, 499)]
    assert max(sizes) - min(sizes) < 0.03 * min(sizes)
    period = (site / "okrs" / "periods" / "2026-Q4" / "index.html").read_text(encoding="utf-8")
    assert not graph_nodes(period) and period.count('class="okr-item okr-tree__item"') == 500
