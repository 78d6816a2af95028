"""Graphs drawn in the background and in batches (site/graphjob.py), and the plugin's use of it."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from mkdocs_okrs.graphs import GraphError, GraphOptions, build_site_graphs
from mkdocs_okrs.graphs.cache import MEMORY
from mkdocs_okrs.site import graphjob
from test_graphs_support import pages_for, renderer_or_skip, synthetic_view
from test_plugin_support import article, build_ok, objective_file, run_build, standard_okrs, write_site


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
    objectives = [k for k in keys if k.startswith("objective:")]
    growing = graphjob.batches(view, objectives, batch_nodes=48, first_nodes=12)
    assert [k for part in growing for k in part] == objectives
    assert [len(part) for part in growing[:4]] == [2, 4, 8, 8]  # 12, 24, 48, 48 nodes of 6


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
    blocks = {k: v for m in batches for k, v in m[2].items()}
    # A forked child sends them compressed (kept until their page is written), a thread not.
    assert all(isinstance(v, bytes if fork else str) for v in blocks.values())
    blocks = {k: graphjob.unpack_block(v) for k, v in blocks.items()}
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


def _outputs(site: Path) -> dict[str, bytes]:
    out = {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    out.pop("sitemap.xml.gz", None)  # holds the build's time
    return out


@pytest.mark.parametrize("graphs", [True, False])
def test_pages_rendered_in_the_background_are_the_pages_rendered_in_the_build(tmp_path: Path, graphs,
                                                                             monkeypatch) -> None:
    """``mkdocs build`` renders our templates in the forked job; a build without
    ``on_startup`` (no fork) renders them itself. Same site, byte for byte, including a
    body the sanitizer empties (the job guessed it had a body) and the search index."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    if not graphjob.FORK_OK:
        pytest.skip("no fork on this platform")
    okrs = standard_okrs()
    okrs["2026-Q4/acme/only-script.md"] = objective_file(
        "Body of nothing but a script", "acme", "2026-Q4", body="<script>alert(1)</script>\n"
    )
    opts = {"graphs": graphs, "cache_dir": None}
    forked = build_ok(write_site(tmp_path / "forked", okrs, options=opts), env={"SOURCE_DATE_EPOCH": "1790000000"})
    here = write_site(tmp_path / "here", okrs, options=opts)
    cfg = load_config(str(here / "mkdocs.yml"), site_dir=str(here / "site"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    build(cfg)
    assert cfg.plugins["okrs"].command is None  # so it rendered the pages itself
    a, b = _outputs(forked), _outputs(here / "site")
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
    page = article(a["okrs/objectives/2026-Q4/acme/only-script/index.html"].decode())
    assert "okr-body" not in page and "alert" not in page
    assert ("okr-graphs" in a["okrs/objectives/2026-Q4/acme/grow/index.html"].decode()) is graphs


def test_a_broken_template_override_is_reported_by_the_build(tmp_path: Path) -> None:
    """A template error in the background job is not lost: the build renders that page
    itself and MkDocs reports the error with the page."""
    write_site(tmp_path, config={"theme": {"name": "material", "custom_dir": "overrides"}})
    over = tmp_path / "overrides" / "okrs"
    over.mkdir(parents=True)
    (over / "objective.html").write_text("<p>{{ objective.no_such_field.deeper }}</p>\n")
    proc = run_build(tmp_path)
    assert proc.returncode == 1
    assert "no_such_field" in proc.stderr and "okrs/objectives/" in proc.stderr


@pytest.mark.parametrize("fork", [False, True])
def test_a_producer_ahead_of_the_build_waits_and_cancel_still_ends_it(fork) -> None:
    """The read-ahead is bounded (a fast producer waits), and cancelling does not hang on it."""
    import threading
    import time

    if fork and not graphjob.FORK_OK:
        pytest.skip("no fork on this platform")
    sent: list[int] = []

    def produce(emit):
        for i in range(50):
            emit(("graphs", [f"k{i}"], {}, {}))
            sent.append(i)  # (in the parent: the thread case)
        emit(("done", None))

    stream = graphjob.start(produce, fork=fork)
    assert stream.get()[1] == ["k0"]
    time.sleep(0.5)
    if not fork:
        assert len(sent) <= graphjob.QUEUE_MESSAGES + 2  # waiting, not 50 messages ahead
    ender = threading.Thread(target=stream.cancel, daemon=True)
    ender.start()
    ender.join(timeout=10)
    assert not ender.is_alive(), "cancel() hung on a waiting producer"


def test_a_forked_child_waits_with_pages_but_ends_once_its_graphs_are_sent() -> None:
    """Pages are read a few messages ahead of the build; graphs (small, compressed) all as
    they come, so the child ends and frees its memory before the build has used them."""
    import time

    if not graphjob.FORK_OK:
        pytest.skip("no fork on this platform")
    ended = multiprocessing.get_context("fork").Event()
    big = "x" * 200_000  # more than a pipe holds: a child that is not read from waits

    def produce(emit):
        for i in range(20):
            emit(("pages", {f"p{i}": big}))
        for i in range(50):
            emit(("graphs", [f"k{i}"], {f"k{i}": big.encode()}, {}))
        emit(("done", None))
        ended.set()

    stream = graphjob.start(produce, fork=True)
    assert stream.get() == ("pages", {"p0": big})
    time.sleep(0.5)
    assert not ended.is_set(), "the child did not wait while it was ahead with pages"
    for i in range(1, 20):
        assert stream.get() == ("pages", {f"p{i}": big})
    assert ended.wait(10), "the child waited for the build to read its graphs"
    stream._process.join(10)  # (white box: the child process is gone, not waiting)
    assert stream._process.exitcode == 0
    assert [stream.get()[1] for _ in range(50)] == [[f"k{i}"] for i in range(50)]
    assert stream.get() == ("done", None)
    stream.close()


@pytest.mark.parametrize("fork", [False, True])
def test_a_job_far_ahead_of_the_build_draws_pieces_between_pages(view, fork) -> None:
    """Once the pages it rendered are AHEAD_PAGES ahead of the page the build reads (here
    the build reads none), the job draws the graphs a piece at a time instead of waiting,
    then goes on with the pages; every page and every graph is sent once."""
    if fork and not graphjob.FORK_OK:
        pytest.skip("no fork on this platform")
    pages = pages_for(view)
    order = [k for k in pages if k.startswith("objective:")]
    pieces = graphjob.batches(view, order, graphjob.UNIT_NODES)
    assert len(pieces) > 2
    page_order = [f"p{i}" for i in range(graphjob.AHEAD_PAGES + 40)]
    claims, piece_claims = graphjob.Claims(len(page_order)), graphjob.Claims(len(pieces))

    def fake_graphs(view_, some_pages, options):
        from mkdocs_okrs.graphs.options import GraphStats, SiteGraphs

        return SiteGraphs(inline={k: ["<svg/>"] for k in some_pages}, stats=GraphStats(graphs=len(some_pages)))

    stream = graphjob.start(
        lambda emit: graphjob.draw_in_batches(
            emit, fake_graphs, view, pages, order, None, make_json=lambda: "{}",
            render_pages=lambda key: key.upper(), page_order=page_order, claims=claims,
            graph_pieces=pieces, piece_claims=piece_claims,
        ),
        fork=fork,
    )
    got = messages_of(stream)
    kinds = [m[0] for m in got]
    first_graphs = kinds.index("graphs")
    sent_before = [k for m in got[:first_graphs] if m[0] == "pages" for k in m[1]]
    assert sent_before == page_order[: graphjob.AHEAD_PAGES - graphjob.AHEAD_PAGES % graphjob.PAGE_BATCH]
    graphs = [m for m in got if m[0] == "graphs"]
    assert [m[1] for m in graphs] == pieces  # a piece at a time, in order
    assert kinds.index("pages", first_graphs) > kinds.index("graphs") + len(pieces) - 1  # then the pages
    rendered = {k: v for m in got if m[0] == "pages" for k, v in m[1].items()}
    assert rendered == {key: key.upper() for key in page_order}
    assert kinds[-2:] == ["json", "done"] and got[-1][1].graphs == len(order)

    # A build that keeps up (it has reached the last page) gets the pages first, as usual.
    claims, piece_claims = graphjob.Claims(len(page_order)), graphjob.Claims(len(pieces))
    claims.reach(len(page_order) - 1)
    stream = graphjob.start(
        lambda emit: graphjob.draw_in_batches(
            emit, fake_graphs, view, pages, order, None, render_pages=lambda key: key,
            page_order=page_order, claims=claims, graph_pieces=pieces, piece_claims=piece_claims,
        ),
        fork=fork,
    )
    kinds = [m[0] for m in messages_of(stream)]
    assert kinds.index("graphs") > max(i for i, kind in enumerate(kinds) if kind == "pages")


@pytest.mark.parametrize("fork", [False, True])
def test_pages_the_build_took_are_not_rendered_by_the_job(fork) -> None:
    if fork and not graphjob.FORK_OK:
        pytest.skip("no fork on this platform")
    order = [f"p{i}" for i in range(60)]
    claims = graphjob.Claims(len(order))
    assert claims.take(5, graphjob.Claims.BUILD)  # the build needed page 5 first
    assert [claims.take_last() for _ in range(3)] == [59, 58, 57]  # and rendered the last ones meanwhile
    stream = graphjob.start(
        lambda emit: graphjob.draw_in_batches(
            emit, None, None, {}, [], None, render_pages=lambda key: key.upper(), page_order=order, claims=claims,
        ),
        fork=fork,
    )
    messages = messages_of(stream)
    rendered = {k: v for m in messages if m[0] == "pages" for k, v in m[1].items()}
    assert sorted(rendered, key=order.index) == [k for i, k in enumerate(order) if i not in (5, 57, 58, 59)]
    assert rendered["p0"] == "P0" and messages[-1] == ("done", None)
    # Everything is claimed now: the job took the rest (in the child's memory, shared).
    assert claims.take_last() is None
    assert not claims.take(10, graphjob.Claims.BUILD) and claims.take(5, graphjob.Claims.BUILD)


@pytest.mark.parametrize("fork", [False, True])
def test_graph_pieces_the_build_took_are_not_drawn_by_the_job(view, fork) -> None:
    """The job draws runs of consecutive pieces it could claim (one renderer run each, at
    most about ``batch_nodes`` nodes), skipping the pieces the build took."""
    if fork and not graphjob.FORK_OK:
        pytest.skip("no fork on this platform")
    pages = pages_for(view)
    order = [k for k in pages if k.startswith("objective:")]
    units = graphjob.batches(view, order, 12)  # two objectives (6 nodes each) per piece
    assert len(units) > 10 and all(len(u) <= 2 for u in units)
    claims = graphjob.Claims(len(units))
    assert claims.take(3, graphjob.Claims.BUILD) and claims.take_last() == len(units) - 1
    drawn: list[list[str]] = []

    def fake_graphs(view_, some_pages, options):  # records what one renderer run was asked for
        from mkdocs_okrs.graphs.options import GraphStats, SiteGraphs

        keys = list(some_pages)
        return SiteGraphs(inline={k: [f"<svg>{k}</svg>"] for k in keys}, stats=GraphStats(graphs=len(keys)))

    stream = graphjob.start(
        lambda emit: graphjob.draw_in_batches(
            emit, fake_graphs, view, pages, order, None, batch_nodes=48, graph_pieces=units, piece_claims=claims,
        ),
        fork=fork,
    )
    for message in messages_of(stream):
        if message[0] == "graphs":
            drawn.append(message[1])
            got = {k: graphjob.unpack_block(v) for k, v in message[2].items()}
            assert got == {k: f"<svg>{k}</svg>" for k in message[1]}
        elif message[0] == "done":
            stats = message[1]
    taken = set(units[3]) | set(units[-1])
    assert [k for run in drawn for k in run] == [k for k in order if k not in taken]
    assert stats.graphs == len(order) - len(taken)
    assert all(len(run) * 6 <= 48 for run in drawn) and max(len(run) for run in drawn) > 2  # runs of pieces
    assert claims.take_last() is None  # the job claimed all the others


def test_graphs_the_build_draws_itself_make_the_same_site(tmp_path: Path, monkeypatch) -> None:
    """When the build would wait for the job's graphs it draws them itself (here: all of
    them, the job being held back). Same site, byte for byte, as a build where the job
    drew them; the statistics count every graph once; the disk cache holds them all."""
    import time

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    if not graphjob.FORK_OK:
        pytest.skip("no fork on this platform")
    okrs = standard_okrs()
    env = {"SOURCE_DATE_EPOCH": "1790000000"}
    usual = build_ok(write_site(tmp_path / "usual", okrs, options={"graphs": True, "cache_dir": None}), env=env)

    real_runs = graphjob._runs

    def held_back(*args, **kwargs):  # runs in the forked job only: its first run comes 5 s late
        runs = real_runs(*args, **kwargs)
        asked = yield next(runs)  # (started)
        time.sleep(5)
        while True:
            try:
                asked = yield runs.send(asked)
            except StopIteration:
                return

    monkeypatch.setattr(graphjob, "_runs", held_back)
    monkeypatch.setattr(MEMORY, "limit", MEMORY.limit)  # (a one-off build here sets it to 0)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    MEMORY.clear()  # (what earlier tests in this process drew)
    here = write_site(tmp_path / "here", okrs, options={"graphs": True, "cache_dir": ".cache/okrs-graphs"})
    cfg = load_config(str(here / "mkdocs.yml"), site_dir=str(here / "site"))
    cfg.plugins.on_startup(command="build", dirty=False)
    build(cfg)
    stats = cfg.plugins["okrs"].graph_stats
    assert cfg.plugins["okrs"].build_graph_stats is not None  # the build drew graphs itself
    a, b = _outputs(usual), _outputs(here / "site")
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
    drawn = [p for p in a if p.startswith("okrs/") and b"okr-graph" in a[p]]
    assert stats.rendered == stats.graphs and stats.graphs >= len(drawn) > 5

    monkeypatch.setattr(graphjob, "_runs", real_runs)
    cfg = load_config(str(here / "mkdocs.yml"), site_dir=str(here / "site"))
    cfg.plugins.on_startup(command="build", dirty=False)
    build(cfg)
    again = cfg.plugins["okrs"].graph_stats
    assert again.rendered == 0 and again.disk_hits == stats.graphs  # what the build drew was cached too


def test_the_build_freezes_what_it_keeps_for_the_gc_and_thaws_it_at_the_end(tmp_path: Path, monkeypatch) -> None:
    """A one-off forked build sets what exists after on_files aside from the garbage
    collector (gc.freeze) and gives it back when the build ends, and when it fails."""
    import gc

    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    import jinja2

    from mkdocs_okrs.plugin import OkrsPlugin

    if not graphjob.FORK_OK:
        pytest.skip("no fork on this platform")
    seen: list[int] = []
    real_on_env = OkrsPlugin.on_env

    def on_env(self, env, config, files):
        seen.append(gc.get_freeze_count())
        return real_on_env(self, env, config, files)

    monkeypatch.setattr(OkrsPlugin, "on_env", on_env)
    monkeypatch.setattr(MEMORY, "limit", MEMORY.limit)  # (a one-off build sets it to 0)
    before = gc.get_freeze_count()
    site = write_site(tmp_path / "ok", standard_okrs(), options={"graphs": False})
    cfg = load_config(str(site / "mkdocs.yml"), site_dir=str(site / "site"))
    cfg.plugins.on_startup(command="build", dirty=False)
    build(cfg)
    assert seen and seen[0] > before + 1000  # frozen while the pages were built
    assert gc.get_freeze_count() == before  # and thawed

    broken = write_site(tmp_path / "broken", config={"theme": {"name": "material", "custom_dir": "overrides"}})
    (broken / "overrides" / "okrs").mkdir(parents=True)
    (broken / "overrides" / "okrs" / "objective.html").write_text("<p>{{ objective.no_such_field.deeper }}</p>\n")
    cfg = load_config(str(broken / "mkdocs.yml"), site_dir=str(broken / "site"))
    cfg.plugins.on_startup(command="build", dirty=False)
    with pytest.raises(jinja2.UndefinedError):  # the page's template error, as MkDocs raises it
        build(cfg)
    assert len(seen) == 1  # (it failed before on_env)
    assert gc.get_freeze_count() == before
