"""The lean copy of a generated page that the search plugin indexes (site/searchcopy.py).

The search must find the same sections and words in the copy as in the page:
checked with mkdocs-material's own search parser on every kind of page.
"""

from __future__ import annotations

import datetime as dt

import pytest
from material.plugins.search.plugin import Parser

from mkdocs_okrs.core.loader import load_okrs
from mkdocs_okrs.core.model import Settings
from mkdocs_okrs.core.publish import public_view
from mkdocs_okrs.site import context as cx
from mkdocs_okrs.site import plan as pl
from mkdocs_okrs.site.pagehtml import page_context
from mkdocs_okrs.site.render import make_environment, render_page
from mkdocs_okrs.site.searchcopy import search_copy
from mkdocs_okrs.site.toc import BODY_MARKER, graphs_marker
from test_plugin_support import write_site

BODY = (
    '<p>Why: <em>customers</em> &amp; "partners" ask.</p>\n'
    '<h2 id="initiatives">Initiatives<a class="headerlink" href="#initiatives">¶</a></h2>\n'
    "<ul>\n<li>Referral programme</li>\n<li><code>x &lt; y</code></li>\n</ul>\n"
    '<div class="admonition note"><p class="admonition-title">Note</p><h3 id="deep">Deep</h3><p>In a box.</p></div>\n'
    "<p>After the box.</p>"
)


def sections(html: str) -> list[tuple[str | None, str, str]]:
    """What material's search indexes: (section id, title, text with whitespace collapsed)."""
    parser = Parser()
    parser.feed(html)
    parser.close()
    return [
        (s.id, "".join(s.title).strip(), " ".join("".join(s.text).split()))
        for s in parser.data
        if not s.is_excluded()
    ]


def same_for_search(rendered: str, body: str = "") -> str:
    lean = search_copy(rendered)
    assert lean is not None
    full = rendered.replace(BODY_MARKER, body, 1)
    lean = lean.replace(BODY_MARKER, body, 1)
    assert sections(lean) == sections(full)
    return lean


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, str]:
    root = write_site(tmp_path_factory.mktemp("site"))
    okrs = load_okrs(root / "okrs", Settings(today=dt.date(2026, 11, 22)), display_base=root)
    view = public_view(okrs)
    plan = pl.plan_site(view, "okrs")
    index = cx.build_index(view, plan, plan.urls(True))
    env = make_environment()
    out = {}
    for key, spec in plan.pages.items():
        ctx = page_context(index, spec.kind, spec.ref, "Overview")
        ctx["body_html"] = BODY_MARKER if spec.kind == "objective" else ""
        ctx["graphs"] = graphs_marker(key) if spec.kind in ("objective", "period", "unit") else None
        out[key] = render_page(env, spec.kind, ctx)
    return out


def test_every_generated_page_indexes_the_same(pages: dict[str, str]) -> None:
    assert {k.split(":")[0] for k in pages} == {"dashboard", "units", "period", "unit", "objective"}
    for key, rendered in pages.items():
        body = BODY if key.startswith("objective:") else ""
        lean = same_for_search(rendered, body)
        assert len(lean) < len(rendered.replace(BODY_MARKER, body)), key
        assert "data-search-exclude" not in lean and "okrs:graphs" not in lean


def test_the_copy_has_far_fewer_tags(pages: dict[str, str]) -> None:
    rendered = pages["objective:2026-Q4/acme/grow"]
    lean = search_copy(rendered)
    assert lean is not None
    assert lean.count("<") * 3 < rendered.count("<")
    assert BODY_MARKER in lean  # the body goes in as it is
    assert '<h2 id="okr-key-results">' in lean


def test_excluded_elements_go_with_their_content() -> None:
    html = (
        '<article class="a"><h1 id="t">Title</h1><p class="x">Kept <span>words</span></p>'
        '<ul data-search-exclude><li>Secret <ol><li>nested</li></ol></li></ul>'
        '<table data-search-exclude="yes"><tr><td>cell</td></tr></table>'
        '<h2 id="s">Sub</h2><table><tr><td>A</td>\n<td>B</td></tr></table></article>'
    )
    lean = same_for_search(html)
    assert "Secret" not in lean and "cell" not in lean and "nested" not in lean
    assert lean == '<article><h1 id="t">Title</h1><p>Kept words</p><h2 id="s">Sub</h2>A\nB</article>'


def test_headings_keep_their_markup_and_their_containers() -> None:
    html = (
        '<article><div class="box"><h2 id="a">A <a class="headerlink" href="#a">¶</a></h2>'
        '<p>in a</p></div><p>after the box</p><div><span>plain</span></div>'
        '<section><h3 id="b">B</h3></section>tail</article>'
    )
    lean = same_for_search(html)
    assert '<h2 id="a">A <a class="headerlink" href="#a">¶</a></h2>' in lean
    assert "<div><h2" in lean and "<section><h3" in lean
    assert "<span>" not in lean


def test_void_and_self_closing_tags() -> None:
    html = '<article><h1 id="t">T</h1><p>a<br>b<img src="x" alt="y"/>c</p><hr><p>d</p></article>'
    assert same_for_search(html) == '<article><h1 id="t">T</h1><p>abc</p><p>d</p></article>'


@pytest.mark.parametrize(
    "html",
    [
        "<article><p>unclosed</article>",  # closed out of order
        "<article><h1 id='t'>T</h1></article></div>",  # a stray end tag
        "<article><p>open",  # never closed
        "<article><script>var a = '<p>';</script></article>",  # raw text we do not parse
        "<article><svg><title>x</title></svg></article>",
        '<article><div data-search-exclude><h2 id="x">X</h2></div></article>',  # a section inside
        f'<article><div data-search-exclude>{BODY_MARKER}</div></article>',  # the body inside
    ],
)
def test_unexpected_markup_falls_back_to_the_full_page(html: str) -> None:
    assert search_copy(html) is None
