"""The SVG cache: by content hash, in memory across rebuilds and on disk across runs.

The key is ``sha256(format version, renderer name and version, DOT)``: the DOT
holds everything that decides the drawing (labels, links, ids), so an unchanged
graph is never rendered twice. The memory cache lives at module level, so it
survives ``mkdocs serve`` rebuilds (which create a new plugin instance); it is
bounded in bytes and drops the least recently used entries. The disk cache
holds one file per key, written atomically (temporary file + rename) with a
checksum line; a missing, corrupt or unwritable cache only costs a render.
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from pathlib import Path

# Bump when the SVG post-processing changes, so that old cache entries are not used.
FORMAT_VERSION = "okrs-graphs-2"
MEMORY_LIMIT_BYTES = 256 * 1024 * 1024
_HEADER = "okrs-svg "


def cache_key(renderer: str, version: str, dot: str) -> str:
    """The cache key of ``dot`` rendered by ``renderer`` ``version``."""
    h = hashlib.sha256()
    for part in (FORMAT_VERSION, renderer, version):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    h.update(dot.encode("utf-8"))
    return h.hexdigest()


class MemoryCache:
    """A least-recently-used map of key -> SVG, bounded by the total size of the SVGs."""

    def __init__(self, limit_bytes: int = MEMORY_LIMIT_BYTES) -> None:
        self.limit = limit_bytes
        self.size = 0
        self._data: OrderedDict[str, str] = OrderedDict()

    def __len__(self) -> int:
        return len(self._data)

    def get(self, key: str) -> str | None:
        """The SVG stored under ``key`` (marked as recently used), or None."""
        svg = self._data.get(key)
        if svg is not None:
            self._data.move_to_end(key)
        return svg

    def put(self, key: str, svg: str) -> None:
        """Store ``svg``; evict the least recently used entries beyond the limit."""
        old = self._data.pop(key, None)
        if old is not None:
            self.size -= len(old)
        self._data[key] = svg
        self.size += len(svg)
        while self.size > self.limit and len(self._data) > 1:
            _, dropped = self._data.popitem(last=False)
            self.size -= len(dropped)

    def clear(self) -> None:
        """Forget everything."""
        self._data.clear()
        self.size = 0


MEMORY = MemoryCache()


def clear_memory_cache() -> None:
    """Empty the process-wide memory cache (tests, or to free memory)."""
    MEMORY.clear()


class DiskCache:
    """One file per key under ``root`` (``<root>/<key[:2]>/<key>.svg``)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.errors = 0

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.svg"

    def get(self, key: str) -> str | None:
        """The SVG stored under ``key``, or None when absent, unreadable or corrupt."""
        try:
            data = self._path(key).read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        header, sep, svg = data.partition("\n")
        if not sep or header != _HEADER + hashlib.sha256(svg.encode("utf-8")).hexdigest():
            return None
        return svg

    def put(self, key: str, svg: str) -> None:
        """Store ``svg`` atomically; failures are counted in ``errors``, never raised."""
        path = self._path(key)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        data = (_HEADER + hashlib.sha256(svg.encode("utf-8")).hexdigest() + "\n" + svg).encode("utf-8")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)
            os.replace(tmp, path)
        except OSError:
            self.errors += 1
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
