"""An objective body that uses the ids of the theme and of our templates, in a real browser.

mkdocs-material reads its settings from the first ``#__config`` of the page: a
body with ``<div id="__config">{...}</div>`` chose the search worker (a
``data:`` URL) and the translations, which Material inserts as HTML. The body
here defines every handle it can -- raw HTML ids and names, ``label for``, an
attr_list heading ``{#__config}``, headings that slugify to a theme id and to
one of our template ids, footnotes, a tabbed set -- and the site is built with
``mkdocs build --strict`` (anchor validation on) and opened in Chromium:

- the theme reads its own ``#__config`` and no script of the body runs;
- the theme's toggles (search, drawer, palette) are still the theme's;
- search still works, down to the body's sections;
- the body's own links keep working: permalinks, the table of contents,
  footnotes and the tabs.

The build, serving and Chromium come from conftest.py.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest

if TYPE_CHECKING:  # the fixtures' type, for readers and type checkers only
    from conftest import Site

pytestmark = pytest.mark.browser

TODAY = "2026-11-20"
OBJECTIVE = "2026-Q4/acme/hostile"
PREFIX = "okr-body-"

# What the hostile #__config would make Material do. Every translation is an image
# whose onerror marks the page (Material inserts some of them as HTML), and the search
# worker is the author's: it answers Material's search protocol (0 setup -> 1 ready,
# 2 query -> 3 result) with a result whose title -- inserted as HTML -- does the same.
# Checked live on a build of this site without the prefixing: the page's own search on
# load got the author's result (window.__pwned == 'worker'), and a two-word search ran
# the 'search.result.term.missing' translation.
def _mark(key: str) -> str:
    return (f"<img src=x onerror=\"window.__pwned='{key}';"
            f"document.documentElement.dataset.pwned='{key}'\">")


TRANSLATION_KEYS = [
    "clipboard.copy", "clipboard.copied", "search.result.more.one", "search.result.more.other",
    "search.result.none", "search.result.one", "search.result.other", "search.result.placeholder",
    "search.result.term.missing", "select.version",
]
WORKER_JS = (
    "self.onmessage = function (e) {"
    " if (e.data.type === 0) self.postMessage({type: 1, data: true});"
    " if (e.data.type === 2) self.postMessage({type: 3, data: {items: [[{location: 'x', score: 1,"
    f" title: {json.dumps(_mark('worker'))}, text: '', terms: {{nosuchword: false}}}}]], suggest: []}}}});"
    " };"
)
WORKER = "data:text/javascript," + quote(WORKER_JS, safe="")
CONFIG_PAYLOAD = (
    json.dumps({
        "base": "../../../../..",  # the real one: the search index must load
        "features": ["search.highlight", "content.code.copy"],
        "search": WORKER,
        "tags": None,
        "version": None,
        "translations": {key: _mark(key) for key in TRANSLATION_KEYS},
    })
    # Text in raw HTML: no markup characters (JSON.parse turns the escapes back).
    .replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
)

BODY = f"""\
Zanzibar is the word that only this body contains.

## Why

Quixotic reasons. We link to [the reasons](#why), to [the alignment](#okr-alignment)
(a section of the page that the body does not define), to [our key results](#okr-key-results)
(which the body does define, with the last heading below), to
[the same reasons, prefixed](#okr-body-why), and cite a source[^1].

## Hi {{#__config}}

A heading that claims the theme's config id through attr_list.

## __toc

A heading whose text slugifies to an id of the theme (its table of contents toggle).

## OKR key results

A heading whose text slugifies to our template's key results id.

=== "Alpha"

    Alpha tab text.

=== "Beta"

    Beta tab text.

<div id="__config">{CONFIG_PAYLOAD}</div>

<div class="hostile-handles">
<input type="checkbox" id="__search"> <input type="checkbox" id="__drawer">
<input type="radio" name="__palette" id="__palette_0">
<label for="__drawer" id="drawer-label">Open the drawer</label>
<span id="__consent">consent</span> <span id="okr-title">fake title</span>
<span id="okr-kr-goal">fake key result</span>
<a name="__search">named</a>
</div>

[^1]: The source of the claim.
"""

FILES = {
    "docs/index.md": "# Home\n\nThe OKRs are in the OKRs section.\n",
    "okrs/org.yml": """\
        units:
          - id: acme
            name: Acme Rockets
        """,
    f"okrs/{OBJECTIVE}.md": "---\n"
    + textwrap.dedent(
        """\
        objective: Survive a hostile body
        owner: acme
        period: 2026-Q4
        key_results:
          - id: goal
            title: Reach the goal
            start: 0
            target: 10
            current: 5
        """
    )
    + "---\n"
    + BODY,
}

MKDOCS_YML = f"""\
site_name: Hostile body
site_url: https://okrs.example.test/
docs_dir: docs
theme:
  name: material
  font: false
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      toggle:
        icon: material/weather-night
        name: Switch to dark mode
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      toggle:
        icon: material/weather-sunny
        name: Switch to light mode
markdown_extensions:
  - attr_list
  - md_in_html
  - footnotes
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
  - toc:
      permalink: true
validation:
  anchors: warn
plugins:
  - search
  - okrs:
      today: {TODAY}
      graphs: false
      cache_dir: null
      rules: {{kr-count: "off", stale-checkin: "off"}}  # a one-KR objective, no check-ins
"""

# The ids the theme and our template look up on the objective page.
HANDLES = ["__config", "__search", "__drawer", "__palette_0", "__toc", "okr-title", "okr-key-results",
           "okr-kr-goal", "okr-alignment"]


def _conftest(request: pytest.FixtureRequest):
    """The browser tests' conftest module, as pytest loaded it (for Site and BUILD_TIMEOUT)."""
    here = (Path(__file__).parent / "conftest.py").resolve()
    for plugin in request.config.pluginmanager.get_plugins():
        path = getattr(plugin, "__file__", None)
        if path and Path(path).resolve() == here:
            return plugin
    raise RuntimeError(f"{here} is not loaded")


@pytest.fixture(scope="module")
def built(request: pytest.FixtureRequest, browser_requirements: str, tmp_path_factory) -> tuple[Path, str]:
    """The hostile site, built with ``mkdocs build --strict``: (site folder, build log)."""
    conftest = _conftest(request)
    root = tmp_path_factory.mktemp("hostile-project")
    for rel, text in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) if rel.endswith(".yml") else text, encoding="utf-8")
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    site_dir = root / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(site_dir)],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        timeout=conftest.BUILD_TIMEOUT,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "NO_MKDOCS_2_WARNING": "1"},
    )
    assert proc.returncode == 0, f"`mkdocs build --strict` failed:\n{proc.stdout}\n{proc.stderr}"
    return site_dir, proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def hostile(request: pytest.FixtureRequest, built: tuple[Path, str]):
    """The hostile site, served over HTTP."""
    site = _conftest(request).Site("hostile", built[0], True)
    site.serve()
    yield site
    site.stop()


@pytest.fixture
def watched(page):
    """Dialogs and workers of the page: a script that ran would show in one or the other."""
    seen = {"dialogs": [], "workers": []}

    def dialog(d) -> None:
        seen["dialogs"].append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    page.on("worker", lambda w: seen["workers"].append(w.url))
    return seen


def open_objective(page, site: Site) -> None:
    response = page.goto(site.objective(OBJECTIVE), wait_until="load")
    assert response is not None and response.ok


def target(page) -> dict | None:
    """The element the URL's fragment selects (``:target``) and whether it is in view."""
    return page.evaluate(
        """() => { const t = document.querySelector(':target');
            if (!t) return null;
            const r = t.getBoundingClientRect();
            return {tag: t.tagName.toLowerCase(), id: t.id, inBody: !!t.closest('.okr-body'),
                    inView: r.bottom > 0 && r.top < innerHeight, hash: location.hash}; }"""
    )


# ----------------------------------------------------------------------------- the built site


def test_build_is_strict_clean_and_every_body_id_is_prefixed(built: tuple[Path, str]) -> None:
    site_dir, log = built
    assert "WARNING" not in log, log
    html = (site_dir / f"okrs/objectives/{OBJECTIVE}/index.html").read_text(encoding="utf-8")
    start = html.index('<div class="okr-body">')
    body = html[start : html.index('<h2 id="okr-key-results">', start)]
    assert "Zanzibar" in body and "Alpha tab text" in body
    values = re.findall(r'\s(?:id|name|for)="([^"]*)"', body)
    assert len(values) > 20 and all(v.startswith(PREFIX) for v in values), values
    # Each handle is defined once on the page, outside the body (Material's __toc toggle
    # belongs to the navigation, which does not list objective pages: none at all).
    for handle in HANDLES:
        assert html.count(f'id="{handle}"') == (0 if handle == "__toc" else 1), handle
        assert f'id="{handle}"' not in body
    # The page's table of contents points at the body's headings, prefixed.
    toc = html[html.index('data-md-component="toc"') :]
    for anchor in ("why", "__config", "__toc", "okr-key-results"):
        assert f'href="#{PREFIX}{anchor}"' in toc, anchor
    assert 'href="#okr-key-results"' in toc  # our template's own section
    # The search index's sections of the body, too.
    index = json.loads((site_dir / "search/search_index.json").read_text(encoding="utf-8"))
    locations = {d["location"] for d in index["docs"]}
    assert f"okrs/objectives/{OBJECTIVE}/#{PREFIX}why" in locations


# ----------------------------------------------------------------------------- in Chromium


def test_the_theme_reads_its_own_config_and_no_body_script_runs(page, page_log, watched, hostile: Site,
                                                                  material_search) -> None:
    open_objective(page, hostile)
    config = page.evaluate(
        """() => { const el = document.querySelector('#__config');
            return {tag: el.tagName.toLowerCase(), inBody: !!el.closest('.okr-body'),
                    count: document.querySelectorAll('[id="__config"]').length,
                    json: JSON.parse(el.textContent)}; }"""
    )
    assert config["tag"] == "script" and not config["inBody"] and config["count"] == 1, config
    # The theme's own settings: its search worker, its translations, not the body's.
    assert "assets/javascripts/workers/search." in config["json"]["search"], config["json"]
    assert not config["json"]["search"].startswith("data:")
    assert "__pwned" not in json.dumps(config["json"]) and "onerror" not in json.dumps(config["json"])
    # The theme and our template find their own elements, never the body's.
    found = page.evaluate(
        """(ids) => ids.map(id => { const all = document.querySelectorAll(`[id="${id}"]`);
            return [id, all.length, all.length ? !!all[0].closest('.okr-body') : null]; })""",
        HANDLES,
    )
    for handle, count, in_body in found:
        assert in_body is not True and count <= 1, (handle, count, in_body)
    assert page.evaluate("() => document.querySelector('#okr-title').textContent") == "Survive a hostile body"

    # Search, with a query whose second word is missing: every translation Material uses
    # on the way would have run the payload.
    material_search(page, "Zanzibar")
    material_search(page, "Zanzibar nosuchwordanywhere")
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__pwned") is None
    assert page.evaluate("() => document.documentElement.dataset.pwned") is None
    assert watched["dialogs"] == []
    assert watched["workers"] and not [w for w in watched["workers"] if w.startswith("data:")], watched
    assert page_log.errors == [] and page_log.console_errors == [], page_log


def test_search_still_works(page, page_log, hostile: Site, material_search) -> None:
    open_objective(page, hostile)
    _, hrefs = material_search(page, "Zanzibar")
    assert any(hostile.path_of(h) == f"okrs/objectives/{OBJECTIVE}/" for h in hrefs), hrefs
    _, hrefs = material_search(page, "Quixotic")
    assert any(hostile.path_of(h) == f"okrs/objectives/{OBJECTIVE}/" and h.endswith(f"#{PREFIX}why")
               for h in hrefs), hrefs
    assert page_log.errors == [], page_log


def test_the_theme_toggles_stay_the_theme_s(page, page_log, hostile: Site, switch_palette) -> None:
    open_objective(page, hostile)
    # The body's "label for=__drawer" does not open the theme's drawer.
    page.locator(".okr-body #okr-body-drawer-label").click()
    assert page.evaluate("() => document.getElementById('__drawer').checked") is False
    assert page.evaluate("() => document.getElementById('okr-body-__drawer').checked") is True
    # The search field opens the theme's search, and the palette toggle still switches it.
    page.locator("input.md-search__input").click()
    page.wait_for_function("() => document.getElementById('__search').checked")
    page.keyboard.press("Escape")
    switch_palette(page, "slate")
    assert page_log.errors == [], page_log


def test_permalinks_toc_footnotes_and_tabs_land_in_the_body(page, page_log, hostile: Site) -> None:
    open_objective(page, hostile)
    body = page.locator(".okr-body")

    # A heading's permalink.
    heading = body.locator(f"h2#{PREFIX}why")
    heading.hover()
    heading.locator("a.headerlink").click()
    page.wait_for_function("(h) => location.hash === h", arg=f"#{PREFIX}why")
    assert target(page) == {"tag": "h2", "id": f"{PREFIX}why", "inBody": True, "inView": True,
                            "hash": f"#{PREFIX}why"}

    # The author's own links: to the body's heading, and to our template's section.
    page.evaluate("() => window.scrollTo(0, 0)")
    body.get_by_role("link", name="the reasons", exact=True).click()
    page.wait_for_function("(h) => location.hash === h", arg=f"#{PREFIX}why")
    assert target(page)["id"] == f"{PREFIX}why"
    body.get_by_role("link", name="the alignment").click()
    page.wait_for_function("() => location.hash === '#okr-alignment'")
    assert target(page) == {"tag": "h2", "id": "okr-alignment", "inBody": False, "inView": True,
                            "hash": "#okr-alignment"}
    body.get_by_role("link", name="our key results").click()
    page.wait_for_function("(h) => location.hash === h", arg=f"#{PREFIX}okr-key-results")
    t = target(page)
    assert t["tag"] == "h2" and t["inBody"] and t["inView"], t
    body.get_by_role("link", name="the same reasons, prefixed").click()
    page.wait_for_function("(h) => location.hash === h", arg=f"#{PREFIX}why")
    assert target(page)["id"] == f"{PREFIX}why"

    # The table of contents (Material's sidebar, visible at this width).
    toc = page.locator(".md-sidebar--secondary nav.md-nav--secondary")
    for anchor, title in (("__toc", "__toc"), ("okr-key-results", "OKR key results"), ("why", "Why")):
        entry = toc.locator(f'a[href="#{PREFIX}{anchor}"]')
        assert entry.count() == 1 and title in entry.inner_text()
        entry.click()
        page.wait_for_function("(h) => location.hash === h", arg=f"#{PREFIX}{anchor}")
        t = target(page)
        assert t["tag"] == "h2" and t["id"] == f"{PREFIX}{anchor}" and t["inBody"] and t["inView"], t
    assert toc.locator(f'a[href="#{PREFIX}__config"]').count() == 1

    # The footnote and its way back.
    body.locator("sup a.footnote-ref").click()
    page.wait_for_function("(h) => location.hash === h", arg=f"#{PREFIX}fn:1")
    t = target(page)
    assert t["tag"] == "li" and t["inBody"] and t["inView"], t
    body.locator("a.footnote-backref").click()
    page.wait_for_function("(h) => location.hash === h", arg=f"#{PREFIX}fnref:1")
    t = target(page)
    assert t["tag"] == "sup" and t["inBody"] and t["inView"], t

    # The tabs.
    tabs = body.locator(".tabbed-set")
    assert tabs.get_by_text("Alpha tab text").is_visible() and not tabs.get_by_text("Beta tab text").is_visible()
    tabs.locator("label", has_text="Beta").click()
    assert tabs.get_by_text("Beta tab text").is_visible() and not tabs.get_by_text("Alpha tab text").is_visible()
    tabs.locator("label", has_text="Alpha").click()
    assert tabs.get_by_text("Alpha tab text").is_visible() and not tabs.get_by_text("Beta tab text").is_visible()
    assert page_log.errors == [], page_log
