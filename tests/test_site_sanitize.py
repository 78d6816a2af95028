"""The body sanitizer keeps what Markdown and mkdocs-material produce and drops the rest,
and keeps the body's ids and names out of the theme's and our templates' way."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from mkdocs_okrs.site.sanitize import BODY_ID_PREFIX, body_id, sanitize_body

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
    assert '<h2 id="okr-body-why">' in out
    assert 'class="headerlink"' in out
    assert "<table>" in out and 'style="text-align:center"' in out
    assert '<div class="admonition note">' in out and 'class="admonition-title"' in out
    assert "<pre>" in out and "<code" in out
    assert 'class="footnote' in out and 'href="#okr-body-fn:1"' in out
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


# ----------------------------------------------------------------------------- ids and names
#
# The theme finds its elements by id (mkdocs-material reads its settings from the
# first #__config of the page), and so does our own code (#okr-key-results...): a
# body must not be able to define any of them.

TEMPLATES = Path(__file__).resolve().parents[1] / "plugin/mkdocs_okrs/templates/okrs"

# Ids that mkdocs-material's templates and scripts look up, and ids of our templates.
HANDLES = [
    "__config", "__search", "__drawer", "__palette_0", "__consent", "__toc", "__nav_1",
    "__settings", "__analytics", "__codelineno-0-1",
    "okr-title", "okr-key-results", "okr-kr-revenue", "okr-alignment", "okr-checkins", "okr-trends",
    "okr-history", "okr-period-2026-Q4",
]

MATERIAL_MD = {
    "extensions": [
        "toc", "attr_list", "md_in_html", "footnotes", "tables",
        "pymdownx.tabbed", "pymdownx.superfences", "pymdownx.details",
    ],
    "extension_configs": {"toc": {"permalink": True}, "pymdownx.tabbed": {"alternate_style": True}},
}


class _Refs(HTMLParser):
    """Every id, name and label-for of a document, and its fragment links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.names: list[str] = []
        self.fors: list[str] = []
        self.fragments: list[str] = []

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k == "id":
                self.ids.append(v)
            elif k == "name":
                self.names.append(v)
            elif k == "for":
                self.fors.append(v)
            elif k == "href" and v is not None and v.startswith("#"):
                self.fragments.append(v[1:])


def refs(html: str) -> _Refs:
    parser = _Refs()
    parser.feed(html)
    parser.close()
    return parser


def assert_namespaced(out: str) -> _Refs:
    """Every id, name and label-for in ``out`` is in the body's namespace."""
    r = refs(out)
    for value in r.ids + r.names + r.fors:
        assert value.startswith(BODY_ID_PREFIX), (value, out)
    return r


def test_body_id() -> None:
    assert BODY_ID_PREFIX == "okr-body-"
    assert body_id("why") == "okr-body-why"
    assert body_id("__config") == "okr-body-__config"
    assert body_id("okr-key-results") == "okr-body-okr-key-results"
    assert body_id("okr-body-why") == "okr-body-why"  # already in the body's namespace
    assert body_id(body_id("x")) == body_id("x")


def test_no_template_id_is_in_the_body_namespace() -> None:
    """Our templates' ids (literal, or the literal start of a computed one) never
    start with the prefix: otherwise a body could still take them over."""
    found = []
    for path in TEMPLATES.glob("*.html"):
        for value in re.findall(r"""(?<![\w-])id=["']([^"']*)""", path.read_text(encoding="utf-8")):
            found.append(value)
            if value == "{{ kr.anchor }}":
                continue  # "okr-kr-<id>", checked below
            literal = value.split("{{", 1)[0]
            assert literal, f"{path.name}: id={value!r} has no literal start"
            assert not literal.startswith(BODY_ID_PREFIX) and not BODY_ID_PREFIX.startswith(literal), (
                path.name, value)
    assert "okr-key-results" in found and "okr-title" in found  # the scan did read the templates
    # The key result rows' id is computed (kr.anchor): "okr-kr-<id>", not "okr-body-...".
    assert "{{ kr.anchor }}" in found
    context = (TEMPLATES.parents[1] / "site/context.py").read_text(encoding="utf-8")
    assert set(re.findall(r'"anchor": f"([^"{]*)\{', context)) == {"okr-kr-"}


@pytest.mark.parametrize("handle", HANDLES)
def test_raw_html_cannot_define_a_handle(handle: str) -> None:
    out = sanitize_body(
        f'<div id="{handle}">x</div><a name="{handle}">a</a>'
        f'<input type="radio" name="{handle}"><label for="{handle}">l</label>'
    )
    r = assert_namespaced(out)
    assert r.ids == [f"okr-body-{handle}"]
    assert r.names == [f"okr-body-{handle}", f"okr-body-{handle}"]
    assert r.fors == [f"okr-body-{handle}"]


@pytest.mark.parametrize("handle", HANDLES)
def test_markdown_cannot_define_a_handle(handle: str) -> None:
    """attr_list on a heading and on a paragraph, and a heading that slugifies to it."""
    text = f"## Hi {{#{handle}}}\n\nPara\n{{: #{handle} }}\n\n## {handle}\n"
    out = sanitize_body(md(text, **MATERIAL_MD))
    r = assert_namespaced(out)
    assert f"okr-body-{handle}" in r.ids
    assert handle not in r.ids


def test_the_config_payload_is_disarmed() -> None:
    """The attack: a #__config of the author's ahead of the theme's."""
    payload = (
        '<div id="__config">{"base": ".", "search": "data:text/javascript,window.__pwned=1",'
        ' "translations": {"search.result.none": "<img src=x onerror=alert(1)>"}}</div>'
    )
    out = sanitize_body(payload)
    assert 'id="__config"' not in out and 'id="okr-body-__config"' in out
    # (The text stays, harmless: the theme reads only the element with the id __config.)


def test_fragment_links_follow_body_ids_only() -> None:
    out = sanitize_body(
        '<h2 id="why">Why</h2><a href="#why">own</a> <a href="#okr-key-results">ours</a>'
        ' <a href="#__search">theme</a> <a href="#nowhere">none</a> <a href="#">top</a>'
        ' <a href="other/#why">other page</a> <a href="https://example.org/#why">ext</a>'
    )
    r = assert_namespaced(out)
    assert r.fragments == ["okr-body-why", "okr-key-results", "__search", "nowhere", ""]
    assert 'href="other/#why"' in out and 'href="https://example.org/#why"' in out


def test_fragment_links_to_a_body_name_and_before_the_definition() -> None:
    out = sanitize_body(
        '<p><a href="#later">down</a> <a href="#old">old</a></p>'
        '<a name="old"></a><p id="later">here</p>'
    )
    assert refs(out).fragments == ["okr-body-later", "okr-body-old"]
    assert 'name="okr-body-old"' in out and 'id="okr-body-later"' in out


def test_fragment_link_to_a_theme_id_the_body_also_defines_stays_in_the_body() -> None:
    out = sanitize_body('<a href="#__config">cfg</a><div id="__config">{}</div>')
    assert refs(out).fragments == ["okr-body-__config"]


def test_fragment_links_percent_encoded_and_padded() -> None:
    out = sanitize_body(
        '<h2 id="café">Café</h2><a href="#caf%C3%A9">enc</a><a href="#café">raw</a><a href=" #café ">pad</a>'
    )
    assert refs(out).fragments == ["okr-body-caf%C3%A9", "okr-body-café", "okr-body-café"]
    assert 'id="okr-body-café"' in out


def test_label_for_always_points_into_the_body() -> None:
    """A label for a theme's checkbox would toggle it (#__drawer, #__search) when clicked."""
    out = sanitize_body('<label for="__drawer">menu</label><label for="__search">s</label>')
    assert refs(out).fors == ["okr-body-__drawer", "okr-body-__search"]


def test_footnotes() -> None:
    out = sanitize_body(md("Claim[^1] and another[^note].\n\n[^1]: One.\n[^note]: Two.\n", **MATERIAL_MD))
    r = assert_namespaced(out)
    assert {"okr-body-fn:1", "okr-body-fnref:1", "okr-body-fn:note", "okr-body-fnref:note"} <= set(r.ids)
    assert r.fragments == ["okr-body-fn:1", "okr-body-fn:note", "okr-body-fnref:1", "okr-body-fnref:note"]
    assert set(r.fragments) <= set(r.ids)


def test_tabbed_sets_keep_working() -> None:
    out = sanitize_body(md('=== "One"\n    first\n\n=== "Two"\n    second\n', **MATERIAL_MD))
    r = assert_namespaced(out)
    assert r.ids == ["okr-body-__tabbed_1_1", "okr-body-__tabbed_1_2"]
    assert r.names == ["okr-body-__tabbed_1", "okr-body-__tabbed_1"]  # one radio group
    assert r.fors == r.ids  # each label still checks its own tab's input
    assert 'type="radio"' in out and 'data-tabs="1:2"' in out


def test_permalinks_and_own_links_point_at_the_headings() -> None:
    out = sanitize_body(md("# Title\n\n## Why\n\nSee [why](#why) and [KRs](#okr-key-results).\n", **MATERIAL_MD))
    r = assert_namespaced(out)
    assert r.ids == ["okr-body-title", "okr-body-why"]
    assert '<h2 id="okr-body-why">Why<a class="headerlink" href="#okr-body-why"' in out
    assert r.fragments == ["okr-body-title", "okr-body-why", "okr-body-why", "okr-key-results"]


def test_a_body_that_already_uses_the_prefix() -> None:
    """Ids and links already in the namespace are kept as they are (not okr-body-okr-body-...)."""
    html = (
        '<h2 id="okr-body-why">Why</h2><a href="#okr-body-why">a</a>'
        '<label for="okr-body-x">x</label><a name="okr-body-n"></a>'
    )
    out = sanitize_body(html)
    assert 'id="okr-body-why"' in out and 'href="#okr-body-why"' in out
    assert 'for="okr-body-x"' in out and 'name="okr-body-n"' in out
    assert "okr-body-okr-body" not in out
    # A link written with the prefix reaches a heading of the plain id too (as documented).
    out = sanitize_body('<h2 id="why">Why</h2><a href="#okr-body-why">a</a>')
    assert refs(out).fragments == ["okr-body-why"] and refs(out).ids == ["okr-body-why"]


def test_sanitizing_is_idempotent() -> None:
    html = md(
        "# T\n\n## Why\n\n## Hi {#__config}\n\nText[^1] [see](#why) [krs](#okr-key-results)\n\n"
        '[^1]: foot\n\n=== "One"\n    a\n\n=== "Two"\n    b\n\n'
        '<div id="__search" markdown>x</div>\n',
        **MATERIAL_MD,
    )
    once = sanitize_body(html)
    assert sanitize_body(once) == once
    assert_namespaced(once)


HOSTILE_IDS = [
    '<div ID="__config">x</div>',  # upper case attribute name
    '<div id="&#95;&#95;config">x</div>',  # character references
    '<div id="__config" id="other">x</div>',  # duplicate attribute: the first wins
    "<div id=__config>x</div>",  # unquoted
    '<svg><title id="__config">t</title><g id="__search"></g></svg>',  # inside SVG
    '<details id="__drawer" open><summary id="__search">s</summary></details>',
    '<input type="checkbox" id="__drawer" name="__drawer" checked>',
    '<img src="https://example.org/a.png" id="__palette_0" name="__palette_0">',
    '<table id="okr-key-results"><tr id="okr-kr-revenue"><td id="x">1</td></tr></table>',
    '<a name="__config" id="__consent">x</a>',
    '<p id=" __config">leading space</p>',
    '<form id="__search"><a id="__toc">x</a></form>',  # the form goes, its child stays
    '<math><mi id="__config"></mi></math><svg><foreignObject><div id="__search">x</div></foreignObject></svg>',
    '<noscript><div id="__config">x</div></noscript>',
    '<template><div id="__config">x</div></template>',
    '<select><option id="__config">x</option></select>',
]


@pytest.mark.parametrize("html", HOSTILE_IDS)
def test_hostile_ids_end_up_prefixed_or_dropped(html: str) -> None:
    out = sanitize_body(html)
    assert_namespaced(out)
    assert_namespaced(sanitize_body(out))


def test_empty_ids_and_names_are_dropped() -> None:
    out = sanitize_body('<p id="">a</p><a name="">b</a><label for="">c</label>')
    assert "id=" not in out and "name=" not in out and "for=" not in out
    assert "okr-body-" not in out


def test_ids_of_dropped_elements_do_not_count() -> None:
    """An id that survives nowhere in the clean body does not pull a link into the body."""
    out = sanitize_body(
        '<math><a id="okr-key-results">x</a></math>'
        '<svg><foreignObject><div id="okr-alignment">y</div></foreignObject></svg>'
        '<a href="#okr-key-results">krs</a> <a href="#okr-alignment">al</a>'
    )
    assert refs(out).fragments == ["okr-key-results", "okr-alignment"]
    assert refs(out).ids == []
