"""Label widths computed from Arial's metrics, and ``dot`` run without its text-layout plugins.

The widths are checked against the real fonts through the real ``dot`` with Pango
(fontconfig maps Arial to Liberation Sans, which CI installs); the text-free
configuration against the real Graphviz installation; the routing through wrapper
scripts in front of the real ``dot`` that log each run's ``GVBINDIR``.
"""

from __future__ import annotations

import html
import multiprocessing
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from mkdocs_okrs.graphs import GraphOptions, build_site_graphs, clear_memory_cache
from mkdocs_okrs.graphs import gvconfig
from mkdocs_okrs.graphs.dot import MARGIN_X, MIN_NODE_WIDTH, TITLE_SIZE, Edge, Graph, Label, Node, measurable_labels, to_dot
from mkdocs_okrs.graphs.renderers import CommandRenderer, find_renderer
from mkdocs_okrs.graphs.textmetrics import BOLD, CHARS, REGULAR, measurable, text_width
from test_graphs_renderers import PATH0, log_lines, wrapper
from test_graphs_support import pages_for, renderer_or_skip, small_view

ALPHABET = "the quick brown fox jumps over a lazy dog"


def _dot() -> CommandRenderer:
    renderer_or_skip("dot")
    renderer = find_renderer("dot", path=PATH0)
    assert isinstance(renderer, CommandRenderer)
    return renderer


def _node_width(svg: str) -> float:
    """Width in points of the first node's outline in a Graphviz SVG."""
    path = re.search(r'<g id="[^"]*n0" class="node.*?<path[^>]* d="([^"]+)"', svg, re.S)
    assert path, svg[:500]
    xs = [float(x) for x in re.findall(r"(-?[\d.]+),-?[\d.]+", path.group(1))]
    return max(xs) - min(xs)


def _one_node(title: str, meta: str = "") -> str:
    return to_dot(Graph((Node("a", Label((title,), meta)),)), "p", lambda url: url)


def _liberation_installed() -> bool:
    try:
        out = subprocess.run(["fc-match", "Arial:bold"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "Liberation" in out or "Arial" in out


# -- the tables ----------------------------------------------------------------------------


def test_tables_cover_printable_ascii_and_our_separators():
    assert len(CHARS) == len(REGULAR) == len(BOLD) == 97
    assert all(measurable(c) for c in map(chr, range(32, 127)))
    assert measurable("Acme \u00b7 39% \u00b7 off track\u2026")
    for text in ("Caf\u00e9", "\u65e5\u672c", "tab\there", "\u201cquoted\u201d"):
        assert not measurable(text)
        assert text_width(text, 11) is None


def test_text_width_adds_advances_and_bold_is_wider():
    assert text_width("", 11) == 0
    assert text_width("i", 10) == pytest.approx(2.23)  # 223 thousandths of an em
    assert text_width("W", 10, bold=True) == pytest.approx(9.44)
    assert text_width(ALPHABET, 11, bold=True) > text_width(ALPHABET, 11) * 1.04


def test_label_width_is_the_widest_line_plus_margins_and_at_least_the_default():
    label = Label(("Make checkout", "feel instant"), "Web Platform \u00b7 42% \u00b7 on track")
    lines = [text_width("Make checkout", 11, True), text_width("feel instant", 11, True),
             text_width("Web Platform \u00b7 42% \u00b7 on track", 9)]
    assert label.min_width() == pytest.approx((max(lines) + 2 * MARGIN_X * 72) / 72)
    assert Label(("Hi",)).min_width() == MIN_NODE_WIDTH
    assert Label(("Caf\u00e9",)).min_width() is None
    assert ' width="' in _one_node("Make checkout")
    assert ' width="' not in _one_node("Caf\u00e9 au lait")


def test_a_graph_is_measured_only_when_every_label_is():
    plain = Node("a", Label(("Grow",), "Acme"), tooltip=("\u201cGrow\u201d \u2014 tooltips are not drawn",))
    other = Node("b", Label(("Ship",)))
    assert measurable_labels(Graph((plain, other), (Edge("b", "a", label="KR kr1: Revenue"),)))
    assert not measurable_labels(Graph((plain, Node("b", Label(("Sch\u00f6n",)))),))
    assert not measurable_labels(Graph((plain, other), (Edge("b", "a", label="KR kr1: Umsatz \u20ac"),)))


def test_the_tables_match_the_fonts_pango_measures():
    """dot with Pango sizes a bold title in Liberation Sans Bold (Arial's metrics): our
    width for it is Graphviz's to the point, or up to 3 points wider where Pango kerns
    pairs such as "AV" (we add advances only: never narrower than the text)."""
    renderer = _dot()
    if not _liberation_installed():
        pytest.skip("fontconfig has no Arial-compatible font (install fonts-liberation)")
    for title in (ALPHABET[:25], "WAVE of 2026-Q4: 100% (done)", "iiii llll ffff jjjj"):
        dot = _one_node(title).replace(' width="', ' widthx="')  # Graphviz's own measure only
        svg = renderer.render_batch([dot], 60)[0]
        ours = text_width(title, TITLE_SIZE, bold=True) + 2 * MARGIN_X * 72
        assert -3.0 <= _node_width(svg) - ours <= 1.0, (title, _node_width(svg), ours)


def test_every_width_in_the_tables_matches_pango_within_two_percent():
    """Each character repeated 20 times at 100 points, regular and bold, measured by dot
    with Pango (which rounds each advance to whole pixels: hence the 2%). Left out:
    the space (collapsed), the backslash (an escape in DOT) and f (Pango joins "ff")."""
    renderer = _dot()
    if not _liberation_installed():
        pytest.skip("fontconfig has no Arial-compatible font (install fonts-liberation)")
    nodes = []
    for k, char in enumerate(CHARS):
        if char not in " \\f":
            text = html.escape(char * 20, quote=True)
            nodes += [f"r{k} [label=<{text}>]", f"b{k} [label=<<B>{text}</B>>]"]
    dot = ('digraph { node [shape=box fontname="Arial" fontsize=100 margin=0 width=0.01 height=0.01]\n'
           + "\n".join(nodes) + "\n}\n")
    svg = renderer.render_batch([dot], 60)[0]
    found = re.findall(r'<title>([rb])(\d+)</title>\s*<polygon[^>]*points="([^"]+)"', svg)
    assert len(found) == len(nodes)
    for weight, k, points in found:
        xs = [float(x) for x in re.findall(r"(-?[\d.]+),-?[\d.]+", points)]
        table = (REGULAR if weight == "r" else BOLD)[int(k)]
        assert abs((max(xs) - min(xs)) / 2 - table) <= 0.02 * table, (weight, CHARS[int(k)], table, max(xs) - min(xs))


# -- Graphviz without text layout ------------------------------------------------------------

CONFIG = """# generated by dot -c

libgvplugin_core.so.6 core {
\trender {
\t\tsvg 1
\t}
}
libgvplugin_gd.so.6 gd {
\ttextlayout {
\t\ttextlayout 2
\t}
\tloadimage {
#FAILS\t\tgd:lasi 1
\t\tgd:gd 1
\t}
}
/opt/gv/libgvplugin_dot_layout.so.6 dot_layout {
\tlayout {
\t\tdot 0
\t}
}
libgvplugin_pango.so.6 cairo {
\ttextlayout {
\t\ttextlayout 10
\t}
}
"""


def test_the_copy_of_the_configuration_drops_text_layout_libraries_and_keeps_the_rest():
    copy = gvconfig.without_text_layout(CONFIG, Path("/usr/lib/graphviz"))
    assert copy is not None
    libraries = [line.split()[:2] for line in copy.splitlines() if not line.startswith(("\t", "#", "}"))]
    assert libraries == [["/usr/lib/graphviz/libgvplugin_core.so.6", "core"],
                         ["/opt/gv/libgvplugin_dot_layout.so.6", "dot_layout"]]
    assert "textlayout" not in copy and "\t\tsvg 1\n" in copy and "\t\tdot 0\n" in copy


@pytest.mark.parametrize("config", ["", "not a configuration\n", "lib core {\n\trender {\n", "a b c d {\n}\n",
                                    "lib core {\n}\n}\n", "lib cairo {\n\ttextlayout {\n\t}\n}\n"])
def test_a_configuration_it_cannot_read_gives_none(config):
    assert gvconfig.without_text_layout(config, Path("/x")) is None


def test_dot_under_the_private_folder_has_no_text_layout_and_honours_our_widths():
    renderer = _dot()
    folder = renderer.text_free
    assert folder is not None, "Graphviz's configuration could not be copied"
    assert renderer.version.endswith(", built-in text metrics")
    env = dict(os.environ, GVBINDIR=folder)
    verbose = subprocess.run([renderer.executable, "-v", "-Tsvg"], input=b"digraph{a}", env=env,
                             capture_output=True, timeout=60).stderr.decode()
    assert gvconfig.config_path(verbose).parent == Path(folder)
    assert not re.search(r"^\s*textlayout[ \t]*:[ \t]*\S", verbose, re.M)
    title = ALPHABET[:25]
    dot = _one_node(title)
    free, pango = renderer.render_batch([dot], 60, env)[0], renderer.render_batch([dot], 60)[0]
    ours = text_width(title, TITLE_SIZE, bold=True) + 2 * MARGIN_X * 72
    # Without Pango, Graphviz 2.43 measures bold as regular: the node fits only by our width.
    bare = renderer.render_batch([dot.replace(' width="', ' widthx="')], 60, env)[0]
    assert _node_width(bare) < ours - 3 or "2.43" not in renderer.version
    assert abs(_node_width(free) - ours) <= 1.0
    if _liberation_installed():
        assert abs(_node_width(free) - _node_width(pango)) <= 1.0


def test_without_a_writable_temporary_folder_dot_keeps_its_text_layout(tmp_path, monkeypatch):
    renderer = _dot()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    assert gvconfig.text_free_bindir(renderer.executable) is None


def _make_folder(executable: str, conn) -> None:
    conn.send(gvconfig.text_free_bindir(executable))
    conn.close()


def test_a_process_removes_its_own_folder_when_it_ends_and_leaves_its_parents():
    """The build's graph job is a forked child that may make a folder of its own: it
    must remove it when it ends (a build used to leave one behind in /tmp), and must
    not remove the one its parent made and still uses."""
    renderer = _dot()
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork on this platform")
    assert renderer.text_free is not None and os.path.isdir(renderer.text_free)
    ctx = multiprocessing.get_context("fork")
    ours, theirs = ctx.Pipe()
    child = ctx.Process(target=_make_folder, args=(renderer.executable, theirs))
    child.start()
    made = ours.recv()
    child.join(60)
    assert child.exitcode == 0 and made is not None and made != renderer.text_free
    assert not os.path.exists(made)
    assert os.path.isdir(renderer.text_free)


def test_a_graphviz_that_does_not_say_where_its_configuration_is_keeps_its_text_layout(tmp_path, monkeypatch):
    _dot()
    folder = tmp_path / "bin"
    script = wrapper(folder, "dot", 'exec "$REAL" "$@"')
    text = script.read_text().replace('if [ "$1" = "-V" ] ||', 'if [ "$1" = "-v" ]; then exec "$REAL" "$@" 2>/dev/null; fi\nif')
    script.write_text(text)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{PATH0}")
    renderer = find_renderer("dot")
    assert isinstance(renderer, CommandRenderer)
    assert renderer.text_free is None and "built-in" not in renderer.version
    clear_memory_cache()
    view = small_view()
    graphs = build_site_graphs(view, pages_for(view), GraphOptions(renderer="dot"))
    assert graphs.stats.rendered > 0 and renderer.text_free_graphs == 0


def test_graphs_with_other_characters_are_drawn_with_the_fonts(tmp_path, monkeypatch):
    """One batch: the graphs whose labels are all in the tables go to dot without text
    layout, the ones showing the German objective to dot with Pango."""
    _dot()
    monkeypatch.delenv("GVBINDIR", raising=False)
    folder = tmp_path / "bin"
    wrapper(folder, "dot", 'echo "run GVBINDIR=${GVBINDIR:-none} $*" >> "$LOG"\nexec "$REAL" "$@"')
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{PATH0}")
    clear_memory_cache()
    view = small_view({"2026-Q4/perf/edge": "Schnell \u00fcberall"})
    pages = pages_for(view)
    graphs = build_site_graphs(view, pages, GraphOptions(renderer="dot", jobs=1))
    renderer = find_renderer("dot")
    runs = [line.split()[1] for line in log_lines(folder, "dot") if line.startswith("run ") and line.endswith(" -Kdot -q -Tsvg")]
    assert sorted(runs) == ["GVBINDIR=" + renderer.text_free, "GVBINDIR=none"]
    german = [k for k, blocks in graphs.inline.items() if any("\u00fcberall" in b for b in blocks)]
    assert 0 < len(german) < graphs.stats.graphs
    assert renderer.text_free_graphs == graphs.stats.graphs - len(german)
    assert graphs.stats.text_free == renderer.text_free_graphs
    assert f"{graphs.stats.text_free} of them with built-in text metrics" in graphs.stats.summary()


def test_a_private_folder_cleaned_away_is_made_again(tmp_path, monkeypatch):
    """A long `mkdocs serve` may outlive its temporary folder (a /tmp cleaner)."""
    _dot()
    folder = tmp_path / "bin"
    wrapper(folder, "dot", 'exec "$REAL" "$@"')
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{PATH0}")
    renderer = find_renderer("dot")
    first = renderer.text_free
    assert first is not None
    shutil.rmtree(first)
    svg = renderer.render([_one_node("Ship it")], 60, 1, [True])[0]
    assert "</svg>" in svg and renderer.text_free not in (None, first) and os.path.isdir(renderer.text_free)
