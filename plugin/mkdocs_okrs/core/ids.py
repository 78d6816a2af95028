"""The id rule shared by objectives, key results and units.

An id is ``/``-separated segments, each ``[A-Za-z0-9][A-Za-z0-9._-]*``; no
``..``, no empty segment, at most 200 characters. Key result and unit ids are a
single segment. Two objective ids that differ only in case are duplicates.
"""

from __future__ import annotations

import re

MAX_ID_LENGTH = 200
_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(?:/[A-Za-z0-9][A-Za-z0-9._-]*)*")

SEGMENT_RULE = (
    "it must start with a letter or digit and hold only letters, digits, '.', '_' and '-'"
)


def is_valid_segment(text: str) -> bool:
    """True when ``text`` is one valid id segment (a key result or unit id)."""
    return (
        len(text) <= MAX_ID_LENGTH and _SEGMENT.fullmatch(text) is not None and ".." not in text
    )


def is_valid_id(text: str) -> bool:
    """True when ``text`` is a valid (possibly ``/``-separated) objective id."""
    return len(text) <= MAX_ID_LENGTH and _ID.fullmatch(text) is not None and ".." not in text


def id_problem(text: str, *, single_segment: bool = False) -> str | None:
    """Why ``text`` is not a valid id (a short phrase), or None when it is valid."""
    if text == "":
        return "it is empty"
    if len(text) > MAX_ID_LENGTH:
        return f"it is {len(text)} characters long (at most {MAX_ID_LENGTH})"
    if single_segment and "/" in text:
        return "it must be a single segment without '/'"
    for seg in text.split("/"):
        if seg == "":
            return "it has an empty segment"
        if ".." in seg:
            return "it contains '..'"
        if _SEGMENT.fullmatch(seg) is None:
            bad = next((c for c in seg if not (c.isascii() and (c.isalnum() or c in "._-"))), None)
            if bad is not None:
                return f"segment {seg!r} contains {bad!r}; " + SEGMENT_RULE
            return f"segment {seg!r} must start with a letter or digit"
    return None


def split_parent(text: str) -> tuple[str, str | None]:
    """Split ``<id>#<kr-id>`` into (id, kr-id); (id, None) without ``#``."""
    obj, sep, kr = text.partition("#")
    return (obj, kr) if sep else (obj, None)


def id_key(text: str) -> str:
    """The key under which ids are compared for duplicates (case-insensitive)."""
    return text.casefold()
