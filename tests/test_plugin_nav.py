"""Where the OKR section sits in the navigation; objective, unit and tag pages stay out of it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from test_plugin_support import build_ok, write_site

pytestmark = pytest.mark.slow


def nav_labels(page: Path) -> list[str]:
    """The labels of mkdocs-material's primary navigation on ``page``, in document order."""
    html = page.read_text(encoding="utf-8")
    start = html.index('<nav class="md-nav md-nav--primary"')
    end = html.index('<div class="md-sidebar md-sidebar--secondary"', start)
    nav = html[start:end]
    nav = re.sub(r'<nav class="md-nav md-nav--secondary".*?</nav>', "", nav, flags=re.S)
    labels = re.findall(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', nav, flags=re.S)
    return [re.sub(r"\s+", " ", lab) for lab in labels]


DOCS = {"index.md": "# Home\n", "guide.md": "# Guide\n", "faq.md": "# FAQ\n"}
# (Periods by their titles; the tags index last, as the test organization has tags.)
OKR_SECTION = ["OKRs", "Overview", "What changed", "Periods", "Q4 2026", "Q3 2026", "Units", "Tags"]


def test_auto_nav_gets_a_compact_section_at_the_end(tmp_path: Path) -> None:
    write_site(tmp_path, docs=DOCS)
    site = build_ok(tmp_path, "--strict")
    labels = nav_labels(site / "index.html")
    assert labels == ["Home", "FAQ", "Guide", *OKR_SECTION]
    # objective and unit pages are reachable but not in the nav, on every page
    obj = site / "okrs/objectives/2026-Q4/acme/grow/index.html"
    assert nav_labels(obj) == labels
    assert "Become the shop people recommend" not in labels and "Sales" not in labels


@pytest.mark.parametrize("position,expected", [
    ("start", [*OKR_SECTION, "Home", "FAQ", "Guide"]),
    (1, ["Home", *OKR_SECTION, "FAQ", "Guide"]),
    (99, ["Home", "FAQ", "Guide", *OKR_SECTION]),
])
def test_nav_position(tmp_path: Path, position, expected) -> None:
    write_site(tmp_path, docs=DOCS, options={"nav_position": position})
    site = build_ok(tmp_path)
    assert nav_labels(site / "index.html") == expected


def test_explicit_nav_without_okrs_gets_the_section_appended(tmp_path: Path) -> None:
    write_site(tmp_path, docs=DOCS, config={"nav": ["index.md", {"Help": ["guide.md", "faq.md"]}]},
               options={"nav_title": "Goals"})
    site = build_ok(tmp_path, "--strict")
    labels = nav_labels(site / "index.html")
    assert labels == ["Home", "Help", "Guide", "FAQ", "Goals", *OKR_SECTION[1:]]


def test_explicit_nav_naming_the_dashboard_places_the_section_there(tmp_path: Path) -> None:
    nav = ["index.md", {"Company": [{"Our OKRs": "okrs/index.md"}, "guide.md"]}, "faq.md"]
    write_site(tmp_path, docs=DOCS, config={"nav": nav}, options={"nav_position": "start"})
    site = build_ok(tmp_path, "--strict")
    labels = nav_labels(site / "index.html")
    assert labels == ["Home", "Company", "OKRs", "Our OKRs", "What changed", "Periods", "Q4 2026", "Q3 2026", "Units", "Tags", "Guide", "FAQ"]


def test_navigation_indexes_makes_the_dashboard_the_section_page(tmp_path: Path) -> None:
    write_site(tmp_path, docs=DOCS, config={"theme": {"name": "material", "features": ["navigation.indexes"]}})
    site = build_ok(tmp_path)
    labels = nav_labels(site / "index.html")
    assert labels[3:] == ["OKRs", "What changed", "Periods", "Q4 2026", "Q3 2026", "Units", "Tags"]
    html = (site / "okrs/index.html").read_text()
    assert "<title>OKRs - Test site</title>" in html


def test_auto_nav_does_not_list_generated_pages_as_omitted(tmp_path: Path) -> None:
    write_site(tmp_path, docs=DOCS, config={"nav": ["index.md", "guide.md", "faq.md"],
                                           "validation": {"nav": {"omitted_files": "warn"}}})
    build_ok(tmp_path, "--strict")  # no "pages exist but are not in nav" warning for our pages


def test_an_objective_named_in_the_nav_stays_where_the_user_put_it(tmp_path: Path) -> None:
    nav = ["index.md", {"Focus": [{"Flagship": "okrs/objectives/2026-Q4/acme/grow.md"}, "guide.md"]}]
    write_site(tmp_path, docs=DOCS, config={"nav": nav})
    site = build_ok(tmp_path)
    labels = nav_labels(site / "index.html")
    assert labels == ["Home", "Focus", "Flagship", "Guide", *OKR_SECTION]
    html = (site / "okrs/objectives/2026-Q4/acme/grow/index.html").read_text()
    assert 'data-okr-kind="objective"' in html
