"""Graphs drawn in the background and in batches (site/graphjob.py), and the plugin's use of it."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from mkdocs_okrs.graphs import GraphError, GraphOptions, build_site_graphs
from mkdocs_okrs.site import graphjob
from test_graphs_support import pages_for, renderer_or_skip, synthetic_view
from test_plugin_support import article, write_site


@pytest.fixture(scope="module")
def view():
    return synthetic_view(60, private_share=0.05)


def messages_of(stream: graphjob.Stream) -> list[tuple]:
    out = []
    while True:
        message = stream.get()
        out.append(message)
        if message[0] in ("done", "error"):
            stream.close()
            return out


def test_batches_keep_the_order_and_bound_the_nodes(view) -> None:
    keys = list(pages_for(view))
    parts = graphjob.batches(view, keys, batch_nodes=40)
    assert [k for part in parts for k in part] == keys
    assert len(parts) > 3
    for part in parts:  # an objective's graph counts 6 nodes: at most 6 of them in 40
        if all(k.startswith("objective:") for k in part):
            assert len(part) <= 6
    big = max(view.by_period, key=lambda p: len(view.by_period[p]))
    alone = graphjob.batches(view, [f"period:{big}", *keys[:3]], batch_nodes=10)
    assert alone[0] == [f"period:{big}"]  # a period of more than 10 objectives is a batch of its own


def test_pages_with_graphs_follows_the_graphs_package(view) -> None:
    pages = pages_for(view)
    pages["unit:nobody"] = "okrs/units/nobody/"  # a unit without objectives: no graph
    drawn = build_site_graphs(view, pages, GraphOptions(renderer=renderer_or_skip("dot")))
    assert graphjob.pages_with_graphs(view, pages) == {k for k, v in drawn.inline.items() if v}


@pytest.mark.parametrize("fork", [True, False])
def test_batches_draw_exactly_what_one_call_draws(view, fork: bool) -> None:
    pages = pages_for(view)
    options = GraphOptions(renderer=renderer_or_skip("dot"))
    whole = build_site_graphs(view, pages, options)
    order = sorted(pages, reverse=True)
    stream = graphjob.start(
        lambda emit: graphjob.draw_in_batches(
            emit, build_site_graphs, view, pages, order, options, make_json=lambda: "{}", batch_nodes=30
        ),
        fork=fork,
    )
    got = messages_of(stream)
    assert got[0] == ("json", "{}")
    batches = [m for m in got if m[0] == "graphs"]
    assert len(batches) > 2
    assert [k for m in batches for k in m[1]] == order  # in the order asked, every page once
    blocks = {k: zlib.decompress(v).decode("utf-8") for m in batches for k, v in m[2].items()}
    assert blocks == {k: "\n".join(v) for k, v in whole.inline.items() if v}
    stats = got[-1][1]
    assert got[-1][0] == "done" and stats.graphs == whole.stats.graphs and stats.inline == whole.stats.inline


@pytest.mark.parametrize("fork", [True, False])
def test_a_failure_is_a_message(view, fork: bool) -> None:
    def failing(view, pages, options):
        raise GraphError("no renderer here")

    stream = graphjob.start(
        lambda emit: graphjob.draw_in_batches(emit, failing, view, pages_for(view), list(pages_for(view)), None),
        fork=fork,
    )
    kind, exc = messages_of(stream)[-1]
    assert kind == "error" and isinstance(exc, GraphError) and "no renderer here" in str(exc)


def test_a_child_that_dies_is_reported() -> None:
    if not graphjob.FORK_OK:
        pytest.skip("no fork on this platform")
    import os

    stream = graphjob.start(lambda emit: os._exit(3), fork=True)
    kind, exc = stream.get()
    assert kind == "error" and "exit code 3" in str(exc)
    stream.close()


def test_in_process_build_draws_graphs_in_a_thread(tmp_path: Path) -> None:
    """MkDocs' API without on_startup (as some tools call it): the thread path."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    write_site(tmp_path, options={"graphs": True, "cache_dir": None})
    cfg = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    build(cfg)
    plugin = cfg.plugins["okrs"]
    assert plugin.command is None and plugin.graph_stats is not None and plugin.graph_stats.graphs > 0
    page = article((tmp_path / "site/okrs/objectives/2026-Q4/sales/more-leads/index.html").read_text())
    assert "<svg" in page and "okrs:graphs" not in page
    assert '"objectives"' in (tmp_path / "site/okrs.json").read_text()
