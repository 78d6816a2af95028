"""Renderers: discovery and install hints, every installed renderer drawing the same model,
one process per batch, time limit, failures and unsafe output turned into GraphError.

Process counting and failures use small wrapper scripts put first on PATH, in
front of the real ``dot`` / ``graphviz-pure`` (no mocking).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mkdocs_okrs.graphs import GraphError, GraphOptions, build_site_graphs, clear_memory_cache
from mkdocs_okrs.graphs.okr_graphs import GraphBuilder
from mkdocs_okrs.graphs.renderers import AUTO_ORDER, MIN_CHUNK, find_renderer, select_renderer
from mkdocs_okrs.graphs.site import embed_prefix
from mkdocs_okrs.site.urls import relative_url
from test_graphs_support import RENDERERS, pages_for, renderer_or_skip, small_view, synthetic_view

SVG = "{http://www.w3.org/2000/svg}"
HREF = "{http://www.w3.org/1999/xlink}href"  # the link of an SVG <a> (see graphs/svg.py)
COMMANDS = ("dot", "graphviz-pure")
PATH0 = os.environ.get("PATH", "")


def _real(name: str) -> str:
    path = find_renderer(name, path=PATH0)
    assert path is not None
    return path.executable  # type: ignore[attr-defined]


def wrapper(folder: Path, name: str, body: str) -> Path:
    """An executable shell script ``folder/name``; ``$REAL`` is the real command, ``$LOG`` a log file.

    The discovery runs (``-V``, and ``-v`` for gvconfig's check) go to the real
    command; ``body`` handles the others."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / name
    script.write_text(
        "#!/bin/sh\n"
        f'REAL="{_real(name)}"\nLOG="{folder / (name + ".log")}"\n'
        'echo "$*" >> "$LOG"\n'
        'if [ "$1" = "-V" ] || [ "$1" = "-v" ]; then exec "$REAL" "$@"; fi\n' + body + "\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def log_lines(folder: Path, name: str) -> list[str]:
    log = folder / (name + ".log")
    return log.read_text().splitlines() if log.exists() else []


def render_lines(folder: Path, name: str) -> list[str]:
    """The logged runs that drew graphs: not the version query (``-V``) nor the
    check runs of the text-free configuration (``-v``, see gvconfig)."""
    return [line for line in log_lines(folder, name) if not line.startswith(("-V", "-v "))]


@pytest.fixture
def on_path(tmp_path, monkeypatch):
    """``install(name, body)``: a wrapper script for renderer ``name`` put first on PATH.

    Skips (or fails, when CI requires it) if the real renderer is not installed.
    Renderer discovery is memoized per PATH, and each test has its own folder.
    """
    folder = tmp_path / "bin"
    clear_memory_cache()

    def install(name: str, body: str) -> Path:
        renderer_or_skip(name)
        wrapper(folder, name, body)
        monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{PATH0}")
        return folder

    return install


# -- discovery ------------------------------------------------------------------------


def test_auto_takes_the_first_installed_renderer():
    installed = [n for n in AUTO_ORDER if find_renderer(n) is not None]
    if not installed:
        pytest.skip("no renderer installed")
    assert select_renderer("auto").name == installed[0]


def test_graphviz_pure_is_found_in_the_interpreter_scripts_folder_without_path():
    renderer_or_skip("graphviz-pure")
    found = find_renderer("graphviz-pure", path="")
    assert found is not None and found.name == "graphviz-pure"
    assert select_renderer("auto", path="").name == "graphviz-pure"


def test_no_renderer_at_all_is_one_clear_error_with_install_hints():
    with pytest.raises(GraphError) as err:
        select_renderer("auto", path="", script_dirs=[], python_modules=False)
    message = str(err.value)
    for hint in ("pip install graphviz-pure", "apt install graphviz", "pip install pygraphviz", "graphs: false"):
        assert hint in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("name", "hint"),
    [("dot", "apt install graphviz"), ("graphviz-pure", "pip install graphviz-pure"), ("pygraphviz", "pip install pygraphviz")],
)
def test_a_named_renderer_that_is_missing_says_how_to_install_it(name, hint):
    with pytest.raises(GraphError, match=re.escape(hint)):
        select_renderer(name, path="", script_dirs=[], python_modules=False)


def test_build_with_dot_and_an_empty_path_fails_with_the_hint(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    view = small_view()
    with pytest.raises(GraphError, match="apt install graphviz"):
        build_site_graphs(view, pages_for(view), GraphOptions(renderer="dot"))


def test_unknown_renderer_name_is_refused():
    with pytest.raises(GraphError, match="unknown graph renderer 'graphviz'"):
        GraphOptions(renderer="graphviz")


def test_graphs_disabled_needs_no_renderer(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    view = small_view()
    graphs = build_site_graphs(view, pages_for(view), GraphOptions(enabled=False, renderer="dot"))
    assert graphs.inline == {} and graphs.extra_files == {} and graphs.stats.graphs == 0


# -- every renderer draws the same model -------------------------------------------------


def _signature(view, pages, blocks_by_page) -> dict:
    """Per embedding: node ids with their classes, links and label lines, edge ids and labels."""
    out = {}
    for key, blocks in sorted(blocks_by_page.items()):
        for block in blocks:
            root = ET.fromstring(block)
            nodes = []
            for g in root.iter(f"{SVG}g"):
                cls = g.get("class", "")
                if cls.startswith(("node", "edge")):
                    hrefs = [a.get(HREF) for a in g.iter(f"{SVG}a") if a.get(HREF)]
                    texts = ["".join(t.itertext()) for t in g.iter(f"{SVG}text")]
                    texts = [t for t in texts if t.strip()]  # not the spacer line
                    nodes.append((g.get("id"), cls, tuple(hrefs), tuple(texts)))
            out[(key, root.get("id"))] = sorted(nodes)
    return out


@pytest.mark.parametrize("renderer", RENDERERS)
def test_every_renderer_draws_the_model_as_built(renderer):
    renderer_or_skip(renderer)
    clear_memory_cache()
    view = small_view()
    pages = pages_for(view, directory_urls=False)
    graphs = build_site_graphs(view, pages, GraphOptions(renderer=renderer))
    assert graphs.stats.renderer == renderer and graphs.stats.rendered == graphs.stats.graphs > 0
    sig = _signature(view, pages, graphs.inline)
    # What the builder asked for: the same nodes, classes, links and label lines.
    builder = GraphBuilder(view, pages, 150)
    expected = {}
    for key in sorted(pages):
        for index, figure in enumerate(builder.figures(key)):
            prefix = embed_prefix(key, index)
            nodes = []
            for i, node in enumerate(figure.graph.nodes):
                href = () if node.href is None else (relative_url(pages[key], node.href),)
                lines = node.label.title + ((node.label.meta,) if node.label.meta else ())
                nodes.append((f"{prefix}-n{i}", "node " + " ".join(node.classes), href, lines))
            for j, edge in enumerate(figure.graph.edges):
                nodes.append((f"{prefix}-e{j}", "edge " + " ".join(edge.classes), (), edge.label))
            expected[(key, f"{prefix}-figure")] = sorted(nodes)
    assert sig == expected


def _numbers(text: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in re.findall(r"(-?[0-9.]+),(-?[0-9.]+)", text)]


@pytest.mark.parametrize("renderer", RENDERERS)
def test_node_labels_are_centred_and_edge_labels_keep_off_their_edge(renderer):
    """Every line of a node's label is anchored at the middle of the node's shape (the
    browser draws it in its own font, so a start anchor computed by Graphviz would be
    off-centre); an edge label leaves a gap between itself and its edge."""
    renderer_or_skip(renderer)
    clear_memory_cache()
    view = small_view()
    graphs = build_site_graphs(view, pages_for(view), GraphOptions(renderer=renderer))
    nodes = labels = 0
    for blocks in graphs.inline.values():
        for block in blocks:
            root = ET.fromstring(block)
            for g in root.iter(f"{SVG}g"):
                cls = g.get("class", "")
                shape = next(el for el in g.iter() if el.tag in (f"{SVG}path", f"{SVG}polygon")) if cls.startswith(("node", "edge")) else None
                if cls.startswith("node"):
                    xs = [x for x, _ in _numbers(shape.get("d") or shape.get("points"))]
                    centre = (min(xs) + max(xs)) / 2
                    for text in g.iter(f"{SVG}text"):
                        assert text.get("text-anchor") == "middle", ET.tostring(text)
                        assert abs(float(text.get("x")) - centre) < 0.01
                    nodes += 1
                elif cls.startswith("edge") and g.find(f"{SVG}text") is not None:
                    text = g.find(f"{SVG}text")
                    x = float(text.get("x"))
                    points = _numbers(shape.get("d"))
                    if len({round(px, 1) for px, _ in points}) == 1:
                        # A straight vertical edge (a top-down graph): its label to the right of it.
                        assert x - points[0][0] >= 3, (x, points)
                        labels += 1
    assert nodes > 20 and labels >= 3


# -- one process per batch ----------------------------------------------------------------


@pytest.mark.parametrize("name", COMMANDS)
def test_many_graphs_go_through_one_process(name, on_path):
    folder = on_path(name, 'exec "$REAL" "$@"')
    view = synthetic_view(60, quarters=("2026-Q4",))
    pages = {k: v for k, v in pages_for(view).items() if k.startswith("objective:")}
    graphs = build_site_graphs(view, pages, GraphOptions(renderer=name))
    assert graphs.stats.rendered == len(pages) >= 50
    renders = render_lines(folder, name)
    assert renders == ["-Kdot -q -Tsvg"]
    assert graphs.stats.render_calls == 1


@pytest.mark.parametrize("name", COMMANDS)
def test_large_batches_are_split_over_at_most_jobs_processes(name, on_path):
    folder = on_path(name, 'exec "$REAL" "$@"')
    view = synthetic_view(2 * MIN_CHUNK + 20, quarters=("2026-Q4",), private_share=0)
    pages = {k: v for k, v in pages_for(view).items() if k.startswith("objective:")}
    graphs = build_site_graphs(view, pages, GraphOptions(renderer=name, jobs=2))
    assert graphs.stats.render_calls == 2
    clear_memory_cache()
    graphs = build_site_graphs(view, pages, GraphOptions(renderer=name, jobs=1))
    assert graphs.stats.render_calls == 1
    assert len(render_lines(folder, name)) == 3


def test_pygraphviz_renders_a_batch_in_one_worker_process():
    renderer_or_skip("pygraphviz")
    clear_memory_cache()
    view = synthetic_view(60, quarters=("2026-Q4",))
    pages = {k: v for k, v in pages_for(view).items() if k.startswith("objective:")}
    graphs = build_site_graphs(view, pages, GraphOptions(renderer="pygraphviz"))
    assert graphs.stats.rendered == len(pages) and graphs.stats.render_calls == 1


# -- time limit, failures, unsafe output ----------------------------------------------------


@pytest.mark.parametrize("name", COMMANDS)
def test_a_renderer_over_the_time_limit_is_killed_and_reported(name, on_path):
    on_path(name, "exec sleep 60")
    view = small_view()
    with pytest.raises(GraphError, match=rf"{name} did not finish rendering \d+ graph\(s\) within 0.5 s") as caught:
        build_site_graphs(view, pages_for(view), GraphOptions(renderer=name, timeout=0.5))
    # The message names the plugin's options (flat under `okrs:` in mkdocs.yml).
    assert "graph_timeout" in str(caught.value) and "graph_max_nodes" in str(caught.value)


def test_pygraphviz_worker_over_the_time_limit_is_reported():
    renderer_or_skip("pygraphviz")
    clear_memory_cache()
    view = synthetic_view(200, quarters=("2026-Q4",))
    with pytest.raises(GraphError, match=r"pygraphviz did not finish rendering \d+ graph\(s\) within 0.001 s"):
        build_site_graphs(view, pages_for(view), GraphOptions(renderer="pygraphviz", timeout=0.001))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('echo "boom: layout exploded" >&2; exit 3', r"failed rendering \d+ graph\(s\) \(exit status 3\): boom"),
        ("cat > /dev/null; exit 0", r"returned 0 SVG document\(s\) for \d+ graph\(s\)"),
        ('"$REAL" "$@" | sed "s|<text |<script>alert(1)</script><text |"', r"unexpected element <script>"),
        ('"$REAL" "$@" | sed "s|xlink:href=\\"[^\\"]*\\"|xlink:href=\\"javascript:alert(1)\\"|"', r"unexpected link"),
    ],
    ids=["exit-status", "no-output", "injected-script", "injected-link"],
)
def test_renderer_failures_and_unsafe_output_are_errors(on_path, body, message):
    on_path("graphviz-pure", body)
    view = small_view()
    with pytest.raises(GraphError, match=message):
        build_site_graphs(view, pages_for(view), GraphOptions(renderer="graphviz-pure"))


def test_wrappers_need_a_posix_shell():
    assert shutil.which("sh") is not None and sys.platform != "win32"
