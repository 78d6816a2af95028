"""The "edit this objective" link: real builds with repo_url / edit_uri, and the URL rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mkdocs_okrs.site.edit_links import edit_root, edit_url
from test_plugin_support import objective_file, parse_page, standard_okrs, write_site

OBJECTIVE_PAGE = Path("okrs/objectives/2026-Q4/acme/grow/index.html")


def build(root: Path) -> Path:
    """Build in this process (MkDocs' own build command); return the site folder."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    cfg = load_config(str(root / "mkdocs.yml"))
    mkdocs_build(cfg)
    return Path(cfg.site_dir)


def edit_links(page: Path) -> list[str]:
    """The hrefs of the page's edit links: ours (data-okr-edit) and the theme's (rel=edit)."""
    html = page.read_text(encoding="utf-8")
    return re.findall(r'<a href="([^"]*)"[^>]*\brel="edit"', html)


def ours(page: Path) -> list[str]:
    html = page.read_text(encoding="utf-8")
    return re.findall(r'<p class="okr-edit"><a href="([^"]*)" rel="edit" data-okr-edit>([^<]*)</a>', html)


def test_github_default_edit_uri(tmp_path: Path) -> None:
    # MkDocs' default edit_uri for GitHub is edit/master/docs/: the docs folder is taken off.
    root = write_site(tmp_path, config={"repo_url": "https://github.com/acme/okrs",
                                        "theme": {"name": "material", "features": ["content.action.edit"]}})
    site = build(root)
    page = site / OBJECTIVE_PAGE
    url = "https://github.com/acme/okrs/edit/master/okrs/2026-Q4/acme/grow.md"
    assert ours(page) == [(url, "Edit this objective")]
    assert edit_links(page) == [url, url]  # the theme's edit button points to the same file
    # Hand-written pages keep MkDocs' own link into docs/.
    assert "https://github.com/acme/okrs/edit/master/docs/index.md" in (site / "index.html").read_text("utf-8")
    # Every objective page has its own file's link; other generated pages have none.
    assert ours(site / "okrs/objectives/2026-Q4/sales/more-leads/index.html")[0][0].endswith(
        "/okrs/2026-Q4/sales/more-leads.md")
    assert edit_links(site / "okrs/index.html") == []


def test_explicit_edit_uri_and_a_nested_okr_folder(tmp_path: Path) -> None:
    root = write_site(tmp_path, okrs_dir="planning/okrs",
                      config={"repo_url": "https://github.com/acme/okrs/", "edit_uri": "blob/main/docs/"})
    page = build(root) / OBJECTIVE_PAGE
    assert ours(page)[0][0] == "https://github.com/acme/okrs/blob/main/planning/okrs/2026-Q4/acme/grow.md"


def test_plugin_option_for_gitlab_and_german(tmp_path: Path) -> None:
    root = write_site(tmp_path, options={"edit_uri": "-/edit/trunk", "language": "de"},
                      config={"repo_url": "https://gitlab.example.com/team/okrs", "edit_uri": "docs/edit/"})
    page = build(root) / OBJECTIVE_PAGE
    assert ours(page) == [("https://gitlab.example.com/team/okrs/-/edit/trunk/okrs/2026-Q4/acme/grow.md",
                           "Dieses Ziel bearbeiten")]


def test_no_link_without_repo_url_or_a_usable_edit_uri(tmp_path: Path) -> None:
    site = build(write_site(tmp_path / "plain"))
    assert ours(site / OBJECTIVE_PAGE) == [] and "data-okr-edit" not in (site / OBJECTIVE_PAGE).read_text("utf-8")
    # An edit_uri that does not end with the docs folder: no guess (the plugin option says it).
    site = build(write_site(tmp_path / "other", config={"repo_url": "https://github.com/acme/okrs",
                                                        "edit_uri": "edit/main/documentation/"}))
    assert ours(site / OBJECTIVE_PAGE) == []
    # edit_uri: '' switches MkDocs' edit links off, and ours with them.
    site = build(write_site(tmp_path / "off", config={"repo_url": "https://github.com/acme/okrs", "edit_uri": ""}))
    assert ours(site / OBJECTIVE_PAGE) == []


def test_link_is_percent_encoded_and_escaped(tmp_path: Path) -> None:
    okrs = standard_okrs()
    # A file whose name is no id (it sets id:), with characters that need encoding.
    okrs['2026-Q4/web/fast & "quick" <now> #1.md'] = objective_file(
        "Make the site feel fast", "web", "2026-Q4", id="2026-Q4/web/fast")
    del okrs["2026-Q4/web/fast-site.md"]
    root = write_site(tmp_path, okrs, config={"repo_url": "https://github.com/acme/okrs?x=1&y=2"})
    page = build(root) / "okrs/objectives/2026-Q4/web/fast/index.html"
    [(href, _)] = ours(page)
    assert href == ("https://github.com/acme/edit/master/okrs/2026-Q4/web/"
                    "fast%20%26%20%22quick%22%20%3Cnow%3E%20%231.md")
    links = parse_page(page).links  # the HTML parser reads the attribute back whole
    assert href in links


@pytest.mark.parametrize("repo_url, mkdocs_uri, option, docs, expected", [
    ("https://github.com/a/b", "edit/master/docs/", None, "docs", "https://github.com/a/b/edit/master/"),
    ("https://github.com/a/b/", "edit/main/docs", None, "docs", "https://github.com/a/b/edit/main/"),
    ("https://github.com/a/b", "edit/main/site/docs/", None, "site/docs", "https://github.com/a/b/edit/main/"),
    ("https://github.com/a/b", "docs/", None, "docs", "https://github.com/a/b/"),
    ("https://github.com/a/b", "edit/main/documentation/", None, "docs", None),
    ("https://github.com/a/b", "edit/main/docs/", None, None, None),  # docs_dir outside the repository root
    ("https://github.com/a/b", None, "edit/main", "docs", "https://github.com/a/b/edit/main/"),
    (None, None, "https://git.example.com/a/-/edit/main/", "docs", "https://git.example.com/a/-/edit/main/"),
    (None, "edit/main/docs/", None, "docs", None),  # a relative link without repo_url: none
    (None, None, "javascript:alert(1)//", "docs", None),
    ("https://github.com/a/b", None, "javascript:alert(1)//", "docs", None),  # urljoin keeps the scheme
    ("https://github.com/a/b", None, None, "docs", None),
    ("https://github.com/a/b", "", None, "docs", None),
])
def test_edit_root(repo_url, mkdocs_uri, option, docs, expected) -> None:
    assert edit_root(repo_url, mkdocs_uri, option, docs) == expected


def test_edit_url_paths() -> None:
    root = "https://github.com/a/b/edit/main/"
    assert edit_url(root, "okrs/2026-Q4/x.md") == root + "okrs/2026-Q4/x.md"
    assert edit_url(root, "okrs/a b/ü?.md") == root + "okrs/a%20b/%C3%BC%3F.md"
    assert edit_url(root, "../elsewhere/okrs/x.md") is None  # outside the repository root
    assert edit_url(None, "okrs/x.md") is None
