"""The SVG cache: by content hash, in memory across rebuilds and on disk across runs.

The key is ``sha256(format version, renderer name and version, DOT)``: the DOT
holds everything that decides the drawing (labels, links, ids), so an unchanged
graph is never rendered twice. The memory cache lives at module level, so it
survives ``mkdocs serve`` rebuilds (which create a new plugin instance); it is
bounded in bytes and drops the least recently used entries. The disk cache is
one SQLite database (:class:`DiskCache`), each SVG with a checksum; a missing,
corrupt or unwritable cache only costs a render.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections import OrderedDict
from pathlib import Path

# Bump when the SVG post-processing changes, so that old cache entries are not used.
FORMAT_VERSION = "okrs-graphs-2"
MEMORY_LIMIT_BYTES = 256 * 1024 * 1024


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
        """Store ``svg``; evict the least recently used entries beyond the limit (a limit of 0
        stores nothing)."""
        if self.limit <= 0:
            return
        old = self._data.pop(key, None)
        if old is not None:
            self.size -= len(old)
        self._data[key] = svg
        self.size += len(svg)
        while self.size > self.limit and len(self._data) > 1:
            _, dropped = self._data.popitem(last=False)
            self.size -= len(dropped)

    def discard(self, key: str) -> None:
        """Forget the SVG stored under ``key``, if any."""
        old = self._data.pop(key, None)
        if old is not None:
            self.size -= len(old)

    def clear(self) -> None:
        """Forget everything."""
        self._data.clear()
        self.size = 0


MEMORY = MemoryCache()


def clear_memory_cache() -> None:
    """Empty the process-wide memory cache (tests, or to free memory)."""
    MEMORY.clear()


class DiskCache:
    """The SVGs in one SQLite database, ``<root>/svg-cache.sqlite3``, with a checksum each.

    One file instead of one per graph: creating thousands of small files cost a cold
    build more than the drawing saved. A batch's SVGs are read in a few
    queries (:meth:`get_many`); writes wait for :meth:`flush` and go in one transaction. Any failure (an unusable folder,
    a locked or corrupt database, a bad checksum) is a miss or a counted error, never
    raised: the cache only saves renders. A file that is not a database is replaced.
    Open it in the process that uses it (a connection does not survive a fork).
    """

    FILE = "svg-cache.sqlite3"

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.errors = 0
        self._db: sqlite3.Connection | None = None
        self._broken = False
        self._pending: list[tuple[str, str, bytes]] = []

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is not None or self._broken:
            return self._db
        path = self.root / self.FILE
        for attempt in (1, 2):
            try:
                self.root.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(path, timeout=10, isolation_level=None)
                db.execute("PRAGMA synchronous = OFF")  # a cache: a crash at worst costs renders
                try:
                    db.execute("CREATE TABLE IF NOT EXISTS svg (key TEXT PRIMARY KEY, sum TEXT NOT NULL, svg BLOB NOT NULL)")
                except sqlite3.DatabaseError:
                    db.close()
                    raise
                self._db = db
                return db
            except sqlite3.DatabaseError as exc:
                if attempt == 1 and "not a database" in str(exc):
                    try:
                        path.unlink()  # our own file, unreadable: start again
                        continue
                    except OSError:
                        pass
                break
            except OSError:
                break
        self._broken = True
        return None

    def get_many(self, keys: list[str]) -> dict[str, str]:
        """The SVGs stored under ``keys`` (those absent, unreadable or corrupt left out), in a
        few queries rather than one per key."""
        db = self._connect()
        found: dict[str, str] = {}
        if db is None:
            return found
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 500):
            chunk = unique[start:start + 500]
            marks = ",".join("?" * len(chunk))
            try:
                rows = db.execute(f"SELECT key, sum, svg FROM svg WHERE key IN ({marks})", chunk).fetchall()
            except sqlite3.Error:
                return found
            for key, checksum, data in rows:
                svg = self._checked(checksum, data)
                if svg is not None:
                    found[key] = svg
        return found

    @staticmethod
    def _checked(checksum: object, data: object) -> str | None:
        if not isinstance(data, bytes) or hashlib.sha256(data).hexdigest() != checksum:
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def put(self, key: str, svg: str) -> None:
        """Store ``svg`` at the next :meth:`flush`."""
        data = svg.encode("utf-8")
        self._pending.append((key, hashlib.sha256(data).hexdigest(), data))

    def flush(self) -> None:
        """Write what :meth:`put` collected, in one transaction; failures are counted in
        ``errors`` (one per SVG), never raised."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        db = self._connect()
        if db is None:
            self.errors += len(pending)
            return
        try:
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT OR REPLACE INTO svg (key, sum, svg) VALUES (?, ?, ?)", pending)
            db.execute("COMMIT")
        except sqlite3.Error:
            self.errors += len(pending)
            try:
                db.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def close(self) -> None:
        """Flush and close the database."""
        self.flush()
        if self._db is not None:
            self._db.close()
            self._db = None
