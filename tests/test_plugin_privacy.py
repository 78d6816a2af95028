"""Private objectives never reach the site; contributor text cannot inject markup."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from test_plugin_support import (
    PRIVATE_WORDS,
    article,
    build_ok,
    objective_file,
    standard_okrs,
    write_site,
)

pytestmark = pytest.mark.slow


def leaks(site: Path) -> list[str]:
    """Every output file that holds one of the private objective's distinctive words."""
    found = []
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            import gzip

            data = gzip.decompress(data)
        text = data.decode("utf-8", errors="replace").lower()
        for word in PRIVATE_WORDS:
            if word.lower() in text or word.lower() in path.as_posix().lower():
                found.append(f"{path.relative_to(site)}: {word}")
    return found


def test_private_objective_appears_in_no_output_file(tmp_path: Path) -> None:
    write_site(tmp_path, options={"graphs": True, "cache_dir": None})
    site = build_ok(tmp_path, "--strict")
    assert (site / "search/search_index.json").is_file()
    assert (site / "sitemap.xml").is_file() and (site / "okrs.json").is_file()
    files = [p for p in site.rglob("*") if p.is_file()]
    assert len(files) > 30
    assert leaks(site) == []
    child = article((site / "okrs/objectives/2026-Q4/web/under-private/index.html").read_text())
    assert "aligns to a private objective" in child
    # graphs were made, and hold nothing private either
    assert "<svg" in (site / "okrs/periods/2026-Q4/index.html").read_text()


def test_private_owner_without_org_is_not_published(tmp_path: Path) -> None:
    files = standard_okrs()
    files["2026-Q4/x/hidden.md"] = objective_file(
        "Do the hidden thing", "Zeppelin Quokka Marmalade Taskforce", "2026-Q4", visibility="private"
    )
    files = {k: v.replace("owner: acme", "owner: Acme") for k, v in files.items()}
    write_site(tmp_path, files, org=None)
    site = build_ok(tmp_path)
    assert leaks(site) == []


def test_okrs_dir_inside_docs_dir_is_not_published_raw(tmp_path: Path) -> None:
    write_site(tmp_path, okrs_dir="docs/okrs-src", docs={"index.md": "# Home\n", "okrs-src/notes.txt": "Quokka\n"})
    site = build_ok(tmp_path, "--strict")
    assert leaks(site) == []
    assert not (site / "okrs-src").exists()
    assert not list(site.rglob("*.md")) and not list(site.rglob("org.yml"))
    assert (site / "okrs/objectives/2026-Q4/acme/grow/index.html").is_file()


def test_snippets_cannot_include_the_private_file(tmp_path: Path) -> None:
    files = standard_okrs()
    files["2026-Q4/acme/grow.md"] = objective_file(
        "Become the shop people recommend", "acme", "2026-Q4",
        body='Details:\n\n--8<-- "okrs/2026-Q4/acme/zeppelin-quokka.md"\n',
    )
    write_site(
        tmp_path, files,
        config={"markdown_extensions": ["tables", {"pymdownx.snippets": {"base_path": ["."]}}]},
    )
    site = build_ok(tmp_path)
    # The include line shows as text (it names the file, as its writer did); the file's
    # content -- the private body and key results -- is not pulled in.
    page = (site / "okrs/objectives/2026-Q4/acme/grow/index.html").read_text()
    assert "--8&lt;--" in page
    for path in site.rglob("*"):
        if path.is_file():
            text = path.read_text(errors="replace")
            assert "Secret plan" not in text and "Marmalade milestone" not in text, path


HOSTILE_BODY = """
Normal text.

<script>alert('body-script')</script>

<img src="x.png" onerror="alert('img-onerror')">

[click](javascript:alert('js-link')) and [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)

<a href="https://example.org" onclick="alert('onclick')">external</a>

<iframe src="https://evil.example/frame"></iframe>

<div markdown style="position:fixed;top:0;left:0">overlay</div>

Styled paragraph
{: onmouseover="alert('attr-list')" }

| Column A | Column B |
|----------|---------:|
| cell a   | cell b   |

!!! warning "Careful"
    Admonition body.

```python
print("code block")
```
"""


def test_hostile_body_is_neutralised_and_normal_markdown_kept(tmp_path: Path) -> None:
    files = standard_okrs()
    files["2026-Q4/acme/grow.md"] = objective_file(
        "Become the shop people recommend", "acme", "2026-Q4", body=HOSTILE_BODY
    )
    write_site(
        tmp_path, files,
        config={"markdown_extensions": ["admonition", "tables", "attr_list", "md_in_html",
                                        "pymdownx.superfences", "pymdownx.highlight"]},
    )
    site = build_ok(tmp_path)
    page = article((site / "okrs/objectives/2026-Q4/acme/grow/index.html").read_text())
    for bad in ("<script", "onerror", "javascript:", "data:text", "onclick", "<iframe", "position:fixed",
                "onmouseover", "body-script", "img-onerror"):
        assert bad not in page, bad
    assert "<table>" in page and "cell b" in page
    assert '<div class="admonition warning">' in page and "Admonition body." in page
    assert 'class="highlight"' in page and "code block" in page
    assert 'href="https://example.org"' in page and 'rel="noopener noreferrer"' in page
    assert "Normal text." in page


def test_hostile_front_matter_is_escaped_everywhere(tmp_path: Path) -> None:
    files = standard_okrs()
    files["2026-Q4/acme/grow.md"] = objective_file(
        "'</title><script>alert(1)</script><img src=x onerror=alert(2)>'", "acme", "2026-Q4",
        tags="['<b>t</b>']",
    )
    org = (
        "units:\n  - id: acme\n    name: '<script>alert(3)</script>'\n    lead: '<img src=x onerror=alert(4)>'\n"
        "  - id: sales\n    name: Sales\n    parent: acme\n  - id: web\n    name: Web\n    parent: sales\n"
    )
    write_site(tmp_path, files, org=org)
    site = build_ok(tmp_path)
    for page in sorted((site / "okrs").rglob("*.html")):
        html = page.read_text()
        assert "<script>alert" not in html, page
        assert "<img src=x" not in html and "<b>t</b>" not in html, page
    html = (site / "okrs/objectives/2026-Q4/acme/grow/index.html").read_text()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "&lt;/title&gt;&lt;script&gt;" in title


def test_body_front_matter_cannot_set_page_meta(tmp_path: Path) -> None:
    files = standard_okrs()
    files["2026-Q4/acme/grow.md"] = objective_file(
        "Become the shop people recommend", "acme", "2026-Q4",
        body="---\ntemplate: 404.html\nsearch:\n  exclude: true\n---\nBody text here.\n",
    )
    write_site(tmp_path, files)
    site = build_ok(tmp_path)
    html = (site / "okrs/objectives/2026-Q4/acme/grow/index.html").read_text()
    assert 'data-okr-kind="objective"' in html and "Body text here." in html
    assert "okrs/objectives/2026-Q4/acme/grow/" in (site / "search/search_index.json").read_text()
