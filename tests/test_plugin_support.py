"""Helpers for the plugin tests: write a real site (mkdocs.yml, docs/, okrs/) and build it.

No tests here; the test_plugin_* modules import these helpers. Builds are real
``mkdocs build`` runs, in a subprocess (exit status, ``--strict``, stderr) or in
this process through ``mkdocs.commands.build`` (faster, for output checks).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import yaml

PY = sys.executable
TODAY = "2026-11-22"
PRIVATE_WORDS = ("Zeppelin", "Quokka", "Marmalade", "zeppelin-quokka")

ORG = """\
units:
  - id: acme
    name: Acme Inc.
    lead: Ada Lovelace
  - id: sales
    name: Sales
    parent: acme
    lead: Sam Seller
  - id: web
    name: Web Team
    parent: sales
    lead: Wanda Web
"""


def kr_block(prefix: str = "k", dates: tuple[str, ...] = ("2026-10-20", "2026-11-15")) -> str:
    """Three metric key results with check-ins (no quality warnings at TODAY)."""
    out = ["key_results:"]
    for i in range(1, 4):
        out.append(f"  - id: {prefix}{i}")
        out.append(f"    title: Reach the measured level {i}")
        out.append("    start: 0")
        out.append("    target: 100")
        out.append("    unit: points")
        out.append("    checkins:")
        for n, d in enumerate(dates):
            out.append(f"      - {{date: {d}, value: {10 * (n + 1) * i}, confidence: 0.7, note: Step {n + 1}}}")
    return "\n".join(out)


def objective_file(statement: str, owner: str, period: str, body: str = "", **fields: object) -> str:
    """An objective file with three measured key results, plus ``fields`` as front matter."""
    lines = ["---", f"objective: {statement}", f"owner: {owner}", f"period: {period}"]
    for key, value in fields.items():
        if key == "key_results":
            continue
        lines.append(f"{key}: {value}")
    lines.append(str(fields.get("key_results", kr_block())))
    lines.append("---")
    return "\n".join(lines) + "\n" + textwrap.dedent(body)


def standard_okrs() -> dict[str, str]:
    """A small, warning-free organization with a private objective."""
    return {
        "2026-Q4/acme/grow.md": objective_file(
            "Become the shop people recommend", "acme", "2026-Q4",
            body="""
            Why it matters: *word of mouth* is our cheapest channel.

            ## Initiatives

            | Step | Who |
            |------|-----|
            | Referral programme | Sales |
            """,
            tags="[growth, brand]",
        ),
        "2026-Q4/sales/more-leads.md": objective_file(
            "Fill the pipeline with qualified leads", "sales", "2026-Q4",
            parent="2026-Q4/acme/grow#k1", contributors="[web]", commitment="committed",
        ),
        "2026-Q4/web/fast-site.md": objective_file(
            "Make the site feel fast", "web", "2026-Q4", parent="2026-Q4/sales/more-leads",
        ),
        "2026-Q4/acme/zeppelin-quokka.md": objective_file(
            "Launch the Zeppelin Quokka Marmalade venture", "acme", "2026-Q4",
            visibility="private",
            body="Secret plan: the Zeppelin Quokka Marmalade partnership.\n",
            key_results=kr_block("z").replace("Reach the measured level", "Quokka Marmalade milestone"),
        ),
        "2026-Q4/web/under-private.md": objective_file(
            "Keep the platform ready for partners", "web", "2026-Q4",
            parent="2026-Q4/acme/zeppelin-quokka",
        ),
        "2026-Q3/acme/earlier.md": objective_file(
            "Be known for friendly service", "acme", "2026-Q3",
            key_results=kr_block("e", ("2026-08-01", "2026-09-20")),
        ),
    }


def write_site(
    root: Path,
    okrs: dict[str, str] | None = None,
    *,
    org: str | None = ORG,
    options: dict | None = None,
    config: dict | None = None,
    docs: dict[str, str] | None = None,
    okrs_dir: str = "okrs",
) -> Path:
    """Write mkdocs.yml, docs/ and the OKR folder under ``root``; return root."""
    root.mkdir(parents=True, exist_ok=True)
    okrs = standard_okrs() if okrs is None else okrs
    base = root / okrs_dir
    base.mkdir(parents=True, exist_ok=True)
    for rel, text in okrs.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if org is not None:
        (base / "org.yml").write_text(org, encoding="utf-8")
    docs = {"index.md": "# Home\n\nWelcome.\n"} if docs is None else docs
    (root / "docs").mkdir(exist_ok=True)
    for rel, text in docs.items():
        path = root / "docs" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    opts = {"today": TODAY, "graphs": False}
    if okrs_dir != "okrs":
        opts["okrs_dir"] = okrs_dir
    opts.update(options or {})
    cfg = {
        "site_name": "Test site",
        "site_url": "https://example.org/",
        "theme": {"name": "material"},
        "markdown_extensions": ["admonition", "tables", {"toc": {"permalink": True}}],
        "plugins": ["search", {"okrs": opts}],
    }
    cfg.update(config or {})
    (root / "mkdocs.yml").write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    return root


def build_env(extra: dict | None = None) -> dict:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["PYTHONWARNINGS"] = "ignore"
    env.pop("SOURCE_DATE_EPOCH", None)
    env.update(extra or {})
    return env


def run_build(root: Path, *args: str, tool: str = "mkdocs", env: dict | None = None) -> subprocess.CompletedProcess:
    """``python -m mkdocs build`` (or properdocs) in ``root``; output captured as text."""
    return subprocess.run(
        [PY, "-m", tool, "build", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env=build_env(env),
        timeout=600,
    )


def build_ok(root: Path, *args: str, **kw) -> Path:
    """Build and assert success; return the site folder."""
    proc = run_build(root, *args, **kw)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    return root / "site"


class LinkParser(HTMLParser):
    """Collects hrefs/srcs and element ids of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        for key in ("href", "src", "xlink:href"):  # (the graphs' SVG links are xlink:href)
            if a.get(key) is not None and tag in ("a", "link", "img", "script"):
                self.links.append(a[key])


def parse_page(path: Path) -> LinkParser:
    p = LinkParser()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def resolve_link(site: Path, page: Path, href: str) -> tuple[Path | None, str]:
    """The file a relative ``href`` on ``page`` points to (None for external links), and its fragment."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("/"):
        return None, ""
    rel_page = page.relative_to(site).as_posix()
    base = "http://site/" + rel_page
    target = urlsplit(urljoin(base, href))
    path = unquote(target.path).lstrip("/")
    file = site / path
    if path == "" or path.endswith("/") or file.is_dir():
        file = file / "index.html"
    return file, target.fragment


def generated_pages(site: Path, prefix: str = "okrs") -> list[Path]:
    """Every HTML page under the OKR folder of the built site."""
    return sorted((site / prefix).rglob("*.html")) if prefix else sorted(site.rglob("*.html"))


def article(html: str) -> str:
    """The OKR part of a page (our template's <article>)."""
    m = re.search(r'<article class="okr-page.*?</article>', html, re.S)
    assert m, "no OKR article in the page"
    return m.group(0)
