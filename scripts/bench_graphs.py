#!/usr/bin/env python3
"""Benchmark the OKR graphs: cold render and warm (cached) rebuild, per renderer.

    python scripts/bench_graphs.py [--objectives 1000] [--repeat 3] [--renderers dot,graphviz-pure,pygraphviz]

Builds a synthetic organization in memory (1,000 public objectives over four
quarters, aligned up to the company, a third of them to a key result) and times
:func:`mkdocs_okrs.graphs.build_site_graphs` for the objective pages (one graph
each), then for the whole site (objective, period and unit pages):

- cold: empty memory cache, no disk cache -- everything goes through the renderer;
- warm (memory): the same call again, as in a ``mkdocs serve`` rebuild;
- warm (disk): a fresh memory cache but a filled ``cache_dir``, as in a new ``mkdocs build``.

Figures are the best of ``--repeat`` runs (the machine may be shared); the CPU
seconds (this process plus the renderer processes) do not depend on other load:
on an idle machine the cold wall time is about the CPU time divided by the
number of renderer processes run side by side.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugin"))
sys.path.insert(0, str(ROOT / "tests"))

from mkdocs_okrs.graphs import GraphOptions, build_site_graphs, clear_memory_cache  # noqa: E402
from mkdocs_okrs.graphs.renderers import find_renderer  # noqa: E402
from test_graphs_support import pages_for, synthetic_view  # noqa: E402


def _cpu() -> float:
    """CPU seconds used so far by this process and its finished children (renderers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def best(fn, repeat: int):
    """(best wall seconds, CPU seconds of that run, last result) of ``repeat`` calls of ``fn``."""
    runs, result = [], None
    for _ in range(repeat):
        t, c = time.perf_counter(), _cpu()
        result = fn()
        runs.append((time.perf_counter() - t, _cpu() - c))
    wall, cpu = min(runs)
    return wall, cpu, result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--objectives", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--renderers", default="dot,graphviz-pure,pygraphviz")
    args = ap.parse_args()

    view = synthetic_view(args.objectives, private_share=0.0)
    all_pages = pages_for(view)
    objective_pages = {k: v for k, v in all_pages.items() if k.startswith("objective:")}
    print(f"{len(view.objectives)} objectives; {os.cpu_count()} CPUs; best of {args.repeat}")
    print(
        f"{'renderer':<15} {'pages':<10} {'graphs':>6} {'cold s':>7} {'cold cpu s':>10} {'calls':>5} "
        f"{'warm mem s':>10} {'warm disk s':>11} {'rendered warm':>13}"
    )
    for name in args.renderers.split(","):
        if find_renderer(name) is None:
            print(f"{name:<15} not installed")
            continue
        for label, pages in (("objectives", objective_pages), ("whole site", all_pages)):
            def cold():
                clear_memory_cache()
                return build_site_graphs(view, pages, GraphOptions(renderer=name))

            cold_s, cold_cpu, result = best(cold, args.repeat)
            calls = result.stats.render_calls
            warm_s, _, warm = best(lambda: build_site_graphs(view, pages, GraphOptions(renderer=name)), args.repeat)
            with tempfile.TemporaryDirectory() as tmp:
                opts = GraphOptions(renderer=name, cache_dir=Path(tmp))
                build_site_graphs(view, pages, opts)  # fill the disk cache

                def from_disk():
                    clear_memory_cache()
                    return build_site_graphs(view, pages, opts)

                disk_s, _, disk = best(from_disk, args.repeat)
            assert warm.stats.rendered == 0 and disk.stats.rendered == 0
            print(
                f"{name:<15} {label:<10} {result.stats.graphs:>6} {cold_s:>7.2f} {cold_cpu:>10.2f} {calls:>5} {warm_s:>10.3f} "
                f"{disk_s:>11.3f} {warm.stats.rendered + disk.stats.rendered:>13}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
