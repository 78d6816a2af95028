"""Print the advance widths that mkdocs_okrs/graphs/textmetrics.py holds.

Maintainers' tool, run once when that table changes::

    pip install fonttools
    python scripts/font_metrics.py /usr/share/fonts/truetype/liberation

It reads Liberation Sans Regular and Bold (metric-compatible with Arial: the same
advance width for every character) and prints, for the printable ASCII characters
and the few others the graphs write themselves, the advance width in thousandths
of an em, rounded up.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

CHARS = "".join(chr(c) for c in range(32, 127)) + "\u00b7\u2026"


def widths(path: Path) -> list[int]:
    """Advance widths of :data:`CHARS` in ``path``, in 1/1000 em, rounded up."""
    font = TTFont(path)
    per_em = font["head"].unitsPerEm
    cmap = font.getBestCmap()
    metrics = font["hmtx"].metrics
    return [math.ceil(metrics[cmap[ord(c)]][0] * 1000 / per_em) for c in CHARS]


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/liberation")
    for name, file in (("REGULAR", "LiberationSans-Regular.ttf"), ("BOLD", "LiberationSans-Bold.ttf")):
        values = widths(folder / file)
        print(f"{name} = (")
        for i in range(0, len(values), 16):
            print("    " + ", ".join(str(v) for v in values[i : i + 16]) + ",")
        print(")")


if __name__ == "__main__":
    main()
