"""How file paths are shown in messages: short and clickable where possible."""

from __future__ import annotations

import os


def display_path(path: str | os.PathLike, base: str | os.PathLike | None = None) -> str:
    """``path`` relative to ``base`` (default: the current folder) when it lies below
    it (``.`` for ``base`` itself), else absolute; with ``/`` separators."""
    absolute = os.path.abspath(os.fspath(path))
    base = os.path.abspath(os.fspath(base)) if base is not None else os.getcwd()
    try:
        inside = os.path.commonpath([absolute, base]) == base
    except ValueError:  # another drive (Windows)
        inside = False
    shown = os.path.relpath(absolute, base) if inside else absolute
    return shown.replace(os.sep, "/")
