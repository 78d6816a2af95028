"""Where one ``mkdocs build`` spends its time, by phase: each plugin's events, the theme
and the page rendering MkDocs does itself.

    python scripts/build_phases.py path/to/mkdocs.yml [--site-dir DIR]

It loads the configuration, wraps every event handler of every plugin and the two
steps of MkDocs' build that are not events (a page's Markdown, the theme's template)
in a timer, builds once, and prints the seconds of each phase that took at least
0.02 s. The figures are wall time in this process: the plugin's figure worker, a
separate process or thread, is not counted. Used for the phase tables in
docs/performance.md; it measures, it is not part of the plugin.
"""

from __future__ import annotations

import argparse
import collections
import functools
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("config", help="the mkdocs.yml to build")
    parser.add_argument("--site-dir", help="where to build (default: a temporary folder)")
    parser.add_argument("--min", type=float, default=0.02, metavar="SECONDS",
                        help="leave out phases shorter than this (default 0.02)")
    args = parser.parse_args()

    import jinja2
    from mkdocs.commands import build as build_module
    from mkdocs.config import load_config
    from mkdocs.structure.pages import Page

    seconds: collections.Counter[str] = collections.Counter()

    def timed(label: str, fn):
        @functools.wraps(fn)
        def run(*a, **k):
            start = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                seconds[label] += time.perf_counter() - start
        return run

    page_render = Page.render
    Page.render = timed("MkDocs: pages' Markdown (Page.render)", page_render)
    template_render = jinja2.Template.render

    def render(self, *a, **k):
        if self.name not in ("main.html", "404.html"):
            return template_render(self, *a, **k)
        return timed("theme: main.html", template_render)(self, *a, **k)

    jinja2.Template.render = render
    build_module.utils.write_file = timed("MkDocs: writing files", build_module.utils.write_file)

    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        config = load_config(args.config, site_dir=args.site_dir or tmp)
        for event, methods in config.plugins.events.items():
            for i, method in enumerate(methods):
                owner = getattr(method, "__self__", None)
                name = type(owner).__module__.split(".")[0] if owner is not None else "hook"
                methods[i] = timed(f"{name}: on_{event}", method)
        loaded = time.perf_counter()
        build_module.build(config)
    done = time.perf_counter()
    print(f"configuration {loaded - start:.2f} s, build {done - loaded:.2f} s")
    for label, value in seconds.most_common():
        if value >= args.min:
            print(f"  {value:7.2f} s  {label}")


if __name__ == "__main__":
    main()
