"""The body sanitizer keeps what Markdown and mkdocs-material produce and drops the rest."""

from __future__ import annotations

import markdown
import pytest

from mkdocs_okrs.site.sanitize import sanitize_body

HOSTILE = [
    ("<script>alert(1)</script><p>ok</p>", "alert"),
    ('<img src="x.png" onerror="alert(1)">', "onerror"),
    ('<a href="javascript:alert(1)">x</a>', "javascript"),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', "alert"),
    ('<a href="java&#x09;script:alert(1)">x</a>', "script"),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "data:"),
    ('<img src="data:image/svg+xml,<svg onload=alert(1)>">', "data:"),
    ('<iframe src="https://evil.example"></iframe>', "iframe"),
    ('<object data="x.swf"></object>', "object"),
    ('<form action="https://evil.example"><input type="password" name="p"></form>', "password"),
    ('<div style="position:fixed;top:0">cover</div>', "position"),
    ('<style>body{display:none}</style>', "display"),
    ('<svg><script>alert(1)</script></svg>', "alert"),
    ('<svg onload="alert(1)"></svg>', "onload"),
    ('<a href="#" onclick="steal()">x</a>', "steal"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example">', "refresh"),
    ('<base href="https://evil.example/">', "evil"),
    ('<div data-md-component="header">x</div>', "data-md-component"),
    ("<!-- okrs:graphs:objective:x -->", "okrs:graphs"),
]


@pytest.mark.parametrize("html,bad", HOSTILE)
def test_hostile_markup_is_neutralised(html: str, bad: str) -> None:
    assert bad.lower() not in sanitize_body(html).lower()


def md(text: str, **kw) -> str:
    return markdown.markdown(text, **kw)


def test_markdown_output_survives() -> None:
    html = md(
        "# Title\n\n## Why\n\n| a | b |\n|:-:|--:|\n| 1 | 2 |\n\n"
        "!!! note \"Heads up\"\n    Body text\n\n"
        "```python\nprint('x')\n```\n\n"
        "Text[^1] and *HTML*.\n\n[^1]: A footnote.\n\n"
        "[link](https://example.org) [rel](../other.md) [mail](mailto:a@example.org)\n\n"
        "![img](https://example.org/a.png)\n\n"
        "Term\n:   Definition\n",
        extensions=["toc", "tables", "admonition", "fenced_code", "footnotes", "def_list", "abbr", "codehilite"],
        extension_configs={"toc": {"permalink": True}},
    )
    out = sanitize_body(html)
    assert '<h2 id="why">' in out
    assert 'class="headerlink"' in out
    assert "<table>" in out and 'style="text-align:center"' in out
    assert '<div class="admonition note">' in out and 'class="admonition-title"' in out
    assert "<pre>" in out and "<code" in out
    assert 'class="footnote' in out and 'href="#fn:1"' in out
    assert 'href="https://example.org"' in out
    assert 'href="../other.md"' in out
    assert 'href="mailto:a@example.org"' in out
    assert 'src="https://example.org/a.png"' in out
    assert "<dl>" in out and "<dd>" in out
    assert 'rel="noopener noreferrer"' in out


def test_material_extensions_survive() -> None:
    html = md(
        "??? info \"More\"\n    Hidden\n\n"
        "- [x] done\n- [ ] open\n\n"
        "=== \"One\"\n    first\n\n=== \"Two\"\n    second\n\n"
        "```py\nx = 1\n```\n",
        extensions=[
            "pymdownx.details",
            "pymdownx.tasklist",
            "pymdownx.tabbed",
            "pymdownx.superfences",
            "pymdownx.highlight",
        ],
        extension_configs={"pymdownx.tabbed": {"alternate_style": True}},
    )
    out = sanitize_body(html)
    assert "<details" in out and "<summary>" in out
    assert 'type="checkbox"' in out and "disabled" in out
    assert 'class="tabbed-set tabbed-alternate"' in out and 'data-tabs="1:2"' in out
    assert 'type="radio"' in out and "<label for=" in out
    assert 'class="highlight"' in out and "<span" in out


def test_text_input_types_are_dropped() -> None:
    out = sanitize_body('<input type="text" value="x"><input type="radio" name="a">')
    assert 'type="text"' not in out and "value=" not in out
    assert 'type="radio"' in out


def test_relative_and_fragment_links_kept() -> None:
    out = sanitize_body('<a href="#why">a</a><a href="other/">b</a><img src="../img/x.png" alt="x">')
    assert 'href="#why"' in out and 'href="other/"' in out and 'src="../img/x.png"' in out
