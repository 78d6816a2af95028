"""Hostile text in graphs: DOT stays well-formed, the SVG carries no script or foreign link,
and every renderer shows the text exactly as written (cleaned of control characters)."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from urllib.parse import urljoin

import pytest

from mkdocs_okrs.core.model import KeyResult
from mkdocs_okrs.graphs import GraphError, GraphOptions, build_site_graphs, clear_memory_cache
from mkdocs_okrs.graphs.dot import Edge, Graph, Label, Node, html_text, to_dot, token, tooltip_string
from mkdocs_okrs.graphs.okr_graphs import EDGE_WRAP_WIDTH, WRAP_LINES, WRAP_WIDTH
from mkdocs_okrs.graphs.svg import check_svg, clean_svg
from mkdocs_okrs.graphs.text import clean_text, truncate, wrap
from test_graphs_support import HOSTILE, RENDERERS, pages_for, renderer_or_skip, small_view

SVG = "{http://www.w3.org/2000/svg}"
TARGET = "2026-Q4/web/fast"


# -- the escaping functions ------------------------------------------------------------


def test_clean_text_drops_controls_and_bidi_overrides_and_joins_lines():
    assert clean_text("a\nb\r\nc\td") == "a b c d"
    assert clean_text("x\x00\x01\x1b\x7f\x9f\u202e\u2066\ufeffy") == "xy"
    assert clean_text("next\x85line\u2028sep") == "next line sep"
    assert clean_text("  many   spaces  ") == "many spaces"
    assert clean_text("lone \ud800 surrogate") == "lone surrogate"


def test_html_text_escapes_markup_and_backslashes():
    assert html_text('<b>"x"</b> & \\N') == "&lt;b&gt;&quot;x&quot;&lt;/b&gt; &amp; \\\\N"


def test_tooltip_string_doubles_backslashes_twice_and_escapes_quotes():
    # Graphviz unescapes tooltips twice: one backslash is written as four.
    assert tooltip_string(['a "b" \\N & c']) == '"a \\"b\\" \\\\\\\\N &amp; c"'
    assert tooltip_string(["one", "two"]) == '"one\\ntwo"'
    assert tooltip_string(["end\\"]) == '"end\\\\\\\\"'


def test_token_refuses_anything_but_plain_values():
    assert token("okrs/objectives/a/") == '"okrs/objectives/a/"'
    for bad in ['a"b', "a\\b", "a\nb", "<b>", "a b\tc"]:
        with pytest.raises(ValueError):
            token(bad)


def test_wrap_limits_lines_and_marks_cuts():
    lines = wrap("Make checkout feel instant for every customer in every market we serve, on every device", 28, 3)
    assert len(lines) == 3 and all(len(line) <= 28 for line in lines)
    assert lines[-1].endswith("\u2026")
    assert wrap("short", 28, 3) == ["short"]
    assert wrap("x" * 100, 28, 3)[0] == "x" * 28
    assert wrap("", 28, 3) == [""]


def test_wrap_without_a_line_limit_keeps_every_character():
    title = "Cut the p95 latency of checkout pages below 200 ms in every market, " * 5
    lines = wrap(clean_text(title), 24)
    assert len(lines) > 10 and all(len(line) <= 24 for line in lines)
    assert " ".join(lines) == clean_text(title) and "\u2026" not in "".join(lines)
    assert wrap("x" * 60, 24) == ["x" * 24, "x" * 24, "x" * 12]  # a long word: cut over lines, kept


def _strip_html_labels(dot: str) -> str:
    """``dot`` with every ``<...>`` label emptied (balanced brackets, as Graphviz reads them)."""
    out, i = [], 0
    while (start := dot.find("=<", i)) >= 0:
        out.append(dot[i : start + 2])
        depth, j = 1, start + 2
        while depth:
            depth += {"<": 1, ">": -1}.get(dot[j], 0)
            j += 1
        out.append(">")
        i = j
    return "".join(out) + dot[i:]


def test_dot_only_has_our_attribute_names():
    node = Node("a", Label((HOSTILE[5],), HOSTILE[6]), tooltip=(HOSTILE[5],), href="x/", classes=("okr-node",))
    edge = Edge("a", "a", label=(HOSTILE[6], HOSTILE[5]), tooltip=(HOSTILE[4],))
    dot = to_dot(Graph((node,), (edge,)), "p0", lambda url: url)
    # Outside quoted strings and <...> labels, only our own names appear.
    skeleton = _strip_html_labels(re.sub(r'"(?:[^"\\]|\\.)*"', '""', dot))
    names = set(re.findall(r"([A-Za-z_]+)=", skeleton))
    assert names <= {"id", "rankdir", "bgcolor", "nodesep", "ranksep", "pad", "fontname", "shape", "style",
                     "fontsize", "margin", "penwidth", "fontcolor", "color", "arrowsize", "label",
                     "fillcolor", "class", "tooltip", "href", "target", "width"}
    assert "URL" not in skeleton and "javascript" not in skeleton


# -- hostile text through every renderer -------------------------------------------------


def _texts(el) -> list[str]:
    texts = ["".join(t.itertext()) for t in el.iter(f"{SVG}text")]
    return [t for t in texts if t.strip()]  # not the spacer line


def _render(renderer: str, text: str):
    clear_memory_cache()
    view = small_view(
        {TARGET: text, "2026-Q4/acme/grow": text}, unit_names={"web": text}
    )
    pages = pages_for(view)
    graphs = build_site_graphs(view, pages, GraphOptions(renderer=renderer))
    return view, pages, graphs


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("text", HOSTILE, ids=[f"hostile{i}" for i in range(len(HOSTILE))])
def test_hostile_text_renders_safely_and_literally(renderer, text):
    renderer_or_skip(renderer)
    view, pages, graphs = _render(renderer, text)
    expected_statement = clean_text(text)
    expected_lines = wrap(expected_statement, WRAP_WIDTH, WRAP_LINES)
    page_urls = set(pages.values())
    for key, blocks in graphs.inline.items():
        for block in blocks:
            root = ET.fromstring(block)  # well-formed XML: nothing broke out of a string
            tags = {el.tag.rpartition("}")[2] for el in root.iter()}
            assert not tags & {"script", "foreignObject", "image", "iframe", "style", "use"}
            for el in root.iter():
                for name, value in el.attrib.items():
                    assert not name.rpartition("}")[2].lower().startswith("on")
                    if name.endswith("href"):  # every link leads to one of our pages
                        assert urljoin("http://site/" + pages[key], value)[len("http://site/"):] in page_urls

    # The objective page: the current node shows the statement exactly, wrapped.
    block = graphs.inline[f"objective:{TARGET}"][0]
    root = ET.fromstring(block)
    current = next(g for g in root.iter(f"{SVG}g") if "okr-node-current" in g.get("class", ""))
    texts = _texts(current)
    assert texts[: len(expected_lines)] == expected_lines
    title = "".join(next(current.iter(f"{SVG}title")).itertext())
    assert title.split("\n")[0] == truncate(expected_statement, 400)
    # The hostile unit name is shown as text too (meta line of the current node).
    assert texts[-1].startswith(truncate(clean_text(text), 28)) or not clean_text(text)


@pytest.mark.parametrize("renderer", RENDERERS)
def test_hostile_kr_title_on_the_alignment_edge(renderer):
    renderer_or_skip(renderer)
    clear_memory_cache()
    evil = '</text><script>alert(1)</script> \\N "q"'
    view = small_view()
    grow = view.objectives["2026-Q4/acme/grow"]
    krs = (KeyResult(id="p95", index=0, title=evil, kind="milestone", done=True),)
    view.objectives[grow.id] = dataclasses.replace(grow, key_results=krs)
    graphs = build_site_graphs(view, pages_for(view), GraphOptions(renderer=renderer))
    root = ET.fromstring(graphs.inline[f"objective:{TARGET}"][0])
    edge = next(g for g in root.iter(f"{SVG}g") if "okr-edge-kr" in g.get("class", ""))
    # The KR's title, escaped, wrapped over lines, nothing cut; its id is in the tooltip.
    assert _texts(edge) == wrap(clean_text(evil), EDGE_WRAP_WIDTH)
    assert "".join(_texts(edge)) == clean_text(evil)  # (the break is inside the long first word)
    title = "".join(next(edge.iter(f"{SVG}title")).itertext())
    assert title.startswith("Aligns to key result p95 of")
    assert "script" not in {el.tag.rpartition("}")[2] for el in root.iter()}


# -- the output check refuses what we did not ask for --------------------------------------

_GOOD = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" class="okr-graph__svg" '
    'width="10" height="10" viewBox="0 0 10 10">\n<g id="p" class="graph">\n'
    '<g id="p-n0" class="node"><g id="a_p-n0"><a href="x/" target="_top"><title>t</title>\n'
    '<text x="1" y="1">a = b</text>\n</a></g></g>\n</g>\n</svg>'
)


def test_check_svg_accepts_what_we_emit():
    check_svg(_GOOD, "p", {"x/"})


@pytest.mark.parametrize(
    "bad",
    [
        _GOOD.replace("<text", "<script>alert(1)</script><text"),
        _GOOD.replace('href="x/"', 'href="javascript:alert(1)"'),
        _GOOD.replace('<text x="1"', '<text onclick="alert(1)" x="1"'),
        _GOOD.replace('<text x="1"', "<text onclick=alert(1) x=\"1\""),
        _GOOD.replace('<text x="1"', '<text style="fill:url(#x)" x="1"'),
        _GOOD.replace('id="p-n0"', 'id="other"'),
        _GOOD.replace('id="a_p-n0"', 'id="p-n0"'),
        _GOOD.replace("<text", "<foreignObject/><text"),
        _GOOD.replace("<text", "<!-- x --><text"),
        _GOOD.replace('xmlns:xlink="http://www.w3.org/1999/xlink"', 'xmlns:xlink="http://evil"'),
    ],
)
def test_check_svg_refuses_anything_else(bad):
    with pytest.raises(GraphError):
        check_svg(bad, "p", {"x/"})


def test_clean_svg_moves_tooltips_into_titles_and_drops_graphviz_noise():
    raw = (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"\n'
        ' "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<!-- Generated by graphviz -->\n'
        '<svg width="75pt" height="30pt"\n viewBox="0.00 0.00 75.00 30.00" xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink">\n<g id="page0,1_p" class="graph">\n<title>okr</title>\n'
        '<!-- n0 -->\n<g id="p&#45;n0" class="node okr&#45;node">\n<title>n0</title>\n'
        '<g id="a_p&#45;n0"><a xlink:href="x/" xlink:title="A &lt;b&gt; &quot;q&quot;" target="_top">\n'
        "<text>hi</text>\n</a>\n</g>\n</g>\n</g>\n</svg>\n"
    )
    svg = clean_svg(raw)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert 'width="100" height="40" viewBox="0.00 0.00 75.00 30.00"' in svg
    assert "<!--" not in svg and "DOCTYPE" not in svg and "<title>n0</title>" not in svg
    assert '<a xlink:href="x/" target="_top"><title>A &lt;b&gt; &quot;q&quot;</title>' in svg
    assert 'id="p"' in svg and 'class="node okr-node"' in svg
    check_svg(svg, "p", {"x/"})
    assert clean_svg(raw) == svg  # deterministic


# -- why our own DOT writer (docs/decisions.md) ---------------------------------------------


@pytest.mark.parametrize("title, expanded", [("Ship \\N now", "Ship n0 now"), ("Grow \\G fast", "Grow %3 fast")])
def test_the_graphviz_package_leaves_escapes_live_our_writer_does_not(title, expanded):
    """The ``graphviz`` package's quoting keeps backslash escapes live, so a title becomes
    the node's or the graph's name; our writer shows the title as written."""
    import subprocess

    graphviz = pytest.importorskip("graphviz")
    renderer_or_skip("dot")

    def texts(dot: str) -> list[str]:
        svg = subprocess.run(["dot", "-Tsvg"], input=dot.encode(), capture_output=True, check=True).stdout.decode()
        return [t.text for t in ET.fromstring(svg).iter(f"{SVG}text") if t.text]

    theirs = graphviz.Digraph()
    theirs.node("n0", label=title)
    assert texts(theirs.source) == [expanded]
    ours = to_dot(Graph((Node("a", Label((title,))),)), "okrg-x", lambda url: url)
    assert texts(ours) == [title]
