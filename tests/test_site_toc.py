"""Table of contents read back from rendered templates; the site package stays free of MkDocs."""

from __future__ import annotations

from mkdocs_okrs.site.toc import BODY, BODY_MARKER, figure_marker, graphs_marker, nest, template_headings


def test_headings_with_ids_in_order_and_body_position() -> None:
    html = (
        '<h1 id="okr-title">A &amp; <b>B</b></h1><p>x</p>' + BODY_MARKER
        + '<h2 id="okr-key-results">Key results</h2><h3>no id</h3>'
        '<h3 id="okr-sub">Sub</h3><h2 id="okr-alignment">Alignment</h2>'
    )
    items = template_headings(html)
    assert [(h.level, h.id) for h in items if h is not BODY] == [
        (1, "okr-title"), (2, "okr-key-results"), (3, "okr-sub"), (2, "okr-alignment"),
    ]
    assert items[1] is BODY
    assert items[0].title == "A &amp; B"  # text only, escaped for the theme
    tree = nest(items)
    assert len(tree) == 1 and tree[0].id == "okr-title"
    kids = tree[0].children
    assert kids[0] is BODY
    assert [k.id for k in kids[1:]] == ["okr-key-results", "okr-alignment"]
    assert [k.id for k in kids[1].children] == ["okr-sub"]


def test_markers_cannot_be_forged_by_text() -> None:
    assert graphs_marker('objective:a"-->') == "<!--okrs:figure:objective:a&quot;--&gt;:graphs-->"
    marker = figure_marker("objective:b-->x", "kr0")
    assert marker == "<!--okrs:figure:objective:b--&gt;x:kr0-->" and marker.count("-->") == 1


def test_site_package_does_not_import_mkdocs() -> None:
    import subprocess
    import sys

    modules = ", ".join(
        f"mkdocs_okrs.site.{m}" for m in ("plan", "urls", "context", "render", "sanitize", "toc", "bodies", "pagehtml", "graphworker", "format")
    )
    code = (
        f"import sys, {modules}; "
        "print(','.join(sorted(m for m in sys.modules if m == 'mkdocs' or m.startswith(('mkdocs.', 'properdocs', 'material')))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
