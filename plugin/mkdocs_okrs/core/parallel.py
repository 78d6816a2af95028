"""Loading many objective files on two cores.

Reading 10,000 objective files is CPU-bound Python. On Linux, when the process
has no other thread, it forks a child and both load the files, a chunk at a
time, taking the next chunk from a shared work queue (a pipe holding chunk
numbers): whichever process has more of the machine loads more, so the split
stays even when other programs are busy too. The child sends each chunk's
results as plain tuples (marshal: cheaper to rebuild than pickled
dataclasses) to an anonymous in-memory file and reports it through a second
pipe; it never waits for this process, which rebuilds them between its own
chunks. Chunks the child took but did not send (it failed) are loaded here,
and the results are put back in file order, so the outcome is always that of
a sequential load. ``MKDOCS_OKRS_JOBS=1`` turns it off.
"""

from __future__ import annotations

import datetime as dt
import marshal
import os
import select
import struct
import sys
import threading
from typing import Mapping

from .diagnostics import Diagnostic, Location, Severity
from .model import CheckIn, KeyResult, Objective
from .objective_file import FileResult, LocMap, load_one
from .periods import parse_period
from .yamlfast import SHORT_TEXT
from .yamlsafe import Pos

PARALLEL_MIN_FILES = 2000
_CHUNK_FILES = 100  # files per chunk: small enough that both finish at about the same time
_MAX_CHUNKS = 8192
_TASK = struct.Struct("<I")  # in the work queue: a chunk number
_DONE = struct.Struct("<IQQ")  # from the child: a chunk number, where its results are, their size

Files = list[tuple[str, str]]  # (path below the root, absolute path)


def can_fork() -> bool:
    """True when loading may fork a child here (see the module docstring)."""
    if os.environ.get("MKDOCS_OKRS_JOBS", "").strip() == "1":
        return False
    return (
        sys.platform.startswith("linux")
        and hasattr(os, "fork")
        and hasattr(os, "memfd_create")
        and (os.cpu_count() or 1) >= 2
        and threading.active_count() == 1  # forking a threaded process can deadlock the child
    )


def load_files(files: Files, prefix: str, fiscal: int, diags: list[Diagnostic]) -> list[FileResult]:
    """A :class:`FileResult` for each of ``files`` (``(path below the root, absolute path)``), in order.

    Problems go to ``diags``, with paths shown as ``prefix`` + the path below the root.
    """
    if len(files) >= PARALLEL_MIN_FILES and can_fork():
        return _load_files_forked(files, prefix, fiscal, diags)
    return _load_chunk(files, prefix, fiscal, diags)


def _load_chunk(files: Files, prefix: str, fiscal: int, diags: list[Diagnostic]) -> list[FileResult]:
    return [load_one(a, rel, prefix + rel, fiscal, diags) for rel, a in files]


def _load_files_forked(files: Files, prefix: str, fiscal: int, diags: list[Diagnostic]) -> list[FileResult]:
    # The whole queue must fit in a pipe (64 KiB on Linux): at most 8,192 chunks.
    size = max(_CHUNK_FILES, -(-len(files) // _MAX_CHUNKS))
    chunks = [files[i : i + size] for i in range(0, len(files), size)]
    fds: list[int] = []
    try:
        fds.append(memfd := os.memfd_create("mkdocs-okrs-load", os.MFD_CLOEXEC))
        work_r, work_w = os.pipe()
        fds += (work_r, work_w)
        done_r, done_w = os.pipe()
        fds += (done_r, done_w)
        _write_all(work_w, b"".join(_TASK.pack(i) for i in range(len(chunks))))
        os.close(work_w)
        fds.remove(work_w)
        pid = os.fork()
    except OSError:  # pragma: no cover - out of file descriptors, memory or processes
        for fd in fds:
            os.close(fd)
        return _load_chunk(files, prefix, fiscal, diags)
    if pid == 0:  # the child: load, send, and leave without running any cleanup
        code = 1
        try:
            os.close(done_r)
            _child_loads(chunks, prefix, fiscal, work_r, memfd, done_w)
            code = 0
        except BaseException:  # noqa: BLE001 - the parent loads what it did not get
            code = 1
        finally:
            os._exit(code)
    os.close(done_w)
    fds.remove(done_w)
    by_chunk: list[list[FileResult] | None] = [None] * len(chunks)
    done = False
    try:
        while (i := _take(work_r)) is not None:
            by_chunk[i] = _load_chunk(chunks[i], prefix, fiscal, diags)
            _receive(done_r, memfd, chunks, prefix, fiscal, by_chunk, diags, wait=False)
        _receive(done_r, memfd, chunks, prefix, fiscal, by_chunk, diags, wait=True)
        os.waitpid(pid, 0)
        done = True
    finally:
        for fd in fds:
            os.close(fd)
        if not done:
            try:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
            except OSError:  # pragma: no cover
                pass
    results: list[FileResult] = []
    for i, part in enumerate(by_chunk):
        # A chunk the child took but did not send is loaded here (an exception then surfaces as usual).
        results += part if part is not None else _load_chunk(chunks[i], prefix, fiscal, diags)
    return results


def _take(work_r: int) -> int | None:
    """The next chunk number from the work queue, None when it is empty.

    Both processes read it: each 4-byte read takes one whole number (the numbers
    were written at once and a pipe never splits them).
    """
    data = os.read(work_r, _TASK.size)
    return _TASK.unpack(data)[0] if data else None


def _child_loads(chunks: list[Files], prefix: str, fiscal: int, work_r: int, memfd: int, done_w: int) -> None:
    """In the child: load chunks from the queue and send their results (see above)."""
    offset = 0
    while (i := _take(work_r)) is not None:
        chunk_diags: list[Diagnostic] = []
        packed = []
        for rel, a in chunks[i]:
            obj, id_pos, file_id = load_one(a, rel, prefix + rel, fiscal, chunk_diags)
            packed.append((None if obj is None else _pack_objective(obj), id_pos, file_id))
        payload = marshal.dumps(
            (packed, [(d.path, d.line, d.col, d.severity.value, d.message, d.rule) for d in chunk_diags]),
            2,  # version 2 (no object sharing) dumps twice as fast here
        )
        view = memoryview(payload)
        while view:
            view = view[os.pwrite(memfd, view, offset + len(payload) - len(view)) :]
        _write_all(done_w, _DONE.pack(i, offset, len(payload)))  # 20 bytes: one atomic write
        offset += len(payload)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _receive(done_r: int, memfd: int, chunks: list[Files], prefix: str, fiscal: int,
             by_chunk: list, diags: list[Diagnostic], *, wait: bool) -> None:
    """In the parent: rebuild the chunks the child has sent; with ``wait``, until it is done."""
    while wait or select.select([done_r], [], [], 0)[0]:
        head = os.read(done_r, _DONE.size)
        if len(head) < _DONE.size:
            return  # the child is done (or failed)
        i, offset, size = _DONE.unpack(head)
        data = os.pread(memfd, size, offset)
        if len(data) != size:  # pragma: no cover - a memory file reads whole
            return
        packed, chunk_diags = marshal.loads(data)
        if len(packed) != len(chunks[i]):  # pragma: no cover - a bug: load the chunk here instead
            continue
        by_chunk[i] = [
            FileResult(None if pobj is None else _unpack_objective(pobj, prefix + rel, fiscal), id_pos, file_id)
            for (rel, _), (pobj, id_pos, file_id) in zip(chunks[i], packed)
        ]
        diags.extend(Diagnostic(p, ln, c, Severity(sev), m, r) for p, ln, c, sev, m, r in chunk_diags)


# --- objectives as plain tuples (what marshal can send) ---------------------------


def _locs_of(m: Mapping[str, Location]) -> dict[str, Pos]:
    if isinstance(m, LocMap):
        return dict(m._pos)
    return {k: (v.line, v.col) for k, v in m.items()}


def _pack_objective(o: Objective) -> tuple:
    """``o`` as nested tuples of plain values, for :func:`_unpack_objective`."""
    krs = tuple(
        (
            k.id, k.index, k.title, k.kind, k.start, k.target, k.current, k.current_explicit, k.unit, k.weight,
            k.done,
            tuple(
                (c.date.toordinal(), c.value, c.confidence, c.note, c.loc.line, c.loc.col)  # type: ignore[union-attr]
                for c in k.checkins
            ),
            (k.loc.line, k.loc.col),  # type: ignore[union-attr]
            _locs_of(k.field_locs),
            k.measure_invalid,
        )
        for k in o.key_results
    )
    return (
        o.id, o.path, o.objective, o.owner, o.period.id, o.parent, o.parent_kr, o.commitment, o.status_override,
        o.tags, o.contributors, o.visibility, o.review_until.toordinal() if o.review_until else None,
        o.body, o.body_line, _locs_of(o.field_locs), krs, o.key_results_written,
    )


def _interned(value):
    """``value`` interned when it is a string (a field the checks refused may hold anything)."""
    return sys.intern(value) if value.__class__ is str else value


def _unpack_objective(t: tuple, path: str, fiscal: int) -> Objective:
    """The objective :func:`_pack_objective` packed; ``path`` is its file as shown."""
    (oid, rel, objective, owner, period, parent, parent_kr, commitment, status, tags, contributors, visibility,
     review_until, body, body_line, field_pos, krs, written) = t
    # Plain loops and positional arguments: this runs for every objective the child sent.
    # marshal (version 2) does not keep strings interned: the field names and the short
    # words the reader interned (core.yamlfast.SHORT_TEXT) are interned again here.
    from_ordinal = dt.date.fromordinal
    intern = _interned
    key_results = []
    for (kid, index, title, kind, start, target, current, explicit, unit, weight, done, checkins, (line, col),
         kr_pos, invalid) in krs:
        if unit.__class__ is str and len(unit) <= SHORT_TEXT:
            unit = sys.intern(unit)
        key_results.append(
            KeyResult(
                intern(kid), index, title, intern(kind), start, target, current, explicit, unit, weight, done,
                tuple([
                    CheckIn(from_ordinal(day), value, confidence, note, Location(path, c_line, c_col))
                    for day, value, confidence, note, c_line, c_col in checkins
                ]),
                Location(path, line, col),
                LocMap(path, {intern(k): p for k, p in kr_pos.items()}) if kr_pos else {},
                invalid,
            )
        )
    return Objective(
        oid, rel, objective, intern(owner), parse_period(period, fiscal), tuple(key_results), parent, parent_kr,  # type: ignore[arg-type]
        intern(commitment), status, tags, contributors, intern(visibility),  # type: ignore[arg-type]
        from_ordinal(review_until) if review_until is not None else None,
        body, body_line, Location(path, 1, 1), LocMap(path, {intern(k): p for k, p in field_pos.items()}), written,
    )
