"""Graphviz renderers: find one, and render many DOT graphs per process.

Three renderers, all producing Graphviz SVG:

- ``dot``: the system Graphviz command (``apt install graphviz``);
- ``graphviz-pure``: the pip-installed, self-contained port (command ``graphviz-pure``);
- ``pygraphviz``: the Graphviz library inside pygraphviz. It cannot be
  interrupted mid-layout, so it runs in a worker process (:mod:`.pygraphviz_worker`)
  that can be killed when the time limit passes.

A batch of graphs goes to one process: ``dot`` and ``graphviz-pure`` read
concatenated ``digraph {...}`` blocks on stdin and write one SVG document per
graph; the pygraphviz worker reads and writes JSON lists. Large batches are cut
into at most ``jobs`` chunks rendered side by side (one process each).

Every renderer runs as installed: ``dot`` measures label text with the fonts of
the build machine (through Pango), which is what sizes the nodes.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Sequence

from .options import INSTALL_HINTS, GraphError

MIN_CHUNK = 100  # graphs per process before a batch is worth splitting
AUTO_ORDER = ("dot", "graphviz-pure", "pygraphviz")
_STDERR_LIMIT = 1500


class Renderer:
    """Renders DOT to SVG. ``name`` and ``version`` identify the output (cache key);
    ``calls`` counts the processes started."""

    name: str = ""
    version: str = ""

    def __init__(self) -> None:
        self.calls = 0

    def argv(self) -> list[str]:  # pragma: no cover - overridden
        raise NotImplementedError

    def encode(self, dots: Sequence[str]) -> bytes:
        """The stdin of one process rendering ``dots``."""
        return "".join(dots).encode("utf-8")

    def decode(self, out: bytes) -> list[str]:
        """The SVG documents in the stdout of one process."""
        text = out.decode("utf-8", "replace")
        return [part.strip() for part in re.split(r"(?<=</svg>)", text) if part.strip()]

    def render_batch(self, dots: Sequence[str], timeout: float) -> list[str]:
        """Render ``dots`` in one process; one SVG document per DOT graph, in order."""
        self.calls += 1
        try:
            proc = subprocess.run(
                self.argv(),
                input=self.encode(dots),
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise GraphError(
                f"{self.name} did not finish rendering {len(dots)} graph(s) within {timeout:g} s "
                "(plugin option graph_timeout); raise graph_timeout, or lower graph_max_nodes "
                "to draw smaller graphs"
            ) from None
        except OSError as exc:
            raise GraphError(f"cannot run the {self.name} renderer: {exc}") from None
        stderr = proc.stderr.decode("utf-8", "replace").strip()
        if proc.returncode != 0:
            raise GraphError(
                f"{self.name} failed rendering {len(dots)} graph(s) (exit status {proc.returncode}): "
                f"{stderr[:_STDERR_LIMIT] or 'no message'}"
            )
        svgs = self.decode(proc.stdout)
        if len(svgs) != len(dots):
            raise GraphError(
                f"{self.name} returned {len(svgs)} SVG document(s) for {len(dots)} graph(s): "
                f"{stderr[:_STDERR_LIMIT] or 'no message'}"
            )
        return svgs

    def render(self, dots: Sequence[str], timeout: float, jobs: int) -> list[str]:
        """Render ``dots`` in processes of at least :data:`MIN_CHUNK` graphs (as few as
        ``jobs`` allows), at most ``jobs`` side by side; SVGs in the order of ``dots``."""
        work = _chunks(dots, list(range(len(dots))), jobs)
        if not work:
            return []
        if len(work) == 1:
            results = [self.render_batch(dots, timeout)]
        else:
            with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(work)))) as pool:
                results = list(pool.map(lambda chunk: self.render_batch([dots[i] for i in chunk], timeout), work))
        out: list[str] = [""] * len(dots)
        for chunk, svgs in zip(work, results):
            for i, svg in zip(chunk, svgs):
                out[i] = svg
        return out


def _chunks(dots: Sequence[str], indexes: list[int], jobs: int) -> list[list[int]]:
    """``indexes`` (into ``dots``) cut into ``min(jobs, len / MIN_CHUNK)`` chunks (at least
    one, none when empty) of about the same DOT size: longest first onto the least loaded."""
    if not indexes:
        return []
    count = max(1, min(jobs, -(-len(indexes) // MIN_CHUNK)))
    if count == 1:
        return [list(indexes)]
    chunks: list[list[int]] = [[] for _ in range(count)]
    loads = [0] * count
    for i in sorted(indexes, key=lambda i: (-len(dots[i]), i)):
        k = loads.index(min(loads))
        chunks[k].append(i)
        loads[k] += len(dots[i])
    return [sorted(c) for c in chunks]


class CommandRenderer(Renderer):
    """``dot`` or ``graphviz-pure``: DOT blocks on stdin, SVG documents on stdout."""

    def __init__(self, name: str, executable: str, version: str) -> None:
        super().__init__()
        self.name = name
        self.executable = executable
        self.version = version

    def argv(self) -> list[str]:
        return [self.executable, "-Kdot", "-q", "-Tsvg"]


class PygraphvizRenderer(Renderer):
    """pygraphviz, in a worker process (JSON list of DOT in, JSON list of SVG out)."""

    name = "pygraphviz"

    def __init__(self, version: str) -> None:
        super().__init__()
        self.version = version

    def argv(self) -> list[str]:
        return [sys.executable, str(Path(__file__).with_name("pygraphviz_worker.py"))]

    def encode(self, dots: Sequence[str]) -> bytes:
        return json.dumps(list(dots)).encode("utf-8")

    def decode(self, out: bytes) -> list[str]:
        try:
            svgs = json.loads(out.decode("utf-8", "replace"))
        except ValueError:
            return []
        return [str(s).strip() for s in svgs] if isinstance(svgs, list) else []


# -- discovery ---------------------------------------------------------------------

_FOUND: dict[tuple, Renderer | None] = {}


def _script_dirs() -> list[str]:
    """Where pip puts commands for this interpreter (a venv's bin folder, even when not activated)."""
    dirs = [sysconfig.get_path("scripts"), str(Path(sys.executable).parent)]
    return list(dict.fromkeys(d for d in dirs if d))


def _command_version(executable: str) -> str | None:
    """First line of ``<executable> -V`` (Graphviz prints it on stderr), None if it does not run."""
    try:
        proc = subprocess.run([executable, "-V"], capture_output=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (proc.stderr or proc.stdout).decode("utf-8", "replace")
    # "dot - graphviz version 2.43.0 (0)" -> "2.43.0 (0)"; skip noise such as fontconfig warnings.
    lines = [ln.split("version", 1)[1].strip() for ln in text.splitlines() if "version" in ln]
    return lines[0] if proc.returncode == 0 and lines and lines[0] else None


def _pygraphviz_version() -> str | None:
    if importlib.util.find_spec("pygraphviz") is None:
        return None
    try:
        from importlib.metadata import version

        import pygraphviz.graphviz as lib  # the compiled extension: the Graphviz it embeds

        graphviz = f"{lib.GRAPHVIZ_MAJOR_VERSION}.{lib.GRAPHVIZ_MINOR_VERSION}.{lib.GRAPHVIZ_PATCH_VERSION}"
        return f"{version('pygraphviz')} (Graphviz {graphviz})"
    except Exception:  # a broken installation: treat as not installed
        return None


def find_renderer(
    name: str,
    *,
    path: str | None = None,
    script_dirs: Sequence[str] | None = None,
    python_modules: bool = True,
) -> Renderer | None:
    """The renderer ``name`` (not ``auto``) if installed and working, else None.

    ``path`` is the command search path (default: PATH); ``script_dirs`` more
    folders searched for ``graphviz-pure`` (default: this interpreter's scripts
    folder); ``python_modules`` False ignores pygraphviz. Results are memoized.
    """
    if path is None:
        path = os.environ.get("PATH", "")
    dirs = tuple(_script_dirs() if script_dirs is None else script_dirs)
    key = (name, path, dirs, python_modules)
    if key in _FOUND:
        return _FOUND[key]
    found: Renderer | None = None
    if name in ("dot", "graphviz-pure"):
        candidates = [shutil.which(name, path=path)] if path else []
        if name == "graphviz-pure":
            candidates += [shutil.which(name, path=d) for d in dirs]
        for exe in dict.fromkeys(c for c in candidates if c):
            version = _command_version(exe)
            if version:
                found = CommandRenderer(name, exe, version)
                break
    elif name == "pygraphviz" and python_modules:
        version = _pygraphviz_version()
        if version:
            found = PygraphvizRenderer(version)
    _FOUND[key] = found
    return found


def select_renderer(name: str, **search) -> Renderer:
    """The renderer for option ``renderer: name``; GraphError with install hints if none.

    ``auto`` takes the first installed of :data:`AUTO_ORDER` (system ``dot`` is
    the fastest here, graphviz-pure comes with the pip install).
    """
    if name == "auto":
        for candidate in AUTO_ORDER:
            renderer = find_renderer(candidate, **search)
            if renderer is not None:
                return renderer
        hints = "; ".join(INSTALL_HINTS[n] for n in ("graphviz-pure", "dot", "pygraphviz"))
        raise GraphError(
            f"no Graphviz renderer found for the OKR graphs. Install one: {hints}. "
            "Or build without graphs (plugin option graphs: false)."
        )
    if name not in INSTALL_HINTS:
        raise GraphError(f"unknown graph renderer {name!r}; use auto, {', '.join(INSTALL_HINTS)}")
    renderer = find_renderer(name, **search)
    if renderer is None:
        raise GraphError(
            f"the graph renderer {name!r} is not installed or does not run: {INSTALL_HINTS[name]}. "
            "Or choose renderer: auto, or build without graphs (plugin option graphs: false)."
        )
    return renderer
