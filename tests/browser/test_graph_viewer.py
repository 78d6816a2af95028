"""The alignment graphs on a screen: fitted to the column, and the full-screen viewer.

On the demo site (Northwind Outfitters), at 1400 px and 390 px, light and dark:

- every graph is scaled to its column: not wider than the column, not cut, not
  scrolled sideways, its proportions kept, no blank space around it, and no page
  is wider than the window;
- a graph drawn smaller than its natural size shows its "Full screen" button;
- the viewer opens from the keyboard, zooms with + and -, resets with 0, pans with
  the arrow keys, its buttons are reached with Tab and named for screen readers,
  Esc closes it and the focus goes back to the button;
- the mouse: dragging pans, Ctrl+wheel zooms, a click on a node still opens it;
- without JavaScript the fitted graph stays (no button) and its links work;
- with Material's instant navigation, the viewer works on a page reached by a link.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

pytestmark = pytest.mark.browser

WIDE = "2026/northwind/trusted-outfitter-online"  # six children side by side: 1,700 px
PAGES = [
    f"okrs/objectives/{WIDE}",
    "okrs/objectives/2026-Q4/northwind/holiday-without-surprises",
    "okrs/objectives/2026-Q4/finance/faster-month-end-close",  # a small one
    "okrs/units/operations",
    "okrs/units/fulfilment",
]
SIZES = {1400: 900, 390: 844}
SCHEMES = {"default": "light", "slate": "dark"}

MEASURE = """() => {
    const col = document.querySelector('article.md-content__inner');
    const cs = getComputedStyle(col), c = col.getBoundingClientRect();
    const left = c.left + parseFloat(cs.paddingLeft), right = c.right - parseFloat(cs.paddingRight);
    const figures = [...document.querySelectorAll('figure.okr-graph')].map((f) => {
        const canvas = f.querySelector('.okr-graph__canvas'), svg = canvas.querySelector('svg');
        const s = svg.getBoundingClientRect(), cv = canvas.getBoundingClientRect();
        const button = f.querySelector('.okr-graph__open'), b = button.getBoundingClientRect();
        return {id: f.id, left: s.left - left, right: right - s.right, width: s.width, height: s.height,
                natural: +svg.getAttribute('width'), naturalHeight: +svg.getAttribute('height'),
                sideways: canvas.scrollWidth - canvas.clientWidth, blank: cv.height - s.height,
                button: b.width > 0 && b.height > 0, buttonText: button.textContent};
    });
    return {figures, column: right - left, overflow: document.documentElement.scrollWidth - innerWidth,
            scheme: document.body.getAttribute('data-md-color-scheme')};
}"""

VIEWER = """() => {
    const dialog = document.querySelector('dialog.okr-graph__viewer[open]');
    if (!dialog) return null;
    const stage = dialog.querySelector('.okr-graph__stage'), svg = stage.querySelector('svg');
    const active = document.activeElement;
    return {width: svg ? svg.getBoundingClientRect().width : 0, height: svg ? svg.getBoundingClientRect().height : 0,
            left: stage.scrollLeft, top: stage.scrollTop, stageHeight: stage.clientHeight,
            focus: active === stage ? 'stage' : (active.getAttribute('data-okr-graph') || active.tagName),
            background: getComputedStyle(dialog).backgroundColor,
            page: getComputedStyle(document.body).backgroundColor};
}"""


# After Esc the browser gives the focus back to the button at once; the dialog's close
# event, which puts the drawing back on the page, is queued and comes a moment later.
CLOSED = ("() => document.activeElement.classList.contains('okr-graph__open')"
          " && document.querySelector('figure.okr-graph .okr-graph__canvas svg') !== null")


def open_page(page, site, path: str, width: int, scheme: str) -> None:
    page.set_viewport_size({"width": width, "height": SIZES[width]})
    page.emulate_media(color_scheme=SCHEMES[scheme])
    response = page.goto(site.page(path))
    assert response is not None and response.ok
    assert page.locator("body").get_attribute("data-md-color-scheme") == scheme


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
@pytest.mark.parametrize("width", sorted(SIZES))
def test_every_graph_is_fitted_to_its_column(page, page_log, demo, width: int, scheme: str) -> None:
    scaled = 0
    for path in PAGES:
        open_page(page, demo, path, width, scheme)
        found = page.evaluate(MEASURE)
        assert found["overflow"] <= 0, (path, found)
        (fig,) = found["figures"]
        where = (path, width, scheme, fig)
        assert fig["left"] >= -0.5 and fig["right"] >= -0.5, where  # within the column
        assert fig["width"] <= found["column"] + 0.5 and fig["sideways"] <= 0, where  # never scrolled
        assert fig["width"] <= fig["natural"] + 0.5, where  # never enlarged
        # Scaled as a whole: its proportions kept, no blank space above or below it.
        assert fig["height"] / fig["width"] == pytest.approx(fig["naturalHeight"] / fig["natural"], rel=0.02), where
        assert abs(fig["blank"]) <= 2, where
        # Drawn smaller than its natural size: the way in is shown; at full size it is not needed.
        shrunk = fig["width"] < fig["natural"] - 0.5
        assert fig["button"] == shrunk, where
        assert fig["buttonText"] == "Full screen"
        scaled += shrunk
    assert scaled >= (len(PAGES) - 1 if width == 390 else 2)  # all but the small one on a phone
    assert not page_log.errors


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
@pytest.mark.parametrize("width", sorted(SIZES))
def test_the_viewer_works_with_the_keyboard(page, page_log, demo, width: int, scheme: str) -> None:
    open_page(page, demo, f"okrs/objectives/{WIDE}", width, scheme)
    button = page.locator("figure.okr-graph .okr-graph__open")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("dialog.okr-graph__viewer[open]")
    view = page.evaluate(VIEWER)
    assert view["focus"] == "stage" and view["width"] > 0
    assert view["background"] == view["page"]  # the page's colours, light or dark
    assert page.locator("figure.okr-graph .okr-graph__canvas svg").count() == 0  # moved, not copied
    assert page.locator("svg.okr-graph__svg").count() == 1

    start = view["width"]
    page.keyboard.press("+")
    assert page.evaluate(VIEWER)["width"] == pytest.approx(start * 1.25, rel=0.01)
    page.keyboard.press("-")
    assert page.evaluate(VIEWER)["width"] == pytest.approx(start, rel=0.01)
    for _ in range(10):  # zoom in until the drawing is larger than the window both ways
        page.keyboard.press("+")
    zoomed = page.evaluate(VIEWER)
    assert zoomed["width"] > start * 3 and zoomed["height"] > zoomed["stageHeight"]
    for key, axis, sign in [("ArrowRight", "left", 1), ("ArrowDown", "top", 1), ("ArrowLeft", "left", -1), ("ArrowUp", "top", -1)]:
        before = page.evaluate(VIEWER)[axis]
        page.keyboard.press(key)
        assert (page.evaluate(VIEWER)[axis] - before) * sign > 10, key
    page.keyboard.press("0")
    assert page.evaluate(VIEWER)["width"] == pytest.approx(start, rel=0.01)

    # The buttons: reached with (Shift+)Tab, named for screen readers, worked with Enter.
    names = []
    for _ in range(4):
        page.keyboard.press("Shift+Tab")
        names.append(page.evaluate("() => [document.activeElement.getAttribute('data-okr-graph'), "
                                   "document.activeElement.getAttribute('aria-label') || document.activeElement.textContent]"))
    assert names == [["close", "Close"], ["reset", "Reset"], ["zoom-out", "Zoom out"], ["zoom-in", "Zoom in"]]
    page.keyboard.press("Enter")
    assert page.evaluate(VIEWER)["width"] == pytest.approx(start * 1.25, rel=0.01)

    page.keyboard.press("Escape")
    page.wait_for_selector("dialog.okr-graph__viewer[open]", state="detached")
    page.wait_for_function(CLOSED)
    assert page.locator("figure.okr-graph .okr-graph__canvas svg").count() == 1  # back in place
    assert page.evaluate(MEASURE)["overflow"] <= 0
    assert not page_log.errors


def test_the_viewer_with_the_mouse(page, page_log, demo) -> None:
    open_page(page, demo, f"okrs/objectives/{WIDE}", 390, "default")
    page.locator("figure.okr-graph .okr-graph__open").click()
    page.wait_for_selector("dialog.okr-graph__viewer[open]")
    start = page.evaluate(VIEWER)
    box = page.locator(".okr-graph__stage").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    # Dragging pans, and does not open the node it started on.
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 120, y, steps=5)
    page.mouse.up()
    assert page.evaluate(VIEWER)["left"] == pytest.approx(start["left"] - 120, abs=2)
    assert page.url == demo.objective(WIDE)
    # Ctrl+wheel zooms.
    page.keyboard.down("Control")
    page.mouse.wheel(0, -100)
    page.keyboard.up("Control")
    assert page.evaluate(VIEWER)["width"] == pytest.approx(start["width"] * 1.25, rel=0.01)
    # The toolbar's buttons and a click on a node, which opens that objective.
    page.locator("button[data-okr-graph='zoom-out']").click()
    assert page.evaluate(VIEWER)["width"] == pytest.approx(start["width"], rel=0.01)
    node = page.locator(".okr-graph__stage g.okr-node a[*|href]").first
    target = node.get_attribute("xlink:href")
    node.scroll_into_view_if_needed()
    node.click()
    page.wait_for_url(lambda url: url != demo.objective(WIDE))
    assert page.url.rstrip("/").endswith(target.strip("./").rstrip("/"))
    assert not page_log.errors


def test_without_javascript_the_graph_stays_fitted(browser, demo) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(demo.objective(WIDE))
        (fig,) = page.evaluate(MEASURE)["figures"]
        assert fig["width"] < fig["natural"] and fig["right"] >= -0.5 and fig["sideways"] <= 0
        assert not fig["button"] and not page.locator("dialog.okr-graph__viewer").is_visible()
        link = page.locator("figure.okr-graph g.okr-node a[*|href]").first
        link.click()
        page.wait_for_url(lambda url: url != demo.objective(WIDE))
        assert "/okrs/objectives/" in page.url
    finally:
        context.close()


@pytest.fixture(scope="module")
def instant_demo(demo, tmp_path_factory):
    """The demo built again (from the demo build's mkdocs.yml, see conftest.py) with
    Material's instant navigation on, and served. Material navigates instantly only to
    the pages of its sitemap, so ``site_url`` is where the site is served."""
    import yaml

    tmp = tmp_path_factory.mktemp("instant")
    site = type(demo)("instant", tmp / "site", True)
    site.root.mkdir()
    site.serve()
    text = (demo.root.parent / "mkdocs-demo.yml").read_text(encoding="utf-8")
    text = text.replace("  features:\n", "  features:\n  - navigation.instant\n", 1)
    text = re.sub(r"(?m)^site_url: .*$", f"site_url: {site.base_url}", text)
    config = yaml.safe_load(text.split("\nplugins:")[0])
    assert "navigation.instant" in config["theme"]["features"] and config["site_url"] == site.base_url
    (tmp / "mkdocs-instant.yml").write_text(text, encoding="utf-8")
    try:
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(tmp / "mkdocs-instant.yml"),
                        "-d", str(site.root)], check=True, cwd=tmp, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                       timeout=180)
        yield site
    finally:
        site.stop()


def test_the_viewer_after_instant_navigation(page, page_log, instant_demo) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(instant_demo.objective("2026-Q4/northwind/holiday-without-surprises"))
    page.evaluate("() => { window.okrsSamePage = true; }")
    # To the parent objective by a link of the page: Material loads it without a reload.
    page.locator(f"article a[href$='{WIDE.rsplit('/', 1)[1]}/']").first.click()
    page.wait_for_url(instant_demo.objective(WIDE))
    page.wait_for_selector("figure.okr-graph .okr-graph__open:not([hidden])")
    assert page.evaluate("() => window.okrsSamePage === true")  # instant navigation, no new document
    page.locator("figure.okr-graph .okr-graph__open").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("dialog.okr-graph__viewer[open]")
    page.keyboard.press("Escape")
    page.wait_for_selector("dialog.okr-graph__viewer[open]", state="detached")
    page.wait_for_function(CLOSED)
    assert not page_log.errors
