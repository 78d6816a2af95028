"""The inline alignment graphs in a real browser: node links and colours.

- Clicking a node (the ``<a>`` Graphviz puts inside the node's group) opens that
  objective's page, with ``use_directory_urls`` on and off (two builds).
- The node colours follow Material's palette: switching to the dark scheme with
  the header's toggle changes the computed fill of a node and the colour of its
  text, and the text stays readable on the fill in both schemes (WCAG contrast).

The test organization is in conftest.py. On the page of "Win the trust of
enterprise customers" the graph shows its parent "Grow revenue from loyal
customers" (a context node), the objective itself (the current node) and its
child "Make every page feel fast".
"""

from __future__ import annotations

import re

import pytest

from wcag import contrast, luminance, over

pytestmark = pytest.mark.browser

WIN = "2026-Q4/sales/win-enterprise"
NODES = {
    # role on the page of WIN -> (objective id, statement)
    "parent": ("2026-Q4/acme/grow-revenue", "Grow revenue from loyal customers"),
    "current": (WIN, "Win the trust of enterprise customers"),
    "child": ("2026-Q4/platform/fast-pages", "Make every page feel fast"),
}
SITES = {"directory-urls": "acme", "file-urls": "acme_file_urls"}


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def graph_nodes(page) -> dict[str, object]:
    """The objective nodes of the page's graph, by the statement their tooltip starts with."""
    figure = page.locator("figure.okr-graph")
    assert figure.count() == 1, "the objective page shows one inline graph"
    assert figure.locator("svg").count() == 1, "the graph is inline SVG"
    nodes = {}
    for node in figure.locator("svg g.okr-node").all():
        tooltip = node.locator("a > title")
        if tooltip.count():
            statement = norm((tooltip.first.text_content() or "").split("\n")[0])
            for _, text in NODES.values():
                if statement.startswith(text):
                    nodes[text] = node
    return nodes


@pytest.mark.parametrize("role", ["parent", "child"])
@pytest.mark.parametrize("urls", sorted(SITES))
def test_clicking_a_node_opens_its_objective(page, page_log, request, urls: str, role: str) -> None:
    site = request.getfixturevalue(SITES[urls])
    response = page.goto(site.objective(WIN))
    assert response is not None and response.ok

    nodes = graph_nodes(page)
    assert sorted(nodes) == sorted(text for _, text in NODES.values()), sorted(nodes)
    current = nodes[NODES["current"][1]]
    assert "okr-node-current" in (current.get_attribute("class") or "")
    target_id, statement = NODES[role]
    node = nodes[statement]
    classes = (node.get_attribute("class") or "").split()
    assert ("okr-node-context" in classes) == (role == "parent"), classes
    assert statement.split()[0] in norm(node.text_content() or "")  # the label is drawn

    link = node.locator("a[*|href]")  # xlink:href (see graphs/svg.py)
    assert link.count() == 1
    href = link.get_attribute("xlink:href") or ""
    # Relative, so the site works under any path prefix; in the URL mode of the build.
    assert not href.startswith(("/", "http:", "https:", "javascript:")), href
    assert href.endswith("/" if site.use_directory_urls else ".html"), href

    link.scroll_into_view_if_needed()
    link.click()
    page.wait_for_url(site.objective(target_id))
    assert page.url == site.objective(target_id)
    assert norm(page.locator("h1").first.inner_text()) == statement
    assert page.locator("article.okr-objective").get_attribute("data-okr-id") == target_id
    assert page_log.errors == [], page_log.errors


# ----------------------------------------------------------------------------- palette

RESOLVE_COLOURS = """(els) => {
    // Every colour as [r, g, b, a] (0-255, alpha 0-1), resolved by painting it:
    // whatever syntax getComputedStyle returns (rgb(), color(srgb ...), color-mix results).
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 1;
    const ctx = canvas.getContext('2d', {willReadFrequently: true});
    const rgba = (css) => {
        ctx.clearRect(0, 0, 1, 1);
        ctx.fillStyle = '#000000';
        ctx.fillStyle = css;
        if (ctx.fillStyle === '#000000' && !/^(#000(000)?|black|rgba?\\(0, ?0, ?0(, ?1)?\\))$/i.test(css))
            return {css, unknown: true};
        ctx.fillRect(0, 0, 1, 1);
        const d = ctx.getImageData(0, 0, 1, 1).data;
        return {css, rgba: [d[0], d[1], d[2], d[3] / 255]};
    };
    const [shape, title, meta] = els;
    return {
        shape: rgba(getComputedStyle(shape).fill),
        shape_attr: shape.getAttribute('fill'),
        stroke: rgba(getComputedStyle(shape).stroke),
        title: rgba(getComputedStyle(title).fill),
        meta: rgba(getComputedStyle(meta).fill),
        page: rgba(getComputedStyle(document.querySelector('.md-main') || document.body).backgroundColor),
        body: rgba(getComputedStyle(document.body).backgroundColor),
        scheme: document.body.getAttribute('data-md-color-scheme'),
    };
}"""


def node_colours(page) -> dict:
    node = page.locator("figure.okr-graph svg g.okr-node-current")
    assert node.count() == 1
    shape = node.locator("path, polygon").first
    title = node.locator('text[font-weight="bold"]').first
    meta = node.locator('text:not([font-weight="bold"])').first
    handles = [shape.element_handle(), title.element_handle(), meta.element_handle()]
    found = page.evaluate(RESOLVE_COLOURS, handles)
    for key in ("shape", "stroke", "title", "meta", "body"):
        assert "rgba" in found[key], f"could not resolve the {key} colour {found[key]}"
    background = found["body"]["rgba"]
    if background[3] < 1:  # the page behind the body is white
        background = over(background, [255, 255, 255, 1])
    fill = over(found["shape"]["rgba"], background)
    return {
        "scheme": found["scheme"],
        "fill_css": found["shape"]["css"],
        "fill_attr": found["shape_attr"],
        "fill": fill,
        "stroke": over(found["stroke"]["rgba"], background),
        "title": over(found["title"]["rgba"], fill),
        "meta": over(found["meta"]["rgba"], fill),
        "title_css": found["title"]["css"],
        "background": background,
    }


def test_node_colours_follow_the_palette_toggle(page, page_log, acme, switch_palette) -> None:
    response = page.goto(acme.objective(WIN))
    assert response is not None and response.ok
    switch_palette(page, "default")
    light = node_colours(page)
    switch_palette(page, "slate")
    dark = node_colours(page)
    assert (light["scheme"], dark["scheme"]) == ("default", "slate")

    assert light["fill"] != dark["fill"], (light["fill_css"], dark["fill_css"])
    assert light["title"] != dark["title"], (light["title_css"], dark["title_css"])
    # In the dark scheme the stylesheet, not the light colour written into the SVG, paints the node.
    assert dark["fill_css"] != light["fill_css"]
    assert luminance(light["fill"]) > 0.6, light
    assert luminance(dark["fill"]) < 0.2, dark
    # Dark text on a light node, light text on a dark node, both readable.
    assert luminance(light["title"]) < luminance(light["fill"])
    assert luminance(dark["title"]) > luminance(dark["fill"])
    for colours in (light, dark):
        assert contrast(colours["title"], colours["fill"]) >= 4.5, colours
        assert contrast(colours["meta"], colours["fill"]) >= 3.0, colours
        # The node stands out from the page around it (its border at least).
        assert contrast(colours["stroke"], colours["background"]) >= 1.5, colours

    # Back to light: the colours come back.
    switch_palette(page, "default")
    again = node_colours(page)
    assert again["fill"] == light["fill"] and again["title"] == light["title"]
    assert page_log.errors == [], page_log.errors
