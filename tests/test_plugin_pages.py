"""The generated pages' Markdown goes through one shared converter: same HTML as MkDocs' own.

The equivalence test builds a real site in this process (MkDocs' own ``build``),
then renders every generated page again, in build order, both ways -- with the
shared, reset converter and with MkDocs' ``Page.render`` (a new converter per
page) -- and compares them. Bodies use extensions that keep state per document
(footnotes, abbreviations, the TOC's unique ids), so a converter that leaked one
page's state into the next would show.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import get_files
from mkdocs.structure.pages import Page

from mkdocs_okrs.pages import OkrPage, nav_titles
from test_plugin_support import objective_file, run_build, standard_okrs, write_site

pytestmark = pytest.mark.slow

EXTENSIONS = [
    "abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables",
    {"toc": {"permalink": True}}, "pymdownx.superfences", "pymdownx.details",
]

BODIES = {
    "one": """
        Our *HTML* pages load slowly[^slow].

        ## Initiatives

        - Cache the [guide](../../../../guide.md#setup)
        - Measure it {: .note }

        !!! note "Why"
            Word of mouth.[^slow]

        [^slow]: Measured on 2026-10-01.

        *[HTML]: Hyper Text Markup Language
        """,
    "two": """
        HTML is not abbreviated here.[^own]

        ## Initiatives

        ## Initiatives

        Term
        :   Its definition

        [^own]: A footnote of this page only.
        """,
    "three": """
        ```python
        print("no state")
        ```

        ??? info "Details"
            Folded.
        """,
}


def _site(tmp_path: Path) -> Path:
    okrs = standard_okrs()
    for name, body in BODIES.items():
        okrs[f"2026-Q4/acme/{name}.md"] = objective_file(f"Objective {name}", "acme", "2026-Q4", body=body)
    docs = {"index.md": "# Home\n", "guide.md": "# Guide\n\n## Setup\n\nSteps.\n"}
    return write_site(tmp_path, okrs, docs=docs, config={"markdown_extensions": EXTENSIONS})


def test_shared_converter_renders_what_mkdocs_renders(tmp_path: Path, monkeypatch) -> None:
    root = _site(tmp_path)
    monkeypatch.chdir(root)
    made: list[OkrPage] = []
    original_init = OkrPage.__init__

    def recording_init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(OkrPage, "__init__", recording_init)
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    build(config)
    files = get_files(config)
    for page in made:  # the generated pages, as the build's Files held them
        files.append(page.file)
    assert len(made) > 10
    with_body = [p for p in made if p._has_body]
    assert len(with_body) == 4  # grow.md and the three above
    for page in made:  # in build order, so that one page's state would reach the next
        page.read_source(config)
        page.render(config, files)
        shared = (page.content, [(t.id, t.title) for t in page.toc], page.present_anchor_ids)
        Page.render(page, config, files)
        own = (page.content, [(t.id, t.title) for t in page.toc], page.present_anchor_ids)
        assert shared == own, page.file.src_uri
    one = next(p for p in with_body if p.file.src_uri.endswith("one.md"))
    one.render(config, files)
    assert '<abbr title="Hyper Text Markup Language">HTML</abbr>' in one.content
    assert 'href="../../../../../guide/#setup"' in one.content  # MkDocs rewrote the .md link
    two = next(p for p in with_body if p.file.src_uri.endswith("two.md"))
    two.render(config, files)  # right after one.md: nothing of it is left in the converter
    assert "<abbr" not in two.content and "Measured on" not in two.content
    assert [t.id for t in two.toc] == ["initiatives", "initiatives_1"]
    assert not [p for p in made if not p._has_body and p.content != ""]


def test_broken_body_link_is_reported_as_mkdocs_would(tmp_path: Path) -> None:
    okrs = standard_okrs()
    okrs["2026-Q4/acme/linky.md"] = objective_file(
        "Link to a missing page", "acme", "2026-Q4", body="See [the plan](../../../../no-such-page.md).\n"
    )
    write_site(tmp_path, okrs)
    proc = run_build(tmp_path, "--strict")
    assert proc.returncode == 1
    assert "no-such-page.md" in proc.stderr and "okrs/objectives/2026-Q4/acme/linky.md" in proc.stderr


@pytest.mark.parametrize("nav,expected", [
    (None, {}),
    (["index.md", {"A": "a.md"}, {"S": [{"B": "/b.md"}, "c.md", {"A2": "a.md"}]}], {"a.md": "A", "b.md": "B"}),
])
def test_nav_titles(nav, expected) -> None:
    assert nav_titles(nav) == expected


class _Appender(BasePlugin):
    """Another plugin that changes every page after ours (so the lean copy must not be used)."""

    @event_priority(-50)
    def on_page_content(self, html, page, config, files):
        return html + "<!-- changed by another plugin -->"


def _build_counting(root: Path, site: Path, monkeypatch, extra: BasePlugin | None):
    made: list[OkrPage] = []
    swaps: list[int] = []
    original_init, original_swap = OkrPage.__init__, OkrPage.swap_content

    def recording_init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        made.append(self)

    def counting_swap(self, value):
        swaps.append(1)
        original_swap(self, value)

    monkeypatch.setattr(OkrPage, "__init__", recording_init)
    monkeypatch.setattr(OkrPage, "swap_content", counting_swap)
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site))
    if extra is not None:
        config.plugins["appender"] = extra
    build(config)
    monkeypatch.undo()
    return made, len(swaps), json.loads((site / "search/search_index.json").read_text())


def test_contents_are_parked_and_the_search_reads_the_same_words(tmp_path: Path, monkeypatch) -> None:
    root = _site(tmp_path)
    monkeypatch.chdir(root)
    made, swaps, index = _build_counting(root, tmp_path / "site", monkeypatch, None)
    # Every generated page's HTML is kept compressed once written, and still readable.
    assert made and all(p._content is None and p._packed is not None for p in made)
    assert all('class="okr-page' in p.content for p in made)
    assert swaps == 2 * len(made)  # the search read each page's lean copy, then the page came back
    monkeypatch.chdir(root)
    made2, swaps2, index2 = _build_counting(root, tmp_path / "site2", monkeypatch, _Appender())
    assert swaps2 == 0  # another plugin changed the pages: the search read them as they are
    assert all(p.content.endswith("<!-- changed by another plugin -->") for p in made2)
    # The same entries and words (the lean copy may leave a space where a tag was).
    assert _words(index2) == _words(index) and len(index["docs"]) > 30


def _words(index: dict) -> list[tuple[str, str, str]]:
    return [(d["location"], d["title"], " ".join(d["text"].split())) for d in index["docs"]]
