#!/usr/bin/env python3
"""Build a project's OKR site with builders that run no plugin, and check what they publish.

    python scripts/check_generated_site.py [PROJECT] [--builders zensical,properdocs,mkdocs] [--keep DIR]

PROJECT (default: this repository, the demo) is a folder with ``mkdocs.yml``, its
docs folder and its OKR folder. The script copies it into a temporary folder and,
there, follows the recipe of docs/zensical.md:

1. adds the OKR pages' stylesheets and scripts (``extra_css``, ``extra_javascript``)
   and their table of contents (``mkdocs_okrs.generated_toc`` in ``markdown_extensions``)
   to ``mkdocs.yml``, and writes ``mkdocs-no-plugin.yml``, the same configuration
   without ``okrs`` in its plugins;
2. runs ``okrs generate DOCS_DIR/okrs``;
3. builds the site with each builder, strictly (a warning fails the build):
   ``zensical build`` (which reads ``mkdocs.yml`` and skips the plugin),
   ``properdocs build`` and ``mkdocs build`` (with ``mkdocs-no-plugin.yml``);
4. checks each site (:func:`check_site`): every public objective has its page with
   its alignment graph, every link and anchor of the OKR pages resolves, the
   stylesheets are linked, and no output file names a private objective.

Exit status 0 when every check passes, 1 when one fails (each problem printed), 2 on
a usage error. CI runs it after the tests (``.ci/run``).
"""

from __future__ import annotations

import argparse
import html as htmllib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import yaml

REPO = Path(__file__).resolve().parent.parent
BUILDERS = ("zensical", "properdocs", "mkdocs")
NO_PLUGIN_CONFIG = "mkdocs-no-plugin.yml"


# ---------------------------------------------------------------------------- the project


def _bin(name: str) -> str:
    """The command ``name`` of this Python's environment (else from PATH)."""
    here = Path(sys.executable).parent / name
    return str(here) if here.exists() else name


def prepare(source: Path, dest: Path) -> dict:
    """Copy the project ``source`` into ``dest`` and write its two configurations (see the
    module docstring). Returns the loaded original configuration."""
    config = yaml.safe_load((source / "mkdocs.yml").read_text(encoding="utf-8")) or {}
    docs = config.get("docs_dir", "docs")
    okrs = ((_okrs_options(config) or {}).get("okrs_dir")) or "okrs"
    dest.mkdir(parents=True, exist_ok=True)
    for name in {docs, okrs}:
        shutil.copytree(source / name, dest / name, dirs_exist_ok=True)
    # The recipe's lines: the stylesheets, the scripts and the pages' table of contents.
    assets = "okrs/assets/okrs"
    generated = dict(config)
    generated["extra_css"] = list(config.get("extra_css") or []) + [f"{assets}/okrs.css", f"{assets}/okrs-graphs.css"]
    generated["extra_javascript"] = list(config.get("extra_javascript") or []) + [
        f"{assets}/okrs-graphs.js", f"{assets}/okrs-filters.js"]
    generated["markdown_extensions"] = list(config.get("markdown_extensions") or []) + ["mkdocs_okrs.generated_toc"]
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(generated, sort_keys=False, allow_unicode=True), encoding="utf-8")
    plain = dict(generated)
    plain["plugins"] = [p for p in config.get("plugins") or [] if not _is_okrs(p)]
    (dest / NO_PLUGIN_CONFIG).write_text(yaml.safe_dump(plain, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return config


def _is_okrs(entry) -> bool:
    return entry == "okrs" or (isinstance(entry, dict) and "okrs" in entry)


def _okrs_options(config: dict) -> dict | None:
    for entry in config.get("plugins") or []:
        if isinstance(entry, dict) and "okrs" in entry:
            return entry["okrs"] or {}
        if entry == "okrs":
            return {}
    return None


def run(cmd: list[str], cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONWARNINGS="ignore")
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env, timeout=timeout)


def generate(project: Path, out: str = "docs/okrs") -> subprocess.CompletedProcess:
    """``okrs generate OUT`` in ``project``."""
    return run([sys.executable, "-m", "mkdocs_okrs", "generate", out], project)


def build(project: Path, builder: str) -> tuple[Path, subprocess.CompletedProcess]:
    """Build ``project`` with ``builder``; (the site folder, the finished process)."""
    site = project / f"site-{builder}"
    shutil.rmtree(site, ignore_errors=True)
    if builder == "zensical":
        # Zensical reads mkdocs.yml (skipping the okrs plugin) and writes into its site_dir.
        proc = run([_bin("zensical"), "build", "--clean", "--strict"], project)
        if proc.returncode == 0 and (project / "site").is_dir():
            shutil.move(str(project / "site"), site)
    else:
        proc = run([sys.executable, "-m", builder, "build", "--strict", "-f", NO_PLUGIN_CONFIG, "--site-dir",
                    str(site)], project)
    return site, proc


# ------------------------------------------------------------------------------- checking


class _Page(HTMLParser):
    """The links (a, link, img, script; the graphs' SVG links) and the ids of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.stylesheets: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        for key in ("href", "src", "xlink:href"):
            if a.get(key) is not None and tag in ("a", "link", "img", "script"):
                self.links.append(a[key])
        if tag == "link" and (a.get("rel") or "") == "stylesheet" and a.get("href"):
            self.stylesheets.append(a["href"])


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _target(site: Path, page: Path, href: str) -> tuple[Path | None, str]:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("/", "mailto:")):
        return None, ""
    rel = page.relative_to(site).as_posix()
    target = urlsplit(urljoin("http://site/" + rel, href))
    path = unquote(target.path).lstrip("/")
    file = site / path
    if path == "" or path.endswith("/") or file.is_dir():
        file = file / "index.html"
    return file, target.fragment


def public_and_private(project: Path, config: dict):
    """(the public view of the project's OKRs, the private objectives), loaded as the
    plugin loads them with the options of ``config``."""
    sys.path.insert(0, str(REPO / "plugin"))
    from mkdocs_okrs.core.config import settings_from_options
    from mkdocs_okrs.core.loader import load_okrs
    from mkdocs_okrs.core.publish import public_view

    settings, root, org = settings_from_options(_okrs_options(config) or {}, project)
    okrs = load_okrs(root, settings, org_file=org)
    view = public_view(okrs)
    private = [o for oid, o in okrs.objectives.items() if oid not in view.objectives]
    return view, private


def check_site(site: Path, project: Path, config: dict, prefix: str = "okrs") -> list[str]:
    """The problems of the built ``site`` of ``project`` (empty when it is right)."""
    from mkdocs_okrs.site.plan import objective_key, plan_site
    from mkdocs_okrs.site.urls import page_dest

    problems: list[str] = []
    view, private = public_and_private(project, config)
    plan = plan_site(view, prefix)
    directory_urls = config.get("use_directory_urls", True) is not False
    for oid in sorted(view.objectives):
        page = site / page_dest(plan.pages[objective_key(oid)].src_uri, directory_urls)
        if not page.is_file():
            problems.append(f"objective {oid}: no page {page.relative_to(site)}")
            continue
        text = page.read_text(encoding="utf-8")
        if 'class="okr-graph' not in text or "<svg" not in text:
            problems.append(f"objective {oid}: {page.relative_to(site)} has no alignment graph")
        if f'data-okr-id="{htmllib.escape(oid)}"' not in text:
            problems.append(f"objective {oid}: {page.relative_to(site)} is not its OKR page")
    pages = sorted((site / prefix).rglob("*.html"))
    if not pages:
        problems.append(f"no pages under {prefix}/")
    parsed: dict[Path, _Page] = {}
    for page in pages:
        info = parsed.setdefault(page, _parse(page))
        if not any(s.endswith("assets/okrs/okrs.css") for s in info.stylesheets):
            problems.append(f"{page.relative_to(site)}: the OKR stylesheet is not linked")
        for href in info.links:
            file, fragment = _target(site, page, href)
            if file is None:
                continue
            if not file.is_file():
                problems.append(f"{page.relative_to(site)}: link {href!r} leads nowhere")
            elif fragment and file.suffix == ".html":
                target = parsed.setdefault(file, _parse(file))
                if unquote(fragment) not in target.ids:
                    problems.append(f"{page.relative_to(site)}: link {href!r}: no #{fragment} on that page")
    markers = []
    for o in private:
        markers += [o.id.lower(), o.objective.lower(), htmllib.escape(o.objective).lower()]
    markers = sorted(set(markers))
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes().decode("utf-8", errors="replace").lower()
        for marker in markers:
            if re.search(re.escape(marker) + r"(?![\w-])", data) or marker in path.as_posix().lower():
                problems.append(f"{path.relative_to(site)}: names a private objective ({marker!r})")
    return problems


def check_project(source: Path, builders: list[str], workdir: Path) -> list[str]:
    """Follow the recipe for the project ``source`` in ``workdir`` with ``builders``; the problems."""
    project = workdir / "project"
    config = prepare(source, project)
    docs = config.get("docs_dir", "docs")
    proc = generate(project, f"{docs}/okrs")
    if proc.returncode != 0:
        return [f"okrs generate failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}"]
    problems: list[str] = []
    for builder in builders:
        site, proc = build(project, builder)
        if proc.returncode != 0 or not site.is_dir():
            problems.append(f"{builder} build failed ({proc.returncode}):\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
            continue
        found = check_site(site, project, config)
        problems += [f"{builder}: {p}" for p in found]
        print(f"{builder}: {'OK' if not found else f'{len(found)} problem(s)'} "
              f"({sum(1 for _ in (site / 'okrs').rglob('*.html'))} OKR pages)", file=sys.stderr)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", nargs="?", default=str(REPO), help="the project folder (default: the demo)")
    parser.add_argument("--builders", default=",".join(BUILDERS), help="comma-separated: " + ", ".join(BUILDERS))
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (default: a temporary folder)")
    args = parser.parse_args(argv)
    builders = [b.strip() for b in args.builders.split(",") if b.strip()]
    if not builders or any(b not in BUILDERS for b in builders):
        parser.error(f"--builders: expected some of {', '.join(BUILDERS)}")
    source = Path(args.project).resolve()
    if not (source / "mkdocs.yml").is_file():
        parser.error(f"{source}: no mkdocs.yml")
    with tempfile.TemporaryDirectory(prefix="okrs-generated-") as tmp:
        workdir = Path(args.keep).resolve() if args.keep else Path(tmp)
        if args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        problems = check_project(source, builders, workdir)
    for p in problems:
        print(f"- {p}")
    print(f"check_generated_site: {'OK' if not problems else f'{len(problems)} problem(s)'} "
          f"({', '.join(builders)})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
