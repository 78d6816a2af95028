"""Generated pages and the rest of the build: bodies, file-reading extensions, hooks, the search.

Real ``mkdocs build`` runs (in a subprocess: the exit status and the log are what a
user sees), real extensions, a real ``hooks:`` file and mkdocs-material's real search.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from test_plugin_support import (
    article,
    build_ok,
    generated_pages,
    objective_file,
    resolve_link,
    run_build,
    standard_okrs,
    write_site,
)

pytestmark = pytest.mark.slow

EXTENSIONS = [
    "abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables",
    {"toc": {"permalink": True}}, "pymdownx.superfences", "pymdownx.details",
]

BODIES = {
    "one": """
        Our *HTML* pages load slowly[^slow].

        ## Initiatives

        - Measure it {: .note }
        - Follow [the company goal](../acme/grow.md#initiatives) and [a missing one](../acme/nope.md)

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
}


def _page(site: Path, objective_id: str) -> Path:
    return site / "okrs" / "objectives" / objective_id / "index.html"


def test_bodies_are_rendered_with_the_site_extensions_one_at_a_time(tmp_path: Path) -> None:
    okrs = standard_okrs()
    for name, body in BODIES.items():
        okrs[f"2026-Q4/sales/{name}.md"] = objective_file(f"Objective {name}", "sales", "2026-Q4", body=body,
                                                          parent="2026-Q4/acme/grow")
    site = build_ok(write_site(tmp_path, okrs, config={"markdown_extensions": EXTENSIONS}), "--strict")
    one = article(_page(site, "2026-Q4/sales/one").read_text(encoding="utf-8"))
    two = article(_page(site, "2026-Q4/sales/two").read_text(encoding="utf-8"))
    assert '<abbr title="Hyper Text Markup Language">HTML</abbr>' in one
    assert 'class="admonition note"' in one and "Measured on 2026-10-01" in one
    # The second body, right after the first: nothing of the first is left in the converter.
    assert "<abbr" not in two and "Measured on" not in two and "A footnote of this page only" in two
    assert re.findall(r'<h2 id="([^"]+)"', two)[:2] == ["okr-body-initiatives", "okr-body-initiatives_1"]
    # A link to another objective's file goes to that objective's page; an unknown file stays as written.
    links = re.findall(r'<a href="([^"]+)"[^>]*>(the company goal|a missing one)</a>', one)
    target, fragment = resolve_link(site, _page(site, "2026-Q4/sales/one"), dict((t, h) for h, t in links)["the company goal"])
    assert target == _page(site, "2026-Q4/acme/grow") and fragment == "okr-body-initiatives"
    assert dict((t, h) for h, t in links)["a missing one"] == "../acme/nope.md"


SNIPPETS = ["pymdownx.snippets", "pymdownx.snippets:SnippetExtension"]


@pytest.mark.parametrize("spelling", SNIPPETS + ["instance"])
def test_a_body_cannot_include_a_private_file_however_snippets_is_named(tmp_path: Path, spelling: str) -> None:
    okrs = standard_okrs()
    okrs["2026-Q4/acme/grow.md"] = objective_file(
        "Become the shop people recommend", "acme", "2026-Q4", tags="[growth]",
        body='Our plan:\n\n--8<-- "okrs/2026-Q4/acme/zeppelin-quokka.md"\n\n;--8<-- "zeppelin-quokka.md"\n',
    )
    docs = {"index.md": "# Home\n\n--8<-- \"shared.md\"\n", "shared.md": "Included on purpose.\n"}
    root = write_site(tmp_path, okrs, docs=docs)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    if spelling == "instance":  # an extension object, as a hooks file or a Python config would give it
        (root / "hooks.py").write_text(
            "from pymdownx.snippets import SnippetExtension\n"
            "def on_config(config):\n"
            "    config.markdown_extensions.append(SnippetExtension(base_path=['.', 'docs', 'okrs/2026-Q4/acme']))\n"
            "    return config\n",
            encoding="utf-8",
        )
        config += "hooks:\n  - hooks.py\n"
    else:
        config = config.replace("markdown_extensions:\n", f"markdown_extensions:\n- {spelling}:\n    base_path: ['.', docs, okrs/2026-Q4/acme]\n")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    proc = run_build(root)
    assert proc.returncode == 0, proc.stderr
    assert "objective bodies are rendered without" in proc.stderr
    site = root / "site"
    assert "Included on purpose." in (site / "index.html").read_text(encoding="utf-8")  # the docs keep it
    for path in [*site.rglob("*.html"), site / "search" / "search_index.json", site / "okrs.json"]:
        text = path.read_text(encoding="utf-8")
        # (The body names the file; what must not appear is what the private file says.)
        assert "Secret plan" not in text and "Marmalade" not in text, path


def test_a_custom_fence_that_runs_code_is_not_run_for_bodies(tmp_path: Path) -> None:
    okrs = standard_okrs()
    okrs["2026-Q4/acme/grow.md"] = objective_file(
        "Become the shop people recommend", "acme", "2026-Q4", tags="[growth]",
        body="```run\nopen('ran-from-a-body', 'w')\n```\n",
    )
    docs = {"index.md": "# Home\n\n```run\nopen('ran-from-the-docs', 'w')\n```\n"}
    root = write_site(tmp_path, okrs, docs=docs)
    (root / "fence.py").write_text(
        "import os\n"
        "def run(source, language, css_class, options, md, **kwargs):\n"
        "    exec(source, {})  # what markdown-exec and the like do\n"
        "    return '<pre>ran</pre>'\n",
        encoding="utf-8",
    )
    config = (root / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "markdown_extensions:\n",
        "markdown_extensions:\n- pymdownx.superfences:\n    custom_fences:\n"
        "    - name: run\n      class: run\n      format: !!python/name:fence.run\n",
    )
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    proc = run_build(root, env={"PYTHONPATH": str(root)})
    assert proc.returncode == 0, proc.stderr
    assert (root / "ran-from-the-docs").exists()  # the site's own pages keep the fence
    assert not (root / "ran-from-a-body").exists()
    assert "custom fence 'run'" in proc.stderr


HOOKS = '''
def on_page_context(context, page, config, nav):
    page.content += '<p class="hooked-context">added in on_page_context</p>'
    return context

def on_post_page(output, page, config):
    return output.replace("</body>", "<!-- hooked-post -->\\n</body>")
'''


def test_other_plugins_see_and_keep_their_edits_on_every_okr_page(tmp_path: Path) -> None:
    root = write_site(tmp_path, options={"graphs": True})
    (root / "hooks.py").write_text(HOOKS, encoding="utf-8")
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as f:
        f.write("hooks:\n  - hooks.py\n")
    site = build_ok(root, "--strict")
    pages = generated_pages(site)
    assert len(pages) > 10
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert '<p class="hooked-context">added in on_page_context</p>' in html, path
        assert "<!-- hooked-post -->" in html, path
    # Graphs went in (written into the final page only), and the hook's text is not lost around them.
    grow = _page(site, "2026-Q4/acme/grow").read_text(encoding="utf-8")
    assert "<svg" in grow and "okrs:graphs" not in grow


def test_material_search_reads_and_strips_okr_pages_as_any_page(tmp_path: Path) -> None:
    site = build_ok(write_site(tmp_path), "--strict")
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = {d["location"]: d for d in index["docs"]}
    grow = {loc: d for loc, d in docs.items() if loc.startswith("okrs/objectives/2026-Q4/acme/grow/")}
    text = " ".join(d["text"] + " " + d["title"] for d in grow.values())
    # The page's own words are found: its statement, its key results, its body and its headings.
    assert "Become the shop people recommend" in text and "Reach the measured level 1" in text
    assert "word of mouth" in text and any(d["title"] == "Initiatives" for d in grow.values())
    # The list of aligned objectives is marked data-search-exclude: the search strips it
    # (that objective is found on its own page instead).
    assert "Fill the pipeline with qualified leads" not in text
    assert any("Fill the pipeline with qualified leads" in d["title"] for d in docs.values())


def test_an_extension_of_another_package_is_left_out_of_bodies(tmp_path: Path) -> None:
    """Not only the includes we know of: an extension from a package the plugin does not
    know to be safe is not used for bodies (here one that reads the file a body names)."""
    okrs = standard_okrs()
    okrs["2026-Q4/acme/grow.md"] = objective_file(
        "Become the shop people recommend", "acme", "2026-Q4", tags="[growth]",
        body="Our plan:\n\n{!okrs/2026-Q4/acme/zeppelin-quokka.md!}\n",
    )
    docs = {"index.md": "# Home\n\n{!docs/shared.md!}\n", "shared.md": "Included on purpose.\n"}
    root = write_site(tmp_path, okrs, docs=docs)
    (root / "includer.py").write_text(
        "import re\n"
        "from markdown.extensions import Extension\n"
        "from markdown.preprocessors import Preprocessor\n"
        "class _Include(Preprocessor):\n"
        "    def run(self, lines):\n"
        "        text = '\\n'.join(lines)\n"
        "        text = re.sub(r'\\{!(.+?)!\\}', lambda m: open(m.group(1)).read(), text)\n"
        "        return text.split('\\n')\n"
        "class IncludeExtension(Extension):\n"
        "    def extendMarkdown(self, md):\n"
        "        md.preprocessors.register(_Include(md), 'include', 50)\n"
        "def makeExtension(**kwargs):\n"
        "    return IncludeExtension(**kwargs)\n",
        encoding="utf-8",
    )
    config = (root / "mkdocs.yml").read_text(encoding="utf-8").replace("markdown_extensions:\n", "markdown_extensions:\n- includer\n")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    proc = run_build(root, env={"PYTHONPATH": str(root)})
    assert proc.returncode == 0, proc.stderr
    assert "objective bodies are rendered without includer" in proc.stderr
    site = root / "site"
    assert "Included on purpose." in (site / "index.html").read_text(encoding="utf-8")
    grow = _page(site, "2026-Q4/acme/grow").read_text(encoding="utf-8")
    assert "{!okrs/2026-Q4/acme/zeppelin-quokka.md!}" in grow and "Secret plan" not in grow


def test_a_tampered_graph_cache_is_drawn_again_and_the_build_warns(tmp_path: Path) -> None:
    import hashlib
    import sqlite3

    root = write_site(tmp_path, options={"graphs": True, "cache_dir": ".cache/okrs"})
    first = build_ok(root, "--strict")
    reference = _page(first, "2026-Q4/acme/grow").read_text(encoding="utf-8")
    db = sqlite3.connect(root / ".cache" / "okrs" / "svg-cache.sqlite3")
    for key, data in db.execute("SELECT key, svg FROM svg").fetchall():
        bad = data.replace(b"</svg>", b"<script>window.pwned = 1</script></svg>")
        db.execute("UPDATE svg SET svg = ?, sum = ? WHERE key = ?", (bad, hashlib.sha256(bad).hexdigest(), key))
    db.commit()
    db.close()
    strict = run_build(root, "--strict")
    assert strict.returncode == 1 and "failed the safety check and were drawn again" in strict.stderr
    proc = run_build(root)
    assert proc.returncode == 0
    for page in generated_pages(root / "site"):
        assert "<script>window.pwned" not in page.read_text(encoding="utf-8")
    assert _page(root / "site", "2026-Q4/acme/grow").read_text(encoding="utf-8") == reference
    again = run_build(root, "--strict")  # the good drawings were stored again
    assert again.returncode == 0, again.stderr
