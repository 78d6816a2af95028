"""Widths of label text in the graphs' font (Arial), computed here rather than by Graphviz.

Graphviz sizes a node to fit its label: with its Pango plugin it asks the fonts
installed on the build machine, which costs about 40% of the layout time of our
graphs and gives a different drawing on a machine with different fonts. Without
that plugin it uses built-in Arial widths, but Graphviz 2.43 (Debian 11 and 12,
Ubuntu 22.04) ignores bold there, so a bold title would fit too tightly.

This module holds the advance widths of Arial (taken from Liberation Sans, which
is metric-compatible with it: ``scripts/font_metrics.py`` prints the tables) for
the printable ASCII characters and the two others the graphs write themselves
(``·`` and ``…``). :func:`text_width` measures a line of label text with them, so
each node can carry its own minimum width (:mod:`.dot`); only a graph whose every
label is :func:`measurable` is laid out by Graphviz without its text plugins
(:mod:`.renderers`).
"""

from __future__ import annotations

import re

#: The characters of the tables, in order: printable ASCII, then MIDDLE DOT and HORIZONTAL ELLIPSIS.
CHARS = "".join(chr(c) for c in range(32, 127)) + "\u00b7\u2026"

# Advance widths in thousandths of an em, rounded up (Liberation Sans 1.07.4, Debian fonts-liberation).
REGULAR = (
    278, 278, 355, 557, 557, 890, 667, 191, 334, 334, 390, 584, 278, 334, 278, 278,
    557, 557, 557, 557, 557, 557, 557, 557, 557, 557, 278, 278, 584, 584, 584, 557,
    1016, 667, 667, 723, 723, 667, 611, 778, 723, 278, 500, 667, 557, 834, 723, 778,
    667, 778, 723, 667, 611, 723, 667, 944, 667, 667, 611, 278, 278, 278, 470, 557,
    334, 557, 557, 500, 557, 557, 278, 557, 557, 223, 223, 500, 223, 834, 557, 557,
    557, 557, 334, 500, 278, 557, 500, 723, 500, 500, 500, 334, 260, 334, 584, 278,
    1000,
)
BOLD = (
    278, 334, 475, 557, 557, 890, 723, 238, 334, 334, 390, 584, 278, 334, 278, 278,
    557, 557, 557, 557, 557, 557, 557, 557, 557, 557, 334, 334, 584, 584, 584, 611,
    976, 723, 723, 723, 723, 667, 611, 778, 723, 278, 557, 723, 611, 834, 723, 778,
    667, 778, 723, 667, 611, 723, 667, 944, 667, 667, 611, 334, 278, 334, 584, 557,
    334, 557, 611, 557, 611, 557, 334, 611, 611, 278, 278, 557, 278, 890, 611, 611,
    611, 611, 390, 557, 334, 611, 557, 778, 557, 557, 500, 390, 280, 390, 584, 278,
    1000,
)

_REGULAR = dict(zip(CHARS, REGULAR))
_BOLD = dict(zip(CHARS, BOLD))
_OUTSIDE = re.compile("[^\\x20-\\x7e\u00b7\u2026]")


def measurable(text: str) -> bool:
    """True if every character of ``text`` is in the tables."""
    return _OUTSIDE.search(text) is None


def text_width(text: str, size: float, bold: bool = False) -> float | None:
    """Width in points of one line of ``text`` in Arial at ``size`` points (kerning
    ignored: a little wider than drawn), or None if a character is not in the tables."""
    widths = _BOLD if bold else _REGULAR
    total = 0
    for char in text:
        width = widths.get(char)
        if width is None:
            return None
        total += width
    return total * size / 1000
