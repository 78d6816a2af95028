#!/usr/bin/env python3
"""Benchmarks of mkdocs-okrs on a generated organization.

    python scripts/benchmark.py check [--objectives 10000] [--repeat 3] [--json OUT]
    python scripts/benchmark.py build [--sizes 1000,10000] [--build-repeat N] [--profile DIR]
    python scripts/benchmark.py smoke  # a tiny build for CI: fails only on breakage, never on time
    python scripts/benchmark.py shapes [--build-repeat N]  # pathological alignment shapes
    python scripts/benchmark.py all    # check and build, in order

Each section generates (once, cached for the run) a synthetic organization with
``scripts/gen_org.py`` into a temporary folder and times real subprocesses:
the best and the median of ``--repeat`` runs. Sections:

``check``
    ``okrs check`` (as ``python -m mkdocs_okrs check``) against two floors
    measured in the same run on the same files:

    - *python startup*: ``python -c pass`` -- the fixed cost of any Python tool;
    - *read files*: walk the root and read every file's bytes -- the I/O floor;
    - *yaml parse*: read every file, cut the front-matter and parse it with
      PyYAML's libyaml loader (``yaml.load(..., CSafeLoader)``) -- what a
      straightforward checker would spend before validating anything.

    ``x read`` and ``x yaml`` divide a step's best time by these two. Wall
    times are noisy on a busy machine, so ``cpu s`` (user + system time of the
    process, best run) is shown too.

    The goal is ``okrs check`` on 10,000 objectives in under 2 s.

``build``
    For each of ``--sizes`` (objectives), builds two MkDocs sites with
    mkdocs-material and its search plugin, the same theme options and
    ``markdown_extensions``, interleaved so that the machine's load hits both:

    - *plain*: the floor of the engine. Every published objective as a
      hand-written Markdown page (statement as the title, owner and period, the
      key results as a Markdown table, the body), kept out of the navigation
      with MkDocs' ``not_in_nav``;
    - *plugin*: the ``okrs`` plugin over the generated OKR root, graphs on
      (every objective, period and unit page carries its graph), with an empty
      graph cache (``cold``);
    - *plugin, warm cache*: the plugin build again in a new process, with the
      graph cache the cold build filled (a rebuild: no drawing should go
      through Graphviz);
    - *okrs generate* (cold graph cache, into a new folder; and again, *warm*, with
      nothing changed), *zensical* (``zensical build --clean`` of the generated
      pages, the recipe of docs/zensical.md), their sum *generate + zensical*, and
      *zensical plain*, the plain pages built by Zensical: its floor; and *mkdocs,
      generated*, the generated pages built by MkDocs without the plugin. Measured
      only where a ``zensical`` command is installed;

    then ``okrs check`` on the same files. Each MkDocs build runs in a child process
    (``mkdocs build`` through MkDocs' own API) that reports its wall time, CPU
    seconds (its own and its renderer processes') and peak resident memory;
    the plugin also reports its graph statistics. ``x plain`` is the ratio to
    the plain build of the same size. The targets: ratio <= 1.25 at 1,000 and
    10,000 objectives, peak memory <= 600 MB at 10,000, ``okrs check`` <= 2 s at
    10,000, and a warm rebuild that renders nothing.

    ``--profile DIR`` also writes a cProfile of one more plugin build per size
    (``DIR/plugin-<n>.prof``; read it with ``python -m pstats``).

``smoke``
    The ``build`` section on 40 objectives, once, plus checks of the output:
    every objective has a page with its graph, the search index and the sitemap
    have no private objective, the warm rebuild renders nothing, ``okrs check``
    is clean. It exits non-zero only when something is broken; times are
    printed, never judged. CI runs it (``.ci/run``).

``shapes``
    Pathological alignment shapes from ``gen_org.generate_shape``: ``wide`` (one
    objective with 2,000 children), ``deep`` (a chain of 500 objectives, each the
    parent of the next) and ``deep-wide`` (a chain of 100, each with 20 children).
    Each is built once (``--build-repeat`` times) with the plugin, graphs on, cold
    graph cache, and its wall time is printed against the 15 s target, with what a
    reader gets (the largest objective page, the most nodes in an objective page's
    graph, separate SVG files). Printed, never judged.

To add a section: write ``def bench_<name>(ctx: Context) -> list[Row]`` and
register it in :data:`SECTIONS`; use :meth:`Context.org` for the generated
sources and :func:`time_command` to time a subprocess.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import gen_org  # noqa: E402

TODAY = "2026-11-15"
GOAL_CHECK_SECONDS = 2.0


@dataclass
class Timing:
    """Wall-clock seconds (and CPU seconds) of repeated runs of one command."""

    runs: list[float]
    cpu: list[float] = field(default_factory=list)

    @property
    def best_cpu(self) -> float | None:
        return min(self.cpu) if self.cpu else None

    @property
    def best(self) -> float:
        return min(self.runs)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


@dataclass
class Row:
    """One line of a section's table."""

    section: str
    step: str
    files: int
    best: float
    median: float
    cpu: float | None = None
    floors: dict[str, float] = field(default_factory=dict)  # name -> seconds, for the "x name" columns
    note: str = ""
    peak_mb: float | None = None  # peak resident memory of the process, when measured

    @classmethod
    def of(cls, section: str, step: str, files: int, t: "Timing", floors: dict[str, float] | None = None,
           note: str = "", peak_mb: float | None = None) -> "Row":
        return cls(section, step, files, t.best, t.median, t.best_cpu, dict(floors or {}), note, peak_mb)

    @property
    def files_per_s(self) -> float:
        return self.files / self.best if self.best > 0 else float("inf")

    def ratio(self, floor: str) -> float | None:
        seconds = self.floors.get(floor)
        return self.best / seconds if seconds else None


@dataclass
class Context:
    """Shared state of one benchmark run: options and a cache of generated organizations."""

    objectives: int
    repeat: int
    seed: int
    workdir: Path
    sizes: tuple[int, ...] = (1_000, 10_000)  # objectives per build of the ``build`` section
    build_repeat: int | None = None  # builds of each kind per size; None: :func:`builds_per_size`
    profile_dir: Path | None = None  # ``build``: write a cProfile of one plugin build per size here
    summary: list[str] = field(default_factory=list)  # lines printed after the table
    _orgs: dict[tuple[int, int], tuple[Path, gen_org.GenStats]] = field(default_factory=dict)

    def org(self, objectives: int | None = None) -> tuple[Path, gen_org.GenStats]:
        """An OKR root with ``objectives`` generated objectives (generated once per run)."""
        n = objectives or self.objectives
        key = (n, self.seed)
        if key not in self._orgs:
            root = self.workdir / f"org-{n}-{self.seed}" / "okrs"
            saved = root.parent / "stats.json"
            if saved.is_file():  # kept from an earlier run (--keep)
                stats = gen_org.GenStats(**json.loads(saved.read_text()))
                print(f"reusing {stats.objectives} generated objectives in {root}", file=sys.stderr)
            else:
                t0 = time.perf_counter()
                stats = gen_org.generate(root, n, seed=self.seed)
                saved.write_text(json.dumps(asdict(stats)))
                print(
                    f"generated {stats.objectives} objectives, {stats.files} files, "
                    f"{stats.bytes / 1e6:.1f} MB in {time.perf_counter() - t0:.1f} s",
                    file=sys.stderr,
                )
            self._orgs[key] = (root, stats)
        return self._orgs[key]


def time_command(cmd: list[str], repeat: int, *, cwd: Path | None = None, env: dict | None = None,
                 expect_rc: int | None = 0) -> tuple[Timing, subprocess.CompletedProcess]:
    """Run ``cmd`` ``repeat`` times (after one untimed warm-up run); return timings and the last result.

    The warm-up fills the OS file cache and Python's bytecode cache, so the
    numbers are the steady state a developer or a CI re-run sees.
    """
    run_env = dict(os.environ if env is None else env)
    run_env.pop("GITHUB_ACTIONS", None)
    result = subprocess.run(cmd, cwd=cwd, env=run_env, capture_output=True, text=True)
    runs, cpu = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        result = subprocess.run(cmd, cwd=cwd, env=run_env, capture_output=True, text=True)
        runs.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    if expect_rc is not None and result.returncode != expect_rc:
        raise SystemExit(
            f"benchmark: {' '.join(cmd)} exited {result.returncode}, expected {expect_rc}\n"
            f"{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    return Timing(runs, cpu), result


# ------------------------------------------------------------------------ sections

_READ_FILES = """
import os, sys
n = 0
for d, dirs, files in os.walk(sys.argv[1]):
    for f in files:
        with open(os.path.join(d, f), 'rb') as fh:
            fh.read()
        n += 1
print(n)
"""

_YAML_PARSE = """
import os, sys, yaml
loader = yaml.CSafeLoader
n = 0
for d, dirs, files in os.walk(sys.argv[1]):
    for f in files:
        with open(os.path.join(d, f), 'rb') as fh:
            text = fh.read().decode('utf-8')
        if f.endswith('.md'):
            text = text.split('\\n---\\n', 1)[0][4:]
        yaml.load(text, Loader=loader)
        n += 1
print(n)
"""


def bench_check(ctx: Context) -> list[Row]:
    """``okrs check`` on the generated organization, against the startup, read and parse floors."""
    root, stats = ctx.org()
    py = sys.executable
    files = stats.files
    t_start, _ = time_command([py, "-c", "pass"], ctx.repeat)
    t_read, r = time_command([py, "-c", _READ_FILES, str(root)], ctx.repeat)
    assert int(r.stdout) == files, (r.stdout, files)
    t_yaml, r = time_command([py, "-c", _YAML_PARSE, str(root)], ctx.repeat)
    assert int(r.stdout) == files, (r.stdout, files)
    check_cmd = [py, "-m", "mkdocs_okrs", "check", str(root), "--no-config", "--today", TODAY, "--format", "text"]
    t_check, r = time_command(check_cmd, ctx.repeat, cwd=root.parent, expect_rc=None)
    diags = len(r.stdout.splitlines())
    if r.returncode not in (0, 1):
        raise SystemExit(f"benchmark: okrs check failed ({r.returncode}):\n{r.stderr[-3000:]}")
    floors = {"read": t_read.best, "yaml": t_yaml.best}
    if files >= 10_000:
        goal = ("meets" if t_check.best < GOAL_CHECK_SECONDS else "MISSES") + f" the {GOAL_CHECK_SECONDS:g} s goal"
    else:
        goal = f"the {GOAL_CHECK_SECONDS:g} s goal is for 10,000 files"
    return [
        Row.of("check", "python startup", 0, t_start),
        Row.of("check", "read files", files, t_read, floors),
        Row.of("check", "yaml parse", files, t_yaml, floors),
        Row.of("check", "okrs check", files, t_check, floors,
               f"{diags} diagnostics, exit {r.returncode}; {goal}"),
    ]


# --------------------------------------------------------------------------- build

GOAL_RATIO = 1.25
GOAL_PEAK_MB = 600.0

# The theme, extensions and search of both sites: the repository's own mkdocs.yml settings.
_SITE_COMMON = """\
site_name: OKR benchmark
site_url: https://example.com/okrs-bench/
theme:
  name: material
  features:
    - navigation.sections
    - navigation.top
    - search.suggest
    - content.code.copy
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      primary: teal
      toggle: {icon: material/weather-night, name: Switch to dark mode}
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      primary: teal
      toggle: {icon: material/weather-sunny, name: Switch to light mode}
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.details
  - pymdownx.superfences
nav:
  - Home: index.md
"""

# Runs one ``mkdocs build`` in this child process, as the ``mkdocs build`` command does
# (load_config, on_startup, build, on_shutdown), then writes what it measured as JSON.
_BUILD_RUNNER = r"""
import dataclasses, json, logging, resource, sys, time
t0 = time.perf_counter()
from mkdocs.commands.build import build
from mkdocs.config import load_config

config_file, site_dir, out, profile = sys.argv[1:5]
handler = logging.StreamHandler(sys.stderr)
handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
logger = logging.getLogger("mkdocs")
logger.addHandler(handler)
logger.setLevel(logging.INFO)

def run():
    cfg = load_config(config_file, site_dir=site_dir)
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        build(cfg, dirty=False)
    finally:
        cfg.plugins.on_shutdown()
    return cfg

if profile:
    import cProfile
    prof = cProfile.Profile()
    cfg = prof.runcall(run)
    prof.dump_stats(profile)
else:
    cfg = run()
wall = time.perf_counter() - t0
me = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
okrs = cfg.plugins.get("okrs")
stats = getattr(okrs, "graph_stats", None)
with open(out, "w") as fh:
    json.dump({
        "wall_in_process": wall,
        "cpu_self": me.ru_utime + me.ru_stime,
        "cpu_children": kids.ru_utime + kids.ru_stime,
        "peak_kb": me.ru_maxrss,
        "children_peak_kb": kids.ru_maxrss,
        "graph_stats": dataclasses.asdict(stats) if stats is not None else None,
    }, fh)
"""


@dataclass
class BuildRun:
    """What one build measured."""

    wall: float  # seconds, seen from the parent (interpreter start-up included)
    cpu: float  # CPU seconds of the build process and the processes it started (graphs, renderers)
    cpu_main: float  # CPU seconds of the build process alone: its critical path on an idle machine
    peak_mb: float  # peak resident memory of the build process
    renderer_peak_mb: float  # largest peak of its child processes (the graph process, renderers)
    total_peak_mb: float  # peak of the memory of the build and all its processes together (PSS, sampled)
    graph_stats: dict | None
    pages: int = 0
    site_mb: float = 0.0
    search_mb: float = 0.0


@dataclass
class BenchSite:
    """A generated MkDocs project (plain or plugin) ready to be built."""

    kind: str
    config: Path
    site_dir: Path
    cache_dir: Path | None = None
    objectives: int = 0  # published objectives (one page each)


def _front_matter(text: str) -> tuple[dict, str]:
    import yaml

    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n")
    head, sep, body = text[4:].partition("\n---\n")
    return (yaml.load(head, Loader=yaml.CSafeLoader) or {}), body


def _cell(value: object) -> str:
    return "" if value is None else str(value).replace("|", "\\|").replace("\n", " ")


def plain_page(fm: dict, body: str) -> str:
    """One objective as a hand-written Markdown page: the floor the plugin is compared with.

    The statement (title), owner and period, the key results as a Markdown table
    (start, current, target, unit), and the body.
    """
    lines = [f"# {fm.get('objective', '')}", "", f"Owner: {fm.get('owner', '')} · Period: {fm.get('period', '')}", ""]
    lines += ["| Key result | Start | Current | Target | Unit |", "|---|---|---|---|---|"]
    for kr in fm.get("key_results") or []:
        if isinstance(kr, str):
            lines.append(f"| {_cell(kr)} | | | | |")
            continue
        checkins = kr.get("checkins") or []
        current = kr.get("current")
        if current is None and checkins and checkins[-1].get("value") is not None:
            current = checkins[-1]["value"]
        if "done" in kr:
            current = "done" if kr["done"] else "not done"
        lines.append(
            f"| {_cell(kr.get('title'))} | {_cell(kr.get('start'))} | {_cell(current)} | "
            f"{_cell(kr.get('target'))} | {_cell(kr.get('unit'))} |"
        )
    return "\n".join(lines) + "\n\n" + body


def make_plain_site(root: Path, where: Path) -> BenchSite:
    """The plain floor: every public objective of ``root`` as a Markdown page out of the nav."""
    docs = where / "docs"
    if where.exists():
        shutil.rmtree(where)
    (docs / "objectives").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n\nThe objectives, as plain pages.\n", encoding="utf-8")
    count = 0
    for path in sorted(root.rglob("*.md")):
        rel = path.relative_to(root)
        if any(part.startswith(("_", ".")) for part in rel.parts):
            continue
        fm, body = _front_matter(path.read_text(encoding="utf-8"))
        if fm.get("visibility") == "private":
            continue
        out = docs / "objectives" / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(plain_page(fm, body), encoding="utf-8")
        count += 1
    config = where / "mkdocs.yml"
    config.write_text(_SITE_COMMON + "not_in_nav: |\n  /objectives/\nplugins:\n  - search\n", encoding="utf-8")
    return BenchSite("plain", config, where / "site", objectives=count)


def make_plugin_site(root: Path, where: Path, published: int) -> BenchSite:
    """The plugin's site over the OKR root ``root`` (graphs on, a disk cache of its own)."""
    docs = where / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text("# Home\n\nThe objectives, published by the okrs plugin.\n", encoding="utf-8")
    cache = where / "graph-cache"
    config = where / "mkdocs.yml"
    config.write_text(
        _SITE_COMMON
        + "plugins:\n  - search\n  - okrs:\n"
        + f"      okrs_dir: {json.dumps(str(root))}\n"
        + f"      today: {TODAY}\n"
        + "      graphs: true\n"
        + f"      cache_dir: {json.dumps(str(cache))}\n",
        encoding="utf-8",
    )
    return BenchSite("plugin", config, where / "site", cache_dir=cache, objectives=published)


def make_generated_site(root: Path, where: Path, published: int) -> BenchSite:
    """The recipe of docs/zensical.md over the OKR root ``root``: ``okrs generate docs/okrs``
    (graphs on, a disk cache of its own), then Zensical, which skips the okrs plugin."""
    docs = where / "docs"
    if where.exists():
        shutil.rmtree(where)
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n\nThe objectives, written by okrs generate.\n", encoding="utf-8")
    cache = where / "graph-cache"
    common = _SITE_COMMON.replace("  - pymdownx.superfences\n",
                                  "  - pymdownx.superfences\n  - mkdocs_okrs.generated_toc\n")
    assets = "okrs/assets/okrs"
    config = where / "mkdocs.yml"
    config.write_text(
        common
        + "  - OKRs: okrs/index.md\n"
        + f"extra_css:\n  - {assets}/okrs.css\n  - {assets}/okrs-graphs.css\n"
        + f"extra_javascript:\n  - {assets}/okrs-graphs.js\n  - {assets}/okrs-filters.js\n"
        + "plugins:\n  - search\n  - okrs:\n"
        + f"      okrs_dir: {json.dumps(str(root))}\n"
        + f"      today: {TODAY}\n"
        + "      graphs: true\n"
        + f"      cache_dir: {json.dumps(str(cache))}\n",
        encoding="utf-8",
    )
    # The same pages built by MkDocs without the plugin (the recipe's other builder).
    text = config.read_text(encoding="utf-8")
    (where / "mkdocs-no-plugin.yml").write_text(text[: text.index("  - okrs:\n")], encoding="utf-8")
    return BenchSite("generated", config, where / "site", cache_dir=cache, objectives=published)


def zensical_command() -> str | None:
    """The ``zensical`` command of this environment, else from PATH; None without one."""
    here = Path(sys.executable).parent / "zensical"
    return str(here) if here.exists() else shutil.which("zensical")


def _run_sampled(cmd: list[str], cwd: Path, env: dict, interval: float
                 ) -> tuple[subprocess.CompletedProcess, float, float, float]:
    """Run ``cmd`` in ``cwd``, sampling the memory of its process tree every ``interval``
    seconds: (its result with the output, wall seconds, CPU seconds of it and its children,
    peak PSS in MB). A peak counts when two readings in a row show it: a renderer being
    started (vfork) shares its parent's memory for a moment, and /proc counts it twice."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out_f, tempfile.TemporaryFile("w+") as err_f:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out_f, stderr=err_f, text=True)
        total_peak = previous = 0.0
        while proc.poll() is None:
            current = tree_pss_mb(proc.pid)
            total_peak = max(total_peak, min(previous, current))
            previous = current
            time.sleep(interval)
        wall = time.perf_counter() - t0
        out_f.seek(0)
        err_f.seek(0)
        result = subprocess.CompletedProcess(cmd, proc.returncode, out_f.read(), err_f.read())
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result, wall, cpu, total_peak


def run_measured(cmd: list[str], cwd: Path) -> BuildRun:
    """Run ``cmd`` in ``cwd`` as a build: its wall time, CPU seconds and peak memory (the
    process and its children together, PSS, sampled); SystemExit with its output on failure."""
    os.sync()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("GITHUB_ACTIONS", None)
    result, wall, cpu, total_peak = _run_sampled(cmd, cwd, env, 0.05)
    if result.returncode != 0:
        raise SystemExit(f"benchmark: {' '.join(cmd)} in {cwd} failed ({result.returncode}):\n"
                         f"{result.stdout[-2000:]}{result.stderr[-4000:]}")
    site = cwd / "site"
    pages = sum(1 for _ in site.rglob("*.html")) if site.is_dir() and cmd[-1] == "--clean" else 0
    return BuildRun(wall=wall, cpu=cpu, cpu_main=cpu, peak_mb=total_peak, renderer_peak_mb=0.0,
                    total_peak_mb=total_peak, graph_stats=None, pages=pages)


def run_build(site: BenchSite, *, profile: Path | None = None) -> BuildRun:
    """Build ``site`` in a child process; raise SystemExit with its log if the build fails."""
    if site.site_dir.exists():
        shutil.rmtree(site.site_dir)
    # Start from a quiet disk: what the last build wrote or deleted is flushed now, not
    # during this build (on a small VM it can otherwise slow this one's writes a lot).
    os.sync()
    out = site.config.parent / "measure.json"
    out.unlink(missing_ok=True)
    env = dict(os.environ)
    env.pop("GITHUB_ACTIONS", None)
    cmd = [sys.executable, "-c", _BUILD_RUNNER, str(site.config), str(site.site_dir), str(out),
           str(profile or "")]
    result, wall, cpu, total_peak = _run_sampled(cmd, site.config.parent, env, 0.1)
    if result.returncode != 0 or not out.is_file():
        raise SystemExit(
            f"benchmark: the {site.kind} build of {site.config} failed ({result.returncode}):\n"
            f"{result.stdout[-2000:]}{result.stderr[-4000:]}"
        )
    data = json.loads(out.read_text())
    search = site.site_dir / "search" / "search_index.json"
    pages = sum(1 for _ in site.site_dir.rglob("*.html"))
    size = sum(p.stat().st_size for p in site.site_dir.rglob("*") if p.is_file())
    return BuildRun(
        wall=wall,
        cpu=cpu,
        cpu_main=data["cpu_self"],
        peak_mb=data["peak_kb"] / 1024,
        renderer_peak_mb=data["children_peak_kb"] / 1024,
        total_peak_mb=max(total_peak, data["peak_kb"] / 1024),
        graph_stats=data["graph_stats"],
        pages=pages,
        site_mb=size / 1e6,
        search_mb=search.stat().st_size / 1e6 if search.is_file() else 0.0,
    )


def _pss_mb(pid: int) -> float:
    """Proportional set size of ``pid`` in MB: its private memory plus its share of the
    memory it shares (a forked child and its parent each count half of their common pages)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children(pid: int) -> list[int]:
    """The child processes of every thread of ``pid`` (renderers are started from threads)."""
    out: list[int] = []
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in threads:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out += [int(x) for x in fh.read().split()]
        except OSError:
            pass
    return out


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(_children(p))
    return sorted(out)


def tree_pss_mb(pid: int) -> float:
    """The memory of ``pid`` and all its descendants together, in MB (0 where /proc lacks it).

    A process that forks while it is being read would be counted twice (the parent
    read before the fork with all its memory, the new process after it with its share),
    so a reading during which the set of processes changed is taken again."""
    for _ in range(5):
        pids = _tree(pid)
        total = sum(_pss_mb(p) for p in pids)
        if _tree(pid) == pids:
            return total
    return 0.0


def _graph_note(stats: dict | None) -> str:
    if not stats:
        return "no graphs"
    cached = stats["memory_hits"] + stats["disk_hits"]
    return (
        f"{stats['graphs']} graphs: {stats['rendered']} rendered"
        + (f" ({len(stats['rejected'])} cached drawing(s) rejected)" if stats.get("rejected") else "")
        + f", {cached} from cache, "
        f"{stats['render_seconds']:.2f} s in Graphviz ({stats['render_calls']} calls)"
    )


def _cpu_note(run: BuildRun) -> str:
    return (f"{run.cpu_main:.1f} s CPU in the build process, {run.cpu - run.cpu_main:.1f} s in its children "
            f"(peak {run.renderer_peak_mb:.0f} MB)")


def _build_rows(label: str, runs: list[BuildRun], floor: float | None, note: str) -> Row:
    best = min(runs, key=lambda r: r.wall)
    t = Timing([r.wall for r in runs], [r.cpu for r in runs])
    floors = {"plain": floor} if floor else {}
    return Row("build", label, best.pages, t.best, t.median, t.best_cpu, floors, note,
               max(r.total_peak_mb for r in runs))


def _meets(ok: bool) -> str:
    return "meets" if ok else "MISSES"


SHORT_BUILD = 2_000  # objectives up to which a build takes seconds, not minutes


def builds_per_size(objectives: int) -> int:
    """Builds of each kind at this size by default: best of 5 for a build of a few
    seconds (one burst of the machine's other work moves it by 20% or more), of 2 for
    one of a minute."""
    return 5 if objectives <= SHORT_BUILD else 2


def bench_build(ctx: Context) -> list[Row]:
    """Plain Markdown pages against the plugin (cold and warm graph cache), and ``okrs check``."""
    rows: list[Row] = []
    py = sys.executable
    for n in ctx.sizes:
        root, stats = ctx.org(n)
        base = root.parent
        plain = make_plain_site(root, base / "plain")
        plugin = make_plugin_site(root, base / "plugin", plain.objectives)
        repeat = ctx.build_repeat or builds_per_size(n)
        print(f"building {n} objectives ({plain.objectives} published), {repeat} time(s) each ...",
              file=sys.stderr)
        plain_runs: list[BuildRun] = []
        cold_runs: list[BuildRun] = []
        warm_runs: list[BuildRun] = []
        # okrs generate (cold graph cache into a new folder; again, warm, nothing changed),
        # Zensical over the generated pages, and Zensical over the plain pages (its floor).
        zensical = zensical_command()
        generated = make_generated_site(root, base / "generated", plain.objectives)
        gen_cmd = [py, "-m", "mkdocs_okrs", "generate", "docs/okrs"]
        gen_cold: list[BuildRun] = []
        gen_warm: list[BuildRun] = []
        zen_runs: list[BuildRun] = []
        zen_plain: list[BuildRun] = []
        no_plugin: list[BuildRun] = []
        no_plugin_site = BenchSite("generated pages, MkDocs", generated.config.parent / "mkdocs-no-plugin.yml",
                                   generated.config.parent / "site-mkdocs", objectives=plain.objectives)
        for _ in range(repeat):  # interleaved: the machine's load hits every kind alike
            plain_runs.append(run_build(plain))
            shutil.rmtree(plugin.cache_dir, ignore_errors=True)
            cold_runs.append(run_build(plugin))
            warm_runs.append(run_build(plugin))
            if zensical:
                shutil.rmtree(generated.cache_dir, ignore_errors=True)
                shutil.rmtree(generated.config.parent / "docs" / "okrs", ignore_errors=True)
                gen_cold.append(run_measured(gen_cmd, generated.config.parent))
                gen_warm.append(run_measured(gen_cmd, generated.config.parent))
                zen_runs.append(run_measured([zensical, "build", "--clean"], generated.config.parent))
                zen_plain.append(run_measured([zensical, "build", "--clean"], plain.config.parent))
                no_plugin.append(run_build(no_plugin_site))
        floor = min(r.wall for r in plain_runs)
        floor_cpu = min(r.cpu for r in plain_runs)
        p, c, w = (min(runs, key=lambda r: r.wall) for runs in (plain_runs, cold_runs, warm_runs))
        rows.append(_build_rows(f"plain {n}", plain_runs, floor,
                                f"{p.site_mb:.0f} MB site, {p.search_mb:.1f} MB search index"))
        rows.append(_build_rows(f"plugin {n}", cold_runs, floor,
                                f"cold graph cache; {_graph_note(c.graph_stats)}; {_cpu_note(c)}; "
                                f"{c.site_mb:.0f} MB site, {c.search_mb:.1f} MB search index"))
        rows.append(_build_rows(f"plugin {n} warm", warm_runs, floor,
                                f"warm graph cache; {_graph_note(w.graph_stats)}; {_cpu_note(w)}"))
        if zensical:
            for r in gen_cold + gen_warm:
                r.pages = c.pages
            z, zp = (min(runs, key=lambda r: r.wall) for runs in (zen_runs, zen_plain))
            rows.append(_build_rows(f"okrs generate {n}", gen_cold, floor,
                                    "cold graph cache, a new folder: every file written"))
            rows.append(_build_rows(f"okrs generate {n} warm", gen_warm, floor,
                                    "warm graph cache, nothing changed: no file written"))
            rows.append(_build_rows(f"zensical {n}", zen_runs, floor,
                                    f"zensical build --clean of the generated pages ({z.pages} pages)"))
            both = [BuildRun(wall=g.wall + zr.wall, cpu=g.cpu + zr.cpu, cpu_main=g.cpu + zr.cpu,
                             peak_mb=max(g.peak_mb, zr.peak_mb), renderer_peak_mb=0.0,
                             total_peak_mb=max(g.total_peak_mb, zr.total_peak_mb), graph_stats=None, pages=z.pages)
                    for g, zr in zip(gen_cold, zen_runs)]
            rows.append(_build_rows(f"generate + zensical {n}", both, floor,
                                    "okrs generate (cold) then zensical build, run by run"))
            rows.append(_build_rows(f"zensical plain {n}", zen_plain, floor,
                                    f"the plain pages built by Zensical: its floor ({zp.pages} pages)"))
            m = min(no_plugin, key=lambda r: r.wall)
            rows.append(_build_rows(f"mkdocs, generated {n}", no_plugin, floor,
                                    f"mkdocs build of the generated pages without the plugin; {m.site_mb:.0f} MB site, "
                                    f"{m.search_mb:.1f} MB search index"))
            best_both = min(r.wall for r in both)
            ctx.summary.append(
                f"{n:>6} objectives: okrs generate + Zensical {best_both:.1f} s (generate {min(r.wall for r in gen_cold):.1f}"
                f" s cold, {min(r.wall for r in gen_warm):.1f} s warm; Zensical {z.wall:.1f} s) against the plugin's "
                f"MkDocs build {c.wall:.1f} s, the plain MkDocs floor {floor:.1f} s and the plain Zensical floor "
                f"{zp.wall:.1f} s: {best_both / floor:.2f} x the MkDocs floor, {best_both / zp.wall:.2f} x Zensical's"
            )
        else:
            ctx.summary.append(f"{n:>6} objectives: okrs generate + Zensical not measured (no zensical command; "
                               "pip install zensical)")
        t_check, r = time_command(
            [py, "-m", "mkdocs_okrs", "check", str(root), "--no-config", "--today", TODAY], ctx.repeat,
            cwd=base, expect_rc=None,
        )
        if r.returncode not in (0, 1):
            raise SystemExit(f"benchmark: okrs check failed ({r.returncode}):\n{r.stderr[-3000:]}")
        rows.append(Row.of("build", f"okrs check {n}", stats.files, t_check,
                           note=f"{len(r.stdout.splitlines())} diagnostics, exit {r.returncode}"))
        if ctx.profile_dir is not None:
            ctx.profile_dir.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(plugin.cache_dir, ignore_errors=True)
            target = ctx.profile_dir / f"plugin-{n}.prof"
            run_build(plugin, profile=target)
            ctx.summary.append(f"profile of a cold plugin build of {n}: {target} (python -m pstats {target})")

        ratio, ratio_cpu = c.wall / floor, c.cpu / floor_cpu
        warm_ratio, warm_ratio_cpu = w.wall / floor, w.cpu / floor_cpu
        ratio_goal = (f"{_meets(max(ratio, warm_ratio) <= GOAL_RATIO)} the {GOAL_RATIO:g} goal (wall)"
                      if n >= 1_000 else f"the {GOAL_RATIO:g} goal is for 1,000 and 10,000")
        ctx.summary.append(
            f"{n:>6} objectives: plugin/plain {ratio:.2f} wall, {ratio_cpu:.2f} CPU (cold graph cache), "
            f"{warm_ratio:.2f} wall, {warm_ratio_cpu:.2f} CPU (warm) -- {ratio_goal}"
        )
        main_ratio = max(c.cpu_main, w.cpu_main) / floor_cpu
        ctx.summary.append(
            f"{'':>6}             the build process alone: {c.cpu_main:.1f} s CPU cold, {w.cpu_main:.1f} s warm, "
            f"{main_ratio:.2f} x the plain build's CPU (the critical path: with a free core, the graph "
            f"process runs beside it)"
        )
        peak = max(r.total_peak_mb for r in cold_runs + warm_runs)
        goal = f"{_meets(peak <= GOAL_PEAK_MB)} the {GOAL_PEAK_MB:.0f} MB goal" if n >= 10_000 else \
            f"the {GOAL_PEAK_MB:.0f} MB goal is for 10,000"
        ctx.summary.append(
            f"{'':>6}             peak memory {peak:.0f} MB with the plugin (build process alone "
            f"{max(r.peak_mb for r in cold_runs + warm_runs):.0f} MB), "
            f"{max(r.total_peak_mb for r in plain_runs):.0f} MB plain -- {goal}"
        )
        check_goal = f"{_meets(t_check.best <= GOAL_CHECK_SECONDS)} the {GOAL_CHECK_SECONDS:g} s goal" \
            if n >= 10_000 else f"the {GOAL_CHECK_SECONDS:g} s goal is for 10,000"
        ctx.summary.append(f"{'':>6}             okrs check {t_check.best:.2f} s -- {check_goal}")
        ws = w.graph_stats or {}
        ctx.summary.append(
            f"{'':>6}             warm rebuild: {ws.get('rendered', '?')} graphs rendered, "
            f"{ws.get('render_seconds', 0.0):.2f} s in Graphviz -- "
            f"{_meets(ws.get('rendered') == 0)} the 'near zero in Graphviz' goal"
        )
    return rows


# --------------------------------------------------------------------------- smoke

SMOKE_OBJECTIVES = 40


def bench_smoke(ctx: Context) -> list[Row]:
    """A small plain/plugin/warm build and ``okrs check``; fails on breakage only (never on time)."""
    smoke = Context(SMOKE_OBJECTIVES, 1, ctx.seed, ctx.workdir, sizes=(SMOKE_OBJECTIVES,), build_repeat=1,
                    _orgs=ctx._orgs)
    rows = bench_build(smoke)
    root, stats = smoke.org(SMOKE_OBJECTIVES)
    problems: list[str] = []
    site = root.parent / "plugin" / "site"
    objective_pages = [p for p in (site / "okrs" / "objectives").rglob("index.html")]
    plain_pages = [p for p in (root.parent / "plain" / "docs" / "objectives").rglob("*.md")]
    if len(objective_pages) != len(plain_pages):
        problems.append(f"{len(objective_pages)} objective pages for {len(plain_pages)} public objectives")
    without_graph = [str(p.relative_to(site)) for p in objective_pages
                     if 'class="okr-graph' not in (text := p.read_text(encoding="utf-8")) or "<svg" not in text]
    if without_graph:
        problems.append(f"{len(without_graph)} objective page(s) without a graph, e.g. {without_graph[0]}")
    private = []  # ids of private objectives (unique, unlike generated statements)
    for path in sorted(root.rglob("*.md")):
        fm, _ = _front_matter(path.read_text(encoding="utf-8"))
        if fm.get("visibility") == "private":
            private.append(str(fm.get("id") or path.relative_to(root).with_suffix("").as_posix()))
    published = "\n".join(
        (site / name).read_text(encoding="utf-8") for name in ("search/search_index.json", "sitemap.xml", "okrs.json")
    )
    leaked = [oid for oid in private if f"{oid}/" in published or f'"{oid}"' in published]
    if leaked:
        problems.append(f"private objective(s) in the search index, sitemap or okrs.json: {leaked[:3]}")
    warm = next(r for r in rows if r.step.endswith("warm"))
    if "0 rendered" not in warm.note:
        problems.append(f"the warm rebuild rendered graphs again: {warm.note}")
    check = next(r for r in rows if r.step.startswith("okrs check"))
    if "exit 0" not in check.note:
        problems.append(f"okrs check is not clean on the generated organization: {check.note}")
    ctx.summary.extend(smoke.summary)
    if problems:
        raise SystemExit("benchmark smoke run: BROKEN\n" + "\n".join(f"- {p}" for p in problems))
    ctx.summary.append(
        f"smoke: OK ({stats.objectives} objectives, {len(objective_pages)} objective pages with graphs, "
        f"{len(private)} private left out, warm rebuild rendered nothing, okrs check clean)"
    )
    return rows


# -------------------------------------------------------------------------- shapes

GOAL_SHAPE_SECONDS = 15.0
# (name, gen_org.generate_shape arguments): the pathological alignment shapes.
SHAPES: tuple[tuple[str, dict], ...] = (
    ("wide", {"shape": "wide", "children": 2000}),  # one objective with 2,000 children
    ("deep", {"shape": "deep", "depth": 500}),  # a chain of 500, each the parent of the next
    ("deep-wide", {"shape": "deep-wide", "depth": 100, "children": 20}),  # a chain of 100, 20 children each
)


def _shape_output(site: Path) -> str:
    """What a reader gets: the largest objective page and graph, separate SVG files."""
    pages = list((site / "okrs" / "objectives").rglob("*.html"))
    largest = max(pages, key=lambda p: p.stat().st_size) if pages else None
    most_nodes = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        most_nodes = max(most_nodes, text.count('class="node okr-node'))
    separate = list((site / "okrs" / "graphs").rglob("*.svg"))
    return (
        f"largest objective page {largest.stat().st_size / 1e3:.0f} kB"
        + f", at most {most_nodes} nodes in an objective page's graph"
        + f", {len(separate)} separate SVG file(s)"
    ) if largest else "no objective pages"


def bench_shapes(ctx: Context) -> list[Row]:
    """Pathological alignment shapes (a very wide parent, a very deep chain, both), each
    built once with the plugin, graphs on, cold graph cache, against the 15 s target.

    The organizations come from ``gen_org.generate_shape`` (teams of five objectives,
    warning-free). ``--build-repeat`` builds each that many times (default once).
    Times are printed, never judged: the exit status says only whether the builds worked.
    """
    rows: list[Row] = []
    repeat = ctx.build_repeat or 1
    for name, args in SHAPES:
        base = ctx.workdir / f"shape-{name}"
        root = base / "okrs"
        if not (base / "stats.json").is_file():
            stats = gen_org.generate_shape(root, **args)
            (base / "stats.json").write_text(json.dumps(asdict(stats)))
        stats = gen_org.GenStats(**json.loads((base / "stats.json").read_text()))
        site = make_plugin_site(root, base / "plugin", stats.objectives)
        print(f"building shape {name} ({stats.objectives} objectives), {repeat} time(s) ...", file=sys.stderr)
        runs = []
        for _ in range(repeat):
            shutil.rmtree(site.cache_dir, ignore_errors=True)
            runs.append(run_build(site))
        best = min(runs, key=lambda r: r.wall)
        t = Timing([r.wall for r in runs], [r.cpu for r in runs])
        rows.append(Row("shapes", name, best.pages, t.best, t.median, t.best_cpu,
                        note=f"cold graph cache; {_graph_note(best.graph_stats)}; {_cpu_note(best)}",
                        peak_mb=max(r.total_peak_mb for r in runs)))
        ctx.summary.append(
            f"shape {name:<10} {stats.objectives:>5} objectives: {t.best:.1f} s -- "
            f"{_meets(t.best < GOAL_SHAPE_SECONDS)} the {GOAL_SHAPE_SECONDS:g} s target; "
            f"{_shape_output(site.site_dir)}"
        )
    return rows


SECTIONS: dict[str, Callable[[Context], list[Row]]] = {
    "check": bench_check,
    "build": bench_build,
    "smoke": bench_smoke,
    "shapes": bench_shapes,
}
# ``all`` runs these, in order (``smoke`` is the small CI variant of ``build``).
ALL_SECTIONS = ("check", "build")


# --------------------------------------------------------------------------- output


def format_table(rows: list[Row]) -> str:
    """A plain-text table of ``rows``."""
    floor_names: list[str] = []
    for r in rows:
        floor_names += [name for name in r.floors if name not in floor_names]
    with_peak = any(r.peak_mb is not None for r in rows)
    head = ("section", "step", "files", "best s", "median s", "cpu s", *(("peak MB",) if with_peak else ()),
            "files/s", *(f"x {name}" for name in floor_names), "note")
    lines = [head]

    def ratio(r: Row, name: str) -> str:
        value = r.ratio(name)
        return f"{value:.2f}" if value is not None else "-"

    for r in rows:
        lines.append((
            r.section,
            r.step,
            str(r.files) if r.files else "-",
            f"{r.best:.3f}",
            f"{r.median:.3f}",
            f"{r.cpu:.3f}" if r.cpu is not None else "-",
            *((f"{r.peak_mb:.0f}" if r.peak_mb is not None else "-",) if with_peak else ()),
            f"{r.files_per_s:,.0f}" if r.files else "-",
            *(ratio(r, name) for name in floor_names),
            r.note,
        ))
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    left = (0, 1, len(head) - 1)
    out = []
    for i, line in enumerate(lines):
        cells = [c.ljust(w) if k in left else c.rjust(w) for k, (c, w) in enumerate(zip(line, widths))]
        out.append("  ".join(cells).rstrip())
        if i == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def precompile_package() -> None:
    """Compile mkdocs_okrs to bytecode, as ``pip install`` does for a regular install.

    An editable install (``pip install -e .``) leaves that to the first import, and
    with ``PYTHONDONTWRITEBYTECODE`` set (some CI images set it) every process would
    compile the package again: a cost that is not the product's.
    """
    import compileall

    import mkdocs_okrs

    compileall.compile_dir(os.path.dirname(mkdocs_okrs.__file__), quiet=1)


def main(argv: list[str] | None = None) -> int:
    """``python scripts/benchmark.py SECTION``."""
    parser = argparse.ArgumentParser(description="Benchmark mkdocs-okrs on a generated organization.")
    parser.add_argument("section", choices=[*SECTIONS, "all"], help="what to measure")
    parser.add_argument("--objectives", "-n", type=int, default=10_000, help="objectives to generate (10000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per command (3)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (1)")
    parser.add_argument("--keep", metavar="DIR",
                        help="generate into DIR and keep it; later runs reuse it (default: a temp folder)")
    parser.add_argument("--json", metavar="OUT", help="also write the rows as JSON to OUT")
    parser.add_argument("--sizes", default="1000,10000",
                        help="build: comma-separated numbers of objectives (1000,10000)")
    parser.add_argument("--build-repeat", type=int, default=None,
                        help="build: builds of each kind per size, interleaved (default: 5 up to "
                             f"{SHORT_BUILD:,} objectives, 2 above)")
    parser.add_argument("--profile", metavar="DIR",
                        help="build: also write a cProfile of one cold plugin build per size into DIR")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.objectives < 1 or (args.build_repeat is not None and args.build_repeat < 1):
        parser.error("--repeat, --build-repeat and --objectives must be at least 1")
    try:
        sizes = tuple(int(x) for x in args.sizes.split(",") if x.strip())
    except ValueError:
        parser.error(f"--sizes: expected numbers separated by commas, not {args.sizes!r}")
    if not sizes or min(sizes) < 1:
        parser.error("--sizes: expected numbers of at least 1")

    names = list(ALL_SECTIONS) if args.section == "all" else [args.section]
    precompile_package()
    started = time.perf_counter()
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    with tempfile.TemporaryDirectory(prefix="okrs-bench-") as tmp:
        workdir = Path(args.keep) if args.keep else Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        ctx = Context(args.objectives, args.repeat, args.seed, workdir, sizes=sizes,
                      build_repeat=args.build_repeat, profile_dir=Path(args.profile) if args.profile else None)
        rows: list[Row] = []
        for name in names:
            rows += SECTIONS[name](ctx)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    what = f"{args.objectives} objectives" if "check" in names else ""
    if "build" in names:
        what += ("; " if what else "") + f"builds of {', '.join(f'{n:,}' for n in sizes)} objectives"
    print(f"mkdocs-okrs benchmark: {what or 'smoke run'}; best and median of {args.repeat} runs "
          f"({args.build_repeat or 'default'} per build); {os.cpu_count()} CPUs, load {load_before:.1f} before and "
          f"{load:.1f} after, Python {sys.version.split()[0]}; {time.perf_counter() - started:.0f} s in all")
    print(format_table(rows))
    if ctx.summary:
        print()
        print("\n".join(ctx.summary))
    if args.json:
        Path(args.json).write_text(
            json.dumps([{**asdict(r), "files_per_s": r.files_per_s} for r in rows], indent=2) + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
