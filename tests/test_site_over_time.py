"""OKRs over time on the built site: scores and grades once a period has ended, the
review page, objectives in review, carried-over objectives, stale objectives, the
"What changed" page, the Atom feed and the trend charts.

Real ``mkdocs build`` runs of an organization written by the test (with real
Graphviz), read back from the files MkDocs wrote.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_plugin_support import (
    PRIVATE_WORDS,
    TODAY,
    article,
    build_ok,
    generated_pages,
    kr_block,
    objective_file,
    resolve_link,
    standard_okrs,
    write_site,
)

pytestmark = pytest.mark.slow

ATOM = "{http://www.w3.org/2005/Atom}"
RUNNING_STATUSES = {"on-track", "at-risk", "off-track"}
RULES = {"stale-checkin": "off", "kr-no-measure": "off"}


def _metric(kr_id: str, title: str, start: float, target: float, checkins: list[tuple[str, float]]) -> str:
    lines = [f"  - id: {kr_id}", f"    title: {title}", f"    start: {start}", f"    target: {target}",
             "    unit: points", "    checkins:"]
    lines += [f"      - {{date: {d}, value: {v}, confidence: 0.6}}" for d, v in checkins]
    return "\n".join(lines)


def _krs(*blocks: str) -> str:
    return "key_results:\n" + "\n".join(blocks)


def over_time_okrs() -> dict[str, str]:
    """The standard organization plus: a committed Q3 objective that was missed and
    carried into Q4, a Q3 objective measured after its quarter (in review), a stale Q4
    objective, one that changed status in the last week, and a private objective with a
    recent check-in."""
    okrs = standard_okrs()
    okrs["2026-Q3/sales/unfinished.md"] = objective_file(
        "Open the wholesale channel", "sales", "2026-Q3", commitment="committed", parent="2026-Q3/acme/earlier",
        retrospective="Retailers wanted samples first; the wholesale catalogue slipped by six weeks.",
        key_results=_krs(
            _metric("dealers", "Dealers signed", 0, 10, [("2026-08-15", 3), ("2026-09-25", 6)]),
            _metric("orders", "Wholesale orders", 0, 40, [("2026-09-25", 20)]),
            _metric("returns", "Dealers reordering", 0, 5, [("2026-09-25", 2)]),
        ),
    )
    okrs["2026-Q4/sales/more-leads.md"] = objective_file(
        "Fill the pipeline with qualified leads", "sales", "2026-Q4",
        parent="2026-Q4/acme/grow#k1", contributors="[web]", commitment="committed",
        carried_from="2026-Q3/sales/unfinished",
    )
    okrs["2026-Q3/web/late.md"] = objective_file(
        "Cut the returns of online orders", "web", "2026-Q3", review_until="2026-12-15",
        parent="2026-Q3/acme/earlier",
        key_results=_krs(
            _metric("rate", "Return rate", 20, 10, [("2026-08-01", 18), ("2026-09-20", 16), ("2026-10-20", 11)]),
            _metric("cost", "Cost per return", 10, 5, [("2026-09-20", 8), ("2026-11-10", 6)]),
            _metric("speed", "Days to refund", 10, 2, [("2026-09-20", 6), ("2026-11-10", 4)]),
        ),
    )
    okrs["2026-Q4/web/quiet.md"] = objective_file(
        "Keep the catalogue photos fresh", "web", "2026-Q4", parent="2026-Q4/sales/more-leads",
        key_results=kr_block("q", ("2026-10-05", "2026-10-20")),
    )
    okrs["2026-Q4/web/jumped.md"] = objective_file(
        "Make the newsletter worth opening", "web", "2026-Q4", parent="2026-Q4/sales/more-leads",
        key_results=_krs(
            _metric("opens", "Open rate", 20, 40, [("2026-10-10", 21), ("2026-11-20", 32)]),
            _metric("clicks", "Click rate", 2, 6, [("2026-10-10", 2.2), ("2026-11-20", 4.5)]),
            _metric("subs", "Subscribers", 1000, 2000, [("2026-10-10", 1050), ("2026-11-20", 1600)]),
        ),
    )
    okrs["2026-Q4/web/unmeasured.md"] = objective_file(
        "Be the team people like to join", "web", "2026-Q4", parent="2026-Q4/sales/more-leads",
        key_results="key_results:\n  - title: Engineers who recommend the team\n"
                    "  - title: Time from offer to first commit\n  - title: Open roles filled",
    )
    okrs["2026-Q4/acme/zeppelin-quokka.md"] = objective_file(
        "Launch the Zeppelin Quokka Marmalade venture", "acme", "2026-Q4", visibility="private",
        body="Secret plan: the Zeppelin Quokka Marmalade partnership.\n",
        key_results=kr_block("z", ("2026-10-20", "2026-11-21")).replace(
            "Reach the measured level", "Quokka Marmalade milestone").replace("Step 2", "Zeppelin news"),
    )
    return okrs


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("over-time")
    write_site(root, over_time_okrs(), options={"graphs": True, "rules": RULES})
    return build_ok(root, "--strict")


def _page(site: Path, *parts: str) -> Path:
    return site.joinpath("okrs", *parts, "index.html")


def _objective(site: Path, oid: str) -> str:
    return _page(site, "objectives", oid).read_text(encoding="utf-8")


class Tags(HTMLParser):
    """Every start tag of a page with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    p = Tags()
    p.feed(html)
    return p.tags


def _link_to(site: Path, page: Path, html: str, attr: str, value: str) -> Path | None:
    for _tag, a in tags(html):
        if a.get(attr) == value:
            return resolve_link(site, page, a["href"])[0]
    return None


# ------------------------------------------------------------ ended periods


def test_nothing_says_on_track_about_an_ended_period(site: Path) -> None:
    q3 = ("2026-Q3/acme/earlier", "2026-Q3/sales/unfinished", "2026-Q3/web/late")
    seen = 0
    for page in generated_pages(site):
        html = page.read_text(encoding="utf-8")
        for _tag, a in tags(html):
            if a.get("data-okr-id") in q3 and "data-okr-status" in a:
                seen += 1
                assert a["data-okr-status"] not in RUNNING_STATUSES, (page, a)
    assert seen >= 6  # period, review, unit and objective pages all show them
    period = article(_page(site, "periods", "2026-Q3").read_text(encoding="utf-8"))
    for words in ("On track", "At risk", "Off track"):
        assert words not in period
    # The graphs too: every node of a Q3 objective is closed (or done, dropped).
    svg = _objective(site, "2026-Q3/acme/earlier")
    assert "okr-status-closed" in svg
    assert not re.search(r"okr-status-(on-track|at-risk|off-track)", svg)
    doc = json.loads((site / "okrs.json").read_text(encoding="utf-8"))
    for o in doc["objectives"]:
        if o["period"] == "2026-Q3":
            assert o["status"] == "closed", o


def test_ended_objective_shows_score_grade_and_retrospective(site: Path) -> None:
    html = article(_objective(site, "2026-Q3/sales/unfinished"))
    # dealers 6/10, orders 20/40, reorders 2/5 on 30 September: score (0.6 + 0.5 + 0.4) / 3 = 0.5, yellow.
    assert re.search(r'data-okr-grade="yellow"', html)
    assert "Retailers wanted samples first" in html
    doc = {o["id"]: o for o in json.loads((site / "okrs.json").read_text(encoding="utf-8"))["objectives"]}
    assert doc["2026-Q3/sales/unfinished"]["score"] == pytest.approx(0.5)
    assert doc["2026-Q3/sales/unfinished"]["grade"] == "yellow"
    assert doc["2026-Q4/sales/more-leads"]["score"] is None and doc["2026-Q4/sales/more-leads"]["grade"] is None
    # The running quarter's page has no retrospective box and no grade.
    running = article(_objective(site, "2026-Q4/sales/more-leads"))
    assert "okr-retrospective" not in running and "data-okr-grade=" not in running


def test_review_page(site: Path) -> None:
    page = _page(site, "periods", "2026-Q3", "review")
    html = page.read_text(encoding="utf-8")
    body = article(html)
    assert not _page(site, "periods", "2026-Q4", "review").exists()  # Q4 is still running
    # The period page links to its review.
    period_page = _page(site, "periods", "2026-Q3")
    period_html = period_page.read_text(encoding="utf-8")
    hrefs = [a.get("href") for _t, a in tags(article(period_html)) if a.get("href")]
    assert page in [resolve_link(site, period_page, h)[0] for h in hrefs]
    # So do the dashboard's list of periods and the page of each of its objectives.
    for other in (_page(site), _page(site, "objectives", "2026-Q3/sales/unfinished")):
        links = [a["href"] for _t, a in tags(article(other.read_text(encoding="utf-8"))) if "data-okr-review" in a]
        assert [resolve_link(site, other, h)[0] for h in links] == [page], other
    # Scores by unit: acme's earlier (0.4), sales' unfinished (0.5), web's late (0.433...).
    units = {a["data-okr-unit"] for t, a in tags(body) if t == "tr" and "data-okr-unit" in a}
    assert units == {"acme", "sales", "web"}
    # Grades: earlier (0.4: yellow), unfinished (0.5: yellow), late (see below).
    counts = {a["data-okr-grade-count"]: int(a["data-okr-count"]) for _t, a in tags(body)
              if "data-okr-grade-count" in a and "data-okr-count" in a}
    assert sum(counts.values()) == 3 and counts["yellow"] >= 2
    # The committed objective was missed, with its retrospective, and carried over.
    missed = re.search(r'data-okr-list="committed-missed".*?</ul>', body, re.S).group(0)
    assert "2026-Q3/sales/unfinished" in missed
    assert "Retailers wanted samples first" in body
    target = _link_to(site, page, body, "data-okr-carried-into", "2026-Q4/sales/more-leads")
    assert target == _page(site, "objectives", "2026-Q4/sales/more-leads")
    # Objectives by score, highest first.
    scores = [float(a["data-okr-score"]) for _t, a in tags(body) if a.get("data-okr-score")]
    assert scores == sorted(scores, reverse=True) and len(scores) == 3
    # Still measured: the objective in review, with its score at the end and its progress now.
    table = re.search(r'data-okr-table="in-review".*?</table>', body, re.S).group(0)
    assert "2026-Q3/web/late" in table and "2026-12-15" in table


def test_in_review_objective(site: Path) -> None:
    doc = {o["id"]: o for o in json.loads((site / "okrs.json").read_text(encoding="utf-8"))["objectives"]}
    late = doc["2026-Q3/web/late"]
    assert late["in_review"] is True and late["status"] == "closed"
    # On 30 September: rate 16 (0.4), cost 8 (0.4), refund 6 (0.5); today: 11, 6, 4.
    assert late["score"] == pytest.approx((0.4 + 0.4 + 0.5) / 3)
    assert late["progress"] == pytest.approx((0.9 + 0.8 + 0.75) / 3)
    assert late["last_checkin"] == "2026-11-10"
    html = article(_objective(site, "2026-Q3/web/late"))
    assert "data-okr-in-review" in html
    dashboard = article(_page(site).read_text(encoding="utf-8"))
    assert re.search(r'data-okr-list="in-review".*?2026-Q3/web/late', dashboard, re.S)
    assert doc["2026-Q3/sales/unfinished"]["in_review"] is False


def test_carried_over_links_both_ways(site: Path) -> None:
    new = _page(site, "objectives", "2026-Q4/sales/more-leads")
    old = _page(site, "objectives", "2026-Q3/sales/unfinished")
    new_html, old_html = article(new.read_text(encoding="utf-8")), article(old.read_text(encoding="utf-8"))
    assert _link_to(site, new, new_html, "data-okr-carried-from", "2026-Q3/sales/unfinished") == old
    assert _link_to(site, old, old_html, "data-okr-carried-into", "2026-Q4/sales/more-leads") == new
    doc = {o["id"]: o for o in json.loads((site / "okrs.json").read_text(encoding="utf-8"))["objectives"]}
    assert doc["2026-Q4/sales/more-leads"]["carried_from"] == "2026-Q3/sales/unfinished"


def test_stale_objective_is_marked(site: Path) -> None:
    doc = {o["id"]: o for o in json.loads((site / "okrs.json").read_text(encoding="utf-8"))["objectives"]}
    assert doc["2026-Q4/web/quiet"]["stale"] is True and doc["2026-Q4/web/quiet"]["last_checkin"] == "2026-10-20"
    assert doc["2026-Q4/web/jumped"]["stale"] is False
    assert "data-okr-stale" in article(_objective(site, "2026-Q4/web/quiet"))
    assert "data-okr-stale" not in article(_objective(site, "2026-Q4/web/jumped"))
    # Lists show it too (the period's tree).
    period = article(_page(site, "periods", "2026-Q4").read_text(encoding="utf-8"))
    row = re.search(r'<li[^>]*data-okr-id="2026-Q4/web/quiet".*?</li>', period, re.S).group(0)
    assert "data-okr-stale" in row


class _Indexed(HTMLParser):
    """The links a search index reads: those outside every element marked ``data-search-exclude``."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, bool]] = []  # (tag, excluded)
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        excluded = (bool(self.open) and self.open[-1][1]) or "data-search-exclude" in a
        if tag == "a" and not excluded and a.get("href"):
            self.links.append(a["href"])
        if tag not in self.VOID:
            self.open.append((tag, excluded))

    def handle_endtag(self, tag):
        while self.open and self.open.pop()[0] != tag:
            pass


def _indexed_objective_links(html: str) -> list[str]:
    parser = _Indexed()
    parser.feed(article(html))
    return [h for h in parser.links if "/objectives/" in h or h.startswith("../objectives/")]


def test_lists_of_objectives_are_left_out_of_search(site: Path, tmp_path: Path) -> None:
    """A list of objectives can hold thousands of them: a search index reads a page in
    sections of bounded size (Zensical refuses to build a section of more than 8,192 words),
    and a list of titles is no search result. Every such list is marked data-search-exclude,
    on every page but an objective's own."""
    # What changed on 5 October: Q3 ended and Q4 started within the last seven days.
    milestone = "key_results:\n  - title: Ship it\n    done: false"
    early_okrs = {f"{period}/{unit}/{slug}.md": objective_file(title, unit, period, key_results=milestone)
                  for period in ("2026-Q3", "2026-Q4") for unit, slug, title in
                  (("acme", "grow", "Become the shop people recommend"), ("web", "fast", "Make the shop fast"))}
    early = build_ok(write_site(tmp_path / "early", early_okrs, options={"today": "2026-10-05"}))
    changes = article((early / "okrs" / "changes" / "index.html").read_text(encoding="utf-8"))
    for name in ("started", "ended"):
        items = re.search(rf'<ul [^>]*data-okr-list="{name}"[^>]*data-search-exclude[^>]*>(.*?)</ul>', changes, re.S)
        assert items and items.group(1).count("<li") >= 2, name
    review = article(_page(site, "periods", "2026-Q3", "review").read_text(encoding="utf-8"))
    unfinished = re.search(r'<ul [^>]*data-okr-list="unfinished"[^>]*data-search-exclude[^>]*>(.*?)</ul>', review, re.S)
    assert unfinished and 'data-okr-id="2026-Q3/acme/earlier"' in unfinished.group(1)
    pages = [p for built in (site, early) for p in sorted((built / "okrs").rglob("index.html"))
             if "objectives" not in p.relative_to(built).parts]
    assert len(pages) > 15
    for page in pages:
        assert _indexed_objective_links(page.read_text(encoding="utf-8")) == [], page


# ---------------------------------------------------------- what changed, feed


def test_what_changed_page(site: Path) -> None:
    page = site / "okrs" / "changes" / "index.html"
    html = page.read_text(encoding="utf-8")
    body = article(html)
    # Check-ins after 2026-11-15 up to today: the newsletter's three (2026-11-20).
    rows = [(a["data-okr-id"], a["data-okr-kr"]) for t, a in tags(body) if t == "tr" and "data-okr-kr" in a]
    assert sorted(rows) == [("2026-Q4/web/jumped", k) for k in ("clicks", "opens", "subs")]
    # Its status changed with them (it was behind on 2026-11-15); the stale one did not change.
    changes = {a["data-okr-id"]: (a["data-okr-before"], a["data-okr-after"]) for _t, a in tags(body)
               if "data-okr-before" in a}
    assert changes["2026-Q4/web/jumped"][0] != changes["2026-Q4/web/jumped"][1]
    assert "2026-Q4/web/quiet" not in changes
    for word in PRIVATE_WORDS:
        assert word not in html
    # In the navigation, after the overview.
    nav = [a["href"] for t, a in tags(_page(site).read_text(encoding="utf-8"))
           if t == "a" and "md-nav__link" in (a.get("class") or "")]
    assert "changes/" in nav


def test_feed_is_atom_with_stable_ids_and_no_private_text(site: Path, tmp_path: Path) -> None:
    data = (site / "feed.xml").read_bytes()
    for word in PRIVATE_WORDS:
        assert word.encode() not in data
    root = ET.fromstring(data)
    assert root.tag == f"{ATOM}feed"
    for child in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{child}") is not None
    assert root.find(f"{ATOM}updated").text == f"{TODAY}T00:00:00Z"
    entries = root.findall(f"{ATOM}entry")
    ids = [e.find(f"{ATOM}id").text for e in entries]
    titles = sorted(e.find(f"{ATOM}title").text for e in entries)
    # The newsletter's three check-ins and its status change; the pipeline objective fell
    # behind the pace without a check-in, which is a change of status too.
    assert titles == ["Click rate: 4.5 points", "Fill the pipeline with qualified leads: On track → At risk",
                      "Make the newsletter worth opening: Off track → On track", "Open rate: 32 points",
                      "Subscribers: 1,600 points"]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("urn:uuid:") for i in ids)
    for e in entries:
        href = e.find(f"{ATOM}link").get("href")
        target, _fragment = resolve_link(site, site / "feed.xml", href)
        assert target is not None and target.is_file(), href
        assert e.find(f"{ATOM}updated").text.startswith("2026-11-")
    # Every OKR page announces the feed in its head.
    for page in (_page(site), _objective_path := _page(site, "objectives", "2026-Q4/web/jumped")):
        head = page.read_text(encoding="utf-8").split("</head>")[0]
        link = re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', head)
        assert link and resolve_link(site, page, link.group(1))[0] == site / "feed.xml"

    # A build on another day gives the same changes the same ids (its window holds more).
    other = write_site(tmp_path / "other", over_time_okrs(),
                       options={"today": "2026-11-21", "rules": RULES})
    again = ET.fromstring((build_ok(other) / "feed.xml").read_bytes())
    assert again.find(f"{ATOM}updated").text == "2026-11-21T00:00:00Z"
    before = {e.find(f"{ATOM}title").text: e.find(f"{ATOM}id").text for e in entries}
    after = {e.find(f"{ATOM}title").text: e.find(f"{ATOM}id").text for e in again.findall(f"{ATOM}entry")}
    assert len(after) > len(before)
    for title in ("Click rate: 4.5 points", "Open rate: 32 points", "Subscribers: 1,600 points",
                  "Make the newsletter worth opening: Off track \u2192 On track"):
        assert after[title] == before[title], title


def test_a_german_site_has_a_german_feed_with_the_same_ids_and_german_charts(site: Path, tmp_path: Path) -> None:
    root = write_site(tmp_path / "de", over_time_okrs(), options={"rules": RULES},
                      config={"theme": {"name": "material", "language": "de"}})
    german = build_ok(root, "--strict")
    feed = ET.fromstring((german / "feed.xml").read_bytes())
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "de"
    assert feed.find(f"{ATOM}title").text.endswith(": Check-ins und Statusänderungen der OKRs")
    entries = feed.findall(f"{ATOM}entry")
    titles = sorted(e.find(f"{ATOM}title").text for e in entries)
    assert titles == ["Click rate: 4,5 points", "Fill the pipeline with qualified leads: Im Plan \u2192 Gefährdet",
                      "Make the newsletter worth opening: Nicht im Plan \u2192 Im Plan", "Open rate: 32 points",
                      "Subscribers: 1.600 points"]
    summaries = [e.find(f"{ATOM}summary").text for e in entries]
    checkin = next(t for t in summaries if t.startswith("Check-in"))
    assert checkin == "Check-in von \u201eMake the newsletter worth opening\u201c. Zuversicht 60\u00a0%."
    assert any(re.fullmatch("\u201eMake the newsletter worth opening\u201c ist seit 2026-11-\\d\\d im Plan\\.", t)
               for t in summaries), summaries
    # The ids do not depend on the language: a site that changes it keeps its entries.
    english = ET.fromstring((site / "feed.xml").read_bytes())
    assert sorted(e.find(f"{ATOM}id").text for e in entries) == \
        sorted(e.find(f"{ATOM}id").text for e in english.findall(f"{ATOM}entry"))
    assert feed.find(f"{ATOM}id").text == english.find(f"{ATOM}id").text
    # The charts, drawn by the figure worker, speak German too.
    page = (german / "okrs" / "objectives" / "2026-Q3" / "web" / "late" / "index.html").read_text(encoding="utf-8")
    charts = re.findall(r'<figure class="okr-chart .*?</figure>', page, re.S)
    assert len(charts) == 4
    text = " ".join(charts)
    assert "Fortschritt von \u201eCut the returns of online orders\u201c" in text
    assert ">Heute<" in text and "Nachbeobachtung bis 15. Dezember" in text and ">1. Juli<" in text
    assert ">Today<" not in text and "Review until" not in text and " on " not in text
    for chart in charts:
        ET.fromstring(chart)  # well-formed
    head = page.split("</head>")[0]
    assert 'title="Check-ins und Statusänderungen der OKRs"' in head


# ------------------------------------------------------------------ charts


def test_objective_page_has_a_chart_per_key_result_from_its_checkins(site: Path) -> None:
    html = _objective(site, "2026-Q3/web/late")
    assert "<!--okrs:figure:" not in html  # every marker was replaced
    figures = re.findall(r'<figure class="okr-chart okr-chart--(\w+).*?</figure>', html, re.S)
    assert figures.count("metric") == 3 and figures.count("progress") == 1
    charts = re.findall(r'<figure class="okr-chart okr-chart--metric.*?</figure>', html, re.S)
    rate = next(c for c in charts if "Return rate" in c)
    points = re.findall(r'class="okr-chart__point"[^>]*data-date="([^"]+)" data-value="([^"]+)"', rate)
    assert [(d, float(v)) for d, v in points] == [("2026-08-01", 18), ("2026-09-20", 16), ("2026-10-20", 11)]
    figure = ET.fromstring(rate)
    assert figure.get("data-period-end") == "2026-09-30" and figure.get("data-today") == TODAY
    # The review window extends the axis to review_until.
    assert figure.get("data-axis-end") == "2026-12-15"


def test_an_objective_without_a_measure_has_no_progress_chart(site: Path) -> None:
    html = _objective(site, "2026-Q4/web/unmeasured")
    assert "okr-chart" not in article(html)
    assert "<!--okrs:figure:" not in html
    assert "Not measured yet" in article(html)
