"""Drawing a site's figures beside the build: one producer that the build reads from. No MkDocs import.

A page's figures are its alignment graphs (Graphviz) and an objective's trend
charts. The build writes the OKR pages in a known order
(:meth:`~.plan.SitePlan.build_order`). :class:`GraphWorker` draws their figures
in that order, a batch of pages at a time (:func:`batches`), and the build asks
for a page's figures when it writes the page (:meth:`GraphWorker.figures`): it
waits only when the batch that holds them has not arrived yet. The producer is one of

- ``fork``: a child process, on Linux. Building DOT texts, reading the cache and
  cleaning SVGs is Python work, which a thread would do in turns with the build;
  a child does it on the other core. The child is a copy of the build's memory, and
  whatever either of them then writes (a Python object read is a reference count
  written) is copied for real: the child must end early. It draws every figure while
  the build renders the pages' content, and the build takes what has arrived at each
  page it renders (:meth:`GraphWorker.poll`), so that the child can end then.
- ``thread``: a thread of the build process: elsewhere than Linux, and under
  ``mkdocs serve``, where the process-wide memory cache of SVGs then stays warm
  for the next rebuild.
- ``off``: no worker; the build draws a page's batch when the page asks for it.

Messages go one way, from the producer to the build: ``("batch", blocks,
extra_files, stats)`` per batch, then ``("done",)``, or ``("error", message,
graph_error)`` instead of the rest. A batch's blocks (page key -> its figures,
name -> HTML) travel zlib-compressed, and wait for their page in a temporary
file, not in the build's memory: a child draws every figure long before the
last pages are written.
"""

from __future__ import annotations

import dataclasses
import gc
import io
import json
import multiprocessing
import queue
import sys
import tempfile
import threading
import zlib
from collections.abc import Callable
from typing import Any

from ..core.publish import PublicOkrs

MODES = ("auto", "fork", "thread", "off")
BATCH_NODES = 1000  # graph nodes per batch: what one renderer run draws
FIRST_BATCH_NODES = 250  # smaller first batches: the first pages do not wait long

# Where a process can be forked safely: not macOS (system libraries may not
# survive a fork), not Windows (no fork).
FORK_OK = sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()

# keys -> (page key -> figure name -> HTML, separate SVG files, graph statistics or None)
Draw = Callable[[list[str]], tuple[dict[str, dict[str, str]], dict[str, str], Any]]


class WorkerError(Exception):
    """Drawing failed in the worker; ``graph_error`` is True for a GraphError (a message for users)."""

    def __init__(self, message: str, graph_error: bool) -> None:
        super().__init__(message)
        self.graph_error = graph_error


def resolve_mode(mode: str, serving: bool) -> str:
    """The producer an option value means: ``auto`` is ``fork`` in a one-off build on
    Linux, else ``thread``; ``fork`` where there is none is ``thread``. A process that
    runs other threads (a build started from a program that has them) is never forked:
    a lock one of them holds at that moment would stay locked in the child for ever."""
    can_fork = FORK_OK and threading.active_count() == 1
    if mode == "auto":
        return "fork" if can_fork and not serving else "thread"
    if mode == "fork" and not can_fork:
        return "thread"
    return mode


def graph_nodes(view: PublicOkrs, key: str) -> int:
    """About how many graph nodes the page ``key`` draws (to size batches)."""
    kind, _, ident = key.partition(":")
    if kind == "objective":  # (a graph shows at most 30 children and 5 ancestors, see graphs.okr_graphs)
        return 1 + min(len(view.children.get(ident, ())), 30) + min(view.depth(ident), 5)
    if kind == "unit":
        return 2 * len(view.by_owner.get(ident, ()))
    return 0  # (a period page draws no graph)


def batches(view: PublicOkrs, keys: list[str]) -> list[list[str]]:
    """``keys`` (the pages with graphs, in the order the build writes them) cut into
    runs of about :data:`BATCH_NODES` graph nodes; the first ones smaller."""
    out: list[list[str]] = []
    current: list[str] = []
    nodes = 0
    limit = FIRST_BATCH_NODES
    for key in keys:
        current.append(key)
        nodes += graph_nodes(view, key)
        if nodes >= limit:
            out.append(current)
            current, nodes = [], 0
            limit = min(BATCH_NODES, 2 * limit)
    if current:
        out.append(current)
    return out


def add_stats(total: Any, part: Any) -> Any:
    """``total`` (a :class:`~mkdocs_okrs.graphs.GraphStats` or None) with ``part`` added."""
    if total is None:
        return part
    if part is not None:
        for f in dataclasses.fields(total):
            value = getattr(total, f.name)
            if isinstance(value, list):
                value.extend(getattr(part, f.name))
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                setattr(total, f.name, value + getattr(part, f.name))
    return total


def _produce(draw: Draw, work: list[list[str]], emit: Callable[[tuple], None], stop: threading.Event) -> None:
    """Draw every batch of ``work`` in order and emit it (see the module docstring)."""
    from ..graphs import GraphError

    try:
        for keys in work:
            if stop.is_set():
                return
            figures, extra, stats = draw(keys)
            packed = {key: zlib.compress(json.dumps(figs).encode("utf-8"), 1) for key, figs in figures.items() if figs}
            emit(("batch", packed, extra, stats))
        emit(("done",))
    except GraphError as exc:
        emit(("error", str(exc), True))
    except Exception as exc:  # noqa: BLE001 - reported by the build, with its type
        emit(("error", f"{type(exc).__name__}: {exc}", False))


def _child(draw: Draw, work: list[list[str]], messages) -> None:
    _produce(draw, work, messages.put, threading.Event())
    messages.close()
    messages.join_thread()  # every message is in the pipe before the child exits


class GraphWorker:
    """The graphs of the pages ``work`` (batches of page keys, in build order), drawn by
    ``draw(keys) -> (page key -> HTML, separate SVG files, stats)`` in the producer
    ``mode`` (``fork``, ``thread`` or ``off``; see the module docstring)."""

    def __init__(self, draw: Draw, work: list[list[str]], mode: str) -> None:
        self.mode = mode
        self.stats: Any = None  # the GraphStats of every batch, once all have arrived
        self.extra_files: dict[str, str] = {}  # site path -> standalone SVG of an oversized graph
        self._draw = draw
        self._work = work
        self._batch_of = {key: i for i, keys in enumerate(work) for key in keys}
        self._arrived = 0  # batches received
        self._spool = tempfile.TemporaryFile() if work else None  # the blocks that wait for their page
        self._blocks: dict[str, tuple[int, int]] = {}  # page key -> (offset, size) in the spool
        self._done = not work
        self._stop = threading.Event()
        self._process = None
        self._thread = None
        self._frozen = False
        if self._done or mode == "off":
            return
        if mode == "fork":
            context = multiprocessing.get_context("fork")
            self._messages = context.Queue()
            self._process = context.Process(target=_child, args=(draw, work, self._messages), daemon=True)
            # Until the child ends, the build's collector leaves what exists now alone: a
            # collection writes into every object it visits, which would copy it. (PyPy has
            # no gc.freeze.)
            self._frozen = hasattr(gc, "freeze")
            if self._frozen:
                gc.freeze()
            try:
                self._process.start()
            except BaseException:  # (no child: nothing to keep frozen for)
                self._process = None
                self._end()
                raise
        else:
            self._messages = queue.Queue()
            self._thread = threading.Thread(
                target=_produce, args=(draw, work, self._messages.put, self._stop), name="okrs-graphs", daemon=True
            )
            self._thread.start()

    def figures(self, key: str) -> dict[str, str]:
        """Page ``key``'s figures (name -> HTML; empty when it has none), once its batch is here.

        Raises :class:`WorkerError` when drawing failed."""
        index = self._batch_of.get(key)
        if index is None:
            return {}
        while key not in self._blocks and self._arrived <= index:
            self._receive()
        where = self._blocks.pop(key, None)
        if where is None:
            return {}
        self._spool.seek(where[0])
        return json.loads(zlib.decompress(self._spool.read(where[1])).decode("utf-8"))

    def poll(self) -> None:
        """Take the batches a child has sent so far, without waiting (the build calls this
        as it renders each page: the child, done drawing, can end). Nothing to do for a
        thread, which shares the build's memory, or without a worker. Raises
        :class:`WorkerError` when drawing failed."""
        if self._process is None:
            return
        while not self._done:
            try:
                message = self._messages.get_nowait()
            except queue.Empty:
                return
            self._handle(message)
        self._end()  # (the child has sent its last batch)

    def finish(self) -> None:
        """Receive every remaining batch (their separate SVG files and statistics) and end
        the producer. Raises :class:`WorkerError` when drawing failed."""
        while not self._done:
            self._receive()
        self._end()
        self._close_spool()

    def cancel(self) -> None:
        """Stop drawing (a failed build): the child process is ended, the thread told to stop."""
        self._stop.set()
        if self._process is not None and self._process.is_alive():
            self._process.terminate()
        self._done = True
        self._end()
        self._close_spool()

    def _close_spool(self) -> None:
        if self._spool is not None:
            self._spool.close()
            self._spool = None
        self._blocks.clear()

    def _end(self) -> None:
        if self._process is not None:
            self._process.join(timeout=10)
            self._messages.close()
            self._process = None
        if self._frozen:
            gc.unfreeze()
            self._frozen = False
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _receive(self) -> None:
        """Take the next message (in ``off`` mode: draw the next batch here)."""
        if self._done:
            raise WorkerError("the graphs of a page were asked for after the last batch", False)
        if self.mode == "off":
            messages: list[tuple] = [("done",)]
            if self._arrived < len(self._work):  # its batch, then "done" (or an error)
                messages = []
                _produce(self._draw, [self._work[self._arrived]], messages.append, self._stop)
            self._handle(messages[0])
            return
        while True:
            try:
                message = self._messages.get(timeout=1.0 if self._process is not None else None)
            except queue.Empty:
                if not self._process.is_alive():  # and nothing more can come
                    try:
                        message = self._messages.get(timeout=0.1)
                    except queue.Empty:
                        raise WorkerError(f"the graph worker process ended without its graphs "
                                          f"(exit code {self._process.exitcode})", False) from None
                else:
                    continue
            break
        self._handle(message)

    def _handle(self, message: tuple) -> None:
        kind = message[0]
        if kind == "batch":
            _, blocks, extra, stats = message
            end = self._spool.seek(0, io.SEEK_END)  # (a page's read moved the position)
            for key, block in blocks.items():
                self._blocks[key] = (end, len(block))
                end += self._spool.write(block)
            self.extra_files.update(extra)
            self.stats = add_stats(self.stats, stats)
            self._arrived += 1
            if self._arrived == len(self._work):
                self._done = True
        elif kind == "done":
            self._done = True
        else:
            self._done = True
            self._end()
            raise WorkerError(message[1], message[2])
