"""Worker process for the pygraphviz renderer: a JSON list of DOT on stdin, a JSON list of SVG on stdout.

Run as a script (``python pygraphviz_worker.py``) by :mod:`.renderers`, so that a
layout that runs too long can be killed: pygraphviz renders inside the Graphviz
C library, which cannot be interrupted from Python.
"""

import json
import sys
import warnings


def main() -> int:
    """Render every graph of the input; exit status 1 with a message on the first failure."""
    warnings.simplefilter("ignore")  # Graphviz warnings (fonts...) are not failures
    import pygraphviz

    dots = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    out = []
    for i, dot in enumerate(dots):
        try:
            graph = pygraphviz.AGraph(string=dot)
            out.append(graph.draw(format="svg", prog="dot").decode("utf-8", "replace"))
        except Exception as exc:  # report which graph, then stop
            sys.stderr.write(f"graph {i + 1} of {len(dots)}: {exc}\n")
            return 1
    sys.stdout.write(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
