"""Byte-identical builds, template overrides, graphs placement, ProperDocs, ``mkdocs serve``."""

from __future__ import annotations

import re

import json
import shutil
from pathlib import Path

import pytest

from test_plugin_support import (
    article,
    build_ok,
    objective_file,
    run_build,
    standard_okrs,
    write_site,
)

pytestmark = pytest.mark.slow


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    one = write_site(tmp_path / "one", options={"graphs": True, "cache_dir": None})
    two = tmp_path / "elsewhere" / "two"
    shutil.copytree(one, two)
    env = {"SOURCE_DATE_EPOCH": "1790000000"}  # dates MkDocs stamps on the hand-written pages
    a = tree(build_ok(one, env=env))
    b = tree(build_ok(two, env=env))
    assert sorted(a) == sorted(b)
    different = [name for name in a if a[name] != b[name]]
    assert different == []
    assert any(name.endswith(".gz") for name in a)  # sitemap.xml.gz, whose header holds a date
    for name, data in a.items():
        assert str(tmp_path).encode() not in data, name  # no absolute path in the output


def test_template_override_in_custom_dir(tmp_path: Path) -> None:
    write_site(tmp_path, config={"theme": {"name": "material", "custom_dir": "overrides"}})
    over = tmp_path / "overrides" / "okrs"
    over.mkdir(parents=True)
    (over / "objective.html").write_text(
        '<article class="okr-page my-objective" data-okr-kind="objective">\n'
        '<h1 id="okr-title">{{ objective.title }}</h1>\n'
        '<p class="my-owner">Owned by {{ objective.owner.name }}</p>\n'
        "{{ body_html }}\n"
        '<h2 id="my-numbers">My numbers</h2>\n'
        "{% for kr in key_results %}<p>{{ kr.title }}: {{ kr.current }}/{{ kr.target }}</p>{% endfor %}\n"
        "</article>\n"
    )
    (over / "_macros.html").write_text(
        (Path(__file__).resolve().parents[1] / "plugin/mkdocs_okrs/templates/okrs/_macros.html")
        .read_text()
        .replace('<span class="okr-status okr-status--', '<span class="okr-status my-badge okr-status--')
    )
    site = build_ok(tmp_path, "--strict")
    html = (site / "okrs/objectives/2026-Q4/acme/grow/index.html").read_text()
    page = article(html)
    assert 'class="okr-page my-objective"' in page and "Owned by Acme Inc." in page
    assert "Reach the measured level 1: 20/100" in page and "Referral programme" in page
    toc = html[html.index('data-md-component="toc"'):]
    assert 'href="#my-numbers"' in toc and 'href="#okr-body-initiatives"' in toc
    assert 'href="#okr-key-results"' not in toc
    assert "my-badge" in (site / "okrs/index.html").read_text()  # macros overridden too
    assert not (site / "okrs/objective.html").exists()  # templates are not copied as static files


def test_graphs_are_placed_after_search_indexing(tmp_path: Path) -> None:
    write_site(tmp_path, options={"graphs": True, "cache_dir": ".cache/okrs"})
    site = build_ok(tmp_path, "--strict")
    obj = article((site / "okrs/objectives/2026-Q4/sales/more-leads/index.html").read_text())
    alignment = obj[obj.index('id="okr-alignment"'):]
    assert "<svg" in alignment and "okrs:graphs" not in obj
    assert "<svg" in (site / "okrs/units/sales/index.html").read_text()
    index = (site / "search/search_index.json").read_text()
    assert "<svg" not in index and "okr-graph" not in index
    assert (tmp_path / ".cache/okrs").is_dir()
    assert "okrs-graphs.css" in (site / "okrs/index.html").read_text()
    # The graph viewer's script, written to the site and loaded by the pages.
    assert (site / "assets/okrs/okrs-graphs.js").is_file()
    assert 'src="../assets/okrs/okrs-graphs.js"' in (site / "okrs/index.html").read_text()


def test_graph_options_renderer_and_max_nodes(tmp_path: Path) -> None:
    from test_plugin_build import check_links

    files = standard_okrs()
    for i in range(6):
        files[f"2026-Q4/sales/child-{i}.md"] = objective_file(
            f"Support the pipeline, part {'abcdef'[i]}", "sales", "2026-Q4", parent="2026-Q4/sales/more-leads"
        )
    write_site(tmp_path, files, options={
        "graphs": True, "renderer": "graphviz-pure", "graph_max_nodes": 3, "graph_timeout": 120,
        "cache_dir": None, "rules": {"objective-count": "off"},
    })
    site = build_ok(tmp_path, "--strict")
    svgs = sorted((site / "okrs/graphs").rglob("*.svg"))
    assert svgs, "a graph larger than graph_max_nodes gets a file of its own"
    pages = sorted((site / "okrs").rglob("*.html"))
    assert check_links(site, pages) > 50
    linked = "".join(p.read_text() for p in pages)
    assert all(svg.name in linked for svg in svgs)


def test_graphs_off(tmp_path: Path) -> None:
    write_site(tmp_path, options={"graphs": False})
    site = build_ok(tmp_path)
    charts = 0
    for page in (site / "okrs").rglob("*.html"):
        text = article(page.read_text())
        charts += text.count('<figure class="okr-chart')
        # The trend charts are the plugin's own SVG, drawn without Graphviz: they stay.
        without_charts = re.sub(r'<figure class="okr-chart.*?</figure>', "", text, flags=re.S)
        assert "<svg" not in without_charts and "okr-graph" not in without_charts, page
    assert charts > 0
    assert "okrs-graphs.css" not in (site / "okrs/index.html").read_text()
    assert "okrs-graphs.js" not in (site / "okrs/index.html").read_text()
    assert not (site / "assets/okrs/okrs-graphs.js").exists()


def test_properdocs_build(tmp_path: Path) -> None:
    write_site(tmp_path)
    site = build_ok(tmp_path, "--strict", tool="properdocs")
    assert (site / "okrs/objectives/2026-Q4/acme/grow/index.html").is_file()
    doc = json.loads((site / "okrs.json").read_text())
    assert len(doc["objectives"]) == 5


def test_properdocs_strict_counts_our_warnings_and_stops_on_errors(tmp_path: Path) -> None:
    files = standard_okrs()
    files["2026-Q4/acme/lean.md"] = objective_file(
        "Be lean", "acme", "2026-Q4",
        key_results="key_results:\n  - {title: One measure, start: 0, target: 1, checkins: [{date: 2026-11-20, value: 0.5}]}",
    )
    write_site(tmp_path, files)
    proc = run_build(tmp_path, "--strict", tool="properdocs")
    assert proc.returncode == 1 and "[kr-count]" in proc.stderr
    files["2026-Q4/acme/bad.md"] = objective_file("Be bad", "nobody", "2026-Q4")
    write_site(tmp_path, files)
    proc = run_build(tmp_path, tool="properdocs")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "okrs/2026-Q4/acme/bad.md:" in proc.stderr and "[owner-unknown]" in proc.stderr


def test_serve_watches_okrs_dir_and_org_file(tmp_path: Path) -> None:
    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer

    write_site(tmp_path, options={"org_file": "org/units.yml"})
    (tmp_path / "org").mkdir()
    shutil.move(tmp_path / "okrs/org.yml", tmp_path / "org/units.yml")
    cfg = load_config(str(tmp_path / "mkdocs.yml"))
    plugin = cfg.plugins["okrs"]
    plugin.on_config(cfg)
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    try:
        plugin.on_serve(server, config=cfg, builder=lambda: None)
        watched = {Path(p) for p in server._watched_paths}
    finally:
        server.server_close()
    assert tmp_path / "okrs" in watched
    assert tmp_path / "org/units.yml" in watched


def test_graph_failure_stops_the_build_with_a_message(tmp_path: Path) -> None:
    write_site(tmp_path, options={"graphs": True, "renderer": "graphviz-pure", "graph_timeout": 0.0001,
                                  "cache_dir": None})
    proc = run_build(tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "okrs plugin: graphs:" in proc.stderr
