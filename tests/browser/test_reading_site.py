"""Reading the demo site at a desk (1400 px) and on a phone (390 px), light and dark.

Measured in headless Chromium on the repository's demo organization: nothing is wider
than the screen without its own scroll, the bars' colours and the status badges' text
keep their contrast, the tick sits where the status is measured, the phone's first
screen of the dashboard reaches what is at risk, and no page loads anything from
another host.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import pytest

from wcag import contrast, over

if TYPE_CHECKING:  # the fixtures' type, for readers and type checkers only
    from conftest import Site

pytestmark = pytest.mark.browser

WIDTHS = (1400, 390)
SCHEMES = ("default", "slate")
PAGES = (
    "okrs/",
    "okrs/periods/2026-Q4/",
    "okrs/periods/2026-Q3/review/",
    "okrs/units/",
    "okrs/units/operations/",
    "okrs/objectives/2026-Q4/operations/deliver-when-promised/",
    "okrs/changes/",
)


def open_at(browser, site: Site, path: str, width: int, scheme: str):
    """A page of ``site`` in a new context ``width`` px wide in the light or dark scheme
    (Material follows the system's preference: the demo's palette has both)."""
    context = browser.new_context(
        viewport={"width": width, "height": 844 if width < 600 else 900},
        color_scheme="dark" if scheme == "slate" else "light",
        service_workers="block",
    )
    page = context.new_page()
    hosts: list[str] = []
    page.on("request", lambda req: hosts.append(req.url))
    response = page.goto(site.url(path), wait_until="load")
    assert response is not None and response.ok, path
    assert page.locator("body").get_attribute("data-md-color-scheme") == scheme
    return context, page, hosts


OVERFLOW = """() => {
    // Elements wider than the screen that do not sit in something scrolling on its own.
    const vw = document.documentElement.clientWidth;
    const out = [];
    for (const el of document.querySelectorAll('article.okr-page *')) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.right <= vw + 1) continue;
        let p = el.parentElement, scrolls = false;
        while (p && p !== document.body) {
            const ox = getComputedStyle(p).overflowX;
            if ((ox === 'auto' || ox === 'scroll' || ox === 'hidden') && p.getBoundingClientRect().right <= vw + 1) { scrolls = true; break; }
            p = p.parentElement;
        }
        if (!scrolls) out.push(el.tagName + '.' + el.className + ' right=' + Math.round(r.right));
    }
    return {page: document.documentElement.scrollWidth, vw, out: out.slice(0, 5)};
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_page_is_wider_than_the_screen(browser, demo: Site, width: int, scheme: str) -> None:
    for path in PAGES:
        context, page, _ = open_at(browser, demo, path, width, scheme)
        try:
            found = page.evaluate(OVERFLOW)
        finally:
            context.close()
        assert found["page"] <= found["vw"], (path, found)
        assert found["out"] == [], (path, found)


# A CSS colour as [r, g, b, alpha 0-1], as the browser paints it.
RGB = """(css) => { const c = document.createElement('canvas'); c.width = c.height = 1;
    const x = c.getContext('2d'); x.fillStyle = '#000'; x.fillStyle = css; x.fillRect(0, 0, 1, 1);
    const d = Array.from(x.getImageData(0, 0, 1, 1).data); d[3] = d[3] / 255; return d; }"""


@pytest.mark.parametrize("scheme", SCHEMES)
def test_status_colours_keep_their_contrast(browser, demo: Site, scheme: str) -> None:
    seen_bars: set[str] = set()
    seen_badges: set[str] = set()
    for path in ("okrs/", "okrs/periods/2026-Q4/", "okrs/periods/2026-Q3/review/"):
        context, page, _ = open_at(browser, demo, path, 1400, scheme)
        try:
            page_bg = page.evaluate(RGB, page.evaluate("() => getComputedStyle(document.body).backgroundColor"))
            bars = page.evaluate("""() => Array.from(document.querySelectorAll('.okr-bar:not(.okr-bar--none)'),
                b => [b.className, getComputedStyle(b).getPropertyValue('--okr-bar').trim()])""")
            badges = page.evaluate("""() => Array.from(document.querySelectorAll('.okr-status'),
                b => [b.className, getComputedStyle(b).color, getComputedStyle(b).backgroundColor])""")
            for cls, colour in bars:
                fill = over(page.evaluate(RGB, colour), page_bg)
                assert contrast(fill, page_bg) >= 3, (path, scheme, cls, colour)
                seen_bars.add(cls)
            for cls, fg, bg in badges:
                back = over(page.evaluate(RGB, bg), page_bg)
                text = over(page.evaluate(RGB, fg), back)
                assert contrast(text, back) >= 4.5, (path, scheme, cls, fg, bg)
                seen_badges.add(cls.split()[-1])
        finally:
            context.close()
    # The bars are coloured by what they show, never by the theme's accent.
    assert any("okr-bar--at-risk" in c for c in seen_bars) and any("okr-bar--on-track" in c for c in seen_bars)
    assert any("okr-bar--grade-" in c for c in seen_bars)
    assert {"okr-status--on-track", "okr-status--at-risk", "okr-status--off-track"} <= seen_badges


MARK = """(bar) => {
    const cs = getComputedStyle(bar), mark = getComputedStyle(bar, '::before');
    const track = bar.getBoundingClientRect().width - 3.5 * parseFloat(cs.fontSize);
    const tick = (parseFloat(mark.left) + (parseFloat(mark.marginLeft) || 0) + parseFloat(mark.width) / 2) / track;
    return {tick, progress: parseFloat(bar.getAttribute('aria-valuenow')) / 100};
}"""


def test_the_tick_marks_what_the_status_is_measured_against(browser, demo: Site) -> None:
    """Each objective of the running quarter: on track exactly when its bar reaches the
    tick (aspirational ones at 70% of the pace, less the margin), wherever it is listed."""
    context, page, _ = open_at(browser, demo, "okrs/periods/2026-Q4/", 1400, "default")
    try:
        rows = page.locator('[data-okr-list="tree"] li[data-okr-status]')
        checked = {"committed": 0, "aspirational": 0}
        for i in range(rows.count()):
            row = rows.nth(i)
            status = row.get_attribute("data-okr-status")
            commitment = row.locator("[data-okr-commitment]").first.get_attribute("data-okr-commitment")
            bar = row.locator(".okr-bar").first
            m = bar.evaluate(MARK)
            if status == "on-track":
                assert m["progress"] >= m["tick"] - 0.01, (row.inner_text(), m)
            elif status in ("at-risk", "off-track"):
                assert m["progress"] < m["tick"] + 0.01, (row.inner_text(), m)
            checked[commitment] += 1
        assert checked["committed"] >= 3 and checked["aspirational"] >= 3, checked
        legend = page.locator("[data-okr-legend]").first.inner_text()
        assert "aspirational" in legend and "tick" in legend.lower()
    finally:
        context.close()


def test_a_phone_sees_what_is_at_risk_on_the_first_screen(browser, demo: Site) -> None:
    context, page, _ = open_at(browser, demo, "okrs/", 390, "default")
    try:
        first = page.locator('[data-okr-list="attention"] li').first
        box = first.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 844, box
        # The figures above it are links to the lists they count.
        at_risk = page.locator('[data-okr-stat="status"][data-okr-status-count="at-risk"] a')
        assert re.search(r"periods/2026-Q4/\?status=at-risk#okr-tree$", at_risk.get_attribute("href"))
    finally:
        context.close()


class _Loads(HTMLParser):
    """What an HTML page makes the browser fetch: scripts, images, frames, stylesheets,
    icons, fonts and preconnects (not the links a reader may follow)."""

    FETCHED_RELS = {"stylesheet", "icon", "preload", "preconnect", "prefetch", "modulepreload",
                    "dns-prefetch", "manifest", "apple-touch-icon"}

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in ("script", "img", "iframe", "source", "audio", "video", "embed") and a.get("src"):
            self.urls.append(a["src"])
        if tag == "link" and set(a.get("rel", "").split()) & self.FETCHED_RELS:
            self.urls.append(a.get("href", ""))
        if tag == "object" and a.get("data"):
            self.urls.append(a["data"])


def test_no_page_loads_anything_from_another_host(browser, demo: Site) -> None:
    external = re.compile(r"^(?:https?:)?//", re.I)
    pages = sorted(demo.root.rglob("*.html"))
    assert len(pages) > 40
    for html_file in pages:
        parser = _Loads()
        parser.feed(html_file.read_text(encoding="utf-8"))
        far = [u for u in parser.urls if external.match(u)]
        assert far == [], (html_file.relative_to(demo.root), far)
    for css in demo.root.rglob("*.css"):
        far = re.findall(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", css.read_text(encoding="utf-8"))
        assert far == [], (css.relative_to(demo.root), far)
    # And in the browser: every request the pages make goes to the site itself.
    for path in ("okrs/", "okrs/objectives/2026-Q4/operations/deliver-when-promised/"):
        context, page, requests = open_at(browser, demo, path, 1400, "default")
        try:
            page.wait_for_load_state("networkidle")
        finally:
            context.close()
        assert requests and all(r.startswith(demo.base_url) or r.startswith("data:") for r in requests), requests
