"""Reading source files: size and encoding checks, and the YAML front-matter block.

A file is UTF-8 (a leading BOM is dropped); CRLF and lone CR line endings
become LF before anything else, so every line and column reported later is
the one an editor shows.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass

BOM = b"\xef\xbb\xbf"


class SourceError(Exception):
    """A file-level problem: ``rule`` and a 1-based ``line``/``col`` in the file."""

    def __init__(self, rule: str, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.line = line
        self.col = col


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """A file split at its front-matter fences.

    ``yaml`` is the text between the fences; its first line is line ``yaml_line``
    of the file. ``body`` is everything after the closing fence; its first line
    is line ``body_line`` of the file.
    """

    yaml: str
    yaml_line: int
    body: str
    body_line: int


def decode_source(data: bytes) -> str:
    """UTF-8 bytes to text with LF line endings; a leading BOM is dropped.

    Raises :class:`SourceError` (``file-encoding``) at the first byte that is not UTF-8.
    """
    if data.startswith(BOM):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            raise SourceError(
                "file-encoding", "the file is UTF-16, not UTF-8; save it as UTF-8"
            ) from None
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        col = len(data[line_start : exc.start].decode("utf-8", "replace")) + 1
        raise SourceError(
            "file-encoding",
            f"the file is not UTF-8 text: byte 0x{data[exc.start]:02x} at line {line} "
            "cannot be decoded; save the file as UTF-8",
            line,
            col,
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


_CLOSING_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)


def _is_fence(line: str, closing: bool) -> bool:
    stripped = line.rstrip(" \t")
    return stripped == "---" or (closing and stripped == "...")


def split_front_matter(text: str) -> FrontMatter:
    """Split decoded ``text`` into front-matter YAML and Markdown body.

    The first line must be ``---``; the block ends at the next line that is
    ``---`` or ``...`` (trailing spaces allowed). Raises :class:`SourceError`
    (``frontmatter-missing`` or ``frontmatter-unclosed``) at line 1.
    """
    nl = text.find("\n")
    first = text if nl < 0 else text[:nl]
    if not _is_fence(first, closing=False):
        what = "is empty" if not text.strip() else "does not start with a '---' line"
        raise SourceError(
            "frontmatter-missing",
            f"the file {what}; an objective file starts with a '---' front-matter block "
            "(objective:, owner:, period:, key_results:) closed by another '---' line",
        )
    if nl < 0:
        raise SourceError(
            "frontmatter-unclosed", "the front-matter opened on line 1 is never closed by a '---' line"
        )
    close = _CLOSING_FENCE.search(text, nl + 1)
    if close is None:
        raise SourceError(
            "frontmatter-unclosed", "the front-matter opened on line 1 is never closed by a '---' line"
        )
    fence_line = text.count("\n", 0, close.start()) + 1
    return FrontMatter(text[nl + 1 : close.start()], 2, text[close.end() + 1 :], fence_line + 1)


MAX_FILE_BYTES = 1024 * 1024


_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_NOCTTY", 0)  # a terminal named x.md must not become ours
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO named x.md must not hang the run
)
_CHUNK = 64 * 1024
# Windows may give a file no stable identity (st_ino 0, or one that differs
# between stat and fstat): compare identities where they are inodes.
_CHECK_IDENTITY = os.name != "nt"


def file_kind(mode: int) -> str | None:
    """What a file of ``mode`` (``st_mode``) is, for messages: None for a regular file,
    else ``"a folder"``, ``"a character device"``, ``"a block device"``,
    ``"a named pipe (FIFO)"``, ``"a socket"`` or ``"a special file"``."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def not_regular_message(kind: str) -> str:
    """The ``file-unreadable`` message for a path that is ``kind`` (see :func:`file_kind`)."""
    if kind == "a folder":
        return "cannot read the file: it is a folder, not a file"
    return f"cannot read the file: it is {kind}, not a regular file"


def _unreadable(exc: OSError, path: str) -> SourceError:
    """The ``file-unreadable`` problem for an error opening or reading ``path``."""
    if isinstance(exc, FileNotFoundError):
        why = "it is a broken symbolic link" if os.path.islink(path) else "it does not exist"
    elif isinstance(exc, IsADirectoryError):
        why = "it is a folder, not a file"
    elif isinstance(exc, BlockingIOError):  # a FIFO opened without a writer
        why = "it is not a regular file"
    else:
        why = exc.strerror or str(exc)
    return SourceError("file-unreadable", f"cannot read the file: {why}")


def read_source(path: str) -> str:
    """Read the file at ``path`` as text (see :func:`decode_source`).

    Only a regular file is opened: a folder, device, named pipe or socket (also
    behind a symbolic link) is refused by its kind, without reading or blocking.
    The opened file must be the one that was checked (same device and inode), so
    a file swapped in between is refused too. Never reads more than 1 MiB + 1
    byte. Raises :class:`SourceError`: ``file-too-large`` over 1 MiB,
    ``file-unreadable`` for what is not a regular file, broken links and
    permission problems, ``file-encoding`` for text that is not UTF-8.
    """
    try:
        before = os.stat(path)
    except OSError as exc:
        raise _unreadable(exc, path) from None
    kind = file_kind(before.st_mode)
    if kind is not None:
        raise SourceError("file-unreadable", not_regular_message(kind))
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise _unreadable(exc, path) from None
    try:
        opened = os.fstat(fd)
        kind = file_kind(opened.st_mode)
        if kind is not None:
            raise SourceError("file-unreadable", not_regular_message(kind))
        if _CHECK_IDENTITY and (opened.st_dev, opened.st_ino) != (before.st_dev, before.st_ino):
            raise SourceError(
                "file-unreadable", "cannot read the file: it was replaced while it was being read; run the check again"
            )
        # Small reads: os.read(fd, n) allocates n bytes up front.
        data = os.read(fd, _CHUNK)
        if len(data) == _CHUNK:
            parts = [data]
            total = len(data)
            while total <= MAX_FILE_BYTES:
                more = os.read(fd, min(MAX_FILE_BYTES + 1 - total, 4 * _CHUNK))
                if not more:
                    break
                parts.append(more)
                total += len(more)
            data = b"".join(parts)
        if len(data) > MAX_FILE_BYTES:
            raise SourceError(
                "file-too-large",
                f"the file is {os.fstat(fd).st_size} bytes; files larger than 1 MiB ({MAX_FILE_BYTES} bytes) are refused",
            )
    except OSError as exc:
        raise _unreadable(exc, path) from None
    finally:
        os.close(fd)
    return decode_source(data)
