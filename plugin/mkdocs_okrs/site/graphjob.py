"""Drawing a site's graphs in the background, handed to the build in batches. No MkDocs import.

A build spends most of its time in MkDocs' own single-threaded work (Markdown,
the theme, the search index). The graphs do not need any of it, so they are drawn
beside it: by a forked child process in a one-off build (on Linux: building the
DOT texts and cleaning the SVGs is Python work, which a thread would only do in
turns with the build), by a thread in ``mkdocs serve`` (which keeps the
process-wide memory cache of SVGs warm for the next rebuild).

:func:`draw_in_batches` is the producer: it calls the graphs package for a batch
of pages at a time, in the order the build writes them, and emits, in order,

- ``("pages", {key: page})`` -- when it was asked to render the pages: the
  HTML of our templates for a few pages at a time, in the order MkDocs reads them
  (first: the build needs them from its first page on; see
  :mod:`mkdocs_okrs.site.pagehtml`);
- ``("json", text)`` -- okrs.json, when it was asked to make it (the build needs it
  before it copies its files);
- ``("graphs", keys, blocks, extra_files)`` -- for each batch: the page keys it
  covers, page key -> the HTML of the page's graphs (zlib-compressed UTF-8 in a
  forked child, see :func:`draw_batch`) and the separate SVG files of oversized graphs;
- ``("done", stats)`` -- the :class:`~mkdocs_okrs.graphs.GraphStats` of all batches;
- ``("error", exception)`` -- instead of the rest, when something failed.

:func:`start` runs a producer and returns a :class:`Stream` to read those
messages from. Batches hold about :data:`BATCH_NODES` graph nodes, so the DOT
texts and SVGs of one batch are all that is in memory at once.

In a forked build the work is shared through :class:`Claims`: pages to render,
and pieces of about :data:`UNIT_NODES` graph nodes to draw (a batch is a run of
consecutive pieces). The build takes over a page or a piece rather than wait
for it (:func:`draw_batch` draws a piece there).
"""

from __future__ import annotations

import collections
import dataclasses
import gc
import multiprocessing
import sys
import threading
import zlib
from collections.abc import Callable, Generator, Iterator, Mapping
from typing import Any

from ..core.publish import PublicOkrs

BATCH_NODES = 1000
FIRST_BATCH_NODES = 250
UNIT_NODES = 100  # graph nodes per piece the build may draw itself rather than wait (see Claims)
PAGE_BATCH = 25  # pages rendered per message (the build waits for the first ones)
# Pages rendered ahead of the page the build reads beyond which the job draws a piece of
# the graphs rather than a page: further ahead, it would only wait (see _ReadAhead).
AHEAD_PAGES = 3 * PAGE_BATCH

# Where a process can be forked safely (not on macOS, where system libraries may not
# survive a fork, nor on Windows, which has none).
FORK_OK = sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()

Emit = Callable[[tuple], None]


def _release(collect: bool = False) -> None:
    """Give the memory of what was just sent back to the system: the job runs beside a
    build that holds every page, and its peak adds to the build's (glibc keeps freed
    blocks unless asked to trim them). With ``collect``, a full garbage collection first:
    only between the job's stages, as one takes 10 to 50 ms once the job has made its
    own long-lived objects (the inherited ones are frozen, see :class:`_ForkStream`);
    what a batch leaves is freed as it goes, by reference counting."""
    if not _IN_FORKED_CHILD:  # a thread of mkdocs serve: not for the whole process
        return
    if collect:
        gc.collect()
    trim_heap()


def trim_heap() -> None:
    """Give the memory glibc keeps free in the heap back to the system (no collection:
    cheap, so a build may call it too; a no-op elsewhere than glibc)."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _glibc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except (OSError, ImportError):
        return None


_LIBC = _glibc()
_IN_FORKED_CHILD = False  # set in the child a one-off build forks (see _child)


class Claims:
    """Which of ``count`` pieces of work (pages to render, batches of graphs to draw) the
    job does and which the build does itself, in memory shared across the fork. The job
    takes them from the first on; the build, when it waits for one the job has taken,
    takes them from the last on (:meth:`take_last`) and does them meanwhile: the two
    meet in the middle."""

    JOB, BUILD = 1, 2

    def __init__(self, count: int) -> None:
        ctx = multiprocessing.get_context("fork")
        self._owner = ctx.RawArray("b", count)
        self._lock = ctx.Lock()
        self._last = count - 1  # (the build's own cursor)
        self._reached = ctx.RawValue("i", -1)  # see reach()

    def reach(self, index: int) -> None:
        """(The build) it has got to piece ``index`` of the order (pages: the one it reads)."""
        self._reached.value = index

    @property
    def reached(self) -> int:
        """The last index the build reported with :meth:`reach` (-1 before the first)."""
        return self._reached.value

    def take(self, index: int, who: int) -> bool:
        """Claim piece ``index`` for ``who``; False if the other one claimed it already."""
        with self._lock:
            if self._owner[index]:
                return self._owner[index] == who
            self._owner[index] = who
            return True

    def take_last(self) -> int | None:
        """(The build) claim the last piece nobody has claimed; None when none is left."""
        with self._lock:
            while self._last >= 0 and self._owner[self._last]:
                self._last -= 1
            if self._last < 0:
                return None
            self._owner[self._last] = self.BUILD
            return self._last


class SomePages(Mapping):
    """The pages of one batch (its keys), with every page's URL (its lookups): a graph
    node links to its objective's page wherever that page is."""

    def __init__(self, keys: list[str], urls: Mapping[str, str]) -> None:
        self._keys = keys
        self._urls = urls

    def __getitem__(self, key: str) -> str:
        return self._urls[key]

    def __contains__(self, key: object) -> bool:
        return key in self._urls

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


def graph_nodes(view: PublicOkrs, key: str) -> int:
    """A rough count of the graph nodes of page ``key``: an objective's graph shows its
    chain and children, a period's all its objectives, a unit's its objectives and what
    they align to."""
    kind, _, ident = key.partition(":")
    if kind == "period":
        return len(view.by_period.get(ident, ()))
    if kind == "unit":
        return 4 * len(view.by_owner.get(ident, ()))
    return 6


def batches(view: PublicOkrs, keys: list[str], batch_nodes: int = BATCH_NODES,
            first_nodes: int | None = None) -> list[list[str]]:
    """``keys`` (in their order) in batches of about ``batch_nodes`` graph nodes
    (:func:`graph_nodes`); a page with more is a batch of its own.

    With ``first_nodes``, the first batch holds about that many and each next one
    twice as many, up to ``batch_nodes``: the build, waiting for the first pages'
    graphs, gets them soon."""
    out: list[list[str]] = [[]]
    size = 0
    limit = min(first_nodes, batch_nodes) if first_nodes else batch_nodes
    for key in keys:
        nodes = graph_nodes(view, key)
        if out[-1] and size + nodes > limit:
            out.append([])
            size = 0
            limit = min(2 * limit, batch_nodes)
        out[-1].append(key)
        size += nodes
    return out


def _runs(view: PublicOkrs, units: list[list[str]], claims: "Claims | None",
          batch_nodes: int) -> Generator[list[str] | None, int | None, None]:
    """(The job) the pages of consecutive ``units`` it could claim, about ``batch_nodes``
    graph nodes at a time (fewer at first, growing from :data:`FIRST_BATCH_NODES`): one
    renderer run each, while the build may take any unit nobody has claimed yet.

    Yields None first (started); then ``send(None)`` gets the next run, ``send(nodes)``
    a run of at most about ``nodes`` (the size of the next usual one unchanged)."""
    sizes = [sum(graph_nodes(view, key) for key in unit) for unit in units]
    limit = min(FIRST_BATCH_NODES, batch_nodes)
    i = 0
    asked = yield None
    while i < len(units):
        if claims is not None and not claims.take(i, Claims.JOB):
            i += 1
            continue
        cap = asked or limit
        run, size = list(units[i]), sizes[i]
        i += 1
        while (
            i < len(units)
            and size + sizes[i] <= cap
            and (claims is None or claims.take(i, Claims.JOB))
        ):
            run += units[i]
            size += sizes[i]
            i += 1
        if not asked:
            limit = min(2 * limit, batch_nodes)
        asked = yield run


def pages_with_graphs(view: PublicOkrs, keys: Iterator[str] | list[str]) -> set[str]:
    """The page keys that get at least one graph: every objective page, a period page
    with objectives, a unit page of a unit that owns public objectives (the rule of
    :meth:`mkdocs_okrs.graphs.okr_graphs.GraphBuilder.figures`)."""
    out: set[str] = set()
    for key in keys:
        kind, _, ident = key.partition(":")
        if (
            (kind == "objective" and ident in view.objectives)
            or (kind == "period" and view.by_period.get(ident))
            or (kind == "unit" and view.by_owner.get(ident))
        ):
            out.add(key)
    return out


def add_stats(total: Any, part: Any) -> Any:
    """``total`` (a :class:`~mkdocs_okrs.graphs.GraphStats` or None) with the counts and
    seconds of ``part`` added: the statistics of two sets of batches as one."""
    if total is None:
        return part
    if part is not None:
        for f in dataclasses.fields(total):
            value = getattr(total, f.name)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                setattr(total, f.name, value + getattr(part, f.name))
    return total


def draw_batch(build_site_graphs: Callable, view: PublicOkrs, keys: list[str], pages: Mapping[str, str],
               options: Any, pack: bool = False) -> tuple[dict[str, str | bytes], dict[str, str], Any]:
    """The graphs of the pages ``keys``: (page key -> the HTML of its graphs, the separate
    SVG files of oversized graphs, their statistics). With ``pack``, each page's HTML is
    zlib-compressed UTF-8 (:func:`unpack_block` reads it): a quarter of the size, for
    graphs kept a while before their page is written."""
    part = build_site_graphs(view, SomePages(keys, pages), options)
    blocks: dict[str, str | bytes] = {
        key: "\n".join(html_blocks) for key, html_blocks in part.inline.items() if html_blocks
    }
    if pack:
        blocks = {key: zlib.compress(block.encode("utf-8"), 1) for key, block in blocks.items()}
    return blocks, part.extra_files, part.stats


def unpack_block(block: str | bytes) -> str:
    """A page's graphs' HTML from :func:`draw_batch`, compressed or not."""
    return zlib.decompress(block).decode("utf-8") if isinstance(block, bytes) else block


def draw_in_batches(
    emit: Emit,
    build_site_graphs: Callable | None,
    view: PublicOkrs,
    pages: Mapping[str, str],
    order: list[str],
    options: Any,
    make_json: Callable[[], str] | None = None,
    batch_nodes: int = BATCH_NODES,
    render_pages: Callable[[str], Any] | None = None,
    page_order: list[str] = (),  # type: ignore[assignment]
    claims: "Claims | None" = None,
    graph_pieces: list[list[str]] | None = None,
    piece_claims: "Claims | None" = None,
) -> None:
    """Draw the graphs of the pages ``order`` (keys of ``pages``), emitting the messages
    described in the module docstring. Never raises: a failure is an ``error`` message.

    With ``render_pages``, first the pages of ``page_order``: ``render_pages(key)`` for
    each (but those the build took, with ``claims``), sent ``PAGE_BATCH`` at a time.
    The graphs are drawn by runs of the pieces ``graph_pieces`` (default:
    :func:`batches` of ``order``), but the pieces the build took, with ``piece_claims``;
    with both claims, a piece at a time while the pages are more than
    :data:`AHEAD_PAGES` ahead of the page the build reads. Without
    ``build_site_graphs``, no graphs.
    """
    try:
        stats = None
        if build_site_graphs is not None and graph_pieces is None:
            graph_pieces = batches(view, order, batch_nodes, FIRST_BATCH_NODES)
        runs = _runs(view, graph_pieces, piece_claims, batch_nodes) if build_site_graphs is not None else None
        if runs is not None:
            next(runs)

        def draw(nodes: int | None = None) -> bool:
            """Draw and send the next run (of at most about ``nodes``); False when none is left."""
            nonlocal stats, runs
            try:
                batch = runs.send(nodes) if runs is not None else None
            except StopIteration:
                batch = None
            if batch is None:
                runs = None
                return False
            blocks, extra_files, part_stats = draw_batch(build_site_graphs, view, batch, pages, options,
                                                         pack=_IN_FORKED_CHILD)
            emit(("graphs", batch, blocks, extra_files))
            stats = add_stats(stats, part_stats)
            del blocks, extra_files
            _release()
            return True

        ahead = claims is not None and piece_claims is not None
        ready: dict[str, Any] = {}
        sent = 0
        for i, key in enumerate(page_order if render_pages else ()):
            if claims is not None and not claims.take(i, Claims.JOB):
                continue
            while ahead and i - claims.reached > AHEAD_PAGES and draw(UNIT_NODES):
                pass
            ready[key] = render_pages(key)
            if len(ready) >= PAGE_BATCH:
                emit(("pages", ready))
                ready = {}
                sent += 1
                if sent % 40 == 0:
                    _release()
        if ready:
            emit(("pages", ready))
        _release(collect=True)
        if make_json is not None:
            emit(("json", make_json()))
        _release(collect=True)
        while draw():
            pass
        emit(("done", stats))
    except BaseException as exc:  # handed to the reader, which raises it
        emit(("error", exc))


class Stream:
    """Messages from a producer running in the background."""

    _queue: "_ReadAhead"  # where the producer's messages arrive

    def get(self) -> tuple:
        """The next message (waits for it)."""
        return self._queue.get()

    def poll(self) -> tuple | None:
        """The next message if one has arrived, else None."""
        return self._queue.get_nowait()

    def cancel(self) -> None:
        """Stop the producer (a thread is waited for: it cannot be stopped)."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the producer once its last message was read."""


def start(produce: Callable[[Emit], None], fork: bool) -> Stream:
    """Run ``produce(emit)`` in a forked child process (``fork`` and :data:`FORK_OK`) or a thread."""
    if fork and FORK_OK:
        return _ForkStream(produce)
    return _ThreadStream(produce)


QUEUE_MESSAGES = 3  # messages read ahead of the build: the memory a fast producer can take


class _ReadAhead:
    """What a producer hands over, read ahead of the build. A message of a ``bounded``
    kind (every kind when None) waits while :data:`QUEUE_MESSAGES` are queued: a
    producer faster than the build (a warm cache) waits instead of filling memory.
    Other kinds are queued at once, so that the producer can finish and end (a forked
    child's graphs come compressed and are small; the child's memory is not).
    :meth:`stop` unblocks a waiting producer for good (it then drops what it puts)."""

    def __init__(self, bounded: tuple[str, ...] | None = None) -> None:
        self._items: collections.deque[tuple] = collections.deque()
        self._bounded = bounded
        self._changed = threading.Condition()
        self._stopped = False

    def put(self, message: tuple) -> None:
        with self._changed:
            if self._bounded is None or message[0] in self._bounded:
                while not self._stopped and len(self._items) >= QUEUE_MESSAGES:
                    self._changed.wait()
            if self._stopped:
                return
            self._items.append(message)
            self._changed.notify_all()

    def get(self) -> tuple:
        with self._changed:
            while not self._items:
                self._changed.wait()
            return self._pop()

    def get_nowait(self) -> tuple | None:
        with self._changed:
            return self._pop() if self._items else None

    def _pop(self) -> tuple:
        message = self._items.popleft()
        self._changed.notify_all()  # (a producer may wait for room)
        return message

    def stop(self) -> None:
        with self._changed:
            self._stopped = True
            self._changed.notify_all()


class _ThreadStream(Stream):
    def __init__(self, produce: Callable[[Emit], None]) -> None:
        self._queue = _ReadAhead()
        self._thread = threading.Thread(target=produce, args=(self._queue.put,), name="okrs-graphs", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        self._queue.stop()
        self._thread.join()

    def close(self) -> None:
        self._thread.join()


class _ForkStream(Stream):
    """A forked child: it starts with this process's memory (nothing to send it) and
    sends its messages, pickled, through a pipe. ``gc.freeze`` around the fork keeps the
    child's garbage collector from touching -- and so copying -- the inherited objects.

    A thread of this process reads the pipe as the messages come, so the child goes on
    with the next batch while the build uses the last one: pages a few messages ahead
    of the build, graphs (compressed) all as they come, so that the child ends as soon
    as it has drawn them, rather than keep its memory until the build has written the
    last page (:class:`_ReadAhead`).
    """

    def __init__(self, produce: Callable[[Emit], None]) -> None:
        ctx = multiprocessing.get_context("fork")
        self._conn, child_end = ctx.Pipe(duplex=False)
        self._process = ctx.Process(target=_child, args=(produce, child_end), name="okrs-graphs", daemon=True)
        frozen_before = gc.get_freeze_count() > 0  # (then whoever froze them thaws them)
        gc.freeze()
        try:
            self._process.start()
        finally:
            if not frozen_before:
                gc.unfreeze()
        child_end.close()
        self._queue = _ReadAhead(bounded=("pages",))
        self._reader = threading.Thread(target=self._read, name="okrs-graphs-reader", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                message = self._conn.recv()
            except (EOFError, OSError):
                self._process.join()
                self._queue.put(("error", RuntimeError(
                    f"the process drawing the graphs ended unexpectedly (exit code {self._process.exitcode})"
                )))
                return
            self._queue.put(message)
            if message[0] in ("done", "error"):
                return

    def cancel(self) -> None:
        self._queue.stop()
        self._process.kill()  # its renderer processes end with their input
        self._process.join()
        self._reader.join()
        self._conn.close()

    def close(self) -> None:
        self._process.join()
        self._reader.join()
        self._conn.close()


def _child(produce: Callable[[Emit], None], conn) -> None:
    global _IN_FORKED_CHILD
    _IN_FORKED_CHILD = True
    def emit(message: tuple) -> None:
        try:
            conn.send(message)
        except Exception:  # an exception that cannot be pickled
            if message[0] != "error":
                raise
            exc = message[1]
            conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))

    try:
        produce(emit)
    finally:
        conn.close()
