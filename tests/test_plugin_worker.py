"""The graph worker in each of its modes: a forked child, a thread, none.

Every mode runs here, on every platform CI has (the fork mode is Linux's), and none
is skipped: the same graphs come out of each, in the build and in
:class:`~mkdocs_okrs.site.graphworker.GraphWorker` itself, with real Graphviz.
"""

from __future__ import annotations

import filecmp
import gc
import os
import sys
import threading
import time
from pathlib import Path

import pytest

from mkdocs_okrs.graphs import GraphOptions, build_site_graphs, clear_memory_cache
from mkdocs_okrs.site import graphworker
from mkdocs_okrs.site.graphworker import GraphWorker, WorkerError, batches
from test_graphs_support import pages_for, synthetic_view
from test_plugin_support import build_ok, write_site

MODES = ["fork", "thread", "off"] if graphworker.FORK_OK else ["thread", "off"]


def _draw(view, pages, options):
    def draw(keys):
        part = build_site_graphs(view, pages, options, keys)
        figures = {k: {"graphs": "\n".join(b)} for k, b in part.inline.items() if b}
        return figures, part.extra_files, part.stats

    return draw


@pytest.fixture(scope="module")
def drawn():
    """A synthetic site's pages and their graphs, drawn in one go (the reference)."""
    clear_memory_cache()
    view = synthetic_view(150, quarters=("2026-Q3", "2026-Q4"))
    pages = pages_for(view)
    whole = build_site_graphs(view, pages, GraphOptions())
    return view, pages, {k: "\n".join(b) for k, b in whole.inline.items() if b}


@pytest.mark.parametrize("mode", MODES)
def test_every_mode_gives_every_page_its_graphs(drawn, mode):
    view, pages, reference = drawn
    order = sorted(pages, key=lambda k: (k.partition(":")[0] != "objective", k))  # objectives first, as a build
    work = batches(view, order)
    assert len(work) > 2  # several batches: the first ones small
    worker = GraphWorker(_draw(view, pages, GraphOptions()), work, mode)
    got = {key: html for key in order if (html := worker.figures(key).get("graphs"))}
    worker.finish()
    assert got == reference
    assert worker.stats.graphs == sum(block.count("<figure") for block in reference.values())


@pytest.mark.parametrize("mode", MODES)
def test_pages_may_ask_out_of_order_and_pages_without_graphs_get_none(drawn, mode):
    view, pages, reference = drawn
    order = sorted(pages)
    worker = GraphWorker(_draw(view, pages, GraphOptions()), batches(view, order), mode)
    last, first = order[-1], order[0]
    assert worker.figures(last) == {"graphs": reference[last]}
    assert worker.figures(first) == {"graphs": reference[first]}
    assert worker.figures("dashboard") == {}
    worker.finish()


@pytest.mark.parametrize("mode", MODES)
def test_a_failure_reaches_the_build_as_an_error(drawn, mode, tmp_path, monkeypatch):
    view, pages, _ = drawn
    broken = tmp_path / "bin"
    broken.mkdir()
    dot = broken / "dot"
    dot.write_text("#!/bin/sh\nif [ \"$1\" = -V ]; then echo 'dot - graphviz version 9.9.9' >&2; exit 0; fi\n"
                   "echo 'Error: syntax error in line 1' >&2; exit 3\n")
    dot.chmod(0o755)
    monkeypatch.setenv("PATH", f"{broken}{os.pathsep}{os.environ['PATH']}")
    clear_memory_cache()
    worker = GraphWorker(_draw(view, pages, GraphOptions(renderer="dot")), batches(view, sorted(pages)), mode)
    with pytest.raises(WorkerError) as info:
        worker.finish()
    assert info.value.graph_error and "syntax error in line 1" in str(info.value)


@pytest.mark.skipif(not graphworker.FORK_OK, reason="fork is Linux's")
def test_the_child_ends_with_the_build_when_cancelled(drawn):
    view, pages, _ = drawn
    worker = GraphWorker(_draw(view, pages, GraphOptions()), batches(view, sorted(pages)), "fork")
    process = worker._process
    worker.cancel()
    assert not process.is_alive()


def test_auto_means_fork_for_a_build_on_linux_and_a_thread_under_serve():
    assert graphworker.resolve_mode("auto", serving=True) == "thread"
    expected = "fork" if sys.platform.startswith("linux") and threading.active_count() == 1 else "thread"
    assert graphworker.resolve_mode("auto", serving=False) == expected
    assert graphworker.resolve_mode("off", serving=False) == "off"


def test_a_process_with_other_threads_is_never_forked():
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert graphworker.resolve_mode("auto", serving=False) == "thread"
        assert graphworker.resolve_mode("fork", serving=False) == "thread"
    finally:
        release.set()
        other.join()


@pytest.mark.skipif(not graphworker.FORK_OK, reason="fork is Linux's")
def test_a_child_that_dies_is_an_error_not_a_hang(drawn):
    view, pages, _ = drawn

    def die(keys):
        os._exit(7)

    worker = GraphWorker(die, batches(view, sorted(pages)), "fork")
    with pytest.raises(WorkerError, match="exit code 7"):
        worker.finish()


@pytest.mark.slow
def test_a_build_is_the_same_with_each_worker(tmp_path: Path):
    sites = {}
    for mode in MODES:
        root = write_site(tmp_path / mode, options={"graphs": True, "graph_worker": mode, "cache_dir": None})
        sites[mode] = build_ok(root, "--strict")
    first, *others = sites.values()
    pages = sorted(p.relative_to(first) for p in first.rglob("*.html"))
    assert any("<svg" in (first / p).read_text(encoding="utf-8") for p in pages)
    for other in others:
        assert sorted(p.relative_to(other) for p in other.rglob("*.html")) == pages
        match, mismatch, errors = filecmp.cmpfiles(first, other, [str(p) for p in pages], shallow=False)
        assert not mismatch and not errors


@pytest.mark.slow
def test_off_unquoted_in_mkdocs_yml_is_off(tmp_path: Path):
    # YAML 1.1 reads an unquoted `off` as false; the option means "off" either way.
    root = write_site(tmp_path, options={"graphs": True, "graph_worker": "off", "cache_dir": None})
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "graph_worker: 'off'" in text
    config.write_text(text.replace("graph_worker: 'off'", "graph_worker: off"), encoding="utf-8")
    site = build_ok(root, "--strict")
    assert "<svg" in (site / "okrs/objectives/2026-Q4/acme/grow/index.html").read_text(encoding="utf-8")


def _logged_draw(log: Path):
    def draw(keys):
        with open(log, "a") as fh:  # (a forked child shares no memory with the test)
            fh.write(keys[0] + "\n")
        return {keys[0]: {"graphs": f"<svg>{keys[0]}</svg>"}}, {}, None

    return draw


@pytest.mark.skipif(not graphworker.FORK_OK, reason="fork is Linux's")
def test_a_child_sends_everything_and_ends_while_the_build_renders_the_pages(tmp_path):
    """A forked child is a copy of the build's memory: it must end early, not when the
    last page is written. The build takes what has arrived as it renders each page
    (poll, never waiting); the child ends once it has drawn everything, before the build
    asks for any page's figures, and every page then gets its own."""
    work = [[f"objective:{i}"] for i in range(12)]
    worker = GraphWorker(_logged_draw(tmp_path / "drawn"), work, "fork")
    process = worker._process
    try:
        for _ in range(200):  # the pages being rendered, one poll each
            worker.poll()
            if not process.is_alive():
                break
            threading.Event().wait(0.05)
        assert not process.is_alive()  # ended, with no page written yet
        got = [worker.figures(f"objective:{i}")["graphs"] for i in range(12)]
        worker.finish()
    finally:
        worker.cancel()
    assert got == [f"<svg>objective:{i}</svg>" for i in range(12)]


@pytest.mark.skipif(not (graphworker.FORK_OK and hasattr(gc, "freeze")), reason="fork is Linux's; PyPy has no gc.freeze")
def test_the_collector_leaves_the_forked_memory_alone_until_the_child_ends(tmp_path):
    """While the child lives, the build's collector skips the objects that existed at the
    fork (a collection writes into each object it visits, and the page is then copied);
    once the child has ended they are collected as any others, also in a program that
    runs several builds."""
    gc.unfreeze()
    work = [[f"objective:{i}"] for i in range(3)]
    worker = GraphWorker(_logged_draw(tmp_path / "drawn"), work, "fork")
    try:
        assert gc.get_freeze_count() > 0
        process = worker._process
        for _ in range(200):
            worker.poll()
            if worker._process is None:
                break
            threading.Event().wait(0.05)
        assert not process.is_alive()
        assert gc.get_freeze_count() == 0
        worker.finish()
    finally:
        worker.cancel()
    assert gc.get_freeze_count() == 0


@pytest.mark.skipif(not (graphworker.FORK_OK and hasattr(gc, "freeze")), reason="fork is Linux's; PyPy has no gc.freeze")
def test_a_cancelled_child_leaves_the_collector_as_it_was(drawn):
    view, pages, _ = drawn
    gc.unfreeze()
    worker = GraphWorker(_draw(view, pages, GraphOptions()), batches(view, sorted(pages)), "fork")
    worker.cancel()
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize("mode", ["thread", "off"])
def test_poll_never_waits_for_a_thread_or_without_a_worker(mode):
    """The build polls at every page it renders: with a thread (or no worker) that must
    cost nothing, never wait for the drawing."""
    release = threading.Event()

    def slow(keys):
        release.wait(5)
        return {keys[0]: {"graphs": "<svg/>"}}, {}, None

    worker = GraphWorker(slow, [[f"objective:{i}"] for i in range(3)], mode)
    try:
        started = time.perf_counter()
        for _ in range(10):
            worker.poll()
        assert time.perf_counter() - started < 0.5
        if mode == "thread":
            assert worker._thread is not None and worker._thread.is_alive()
        release.set()
        assert [worker.figures(f"objective:{i}") for i in range(3)] == [{"graphs": "<svg/>"}] * 3
        worker.finish()
    finally:
        release.set()
        worker.cancel()


@pytest.mark.parametrize("mode", MODES)
def test_figures_wait_for_their_page_on_disk_not_in_memory(mode):
    """A child draws every figure long before the last pages are written: what waits
    for its page is kept in a temporary file, not in the build's memory."""
    import base64
    import tracemalloc

    keys = [f"objective:{i}" for i in range(8)]
    # (random text: compression cannot make it small)
    figure = {k: base64.b64encode(os.urandom(750_000)).decode() for k in keys}

    def draw(batch):
        return {k: {"graphs": figure[k]} for k in batch}, {}, None

    tracemalloc.start()
    try:
        worker = GraphWorker(draw, [keys], mode)
        assert worker.figures(keys[0]) == {"graphs": figure[keys[0]]}  # the batch is here
        gc.collect()
        waiting = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert waiting < 1_000_000, waiting  # seven figures of 1 MB each wait for their page
    assert [worker.figures(k) for k in keys[1:]] == [{"graphs": figure[k]} for k in keys[1:]]
    worker.finish()
    assert worker.figures(keys[0]) == {}


@pytest.mark.parametrize("mode", MODES)
def test_a_batch_that_arrives_after_a_page_was_read_leaves_the_waiting_figures_as_they_were(mode):
    """Pages are read back from the temporary file between batches: each batch must go
    after everything kept so far, not where the last read stopped."""
    work = [[f"objective:{b}{i}" for i in range(3)] for b in "abc"]

    def draw(batch):
        return {k: {"graphs": f"<svg>{k * (len(k) + 7)}</svg>"} for k in batch}, {}, None

    worker = GraphWorker(draw, work, mode)
    try:
        firsts = [worker.figures(keys[0]) for keys in work]  # one page of each batch, in turn
        rest = [worker.figures(k) for keys in work for k in keys[1:]]
        worker.finish()
    finally:
        worker.cancel()
    assert firsts == [draw([keys[0]])[0][keys[0]] for keys in work]
    assert rest == [draw([k])[0][k] for keys in work for k in keys[1:]]
