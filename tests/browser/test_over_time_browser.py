"""OKRs over time, as a reader sees them in the demo site: the review of the ended
quarter, carried-over objectives, a stale objective, the feed announced in the
page's head, and the charts in both palettes.

The demo organization is the repository's (``okrs/``, ``today: 2026-11-20``); the
figures below are read from its files.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Site

pytestmark = pytest.mark.browser

ATOM = "{http://www.w3.org/2005/Atom}"
CARRIED_FROM = "2026-Q3/growth/search-finds-gear"
CARRIED_INTO = "2026-Q4/growth/search-speaks-hiker"
STALE = "2026-Q4/fulfilment/sustainable-peak-shifts"
IN_REVIEW = ("2026-Q3/ecommerce/quick-mobile-shop", "2026-Q3/operations/painless-returns")


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def open_page(page, url: str) -> None:
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, url


def test_the_review_of_an_ended_quarter(page, demo: Site) -> None:
    open_page(page, demo.page("okrs/periods/2026-Q3/index"))
    with page.expect_navigation(wait_until="load"):  # the new page, not the old one
        page.locator("article.okr-period a[data-okr-review]").click()
    assert norm(page.locator("h1").first.inner_text()) == "Review of Q3 2026"
    article = page.locator("article.okr-review")

    # The grade distribution: one bar per grade, as long as its count (the longest full width).
    rows = article.locator("[data-okr-grade-count]")
    counts = {r.get_attribute("data-okr-grade-count"): int(r.get_attribute("data-okr-count"))
              for r in rows.all()}
    assert sum(counts.values()) == 7  # eight objectives, one of them dropped
    widths = {g: article.locator(f'[data-okr-grade-count="{g}"] .okr-distribution__bar').bounding_box()["width"]
              for g, n in counts.items() if n}
    most = max(counts.values())
    longest = max(widths.values())
    assert longest > 150, widths  # the bars use the figure's width
    for grade, width in widths.items():
        assert abs(width / longest - counts[grade] / most) < 0.03, (grade, widths, counts)

    # Every objective by score, highest first; nothing says on track about the quarter.
    scores = [float(x) for x in article.locator('[data-okr-list="by-score"] > li').evaluate_all(
        "items => items.map(li => li.dataset.okrScore).filter(Boolean)")]
    assert len(scores) == 8 and scores == sorted(scores, reverse=True)
    text = norm(article.inner_text())
    for words in ("On track", "At risk", "Off track"):
        assert words not in text

    # The metrics review: the objectives measured after the quarter, score at the end and now.
    table = article.locator('table[data-okr-table="in-review"] tbody tr')
    assert sorted(r.get_attribute("data-okr-id") for r in table.all()) == sorted(IN_REVIEW)
    for row in table.all():
        bars = row.get_by_role("progressbar")
        assert bars.count() == 2
        assert bars.nth(0).get_attribute("aria-valuenow") != bars.nth(1).get_attribute("aria-valuenow")

    # What was carried over leads to the objective that continues it, which links back.
    with page.expect_navigation(wait_until="load"):  # the new page, not the old one
        article.locator(f'[data-okr-list="carried"] a[data-okr-carried-into="{CARRIED_INTO}"]').click()
    assert demo.path_of(page.url).rstrip("/").endswith(CARRIED_INTO) or CARRIED_INTO in page.url
    back = page.locator(f'article.okr-objective a[data-okr-carried-from="{CARRIED_FROM}"]')
    assert "Continues" in norm(page.locator(".okr-carried").inner_text())
    with page.expect_navigation(wait_until="load"):  # the new page, not the old one
        back.click()
    assert CARRIED_FROM in page.url
    assert norm(page.locator("h1").first.inner_text()) == "Help shoppers find the right gear through search"
    meta = norm(page.locator("article.okr-objective .okr-meta").inner_text())
    assert meta.startswith("Closed Red"), meta


def test_the_stale_objective_says_so(page, demo: Site) -> None:
    open_page(page, demo.objective(STALE))
    badge = page.locator("article.okr-objective .okr-meta [data-okr-stale]")
    assert badge.is_visible() and norm(badge.inner_text()) == "Stale"
    rows = page.locator('table[data-okr-table="key-results"] tbody tr')
    assert "last check-in 2026-10-24" in norm(rows.first.inner_text())


def test_every_page_announces_the_feed_and_the_feed_is_atom(page, demo: Site) -> None:
    for url in (demo.dashboard(), demo.objective(STALE), demo.page("okrs/changes/index")):
        open_page(page, url)
        link = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
        assert link.count() == 1, url
        feed_url = link.evaluate("l => l.href")  # resolved by the browser
        assert feed_url == demo.url("feed.xml")
    response = page.request.get(demo.url("feed.xml"))
    assert response.ok
    root = ET.fromstring(response.body())
    entries = root.findall(f"{ATOM}entry")
    assert root.tag == f"{ATOM}feed" and entries
    assert b"Halcyon" not in response.body()  # the demo's private objective
    # Each entry opens its objective's page.
    first = entries[0].find(f"{ATOM}link").get("href")
    open_page(page, demo.url(first))
    assert page.locator("article.okr-objective").count() == 1


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_charts_are_drawn_in_both_palettes(page, demo: Site, scheme: str, switch_palette) -> None:
    open_page(page, demo.objective(IN_REVIEW[1]))
    switch_palette(page, scheme)
    chart = page.locator("figure.okr-chart--metric").first
    chart.scroll_into_view_if_needed()
    assert chart.bounding_box()["width"] > 300
    line = chart.locator(".okr-chart__value").first
    stroke = line.evaluate("el => getComputedStyle(el).stroke")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert stroke not in ("none", "", background), (stroke, background)
    label = chart.locator("text").first
    fill = label.evaluate("el => getComputedStyle(el).fill")
    assert fill != background
    # Screen readers get the chart's title and description.
    svg = chart.locator("svg")
    assert svg.get_attribute("role") == "img" and svg.get_attribute("aria-labelledby")
