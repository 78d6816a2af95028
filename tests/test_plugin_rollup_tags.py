"""Unit pages that roll up the units below them, tag pages and the list filters' markup.

Real ``mkdocs build`` runs over OKR files written here. The organization:

    acme (top)
    ├── ops
    │   └── fulfil
    │       └── depot
    └── sales

today = 2026-11-22. 2026-Q4: 53 of 92 days have passed, expected 0.5761; the
aspirational bar is 0.7 * 0.5761 = 0.4033, the committed one 0.5761. Each objective
has three key results 0 -> 100 with one check-in at the same value, so its progress
is that value / 100:

- Q4 acme/grow (aspirational) 40 -> 0.4, gap -0.003: on track. Tags growth, brand.
- Q4 ops/deliver (committed) 60 -> 0.6, gap +0.024: on track. Tag delivery.
- Q4 fulfil/pack (aspirational) 10 -> 0.1, gap -0.303: off track. Tags delivery, "Peak season".
- Q4 depot/stock (aspirational) 30 -> 0.3, gap -0.103: at risk.
- Q4 sales/leads (aspirational) 50 -> 0.5: on track.
- Q4 fulfil/zeppelin-quokka: PRIVATE, tags zeppelin-only (on no public objective) and delivery.
- Q3 acme/earlier 70 -> score 0.7; Q3 fulfil/summer 50 -> score 0.5 (yellow), tag delivery.

The page of ops, for 2026-Q4: its own ops/deliver, then fulfil's pack, then depot's
stock; 3 objectives (1 own), average progress (0.6 + 0.1 + 0.3) / 3 = 0.333 -> 33%,
1 on track, 1 at risk, 1 off track. For 2026-Q3: fulfil's summer only, average score
50%, grade yellow.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from test_plugin_support import PRIVATE_WORDS, article, build_ok, generated_pages, resolve_link, write_site

pytestmark = pytest.mark.slow

ORG = """\
units:
  - id: acme
    name: Acme Inc.
  - id: ops
    name: Operations
    parent: acme
  - id: fulfil
    name: Fulfilment Centre
    parent: ops
  - id: depot
    name: North Depot
    parent: fulfil
  - id: sales
    name: Sales
    parent: acme
"""


def krs(value: int, date: str = "2026-11-15", prefix: str = "k") -> str:
    """Three metric key results 0 -> 100, each checked in once at ``value``."""
    out = ["key_results:"]
    for i in range(1, 4):
        out += [f"  - id: {prefix}{i}", f"    title: Reach the measured level {i}", "    start: 0",
                "    target: 100", "    unit: points", "    checkins:",
                f"      - {{date: {date}, value: {value}, confidence: 0.7}}"]
    return "\n".join(out)


def objective(statement: str, owner: str, period: str, value: int, **fields: str) -> str:
    lines = ["---", f"objective: {statement}", f"owner: {owner}", f"period: {period}"]
    lines += [f"{k}: {v}" for k, v in fields.items()]
    lines.append(krs(value, "2026-11-15" if period == "2026-Q4" else "2026-09-20"))
    return "\n".join(lines) + "\n---\n"


OKRS = {
    "2026-Q4/acme/grow.md": objective("Become the shop people recommend", "acme", "2026-Q4", 40,
                                      tags="[growth, brand]"),
    "2026-Q4/ops/deliver.md": objective("Deliver every order when promised", "ops", "2026-Q4", 60,
                                        parent="2026-Q4/acme/grow", commitment="committed", tags="[delivery]"),
    "2026-Q4/fulfil/pack.md": objective("Pack every order right", "fulfil", "2026-Q4", 10,
                                        parent="2026-Q4/ops/deliver", tags="[delivery, Peak season]"),
    "2026-Q4/depot/stock.md": objective("Keep the shelves stocked", "depot", "2026-Q4", 30,
                                        parent="2026-Q4/fulfil/pack"),
    "2026-Q4/sales/leads.md": objective("Fill the pipeline with good leads", "sales", "2026-Q4", 50,
                                        parent="2026-Q4/acme/grow"),
    "2026-Q4/fulfil/zeppelin-quokka.md": objective("Launch the Zeppelin Quokka Marmalade depot", "fulfil",
                                                   "2026-Q4", 20, parent="2026-Q4/ops/deliver",
                                                   visibility="private", tags="[zeppelin-only, delivery]"),
    "2026-Q3/acme/earlier.md": objective("Be known for friendly service", "acme", "2026-Q3", 70),
    "2026-Q3/fulfil/summer.md": objective("Get summer orders out the same day", "fulfil", "2026-Q3", 50,
                                          parent="2026-Q3/acme/earlier", tags="[delivery]"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_site(tmp_path_factory.mktemp("rollup"), OKRS, org=ORG)
    return build_ok(root, "--strict")


def page(site: Path, path: str) -> str:
    return article((site / path / "index.html").read_text(encoding="utf-8"))


def listed(html: str) -> list[str]:
    """The objectives a page lists for the filters, in order."""
    return re.findall(r'<li class="okr-item[^"]*"[^>]*?data-okr-filter-item data-okr-id="([^"]+)"', html)


def section(html: str, period: str) -> str:
    """A unit or tag page's group of one period."""
    m = re.search(rf'<section class="okr-group"[^>]*data-okr-period="{period}">.*?</section>', html, re.S)
    assert m, f"no group for {period}"
    return m.group(0)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_a_unit_page_lists_its_own_objectives_then_each_unit_below_it(site: Path) -> None:
    ops = page(site, "okrs/units/ops")
    q4 = section(ops, "2026-Q4")
    # Own first (no heading), then each unit below, at any depth, under a heading that names it.
    assert listed(q4) == ["2026-Q4/ops/deliver", "2026-Q4/fulfil/pack", "2026-Q4/depot/stock"]
    headings = re.findall(r'<h4 id="([^"]+)">(.*?)</h4>', q4, re.S)
    assert [h[0] for h in headings] == ["okr-period-2026-Q4-fulfil", "okr-period-2026-Q4-depot"]
    assert text(headings[0][1]) == "Fulfilment Centre"
    assert text(headings[1][1]) == "North Depot · part of Fulfilment Centre"
    assert q4.index("2026-Q4/ops/deliver") < q4.index('id="okr-period-2026-Q4-fulfil"') < q4.index("2026-Q4/fulfil/pack")
    assert q4.index('id="okr-period-2026-Q4-depot"') < q4.index("2026-Q4/depot/stock")
    # Each objective sits in its owner's list.
    for owner, oid in (("ops", "deliver"), ("fulfil", "pack"), ("depot", "stock")):
        lst = re.search(rf'<ul class="okr-list"[^>]*data-okr-unit="{owner}"[^>]*>(.*?)</ul>', q4, re.S).group(1)
        assert listed(lst) == [f"2026-Q4/{owner}/{oid}"]
    # Neither a sibling's objectives (sales) nor the parent's (acme), nor the private one.
    assert "sales/leads" not in ops and "acme/grow" not in ops.split('id="okr-objectives"')[1].split("okr-contributions")[0]
    assert not any(w in ops for w in PRIVATE_WORDS)


def test_a_unit_page_totals_the_roll_up(site: Path) -> None:
    ops = page(site, "okrs/units/ops")
    q4, q3 = section(ops, "2026-Q4"), section(ops, "2026-Q3")
    rollup = re.search(r"<p class=\"okr-summary okr-rollup\"(.*?)</p>", q4, re.S).group(0)
    assert 'data-okr-count="3"' in rollup
    assert "3 objectives (1 own, 2 of the units below)" in text(rollup)
    assert "average progress 33%" in text(rollup)
    counts = dict(re.findall(r'data-okr-status-count="([^"]+)">.*?</span> (\d+)</span>', rollup))
    assert counts == {"on-track": "1", "at-risk": "1", "off-track": "1"}
    # The period that has ended: the average score and its grade, no progress against the pace.
    rollup3 = re.search(r"<p class=\"okr-summary okr-rollup\"(.*?)</p>", q3, re.S).group(0)
    # An earlier period sums each unit below up (its count, grade and a link to its own
    # list) instead of listing its objectives again: a page stays the size of one period.
    assert listed(q3) == []
    summary = re.search(r'<p class="okr-subunit__summary"[^>]*>(.*?)</p>', q3, re.S).group(0)
    assert 'data-okr-count="1"' in summary and 'data-okr-grade="yellow"' in summary
    assert re.search(r'href="\.\./fulfil/#okr-period-2026-Q3">1 objective</a>', summary), summary
    assert "1 objective (0 own, 1 of the units below)" in text(rollup3)
    assert "average score 50%" in text(rollup3) and 'data-okr-grade="yellow"' in rollup3
    # The history table has the same totals, newest first, and says it includes the units below.
    rows = re.findall(r'<tr data-okr-period="([^"]+)"[^>]*>(.*?)</tr>', ops, re.S)
    assert [(p, re.search(r'okr-num">(\d+)<', r).group(1)) for p, r in rows] == [("2026-Q4", "3"), ("2026-Q3", "1")]
    assert "include the objectives of the units below Operations" in ops


def test_the_top_unit_rolls_up_the_whole_tree_in_chart_order(site: Path) -> None:
    acme = page(site, "okrs/units/acme")
    assert listed(section(acme, "2026-Q4")) == [
        "2026-Q4/acme/grow", "2026-Q4/ops/deliver", "2026-Q4/fulfil/pack", "2026-Q4/depot/stock", "2026-Q4/sales/leads",
    ]
    assert re.findall(r'data-okr-subunit="([^"]+)" data-okr-depth="(\d)"', section(acme, "2026-Q4")) == [
        ("ops", "1"), ("fulfil", "2"), ("depot", "3"), ("sales", "1")]
    # A unit with nothing below it lists its own, without the roll-up's note.
    depot = page(site, "okrs/units/depot")
    assert listed(depot) == ["2026-Q4/depot/stock"] and "data-okr-rollup-note" not in depot
    assert "<h4" not in depot


def test_tag_pages_list_the_public_objectives_of_each_tag_by_period(site: Path) -> None:
    tags = site / "okrs" / "tags"
    # One page per tag of a public objective; none for the tag only the private objective has.
    assert sorted(p.name for p in tags.iterdir() if p.is_dir()) == sorted(
        ["brand", "delivery", "growth", next(p.name for p in tags.iterdir() if p.name.startswith("peak-season-"))])
    assert not (tags / "zeppelin-only").exists()
    delivery = page(site, "okrs/tags/delivery")
    assert re.search(r'<h1 id="okr-title">delivery</h1>', delivery)
    assert [p for p in re.findall(r'<section class="okr-group"[^>]*data-okr-period="([^"]+)"', delivery)] == [
        "2026-Q4", "2026-Q3"]  # newest first
    assert listed(delivery) == ["2026-Q4/ops/deliver", "2026-Q4/fulfil/pack", "2026-Q3/fulfil/summer"]
    assert "3 objectives tagged delivery" in text(delivery)
    # The index: every tag A to Z (case-insensitively), with its count; each link resolves to its page.
    index_path = tags / "index.html"
    index = article(index_path.read_text(encoding="utf-8"))
    rows = re.findall(r'<tr data-okr-tag="([^"]+)">.*?href="([^"]+)".*?okr-num">(\d+)<', index, re.S)
    assert [(t, n) for t, _, n in rows] == [("brand", "1"), ("delivery", "3"), ("growth", "1"), ("Peak season", "1")]
    for tag, href, _ in rows:
        target, _ = resolve_link(site, index_path, href)
        assert target is not None and target.is_file(), href
        assert f'<h1 id="okr-title">{tag}</h1>' in target.read_text(encoding="utf-8")
    # No output file names the private objective or its tag.
    for path in [*site.rglob("*.html"), site / "sitemap.xml", site / "search" / "search_index.json"]:
        content = path.read_text(encoding="utf-8")
        assert "zeppelin-only" not in content and not any(w in content for w in PRIVATE_WORDS), path


def test_tags_are_links_to_their_pages_and_the_pages_are_in_the_sitemap(site: Path) -> None:
    obj_path = site / "okrs" / "objectives" / "2026-Q4" / "fulfil" / "pack" / "index.html"
    obj = article(obj_path.read_text(encoding="utf-8"))
    links = re.findall(r'<a class="okr-tag" href="([^"]+)" data-okr-tag="([^"]+)">', obj)
    assert [t for _, t in links] == ["delivery", "Peak season"]
    for href, tag in links:
        target, _ = resolve_link(site, obj_path, href)
        assert target is not None and target.is_file()
        assert f'<h1 id="okr-title">{tag}</h1>' in target.read_text(encoding="utf-8")
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://example.org/okrs/tags/delivery/" in sitemap and "https://example.org/okrs/tags/" in sitemap
    # The navigation has the tags index, not one entry per tag.
    nav = (site / "index.html").read_text(encoding="utf-8").split('<nav class="md-nav md-nav--primary"')[1]
    nav = nav.split('<div class="md-sidebar md-sidebar--secondary"')[0]
    assert ">Tags<" in re.sub(r"\s+", "", nav) and "okrs/tags/delivery/" not in nav


def test_lists_carry_what_the_filters_read_and_the_form_is_hidden(site: Path) -> None:
    period = page(site, "okrs/periods/2026-Q4")
    form = re.search(r"<form class=\"okr-filters\" data-okr-filters hidden.*?</form>", period, re.S).group(0)
    assert re.findall(r'name="status" value="([^"]+)"', form) == ["on-track", "at-risk", "off-track"]
    assert re.findall(r'<select name="(\w+)">', form) == ["commitment", "owner", "tag"]
    owners = re.search(r'<select name="owner">(.*?)</select>', form, re.S).group(1)
    assert re.findall(r'<option value="([^"]*)"', owners) == ["", "acme", "ops", "fulfil", "depot", "sales"]
    tags = re.search(r'<select name="tag">(.*?)</select>', form, re.S).group(1)
    values = re.findall(r'<option value="([^"]*)">([^<]*)</option>', tags)
    assert [v for v, _ in values][:4] == ["", "brand", "delivery", "growth"]
    assert values[4][0].startswith("peak-season-") and values[4][1] == "Peak season (1)"
    assert "Showing 5 of 5" in form and 'data-okr-text="Showing {shown} of {total}"' in form
    row = re.search(r'<li [^>]*data-okr-id="2026-Q4/fulfil/pack"[^>]*>', period).group(0)
    assert 'data-okr-status="off-track"' in row and 'data-okr-commitment="aspirational"' in row
    assert 'data-okr-owner="fulfil"' in row and f'data-okr-tags="delivery {values[4][0]}"' in row
    # Every OKR page loads the script (it does nothing where there is no form).
    for p in generated_pages(site):
        assert "assets/okrs/okrs-filters.js" in p.read_text(encoding="utf-8"), p
    assert (site / "assets" / "okrs" / "okrs-filters.js").is_file()
