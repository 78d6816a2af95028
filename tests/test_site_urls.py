"""Source paths, URLs and relative links of generated pages (mkdocs_okrs.site.urls)."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.structure.files import File

from mkdocs_okrs.site import urls

SRC_PATHS = [
    "index.md",
    "okrs/index.md",
    "okrs/units/index.md",
    "okrs/units/web.md",
    "okrs/tags/index.md",
    "okrs/tags/re-gear.md",
    "okrs/periods/2026-Q4.md",
    "okrs/objectives/2026-Q4/a/b.md",
    "okrs/objectives/v1.2.md",
    "okrs/objectives/a/_index.md",
    "okrs/objectives/a/_README.md",
    "deep/er/okrs/objectives/x.md",
    "okrs.json",
    "assets/okrs/okrs.css",
]


@pytest.mark.parametrize("use_directory_urls", [True, False])
@pytest.mark.parametrize("src", SRC_PATHS)
def test_page_url_matches_mkdocs(src: str, use_directory_urls: bool) -> None:
    f = File(src, "/docs", "/site", use_directory_urls)
    assert urls.page_url(src, use_directory_urls) == f.url
    assert urls.page_dest(src, use_directory_urls) == f.dest_uri


@pytest.mark.parametrize("segment", ["index", "README", "Index", "readme"])
def test_index_like_last_segment_gets_its_own_url(segment: str) -> None:
    src = urls.objective_src("okrs", f"2026-Q4/team/{segment}")
    assert src == f"okrs/objectives/2026-Q4/team/_{segment}.md"
    parent = urls.objective_src("okrs", "2026-Q4/team")
    for mode in (True, False):
        assert urls.page_url(src, mode) != urls.page_url(parent, mode)
        f = File(src, "/docs", "/site", mode)
        assert f.name != "index"


def test_index_segment_inside_the_id_is_kept() -> None:
    assert urls.objective_src("okrs", "index/a") == "okrs/objectives/index/a.md"
    assert urls.objective_src("", "a") == "objectives/a.md"


def test_unit_slugs_are_unique_stable_and_file_safe() -> None:
    ids = ["web", "Web", "index", "Dana's team / Growth", "dana-s-team-growth", "", "???", "ünïcode"]
    first = urls.unit_slugs(ids)
    assert urls.unit_slugs(list(reversed(ids))) == first
    assert first["Web"] == "Web"  # the first of two ids equal but for case keeps its spelling
    assert first["web"].startswith("web-")
    assert first["index"] == "_index"
    slugs = [s.lower() for s in first.values()]
    assert len(set(slugs)) == len(slugs)
    for slug in first.values():
        assert slug and all(c.isascii() and (c.isalnum() or c in "._-") for c in slug)
        assert slug.lower() not in ("index", "readme")


def test_tag_pages_have_file_safe_slugs_and_an_index_of_their_own() -> None:
    tags = ["performance", "Performance", "Customer love", "index", "re-gear"]
    slugs = urls.tag_slugs(tags)
    assert slugs["Performance"] == "Performance" and slugs["performance"].startswith("performance-")
    assert slugs["re-gear"] == "re-gear"
    assert slugs["Customer love"].startswith("customer-love-") and slugs["index"] == "_index"
    # A tag named "index" cannot take over the tags index page.
    srcs = {urls.tag_src("okrs", s) for s in slugs.values()}
    assert urls.tags_index_src("okrs") == "okrs/tags/index.md"
    assert "okrs/tags/index.md" not in srcs and len(srcs) == len(tags)


def test_unit_slug_collision_with_plain_id() -> None:
    slugs = urls.unit_slugs(["Sales", "sales"])
    assert slugs["Sales"].lower() != slugs["sales"].lower()


CASES = [
    ("okrs/", "okrs/units/web/", "units/web/"),
    ("okrs/objectives/a/b/", "okrs/", "../../../"),
    ("okrs/objectives/a/b/", "okrs/objectives/a/b/#okr-kr-k1", "./#okr-kr-k1"),
    ("okrs/objectives/a/b.html", "okrs/index.html", "../../index.html"),
    ("okrs/objectives/a/b.html", "okrs/objectives/a/c.html", "c.html"),
    ("./", "okrs/", "okrs/"),
    ("index.html", "okrs/index.html", "okrs/index.html"),
    ("okrs/x/", "./", "../../"),
    ("okrs/x/", "okrs.json", "../../okrs.json"),
]


@pytest.mark.parametrize("here,there,expected", CASES)
def test_relative_url_examples(here: str, there: str, expected: str) -> None:
    assert urls.relative_url(here, there) == expected


segment = st.text(alphabet="abcXY09-_.", min_size=1, max_size=6).filter(
    lambda s: s[0].isalnum() and ".." not in s
)
paths = st.lists(segment, min_size=0, max_size=4)


@settings(max_examples=300, deadline=None)
@given(paths, paths, st.booleans(), st.booleans(), st.booleans())
def test_relative_url_resolves_to_target(a, b, dir_a, dir_b, mode) -> None:
    """A browser resolving the relative link from page A lands exactly on page B."""
    src_a = "/".join(a + (["index"] if dir_a or not a else [])) + ".md"
    src_b = "/".join(b + (["index"] if dir_b or not b else [])) + ".md"
    url_a, url_b = urls.page_url(src_a, mode), urls.page_url(src_b, mode)
    rel = urls.relative_url(url_a, url_b)
    base = "http://h/root/"
    resolved = urljoin(urljoin(base, url_a), rel)
    assert resolved == urljoin(base, url_b)
