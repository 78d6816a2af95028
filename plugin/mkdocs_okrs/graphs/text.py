"""Untrusted text made fit for a drawing: cleaned, shortened and wrapped.

Everything a contributor writes (statements, KR titles, unit names) passes
through :func:`clean_text` before it reaches DOT: control characters, bidi
overrides, lone surrogates and noncharacters are dropped, every run of
whitespace (newlines included) becomes one space.
"""

from __future__ import annotations

import re

ELLIPSIS = "\u2026"

# C0 and C1 controls (tab, newline and friends are turned into spaces first),
# bidi embeddings/overrides/isolates, the BOM, lone surrogates and the
# noncharacters U+FFFE/U+FFFF. Line/paragraph separators count as whitespace.
_WHITESPACE = re.compile(r"[\s\u2028\u2029]+")
_DROP = re.compile(
    "[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff\ud800-\udfff]"
)


def clean_text(text: object) -> str:
    """``text`` as one line of printable text (see the module docstring)."""
    s = _DROP.sub("", _WHITESPACE.sub(" ", str(text)))
    return _WHITESPACE.sub(" ", s).strip()


def truncate(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, ending in an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rstrip()
    return cut + ELLIPSIS


def wrap(text: str, width: int, max_lines: int | None = None) -> list[str]:
    """Greedy word wrap of cleaned ``text`` to lines of at most ``width`` characters.

    Words longer than a line are cut (over several lines). When more than ``max_lines``
    lines would be needed, the last one kept ends in an ellipsis; ``None``: as many
    lines as the text needs, nothing left out. Returns at least one line.
    """
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        while len(word) > width:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width])
            word = word[width:]
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= width:
            current += " " + word
        else:
            lines.append(current)
            current = word
    if current or not lines:
        lines.append(current)
    if max_lines is not None and len(lines) > max_lines:
        last = lines[max_lines - 1][: width - 2].rstrip()
        lines = lines[: max_lines - 1] + [last + " " + ELLIPSIS]
    return lines
